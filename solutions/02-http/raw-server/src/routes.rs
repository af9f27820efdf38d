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
    if method == "GET" && path == "/user-agent" {
        return Route::UserAgent;
    }
    let echo = path.strip_prefix("/echo/");
    let file = path
        .strip_prefix("/files/")
        .filter(|name| is_file_name(name));
    match (method, echo, file) {
        ("GET", Some(text), _) => Route::Echo(text),
        ("GET", _, Some(name)) => Route::ReadFile(name),
        ("POST", _, Some(name)) => Route::WriteFile(name),
        _ => Route::NotFound,
    }
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
        Route::Echo(text) => Response::text(200, text),
        Route::UserAgent => Response::text(200, request.header("user-agent").unwrap_or_default()),
        Route::ReadFile(name) => match tokio::fs::read(files_dir.join(name)).await {
            Ok(bytes) => Response::bytes(200, "application/octet-stream", bytes),
            Err(error) if error.kind() == io::ErrorKind::NotFound => {
                Response::text(404, "no such file")
            }
            Err(error) => internal_error(error),
        },
        Route::WriteFile(name) => match tokio::fs::write(files_dir.join(name), &request.body).await
        {
            Ok(()) => Response::empty(201),
            Err(error) => internal_error(error),
        },
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
