//! Signing up and in through the public API, and operator actions, for tests.

use khub_domain::person::OrganisationRole;
use khub_infra::Backends;
use serde_json::{Value, json};

use crate::TestApp;

/// The password every test person registers with.
pub const DEFAULT_PASSWORD: &str = "correct horse battery staple";

/// Credentials from an `AuthPayload`.
#[derive(Debug, Clone)]
pub struct Session {
    pub access_token: String,
    pub refresh_token: String,
    pub person_id: String,
}

const AUTH_FIELDS: &str =
    "accessToken refreshToken expiresAt person { id handle } userErrors { field message code }";

impl Session {
    /// Reads the credentials from an `AuthPayload`; panics with the payload if there are none.
    pub fn from_payload(payload: &Value) -> Self {
        let text = |field: &str| {
            payload[field]
                .as_str()
                .unwrap_or_else(|| panic!("no {field} in {payload}"))
                .to_owned()
        };
        Self {
            access_token: text("accessToken"),
            refresh_token: text("refreshToken"),
            person_id: payload["person"]["id"]
                .as_str()
                .unwrap_or_default()
                .to_owned(),
        }
    }
}

impl TestApp {
    /// `register` and return its payload.
    pub async fn register_payload(&self, email: &str, handle: &str, password: &str) -> Value {
        let query = "mutation R($input: RegisterInput!) { register(input: $input) { email codeExpiresAt userErrors { field message code } } }";
        let input = json!({ "email": email, "password": password, "displayName": handle, "handle": handle });
        let body = self.graphql(query, json!({ "input": input })).await;
        body["data"]["register"].clone()
    }

    /// `confirmEmail` with `input` (`{email, code}` or `{token}`) and return its payload.
    pub async fn confirm_payload(&self, input: Value) -> Value {
        let query = format!(
            "mutation C($input: ConfirmEmailInput!) {{ confirmEmail(input: $input) {{ {AUTH_FIELDS} }} }}"
        );
        let body = self.graphql(&query, json!({ "input": input })).await;
        body["data"]["confirmEmail"].clone()
    }

    /// Registers someone, confirms their address with the mailed code, and returns their
    /// session.
    pub async fn register(&self, email: &str, handle: &str) -> Session {
        let registered = self.register_payload(email, handle, DEFAULT_PASSWORD).await;
        assert_eq!(registered["userErrors"], json!([]), "{registered}");
        let code = self.last_mail_to(&email.to_lowercase()).await.code();
        let input = json!({ "email": email, "code": code });
        Session::from_payload(&self.confirm_payload(input).await)
    }

    /// `login` and return its payload.
    pub async fn login_payload(&self, email: &str, password: &str) -> Value {
        let query = format!(
            "mutation L($input: LoginInput!) {{ login(input: $input) {{ {AUTH_FIELDS} }} }}"
        );
        let body = self
            .graphql(
                &query,
                json!({ "input": { "email": email, "password": password } }),
            )
            .await;
        body["data"]["login"].clone()
    }

    /// `refreshSession` and return the whole response body.
    pub async fn refresh(&self, refresh_token: &str) -> Value {
        let query = format!(
            "mutation F($input: RefreshSessionInput!) {{ refreshSession(input: $input) {{ {AUTH_FIELDS} }} }}"
        );
        self.graphql(
            &query,
            json!({ "input": { "refreshToken": refresh_token } }),
        )
        .await
    }

    /// Creates an API token with these scopes (e.g. `["READ"]`) and returns its secret and id.
    pub async fn create_api_token(&self, session: &Session, scopes: &[&str]) -> (String, String) {
        let query = "mutation C($input: CreateApiTokenInput!) { createApiToken(input: $input) { secret apiToken { id } userErrors { message } } }";
        let input = json!({ "name": "partner system", "scopes": scopes });
        let body = self
            .graphql_as(&session.access_token, query, json!({ "input": input }))
            .await;
        let payload = &body["data"]["createApiToken"];
        let secret = payload["secret"]
            .as_str()
            .unwrap_or_else(|| panic!("no secret in {body}"));
        (
            secret.to_owned(),
            payload["apiToken"]["id"]
                .as_str()
                .unwrap_or_default()
                .to_owned(),
        )
    }

    /// Operator action (as `khub org admin`): make the person an administrator of the organisation.
    pub async fn make_organisation_administrator(&self, email: &str, slug: &str) {
        self.set_organisation_role(email, slug, OrganisationRole::Administrator)
            .await;
    }

    /// Operator action (as `khub org admin [--revoke]`): the person's role in the organisation.
    pub async fn set_organisation_role(&self, email: &str, slug: &str, role: OrganisationRole) {
        let backends = Backends::connect(self.settings()).await.expect("backends");
        let person = backends
            .people
            .find_by_email(email)
            .await
            .expect("lookup")
            .expect("person");
        let org = backends
            .organisations
            .find_by_slug(slug)
            .await
            .expect("lookup")
            .expect("organisation");
        let role = Some((org.id, role));
        backends
            .people
            .set_organisation(person.id, role)
            .await
            .expect("role set");
        backends.close_after_writing().await.expect("close");
    }

    /// Operator action (as `khub person hub-admin`).
    pub async fn make_hub_administrator(&self, email: &str) {
        let backends = Backends::connect(self.settings()).await.expect("backends");
        let person = backends
            .people
            .find_by_email(email)
            .await
            .expect("lookup")
            .expect("person");
        backends
            .people
            .set_hub_administrator(person.id, true)
            .await
            .expect("role set");
        backends.close_after_writing().await.expect("close");
    }

    /// The secret access tokens are signed with.
    pub fn jwt_secret(&self) -> String {
        self.settings()
            .jwt_secret
            .clone()
            .expect("tests set a JWT secret")
    }
}

impl TestApp {
    /// Creates a community as `owner` and returns its global id.
    pub async fn create_community(&self, owner: &Session, slug: &str, visibility: &str) -> String {
        let query = "mutation C($input: CreateCommunityInput!) { createCommunity(input: $input) { community { id } userErrors { field message } } }";
        let input = json!({ "name": slug, "slug": slug, "visibility": visibility });
        let body = self
            .graphql_as(&owner.access_token, query, json!({ "input": input }))
            .await;
        body["data"]["createCommunity"]["community"]["id"]
            .as_str()
            .unwrap_or_else(|| panic!("community not created: {body}"))
            .to_owned()
    }

    /// Runs a community mutation taking `{ communityId, personId? … }` and returns its payload
    /// (or the whole body when it failed outright).
    pub async fn community_mutation(&self, actor: &Session, mutation: &str, input: Value) -> Value {
        self.mutate(actor, mutation, input, "").await
    }

    /// Runs `mutation(input:)` as `actor`, selecting `selection` and the user errors; returns
    /// the payload, or the whole response when the mutation failed outright.
    pub async fn mutate(
        &self,
        actor: &Session,
        mutation: &str,
        input: Value,
        selection: &str,
    ) -> Value {
        let query = format!(
            "mutation M($input: {input_type}!) {{ {mutation}(input: $input) {{ {selection} userErrors {{ field code message }} }} }}",
            input_type = input_type(mutation),
        );
        let body = self
            .graphql_as(&actor.access_token, &query, json!({ "input": input }))
            .await;
        match body["data"][mutation].is_null() {
            true => body,
            false => body["data"][mutation].clone(),
        }
    }
}

fn input_type(mutation: &str) -> String {
    let mut chars = mutation.chars();
    let first = chars
        .next()
        .map(|c| c.to_ascii_uppercase())
        .unwrap_or_default();
    format!("{first}{}Input", chars.as_str())
}
