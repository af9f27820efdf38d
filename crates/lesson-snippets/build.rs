//! Turns every Rust fence of every lesson into a module of this crate.
//!
//! A fence's info string says what happens to it:
//! - `rust` — a whole program: compiled, then run by `tests/snippets.rs`
//!   (it must have a `fn main`);
//! - `rust no_run` — compiled only (a server that waits forever, items
//!   without a `main`);
//! - `rust test` — items with `#[test]` functions, run by `cargo test`;
//! - `rust ignore="why"` — neither; the reason is required.
//!
//! `name=some-name` gives a fence the name its expectations use in the
//! part's `snippets.toml`. `continues=some-name` joins a fence to the named
//! fence above it: one program shown in pieces, with prose between them
//! (keeps each block short); the first piece's words say how it is run. Each generated file has the fence's code on the
//! same line numbers as in `lesson.md`, so a compiler error at
//! `NN-slug__K.rs:LINE:COL` is at `lessons/NN-slug/lesson.md:LINE:COL`.
//!
//! `LESSON_SNIPPETS_PARTS=04-,05-` compiles only the parts whose folder
//! starts with one of those prefixes (while one lesson is being written).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

struct Fence {
    part: String,
    index: usize,
    name: Option<String>,
    mode: &'static str,
    line: usize,
    code: String,
    /// Later pieces (`continues=`): their first line and their code.
    more: Vec<(usize, String)>,
}

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap());
    let lessons = manifest.join("../../lessons");
    println!("cargo:rerun-if-changed={}", lessons.display());
    println!("cargo:rerun-if-env-changed=LESSON_SNIPPETS_PARTS");
    let only: Vec<String> = std::env::var("LESSON_SNIPPETS_PARTS")
        .unwrap_or_default()
        .split(',')
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect();
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap());
    let mut parts: Vec<PathBuf> = std::fs::read_dir(&lessons)
        .map(|dir| dir.filter_map(|e| e.ok()).map(|e| e.path()).collect())
        .unwrap_or_default();
    parts.sort();
    let mut fences = Vec::new();
    let mut problems = Vec::new();
    for part in parts.iter().filter(|p| p.join("lesson.md").is_file()) {
        let file = part.join("lesson.md");
        println!("cargo:rerun-if-changed={}", file.display());
        let text = std::fs::read_to_string(&file).unwrap();
        let name = part.file_name().unwrap().to_string_lossy().into_owned();
        if !only.is_empty() && !only.iter().any(|p| name.starts_with(p.as_str())) {
            continue;
        }
        scan(&name, &text, &mut fences, &mut problems);
    }
    if !problems.is_empty() {
        for p in &problems {
            println!("cargo:warning={p}");
        }
        panic!("{}", problems.join("\n"));
    }
    let mut decls = String::new();
    let mut table = String::from("pub const SNIPPETS: &[Snippet] = &[\n");
    let mut dispatch = String::from(
        "pub fn run(id: &str) -> Option<std::process::ExitCode> {\n    use std::process::Termination;\n    match id {\n",
    );
    for (n, f) in fences.iter().enumerate() {
        let module = format!("s{n}");
        let path = out.join(format!("{}__{}.rs", f.part, f.index));
        write_padded(&path, f);
        let id = id_of(f);
        if f.mode == "test" {
            writeln!(decls, "#[cfg(test)]").unwrap();
        }
        writeln!(
            decls,
            "#[allow(dead_code, unused_imports, unused_variables, unexpected_cfgs, clippy::all)]\n#[path = {:?}]\npub mod {module};",
            path.display().to_string()
        )
        .unwrap();
        writeln!(
            table,
            "    Snippet {{ id: {id:?}, part: {:?}, name: {:?}, line: {}, mode: {:?}, lines: {} }},",
            f.part,
            f.name.as_deref().unwrap_or(""),
            f.line,
            f.mode,
            // the longest piece: what a reader sees as one block
            f.more
                .iter()
                .map(|(_, c)| c.lines().count())
                .fold(f.code.lines().count(), usize::max)
        )
        .unwrap();
        if f.mode == "run" {
            writeln!(
                dispatch,
                "        {id:?} => Some({module}::main().report()),"
            )
            .unwrap();
        }
    }
    table.push_str("];\n");
    dispatch.push_str("        _ => None,\n    }\n}\n");
    std::fs::write(out.join("snippets.rs"), decls + &table + &dispatch).unwrap();
}

fn id_of(f: &Fence) -> String {
    match &f.name {
        Some(name) => format!("{}/{name}", f.part),
        None => format!("{}/#{}", f.part, f.index),
    }
}

/// Finds the fences of one lesson; problems name `file:line`.
fn scan(part: &str, text: &str, fences: &mut Vec<Fence>, problems: &mut Vec<String>) {
    let mut lines = text.lines().enumerate();
    let mut index = 0;
    while let Some((at, line)) = lines.next() {
        let Some(info) = line.strip_prefix("```") else {
            continue;
        };
        let info = info.trim();
        let mut code = String::new();
        for (_, body) in lines.by_ref() {
            if body.starts_with("```") {
                break;
            }
            code.push_str(body);
            code.push('\n');
        }
        let lang = info.split([' ', ',']).next().unwrap_or("");
        if lang != "rust" {
            continue;
        }
        index += 1;
        let here = format!("lessons/{part}/lesson.md:{}", at + 1);
        let words = words(&info[lang.len()..]);
        let mut mode = "run";
        let mut name = None;
        let mut continues = None;
        for (key, value) in words {
            match (key.as_str(), value) {
                ("continues", Some(n)) => continues = Some(n),
                ("no_run", None) => mode = "no_run",
                ("test", None) => mode = "test",
                ("ignore", Some(why)) if !why.trim().is_empty() => mode = "ignore",
                ("ignore", _) => problems.push(format!(
                    "{here}: say why the fence is not compiled: ```rust ignore=\"needs …\""
                )),
                ("name", Some(n)) if valid_name(&n) => name = Some(n),
                ("name", _) => problems.push(format!(
                    "{here}: a fence name is lowercase letters, digits and '-': name=timer-lag"
                )),
                (other, _) => problems.push(format!(
                    "{here}: unknown fence word `{other}`; use no_run, test, ignore=\"why\" or name=…"
                )),
            }
        }
        if let Some(of) = continues {
            match fences
                .iter_mut()
                .rev()
                .find(|f| f.part == part && f.name.as_deref() == Some(of.as_str()))
            {
                Some(f) => f.more.push((at + 2, code)),
                None => problems.push(format!(
                    "{here}: `continues={of}` names no fence above it in this lesson: name the first piece ```rust name={of}"
                )),
            }
            continue;
        }
        if mode == "ignore" {
            continue;
        }
        fences.push(Fence {
            part: part.to_string(),
            index,
            name,
            mode,
            line: at + 2,
            code,
            more: Vec::new(),
        });
    }
    for f in fences.iter().filter(|f| f.part == part) {
        let whole = f.more.iter().fold(f.code.clone(), |all, (_, c)| all + c);
        if f.mode == "run" && !has_main(&whole) {
            let here = format!("lessons/{part}/lesson.md:{}", f.line - 1);
            problems.push(format!(
                "{here}: this fence is run, but has no `fn main`: add one, or mark it ```rust no_run (compiled only)"
            ));
        }
    }
    fences.retain(|f| {
        f.part != part
            || f.mode != "run"
            || has_main(&f.more.iter().fold(f.code.clone(), |all, (_, c)| all + c))
    });
}

/// `a b="c d" e=f` → [(a, None), (b, Some("c d")), (e, Some(f))].
fn words(s: &str) -> Vec<(String, Option<String>)> {
    let mut out = Vec::new();
    let mut chars = s.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| *c == ' ' || *c == ',') {
            chars.next();
        }
        if chars.peek().is_none() {
            return out;
        }
        let mut key = String::new();
        while let Some(&c) = chars.peek() {
            if c == ' ' || c == ',' || c == '=' {
                break;
            }
            key.push(c);
            chars.next();
        }
        let mut value = None;
        if chars.peek() == Some(&'=') {
            chars.next();
            let mut v = String::new();
            if chars.peek() == Some(&'"') {
                chars.next();
                for c in chars.by_ref() {
                    if c == '"' {
                        break;
                    }
                    v.push(c);
                }
            } else {
                while let Some(&c) = chars.peek() {
                    if c == ' ' || c == ',' {
                        break;
                    }
                    v.push(c);
                    chars.next();
                }
            }
            value = Some(v);
        }
        out.push((key, value));
    }
}

fn valid_name(n: &str) -> bool {
    !n.is_empty()
        && n.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

fn has_main(code: &str) -> bool {
    code.lines().any(|l| {
        let l = l.trim_start();
        l.starts_with("fn main(") || l.starts_with("async fn main(")
    })
}

/// Writes the fence on its lesson line numbers, with `main` made public so
/// the dispatcher can call it.
fn write_padded(path: &Path, f: &Fence) {
    let mut text = format!(
        "// lessons/{}/lesson.md: this fence starts at line {}; line numbers match the lesson.\n",
        f.part, f.line
    );
    let mut at = 1;
    let pieces = std::iter::once((f.line, &f.code)).chain(f.more.iter().map(|(l, c)| (*l, c)));
    for (start, code) in pieces {
        while at < start - 1 {
            text.push('\n');
            at += 1;
        }
        at += code.lines().count();
        push_code(&mut text, code);
    }
    // Only rewrite when changed, so an unchanged lesson does not recompile.
    if std::fs::read_to_string(path).ok().as_deref() != Some(text.as_str()) {
        std::fs::write(path, text).unwrap();
    }
}

fn push_code(text: &mut String, code: &str) {
    for line in code.lines() {
        if let Some(rest) = line.strip_prefix("fn main(") {
            text.push_str("pub fn main(");
            text.push_str(rest);
        } else if let Some(rest) = line.strip_prefix("async fn main(") {
            text.push_str("pub async fn main(");
            text.push_str(rest);
        } else {
            text.push_str(line);
        }
        text.push('\n');
    }
}
