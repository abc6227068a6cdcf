//! Helpers for practices: people in organisations, complete stories, and a recorder of the
//! domain events an instance raises.

use std::collections::HashSet;
use std::time::Duration;

use futures_util::StreamExt;
use khub_domain::events::{ALL_EVENTS_TOPIC, Envelope, EventId, HubEvent};
use khub_domain::organisation::OrganisationKind;
use khub_domain::ports::BusDelivery;
use khub_domain::ports::BusStream;
use serde_json::{Value, json};

use crate::{Session, TestApp};

/// Every field a practice needs to be published, around `title`.
pub fn complete_story(title: &str) -> Value {
    json!({
        "title": title,
        "summary": "Crews photograph blocked bins instead of skipping them.",
        "context": "Missed collections were the top complaint.",
        "approach": "Crews carry a phone app and log each blocked bin.",
        "outcomes": "Missed-bin complaints fell by half in six months.",
        "serviceArea": "Waste and recycling",
        "tags": ["waste", "digital"],
    })
}

impl TestApp {
    /// A council with the e-mail domain `<slug>.gov.uk`, and one registered person per handle
    /// in it.
    pub async fn council_with(&self, slug: &str, handles: &[&str]) -> Vec<Session> {
        let domain = format!("{slug}.gov.uk");
        self.create_organisation(slug, slug, OrganisationKind::Council, &[&domain])
            .await;
        let mut people = Vec::new();
        for handle in handles {
            people.push(self.register(&format!("{handle}@{domain}"), handle).await);
        }
        people
    }

    /// Creates a draft from `input` as `author`; returns its id and slug.
    pub async fn draft_practice(&self, author: &Session, input: Value) -> (String, String) {
        let payload = self
            .mutate(author, "createPractice", input, "practice { id slug }")
            .await;
        let practice = &payload["practice"];
        match (practice["id"].as_str(), practice["slug"].as_str()) {
            (Some(id), Some(slug)) => (id.to_owned(), slug.to_owned()),
            _ => panic!("practice not created: {payload}"),
        }
    }

    /// Creates and publishes a complete practice as `author`; returns its id and slug.
    pub async fn published_practice(&self, author: &Session, title: &str) -> (String, String) {
        self.published_practice_in(author, title, None).await
    }

    /// As [`TestApp::published_practice`], shared in `community` when given.
    pub async fn published_practice_in(
        &self,
        author: &Session,
        title: &str,
        community: Option<&str>,
    ) -> (String, String) {
        let mut input = complete_story(title);
        if let Some(community) = community {
            input["communityId"] = json!(community);
        }
        self.publish_story(author, input).await
    }

    /// Creates a draft from `input` as `author` and publishes it; returns its id and slug.
    pub async fn publish_story(&self, author: &Session, input: Value) -> (String, String) {
        let (id, slug) = self.draft_practice(author, input).await;
        let payload = self
            .mutate(
                author,
                "publishPractice",
                json!({ "practiceId": id }),
                "practice { status }",
            )
            .await;
        assert_eq!(payload["practice"]["status"], "PUBLISHED", "{payload}");
        (id, slug)
    }

    /// Starts recording the domain events this instance raises.
    pub async fn record_events(&self) -> EventRecorder {
        let stream = self
            .events
            .subscribe(ALL_EVENTS_TOPIC)
            .await
            .expect("subscribe to domain events");
        EventRecorder {
            deliveries: stream,
            heard: HashSet::new(),
        }
    }
}

/// Domain events seen on the bus since recording began.
pub struct EventRecorder {
    deliveries: BusStream,
    heard: HashSet<EventId>,
}

impl EventRecorder {
    /// The events that arrive until none has for `quiet`.
    pub async fn drain(&mut self, quiet: Duration) -> Vec<HubEvent> {
        let mut events = Vec::new();
        while let Ok(Some(delivery)) = tokio::time::timeout(quiet, self.deliveries.next()).await {
            match delivery {
                BusDelivery::Message(payload) => {
                    let envelope = Envelope::decode(&payload).expect("a domain event");
                    // Relayed at least once: heard once, as every consumer hears them.
                    if self.heard.insert(envelope.id) {
                        events.push(envelope.event);
                    }
                }
                BusDelivery::Skipped(n) => panic!("the recorder fell behind by {n} events"),
            }
        }
        events
    }
}
