//! The secret that signs session tokens.

use std::path::Path;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;

use crate::config::Settings;

const SECRET_FILE: &str = "jwt-secret";

/// The configured secret, or for the embedded default one generated once and kept in the data
/// directory, so sessions survive restarts. Production settings always carry their own.
pub fn jwt_secret(settings: &Settings) -> anyhow::Result<String> {
    if let Some(secret) = &settings.jwt_secret {
        return Ok(secret.clone());
    }
    load_or_generate(&settings.data_dir.join(SECRET_FILE))
}

fn load_or_generate(path: &Path) -> anyhow::Result<String> {
    match std::fs::read_to_string(path) {
        Ok(secret) if secret.trim().len() >= 32 => return Ok(secret.trim().to_owned()),
        Ok(_) => anyhow::bail!(
            "{} holds a secret shorter than 32 characters",
            path.display()
        ),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => anyhow::bail!("cannot read {}: {e}", path.display()),
    }
    let mut bytes = [0u8; 48];
    rand::rng().fill_bytes(&mut bytes);
    let secret = URL_SAFE_NO_PAD.encode(bytes);
    write_private(path, &secret)?;
    Ok(secret)
}

fn write_private(path: &Path, secret: &str) -> anyhow::Result<()> {
    use std::io::Write;
    // With an external database the data directory holds only this file: make it if need be.
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", dir.display()))?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options
        .open(path)
        .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", path.display()))?;
    file.write_all(secret.as_bytes())
        .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_generated_secret_is_kept_and_reused() {
        let dir = tempfile::tempdir().expect("temp dir");
        let settings = Settings::embedded(dir.path());
        let first = jwt_secret(&settings).expect("generated");
        assert!(first.len() >= 32);
        assert_eq!(jwt_secret(&settings).expect("reloaded"), first);
    }

    #[test]
    fn a_missing_data_directory_is_created_for_the_secret() {
        let dir = tempfile::tempdir().expect("temp dir");
        let settings = Settings::embedded(dir.path().join("not-yet"));
        assert!(jwt_secret(&settings).is_ok());
    }
}
