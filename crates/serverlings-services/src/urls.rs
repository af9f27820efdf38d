//! Service URLs (`postgres://`, `redis://`, `amqp://`, `mysql://`), read
//! one way for every service: host, port, credentials and path, with each
//! service's defaults.

/// The parts of a service URL, percent-decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceUrl {
    /// The host without IPv6 brackets; `127.0.0.1` when the URL has none.
    pub host: String,
    pub port: u16,
    /// `None` when the URL names no user.
    pub user: Option<String>,
    pub password: Option<String>,
    /// The path without its leading `/`, percent-decoded (a database, a
    /// vhost, a Redis database number).
    pub path: String,
}

/// What a service accepts: its schemes, the TLS scheme it refuses (the
/// checker speaks to services on loopback without TLS), an example for the
/// message, and its default port.
pub struct Scheme {
    pub names: &'static [&'static str],
    pub tls: Option<&'static str>,
    pub example: &'static str,
    pub port: u16,
}

pub fn parse(url: &str, scheme: &Scheme) -> Result<ServiceUrl, String> {
    let u = url::Url::parse(url).map_err(|e| format!("not a URL ({e})"))?;
    let s = u.scheme();
    if scheme.tls == Some(s) {
        return Err(format!(
            "TLS ({s}://) is not supported: use a {}:// URL",
            scheme.names[0]
        ));
    }
    if !scheme.names.contains(&s) {
        return Err(format!("`{s}` is not a {} URL", scheme.example));
    }
    Ok(ServiceUrl {
        host: u
            .host_str()
            .unwrap_or("127.0.0.1")
            .trim_matches(['[', ']'])
            .to_string(),
        port: u.port().unwrap_or(scheme.port),
        user: Some(u.username())
            .filter(|s| !s.is_empty())
            .map(percent_decode),
        password: u.password().map(percent_decode),
        path: percent_decode(u.path().trim_start_matches('/')),
    })
}

/// `%41` → `A`; an invalid escape stays as written.
pub fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && i + 2 < b.len()
            && let Some(v) = std::str::from_utf8(&b[i + 1..i + 3])
                .ok()
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    const REDIS: Scheme = Scheme {
        names: &["redis"],
        tls: Some("rediss"),
        example: "Redis (redis://host:port/db)",
        port: 6379,
    };

    #[test]
    fn the_parts_are_decoded_and_defaults_filled_in() {
        let u = parse("redis://us%20er:p%40ss@[::1]/3", &REDIS).unwrap();
        assert_eq!(u.host, "::1");
        assert_eq!(u.port, 6379);
        assert_eq!(u.user.as_deref(), Some("us er"));
        assert_eq!(u.password.as_deref(), Some("p@ss"));
        assert_eq!(u.path, "3");
        let bare = parse("redis://localhost:7000", &REDIS).unwrap();
        assert_eq!((bare.port, bare.user, bare.password), (7000, None, None));
    }

    #[test]
    fn tls_and_other_schemes_are_refused_with_what_to_write() {
        assert!(
            parse("rediss://h", &REDIS)
                .unwrap_err()
                .contains("use a redis:// URL")
        );
        assert!(
            parse("http://h", &REDIS)
                .unwrap_err()
                .contains("redis://host:port/db")
        );
        assert_eq!(percent_decode("100%"), "100%");
    }
}
