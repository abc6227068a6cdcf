//! The practice tables' rows of the scale data set, batched so that every reference is
//! written before what refers to it.

use std::collections::HashSet;

use chrono::{DateTime, Duration, Utc};
use khub_domain::DomainResult;
use khub_domain::practice::{
    PracticeContent, PracticeField, PracticeStatus, Promotion, PromotionReason,
};
use sea_orm::ActiveValue::Set;
use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::Batch;
use super::content::{Generator, write_all};
use crate::db::entity::{practice, practice_endorsement, practice_revision, practice_tag};
use crate::error::ResultExt;

/// One generated practice before it is written.
pub(super) struct Written {
    pub(super) author: usize,
    pub(super) content: PracticeContent,
    pub(super) community: Option<Uuid>,
    pub(super) created: DateTime<Utc>,
    pub(super) draft: bool,
    pub(super) endorsers: Vec<usize>,
}

/// The practice tables' batches, written so that references are always satisfied.
pub(super) struct PracticeBatches {
    practices: Batch<practice::ActiveModel>,
    tags: Vec<practice_tag::ActiveModel>,
    revisions: Vec<practice_revision::ActiveModel>,
    endorsements: Vec<practice_endorsement::ActiveModel>,
}

impl PracticeBatches {
    pub(super) fn new() -> Self {
        Self {
            practices: Batch::new(),
            tags: Vec::new(),
            revisions: Vec::new(),
            endorsements: Vec::new(),
        }
    }

    pub(super) async fn write(
        &mut self,
        db: &impl ConnectionTrait,
        generator: &mut Generator,
        i: usize,
        written: Written,
    ) -> DomainResult<()> {
        let id = generator.dice.uuid();
        let (author, organisation) = generator.people[written.author];
        let other_orgs: HashSet<usize> = written
            .endorsers
            .iter()
            .map(|p| generator.people[*p].1)
            .filter(|o| *o != organisation)
            .collect();
        let published = written.created + Duration::hours(1);
        let status = match (written.draft, other_orgs.len() >= 3) {
            (true, _) => PracticeStatus::Draft,
            (false, true) => PracticeStatus::Promoted,
            (false, false) => PracticeStatus::Published,
        };
        let promotion = (status == PracticeStatus::Promoted)
            .then(|| Promotion {
                at: published + Duration::days(1),
                reason: PromotionReason::Endorsements {
                    organisations: other_orgs.len() as u32,
                    threshold: 3,
                },
            })
            .map(|p| serde_json::to_string(&p))
            .transpose()
            .context("encode promotion")?;
        let content = &written.content;
        let row = practice::ActiveModel {
            id: Set(id),
            slug: Set(format!("scale-practice-{i:06}")),
            title: Set(content.title.clone()),
            summary: Set(content.summary.clone()),
            context: Set(content.context.clone()),
            approach: Set(content.approach.clone()),
            outcomes: Set(content.outcomes.clone()),
            evidence: Set("[]".to_owned()),
            service_area: Set(content.service_area.clone()),
            author_id: Set(author),
            organisation_id: Set(Some(generator.organisations[organisation])),
            community_id: Set(written.community),
            status: Set(status.as_str().to_owned()),
            endorsement_count: Set(written.endorsers.len() as i64),
            adoption_count: Set(0),
            revision: Set(i32::from(!written.draft)),
            created_at: Set(written.created),
            updated_at: Set(written.created),
            published_at: Set((!written.draft).then_some(published)),
            listed_at: Set(if written.draft {
                written.created
            } else {
                published
            }),
            promotion: Set(promotion),
            hidden_reason: Set(None),
            hidden_at: Set(None),
        };
        for tag in &content.tags {
            self.tags.push(practice_tag::ActiveModel {
                practice_id: Set(id),
                tag: Set(tag.clone()),
            });
        }
        if !written.draft {
            self.revisions
                .push(first_revision(id, author, content, published)?);
        }
        for p in &written.endorsers {
            let (person, org) = generator.people[*p];
            self.endorsements.push(practice_endorsement::ActiveModel {
                practice_id: Set(id),
                person_id: Set(person),
                organisation_id: Set(Some(generator.organisations[org])),
                comment: Set("We saw the same problem; this is worth repeating.".to_owned()),
                created_at: Set(published + Duration::hours(2)),
            });
        }
        if self.practices.push(db, row).await? > 0 {
            self.flush_children(db).await?;
        }
        Ok(())
    }

    pub(super) async fn flush(&mut self, db: &impl ConnectionTrait) -> DomainResult<()> {
        self.practices.flush(db).await?;
        self.flush_children(db).await
    }

    /// Rows that refer to practices, once their practices are written.
    async fn flush_children(&mut self, db: &impl ConnectionTrait) -> DomainResult<()> {
        write_all(db, &mut self.tags).await?;
        write_all(db, &mut self.revisions).await?;
        write_all(db, &mut self.endorsements).await
    }
}

fn first_revision(
    practice: Uuid,
    editor: Uuid,
    content: &PracticeContent,
    at: DateTime<Utc>,
) -> DomainResult<practice_revision::ActiveModel> {
    let changed: Vec<&str> = PracticeField::ALL.iter().map(|f| f.as_str()).collect();
    Ok(practice_revision::ActiveModel {
        practice_id: Set(practice),
        number: Set(1),
        editor_id: Set(editor),
        created_at: Set(at),
        changed: Set(changed.join(",")),
        content: Set(serde_json::to_string(content).context("encode revision")?),
        previous: Set("[]".to_owned()),
    })
}
