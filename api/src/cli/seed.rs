//! `khub seed --demo`: a small, realistic data set for trying the hub. Idempotent: what is
//! already there is kept.

use std::sync::Arc;

use indicatif::{ProgressBar, ProgressStyle};
use khub_domain::DomainError;
use khub_domain::organisation::{NewOrganisation, OrganisationKind};
use khub_domain::ports::OrganisationRepository;
use khub_infra::{Backends, Settings};

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

pub async fn run(settings: Settings) -> anyhow::Result<()> {
    let backends = Backends::connect(&settings).await?;
    backends.database.migrate_up(None).await?;
    let progress = ProgressBar::new(ORGANISATIONS.len() as u64).with_style(
        ProgressStyle::with_template("{msg:14} [{bar:30}] {pos}/{len}")?.progress_chars("=> "),
    );
    progress.set_message("organisations");
    let created = seed_organisations(backends.organisations.clone(), &progress).await?;
    progress.finish_with_message("organisations");
    println!("demo data ready: {created} organisations added");
    backends.database.close().await;
    Ok(())
}

async fn seed_organisations(
    repo: Arc<dyn OrganisationRepository>,
    progress: &ProgressBar,
) -> anyhow::Result<usize> {
    let mut created = 0;
    for (slug, name, kind, domains) in ORGANISATIONS {
        progress.inc(1);
        if repo.find_by_slug(slug).await?.is_some() {
            continue;
        }
        let domains: Vec<String> = domains.iter().map(|d| (*d).to_owned()).collect();
        let new = NewOrganisation::parse(slug, name, *kind, &domains)?;
        match repo.create(&new).await {
            Ok(_) => created += 1,
            // Another seeder got there first.
            Err(DomainError::Invalid(_)) => {}
            Err(other) => return Err(other.into()),
        }
    }
    Ok(created)
}
