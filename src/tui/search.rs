//! `/`: search exercises (id and title) and the text of every lesson.
//! Pure: the results are a function of the query and the content.

use serverlings_core::course::Course;

/// At most this many results are listed.
const LIMIT: usize = 200;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Hit {
    Exercise {
        id: String,
        title: String,
    },
    /// A line of a lesson: its part, byte offset in the markdown, the
    /// section it is in and the line itself.
    Lesson {
        part: usize,
        offset: usize,
        section: String,
        line: String,
    },
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Search {
    pub query: String,
    pub hits: Vec<Hit>,
    pub selected: usize,
}

impl Search {
    pub fn update(&mut self, course: &Course, lessons: &[String]) {
        self.hits = find(course, lessons, &self.query);
        self.selected = 0;
    }
}

pub fn find(course: &Course, lessons: &[String], query: &str) -> Vec<Hit> {
    let q = query.trim().to_lowercase();
    if q.is_empty() {
        return vec![];
    }
    let mut hits: Vec<Hit> = course
        .exercises()
        .filter(|e| e.id.to_lowercase().contains(&q) || e.title.to_lowercase().contains(&q))
        .map(|e| Hit::Exercise {
            id: e.id.clone(),
            title: e.title.clone(),
        })
        .collect();
    for (part, text) in lessons.iter().enumerate() {
        let mut section = String::new();
        let mut offset = 0;
        let mut in_fence = false;
        for line in text.split_inclusive('\n') {
            let trimmed = line.trim_end();
            if trimmed.trim_start().starts_with("```") {
                in_fence = !in_fence;
            } else if !in_fence && trimmed.starts_with('#') {
                section = trimmed.trim_start_matches('#').trim().to_string();
            }
            if trimmed.to_lowercase().contains(&q) {
                hits.push(Hit::Lesson {
                    part,
                    offset,
                    section: section.clone(),
                    line: trimmed.trim().to_string(),
                });
                if hits.len() >= LIMIT {
                    return hits;
                }
            }
            offset += line.len();
        }
    }
    hits
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_exercises_then_lesson_lines_with_their_section() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/course");
        let (course, _) = serverlings_core::course::load(&root);
        let lessons =
            vec!["# Fixtures\n\n## Servers\n\nFixture servers that misbehave.\n".to_string()];
        let hits = find(&course, &lessons, "WRONG");
        assert_eq!(
            hits,
            [Hit::Exercise {
                id: "fx-wrong".into(),
                title: "Fixture fx-wrong".into()
            }]
        );
        let hits = find(&course, &lessons, "misbehave");
        assert_eq!(
            hits,
            [Hit::Lesson {
                part: 0,
                offset: lessons[0].find("Fixture servers").unwrap(),
                section: "Servers".into(),
                line: "Fixture servers that misbehave.".into()
            }]
        );
        assert!(find(&course, &lessons, "  ").is_empty());
    }
}
