//! What a practice says: the fields people write, checked and normalised in one place.

use serde::{Deserialize, Serialize};

use crate::error::{DomainError, FieldError};

/// A link to evidence: a report, an evaluation, a dataset.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvidenceLink {
    pub title: String,
    pub url: String,
}

/// The written content of a practice. `context`, `approach` and `outcomes` are Markdown.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PracticeContent {
    pub title: String,
    /// One or two plain sentences.
    pub summary: String,
    /// The problem: what was not working, for whom.
    pub context: String,
    /// What was done.
    pub approach: String,
    /// What changed as a result.
    pub outcomes: String,
    pub evidence: Vec<EvidenceLink>,
    pub service_area: Option<String>,
    /// Lowercase, hyphenated, unique, sorted.
    pub tags: Vec<String>,
}

/// A field of a practice's content, as revisions name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PracticeField {
    Title,
    Summary,
    Context,
    Approach,
    Outcomes,
    Evidence,
    ServiceArea,
    Tags,
}

stable_names!(PracticeField {
    Title => "TITLE",
    Summary => "SUMMARY",
    Context => "CONTEXT",
    Approach => "APPROACH",
    Outcomes => "OUTCOMES",
    Evidence => "EVIDENCE",
    ServiceArea => "SERVICE_AREA",
    Tags => "TAGS",
});

impl PracticeField {
    pub const ALL: [Self; 8] = [
        Self::Title,
        Self::Summary,
        Self::Context,
        Self::Approach,
        Self::Outcomes,
        Self::Evidence,
        Self::ServiceArea,
        Self::Tags,
    ];
}

/// Edits to a practice: `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PracticeChanges {
    pub title: Option<String>,
    pub summary: Option<String>,
    pub context: Option<String>,
    pub approach: Option<String>,
    pub outcomes: Option<String>,
    pub evidence: Option<Vec<EvidenceLink>>,
    /// `Some(None)` clears the service area.
    pub service_area: Option<Option<String>>,
    pub tags: Option<Vec<String>>,
}

const MAX_MARKDOWN: usize = 20_000;
const MAX_EVIDENCE: usize = 20;
const MAX_TAGS: usize = 10;

impl PracticeChanges {
    /// Checks and normalises every given field, reporting every broken rule at once.
    pub fn parse(self) -> Result<Self, DomainError> {
        let mut errors = Vec::new();
        let parsed = Self {
            title: self.title.map(|t| check_title(&t, &mut errors)),
            summary: self
                .summary
                .map(|s| check_length("summary", &s, 500, &mut errors)),
            context: self
                .context
                .map(|s| check_length("context", &s, MAX_MARKDOWN, &mut errors)),
            approach: self
                .approach
                .map(|s| check_length("approach", &s, MAX_MARKDOWN, &mut errors)),
            outcomes: self
                .outcomes
                .map(|s| check_length("outcomes", &s, MAX_MARKDOWN, &mut errors)),
            evidence: self
                .evidence
                .map(|links| check_evidence(links, &mut errors)),
            service_area: self
                .service_area
                .map(|area| check_service_area(area, &mut errors)),
            tags: self.tags.map(|tags| check_tags(&tags, &mut errors)),
        };
        if errors.is_empty() {
            Ok(parsed)
        } else {
            Err(DomainError::Invalid(errors))
        }
    }
}

impl PracticeContent {
    /// New content from a complete set of (parsed) changes; a title is required.
    pub fn from_changes(changes: &PracticeChanges) -> Result<Self, DomainError> {
        if changes.title.is_none() {
            return Err(DomainError::invalid(
                "title",
                "REQUIRED",
                "a title is required",
            ));
        }
        Ok(Self::default().apply(changes).0)
    }

    /// The content with `changes` applied, and the fields that actually changed.
    pub fn apply(&self, changes: &PracticeChanges) -> (Self, Vec<PracticeField>) {
        let mut next = self.clone();
        let mut changed = Vec::new();
        let mut set = |field, differs: bool| {
            if differs {
                changed.push(field);
            }
        };
        macro_rules! take {
            ($field:ident, $name:expr) => {
                if let Some(value) = &changes.$field {
                    set($name, *value != self.$field);
                    next.$field = value.clone();
                }
            };
        }
        take!(title, PracticeField::Title);
        take!(summary, PracticeField::Summary);
        take!(context, PracticeField::Context);
        take!(approach, PracticeField::Approach);
        take!(outcomes, PracticeField::Outcomes);
        take!(evidence, PracticeField::Evidence);
        take!(service_area, PracticeField::ServiceArea);
        take!(tags, PracticeField::Tags);
        (next, changed)
    }

    /// A field's value as text, for revision histories and diffs: links one per line as
    /// `title <url>`, tags comma-separated.
    pub fn field_text(&self, field: PracticeField) -> String {
        match field {
            PracticeField::Title => self.title.clone(),
            PracticeField::Summary => self.summary.clone(),
            PracticeField::Context => self.context.clone(),
            PracticeField::Approach => self.approach.clone(),
            PracticeField::Outcomes => self.outcomes.clone(),
            PracticeField::Evidence => self
                .evidence
                .iter()
                .map(|link| format!("{} <{}>\n", link.title, link.url))
                .collect(),
            PracticeField::ServiceArea => self.service_area.clone().unwrap_or_default(),
            PracticeField::Tags => self.tags.join(", "),
        }
    }

    /// What publishing needs: every story field written. Reports each missing one.
    pub fn check_complete(&self) -> Result<(), DomainError> {
        let missing: Vec<FieldError> = [
            ("summary", &self.summary),
            ("context", &self.context),
            ("approach", &self.approach),
            ("outcomes", &self.outcomes),
        ]
        .into_iter()
        .filter(|(_, text)| text.trim().is_empty())
        .map(|(field, _)| FieldError::new(field, "REQUIRED", "must be written before publishing"))
        .collect();
        if missing.is_empty() {
            Ok(())
        } else {
            Err(DomainError::Invalid(missing))
        }
    }
}

fn check_title(raw: &str, errors: &mut Vec<FieldError>) -> String {
    let title = raw.trim();
    if !(3..=160).contains(&title.chars().count()) {
        errors.push(FieldError::new(
            "title",
            "LENGTH",
            "must be 3 to 160 characters",
        ));
    }
    title.to_owned()
}

fn check_length(field: &str, raw: &str, max: usize, errors: &mut Vec<FieldError>) -> String {
    if raw.chars().count() > max {
        errors.push(FieldError::new(
            field,
            "LENGTH",
            format!("must be at most {max} characters"),
        ));
    }
    raw.trim().to_owned()
}

fn check_evidence(links: Vec<EvidenceLink>, errors: &mut Vec<FieldError>) -> Vec<EvidenceLink> {
    if links.len() > MAX_EVIDENCE {
        errors.push(FieldError::new(
            "evidence",
            "TOO_MANY",
            format!("at most {MAX_EVIDENCE} links"),
        ));
    }
    let links: Vec<EvidenceLink> = links
        .into_iter()
        .map(|link| EvidenceLink {
            title: link.title.trim().to_owned(),
            url: link.url.trim().to_owned(),
        })
        .collect();
    for link in &links {
        if !(1..=200).contains(&link.title.chars().count()) {
            errors.push(FieldError::new(
                "evidence",
                "LENGTH",
                "each link needs a title of 1 to 200 characters",
            ));
        }
        if !is_web_address(&link.url) {
            errors.push(FieldError::new(
                "evidence",
                "INVALID_URL",
                format!("`{}` is not an http or https address", link.url),
            ));
        }
    }
    links
}

/// An absolute http(s) address with a host and nothing a browser would reinterpret.
fn is_web_address(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"));
    let has_host = rest.is_some_and(|r| !r.is_empty() && !r.starts_with('/'));
    has_host
        && url.len() <= 2000
        && !url
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | '"'))
}

fn check_service_area(raw: Option<String>, errors: &mut Vec<FieldError>) -> Option<String> {
    let area = raw.map(|a| a.trim().to_owned()).filter(|a| !a.is_empty())?;
    if area.chars().count() > 80 {
        errors.push(FieldError::new(
            "serviceArea",
            "LENGTH",
            "must be at most 80 characters",
        ));
    }
    Some(area)
}

/// Tags are lowercase words joined by hyphens; duplicates collapse; kept in sorted order.
fn check_tags(raw: &[String], errors: &mut Vec<FieldError>) -> Vec<String> {
    let mut tags: Vec<String> = Vec::new();
    for tag in raw {
        let tag = tag
            .trim()
            .to_lowercase()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join("-");
        let well_formed = tag.chars().all(|c| c.is_alphanumeric() || c == '-');
        if !(1..=40).contains(&tag.chars().count()) || !well_formed {
            errors.push(FieldError::new(
                "tags",
                "INVALID",
                "each tag is 1 to 40 letters, digits or hyphens",
            ));
        } else if !tags.contains(&tag) {
            tags.push(tag);
        }
    }
    // One canonical order, so reordering tags is not a change.
    tags.sort();
    if tags.len() > MAX_TAGS {
        errors.push(FieldError::new(
            "tags",
            "TOO_MANY",
            format!("at most {MAX_TAGS} tags"),
        ));
    }
    tags
}

#[cfg(test)]
mod tests {
    use super::*;

    fn changes() -> PracticeChanges {
        PracticeChanges {
            title: Some("  Fewer missed bins  ".into()),
            tags: Some(vec!["Waste ".into(), "waste".into(), "Street Scene".into()]),
            service_area: Some(Some(" ".into())),
            ..PracticeChanges::default()
        }
    }

    #[test]
    fn input_is_normalised() {
        let parsed = changes().parse().expect("valid");
        let content = PracticeContent::from_changes(&parsed).expect("content");
        assert_eq!(content.title, "Fewer missed bins");
        assert_eq!(content.tags, ["street-scene", "waste"]);
        assert_eq!(content.service_area, None);
    }

    #[test]
    fn every_broken_rule_is_reported_at_once() {
        let bad = PracticeChanges {
            title: Some("x".into()),
            evidence: Some(vec![EvidenceLink {
                title: "Report".into(),
                url: "javascript:alert(1)".into(),
            }]),
            tags: Some(vec!["no/slash".into()]),
            ..PracticeChanges::default()
        };
        let Err(DomainError::Invalid(errors)) = bad.parse() else {
            panic!("should be invalid");
        };
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["title", "evidence", "tags"]);
    }

    #[test]
    fn only_fields_that_differ_count_as_changed() {
        let content =
            PracticeContent::from_changes(&changes().parse().expect("valid")).expect("content");
        let edit = PracticeChanges {
            title: Some(content.title.clone()),
            outcomes: Some("Missed bins halved".into()),
            ..PracticeChanges::default()
        };
        let (next, changed) = content.apply(&edit);
        assert_eq!(changed, [PracticeField::Outcomes]);
        assert_eq!(next.outcomes, "Missed bins halved");
    }

    #[test]
    fn publishing_needs_the_whole_story() {
        let Err(DomainError::Invalid(missing)) = PracticeContent::default().check_complete() else {
            panic!("incomplete");
        };
        assert_eq!(missing.len(), 4);
    }
}
