//! `Idempotency-Key` on mutations: the same key and body from the same requester within a day
//! replays the first answer (with `Idempotent-Replayed: true`) without running it again; the
//! same key with another body is 422; a retry while the first is still running is 409. Answers
//! that failed in a way worth retrying (5xx) release the key.

use std::future::Future;

use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use khub_domain::idempotency::{Begun, Claim, IdempotencyKey, KeptAnswer};
use sha2::{Digest, Sha256};

use super::media::ResponseMedia;
use super::respond;
use crate::graphql::error::ErrorCode;
use crate::graphql::pipeline::RawRequest;
use crate::state::AppState;

const HEADER: &str = "idempotency-key";
/// Largest answer kept for replay; a larger one releases its key.
const MAX_KEPT: usize = 1 << 20;

/// A keyed request: its key, and what it asks, digested.
pub struct Keyed {
    key: IdempotencyKey,
    fingerprint: String,
}

/// The request's key, if it carries one; a malformed one is a 400 to answer.
pub fn keyed(
    headers: &HeaderMap,
    raw: &RawRequest,
    media: ResponseMedia,
) -> Result<Option<Keyed>, Box<Response>> {
    let Some(value) = headers.get(HEADER) else {
        return Ok(None);
    };
    let key = value
        .to_str()
        .ok()
        .and_then(|raw| IdempotencyKey::parse(raw).ok())
        .ok_or_else(|| {
            let message = "Idempotency-Key must be 1 to 255 visible ASCII characters";
            let status = StatusCode::BAD_REQUEST;
            Box::new(respond::request_error(
                media,
                status,
                ErrorCode::BadRequest,
                message,
            ))
        })?;
    Ok(Some(Keyed {
        key,
        fingerprint: fingerprint(raw),
    }))
}

/// What the request asks: its document, operation and variables, digested.
fn fingerprint(raw: &RawRequest) -> String {
    let asked = serde_json::json!([raw.query, raw.operation_name, raw.variables]);
    format!("{:x}", Sha256::digest(asked.to_string().as_bytes()))
}

/// Answers a keyed request once per key and `requester`: replays, refuses, or runs `run` and
/// keeps its answer.
pub async fn once(
    state: &AppState,
    media: ResponseMedia,
    requester: &str,
    keyed: Keyed,
    run: impl Future<Output = Response>,
) -> Response {
    let replays = state.replays();
    let begun = replays
        .begin(requester, &keyed.key, &keyed.fingerprint)
        .await;
    let claim = match begun {
        Ok(Begun::Fresh(claim)) => claim,
        Ok(Begun::Replay(kept)) => return replayed(kept),
        Ok(Begun::Conflict) => {
            let message = "this Idempotency-Key was used for a different request; use a new key";
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            return respond::request_error(media, status, ErrorCode::IdempotencyKeyReused, message);
        }
        Ok(Begun::InProgress) => return in_progress(media),
        Err(error) => {
            tracing::warn!(%error, "cannot look up an idempotency key");
            return respond::unreachable(media);
        }
    };
    let (parts, body) = run.await.into_parts();
    let body = axum::body::to_bytes(body, usize::MAX)
        .await
        .unwrap_or_default();
    if let Err(error) = settle(state, &claim, &parts, &body).await {
        tracing::warn!(%error, "an answer could not be kept for replay");
    }
    Response::from_parts(parts, Body::from(body))
}

/// Keeps the answer for replay, or releases the key when a retry should run again.
async fn settle(
    state: &AppState,
    claim: &Claim,
    parts: &axum::http::response::Parts,
    body: &[u8],
) -> khub_domain::DomainResult<()> {
    let text = std::str::from_utf8(body)
        .ok()
        .filter(|_| body.len() <= MAX_KEPT);
    let (Some(text), false) = (text, parts.status.is_server_error()) else {
        return state.replays().release(claim).await;
    };
    let content_type = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("application/json")
        .to_owned();
    let kept = KeptAnswer {
        fingerprint: claim.fingerprint().to_owned(),
        status: parts.status.as_u16(),
        content_type,
        body: text.to_owned(),
    };
    state.replays().keep(claim, &kept).await
}

fn replayed(kept: KeptAnswer) -> Response {
    let status = StatusCode::from_u16(kept.status).unwrap_or(StatusCode::OK);
    let mut response = Response::new(Body::from(kept.body));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    if let Ok(kind) = HeaderValue::from_str(&kept.content_type) {
        headers.insert(header::CONTENT_TYPE, kind);
    }
    headers.insert("idempotent-replayed", HeaderValue::from_static("true"));
    response
}

fn in_progress(media: ResponseMedia) -> Response {
    let message = "a request with this Idempotency-Key is still running; retry shortly";
    let status = StatusCode::CONFLICT;
    let mut response =
        respond::request_error(media, status, ErrorCode::IdempotencyKeyInUse, message);
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(1));
    response
}
