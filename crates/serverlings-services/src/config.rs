//! Explicit service URLs: the environment first, then the learner's config
//! file — `.serverlings/config.toml` in the course, else
//! `~/.config/serverlings/config.toml`:
//!
//! ```toml
//! [services]
//! postgres = "postgres://me:secret@127.0.0.1:5432/postgres"
//! redis = "redis://127.0.0.1:6379"
//! ```

use super::{Kind, Server, ServiceError, Source};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigToml {
    #[serde(default)]
    services: BTreeMap<String, String>,
}

/// The config files, in the order they are read.
pub fn files(root: &Path) -> Vec<PathBuf> {
    let mut out = vec![root.join(".serverlings").join("config.toml")];
    let base = std::env::var_os("XDG_CONFIG_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")));
    if let Some(b) = base {
        out.push(b.join("serverlings").join("config.toml"));
    }
    out
}

/// The URL from the environment, if set and not empty.
pub fn from_env(kind: Kind) -> Option<String> {
    std::env::var(kind.env())
        .ok()
        .filter(|v| !v.trim().is_empty())
}

/// The URL from the first config file that names the service.
pub fn from_config(root: &Path, kind: Kind) -> Result<Option<(String, PathBuf)>, ServiceError> {
    for path in files(root) {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let parsed: ConfigToml = toml::from_str(&text).map_err(|e| ServiceError::Config {
            kind,
            path: path.clone(),
            reason: e.message().to_string(),
        })?;
        if let Some(bad) = parsed.services.keys().find(|k| Kind::parse(k).is_none()) {
            return Err(ServiceError::Config {
                kind,
                path,
                reason: format!(
                    "unknown service `{bad}` under [services] (known: postgres, redis, rabbitmq, mysql)"
                ),
            });
        }
        if let Some(url) = parsed
            .services
            .get(kind.id())
            .filter(|u| !u.trim().is_empty())
        {
            return Ok(Some((url.clone(), path)));
        }
    }
    Ok(None)
}

/// A server the learner named: the environment, then the config file.
pub fn explicit(root: &Path, kind: Kind) -> Result<Option<Server>, ServiceError> {
    if let Some(url) = from_env(kind) {
        return Ok(Some(Server {
            kind,
            url,
            source: Source::Env,
        }));
    }
    Ok(from_config(root, kind)?.map(|(url, path)| Server {
        kind,
        url,
        source: Source::Config(path),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_course_config_names_a_url_and_rejects_unknown_services() {
        let dir = std::env::temp_dir().join(format!("sl-config-{}", std::process::id()));
        std::fs::create_dir_all(dir.join(".serverlings")).unwrap();
        let file = dir.join(".serverlings/config.toml");
        std::fs::write(&file, "[services]\nredis = \"redis://10.0.0.2:6379\"\n").unwrap();
        let got = from_config(&dir, Kind::Redis).unwrap().unwrap();
        assert_eq!(got, ("redis://10.0.0.2:6379".to_string(), file.clone()));
        std::fs::write(&file, "[services]\nredsi = \"x\"\n").unwrap();
        let err = from_config(&dir, Kind::Redis).unwrap_err().to_string();
        assert!(err.contains("unknown service `redsi`"), "{err}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
