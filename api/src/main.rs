//! The `khub` binary. With no command it serves the hub on the embedded default.

use clap::Parser;
use khub_api::cli::{self, Cli};

// A GraphQL response is thousands of short-lived allocations spread over worker threads; glibc's
// allocator spent a quarter of the server's CPU on Q1 (bench/results), mimalloc a fraction.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    match cli::run(Cli::parse()).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            // One line a person can act on; the cause chain joined with colons.
            eprintln!("khub: {error:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
