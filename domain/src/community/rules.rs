//! Visibility is the law: these two rules decide what every read path shows.

use super::model::{Community, Standing, Visibility};

/// Whether the reader may know the community exists (name and description).
pub fn can_see(community: &Community, standing: &Standing) -> bool {
    match community.visibility {
        Visibility::Open | Visibility::Restricted => true,
        Visibility::Private => standing.is_member() || standing.invited,
    }
}

/// Whether the reader may see what is inside: members, threads, practices.
pub fn can_read_content(community: &Community, standing: &Standing) -> bool {
    match community.visibility {
        Visibility::Open => true,
        Visibility::Restricted | Visibility::Private => standing.is_member(),
    }
}

#[cfg(test)]
mod tests {
    use chrono::Utc;

    use super::*;
    use crate::community::model::{CommunityId, DiscussionMode, Role};
    use crate::slug::Slug;

    fn community(visibility: Visibility) -> Community {
        Community {
            id: CommunityId::generate(),
            slug: Slug::parse("slug", "care").expect("slug"),
            name: "Care".into(),
            description: String::new(),
            visibility,
            discussion_mode: DiscussionMode::Open,
            promotion_threshold: 3,
            flag_threshold: 3,
            member_count: 1,
            created_at: Utc::now(),
            last_activity_at: Utc::now(),
        }
    }

    #[test]
    fn a_private_community_is_invisible_to_non_members_but_not_to_invitees() {
        let private = community(Visibility::Private);
        assert!(!can_see(&private, &Standing::default()));
        assert!(!can_see(
            &private,
            &Standing {
                requested: true,
                ..Standing::default()
            }
        ));
        assert!(can_see(
            &private,
            &Standing {
                invited: true,
                ..Standing::default()
            }
        ));
        assert!(!can_read_content(
            &private,
            &Standing {
                invited: true,
                ..Standing::default()
            }
        ));
        assert!(can_read_content(
            &private,
            &Standing {
                role: Some(Role::Member),
                ..Standing::default()
            }
        ));
    }

    #[test]
    fn a_restricted_community_shows_its_name_to_all_and_its_content_to_members() {
        let restricted = community(Visibility::Restricted);
        assert!(can_see(&restricted, &Standing::default()));
        assert!(!can_read_content(
            &restricted,
            &Standing {
                requested: true,
                ..Standing::default()
            }
        ));
        assert!(can_read_content(
            &restricted,
            &Standing {
                role: Some(Role::Member),
                ..Standing::default()
            }
        ));
    }
}
