//! Notification mail: each person's choice of how often, mentions and replies mailed at once,
//! daily or weekly digests of what is unread, and a one-click unsubscribe in every message.

use std::collections::HashMap;

use uuid::Uuid;

use crate::access::Actor;
use crate::error::{DomainError, DomainResult};
use crate::markdown;
use crate::notification::mail::{self, Links, NOTIFICATIONS_PATH, Told, UNSUBSCRIBE_PATH};
use crate::notification::model::{EmailFrequency, Notification};
use crate::notification::service::Notifications;
use crate::person::{Person, PersonId};
use crate::policy::{self, Action};

/// Mails sent per round, so one round stays short.
const PER_ROUND: u64 = 50;
/// The most notifications one digest lists.
const DIGEST_ITEMS: u64 = 50;

impl Notifications {
    /// How often the actor is mailed about their notifications.
    pub async fn email_frequency(&self, actor: &Actor) -> DomainResult<EmailFrequency> {
        let person = policy::authorize(actor, Action::ReadNotifications)?;
        self.repo.email_frequency(person.id).await
    }

    /// Chooses how often the actor is mailed.
    pub async fn set_email_frequency(
        &self,
        actor: &Actor,
        frequency: EmailFrequency,
    ) -> DomainResult<EmailFrequency> {
        let person = policy::authorize(actor, Action::KeepNotifications)?;
        self.repo
            .set_email_frequency(person.id, frequency, self.clock.now())
            .await?;
        Ok(frequency)
    }

    /// Stops the mail of the person a link from one of their messages names; a link that is
    /// not one (altered, or made up) is NOT_FOUND.
    pub async fn unsubscribe(&self, token: &str) -> DomainResult<()> {
        let person = self.unsubscribing(token).ok_or(DomainError::NotFound)?;
        self.repo
            .set_email_frequency(person, EmailFrequency::Never, self.clock.now())
            .await
    }

    /// Sends what is due: mentions and replies at once, then the digests that are due. Each is
    /// claimed first, so several instances never send one twice; a mail that fails is given
    /// back for the next round.
    pub async fn send_due_mail(&self) -> DomainResult<usize> {
        Ok(self.send_at_once().await? + self.send_digests().await?)
    }

    async fn send_at_once(&self) -> DomainResult<usize> {
        let due = self
            .repo
            .claim_due_mails(PER_ROUND, self.clock.now())
            .await?;
        let mut sent = 0;
        for (person, id) in due {
            let Some(recipient) = self.person(person).await? else {
                continue;
            };
            // Gone or no longer readable since it was queued: nothing to tell.
            let Some(found) = self.repo.find(person, id).await? else {
                continue;
            };
            let told = self.told(person, &[found]).await?;
            let message = mail::at_once(&recipient.email, &told[0], &self.links(person));
            match self.mail.mailer.send(&message).await {
                Ok(()) => sent += 1,
                Err(error) => {
                    tracing::warn!(%error, "a notification mail waits to be sent again");
                    self.repo.release_mail(id).await?;
                }
            }
        }
        Ok(sent)
    }

    async fn send_digests(&self) -> DomainResult<usize> {
        let due = self
            .repo
            .claim_due_digests(self.clock.now(), PER_ROUND)
            .await?;
        let mut sent = 0;
        for digest in due {
            let unread = self
                .repo
                .unread_since(digest.person, digest.since, DIGEST_ITEMS)
                .await?;
            let Some(recipient) = self.person(digest.person).await? else {
                continue;
            };
            if unread.is_empty() {
                continue;
            }
            let told = self.told(digest.person, &unread).await?;
            let links = self.links(digest.person);
            let message = mail::digest(&recipient.email, digest.frequency, &told, &links);
            match self.mail.mailer.send(&message).await {
                Ok(()) => sent += 1,
                // The next digest covers this one's period too.
                Err(error) => tracing::warn!(%error, "a digest was not sent"),
            }
        }
        Ok(sent)
    }

    pub(super) async fn person(&self, id: PersonId) -> DomainResult<Option<Person>> {
        Ok(self.people.find_by_ids(&[id]).await?.pop())
    }

    /// The notifications in words, as `recipient` may read what they are about.
    async fn told(&self, recipient: PersonId, found: &[Notification]) -> DomainResult<Vec<Told>> {
        let actors: Vec<PersonId> = found.iter().filter_map(|n| n.actor).collect();
        let names: HashMap<PersonId, String> = self
            .people
            .find_by_ids(&actors)
            .await?
            .into_iter()
            .map(|p| (p.id, p.display_name))
            .collect();
        let threads: Vec<_> = found.iter().filter_map(|n| n.subject.thread).collect();
        let mut titles: HashMap<Uuid, String> = self
            .conversations
            .visible_threads_to(Some(recipient), &threads)
            .await?
            .into_iter()
            .map(|view| (view.thread.id.as_uuid(), view.thread.title))
            .collect();
        let practices: Vec<_> = found.iter().filter_map(|n| n.subject.practice).collect();
        let readable = self
            .practices
            .visible_to(Some(recipient), &practices)
            .await?;
        titles.extend(
            readable
                .into_iter()
                .map(|view| (view.practice.id.as_uuid(), view.practice.content.title)),
        );
        for search in found.iter().filter_map(|n| n.subject.saved_search) {
            if let Some(kept) = self.saved_searches.find(search).await? {
                titles.insert(search.as_uuid(), kept.name.as_str().to_owned());
            }
        }
        let posts: Vec<_> = found.iter().filter_map(|n| n.subject.post).collect();
        let excerpts: HashMap<_, _> = self
            .conversations
            .posts_of_readable_threads(&posts)
            .await?
            .into_iter()
            .filter(|post| !post.is_deleted())
            .map(|post| (post.id, markdown::to_plain_text(&post.body)))
            .collect();
        Ok(found
            .iter()
            .map(|n| {
                let subject = n.subject.thread.map(|t| t.as_uuid());
                let subject = subject.or(n.subject.practice.map(|p| p.as_uuid()));
                let subject = subject.or(n.subject.saved_search.map(|s| s.as_uuid()));
                Told {
                    kind: n.kind,
                    count: n.count,
                    actor: n.actor.and_then(|a| names.get(&a).cloned()),
                    title: subject.and_then(|s| titles.get(&s).cloned()),
                    excerpt: n.subject.post.and_then(|p| excerpts.get(&p).cloned()),
                }
            })
            .collect())
    }

    fn links(&self, person: PersonId) -> Links {
        let base = &self.mail.public_url;
        Links {
            notifications: format!("{base}{NOTIFICATIONS_PATH}"),
            unsubscribe: format!(
                "{base}{UNSUBSCRIBE_PATH}/{}",
                self.unsubscribe_token(person)
            ),
        }
    }

    /// `<person>.<signature>`: the link stops that person's mail and no one else's.
    fn unsubscribe_token(&self, person: PersonId) -> String {
        let id = person.as_uuid().simple().to_string();
        let signature = self.mail.signer.sign(&unsubscribe_message(&id));
        format!("{id}.{signature}")
    }

    fn unsubscribing(&self, token: &str) -> Option<PersonId> {
        let (id, signature) = token.split_once('.')?;
        let person = Uuid::parse_str(id).ok()?;
        self.mail
            .signer
            .verify(&unsubscribe_message(id), signature)
            .then_some(PersonId::from_uuid(person))
    }
}

/// What an unsubscribe link signs: its purpose with the person, so no other signed token
/// (a feed's) can stand in for it.
fn unsubscribe_message(person: &str) -> String {
    format!("unsubscribe:{person}")
}
