//! The demo conversations: a question with an accepted answer, a discussion with reactions
//! and an @mention, a thread about a practice, a thread for a RESTRICTED community's members,
//! and in a FACILITATED community a DEBATE and a discussion, each with a reply awaiting
//! approval.

use khub_domain::conversation::{ReactionKind, ThreadKind};

/// A reply: (author, body, reactions as (from whom, which)).
pub(super) type DemoReply = (
    &'static str,
    &'static str,
    &'static [(&'static str, ReactionKind)],
);

/// A demo thread, its replies, and which reply (by index) is the accepted answer.
pub(super) struct DemoThread {
    pub community: &'static str,
    pub author: &'static str,
    pub kind: ThreadKind,
    /// The slug of the practice the thread is about.
    pub practice: Option<&'static str>,
    pub title: &'static str,
    pub body: &'static str,
    pub replies: &'static [DemoReply],
    pub accepted: Option<usize>,
    /// Replies waiting for a facilitator: (author, body).
    pub pending: &'static [(&'static str, &'static str)],
}

pub(super) const THREADS: &[DemoThread] = &[
    DemoThread {
        community: "homelessness-prevention",
        author: "priya",
        kind: ThreadKind::Question,
        practice: None,
        title: "How do you reach landlords before notice is served?",
        body: "We only hear about section 21 notices once they have expired. What early warning do you get?",
        replies: &[
            (
                "amara",
                "We ask tenants at **every** benefit contact whether their landlord has mentioned selling. See our practice on landlord mediation.",
                &[
                    ("priya", ReactionKind::Helpful),
                    ("rhys", ReactionKind::Helpful),
                ],
            ),
            (
                "rhys",
                "Our letting agents' forum tips us off about portfolio sales.",
                &[("priya", ReactionKind::Insightful)],
            ),
        ],
        accepted: Some(0),
        pending: &[],
    },
    DemoThread {
        community: "homelessness-prevention",
        author: "nadia",
        kind: ThreadKind::Discussion,
        practice: None,
        title: "Cost of living: what are advisers seeing this winter?",
        body: "Energy debt referrals are up a third on last year. Is that the same for councils?",
        replies: &[(
            "kernow-jen",
            "Same in Cornwall, worse in off-grid villages. @nadia do you have the referral data by area?",
            &[("nadia", ReactionKind::Support)],
        )],
        accepted: None,
        pending: &[],
    },
    DemoThread {
        community: "adult-social-care-leaders",
        author: "tom-h",
        kind: ThreadKind::Discussion,
        practice: None,
        title: "Home first: how are you funding reablement capacity?",
        body: "Our discharge-to-assess pilot works, but the reablement team is at capacity by 11am.",
        replies: &[(
            "kernow-jen",
            "We moved two home-care rounds into reablement for the winter.",
            &[],
        )],
        accepted: None,
        pending: &[],
    },
    DemoThread {
        community: "homelessness-prevention",
        author: "kernow-jen",
        kind: ThreadKind::Discussion,
        practice: Some("landlord-mediation-before-notice"),
        title: "Landlord mediation: what do you say on the first call?",
        body: "We are adapting the Leeds practice for Cornwall. What do officers say when they first ring a landlord?",
        replies: &[(
            "amara",
            "We open with the tenancy, not the arrears: *we want to help keep this tenancy going*. @kernow-jen I can share our call script.",
            &[("kernow-jen", ReactionKind::Helpful)],
        )],
        accepted: None,
        pending: &[],
    },
    DemoThread {
        community: "cost-of-living-response",
        author: "rhys",
        kind: ThreadKind::Debate,
        practice: None,
        title: "Should councils write off council-tax arrears for households on Universal Credit?",
        body: "Some councils have written off arrears for their poorest households; others say it rewards non-payment. Make your case: members' posts appear once a facilitator has read them.",
        replies: &[(
            "nadia",
            "Arrears chased through enforcement agents cost more to collect than they bring in, and push people into priority debt. Write them off, with advice attached.",
            &[("amara", ReactionKind::Insightful)],
        )],
        accepted: None,
        pending: &[(
            "priya",
            "Writing arrears off without changing the council tax reduction scheme only resets the clock: fix the scheme first.",
        )],
    },
    DemoThread {
        community: "cost-of-living-response",
        author: "nadia",
        kind: ThreadKind::Discussion,
        practice: None,
        title: "Warm spaces this winter: who is opening what?",
        body: "Libraries, community centres, faith groups: where are your warm spaces, and how do people find them?",
        replies: &[(
            "fiona",
            "Every Glasgow library is a warm space, with digital champions on hand two afternoons a week.",
            &[],
        )],
        accepted: None,
        pending: &[(
            "sam-c",
            "Camden maps its warm spaces on the council website; happy to share the data model.",
        )],
    },
];
