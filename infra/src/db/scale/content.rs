//! What the scale data set contains, generated row by row.

use khub_domain::DomainResult;
use khub_domain::community::{DEFAULT_FLAG_THRESHOLD, DiscussionMode, Role, Visibility};
use khub_domain::organisation::OrganisationKind;
use khub_domain::practice::PracticeContent;
use sea_orm::ActiveValue::Set;
use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::plan::{Dice, ScalePlan};
use super::practice_batches::{PracticeBatches, Written};
use super::{Batch, Progress};
use crate::db::entity::{community, community_member, organisation, organisation_domain, person};

const FIRST: &[&str] = &[
    "Amara", "Tom", "Priya", "Jen", "Sam", "Fiona", "Rhys", "Nadia", "Owen", "Leah", "Ravi",
    "Sian", "Kofi", "Mairi", "Dan", "Ewa",
];
const LAST: &[&str] = &[
    "Okafor", "Hughes", "Shah", "Trelawny", "Carter", "MacLeod", "Evans", "Rahman", "Price",
    "Novak", "Iqbal", "Doyle", "Mensah", "Grant", "Lewis", "Kowalski",
];
pub(super) const TOPICS: &[&str] = &[
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
    pub(super) plan: ScalePlan,
    pub(super) password_hash: String,
    pub(super) dice: Dice,
    pub(super) organisations: Vec<Uuid>,
    /// Each person's id and organisation index.
    pub(super) people: Vec<(Uuid, usize)>,
    pub(super) communities: Vec<Uuid>,
    /// Member (person index) lists per community; the first is the owner.
    pub(super) members: Vec<Vec<usize>>,
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
                flag_threshold: Set(DEFAULT_FLAG_THRESHOLD as i32),
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
}

/// Writes `rows` in batches.
pub(super) async fn write_all<A>(db: &impl ConnectionTrait, rows: &mut Vec<A>) -> DomainResult<()>
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
