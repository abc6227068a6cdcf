//! Feed entries for practices and threads, their authors' names read in one batch.

use std::collections::HashMap;

use super::FeedEntry;
use crate::access::Actor;
use crate::conversation::{Conversations, ThreadView};
use crate::error::DomainResult;
use crate::markdown;
use crate::person::PersonId;
use crate::ports::PersonRepository;
use crate::practice::PracticeView;

/// The longest summary, in characters.
const SUMMARY: usize = 400;

pub(super) async fn of_practices(
    people: &dyn PersonRepository,
    views: Vec<PracticeView>,
) -> DomainResult<Vec<FeedEntry>> {
    let practices: Vec<_> = views.into_iter().map(|view| view.practice).collect();
    let names = names(people, practices.iter().map(|p| p.author)).await?;
    Ok(practices
        .into_iter()
        .map(|practice| FeedEntry {
            key: format!("practice/{}", practice.id.as_uuid()),
            title: practice.content.title.clone(),
            path: format!("/practices/{}", practice.slug.as_str()),
            author: names.get(&practice.author).cloned(),
            updated: practice.updated_at,
            summary: shorten(&practice.content.summary),
        })
        .collect())
}

/// Threads, summarised by their opening posts as `reader` may read them.
pub(super) async fn of_threads(
    conversations: &Conversations,
    people: &dyn PersonRepository,
    reader: &Actor,
    views: Vec<ThreadView>,
) -> DomainResult<Vec<FeedEntry>> {
    let threads: Vec<_> = views.into_iter().map(|view| view.thread).collect();
    let names = names(people, threads.iter().map(|t| t.author)).await?;
    let openings: Vec<_> = threads.iter().map(|t| t.opening_post).collect();
    let bodies: HashMap<_, _> = conversations
        .posts(reader, &openings)
        .await?
        .into_iter()
        .map(|(post, _)| (post.id, post.body))
        .collect();
    Ok(threads
        .into_iter()
        .map(|thread| FeedEntry {
            key: format!("thread/{}", thread.id.as_uuid()),
            path: format!("/threads/{}", thread.id.as_uuid()),
            author: names.get(&thread.author).cloned(),
            updated: thread.last_activity_at,
            summary: bodies
                .get(&thread.opening_post)
                .map(|body| shorten(&markdown::to_plain_text(body)))
                .unwrap_or_default(),
            title: thread.title,
        })
        .collect())
}

/// The display names of these people, read in one batch.
pub(super) async fn names(
    people: &dyn PersonRepository,
    ids: impl Iterator<Item = PersonId>,
) -> DomainResult<HashMap<PersonId, String>> {
    let mut ids: Vec<PersonId> = ids.collect();
    ids.sort_by_key(|id| id.as_uuid());
    ids.dedup();
    let found = people.find_by_ids(&ids).await?;
    Ok(found.into_iter().map(|p| (p.id, p.display_name)).collect())
}

/// At most [`SUMMARY`] characters, cut at a word.
pub(super) fn shorten(text: &str) -> String {
    if text.chars().count() <= SUMMARY {
        return text.to_owned();
    }
    let cut: String = text.chars().take(SUMMARY).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{cut} …")
}
