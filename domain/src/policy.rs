//! Who may do what. Every use case asks here, once, before it acts; no path can forget it.

use crate::access::{Actor, Scope};
use crate::error::DomainError;
use crate::organisation::OrganisationId;
use crate::person::{OrganisationRole, Person};

/// Something an actor wants to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Edit one's own profile, follow and unfollow.
    EditOwnProfile,
    /// Create and revoke one's own API tokens; end one's session.
    ManageOwnSession,
    /// See and revoke an organisation's API tokens, or create tokens on its behalf.
    ManageOrganisationTokens(OrganisationId),
    /// Add an organisation to the hub.
    CreateOrganisation,
    /// Join or leave communities.
    JoinCommunities,
    /// Create communities and facilitate them (decisions, invitations, roles). The role the
    /// person holds in the community is checked by the community use cases.
    FacilitateCommunities,
    /// Write, publish, endorse and adopt practices.
    WritePractices,
    /// Start threads, reply, react, accept answers.
    WriteConversations,
    /// Flag content for a community's facilitators.
    FlagContent,
    /// Save searches and mark what one has seen of them.
    KeepSavedSearches,
    /// Read one's own notifications.
    ReadNotifications,
    /// Mark notifications read; choose how closely to watch threads and communities.
    KeepNotifications,
}

/// Allows `action` for `actor`, or says why not.
pub fn authorize(actor: &Actor, action: Action) -> Result<&Person, DomainError> {
    let person = actor.person().ok_or(DomainError::Unauthenticated)?;
    match action {
        Action::ReadNotifications => require_scope(actor, Scope::Read)?,
        Action::EditOwnProfile
        | Action::JoinCommunities
        | Action::KeepSavedSearches
        | Action::KeepNotifications => require_scope(actor, Scope::WriteProfile)?,
        Action::FacilitateCommunities => require_scope(actor, Scope::AdminCommunity)?,
        Action::WritePractices => require_scope(actor, Scope::WritePractices)?,
        Action::WriteConversations | Action::FlagContent => {
            require_scope(actor, Scope::WriteConversations)?
        }
        // Partner systems cannot mint tokens or end the person's sessions.
        Action::ManageOwnSession | Action::CreateOrganisation => require_session(actor)?,
        Action::ManageOrganisationTokens(organisation) => {
            require_session(actor)?;
            if person.organisation != Some((organisation, OrganisationRole::Administrator)) {
                return Err(DomainError::Forbidden(
                    "only the organisation's administrators may do this",
                ));
            }
        }
    }
    if action == Action::CreateOrganisation && !person.hub_administrator {
        return Err(DomainError::Forbidden(
            "only hub administrators may add organisations",
        ));
    }
    // A service identity speaks for its organisation: its name is the organisation's.
    if action == Action::EditOwnProfile && person.service {
        return Err(DomainError::Forbidden(
            "an organisation's service identity has no profile to edit",
        ));
    }
    Ok(person)
}

/// Reading needs no permission beyond `read` for API tokens; visibility rules decide what is seen.
pub fn authorize_read(actor: &Actor) -> Result<(), DomainError> {
    match actor {
        Actor::Anonymous => Ok(()),
        _ => require_scope(actor, Scope::Read),
    }
}

fn require_scope(actor: &Actor, scope: Scope) -> Result<(), DomainError> {
    if actor.has_scope(scope) {
        Ok(())
    } else {
        Err(DomainError::Forbidden(missing_scope_message(scope)))
    }
}

fn require_session(actor: &Actor) -> Result<(), DomainError> {
    match actor.session_id() {
        Some(_) => Ok(()),
        None => Err(DomainError::Forbidden("API tokens cannot do this; sign in")),
    }
}

fn missing_scope_message(scope: Scope) -> &'static str {
    match scope {
        Scope::Read => "the token lacks the `read` scope",
        Scope::WriteProfile => "the token lacks the `write:profile` scope",
        Scope::WriteConversations => "the token lacks the `write:conversations` scope",
        Scope::WritePractices => "the token lacks the `write:practices` scope",
        Scope::AdminCommunity => "the token lacks the `admin:community` scope",
    }
}

#[cfg(test)]
mod tests {
    use chrono::Utc;

    use super::*;
    use crate::access::Credential;
    use crate::api_token::ApiTokenId;
    use crate::person::PersonId;

    fn person(organisation: Option<(OrganisationId, OrganisationRole)>) -> Person {
        Person {
            id: PersonId::generate(),
            handle: "ana".into(),
            email: "ana@leeds.gov.uk".into(),
            display_name: "Ana".into(),
            job_title: None,
            bio: None,
            area: None,
            interests: vec![],
            organisation,
            hub_administrator: false,
            service: false,
            created_at: Utc::now(),
        }
    }

    fn session(person: Person) -> Actor {
        Actor::Person {
            person: Box::new(person),
            credential: Credential::Session {
                session_id: "s".into(),
            },
        }
    }

    fn token(person: Person, scopes: Vec<Scope>) -> Actor {
        let credential = Credential::ApiToken {
            token_id: ApiTokenId::generate(),
            scopes,
            expires_at: None,
            trusted_documents_only: false,
        };
        Actor::Person {
            person: Box::new(person),
            credential,
        }
    }

    #[test]
    fn anonymous_readers_may_read_but_not_act() {
        assert!(authorize_read(&Actor::Anonymous).is_ok());
        assert!(matches!(
            authorize(&Actor::Anonymous, Action::EditOwnProfile),
            Err(DomainError::Unauthenticated)
        ));
    }

    #[test]
    fn a_read_token_cannot_edit_a_profile() {
        let actor = token(person(None), vec![Scope::Read]);
        assert!(authorize_read(&actor).is_ok());
        assert!(matches!(
            authorize(&actor, Action::EditOwnProfile),
            Err(DomainError::Forbidden(_))
        ));
        let writer = token(person(None), vec![Scope::WriteProfile]);
        assert!(authorize(&writer, Action::EditOwnProfile).is_ok());
        assert!(authorize_read(&writer).is_err());
    }

    #[test]
    fn a_token_cannot_mint_tokens_even_with_every_scope() {
        let actor = token(person(None), Scope::ALL.to_vec());
        assert!(authorize(&actor, Action::ManageOwnSession).is_err());
    }

    #[test]
    fn only_an_organisations_administrators_manage_its_tokens() {
        let org = OrganisationId::generate();
        let admin = session(person(Some((org, OrganisationRole::Administrator))));
        let member = session(person(Some((org, OrganisationRole::Member))));
        assert!(authorize(&admin, Action::ManageOrganisationTokens(org)).is_ok());
        assert!(authorize(&member, Action::ManageOrganisationTokens(org)).is_err());
        let other = OrganisationId::generate();
        assert!(authorize(&admin, Action::ManageOrganisationTokens(other)).is_err());
    }

    #[test]
    fn only_hub_administrators_add_organisations() {
        let mut operator = person(None);
        assert!(authorize(&session(operator.clone()), Action::CreateOrganisation).is_err());
        operator.hub_administrator = true;
        assert!(authorize(&session(operator), Action::CreateOrganisation).is_ok());
    }
}
