//! Content negotiation per the GraphQL-over-HTTP spec.

use axum::http::{HeaderMap, header};

/// The media type of a GraphQL response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResponseMedia {
    /// `application/graphql-response+json`: status codes describe request errors.
    GraphqlResponse,
    /// `application/json`: the legacy type; well-formed requests get 200.
    Json,
}

impl ResponseMedia {
    pub fn content_type(self) -> &'static str {
        match self {
            Self::GraphqlResponse => "application/graphql-response+json; charset=utf-8",
            Self::Json => "application/json; charset=utf-8",
        }
    }
}

/// Picks the response media type from `Accept`; `None` when the client accepts neither.
/// No `Accept` means `application/json`, as the spec asks; so do wildcards.
pub fn negotiate(headers: &HeaderMap) -> Option<ResponseMedia> {
    let Some(accept) = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()) else {
        return Some(ResponseMedia::Json);
    };
    let mut best: Option<(f32, u8, ResponseMedia)> = None;
    for range in accept.split(',') {
        let (media, quality) = parse_range(range);
        // Rank explicit types above wildcards when qualities tie.
        let candidate = match media.as_str() {
            "application/graphql-response+json" => (quality, 3, ResponseMedia::GraphqlResponse),
            "application/json" => (quality, 2, ResponseMedia::Json),
            "application/*" | "*/*" => (quality, 1, ResponseMedia::Json),
            _ => continue,
        };
        if candidate.0 > 0.0 && best.is_none_or(|b| (candidate.0, candidate.1) > (b.0, b.1)) {
            best = Some(candidate);
        }
    }
    best.map(|(_, _, media)| media)
}

/// Whether a browser asked for a page (the playground) rather than data.
pub fn wants_html(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.split(',').any(|r| parse_range(r).0 == "text/html"))
}

/// Whether the body is declared as JSON. Anything else (text/plain, forms, multipart) is what a
/// browser sends cross-site without a preflight, so refusing it defeats CSRF.
pub fn is_json_body(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|value| {
            let essence = value
                .split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase();
            essence == "application/json" || essence == "application/graphql-response+json"
        })
}

fn parse_range(range: &str) -> (String, f32) {
    let mut parts = range.split(';');
    let media = parts.next().unwrap_or("").trim().to_ascii_lowercase();
    let quality = parts
        .filter_map(|p| p.trim().strip_prefix("q="))
        .find_map(|q| q.trim().parse::<f32>().ok())
        .unwrap_or(1.0);
    (media, quality)
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    fn accept(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::ACCEPT,
            HeaderValue::from_str(value).expect("header"),
        );
        headers
    }

    #[test]
    fn the_graphql_response_type_is_chosen_when_offered() {
        let h = accept("application/graphql-response+json, application/json;q=0.9");
        assert_eq!(negotiate(&h), Some(ResponseMedia::GraphqlResponse));
    }

    #[test]
    fn quality_values_are_respected() {
        let h = accept("application/graphql-response+json;q=0.5, application/json");
        assert_eq!(negotiate(&h), Some(ResponseMedia::Json));
    }

    #[test]
    fn no_accept_header_and_wildcards_mean_json() {
        assert_eq!(negotiate(&HeaderMap::new()), Some(ResponseMedia::Json));
        assert_eq!(negotiate(&accept("*/*")), Some(ResponseMedia::Json));
    }

    #[test]
    fn an_unsupported_type_is_not_acceptable() {
        assert_eq!(negotiate(&accept("text/html")), None);
        assert_eq!(negotiate(&accept("application/json;q=0")), None);
    }
}
