//! Search applies visibility before ranking, paging, counting and faceting: every reader ×
//! every community visibility, and what no reader may ever find (drafts, replies awaiting
//! approval, deleted replies).

use khub_tests::{Session, TestApp, complete_story};
use serde_json::{Value, json};

const VISIBILITIES: [&str; 3] = ["OPEN", "RESTRICTED", "PRIVATE"];

const SEARCH: &str = r#"query S($q: String!) { search(query: $q, first: 100) {
  totalCount
  edges { snippet node { __typename
    ... on Practice { title } ... on Thread { title } ... on Post { body } ... on Community { slug } } }
  facets { types { type count } tags { value count } communities { community { slug } count } } } }"#;

#[derive(Debug, Clone, Copy)]
enum Reader {
    Anonymous,
    Outsider,
    Member,
    MemberReadToken,
}

impl Reader {
    fn belongs(self) -> bool {
        matches!(self, Self::Member | Self::MemberReadToken)
    }

    /// What the reader finds of a community of `visibility`: the community itself unless it
    /// is PRIVATE, and its practice, thread and reply if its content is theirs to read.
    fn finds(self, visibility: &str) -> (u64, u64) {
        let community = u64::from(visibility != "PRIVATE" || self.belongs());
        let content = u64::from(visibility == "OPEN" || self.belongs());
        (community, content)
    }
}

struct World {
    app: TestApp,
    readers: Vec<(Reader, Option<String>)>,
}

async fn world() -> World {
    let app = TestApp::spawn().await;
    let owner = app.register("own@example.org", "own").await;
    let member = app.register("mem@example.org", "mem").await;
    let outsider = app.register("out@example.org", "out").await;
    let mut open = String::new();
    for visibility in VISIBILITIES {
        let slug = format!("zephyr-{}", visibility.to_lowercase());
        let id = app.create_community(&owner, &slug, visibility).await;
        app.bring_in(&owner, &member, &id, visibility).await;
        write_content(&app, &owner, &member, &id, visibility).await;
        if visibility == "OPEN" {
            open = id;
        }
    }
    write_what_no_one_finds(&app, &owner, &member, &open).await;
    let (token, _) = app.create_api_token(&member, &["READ"]).await;
    let readers = vec![
        (Reader::Anonymous, None),
        (Reader::Outsider, Some(outsider.access_token)),
        (Reader::Member, Some(member.access_token)),
        (Reader::MemberReadToken, Some(token)),
    ];
    World { app, readers }
}

/// A practice, a thread and a reply, each saying "zephyr", in the community.
async fn write_content(
    app: &TestApp,
    owner: &Session,
    member: &Session,
    id: &str,
    visibility: &str,
) {
    let title = format!("Zephyr practice {visibility}");
    app.published_practice_in(owner, &title, Some(id)).await;
    let (thread, _) = app
        .start_thread(
            owner,
            id,
            &format!("Zephyr thread {visibility}"),
            "DISCUSSION",
        )
        .await;
    let reply = app
        .reply(member, &thread, &format!("zephyr reply {visibility}"))
        .await;
    assert_eq!(reply["post"]["status"], "APPROVED", "{reply}");
}

/// A draft, a reply awaiting approval and a deleted reply, each saying "zephyr".
async fn write_what_no_one_finds(app: &TestApp, owner: &Session, member: &Session, open: &str) {
    app.draft_practice(member, complete_story("Zephyr draft"))
        .await;
    let (debate, _) = app
        .start_thread(owner, open, "Winter debate", "DEBATE")
        .await;
    let pending = app.reply(member, &debate, "zephyr pending").await;
    assert_eq!(pending["post"]["status"], "PENDING", "{pending}");
    let (thread, _) = app
        .start_thread(owner, open, "Winter thread", "DISCUSSION")
        .await;
    let deleted = app.reply(member, &thread, "zephyr deleted").await;
    let post = deleted["post"]["id"].clone();
    app.mutate(
        member,
        "deletePost",
        json!({ "postId": post }),
        "post { id }",
    )
    .await;
}

async fn search(world: &World, token: &Option<String>) -> Value {
    let variables = json!({ "q": "zephyr" });
    let body = match token {
        Some(token) => world.app.graphql_as(token, SEARCH, variables).await,
        None => world.app.graphql(SEARCH, variables).await,
    };
    assert!(body.get("errors").is_none(), "{body}");
    body["data"]["search"].clone()
}

fn count_of<'a>(list: &'a Value, key: &str, wanted: &str) -> &'a Value {
    let entries = list.as_array().into_iter().flatten();
    entries
        .into_iter()
        .find(|entry| entry[key] == wanted || entry[key]["slug"] == wanted)
        .map_or(&Value::Null, |entry| &entry["count"])
}

#[tokio::test]
async fn each_reader_finds_counts_and_facets_exactly_what_they_may_read() {
    let world = world().await;
    for (reader, token) in &world.readers {
        let found = search(&world, token).await;
        let mut total = 0;
        let (mut communities, mut content) = (0, 0);
        for visibility in VISIBILITIES {
            let (community, items) = reader.finds(visibility);
            let slug = format!("zephyr-{}", visibility.to_lowercase());
            let expected = community + 3 * items;
            total += expected;
            communities += community;
            content += items;
            let facet = count_of(&found["facets"]["communities"], "community", &slug);
            match expected {
                0 => assert_eq!(*facet, Value::Null, "{reader:?} {visibility}: {found}"),
                n => assert_eq!(*facet, json!(n), "{reader:?} {visibility}: {found}"),
            }
        }
        assert_eq!(found["totalCount"], json!(total), "{reader:?}: {found}");
        assert_eq!(
            found["edges"].as_array().map(Vec::len),
            Some(total as usize)
        );
        let types = &found["facets"]["types"];
        assert_eq!(
            *count_of(types, "type", "COMMUNITY"),
            json!(communities),
            "{reader:?}"
        );
        for kind in ["PRACTICE", "THREAD", "POST"] {
            assert_eq!(
                *count_of(types, "type", kind),
                json!(content),
                "{reader:?} {kind}"
            );
        }
        assert_eq!(
            *count_of(&found["facets"]["tags"], "value", "waste"),
            json!(content)
        );
        let text = found.to_string();
        for hidden in ["draft", "pending", "deleted"] {
            assert!(!text.contains(hidden), "{reader:?} found {hidden}: {found}");
        }
    }
}
