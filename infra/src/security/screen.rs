//! The password screen: a list of common and breached passwords shipped with the hub, then
//! zxcvbn's estimate of how many guesses a password would take.

use std::collections::HashSet;
use std::sync::LazyLock;

use khub_domain::ports::PasswordScreen;
use zxcvbn::Score;

static COMMON: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    include_str!("../../assets/common-passwords.txt")
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect()
});

/// Refuses listed passwords and those zxcvbn scores below 3 (fewer than 10^10 guesses).
#[derive(Debug, Default, Clone, Copy)]
pub struct GuessabilityScreen;

impl PasswordScreen for GuessabilityScreen {
    fn weakness(&self, password: &str, context: &[&str]) -> Option<String> {
        if COMMON.contains(password.to_lowercase().as_str()) {
            return Some("is one of the most common passwords; choose another".to_owned());
        }
        let estimate = zxcvbn::zxcvbn(password, context);
        if estimate.score() >= Score::Three {
            return None;
        }
        let hint = estimate
            .feedback()
            .and_then(|feedback| feedback.warning())
            .map(|warning| format!(" ({warning})"))
            .unwrap_or_default();
        Some(format!(
            "is too easy to guess{hint}; a few uncommon words together make a strong one"
        ))
    }
}

#[cfg(test)]
mod tests {
    use khub_domain::ports::PasswordScreen;

    use super::GuessabilityScreen;

    #[test]
    fn repeated_and_common_passwords_are_refused() {
        for weak in [
            "aaaaaaaaaaaa",
            "password1234",
            "qwertyuiop123",
            "123456789012",
        ] {
            assert!(GuessabilityScreen.weakness(weak, &[]).is_some(), "{weak}");
        }
    }

    #[test]
    fn a_passphrase_passes_unless_it_is_made_of_the_persons_details() {
        assert_eq!(
            GuessabilityScreen.weakness("correct horse battery staple", &[]),
            None
        );
        let context = ["amara.okafor@leeds.gov.uk", "amaraokafor"];
        assert!(
            GuessabilityScreen
                .weakness("amaraokafor2026", &context)
                .is_some()
        );
    }
}
