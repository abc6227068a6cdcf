//! Bringing people into communities of every visibility, for tests.

use serde_json::json;

use crate::{Session, TestApp};

impl TestApp {
    /// Makes `joiner` a member of the community `id` of `visibility`, as its owner allows:
    /// invited into a PRIVATE one, approved into a RESTRICTED one.
    pub async fn bring_in(&self, owner: &Session, joiner: &Session, id: &str, visibility: &str) {
        let pair = json!({ "communityId": id, "personId": joiner.person_id });
        if visibility == "PRIVATE" {
            self.community_mutation(owner, "inviteToCommunity", pair.clone())
                .await;
        }
        self.community_mutation(joiner, "joinCommunity", json!({ "communityId": id }))
            .await;
        if visibility == "RESTRICTED" {
            let approve =
                json!({ "communityId": id, "personId": joiner.person_id, "decision": "APPROVE" });
            self.community_mutation(owner, "decideMembership", approve)
                .await;
        }
    }
}
