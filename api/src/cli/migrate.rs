//! `khub migrate up|down|status`.

use khub_infra::Settings;
use khub_infra::db::Database;

use super::MigrateAction;

pub async fn run(settings: Settings, action: MigrateAction) -> anyhow::Result<()> {
    if settings.database_url.is_none() {
        std::fs::create_dir_all(&settings.data_dir)?;
    }
    let db = Database::connect(&settings.effective_database_url(), 1).await?;
    match action {
        MigrateAction::Up { steps } => {
            db.migrate_up(steps).await?;
            println!("migrations applied");
        }
        MigrateAction::Down { steps } => {
            db.migrate_down(steps).await?;
            println!("reverted {steps} migration(s)");
        }
        MigrateAction::Status => {
            for (name, applied) in db.migration_status().await? {
                println!("{} {name}", if applied { "applied" } else { "pending" });
            }
        }
    }
    db.close().await;
    Ok(())
}
