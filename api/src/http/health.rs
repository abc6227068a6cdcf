//! Liveness and readiness probes for load balancers and orchestrators.

use std::sync::Arc;
use std::time::Duration;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use khub_domain::ports::HealthCheck;
use serde_json::{Value, json};

use crate::state::AppState;

/// How long one dependency may take to answer a readiness check.
const CHECK_TIMEOUT: Duration = Duration::from_secs(2);

/// `GET /healthz`: the process is alive and serving HTTP.
pub async fn alive() -> Json<Value> {
    Json(json!({ "status": "ok" }))
}

/// Pings one dependency; one that hangs is as unavailable as one that refuses.
async fn check(dependency: &Arc<dyn HealthCheck>) -> (&'static str, bool) {
    let outcome = tokio::time::timeout(CHECK_TIMEOUT, dependency.ping()).await;
    let ok = matches!(outcome, Ok(Ok(())));
    if !ok {
        tracing::warn!(
            component = dependency.component(),
            ?outcome,
            "readiness check failed"
        );
    }
    (dependency.component(), ok)
}

/// `GET /readyz`: the database, the session store and the event bus all answer.
pub async fn ready(State(state): State<AppState>) -> (StatusCode, Json<Value>) {
    let checks = futures_util::future::join_all(state.health_checks().iter().map(check)).await;
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
