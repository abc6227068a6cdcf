//! An organisation's API tokens act as the organisation's own service identity: never as the
//! administrator who made them, reading what anonymous readers may plus the communities whose
//! owners granted the organisation access, and outliving their creator's role.

use khub_domain::organisation::OrganisationKind;
use khub_domain::person::OrganisationRole;
use khub_tests::{DEFAULT_PASSWORD, Session, TestApp};
use serde_json::{Value, json};

const VIEWER: &str = "{ viewer { kind displayName handle organisation { slug } } }";
const PRIVATE: &str = "{ community(slug: \"cabinet\") { name } }";

async fn leeds(app: &TestApp) -> (Session, String) {
    app.create_organisation(
        "leeds",
        "Leeds City Council",
        OrganisationKind::Council,
        &["leeds.gov.uk"],
    )
    .await;
    let admin = app.register("quin@leeds.gov.uk", "quin").await;
    app.make_organisation_administrator("quin@leeds.gov.uk", "leeds")
        .await;
    let org = app
        .graphql("{ organisation(slug: \"leeds\") { id } }", Value::Null)
        .await;
    (
        admin,
        org["data"]["organisation"]["id"]
            .as_str()
            .expect("org")
            .to_owned(),
    )
}

async fn organisation_token(app: &TestApp, admin: &Session, org: &str) -> (String, String) {
    let create = "mutation C($input: CreateApiTokenInput!) { createApiToken(input: $input) { secret apiToken { id } } }";
    let input = json!({ "name": "intranet", "scopes": ["READ", "WRITE_CONVERSATIONS"], "organisationId": org });
    let body = app
        .graphql_as(&admin.access_token, create, json!({ "input": input }))
        .await;
    let created = &body["data"]["createApiToken"];
    (
        created["secret"]
            .as_str()
            .unwrap_or_else(|| panic!("{body}"))
            .to_owned(),
        created["apiToken"]["id"].as_str().expect("id").to_owned(),
    )
}

#[tokio::test]
async fn an_organisation_token_acts_as_the_organisation_and_reads_only_what_it_was_granted() {
    let app = TestApp::spawn().await;
    let (admin, org) = leeds(&app).await;
    let community = app.create_community(&admin, "cabinet", "PRIVATE").await;
    let (token, _) = organisation_token(&app, &admin, &org).await;

    let viewer = app.graphql_as(&token, VIEWER, Value::Null).await;
    assert_eq!(
        viewer["data"]["viewer"],
        json!({ "kind": "SERVICE", "displayName": "Leeds City Council", "handle": "org-leeds", "organisation": { "slug": "leeds" } })
    );
    // Its creator's PRIVATE membership is not the token's.
    let unseen = app.graphql_as(&token, PRIVATE, Value::Null).await;
    assert!(unseen["data"]["community"].is_null(), "{unseen}");

    let access = json!({ "communityId": community, "organisationId": org });
    let granted = app
        .mutate(
            &admin,
            "grantOrganisationAccess",
            access.clone(),
            "member { role person { kind } }",
        )
        .await;
    assert_eq!(
        granted["member"],
        json!({ "role": "MEMBER", "person": { "kind": "SERVICE" } })
    );
    let seen = app.graphql_as(&token, PRIVATE, Value::Null).await;
    assert_eq!(seen["data"]["community"]["name"], "cabinet");

    // What it writes is shown as written by the organisation.
    let start = "mutation S($input: StartThreadInput!) { startThread(input: $input) { thread { author { displayName kind } } userErrors { message } } }";
    let input = json!({ "communityId": community, "title": "Budget", "body": "Figures attached", "kind": "DISCUSSION" });
    let started = app
        .graphql_as(&token, start, json!({ "input": input }))
        .await;
    assert_eq!(
        started["data"]["startThread"]["thread"]["author"],
        json!({ "displayName": "Leeds City Council", "kind": "SERVICE" }),
        "{started}"
    );

    let revoked = app
        .mutate(&admin, "revokeOrganisationAccess", access, "revoked")
        .await;
    assert_eq!(revoked["revoked"], true, "{revoked}");
    let unseen = app.graphql_as(&token, PRIVATE, Value::Null).await;
    assert!(unseen["data"]["community"].is_null());
}

#[tokio::test]
async fn only_owners_grant_access_and_a_service_identity_has_no_profile_to_edit() {
    let app = TestApp::spawn().await;
    let (admin, org) = leeds(&app).await;
    let community = app.create_community(&admin, "cabinet", "OPEN").await;
    let member = app.register("ria@example.org", "ria").await;
    app.community_mutation(
        &member,
        "joinCommunity",
        json!({ "communityId": community }),
    )
    .await;
    let access = json!({ "communityId": community, "organisationId": org });
    let refused = app
        .mutate(&member, "grantOrganisationAccess", access, "")
        .await;
    assert_eq!(
        refused["errors"][0]["extensions"]["code"], "FORBIDDEN",
        "{refused}"
    );

    let create =
        "mutation C($input: CreateApiTokenInput!) { createApiToken(input: $input) { secret } }";
    let input = json!({ "name": "profile", "scopes": ["WRITE_PROFILE"], "organisationId": org });
    let body = app
        .graphql_as(&admin.access_token, create, json!({ "input": input }))
        .await;
    let token = body["data"]["createApiToken"]["secret"]
        .as_str()
        .expect("secret");
    let rename = "mutation { updateProfile(input: { displayName: \"Not Leeds\" }) { person { displayName } } }";
    let renamed = app.graphql_as(token, rename, Value::Null).await;
    assert_eq!(
        renamed["errors"][0]["extensions"]["code"], "FORBIDDEN",
        "{renamed}"
    );

    let reserved = app
        .register_payload("org@example.org", "org-leeds2", DEFAULT_PASSWORD)
        .await;
    assert_eq!(reserved["userErrors"][0]["code"], "RESERVED", "{reserved}");
}

#[tokio::test]
async fn an_organisation_token_outlives_its_creators_role_and_any_administrator_revokes_it() {
    let app = TestApp::spawn().await;
    let (admin, org) = leeds(&app).await;
    let (token, id) = organisation_token(&app, &admin, &org).await;
    app.set_organisation_role("quin@leeds.gov.uk", "leeds", OrganisationRole::Member)
        .await;
    let viewer = app.graphql_as(&token, VIEWER, Value::Null).await;
    assert_eq!(viewer["data"]["viewer"]["kind"], "SERVICE", "{viewer}");
    // The creator's own tokens do not include the organisation's.
    let own = app
        .graphql_as(
            &admin.access_token,
            "{ viewer { apiTokens { totalCount } } }",
            Value::Null,
        )
        .await;
    assert_eq!(own["data"]["viewer"]["apiTokens"]["totalCount"], 0, "{own}");

    let other = app.register("sol@leeds.gov.uk", "sol").await;
    app.make_organisation_administrator("sol@leeds.gov.uk", "leeds")
        .await;
    let revoke = "mutation R($id: ID!) { revokeApiToken(input: { apiTokenId: $id }) { apiToken { revokedAt } } }";
    let revoked = app
        .graphql_as(&other.access_token, revoke, json!({ "id": id }))
        .await;
    assert!(
        revoked["data"]["revokeApiToken"]["apiToken"]["revokedAt"].is_string(),
        "{revoked}"
    );
    let refused = app.post_as(&token, &json!({ "query": VIEWER })).await;
    assert_eq!(refused.status(), 401);
}
