//! The built web client served at `/`, and its bundled playground at `GET /graphql`.

use std::path::Path;

use khub_tests::TestApp;
use serde_json::Value;

/// A build as Vite lays it out: `index.html`, `playground.html` and hashed `assets/`.
fn fake_build(dir: &Path) {
    std::fs::create_dir_all(dir.join("assets")).expect("dir");
    std::fs::write(
        dir.join("index.html"),
        "<!doctype html><title>client</title>",
    )
    .expect("write");
    std::fs::write(
        dir.join("playground.html"),
        "<!doctype html><title>bundled graphiql</title>",
    )
    .expect("write");
    std::fs::write(dir.join("assets/app-Bx12.js"), "console.log(1)").expect("write");
}

async fn get(app: &TestApp, path: &str, accept: &str) -> reqwest::Response {
    app.client
        .get(app.url(path))
        .header("accept", accept)
        .send()
        .await
        .expect("answer")
}

fn header<'a>(response: &'a reqwest::Response, name: &str) -> &'a str {
    response
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

#[tokio::test]
async fn the_built_client_is_served_at_the_root_with_its_routes_and_cached_assets() {
    let build = tempfile::tempdir().expect("tempdir");
    fake_build(build.path());
    let app = TestApp::spawn_with(|s| s.web_dir = build.path().to_path_buf()).await;

    for path in [
        "/",
        "/communities/homelessness-prevention",
        "/threads/VGhyZWFk",
    ] {
        let page = get(&app, path, "text/html").await;
        assert_eq!(page.status(), 200, "{path}");
        assert_eq!(header(&page, "cache-control"), "no-cache", "{path}");
        assert!(header(&page, "content-security-policy").contains("script-src 'self'"));
        assert_eq!(
            page.text().await.expect("text"),
            "<!doctype html><title>client</title>"
        );
    }
    let asset = get(&app, "/assets/app-Bx12.js", "*/*").await;
    assert_eq!(asset.status(), 200);
    assert_eq!(
        header(&asset, "cache-control"),
        "public, max-age=31536000, immutable"
    );
    // A stale page asking for an asset of an older build gets a 404, not the page as script.
    let gone = get(&app, "/assets/app-Old9.js", "*/*").await;
    assert_eq!(gone.status(), 404);
    assert_eq!(header(&gone, "cache-control"), "no-cache");

    // The API and the probes keep their routes.
    assert_eq!(get(&app, "/healthz", "*/*").await.status(), 200);
    let body = app.graphql("{ __typename }", Value::Null).await;
    assert_eq!(body["data"]["__typename"], "Query");
}

#[tokio::test]
async fn the_playground_is_the_bundled_one_under_a_strict_policy_when_the_client_is_built() {
    let build = tempfile::tempdir().expect("tempdir");
    fake_build(build.path());
    let app = TestApp::spawn_with(|s| s.web_dir = build.path().to_path_buf()).await;
    let page = get(&app, "/graphql", "text/html,application/xhtml+xml").await;
    assert_eq!(page.status(), 200);
    let policy = header(&page, "content-security-policy").to_owned();
    assert!(policy.contains("script-src 'self';") && policy.contains("style-src 'self';"));
    assert!(!policy.contains("unsafe"), "{policy}");
    assert_eq!(
        page.text().await.expect("text"),
        "<!doctype html><title>bundled graphiql</title>"
    );
}

#[tokio::test]
async fn without_a_build_the_root_is_not_found_and_the_playground_is_the_cdn_page() {
    let empty = tempfile::tempdir().expect("tempdir");
    let app = TestApp::spawn_with(|s| s.web_dir = empty.path().to_path_buf()).await;
    assert_eq!(get(&app, "/", "text/html").await.status(), 404);
    let page = get(&app, "/graphql", "text/html").await;
    assert_eq!(page.status(), 200);
    assert!(page.text().await.expect("text").contains("defaultQuery:"));
}
