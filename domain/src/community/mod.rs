//! Communities of practice: who may see them, who belongs, and in what role.

mod grants;
mod membership;
mod model;
mod rules;
mod service;

pub use model::*;
pub use rules::{can_read_content, can_see};
pub use service::{Badges, Communities, JoinOutcome};
