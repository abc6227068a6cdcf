//! The values a person is described with: who stands behind them, their role in their
//! organisation, and how a list of people is narrowed.

use async_graphql::{Enum, InputObject};
use khub_domain::person as domain;

/// Who stands behind a person.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum PersonKind {
    /// Someone who joined the hub and proved their address.
    Practitioner,
    /// An organisation's service identity: its API tokens act as it, and what they write is
    /// shown as the organisation's (its display name is the organisation's name).
    Service,
}

/// A person's role in their organisation.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum OrganisationRole {
    /// Works there.
    Member,
    /// Manages the organisation's API tokens.
    Administrator,
}

impl From<domain::OrganisationRole> for OrganisationRole {
    fn from(role: domain::OrganisationRole) -> Self {
        match role {
            domain::OrganisationRole::Member => Self::Member,
            domain::OrganisationRole::Administrator => Self::Administrator,
        }
    }
}

/// Narrows a list of people.
#[derive(InputObject, Default)]
pub struct PersonFilter {
    /// Text to find within the display name or handle, case-insensitively.
    pub text: Option<String>,
    /// Only people of the organisation with this slug.
    pub organisation_slug: Option<String>,
}
