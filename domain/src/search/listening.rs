//! Saved searches, as use cases: each person keeps their own, and sees only their own.

use super::{
    MAX_SAVED_SEARCHES, SavedQuery, SavedSearch, SavedSearchChanges, SavedSearchId, Search,
    SearchHit, SearchName,
};
use crate::access::Actor;
use crate::error::{DomainError, DomainResult, FieldError};
use crate::pagination::{Page, PageRequest};
use crate::person::PersonId;
use crate::policy::{self, Action};

impl Search {
    /// Keeps a search for the actor (a name and a query are required); its matches so far
    /// count as seen.
    #[tracing::instrument(skip_all)]
    pub async fn save(&self, actor: &Actor, new: SavedSearchChanges) -> DomainResult<SavedSearch> {
        let owner = policy::authorize(actor, Action::KeepSavedSearches)?.id;
        let (name, query) = required(new.name, new.query)?;
        if self.saved.count(owner).await? >= MAX_SAVED_SEARCHES {
            return Err(DomainError::invalid(
                "name",
                "TOO_MANY",
                format!("you can keep at most {MAX_SAVED_SEARCHES} searches: delete one first"),
            ));
        }
        let now = self.clock.now();
        let search = SavedSearch {
            id: SavedSearchId::generate(),
            owner,
            name,
            query,
            filter: new.filter.unwrap_or_default(),
            created_at: now,
            seen_at: now,
        };
        self.saved.create(&search).await?;
        Ok(search)
    }

    /// Changes one of the actor's searches.
    #[tracing::instrument(skip_all)]
    pub async fn update_saved(
        &self,
        actor: &Actor,
        id: SavedSearchId,
        changes: SavedSearchChanges,
    ) -> DomainResult<SavedSearch> {
        let current = self.own(actor, id).await?;
        let search = SavedSearch {
            name: changes.name.unwrap_or(current.name),
            query: changes.query.unwrap_or(current.query),
            filter: changes.filter.unwrap_or(current.filter),
            ..current
        };
        self.saved.update(&search).await?;
        Ok(search)
    }

    /// Deletes one of the actor's searches; returns it as it was.
    #[tracing::instrument(skip_all)]
    pub async fn delete_saved(
        &self,
        actor: &Actor,
        id: SavedSearchId,
    ) -> DomainResult<SavedSearch> {
        let search = self.own(actor, id).await?;
        self.saved.delete(id).await?;
        Ok(search)
    }

    /// Marks everything the search matches now as seen.
    #[tracing::instrument(skip_all)]
    pub async fn mark_seen(&self, actor: &Actor, id: SavedSearchId) -> DomainResult<SavedSearch> {
        let search = self.own(actor, id).await?;
        let now = self.clock.now();
        self.saved.mark_seen(id, now).await?;
        Ok(SavedSearch {
            seen_at: now,
            ..search
        })
    }

    /// The actor's searches, newest first.
    pub async fn saved_searches(
        &self,
        actor: &Actor,
        page: &PageRequest,
    ) -> DomainResult<Page<SavedSearch>> {
        let owner = policy::authorize(actor, Action::KeepSavedSearches)?.id;
        self.saved.list(owner, page).await
    }

    /// One of the actor's searches, to read (a read-only credential will do); anyone else's
    /// does not exist for them.
    pub async fn saved_search(
        &self,
        actor: &Actor,
        id: SavedSearchId,
    ) -> DomainResult<SavedSearch> {
        policy::authorize_read(actor)?;
        let reader = actor.person().ok_or(DomainError::NotFound)?.id;
        match self.saved.find(id).await? {
            Some(search) if search.owner == reader => Ok(search),
            _ => Err(DomainError::NotFound),
        }
    }

    /// These of `owner`'s saved searches (others' are left out).
    pub async fn saved_searches_of(
        &self,
        owner: PersonId,
        ids: &[SavedSearchId],
    ) -> DomainResult<Vec<SavedSearch>> {
        let mut found = self.saved.find_many(ids).await?;
        found.retain(|search| search.owner == owner);
        Ok(found)
    }

    /// What the search finds now, for the actor, created since they last looked.
    pub async fn new_matches(
        &self,
        actor: &Actor,
        search: &SavedSearch,
        page: &PageRequest,
    ) -> DomainResult<Page<SearchHit>> {
        let filter = search.new_matches_filter();
        self.search(actor, search.query.query().clone(), filter, page)
            .await
    }

    /// How many results are new since the actor last looked at the search.
    pub async fn new_match_count(&self, actor: &Actor, search: &SavedSearch) -> DomainResult<u64> {
        let filter = search.new_matches_filter();
        let request = super::request(actor, search.query.query().clone(), filter)?;
        self.index.count(&request).await
    }

    async fn own(&self, actor: &Actor, id: SavedSearchId) -> DomainResult<SavedSearch> {
        let owner = policy::authorize(actor, Action::KeepSavedSearches)?.id;
        match self.saved.find(id).await? {
            Some(search) if search.owner == owner => Ok(search),
            _ => Err(DomainError::NotFound),
        }
    }
}

fn required(
    name: Option<SearchName>,
    query: Option<SavedQuery>,
) -> DomainResult<(SearchName, SavedQuery)> {
    match (name, query) {
        (Some(name), Some(query)) => Ok((name, query)),
        (name, query) => {
            let missing = [("name", name.is_none()), ("query", query.is_none())];
            let errors = missing
                .into_iter()
                .filter(|(_, missing)| *missing)
                .map(|(field, _)| FieldError::new(field, "REQUIRED", "is required"))
                .collect();
            Err(DomainError::Invalid(errors))
        }
    }
}
