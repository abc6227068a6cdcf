//! The `khub` binary. With no command it serves the hub on the embedded default.

use clap::Parser;
use khub_api::cli::{self, Cli};

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
