//! Serving an anonymous query through the read cache: the kept answer when it was computed at
//! the current content version, otherwise the query runs and its answer is kept.

use axum::body::Bytes;
use axum::response::Response;
use khub_domain::rate_limit::RateSubject;

use super::cost::Spend;
use super::graphql::{answer, execute, run};
use super::media::ResponseMedia;
use super::read_cache::{Answer, QueryKey};
use super::respond;
use crate::graphql::pipeline::Prepared;
use crate::graphql::rate_limit;
use crate::state::AppState;

/// An anonymous query, and whose budget it spends.
pub struct CachedQuery {
    pub key: QueryKey,
    pub reader: RateSubject,
}

pub async fn serve(
    state: &AppState,
    media: ResponseMedia,
    prepared: Prepared,
    query: CachedQuery,
    request_id: &str,
) -> Response {
    let version = match state.content_version().current().await {
        Ok(Some(version)) => version,
        // The store lost the version (every start sets one): nothing is safe to keep until
        // the next write sets another.
        Ok(None) => return execute(state, media, prepared, request_id).await,
        Err(error) => {
            tracing::warn!(%error, "no content version: answering without the read cache");
            return execute(state, media, prepared, request_id).await;
        }
    };
    let kept = state.read_cache().get(&query.key, &version);
    state.metrics().read_cache_lookup(kept.is_some());
    if let Some(kept) = kept {
        return give_kept(state, media, &kept, &query.reader, request_id).await;
    }
    let (response, budget) = run(state, prepared, request_id).await;
    match (response, budget.charged()) {
        (Some(response), Some((status, cost))) if keepable(&response) => {
            let body = Bytes::from(respond::data_text(&response));
            let spend = Spend::of(&response, cost);
            state
                .read_cache()
                .keep(query.key, version, spend, body.clone());
            let mut answered = respond::ok_json(media, spend.spliced(&body, &status));
            respond::rate_limit_headers(answered.headers_mut(), &status);
            answered
        }
        (response, _) => answer(media, response, &budget, request_id),
    }
}

/// A kept answer, charged to its reader as if it had run.
async fn give_kept(
    state: &AppState,
    media: ResponseMedia,
    kept: &Answer,
    reader: &RateSubject,
    request_id: &str,
) -> Response {
    match state
        .rate_limiter()
        .charge(reader, kept.spend.requested)
        .await
    {
        Ok(status) => {
            let body = kept.spend.spliced(&kept.body, &status);
            let mut answered = respond::ok_json(media, body);
            respond::rate_limit_headers(answered.headers_mut(), &status);
            answered
        }
        Err(error) => {
            let refused = async_graphql::Response::from_errors(vec![rate_limit::refusal(error)]);
            respond::executed(media, refused, request_id)
        }
    }
}

/// Whether every anonymous reader may be given this answer until the content changes.
fn keepable(response: &async_graphql::Response) -> bool {
    let control = response.cache_control;
    response.is_ok() && control.public && control.max_age != -1
}
