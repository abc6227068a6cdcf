//! Conversations: threads in communities (optionally about a practice), replies, reactions,
//! accepted answers, and facilitated posting.

mod mentions;
mod model;
mod rules;
mod service;

pub(crate) use mentions::mention_spans;
pub use mentions::mentioned_handles;
pub use model::*;
pub use rules::{can_read_thread, in_scope, needs_approval, post_scope};
pub(crate) use service::content_of;
pub use service::{ConversationPorts, Conversations, ThreadStart, ThreadView};
