//! `khub serve`: run until SIGINT or SIGTERM, then shut down gracefully.

use khub_infra::{Settings, telemetry};

use crate::Application;

pub async fn run(settings: Settings) -> anyhow::Result<()> {
    let _telemetry = telemetry::init(
        &settings.log_level,
        settings.log_format,
        settings.otlp_endpoint.as_deref(),
        std::io::stdout,
    )?;
    let app = Application::build(settings).await?;
    let stop = app.shutdown_token();
    tokio::spawn(async move {
        shutdown_signal().await;
        tracing::info!("shutting down");
        stop.cancel();
    });
    app.run_until_stopped().await
}

async fn shutdown_signal() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let terminate = async {
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(mut signal) => {
                    signal.recv().await;
                }
                Err(_) => std::future::pending::<()>().await,
            }
        };
        tokio::select! {
            _ = interrupt => {}
            () = terminate => {}
        }
    }
    #[cfg(not(unix))]
    let _ = interrupt.await;
}
