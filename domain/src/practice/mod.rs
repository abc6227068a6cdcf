//! Practices worth repeating: stories of practice, their revisions, endorsements, promotion and
//! adoptions.

mod content;
mod diff;
mod model;
mod rules;
mod service;
mod slug;

pub use content::{EvidenceLink, PracticeChanges, PracticeContent, PracticeField};
pub use diff::{FieldDiff, diff};
pub use model::*;
pub use rules::{can_archive, can_read};
pub(crate) use service::moderation_log;
pub use service::{PracticeView, Practices};
