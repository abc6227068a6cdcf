//! Each API token's use, per day: how many requests it made and the query cost they spent, for
//! the partner's audit trail. Counted in memory as requests are charged, and written out in
//! batches (every few seconds and at shutdown), so a busy token costs one write per flush, not
//! one per request.

use std::collections::HashMap;
use std::sync::Mutex;

use chrono::{DateTime, NaiveDate, Utc};

use crate::api_token::ApiTokenId;
use crate::error::DomainResult;
use crate::ports::ApiTokenRepository;

/// One token's use on one day (UTC).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DailyUsage {
    pub token: ApiTokenId,
    pub day: NaiveDate,
    pub requests: u64,
    pub cost: u64,
}

/// Use counted since the last flush.
#[derive(Default)]
pub struct UsageMeter {
    pending: Mutex<HashMap<(ApiTokenId, NaiveDate), (u64, u64)>>,
}

impl UsageMeter {
    /// Counts one request by `token` at `at`, costing `cost`.
    pub fn record(&self, token: ApiTokenId, at: DateTime<Utc>, cost: u64) {
        if let Ok(mut pending) = self.pending.lock() {
            let counted = pending.entry((token, at.date_naive())).or_default();
            counted.0 += 1;
            counted.1 = counted.1.saturating_add(cost);
        }
    }

    /// Adds what was counted to the stored totals. What a failed write held is counted again,
    /// for the next flush.
    pub async fn flush(&self, store: &dyn ApiTokenRepository) -> DomainResult<usize> {
        let taken: Vec<DailyUsage> = match self.pending.lock() {
            Ok(mut pending) => pending
                .drain()
                .map(|((token, day), (requests, cost))| DailyUsage {
                    token,
                    day,
                    requests,
                    cost,
                })
                .collect(),
            Err(_) => return Ok(0),
        };
        if taken.is_empty() {
            return Ok(0);
        }
        if let Err(error) = store.add_usage(&taken).await {
            self.put_back(&taken);
            return Err(error);
        }
        Ok(taken.len())
    }

    fn put_back(&self, usage: &[DailyUsage]) {
        if let Ok(mut pending) = self.pending.lock() {
            for used in usage {
                let counted = pending.entry((used.token, used.day)).or_default();
                counted.0 += used.requests;
                counted.1 = counted.1.saturating_add(used.cost);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, Utc};

    use super::UsageMeter;
    use crate::api_token::ApiTokenId;

    #[test]
    fn requests_are_counted_per_token_and_day() {
        let meter = UsageMeter::default();
        let (token, now) = (ApiTokenId::generate(), Utc::now());
        meter.record(token, now, 5);
        meter.record(token, now, 7);
        meter.record(token, now + Duration::days(1), 1);
        let pending = meter.pending.lock().expect("lock");
        assert_eq!(pending[&(token, now.date_naive())], (2, 12));
        assert_eq!(pending.len(), 2);
    }
}
