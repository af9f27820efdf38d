//! `serverlings lint`: everything an instructor can get wrong in the course's
//! content, each with `file:line:col` and what to do.

use serverlings_core::course::{self, Course, lesson, part};
use serverlings_core::diag::Diagnostic;
use std::path::Path;

/// All problems in the course, load errors included.
pub fn lint(root: &Path) -> (Course, Vec<Diagnostic>) {
    let (course, mut problems) = course::load(root);
    for p in &course.parts {
        let part_file = format!("lessons/{}/part.toml", p.dir);
        let Ok(part_text) = std::fs::read_to_string(root.join(&part_file)) else {
            continue;
        };
        let Ok(parsed) = part::parse(&part_file, &part_text) else {
            continue;
        };
        let lesson_text = std::fs::read_to_string(root.join(&p.lesson_file)).unwrap_or_default();
        let outline = lesson::outline(&lesson_text);

        for fence in &outline.fences {
            if fence.lang.is_empty() {
                problems.push(
                    Diagnostic::new(&p.lesson_file, &lesson_text, Some(fence.span.start..fence.span.start + 3), "code fence without a language")
                        .with_help("name the language after the backticks (```rust, ```toml, ```sh, ```text) so it is highlighted"),
                );
            }
        }
        let lesson_dir = root
            .join(&p.lesson_file)
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        for (link, span) in &outline.links {
            let target = link.split('#').next().unwrap_or("");
            if !target.is_empty() && !lesson_dir.join(target).exists() {
                problems.push(
                    Diagnostic::new(
                        &p.lesson_file,
                        &lesson_text,
                        Some(span.clone()),
                        format!("link to a missing file `{target}`"),
                    )
                    .with_help("fix the path (relative to the lesson's folder) or link to a URL"),
                );
            }
        }

        for raw in &parsed.exercises {
            let id = raw.id.get_ref();
            let Some(ex) = p.exercises.iter().find(|e| &e.id == id) else {
                continue;
            };
            let slugs: Vec<&str> = p.sections.iter().map(|s| s.slug.as_str()).collect();
            if !slugs.contains(&raw.section.get_ref().as_str()) {
                let help = match serverlings_core::diag::did_you_mean(
                    raw.section.get_ref(),
                    slugs.iter().copied(),
                ) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!(
                        "use the slug of a heading in {} (lowercase, spaces as dashes)",
                        p.lesson_file
                    ),
                };
                problems.push(
                    Diagnostic::new(
                        &part_file,
                        &part_text,
                        Some(raw.section.span()),
                        format!(
                            "no section `{}` in {}",
                            raw.section.get_ref(),
                            p.lesson_file
                        ),
                    )
                    .with_help(help),
                );
            }
            check_crate(
                root,
                &ex.stub_dir(),
                &ex.stub_package(),
                &part_file,
                &part_text,
                raw.id.span(),
                &mut problems,
            );
            check_crate(
                root,
                &ex.solution_dir(),
                &ex.solution_package(),
                &part_file,
                &part_text,
                raw.id.span(),
                &mut problems,
            );
            match std::fs::read_to_string(root.join(&ex.check_file)) {
                Err(_) => problems.push(
                    Diagnostic::new(&part_file, &part_text, Some(raw.id.span()), format!("exercise `{id}` has no check spec {}", ex.check_file))
                        .with_help("write the check (docs/checks.md), or point `check = \"…\"` at an existing one"),
                ),
                Ok(text) => match serverlings_core::spec::parse(&ex.check_file, &text) {
                    Err(mut ds) => problems.append(&mut ds),
                    Ok(spec) => {
                        let missing: Vec<&str> = spec.services_used().into_iter().filter(|s| !ex.services.iter().any(|d| d == s)).collect();
                        if !missing.is_empty() {
                            let all: Vec<String> = ex.services.iter().cloned().chain(missing.iter().map(|s| s.to_string())).collect();
                            problems.push(
                                Diagnostic::new(&part_file, &part_text, Some(raw.id.span()), format!("the check of `{id}` uses {} but the exercise does not declare it", missing.join(", ")))
                                    .with_help(format!("add services = [{}] to this exercise, so serverlings provides it (and says so when it cannot)", all.iter().map(|s| format!("\"{s}\"")).collect::<Vec<_>>().join(", "))),
                            );
                        }
                        if let Some(serve) = &spec.serve {

                            let bin = match &serve.bin {
                                None => "src/main.rs".to_string(),
                                Some(role) => format!("src/bin/{}-{role}.rs", ex.stub_package()),
                            };
                            for (dir, what) in [(ex.stub_dir(), "stub"), (ex.solution_dir(), "solution")] {
                                if root.join(&dir).is_dir() && !root.join(&dir).join(&bin).is_file() {
                                    problems.push(
                                        Diagnostic::new(&ex.check_file, &text, None, format!("the check starts a server, but the {what} has no {dir}/{bin}"))
                                            .with_help("add the binary to the crate, or remove [serve] from the check"),
                                    );
                                }
                            }
                        }
                    }
                },
            }
        }
    }
    (course, problems)
}

fn check_crate(
    root: &Path,
    dir: &str,
    package: &str,
    part_file: &str,
    part_text: &str,
    span: std::ops::Range<usize>,
    problems: &mut Vec<Diagnostic>,
) {
    let manifest = format!("{dir}/Cargo.toml");
    let Ok(text) = std::fs::read_to_string(root.join(&manifest)) else {
        problems.push(
            Diagnostic::new(
                part_file,
                part_text,
                Some(span),
                format!("missing crate {dir}"),
            )
            .with_help(
                "create it (`serverlings new` scaffolds stub, solution and check), or fix the id",
            ),
        );
        return;
    };
    match toml::from_str::<toml::Table>(&text) {
        Err(e) => problems.push(serverlings_core::diag::from_toml_error(
            &manifest, &text, &e,
        )),
        Ok(t) => {
            let name = t
                .get("package")
                .and_then(|p| p.get("name"))
                .and_then(|n| n.as_str())
                .unwrap_or("");
            if name != package {
                let at = text
                    .find(&format!("\"{name}\""))
                    .map(|i| i..i + name.len() + 2);
                problems.push(
                    Diagnostic::new(
                        &manifest,
                        &text,
                        at,
                        format!("package name `{name}` should be `{package}`"),
                    )
                    .with_help("stubs are named after the exercise id, solutions add `-solution`"),
                );
            }
            if let Some(deps) = t.get("dependencies").and_then(|d| d.as_table()) {
                for (dep, spec) in deps {
                    let shared = spec.get("workspace").and_then(|w| w.as_bool()) == Some(true);
                    let own_features =
                        spec.get("features").is_some() || spec.get("default-features").is_some();
                    if shared && own_features {
                        let at = text
                            .find(&format!("\n{dep}"))
                            .map(|i| i + 1..i + 1 + dep.len());
                        problems.push(
                            Diagnostic::new(&manifest, &text, at, format!("dependency `{dep}` sets its own features"))
                                .with_help("features live in the root Cargo.toml's [workspace.dependencies] only: one feature set means one compilation for the whole course"),
                        );
                    } else if !shared {
                        let at = text
                            .find(&format!("\n{dep}"))
                            .map(|i| i + 1..i + 1 + dep.len());
                        problems.push(
                            Diagnostic::new(&manifest, &text, at, format!("dependency `{dep}` is not taken from the workspace"))
                                .with_help(format!("declare it once in the root Cargo.toml's [workspace.dependencies] and write `{dep} = {{ workspace = true }}` here, so it compiles once for the whole course")),
                        );
                    }
                }
            }
        }
    }
}
