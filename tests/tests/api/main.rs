//! Black-box tests: every test starts its own hub and talks to it over the network.
//! One binary, many modules, run in parallel.

// Test helpers fail the test at the line that broke.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod abuse;
mod adapters;
mod api_tokens;
mod communities;
mod community_visibility;
mod conversations;
mod demo_content;
mod docs_examples;
mod facilitation;
mod feeds;
mod flags_and_bans;
mod health;
mod hidden_content;
mod http_transport;
mod hub_moderation;
mod id_errors;
mod idempotency;
mod jwt;
mod live_discussion;
mod moderation;
mod notification_mail;
mod notifications;
mod notifications_live;
mod organisation_tokens;
mod organisations;
mod outbox;
mod passwords;
mod people;
mod persisted_queries;
mod practice_archive;
mod practice_promotion;
mod practice_visibility;
mod practices;
mod rate_limits;
mod read_cache;
mod redis_outage;
mod registration;
mod reputation;
mod saved_search_notifications;
mod saved_searches;
mod search;
mod search_depth;
mod search_visibility;
mod seed;
mod selection_order;
mod sessions;
mod shutdown;
mod sign_in_throttling;
mod socket_sessions;
mod taking_part;
mod web_client;
mod webhook_management;
mod webhook_retries;
mod webhooks;
mod websockets;
