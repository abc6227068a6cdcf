//! `archivePractice`: a published practice kept for the record by its author or a facilitator
//! of its community; no longer endorsed or adopted, still readable.

use khub_tests::{TestApp, error_code};
use serde_json::json;

#[tokio::test]
async fn an_archived_practice_stays_readable_but_is_no_longer_endorsed_or_adopted() {
    let app = TestApp::spawn().await;
    let leeds = app.council_with("leeds", &["own", "fac", "ana"]).await;
    let york = app.council_with("york", &["yan"]).await;
    let community = app.create_community(&leeds[0], "care", "OPEN").await;
    for member in [&leeds[1], &leeds[2], &york[0]] {
        app.community_mutation(member, "joinCommunity", json!({ "communityId": community }))
            .await;
    }
    let role =
        json!({ "communityId": community, "personId": leeds[1].person_id, "role": "FACILITATOR" });
    app.community_mutation(&leeds[0], "setMemberRole", role)
        .await;
    let (practice, _) = app
        .published_practice_in(&leeds[2], "Photos of blocked bins", Some(&community))
        .await;
    let (draft, _) = app
        .draft_practice(&leeds[2], khub_tests::complete_story("Unfinished"))
        .await;

    let archive = |who, id: &str| {
        let input = json!({ "practiceId": id });
        app.mutate(who, "archivePractice", input, "practice { status }")
    };
    assert_eq!(error_code(&archive(&york[0], &practice).await), "FORBIDDEN");
    assert_eq!(
        error_code(&archive(&leeds[2], &draft).await),
        "NOT_PUBLISHED"
    );
    let archived = archive(&leeds[1], &practice).await;
    assert_eq!(archived["practice"]["status"], "ARCHIVED", "{archived}");
    assert_eq!(
        error_code(&archive(&leeds[2], &practice).await),
        "NOT_PUBLISHED"
    );

    let endorse = json!({ "practiceId": practice, "comment": "Worked for us" });
    let endorsed = app.mutate(&york[0], "endorsePractice", endorse, "").await;
    assert_eq!(error_code(&endorsed), "NOT_PUBLISHED");
    let adopt = json!({ "practiceId": practice, "outcome": "SUCCESSFUL" });
    let adopted = app.mutate(&york[0], "recordAdoption", adopt, "").await;
    assert_eq!(error_code(&adopted), "NOT_PUBLISHED");

    let seen = app
        .node(
            None,
            &practice,
            "... on Practice { title status endorsementCount }",
        )
        .await;
    assert_eq!(
        seen,
        json!({ "title": "Photos of blocked bins", "status": "ARCHIVED", "endorsementCount": 0 })
    );
}
