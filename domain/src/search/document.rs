//! What the search index holds for each item, and which items it holds at all: only what some
//! reader could find. Drafts, posts awaiting approval and deleted posts have no document (the
//! adapters remove it), so they never reach hits, counts, facets or snippets; community
//! visibility is applied when searching, so a change of membership needs no re-indexing.

use chrono::{DateTime, Utc};

use super::model::{MARK_END, MARK_START, SearchKind};
use crate::community::{Community, CommunityId};
use crate::conversation::{Post, PostStatus, Thread};
use crate::markdown;
use crate::organisation::OrganisationId;
use crate::person::{Person, PersonId};
use crate::practice::{Practice, PracticeStatus};

/// One item's searchable text and the facts searches filter on.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchDocument {
    pub id: uuid::Uuid,
    pub kind: SearchKind,
    /// For a community, itself; for content, where it was written.
    pub community: Option<CommunityId>,
    pub author: Option<PersonId>,
    /// A practice's organisation (fixed when it was written). People's organisations and
    /// authors' are looked up when searching, so they need no re-indexing when they change.
    pub organisation: Option<OrganisationId>,
    pub practice_status: Option<PracticeStatus>,
    pub service_area: Option<String>,
    /// Ranks a little higher.
    pub promoted: bool,
    pub title: String,
    pub summary: String,
    pub body: String,
    pub keywords: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl SearchDocument {
    /// A practice past draft.
    pub fn of_practice(practice: &Practice) -> Option<Self> {
        if practice.status == PracticeStatus::Draft || practice.hidden.is_some() {
            return None;
        }
        let content = &practice.content;
        let mut body = [&content.context, &content.approach, &content.outcomes]
            .map(|text| markdown::to_plain_text(text))
            .join("\n\n");
        for link in &content.evidence {
            body.push_str("\n\n");
            body.push_str(&link.title);
        }
        let mut keywords = content.tags.join(" ");
        if let Some(area) = &content.service_area {
            keywords.push(' ');
            keywords.push_str(area);
        }
        Some(Self {
            id: practice.id.as_uuid(),
            kind: SearchKind::Practice,
            community: practice.community,
            author: Some(practice.author),
            organisation: practice.organisation,
            practice_status: Some(practice.status),
            service_area: content.service_area.clone(),
            promoted: practice.status == PracticeStatus::Promoted,
            title: clean(&content.title),
            summary: clean(&content.summary),
            body: clean(&body),
            keywords: clean(&keywords),
            created_at: practice.published_at.unwrap_or(practice.created_at),
            updated_at: practice.updated_at,
        })
    }

    /// An approved thread, with its opening post as its body.
    pub fn of_thread(thread: &Thread, opening: &Post) -> Option<Self> {
        if thread.status != PostStatus::Approved || opening.deleted_at.is_some() {
            return None;
        }
        let written = Written {
            id: thread.id.as_uuid(),
            kind: SearchKind::Thread,
            community: thread.community,
            author: thread.author,
            body: &opening.body,
            created_at: thread.created_at,
            edited_at: opening.edited_at,
        };
        Some(Self {
            title: clean(&thread.title),
            ..written.document()
        })
    }

    /// An approved reply that has not been deleted, in its thread's community.
    pub fn of_reply(reply: &Post, community: CommunityId) -> Option<Self> {
        if reply.status != PostStatus::Approved || reply.deleted_at.is_some() {
            return None;
        }
        let written = Written {
            id: reply.id.as_uuid(),
            kind: SearchKind::Post,
            community,
            author: reply.author,
            body: &reply.body,
            created_at: reply.created_at,
            edited_at: reply.edited_at,
        };
        Some(written.document())
    }

    /// A person, by name, job title, area, interests and handle; an organisation's service
    /// identity is found as its organisation instead.
    pub fn of_person(person: &Person) -> Option<Self> {
        if person.service {
            return None;
        }
        let mut about: Vec<&str> = person.area.iter().map(String::as_str).collect();
        about.extend(person.interests.iter().map(String::as_str));
        about.extend(person.bio.iter().map(String::as_str));
        Some(Self {
            id: person.id.as_uuid(),
            kind: SearchKind::Person,
            community: None,
            author: None,
            organisation: None,
            practice_status: None,
            service_area: None,
            promoted: false,
            title: clean(&person.display_name),
            summary: clean(person.job_title.as_deref().unwrap_or_default()),
            body: clean(&about.join("\n")),
            keywords: clean(&person.handle),
            created_at: person.created_at,
            updated_at: person.created_at,
        })
    }

    /// A community, by name, description and slug.
    pub fn of_community(community: &Community) -> Self {
        Self {
            id: community.id.as_uuid(),
            kind: SearchKind::Community,
            community: Some(community.id),
            author: None,
            organisation: None,
            practice_status: None,
            service_area: None,
            promoted: false,
            title: clean(&community.name),
            summary: clean(&community.description),
            body: String::new(),
            keywords: clean(community.slug.as_str()),
            created_at: community.created_at,
            updated_at: community.created_at,
        }
    }
}

/// A post as written in a community: a reply's document, or a thread's before its title.
struct Written<'a> {
    id: uuid::Uuid,
    kind: SearchKind,
    community: CommunityId,
    author: PersonId,
    body: &'a str,
    created_at: DateTime<Utc>,
    edited_at: Option<DateTime<Utc>>,
}

impl Written<'_> {
    fn document(&self) -> SearchDocument {
        SearchDocument {
            id: self.id,
            kind: self.kind,
            community: Some(self.community),
            author: Some(self.author),
            organisation: None,
            practice_status: None,
            service_area: None,
            promoted: false,
            title: String::new(),
            summary: String::new(),
            body: clean(&markdown::to_plain_text(self.body)),
            keywords: String::new(),
            created_at: self.created_at,
            updated_at: self.edited_at.unwrap_or(self.created_at),
        }
    }
}

/// Drops the characters that mark matches in snippets, so text cannot fake a highlight.
fn clean(text: &str) -> String {
    text.chars()
        .filter(|c| *c != MARK_START && *c != MARK_END)
        .collect()
}
