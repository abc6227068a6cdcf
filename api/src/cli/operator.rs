//! Operator commands: `khub org create|admin` and `khub person hub-admin`.

use khub_domain::organisation::{NewOrganisation, OrganisationKind};
use khub_domain::person::OrganisationRole;
use khub_infra::{Backends, Settings};

use super::{OrgAction, PersonAction};

pub async fn org(settings: Settings, action: OrgAction) -> anyhow::Result<()> {
    let backends = connect(&settings).await?;
    match action {
        OrgAction::Create {
            slug,
            name,
            kind,
            domains,
        } => {
            let kind = OrganisationKind::parse(&kind).ok_or_else(|| {
                anyhow::anyhow!("kind: expected COUNCIL, PUBLIC_BODY, PARTNER or OTHER")
            })?;
            let new = NewOrganisation::parse(&slug, &name, kind, &domains)?;
            let org = backends.organisations.create(&new).await?;
            println!("created organisation {} ({})", org.name, org.slug);
        }
        OrgAction::Admin { org, email, revoke } => {
            let organisation = backends
                .organisations
                .find_by_slug(&org)
                .await?
                .ok_or_else(|| anyhow::anyhow!("no organisation with slug `{org}`"))?;
            let person = find_person(&backends, &email).await?;
            let role = if revoke {
                OrganisationRole::Member
            } else {
                OrganisationRole::Administrator
            };
            backends
                .people
                .set_organisation(person, Some((organisation.id, role)))
                .await?;
            println!(
                "{email} is now {} of {}",
                role.as_str().to_lowercase(),
                organisation.name
            );
        }
    }
    backends.close_after_writing().await?;
    Ok(())
}

pub async fn person(settings: Settings, action: PersonAction) -> anyhow::Result<()> {
    let backends = connect(&settings).await?;
    match action {
        PersonAction::HubAdmin { email, revoke } => {
            let person = find_person(&backends, &email).await?;
            backends
                .people
                .set_hub_administrator(person, !revoke)
                .await?;
            let verb = if revoke { "is no longer" } else { "is now" };
            println!("{email} {verb} a hub administrator");
        }
    }
    backends.close_after_writing().await?;
    Ok(())
}

async fn connect(settings: &Settings) -> anyhow::Result<Backends> {
    let backends = Backends::connect(settings).await?;
    backends.database.migrate_up(None).await?;
    Ok(backends)
}

async fn find_person(
    backends: &Backends,
    email: &str,
) -> anyhow::Result<khub_domain::person::PersonId> {
    let person = backends
        .people
        .find_by_email(email)
        .await?
        .ok_or_else(|| anyhow::anyhow!("no person with e-mail address `{email}`"))?;
    Ok(person.id)
}
