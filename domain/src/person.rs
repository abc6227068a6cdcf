//! People: practitioners with a profile, who follow one another.

use chrono::{DateTime, Utc};
use validator::{Validate, ValidationError};

use crate::error::{DomainError, FieldError};
use crate::organisation::OrganisationId;
use crate::password::NewPassword;
use crate::ports::PasswordScreen;
use crate::validation;

crate::entity_id!(
    /// Identifies a person.
    PersonId
);

/// A person's role in their organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrganisationRole {
    Member,
    /// May manage the organisation's API tokens.
    Administrator,
}

impl OrganisationRole {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Member => "MEMBER",
            Self::Administrator => "ADMINISTRATOR",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "MEMBER" => Some(Self::Member),
            "ADMINISTRATOR" => Some(Self::Administrator),
            _ => None,
        }
    }
}

/// A practitioner as the hub knows them.
#[derive(Debug, Clone, PartialEq)]
pub struct Person {
    pub id: PersonId,
    /// Lowercase; unique.
    pub handle: String,
    /// Lowercase; unique. Shown only to the person.
    pub email: String,
    pub display_name: String,
    pub job_title: Option<String>,
    pub bio: Option<String>,
    pub area: Option<String>,
    pub interests: Vec<String>,
    pub organisation: Option<(OrganisationId, OrganisationRole)>,
    /// Operates the hub itself: may create organisations.
    pub hub_administrator: bool,
    /// An organisation's service identity (what its API tokens act as), not a practitioner.
    pub service: bool,
    pub created_at: DateTime<Utc>,
}

impl Person {
    pub fn organisation_id(&self) -> Option<OrganisationId> {
        self.organisation.map(|(id, _)| id)
    }
}

/// Organisations' service identities have handles beginning with this; people may not.
pub const SERVICE_HANDLE_PREFIX: &str = "org-";

/// The fields of a registration that `validator` checks; the password is checked apart.
#[derive(Debug, Clone, Validate)]
struct RegistrationFields {
    #[validate(
        email(message = "must be an e-mail address"),
        length(max = 254, message = "must be at most 254 characters")
    )]
    email: String,
    #[validate(custom(function = "validate_display_name"))]
    display_name: String,
    #[validate(custom(function = "validate_handle"))]
    handle: String,
}

/// What someone types to join the hub, every rule checked.
#[derive(Debug, Clone)]
pub struct Registration {
    /// Lowercase.
    pub email: String,
    pub password: NewPassword,
    pub display_name: String,
    /// Lowercase.
    pub handle: String,
}

impl Registration {
    /// Trims and lowercases what should be, then checks every rule; the password must pass
    /// `screen`, and must not be made of the other fields.
    pub fn parse(
        email: &str,
        password: &str,
        display_name: &str,
        handle: &str,
        screen: &dyn PasswordScreen,
    ) -> Result<Self, DomainError> {
        let fields = RegistrationFields {
            email: email.trim().to_lowercase(),
            display_name: display_name.trim().to_owned(),
            handle: handle.trim().to_lowercase(),
        };
        let mut errors = match validation::check(&fields) {
            Ok(()) => Vec::new(),
            Err(DomainError::Invalid(errors)) => errors,
            Err(other) => return Err(other),
        };
        if fields.handle.starts_with(SERVICE_HANDLE_PREFIX) {
            errors.push(FieldError::new(
                "handle",
                "RESERVED",
                "handles beginning `org-` belong to organisations",
            ));
        }
        let context = [
            fields.email.as_str(),
            fields.handle.as_str(),
            fields.display_name.as_str(),
        ];
        let password = NewPassword::parse("password", password, screen, &context)
            .map_err(|error| errors.push(error))
            .ok();
        match password {
            Some(password) if errors.is_empty() => Ok(Self {
                email: fields.email,
                password,
                display_name: fields.display_name,
                handle: fields.handle,
            }),
            _ => {
                errors.sort_by(|a, b| a.field.cmp(&b.field));
                Err(DomainError::Invalid(errors))
            }
        }
    }

    /// The part after the `@`, for finding the organisation that verified it.
    pub fn email_domain(&self) -> &str {
        email_domain(&self.email)
    }
}

/// The part of an address after the `@`.
pub fn email_domain(email: &str) -> &str {
    email.rsplit_once('@').map_or("", |(_, domain)| domain)
}

/// A new person ready to store: the password already hashed.
#[derive(Debug, Clone)]
pub struct NewPerson {
    pub email: String,
    pub handle: String,
    pub display_name: String,
    pub password_hash: String,
    pub organisation_id: Option<OrganisationId>,
}

/// Changes to a profile; `None` leaves a field as it is, `Some("")` clears an optional one.
#[derive(Debug, Clone, Default, Validate)]
pub struct ProfileChanges {
    #[validate(custom(function = "validate_display_name"))]
    pub display_name: Option<String>,
    #[validate(length(max = 120, message = "must be at most 120 characters"))]
    pub job_title: Option<String>,
    #[validate(length(max = 4000, message = "must be at most 4000 characters"))]
    pub bio: Option<String>,
    #[validate(length(max = 120, message = "must be at most 120 characters"))]
    pub area: Option<String>,
    #[validate(
        length(max = 30, message = "at most 30 interests"),
        custom(function = "validate_interests")
    )]
    pub interests: Option<Vec<String>>,
}

impl ProfileChanges {
    /// Trims text, drops duplicate interests, then checks every rule.
    pub fn parse(mut self) -> Result<Self, DomainError> {
        let trim = |v: Option<String>| v.map(|s| s.trim().to_owned());
        self.display_name = trim(self.display_name);
        self.job_title = trim(self.job_title);
        self.bio = trim(self.bio);
        self.area = trim(self.area);
        self.interests = self.interests.map(|tags| {
            let mut tags: Vec<String> = tags.iter().map(|t| t.trim().to_lowercase()).collect();
            tags.sort();
            tags.dedup();
            tags
        });
        validation::check(&self)?;
        Ok(self)
    }
}

/// Narrows a list of people.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PersonFilter {
    /// Matches within the display name or handle, case-insensitively.
    pub text: Option<String>,
    pub organisation: Option<OrganisationId>,
}

fn validate_display_name(name: &str) -> Result<(), ValidationError> {
    let len = name.chars().count();
    if (1..=100).contains(&len) {
        Ok(())
    } else {
        Err(ValidationError::new("length").with_message("must be 1 to 100 characters".into()))
    }
}

/// Handles are what @mentions match: 3–30 lowercase letters, digits, `_` or `-`.
fn validate_handle(handle: &str) -> Result<(), ValidationError> {
    let len = handle.chars().count();
    let charset = handle
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-');
    if (3..=30).contains(&len) && charset {
        Ok(())
    } else {
        Err(ValidationError::new("handle")
            .with_message("must be 3 to 30 letters, digits, `_` or `-`".into()))
    }
}

fn validate_interests(tags: &[String]) -> Result<(), ValidationError> {
    if tags.iter().all(|t| (1..=40).contains(&t.chars().count())) {
        Ok(())
    } else {
        Err(ValidationError::new("length")
            .with_message("each interest must be 1 to 40 characters".into()))
    }
}

#[cfg(test)]
mod tests {
    use super::{DomainError, ProfileChanges, Registration};
    use crate::ports::PasswordScreen;

    /// Lets every password through but the ones made of what else was typed.
    struct Lenient;

    impl PasswordScreen for Lenient {
        fn weakness(&self, password: &str, context: &[&str]) -> Option<String> {
            context
                .iter()
                .any(|c| !c.is_empty() && password.contains(c))
                .then(|| "is made of your other details".to_owned())
        }
    }

    fn fields(err: DomainError) -> Vec<String> {
        match err {
            DomainError::Invalid(errors) => errors.into_iter().map(|e| e.field).collect(),
            other => panic!("expected invalid input, got {other:?}"),
        }
    }

    #[test]
    fn a_registration_breaking_every_rule_names_every_field() {
        let err = Registration::parse("not-an-email", "short", "", "No Spaces!", &Lenient)
            .expect_err("refused");
        assert_eq!(fields(err), ["displayName", "email", "handle", "password"]);
    }

    #[test]
    fn emails_and_handles_are_lowercased() {
        let r = Registration::parse(
            " Ana@Leeds.GOV.uk ",
            "correct horse battery",
            "Ana",
            "Ana_B",
            &Lenient,
        )
        .expect("valid");
        assert_eq!(
            (r.email.as_str(), r.handle.as_str()),
            ("ana@leeds.gov.uk", "ana_b")
        );
        assert_eq!(r.email_domain(), "leeds.gov.uk");
    }

    #[test]
    fn a_password_of_129_characters_is_refused() {
        let err = Registration::parse("a@b.org", &"p".repeat(129), "A", "abc", &Lenient)
            .expect_err("refused");
        assert_eq!(fields(err), ["password"]);
    }

    #[test]
    fn a_password_made_of_the_handle_is_refused() {
        let err = Registration::parse("a@b.org", "ana_b-ana_b-1", "Ana", "Ana_B", &Lenient)
            .expect_err("refused");
        assert_eq!(fields(err), ["password"]);
    }

    #[test]
    fn profile_interests_are_normalised_and_checked() {
        let changes = ProfileChanges {
            interests: Some(vec![
                "Housing ".into(),
                "housing".into(),
                "Adult care".into(),
            ]),
            ..ProfileChanges::default()
        };
        let parsed = changes.parse().expect("valid");
        assert_eq!(
            parsed.interests,
            Some(vec!["adult care".into(), "housing".into()])
        );
        let too_long = ProfileChanges {
            bio: Some("b".repeat(4001)),
            ..ProfileChanges::default()
        };
        assert_eq!(fields(too_long.parse().expect_err("refused")), ["bio"]);
    }
}
