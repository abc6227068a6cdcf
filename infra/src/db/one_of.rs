//! Matching a column against a list of values with few statement texts, whatever the list's
//! length, each of which PostgreSQL can plan once.

use sea_orm::sea_query::Expr;
use sea_orm::sea_query::postgres_array::NotU8;
use sea_orm::{ColumnTrait, DatabaseBackend, Value};

/// `column IN (values)`. On PostgreSQL it is written `column = ANY($1)` with one array
/// parameter, so the statement's text is the same for any number of values: each connection
/// prepares it once. An IN list is a new statement for every length a DataLoader batch happens
/// to have, and parsing and planning those cost more than running them (bench/results).
/// One value, the most frequent case (a node, the signed-in person, the thread replied to), is
/// `column = $1`: PostgreSQL plans a one-element array afresh on every execution, its custom
/// plan always looking cheaper than a generic one, but settles on one plan for `= $1`.
/// SQLite has no arrays and keeps the list.
pub(crate) fn one_of<C, V, I>(backend: DatabaseBackend, column: C, values: I) -> Expr
where
    C: ColumnTrait,
    V: Into<Value> + NotU8,
    I: IntoIterator<Item = V>,
{
    let mut values: Vec<V> = values.into_iter().collect();
    match (backend, values.len()) {
        (_, 1) => column.eq(values.remove(0)),
        (DatabaseBackend::Postgres, _) => column.eq_any(values),
        _ => column.is_in(values),
    }
}

#[cfg(test)]
mod tests {
    use sea_orm::{DbBackend, EntityTrait, QueryFilter, QueryTrait};
    use uuid::Uuid;

    use super::*;
    use crate::db::entity::person;

    fn sql(backend: DbBackend, n: usize) -> String {
        let ids = (0..n).map(|_| Uuid::nil());
        person::Entity::find()
            .filter(one_of(backend, person::Column::Id, ids))
            .build(backend)
            .sql
    }

    #[test]
    fn postgres_statements_do_not_depend_on_the_number_of_values() {
        assert_eq!(sql(DbBackend::Postgres, 2), sql(DbBackend::Postgres, 40));
        assert!(sql(DbBackend::Postgres, 3).ends_with(r#"WHERE "people"."id" = ANY($1)"#));
    }

    #[test]
    fn one_value_is_an_equality() {
        assert!(sql(DbBackend::Postgres, 1).ends_with(r#"WHERE "people"."id" = $1"#));
        assert!(sql(DbBackend::Sqlite, 1).ends_with(r#"WHERE "people"."id" = ?"#));
    }

    #[test]
    fn sqlite_keeps_an_in_list() {
        assert!(sql(DbBackend::Sqlite, 3).ends_with(r#"WHERE "people"."id" IN (?, ?, ?)"#));
    }
}
