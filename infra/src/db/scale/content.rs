//! What the scale data set contains, generated row by row.

use std::collections::HashSet;

use chrono::{DateTime, Duration, Utc};
use khub_domain::DomainResult;
use khub_domain::community::{DiscussionMode, Role, Visibility};
use khub_domain::conversation::{PostStatus, ReactionKind, ThreadKind};
use khub_domain::organisation::OrganisationKind;
use khub_domain::practice::{
    PracticeContent, PracticeField, PracticeStatus, Promotion, PromotionReason,
};
use sea_orm::ActiveValue::Set;
use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::plan::{Dice, ScalePlan};
use super::{Batch, Progress};
use crate::db::entity::{
    community, community_member, organisation, organisation_domain, person, post, post_reaction,
    practice, practice_endorsement, practice_revision, practice_tag, thread,
};
use crate::error::ResultExt;

const FIRST: &[&str] = &[
    "Amara", "Tom", "Priya", "Jen", "Sam", "Fiona", "Rhys", "Nadia", "Owen", "Leah", "Ravi",
    "Sian", "Kofi", "Mairi", "Dan", "Ewa",
];
const LAST: &[&str] = &[
    "Okafor", "Hughes", "Shah", "Trelawny", "Carter", "MacLeod", "Evans", "Rahman", "Price",
    "Novak", "Iqbal", "Doyle", "Mensah", "Grant", "Lewis", "Kowalski",
];
const TOPICS: &[&str] = &[
    "missed bin collections",
    "homelessness prevention",
    "hospital discharge",
    "damp and mould",
    "digital inclusion",
    "school transport",
    "council tax arrears",
    "adult social care",
    "fly-tipping",
    "youth services",
    "library opening hours",
    "home energy retrofit",
];
const TAGS: &[&str] = &[
    "waste",
    "housing",
    "social-care",
    "digital",
    "climate",
    "children",
    "finance",
    "community",
];

pub(super) fn organisation_slug(i: usize) -> String {
    format!("scale-council-{i:05}")
}

/// Generates and writes the data set, keeping what later stages need.
pub(super) struct Generator {
    plan: ScalePlan,
    password_hash: String,
    dice: Dice,
    organisations: Vec<Uuid>,
    /// Each person's id and organisation index.
    people: Vec<(Uuid, usize)>,
    communities: Vec<Uuid>,
    /// Member (person index) lists per community; the first is the owner.
    members: Vec<Vec<usize>>,
}

impl Generator {
    pub(super) fn new(plan: ScalePlan, password_hash: &str) -> Self {
        Self {
            plan,
            password_hash: password_hash.to_owned(),
            dice: Dice::new(),
            organisations: Vec::new(),
            people: Vec::new(),
            communities: Vec::new(),
            members: Vec::new(),
        }
    }

    pub(super) async fn organisations(
        &mut self,
        db: &impl ConnectionTrait,
        progress: &mut dyn Progress,
    ) -> DomainResult<()> {
        let n = self.plan.organisations;
        progress.stage("organisations", n as u64);
        let (mut rows, mut domains) = (Vec::new(), Vec::new());
        for i in 0..n {
            let id = self.dice.uuid();
            let kind = match i % 10 {
                0 => OrganisationKind::PublicBody,
                1 => OrganisationKind::Partner,
                _ => OrganisationKind::Council,
            };
            let row = organisation::ActiveModel {
                id: Set(id),
                slug: Set(organisation_slug(i)),
                name: Set(format!("{} Council {i}", self.dice.pick(LAST))),
                kind: Set(kind.as_str().to_owned()),
                created_at: Set(self.dice.moment(i, n)),
            };
            rows.push(row);
            domains.push(organisation_domain::ActiveModel {
                domain: Set(format!("{}.gov.uk", organisation_slug(i))),
                organisation_id: Set(id),
            });
            self.organisations.push(id);
        }
        write_all(db, &mut rows).await?;
        write_all(db, &mut domains).await?;
        progress.advance(n as u64);
        Ok(())
    }

    pub(super) async fn people(
        &mut self,
        db: &impl ConnectionTrait,
        progress: &mut dyn Progress,
    ) -> DomainResult<()> {
        let n = self.plan.people;
        progress.stage("people", n as u64);
        let mut rows = Batch::new();
        for i in 0..n {
            let id = self.dice.uuid();
            let organisation = i % self.organisations.len();
            let created = self.dice.moment(i, n);
            let row = person::ActiveModel {
                id: Set(id),
                email: Set(format!(
                    "p{i:06}@{}.gov.uk",
                    organisation_slug(organisation)
                )),
                handle: Set(format!("p{i:06}")),
                display_name: Set(format!(
                    "{} {}",
                    self.dice.pick(FIRST),
                    self.dice.pick(LAST)
                )),
                password_hash: Set(self.password_hash.clone()),
                job_title: Set(Some(format!("Officer for {}", self.dice.pick(TOPICS)))),
                bio: Set(None),
                area: Set(None),
                interests: Set(serde_json::json!([self.dice.pick(TOPICS)])),
                organisation_id: Set(Some(self.organisations[organisation])),
                organisation_role: Set(Some("MEMBER".to_owned())),
                hub_administrator: Set(false),
                service: Set(false),
                created_at: Set(created),
                updated_at: Set(created),
            };
            progress.advance(rows.push(db, row).await?);
            self.people.push((id, organisation));
        }
        progress.advance(rows.flush(db).await?);
        Ok(())
    }

    pub(super) async fn communities(
        &mut self,
        db: &impl ConnectionTrait,
        progress: &mut dyn Progress,
    ) -> DomainResult<()> {
        let n = self.plan.communities;
        self.members = vec![Vec::new(); n];
        // Everyone belongs to two communities (or one, where the two coincide).
        for p in 0..self.people.len() {
            let (a, b) = (p % n, (p * 7 + 3) % n);
            self.members[a].push(p);
            if b != a {
                self.members[b].push(p);
            }
        }
        progress.stage("communities", n as u64);
        let (mut rows, mut memberships) = (Vec::new(), Vec::new());
        for c in 0..n {
            let id = self.dice.uuid();
            let visibility = match c % 10 {
                0..=5 => Visibility::Open,
                6 | 7 => Visibility::Restricted,
                _ => Visibility::Private,
            };
            let created = self.dice.moment(c, n);
            let row = community::ActiveModel {
                id: Set(id),
                slug: Set(format!("scale-community-{c:05}")),
                name: Set(format!("{} network {c}", self.dice.pick(TOPICS))),
                description: Set(format!(
                    "Practitioners working on {}.",
                    self.dice.pick(TOPICS)
                )),
                visibility: Set(visibility.as_str().to_owned()),
                discussion_mode: Set(DiscussionMode::Open.as_str().to_owned()),
                promotion_threshold: Set(3),
                member_count: Set(self.members[c].len() as i64),
                created_at: Set(created),
                last_activity_at: Set(created),
            };
            rows.push(row);
            for (k, p) in self.members[c].iter().enumerate() {
                let role = if k == 0 { Role::Owner } else { Role::Member };
                let membership = community_member::ActiveModel {
                    community_id: Set(id),
                    person_id: Set(self.people[*p].0),
                    role: Set(role.as_str().to_owned()),
                    joined_at: Set(created),
                };
                memberships.push(membership);
            }
            self.communities.push(id);
        }
        // Communities before the memberships that refer to them.
        write_all(db, &mut rows).await?;
        write_all(db, &mut memberships).await?;
        progress.advance(n as u64);
        Ok(())
    }

    pub(super) async fn practices(
        &mut self,
        db: &impl ConnectionTrait,
        progress: &mut dyn Progress,
    ) -> DomainResult<()> {
        let n = self.plan.practices;
        progress.stage("practices", n as u64);
        let mut batches = PracticeBatches::new();
        for i in 0..n {
            let author = self.dice.below(self.people.len());
            let topic = self.dice.pick(TOPICS);
            let content = PracticeContent {
                title: format!("Fewer complaints about {topic}: approach {i}"),
                summary: format!("How one team cut complaints about {topic}."),
                context: format!("Residents reported problems with **{topic}** every week."),
                approach: "- Mapped the problem with front-line staff\n- Tried a fix in one area\n- Scaled what worked".to_owned(),
                outcomes: "Complaints fell by a third within six months.".to_owned(),
                evidence: Vec::new(),
                service_area: Some(topic.to_owned()),
                tags: {
                    let mut tags = vec![self.dice.pick(TAGS).to_owned(), self.dice.pick(TAGS).to_owned()];
                    tags.sort();
                    tags.dedup();
                    tags
                },
            };
            let community = self
                .dice
                .chance(50)
                .then(|| self.communities[author % self.communities.len()]);
            let created = self.dice.moment(i, n);
            let draft = self.dice.chance(5);
            let endorsers = if draft {
                Vec::new()
            } else {
                self.endorsers(author)
            };
            let written = Written {
                author,
                content,
                community,
                created,
                draft,
                endorsers,
            };
            batches.write(db, self, i, written).await?;
            progress.advance(1);
        }
        batches.flush(db).await
    }

    /// Up to five distinct endorsers other than the author.
    fn endorsers(&mut self, author: usize) -> Vec<usize> {
        let mut chosen = Vec::new();
        for _ in 0..self.dice.below(6) {
            let p = self.dice.below(self.people.len());
            if p != author && !chosen.contains(&p) {
                chosen.push(p);
            }
        }
        chosen
    }

    pub(super) async fn conversations(
        &mut self,
        db: &impl ConnectionTrait,
        progress: &mut dyn Progress,
    ) -> DomainResult<()> {
        let (threads, replies) = (self.plan.threads, self.plan.replies);
        progress.stage("threads and replies", (threads + replies) as u64);
        let mut pending = Conversation::default();
        for t in 0..threads {
            // Replies spread evenly: every thread gets its share, the first ones one more.
            let count = replies / threads + usize::from(t < replies % threads);
            self.thread(&mut pending, t, count);
            if pending.posts.len() >= super::CHUNK {
                progress.advance(pending.write(db).await?);
            }
        }
        progress.advance(pending.write(db).await?);
        Ok(())
    }

    /// One thread with `count` replies and their reactions.
    fn thread(&mut self, into: &mut Conversation, t: usize, count: usize) {
        let c = self.dice.below(self.communities.len());
        let author = self.member_of(c);
        let created = self.dice.moment(t, self.plan.threads);
        let (thread_id, opening_id) = (self.dice.uuid(), self.dice.uuid());
        let kind = match self.dice.below(20) {
            0 => ThreadKind::Debate,
            1..=5 => ThreadKind::Question,
            _ => ThreadKind::Discussion,
        };
        let topic = self.dice.pick(TOPICS);
        let body = format!("How are you handling {topic}?");
        into.posts
            .push(self.post(thread_id, opening_id, author, 0, created, body));
        let mut last = (None, created);
        for k in 1..=count {
            let id = self.dice.uuid();
            let at = created + Duration::minutes(k as i64 * 7);
            let replier = self.member_of(c);
            let body = format!("In our area we tried a new approach to {topic}, and it helped.");
            let mut reply = self.post(thread_id, id, replier, k as i64, at, body);
            let counts = self.react(&mut into.reactions, c, id, at);
            reply.like_count = Set(counts[0]);
            reply.insightful_count = Set(counts[1]);
            reply.helpful_count = Set(counts[2]);
            reply.support_count = Set(counts[3]);
            into.posts.push(reply);
            last = (Some(id), at);
        }
        into.threads.push(thread::ActiveModel {
            id: Set(thread_id),
            community_id: Set(self.communities[c]),
            practice_id: Set(None),
            author_id: Set(self.people[author].0),
            title: Set(format!("{} — thread {t}", capitalised(topic))),
            kind: Set(kind.as_str().to_owned()),
            status: Set(PostStatus::Approved.as_str().to_owned()),
            pinned: Set(0),
            locked: Set(false),
            opening_post_id: Set(opening_id),
            accepted_answer_id: Set(None),
            reply_count: Set(count as i64),
            post_count: Set(count as i64),
            last_reply_id: Set(last.0),
            created_at: Set(created),
            last_activity_at: Set(last.1),
        });
    }

    fn member_of(&mut self, community: usize) -> usize {
        let members = &self.members[community];
        members[self.dice.below(members.len())]
    }

    fn post(
        &self,
        thread: Uuid,
        id: Uuid,
        author: usize,
        position: i64,
        at: DateTime<Utc>,
        body: String,
    ) -> post::ActiveModel {
        post::ActiveModel {
            id: Set(id),
            thread_id: Set(thread),
            author_id: Set(self.people[author].0),
            body: Set(body),
            reply_to_id: Set(None),
            position: Set(position),
            status: Set(PostStatus::Approved.as_str().to_owned()),
            mentions: Set("[]".to_owned()),
            like_count: Set(0),
            insightful_count: Set(0),
            helpful_count: Set(0),
            support_count: Set(0),
            created_at: Set(at),
            edited_at: Set(None),
            edit_count: Set(0),
            deleted_at: Set(None),
        }
    }

    /// Up to two reactions by members; returns the counts per kind.
    fn react(
        &mut self,
        reactions: &mut Vec<post_reaction::ActiveModel>,
        community: usize,
        post: Uuid,
        at: DateTime<Utc>,
    ) -> [i64; 4] {
        let mut counts = [0; 4];
        let mut given = HashSet::new();
        for _ in 0..self.dice.below(3) {
            let member = self.member_of(community);
            let person = self.people[member].0;
            let k = self.dice.below(4);
            if given.insert((person, k)) {
                counts[k] += 1;
                reactions.push(post_reaction::ActiveModel {
                    post_id: Set(post),
                    person_id: Set(person),
                    kind: Set(ReactionKind::ALL[k].as_str().to_owned()),
                    created_at: Set(at),
                });
            }
        }
        counts
    }
}

/// Threads, posts and reactions not yet written; written in that order, so every reference is
/// satisfied.
#[derive(Default)]
struct Conversation {
    threads: Vec<thread::ActiveModel>,
    posts: Vec<post::ActiveModel>,
    reactions: Vec<post_reaction::ActiveModel>,
}

impl Conversation {
    /// Writes everything pending; returns how many threads and replies it wrote.
    async fn write(&mut self, db: &impl ConnectionTrait) -> DomainResult<u64> {
        // Every thread has one opening post: the posts are the threads and their replies.
        let written = self.posts.len() as u64;
        write_all(db, &mut self.threads).await?;
        write_all(db, &mut self.posts).await?;
        write_all(db, &mut self.reactions).await?;
        Ok(written)
    }
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// One generated practice before it is written.
struct Written {
    author: usize,
    content: PracticeContent,
    community: Option<Uuid>,
    created: DateTime<Utc>,
    draft: bool,
    endorsers: Vec<usize>,
}

/// The practice tables' batches, written so that references are always satisfied.
struct PracticeBatches {
    practices: Batch<practice::ActiveModel>,
    tags: Vec<practice_tag::ActiveModel>,
    revisions: Vec<practice_revision::ActiveModel>,
    endorsements: Vec<practice_endorsement::ActiveModel>,
}

impl PracticeBatches {
    fn new() -> Self {
        Self {
            practices: Batch::new(),
            tags: Vec::new(),
            revisions: Vec::new(),
            endorsements: Vec::new(),
        }
    }

    async fn write(
        &mut self,
        db: &impl ConnectionTrait,
        generator: &mut Generator,
        i: usize,
        written: Written,
    ) -> DomainResult<()> {
        let id = generator.dice.uuid();
        let (author, organisation) = generator.people[written.author];
        let other_orgs: HashSet<usize> = written
            .endorsers
            .iter()
            .map(|p| generator.people[*p].1)
            .filter(|o| *o != organisation)
            .collect();
        let published = written.created + Duration::hours(1);
        let status = match (written.draft, other_orgs.len() >= 3) {
            (true, _) => PracticeStatus::Draft,
            (false, true) => PracticeStatus::Promoted,
            (false, false) => PracticeStatus::Published,
        };
        let promotion = (status == PracticeStatus::Promoted)
            .then(|| Promotion {
                at: published + Duration::days(1),
                reason: PromotionReason::Endorsements {
                    organisations: other_orgs.len() as u32,
                    threshold: 3,
                },
            })
            .map(|p| serde_json::to_string(&p))
            .transpose()
            .context("encode promotion")?;
        let content = &written.content;
        let row = practice::ActiveModel {
            id: Set(id),
            slug: Set(format!("scale-practice-{i:06}")),
            title: Set(content.title.clone()),
            summary: Set(content.summary.clone()),
            context: Set(content.context.clone()),
            approach: Set(content.approach.clone()),
            outcomes: Set(content.outcomes.clone()),
            evidence: Set("[]".to_owned()),
            service_area: Set(content.service_area.clone()),
            author_id: Set(author),
            organisation_id: Set(Some(generator.organisations[organisation])),
            community_id: Set(written.community),
            status: Set(status.as_str().to_owned()),
            endorsement_count: Set(written.endorsers.len() as i64),
            adoption_count: Set(0),
            revision: Set(i32::from(!written.draft)),
            created_at: Set(written.created),
            updated_at: Set(written.created),
            published_at: Set((!written.draft).then_some(published)),
            listed_at: Set(if written.draft {
                written.created
            } else {
                published
            }),
            promotion: Set(promotion),
        };
        for tag in &content.tags {
            self.tags.push(practice_tag::ActiveModel {
                practice_id: Set(id),
                tag: Set(tag.clone()),
            });
        }
        if !written.draft {
            self.revisions
                .push(first_revision(id, author, content, published)?);
        }
        for p in &written.endorsers {
            let (person, org) = generator.people[*p];
            self.endorsements.push(practice_endorsement::ActiveModel {
                practice_id: Set(id),
                person_id: Set(person),
                organisation_id: Set(Some(generator.organisations[org])),
                comment: Set("We saw the same problem; this is worth repeating.".to_owned()),
                created_at: Set(published + Duration::hours(2)),
            });
        }
        if self.practices.push(db, row).await? > 0 {
            self.flush_children(db).await?;
        }
        Ok(())
    }

    async fn flush(&mut self, db: &impl ConnectionTrait) -> DomainResult<()> {
        self.practices.flush(db).await?;
        self.flush_children(db).await
    }

    /// Rows that refer to practices, once their practices are written.
    async fn flush_children(&mut self, db: &impl ConnectionTrait) -> DomainResult<()> {
        write_all(db, &mut self.tags).await?;
        write_all(db, &mut self.revisions).await?;
        write_all(db, &mut self.endorsements).await
    }
}

fn first_revision(
    practice: Uuid,
    editor: Uuid,
    content: &PracticeContent,
    at: DateTime<Utc>,
) -> DomainResult<practice_revision::ActiveModel> {
    let changed: Vec<&str> = PracticeField::ALL.iter().map(|f| f.as_str()).collect();
    Ok(practice_revision::ActiveModel {
        practice_id: Set(practice),
        number: Set(1),
        editor_id: Set(editor),
        created_at: Set(at),
        changed: Set(changed.join(",")),
        content: Set(serde_json::to_string(content).context("encode revision")?),
        previous: Set("[]".to_owned()),
    })
}

async fn write_all<A>(db: &impl ConnectionTrait, rows: &mut Vec<A>) -> DomainResult<()>
where
    A: sea_orm::ActiveModelTrait + Send,
    <A::Entity as sea_orm::EntityTrait>::Model: sea_orm::IntoActiveModel<A>,
{
    let mut batch = Batch::new();
    for row in rows.drain(..) {
        batch.push(db, row).await?;
    }
    batch.flush(db).await?;
    Ok(())
}
