//! `khub seed --demo`: a small, realistic data set for trying the hub. Idempotent: what is
//! already there is kept. Every demo person signs in with the password [`DEMO_PASSWORD`].

use chrono::Utc;
use indicatif::{ProgressBar, ProgressStyle};
use khub_domain::DomainError;
use khub_domain::community::{DiscussionMode, NewCommunity, PendingKind, Role, Visibility};
use khub_domain::organisation::{NewOrganisation, OrganisationKind};
use khub_domain::person::{NewPerson, OrganisationRole, PersonId, ProfileChanges};
use khub_domain::ports::PasswordHasher;
use khub_domain::reputation::ReputationRules;
use khub_infra::security::Argon2Passwords;
use khub_infra::{Backends, Settings};

mod conversations;
mod practices;
pub mod scale;

/// The password of every demo account.
pub const DEMO_PASSWORD: &str = "knowledge-hub-demo";

/// (slug, name, kind, verified domains)
const ORGANISATIONS: &[(&str, &str, OrganisationKind, &[&str])] = &[
    (
        "leeds-city-council",
        "Leeds City Council",
        OrganisationKind::Council,
        &["leeds.gov.uk"],
    ),
    (
        "manchester-city-council",
        "Manchester City Council",
        OrganisationKind::Council,
        &["manchester.gov.uk"],
    ),
    (
        "bristol-city-council",
        "Bristol City Council",
        OrganisationKind::Council,
        &["bristol.gov.uk"],
    ),
    (
        "cornwall-council",
        "Cornwall Council",
        OrganisationKind::Council,
        &["cornwall.gov.uk"],
    ),
    (
        "london-borough-of-camden",
        "London Borough of Camden",
        OrganisationKind::Council,
        &["camden.gov.uk"],
    ),
    (
        "glasgow-city-council",
        "Glasgow City Council",
        OrganisationKind::Council,
        &["glasgow.gov.uk"],
    ),
    (
        "cardiff-council",
        "Cardiff Council",
        OrganisationKind::Council,
        &["cardiff.gov.uk"],
    ),
    (
        "nhs-england",
        "NHS England",
        OrganisationKind::PublicBody,
        &["england.nhs.uk"],
    ),
    (
        "environment-agency",
        "Environment Agency",
        OrganisationKind::PublicBody,
        &["environment-agency.gov.uk"],
    ),
    (
        "local-government-association",
        "Local Government Association",
        OrganisationKind::PublicBody,
        &["local.gov.uk"],
    ),
    (
        "citizens-advice",
        "Citizens Advice",
        OrganisationKind::Partner,
        &["citizensadvice.org.uk"],
    ),
    (
        "shelter",
        "Shelter",
        OrganisationKind::Partner,
        &["shelter.org.uk"],
    ),
];

/// (handle, display name, e-mail, job title, area, interests, administers their organisation)
type DemoPerson = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static [&'static str],
    bool,
);

const PEOPLE: &[DemoPerson] = &[
    (
        "amara",
        "Amara Okafor",
        "amara.okafor@leeds.gov.uk",
        "Housing options officer",
        "West Yorkshire",
        &["homelessness prevention", "housing"],
        true,
    ),
    (
        "tom-h",
        "Tom Hughes",
        "tom.hughes@manchester.gov.uk",
        "Adult social care lead",
        "Greater Manchester",
        &["adult social care", "reablement"],
        true,
    ),
    (
        "priya",
        "Priya Shah",
        "priya.shah@bristol.gov.uk",
        "Climate emergency officer",
        "West of England",
        &["net zero", "retrofit"],
        false,
    ),
    (
        "kernow-jen",
        "Jen Trelawny",
        "jen.trelawny@cornwall.gov.uk",
        "Community connector",
        "Cornwall",
        &["social prescribing", "rural services"],
        false,
    ),
    (
        "sam-c",
        "Sam Carter",
        "sam.carter@camden.gov.uk",
        "Councillor, cabinet member for health",
        "North London",
        &["health inequalities"],
        false,
    ),
    (
        "fiona",
        "Fiona MacLeod",
        "fiona.macleod@glasgow.gov.uk",
        "Digital inclusion manager",
        "Glasgow",
        &["digital inclusion", "libraries"],
        false,
    ),
    (
        "rhys",
        "Rhys Evans",
        "rhys.evans@cardiff.gov.uk",
        "Policy officer",
        "South Wales",
        &["child poverty", "free school meals"],
        false,
    ),
    (
        "nadia",
        "Nadia Rahman",
        "nadia.rahman@citizensadvice.org.uk",
        "Partnerships manager",
        "England and Wales",
        &["debt advice", "cost of living"],
        true,
    ),
];

/// (slug, name, description, visibility, owner, facilitators, members, asking to join, invited)
type DemoCommunity = (
    &'static str,
    &'static str,
    &'static str,
    Visibility,
    &'static str,
    &'static [&'static str],
    &'static [&'static str],
    &'static [&'static str],
    &'static [&'static str],
);

const COMMUNITIES: &[DemoCommunity] = &[
    (
        "homelessness-prevention",
        "Homelessness prevention",
        "Front-line officers sharing what keeps people in their homes: early help, landlord mediation, duty to refer.",
        Visibility::Open,
        "amara",
        &["nadia"],
        &["priya", "rhys", "kernow-jen"],
        &[],
        &[],
    ),
    (
        "adult-social-care-leaders",
        "Adult social care leaders",
        "Service leads comparing reablement, home care commissioning and hospital discharge.",
        Visibility::Restricted,
        "tom-h",
        &["kernow-jen"],
        &["sam-c"],
        &["fiona"],
        &[],
    ),
    (
        "safeguarding-practice-review",
        "Safeguarding practice review",
        "A closed space for practitioners reviewing safeguarding cases and the learning from them.",
        Visibility::Private,
        "sam-c",
        &["fiona"],
        &["rhys"],
        &[],
        &["nadia"],
    ),
];

/// Who follows whom, by handle.
const FOLLOWS: &[(&str, &str)] = &[
    ("priya", "amara"),
    ("tom-h", "amara"),
    ("rhys", "amara"),
    ("amara", "nadia"),
    ("kernow-jen", "tom-h"),
    ("sam-c", "tom-h"),
    ("fiona", "priya"),
    ("nadia", "rhys"),
];

pub async fn run(settings: Settings) -> anyhow::Result<()> {
    let backends = Backends::connect(&settings).await?;
    backends.database.migrate_up(None).await?;
    let total = (ORGANISATIONS.len()
        + PEOPLE.len()
        + FOLLOWS.len()
        + COMMUNITIES.len()
        + practices::PRACTICES.len()
        + conversations::THREADS.len()) as u64;
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
    for demo in conversations::THREADS {
        progress.inc(1);
        threads +=
            usize::from(conversations::seed_thread(&backends, &settings.reputation, demo).await?);
    }
    progress.finish_with_message("done");
    println!(
        "demo data ready: {organisations} organisations, {people} people, {communities} communities, {practices} practices and {threads} threads added; \
         every demo person signs in with the password `{DEMO_PASSWORD}`"
    );
    backends.close_after_writing().await?;
    Ok(())
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
    for (slug, name, description, visibility, owner, facilitators, members, asking, invited) in
        COMMUNITIES
    {
        progress.inc(1);
        let Some(owner) = id_of(backends, owner).await? else {
            continue;
        };
        if backends.communities.find_by_slug(slug).await?.is_some() {
            continue;
        }
        let new = NewCommunity::parse(
            slug,
            name,
            description,
            *visibility,
            DiscussionMode::Open,
            None,
        )?;
        let community = backends
            .communities
            .create(&new, owner, Utc::now())
            .await?
            .id;
        let badge = |person| rules.facilitating(person, Utc::now());
        backends.reputation.apply(&badge(owner)).await?;
        let people = [(*facilitators, Role::Facilitator), (*members, Role::Member)];
        for (handles, role) in people {
            for person in ids_of(backends, handles).await? {
                backends
                    .communities
                    .add_member(community, person, role, Utc::now())
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
            (*asking, PendingKind::Request),
            (*invited, PendingKind::Invitation),
        ] {
            for person in ids_of(backends, handles).await? {
                backends
                    .communities
                    .add_pending(community, person, kind, Utc::now())
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
