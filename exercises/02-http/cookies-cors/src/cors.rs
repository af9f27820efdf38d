//! CORS: which other origins' pages may call this API from a browser, and
//! with the user's cookies.
//!
//! ```text
//! page on https://app.example                       this API
//!   fetch(url, { method: "PUT", credentials: "include",
//!                headers: { "Content-Type": "application/json" } })
//!   browser: not a "simple" request, ask first
//!     OPTIONS /me                         ------>
//!     Origin: https://app.example
//!     Access-Control-Request-Method: PUT
//!     Access-Control-Request-Headers: content-type
//!                                         <------   204
//!     Access-Control-Allow-Origin: https://app.example
//!     Access-Control-Allow-Credentials: true
//!     Access-Control-Allow-Methods: GET, POST, PUT, DELETE
//!     Access-Control-Allow-Headers: content-type
//!     Access-Control-Max-Age: 600
//!   browser: allowed, send it
//!     PUT /me, Origin, Cookie: sid=...    ------>
//!                                         <------   200, Access-Control-Allow-Origin
//!                                                   and -Credentials again
//!   browser: the page may read the answer
//! ```
//!
//! CORS does not protect the server: any client that is not a browser
//! ignores it. It tells browsers which pages may READ the answers.

/// The methods a cross-origin page may use.
pub const ALLOWED_METHODS: [&str; 4] = ["GET", "POST", "PUT", "DELETE"];

/// The request headers a cross-origin page may send (lowercase).
pub const ALLOWED_HEADERS: [&str; 2] = ["content-type", "x-request-id"];

/// How long a browser may cache a preflight answer, in seconds.
pub const MAX_AGE_SECONDS: u32 = 600;

/// The origins allowed to call this API, e.g. `https://app.example`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    origins: Vec<String>,
}

/// A list of response headers.
pub type Headers = Vec<(&'static str, String)>;

impl Policy {
    /// The policy for a comma-separated list of origins, as in the
    /// `ALLOWED_ORIGINS` environment variable. Empty items are dropped.
    pub fn from_list(list: &str) -> Policy {
        Policy {
            origins: list
                .split(',')
                .map(str::trim)
                .filter(|origin| !origin.is_empty())
                .map(str::to_string)
                .collect(),
        }
    }

    /// Whether `origin` (the request's `Origin` header) is on the list:
    /// the exact same text, scheme, host and port.
    pub fn allows_origin(&self, origin: &str) -> bool {
        // TODO(3): the origin must be exactly one of `self.origins` (compare
        // the whole string: `starts_with` or `contains` would let
        // `https://app.example.evil.com` in), and never `null`.
        todo!("TODO(3): is {origin:?} allowed?")
    }

    /// The answer to a preflight (`OPTIONS` with `Origin` and
    /// `Access-Control-Request-Method`): the CORS headers of a 204 when the
    /// origin, the method and every requested header are allowed, `None`
    /// (403, no CORS headers) otherwise.
    pub fn preflight(
        &self,
        origin: &str,
        method: &str,
        request_headers: Option<&str>,
    ) -> Option<Headers> {
        // TODO(4): `None` unless the origin is allowed, the method is one of
        // ALLOWED_METHODS, and each name in `request_headers` (a comma-
        // separated list, maybe absent; trim and lowercase each) is one of
        // ALLOWED_HEADERS. Otherwise the five headers:
        // Access-Control-Allow-Origin (the origin itself: `*` is refused by
        // browsers when credentials are allowed), -Allow-Credentials `true`,
        // -Allow-Methods (ALLOWED_METHODS joined with ", "), -Allow-Headers
        // (ALLOWED_HEADERS joined), -Max-Age (MAX_AGE_SECONDS).
        todo!("TODO(4): preflight from {origin:?} for {method} {request_headers:?}")
    }

    /// The CORS headers of an actual (not preflight) response to a request
    /// with `origin`: the origin itself and credentials when it is allowed,
    /// nothing otherwise.
    pub fn actual(&self, origin: &str) -> Headers {
        // TODO(5): for an allowed origin, Access-Control-Allow-Origin (the
        // origin) and Access-Control-Allow-Credentials `true`; for any other
        // origin, no header at all.
        todo!("TODO(5): CORS headers for a response to {origin:?}")
    }
}

#[cfg(test)]
mod tests {
    use super::Policy;

    fn policy() -> Policy {
        Policy::from_list("https://app.example, https://admin.example:8443,")
    }

    fn header<'a>(headers: &'a [(&str, String)], name: &str) -> Option<&'a str> {
        headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    #[test]
    fn listed_origins_are_allowed() {
        let policy = policy();
        assert!(policy.allows_origin("https://app.example"), "TODO(3)");
        assert!(
            policy.allows_origin("https://admin.example:8443"),
            "TODO(3)"
        );
    }

    #[test]
    fn lookalike_origins_are_not() {
        let policy = policy();
        for origin in [
            "https://app.example.evil.com",
            "https://evilapp.example",
            "http://app.example",
            "https://app.example:444",
            "https://app.example/",
            "null",
            "",
        ] {
            assert!(
                !policy.allows_origin(origin),
                "TODO(3): {origin:?} is not on the list: compare whole origins, never \
                 a prefix or a substring, and never allow `null`"
            );
        }
        assert!(!Policy::from_list("null").allows_origin("null"), "TODO(3)");
    }

    #[test]
    fn an_allowed_preflight_gets_every_header() {
        let headers = policy()
            .preflight(
                "https://app.example",
                "PUT",
                Some("Content-Type, X-Request-Id"),
            )
            .expect("TODO(4): origin, method and headers are all allowed");
        assert_eq!(
            header(&headers, "access-control-allow-origin"),
            Some("https://app.example"),
            "TODO(4): with credentials, the origin itself, never `*`"
        );
        assert_eq!(
            header(&headers, "access-control-allow-credentials"),
            Some("true"),
            "TODO(4)"
        );
        let methods = header(&headers, "access-control-allow-methods").unwrap_or_default();
        assert!(
            methods.contains("PUT"),
            "TODO(4): Allow-Methods {methods:?}"
        );
        let allowed = header(&headers, "access-control-allow-headers").unwrap_or_default();
        assert!(
            allowed.contains("content-type") && allowed.contains("x-request-id"),
            "TODO(4): Allow-Headers {allowed:?}"
        );
        assert_eq!(
            header(&headers, "access-control-max-age"),
            Some("600"),
            "TODO(4)"
        );
    }

    #[test]
    fn a_preflight_without_request_headers_is_fine() {
        assert!(
            policy()
                .preflight("https://app.example", "DELETE", None)
                .is_some(),
            "TODO(4): no Access-Control-Request-Headers means no extra headers"
        );
    }

    #[test]
    fn a_preflight_outside_the_policy_is_refused() {
        let policy = policy();
        assert_eq!(
            policy.preflight("https://evil.example", "GET", None),
            None,
            "TODO(4): an origin that is not allowed"
        );
        assert_eq!(
            policy.preflight("https://app.example", "PATCH", None),
            None,
            "TODO(4): PATCH is not in ALLOWED_METHODS"
        );
        assert_eq!(
            policy.preflight("https://app.example", "POST", Some("content-type, x-admin")),
            None,
            "TODO(4): x-admin is not in ALLOWED_HEADERS"
        );
    }

    #[test]
    fn actual_responses_name_the_allowed_origin() {
        let policy = policy();
        let headers = policy.actual("https://app.example");
        assert_eq!(
            header(&headers, "access-control-allow-origin"),
            Some("https://app.example"),
            "TODO(5)"
        );
        assert_eq!(
            header(&headers, "access-control-allow-credentials"),
            Some("true"),
            "TODO(5)"
        );
        assert!(
            policy.actual("https://evil.example").is_empty(),
            "TODO(5): no CORS headers for an origin that is not allowed"
        );
    }
}
