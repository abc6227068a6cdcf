//! API tokens for partner systems: scoped, revocable, shown once, never more than their owner.

use khub_domain::organisation::OrganisationKind;
use khub_domain::ports::Clock;
use khub_tests::TestApp;
use serde_json::{Value, json};

const UPDATE_BIO: &str = "mutation { updateProfile(input: { bio: \"hello\" }) { person { bio } } }";

fn code(body: &Value) -> &str {
    body["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or("")
}

#[tokio::test]
async fn a_read_token_reads_but_cannot_mutate() {
    let app = TestApp::spawn().await;
    let owner = app.register("kai@example.org", "kai").await;
    let (secret, _) = app.create_api_token(&owner, &["READ"]).await;
    assert!(secret.starts_with("khub_"), "{secret}");
    let viewer = app
        .graphql_as(&secret, "{ viewer { handle } }", Value::Null)
        .await;
    assert_eq!(viewer["data"]["viewer"]["handle"], "kai");
    let mutation = app.graphql_as(&secret, UPDATE_BIO, Value::Null).await;
    assert_eq!(code(&mutation), "FORBIDDEN", "{mutation}");
    let minted = app
        .graphql_as(
            &secret,
            "mutation { createApiToken(input: { name: \"x\", scopes: [READ] }) { secret } }",
            Value::Null,
        )
        .await;
    assert_eq!(code(&minted), "FORBIDDEN", "tokens cannot mint tokens");
}

#[tokio::test]
async fn a_write_only_token_cannot_read() {
    let app = TestApp::spawn().await;
    let owner = app.register("lu@example.org", "lux").await;
    let (secret, _) = app.create_api_token(&owner, &["WRITE_PROFILE"]).await;
    let response = app
        .post_as(&secret, &json!({ "query": "{ viewer { handle } }" }))
        .await;
    assert_eq!(response.status(), 403);
    let mutation = app.graphql_as(&secret, UPDATE_BIO, Value::Null).await;
    assert_eq!(mutation["data"]["updateProfile"]["person"]["bio"], "hello");
}

#[tokio::test]
async fn a_revoked_token_stops_at_once_and_is_listed_as_revoked() {
    let app = TestApp::spawn().await;
    let owner = app.register("mo@example.org", "mox").await;
    let (secret, id) = app.create_api_token(&owner, &["READ"]).await;
    assert_eq!(
        app.post_as(&secret, &json!({ "query": "{ viewer { handle } }" }))
            .await
            .status(),
        200
    );
    let revoke = "mutation R($id: ID!) { revokeApiToken(input: { apiTokenId: $id }) { apiToken { revokedAt } } }";
    let revoked = app
        .graphql_as(&owner.access_token, revoke, json!({ "id": id }))
        .await;
    assert!(
        revoked["data"]["revokeApiToken"]["apiToken"]["revokedAt"].is_string(),
        "{revoked}"
    );
    assert_eq!(
        app.post_as(&secret, &json!({ "query": "{ viewer { handle } }" }))
            .await
            .status(),
        401
    );
    let listed = app
        .graphql_as(&owner.access_token, "{ viewer { apiTokens { totalCount nodes { name hint scopes revokedAt lastUsedAt } } } }", Value::Null)
        .await;
    let tokens = &listed["data"]["viewer"]["apiTokens"];
    assert_eq!(tokens["totalCount"], 1);
    assert_eq!(tokens["nodes"][0]["scopes"], json!(["READ"]));
    assert!(
        tokens["nodes"][0]["hint"]
            .as_str()
            .is_some_and(|h| secret.starts_with(h))
    );
    assert!(tokens["nodes"][0]["lastUsedAt"].is_string());
}

#[tokio::test]
async fn nobody_else_sees_or_revokes_a_persons_tokens() {
    let app = TestApp::spawn().await;
    let owner = app.register("ned@example.org", "ned").await;
    let other = app.register("ola@example.org", "ola").await;
    let (_, id) = app.create_api_token(&owner, &["READ"]).await;
    let node = app
        .graphql_as(
            &other.access_token,
            "query N($id: ID!) { node(id: $id) { id } }",
            json!({ "id": id }),
        )
        .await;
    assert!(node["data"]["node"].is_null());
    let revoke =
        "mutation R($id: ID!) { revokeApiToken(input: { apiTokenId: $id }) { apiToken { id } } }";
    let attempt = app
        .graphql_as(&other.access_token, revoke, json!({ "id": id }))
        .await;
    assert_eq!(code(&attempt), "NOT_FOUND");
    let theirs = app
        .graphql_as(
            &other.access_token,
            "{ person(handle: \"ned\") { apiTokens { totalCount } } }",
            Value::Null,
        )
        .await;
    assert!(theirs["data"]["person"]["apiTokens"].is_null());
}

#[tokio::test]
async fn an_expiry_in_the_past_and_no_scopes_are_user_errors() {
    let app = TestApp::spawn().await;
    let owner = app.register("pam@example.org", "pam").await;
    let query = "mutation C($input: CreateApiTokenInput!) { createApiToken(input: $input) { secret userErrors { field code } } }";
    let input = json!({ "name": "", "scopes": [], "expiresAt": "2000-01-01T00:00:00Z" });
    let body = app
        .graphql_as(&owner.access_token, query, json!({ "input": input }))
        .await;
    let payload = &body["data"]["createApiToken"];
    assert!(payload["secret"].is_null());
    let fields: Vec<&str> = payload["userErrors"]
        .as_array()
        .map(|e| e.iter().filter_map(|e| e["field"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(fields, ["name", "scopes", "expiresAt"]);
}

#[tokio::test]
async fn organisation_tokens_are_for_its_administrators() {
    let app = TestApp::spawn().await;
    let org = app
        .create_organisation(
            "leeds",
            "Leeds City Council",
            OrganisationKind::Council,
            &["leeds.gov.uk"],
        )
        .await;
    let admin = app.register("quin@leeds.gov.uk", "quin").await;
    let member = app.register("ria@leeds.gov.uk", "ria").await;
    app.make_organisation_administrator("quin@leeds.gov.uk", "leeds")
        .await;
    let org_id = app
        .graphql("{ organisation(slug: \"leeds\") { id } }", Value::Null)
        .await["data"]["organisation"]["id"]
        .clone();
    let create = "mutation C($input: CreateApiTokenInput!) { createApiToken(input: $input) { secret apiToken { organisation { slug } } } }";
    let input = json!({ "name": "intranet", "scopes": ["READ"], "organisationId": org_id });
    let by_member = app
        .graphql_as(&member.access_token, create, json!({ "input": input }))
        .await;
    assert_eq!(code(&by_member), "FORBIDDEN");
    let by_admin = app
        .graphql_as(&admin.access_token, create, json!({ "input": input }))
        .await;
    assert_eq!(
        by_admin["data"]["createApiToken"]["apiToken"]["organisation"]["slug"],
        "leeds"
    );
    let list = "{ organisation(slug: \"leeds\") { apiTokens { totalCount } } }";
    let seen_by_admin = app.graphql_as(&admin.access_token, list, Value::Null).await;
    assert_eq!(
        seen_by_admin["data"]["organisation"]["apiTokens"]["totalCount"],
        1
    );
    let seen_by_member = app
        .graphql_as(&member.access_token, list, Value::Null)
        .await;
    assert!(seen_by_member["data"]["organisation"]["apiTokens"].is_null());
    assert_eq!(org.slug.as_str(), "leeds");
}

#[tokio::test]
async fn a_tokens_requests_and_the_cost_they_spent_are_kept_per_day() {
    let app = TestApp::spawn().await;
    let ana = app.register("ana@example.org", "ana").await;
    let (token, _) = app.create_api_token(&ana, &["READ"]).await;
    let queries = [
        "{ viewer { handle } }",
        "{ communities(first: 5) { nodes { slug name } } }",
        "{ people(first: 3) { nodes { handle } } }",
    ];
    let mut spent = 0;
    for query in queries {
        let body = app.graphql_as(&token, query, json!({})).await;
        spent += body["extensions"]["cost"]["requested"]
            .as_u64()
            .expect("a cost");
    }

    let listed = "{ viewer { apiTokens { nodes { lastUsedAt usage { day requests cost } } } } }";
    let mut seen = Value::Null;
    for _ in 0..100 {
        let body = app.graphql_as(&ana.access_token, listed, json!({})).await;
        seen = body["data"]["viewer"]["apiTokens"]["nodes"][0].clone();
        if seen["usage"][0]["requests"] == 3 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let today = app.clock.now().date_naive().to_string();
    assert_eq!(
        seen["usage"],
        json!([{ "day": today, "requests": 3, "cost": spent }]),
        "{seen}"
    );
    assert!(seen["lastUsedAt"].is_string(), "{seen}");
}
