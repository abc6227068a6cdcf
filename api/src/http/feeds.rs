//! `/feeds/…`: Atom 1.0 feeds of what people follow without visiting, with the validators
//! feed readers use (`ETag`, `Last-Modified`) answered by 304 when nothing changed. A private
//! feed's address carries its reader's feed token (`?token=`); a feed its reader may not read,
//! or whose token is forged or reset, is 404 like one that does not exist.

use atom_syndication::{Entry, Feed as AtomFeed, Link, Person, Text};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use khub_domain::access::Actor;
use khub_domain::feeds::{Feed, FeedSource, Feeds};
use khub_domain::ports::Secrets;
use khub_domain::search::SavedSearchId;
use khub_infra::security::RandomSecrets;

use crate::graphql::id::{self, NodeKind};
use crate::state::AppState;

const ATOM: &str = "application/atom+xml; charset=utf-8";

/// The feed use cases and where the hub is reached, for absolute links.
#[derive(Clone)]
pub struct FeedService {
    feeds: Feeds,
    public_url: String,
}

impl FeedService {
    pub fn new(feeds: Feeds, public_url: String) -> Self {
        let public_url = public_url.trim_end_matches('/').to_owned();
        Self { feeds, public_url }
    }

    /// Where the feed of `source` is served, for the reader whose feed token is given.
    pub fn url(&self, source: &FeedSource, token: Option<&str>) -> String {
        let address = self.address(source);
        match token {
            Some(token) => format!("{address}?token={}", encode(token)),
            None => address,
        }
    }

    fn address(&self, source: &FeedSource) -> String {
        let path = match source {
            FeedSource::Community(slug) => format!("communities/{}", encode(slug)),
            FeedSource::Promoted => "promoted".to_owned(),
            FeedSource::Tag(tag) => format!("tags/{}", encode(&tag.trim().to_lowercase())),
            FeedSource::Person(handle) => format!("people/{}", encode(handle)),
            FeedSource::SavedSearch(id) => {
                format!(
                    "saved-searches/{}",
                    id::encode(NodeKind::SavedSearch, id.as_uuid()).0
                )
            }
        };
        format!("{}/feeds/{path}", self.public_url)
    }

    fn atom(&self, source: &FeedSource, feed: Feed) -> String {
        let updated = feed.updated().fixed_offset();
        let entries = feed
            .entries
            .iter()
            .map(|entry| {
                let mut atom = Entry::default();
                atom.set_id(format!("{}/{}", self.public_url, entry.key));
                atom.set_title(Text::plain(entry.title.clone()));
                atom.set_updated(entry.updated.fixed_offset());
                atom.set_links(vec![link(
                    format!("{}{}", self.public_url, entry.path),
                    "alternate",
                )]);
                atom.set_summary(Some(Text::plain(entry.summary.clone())));
                let mut author = Person::default();
                author.set_name(
                    entry
                        .author
                        .clone()
                        .unwrap_or_else(|| "Knowledge Hub".to_owned()),
                );
                atom.set_authors(vec![author]);
                atom
            })
            .collect::<Vec<_>>();
        let mut atom = AtomFeed::default();
        atom.set_id(self.address(source));
        atom.set_title(Text::plain(feed.title));
        atom.set_updated(updated);
        atom.set_links(vec![
            link(self.address(source), "self"),
            link(format!("{}{}", self.public_url, feed.path), "alternate"),
        ]);
        let mut hub = Person::default();
        hub.set_name("Knowledge Hub");
        atom.set_authors(vec![hub]);
        atom.set_entries(entries);
        atom.to_string()
    }
}

fn link(href: String, rel: &str) -> Link {
    let mut link = Link::default();
    link.set_href(href);
    link.set_rel(rel);
    link
}

/// A path segment, percent-encoded where it must be.
fn encode(segment: &str) -> String {
    segment
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The feed token of a private feed's address.
#[derive(serde::Deserialize)]
pub struct Token {
    token: Option<String>,
}

/// `GET /feeds/communities/{slug}`: a community's new threads and practices (for a community
/// that is not OPEN, with a member's feed token).
pub async fn community(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(token): Query<Token>,
    headers: HeaderMap,
) -> Response {
    serve(&state, FeedSource::Community(slug), token, &headers).await
}

/// `GET /feeds/saved-searches/{id}?token=`: a saved search's matches, for its owner.
pub async fn saved_search(
    State(state): State<AppState>,
    Path(global): Path<String>,
    Query(token): Query<Token>,
    headers: HeaderMap,
) -> Response {
    match id::decode(&global) {
        Some((NodeKind::SavedSearch, uuid)) => {
            let source = FeedSource::SavedSearch(SavedSearchId::from_uuid(uuid));
            serve(&state, source, token, &headers).await
        }
        _ => not_found(),
    }
}

/// `GET /feeds/promoted`: practices promoted anywhere on the hub.
pub async fn promoted(State(state): State<AppState>, headers: HeaderMap) -> Response {
    serve(
        &state,
        FeedSource::Promoted,
        Token { token: None },
        &headers,
    )
    .await
}

/// `GET /feeds/tags/{tag}`: published practices with the tag.
pub async fn tag(
    State(state): State<AppState>,
    Path(tag): Path<String>,
    headers: HeaderMap,
) -> Response {
    serve(
        &state,
        FeedSource::Tag(tag),
        Token { token: None },
        &headers,
    )
    .await
}

/// `GET /feeds/people/{handle}`: a person's published practices.
pub async fn person(
    State(state): State<AppState>,
    Path(handle): Path<String>,
    headers: HeaderMap,
) -> Response {
    serve(
        &state,
        FeedSource::Person(handle),
        Token { token: None },
        &headers,
    )
    .await
}

async fn serve(
    state: &AppState,
    source: FeedSource,
    token: Token,
    headers: &HeaderMap,
) -> Response {
    let service = state.feeds();
    let reader = match token.token {
        Some(token) => match state.identity().feed_reader(&token).await {
            Ok(Some(reader)) => reader,
            Ok(None) => return not_found(),
            Err(error) => return unavailable(error),
        },
        None => Actor::Anonymous,
    };
    let feed = match service.feeds.feed(&reader, &source).await {
        Ok(Some(feed)) => feed,
        Ok(None) => return not_found(),
        Err(error) => return unavailable(error),
    };
    let modified = feed.updated();
    let body = service.atom(&source, feed);
    let etag = format!("\"{}\"", &RandomSecrets.digest(&body)[..32]);
    let last_modified = modified.format("%a, %d %b %Y %H:%M:%S GMT").to_string();
    let mut response = match unchanged(headers, &etag, modified) {
        true => StatusCode::NOT_MODIFIED.into_response(),
        false => ([(header::CONTENT_TYPE, ATOM)], body).into_response(),
    };
    let validators = response.headers_mut();
    for (name, value) in [(header::ETAG, etag), (header::LAST_MODIFIED, last_modified)] {
        if let Ok(value) = HeaderValue::from_str(&value) {
            validators.insert(name, value);
        }
    }
    validators.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=60"),
    );
    response
}

fn not_found() -> Response {
    (StatusCode::NOT_FOUND, "no such feed").into_response()
}

fn unavailable(error: khub_domain::DomainError) -> Response {
    tracing::error!(%error, "feed failed");
    let retry = [(header::RETRY_AFTER, "5")];
    (
        StatusCode::SERVICE_UNAVAILABLE,
        retry,
        "the feed is unavailable; try again shortly",
    )
        .into_response()
}

/// Whether the reader's copy is current: `If-None-Match` decides when sent (RFC 9110 §13.1.3),
/// otherwise `If-Modified-Since` (to the second, as HTTP dates go).
fn unchanged(headers: &HeaderMap, etag: &str, modified: DateTime<Utc>) -> bool {
    if let Some(tags) = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
    {
        return tags.split(',').any(|tag| {
            let tag = tag.trim();
            tag == "*" || tag.trim_start_matches("W/") == etag
        });
    }
    let since = headers
        .get(header::IF_MODIFIED_SINCE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| DateTime::parse_from_rfc2822(v).ok());
    since.is_some_and(|since| modified.timestamp() <= since.timestamp())
}
