//! Endorsements, promotion to practice worth repeating, and adoptions.

use std::time::Duration;

use khub_domain::events::HubEvent;
use khub_tests::{Session, TestApp};
use serde_json::{Value, json};

const STATE: &str = "practice { status endorsementCount adoptionCount viewerHasEndorsed
    promotion { reason endorsingOrganisations threshold promotedAt note promotedBy { handle } } }";

async fn endorse(app: &TestApp, who: &Session, id: &str) -> Value {
    let input = json!({ "practiceId": id, "comment": "We saw the same problem." });
    app.mutate(who, "endorsePractice", input, STATE).await
}

fn code(payload: &Value) -> &str {
    payload["userErrors"][0]["code"].as_str().unwrap_or("")
}

async fn one(app: &TestApp, slug: &str, handles: &[&str]) -> Vec<Session> {
    app.council_with(slug, handles).await
}

#[tokio::test]
async fn endorsements_from_three_other_organisations_promote_a_practice_once() {
    let app = TestApp::spawn().await;
    let leeds = one(&app, "leeds", &["ana", "ann"]).await;
    let york = one(&app, "york", &["yan", "yve"]).await;
    let hull = one(&app, "hull", &["hal"]).await;
    let bath = one(&app, "bath", &["bea"]).await;
    let mut events = app.record_events().await;
    let (id, _) = app.published_practice(&leeds[0], "Fewer missed bins").await;

    assert_eq!(code(&endorse(&app, &leeds[0], &id).await), "OWN_PRACTICE");
    let colleague = endorse(&app, &leeds[1], &id).await;
    assert_eq!(colleague["practice"]["endorsementCount"], 1, "{colleague}");
    endorse(&app, &york[0], &id).await;
    let same_org = endorse(&app, &york[1], &id).await;
    assert_eq!(
        same_org["practice"]["status"], "PUBLISHED",
        "one organisation counts once"
    );
    assert_eq!(
        code(&endorse(&app, &york[0], &id).await),
        "ALREADY_ENDORSED"
    );
    let second_org = endorse(&app, &hull[0], &id).await;
    assert_eq!(
        second_org["practice"]["status"], "PUBLISHED",
        "the author's organisation does not count"
    );
    let third_org = endorse(&app, &bath[0], &id).await;
    let practice = &third_org["practice"];
    assert_eq!(practice["status"], "PROMOTED", "{third_org}");
    assert_eq!(practice["endorsementCount"], 5);
    assert_eq!(practice["viewerHasEndorsed"], true);
    assert_eq!(practice["promotion"]["reason"], "ENDORSEMENTS");
    assert_eq!(practice["promotion"]["endorsingOrganisations"], 3);
    assert_eq!(practice["promotion"]["threshold"], 3);
    let promoted_at = practice["promotion"]["promotedAt"].clone();

    let withdrawn = app
        .mutate(
            &bath[0],
            "withdrawEndorsement",
            json!({ "practiceId": id }),
            STATE,
        )
        .await;
    let practice = &withdrawn["practice"];
    assert_eq!(
        practice["status"], "PROMOTED",
        "withdrawing does not demote"
    );
    assert_eq!(practice["endorsementCount"], 4);
    assert_eq!(practice["viewerHasEndorsed"], false);
    assert_eq!(
        practice["promotion"]["promotedAt"], promoted_at,
        "the promotion keeps why and when"
    );
    let again = app
        .mutate(
            &bath[0],
            "withdrawEndorsement",
            json!({ "practiceId": id }),
            "",
        )
        .await;
    assert_eq!(code(&again), "NOT_ENDORSED");

    let kinds: Vec<&'static str> = events
        .drain(Duration::from_millis(500))
        .await
        .iter()
        .map(kind)
        .collect();
    assert_eq!(
        kinds,
        [
            "published",
            "badge", // First practice
            "endorsed",
            "endorsed",
            "endorsed",
            "endorsed",
            "endorsed",
            "promoted",
            "badge", // Practice worth repeating
            "withdrawn"
        ]
    );
}

fn kind(event: &HubEvent) -> &'static str {
    match event {
        HubEvent::PracticePublished { .. } => "published",
        HubEvent::PracticeEndorsed { .. } => "endorsed",
        HubEvent::EndorsementWithdrawn { .. } => "withdrawn",
        HubEvent::PracticePromoted { .. } => "promoted",
        HubEvent::PracticeAdopted { .. } => "adopted",
        HubEvent::BadgeAwarded { .. } => "badge",
        _ => "other",
    }
}

#[tokio::test]
async fn concurrent_endorsements_racing_across_the_threshold_promote_exactly_once() {
    let app = TestApp::spawn().await;
    let author = one(&app, "leeds", &["ana"]).await.remove(0);
    let mut endorsers = Vec::new();
    for n in 0..8 {
        endorsers.extend(one(&app, &format!("council{n}"), &[&format!("per{n}")]).await);
    }
    let (id, _) = app.published_practice(&author, "Fewer missed bins").await;
    let mut events = app.record_events().await;
    let results =
        futures_util::future::join_all(endorsers.iter().map(|who| endorse(&app, who, &id))).await;
    for result in &results {
        assert_eq!(result["userErrors"], json!([]), "{result}");
    }
    let query = "query P($id: ID!) { node(id: $id) { ... on Practice { status endorsementCount promotion { endorsingOrganisations } } } }";
    let body = app
        .graphql_as(&author.access_token, query, json!({ "id": id }))
        .await;
    let practice = &body["data"]["node"];
    assert_eq!(practice["status"], "PROMOTED");
    assert_eq!(
        practice["endorsementCount"], 8,
        "every endorsement counted: {body}"
    );
    assert_eq!(
        practice["promotion"]["endorsingOrganisations"], 3,
        "the endorsement that crossed the threshold promoted it, seeing exactly the ones before it"
    );
    let promotions = events
        .drain(Duration::from_millis(500))
        .await
        .iter()
        .filter(|e| matches!(e, HubEvent::PracticePromoted { .. }))
        .count();
    assert_eq!(promotions, 1);
}

#[tokio::test]
async fn a_community_sets_its_threshold_and_its_facilitators_promote_by_hand() {
    let app = TestApp::spawn().await;
    let [owner, member] =
        <[Session; 2]>::try_from(one(&app, "leeds", &["own", "mem"]).await).expect("two");
    let peer = one(&app, "york", &["yan"]).await.remove(0);
    let created = app
        .mutate(
            &owner,
            "createCommunity",
            json!({ "name": "Waste", "slug": "waste", "visibility": "OPEN", "promotionThreshold": 1 }),
            "community { id }",
        )
        .await;
    let community = created["community"]["id"]
        .as_str()
        .expect("community")
        .to_owned();
    app.community_mutation(
        &member,
        "joinCommunity",
        json!({ "communityId": community }),
    )
    .await;
    let (quick, _) = app
        .published_practice_in(&member, "Quick win", Some(&community))
        .await;
    let endorsed = endorse(&app, &peer, &quick).await;
    assert_eq!(
        endorsed["practice"]["status"], "PROMOTED",
        "threshold 1: {endorsed}"
    );
    assert_eq!(endorsed["practice"]["promotion"]["threshold"], 1);

    let (slow, _) = app
        .published_practice_in(&member, "Slow burn", Some(&community))
        .await;
    let input = json!({ "practiceId": slow, "note": "Proven in three pilots." });
    let by_member = app
        .mutate(&member, "promotePractice", input.clone(), STATE)
        .await;
    assert_eq!(
        by_member["errors"][0]["extensions"]["code"], "FORBIDDEN",
        "{by_member}"
    );
    let by_owner = app
        .mutate(&owner, "promotePractice", input.clone(), STATE)
        .await;
    let promotion = &by_owner["practice"]["promotion"];
    assert_eq!(by_owner["practice"]["status"], "PROMOTED", "{by_owner}");
    assert_eq!(
        (
            promotion["reason"].as_str(),
            promotion["note"].as_str(),
            promotion["promotedBy"]["handle"].as_str()
        ),
        (
            Some("FACILITATOR"),
            Some("Proven in three pilots."),
            Some("own")
        )
    );
    assert!(promotion["endorsingOrganisations"].is_null());
    assert_eq!(
        code(&app.mutate(&owner, "promotePractice", input, "").await),
        "ALREADY_PROMOTED"
    );

    let (outside, _) = app.published_practice(&member, "No community").await;
    let refused = app
        .mutate(
            &owner,
            "promotePractice",
            json!({ "practiceId": outside }),
            "",
        )
        .await;
    assert_eq!(
        refused["errors"][0]["extensions"]["code"], "FORBIDDEN",
        "{refused}"
    );
}

#[tokio::test]
async fn organisations_record_adoptions_and_the_practice_shows_where_it_spread() {
    let app = TestApp::spawn().await;
    let author = one(&app, "leeds", &["ana"]).await.remove(0);
    let [yan, yve] =
        <[Session; 2]>::try_from(one(&app, "york", &["yan", "yve"]).await).expect("two");
    let hal = one(&app, "hull", &["hal"]).await.remove(0);
    let loner = app.register("lone@example.org", "lone").await;
    let (id, slug) = app.published_practice(&author, "Fewer missed bins").await;
    let (draft, _) = app
        .draft_practice(&author, json!({ "title": "Unfinished" }))
        .await;
    let adopt = |who: &Session, practice: &str, outcome: &str| {
        let input = json!({ "practiceId": practice, "outcome": outcome, "notes": "Rolled out to **two** depots <script>x</script>" });
        let who = who.clone();
        let app = &app;
        async move {
            app.mutate(
                &who,
                "recordAdoption",
                input,
                "adoption { outcome notesHtml organisation { slug } } practice { adoptionCount }",
            )
            .await
        }
    };
    let adopted = adopt(&yan, &id, "SUCCESSFUL").await;
    assert_eq!(
        adopted["adoption"]["organisation"]["slug"], "york",
        "{adopted}"
    );
    assert_eq!(
        adopted["adoption"]["notesHtml"],
        "<p>Rolled out to <strong>two</strong> depots </p>\n"
    );
    assert_eq!(adopted["practice"]["adoptionCount"], 1);
    assert_eq!(code(&adopt(&yve, &id, "MIXED").await), "ALREADY_ADOPTED");
    assert_eq!(
        code(&adopt(&author, &id, "SUCCESSFUL").await),
        "OWN_ORGANISATION"
    );
    assert_eq!(
        code(&adopt(&loner, &id, "SUCCESSFUL").await),
        "NO_ORGANISATION"
    );
    let on_draft = adopt(&hal, &draft, "SUCCESSFUL").await;
    assert_eq!(
        on_draft["errors"][0]["extensions"]["code"], "NOT_FOUND",
        "{on_draft}"
    );
    adopt(&hal, &id, "IN_PROGRESS").await;

    let query = "query P($slug: String!) { practice(slug: $slug) { adoptionCount
        adoptions { totalCount nodes { outcome recordedBy { handle } } }
        spreadTo(first: 10) { nodes { slug } } } }";
    let body = app.graphql(query, json!({ "slug": slug })).await;
    let practice = &body["data"]["practice"];
    assert_eq!(practice["adoptionCount"], 2, "{body}");
    assert_eq!(practice["adoptions"]["totalCount"], 2);
    assert_eq!(
        practice["adoptions"]["nodes"][0],
        json!({ "outcome": "SUCCESSFUL", "recordedBy": { "handle": "yan" } })
    );
    assert_eq!(
        practice["spreadTo"]["nodes"],
        json!([{ "slug": "york" }, { "slug": "hull" }])
    );
    let ranked = app
        .graphql(
            "{ practices(orderBy: MOST_ADOPTED, first: 1) { nodes { slug } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        ranked["data"]["practices"]["nodes"][0]["slug"],
        slug.as_str()
    );
}
