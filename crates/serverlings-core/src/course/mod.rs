//! The course as data: parts (from `lessons/`), their exercises, and where
//! each exercise's stub, solution and check live.
//!
//! `load` reads the files; the parsers it calls (`part::parse`,
//! `lesson::outline`, `check::spec::parse`) are pure.

pub mod lesson;
pub mod part;

use crate::diag::Diagnostic;
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// The file that marks a course root.
pub const COURSE_FILE: &str = "course.toml";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CourseToml {
    title: String,
    /// Oldest rustc the course supports, e.g. "1.85".
    min_rust: String,
    #[serde(default)]
    planned: Vec<PlannedToml>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PlannedToml {
    number: toml::Spanned<u32>,
    title: String,
}

/// A part that `course.toml` announces but `lessons/` does not have yet:
/// the road ahead, shown in the sidebar and in `list`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Planned {
    pub number: u32,
    pub title: String,
}

impl Planned {
    /// `04 A real database`
    pub fn heading(&self) -> String {
        format!("{:02} {}", self.number, self.title)
    }

    /// How `list` and the sidebar name it: `04 A real database · coming`.
    pub fn label(&self) -> String {
        format!("{} · coming", self.heading())
    }
}

/// One line of the course's outline: a written part or a planned one, by
/// index into `Course::parts` or `Course::planned`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entry {
    Part(usize),
    Planned(usize),
}

#[derive(Debug, Clone)]
pub struct Course {
    pub root: PathBuf,
    pub title: String,
    pub min_rust: String,
    pub parts: Vec<Part>,
    /// Announced parts not written yet, by number.
    pub planned: Vec<Planned>,
}

#[derive(Debug, Clone)]
pub struct Part {
    /// Folder name under `lessons/`, e.g. `02-http`.
    pub dir: String,
    pub number: u32,
    pub title: String,
    pub summary: String,
    /// Path of the lesson, relative to the course root.
    pub lesson_file: String,
    pub sections: Vec<lesson::Section>,
    pub exercises: Vec<Exercise>,
}

#[derive(Debug, Clone)]
pub struct Exercise {
    pub id: String,
    pub title: String,
    pub part: String,
    pub section: String,
    pub hints: Vec<String>,
    /// Relative to the course root.
    pub check_file: String,
    pub services: Vec<String>,
}

impl Exercise {
    pub fn stub_dir(&self) -> String {
        format!("exercises/{}/{}", self.part, self.id)
    }
    pub fn solution_dir(&self) -> String {
        format!("solutions/{}/{}", self.part, self.id)
    }
    /// Cargo package name of the stub crate.
    pub fn stub_package(&self) -> String {
        self.id.clone()
    }
    /// Cargo package name of the reference solution.
    pub fn solution_package(&self) -> String {
        format!("{}-solution", self.id)
    }
}

impl Course {
    /// Written and planned parts together, in number order.
    pub fn outline(&self) -> Vec<Entry> {
        let mut out: Vec<(u32, Entry)> = self
            .parts
            .iter()
            .enumerate()
            .map(|(i, p)| (p.number, Entry::Part(i)))
            .chain(
                self.planned
                    .iter()
                    .enumerate()
                    .map(|(j, q)| (q.number, Entry::Planned(j))),
            )
            .collect();
        out.sort_by_key(|(n, _)| *n);
        out.into_iter().map(|(_, e)| e).collect()
    }

    pub fn exercises(&self) -> impl Iterator<Item = &Exercise> {
        self.parts.iter().flat_map(|p| p.exercises.iter())
    }

    pub fn exercise(&self, id: &str) -> Option<&Exercise> {
        self.exercises().find(|e| e.id == id)
    }

    pub fn part_of(&self, ex: &Exercise) -> Option<&Part> {
        self.parts.iter().find(|p| p.dir == ex.part)
    }

    /// Looks an exercise up by id, or says what exists.
    pub fn find(&self, id: &str) -> Result<&Exercise, String> {
        if let Some(e) = self.exercise(id) {
            return Ok(e);
        }
        let ids: Vec<&str> = self.exercises().map(|e| e.id.as_str()).collect();
        let mut msg = format!("there is no exercise `{id}`");
        if let Some(s) = crate::diag::did_you_mean(id, ids.iter().copied()) {
            msg.push_str(&format!(": did you mean `{s}`?"));
        } else {
            msg.push_str(": `serverlings list` shows them all");
        }
        Err(msg)
    }
}

/// Walks up from `start` to the folder holding `course.toml`.
pub fn find_root(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .find(|d| d.join(COURSE_FILE).is_file())
        .map(Path::to_path_buf)
}

/// Splits `02-http` into (2, "http").
fn part_number(dir: &str) -> Option<u32> {
    let (num, rest) = dir.split_once('-')?;
    if num.len() != 2 || rest.is_empty() {
        return None;
    }
    num.parse().ok()
}

fn read(root: &Path, rel: &str) -> Result<String, Diagnostic> {
    std::fs::read_to_string(root.join(rel)).map_err(|e| {
        Diagnostic::file_level(rel, format!("cannot read {rel}: {e}"))
            .with_help("check that the file exists and is UTF-8 text")
    })
}

/// Loads the whole course. Problems are collected, not fatal: the course
/// that could be read comes back with every diagnostic found.
pub fn load(root: &Path) -> (Course, Vec<Diagnostic>) {
    let mut problems = Vec::new();
    let mut course = Course {
        root: root.to_path_buf(),
        title: String::new(),
        min_rust: "1.85".into(),
        parts: vec![],
        planned: vec![],
    };

    let mut planned = Vec::new();
    let mut course_text = String::new();
    match read(root, COURSE_FILE) {
        Ok(text) => match toml::from_str::<CourseToml>(&text) {
            Ok(c) => {
                course.title = c.title;
                course.min_rust = c.min_rust;
                planned = c.planned;
                course_text = text;
            }
            Err(e) => problems.push(crate::diag::from_toml_error(COURSE_FILE, &text, &e)),
        },
        Err(d) => problems.push(d),
    }

    let mut dirs: Vec<String> = match std::fs::read_dir(root.join("lessons")) {
        Ok(rd) => rd
            .filter_map(Result::ok)
            .filter(|e| e.path().is_dir())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect(),
        Err(e) => {
            problems.push(Diagnostic::file_level(
                "lessons",
                format!("cannot read lessons/: {e}"),
            ));
            vec![]
        }
    };
    dirs.sort();

    for dir in dirs {
        let Some(number) = part_number(&dir) else {
            problems.push(
                Diagnostic::file_level(
                    &format!("lessons/{dir}"),
                    format!("`{dir}` is not a part folder name"),
                )
                .with_help("name part folders NN-slug, e.g. `02-http`"),
            );
            continue;
        };
        if let Some(prev) = course.parts.last()
            && prev.number == number
        {
            problems.push(
                Diagnostic::file_level(
                    &format!("lessons/{dir}"),
                    format!(
                        "parts `{}` and `{dir}` share the number {number:02}",
                        prev.dir
                    ),
                )
                .with_help("give every part its own number"),
            );
        }
        let part_file = format!("lessons/{dir}/part.toml");
        let text = match read(root, &part_file) {
            Ok(t) => t,
            Err(d) => {
                problems.push(d.with_help(
                    "every part folder needs a part.toml; see docs/authoring.md".to_string(),
                ));
                continue;
            }
        };
        let parsed = match part::parse(&part_file, &text) {
            Ok(p) => p,
            Err(mut ds) => {
                problems.append(&mut ds);
                continue;
            }
        };
        let lesson_file = format!("lessons/{dir}/{}", parsed.lesson.get_ref());
        let sections = match read(root, &lesson_file) {
            Ok(md) => lesson::outline(&md).sections,
            Err(d) => {
                problems.push(d);
                vec![]
            }
        };
        let exercises = parsed
            .exercises
            .into_iter()
            .map(|e| {
                let check = e
                    .check
                    .map(|c| c.into_inner())
                    .unwrap_or_else(|| e.id.get_ref().clone());
                Exercise {
                    id: e.id.into_inner(),
                    title: e.title,
                    part: dir.clone(),
                    section: e.section.into_inner(),
                    hints: e.hints.into_inner(),
                    check_file: format!("checks/{dir}/{check}.toml"),
                    services: e.services.into_inner(),
                }
            })
            .collect();
        course.parts.push(Part {
            dir: dir.clone(),
            number,
            title: parsed.title.into_inner(),
            summary: parsed.summary,
            lesson_file,
            sections,
            exercises,
        });
    }

    // Announced parts: one entry a number, none for a part that is written.
    for p in planned {
        let number = *p.number.get_ref();
        let at = |message: String, help: &str| {
            Diagnostic::new(COURSE_FILE, &course_text, Some(p.number.span()), message)
                .with_help(help)
        };
        if let Some(written) = course.parts.iter().find(|w| w.number == number) {
            problems.push(at(
                format!(
                    "part {number:02} is announced as planned, but lessons/{} is written",
                    written.dir
                ),
                "remove this [[planned]] entry: the part is in the course now",
            ));
        } else if course.planned.iter().any(|q| q.number == number) {
            problems.push(at(
                format!("part {number:02} is announced twice"),
                "keep one [[planned]] entry for each part number",
            ));
        } else {
            course.planned.push(Planned {
                number,
                title: p.title,
            });
        }
    }
    course.planned.sort_by_key(|p| p.number);

    // Ids are unique across the whole course: they are crate names.
    let mut seen = std::collections::HashMap::new();
    for ex in course.exercises() {
        if let Some(other) = seen.insert(ex.id.clone(), ex.part.clone()) {
            problems.push(
                Diagnostic::file_level(
                    &format!("lessons/{}/part.toml", ex.part),
                    format!("exercise id `{}` is also used in part {other}", ex.id),
                )
                .with_help("exercise ids are crate names and must be unique in the course"),
            );
        }
    }
    (course, problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn part_folder_names() {
        assert_eq!(part_number("02-http"), Some(2));
        assert_eq!(part_number("2-http"), None);
        assert_eq!(part_number("02-"), None);
        assert_eq!(part_number("http"), None);
    }
}
