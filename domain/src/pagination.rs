//! Keyset pagination shared by every list in the hub.
//!
//! A list is read one page at a time from a position ([`Cursor`]) in a stable order, never by
//! offset, so deep pages cost the same as the first and concurrent inserts do not shift them.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::error::DomainError;

/// The most items one page may hold (`first`/`last` at most 100).
pub const MAX_PAGE_SIZE: usize = 100;
/// The page size when the caller gives none.
pub const DEFAULT_PAGE_SIZE: usize = 20;

/// One component of a sort key.
#[derive(Debug, Clone, PartialEq)]
pub enum CursorValue {
    Int(i64),
    Text(String),
    Uuid(Uuid),
    Time(DateTime<Utc>),
}

/// A position in an ordered list: the sort key of one item.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Cursor(pub Vec<CursorValue>);

/// Which end of the list the page is counted from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    /// `first` items after `after`.
    Forward,
    /// `last` items before `before`.
    Backward,
}

/// A validated request for one page.
#[derive(Debug, Clone, PartialEq)]
pub struct PageRequest {
    pub after: Option<Cursor>,
    pub before: Option<Cursor>,
    pub limit: usize,
    pub direction: Direction,
    /// Whether the caller wants the size of the whole list (costs a count query).
    pub with_total: bool,
}

impl PageRequest {
    /// Validates Relay arguments: `first` and `last` are exclusive, 0..=100.
    pub fn new(
        first: Option<i32>,
        last: Option<i32>,
        after: Option<Cursor>,
        before: Option<Cursor>,
    ) -> Result<Self, DomainError> {
        let (limit, direction) = match (first, last) {
            (Some(_), Some(_)) => {
                return Err(DomainError::invalid(
                    "last",
                    "INVALID",
                    "pass either `first` or `last`, not both",
                ));
            }
            (Some(n), None) => (checked_size("first", n)?, Direction::Forward),
            (None, Some(n)) => (checked_size("last", n)?, Direction::Backward),
            (None, None) if before.is_some() && after.is_none() => {
                (DEFAULT_PAGE_SIZE, Direction::Backward)
            }
            (None, None) => (DEFAULT_PAGE_SIZE, Direction::Forward),
        };
        Ok(Self {
            after,
            before,
            limit,
            direction,
            with_total: false,
        })
    }

    /// The first page of `limit` items.
    pub fn first(limit: usize) -> Self {
        Self {
            after: None,
            before: None,
            limit: limit.min(MAX_PAGE_SIZE),
            direction: Direction::Forward,
            with_total: false,
        }
    }

    pub fn with_total(mut self, with_total: bool) -> Self {
        self.with_total = with_total;
        self
    }
}

fn checked_size(field: &str, n: i32) -> Result<usize, DomainError> {
    usize::try_from(n)
        .ok()
        .filter(|n| *n <= MAX_PAGE_SIZE)
        .ok_or_else(|| {
            DomainError::invalid(
                field,
                "OUT_OF_RANGE",
                format!("must be between 0 and {MAX_PAGE_SIZE}"),
            )
        })
}

/// One page of a list, each item with the cursor that points at it.
#[derive(Debug, Clone)]
pub struct Page<T> {
    pub items: Vec<(Cursor, T)>,
    pub has_previous_page: bool,
    pub has_next_page: bool,
    /// The size of the whole list, when it was asked for.
    pub total_count: Option<u64>,
}

impl<T> Page<T> {
    /// A page of an empty list.
    pub fn empty() -> Self {
        Self {
            items: Vec::new(),
            has_previous_page: false,
            has_next_page: false,
            total_count: Some(0),
        }
    }

    /// Builds a page from `limit + 1` fetched rows: the extra row only says there is more.
    /// Rows arrive in list order for both directions.
    pub fn from_overfetch(
        mut rows: Vec<(Cursor, T)>,
        request: &PageRequest,
        total_count: Option<u64>,
    ) -> Self {
        let more = rows.len() > request.limit;
        match request.direction {
            Direction::Forward => {
                rows.truncate(request.limit);
                Self {
                    items: rows,
                    has_previous_page: request.after.is_some(),
                    has_next_page: more,
                    total_count,
                }
            }
            Direction::Backward => {
                if more {
                    rows.drain(..rows.len() - request.limit);
                }
                Self {
                    items: rows,
                    has_previous_page: more,
                    has_next_page: request.before.is_some(),
                    total_count,
                }
            }
        }
    }

    pub fn map<U>(self, f: impl Fn(T) -> U) -> Page<U> {
        Page {
            items: self.items.into_iter().map(|(c, t)| (c, f(t))).collect(),
            has_previous_page: self.has_previous_page,
            has_next_page: self.has_next_page,
            total_count: self.total_count,
        }
    }

    /// Converts each item, dropping those `f` turns into `None` (e.g. no longer visible); the
    /// page keeps its position and flags.
    pub fn filter_map<U>(self, mut f: impl FnMut(T) -> Option<U>) -> Page<U> {
        Page {
            items: self
                .items
                .into_iter()
                .filter_map(|(c, t)| f(t).map(|u| (c, u)))
                .collect(),
            has_previous_page: self.has_previous_page,
            has_next_page: self.has_next_page,
            total_count: self.total_count,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(n: i64) -> Vec<(Cursor, i64)> {
        (0..n)
            .map(|i| (Cursor(vec![CursorValue::Int(i)]), i))
            .collect()
    }

    #[test]
    fn more_than_a_hundred_items_cannot_be_asked_for() {
        assert!(PageRequest::new(Some(101), None, None, None).is_err());
        assert!(PageRequest::new(None, Some(101), None, None).is_err());
        assert!(PageRequest::new(Some(100), None, None, None).is_ok());
    }

    #[test]
    fn first_and_last_together_are_refused() {
        assert!(PageRequest::new(Some(1), Some(1), None, None).is_err());
    }

    #[test]
    fn a_negative_page_size_is_refused() {
        assert!(PageRequest::new(Some(-1), None, None, None).is_err());
    }

    #[test]
    fn an_overfetched_forward_page_says_there_is_a_next_page() {
        let request = PageRequest::new(Some(2), None, None, None).expect("valid request");
        let page = Page::from_overfetch(rows(3), &request, None);
        let values: Vec<i64> = page.items.iter().map(|(_, v)| *v).collect();
        assert_eq!(values, vec![0, 1]);
        assert!(page.has_next_page);
        assert!(!page.has_previous_page);
    }

    #[test]
    fn an_overfetched_backward_page_keeps_the_items_nearest_the_cursor() {
        let before = Some(Cursor(vec![CursorValue::Int(9)]));
        let request = PageRequest::new(None, Some(2), None, before).expect("valid request");
        let page = Page::from_overfetch(rows(3), &request, None);
        let values: Vec<i64> = page.items.iter().map(|(_, v)| *v).collect();
        assert_eq!(values, vec![1, 2]);
        assert!(page.has_previous_page);
        assert!(page.has_next_page);
    }
}
