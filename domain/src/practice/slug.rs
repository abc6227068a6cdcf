//! A practice's slug: its title made URL-safe, plus a short suffix from its id so two practices
//! with the same title never collide.

use super::model::PracticeId;
use crate::error::DomainError;
use crate::slug::Slug;

/// How much of the title the slug keeps.
const MAX_TITLE_PART: usize = 50;

pub fn practice_slug(title: &str, id: PracticeId) -> Result<Slug, DomainError> {
    let mut words = String::new();
    for word in title
        .to_lowercase()
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if words.len() + word.len() + 1 > MAX_TITLE_PART {
            break;
        }
        if !words.is_empty() {
            words.push('-');
        }
        words.push_str(word);
    }
    if words.is_empty() {
        words.push_str("practice");
    }
    let id = id.as_uuid().simple().to_string();
    let suffix = &id[id.len() - 6..];
    // Letters, digits and single hyphens, at most 57 characters: a valid slug by construction.
    Slug::parse("slug", &format!("{words}-{suffix}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_slug_reads_like_the_title() {
        let id = PracticeId::generate();
        let slug = practice_slug("Fewer missed bins: a 3-week trial!", id).expect("slug");
        assert!(
            slug.as_str()
                .starts_with("fewer-missed-bins-a-3-week-trial-"),
            "{slug}"
        );
    }

    #[test]
    fn a_title_without_ascii_words_still_gets_a_slug() {
        let slug = practice_slug("ÆØÅ — ü", PracticeId::generate()).expect("slug");
        assert!(slug.as_str().starts_with("practice-"), "{slug}");
    }
}
