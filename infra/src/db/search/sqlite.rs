//! Search on SQLite: an FTS5 table over the documents (porter stemming), ranked with `bm25`
//! weighting title above summary above body above keywords, promoted practices lifted a little,
//! snippets from FTS5's `highlight` and `snippet`.

use khub_domain::DomainResult;
use khub_domain::search::{Atom, MARK_END, MARK_START, SearchQuery, SearchRequest};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, JoinType, Order, Query, SelectStatement, Value};
use sea_orm::{ConnectionTrait, DatabaseConnection};
use uuid::Uuid;

use super::documents::TABLE;
use super::filters::{self, DOCUMENTS, column};
use super::{MAX_RESULTS, Snippets, text};
use crate::error::ResultExt;

/// The FTS5 table, whose columns are the documents' title, summary, body and keywords.
const TERMS: &str = "search_terms";
const FIELDS: [&str; 4] = ["TITLE", "SUMMARY", "BODY", "KEYWORDS"];

/// The query in FTS5's syntax: each word or phrase quoted (its tokens contain only letters and
/// digits), groups ANDed, alternatives ORed, exclusions NOTed.
fn fts5(query: &SearchQuery) -> String {
    let quoted = |atom: &Atom| format!("\"{}\"", atom.tokens().join(" "));
    let groups: Vec<String> = query
        .groups()
        .iter()
        .map(|group| {
            let alternatives: Vec<String> = group.iter().map(quoted).collect();
            format!("({})", alternatives.join(" OR "))
        })
        .collect();
    let mut fts = groups.join(" AND ");
    for excluded in query.excluded() {
        fts.push_str(" NOT ");
        fts.push_str(&quoted(excluded));
    }
    fts
}

/// `FROM search_terms JOIN search_documents d … WHERE search_terms MATCH <query> AND d.seq IN
/// (<the window>)`: the newest [`MAX_RESULTS`] documents that match the query, the visibility
/// and the filter, joined to their FTS5 row again for `bm25` and the snippets.
pub(super) fn matching(request: &SearchRequest) -> SelectStatement {
    let window = matches(&request.query)
        .cond_where(filters::condition(request))
        .column((Alias::new(DOCUMENTS), Alias::new("seq")))
        .order_by_expr(column("created_at"), Order::Desc)
        .limit(MAX_RESULTS)
        .to_owned();
    matches(&request.query)
        .and_where(column("seq").in_subquery(window))
        .to_owned()
}

/// `FROM search_terms JOIN search_documents d … WHERE search_terms MATCH <query>`.
fn matches(query: &SearchQuery) -> SelectStatement {
    Query::select()
        .from(Alias::new(TERMS))
        .join_as(
            JoinType::InnerJoin,
            Alias::new(TABLE),
            Alias::new(DOCUMENTS),
            Expr::cust("d.seq = search_terms.rowid"),
        )
        .and_where(Expr::cust_with_values(
            "search_terms MATCH ?",
            [fts5(query)],
        ))
        .to_owned()
}

/// How well a document matches: `bm25` weighting title above summary above body above
/// keywords (lower is better, so negated), promoted practices lifted.
pub(super) fn score() -> Expr {
    Expr::cust(format!(
        "-(bm25({TERMS}, 10.0, 4.0, 2.0, 1.0) * CASE WHEN d.promoted THEN 1.25 ELSE 1.0 END)"
    ))
}

/// The first field of each hit that matches (title first) and its highlighted snippet: a title
/// or keywords whole, a summary or body in a fragment.
pub(super) async fn snippets(
    db: &DatabaseConnection,
    query: &SearchQuery,
    ids: Vec<Uuid>,
) -> DomainResult<Snippets> {
    if ids.is_empty() {
        return Ok(Snippets::new());
    }
    let marks = || [MARK_START, MARK_END].map(|mark| Value::from(mark.to_string()));
    let whole =
        |column: u8| Expr::cust_with_values(format!("highlight({TERMS}, {column}, ?, ?)"), marks());
    let fragment = |column: u8| {
        Expr::cust_with_values(
            format!("snippet({TERMS}, {column}, ?, ?, ' … ', 24)"),
            marks(),
        )
    };
    let select = matches(query)
        .column((Alias::new(DOCUMENTS), Alias::new("id")))
        .column((Alias::new(DOCUMENTS), Alias::new("body")))
        .expr_as(whole(0), Alias::new("TITLE"))
        .expr_as(fragment(1), Alias::new("SUMMARY"))
        .expr_as(fragment(2), Alias::new("BODY"))
        .expr_as(whole(3), Alias::new("KEYWORDS"))
        .and_where(column("id").is_in(ids))
        .to_owned();
    let rows = db.query_all(&select).await.context("search snippets")?;
    let mut snippets = Snippets::with_capacity(rows.len());
    for row in &rows {
        let id: Uuid = row.try_get("", "id").context("read search snippet")?;
        let marked: Vec<String> = FIELDS
            .iter()
            .map(|field| text(row, field))
            .collect::<DomainResult<_>>()?;
        let matched = marked.iter().position(|text| text.contains(MARK_START));
        let fallback = match text(row, "body")?.is_empty() {
            true => 0,
            false => 2,
        };
        let at = matched.unwrap_or(fallback);
        snippets.insert(id, (FIELDS[at].to_owned(), marked[at].clone()));
    }
    Ok(snippets)
}
