//! Demo practices: one promoted by endorsements from three other organisations, adopted
//! elsewhere and revised since it was published (so it has a diff), one for a RESTRICTED
//! community's members, one adopted without a community, and one draft. The published ones
//! link to their evidence.

use chrono::Utc;
use khub_domain::community::DEFAULT_PROMOTION_THRESHOLD;
use khub_domain::person::Person;
use khub_domain::practice::{
    Adoption, AdoptionOutcome, Endorsement, EvidenceLink, Practice, PracticeChanges,
    PracticeContent, PracticeId, PracticeStatus, PromotionRule,
};
use khub_domain::reputation::ReputationRules;
use khub_domain::slug::Slug;
use khub_infra::Backends;

/// A demo practice and what peers did with it.
pub(super) struct DemoPractice {
    pub slug: &'static str,
    pub title: &'static str,
    pub summary: &'static str,
    pub context: &'static str,
    pub approach: &'static str,
    pub outcomes: &'static str,
    pub service_area: &'static str,
    pub tags: &'static [&'static str],
    /// (title, url)
    pub evidence: &'static [(&'static str, &'static str)],
    /// Outcomes as the author updated them after publishing, kept as revision 2.
    pub revised_outcomes: Option<&'static str>,
    pub author: &'static str,
    pub community: Option<&'static str>,
    pub published: bool,
    /// (handle, comment)
    pub endorsements: &'static [(&'static str, &'static str)],
    /// (handle recording for their organisation, outcome, notes)
    pub adoptions: &'static [(&'static str, AdoptionOutcome, &'static str)],
}

pub(super) const PRACTICES: &[DemoPractice] = &[
    DemoPractice {
        slug: "landlord-mediation-before-notice",
        title: "Landlord mediation before notice is served",
        summary: "Officers call private landlords within two days of a tenant asking for help, before any notice is served.",
        context: "Most private-rented homelessness started with a section 21 notice that **nobody saw coming**: by the time tenants asked for help the notice had expired.",
        approach: "- A named officer calls the landlord within two working days\n- Arrears are checked against the Household Support Fund\n- Repairs disputes go to environmental health the same week",
        outcomes: "Notices served fell by a third across the pilot wards; 140 households stayed in their homes in the first year.",
        service_area: "Housing",
        tags: &["homelessness-prevention", "private-rented-sector"],
        evidence: &[
            (
                "Statutory homelessness statistics (DLUHC)",
                "https://www.gov.uk/government/collections/homelessness-statistics",
            ),
            (
                "Homelessness code of guidance: duty to refer",
                "https://www.gov.uk/guidance/homelessness-code-of-guidance-for-local-authorities",
            ),
        ],
        revised_outcomes: Some(
            "Notices served fell by a third across the pilot wards; 140 households stayed in their homes in the first year, and 310 by the end of the second.\n\nThe service now covers every ward.",
        ),
        author: "amara",
        community: Some("homelessness-prevention"),
        published: true,
        endorsements: &[
            (
                "priya",
                "We see the same pattern in Bristol: the call is what matters.",
            ),
            (
                "rhys",
                "Cardiff tried this in two wards with the same result.",
            ),
            (
                "nadia",
                "Our advisers refer into exactly this kind of service.",
            ),
        ],
        adoptions: &[(
            "rhys",
            AdoptionOutcome::Successful,
            "Rolled out in **two wards**; we added a Welsh-language script.",
        )],
    },
    DemoPractice {
        slug: "home-first-discharge",
        title: "Home first: assessing people at home after hospital",
        summary: "People leave hospital to their own home with reablement and are assessed there, not on the ward.",
        context: "Patients waited days on wards for an assessment of needs that only showed at home.",
        approach: "Reablement workers meet the patient at home on the day of discharge; the assessment happens over the first week.",
        outcomes: "Average delayed discharge fell from 6 to 2 days; fewer people moved into long-term care.",
        service_area: "Adult social care",
        tags: &["hospital-discharge", "reablement"],
        evidence: &[(
            "Hospital discharge and community support guidance",
            "https://www.gov.uk/government/publications/hospital-discharge-service-guidance",
        )],
        revised_outcomes: None,
        author: "tom-h",
        community: Some("adult-social-care-leaders"),
        published: true,
        endorsements: &[(
            "kernow-jen",
            "Works in rural areas too, with longer travel times.",
        )],
        adoptions: &[],
    },
    DemoPractice {
        slug: "library-digital-champions",
        title: "Digital champions in every library",
        summary: "Volunteers in each library help residents get online for benefits, health and school.",
        context: "Residents without skills or devices could not claim benefits or book appointments.",
        approach: "Each library hosts trained volunteer champions two afternoons a week, with devices to lend.",
        outcomes: "2,300 residents helped in the first year; most now claim online on their own.",
        service_area: "Libraries",
        tags: &["digital-inclusion", "libraries"],
        evidence: &[(
            "Good Things Foundation: digital inclusion research",
            "https://www.goodthingsfoundation.org/policy-and-research/",
        )],
        revised_outcomes: None,
        author: "fiona",
        community: None,
        published: true,
        endorsements: &[],
        adoptions: &[(
            "kernow-jen",
            AdoptionOutcome::InProgress,
            "Started in three market-town libraries.",
        )],
    },
    DemoPractice {
        slug: "street-by-street-retrofit",
        title: "Street-by-street retrofit",
        summary: "",
        context: "",
        approach: "",
        outcomes: "",
        service_area: "Climate",
        tags: &["retrofit", "net-zero"],
        evidence: &[],
        revised_outcomes: None,
        author: "priya",
        community: None,
        published: false,
        endorsements: &[],
        adoptions: &[],
    },
];

/// Stores one demo practice unless it is there already; true if it was added.
pub(super) async fn seed_practice(
    backends: &Backends,
    rules: &ReputationRules,
    demo: &DemoPractice,
) -> anyhow::Result<bool> {
    if backends.practices.find_by_slug(demo.slug).await?.is_some() {
        return Ok(false);
    }
    let Some(author) = backends.people.find_by_handle(demo.author).await? else {
        return Ok(false);
    };
    let community = match demo.community {
        Some(slug) => backends.communities.find_by_slug(slug).await?,
        None => None,
    };
    let practice = draft(demo, &author, community.as_ref().map(|c| c.id))?;
    backends.practices.create(&practice).await?;
    if !demo.published {
        return Ok(true);
    }
    backends
        .practices
        .publish(
            practice.id,
            author.id,
            Utc::now(),
            &rules.published(&practice, Utc::now()),
        )
        .await?;
    if let Some(outcomes) = demo.revised_outcomes {
        let changes = PracticeChanges {
            outcomes: Some(outcomes.to_owned()),
            ..PracticeChanges::default()
        };
        backends
            .practices
            .edit(practice.id, &changes.parse()?, author.id, Utc::now())
            .await?;
    }
    let rule = PromotionRule {
        threshold: community.map_or(DEFAULT_PROMOTION_THRESHOLD, |c| c.promotion_threshold),
        author_organisation: practice.organisation,
    };
    for (handle, comment) in demo.endorsements {
        if let Some(person) = backends.people.find_by_handle(handle).await? {
            let endorsement = Endorsement {
                practice: practice.id,
                person: person.id,
                organisation: person.organisation.map(|(org, _)| org),
                comment: (*comment).to_owned(),
                created_at: Utc::now(),
            };
            let on_endorsed = rules.endorsed(&practice, &endorsement);
            let on_promoted = rules.promoted(&practice, endorsement.created_at);
            backends
                .practices
                .endorse(&endorsement, rule, &on_endorsed, &on_promoted)
                .await?;
        }
    }
    for (handle, outcome, notes) in demo.adoptions {
        let person = backends.people.find_by_handle(handle).await?;
        if let Some((person, (organisation, _))) =
            person.and_then(|p| p.organisation.map(|o| (p, o)))
        {
            let adoption = Adoption {
                practice: practice.id,
                organisation,
                person: person.id,
                outcome: *outcome,
                notes: (*notes).to_owned(),
                created_at: Utc::now(),
            };
            let effects = rules.adopted(&practice, &adoption);
            backends.practices.adopt(&adoption, &effects).await?;
        }
    }
    Ok(true)
}

fn draft(
    demo: &DemoPractice,
    author: &Person,
    community: Option<khub_domain::community::CommunityId>,
) -> anyhow::Result<Practice> {
    let changes = PracticeChanges {
        title: Some(demo.title.to_owned()),
        summary: Some(demo.summary.to_owned()),
        context: Some(demo.context.to_owned()),
        approach: Some(demo.approach.to_owned()),
        outcomes: Some(demo.outcomes.to_owned()),
        evidence: Some(
            demo.evidence
                .iter()
                .map(|(title, url)| EvidenceLink {
                    title: (*title).to_owned(),
                    url: (*url).to_owned(),
                })
                .collect(),
        ),
        service_area: Some(Some(demo.service_area.to_owned())),
        tags: Some(demo.tags.iter().map(|t| (*t).to_owned()).collect()),
    };
    let now = Utc::now();
    Ok(Practice {
        id: PracticeId::generate(),
        // A fixed slug, so seeding again finds it.
        slug: Slug::parse("slug", demo.slug)?,
        content: PracticeContent::from_changes(&changes.parse()?)?,
        author: author.id,
        organisation: author.organisation.map(|(org, _)| org),
        community,
        status: PracticeStatus::Draft,
        endorsement_count: 0,
        adoption_count: 0,
        revision: 0,
        created_at: now,
        updated_at: now,
        published_at: None,
        promotion: None,
        hidden: None,
    })
}
