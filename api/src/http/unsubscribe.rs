//! One-click unsubscribe from notification mail (RFC 8058): mail clients POST to the link in
//! `List-Unsubscribe`; a person following it in a browser gets a page whose button does the
//! same. A GET changes nothing: link scanners fetch every link in a message.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use khub_domain::DomainError;

use crate::state::AppState;

/// The page a person reaches by following the link.
pub async fn page(Path(token): Path<String>) -> Response {
    let token: String = token
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
        .collect();
    Html(format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <title>Stop notification e-mails</title></head><body>\
         <h1>Stop notification e-mails</h1>\
         <form method=\"post\" action=\"/unsubscribe/{token}\">\
         <button type=\"submit\">Stop e-mails about my notifications</button></form>\
         <p>You can turn them on again in your notification settings.</p></body></html>"
    ))
    .into_response()
}

/// Stops the mail of the person the link names.
pub async fn confirm(State(state): State<AppState>, Path(token): Path<String>) -> Response {
    match state.notifications().unsubscribe(&token).await {
        Ok(()) => (
            StatusCode::OK,
            Html("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Unsubscribed</title></head>\
                  <body><p>You will no longer receive e-mails about your notifications.</p></body></html>"),
        )
            .into_response(),
        Err(DomainError::NotFound) => (StatusCode::NOT_FOUND, "no such unsubscribe link\n").into_response(),
        Err(error) => {
            tracing::warn!(%error, "an unsubscribe failed");
            (StatusCode::SERVICE_UNAVAILABLE, "try again shortly\n").into_response()
        }
    }
}
