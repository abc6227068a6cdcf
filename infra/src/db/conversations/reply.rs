//! Adding a reply, all or nothing: the thread's next position claimed (and the reply counted),
//! the post stored, and, for an approved reply, the community's activity marked and its search
//! document written, and its events recorded.

use khub_domain::conversation::{Post, PostStatus};
use khub_domain::ports::NewReply;
use khub_domain::reputation::Effects;
use khub_domain::search::SearchDocument;
use khub_domain::{DomainError, DomainResult};
use sea_orm::sea_query::{
    Alias, CommonTableExpression, Expr, InsertStatement, Query, UpdateStatement, WithClause,
    WithQuery,
};
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DatabaseBackend, DatabaseConnection, EntityTrait,
    IdenStatic, Iterable, QueryTrait, TransactionTrait,
};

use super::rows::post_row;
use super::threads::{claim_position, claim_update};
use crate::db::communities::{activity_update, record_activity};
use crate::db::entity::{post, thread};
use crate::db::notifications::watches;
use crate::db::outbox;
use crate::db::reputation::ledger;
use crate::db::search::documents;
use crate::error::ResultExt;

/// The thread's row, as updated by the claim: the new reply's position is its `post_count`.
const CLAIMED: &str = "claimed";

pub(super) async fn add(db: &DatabaseConnection, reply: NewReply) -> DomainResult<Post> {
    match db.get_database_backend() {
        // A reply is the hub's most frequent write: one round trip instead of five (BEGIN,
        // claim, insert, activity, COMMIT).
        // (Reputation effects, which a reply has none of today, need the transaction.)
        DatabaseBackend::Postgres if raises_only(&reply.effects) => {
            in_one_statement(db, reply).await
        }
        // SQLite has no data-modifying WITH, and runs in-process: no round trips to save.
        _ => in_a_transaction(db, reply).await,
    }
}

async fn in_a_transaction(db: &DatabaseConnection, reply: NewReply) -> DomainResult<Post> {
    let NewReply {
        mut post,
        community,
        now,
        effects,
    } = reply;
    let tx = db.begin().await.context("begin reply")?;
    post.position = claim_position(&tx, &post, now).await?;
    post::Entity::insert(post_row(&post)?)
        .exec_without_returning(&tx)
        .await
        .context("insert reply")?;
    if post.status == PostStatus::Approved {
        record_activity(&tx, community, now).await?;
    }
    let document = SearchDocument::of_reply(&post, community);
    documents::sync(&tx, post.id.as_uuid(), document).await?;
    ledger::apply(&tx, &effects).await?;
    outbox::commit(tx, "commit reply").await?;
    Ok(post)
}

/// The same writes as one statement; its sub-statements see the thread row the claim locked,
/// and commit together.
async fn in_one_statement(db: &DatabaseConnection, reply: NewReply) -> DomainResult<Post> {
    let NewReply {
        mut post,
        community,
        now,
        effects,
    } = reply;
    let mut claim = claim_update(&post, now).into_query();
    claim.returning_col(thread::Column::PostCount);
    let mut with = WithClause::new();
    with.cte(named(CLAIMED, claim));
    if post.status == PostStatus::Approved {
        let mut activity = activity_update(community, now).into_query();
        activity.and_where(Expr::exists(
            Query::select()
                .expr(Expr::val(1))
                .from(Alias::new(CLAIMED))
                .to_owned(),
        ));
        with.cte(named("activity", activity));
    }
    if let Some(document) = SearchDocument::of_reply(&post, community) {
        let indexed = documents::insert_from(&document, CLAIMED)?;
        with.cte(
            CommonTableExpression::new()
                .table_name(Alias::new("indexed"))
                .query(indexed)
                .to_owned(),
        );
    }
    for recorded in outbox::recorded_from(&effects.events, CLAIMED)? {
        with.cte(recorded);
    }
    let watched = watches::defaults_from(&effects.watches, CLAIMED)?;
    for (n, insert) in watched.into_iter().enumerate() {
        with.cte(
            CommonTableExpression::new()
                .table_name(Alias::new(format!("effect_{n}")))
                .query(insert)
                .to_owned(),
        );
    }
    let statement: WithQuery = with.query(insert_at_claimed_position(&post)?);
    let stored = db
        .query_one(&statement)
        .await
        .context("insert reply")?
        .ok_or(DomainError::NotFound)?;
    outbox::committed();
    let position: i64 = stored
        .try_get("", post::Column::Position.as_str())
        .context("read the reply's position")?;
    post.position = u64::try_from(position).map_err(|_| DomainError::NotFound)?;
    Ok(post)
}

/// Whether the effects are only events and watch levels, which the one statement writes.
fn raises_only(effects: &Effects) -> bool {
    effects.reversals.is_empty() && effects.awards.is_empty() && effects.badges.is_empty()
}

fn named(name: &str, update: UpdateStatement) -> CommonTableExpression {
    CommonTableExpression::new()
        .table_name(Alias::new(name))
        .query(update)
        .to_owned()
}

/// `INSERT INTO posts (…) SELECT …, claimed.post_count, … FROM claimed RETURNING position`:
/// nothing is inserted when there is no thread to claim a position in.
fn insert_at_claimed_position(post: &Post) -> DomainResult<InsertStatement> {
    let row = post_row(post)?;
    let mut columns = Vec::new();
    let mut values = Vec::new();
    for column in post::Column::iter() {
        let value = match column {
            post::Column::Position => Expr::col((Alias::new(CLAIMED), thread::Column::PostCount)),
            _ => match row.get(column).into_value() {
                Some(value) => Expr::val(value),
                None => continue,
            },
        };
        columns.push(column);
        values.push(value);
    }
    let select = Query::select()
        .exprs(values)
        .from(Alias::new(CLAIMED))
        .to_owned();
    Ok(Query::insert()
        .into_table(post::Entity)
        .columns(columns)
        .select_from(select)
        .context("build the reply's insert")?
        .returning_col(post::Column::Position)
        .to_owned())
}
