//! The GraphiQL playground at `GET /graphql` (for browsers), opening on the first steps a
//! newcomer takes: register, confirm the address with the mailed code, ask who they are.

use axum::response::{Html, IntoResponse, Response};

/// What the editor holds the first time it opens (GraphiQL keeps the reader's own text after).
const FIRST_STEPS: &str = r#"# Welcome to Knowledge Hub. First steps (run each operation with the ▶ button):
# 1. Register: the hub mails a six-digit code. With no smtp_url set, the message is an .eml
#    file under data/mail, and the hub's log names its path.
# 2. Confirm your address with that code: you are signed in and get an accessToken.
# 3. Add the header {"Authorization": "Bearer <accessToken>"} (Headers, below) and ask
#    who you are. Demo people (cargo run -- seed --demo) sign in with knowledge-hub-demo.

mutation Register {
  register(input: {email: "you@example.org", password: "lantern orchard quietly humming", displayName: "You", handle: "you"}) {
    email
    codeExpiresAt
    userErrors { field message }
  }
}

mutation ConfirmEmail {
  confirmEmail(input: {email: "you@example.org", code: "000000"}) {
    accessToken
    refreshToken
    person { handle }
    userErrors { field message }
  }
}

mutation SignInAsADemoPerson {
  login(input: {email: "amara.okafor@leeds.gov.uk", password: "knowledge-hub-demo"}) {
    accessToken
    userErrors { message }
  }
}

query WhoAmI {
  viewer { handle displayName organisation { name } }
}
"#;

/// The page: async-graphql's GraphiQL, given the first steps as its default query.
pub fn page() -> Response {
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
