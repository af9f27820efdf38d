//! The configuration: read once, at start, from the environment, into
//! one typed value. Every problem is collected, none is fatal alone.

use std::collections::HashMap;
use std::fmt;
use std::time::Duration;

/// Where the service runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AppEnv {
    Development,
    Staging,
    Production,
}

impl AppEnv {
    pub fn as_str(self) -> &'static str {
        match self {
            AppEnv::Development => "development",
            AppEnv::Staging => "staging",
            AppEnv::Production => "production",
        }
    }
}

/// A value that is never printed: `Debug` shows `[redacted]`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(pub String);

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

#[derive(Debug, Clone)]
pub struct Config {
    pub port: u16,
    pub app_env: AppEnv,
    pub request_timeout: Duration,
    pub max_body_kb: u32,
    pub upstream_url: String,
    pub api_key: Secret,
    pub debug: bool,
    pub allowed_origins: Vec<String>,
}

// TODO(2): `parse_duration` accepts a whole number followed by a unit,
// `ms`, `s` or `m` ("500ms", "5s", "2m"), above zero and at most ten
// minutes, and nothing else: a bare "30" is refused (seconds or
// milliseconds? the reader of the config cannot know), and so are "0s",
// "1.5s", "-1s" and "11m".

/// A duration with its unit.
pub fn parse_duration(text: &str) -> Option<Duration> {
    // Naive: "500ms" is milliseconds, anything else is taken as seconds.
    match text.strip_suffix("ms") {
        Some(ms) => ms.parse().ok().map(Duration::from_millis),
        None => text
            .trim_end_matches('s')
            .parse()
            .ok()
            .map(Duration::from_secs),
    }
}

/// `http://` or `https://`, a host, maybe a port: nothing after it when
/// `origin_only`, anything after a `/` otherwise.
#[allow(dead_code)] // used by TODO(1)
fn is_http_url(text: &str, origin_only: bool) -> bool {
    let Some(rest) = text
        .strip_prefix("http://")
        .or_else(|| text.strip_prefix("https://"))
    else {
        return false;
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    if origin_only && end != rest.len() {
        return false;
    }
    let authority = &rest[..end];
    let (host, port) = match authority.rsplit_once(':') {
        Some((h, p)) => (h, Some(p)),
        None => (authority, None),
    };
    let host_ok = !host.is_empty()
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.'));
    host_ok && port.is_none_or(|p| p.parse::<u16>().is_ok_and(|p| p > 0))
}

// TODO(1): `from_env` reads every variable below and returns the Config,
// or *every* problem it found, each as one message that starts with the
// variable's name and a space ("APP_ENV must be one of ..."), in this
// order. A variable that is unset or empty is absent: it takes its
// default, or without one the problem is exactly "NAME is required". A
// variable that is present and invalid is a problem, never the default.
//
//   PORT             1-65535                                default 8080
//   APP_ENV          development | staging | production     required
//   REQUEST_TIMEOUT  parse_duration (TODO 2)                default 5s
//   MAX_BODY_KB      a whole number, 1 to 10240             default 1024
//   UPSTREAM_URL     is_http_url(value, false)              required
//   API_KEY          at least 32 characters                 required
//   DEBUG            true | false                           default false
//   ALLOWED_ORIGINS  comma-separated, each is_http_url(o, true) once
//                    trimmed                                default none
//
// Say what is wrong and, for values that are not secret, what was given
// (quoted, so a newline in it cannot forge a line); never print the
// API_KEY, not even a wrong one.

impl Config {
    /// Every variable checked; every problem listed.
    pub fn from_env(env: &HashMap<String, String>) -> Result<Config, Vec<String>> {
        // Naive: whatever does not parse quietly becomes the default.
        let get = |name: &str| env.get(name).map(String::as_str).unwrap_or("");
        Ok(Config {
            port: get("PORT").parse().unwrap_or(8080),
            app_env: match get("APP_ENV") {
                "production" => AppEnv::Production,
                "staging" => AppEnv::Staging,
                _ => AppEnv::Development,
            },
            request_timeout: parse_duration(get("REQUEST_TIMEOUT"))
                .unwrap_or(Duration::from_secs(5)),
            max_body_kb: get("MAX_BODY_KB").parse().unwrap_or(1024),
            upstream_url: get("UPSTREAM_URL").to_string(),
            api_key: Secret(get("API_KEY").to_string()),
            debug: get("DEBUG") == "true",
            allowed_origins: get("ALLOWED_ORIGINS")
                .split(',')
                .map(|o| o.trim().to_string())
                .filter(|o| !o.is_empty())
                .collect(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn durations_need_a_unit() {
        assert_eq!(parse_duration("250ms"), Some(Duration::from_millis(250)));
        assert_eq!(parse_duration("2m"), Some(Duration::from_secs(120)));
        assert_eq!(parse_duration("5"), None);
        assert_eq!(parse_duration("0s"), None);
        assert_eq!(parse_duration("11m"), None);
        assert_eq!(parse_duration("-1s"), None);
    }

    #[test]
    fn every_problem_is_listed_and_no_secret_shown() {
        let problems = Config::from_env(&env(&[
            ("APP_ENV", "prod"),
            ("REQUEST_TIMEOUT", "30"),
            ("API_KEY", "sk_short"),
        ]))
        .unwrap_err();
        assert_eq!(problems.len(), 4, "{problems:?}");
        assert!(problems[0].starts_with("APP_ENV must be one of"));
        assert!(problems[1].starts_with("REQUEST_TIMEOUT must be a duration"));
        assert_eq!(problems[2], "UPSTREAM_URL is required");
        assert!(!problems[3].contains("sk_short"));
    }

    #[test]
    fn a_good_environment_parses() {
        let c = Config::from_env(&env(&[
            ("APP_ENV", "staging"),
            ("UPSTREAM_URL", "https://api.example.test:8443/v1"),
            ("API_KEY", &"k".repeat(32)),
            ("ALLOWED_ORIGINS", "https://a.test, http://b.test:3000"),
        ]))
        .unwrap();
        assert_eq!(c.port, 8080);
        assert_eq!(c.request_timeout, Duration::from_secs(5));
        assert_eq!(c.allowed_origins, ["https://a.test", "http://b.test:3000"]);
    }
}
