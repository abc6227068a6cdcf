//! Access tokens that are not genuinely ours are refused with UNAUTHENTICATED.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use khub_tests::TestApp;
use serde_json::{Value, json};

/// The claims of a genuine token, to alter.
fn claims_of(token: &str) -> Value {
    let payload = token.split('.').nth(1).expect("a JWT");
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).expect("base64")).expect("JSON claims")
}

fn sign(claims: &Value, algorithm: Algorithm, secret: &str) -> String {
    jsonwebtoken::encode(
        &Header::new(algorithm),
        claims,
        &EncodingKey::from_secret(secret.as_bytes()),
    )
    .expect("signed")
}

async fn refused(app: &TestApp, token: &str) -> bool {
    let response = app
        .post_as(token, &json!({ "query": "{ viewer { handle } }" }))
        .await;
    let status = response.status();
    let body: Value = response.json().await.expect("JSON");
    status == 401 && body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
}

#[tokio::test]
async fn tampered_expired_misaddressed_and_unsigned_tokens_are_refused() {
    let app = TestApp::spawn().await;
    let genuine = app.register("jo@example.org", "jox").await.access_token;
    let secret = app.jwt_secret();
    let claims = claims_of(&genuine);
    assert!(
        !refused(&app, &sign(&claims, Algorithm::HS256, &secret)).await,
        "a faithful copy works"
    );

    let mut tampered = genuine.clone();
    tampered.pop();
    tampered.push(if genuine.ends_with('A') { 'B' } else { 'A' });
    assert!(refused(&app, &tampered).await, "tampered signature");

    let mut other_person = claims.clone();
    other_person["sub"] = json!(uuid::Uuid::now_v7().to_string());
    let forged_body = sign(
        &other_person,
        Algorithm::HS256,
        "a-different-secret-of-enough-length",
    );
    assert!(
        refused(&app, &forged_body).await,
        "signed with another secret"
    );

    let mut expired = claims.clone();
    expired["exp"] = json!(claims["iat"].as_i64().unwrap_or(0) - 60);
    assert!(
        refused(&app, &sign(&expired, Algorithm::HS256, &secret)).await,
        "expired"
    );

    let mut wrong_audience = claims.clone();
    wrong_audience["aud"] = json!("someone-else");
    assert!(
        refused(&app, &sign(&wrong_audience, Algorithm::HS256, &secret)).await,
        "wrong audience"
    );

    let mut wrong_issuer = claims.clone();
    wrong_issuer["iss"] = json!("someone-else");
    assert!(
        refused(&app, &sign(&wrong_issuer, Algorithm::HS256, &secret)).await,
        "wrong issuer"
    );

    assert!(
        refused(&app, &sign(&claims, Algorithm::HS384, &secret)).await,
        "wrong algorithm"
    );

    let header = URL_SAFE_NO_PAD.encode(r#"{"alg":"none","typ":"JWT"}"#);
    let body = URL_SAFE_NO_PAD.encode(claims.to_string());
    assert!(
        refused(&app, &format!("{header}.{body}.")).await,
        "alg none"
    );
}
