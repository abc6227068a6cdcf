//! Ports: what the domain needs from the outside world. `khub-infra` implements each twice —
//! for the embedded default (SQLite, in-process) and for production (PostgreSQL, Redis).

mod events;
mod health;
mod organisations;
mod sessions;

pub use events::{BusDelivery, BusStream, EventBus};
pub use health::HealthCheck;
pub use organisations::OrganisationRepository;
pub use sessions::SessionStore;
