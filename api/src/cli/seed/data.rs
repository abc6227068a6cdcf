//! The demo data set: organisations, people, communities and who follows whom.

use khub_domain::community::{DiscussionMode, Visibility};
use khub_domain::organisation::OrganisationKind;

/// (slug, name, kind, verified domains)
pub(super) const ORGANISATIONS: &[(&str, &str, OrganisationKind, &[&str])] = &[
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
pub(super) type DemoPerson = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static [&'static str],
    bool,
);

pub(super) const PEOPLE: &[DemoPerson] = &[
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

/// A demo community and who is in it, by handle.
pub(super) struct DemoCommunity {
    pub slug: &'static str,
    pub name: &'static str,
    pub description: &'static str,
    pub visibility: Visibility,
    pub mode: DiscussionMode,
    pub owner: &'static str,
    pub facilitators: &'static [&'static str],
    pub members: &'static [&'static str],
    /// Asked to join and waiting for a facilitator.
    pub asking: &'static [&'static str],
    pub invited: &'static [&'static str],
}

pub(super) const COMMUNITIES: &[DemoCommunity] = &[
    DemoCommunity {
        slug: "homelessness-prevention",
        name: "Homelessness prevention",
        description: "Front-line officers sharing what keeps people in their homes: early help, landlord mediation, duty to refer.",
        visibility: Visibility::Open,
        mode: DiscussionMode::Open,
        owner: "amara",
        facilitators: &["nadia"],
        members: &["priya", "rhys", "kernow-jen"],
        asking: &[],
        invited: &[],
    },
    DemoCommunity {
        slug: "adult-social-care-leaders",
        name: "Adult social care leaders",
        description: "Service leads comparing reablement, home care commissioning and hospital discharge.",
        visibility: Visibility::Restricted,
        mode: DiscussionMode::Open,
        owner: "tom-h",
        facilitators: &["kernow-jen"],
        members: &["sam-c"],
        asking: &["fiona"],
        invited: &[],
    },
    DemoCommunity {
        slug: "safeguarding-practice-review",
        name: "Safeguarding practice review",
        description: "A closed space for practitioners reviewing safeguarding cases and the learning from them.",
        visibility: Visibility::Private,
        mode: DiscussionMode::Open,
        owner: "sam-c",
        facilitators: &["fiona"],
        members: &["rhys"],
        asking: &[],
        invited: &["nadia"],
    },
    DemoCommunity {
        slug: "cost-of-living-response",
        name: "Cost of living response",
        description: "Councils and advice partners weighing up what helps households through the cost-of-living squeeze. Facilitated: members' posts appear once a facilitator approves them.",
        visibility: Visibility::Open,
        mode: DiscussionMode::Facilitated,
        owner: "nadia",
        facilitators: &["rhys"],
        members: &["amara", "priya", "kernow-jen", "fiona", "sam-c"],
        asking: &[],
        invited: &[],
    },
];

/// Who follows whom, by handle.
pub(super) const FOLLOWS: &[(&str, &str)] = &[
    ("priya", "amara"),
    ("tom-h", "amara"),
    ("rhys", "amara"),
    ("amara", "nadia"),
    ("kernow-jen", "tom-h"),
    ("sam-c", "tom-h"),
    ("fiona", "priya"),
    ("nadia", "rhys"),
];
