//! Who may read and post what in a conversation. Every path applies these.

use super::model::{Post, PostScope, PostStatus, Thread, ThreadKind};
use crate::community::{Community, DiscussionMode, Role, Standing, can_read_content};
use crate::person::PersonId;

/// Whether `reader` may read the thread: its community's content, and, while the thread
/// awaits approval, only as its author or a facilitator.
pub fn can_read_thread(
    thread: &Thread,
    reader: Option<PersonId>,
    community: &Community,
    standing: &Standing,
) -> bool {
    can_read_content(community, standing)
        && (thread.status == PostStatus::Approved
            || reader == Some(thread.author)
            || standing.at_least(Role::Facilitator))
}

/// Which posts of a readable thread `reader` sees.
pub fn post_scope(reader: Option<PersonId>, standing: &Standing) -> PostScope {
    if standing.at_least(Role::Facilitator) {
        PostScope::All
    } else {
        PostScope::ApprovedOr(reader)
    }
}

/// Whether a post of a readable thread is within `scope`.
pub fn in_scope(post: &Post, scope: PostScope) -> bool {
    match scope {
        PostScope::All => true,
        PostScope::ApprovedOr(reader) => {
            post.status == PostStatus::Approved || reader == Some(post.author)
        }
    }
}

/// Whether a post by someone of `standing` waits for a facilitator: in FACILITATED communities
/// and DEBATE threads, members' posts do.
pub fn needs_approval(community: &Community, kind: ThreadKind, standing: &Standing) -> bool {
    let facilitated =
        community.discussion_mode == DiscussionMode::Facilitated || kind == ThreadKind::Debate;
    facilitated && !standing.at_least(Role::Facilitator)
}
