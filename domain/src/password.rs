//! Passwords people choose: long enough, and not one that others would guess.

use std::fmt;

use crate::error::FieldError;
use crate::ports::PasswordScreen;

/// The code of a password refused for being easy to guess.
pub const WEAK_PASSWORD: &str = "WEAK_PASSWORD";

/// A password that passed every rule; it cannot exist otherwise. Never printed.
#[derive(Clone)]
pub struct NewPassword(String);

impl NewPassword {
    /// Checks `raw` (given in `field`) against the length rule and `screen`; `context` is what
    /// else the person typed, which the password must not be built from.
    pub fn parse(
        field: &str,
        raw: &str,
        screen: &dyn PasswordScreen,
        context: &[&str],
    ) -> Result<Self, FieldError> {
        let length = raw.chars().count();
        if !(12..=128).contains(&length) {
            return Err(FieldError::new(
                field,
                "INVALID",
                "must be 12 to 128 characters",
            ));
        }
        match screen.weakness(raw, context) {
            Some(why) => Err(FieldError::new(field, WEAK_PASSWORD, why)),
            None => Ok(Self(raw.to_owned())),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("NewPassword(…)")
    }
}

#[cfg(test)]
mod tests {
    use super::{NewPassword, WEAK_PASSWORD};
    use crate::ports::PasswordScreen;

    /// Refuses anything containing "password", or the context.
    struct Naive;

    impl PasswordScreen for Naive {
        fn weakness(&self, password: &str, context: &[&str]) -> Option<String> {
            let weak =
                password.contains("password") || context.iter().any(|c| password.contains(c));
            weak.then(|| "is too easy to guess".to_owned())
        }
    }

    #[test]
    fn a_password_must_be_12_to_128_characters() {
        let short = NewPassword::parse("password", "short", &Naive, &[]).expect_err("short");
        assert_eq!(short.code, "INVALID");
        assert!(NewPassword::parse("password", &"x1".repeat(65), &Naive, &[]).is_err());
        assert!(NewPassword::parse("password", "orchard-lantern-42", &Naive, &[]).is_ok());
    }

    #[test]
    fn a_guessable_password_is_refused_naming_the_field() {
        let error =
            NewPassword::parse("newPassword", "mypassword123", &Naive, &[]).expect_err("guessable");
        assert_eq!(
            (error.field.as_str(), error.code),
            ("newPassword", WEAK_PASSWORD)
        );
        let built_from_handle =
            NewPassword::parse("password", "amara-okafor-1", &Naive, &["amara-okafor"]);
        assert!(built_from_handle.is_err());
    }
}
