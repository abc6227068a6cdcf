//! What a search asks for and what it finds.

use chrono::{DateTime, Utc};

use super::query::SearchQuery;
use crate::community::CommunityId;
use crate::conversation::{PostId, ThreadId};
use crate::organisation::OrganisationId;
use crate::person::PersonId;
use crate::practice::{PracticeId, PracticeStatus};

/// Marks where a snippet's highlighted text starts and ends. Private-use characters, which
/// the index never holds (see [`super::SearchDocument`]), so they cannot be forged.
pub const MARK_START: char = '\u{E000}';
pub const MARK_END: char = '\u{E001}';

/// What kind of thing a hit is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SearchKind {
    Practice,
    Thread,
    Post,
    Person,
    Community,
}

stable_names!(SearchKind {
    Practice => "PRACTICE",
    Thread => "THREAD",
    Post => "POST",
    Person => "PERSON",
    Community => "COMMUNITY",
});

/// Which part of an item matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SearchField {
    /// A practice's or thread's title, a person's or community's name.
    Title,
    /// A practice's summary, a person's job title, a community's description.
    Summary,
    /// What was written: a practice's story, a thread's opening post, a reply.
    Body,
    /// Tags, service area, a handle or a slug.
    Keywords,
}

stable_names!(SearchField {
    Title => "TITLE",
    Summary => "SUMMARY",
    Body => "BODY",
    Keywords => "KEYWORDS",
});

/// An item found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SearchItem {
    Practice(PracticeId),
    Thread(ThreadId),
    Post(PostId),
    Person(PersonId),
    Community(CommunityId),
}

/// A piece of text with the words that matched marked.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Snippet(Vec<(String, bool)>);

impl Snippet {
    /// Reads text in which an adapter marked matches with [`MARK_START`] and [`MARK_END`].
    pub fn from_marked(marked: &str) -> Self {
        let mut parts = Vec::new();
        let mut current = String::new();
        let mut highlighted = false;
        for c in marked.chars() {
            if c == MARK_START || c == MARK_END {
                if !current.is_empty() {
                    parts.push((std::mem::take(&mut current), highlighted));
                }
                highlighted = c == MARK_START;
            } else {
                current.push(c);
            }
        }
        if !current.is_empty() {
            parts.push((current, highlighted));
        }
        Self(parts)
    }

    /// The text in order, each piece with whether it matched.
    pub fn parts(&self) -> &[(String, bool)] {
        &self.0
    }

    /// As HTML: the text escaped, the matched words in `<mark>`.
    pub fn to_html(&self) -> String {
        let mut html = String::new();
        for (text, highlighted) in &self.0 {
            html.push_str(if *highlighted { "<mark>" } else { "" });
            // Writing to a String cannot fail.
            let _ = pulldown_cmark_escape::escape_html(&mut html, text);
            html.push_str(if *highlighted { "</mark>" } else { "" });
        }
        html
    }

    /// Whether any word is marked.
    pub fn has_match(&self) -> bool {
        self.0.iter().any(|(_, highlighted)| *highlighted)
    }
}

/// One hit: the item, the part that matched and a snippet of it.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchHit {
    pub item: SearchItem,
    pub field: SearchField,
    pub snippet: Snippet,
}

/// Narrows a search. Tag, service area and practice status apply to practices only, so
/// setting any of them finds practices alone.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SearchFilter {
    /// Empty for every kind.
    pub kinds: Vec<SearchKind>,
    pub community: Option<CommunityId>,
    pub tag: Option<String>,
    pub service_area: Option<String>,
    /// Practices of the organisation, its people, and what they wrote.
    pub organisation: Option<OrganisationId>,
    pub author: Option<PersonId>,
    /// Created (a practice: published) at or after.
    pub from: Option<DateTime<Utc>>,
    /// Created (a practice: published) before.
    pub until: Option<DateTime<Utc>>,
    /// Created strictly after: what is new since a saved search was last looked at.
    pub created_after: Option<DateTime<Utc>>,
    /// Empty for every status past draft.
    pub practice_statuses: Vec<PracticeStatus>,
}

/// A search as the index runs it: the reader decides what may be found.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchRequest {
    pub query: SearchQuery,
    pub filter: SearchFilter,
    pub reader: Option<PersonId>,
}

/// How many hits the search has, by kind, tag, service area and community (most first).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SearchFacets {
    pub kinds: Vec<(SearchKind, u64)>,
    pub tags: Vec<(String, u64)>,
    pub service_areas: Vec<(String, u64)>,
    pub communities: Vec<(CommunityId, u64)>,
}

/// The most values a facet lists.
pub const MAX_FACET_VALUES: usize = 20;

#[cfg(test)]
mod tests {
    use super::{MARK_END, MARK_START, Snippet};

    #[test]
    fn a_marked_text_splits_into_plain_and_highlighted_parts() {
        let snippet = Snippet::from_marked(&format!(
            "we {MARK_START}recycled{MARK_END} glass and {MARK_START}bins{MARK_END}"
        ));
        let parts: Vec<(&str, bool)> = snippet
            .parts()
            .iter()
            .map(|(text, marked)| (text.as_str(), *marked))
            .collect();
        assert_eq!(
            parts,
            [
                ("we ", false),
                ("recycled", true),
                (" glass and ", false),
                ("bins", true)
            ]
        );
        assert!(snippet.has_match());
        assert_eq!(
            Snippet::from_marked(&format!("<b> {MARK_START}x{MARK_END}")).to_html(),
            "&lt;b&gt; <mark>x</mark>"
        );
        assert!(!Snippet::from_marked("plain").has_match());
    }
}
