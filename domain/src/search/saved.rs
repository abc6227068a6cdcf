//! Saved searches: what a person keeps listening for. New matches are what the search finds
//! now, for them, created since they last looked.

use chrono::{DateTime, Utc};

use super::model::SearchFilter;
use super::query::SearchQuery;
use crate::error::DomainError;
use crate::person::PersonId;

crate::entity_id!(
    /// Identifies a saved search.
    SavedSearchId
);

/// The most searches one person may keep.
pub const MAX_SAVED_SEARCHES: u64 = 50;

/// A saved search's name: 1 to 100 characters, trimmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchName(String);

impl SearchName {
    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        let name = raw.trim();
        match (1..=100).contains(&name.chars().count()) {
            true => Ok(Self(name.to_owned())),
            false => Err(DomainError::invalid(
                "name",
                "LENGTH",
                "must be 1 to 100 characters",
            )),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A search as typed, checked: the text kept for showing and editing, the parsed query for
/// running.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedQuery {
    text: String,
    query: SearchQuery,
}

impl SavedQuery {
    pub fn parse(text: &str) -> Result<Self, DomainError> {
        Ok(Self {
            query: SearchQuery::parse(text)?,
            text: text.trim().to_owned(),
        })
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn query(&self) -> &SearchQuery {
        &self.query
    }
}

/// A kept search.
#[derive(Debug, Clone, PartialEq)]
pub struct SavedSearch {
    pub id: SavedSearchId,
    pub owner: PersonId,
    pub name: SearchName,
    pub query: SavedQuery,
    pub filter: SearchFilter,
    pub created_at: DateTime<Utc>,
    /// When its owner last looked at its matches: newer ones are new.
    pub seen_at: DateTime<Utc>,
}

impl SavedSearch {
    /// Its filter narrowed to what was created since its owner last looked.
    pub fn new_matches_filter(&self) -> SearchFilter {
        SearchFilter {
            created_after: Some(self.seen_at),
            ..self.filter.clone()
        }
    }
}

/// What an update changes; `None` keeps the field.
#[derive(Debug, Clone, Default)]
pub struct SavedSearchChanges {
    pub name: Option<SearchName>,
    pub query: Option<SavedQuery>,
    pub filter: Option<SearchFilter>,
}
