//! `POST /graphql` and `GET /graphql` per the GraphQL-over-HTTP spec, and the playground.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::time::Instant;

use async_graphql::parser::types::OperationType;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{ConnectInfo, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use tracing::Instrument;

use super::admit::admit;
use super::cached_query;
use super::cost::Spend;
use super::idempotency;
use super::media::{self, ResponseMedia};
use super::read_cache::Writing;
use super::respond;
use crate::graphql::context::{RateSlot, RequestId};
use crate::graphql::error::ErrorCode;
use crate::graphql::pipeline::{Prepared, RawRequest};
use crate::state::AppState;

/// Who sent a request, as HTTP tells it.
pub(super) struct Caller {
    pub headers: HeaderMap,
    pub peer: SocketAddr,
}

/// `POST /graphql`: a JSON body holding one request (batches are refused).
pub async fn post(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let Some(media) = media::negotiate(&headers) else {
        return not_acceptable();
    };
    if !media::is_json_body(&headers) {
        let message = "send the request as `Content-Type: application/json`";
        return respond::request_error(
            media,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ErrorCode::BadRequest,
            message,
        );
    }
    let body = match body {
        Ok(body) => body,
        Err(rejection) => {
            let status = rejection.status();
            let message = if status == StatusCode::PAYLOAD_TOO_LARGE {
                format!(
                    "the request body is larger than {} bytes",
                    state.limits().max_body_bytes
                )
            } else {
                "the request body could not be read".to_owned()
            };
            return respond::request_error(media, status, ErrorCode::BadRequest, &message);
        }
    };
    match parse_body(&body) {
        Ok(raw) => serve(state, Caller { headers, peer }, media, raw, false).await,
        Err(message) => bad_request(media, &message),
    }
}

fn parse_body(body: &[u8]) -> Result<RawRequest, String> {
    let value: serde_json::Value =
        serde_json::from_slice(body).map_err(|e| format!("the body is not valid JSON: {e}"))?;
    match value {
        serde_json::Value::Array(_) => {
            Err("batched requests are not supported: send one operation per request".into())
        }
        serde_json::Value::Object(_) => serde_json::from_value(value)
            .map_err(|e| format!("the body is not a GraphQL request: {e}")),
        _ => Err("the body must be a JSON object with a `query`".into()),
    }
}

/// `GET /graphql`: a query in the URL, or the playground for a browser.
pub async fn get(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    if params.is_empty() && media::wants_html(&headers) && state.playground().enabled() {
        return state.playground().page();
    }
    let Some(media) = media::negotiate(&headers) else {
        return not_acceptable();
    };
    match url_request(params) {
        Ok(raw) => serve(state, Caller { headers, peer }, media, raw, true).await,
        Err(message) => bad_request(media, &message),
    }
}

fn url_request(mut params: HashMap<String, String>) -> Result<RawRequest, String> {
    let json = |name: &str, raw: Option<String>| {
        raw.map(|text| {
            serde_json::from_str(&text).map_err(|_| format!("`{name}` is not valid JSON"))
        })
        .transpose()
    };
    Ok(RawRequest {
        query: params.remove("query"),
        operation_name: params.remove("operationName"),
        variables: json("variables", params.remove("variables"))?,
        extensions: json("extensions", params.remove("extensions"))?,
    })
}

async fn serve(
    state: AppState,
    caller: Caller,
    media: ResponseMedia,
    raw: RawRequest,
    via_get: bool,
) -> Response {
    let started = Instant::now();
    let request_id = request_id(&caller.headers);
    let span =
        tracing::info_span!("graphql", request_id = %request_id, operation = tracing::field::Empty);
    let (name, kind, response) = async {
        let keyed = match idempotency::keyed(&caller.headers, &raw, media) {
            Ok(keyed) => keyed,
            Err(response) => return (None, "invalid", *response),
        };
        let admitted = match admit(&state, &caller, media, raw, via_get).await {
            Ok(admitted) => admitted,
            Err(response) => return (None, "invalid", *response),
        };
        let prepared = admitted.prepared;
        let name = prepared.operation_name.clone();
        tracing::Span::current().record("operation", name.as_deref().unwrap_or("anonymous"));
        let kind = kind_label(prepared.operation);
        let mutation = prepared.operation == OperationType::Mutation;
        let response = match (admitted.cacheable, keyed.filter(|_| mutation)) {
            (Some(query), _) => {
                cached_query::serve(&state, media, prepared, query, &request_id).await
            }
            (None, Some(keyed)) => {
                let run = execute(&state, media, prepared, &request_id);
                let requester = admitted.requester.key();
                idempotency::once(&state, media, &requester, keyed, run).await
            }
            (None, None) => execute(&state, media, prepared, &request_id).await,
        };
        (name, kind, response)
    }
    .instrument(span)
    .await;
    let status = response.status().as_u16();
    state
        .metrics()
        .observe(name.as_deref(), kind, status, started.elapsed());
    response
}

/// Runs a request and answers it. After a mutation, answers kept for anonymous readers are
/// stale: the content version moves on before the answer leaves.
pub(super) async fn execute(
    state: &AppState,
    media: ResponseMedia,
    prepared: Prepared,
    request_id: &str,
) -> Response {
    let writing = (prepared.operation == OperationType::Mutation)
        .then(|| Writing::start(state.content_version()));
    let (response, budget) = run(state, prepared, request_id).await;
    if let Some(writing) = writing {
        writing.done().await;
    }
    answer(media, response, &budget, request_id)
}

/// Runs a request to its end or its time limit (then there is no response).
pub(super) async fn run(
    state: &AppState,
    prepared: Prepared,
    request_id: &str,
) -> (Option<async_graphql::Response>, RateSlot) {
    let budget = RateSlot::default();
    let request = prepared
        .request
        .data(RequestId(request_id.to_owned()))
        .data(budget.clone());
    let limit = state.limits().request_timeout;
    let response = tokio::time::timeout(limit, state.engine().execute(request)).await;
    if response.is_err() {
        tracing::warn!(?limit, "request timed out");
    }
    (response.ok(), budget)
}

/// The HTTP answer to a request that ran (or ran out of time), with its budget's headers.
pub(super) fn answer(
    media: ResponseMedia,
    response: Option<async_graphql::Response>,
    budget: &RateSlot,
    request_id: &str,
) -> Response {
    let mut response = match response {
        Some(mut response) => {
            if let Some((status, cost)) = budget.charged() {
                Spend::of(&response, cost).report(&mut response, &status);
            }
            respond::executed(media, response, request_id)
        }
        None => {
            let status = respond::request_error_status(media, StatusCode::GATEWAY_TIMEOUT);
            let message = "the request took too long and was stopped";
            respond::request_error(media, status, ErrorCode::Timeout, message)
        }
    };
    if let Some(status) = budget.get() {
        respond::rate_limit_headers(response.headers_mut(), &status);
    }
    response
}

fn kind_label(operation: OperationType) -> &'static str {
    match operation {
        OperationType::Query => "query",
        OperationType::Mutation => "mutation",
        OperationType::Subscription => "subscription",
    }
}

fn request_id(headers: &HeaderMap) -> String {
    headers
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-")
        .to_owned()
}

/// The HTTP request itself is unusable: 400 whatever the media type.
fn bad_request(media: ResponseMedia, message: &str) -> Response {
    respond::request_error(
        media,
        StatusCode::BAD_REQUEST,
        ErrorCode::BadRequest,
        message,
    )
}

fn not_acceptable() -> Response {
    respond::request_error(
        ResponseMedia::Json,
        StatusCode::NOT_ACCEPTABLE,
        ErrorCode::BadRequest,
        "accept application/graphql-response+json or application/json",
    )
}
