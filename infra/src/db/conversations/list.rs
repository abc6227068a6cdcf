//! Which threads and replies a reader may list, in SQL.

use khub_domain::community::{Role, Visibility};
use khub_domain::conversation::{PostScope, PostStatus, ThreadQuery};
use sea_orm::sea_query::Query;
use sea_orm::{ColumnTrait, Condition};

use crate::db::entity::{community, community_member as member, post, thread};

/// The query's threads the reader may read (see `khub_domain::conversation::can_read_thread`):
/// in communities whose content they may read, approved, or their own, or in a community they
/// facilitate.
pub(super) fn threads(query: &ThreadQuery) -> Condition {
    let mut condition = Condition::all();
    if let Some(community) = query.community {
        condition = condition.add(thread::Column::CommunityId.eq(community.as_uuid()));
    }
    if let Some(practice) = query.practice {
        condition = condition.add(thread::Column::PracticeId.eq(practice.as_uuid()));
    }
    let open = Query::select()
        .column(community::Column::Id)
        .from(community::Entity)
        .and_where(community::Column::Visibility.eq(Visibility::Open.as_str()))
        .to_owned();
    let approved = thread::Column::Status.eq(PostStatus::Approved.as_str());
    let Some(reader) = query.reader else {
        return condition
            .add(thread::Column::CommunityId.in_subquery(open))
            .add(approved);
    };
    let memberships = |roles: &[Role]| {
        let mut select = Query::select()
            .column(member::Column::CommunityId)
            .from(member::Entity)
            .and_where(member::Column::PersonId.eq(reader.as_uuid()))
            .to_owned();
        if !roles.is_empty() {
            select.and_where(member::Column::Role.is_in(roles.iter().map(|r| r.as_str())));
        }
        select
    };
    condition
        .add(
            Condition::any()
                .add(thread::Column::CommunityId.in_subquery(open))
                .add(thread::Column::CommunityId.in_subquery(memberships(&[]))),
        )
        .add(
            Condition::any()
                .add(approved)
                .add(thread::Column::AuthorId.eq(reader.as_uuid()))
                .add(
                    thread::Column::CommunityId
                        .in_subquery(memberships(&[Role::Facilitator, Role::Owner])),
                ),
        )
}

/// The replies in `scope`.
pub(super) fn replies(scope: PostScope) -> Condition {
    let replies = Condition::all().add(post::Column::Position.gt(0));
    match scope {
        PostScope::All => replies,
        PostScope::ApprovedOr(reader) => {
            let mut visible =
                Condition::any().add(post::Column::Status.eq(PostStatus::Approved.as_str()));
            if let Some(reader) = reader {
                visible = visible.add(post::Column::AuthorId.eq(reader.as_uuid()));
            }
            replies.add(visible)
        }
    }
}
