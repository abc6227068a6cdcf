//! The Knowledge Hub domain core.
//!
//! This crate holds the words of the product — organisations, people, communities, practices,
//! conversations, reputation — as types and rules, and the *ports* (traits) through which the core
//! reaches the outside world: persistence, the session store and the event bus. It depends on no
//! web framework, database or network crate; `khub-infra` implements the ports and `khub-api`
//! wires them together and speaks GraphQL.
//!
//! Layout:
//! - [`error`]: what the user did wrong ([`error::DomainError`]) kept apart from what broke.
//! - [`pagination`]: keyset page requests and pages, shared by every list.
//! - [`organisation`], [`person`], [`api_token`]: the identity entities.
//! - [`community`]: communities of practice, membership and visibility.
//! - [`conversation`]: threads, replies, reactions, answers, facilitated posting.
//! - [`practice`]: practices worth repeating: revisions, endorsements, promotion, adoptions.
//! - [`reputation`]: the points ledger, badges and leaderboards.
//! - [`events`]: domain events, raised through the event bus for whoever reacts to them.
//! - [`feeds`]: Atom feeds of what people follow.
//! - [`search`]: finding practices, threads, replies, people and communities.
//! - [`markdown`]: what people write, and the sanitised HTML served for it.
//! - [`access`] and [`policy`]: who is acting, and what they may do. Every use case asks
//!   [`policy::authorize`] before it acts.
//! - [`identity`]: registration, sign-in, sessions, API tokens and profiles, as use cases.
//! - [`rate_limit`]: query-cost budgets per token or client; [`token_usage`], each token's use
//!   per day.
//! - [`webhook`]: partners' endpoints told of events, and the log of each delivery.
//! - [`documents`]: which document a request runs: persisted queries and trusted documents.
//! - [`content_version`]: which version of the content is current, for caches of what it shows.
//! - [`ports`]: the traits `infra` implements.

#[macro_use]
mod macros;

pub mod access;
pub mod api_token;
pub mod community;
pub mod content_version;
pub mod conversation;
pub mod documents;
pub mod error;
pub mod events;
pub mod feeds;
pub mod idempotency;
pub mod identity;
pub mod ids;
pub mod markdown;
pub mod moderation;
pub mod notification;
pub mod organisation;
pub mod pagination;
pub mod password;
pub mod person;
pub mod policy;
pub mod ports;
pub mod practice;
pub mod rate_limit;
pub mod reputation;
pub mod search;
pub mod slug;
pub mod token_usage;
mod validation;
pub mod webhook;

pub use error::{DomainError, DomainResult, FieldError};
