//! Building GraphQL HTTP responses: status codes by media type, error codes, request ids.

use axum::body::{Body as HttpBody, Bytes};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use khub_domain::rate_limit::RateStatus;
use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::media::ResponseMedia;
use crate::graphql::error::{
    ErrorCode, INTERNAL_MESSAGE, UNREACHABLE_MESSAGE, UNREACHABLE_RETRY_SECS,
};

/// A response with no `data`: the request could not be executed.
pub fn request_error(
    media: ResponseMedia,
    status: StatusCode,
    code: ErrorCode,
    message: &str,
) -> Response {
    let body =
        json!({ "errors": [{ "message": message, "extensions": { "code": code.as_str() } }] });
    with_media(media, status, body)
}

/// The status for a GraphQL request error: 4xx under `graphql-response+json`, but 200 under
/// legacy `application/json` for a well-formed HTTP request, as the spec asks.
pub fn request_error_status(media: ResponseMedia, preferred: StatusCode) -> StatusCode {
    match media {
        ResponseMedia::GraphqlResponse => preferred,
        ResponseMedia::Json => StatusCode::OK,
    }
}

/// An executed response, as the client will see it.
pub enum Body {
    /// The operation ran: `data`, and perhaps field errors.
    Data(Value),
    /// The operation never ran (it failed validation): only errors, no `data`.
    RequestErrors(Vec<Value>),
}

/// Shapes an executed response. A response without data whose errors have no path failed
/// validation: it is a request error and carries no `data` key.
pub fn body_of(response: async_graphql::Response, request_id: &str) -> Body {
    let request_failed = failed_validation(&response);
    let errors = coded_errors(&response, request_failed, request_id);
    if request_failed {
        return Body::RequestErrors(errors);
    }
    let body = DataBody {
        data: &response.data,
        errors,
        extensions: &response.extensions,
    };
    Body::Data(serde_json::to_value(body).unwrap_or(Value::Null))
}

/// The JSON of an executed response that has data, serialised straight from the executor's
/// values (no intermediate `serde_json::Value`: this is the hot path of every query).
#[derive(serde::Serialize)]
struct DataBody<'a> {
    data: &'a async_graphql::Value,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    errors: Vec<Value>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    extensions: &'a BTreeMap<String, async_graphql::Value>,
}

/// The JSON of a response that ran, without errors.
pub fn data_text(response: &async_graphql::Response) -> String {
    data_json(response, Vec::new())
}

fn data_json(response: &async_graphql::Response, errors: Vec<Value>) -> String {
    let body = DataBody {
        data: &response.data,
        errors,
        extensions: &response.extensions,
    };
    serde_json::to_string(&body).unwrap_or_else(|_| "{}".to_owned())
}

/// A 200 answer whose body is already JSON.
pub fn ok_json(media: ResponseMedia, body: Bytes) -> Response {
    with_media_text(media, StatusCode::OK, body)
}

fn failed_validation(response: &async_graphql::Response) -> bool {
    response.data == async_graphql::Value::Null
        && !response.errors.is_empty()
        && response.errors.iter().all(|e| e.path.is_empty())
}

fn coded_errors(
    response: &async_graphql::Response,
    request_failed: bool,
    request_id: &str,
) -> Vec<Value> {
    response
        .errors
        .iter()
        .map(|error| coded_error(error, request_failed, request_id))
        .collect()
}

/// Serialises an executed response with the status its media type calls for: a request
/// refused for its cost, or an attempt throttled (signing in too often), gets 429 and
/// `Retry-After`.
pub fn executed(
    media: ResponseMedia,
    response: async_graphql::Response,
    request_id: &str,
) -> Response {
    let request_failed = failed_validation(&response);
    let errors = coded_errors(&response, request_failed, request_id);
    let retry_after = errors.iter().find_map(retry_status);
    // Like 401, 429 and 503 are HTTP-level answers that clients and proxies act on.
    let mut response = match (request_failed, retry_after) {
        (false, None) => {
            return with_media_text(media, StatusCode::OK, data_json(&response, errors));
        }
        (false, Some((status, _))) => with_media_text(media, status, data_json(&response, errors)),
        (true, Some((status, _))) => with_media(media, status, json!({ "errors": errors })),
        (true, None) => {
            let status = request_error_status(media, StatusCode::BAD_REQUEST);
            return with_media(media, status, json!({ "errors": errors }));
        }
    };
    if let Some((_, seconds)) = retry_after {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
    }
    response
}

/// The status and `Retry-After` an error asks for: 429 for a spent budget or a throttled
/// attempt, 503 while a dependency is unreachable.
fn retry_status(error: &Value) -> Option<(StatusCode, u64)> {
    let code = error["extensions"]["code"].as_str()?;
    let status = match code {
        c if c == ErrorCode::RateLimited.as_str() => StatusCode::TOO_MANY_REQUESTS,
        c if c == ErrorCode::Unavailable.as_str() => StatusCode::SERVICE_UNAVAILABLE,
        _ => return None,
    };
    Some((status, error["extensions"]["retryAfter"].as_u64()?))
}

/// 503 with `Retry-After`: a dependency is unreachable, so the request was not run.
pub fn unreachable(media: ResponseMedia) -> Response {
    let seconds = UNREACHABLE_RETRY_SECS;
    let extensions = json!({ "code": ErrorCode::Unavailable.as_str(), "retryAfter": seconds });
    let body = json!({ "errors": [{ "message": UNREACHABLE_MESSAGE, "extensions": extensions }] });
    let mut response = with_media(media, StatusCode::SERVICE_UNAVAILABLE, body);
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
    response
}

/// The IETF draft `RateLimit-*` headers: the budget, what is left, and when it renews.
pub fn rate_limit_headers(headers: &mut axum::http::HeaderMap, status: &RateStatus) {
    headers.insert("ratelimit-limit", HeaderValue::from(status.limit));
    headers.insert("ratelimit-remaining", HeaderValue::from(status.remaining));
    headers.insert(
        "ratelimit-reset",
        HeaderValue::from(status.reset_after.as_secs()),
    );
}

/// Ensures every error has a code; internal errors say only their request id.
fn coded_error(
    error: &async_graphql::ServerError,
    request_failed: bool,
    request_id: &str,
) -> Value {
    let mut value = serde_json::to_value(error).unwrap_or_else(|_| json!({}));
    let code = error
        .extensions
        .as_ref()
        .and_then(|ext| ext.get("code"))
        .and_then(|code| match code {
            async_graphql::Value::String(code) => Some(code.clone()),
            _ => None,
        });
    let code = match code {
        Some(code) => code,
        None if request_failed => ErrorCode::GraphqlValidationFailed.as_str().to_owned(),
        // A field error without a code escaped the error mapping: treat it as internal.
        None => {
            tracing::error!(error = %error.message, "uncoded resolver error");
            ErrorCode::Internal.as_str().to_owned()
        }
    };
    if code == ErrorCode::Internal.as_str() {
        value["message"] = json!(format!("{INTERNAL_MESSAGE} (request id {request_id})"));
    }
    value["extensions"]["code"] = json!(code);
    value
}

pub fn with_media(media: ResponseMedia, status: StatusCode, body: Value) -> Response {
    with_media_text(media, status, body.to_string())
}

fn with_media_text(
    media: ResponseMedia,
    status: StatusCode,
    body: impl Into<HttpBody>,
) -> Response {
    let mut response = (status, body.into()).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(media.content_type()),
    );
    response
}
