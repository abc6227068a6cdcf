//! Thread and post rows to domain values and back.

use khub_domain::community::CommunityId;
use khub_domain::conversation::{
    Moderated, Post, PostEdit, PostId, PostStatus, ReactionCounts, Thread, ThreadId, ThreadKind,
};
use khub_domain::person::PersonId;
use khub_domain::practice::PracticeId;
use khub_domain::{DomainError, DomainResult};
use sea_orm::ActiveValue::Set;
use uuid::Uuid;

use crate::db::entity::{post, post_edit, thread};
use crate::error::ResultExt;

fn corrupt(what: &str, id: Uuid, value: &str) -> DomainError {
    DomainError::unavailable(
        format!("read {what}"),
        format!("unknown value `{value}` in row {id}"),
    )
}

fn count(n: i64) -> u32 {
    u32::try_from(n).unwrap_or(0)
}

pub(super) fn thread_row(thread: &Thread) -> thread::ActiveModel {
    thread::ActiveModel {
        id: Set(thread.id.as_uuid()),
        community_id: Set(thread.community.as_uuid()),
        practice_id: Set(thread.practice.map(|p| p.as_uuid())),
        author_id: Set(thread.author.as_uuid()),
        title: Set(thread.title.clone()),
        kind: Set(thread.kind.as_str().to_owned()),
        status: Set(thread.status.as_str().to_owned()),
        pinned: Set(i32::from(thread.pinned)),
        locked: Set(thread.locked),
        opening_post_id: Set(thread.opening_post.as_uuid()),
        accepted_answer_id: Set(None),
        reply_count: Set(0),
        post_count: Set(0),
        last_reply_id: Set(None),
        created_at: Set(thread.created_at),
        last_activity_at: Set(thread.last_activity_at),
    }
}

pub(crate) fn to_thread(row: thread::Model) -> DomainResult<Thread> {
    Ok(Thread {
        id: ThreadId::from_uuid(row.id),
        community: CommunityId::from_uuid(row.community_id),
        practice: row.practice_id.map(PracticeId::from_uuid),
        author: PersonId::from_uuid(row.author_id),
        kind: ThreadKind::parse(&row.kind)
            .ok_or_else(|| corrupt("thread kind", row.id, &row.kind))?,
        status: PostStatus::parse(&row.status)
            .ok_or_else(|| corrupt("thread status", row.id, &row.status))?,
        title: row.title,
        pinned: row.pinned != 0,
        locked: row.locked,
        opening_post: PostId::from_uuid(row.opening_post_id),
        accepted_answer: row.accepted_answer_id.map(PostId::from_uuid),
        reply_count: u64::try_from(row.reply_count).unwrap_or(0),
        last_reply: row.last_reply_id.map(PostId::from_uuid),
        created_at: row.created_at,
        last_activity_at: row.last_activity_at,
    })
}

pub(super) fn post_row(post: &Post) -> DomainResult<post::ActiveModel> {
    let mentions: Vec<Uuid> = post.mentions.iter().map(PersonId::as_uuid).collect();
    Ok(post::ActiveModel {
        id: Set(post.id.as_uuid()),
        thread_id: Set(post.thread.as_uuid()),
        author_id: Set(post.author.as_uuid()),
        body: Set(post.body.clone()),
        reply_to_id: Set(post.reply_to.map(|p| p.as_uuid())),
        position: Set(i64::try_from(post.position).unwrap_or(i64::MAX)),
        status: Set(post.status.as_str().to_owned()),
        mentions: Set(serde_json::to_string(&mentions).context("encode mentions")?),
        like_count: Set(0),
        insightful_count: Set(0),
        helpful_count: Set(0),
        support_count: Set(0),
        created_at: Set(post.created_at),
        edited_at: Set(None),
        edit_count: Set(0),
        deleted_at: Set(None),
        moderation_reason: Set(None),
        moderated_at: Set(None),
    })
}

pub(crate) fn to_post(row: post::Model) -> DomainResult<Post> {
    let mentions: Vec<Uuid> = serde_json::from_str(&row.mentions).context("decode mentions")?;
    Ok(Post {
        id: PostId::from_uuid(row.id),
        thread: ThreadId::from_uuid(row.thread_id),
        author: PersonId::from_uuid(row.author_id),
        reply_to: row.reply_to_id.map(PostId::from_uuid),
        position: u64::try_from(row.position).unwrap_or(0),
        status: PostStatus::parse(&row.status)
            .ok_or_else(|| corrupt("post status", row.id, &row.status))?,
        mentions: mentions.into_iter().map(PersonId::from_uuid).collect(),
        reactions: ReactionCounts {
            like: count(row.like_count),
            insightful: count(row.insightful_count),
            helpful: count(row.helpful_count),
            support: count(row.support_count),
        },
        body: row.body,
        created_at: row.created_at,
        edited_at: row.edited_at,
        edit_count: u32::try_from(row.edit_count).unwrap_or(0),
        deleted_at: row.deleted_at,
        moderation: row
            .moderation_reason
            .zip(row.moderated_at)
            .map(|(reason, at)| Moderated { reason, at }),
    })
}

pub(super) fn to_edit(row: post_edit::Model) -> PostEdit {
    PostEdit {
        post: PostId::from_uuid(row.post_id),
        number: u32::try_from(row.number).unwrap_or(0),
        previous_body: row.previous_body,
        edited_by: PersonId::from_uuid(row.edited_by),
        edited_at: row.edited_at,
    }
}
