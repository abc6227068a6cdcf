//! URL-safe, human-readable keys (`leeds-city-council`).

use crate::error::DomainError;

/// A lowercase ASCII slug: letters, digits and single hyphens, 2–64 characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Slug(String);

impl Slug {
    pub const MAX_LEN: usize = 64;

    /// Validates `raw` as a slug; `field` names the input field in the error.
    pub fn parse(field: &str, raw: &str) -> Result<Self, DomainError> {
        let len = raw.chars().count();
        let well_formed = raw
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            && !raw.starts_with('-')
            && !raw.ends_with('-')
            && !raw.contains("--");
        if !(2..=Self::MAX_LEN).contains(&len) || !well_formed {
            return Err(DomainError::invalid(
                field,
                "INVALID",
                "must be 2 to 64 lowercase letters, digits or single hyphens, not starting or ending with a hyphen",
            ));
        }
        Ok(Self(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Slug {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::Slug;

    #[test]
    fn a_slug_of_lowercase_words_and_hyphens_is_accepted() {
        assert!(Slug::parse("slug", "leeds-city-council").is_ok());
    }

    #[test]
    fn a_slug_with_capitals_spaces_or_edge_hyphens_is_refused() {
        for bad in [
            "Leeds",
            "leeds council",
            "-leeds",
            "leeds-",
            "le--eds",
            "x",
            "",
        ] {
            assert!(Slug::parse("slug", bad).is_err(), "{bad} was accepted");
        }
    }

    #[test]
    fn a_slug_longer_than_sixty_four_characters_is_refused() {
        assert!(Slug::parse("slug", &"a".repeat(65)).is_err());
        assert!(Slug::parse("slug", &"a".repeat(64)).is_ok());
    }
}
