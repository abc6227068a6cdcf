//! The session store: in-process for the embedded default, Redis when several instances share
//! sessions.

mod kept_people;
mod memory;
mod redis;

pub use kept_people::{KeptInMemory, NoneKept};
pub use memory::MemorySessions;
pub use redis::RedisSessions;
