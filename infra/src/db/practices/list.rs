//! Which practices a list may show: the filter, then visibility, in SQL.

use khub_domain::community::{Role, Visibility};
use khub_domain::practice::{PracticeQuery, PracticeStatus};
use sea_orm::sea_query::Query;
use sea_orm::{ColumnTrait, Condition};

use crate::db::entity::{community, community_member as member, practice, practice_tag as tag};

/// The filter, narrowed to what the reader may read (see `khub_domain::practice::can_read`):
/// their own practices, and others' past draft with no community, an OPEN one, or one they
/// belong to, and not hidden unless they facilitate its community.
pub(super) fn condition(query: &PracticeQuery) -> Condition {
    let filter = &query.filter;
    let statuses: Vec<&str> = filter.statuses.iter().map(|s| s.as_str()).collect();
    let mut condition = Condition::all().add(practice::Column::Status.is_in(statuses));
    if let Some(community) = filter.community {
        condition = condition.add(practice::Column::CommunityId.eq(community.as_uuid()));
    }
    if let Some(organisation) = filter.organisation {
        condition = condition.add(practice::Column::OrganisationId.eq(organisation.as_uuid()));
    }
    if let Some(author) = filter.author {
        condition = condition.add(practice::Column::AuthorId.eq(author.as_uuid()));
    }
    if let Some(area) = &filter.service_area {
        condition = condition.add(practice::Column::ServiceArea.eq(area.clone()));
    }
    if let Some(wanted) = &filter.tag {
        let tagged = Query::select()
            .column(tag::Column::PracticeId)
            .from(tag::Entity)
            .and_where(tag::Column::Tag.eq(wanted.trim().to_lowercase()))
            .to_owned();
        condition = condition.add(practice::Column::Id.in_subquery(tagged));
    }
    condition.add(readable(query))
}

/// Not hidden, or hidden in a community the reader facilitates.
fn shown(query: &PracticeQuery) -> Condition {
    let shown = Condition::any().add(practice::Column::HiddenAt.is_null());
    let Some(reader) = query.reader else {
        return shown;
    };
    let facilitated = Query::select()
        .column(member::Column::CommunityId)
        .from(member::Entity)
        .and_where(member::Column::PersonId.eq(reader.as_uuid()))
        .and_where(member::Column::Role.is_in([Role::Facilitator.as_str(), Role::Owner.as_str()]))
        .to_owned();
    shown.add(practice::Column::CommunityId.in_subquery(facilitated))
}

fn readable(query: &PracticeQuery) -> Condition {
    let open_communities = Query::select()
        .column(community::Column::Id)
        .from(community::Entity)
        .and_where(community::Column::Visibility.eq(Visibility::Open.as_str()))
        .to_owned();
    let mut community_readable = Condition::any()
        .add(practice::Column::CommunityId.is_null())
        .add(practice::Column::CommunityId.in_subquery(open_communities));
    if let Some(reader) = query.reader {
        let memberships = Query::select()
            .column(member::Column::CommunityId)
            .from(member::Entity)
            .and_where(member::Column::PersonId.eq(reader.as_uuid()))
            .to_owned();
        community_readable =
            community_readable.add(practice::Column::CommunityId.in_subquery(memberships));
    }
    let others = Condition::all()
        .add(practice::Column::Status.ne(PracticeStatus::Draft.as_str()))
        .add(community_readable)
        .add(shown(query));
    match query.reader {
        Some(reader) => Condition::any()
            .add(practice::Column::AuthorId.eq(reader.as_uuid()))
            .add(others),
        None => others,
    }
}
