//! Hand-written SQL, for the statements sea-query cannot build (set-based fan-out with partial
//! unique indexes): written once with PostgreSQL's `$1, $2, …`, which SQLite reads as `?1, ?2`.

use sea_orm::{DatabaseBackend, Statement, Value};

/// `sql`, numbered `$1, $2, …` (each number may recur), for `backend`.
pub(crate) fn statement(backend: DatabaseBackend, sql: &str, values: Vec<Value>) -> Statement {
    let sql = match backend {
        DatabaseBackend::Postgres => sql.to_owned(),
        _ => sql.replace('$', "?"),
    };
    Statement::from_sql_and_values(backend, sql, values)
}
