use chrono::{DateTime, Utc};

use crate::error::{DomainError, FieldError};
use crate::person::PersonId;
use crate::slug::Slug;

crate::entity_id!(
    /// Identifies a community.
    CommunityId
);

/// Who may see a community and its content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Visibility {
    /// Anyone may read and join.
    Open,
    /// Anyone sees the name and description; joining needs a facilitator's approval; content
    /// is for members.
    Restricted,
    /// Invisible to non-members; joining by invitation only.
    Private,
}

/// Whether members' posts need a facilitator's approval.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DiscussionMode {
    Open,
    Facilitated,
}

/// A member's role. Ordered: an owner can do what a facilitator can, and more.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    Member,
    Facilitator,
    Owner,
}

stable_names!(Visibility { Open => "OPEN", Restricted => "RESTRICTED", Private => "PRIVATE" });
stable_names!(DiscussionMode { Open => "OPEN", Facilitated => "FACILITATED" });
stable_names!(Role { Member => "MEMBER", Facilitator => "FACILITATOR", Owner => "OWNER" });

/// A community as the hub knows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Community {
    pub id: CommunityId,
    pub slug: Slug,
    pub name: String,
    pub description: String,
    pub visibility: Visibility,
    pub discussion_mode: DiscussionMode,
    /// Endorsing organisations needed to promote a practice here.
    pub promotion_threshold: u32,
    /// Distinct members' flags that hide content pending review.
    pub flag_threshold: u32,
    pub member_count: u64,
    pub created_at: DateTime<Utc>,
    pub last_activity_at: DateTime<Utc>,
}

/// Where a person stands with a community.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Standing {
    pub role: Option<Role>,
    /// They asked to join a RESTRICTED community and await a decision.
    pub requested: bool,
    /// A facilitator invited them; joining accepts.
    pub invited: bool,
}

impl Standing {
    pub fn is_member(&self) -> bool {
        self.role.is_some()
    }

    pub fn at_least(&self, role: Role) -> bool {
        self.role.is_some_and(|r| r >= role)
    }
}

/// A member and their role.
#[derive(Debug, Clone, PartialEq)]
pub struct Membership {
    pub community: CommunityId,
    pub person: PersonId,
    pub role: Role,
    pub joined_at: DateTime<Utc>,
}

/// Why someone is waiting to join.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PendingKind {
    /// They asked; a facilitator decides.
    Request,
    /// A facilitator asked them; they decide by joining.
    Invitation,
}

stable_names!(PendingKind { Request => "REQUEST", Invitation => "INVITATION" });

/// A request or invitation awaiting an answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Pending {
    pub community: CommunityId,
    pub person: PersonId,
    pub kind: PendingKind,
    pub created_at: DateTime<Utc>,
}

/// A validated request to create a community.
#[derive(Debug, Clone, PartialEq)]
pub struct NewCommunity {
    pub slug: Slug,
    pub name: String,
    pub description: String,
    pub visibility: Visibility,
    pub discussion_mode: DiscussionMode,
    pub promotion_threshold: u32,
}

/// The promotion threshold when a community sets none.
pub const DEFAULT_PROMOTION_THRESHOLD: u32 = 3;

/// The flag threshold of a new community, as Discourse's default.
pub const DEFAULT_FLAG_THRESHOLD: u32 = 3;

impl NewCommunity {
    /// Checks every field and reports every broken rule at once.
    pub fn parse(
        slug: &str,
        name: &str,
        description: &str,
        visibility: Visibility,
        discussion_mode: DiscussionMode,
        promotion_threshold: Option<i32>,
    ) -> Result<Self, DomainError> {
        let mut errors = Vec::new();
        let slug = match Slug::parse("slug", slug) {
            Ok(slug) => Some(slug),
            Err(DomainError::Invalid(mut found)) => {
                errors.append(&mut found);
                None
            }
            Err(other) => return Err(other),
        };
        let name = parse_name(name).map_err(|e| errors.push(e)).ok();
        let description = parse_description(description)
            .map_err(|e| errors.push(e))
            .ok();
        let threshold = promotion_threshold.unwrap_or(DEFAULT_PROMOTION_THRESHOLD as i32);
        if !(1..=50).contains(&threshold) {
            errors.push(FieldError::new(
                "promotionThreshold",
                "OUT_OF_RANGE",
                "must be 1 to 50",
            ));
        }
        match (slug, name, description) {
            (Some(slug), Some(name), Some(description)) if errors.is_empty() => Ok(Self {
                slug,
                name,
                description,
                visibility,
                discussion_mode,
                promotion_threshold: threshold as u32,
            }),
            _ => Err(DomainError::Invalid(errors)),
        }
    }
}

/// Checks a community's name: 1–120 characters, trimmed.
pub fn parse_name(raw: &str) -> Result<String, FieldError> {
    let name = raw.trim();
    if !(1..=120).contains(&name.chars().count()) {
        return Err(FieldError::new(
            "name",
            "LENGTH",
            "must be 1 to 120 characters",
        ));
    }
    Ok(name.to_owned())
}

/// Checks a community's description: at most 2000 characters, trimmed.
pub fn parse_description(raw: &str) -> Result<String, FieldError> {
    let description = raw.trim();
    if description.chars().count() > 2000 {
        return Err(FieldError::new(
            "description",
            "LENGTH",
            "must be at most 2000 characters",
        ));
    }
    Ok(description.to_owned())
}

/// Narrows a list of communities.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CommunityFilter {
    /// Matches within the name or slug.
    pub text: Option<String>,
    pub visibility: Option<Visibility>,
    /// Only communities the viewer belongs to.
    pub mine: bool,
}

/// How a list of communities is ordered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum CommunityOrder {
    /// Most recently active first.
    #[default]
    Activity,
    Name,
}

/// What the store is asked for: the filter, narrowed to what the reader may see.
#[derive(Debug, Clone, PartialEq)]
pub struct CommunityQuery {
    pub filter: CommunityFilter,
    /// The reader, whose memberships and invitations make PRIVATE communities visible; `None`
    /// for anonymous readers.
    pub reader: Option<PersonId>,
}
