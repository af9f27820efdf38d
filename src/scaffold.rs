//! `serverlings new PART NAME`: a new exercise from templates — stub,
//! solution, check and hints — registered in the part, ready for `lint` and
//! `verify`. The instructor then makes it say what the lesson teaches.

use crate::course::{Course, part};
use std::path::Path;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Kind {
    /// A library and its tests.
    Tests,
    /// A server on a TCP port, probed over HTTP.
    Server,
}

pub struct Created {
    pub files: Vec<String>,
    pub part_file: String,
}

const TESTS_STUB: &str = r#"//! NAME: a function and the tests it must pass.
//! Checked by: `serverlings check NAME` (builds the crate, runs its tests).

/// The answer to everything.
pub fn answer() -> u32 {
    todo!("TODO(1): return 42")
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_answer_is_42() {
        assert_eq!(super::answer(), 42, "TODO(1): answer() returns 42");
    }
}
"#;

const SERVER_STUB: &str = r#"//! NAME: a server that answers `GET /health` with 200 `ok` and anything
//! else with 404.
//! Checked by: `serverlings check NAME` (starts it on the port in $PORT
//! and sends it requests).

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

async fn answer(mut stream: TcpStream) -> std::io::Result<()> {
    let mut buf = vec![0u8; 8192];
    let n = stream.read(&mut buf).await?;
    let request = String::from_utf8_lossy(&buf[..n]);
    let path = request.split_whitespace().nth(1).unwrap_or("/");
    let (status, body) = match path {
        // TODO(1): answer GET /health with 200 and the body `ok`.
        "/health" => ("501 Not Implemented", "TODO(1)"),
        _ => ("404 Not Found", "not found"),
    };
    let response = format!(
        "HTTP/1.1 {status}\r\ncontent-type: text/plain\r\n\
         content-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(response.as_bytes()).await
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let port = std::env::var("PORT").unwrap_or_else(|_| "8080".into());
    let listener = TcpListener::bind(format!("127.0.0.1:{port}")).await?;
    println!("listening on 127.0.0.1:{port}");
    loop {
        let (stream, _) = listener.accept().await?;
        tokio::spawn(answer(stream));
    }
}
"#;

const TESTS_CHECK: &str = r#"# The crate's own tests decide.
[test]
"#;

const SERVER_CHECK: &str = r#"[serve]

[vars]
word = "word"

[[step]]
name = "GET /health answers ok"
hint = "TODO(1) in src/main.rs"
request = { path = "/health" }
expect = { status = 200, body = "ok" }

[[step]]
name = "GET /{word} is 404"
request = { path = "/{word}" }
expect = { status = 404 }

[[step]]
name = "the server is still alive"
request = { path = "/health" }
expect = { status = 200, headers = { content-type = { contains = "text/plain" } } }
"#;

fn write(root: &Path, rel: &str, text: &str, files: &mut Vec<String>) -> Result<(), String> {
    let path = root.join(rel);
    if let Some(p) = path.parent() {
        std::fs::create_dir_all(p).map_err(|e| format!("cannot create {}: {e}", p.display()))?;
    }
    std::fs::write(&path, text).map_err(|e| format!("cannot write {rel}: {e}"))?;
    files.push(rel.to_string());
    Ok(())
}

/// Creates the exercise `id` in the part numbered or named `part_arg`.
pub fn new(
    course: &Course,
    part_arg: &str,
    id: &str,
    kind: Kind,
    title: Option<&str>,
) -> Result<Created, String> {
    let part = course
        .parts
        .iter()
        .find(|p| p.dir == part_arg || part_arg.parse::<u32>().is_ok_and(|n| n == p.number))
        .ok_or_else(|| {
            let known: Vec<String> = course
                .parts
                .iter()
                .map(|p| format!("{} ({})", p.number, p.dir))
                .collect();
            format!(
                "there is no part `{part_arg}`: use one of {}",
                known.join(", ")
            )
        })?;
    if !part::is_valid_id(id) {
        return Err(format!(
            "`{id}` is not a valid exercise id: use lowercase letters, digits and dashes, e.g. \"rate-limiter\""
        ));
    }
    if let Some(other) = course.exercise(id) {
        return Err(format!("`{id}` already exists, in part {}", other.part));
    }
    let root = &course.root;
    let stub_dir = format!("exercises/{}/{id}", part.dir);
    let solution_dir = format!("solutions/{}/{id}", part.dir);
    let check_file = format!("checks/{}/{id}.toml", part.dir);
    for taken in [&stub_dir, &solution_dir, &check_file] {
        if root.join(taken).exists() {
            return Err(format!(
                "{taken} already exists: choose another id, or remove it"
            ));
        }
    }
    let section = part
        .sections
        .iter()
        .rev()
        .find(|s| s.level == 2)
        .or(part.sections.last())
        .map(|s| s.slug.clone())
        .ok_or_else(|| {
            format!(
                "{} has no heading to attach the exercise to: add a `## Section` first",
                part.lesson_file
            )
        })?;
    let (stub, solution, src, check) = match kind {
        Kind::Tests => (
            TESTS_STUB.replace("NAME", id),
            TESTS_STUB.replace("NAME", id).replace("    todo!(\"TODO(1): return 42\")", "    42"),
            "src/lib.rs",
            TESTS_CHECK,
        ),
        Kind::Server => (
            SERVER_STUB.replace("NAME", id),
            SERVER_STUB
                .replace("NAME", id)
                .replace("        // TODO(1): answer GET /health with 200 and the body `ok`.\n        \"/health\" => (\"501 Not Implemented\", \"TODO(1)\"),", "        \"/health\" => (\"200 OK\", \"ok\"),"),
            "src/main.rs",
            SERVER_CHECK,
        ),
    };
    let deps = if kind == Kind::Server {
        "tokio = { workspace = true }\n"
    } else {
        ""
    };
    let manifest = |name: &str| {
        format!(
            "[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2024\"\npublish = false\n\n[dependencies]\n{deps}"
        )
    };
    let mut files = Vec::new();
    // Sources before manifests: a Cargo.toml without sources would stop
    // every cargo command of the workspace until the sources exist.
    write(root, &format!("{stub_dir}/{src}"), &stub, &mut files)?;
    write(
        root,
        &format!("{solution_dir}/{src}"),
        &solution,
        &mut files,
    )?;
    write(
        root,
        &format!("{stub_dir}/Cargo.toml"),
        &manifest(id),
        &mut files,
    )?;
    let mut sol_manifest = manifest(&format!("{id}-solution"));
    if kind == Kind::Tests {
        sol_manifest.push_str(&format!("\n# Same library name as the stub, so files can be copied across.\n[lib]\nname = \"{}\"\n", id.replace('-', "_")));
    }
    write(
        root,
        &format!("{solution_dir}/Cargo.toml"),
        &sol_manifest,
        &mut files,
    )?;
    write(root, &check_file, check, &mut files)?;
    let part_file = format!("lessons/{}/part.toml", part.dir);
    let mut text = std::fs::read_to_string(root.join(&part_file))
        .map_err(|e| format!("cannot read {part_file}: {e}"))?;
    if !text.ends_with('\n') {
        text.push('\n');
    }
    let title = title
        .map(String::from)
        .unwrap_or_else(|| format!("{} (new exercise)", id.replace('-', " ")));
    let hint1 = match kind {
        Kind::Tests => "Start with `cargo test`: the failing test names TODO(1) in src/lib.rs.",
        Kind::Server => {
            "TODO(1) in src/main.rs: the route for /health is there, with the wrong status."
        }
    };
    let hint2 = match kind {
        Kind::Tests => "The function returns a number: replace the todo!() with it.",
        Kind::Server => "Answer (\"200 OK\", \"ok\") for /health; the response is written for you.",
    };
    text.push_str(&format!(
        "\n[[exercises]]\nid = \"{id}\"\ntitle = {}\nsection = \"{section}\"\nhints = [\n  {},\n  {},\n]\n",
        toml_string(&title),
        toml_string(hint1),
        toml_string(hint2)
    ));
    std::fs::write(root.join(&part_file), text)
        .map_err(|e| format!("cannot write {part_file}: {e}"))?;
    Ok(Created { files, part_file })
}

fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}
