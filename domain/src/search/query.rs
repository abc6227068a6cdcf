//! What people type into a search box, parsed once into a query both search adapters render
//! the same way: words, `"quoted phrases"`, `-excluded` words or phrases, and `OR` between two
//! alternatives (`recycling OR reuse`). Words are ANDed; very common English words (PostgreSQL's
//! and Snowball's stop list) are dropped outside phrases, so both backends agree on them.

use crate::error::DomainError;

/// The longest query accepted, in characters.
const MAX_LEN: usize = 200;
/// The most words and phrases one query may hold.
const MAX_ATOMS: usize = 16;

/// A word or a phrase: lowercase alphanumeric tokens, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Atom(Vec<String>);

impl Atom {
    /// Its tokens; more than one makes it a phrase.
    pub fn tokens(&self) -> &[String] {
        &self.0
    }
}

/// A checked search query: every group must match (a group matches when any of its atoms
/// does), and no excluded atom may.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchQuery {
    groups: Vec<Vec<Atom>>,
    excluded: Vec<Atom>,
}

impl SearchQuery {
    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        if raw.chars().count() > MAX_LEN {
            return Err(invalid("TOO_LONG", format!("at most {MAX_LEN} characters")));
        }
        let mut query = Self {
            groups: Vec::new(),
            excluded: Vec::new(),
        };
        let mut or_pending = false;
        for lexeme in lex(raw) {
            match lexeme {
                Lexeme::Or => or_pending = !query.groups.is_empty(),
                Lexeme::Atom { negated, atom } => {
                    match (negated, or_pending, query.groups.last_mut()) {
                        (true, _, _) => query.excluded.push(atom),
                        (false, true, Some(group)) => group.push(atom),
                        (false, _, _) => query.groups.push(vec![atom]),
                    }
                    or_pending = false;
                }
            }
        }
        let atoms = query.groups.iter().map(Vec::len).sum::<usize>() + query.excluded.len();
        if atoms > MAX_ATOMS {
            return Err(invalid(
                "TOO_MANY_TERMS",
                format!("at most {MAX_ATOMS} words and phrases"),
            ));
        }
        if query.groups.is_empty() {
            return Err(invalid(
                "EMPTY",
                "type at least one word to look for (very common words like \"the\" are ignored, and exclusions alone match nothing)",
            ));
        }
        Ok(query)
    }

    /// Groups that must all match; each matches when any of its atoms does.
    pub fn groups(&self) -> &[Vec<Atom>] {
        &self.groups
    }

    /// Atoms that must not match.
    pub fn excluded(&self) -> &[Atom] {
        &self.excluded
    }
}

fn invalid(code: &'static str, message: impl Into<String>) -> DomainError {
    DomainError::invalid("query", code, message)
}

enum Lexeme {
    Or,
    Atom { negated: bool, atom: Atom },
}

/// Splits the text into `OR`s and atoms, dropping stop words outside phrases and anything
/// that holds no letter or digit.
fn lex(raw: &str) -> Vec<Lexeme> {
    let mut lexemes = Vec::new();
    let mut rest = raw.trim_start();
    while !rest.is_empty() {
        let negated = rest.starts_with('-');
        let body = if negated { &rest[1..] } else { rest };
        let (text, quoted, remainder) = match body.strip_prefix('"') {
            Some(inner) => match inner.find('"') {
                Some(end) => (&inner[..end], true, &inner[end + 1..]),
                None => (inner, true, ""),
            },
            None => {
                let end = body.find(char::is_whitespace).unwrap_or(body.len());
                (&body[..end], false, &body[end..])
            }
        };
        rest = remainder.trim_start();
        if !quoted && !negated && text.eq_ignore_ascii_case("or") {
            lexemes.push(Lexeme::Or);
            continue;
        }
        let mut tokens: Vec<String> = text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|token| !token.is_empty())
            .map(str::to_lowercase)
            .collect();
        if !quoted {
            tokens.retain(|token| !is_stop_word(token));
        }
        if !tokens.is_empty() {
            lexemes.push(Lexeme::Atom {
                negated,
                atom: Atom(tokens),
            });
        }
    }
    lexemes
}

/// PostgreSQL's English stop words (Snowball's list).
const STOP_WORDS: &[&str] = &[
    "a",
    "about",
    "above",
    "after",
    "again",
    "against",
    "all",
    "am",
    "an",
    "and",
    "any",
    "are",
    "as",
    "at",
    "be",
    "because",
    "been",
    "before",
    "being",
    "below",
    "between",
    "both",
    "but",
    "by",
    "can",
    "d",
    "did",
    "do",
    "does",
    "doing",
    "don",
    "down",
    "during",
    "each",
    "few",
    "for",
    "from",
    "further",
    "had",
    "has",
    "have",
    "having",
    "he",
    "her",
    "here",
    "hers",
    "herself",
    "him",
    "himself",
    "his",
    "how",
    "i",
    "if",
    "in",
    "into",
    "is",
    "it",
    "its",
    "itself",
    "just",
    "ll",
    "m",
    "me",
    "more",
    "most",
    "my",
    "myself",
    "no",
    "nor",
    "not",
    "now",
    "o",
    "of",
    "off",
    "on",
    "once",
    "only",
    "or",
    "other",
    "our",
    "ours",
    "ourselves",
    "out",
    "over",
    "own",
    "re",
    "s",
    "same",
    "she",
    "should",
    "so",
    "some",
    "such",
    "t",
    "than",
    "that",
    "the",
    "their",
    "theirs",
    "them",
    "themselves",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "through",
    "to",
    "too",
    "under",
    "until",
    "up",
    "ve",
    "very",
    "was",
    "we",
    "were",
    "what",
    "when",
    "where",
    "which",
    "while",
    "who",
    "whom",
    "why",
    "will",
    "with",
    "y",
    "you",
    "your",
    "yours",
    "yourself",
    "yourselves",
];

/// Whether a word is too common to search for (PostgreSQL's English stop list): outside a
/// phrase the parser drops it; inside one, it constrains nothing.
pub fn is_stop_word(token: &str) -> bool {
    STOP_WORDS.binary_search(&token).is_ok()
}

#[cfg(test)]
mod tests {
    use super::{STOP_WORDS, SearchQuery};

    fn tokens(query: &SearchQuery) -> (Vec<Vec<String>>, Vec<String>) {
        let groups = query
            .groups()
            .iter()
            .map(|group| group.iter().map(|a| a.tokens().join(" ")).collect())
            .collect();
        let excluded = query
            .excluded()
            .iter()
            .map(|a| a.tokens().join(" "))
            .collect();
        (groups, excluded)
    }

    #[test]
    fn words_phrases_exclusions_and_or_are_understood() {
        let query = SearchQuery::parse(r#"Recycling "food waste" -glass bins OR boxes"#).unwrap();
        let (groups, excluded) = tokens(&query);
        assert_eq!(
            groups,
            [vec!["recycling"], vec!["food waste"], vec!["bins", "boxes"]]
        );
        assert_eq!(excluded, ["glass"]);
    }

    #[test]
    fn stop_words_drop_outside_phrases_only() {
        let query = SearchQuery::parse(r#"how to "duty to refer""#).unwrap();
        assert_eq!(tokens(&query).0, [vec!["duty to refer"]]);
    }

    #[test]
    fn punctuation_splits_words_and_an_unclosed_quote_ends_the_phrase() {
        let query = SearchQuery::parse(r#"section-21 "landlord mediation"#).unwrap();
        assert_eq!(
            tokens(&query).0,
            [vec!["section 21"], vec!["landlord mediation"]]
        );
    }

    #[test]
    fn a_query_of_nothing_searchable_is_refused() {
        for raw in ["", "   ", "the of", "-glass", "OR", "!!!"] {
            let error = SearchQuery::parse(raw).unwrap_err();
            assert!(error.to_string().contains("query"), "{raw}: {error}");
        }
    }

    #[test]
    fn long_queries_are_refused() {
        assert!(SearchQuery::parse(&"word ".repeat(41)).is_err());
        assert!(SearchQuery::parse(&"x".repeat(201)).is_err());
    }

    #[test]
    fn the_stop_list_is_sorted_for_binary_search() {
        assert!(STOP_WORDS.windows(2).all(|pair| pair[0] < pair[1]));
    }
}
