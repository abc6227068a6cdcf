//! The GraphiQL playground at `GET /graphql` (for browsers), opening on the first steps a
//! newcomer takes: register, confirm the address with the mailed code, ask who they are.

use axum::body::Bytes;
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};

use super::web::{WebBuild, harden};

/// Which playground `GET /graphql` shows a browser.
#[derive(Clone, Debug)]
pub enum Playground {
    Off,
    /// async-graphql's page, which loads GraphiQL and React from a public CDN.
    FromCdn,
    /// The web build's GraphiQL with its explorer, from the hub's own origin (read once, at
    /// start; `Bytes` clone without copying).
    Bundled(Bytes),
}

impl Playground {
    pub fn new(enabled: bool, web: Option<&WebBuild>) -> Self {
        match (enabled, web.and_then(WebBuild::playground_page)) {
            (false, _) => Self::Off,
            (true, Some(page)) => Self::Bundled(Bytes::from(page)),
            (true, None) => Self::FromCdn,
        }
    }

    pub fn enabled(&self) -> bool {
        !matches!(self, Self::Off)
    }

    pub fn page(&self) -> Response {
        match self {
            Self::Bundled(page) => {
                let mut response = (
                    [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
                    page.clone(),
                )
                    .into_response();
                harden(response.headers_mut());
                response
            }
            _ => page(),
        }
    }
}

/// What the editor holds the first time it opens (GraphiQL keeps the reader's own text after);
/// the bundled playground in web/ opens on the same file.
const FIRST_STEPS: &str = include_str!("../../../web/playground/first-steps.graphql");

/// The page: async-graphql's GraphiQL, given the first steps as its default query.
fn page() -> Response {
    let page = async_graphql::http::GraphiQLSource::build()
        .endpoint("/graphql")
        .subscription_endpoint("/graphql/ws")
        .title("Knowledge Hub")
        .finish();
    Html(with_default_query(&page)).into_response()
}

/// The builder has no setting for GraphiQL's `defaultQuery` prop: it is added beside a prop
/// the template always sets. Should a new template drop that prop, the page still works and
/// opens empty (a test says so).
fn with_default_query(page: &str) -> String {
    let query = serde_json::to_string(FIRST_STEPS).unwrap_or_default();
    page.replacen(
        "defaultEditorToolsVisibility: true,",
        &format!("defaultEditorToolsVisibility: true, defaultQuery: {query},"),
        1,
    )
}

#[cfg(test)]
mod tests {
    use super::{FIRST_STEPS, with_default_query};

    #[test]
    fn the_playground_opens_on_the_first_steps() {
        let page = async_graphql::http::GraphiQLSource::build()
            .endpoint("/graphql")
            .finish();
        let page = with_default_query(&page);
        let expected = serde_json::to_string(FIRST_STEPS).expect("json");
        assert!(
            page.contains(&format!("defaultQuery: {expected},")),
            "the template changed"
        );
        assert!(FIRST_STEPS.contains("confirmEmail(input:"));
    }
}
