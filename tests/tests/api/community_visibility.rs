//! Visibility is the law: every kind of reader × every visibility × every read path.

use khub_tests::{Session, TestApp};
use serde_json::{Value, json};

const VISIBILITIES: [&str; 3] = ["OPEN", "RESTRICTED", "PRIVATE"];

/// The readers of the matrix.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Reader {
    Anonymous,
    Outsider,
    Requester,
    Member,
    Facilitator,
    Owner,
    MemberReadToken,
}

const READERS: [Reader; 7] = [
    Reader::Anonymous,
    Reader::Outsider,
    Reader::Requester,
    Reader::Member,
    Reader::Facilitator,
    Reader::Owner,
    Reader::MemberReadToken,
];

impl Reader {
    fn belongs(self) -> bool {
        matches!(
            self,
            Self::Member | Self::Facilitator | Self::Owner | Self::MemberReadToken
        )
    }

    /// Whether the reader may know the community exists.
    fn sees(self, visibility: &str) -> bool {
        visibility != "PRIVATE" || self.belongs()
    }

    /// Whether the reader may see its content (here: the members).
    fn reads_content(self, visibility: &str) -> bool {
        visibility == "OPEN" || self.belongs()
    }

    fn facilitates(self) -> bool {
        matches!(self, Self::Facilitator | Self::Owner)
    }
}

struct World {
    app: TestApp,
    sessions: Vec<(Reader, Option<String>)>,
    ids: Vec<(String, String)>,
}

async fn world() -> World {
    let app = TestApp::spawn().await;
    let mut people = Vec::new();
    for handle in ["own", "fac", "mem", "req", "out"] {
        people.push(app.register(&format!("{handle}@example.org"), handle).await);
    }
    let [owner, facilitator, member, requester, outsider] =
        <[Session; 5]>::try_from(people).expect("five people");
    let mut ids = Vec::new();
    for visibility in VISIBILITIES {
        let slug = visibility.to_lowercase();
        let id = app.create_community(&owner, &slug, visibility).await;
        for joiner in [&member, &facilitator] {
            app.bring_in(&owner, joiner, &id, visibility).await;
        }
        let promote =
            json!({ "communityId": id, "personId": facilitator.person_id, "role": "FACILITATOR" });
        app.community_mutation(&owner, "setMemberRole", promote)
            .await;
        if visibility == "RESTRICTED" {
            app.community_mutation(&requester, "joinCommunity", json!({ "communityId": id }))
                .await;
        }
        ids.push((slug, id));
    }
    let (token, _) = app.create_api_token(&member, &["READ"]).await;
    let token_of = |s: &Session| Some(s.access_token.clone());
    let sessions = vec![
        (Reader::Anonymous, None),
        (Reader::Outsider, token_of(&outsider)),
        (Reader::Requester, token_of(&requester)),
        (Reader::Member, token_of(&member)),
        (Reader::Facilitator, token_of(&facilitator)),
        (Reader::Owner, token_of(&owner)),
        (Reader::MemberReadToken, Some(token)),
    ];
    World { app, sessions, ids }
}

/// Makes `joiner` a member by whatever path the visibility allows.
async fn read(world: &World, token: &Option<String>, query: &str, variables: Value) -> Value {
    let body = match token {
        Some(token) => world.app.graphql_as(token, query, variables).await,
        None => world.app.graphql(query, variables).await,
    };
    assert!(body.get("errors").is_none(), "{query}: {body}");
    body["data"].clone()
}

const BY_SLUG: &str = "query Q($slug: String!) { community(slug: $slug) { slug members { totalCount } membershipRequests { totalCount } } }";
const LISTED: &str = "{ communities(first: 100) { totalCount nodes { slug } } }";
const BY_NODE: &str = "query Q($id: ID!, $ids: [ID!]!) { node(id: $id) { ... on Community { slug } } nodes(ids: $ids) { ... on Community { slug } } }";

#[tokio::test]
async fn each_reader_sees_exactly_what_the_visibility_allows_on_every_path() {
    let world = world().await;
    let covered: Vec<Reader> = world.sessions.iter().map(|(reader, _)| *reader).collect();
    assert_eq!(covered, READERS, "every kind of reader is in the matrix");
    for (reader, token) in &world.sessions {
        let listed = read(&world, token, LISTED, Value::Null).await;
        let listed: Vec<&str> = listed["communities"]["nodes"]
            .as_array()
            .map(|nodes| nodes.iter().filter_map(|n| n["slug"].as_str()).collect())
            .unwrap_or_default();
        for ((slug, id), visibility) in world.ids.iter().zip(VISIBILITIES) {
            let case = format!("{reader:?} × {visibility}");
            let sees = reader.sees(visibility);
            assert_eq!(listed.contains(&slug.as_str()), sees, "{case}: communities");

            let found = read(&world, token, BY_SLUG, json!({ "slug": slug })).await;
            let community = &found["community"];
            assert_eq!(!community.is_null(), sees, "{case}: community(slug)");

            let nodes = read(&world, token, BY_NODE, json!({ "id": id, "ids": [id] })).await;
            assert_eq!(!nodes["node"].is_null(), sees, "{case}: node");
            assert_eq!(!nodes["nodes"][0].is_null(), sees, "{case}: nodes");

            if sees {
                let members = &community["members"];
                assert_eq!(
                    !members.is_null(),
                    reader.reads_content(visibility),
                    "{case}: members"
                );
                if !members.is_null() {
                    assert_eq!(
                        members["totalCount"], 3,
                        "{case}: owner, facilitator, member"
                    );
                }
                let requests = &community["membershipRequests"];
                assert_eq!(
                    !requests.is_null(),
                    reader.facilitates(),
                    "{case}: requests"
                );
            }
        }
    }
}
