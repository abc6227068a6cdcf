//! The session store: in-process for the embedded default, Redis when several instances share
//! sessions.

mod memory;
mod redis;

pub use memory::MemorySessions;
pub use redis::RedisSessions;
