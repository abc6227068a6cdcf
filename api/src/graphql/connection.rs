//! Relay cursor connections: one implementation for every list in the API.
//!
//! A connection type is `Connection<Node>`, named `<Node>Connection`, with `edges`, `nodes`,
//! `pageInfo` and `totalCount`. `totalCount` costs a count query, so it is only computed when the
//! client selects it.

use std::borrow::Cow;

use async_graphql::connection::{CursorType, PageInfo};
use async_graphql::{Context, Object, OutputType, TypeName};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use khub_domain::DomainError;
use khub_domain::pagination::{
    Cursor, CursorValue, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, Page, PageRequest,
};

use super::error::ApiError;

/// One page of a list of `N`, named `<N>Connection`. Written here rather than taken from
/// async-graphql, whose connection types carry no description.
pub struct Connection<N> {
    edges: Vec<Edge<N>>,
    has_previous_page: bool,
    has_next_page: bool,
    total_count: u64,
}

/// One page of a list, with what is needed to fetch the pages beside it (a Relay cursor
/// connection: `first`/`after` forwards, `last`/`before` backwards).
#[Object(name_type)]
impl<N: OutputType> Connection<N> {
    /// Whether there are pages before and after this one, and the cursors to reach them.
    async fn page_info(&self) -> PageInfo {
        PageInfo {
            has_previous_page: self.has_previous_page,
            has_next_page: self.has_next_page,
            start_cursor: self.edges.first().map(|edge| edge.cursor.encode_cursor()),
            end_cursor: self.edges.last().map(|edge| edge.cursor.encode_cursor()),
        }
    }

    /// The items of this page, each with its cursor.
    async fn edges(&self) -> &[Edge<N>] {
        &self.edges
    }

    /// The items of this page.
    async fn nodes(&self) -> Vec<&N> {
        self.edges.iter().map(|edge| &edge.node).collect()
    }

    /// How many items the whole list holds, across all pages.
    async fn total_count(&self) -> u64 {
        self.total_count
    }
}

impl<N: OutputType> TypeName for Connection<N> {
    fn type_name() -> Cow<'static, str> {
        format!("{}Connection", N::type_name()).into()
    }
}

/// One item of a page and its cursor, named `<N>Edge`.
pub struct Edge<N> {
    cursor: OpaqueCursor,
    node: N,
}

/// An item of a page, with the cursor that pages from it.
#[Object(name_type)]
impl<N: OutputType> Edge<N> {
    /// The item.
    async fn node(&self) -> &N {
        &self.node
    }

    /// Where this item stands in the list: pass it as `after` or `before`.
    async fn cursor(&self) -> String {
        self.cursor.encode_cursor()
    }
}

impl<N: OutputType> TypeName for Edge<N> {
    fn type_name() -> Cow<'static, str> {
        format!("{}Edge", N::type_name()).into()
    }
}

/// A domain cursor, opaque on the wire.
pub struct OpaqueCursor(pub Cursor);

impl CursorType for OpaqueCursor {
    type Error = DomainError;

    fn decode_cursor(s: &str) -> Result<Self, Self::Error> {
        let invalid =
            || DomainError::invalid("after", "INVALID_CURSOR", "this cursor is not valid");
        let raw = URL_SAFE_NO_PAD.decode(s).map_err(|_| invalid())?;
        let parts: Vec<String> = serde_json::from_slice(&raw).map_err(|_| invalid())?;
        parts
            .iter()
            .map(|part| decode_value(part).ok_or_else(invalid))
            .collect::<Result<Vec<_>, _>>()
            .map(|values| Self(Cursor(values)))
    }

    fn encode_cursor(&self) -> String {
        let parts: Vec<String> = self.0.0.iter().map(encode_value).collect();
        URL_SAFE_NO_PAD.encode(serde_json::to_vec(&parts).unwrap_or_default())
    }
}

fn encode_value(value: &CursorValue) -> String {
    match value {
        CursorValue::Int(n) => format!("i:{n}"),
        CursorValue::Text(s) => format!("s:{s}"),
        CursorValue::Uuid(u) => format!("u:{}", u.simple()),
        CursorValue::Time(t) => format!("t:{}", t.to_rfc3339()),
    }
}

fn decode_value(part: &str) -> Option<CursorValue> {
    let (tag, value) = part.split_once(':')?;
    match tag {
        "i" => value.parse().ok().map(CursorValue::Int),
        "s" => Some(CursorValue::Text(value.to_owned())),
        "u" => uuid::Uuid::parse_str(value).ok().map(CursorValue::Uuid),
        "t" => chrono::DateTime::parse_from_rfc3339(value)
            .ok()
            .map(|t| CursorValue::Time(t.to_utc())),
        _ => None,
    }
}

/// Relay arguments as the client sent them.
#[derive(Default)]
pub struct PageArgs {
    pub first: Option<i32>,
    pub after: Option<String>,
    pub last: Option<i32>,
    pub before: Option<String>,
}

impl PageArgs {
    pub fn new(
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Self {
        Self {
            first,
            after,
            last,
            before,
        }
    }

    /// Validates the arguments; asks for the total only if `totalCount` is selected.
    pub fn into_request(self, ctx: &Context<'_>) -> Result<PageRequest, ApiError> {
        let decode = |field: &str, raw: Option<String>| {
            raw.map(|s| {
                OpaqueCursor::decode_cursor(&s).map(|c| c.0).map_err(|_| {
                    DomainError::invalid(field, "INVALID_CURSOR", "this cursor is not valid")
                })
            })
            .transpose()
        };
        let after = decode("after", self.after)?;
        let before = decode("before", self.before)?;
        let with_total = ctx.look_ahead().field("totalCount").exists();
        Ok(PageRequest::new(self.first, self.last, after, before)?.with_total(with_total))
    }
}

/// A connection costs its page size times what is selected in each item, so a client cannot
/// ask for a hundred items of a hundred items of a hundred items for the price of one.
pub fn page_complexity(first: Option<i32>, last: Option<i32>, child_complexity: usize) -> usize {
    let size = first
        .or(last)
        .and_then(|n| usize::try_from(n).ok())
        .unwrap_or(DEFAULT_PAGE_SIZE)
        .min(MAX_PAGE_SIZE);
    1 + size.max(1) * child_complexity
}

/// Turns a domain page into a connection, converting each item.
pub fn from_page<T, N: OutputType>(
    page: Page<T>,
    mut convert: impl FnMut(T) -> N,
) -> Connection<N> {
    Connection {
        has_previous_page: page.has_previous_page,
        has_next_page: page.has_next_page,
        total_count: page.total_count.unwrap_or(0),
        edges: page
            .items
            .into_iter()
            .map(|(cursor, item)| Edge {
                cursor: OpaqueCursor(cursor),
                node: convert(item),
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_round_trips_every_kind_of_value() {
        let cursor = Cursor(vec![
            CursorValue::Int(-4),
            CursorValue::Text("a:b".into()),
            CursorValue::Uuid(uuid::Uuid::now_v7()),
            CursorValue::Time(chrono::Utc::now()),
        ]);
        let encoded = OpaqueCursor(cursor.clone()).encode_cursor();
        let decoded = OpaqueCursor::decode_cursor(&encoded).expect("decodes");
        assert_eq!(decoded.0, cursor);
    }

    #[test]
    fn a_forged_cursor_is_refused() {
        assert!(OpaqueCursor::decode_cursor("not-a-cursor").is_err());
        let forged = URL_SAFE_NO_PAD.encode(r#"["x:1"]"#);
        assert!(OpaqueCursor::decode_cursor(&forged).is_err());
    }
}
