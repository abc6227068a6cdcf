//! The mutation root, merged from one object per aggregate. Every mutation takes one `input`
//! and answers with a payload carrying `userErrors`.

mod api_token;
mod community;
mod conversation;
mod feed_token;
mod notification;
mod organisation;
mod organisation_access;
mod password;
mod practice;
mod profile;
mod registration;
mod saved_search;
mod session;

use async_graphql::MergedObject;

/// Everything that can be changed.
#[derive(MergedObject, Default)]
pub struct Mutation(
    registration::RegistrationMutation,
    session::SessionMutation,
    password::PasswordMutation,
    profile::ProfileMutation,
    api_token::ApiTokenMutation,
    organisation::OrganisationMutation,
    community::CommunityMutation,
    organisation_access::OrganisationAccessMutation,
    conversation::ConversationMutation,
    practice::PracticeMutation,
    saved_search::SavedSearchMutation,
    feed_token::FeedTokenMutation,
    notification::NotificationMutation,
);
