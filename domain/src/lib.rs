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
//! - [`organisation`]: councils, public bodies and partners.
//! - [`ports`]: the traits `infra` implements.

pub mod error;
pub mod ids;
pub mod organisation;
pub mod pagination;
pub mod ports;
pub mod slug;

pub use error::{DomainError, DomainResult, FieldError};
