//! Subscriptions shared between subscribers. Everyone who subscribes to the same operation
//! (document, variables, operation name) as the same reader receives what one execution
//! renders, so an event costs one run of the selection however many are listening: 10,000
//! anonymous readers of a thread used to run it 10,000 times per reply (bench/results).

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, Weak};

use futures_util::StreamExt;
use futures_util::stream::BoxStream;
use khub_domain::access::{Actor, Credential};
use khub_domain::ports::BusDelivery;
use serde_json::Value;
use tokio::sync::broadcast;
use tokio::sync::broadcast::error::RecvError;
use tokio::task::AbortHandle;

use super::connection::Executor;
use crate::graphql::context::RequestId;
use crate::graphql::live_source::LiveSource;
use crate::graphql::pipeline::Prepared;
use crate::http::respond;

/// Rendered events a shared run keeps for members that are behind; one that falls further
/// behind is told how many it missed.
const BACKLOG: usize = 64;

/// One result of a shared run, ready to send.
#[derive(Clone)]
pub enum Rendered {
    /// A result's JSON (`data`, perhaps `errors`), for a `next` message.
    Next(Arc<str>),
    /// The operation failed before it ran, and ends.
    Failed(Arc<Vec<Value>>),
}

/// What a member receives next.
pub enum Received {
    Rendered(Rendered),
    /// The member fell behind and missed this many results.
    Missed(u64),
}

/// Who reads what: subscribers with equal keys receive the same bytes. A signed-in reader
/// shares only with their own session (or API token), whose authority is exactly theirs.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct ShareKey {
    reader: String,
    request: String,
}

impl ShareKey {
    pub fn new(reader: &Actor, request: &async_graphql::Request) -> Self {
        let reader = match reader {
            Actor::Anonymous => "anonymous".to_owned(),
            Actor::Person {
                person,
                credential: Credential::Session { session_id },
            } => format!("session {} {session_id}", person.id),
            Actor::Person {
                credential: Credential::ApiToken { token_id, .. },
                ..
            } => format!("token {token_id}"),
            Actor::Person {
                person,
                credential: Credential::FeedToken,
            } => format!("feed {}", person.id),
        };
        let request = format!(
            "{:?} {} {}",
            request.operation_name, request.variables, request.query
        );
        Self { reader, request }
    }
}

/// An operation as its reader subscribed to it, from which a run (and any notice of missed
/// results) is executed.
pub struct Template {
    pub operation: Prepared,
    pub reader: Actor,
}

impl Template {
    fn request(&mut self) -> async_graphql::Request {
        self.operation
            .again()
            .data(self.reader.clone())
            .data(RequestId("ws-shared".into()))
    }
}

type Runs = Mutex<HashMap<ShareKey, Weak<Run>>>;

/// The shared runs of one server, by key.
pub struct SharedOperations {
    runs: Arc<Runs>,
    execute: Executor,
}

/// One execution and its members; it stops when the last member leaves.
struct Run {
    key: ShareKey,
    results: broadcast::WeakSender<Rendered>,
    /// Set once the operation listens on the event bus: only then are its members live.
    subscribed: Arc<AtomicBool>,
    task: AbortHandle,
    runs: Weak<Runs>,
    /// Kept once per run, not per member: members share the reader and the operation.
    template: Mutex<Template>,
    execute: Executor,
}

/// A subscriber's place in a shared run.
pub struct Member {
    run: Arc<Run>,
    results: broadcast::Receiver<Rendered>,
}

impl SharedOperations {
    pub fn new(execute: Executor) -> Self {
        Self {
            runs: Arc::default(),
            execute,
        }
    }

    /// Runs an operation for one subscriber alone.
    pub fn execute(
        &self,
        request: async_graphql::Request,
    ) -> BoxStream<'static, async_graphql::Response> {
        (self.execute)(request)
    }

    /// Joins the run for `key`, starting it from `template` if there is none.
    pub fn join(&self, key: ShareKey, template: Template) -> Member {
        let mut runs = lock(&self.runs);
        let existing = runs.get(&key).and_then(Weak::upgrade);
        let joined = existing.as_ref().and_then(|run| {
            let results = run.results.upgrade()?.subscribe();
            Some(Member {
                run: run.clone(),
                results,
            })
        });
        let member = joined.unwrap_or_else(|| {
            let (run, results) = self.start(key.clone(), template);
            runs.insert(key, Arc::downgrade(&run));
            Member { run, results }
        });
        drop(runs);
        // Dropped unlocked: the last reference to a finished run removes it from the map.
        drop(existing);
        member
    }

    fn start(
        &self,
        key: ShareKey,
        mut template: Template,
    ) -> (Arc<Run>, broadcast::Receiver<Rendered>) {
        let (sender, results) = broadcast::channel(BACKLOG);
        let subscribed = Arc::new(AtomicBool::new(false));
        let request = template.request().data(LiveSource::Bus {
            subscribed: subscribed.clone(),
        });
        let weak = sender.downgrade();
        let task = tokio::spawn(render_all((self.execute)(request), sender));
        let run = Arc::new(Run {
            key,
            results: weak,
            subscribed,
            task: task.abort_handle(),
            runs: Arc::downgrade(&self.runs),
            template: Mutex::new(template),
            execute: self.execute.clone(),
        });
        (run, results)
    }

    /// Subscribers whose operation listens on the event bus.
    pub fn live_subscribers(&self) -> usize {
        let runs: Vec<Arc<Run>> = lock(&self.runs)
            .values()
            .filter_map(Weak::upgrade)
            .collect();
        runs.iter()
            .filter(|run| run.subscribed.load(Ordering::Acquire))
            .filter_map(|run| run.results.upgrade())
            .map(|sender| sender.receiver_count())
            .sum()
    }
}

impl Member {
    /// The next result, or `None` once the run has ended.
    pub async fn next(&mut self) -> Option<Received> {
        match self.results.recv().await {
            Ok(rendered) => Some(Received::Rendered(rendered)),
            Err(RecvError::Lagged(missed)) => Some(Received::Missed(missed)),
            Err(RecvError::Closed) => None,
        }
    }

    /// The operation run once more for this member alone, to tell it it `missed` results (in
    /// the shape of its own selection).
    pub fn notice(&self, missed: u64) -> BoxStream<'static, async_graphql::Response> {
        let run = &self.run;
        let request = run
            .template
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .request();
        let notice = LiveSource::Replay(vec![BusDelivery::Skipped(missed)]);
        (run.execute)(request.data(notice))
    }
}

impl Drop for Run {
    fn drop(&mut self) {
        self.task.abort();
        let Some(runs) = self.runs.upgrade() else {
            return;
        };
        let mut runs = lock(&runs);
        // The key may already belong to a newer run.
        if runs
            .get(&self.key)
            .is_some_and(|run| run.strong_count() == 0)
        {
            runs.remove(&self.key);
        }
    }
}

/// Renders every result once, for all members.
async fn render_all(
    mut responses: BoxStream<'static, async_graphql::Response>,
    results: broadcast::Sender<Rendered>,
) {
    while let Some(response) = responses.next().await {
        let rendered = match respond::body_of(response, "ws-shared") {
            respond::Body::Data(payload) => Rendered::Next(payload.to_string().into()),
            respond::Body::RequestErrors(errors) => Rendered::Failed(Arc::new(errors)),
        };
        // With no member left the run is being stopped.
        let _ = results.send(rendered);
    }
}

/// The map stays consistent under every operation, so a panic elsewhere does not spoil it.
fn lock(runs: &Runs) -> MutexGuard<'_, HashMap<ShareKey, Weak<Run>>> {
    runs.lock().unwrap_or_else(PoisonError::into_inner)
}
