//! Saving searches, changing and deleting them, and marking their matches seen.

use async_graphql::{Context, ID, InputObject, Object, Result, SimpleObject};
use khub_domain::access::Actor;
use khub_domain::search::{SavedQuery, SavedSearchChanges, SavedSearchId, SearchName};
use khub_domain::{DomainError, FieldError};

use crate::graphql::context::HubContext;
use crate::graphql::id::{self, NodeKind};
use crate::graphql::payload::{Outcome, UserError};
use crate::graphql::types::{SavedSearch, SearchFilter};

/// A search to keep.
#[derive(InputObject)]
pub struct SaveSearchInput {
    /// A name for it, 1 to 100 characters.
    pub name: String,
    /// The query, as typed into `search`.
    pub query: String,
    /// How it narrows the results.
    pub filter: Option<SearchFilter>,
}

/// What to change in a saved search; omitted fields stay as they are.
#[derive(InputObject)]
pub struct UpdateSavedSearchInput {
    /// The saved search.
    pub saved_search_id: ID,
    /// A new name, 1 to 100 characters.
    pub name: Option<String>,
    /// A new query.
    pub query: Option<String>,
    /// A new filter (replacing the whole filter).
    pub filter: Option<SearchFilter>,
}

/// The saved search to delete.
#[derive(InputObject)]
pub struct DeleteSavedSearchInput {
    /// The saved search.
    pub saved_search_id: ID,
}

/// The saved search whose matches were seen.
#[derive(InputObject)]
pub struct MarkSavedSearchSeenInput {
    /// The saved search.
    pub saved_search_id: ID,
}

/// The saved search as it now stands.
#[derive(SimpleObject)]
pub struct SavedSearchPayload {
    /// The saved search.
    pub saved_search: Option<SavedSearch>,
    /// Why the input was refused (nothing changed); empty on success.
    pub user_errors: Vec<UserError>,
}

#[derive(Default)]
pub struct SavedSearchMutation;

#[Object]
impl SavedSearchMutation {
    /// Keeps a search for the viewer; what it finds now counts as seen, and later results are
    /// its new matches.
    async fn save_search(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The search to keep; each of its fields is described on its type.")]
        input: SaveSearchInput,
    ) -> Result<SavedSearchPayload> {
        let (hub, actor) = (ctx.data::<HubContext>()?, ctx.data::<Actor>()?);
        let parsed = parse_all(
            Some(input.name.as_str()),
            Some(input.query.as_str()),
            Some(input.filter.unwrap_or_default()),
        );
        let result = match parsed {
            Ok(new) => hub.search().save(actor, new).await,
            Err(invalid) => Err(invalid),
        };
        payload(result)
    }

    /// Changes one of the viewer's saved searches.
    async fn update_saved_search(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to change; each of its fields is described on its type.")]
        input: UpdateSavedSearchInput,
    ) -> Result<SavedSearchPayload> {
        let (hub, actor) = (ctx.data::<HubContext>()?, ctx.data::<Actor>()?);
        let id = saved_search_id(&input.saved_search_id);
        let changes = parse_all(input.name.as_deref(), input.query.as_deref(), input.filter);
        let result = match (id, changes) {
            (Ok(id), Ok(changes)) => hub.search().update_saved(actor, id, changes).await,
            (Err(invalid), _) | (_, Err(invalid)) => Err(invalid),
        };
        payload(result)
    }

    /// Deletes one of the viewer's saved searches; answers with it as it was.
    async fn delete_saved_search(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The saved search to delete.")] input: DeleteSavedSearchInput,
    ) -> Result<SavedSearchPayload> {
        let (hub, actor) = (ctx.data::<HubContext>()?, ctx.data::<Actor>()?);
        let result = match saved_search_id(&input.saved_search_id) {
            Ok(id) => hub.search().delete_saved(actor, id).await,
            Err(invalid) => Err(invalid),
        };
        payload(result)
    }

    /// Marks everything one of the viewer's saved searches finds now as seen: its new matches
    /// start again from now.
    async fn mark_saved_search_seen(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The saved search whose matches were seen.")]
        input: MarkSavedSearchSeenInput,
    ) -> Result<SavedSearchPayload> {
        let (hub, actor) = (ctx.data::<HubContext>()?, ctx.data::<Actor>()?);
        let result = match saved_search_id(&input.saved_search_id) {
            Ok(id) => hub.search().mark_seen(actor, id).await,
            Err(invalid) => Err(invalid),
        };
        payload(result)
    }
}

fn payload(
    result: Result<khub_domain::search::SavedSearch, DomainError>,
) -> Result<SavedSearchPayload> {
    let (search, user_errors) = Outcome::of(result)?.split();
    Ok(SavedSearchPayload {
        saved_search: search.map(SavedSearch),
        user_errors,
    })
}

fn saved_search_id(raw: &ID) -> Result<SavedSearchId, DomainError> {
    id::expect(NodeKind::SavedSearch, "savedSearchId", raw).map(SavedSearchId::from_uuid)
}

/// Checks every given field, reporting every broken rule at once.
fn parse_all(
    name: Option<&str>,
    query: Option<&str>,
    filter: Option<SearchFilter>,
) -> Result<SavedSearchChanges, DomainError> {
    let mut errors = Vec::new();
    let changes = SavedSearchChanges {
        name: checked(name.map(SearchName::parse), &mut errors)?,
        query: checked(query.map(SavedQuery::parse), &mut errors)?,
        filter: checked(filter.map(SearchFilter::into_domain), &mut errors)?,
    };
    match errors.is_empty() {
        true => Ok(changes),
        false => Err(DomainError::Invalid(errors)),
    }
}

/// A parsed field, its broken rules gathered in `errors`.
fn checked<T>(
    parsed: Option<Result<T, DomainError>>,
    errors: &mut Vec<FieldError>,
) -> Result<Option<T>, DomainError> {
    match parsed {
        Some(Err(DomainError::Invalid(fields))) => {
            errors.extend(fields);
            Ok(None)
        }
        other => other.transpose(),
    }
}
