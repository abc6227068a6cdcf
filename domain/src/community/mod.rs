//! Communities of practice: who may see them, who belongs, and in what role.

mod bans;
mod grants;
mod membership;
mod model;
mod rules;
mod service;
mod settings;

pub use bans::Exclusion;
pub use model::*;
pub use rules::{can_read_content, can_see};
pub use service::{Badges, Communities, JoinOutcome};
pub use settings::{AskedChanges, CommunityChanges};
