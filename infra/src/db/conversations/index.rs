//! Keeping conversations' search documents in step with their posts, inside the writing
//! transaction.

use khub_domain::conversation::PostId;
use khub_domain::search::SearchDocument;
use khub_domain::{DomainError, DomainResult};
use sea_orm::{ConnectionTrait, EntityTrait};

use super::rows::{to_post, to_thread};
use crate::db::entity::{post, thread};
use crate::db::search::documents;
use crate::error::ResultExt;

/// Rewrites the document a post belongs to, as the post now stands: its thread's for an
/// opening post, its own for a reply.
pub(super) async fn reindex_post(db: &impl ConnectionTrait, id: PostId) -> DomainResult<()> {
    let post = post::Entity::find_by_id(id.as_uuid())
        .one(db)
        .await
        .context("read post to index")?
        .ok_or(DomainError::NotFound)?;
    let thread = thread::Entity::find_by_id(post.thread_id)
        .one(db)
        .await
        .context("read thread to index")?
        .ok_or(DomainError::NotFound)?;
    let (post, thread) = (to_post(post)?, to_thread(thread)?);
    match post.position {
        0 => {
            let document = SearchDocument::of_thread(&thread, &post);
            documents::sync(db, thread.id.as_uuid(), document).await
        }
        _ => {
            let document = SearchDocument::of_reply(&post, thread.community);
            documents::sync(db, post.id.as_uuid(), document).await
        }
    }
}
