//! Changing a community's settings after it was created: its owners' decision. Visibility is
//! read on every path at the time of reading, so a change applies everywhere at once.

use super::model::{
    Community, CommunityId, DiscussionMode, Role, Visibility, parse_description, parse_name,
};
use super::service::Communities;
use crate::access::Actor;
use crate::error::{DomainError, DomainResult, FieldError};
use crate::policy::{self, Action};

/// What an owner asked to change; anything not given stays as it is.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CommunityChanges {
    pub name: Option<String>,
    pub description: Option<String>,
    pub visibility: Option<Visibility>,
    pub discussion_mode: Option<DiscussionMode>,
    pub promotion_threshold: Option<u32>,
    pub flag_threshold: Option<u32>,
}

/// The changes as asked, before they are checked.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AskedChanges<'a> {
    pub name: Option<&'a str>,
    pub description: Option<&'a str>,
    pub visibility: Option<Visibility>,
    pub discussion_mode: Option<DiscussionMode>,
    pub promotion_threshold: Option<i32>,
    pub flag_threshold: Option<i32>,
}

impl CommunityChanges {
    /// Checks every field given and reports every broken rule at once.
    pub fn parse(asked: AskedChanges<'_>) -> Result<Self, DomainError> {
        let mut errors: Vec<FieldError> = Vec::new();
        let mut keep = |result: Result<String, FieldError>| match result {
            Ok(value) => Some(value),
            Err(error) => {
                errors.push(error);
                None
            }
        };
        let name = asked.name.map(parse_name).and_then(&mut keep);
        let description = asked.description.map(parse_description).and_then(&mut keep);
        let promotion_threshold = in_range(
            asked.promotion_threshold,
            "promotionThreshold",
            50,
            &mut errors,
        );
        let flag_threshold = in_range(asked.flag_threshold, "flagThreshold", 100, &mut errors);
        if !errors.is_empty() {
            return Err(DomainError::Invalid(errors));
        }
        Ok(Self {
            name,
            description,
            visibility: asked.visibility,
            discussion_mode: asked.discussion_mode,
            promotion_threshold,
            flag_threshold,
        })
    }

    /// `community` with these changes.
    fn applied_to(self, community: Community) -> Community {
        Community {
            name: self.name.unwrap_or(community.name),
            description: self.description.unwrap_or(community.description),
            visibility: self.visibility.unwrap_or(community.visibility),
            discussion_mode: self.discussion_mode.unwrap_or(community.discussion_mode),
            promotion_threshold: self
                .promotion_threshold
                .unwrap_or(community.promotion_threshold),
            flag_threshold: self.flag_threshold.unwrap_or(community.flag_threshold),
            ..community
        }
    }
}

/// `value`, if given, within 1..=`max`.
fn in_range(
    value: Option<i32>,
    field: &str,
    max: i32,
    errors: &mut Vec<FieldError>,
) -> Option<u32> {
    let value = value?;
    if !(1..=max).contains(&value) {
        errors.push(FieldError::new(
            field,
            "OUT_OF_RANGE",
            format!("must be 1 to {max}"),
        ));
        return None;
    }
    u32::try_from(value).ok()
}

impl Communities {
    /// Changes a community's settings: owners.
    #[tracing::instrument(skip_all)]
    pub async fn update(
        &self,
        actor: &Actor,
        id: CommunityId,
        changes: CommunityChanges,
    ) -> DomainResult<Community> {
        policy::authorize(actor, Action::FacilitateCommunities)?;
        let (community, standing) = self.seen(actor, id).await?;
        if !standing.at_least(Role::Owner) {
            return Err(DomainError::Forbidden(
                "only owners change a community's settings",
            ));
        }
        let updated = changes.applied_to(community);
        self.repo.update(&updated).await?;
        Ok(updated)
    }
}
