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
    // TODO(1): `GET /echo/{text}` is the echo route, with everything of the
    // path after `/echo/` as its text.
    // TODO(2): `GET /user-agent` is the user-agent route.
    // TODO(3) and TODO(4): `GET` and `POST` of `/files/{name}` are the
    // routes that read and write that file, for a name that stays inside
    // FILES_DIR (there is a helper below); any other name is not found, or
    // `GET /files/../../etc/passwd` would read outside it.
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
        // TODO(1): 200, text/plain, the text as the body.
        Route::Echo(_text) => Response::text(501, "TODO(1): answer with the text"),
        // TODO(2): 200, text/plain, the client's User-Agent as the body.
        Route::UserAgent => Response::text(501, "TODO(2): answer with the User-Agent"),
        // TODO(3): 200 with the file's bytes, as application/octet-stream;
        // 404 when there is no such file in files_dir; any other failure is
        // ours, not the client's: 500, with the cause logged (a helper
        // below does both). Read it without blocking the runtime's thread.
        Route::ReadFile(_name) => Response::text(501, "TODO(3): answer with the file"),
        // TODO(4): the request body becomes the file in files_dir (created,
        // or replaced whole): 201 with no body; a failure is a 500 as above.
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
