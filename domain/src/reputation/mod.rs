//! Reputation: an append-only ledger of points earned by helping others, written in the same
//! transaction as the action that earns them, with totals, badges and leaderboards kept from it.

mod model;
mod rules;
mod service;

pub use model::*;
pub use rules::ReputationRules;
pub use service::{MAX_LEADERBOARD, Reputation};
