//! Comparing two revisions of a practice, field by field.

use similar::TextDiff;

use super::content::{PracticeContent, PracticeField};

/// How one field differs between two revisions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldDiff {
    pub field: PracticeField,
    pub before: String,
    pub after: String,
    /// A unified diff of the two texts, line by line.
    pub unified: String,
}

/// Every field that differs from `before` to `after`, in field order.
pub fn diff(before: &PracticeContent, after: &PracticeContent) -> Vec<FieldDiff> {
    PracticeField::ALL
        .into_iter()
        .filter_map(|field| {
            let (old, new) = (before.field_text(field), after.field_text(field));
            (old != new).then(|| FieldDiff {
                field,
                unified: unified(&old, &new),
                before: old,
                after: new,
            })
        })
        .collect()
}

fn unified(old: &str, new: &str) -> String {
    TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header("before", "after")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_changed_fields_are_compared() {
        let before = PracticeContent {
            title: "Bins".into(),
            outcomes: "Missed bins fell.\nComplaints fell.\n".into(),
            ..PracticeContent::default()
        };
        let after = PracticeContent {
            outcomes: "Missed bins halved.\nComplaints fell.\n".into(),
            ..before.clone()
        };
        let diffs = diff(&before, &after);
        assert_eq!(diffs.len(), 1);
        assert_eq!(diffs[0].field, PracticeField::Outcomes);
        assert!(
            diffs[0].unified.contains("-Missed bins fell."),
            "{}",
            diffs[0].unified
        );
        assert!(diffs[0].unified.contains("+Missed bins halved."));
    }
}
