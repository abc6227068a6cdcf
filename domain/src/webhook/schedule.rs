//! When a failed delivery is tried again, and when a failing webhook is given up on.

use chrono::{DateTime, Duration, Utc};

use crate::webhook::model::{Delivery, DeliveryId};

/// The wait after the first failure; each later one waits four times as long, up to the
/// longest.
const FIRST_WAIT_SECS: i64 = 5;
const GROWTH: i64 = 4;
const LONGEST_WAIT_SECS: i64 = 3 * 60 * 60;
/// A delivery is retried for this long after its event, then counted failed.
pub const RETRY_FOR: Duration = Duration::hours(24);
/// A webhook whose deliveries have failed without a success for this long is disabled.
pub const DISABLE_AFTER: Duration = Duration::days(3);

/// When a delivery that has now failed `attempts` times is tried again; `None` once retries
/// have run out. Each wait is spread ±20 % by the delivery's own random bits, so deliveries
/// that failed together (an endpoint that was down) do not all return at once.
pub fn next_attempt(delivery: &Delivery, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let exponent = delivery.attempts.saturating_sub(1).min(10);
    let wait = (FIRST_WAIT_SECS * GROWTH.pow(exponent)).min(LONGEST_WAIT_SECS);
    let spread = jitter_percent(delivery.id, delivery.attempts);
    let next = now + Duration::milliseconds(wait * (1000 + 10 * spread));
    (next < delivery.created_at + RETRY_FOR).then_some(next)
}

/// A number in -20..=20, fixed for a delivery's attempt: its id's random bits, mixed with the
/// attempt number.
fn jitter_percent(id: DeliveryId, attempts: u32) -> i64 {
    let bits = id.as_uuid().as_u128() as u64;
    let mixed = bits.rotate_left(attempts.wrapping_mul(7)) ^ u64::from(attempts);
    (mixed % 41) as i64 - 20
}

/// Whether a webhook failing since `since` has failed long enough at `now` to be disabled.
pub fn gives_up(since: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    now - since >= DISABLE_AFTER
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, Utc};

    use super::{RETRY_FOR, next_attempt};
    use crate::conversation::PostStatus;
    use crate::events::{EventId, HubEvent, PostRef};
    use crate::webhook::model::{Delivery, DeliveryId, DeliveryStatus, WebhookEvent, WebhookId};

    fn failed(attempts: u32) -> Delivery {
        let now = Utc::now();
        let post = PostRef {
            post: crate::conversation::PostId::generate(),
            thread: crate::conversation::ThreadId::generate(),
            community: crate::community::CommunityId::generate(),
            author: crate::person::PersonId::generate(),
            status: PostStatus::Approved,
        };
        Delivery {
            id: DeliveryId::generate(),
            webhook: WebhookId::generate(),
            event_id: EventId::generate(),
            kind: WebhookEvent::ReplyPosted,
            event: HubEvent::ReplyPosted {
                reply: post,
                replied_to: None,
                at: now,
            },
            seq: 1,
            status: DeliveryStatus::Pending,
            attempts,
            next_attempt_at: now,
            response_code: Some(500),
            latency_ms: Some(3),
            error: None,
            created_at: now,
            last_attempt_at: Some(now),
        }
    }

    #[test]
    fn waits_grow_fourfold_within_a_fifth_either_way() {
        for (attempts, secs) in [(1, 5), (2, 20), (3, 80), (4, 320), (9, 3 * 3600)] {
            let delivery = failed(attempts);
            let wait = next_attempt(&delivery, delivery.created_at).expect("retried")
                - delivery.created_at;
            let (low, high) = (secs * 800, secs * 1200);
            let ms = wait.num_milliseconds();
            assert!((low..=high).contains(&ms), "{attempts}: {ms} ms");
        }
    }

    #[test]
    fn retries_end_a_day_after_the_event() {
        let delivery = failed(12);
        let late = delivery.created_at + RETRY_FOR - Duration::minutes(30);
        assert_eq!(next_attempt(&delivery, late), None);
    }
}
