//! Helpers for facilitation: a community with a facilitator, `moderate`, flags, and the reads
//! that show content gone or back (search, reputation).

use serde_json::{Value, json};

use crate::{Session, TestApp};

/// What `moderate` selects of its payload.
const MODERATED: &str = "post { id status moderationReason } thread { id pinned locked } practice { hidden } community { id memberCount }";

/// Panics with the payload unless it has no user errors.
pub fn no_user_errors(payload: &Value) {
    assert!(
        payload["userErrors"].as_array().is_some_and(Vec::is_empty),
        "{payload}"
    );
}

impl TestApp {
    /// `community_with_members`, with the second person made a facilitator.
    pub async fn facilitated_community(
        &self,
        visibility: &str,
        handles: &[&str],
    ) -> (String, Vec<Session>) {
        let (community, people) = self.community_with_members(visibility, handles).await;
        let role = json!({ "communityId": community, "personId": people[1].person_id, "role": "FACILITATOR" });
        self.community_mutation(&people[0], "setMemberRole", role)
            .await;
        (community, people)
    }

    /// `moderate(input:)` as `who`; the payload.
    pub async fn moderate(&self, who: &Session, input: Value) -> Value {
        self.mutate(who, "moderate", input, MODERATED).await
    }

    /// `flagContent` as `who` for `reason`; the payload (`flagged hidden`).
    pub async fn flag(&self, who: &Session, content: &str, reason: &str) -> Value {
        let input = json!({ "contentId": content, "reason": reason, "note": "Please look" });
        self.mutate(who, "flagContent", input, "flagged hidden")
            .await
    }

    /// A person's reputation, as anyone reads it.
    pub async fn reputation_of(&self, who: &Session) -> i64 {
        let query = "query P($id: ID!) { node(id: $id) { ... on Person { reputation } } }";
        let body = self.graphql(query, json!({ "id": who.person_id })).await;
        body["data"]["node"]["reputation"]
            .as_i64()
            .unwrap_or_else(|| panic!("{body}"))
    }

    /// How many results `search` finds for `words`, as `who` (anonymous if `None`).
    pub async fn search_count(&self, who: Option<&Session>, words: &str) -> u64 {
        let query = "query S($q: String!) { search(query: $q) { totalCount } }";
        let variables = json!({ "q": words });
        let body = match who {
            Some(who) => self.graphql_as(&who.access_token, query, variables).await,
            None => self.graphql(query, variables).await,
        };
        body["data"]["search"]["totalCount"]
            .as_u64()
            .unwrap_or_else(|| panic!("{body}"))
    }
}

/// The actions of a page of the moderation log, newest first.
pub fn logged_actions(log: &Value) -> Vec<String> {
    log["nodes"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|entry| entry["action"].as_str())
        .map(str::to_owned)
        .collect()
}

/// The id of the post in a payload (`post { id }`).
pub fn post_id(payload: &Value) -> String {
    match payload["post"]["id"].as_str() {
        Some(id) => id.to_owned(),
        None => panic!("no post in {payload}"),
    }
}

impl TestApp {
    /// The community's moderation log as `who` (anonymous if `None`): null when they may not
    /// read it.
    pub async fn moderation_log(&self, who: Option<&Session>, community: &str) -> Value {
        let selection = "... on Community { moderationLog(first: 20) { totalCount nodes { action reason until contentId content { __typename } actor { handle } subject { handle } } } }";
        self.node(who, community, selection).await["moderationLog"].clone()
    }
}
