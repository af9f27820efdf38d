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

/// The longest `REQUEST_TIMEOUT` accepted.
const MAX_TIMEOUT: Duration = Duration::from_secs(600);

/// `500ms`, `5s`, `2m`: a whole number and a unit, above zero and at most
/// ten minutes. A bare number is refused: seconds or milliseconds?
pub fn parse_duration(text: &str) -> Option<Duration> {
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    let (number, unit) = text.split_at(digits);
    let n: u64 = number.parse().ok()?;
    let d = match unit {
        "ms" => Duration::from_millis(n),
        "s" => Duration::from_secs(n),
        "m" => Duration::from_secs(n.checked_mul(60)?),
        _ => return None,
    };
    (!d.is_zero() && d <= MAX_TIMEOUT).then_some(d)
}

/// `http://` or `https://`, a host, maybe a port: nothing after it when
/// `origin_only`, anything after a `/` otherwise.
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

/// Reads one variable. Unset and empty both count as absent: then the
/// default, or "is required" without one. A present value goes through
/// `parse`; when that fails, `rule` says what the value should be.
fn field<T>(
    env: &HashMap<String, String>,
    name: &str,
    default: Option<T>,
    problems: &mut Vec<String>,
    parse: impl FnOnce(&str) -> Result<T, String>,
) -> Option<T> {
    match env.get(name).map(|v| v.trim()).filter(|v| !v.is_empty()) {
        None if default.is_some() => default,
        None => {
            problems.push(format!("{name} is required"));
            None
        }
        Some(raw) => match parse(raw) {
            Ok(v) => Some(v),
            Err(rule) => {
                problems.push(format!("{name} {rule}"));
                None
            }
        },
    }
}

/// What was given, quoted, for a message about a value that is not secret.
fn got(raw: &str) -> String {
    let shown: String = raw.chars().take(60).collect();
    format!("got {shown:?}")
}

impl Config {
    /// Every variable checked; every problem listed, in this order.
    pub fn from_env(env: &HashMap<String, String>) -> Result<Config, Vec<String>> {
        let mut p = Vec::new();
        let port = field(env, "PORT", Some(8080), &mut p, |raw| {
            raw.parse::<u16>()
                .ok()
                .filter(|n| *n > 0)
                .ok_or_else(|| format!("must be a port number (1-65535), {}", got(raw)))
        });
        let app_env = field(env, "APP_ENV", None, &mut p, |raw| match raw {
            "development" => Ok(AppEnv::Development),
            "staging" => Ok(AppEnv::Staging),
            "production" => Ok(AppEnv::Production),
            _ => Err(format!(
                "must be one of development, staging, production, {}",
                got(raw)
            )),
        });
        let request_timeout = field(
            env,
            "REQUEST_TIMEOUT",
            Some(Duration::from_secs(5)),
            &mut p,
            |raw| {
                parse_duration(raw).ok_or_else(|| {
                    format!(
                        "must be a duration with a unit (500ms, 5s, 2m), at most 10m, {}",
                        got(raw)
                    )
                })
            },
        );
        let max_body_kb = field(env, "MAX_BODY_KB", Some(1024), &mut p, |raw| {
            raw.parse::<u32>()
                .ok()
                .filter(|n| (1..=10_240).contains(n))
                .ok_or_else(|| format!("must be a whole number from 1 to 10240, {}", got(raw)))
        });
        let upstream_url = field(env, "UPSTREAM_URL", None, &mut p, |raw| {
            if is_http_url(raw, false) {
                Ok(raw.to_string())
            } else {
                Err(format!(
                    "must be an http:// or https:// URL with a host, {}",
                    got(raw)
                ))
            }
        });
        // Never echo a secret, not even a wrong one.
        let api_key = field(env, "API_KEY", None, &mut p, |raw| {
            if raw.chars().count() >= 32 {
                Ok(Secret(raw.to_string()))
            } else {
                Err("must be at least 32 characters long".to_string())
            }
        });
        let debug = field(env, "DEBUG", Some(false), &mut p, |raw| match raw {
            "true" => Ok(true),
            "false" => Ok(false),
            _ => Err(format!("must be true or false, {}", got(raw))),
        });
        let allowed_origins = field(env, "ALLOWED_ORIGINS", Some(Vec::new()), &mut p, |raw| {
            let origins: Vec<String> = raw.split(',').map(|o| o.trim().to_string()).collect();
            match origins.iter().find(|o| !is_http_url(o, true)) {
                None => Ok(origins),
                Some(bad) => Err(format!(
                    "must be origins (scheme://host[:port], no path) separated by commas, {}",
                    got(bad)
                )),
            }
        });
        match (
            port,
            app_env,
            request_timeout,
            max_body_kb,
            upstream_url,
            api_key,
            debug,
            allowed_origins,
        ) {
            (
                Some(port),
                Some(app_env),
                Some(request_timeout),
                Some(max_body_kb),
                Some(upstream_url),
                Some(api_key),
                Some(debug),
                Some(allowed_origins),
            ) if p.is_empty() => Ok(Config {
                port,
                app_env,
                request_timeout,
                max_body_kb,
                upstream_url,
                api_key,
                debug,
                allowed_origins,
            }),
            _ => Err(p),
        }
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
