//! Notifications: people are told of what happens where they listen — mentions, replies to
//! them, activity in threads and communities they watch, what peers do with their practices.

pub mod batch;
mod email;
mod fanout;
pub mod mail;
mod model;
mod saved;
mod service;

pub use fanout::{Audience, Delivery, deliveries};
pub use model::{
    DefaultWatch, EmailFrequency, Notification, NotificationId, NotificationKind, Subject,
    WatchLevel,
};
pub use service::{MailPorts, NotificationPorts, Notifications};
