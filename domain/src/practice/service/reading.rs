//! Reading practices and their history: every path applies the visibility rules.

use super::*;

impl Practices {
    /// The practice, if the actor may read it.
    pub async fn find(&self, actor: &Actor, id: PracticeId) -> DomainResult<Option<PracticeView>> {
        Ok(self.visible(actor, &[id]).await?.pop())
    }

    /// The practice with this slug, if the actor may read it.
    pub async fn find_by_slug(
        &self,
        actor: &Actor,
        slug: &str,
    ) -> DomainResult<Option<PracticeView>> {
        let found = self.repo.find_by_slug(slug).await?;
        Ok(self
            .readable(reader(actor), found.into_iter().collect())
            .await?
            .pop())
    }

    /// The practices among `ids` the actor may read, in the store's order.
    pub async fn visible(
        &self,
        actor: &Actor,
        ids: &[PracticeId],
    ) -> DomainResult<Vec<PracticeView>> {
        self.visible_to(reader(actor), ids).await
    }

    /// The practices among `ids` that `reader` may read (`None`: anonymously). For batches that
    /// span requests, keyed by reader.
    pub async fn visible_to(
        &self,
        reader: Option<PersonId>,
        ids: &[PracticeId],
    ) -> DomainResult<Vec<PracticeView>> {
        let found = self.repo.find_by_ids(ids).await?;
        self.readable(reader, found).await
    }

    /// A page of the practices the actor may read.
    pub async fn list(
        &self,
        actor: &Actor,
        filter: PracticeFilter,
        order: PracticeOrder,
        page: &PageRequest,
    ) -> DomainResult<Page<PracticeView>> {
        let query = PracticeQuery {
            filter,
            reader: actor.person().map(|p| p.id),
        };
        let page = self.repo.list(&query, order, page).await?;
        let practices: Vec<Practice> = page.items.iter().map(|(_, p)| p.clone()).collect();
        // One batch for the page's communities; the list query already applied visibility.
        let mut views: HashMap<PracticeId, PracticeView> = self
            .readable(reader(actor), practices)
            .await?
            .into_iter()
            .map(|view| (view.practice.id, view))
            .collect();
        Ok(page.filter_map(|practice| views.remove(&practice.id)))
    }

    /// Which of `ids` (practices the reader may read) `reader` has endorsed.
    pub async fn endorsed_among(
        &self,
        reader: PersonId,
        ids: &[PracticeId],
    ) -> DomainResult<HashSet<PracticeId>> {
        self.repo.endorsed_among(reader, ids).await
    }

    /// Revisions of a readable practice, newest first.
    pub async fn revisions(
        &self,
        view: &PracticeView,
        page: &PageRequest,
    ) -> DomainResult<Page<Revision>> {
        self.repo.revisions(view.practice.id, page).await
    }

    /// One revision of a readable practice.
    pub async fn revision(
        &self,
        view: &PracticeView,
        number: u32,
    ) -> DomainResult<Option<Revision>> {
        Ok(self
            .repo
            .revisions_numbered(view.practice.id, &[number])
            .await?
            .pop())
    }

    /// How revision `to` differs from revision `from`; `None` if either does not exist.
    pub async fn diff(
        &self,
        view: &PracticeView,
        from: u32,
        to: u32,
    ) -> DomainResult<Option<Vec<FieldDiff>>> {
        let revisions = self
            .repo
            .revisions_numbered(view.practice.id, &[from, to])
            .await?;
        let content = |n: u32| revisions.iter().find(|r| r.number == n).map(|r| &r.content);
        Ok(content(from)
            .zip(content(to))
            .map(|(before, after)| diff(before, after)))
    }

    /// Endorsements of a readable practice, oldest first.
    pub async fn endorsements(
        &self,
        view: &PracticeView,
        page: &PageRequest,
    ) -> DomainResult<Page<Endorsement>> {
        self.repo.endorsements(view.practice.id, page).await
    }

    /// Adoptions of a readable practice, oldest first.
    pub async fn adoptions(
        &self,
        view: &PracticeView,
        page: &PageRequest,
    ) -> DomainResult<Page<Adoption>> {
        self.repo.adoptions(view.practice.id, page).await
    }
}
