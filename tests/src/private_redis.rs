//! A redis-server of a test's own on a free port, to stop, restart or restrict without
//! disturbing other tests.

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use crate::{TestApp, TestBackend};

pub struct PrivateRedis {
    pub port: u16,
    process: Child,
}

impl PrivateRedis {
    pub fn start(port: u16) -> Option<Self> {
        let process = Command::new("redis-server")
            .args([
                "--port",
                &port.to_string(),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ])
            .stdout(Stdio::null())
            .spawn()
            .ok()?;
        Some(Self { port, process })
    }

    pub async fn ready(&self) {
        let client = redis::Client::open(self.url()).expect("redis url");
        for _ in 0..100 {
            if let Ok(mut conn) = client.get_multiplexed_async_connection().await
                && redis::cmd("PING")
                    .query_async::<String>(&mut conn)
                    .await
                    .is_ok()
            {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("private redis-server did not start");
    }

    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.port)
    }

    pub fn stop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

impl Drop for PrivateRedis {
    fn drop(&mut self) {
        self.stop();
    }
}

/// A hub whose sessions and events are in a Redis of its own, when the tests run with Redis.
pub async fn hub_on_private_redis() -> Option<(PrivateRedis, TestApp)> {
    if !TestBackend::create().await.has_redis() {
        return None;
    }
    let redis = PrivateRedis::start(free_port()).expect("redis-server on PATH");
    redis.ready().await;
    let url = redis.url();
    let app = TestApp::spawn_with(move |s| s.redis_url = Some(url)).await;
    Some((redis, app))
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

impl PrivateRedis {
    /// Refuses (`false`) or allows again (`true`) every client's PUBLISH: a bus that fails
    /// after a change has committed, while everything else keeps working.
    pub async fn allow_publish(&self, allowed: bool) {
        let client = redis::Client::open(self.url()).expect("redis url");
        let mut conn = client
            .get_multiplexed_async_connection()
            .await
            .expect("connect to the private redis");
        let rule = if allowed { "+publish" } else { "-publish" };
        redis::cmd("ACL")
            .arg("SETUSER")
            .arg("default")
            .arg(rule)
            .query_async::<()>(&mut conn)
            .await
            .expect("ACL SETUSER");
    }
}
