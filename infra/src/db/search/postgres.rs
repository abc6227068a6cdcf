//! Search on PostgreSQL: the documents' weighted `tsvector` (English stemming) under a GIN
//! index, ranked with `ts_rank` (title A above summary B above body C above keywords D),
//! promoted practices lifted a little, snippets from `ts_headline`.
//!
//! The tsquery is built from the parsed query, one `phraseto_tsquery` per word or phrase, so
//! `OR` joins the two alternatives beside it as in search boxes (`websearch_to_tsquery` would
//! instead split the whole query in two at an `OR`) and both backends agree.

use khub_domain::DomainResult;
use khub_domain::search::{Atom, MARK_END, MARK_START, SearchQuery, SearchRequest};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Order, Query, SelectStatement, Value};
use sea_orm::{ConnectionTrait, DatabaseConnection};
use uuid::Uuid;

use super::documents::TABLE;
use super::filters::{self, DOCUMENTS, column};
use super::path::Path;
use super::{MAX_RESULTS, Snippets, text};
use crate::error::ResultExt;

/// The query as SQL over `phraseto_tsquery`, its words written into the statement rather
/// than bound: PostgreSQL then plans each search for its own words (a walk of the newest
/// documents for common words, the GIN index for rare ones), where a prepared statement's
/// generic plan, blind to them, would read every match of a common word (469 ms against
/// 18 ms at scale 1). The parser leaves only letters and digits in a token; quotes are
/// doubled all the same.
fn tsquery(query: &SearchQuery) -> String {
    let atom = |atom: &Atom| {
        let words = atom.tokens().join(" ").replace('\'', "''");
        format!("phraseto_tsquery('english', '{words}')")
    };
    let mut parts: Vec<String> = query
        .groups()
        .iter()
        .map(|group| {
            let alternatives: Vec<String> = group.iter().map(atom).collect();
            format!("({})", alternatives.join(" || "))
        })
        .collect();
    parts.extend(query.excluded().iter().map(|a| format!("!!{}", atom(a))));
    format!("({})", parts.join(" && "))
}

/// `FROM (<the window>) d`: the newest [`MAX_RESULTS`] documents that match the query, the
/// visibility and the filter. Bounding the matches before ranking keeps a search for common
/// words as cheap as one for rare ones: PostgreSQL walks `search_documents_created` backwards
/// and stops at the limit, or, for rare words, reads the few matches from the GIN index, as
/// the [`Path`] says.
pub(super) fn matching(request: &SearchRequest, path: Path) -> SelectStatement {
    let query = tsquery(&request.query);
    let window = Query::select()
        .columns(WINDOW_COLUMNS.map(|c| (Alias::new(DOCUMENTS), Alias::new(c))))
        .from_as(Alias::new(TABLE), Alias::new(DOCUMENTS))
        .and_where(Expr::cust(path.condition(&query)))
        .cond_where(filters::condition(request))
        .order_by_expr(column("created_at"), Order::Desc)
        .limit(MAX_RESULTS)
        .to_owned();
    Query::select()
        .from_subquery(window, Alias::new(DOCUMENTS))
        .to_owned()
}

/// What the statements over the window read of each document.
const WINDOW_COLUMNS: [&str; 7] = [
    "id",
    "kind",
    "community_id",
    "service_area",
    "promoted",
    "updated_at",
    "terms",
];

/// How well a document matches: `ts_rank` over its weighted terms, promoted practices lifted.
pub(super) fn score(query: &SearchQuery) -> Expr {
    let query = tsquery(query);
    Expr::cust(format!(
        "(ts_rank(d.terms, {query}) * CASE WHEN d.promoted THEN 1.25 ELSE 1 END)::float8"
    ))
}

/// Which field of each hit matches the whole query (title first), and its headline. Run for
/// the page's hits alone: `ts_headline` reads the text again.
pub(super) async fn snippets(
    db: &DatabaseConnection,
    query: &SearchQuery,
    ids: Vec<Uuid>,
) -> DomainResult<Snippets> {
    if ids.is_empty() {
        return Ok(Default::default());
    }
    let tsquery = tsquery(query);
    let matches = |field: &str| format!("to_tsvector('english', d.{field}) @@ {tsquery}");
    let field = format!(
        "CASE WHEN {} THEN 'TITLE' WHEN {} THEN 'SUMMARY' WHEN {} THEN 'BODY' \
         WHEN {} THEN 'KEYWORDS' WHEN d.body <> '' THEN 'BODY' ELSE 'TITLE' END",
        matches("title"),
        matches("summary"),
        matches("body"),
        matches("keywords"),
    );
    let options = format!(
        "StartSel={MARK_START}, StopSel={MARK_END}, MaxWords=30, MinWords=12, ShortWord=2, \
         MaxFragments=2, FragmentDelimiter=\" … \""
    );
    let chosen = Query::select()
        .columns(
            ["id", "title", "summary", "body", "keywords"]
                .map(|c| (Alias::new(DOCUMENTS), Alias::new(c))),
        )
        .expr_as(Expr::cust(field), Alias::new("field"))
        .from_as(Alias::new(TABLE), Alias::new(DOCUMENTS))
        .and_where(column("id").is_in(ids))
        .to_owned();
    let select = Query::select()
        .columns(["id", "field"].map(|c| (Alias::new("s"), Alias::new(c))))
        .expr_as(
            Expr::cust_with_values(
                format!(
                    "ts_headline('english', CASE s.field WHEN 'TITLE' THEN s.title \
                     WHEN 'SUMMARY' THEN s.summary WHEN 'KEYWORDS' THEN s.keywords \
                     ELSE s.body END, {tsquery}, $1)"
                ),
                [Value::from(options)],
            ),
            Alias::new("marked"),
        )
        .from_subquery(chosen, Alias::new("s"))
        .to_owned();
    let rows = db.query_all(&select).await.context("search snippets")?;
    let mut snippets = std::collections::HashMap::with_capacity(rows.len());
    for row in &rows {
        let id: Uuid = row.try_get("", "id").context("read search snippet")?;
        snippets.insert(id, (text(row, "field")?, text(row, "marked")?));
    }
    Ok(snippets)
}
