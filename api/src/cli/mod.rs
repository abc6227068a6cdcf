//! The `khub` command line: serve, migrate, print the schema, seed demo data.

pub mod health;
mod migrate;
mod operator;
pub mod reputation;
pub mod seed;
mod serve;

use std::collections::HashMap;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use khub_infra::Settings;

/// Knowledge Hub: share live learning between public-sector practitioners.
///
/// Settings come from defaults, then the TOML file given by --config (env KHUB_CONFIG), then
/// environment variables, then these flags. See README.md for every setting.
#[derive(Parser, Debug)]
#[command(name = "khub", version)]
pub struct Cli {
    /// A TOML settings file (env KHUB_CONFIG).
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run the hub (the default when no command is given).
    Serve(ServeArgs),
    /// Apply, revert or list database migrations.
    Migrate {
        #[command(flatten)]
        store: StoreArgs,
        #[command(subcommand)]
        action: MigrateAction,
    },
    /// Print the GraphQL schema (SDL) the server serves.
    Schema,
    /// Ask the hub at the configured bind address whether it is alive (exit status 0), for
    /// container health checks.
    Health {
        /// Ask whether it is ready (database, session store and event bus reachable) instead.
        #[arg(long)]
        ready: bool,
        /// The hub's address (env KHUB_BIND; default 127.0.0.1:8080).
        #[arg(long, value_name = "ADDR")]
        bind: Option<String>,
    },
    /// Fill the database with data.
    Seed(SeedArgs),
    /// Manage organisations.
    Org {
        #[command(flatten)]
        store: StoreArgs,
        #[command(subcommand)]
        action: OrgAction,
    },
    /// Maintain reputation totals.
    Reputation {
        #[command(flatten)]
        store: StoreArgs,
        #[command(subcommand)]
        action: ReputationAction,
    },
    /// Manage people's hub-wide roles.
    Person {
        #[command(flatten)]
        store: StoreArgs,
        #[command(subcommand)]
        action: PersonAction,
    },
}

#[derive(Subcommand, Debug)]
pub enum OrgAction {
    /// Add an organisation.
    Create {
        #[arg(long)]
        slug: String,
        #[arg(long)]
        name: String,
        /// COUNCIL, PUBLIC_BODY, PARTNER or OTHER.
        #[arg(long, default_value = "COUNCIL")]
        kind: String,
        /// A verified e-mail domain; repeat for several.
        #[arg(long = "domain")]
        domains: Vec<String>,
    },
    /// Make a person an administrator of an organisation (placing them in it).
    Admin {
        /// The organisation's slug.
        #[arg(long)]
        org: String,
        /// The person's e-mail address.
        #[arg(long)]
        email: String,
        /// Make them an ordinary member again.
        #[arg(long)]
        revoke: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum ReputationAction {
    /// Recompute every total and leaderboard from the ledger alone, and say whether the
    /// maintained ones already matched.
    Rebuild,
}

#[derive(Subcommand, Debug)]
pub enum PersonAction {
    /// Make a person a hub administrator (may add organisations).
    HubAdmin {
        #[arg(long)]
        email: String,
        #[arg(long)]
        revoke: bool,
    },
}

/// Where the hub keeps its data.
#[derive(Args, Debug, Default, Clone)]
pub struct StoreArgs {
    /// Directory for the embedded SQLite database and generated secrets (env KHUB_DATA_DIR;
    /// default ./data).
    #[arg(long, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// postgres://… or sqlite:… (env DATABASE_URL; default a SQLite file in the data directory).
    #[arg(long, value_name = "URL")]
    pub database_url: Option<String>,
    /// redis://… for shared sessions and events (env REDIS_URL; default in-process).
    #[arg(long, value_name = "URL")]
    pub redis_url: Option<String>,
}

#[derive(Args, Debug, Default)]
pub struct ServeArgs {
    #[command(flatten)]
    pub store: StoreArgs,
    /// Address to listen on (env KHUB_BIND; default 127.0.0.1:8080).
    #[arg(long, value_name = "ADDR")]
    pub bind: Option<String>,
    /// Production mode: requires KHUB_JWT_SECRET, turns introspection and the playground off
    /// (env KHUB_PRODUCTION).
    #[arg(long)]
    pub production: bool,
    /// Do not apply pending migrations on start (env KHUB_MIGRATE_ON_START=false).
    #[arg(long)]
    pub no_migrate: bool,
    /// Log filter, e.g. `info` or `khub_api=debug,info` (env KHUB_LOG_LEVEL).
    #[arg(long, value_name = "FILTER")]
    pub log_level: Option<String>,
    /// `pretty` or `json` (env KHUB_LOG_FORMAT).
    #[arg(long, value_name = "FORMAT")]
    pub log_format: Option<String>,
}

#[derive(Subcommand, Debug)]
pub enum MigrateAction {
    /// Apply pending migrations.
    Up {
        /// Apply only this many.
        #[arg(long)]
        steps: Option<u32>,
    },
    /// Revert applied migrations, newest first.
    Down {
        #[arg(long, default_value_t = 1)]
        steps: u32,
    },
    /// List migrations and whether each is applied.
    Status,
}

#[derive(Args, Debug)]
#[group(required = true, multiple = false, id = "data_set", args = ["demo", "scale"])]
pub struct SeedArgs {
    #[command(flatten)]
    pub store: StoreArgs,
    /// A small, realistic demo data set: councils, public bodies, partners and their people.
    #[arg(long)]
    pub demo: bool,
    /// A large deterministic data set for benchmarks: at 1, about 400 organisations, 20,000
    /// people, 500 communities, 20,000 practices, 100,000 threads and 1,000,000 replies.
    #[arg(long, value_name = "N")]
    pub scale: Option<f64>,
}

impl StoreArgs {
    fn overrides(&self) -> Vec<(&'static str, String)> {
        let mut flags = Vec::new();
        if let Some(dir) = &self.data_dir {
            flags.push(("data_dir", dir.display().to_string()));
        }
        if let Some(url) = &self.database_url {
            flags.push(("database_url", url.clone()));
        }
        if let Some(url) = &self.redis_url {
            flags.push(("redis_url", url.clone()));
        }
        flags
    }
}

impl ServeArgs {
    fn overrides(&self) -> Vec<(&'static str, String)> {
        let mut flags = self.store.overrides();
        let optional = [
            ("bind", &self.bind),
            ("log_level", &self.log_level),
            ("log_format", &self.log_format),
        ];
        flags.extend(
            optional
                .into_iter()
                .filter_map(|(k, v)| v.clone().map(|v| (k, v))),
        );
        if self.production {
            flags.push(("production", "true".into()));
        }
        if self.no_migrate {
            flags.push(("migrate_on_start", "false".into()));
        }
        flags
    }
}

/// Runs the chosen command.
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let env: HashMap<String, String> = std::env::vars().collect();
    let file = cli
        .config
        .clone()
        .or_else(|| env.get("KHUB_CONFIG").map(PathBuf::from));
    let settings = |flags: Vec<(&'static str, String)>| {
        Settings::load(file.as_deref(), &env, &flags).map_err(anyhow::Error::from)
    };
    match cli.command.unwrap_or(Command::Serve(ServeArgs::default())) {
        Command::Serve(args) => serve::run(settings(args.overrides())?).await,
        Command::Migrate { store, action } => {
            migrate::run(settings(store.overrides())?, action).await
        }
        Command::Health { ready, bind } => {
            let overrides: Vec<(&str, String)> = bind.into_iter().map(|b| ("bind", b)).collect();
            health::check(settings(overrides)?.bind, ready).await
        }
        Command::Schema => {
            print!("{}", crate::graphql::sdl());
            Ok(())
        }
        Command::Seed(args) => {
            let settings = settings(args.store.overrides())?;
            match args.scale {
                Some(scale) => seed::scale::run(settings, scale).await,
                None => seed::run(settings).await,
            }
        }
        Command::Org { store, action } => operator::org(settings(store.overrides())?, action).await,
        Command::Reputation {
            store,
            action: ReputationAction::Rebuild,
        } => reputation::rebuild(settings(store.overrides())?).await,
        Command::Person { store, action } => {
            operator::person(settings(store.overrides())?, action).await
        }
    }
}
