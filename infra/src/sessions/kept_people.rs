//! People kept between their requests ([`KeptPeople`]): in memory when the people version is
//! shared through Redis, not at all on the embedded default.

use std::time::Duration;

use khub_domain::person::{Person, PersonId};
use khub_domain::ports::KeptPeople;
use moka::sync::Cache;

/// Enough for every person active at once on a large hub (a few hundred bytes each).
const CAPACITY: u64 = 50_000;
/// Someone idle this long is read afresh: memory goes to the people who are active.
const IDLE: Duration = Duration::from_secs(10 * 60);

/// Kept in this process, bounded in number and idle time.
pub struct KeptInMemory {
    people: Cache<PersonId, (String, Person)>,
}

impl Default for KeptInMemory {
    fn default() -> Self {
        Self {
            people: Cache::builder()
                .max_capacity(CAPACITY)
                .time_to_idle(IDLE)
                .build(),
        }
    }
}

impl KeptPeople for KeptInMemory {
    fn get(&self, id: PersonId) -> Option<(String, Person)> {
        self.people.get(&id)
    }

    fn keep(&self, version: String, person: Person) {
        self.people.insert(person.id, (version, person));
    }
}

/// Keeps no one: an embedded hub reads SQLite in-process, so keeping people would save no
/// round trip, only add a version read.
pub struct NoneKept;

impl KeptPeople for NoneKept {
    fn get(&self, _: PersonId) -> Option<(String, Person)> {
        None
    }

    fn keep(&self, _: String, _: Person) {}
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(name: &str) -> Person {
        Person {
            id: PersonId::generate(),
            handle: name.to_owned(),
            email: format!("{name}@example.org"),
            display_name: name.to_owned(),
            job_title: None,
            bio: None,
            area: None,
            interests: Vec::new(),
            organisation: None,
            hub_administrator: false,
            service: false,
            created_at: chrono::Utc::now(),
        }
    }

    #[test]
    fn a_kept_person_comes_back_with_the_version_they_were_read_at() {
        let kept = KeptInMemory::default();
        let ann = person("ann");
        kept.keep("v1".to_owned(), ann.clone());
        assert_eq!(kept.get(ann.id), Some(("v1".to_owned(), ann.clone())));
        assert_eq!(kept.get(person("bo").id), None);
        assert_eq!(NoneKept.get(ann.id), None);
    }
}
