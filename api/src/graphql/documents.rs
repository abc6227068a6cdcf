//! The document a request runs, for HTTP and websockets alike: the `persistedQuery` extension
//! (version 1, `sha256Hash`) as Apollo clients send it, and trusted-documents-only tokens.
//! Resolved before the document is parsed, because the transport needs it before anything runs
//! (which operation it is, its cache key, its cost): async-graphql's own persisted-query
//! extension resolves it only inside execution.

use axum::http::StatusCode;
use khub_domain::DomainError;
use khub_domain::access::Actor;
use khub_domain::documents::{DocumentHash, DocumentRefusal, Documents};
use serde_json::Value;

use super::error::ErrorCode;
use super::pipeline::RawRequest;

/// Why a request's document was refused, and how to say so.
#[derive(Debug)]
pub struct Refused {
    pub code: ErrorCode,
    pub status: StatusCode,
    pub message: String,
}

impl Refused {
    fn new(code: ErrorCode, status: StatusCode, message: impl Into<String>) -> Self {
        Self {
            code,
            status,
            message: message.into(),
        }
    }
}

/// `raw` with the document it runs in `query`.
pub async fn resolve(
    documents: &Documents,
    actor: &Actor,
    mut raw: RawRequest,
) -> Result<RawRequest, Refused> {
    let hash = persisted_hash(raw.extensions.as_ref())?;
    let query = raw.query.take().filter(|q| !q.trim().is_empty());
    match documents.resolve(actor, query, hash).await {
        Ok(Ok(document)) => {
            raw.query = Some(document);
            Ok(raw)
        }
        Ok(Err(refusal)) => Err(refused(refusal)),
        Err(error) => Err(unavailable(error)),
    }
}

/// The hash of the `persistedQuery` extension, if the request has one.
fn persisted_hash(extensions: Option<&Value>) -> Result<Option<DocumentHash>, Refused> {
    let Some(persisted) = extensions.and_then(|e| e.get("persistedQuery")) else {
        return Ok(None);
    };
    let bad = |message: &str| Refused::new(ErrorCode::BadRequest, StatusCode::BAD_REQUEST, message);
    if persisted.get("version").and_then(Value::as_u64) != Some(1) {
        return Err(bad(
            "only version 1 of the persistedQuery extension is supported",
        ));
    }
    let hash = persisted.get("sha256Hash").and_then(Value::as_str);
    match hash.and_then(DocumentHash::parse) {
        Some(hash) => Ok(Some(hash)),
        None => Err(bad("persistedQuery.sha256Hash must be 64 hex digits")),
    }
}

fn refused(refusal: DocumentRefusal) -> Refused {
    match refusal {
        // Apollo clients look for this message, then send the document with its hash.
        DocumentRefusal::NotFound => Refused::new(
            ErrorCode::PersistedQueryNotFound,
            StatusCode::OK,
            "PersistedQueryNotFound",
        ),
        DocumentRefusal::HashMismatch => Refused::new(
            ErrorCode::BadRequest,
            StatusCode::BAD_REQUEST,
            "persistedQuery.sha256Hash is not the SHA-256 of the query",
        ),
        DocumentRefusal::Untrusted => Refused::new(
            ErrorCode::UntrustedDocument,
            StatusCode::FORBIDDEN,
            "this API token runs only the documents registered for it (registerTrustedDocuments)",
        ),
        DocumentRefusal::Missing => Refused::new(
            ErrorCode::BadRequest,
            StatusCode::BAD_REQUEST,
            "the request has no `query`",
        ),
    }
}

fn unavailable(error: DomainError) -> Refused {
    tracing::warn!(error = %super::error::chain(&error), "cannot resolve a persisted document");
    let code = match error {
        DomainError::Unreachable { .. } => ErrorCode::Unavailable,
        _ => ErrorCode::Internal,
    };
    let message = match code {
        ErrorCode::Unavailable => super::error::UNREACHABLE_MESSAGE,
        _ => super::error::INTERNAL_MESSAGE,
    };
    Refused::new(code, StatusCode::SERVICE_UNAVAILABLE, message)
}
