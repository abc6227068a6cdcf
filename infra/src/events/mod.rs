//! The event bus: in-process broadcast for the embedded default, Redis pub/sub when several
//! instances must see each other's events. Both deliver through the same local fan-out.

mod fanout;
mod memory;
mod redis;

pub use memory::MemoryBus;
pub use redis::RedisBus;
