//! `khub seed --demo`: a small, realistic data set for trying the hub. Idempotent: what is
//! already there is kept. Every demo person signs in with the password [`DEMO_PASSWORD`].

use chrono::Utc;
use indicatif::{ProgressBar, ProgressStyle};
use khub_domain::DomainError;
use khub_domain::community::{NewCommunity, PendingKind, Role};
use khub_domain::organisation::NewOrganisation;
use khub_domain::person::{NewPerson, OrganisationRole, PersonId, ProfileChanges};
use khub_domain::ports::PasswordHasher;
use khub_domain::reputation::{Effects, ReputationRules};
use khub_infra::security::Argon2Passwords;
use khub_infra::{Backends, Settings};

use data::{COMMUNITIES, FOLLOWS, ORGANISATIONS, PEOPLE};
pub use partner::DemoToken;
use threads::THREADS;

mod accounts;
mod conversations;
mod data;
mod partner;
mod practices;
pub mod scale;
mod threads;

/// The password of every demo account.
pub const DEMO_PASSWORD: &str = "knowledge-hub-demo";

/// What one run of the demo seed added.
pub struct Seeded {
    pub organisations: usize,
    pub people: usize,
    pub communities: usize,
    pub practices: usize,
    pub threads: usize,
    /// The organisation token, if this run created it.
    pub token: Option<DemoToken>,
}

pub async fn run(settings: Settings) -> anyhow::Result<()> {
    let seeded = seed(&settings).await?;
    let Seeded {
        organisations,
        people,
        communities,
        practices,
        threads,
        ..
    } = &seeded;
    println!(
        "demo data ready: {organisations} organisations, {people} people, {communities} communities, {practices} practices and {threads} threads added; \
         every demo person signs in with the password `{DEMO_PASSWORD}`"
    );
    println!("\n{}", accounts::table());
    match &seeded.token {
        Some(token) => println!(
            "\n{}'s API token \"{}\" (scope `read`; shown this once, send it as `Authorization: Bearer …`):\n\n    {}",
            token.organisation, token.name, token.secret
        ),
        None => println!(
            "\nThe demo organisation's API token was created by an earlier seed, which showed its secret; sign in as its administrator to create another."
        ),
    }
    Ok(())
}

/// Adds whatever of the demo data set is missing.
pub async fn seed(settings: &Settings) -> anyhow::Result<Seeded> {
    let backends = Backends::connect(settings).await?;
    backends.database.migrate_up(None).await?;
    let total = (ORGANISATIONS.len()
        + PEOPLE.len()
        + FOLLOWS.len()
        + COMMUNITIES.len()
        + practices::PRACTICES.len()
        + THREADS.len()
        + 1) as u64;
    let progress = ProgressBar::new(total).with_style(
        ProgressStyle::with_template("{msg:14} [{bar:30}] {pos}/{len}")?.progress_chars("=> "),
    );
    progress.set_message("organisations");
    let organisations = seed_organisations(&backends, &progress).await?;
    progress.set_message("people");
    let people = seed_people(&backends, &progress).await?;
    progress.set_message("follows");
    seed_follows(&backends, &progress).await?;
    progress.set_message("communities");
    let communities = seed_communities(&backends, &settings.reputation, &progress).await?;
    progress.set_message("practices");
    let mut practices = 0;
    for demo in practices::PRACTICES {
        progress.inc(1);
        practices +=
            usize::from(practices::seed_practice(&backends, &settings.reputation, demo).await?);
    }
    progress.set_message("threads");
    let mut threads = 0;
    for demo in THREADS {
        progress.inc(1);
        threads +=
            usize::from(conversations::seed_thread(&backends, &settings.reputation, demo).await?);
    }
    progress.set_message("API token");
    progress.inc(1);
    let token = partner::seed_token(&backends, settings).await?;
    progress.finish_with_message("done");
    backends.close_after_writing().await?;
    Ok(Seeded {
        organisations,
        people,
        communities,
        practices,
        threads,
        token,
    })
}

async fn seed_organisations(backends: &Backends, progress: &ProgressBar) -> anyhow::Result<usize> {
    let mut created = 0;
    for (slug, name, kind, domains) in ORGANISATIONS {
        progress.inc(1);
        if backends.organisations.find_by_slug(slug).await?.is_some() {
            continue;
        }
        let domains: Vec<String> = domains.iter().map(|d| (*d).to_owned()).collect();
        let new = NewOrganisation::parse(slug, name, *kind, &domains)?;
        match backends.organisations.create(&new).await {
            Ok(_) => created += 1,
            // Another seeder got there first.
            Err(DomainError::Invalid(_)) => {}
            Err(other) => return Err(other.into()),
        }
    }
    Ok(created)
}

async fn seed_people(backends: &Backends, progress: &ProgressBar) -> anyhow::Result<usize> {
    let passwords = Argon2Passwords::new()?;
    let password_hash = passwords.hash(DEMO_PASSWORD).await?;
    let mut created = 0;
    for (handle, name, email, job, area, interests, administers) in PEOPLE {
        progress.inc(1);
        if backends.people.find_by_handle(handle).await?.is_some() {
            continue;
        }
        let domain = email.rsplit_once('@').map_or("", |(_, d)| d);
        let organisation = backends.organisations.find_by_domain(domain).await?;
        let person = backends
            .people
            .create(&NewPerson {
                email: (*email).to_owned(),
                handle: (*handle).to_owned(),
                display_name: (*name).to_owned(),
                password_hash: password_hash.clone(),
                organisation_id: organisation.as_ref().map(|o| o.id),
            })
            .await?;
        let profile = ProfileChanges {
            job_title: Some((*job).to_owned()),
            area: Some((*area).to_owned()),
            interests: Some(interests.iter().map(|i| (*i).to_owned()).collect()),
            ..ProfileChanges::default()
        };
        backends
            .people
            .update_profile(person.id, &profile.parse()?)
            .await?;
        if let (Some(org), true) = (organisation, administers) {
            let role = Some((org.id, OrganisationRole::Administrator));
            backends.people.set_organisation(person.id, role).await?;
        }
        created += 1;
    }
    Ok(created)
}

async fn seed_follows(backends: &Backends, progress: &ProgressBar) -> anyhow::Result<()> {
    for (follower, followee) in FOLLOWS {
        progress.inc(1);
        let (Some(a), Some(b)) = (
            id_of(backends, follower).await?,
            id_of(backends, followee).await?,
        ) else {
            continue;
        };
        backends.people.follow(a, b).await?;
    }
    Ok(())
}

async fn seed_communities(
    backends: &Backends,
    rules: &ReputationRules,
    progress: &ProgressBar,
) -> anyhow::Result<usize> {
    let mut created = 0;
    for demo in COMMUNITIES {
        progress.inc(1);
        let Some(owner) = id_of(backends, demo.owner).await? else {
            continue;
        };
        if backends
            .communities
            .find_by_slug(demo.slug)
            .await?
            .is_some()
        {
            continue;
        }
        let new = NewCommunity::parse(
            demo.slug,
            demo.name,
            demo.description,
            demo.visibility,
            demo.mode,
            None,
        )?;
        let community = backends
            .communities
            .create(&new, owner, Utc::now())
            .await?
            .id;
        let badge = |person| rules.facilitating(person, Utc::now());
        backends.reputation.apply(&badge(owner)).await?;
        let people = [
            (demo.facilitators, Role::Facilitator),
            (demo.members, Role::Member),
        ];
        for (handles, role) in people {
            for person in ids_of(backends, handles).await? {
                backends
                    .communities
                    .add_member(community, person, role, Utc::now(), &Effects::default())
                    .await?;
                backends
                    .communities
                    .set_role(community, person, role)
                    .await?;
                if role == Role::Facilitator {
                    backends.reputation.apply(&badge(person)).await?;
                }
            }
        }
        for (handles, kind) in [
            (demo.asking, PendingKind::Request),
            (demo.invited, PendingKind::Invitation),
        ] {
            for person in ids_of(backends, handles).await? {
                backends
                    .communities
                    .add_pending(community, person, kind, Utc::now(), &Effects::default())
                    .await?;
            }
        }
        created += 1;
    }
    Ok(created)
}

async fn ids_of(backends: &Backends, handles: &[&str]) -> anyhow::Result<Vec<PersonId>> {
    let mut ids = Vec::new();
    for handle in handles {
        ids.extend(id_of(backends, handle).await?);
    }
    Ok(ids)
}

async fn id_of(backends: &Backends, handle: &str) -> anyhow::Result<Option<PersonId>> {
    Ok(backends.people.find_by_handle(handle).await?.map(|p| p.id))
}
