//! sea-orm row types. They stay inside `infra`: a column rename never reaches the API.

pub mod api_token;
pub mod badge;
pub mod community;
pub mod community_member;
pub mod community_pending;
pub mod community_watch;
pub mod follow;
pub mod notification;
pub mod organisation;
pub mod organisation_domain;
pub mod outbox_event;
pub mod person;
pub mod post;
pub mod post_edit;
pub mod post_reaction;
pub mod practice;
pub mod practice_adoption;
pub mod practice_endorsement;
pub mod practice_revision;
pub mod practice_tag;
pub mod reputation_event;
pub mod reputation_score;
pub mod saved_search;
pub mod thread;
pub mod thread_watch;
