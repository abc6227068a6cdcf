//! The reputation rules: what each action earns, whom, and what it takes back. Nobody earns
//! points from their own action on their own content.

use chrono::{DateTime, Utc};

use super::model::{
    Award, Badge, BadgeCondition, BadgeGrant, Effects, ObjectKind, ObjectRef, Reason, Restoration,
    Reversal,
};
use crate::community::CommunityId;
use crate::conversation::{Post, PostId, ReactionKind};
use crate::person::PersonId;
use crate::practice::{Adoption, Endorsement, Practice};

/// The points each action earns. Configuration; these are the defaults.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReputationRules {
    /// Endorsed by someone of another organisation.
    pub endorsed: i64,
    /// Endorsed by someone of the author's own organisation.
    pub endorsed_by_colleague: i64,
    pub promoted: i64,
    /// Adopted by another organisation.
    pub adopted: i64,
    /// To the replier whose reply is accepted.
    pub answer_accepted: i64,
    /// To whoever accepts it.
    pub accepted_an_answer: i64,
    /// A HELPFUL or INSIGHTFUL reaction, to the post's author.
    pub reaction: i64,
    /// At most this many points a day from reactions.
    pub reaction_daily_cap: i64,
    /// Adopting organisations for the Spread badge.
    pub spread_adoptions: u64,
    /// Accepted answers for the Helpful badge.
    pub helpful_answers: u64,
}

impl Default for ReputationRules {
    fn default() -> Self {
        Self {
            endorsed: 10,
            endorsed_by_colleague: 2,
            promoted: 50,
            adopted: 25,
            answer_accepted: 15,
            accepted_an_answer: 2,
            reaction: 2,
            reaction_daily_cap: 40,
            spread_adoptions: 3,
            helpful_answers: 10,
        }
    }
}

fn practice_ref(practice: &Practice) -> ObjectRef {
    ObjectRef {
        kind: ObjectKind::Practice,
        id: practice.id.as_uuid(),
    }
}

fn post_ref(post: &Post) -> ObjectRef {
    ObjectRef {
        kind: ObjectKind::Post,
        id: post.id.as_uuid(),
    }
}

fn badge(
    person: PersonId,
    badge: Badge,
    condition: BadgeCondition,
    at: DateTime<Utc>,
) -> BadgeGrant {
    BadgeGrant {
        person,
        badge,
        condition,
        at,
    }
}

/// What a post earns its author and others: taken back when it is taken down.
const EARNED_BY_A_POST: [Reason; 4] = [
    Reason::AnswerAccepted,
    Reason::AcceptedAnAnswer,
    Reason::ReactedHelpful,
    Reason::ReactedInsightful,
];

/// What a practice earns its author: taken back while it is hidden.
const EARNED_BY_A_PRACTICE: [Reason; 3] = [
    Reason::PracticeEndorsed,
    Reason::PracticePromoted,
    Reason::PracticeAdopted,
];

impl ReputationRules {
    /// Publishing: the First practice badge.
    pub fn published(&self, practice: &Practice, at: DateTime<Utc>) -> Effects {
        Effects {
            badges: vec![badge(
                practice.author,
                Badge::FirstPractice,
                BadgeCondition::Always,
                at,
            )],
            ..Effects::default()
        }
    }

    /// An endorsement: points to the author, fewer from a colleague.
    pub fn endorsed(&self, practice: &Practice, endorsement: &Endorsement) -> Effects {
        if endorsement.person == practice.author {
            return Effects::default();
        }
        let colleague =
            endorsement.organisation.is_some() && endorsement.organisation == practice.organisation;
        let points = if colleague {
            self.endorsed_by_colleague
        } else {
            self.endorsed
        };
        Effects {
            awards: vec![Award {
                person: practice.author,
                points,
                reason: Reason::PracticeEndorsed,
                object: practice_ref(practice),
                actor: Some(endorsement.person),
                community: practice.community,
                at: endorsement.created_at,
                daily_cap: None,
            }],
            ..Effects::default()
        }
    }

    /// A withdrawn endorsement takes its points back.
    pub fn endorsement_withdrawn(
        &self,
        practice: &Practice,
        endorser: PersonId,
        at: DateTime<Utc>,
    ) -> Effects {
        Effects {
            reversals: vec![Reversal {
                object: practice_ref(practice),
                actor: Some(endorser),
                reasons: vec![Reason::PracticeEndorsed],
                at,
            }],
            ..Effects::default()
        }
    }

    /// Promotion: points and the Practice worth repeating badge to the author.
    pub fn promoted(&self, practice: &Practice, at: DateTime<Utc>) -> Effects {
        Effects {
            awards: vec![Award {
                person: practice.author,
                points: self.promoted,
                reason: Reason::PracticePromoted,
                object: practice_ref(practice),
                actor: None,
                community: practice.community,
                at,
                daily_cap: None,
            }],
            badges: vec![badge(
                practice.author,
                Badge::PracticeWorthRepeating,
                BadgeCondition::Always,
                at,
            )],
            ..Effects::default()
        }
    }

    /// An adoption by another organisation: points, and Spread once enough have adopted.
    pub fn adopted(&self, practice: &Practice, adoption: &Adoption) -> Effects {
        let spread = BadgeCondition::AdoptionsAtLeast {
            practice: practice.id.as_uuid(),
            count: self.spread_adoptions,
        };
        Effects {
            awards: vec![Award {
                person: practice.author,
                points: self.adopted,
                reason: Reason::PracticeAdopted,
                object: practice_ref(practice),
                actor: Some(adoption.person),
                community: practice.community,
                at: adoption.created_at,
                daily_cap: None,
            }],
            badges: vec![badge(
                practice.author,
                Badge::Spread,
                spread,
                adoption.created_at,
            )],
            ..Effects::default()
        }
    }

    /// An accepted answer: points to the replier and to whoever accepted it (not for accepting
    /// one's own reply); an earlier accepted answer's points are taken back.
    pub fn answer_accepted(
        &self,
        answer: &Post,
        previous: Option<PostId>,
        accepter: PersonId,
        community: CommunityId,
        at: DateTime<Utc>,
    ) -> Effects {
        let mut effects = Effects::default();
        if let Some(previous) = previous {
            effects.reversals.push(Reversal {
                object: ObjectRef {
                    kind: ObjectKind::Post,
                    id: previous.as_uuid(),
                },
                actor: None,
                reasons: vec![Reason::AnswerAccepted, Reason::AcceptedAnAnswer],
                at,
            });
        }
        if answer.author == accepter {
            return effects;
        }
        let award = |person, points, reason| Award {
            person,
            points,
            reason,
            object: post_ref(answer),
            actor: Some(accepter),
            community: Some(community),
            at,
            daily_cap: None,
        };
        effects.awards = vec![
            award(answer.author, self.answer_accepted, Reason::AnswerAccepted),
            award(accepter, self.accepted_an_answer, Reason::AcceptedAnAnswer),
        ];
        let helpful = BadgeCondition::AcceptedAnswersAtLeast(self.helpful_answers);
        effects.badges = vec![badge(answer.author, Badge::Helpful, helpful, at)];
        effects
    }

    /// A reaction added (`active`) or taken back: HELPFUL and INSIGHTFUL earn the author
    /// points, within the daily cap.
    pub fn reaction(
        &self,
        post: &Post,
        reactor: PersonId,
        kind: ReactionKind,
        active: bool,
        community: CommunityId,
        at: DateTime<Utc>,
    ) -> Effects {
        let reason = match kind {
            ReactionKind::Helpful => Reason::ReactedHelpful,
            ReactionKind::Insightful => Reason::ReactedInsightful,
            ReactionKind::Like | ReactionKind::Support => return Effects::default(),
        };
        if reactor == post.author {
            return Effects::default();
        }
        if !active {
            return Effects {
                reversals: vec![Reversal {
                    object: post_ref(post),
                    actor: Some(reactor),
                    reasons: vec![reason],
                    at,
                }],
                ..Effects::default()
            };
        }
        Effects {
            awards: vec![Award {
                person: post.author,
                points: self.reaction,
                reason,
                object: post_ref(post),
                actor: Some(reactor),
                community: Some(community),
                at,
                daily_cap: Some(self.reaction_daily_cap),
            }],
            ..Effects::default()
        }
    }

    /// Content taken down (deleted, rejected or hidden): every point it earned is taken back.
    pub fn post_removed(&self, post: &Post, at: DateTime<Utc>) -> Effects {
        Effects {
            reversals: vec![Reversal {
                object: post_ref(post),
                actor: None,
                reasons: EARNED_BY_A_POST.to_vec(),
                at,
            }],
            ..Effects::default()
        }
    }

    /// A practice hidden: every point it earned its author is taken back.
    pub fn practice_removed(&self, practice: &Practice, at: DateTime<Utc>) -> Effects {
        Effects {
            reversals: vec![Reversal {
                object: practice_ref(practice),
                actor: None,
                reasons: EARNED_BY_A_PRACTICE.to_vec(),
                at,
            }],
            ..Effects::default()
        }
    }

    /// A hidden practice restored: what hiding it at `hidden_at` took is given back.
    pub fn practice_restored(
        &self,
        practice: &Practice,
        hidden_at: DateTime<Utc>,
        at: DateTime<Utc>,
    ) -> Effects {
        Effects {
            restorations: vec![Restoration {
                object: practice_ref(practice),
                reasons: EARNED_BY_A_PRACTICE.to_vec(),
                reversed_at: hidden_at,
                at,
            }],
            ..Effects::default()
        }
    }

    /// Hidden content restored: what hiding it at `hidden_at` took is given back.
    pub fn post_restored(
        &self,
        post: &Post,
        hidden_at: DateTime<Utc>,
        at: DateTime<Utc>,
    ) -> Effects {
        Effects {
            restorations: vec![Restoration {
                object: post_ref(post),
                reasons: EARNED_BY_A_POST.to_vec(),
                reversed_at: hidden_at,
                at,
            }],
            ..Effects::default()
        }
    }

    /// Facilitating a community: the Facilitator badge.
    pub fn facilitating(&self, person: PersonId, at: DateTime<Utc>) -> Effects {
        Effects {
            badges: vec![badge(
                person,
                Badge::Facilitator,
                BadgeCondition::Always,
                at,
            )],
            ..Effects::default()
        }
    }
}
