//! The reference web client (`web/`, built into `web/dist`): served at `/` with a fallback to
//! `index.html` for the client's own routes, hashed assets cached for a year, every page under
//! a strict Content-Security-Policy.

use std::path::{Path, PathBuf};

use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::middleware::{self, Next};
use axum::response::Response;
use tower_http::services::{ServeDir, ServeFile};

use crate::state::AppState;

/// Scripts, styles, fonts and API calls from the hub's own origin only; no inline script, no
/// framing, no plugins. Websockets to the same host are `'self'` too.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
    style-src 'self'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; \
    object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

/// Vite names what it builds under `assets/` by content hash: a changed file gets a new name.
const HASHED: &str = "public, max-age=31536000, immutable";
/// `index.html` names the current assets, so a browser asks again each time.
const REVALIDATE: &str = "no-cache";

/// A web build found on disk.
#[derive(Clone, Debug)]
pub struct WebBuild {
    dir: PathBuf,
}

impl WebBuild {
    /// The build in `dir`, when it holds the client's `index.html`.
    pub fn find(dir: &Path) -> Option<Self> {
        dir.join("index.html").is_file().then(|| Self {
            dir: dir.to_path_buf(),
        })
    }

    /// The bundled GraphiQL page, when the build has one.
    pub fn playground_page(&self) -> Option<Vec<u8>> {
        std::fs::read(self.dir.join("playground.html")).ok()
    }

    /// `router` answering every path it does not route with the client: a file of the build,
    /// else `index.html` (the client routes it). A missing hashed asset is a 404, not a page.
    pub fn serve(&self, router: Router<AppState>) -> Router<AppState> {
        let index = ServeFile::new(self.dir.join("index.html"));
        let client = Router::new()
            .nest_service("/assets", ServeDir::new(self.dir.join("assets")))
            .fallback_service(ServeDir::new(&self.dir).fallback(index))
            .layer(middleware::from_fn(headers));
        router.fallback_service(client)
    }
}

async fn headers(request: Request, next: Next) -> Response {
    let hashed = request.uri().path().starts_with("/assets/");
    let mut response = next.run(request).await;
    let cache = if hashed && response.status().is_success() {
        HASHED
    } else {
        REVALIDATE
    };
    harden(response.headers_mut());
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    response
}

/// The headers every page of the client (and the bundled playground) carries.
pub fn harden(headers: &mut HeaderMap) {
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CONTENT_SECURITY_POLICY),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
}
