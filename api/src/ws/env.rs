//! What a connection needs from the server: how to recognise credentials and resolve
//! documents, the rules, and the shared machinery.

use std::net::IpAddr;
use std::sync::Arc;

use futures_util::future::BoxFuture;
use khub_domain::DomainError;
use khub_domain::access::Actor;
use khub_domain::content_version::ContentVersion;
use khub_domain::identity::ClientInfo;
use tokio_util::sync::CancellationToken;

use super::shared::SharedOperations;
use super::watch::CredentialWatch;
use crate::graphql::documents::Refused;
use crate::graphql::pipeline::{RawRequest, Rules};

/// Resolves the `authorization` of a `connection_init` payload to an actor.
pub type Authenticator =
    Arc<dyn Fn(Option<String>) -> BoxFuture<'static, Result<Actor, DomainError>> + Send + Sync>;

/// Resolves an operation's document for the actor (see [`crate::graphql::documents`]).
pub type DocumentResolver =
    Arc<dyn Fn(Actor, RawRequest) -> BoxFuture<'static, Result<RawRequest, Refused>> + Send + Sync>;

/// What a connection needs from the server.
pub struct ConnectionEnv {
    pub authenticate: Authenticator,
    /// The document each operation runs (persisted queries, trusted documents).
    pub resolve: DocumentResolver,
    /// The client's address, whose query budget anonymous operations spend.
    pub client: Option<IpAddr>,
    /// The client's address and `User-Agent`, for the operations that record them.
    pub client_info: ClientInfo,
    /// Tells when the credential the socket opened with ends.
    pub watch: CredentialWatch,
    pub rules: Rules,
    pub shutdown: CancellationToken,
    /// Runs operations, sharing subscriptions.
    pub shared: Arc<SharedOperations>,
    /// Moved on after every mutation (see [`crate::http::read_cache`]).
    pub content_version: ContentVersion,
}
