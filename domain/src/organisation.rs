//! Organisations: councils, public bodies and partners. Someone registering with an e-mail
//! address on one of an organisation's verified domains joins it.

use chrono::{DateTime, Utc};

use crate::error::{DomainError, FieldError};
use crate::slug::Slug;

crate::entity_id!(
    /// Identifies an organisation.
    OrganisationId
);

/// What sort of body an organisation is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OrganisationKind {
    Council,
    PublicBody,
    Partner,
    Other,
}

impl OrganisationKind {
    pub const ALL: [Self; 4] = [Self::Council, Self::PublicBody, Self::Partner, Self::Other];

    /// The stable spelling used in storage and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Council => "COUNCIL",
            Self::PublicBody => "PUBLIC_BODY",
            Self::Partner => "PARTNER",
            Self::Other => "OTHER",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|kind| kind.as_str().eq_ignore_ascii_case(raw))
    }
}

/// A verified e-mail domain (`leeds.gov.uk`), stored lowercase.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EmailDomain(String);

impl EmailDomain {
    pub fn parse(field: &str, raw: &str) -> Result<Self, DomainError> {
        let domain = raw.trim().trim_end_matches('.').to_ascii_lowercase();
        let labels_ok = domain.split('.').all(|label| {
            (1..=63).contains(&label.len())
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                && !label.starts_with('-')
                && !label.ends_with('-')
        });
        if domain.len() > 253 || !domain.contains('.') || !labels_ok {
            return Err(DomainError::invalid(
                field,
                "INVALID",
                format!("`{raw}` is not a domain name such as `leeds.gov.uk`"),
            ));
        }
        Ok(Self(domain))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An organisation as the hub knows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Organisation {
    pub id: OrganisationId,
    pub slug: Slug,
    pub name: String,
    pub kind: OrganisationKind,
    pub verified_domains: Vec<EmailDomain>,
    pub created_at: DateTime<Utc>,
}

/// A validated request to create an organisation.
#[derive(Debug, Clone, PartialEq)]
pub struct NewOrganisation {
    pub slug: Slug,
    pub name: String,
    pub kind: OrganisationKind,
    pub verified_domains: Vec<EmailDomain>,
}

impl NewOrganisation {
    pub const MAX_NAME_LEN: usize = 200;

    /// Checks every field and reports every broken rule at once.
    pub fn parse(
        slug: &str,
        name: &str,
        kind: OrganisationKind,
        domains: &[String],
    ) -> Result<Self, DomainError> {
        let mut errors: Vec<FieldError> = Vec::new();
        let slug = collect(Slug::parse("slug", slug), &mut errors);
        let name = name.trim();
        if name.is_empty() || name.chars().count() > Self::MAX_NAME_LEN {
            errors.push(FieldError::new(
                "name",
                "INVALID",
                "must be 1 to 200 characters",
            ));
        }
        let mut verified_domains: Vec<EmailDomain> = domains
            .iter()
            .filter_map(|d| collect(EmailDomain::parse("verifiedDomains", d), &mut errors))
            .collect();
        verified_domains.sort();
        verified_domains.dedup();
        match slug {
            Some(slug) if errors.is_empty() => Ok(Self {
                slug,
                name: name.to_owned(),
                kind,
                verified_domains,
            }),
            _ => Err(DomainError::Invalid(errors)),
        }
    }
}

fn collect<T>(result: Result<T, DomainError>, errors: &mut Vec<FieldError>) -> Option<T> {
    match result {
        Ok(value) => Some(value),
        Err(DomainError::Invalid(mut found)) => {
            errors.append(&mut found);
            None
        }
        Err(other) => {
            errors.push(FieldError::new("", "INVALID", other.to_string()));
            None
        }
    }
}

/// Narrows a list of organisations.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OrganisationFilter {
    /// Matches within the name or slug, case-insensitively.
    pub text: Option<String>,
    pub kind: Option<OrganisationKind>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_organisation_with_every_field_wrong_reports_every_field() {
        let err = NewOrganisation::parse(
            "Bad Slug",
            " ",
            OrganisationKind::Council,
            &["nodot".into()],
        )
        .expect_err("must be refused");
        let DomainError::Invalid(errors) = err else {
            panic!("expected invalid input");
        };
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, vec!["slug", "name", "verifiedDomains"]);
    }

    #[test]
    fn verified_domains_are_lowercased_and_deduplicated() {
        let org = NewOrganisation::parse(
            "leeds",
            "Leeds City Council",
            OrganisationKind::Council,
            &["Leeds.GOV.uk".into(), "leeds.gov.uk.".into()],
        )
        .expect("valid organisation");
        assert_eq!(
            org.verified_domains,
            vec![EmailDomain("leeds.gov.uk".into())]
        );
    }

    #[test]
    fn kinds_round_trip_through_their_stable_spelling() {
        for kind in OrganisationKind::ALL {
            assert_eq!(OrganisationKind::parse(kind.as_str()), Some(kind));
        }
    }
}
