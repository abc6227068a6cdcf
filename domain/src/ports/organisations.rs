use async_trait::async_trait;

use crate::error::DomainResult;
use crate::organisation::{NewOrganisation, Organisation, OrganisationFilter, OrganisationId};
use crate::pagination::{Page, PageRequest};

/// Where organisations are kept.
#[async_trait]
pub trait OrganisationRepository: Send + Sync {
    /// Stores a new organisation; a taken slug is an invalid `slug` field.
    async fn create(&self, new: &NewOrganisation) -> DomainResult<Organisation>;
    async fn find_by_slug(&self, slug: &str) -> DomainResult<Option<Organisation>>;
    /// The organisation that verified this e-mail domain, if any.
    async fn find_by_domain(&self, domain: &str) -> DomainResult<Option<Organisation>>;
    /// Loads many at once (for batching); missing ids are simply absent.
    async fn find_by_ids(&self, ids: &[OrganisationId]) -> DomainResult<Vec<Organisation>>;
    /// A page of organisations ordered by name.
    async fn list(
        &self,
        filter: &OrganisationFilter,
        page: &PageRequest,
    ) -> DomainResult<Page<Organisation>>;
}
