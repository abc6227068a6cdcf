//! Search on SQLite: an FTS5 table over the documents (porter stemming), ranked with `bm25`
//! weighting title above summary above body above keywords, promoted practices lifted a little,
//! snippets from FTS5's `highlight` and `snippet`.

use khub_domain::DomainResult;
use khub_domain::search::{Atom, MARK_END, MARK_START, SearchQuery, SearchRequest};
use sea_orm::sea_query::{Alias, Expr, JoinType, Order, Query, SelectStatement, Value};
use sea_orm::{ConnectionTrait, DatabaseConnection};
use uuid::Uuid;

use super::documents::TABLE;
use super::filters::{self, DOCUMENTS, column};
use super::{Found, text};
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

/// `FROM search_terms JOIN search_documents d … WHERE search_terms MATCH <query> AND <visibility
/// and filter>`.
pub(super) fn matching(request: &SearchRequest) -> SelectStatement {
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
            [fts5(&request.query)],
        ))
        .cond_where(filters::condition(request))
        .to_owned()
}

/// One page of hits, best first, with the first field that matched and its highlighted
/// snippet (a title or keywords whole, a summary or body in a fragment).
pub(super) async fn hits(
    db: &DatabaseConnection,
    request: &SearchRequest,
    offset: u64,
    limit: u64,
) -> DomainResult<Vec<Found>> {
    let marks = || [MARK_START, MARK_END].map(|mark| Value::from(mark.to_string()));
    let whole =
        |column: u8| Expr::cust_with_values(format!("highlight({TERMS}, {column}, ?, ?)"), marks());
    let fragment = |column: u8| {
        Expr::cust_with_values(
            format!("snippet({TERMS}, {column}, ?, ?, ' … ', 24)"),
            marks(),
        )
    };
    let page = matching(request)
        .column((Alias::new(DOCUMENTS), Alias::new("id")))
        .column((Alias::new(DOCUMENTS), Alias::new("kind")))
        .column((Alias::new(DOCUMENTS), Alias::new("body")))
        .expr_as(whole(0), Alias::new("TITLE"))
        .expr_as(fragment(1), Alias::new("SUMMARY"))
        .expr_as(fragment(2), Alias::new("BODY"))
        .expr_as(whole(3), Alias::new("KEYWORDS"))
        // bm25 is lower for better matches.
        .order_by_expr(
            Expr::cust(format!(
                "bm25({TERMS}, 10.0, 4.0, 2.0, 1.0) * CASE WHEN d.promoted THEN 1.25 ELSE 1.0 END"
            )),
            Order::Asc,
        )
        .order_by_expr(column("updated_at"), Order::Desc)
        .order_by_expr(column("id"), Order::Asc)
        .limit(limit)
        .offset(offset)
        .to_owned();
    let rows = db.query_all(&page).await.context("search")?;
    let mut found = Vec::with_capacity(rows.len());
    for row in &rows {
        let id: Uuid = row.try_get("", "id").context("read search hit")?;
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
        found.push(Found {
            id,
            kind: text(row, "kind")?,
            field: FIELDS[at].to_owned(),
            marked: marked[at].clone(),
        });
    }
    Ok(found)
}
