//! Which route a request is for, and the answer of each route.

use std::io;
use std::path::Path;

use crate::http::{Request, Response};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route<'a> {
    /// `GET /`
    Root,
    /// `GET /echo/{text}`
    Echo(&'a str),
    /// `GET /user-agent`
    UserAgent,
    /// `GET /files/{name}`
    ReadFile(&'a str),
    /// `POST /files/{name}`
    WriteFile(&'a str),
    NotFound,
}

/// The route for a method and a request target (the query is ignored).
pub fn route<'a>(method: &str, target: &'a str) -> Route<'a> {
    let path = target.split_once('?').map_or(target, |(path, _query)| path);
    if method == "GET" && path == "/" {
        return Route::Root;
    }
    // TODO(1): `GET /echo/{text}` is `Route::Echo(text)`: the text is the
    // rest of the path after `/echo/` (`str::strip_prefix`).
    // TODO(2): `GET /user-agent` is `Route::UserAgent`.
    // TODO(3): `GET /files/{name}` is `Route::ReadFile(name)`, and
    // TODO(4): `POST /files/{name}` is `Route::WriteFile(name)`, but only
    // for a name that passes `is_file_name`: anything else is NotFound, or
    // `GET /files/../../etc/passwd` would read outside FILES_DIR.
    Route::NotFound
}

/// A name that stays inside FILES_DIR: no `/`, `\` or `..`, not `.`.
fn is_file_name(name: &str) -> bool {
    !name.is_empty()
        && name != "."
        && !name.contains("..")
        && !name
            .chars()
            .any(|c| c == '/' || c == '\\' || c.is_control())
}

/// The answer to `request`; files live in `files_dir`.
pub async fn handle(request: &Request, files_dir: &Path) -> Response {
    match route(&request.method, &request.target) {
        Route::Root => Response::empty(200),
        // TODO(1): 200, text/plain (`Response::text`), the text as the body.
        Route::Echo(_text) => Response::text(501, "TODO(1): answer with the text"),
        // TODO(2): 200, text/plain, the User-Agent header (`request.header`).
        Route::UserAgent => Response::text(501, "TODO(2): answer with the User-Agent"),
        // TODO(3): read `files_dir.join(name)` (`tokio::fs::read`): 200 with
        // the bytes as `application/octet-stream` (`Response::bytes`); a
        // missing file (`io::ErrorKind::NotFound`) is 404; any other error
        // is `internal_error(error)`.
        Route::ReadFile(_name) => Response::text(501, "TODO(3): answer with the file"),
        // TODO(4): write the request body to `files_dir.join(name)`
        // (`tokio::fs::write`): 201 with no body (`Response::empty`).
        Route::WriteFile(_name) => Response::text(501, "TODO(4): write the file"),
        Route::NotFound => Response::text(404, "not found"),
    }
}

/// Logs the cause; the client learns only that it was not its fault.
fn internal_error(error: io::Error) -> Response {
    eprintln!("file error: {error}");
    Response::text(500, "internal server error")
}

#[cfg(test)]
mod tests {
    use super::{Route, route};

    #[test]
    fn root_and_unknown_paths() {
        assert_eq!(route("GET", "/"), Route::Root);
        assert_eq!(route("GET", "/nope"), Route::NotFound);
        assert_eq!(route("GET", "/echo"), Route::NotFound);
    }

    #[test]
    fn echo_takes_the_rest_of_the_path() {
        let message = "TODO(1): GET /echo/{text} is the echo route";
        assert_eq!(route("GET", "/echo/abc"), Route::Echo("abc"), "{message}");
        assert_eq!(
            route("GET", "/echo/abc?lang=en"),
            Route::Echo("abc"),
            "{message}"
        );
        assert_eq!(route("POST", "/echo/abc"), Route::NotFound);
    }

    #[test]
    fn user_agent() {
        let message = "TODO(2): GET /user-agent is the user-agent route";
        assert_eq!(route("GET", "/user-agent"), Route::UserAgent, "{message}");
    }

    #[test]
    fn files_are_read_with_get_and_written_with_post() {
        assert_eq!(
            route("GET", "/files/notes.txt"),
            Route::ReadFile("notes.txt"),
            "TODO(3): GET /files/{{name}} reads a file"
        );
        assert_eq!(
            route("POST", "/files/notes.txt"),
            Route::WriteFile("notes.txt"),
            "TODO(4): POST /files/{{name}} writes a file"
        );
        assert_eq!(route("PUT", "/files/notes.txt"), Route::NotFound);
    }

    #[test]
    fn file_names_cannot_leave_the_directory() {
        for target in [
            "/files/",
            "/files/.",
            "/files/..",
            "/files/../secret.txt",
            "/files/a/b",
            "/files/..%2Fsecret.txt",
            "/files/a\\b",
        ] {
            assert_eq!(route("GET", target), Route::NotFound, "GET {target}");
            assert_eq!(route("POST", target), Route::NotFound, "POST {target}");
        }
    }
}
