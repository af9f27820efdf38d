//! A route table: `(method, pattern) → handler`, with `{name}` parameters.
//!
//! The router does not know what a handler is: `H` can be a function
//! pointer (as in `main.rs`) or a plain string (as in the tests below).

/// The values of the `{name}` segments of a pattern, by name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Params(Vec<(String, String)>);

impl Params {
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    pub fn insert(&mut self, name: &str, value: &str) {
        self.0.push((name.to_string(), value.to_string()));
    }
}

/// What the table says about a method and a path.
#[derive(Debug, PartialEq, Eq)]
pub enum Match<'r, H> {
    /// The handler to call, and the parameters taken from the path.
    Found { handler: &'r H, params: Params },
    /// The path exists, but not with this method: answer 405 with an
    /// `Allow` header listing these methods.
    MethodNotAllowed { allow: Vec<&'static str> },
    /// No pattern matches the path: answer 404.
    NotFound,
}

struct Route<H> {
    method: &'static str,
    pattern: &'static str,
    handler: H,
}

pub struct Router<H> {
    routes: Vec<Route<H>>,
}

impl<H> Router<H> {
    pub fn new() -> Self {
        Router { routes: Vec::new() }
    }

    /// Adds a route: `.route("GET", "/notes/{id}", handler)`.
    pub fn route(mut self, method: &'static str, pattern: &'static str, handler: H) -> Self {
        self.routes.push(Route {
            method,
            pattern,
            handler,
        });
        self
    }

    /// Finds the handler for `method` and `path`. HEAD uses the GET handler
    /// of a path that has no HEAD route of its own.
    pub fn find(&self, method: &str, path: &str) -> Match<'_, H> {
        let mut matching: Vec<(&Route<H>, Params)> = self
            .routes
            .iter()
            .filter_map(|route| Some((route, match_path(route.pattern, path)?)))
            .collect();
        if matching.is_empty() {
            return Match::NotFound;
        }

        let position = |wanted: &str| {
            matching
                .iter()
                .position(|(route, _)| route.method == wanted)
        };
        let found = position(method).or_else(|| {
            if method == "HEAD" {
                position("GET")
            } else {
                None
            }
        });
        if let Some(index) = found {
            let (route, params) = matching.swap_remove(index);
            return Match::Found {
                handler: &route.handler,
                params,
            };
        }

        let mut allow: Vec<&'static str> = matching.iter().map(|(route, _)| route.method).collect();
        if allow.contains(&"GET") {
            allow.push("HEAD");
        }
        allow.sort_unstable();
        allow.dedup();
        Match::MethodNotAllowed { allow }
    }
}

impl<H> Default for Router<H> {
    fn default() -> Self {
        Router::new()
    }
}

/// Matches a path against a pattern, segment by segment: `/notes/{id}`
/// matches `/notes/7` with `id = "7"`, but not `/notes`, `/notes/` or
/// `/notes/7/edit`.
pub fn match_path(pattern: &str, path: &str) -> Option<Params> {
    let mut pattern_segments = pattern.split('/');
    let mut path_segments = path.split('/');
    let mut params = Params::default();
    loop {
        match (pattern_segments.next(), path_segments.next()) {
            (None, None) => return Some(params),
            (Some(expected), Some(actual)) => match param_name(expected) {
                Some(name) if !actual.is_empty() => params.insert(name, actual),
                Some(_) => return None,
                None if expected == actual => {}
                None => return None,
            },
            // One has more segments than the other.
            _ => return None,
        }
    }
}

/// `Some("id")` for a pattern segment `{id}`.
fn param_name(segment: &str) -> Option<&str> {
    segment.strip_prefix('{')?.strip_suffix('}')
}

#[cfg(test)]
mod tests {
    use super::{Match, Params, Router, match_path};

    fn params(pairs: &[(&str, &str)]) -> Params {
        let mut params = Params::default();
        for (name, value) in pairs {
            params.insert(name, value);
        }
        params
    }

    fn notes_router() -> Router<&'static str> {
        Router::new()
            .route("GET", "/notes", "list")
            .route("POST", "/notes", "create")
            .route("GET", "/notes/{id}", "read")
            .route("PUT", "/notes/{id}", "replace")
            .route("DELETE", "/notes/{id}", "delete")
    }

    // --- TODO(1): matching a path ---

    #[test]
    fn literal_patterns_match_only_themselves() {
        let message = "TODO(1): match_path compares the path with the pattern";
        assert_eq!(
            match_path("/notes", "/notes"),
            Some(Params::default()),
            "{message}"
        );
        assert_eq!(match_path("/", "/"), Some(Params::default()), "{message}");
        assert_eq!(match_path("/notes", "/notez"), None, "{message}");
        assert_eq!(match_path("/notes", "/notes/"), None, "{message}");
        assert_eq!(match_path("/notes", "/"), None, "{message}");
    }

    #[test]
    fn parameters_capture_one_segment() {
        let message = "TODO(1): `{name}` in a pattern matches one segment";
        assert_eq!(
            match_path("/notes/{id}", "/notes/42"),
            Some(params(&[("id", "42")])),
            "{message}"
        );
        assert_eq!(
            match_path("/users/{user}/notes/{id}", "/users/ada/notes/7"),
            Some(params(&[("user", "ada"), ("id", "7")])),
            "{message}"
        );
        assert_eq!(match_path("/notes/{id}", "/notes"), None, "{message}");
        assert_eq!(match_path("/notes/{id}", "/notes/"), None, "{message}");
        assert_eq!(
            match_path("/notes/{id}", "/notes/7/edit"),
            None,
            "{message}"
        );
    }

    // --- TODO(2): dispatch on the method ---

    #[test]
    fn finds_the_handler_and_its_params() {
        let router = notes_router();
        assert_eq!(
            router.find("GET", "/notes"),
            Match::Found {
                handler: &"list",
                params: Params::default()
            }
        );
        assert_eq!(
            router.find("PUT", "/notes/3"),
            Match::Found {
                handler: &"replace",
                params: params(&[("id", "3")])
            }
        );
        assert_eq!(router.find("GET", "/elsewhere"), Match::NotFound);
    }

    #[test]
    fn a_known_path_with_another_method_is_405_with_allow() {
        let router = notes_router();
        assert_eq!(
            router.find("DELETE", "/notes"),
            Match::MethodNotAllowed {
                allow: vec!["GET", "HEAD", "POST"]
            },
            "TODO(2): the path exists, so 405 and the sorted list of its methods (GET brings HEAD)"
        );
        assert_eq!(
            router.find("PATCH", "/notes/3"),
            Match::MethodNotAllowed {
                allow: vec!["DELETE", "GET", "HEAD", "PUT"]
            }
        );
    }

    // --- TODO(3): HEAD ---

    #[test]
    fn head_uses_the_get_handler() {
        let router = notes_router();
        assert_eq!(
            router.find("HEAD", "/notes/9"),
            Match::Found {
                handler: &"read",
                params: params(&[("id", "9")])
            },
            "TODO(3): HEAD is answered by the GET handler"
        );
    }

    #[test]
    fn an_explicit_head_route_wins() {
        let router = notes_router().route("HEAD", "/notes", "head");
        assert_eq!(
            router.find("HEAD", "/notes"),
            Match::Found {
                handler: &"head",
                params: Params::default()
            }
        );
    }
}
