//! `extensions.cost` on every answer that ran or came from the read cache, as Shopify's and
//! GitHub's GraphQL APIs report it: what the query was charged (`requested`, its complexity
//! with every list at its page size), what its answer holds (`actual`, the same count over the
//! lists as they came back), and where the budget stands — the figures of the `RateLimit-*`
//! headers.

use axum::body::Bytes;
use khub_domain::rate_limit::RateStatus;

/// What a query cost: charged, and held by its answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spend {
    pub requested: u64,
    pub actual: u64,
}

impl Spend {
    /// The spend of `response`, charged `requested`.
    pub fn of(response: &async_graphql::Response, requested: u64) -> Self {
        Self {
            requested,
            actual: fields(&response.data).max(1),
        }
    }

    /// Adds `extensions.cost` to `response`, the budget standing at `status`.
    pub fn report(&self, response: &mut async_graphql::Response, status: &RateStatus) {
        response
            .extensions
            .insert("cost".to_owned(), self.value(status));
    }

    /// A kept answer (`{"data":…}`, no extensions) with `extensions.cost` added: spliced as
    /// text, so the kept bytes are never parsed again.
    pub fn spliced(&self, body: &Bytes, status: &RateStatus) -> Bytes {
        let Some(open) = body.strip_suffix(b"}") else {
            return body.clone();
        };
        let cost = self.value(status);
        let extensions = serde_json::json!({ "cost": cost }).to_string();
        let mut spliced = Vec::with_capacity(body.len() + extensions.len() + 16);
        spliced.extend_from_slice(open);
        spliced.extend_from_slice(b",\"extensions\":");
        spliced.extend_from_slice(extensions.as_bytes());
        spliced.push(b'}');
        Bytes::from(spliced)
    }

    fn value(&self, status: &RateStatus) -> async_graphql::Value {
        async_graphql::value!({
            "requested": self.requested,
            "actual": self.actual,
            "limit": status.limit,
            "remaining": status.remaining,
            "resetAfterSeconds": status.reset_after.as_secs(),
        })
    }
}

/// The fields an answer holds: each key of each object, through every list.
fn fields(value: &async_graphql::Value) -> u64 {
    match value {
        async_graphql::Value::Object(object) => {
            object.values().map(|field| 1 + fields(field)).sum()
        }
        async_graphql::Value::List(items) => items.iter().map(fields).sum(),
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use async_graphql::{Name, Value};
    use axum::body::Bytes;
    use khub_domain::rate_limit::RateStatus;

    use super::Spend;

    fn object(fields: Vec<(&str, Value)>) -> Value {
        Value::Object(fields.into_iter().map(|(k, v)| (Name::new(k), v)).collect())
    }

    #[test]
    fn an_answer_costs_its_fields_through_every_list() {
        let node = || object(vec![("id", Value::from("x")), ("title", Value::from("t"))]);
        let data = object(vec![(
            "threads",
            object(vec![("nodes", Value::List(vec![node(), node(), node()]))]),
        )]);
        let response = async_graphql::Response::new(data);
        assert_eq!(Spend::of(&response, 50).actual, 2 + 3 * 2);
    }

    #[test]
    fn a_kept_answer_gets_its_cost_spliced_in_as_valid_json() {
        let spend = Spend {
            requested: 5,
            actual: 3,
        };
        let status = RateStatus {
            limit: 100,
            remaining: 95,
            reset_after: Duration::from_secs(42),
        };
        let body = Bytes::from_static(br#"{"data":{"a":1}}"#);
        let spliced: serde_json::Value =
            serde_json::from_slice(&spend.spliced(&body, &status)).expect("JSON");
        assert_eq!(spliced["data"]["a"], 1);
        assert_eq!(spliced["extensions"]["cost"]["remaining"], 95);
        assert_eq!(spliced["extensions"]["cost"]["resetAfterSeconds"], 42);
    }
}
