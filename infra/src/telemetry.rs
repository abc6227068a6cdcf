//! Structured logs and traces: pretty or JSON lines, and OTLP export when an endpoint is set.

use opentelemetry::trace::TracerProvider as _;
use opentelemetry_otlp::WithExportConfig;
use opentelemetry_sdk::Resource;
use opentelemetry_sdk::trace::SdkTracerProvider;
use tracing::Subscriber;
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::registry::LookupSpan;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{EnvFilter, Layer};

use crate::config::LogFormat;

/// Flushes exported traces when dropped.
pub struct TelemetryGuard {
    provider: Option<SdkTracerProvider>,
}

impl Drop for TelemetryGuard {
    fn drop(&mut self) {
        if let Some(provider) = self.provider.take() {
            let _ = provider.shutdown();
        }
    }
}

/// Installs the global subscriber writing to `sink`. Must run inside the Tokio runtime when
/// `otlp_endpoint` is set (the exporter spawns onto it).
pub fn init<W>(
    level: &str,
    format: LogFormat,
    otlp_endpoint: Option<&str>,
    sink: W,
) -> anyhow::Result<TelemetryGuard>
where
    W: for<'w> MakeWriter<'w> + Send + Sync + 'static,
{
    let filter = EnvFilter::try_new(level)
        .map_err(|e| anyhow::anyhow!("configuration error: setting `log_level`: {e}"))?;
    let provider = otlp_endpoint.map(tracer_provider).transpose()?;
    let otel = provider
        .as_ref()
        .map(|p| tracing_opentelemetry::layer().with_tracer(p.tracer("khub")));
    tracing_subscriber::registry()
        .with(filter)
        .with(log_lines(format, sink))
        .with(otel)
        .try_init()
        .map_err(|e| anyhow::anyhow!("cannot install the tracing subscriber: {e}"))?;
    Ok(TelemetryGuard { provider })
}

fn log_lines<S, W>(format: LogFormat, sink: W) -> Box<dyn Layer<S> + Send + Sync>
where
    S: Subscriber + for<'a> LookupSpan<'a>,
    W: for<'w> MakeWriter<'w> + Send + Sync + 'static,
{
    let lines = tracing_subscriber::fmt::layer().with_writer(sink);
    match format {
        LogFormat::Pretty => lines.boxed(),
        LogFormat::Json => lines.json().with_current_span(true).boxed(),
    }
}

fn tracer_provider(endpoint: &str) -> anyhow::Result<SdkTracerProvider> {
    let exporter = opentelemetry_otlp::SpanExporter::builder()
        .with_tonic()
        .with_endpoint(endpoint)
        .build()
        .map_err(|e| anyhow::anyhow!("configuration error: setting `otlp_endpoint`: {e}"))?;
    Ok(SdkTracerProvider::builder()
        .with_batch_exporter(exporter)
        .with_resource(Resource::builder().with_service_name("khub").build())
        .build())
}
