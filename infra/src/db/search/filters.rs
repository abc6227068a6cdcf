//! What a search may find, as a condition on the documents (aliased `d`): the reader's
//! visibility, then the filter. Visibility follows `khub_domain::community` (and the rules the
//! practice and thread lists apply): content of OPEN communities and of none is anyone's, content
//! of any other community its members' only; a community itself is found by anyone unless it
//! is PRIVATE.

use khub_domain::community::Visibility;
use khub_domain::person::PersonId;
use khub_domain::search::{SearchFilter, SearchKind, SearchRequest};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query, SelectStatement, SimpleExpr};
use sea_orm::{ColumnTrait, Condition};

use crate::db::entity::{community, community_member as member, person, practice_tag as tag};

/// The documents' alias in every search statement.
pub(super) const DOCUMENTS: &str = "d";

/// A column of the documents.
pub(super) fn column(name: &str) -> Expr {
    Expr::col((Alias::new(DOCUMENTS), Alias::new(name)))
}

/// The request's visibility and filter.
pub(super) fn condition(request: &SearchRequest) -> Condition {
    Condition::all()
        .add(visible_to(request.reader))
        .add(filtered(&request.filter))
}

fn visible_to(reader: Option<PersonId>) -> Condition {
    let communities = |visibility: SimpleExpr| {
        Query::select()
            .column(community::Column::Id)
            .from(community::Entity)
            .and_where(visibility)
            .to_owned()
    };
    let open = communities(community::Column::Visibility.eq(Visibility::Open.as_str()));
    let listed = communities(community::Column::Visibility.ne(Visibility::Private.as_str()));
    let mut visible = Condition::any()
        .add(column("community_id").is_null())
        .add(column("community_id").in_subquery(open))
        .add(
            Condition::all()
                .add(column("kind").eq(SearchKind::Community.as_str()))
                .add(column("community_id").in_subquery(listed)),
        );
    if let Some(reader) = reader {
        visible = visible.add(column("community_id").in_subquery(memberships(reader)));
    }
    visible
}

fn memberships(reader: PersonId) -> SelectStatement {
    Query::select()
        .column(member::Column::CommunityId)
        .from(member::Entity)
        .and_where(member::Column::PersonId.eq(reader.as_uuid()))
        .to_owned()
}

fn filtered(filter: &SearchFilter) -> Condition {
    let mut condition = Condition::all();
    if !filter.kinds.is_empty() {
        condition = condition.add(column("kind").is_in(filter.kinds.iter().map(|k| k.as_str())));
    }
    if practices_only(filter) {
        condition = condition.add(column("kind").eq(SearchKind::Practice.as_str()));
    }
    if let Some(community) = filter.community {
        condition = condition.add(column("community_id").eq(community.as_uuid()));
    }
    if let Some(organisation) = filter.organisation {
        let people = Query::select()
            .column(person::Column::Id)
            .from(person::Entity)
            .and_where(person::Column::OrganisationId.eq(organisation.as_uuid()))
            .to_owned();
        let person = Condition::all()
            .add(column("kind").eq(SearchKind::Person.as_str()))
            .add(column("id").in_subquery(people.clone()));
        condition = condition.add(
            Condition::any()
                .add(column("organisation_id").eq(organisation.as_uuid()))
                .add(column("author_id").in_subquery(people))
                .add(person),
        );
    }
    if let Some(author) = filter.author {
        condition = condition.add(column("author_id").eq(author.as_uuid()));
    }
    if let Some(wanted) = &filter.tag {
        let tagged = Query::select()
            .column(tag::Column::PracticeId)
            .from(tag::Entity)
            .and_where(tag::Column::Tag.eq(wanted.trim().to_lowercase()))
            .to_owned();
        condition = condition.add(column("id").in_subquery(tagged));
    }
    if let Some(area) = &filter.service_area {
        condition = condition.add(column("service_area").eq(area.clone()));
    }
    if let Some(from) = filter.from {
        condition = condition.add(column("created_at").gte(from));
    }
    if let Some(until) = filter.until {
        condition = condition.add(column("created_at").lt(until));
    }
    if let Some(after) = filter.created_after {
        condition = condition.add(column("created_at").gt(after));
    }
    if !filter.practice_statuses.is_empty() {
        let statuses = filter.practice_statuses.iter().map(|s| s.as_str());
        condition = condition.add(column("practice_status").is_in(statuses));
    }
    condition
}

/// Tags, service areas and statuses belong to practices alone.
fn practices_only(filter: &SearchFilter) -> bool {
    filter.tag.is_some() || filter.service_area.is_some() || !filter.practice_statuses.is_empty()
}
