//! The demo's partner integration: an API token for one organisation's service identity,
//! created as its demo administrator would create it, and shown once.

use std::sync::Arc;

use khub_domain::access::{Actor, Credential};
use khub_domain::api_token::TokenRequest;
use khub_domain::pagination::PageRequest;
use khub_infra::security::SystemClock;
use khub_infra::{Backends, Settings};

/// The organisation whose token the demo creates, and its administrator's handle.
const ORGANISATION: &str = "leeds-city-council";
const ADMINISTRATOR: &str = "amara";
const TOKEN_NAME: &str = "Demo partner feed";

/// A token the seed created this time.
pub struct DemoToken {
    pub organisation: String,
    pub name: &'static str,
    /// The secret: shown this once, as the API shows it.
    pub secret: String,
}

/// Creates the demo organisation token unless an earlier seed did (its secret was shown then).
pub(super) async fn seed_token(
    backends: &Backends,
    settings: &Settings,
) -> anyhow::Result<Option<DemoToken>> {
    let (Some(organisation), Some(administrator)) = (
        backends.organisations.find_by_slug(ORGANISATION).await?,
        backends.people.find_by_handle(ADMINISTRATOR).await?,
    ) else {
        return Ok(None);
    };
    let existing = backends
        .api_tokens
        .list_for_organisation(organisation.id, &PageRequest::first(100))
        .await?;
    if existing
        .items
        .iter()
        .any(|(_, token)| token.name == TOKEN_NAME)
    {
        return Ok(None);
    }
    let identity = backends.identity(settings, Arc::new(SystemClock))?;
    // The seed acts for the organisation's administrator, as if they were signed in.
    let administrator = Actor::Person {
        person: Box::new(administrator),
        credential: Credential::Session {
            session_id: "demo-seed".to_owned(),
        },
    };
    let scopes = ["read".to_owned()];
    let request = TokenRequest::parse(
        TOKEN_NAME,
        &scopes,
        None,
        Some(organisation.id),
        identity.now(),
    )?;
    let issued = identity.create_api_token(&administrator, request).await?;
    Ok(Some(DemoToken {
        organisation: organisation.name,
        name: TOKEN_NAME,
        secret: issued.secret,
    }))
}
