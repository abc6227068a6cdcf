//! Which way PostgreSQL reads a search's window, chosen by the hub. From the GIN index, a
//! search reads every match and keeps the newest; walking `search_documents_created` newest
//! first, it reads documents until enough match. The first costs in proportion to how common
//! the words are, the second to how rare. PostgreSQL's own estimate multiplies the words'
//! frequencies as if they were independent, and words people search for together are not
//! ("damp" and "mould"): it guessed a few hundred matches for common pairs and read 95,000
//! from the index (1.36 s at scale 1, against 20 ms for the walk). The hub estimates from the
//! same statistics (ANALYZE's most common lexemes, read every few minutes), taking a phrase or
//! an AND as common as its rarest word, and writes its choice into the statement.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use khub_domain::DomainResult;
use khub_domain::search::{Atom, SearchQuery, is_stop_word};
use moka::sync::Cache;
use rust_stemmers::{Algorithm, Stemmer};
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};

use super::MAX_RESULTS;
use crate::error::ResultExt;

/// How a search reads its matching documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Path {
    /// Every match from the GIN index: for words too rare for a walk to meet soon.
    Index,
    /// The documents newest first until the window is full: for common words.
    Walk,
}

impl Path {
    /// The documents' match condition: `@@` lets the planner take the GIN index;
    /// `ts_match_vq`, the same test as a plain function, is opaque to it, so it walks.
    pub(super) fn condition(self, tsquery: &str) -> String {
        match self {
            Path::Index => format!("d.terms @@ {tsquery}"),
            Path::Walk => format!("ts_match_vq(d.terms, {tsquery})"),
        }
    }
}

/// ANALYZE's figures for the documents' words: how many documents there are, and the share of
/// them holding each of the most common words, by stem.
pub(super) struct Lexicon {
    documents: f64,
    /// The rarest share ANALYZE lists: an unlisted word is rarer.
    floor: f64,
    shares: HashMap<String, f64>,
}

impl Lexicon {
    /// The path for a query: the walk when its matches are common enough that reading the
    /// newest documents fills the window sooner than reading every match would.
    pub(super) fn path(&self, query: &SearchQuery) -> Path {
        // PostgreSQL's `english_stem` is Snowball's English stemmer too.
        let stemmer = Stemmer::create(Algorithm::English);
        let share = estimate(query, &mut |word| {
            if is_stop_word(word) {
                return 1.0;
            }
            let share = self.shares.get(stemmer.stem(word).as_ref());
            share.copied().unwrap_or(self.floor)
        });
        decide(share, self.documents)
    }

    /// Reads the figures; none (the index for every search) before ANALYZE has looked.
    async fn read(db: &DatabaseConnection) -> DomainResult<Self> {
        let sql = "SELECT (SELECT reltuples FROM pg_class WHERE oid = 'search_documents'::regclass)::float8
                            AS documents,
                          most_common_elems::text::text[] AS lexemes,
                          most_common_elem_freqs::float8[] AS freqs
                   FROM pg_stats
                   WHERE schemaname = current_schema() AND tablename = 'search_documents'
                     AND attname = 'terms' AND most_common_elems IS NOT NULL";
        let statement = Statement::from_string(db.get_database_backend(), sql);
        let row = db
            .query_one_raw(statement)
            .await
            .context("search statistics")?;
        let Some(row) = row else {
            return Ok(Self {
                documents: 0.0,
                floor: 0.0,
                shares: HashMap::new(),
            });
        };
        let read = "read search statistics";
        let lexemes: Vec<String> = row.try_get("", "lexemes").context(read)?;
        // One share per lexeme, then the least, the greatest and the share of nulls.
        let freqs: Vec<f64> = row.try_get("", "freqs").context(read)?;
        Ok(Self {
            documents: row.try_get("", "documents").context(read)?,
            floor: freqs.get(lexemes.len()).copied().unwrap_or(0.0),
            shares: lexemes.into_iter().zip(freqs).collect(),
        })
    }
}

/// The lexicon, read again once it is older than [`FRESH_FOR`]: only ANALYZE changes it.
#[derive(Clone)]
pub(super) struct Lexicons(Cache<(), Arc<Lexicon>>);

const FRESH_FOR: Duration = Duration::from_secs(300);

impl Default for Lexicons {
    fn default() -> Self {
        Self(
            Cache::builder()
                .max_capacity(1)
                .time_to_live(FRESH_FOR)
                .build(),
        )
    }
}

impl Lexicons {
    pub(super) async fn current(&self, db: &DatabaseConnection) -> DomainResult<Arc<Lexicon>> {
        if let Some(lexicon) = self.0.get(&()) {
            return Ok(lexicon);
        }
        let lexicon = Arc::new(Lexicon::read(db).await?);
        self.0.insert((), lexicon.clone());
        Ok(lexicon)
    }
}

/// The walk reads about `window / share` documents, the index `share × documents` matches,
/// each dearer (a bitmap heap fetch, then a sort): the walk wins above the share where the two
/// meet, `sqrt(window / (INDEX_COST × documents))`.
fn decide(share: f64, documents: f64) -> Path {
    if documents <= 0.0 || share <= 0.0 {
        return Path::Index;
    }
    let crossing = (MAX_RESULTS as f64 / (INDEX_COST * documents)).sqrt();
    if share >= crossing {
        Path::Walk
    } else {
        Path::Index
    }
}

/// What reading one match from the index costs, in documents the walk reads for the same:
/// at scale 1, a word in 1.8 % of the documents took 110 ms from the index (20,000 matches)
/// and 9.5 ms walking (about 28,000 documents).
const INDEX_COST: f64 = 10.0;

/// The share of documents a query matches, at most: a group as common as its atoms together,
/// the query as its rarest group (excluded words ignored); a phrase as its rarest word.
fn estimate(query: &SearchQuery, share: &mut impl FnMut(&str) -> f64) -> f64 {
    let mut atom = |atom: &Atom| {
        atom.tokens()
            .iter()
            .map(|word| share(word))
            .fold(1.0, f64::min)
    };
    query
        .groups()
        .iter()
        .map(|group| group.iter().map(&mut atom).sum::<f64>().min(1.0))
        .fold(1.0, f64::min)
}

#[cfg(test)]
mod tests {
    use khub_domain::search::SearchQuery;

    use super::{Path, decide, estimate};

    fn share(query: &str, shares: &[(&str, f64)]) -> f64 {
        let query = SearchQuery::parse(query).unwrap();
        estimate(&query, &mut |word| {
            let found = shares.iter().find(|(w, _)| *w == word);
            found.map(|(_, share)| *share).unwrap_or(1.0)
        })
    }

    #[test]
    fn an_and_is_as_common_as_its_rarest_word() {
        assert_eq!(share("damp mould", &[("damp", 0.08), ("mould", 0.1)]), 0.08);
    }

    #[test]
    fn alternatives_add_up() {
        let shares = [
            ("recycling", 0.2),
            ("reuse", 0.3),
            ("rent", 0.7),
            ("mortgage", 0.6),
        ];
        assert!((share("recycling OR reuse", &shares) - 0.5).abs() < 1e-9);
        assert_eq!(share("rent OR mortgage", &shares), 1.0);
    }

    #[test]
    fn a_phrase_is_as_common_as_its_rarest_word() {
        let shares = [("hospital", 0.3), ("discharge", 0.01), ("delays", 0.2)];
        assert_eq!(share("\"hospital discharge\" delays", &shares), 0.01);
    }

    #[test]
    fn excluded_words_do_not_count() {
        assert_eq!(
            share("damp -mould", &[("damp", 0.08), ("mould", 0.0)]),
            0.08
        );
    }

    #[test]
    fn common_words_walk_and_rare_ones_use_the_index() {
        let documents = 1_140_000.0;
        assert_eq!(decide(0.08, documents), Path::Walk);
        assert_eq!(decide(0.001, documents), Path::Index);
    }

    #[test]
    fn a_hub_never_analysed_uses_the_index() {
        assert_eq!(decide(0.5, 0.0), Path::Index);
        assert_eq!(decide(0.0, 1_000.0), Path::Index);
    }
}
