use async_trait::async_trait;

use crate::error::DomainResult;

/// One message to one address, as plain text and as HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mail {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    /// For mail someone may stop: the address that stops it in one click (RFC 8058
    /// `List-Unsubscribe` with `List-Unsubscribe-Post`).
    pub unsubscribe: Option<String>,
}

/// Delivers mail: over SMTP in production, as `.eml` files in the embedded default.
#[async_trait]
pub trait Mailer: Send + Sync {
    /// Hands `mail` to the mail system; an error means it was not accepted.
    async fn send(&self, mail: &Mail) -> DomainResult<()>;
}
