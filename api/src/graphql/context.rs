//! What resolvers reach: the hub's ports (shared) and the request's own facts.

use std::sync::Arc;

use khub_domain::ports::OrganisationRepository;
use khub_infra::Backends;

/// The hub's ports, shared by every request. Fields are private: resolvers ask for what they
/// need by name.
#[derive(Clone)]
pub struct HubContext {
    organisations: Arc<dyn OrganisationRepository>,
}

impl HubContext {
    pub fn new(backends: &Backends) -> Self {
        Self {
            organisations: backends.organisations.clone(),
        }
    }

    pub fn organisations(&self) -> &dyn OrganisationRepository {
        self.organisations.as_ref()
    }
}

/// Identifies one request in logs and in internal-error messages.
#[derive(Debug, Clone)]
pub struct RequestId(pub String);
