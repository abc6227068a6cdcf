//! Who may read a practice. Every read path goes through [`can_read`].

use super::model::{Practice, PracticeStatus};
use crate::community::{Community, Role, Standing, can_read_content};
use crate::person::PersonId;

/// Whether `reader` may read `practice`, given the practice's community as they see it
/// (`None` when it has none, or when they may not see it).
pub fn can_read(
    practice: &Practice,
    reader: Option<PersonId>,
    community: Option<&(Community, Standing)>,
) -> bool {
    if reader == Some(practice.author) {
        return true;
    }
    if practice.status == PracticeStatus::Draft {
        return false;
    }
    if practice.hidden.is_some() {
        return community.is_some_and(|(_, standing)| standing.at_least(Role::Facilitator));
    }
    match practice.community {
        None => true,
        Some(_) => {
            community.is_some_and(|(community, standing)| can_read_content(community, standing))
        }
    }
}

/// Whether `reader` may archive it: its author, or a facilitator of its community.
pub fn can_archive(
    practice: &Practice,
    reader: PersonId,
    community: Option<&(Community, Standing)>,
) -> bool {
    reader == practice.author
        || community.is_some_and(|(_, standing)| standing.at_least(Role::Facilitator))
}
