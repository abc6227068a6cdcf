//! Every check that can refuse a GraphQL request over HTTP before it runs: credentials, the
//! document (persisted and trusted documents), its syntax and limits, the method, and whether
//! the actor may read.

use async_graphql::parser::types::OperationType;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use khub_domain::DomainError;
use khub_domain::access::Actor;
use khub_domain::policy;
use khub_domain::rate_limit::RateSubject;

use super::cached_query::CachedQuery;
use super::graphql::Caller;
use super::media::ResponseMedia;
use super::read_cache::QueryKey;
use super::respond;
use crate::auth;
use crate::graphql::documents;
use crate::graphql::error::ErrorCode;
use crate::graphql::pipeline::{self, Prepared, RawRequest};
use crate::graphql::query::FeedTokenMemo;
use crate::state::AppState;

/// A request that may run.
pub(super) struct Admitted {
    pub prepared: Prepared,
    /// An anonymous query, which may be answered from the read cache.
    pub cacheable: Option<CachedQuery>,
    /// Whose budget it spends (and whose idempotency keys it uses).
    pub requester: RateSubject,
}

/// Every check that can refuse a request before it runs: credentials, the document, the
/// method, and whether the actor may read.
pub(super) async fn admit(
    state: &AppState,
    caller: &Caller,
    media: ResponseMedia,
    raw: RawRequest,
    via_get: bool,
) -> Result<Admitted, Box<Response>> {
    let authorization = caller
        .headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    if let Some(message) = authorization.and_then(auth::scheme_problem) {
        return Err(Box::new(respond::request_error(
            media,
            StatusCode::UNAUTHORIZED,
            ErrorCode::Unauthenticated,
            &message,
        )));
    }
    let actor = auth::authenticate(state.identity(), authorization)
        .await
        .map_err(|error| Box::new(refused(media, error)))?;
    let raw = documents::resolve(state.documents(), &actor, raw)
        .await
        .map_err(|refused| {
            let status = match refused.status {
                StatusCode::OK => StatusCode::OK,
                preferred => respond::request_error_status(media, preferred),
            };
            Box::new(respond::request_error(
                media,
                status,
                refused.code,
                &refused.message,
            ))
        })?;
    let key = (matches!(actor, Actor::Anonymous) && state.read_cache().enabled())
        .then(|| QueryKey::of(&raw))
        .flatten();
    let mut prepared = pipeline::prepare(raw, state.rules()).map_err(|failure| {
        let status = match failure.code {
            ErrorCode::BadRequest => StatusCode::BAD_REQUEST,
            _ => respond::request_error_status(media, StatusCode::BAD_REQUEST),
        };
        Box::new(respond::request_error(
            media,
            status,
            failure.code,
            &failure.message,
        ))
    })?;
    if via_get && prepared.operation != OperationType::Query {
        let message = "only queries may be sent with GET; send mutations with POST";
        let mut response = respond::request_error(
            media,
            StatusCode::METHOD_NOT_ALLOWED,
            ErrorCode::BadRequest,
            message,
        );
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("POST"));
        return Err(Box::new(response));
    }
    if prepared.operation == OperationType::Subscription {
        let status = respond::request_error_status(media, StatusCode::BAD_REQUEST);
        let message = "subscriptions are served over websockets at /graphql/ws";
        return Err(Box::new(respond::request_error(
            media,
            status,
            ErrorCode::BadRequest,
            message,
        )));
    }
    if prepared.operation == OperationType::Query {
        policy::authorize_read(&actor).map_err(|error| Box::new(refused(media, error)))?;
    }
    let address = super::client::address(caller.peer, &caller.headers, state.trusted_proxy_hops());
    let subject = auth::rate_subject(&actor, Some(address));
    let client = super::client::info(address, &caller.headers);
    let cacheable = key
        .filter(|_| prepared.operation == OperationType::Query)
        .map(|key| CachedQuery {
            key,
            reader: subject.clone(),
        });
    prepared.request = prepared
        .request
        .data(actor)
        .data(subject.clone())
        .data(client)
        .data(FeedTokenMemo::default());
    Ok(Admitted {
        prepared,
        cacheable,
        requester: subject,
    })
}

/// A request refused before it ran, with the status its reason calls for.
fn refused(media: ResponseMedia, error: DomainError) -> Response {
    let (status, code, message) = match error {
        DomainError::Unauthenticated => (
            StatusCode::UNAUTHORIZED,
            ErrorCode::Unauthenticated,
            "the access token is invalid, expired or revoked".to_owned(),
        ),
        DomainError::Forbidden(why) => (
            StatusCode::FORBIDDEN,
            ErrorCode::Forbidden,
            format!("forbidden: {why}"),
        ),
        DomainError::Unreachable { .. } => {
            tracing::warn!(error = %crate::graphql::error::chain(&error), "cannot admit request");
            return respond::unreachable(media);
        }
        other => {
            tracing::error!(error = %crate::graphql::error::chain(&other), "cannot admit request");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                ErrorCode::Internal,
                crate::graphql::error::INTERNAL_MESSAGE.to_owned(),
            )
        }
    };
    // Refusing credentials is HTTP's business, whatever the media type: clients key their
    // refresh and sign-in flows on 401 and 403.
    respond::request_error(media, status, code, &message)
}
