//! The session store: in-process for the embedded default, Redis when several instances share
//! sessions.

mod kept_people;
mod memory;
mod redis;
mod sql;

pub use kept_people::{KeptInMemory, NoneKept};
pub use memory::MemorySessions;
pub use redis::RedisSessions;
pub use sql::SqlSessions;
