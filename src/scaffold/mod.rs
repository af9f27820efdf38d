//! `serverlings new PART NAME`: a new exercise from templates — stub,
//! solution, check and hints — registered in the part, ready for `lint` and
//! `verify`. The instructor then makes it say what the lesson teaches.

use serverlings_core::course::{Course, part};
use std::path::Path;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Kind {
    /// A library and its tests.
    Tests,
    /// A server on a TCP port, probed over HTTP.
    Server,
    /// A server that keeps its data in PostgreSQL (sqlx), probed over HTTP
    /// and checked by reading its table.
    Db,
}

/// A dependency an exercise kind needs in `[workspace.dependencies]`, with
/// the line `new` adds when the course does not declare it yet (the same
/// fixed features for every crate, so it compiles once).
struct WorkspaceDep {
    name: &'static str,
    line: &'static str,
}

const TOKIO: WorkspaceDep = WorkspaceDep {
    name: "tokio",
    line: "tokio = { version = \"1.47\", features = [\"full\"] }",
};

const SQLX: WorkspaceDep = WorkspaceDep {
    name: "sqlx",
    line: "sqlx = { version = \"0.9\", default-features = false, features = [\"runtime-tokio\", \"postgres\", \"migrate\"] }",
};

impl Kind {
    fn deps(self) -> &'static [WorkspaceDep] {
        match self {
            Kind::Tests => &[],
            Kind::Server => &[TOKIO],
            Kind::Db => &[TOKIO, SQLX],
        }
    }
}

pub struct Created {
    pub files: Vec<String>,
    pub part_file: String,
    /// Dependencies added to the root Cargo.toml's `[workspace.dependencies]`.
    pub added_deps: Vec<String>,
}

// The templates are files of their own (src/scaffold/templates/), with
// NAME where the exercise's name goes: a stub's main.rs or lib.rs per kind,
// the check spec per kind, and for the db kind the handler a stub leaves as
// TODO(1) and the one its solution has instead.
const TESTS_STUB: &str = include_str!("templates/tests_stub.rs");
const SERVER_STUB: &str = include_str!("templates/server_stub.rs");
const DB_STUB: &str = include_str!("templates/db_stub.rs");
/// What replaces TODO(1) of the db stub in its solution.
const DB_TODO: &str = include_str!("templates/db_todo.rs.part");
const DB_DONE: &str = include_str!("templates/db_done.rs.part");
const DB_CHECK: &str = include_str!("templates/db_check.toml");
const TESTS_CHECK: &str = include_str!("templates/tests_check.toml");
const SERVER_CHECK: &str = include_str!("templates/server_check.toml");

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
            if let Some(q) = course
                .planned
                .iter()
                .find(|q| part_arg.parse::<u32>().is_ok_and(|n| n == q.number))
            {
                return format!(
                    "part {:02} ({}) is planned but not written yet: create lessons/{:02}-<slug>/ with part.toml and lesson.md (docs/authoring.md), then add exercises to it",
                    q.number, q.title, q.number
                );
            }
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
        Kind::Db => (
            DB_STUB.replace("NAME", id),
            DB_STUB.replace("NAME", id).replace(DB_TODO, DB_DONE),
            "src/main.rs",
            DB_CHECK,
        ),
    };
    let manifest_file = root.join("Cargo.toml");
    let manifest_text = std::fs::read_to_string(&manifest_file)
        .map_err(|e| format!("cannot read Cargo.toml at the course root: {e}"))?;
    let (new_manifest, added_deps) = with_workspace_deps(&manifest_text, kind.deps())?;
    let deps: String = kind
        .deps()
        .iter()
        .map(|d| format!("{} = {{ workspace = true }}\n", d.name))
        .collect();
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
    if !added_deps.is_empty() {
        std::fs::write(&manifest_file, new_manifest)
            .map_err(|e| format!("cannot write Cargo.toml: {e}"))?;
    }
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
        Kind::Db => {
            "TODO(1) in src/main.rs: POST /notes answers 501; GET /notes/count shows how a query runs."
        }
    };
    let hint2 = match kind {
        Kind::Tests => "The function returns a number: replace the todo!() with it.",
        Kind::Server => "Answer (\"200 OK\", \"ok\") for /health; the response is written for you.",
        Kind::Db => {
            "sqlx::query_scalar(\"INSERT INTO notes (text) VALUES ($1) RETURNING id\").bind(&body).fetch_one(&db), then (\"201 Created\", id.to_string())."
        }
    };
    let services = if kind == Kind::Db {
        "services = [\"postgres\"]\n"
    } else {
        ""
    };
    text.push_str(&format!(
        "\n[[exercises]]\nid = \"{id}\"\ntitle = {}\nsection = \"{section}\"\n{services}hints = [\n  {},\n  {},\n]\n",
        toml_string(&title),
        toml_string(hint1),
        toml_string(hint2)
    ));
    std::fs::write(root.join(&part_file), text)
        .map_err(|e| format!("cannot write {part_file}: {e}"))?;
    Ok(Created {
        files,
        part_file,
        added_deps,
    })
}

/// The root manifest with `deps` declared in `[workspace.dependencies]`:
/// the ones already there are kept as the course wrote them, the others are
/// added at the end of the table. Returns the names added.
fn with_workspace_deps(
    manifest: &str,
    deps: &[WorkspaceDep],
) -> Result<(String, Vec<String>), String> {
    let doc: toml::Table = toml::from_str(manifest)
        .map_err(|e| format!("Cargo.toml at the course root does not parse: {e}"))?;
    let declared = doc
        .get("workspace")
        .and_then(|w| w.get("dependencies"))
        .and_then(|d| d.as_table());
    let missing: Vec<&WorkspaceDep> = deps
        .iter()
        .filter(|d| !declared.is_some_and(|t| t.contains_key(d.name)))
        .collect();
    if missing.is_empty() {
        return Ok((manifest.to_string(), Vec::new()));
    }
    if doc.get("workspace").is_none() {
        return Err(
            "Cargo.toml at the course root has no [workspace]: the course is one workspace of the runner, exercises and solutions"
                .into(),
        );
    }
    let added = missing.iter().map(|d| d.name.to_string()).collect();
    let mut lines: Vec<&str> = manifest.lines().collect();
    let mut in_table = false;
    let mut last_entry = None;
    // Where the table's last key ends: before the next header, skipping the
    // blank lines and comments that belong to what follows.
    for (i, line) in lines.iter().enumerate() {
        let t = line.trim();
        if t.starts_with('[') {
            in_table = t.split('#').next().unwrap_or("").trim() == "[workspace.dependencies]";
            if in_table {
                last_entry = Some(i);
            }
        } else if in_table && !t.is_empty() && !t.starts_with('#') {
            last_entry = Some(i);
        }
    }
    let new = missing.iter().map(|d| d.line);
    match last_entry {
        Some(i) => drop(lines.splice(i + 1..i + 1, new)),
        None => lines.extend(["", "[workspace.dependencies]"].into_iter().chain(new)),
    }
    let mut out = lines.join("\n");
    out.push('\n');
    Ok((out, added))
}

fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_workspace_deps_are_added_at_the_end_of_their_table() {
        let manifest = "[workspace]\nmembers = [\".\"]\n\n[workspace.dependencies]\n# runtime\ntokio = \"1\"\nserde = { version = \"1\", features = [\n  \"derive\",\n] }\n\n# the runner\n[dependencies]\nclap = \"4\"\n";
        let (out, added) = with_workspace_deps(manifest, Kind::Db.deps()).unwrap();
        assert_eq!(added, ["sqlx"], "tokio is kept as the course wrote it");
        assert!(
            out.contains("] }\nsqlx = { version = \"0.9\""),
            "after the table's last entry: {out}"
        );
        let doc: toml::Table = toml::from_str(&out).unwrap();
        assert!(doc["workspace"]["dependencies"].get("sqlx").is_some());
        assert_eq!(
            doc["workspace"]["dependencies"]["tokio"].as_str(),
            Some("1")
        );
        assert!(doc["dependencies"].get("sqlx").is_none());
        // Nothing to add: the text is left as it is.
        let (same, added) = with_workspace_deps(&out, Kind::Db.deps()).unwrap();
        assert!(added.is_empty());
        assert_eq!(same, out);
    }

    #[test]
    fn a_manifest_without_the_table_gets_one() {
        let (out, added) =
            with_workspace_deps("[workspace]\nmembers = [\".\"]\n", Kind::Server.deps()).unwrap();
        assert_eq!(added, ["tokio"]);
        let doc: toml::Table = toml::from_str(&out).unwrap();
        assert!(doc["workspace"]["dependencies"].get("tokio").is_some());
        assert!(
            with_workspace_deps("[package]\nname = \"x\"\n", Kind::Db.deps())
                .unwrap_err()
                .contains("no [workspace]")
        );
    }
}
