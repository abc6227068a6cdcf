//! Liveness and readiness probes for load balancers and orchestrators.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::state::AppState;

/// `GET /healthz`: the process is alive and serving HTTP.
pub async fn alive() -> Json<Value> {
    Json(json!({ "status": "ok" }))
}

/// `GET /readyz`: the database, the session store and the event bus all answer.
pub async fn ready(State(state): State<AppState>) -> (StatusCode, Json<Value>) {
    let checks =
        futures_util::future::join_all(state.health_checks().iter().map(|check| async move {
            let outcome = check.ping().await;
            if let Err(error) = &outcome {
                tracing::warn!(component = check.component(), %error, "readiness check failed");
            }
            (check.component(), outcome.is_ok())
        }))
        .await;
    let ready = checks.iter().all(|(_, ok)| *ok);
    let components: serde_json::Map<String, Value> = checks
        .into_iter()
        .map(|(name, ok)| {
            (
                name.to_owned(),
                json!(if ok { "ok" } else { "unavailable" }),
            )
        })
        .collect();
    let status = if ready {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    let body =
        json!({ "status": if ready { "ok" } else { "unavailable" }, "components": components });
    (status, Json(body))
}
