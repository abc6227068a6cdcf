//! The mutation root, merged from one object per aggregate. Every mutation takes one `input`
//! and answers with a payload carrying `userErrors`.

mod api_token;
mod community;
mod community_settings;
mod conversation;
mod feed_token;
mod moderation;
mod notification;
mod organisation;
mod organisation_access;
mod password;
mod practice;
mod profile;
mod registration;
mod saved_search;
mod session;
mod webhook;

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
    community_settings::CommunitySettingsMutation,
    organisation_access::OrganisationAccessMutation,
    conversation::ConversationMutation,
    moderation::ModerationMutation,
    practice::PracticeMutation,
    saved_search::SavedSearchMutation,
    feed_token::FeedTokenMutation,
    notification::NotificationMutation,
    webhook::WebhookMutation,
);
