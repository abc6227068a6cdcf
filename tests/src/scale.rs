//! Loading the scale data set into a test's hub.

use khub_infra::db::scale::{Progress, ScalePlan};

use crate::TestApp;

/// Progress nobody watches.
pub struct QuietProgress;

impl Progress for QuietProgress {
    fn stage(&mut self, _: &'static str, _: u64) {}
    fn advance(&mut self, _: u64) {}
}

impl TestApp {
    /// Loads the scale data set at `scale` (as `khub seed --scale` does); false when it was
    /// loaded already.
    pub async fn load_scale(&self, scale: f64) -> bool {
        let plan = ScalePlan::at(scale);
        khub_api::cli::seed::scale::load(self.settings(), plan, &mut QuietProgress)
            .await
            .expect("the scale data set loads")
    }
}
