//! Registering the documents a partner's token may run, and restricting it to them.

use super::Identity;
use crate::access::Actor;
use crate::api_token::{ApiToken, ApiTokenId};
use crate::documents::DocumentHash;
use crate::error::{DomainError, DomainResult, FieldError};
use crate::policy::{self, Action};

/// Documents registered at once, at most.
const MAX_DOCUMENTS: usize = 100;
/// The longest document accepted.
const MAX_DOCUMENT_LEN: usize = 100_000;

impl Identity {
    /// Registers `documents` for a token the caller may manage (its owner, or an administrator
    /// of its organisation), and sets whether it runs only registered documents; answers each
    /// document's hash, in order. `valid` checks each is a document the hub could run.
    pub async fn register_trusted_documents(
        &self,
        actor: &Actor,
        token: ApiTokenId,
        documents: &[String],
        only: Option<bool>,
        valid: impl Fn(&str) -> Result<(), String>,
    ) -> DomainResult<(ApiToken, Vec<DocumentHash>)> {
        // From a signed-in session: a token cannot widen what it may run.
        policy::authorize(actor, Action::ManageOwnSession)?;
        let mut found = self
            .api_token(actor, token)
            .await?
            .ok_or(DomainError::NotFound)?;
        check(documents, &valid)?;
        let hashes: Vec<DocumentHash> = documents.iter().map(|d| DocumentHash::of(d)).collect();
        let hashed: Vec<(String, String)> = hashes
            .iter()
            .zip(documents)
            .map(|(hash, document)| (hash.as_str().to_owned(), document.clone()))
            .collect();
        self.ports
            .api_tokens
            .register_documents(token, &hashed, only)
            .await?;
        if let Some(only) = only {
            found.trusted_documents_only = only;
        }
        Ok((found, hashes))
    }
}

fn check(documents: &[String], valid: &impl Fn(&str) -> Result<(), String>) -> DomainResult<()> {
    if documents.len() > MAX_DOCUMENTS {
        return Err(DomainError::invalid(
            "documents",
            "TOO_MANY",
            format!("at most {MAX_DOCUMENTS} documents at once"),
        ));
    }
    let errors: Vec<FieldError> = documents
        .iter()
        .enumerate()
        .filter_map(|(index, document)| {
            let problem = match document.len() > MAX_DOCUMENT_LEN {
                true => format!("is longer than {MAX_DOCUMENT_LEN} bytes"),
                false => valid(document).err()?,
            };
            Some(FieldError::new(
                format!("documents.{index}"),
                "INVALID",
                problem,
            ))
        })
        .collect();
    match errors.is_empty() {
        true => Ok(()),
        false => Err(DomainError::Invalid(errors)),
    }
}
