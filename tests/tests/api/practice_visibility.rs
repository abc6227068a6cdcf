//! Practices in communities are read by whoever may read the community's content, by every
//! path: by slug, by id, in lists, nested, and through the mutations that act on them.

use khub_tests::{Session, TestApp};
use serde_json::{Value, json};

/// Every read path's answer for `reader`: (by slug, by node id, in nodes, in the list, in the
/// list filtered by community).
async fn every_path(
    app: &TestApp,
    reader: Option<&Session>,
    id: &str,
    slug: &str,
    community: &str,
) -> [bool; 5] {
    let query = r#"query V($slug: String!, $id: ID!, $community: ID!) {
        practice(slug: $slug) { id }
        node(id: $id) { id }
        nodes(ids: [$id]) { id }
        all: practices(first: 100) { nodes { id } }
        inCommunity: practices(filter: { communityId: $community }) { nodes { id } } }"#;
    let variables = json!({ "slug": slug, "id": id, "community": community });
    let body = match reader {
        Some(who) => app.graphql_as(&who.access_token, query, variables).await,
        None => app.graphql(query, variables).await,
    };
    let data = &body["data"];
    let listed = |list: &Value| {
        list["nodes"]
            .as_array()
            .unwrap_or_else(|| panic!("no list: {body}"))
            .iter()
            .any(|n| n["id"] == id)
    };
    [
        !data["practice"].is_null(),
        !data["node"].is_null(),
        !data["nodes"][0].is_null(),
        listed(&data["all"]),
        listed(&data["inCommunity"]),
    ]
}

async fn community(app: &TestApp, owner: &Session, slug: &str, visibility: &str) -> String {
    app.create_community(owner, slug, visibility).await
}

#[tokio::test]
async fn a_practice_in_a_private_community_never_leaks() {
    let app = TestApp::spawn().await;
    let [owner, outsider] =
        <[Session; 2]>::try_from(app.council_with("leeds", &["own", "out"]).await).expect("two");
    let private = community(&app, &owner, "secret", "PRIVATE").await;
    let (id, slug) = app
        .published_practice_in(&owner, "Quiet work", Some(&private))
        .await;

    assert_eq!(
        every_path(&app, Some(&owner), &id, &slug, &private).await,
        [true; 5]
    );
    assert_eq!(
        every_path(&app, Some(&outsider), &id, &slug, &private).await,
        [false; 5]
    );
    assert_eq!(
        every_path(&app, None, &id, &slug, &private).await,
        [false; 5]
    );
    for (mutation, input) in [
        (
            "endorsePractice",
            json!({ "practiceId": id, "comment": "Great" }),
        ),
        (
            "recordAdoption",
            json!({ "practiceId": id, "outcome": "SUCCESSFUL" }),
        ),
        ("withdrawEndorsement", json!({ "practiceId": id })),
        (
            "updatePractice",
            json!({ "practiceId": id, "title": "Leaked?" }),
        ),
    ] {
        let refused = app.mutate(&outsider, mutation, input, "").await;
        assert_eq!(
            refused["errors"][0]["extensions"]["code"], "NOT_FOUND",
            "{mutation}: {refused}"
        );
    }
    let nested = app
        .graphql_as(
            &owner.access_token,
            "query P($slug: String!) { practice(slug: $slug) { community { slug viewerRole } } }",
            json!({ "slug": slug }),
        )
        .await;
    assert_eq!(
        nested["data"]["practice"]["community"],
        json!({ "slug": "secret", "viewerRole": "OWNER" })
    );
}

#[tokio::test]
async fn a_restricted_communitys_practices_are_for_members_and_an_open_ones_for_all() {
    let app = TestApp::spawn().await;
    let [owner, member, outsider] =
        <[Session; 3]>::try_from(app.council_with("leeds", &["own", "mem", "out"]).await)
            .expect("three");
    let restricted = community(&app, &owner, "planning", "RESTRICTED").await;
    let open = community(&app, &owner, "waste", "OPEN").await;
    let (closed_id, closed_slug) = app
        .published_practice_in(&owner, "Members only", Some(&restricted))
        .await;
    let (open_id, open_slug) = app
        .published_practice_in(&owner, "For everyone", Some(&open))
        .await;
    assert_eq!(
        every_path(&app, Some(&outsider), &closed_id, &closed_slug, &restricted).await,
        [false; 5]
    );
    assert_eq!(
        every_path(&app, None, &open_id, &open_slug, &open).await,
        [true; 5]
    );

    app.community_mutation(
        &member,
        "joinCommunity",
        json!({ "communityId": restricted }),
    )
    .await;
    app.community_mutation(
        &owner,
        "decideMembership",
        json!({ "communityId": restricted, "personId": member.person_id, "decision": "APPROVE" }),
    )
    .await;
    assert_eq!(
        every_path(&app, Some(&member), &closed_id, &closed_slug, &restricted).await,
        [true; 5]
    );
    app.community_mutation(
        &member,
        "leaveCommunity",
        json!({ "communityId": restricted }),
    )
    .await;
    assert_eq!(
        every_path(&app, Some(&member), &closed_id, &closed_slug, &restricted).await,
        [false; 5],
        "a member who left no longer reads it"
    );
}

#[tokio::test]
async fn practices_are_shared_only_in_communities_one_belongs_to() {
    let app = TestApp::spawn().await;
    let [owner, outsider] =
        <[Session; 2]>::try_from(app.council_with("leeds", &["own", "out"]).await).expect("two");
    let open = community(&app, &owner, "waste", "OPEN").await;
    let private = community(&app, &owner, "secret", "PRIVATE").await;
    for (community, expected) in [(open, "NOT_A_MEMBER"), (private, "NOT_FOUND")] {
        let input = json!({ "title": "Sneaky", "communityId": community });
        let refused = app
            .mutate(&outsider, "createPractice", input, "practice { id }")
            .await;
        assert_eq!(refused["userErrors"][0]["code"], expected, "{refused}");
    }
    let drafts = app
        .graphql_as(
            &outsider.access_token,
            "{ practices(filter: { status: [DRAFT] }) { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(
        drafts["data"]["practices"]["totalCount"], 0,
        "nothing was created"
    );
}
