//! The configuration, validated once at start: every problem is reported.

pub struct Config {
    pub database_url: String,
    pub port: u16,
    pub pool_max: u32,
    pub acquire_timeout_ms: u64,
}

fn number<T: std::str::FromStr + PartialOrd + std::fmt::Display>(
    name: &str,
    default: Option<T>,
    range: (T, T),
    problems: &mut Vec<String>,
) -> Option<T> {
    let text = match std::env::var(name) {
        Ok(text) => text,
        Err(_) if default.is_some() => return default,
        Err(_) => {
            problems.push(format!("{name} is required"));
            return None;
        }
    };
    match text.trim().parse::<T>() {
        Ok(n) if n >= range.0 && n <= range.1 => Some(n),
        _ => {
            problems.push(format!(
                "{name} must be a whole number from {} to {}, not {text:?}",
                range.0, range.1
            ));
            None
        }
    }
}

impl Config {
    pub fn from_env() -> Result<Config, Vec<String>> {
        let mut problems = Vec::new();
        let database_url = std::env::var("DATABASE_URL").ok();
        if database_url.is_none() {
            problems.push("DATABASE_URL is required".to_string());
        }
        let port = number("PORT", Some(8080u16), (1, u16::MAX), &mut problems);
        let pool_max = number::<u32>("POOL_MAX", None, (1, 100), &mut problems);
        let acquire = number::<u64>("ACQUIRE_TIMEOUT_MS", None, (1, 60_000), &mut problems);
        match (database_url, port, pool_max, acquire) {
            (Some(database_url), Some(port), Some(pool_max), Some(acquire_timeout_ms))
                if problems.is_empty() =>
            {
                Ok(Config {
                    database_url,
                    port,
                    pool_max,
                    acquire_timeout_ms,
                })
            }
            _ => Err(problems),
        }
    }
}
