//! What a recipient may still read of their notifications, and rows as domain notifications.

use khub_domain::community::CommunityId;
use khub_domain::conversation::{PostId, ThreadId};
use khub_domain::notification::{Notification, NotificationId, NotificationKind, Subject};
use khub_domain::person::PersonId;
use khub_domain::practice::PracticeId;
use khub_domain::reputation::Badge;
use khub_domain::search::SavedSearchId;
use khub_domain::webhook::WebhookId;
use khub_domain::{DomainError, DomainResult};
use sea_orm::sea_query::{Expr, SimpleExpr};
use uuid::Uuid;

use crate::db::entity::notification as row;

/// Who may read a community's content (`community` and `person` are SQL expressions): anyone
/// when it is OPEN, else its members. The SQL twin of `community::rules::can_read_content`,
/// for reads that filter thousands of rows at once.
pub(crate) fn may_read_community(community: &str, person: &str) -> String {
    format!(
        "EXISTS (SELECT 1 FROM communities c WHERE c.id = {community} AND (c.visibility = 'OPEN' \
         OR EXISTS (SELECT 1 FROM community_members m \
         WHERE m.community_id = c.id AND m.person_id = {person})))"
    )
}

/// A notification is shown only while its recipient may read what it is about: its community
/// readable to them (unless it is about their place in it: an invitation, a decision), its
/// post not deleted, its post, thread and practice not hidden from them, its saved search kept.
pub(super) fn readable() -> SimpleExpr {
    let community = may_read_community("notifications.community_id", "notifications.recipient_id");
    let membership: Vec<String> = NotificationKind::ABOUT_MEMBERSHIP
        .iter()
        .map(|kind| format!("'{}'", kind.as_str()))
        .collect();
    // Content not shown to readers (pending, rejected, hidden) is still shown to its author
    // and the community's facilitators.
    let insider = |row: &str| {
        format!(
            "({row}.author_id = notifications.recipient_id OR \
             EXISTS (SELECT 1 FROM community_members f \
             WHERE f.community_id = notifications.community_id \
             AND f.person_id = notifications.recipient_id AND f.role IN ('FACILITATOR', 'OWNER')))"
        )
    };
    let shown = |row: &str| format!("({row}.status = 'APPROVED' OR {})", insider(row));
    Expr::cust(format!(
        "(notifications.community_id IS NULL OR notifications.kind IN ({}) OR {community}) AND \
         (notifications.post_id IS NULL OR EXISTS (SELECT 1 FROM posts p \
         WHERE p.id = notifications.post_id AND p.deleted_at IS NULL AND {})) AND \
         (notifications.thread_id IS NULL OR EXISTS (SELECT 1 FROM threads t \
         WHERE t.id = notifications.thread_id AND {})) AND \
         (notifications.practice_id IS NULL OR EXISTS (SELECT 1 FROM practices h \
         WHERE h.id = notifications.practice_id AND (h.hidden_at IS NULL OR {}))) AND \
         (notifications.saved_search_id IS NULL OR EXISTS (SELECT 1 FROM saved_searches s \
         WHERE s.id = notifications.saved_search_id))",
        membership.join(", "),
        shown("p"),
        shown("t"),
        insider("h"),
    ))
}

/// How a decision to approve is stored in `detail`.
const APPROVED: &str = "APPROVED";
/// How a decision to reject is stored in `detail`.
const REJECTED: &str = "REJECTED";

/// What a notification's `detail` holds for its subject: the webhook, the badge, or the
/// decision.
pub(super) fn detail(subject: &Subject) -> Option<String> {
    if let Some(webhook) = subject.webhook {
        return Some(webhook.to_string());
    }
    match (subject.badge, subject.approved) {
        (Some(badge), _) => Some(badge.as_str().to_owned()),
        (None, Some(true)) => Some(APPROVED.to_owned()),
        (None, Some(false)) => Some(REJECTED.to_owned()),
        (None, None) => None,
    }
}

pub(super) fn to_notification(row: row::Model) -> DomainResult<Notification> {
    let kind = NotificationKind::parse(&row.kind)
        .ok_or_else(|| DomainError::unavailable("read a notification", "unknown kind"))?;
    Ok(Notification {
        id: NotificationId::from_uuid(row.id),
        recipient: PersonId::from_uuid(row.recipient_id),
        kind,
        count: u64::try_from(row.count).unwrap_or(1),
        actor: row.actor_id.map(PersonId::from_uuid),
        subject: Subject {
            community: row.community_id.map(CommunityId::from_uuid),
            thread: row.thread_id.map(ThreadId::from_uuid),
            post: row.post_id.map(PostId::from_uuid),
            practice: row.practice_id.map(PracticeId::from_uuid),
            saved_search: row.saved_search_id.map(SavedSearchId::from_uuid),
            badge: match kind {
                NotificationKind::BadgeAwarded => row.detail.as_deref().and_then(Badge::parse),
                _ => None,
            },
            webhook: match kind {
                NotificationKind::WebhookDisabled => row
                    .detail
                    .as_deref()
                    .and_then(|id| Uuid::parse_str(id).ok())
                    .map(WebhookId::from_uuid),
                _ => None,
            },
            approved: match kind {
                NotificationKind::MembershipDecided => {
                    Some(row.detail.as_deref() == Some(APPROVED))
                }
                _ => None,
            },
        },
        created_at: row.created_at,
        updated_at: row.updated_at,
        read_at: row.read_at,
    })
}
