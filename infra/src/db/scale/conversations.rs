//! The scale data set's conversations: threads in each community, their replies and
//! reactions, generated and written in batches.

use std::collections::HashSet;

use chrono::{DateTime, Duration, Utc};
use khub_domain::DomainResult;
use khub_domain::conversation::{PostStatus, ReactionKind, ThreadKind};
use sea_orm::ActiveValue::Set;
use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::Progress;
use super::content::{Generator, TOPICS, write_all};
use crate::db::entity::{post, post_reaction, thread};

impl Generator {
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
            moderation_reason: Set(None),
            moderated_at: Set(None),
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
