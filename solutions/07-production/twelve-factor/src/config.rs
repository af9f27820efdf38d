//! The service's configuration, from the environment.

use std::fmt;

/// Everything that differs between deploys.
pub struct Config {
    pub port: u16,
    pub service: String,
    pub greeting: String,
    pub api_token: String,
}

/// Every field but the secret, which is shown as `[redacted]`.
impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("port", &self.port)
            .field("service", &self.service)
            .field("greeting", &self.greeting)
            .field("api_token", &"[redacted]")
            .finish()
    }
}

impl Config {
    /// Reads the configuration through `get` (in main: `std::env::var`).
    /// `Err` holds every problem found, one sentence each, naming the
    /// variable: all of them, not only the first.
    pub fn from_env(get: impl Fn(&str) -> Option<String>) -> Result<Config, Vec<String>> {
        let mut problems = Vec::new();
        let port = match get("PORT") {
            None => {
                problems.push("PORT is required (the port to listen on)".to_string());
                0
            }
            Some(p) => p.trim().parse::<u16>().unwrap_or_else(|_| {
                problems.push(format!("PORT must be a number from 0 to 65535, not {p:?}"));
                0
            }),
        };
        let mut required = |name: &str| match get(name) {
            Some(v) if !v.trim().is_empty() => v,
            _ => {
                problems.push(format!("{name} is required"));
                String::new()
            }
        };
        let service = required("SERVICE_NAME");
        let api_token = required("API_TOKEN");
        let greeting = get("GREETING")
            .filter(|g| !g.is_empty())
            .unwrap_or_else(|| "hello".to_string());
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(Config {
            port,
            service,
            greeting,
            api_token,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::Config;

    fn env<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |k| {
            vars.iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn every_problem_is_listed() {
        let problems = Config::from_env(env(&[("PORT", "http")])).unwrap_err();
        assert_eq!(problems.len(), 3, "{problems:?}");
        assert!(problems[0].contains("PORT"));
        assert!(problems[1].contains("SERVICE_NAME"));
        assert!(problems[2].contains("API_TOKEN"));
    }

    #[test]
    fn the_token_is_never_printed() {
        let config = Config::from_env(env(&[
            ("PORT", "0"),
            ("SERVICE_NAME", "orders"),
            ("API_TOKEN", "s3cr3t"),
        ]))
        .unwrap();
        assert_eq!(config.greeting, "hello");
        assert!(!format!("{config:?}").contains("s3cr3t"));
    }
}
