//! DataLoaders: objects referenced from many places in one response load in one batch.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::dataloader::Loader;
use khub_domain::DomainError;
use khub_domain::organisation::{Organisation, OrganisationId};

use super::context::HubContext;

/// A loader error is shared by every key of the failed batch.
#[derive(Clone)]
pub struct LoadError(pub Arc<DomainError>);

impl From<LoadError> for async_graphql::Error {
    fn from(LoadError(error): LoadError) -> Self {
        let error = Arc::try_unwrap(error)
            .unwrap_or_else(|shared| DomainError::unavailable("batch load", shared.to_string()));
        super::error::ApiError(error).into()
    }
}

/// Organisations by id.
pub struct OrganisationLoader {
    hub: HubContext,
}

impl OrganisationLoader {
    pub fn new(hub: HubContext) -> Self {
        Self { hub }
    }
}

impl Loader<OrganisationId> for OrganisationLoader {
    type Value = Organisation;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[OrganisationId],
    ) -> Result<HashMap<OrganisationId, Organisation>, LoadError> {
        let found = self
            .hub
            .organisations()
            .find_by_ids(keys)
            .await
            .map_err(|e| LoadError(Arc::new(e)))?;
        Ok(found.into_iter().map(|org| (org.id, org)).collect())
    }
}
