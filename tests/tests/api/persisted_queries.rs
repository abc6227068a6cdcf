//! Automatic persisted queries, as Apollo clients send them, and tokens that run only their
//! registered documents.

use khub_tests::{Session, TestApp, WsProtocol, error_code};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

const QUERY: &str = "query Orgs { organisations(first: 2) { totalCount } }";

fn sha256(document: &str) -> String {
    Sha256::digest(document.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn persisted(hash: &str) -> Value {
    json!({ "persistedQuery": { "version": 1, "sha256Hash": hash } })
}

/// POSTs `body` (as `token`, if any) asking for `application/graphql-response+json`.
async fn send(app: &TestApp, token: Option<&str>, body: Value) -> (u16, Value) {
    let mut request = app
        .client
        .post(app.url("/graphql"))
        .header("content-type", "application/json")
        .header("accept", "application/graphql-response+json");
    if let Some(token) = token {
        request = request.header("authorization", format!("Bearer {token}"));
    }
    let response = request
        .body(body.to_string())
        .send()
        .await
        .expect("an answer");
    let status = response.status().as_u16();
    (status, response.json().await.expect("a JSON body"))
}

fn code(body: &Value) -> &str {
    body["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or("")
}

#[tokio::test]
async fn a_hash_runs_its_document_once_any_instance_has_learnt_it_over_post_and_get() {
    let app = TestApp::spawn().await;
    let sibling = app.spawn_sibling().await;
    let hash = sha256(QUERY);

    let (status, unknown) = send(&app, None, json!({ "extensions": persisted(&hash) })).await;
    assert_eq!(
        (status, code(&unknown)),
        (200, "PERSISTED_QUERY_NOT_FOUND"),
        "{unknown}"
    );
    assert_eq!(unknown["errors"][0]["message"], "PersistedQueryNotFound");

    let extensions = persisted(&hash).to_string();
    let over_get = |app: &TestApp| {
        app.client
            .get(app.url("/graphql"))
            .query(&[
                ("extensions", extensions.as_str()),
                ("operationName", "Orgs"),
            ])
            .send()
    };
    let missed: Value = over_get(&app)
        .await
        .expect("an answer")
        .json()
        .await
        .expect("JSON");
    assert_eq!(
        code(&missed),
        "PERSISTED_QUERY_NOT_FOUND",
        "over GET too: {missed}"
    );

    let wrong = json!({ "query": QUERY, "extensions": persisted(&sha256("{ x }")) });
    let (status, mismatch) = send(&app, None, wrong).await;
    assert_eq!(
        (status, code(&mismatch)),
        (400, "BAD_REQUEST"),
        "{mismatch}"
    );

    let learn = json!({ "query": QUERY, "extensions": persisted(&hash) });
    let (status, learnt) = send(&app, None, learn).await;
    assert_eq!(status, 200, "{learnt}");
    assert!(
        learnt["data"]["organisations"]["totalCount"].is_u64(),
        "{learnt}"
    );

    let (status, by_hash) = send(&sibling, None, json!({ "extensions": persisted(&hash) })).await;
    assert_eq!(status, 200, "{by_hash}");
    assert_eq!(by_hash["data"], learnt["data"]);
    let extensions = persisted(&hash).to_string();
    let response = app
        .client
        .get(app.url("/graphql"))
        .query(&[
            ("extensions", extensions.as_str()),
            ("operationName", "Orgs"),
        ])
        .send()
        .await
        .expect("an answer");
    assert_eq!(response.status(), 200);
    let over_get: Value = response.json().await.expect("JSON");
    assert_eq!(over_get["data"], learnt["data"], "{over_get}");
}

async fn token_and_id(app: &TestApp, who: &Session) -> (String, String) {
    app.create_api_token(who, &["READ"]).await
}

#[tokio::test]
async fn a_token_restricted_to_trusted_documents_runs_those_and_nothing_else() {
    let app = TestApp::spawn().await;
    let ana = app.register("ana@example.org", "ana").await;
    let eve = app.register("eve@example.org", "eve").await;
    let (token, token_id) = token_and_id(&app, &ana).await;
    let trusted = "query Me { viewer { handle } }";

    let input = json!({ "apiTokenId": token_id, "documents": [trusted, "query {"], "trustedDocumentsOnly": true });
    let selection = "hashes apiToken { trustedDocumentsOnly }";
    let refused = app
        .mutate(&ana, "registerTrustedDocuments", input, selection)
        .await;
    assert_eq!(
        refused["userErrors"][0]["field"], "documents.1",
        "{refused}"
    );
    let others =
        json!({ "apiTokenId": token_id, "documents": [trusted], "trustedDocumentsOnly": true });
    let stolen = app
        .mutate(&eve, "registerTrustedDocuments", others.clone(), selection)
        .await;
    assert_eq!(error_code(&stolen), "NOT_FOUND", "{stolen}");
    let query = "mutation R($input: RegisterTrustedDocumentsInput!) { registerTrustedDocuments(input: $input) { hashes } }";
    let by_token = app
        .graphql_as(&token, query, json!({ "input": others.clone() }))
        .await;
    assert_eq!(
        code(&by_token),
        "FORBIDDEN",
        "a token cannot widen itself: {by_token}"
    );

    // Before it is restricted, the token runs anything.
    let (status, _) = send(
        &app,
        Some(&token),
        json!({ "query": "{ organisations { totalCount } }" }),
    )
    .await;
    assert_eq!(status, 200);
    let registered = app
        .mutate(&ana, "registerTrustedDocuments", others, selection)
        .await;
    assert_eq!(
        registered["hashes"],
        json!([sha256(trusted)]),
        "{registered}"
    );
    assert_eq!(registered["apiToken"]["trustedDocumentsOnly"], true);

    let (status, by_text) = send(&app, Some(&token), json!({ "query": trusted })).await;
    assert_eq!(
        (status, &by_text["data"]["viewer"]["handle"]),
        (200, &json!("ana")),
        "{by_text}"
    );
    let by_hash = json!({ "extensions": persisted(&sha256(trusted)) });
    let (status, by_hash) = send(&app, Some(&token), by_hash).await;
    assert_eq!(
        status, 200,
        "registered documents need not be learnt first: {by_hash}"
    );
    assert_eq!(by_hash["data"], by_text["data"]);
    let (status, other) = send(
        &app,
        Some(&token),
        json!({ "query": "{ organisations { totalCount } }" }),
    )
    .await;
    assert_eq!(
        (status, code(&other)),
        (403, "UNTRUSTED_DOCUMENT"),
        "{other}"
    );
    // The person's own session is not restricted.
    let (status, _) = send(
        &app,
        Some(&ana.access_token),
        json!({ "query": "{ organisations { totalCount } }" }),
    )
    .await;
    assert_eq!(status, 200);

    // Over a websocket too.
    let mut socket = app.websocket(WsProtocol::TransportWs).await;
    let init = json!({ "authorization": format!("Bearer {token}") });
    socket
        .send(json!({ "type": "connection_init", "payload": init }))
        .await;
    assert_eq!(socket.next_json().await["type"], "connection_ack");
    socket
        .send(json!({ "type": "subscribe", "id": "1", "payload": { "query": "{ organisations { totalCount } }" } }))
        .await;
    let answer = socket
        .next_within(std::time::Duration::from_secs(5))
        .await
        .expect("an answer");
    assert_eq!(answer["type"], "error", "{answer}");
    assert_eq!(
        answer["payload"][0]["extensions"]["code"], "UNTRUSTED_DOCUMENT",
        "{answer}"
    );
}
