//! Practice rows to domain values and back.

use khub_domain::community::CommunityId;
use khub_domain::moderation::Moderated;
use khub_domain::organisation::OrganisationId;
use khub_domain::person::PersonId;
use khub_domain::practice::{
    Adoption, AdoptionOutcome, Endorsement, EvidenceLink, Practice, PracticeContent, PracticeField,
    PracticeId, PracticeStatus, Promotion, Revision,
};
use khub_domain::slug::Slug;
use khub_domain::{DomainError, DomainResult};
use sea_orm::ActiveValue::Set;
use uuid::Uuid;

use crate::db::entity::{
    practice, practice_adoption as adoption, practice_endorsement as endorsement,
    practice_revision as revision,
};
use crate::error::ResultExt;

pub(super) fn corrupt(what: &str, id: Uuid, value: &str) -> DomainError {
    DomainError::unavailable(
        format!("read {what}"),
        format!("unknown value `{value}` in row {id}"),
    )
}

pub(super) fn to_json<T: serde::Serialize>(value: &T) -> DomainResult<String> {
    serde_json::to_string(value).context("encode practice data")
}

fn from_json<T: serde::de::DeserializeOwned>(raw: &str) -> DomainResult<T> {
    serde_json::from_str(raw).context("decode practice data")
}

/// The row's content columns set from `content` (tags live in their own table).
pub(super) fn set_content(
    row: &mut practice::ActiveModel,
    content: &PracticeContent,
) -> DomainResult<()> {
    row.title = Set(content.title.clone());
    row.summary = Set(content.summary.clone());
    row.context = Set(content.context.clone());
    row.approach = Set(content.approach.clone());
    row.outcomes = Set(content.outcomes.clone());
    row.evidence = Set(to_json(&content.evidence)?);
    row.service_area = Set(content.service_area.clone());
    Ok(())
}

pub(super) fn new_row(practice: &Practice) -> DomainResult<practice::ActiveModel> {
    let mut row = practice::ActiveModel {
        id: Set(practice.id.as_uuid()),
        slug: Set(practice.slug.to_string()),
        author_id: Set(practice.author.as_uuid()),
        organisation_id: Set(practice.organisation.map(|o| o.as_uuid())),
        community_id: Set(practice.community.map(|c| c.as_uuid())),
        status: Set(practice.status.as_str().to_owned()),
        endorsement_count: Set(0),
        adoption_count: Set(0),
        revision: Set(0),
        created_at: Set(practice.created_at),
        updated_at: Set(practice.updated_at),
        published_at: Set(practice.published_at),
        listed_at: Set(practice.created_at),
        promotion: Set(None),
        ..Default::default()
    };
    set_content(&mut row, &practice.content)?;
    Ok(row)
}

pub(super) fn to_practice(row: practice::Model, tags: Vec<String>) -> DomainResult<Practice> {
    let evidence: Vec<EvidenceLink> = from_json(&row.evidence)?;
    let promotion: Option<Promotion> = row.promotion.as_deref().map(from_json).transpose()?;
    Ok(Practice {
        id: PracticeId::from_uuid(row.id),
        slug: Slug::parse("slug", &row.slug)?,
        status: PracticeStatus::parse(&row.status)
            .ok_or_else(|| corrupt("practice status", row.id, &row.status))?,
        content: PracticeContent {
            title: row.title,
            summary: row.summary,
            context: row.context,
            approach: row.approach,
            outcomes: row.outcomes,
            evidence,
            service_area: row.service_area,
            tags,
        },
        author: PersonId::from_uuid(row.author_id),
        organisation: row.organisation_id.map(OrganisationId::from_uuid),
        community: row.community_id.map(CommunityId::from_uuid),
        endorsement_count: u64::try_from(row.endorsement_count).unwrap_or(0),
        adoption_count: u64::try_from(row.adoption_count).unwrap_or(0),
        revision: u32::try_from(row.revision).unwrap_or(0),
        created_at: row.created_at,
        updated_at: row.updated_at,
        published_at: row.published_at,
        promotion,
        hidden: row
            .hidden_reason
            .zip(row.hidden_at)
            .map(|(reason, at)| Moderated { reason, at }),
    })
}

pub(super) fn revision_row(revision: &Revision) -> DomainResult<revision::ActiveModel> {
    let changed: Vec<&str> = revision.changed.iter().map(|f| f.as_str()).collect();
    Ok(revision::ActiveModel {
        practice_id: Set(revision.practice.as_uuid()),
        number: Set(i32::try_from(revision.number).unwrap_or(i32::MAX)),
        editor_id: Set(revision.editor.as_uuid()),
        created_at: Set(revision.created_at),
        changed: Set(changed.join(",")),
        content: Set(to_json(&revision.content)?),
        previous: Set(to_json(&revision.previous)?),
    })
}

pub(super) fn to_revision(row: revision::Model) -> DomainResult<Revision> {
    let changed = row
        .changed
        .split(',')
        .filter(|f| !f.is_empty())
        .map(|f| {
            PracticeField::parse(f).ok_or_else(|| corrupt("revision field", row.practice_id, f))
        })
        .collect::<DomainResult<Vec<_>>>()?;
    Ok(Revision {
        practice: PracticeId::from_uuid(row.practice_id),
        number: u32::try_from(row.number).unwrap_or(0),
        editor: PersonId::from_uuid(row.editor_id),
        created_at: row.created_at,
        changed,
        content: from_json(&row.content)?,
        previous: from_json(&row.previous)?,
    })
}

pub(super) fn to_endorsement(row: endorsement::Model) -> Endorsement {
    Endorsement {
        practice: PracticeId::from_uuid(row.practice_id),
        person: PersonId::from_uuid(row.person_id),
        organisation: row.organisation_id.map(OrganisationId::from_uuid),
        comment: row.comment,
        created_at: row.created_at,
    }
}

pub(super) fn to_adoption(row: adoption::Model) -> DomainResult<Adoption> {
    Ok(Adoption {
        practice: PracticeId::from_uuid(row.practice_id),
        organisation: OrganisationId::from_uuid(row.organisation_id),
        person: PersonId::from_uuid(row.person_id),
        outcome: AdoptionOutcome::parse(&row.outcome)
            .ok_or_else(|| corrupt("adoption outcome", row.practice_id, &row.outcome))?,
        notes: row.notes,
        created_at: row.created_at,
    })
}
