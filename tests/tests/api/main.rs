//! Black-box tests: every test starts its own hub and talks to it over the network.
//! One binary, many modules, run in parallel.

mod abuse;
mod health;
mod http_transport;
mod organisations;
mod shutdown;
mod websockets;
