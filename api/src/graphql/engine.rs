//! Runs every operation in two steps, so that nothing sits on the path of every field.
//!
//! async-graphql calls each extension's `resolve` hook for every field of every response once
//! any extension is installed (a lookup in the registry and a boxed future per extension per
//! field), even when no extension wants it. The query budget needs only the operation's cost,
//! which async-graphql computes while validating, so it is charged by a *gate*: the schema with
//! the budget's extension, which validates an operation, charges it and stops before executing.
//! The operation then runs on the same schema without extensions, which checks it again in
//! `Fast` mode only (the gate ran every rule). Measured on a signed-in community feed (bench Q1,
//! 1,800 fields): the hub's CPU per request fell by a fifth (bench/results/2026-12-02-profile.md).

use std::any::Any;
use std::sync::Arc;

use async_graphql::extensions::{Extension, ExtensionContext, ExtensionFactory, NextExecute};
use async_graphql::futures_util::stream::{self, BoxStream, StreamExt};
use async_graphql::{Request, Response};
use khub_domain::rate_limit::RateSubject;

use super::HubSchema;
use super::context::RateSlot;
use super::pipeline::copy_of;
use super::selection_order::RootOrder;

/// The served schema: checked and charged by `gate`, run by `runner`.
#[derive(Clone)]
pub struct Engine {
    gate: HubSchema,
    runner: HubSchema,
}

impl Engine {
    /// `gate` must carry the budget's extension and `Halt`; `runner` no extension that
    /// validates or charges.
    pub(super) fn new(gate: HubSchema, runner: HubSchema) -> Self {
        Self { gate, runner }
    }

    /// Runs a query or mutation.
    pub async fn execute(&self, mut request: Request) -> Response {
        let verdict = self.gate.execute(gate_copy(&mut request)).await;
        if !verdict.errors.is_empty() {
            return verdict;
        }
        let order = copied::<RootOrder>(&request);
        let mut response = self.runner.execute(request).await;
        in_order(&order, &mut response);
        response
    }

    /// Runs any operation over a stream of responses (the websocket transport).
    pub fn execute_stream(&self, mut request: Request) -> BoxStream<'static, Response> {
        let (gate, runner) = (self.gate.clone(), self.runner.clone());
        let checked = gate_copy(&mut request);
        let order = copied::<RootOrder>(&request);
        stream::once(async move {
            let verdict = gate.execute(checked).await;
            if !verdict.errors.is_empty() {
                return stream::iter([verdict]).boxed();
            }
            runner
                .execute_stream(request)
                .map(move |mut response| {
                    in_order(&order, &mut response);
                    response
                })
                .boxed()
        })
        .flatten()
        .boxed()
    }
}

/// What the gate needs of a request: the document, its variables and operation, and who is
/// charged (and where the charge is told).
fn gate_copy(request: &mut Request) -> Request {
    let mut copy = copy_of(request);
    if let Some(subject) = copied::<RateSubject>(request) {
        copy = copy.data(subject);
    }
    if let Some(slot) = copied::<RateSlot>(request) {
        copy = copy.data(slot);
    }
    copy
}

fn copied<T: Any + Clone>(request: &Request) -> Option<T> {
    request
        .data
        .get(&std::any::TypeId::of::<T>())
        .and_then(|value| value.downcast_ref::<T>())
        .cloned()
}

/// The root's fields in the order selected: async-graphql resolves them concurrently and keeps
/// them in the order they finish.
fn in_order(order: &Option<RootOrder>, response: &mut Response) {
    if let Some(order) = order {
        order.apply(&mut response.data);
    }
}

/// Ends an operation at the gate once it is validated and charged: nothing is resolved there.
pub(super) struct Halt;

impl ExtensionFactory for Halt {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(Halted)
    }
}

struct Halted;

#[async_trait::async_trait]
impl Extension for Halted {
    async fn execute(
        &self,
        _ctx: &ExtensionContext<'_>,
        _operation_name: Option<&str>,
        _next: NextExecute<'_>,
    ) -> Response {
        Response::new(async_graphql::Value::Null)
    }
}
