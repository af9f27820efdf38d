//! Snapshots of the main screens with ratatui's `TestBackend`, at 80×24
//! and 120×40. Ports, temporary paths and durations are filtered, so a
//! snapshot changes only when the screen does.

use crate::tui::action::{Action, Content, Key};
use crate::tui::app::{App, Focus, Mode, Settings, Tone};
use crate::tui::highlight::test_highlighter;
use crate::tui::update::update;
use crate::tui::view::draw;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use serverlings_core::course::{Course, Exercise, Part};
use serverlings_core::outcome::{CheckReport, Failure, Phase, StepReport, StepStatus, Target};
use serverlings_runner::progress::{Progress, State};
use std::time::Duration;

pub const LESSON: &str = "# Fixtures

Servers that behave, and servers that do not. Each one is a crate under
`exercises/01-fixtures/`; the checker **builds** it, *starts* it and probes it.

## Servers

A server reads `PORT` from its environment and binds the loopback address:

```rust
fn main() {
    let port: u16 = std::env::var(\"PORT\").unwrap().parse().unwrap();
    let listener = std::net::TcpListener::bind((\"127.0.0.1\", port)).unwrap();
    println!(\"listening on {port}\");
}
```

| Method | Safe | Idempotent | Typical use |
| --- | --- | --- | --- |
| `GET`, `HEAD` | yes | yes | read a resource |
| `POST` | no | no | create in a collection, run an action |

> **In Node.js** `server.listen(process.env.PORT)` is the same binding.

1. Read the request line.
2. Answer with a status line, headers and a body.
   - keep the connection open unless told otherwise

See [RFC 9112](https://www.rfc-editor.org/rfc/rfc9112) for the details.
";

fn exercise(part: &str, id: &str, title: &str, section: &str) -> Exercise {
    Exercise {
        id: id.into(),
        title: title.into(),
        part: part.into(),
        section: section.into(),
        hints: vec![
            format!("Where to look: the TODO in exercises/{part}/{id}/src/main.rs."),
            "How: answer 200 with the body `ok` for GET /.".into(),
        ],
        check_file: format!("checks/{part}/{id}.toml"),
        services: vec![],
    }
}

/// A small course of its own (so fixture changes never move a snapshot),
/// a known lesson, and some progress.
pub fn course() -> Course {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/course");
    let p1 = "01-fixtures";
    let p2 = "02-framework";
    Course {
        root,
        title: "Fixture course".into(),
        min_rust: "1.85".into(),
        planned: vec![serverlings_core::course::Planned {
            number: 3,
            title: "Being written".into(),
        }],
        parts: vec![
            Part {
                dir: p1.into(),
                number: 1,
                title: "Fixture servers".into(),
                summary: String::new(),
                lesson_file: format!("lessons/{p1}/lesson.md"),
                sections: vec![],
                exercises: vec![
                    exercise(p1, "fx-good", "A server that behaves", "servers"),
                    exercise(p1, "fx-exits", "A server that exits", "servers"),
                    exercise(p1, "fx-wrong", "Answer GET / with ok", "servers"),
                    exercise(p1, "fx-serial", "One connection at a time", "servers"),
                ],
            },
            Part {
                dir: p2.into(),
                number: 2,
                title: "A framework".into(),
                summary: String::new(),
                lesson_file: format!("lessons/{p2}/lesson.md"),
                sections: vec![],
                exercises: vec![
                    exercise(p2, "hello-axum", "Hello, axum", "a-framework"),
                    exercise(p2, "extractors", "Extractors", "a-framework"),
                ],
            },
        ],
    }
}

pub fn app(size: (u16, u16)) -> App {
    let lessons = vec![LESSON.to_string(), "# A framework\n\nAxum.\n".to_string()];
    let mut progress = Progress {
        current: Some("fx-wrong".into()),
        ..Progress::default()
    };
    progress.entry("fx-good").state = State::Done;
    progress.entry("fx-exits").state = State::Failed;
    let settings = Settings {
        mode: Mode::Watch,
        hyperlinks: false,
        colour: true,
    };
    let mut app = App::new(
        Content {
            course: course(),
            problems: vec![],
            lessons,
        },
        progress,
        size,
        settings,
    );
    app.hl.set_highlighter(test_highlighter());
    app.render_lesson();
    app
}

pub fn screen(app: &App) -> String {
    let mut t = Terminal::new(TestBackend::new(app.size.0, app.size.1)).unwrap();
    t.draw(|f| draw(app, f)).unwrap();
    let text = t.backend().to_string();
    let filters = [
        (r"127\.0\.0\.1:\d+", "127.0.0.1:[port]"),
        (r"/tmp/[^\s│]+", "[tmp]"),
        (r"\b\d+(\.\d+)?(µs|ms|s)\b", "[dur]"),
    ];
    filters.iter().fold(text, |t, (re, with)| {
        regex::Regex::new(re)
            .unwrap()
            .replace_all(&t, *with)
            .into_owned()
    })
}

fn step(name: &str, phase: Phase, status: StepStatus, notes: &[&str]) -> StepReport {
    StepReport {
        name: name.into(),
        phase,
        status,
        duration: Duration::from_millis(12),
        notes: notes.iter().map(|n| n.to_string()).collect(),
    }
}

fn finished(app: &mut App, steps: Vec<StepReport>) {
    let fx = update(app, Action::Key(Key::Char('c')));
    let run = match &fx[0] {
        crate::tui::action::Effect::StartCheck { run, .. } => *run,
        other => panic!("{other:?}"),
    };
    let report = CheckReport {
        exercise: "fx-wrong".into(),
        target: Target::Exercise,
        seed: 42,
        steps,
        duration: Duration::from_millis(1500),
        cancelled: false,
    };
    update(
        app,
        Action::CheckDone {
            run,
            result: Ok(report),
        },
    );
}

pub fn failing(app: &mut App) {
    let failure = Failure::new("status 404 Not Found, expected 200")
        .expected("200", "404")
        .hint("look at the route for / in src/main.rs")
        .detail("the server's last output:")
        .detail("listening on 40123");
    let f = Failure {
        curl: Some("curl -i http://127.0.0.1:40123/".into()),
        ..failure
    };
    finished(
        app,
        vec![
            step(
                "build",
                Phase::Build,
                StepStatus::Passed,
                &["1 unit compiled, 0 fresh"],
            ),
            step(
                "start the server",
                Phase::Serve,
                StepStatus::Passed,
                &["ready on 127.0.0.1:40123 after 3ms"],
            ),
            step("GET / answers ok", Phase::Probe, StepStatus::Failed(f), &[]),
            step(
                "GET /echo/kqzvwmtr echoes",
                Phase::Probe,
                StepStatus::Skipped,
                &[],
            ),
            step(
                "unknown path is 404",
                Phase::Probe,
                StepStatus::Skipped,
                &[],
            ),
        ],
    );
}

pub fn passing(app: &mut App) {
    finished(
        app,
        vec![
            step(
                "build",
                Phase::Build,
                StepStatus::Passed,
                &["1 unit compiled, 0 fresh"],
            ),
            step(
                "start the server",
                Phase::Serve,
                StepStatus::Passed,
                &["ready on 127.0.0.1:40123 after 3ms"],
            ),
            step("GET / answers ok", Phase::Probe, StepStatus::Passed, &[]),
            step(
                "GET /echo/kqzvwmtr echoes",
                Phase::Probe,
                StepStatus::Passed,
                &[],
            ),
            step("unknown path is 404", Phase::Probe, StepStatus::Passed, &[]),
        ],
    );
}

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];

fn snap(name: &str, app: &App) {
    let name = format!("{name}_{}x{}", app.size.0, app.size.1);
    insta::with_settings!({ snapshot_path => "../snapshots", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!(name, screen(app));
    });
}

#[test]
fn lesson_with_code_and_table() {
    for size in SIZES {
        let mut app = app(size);
        // From the code block on: the code and the table are on screen.
        let r = app.lesson.rendered.as_ref().unwrap();
        let code = r
            .lines
            .iter()
            .position(|l| l.to_string().contains("╭─ rust"))
            .unwrap();
        app.lesson.scroll = if size.1 < 30 { code } else { 0 };
        snap("lesson", &app);
    }
}

#[test]
fn code_fences_are_coloured() {
    let app = app((120, 40));
    let mut t = Terminal::new(TestBackend::new(120, 40)).unwrap();
    t.draw(|f| draw(&app, f)).unwrap();
    let buf = t.backend().buffer();
    let row = (0..40)
        .find(|&y| {
            (0..120)
                .map(|x| buf[(x, y)].symbol())
                .collect::<String>()
                .contains("fn main()")
        })
        .expect("the code block is on screen");
    let colours: std::collections::HashSet<_> = (0..120).map(|x| buf[(x, row)].fg).collect();
    assert!(
        colours.len() > 2,
        "one colour for all of `fn main()`: {colours:?}"
    );
}

#[test]
fn sidebar_in_focus() {
    for size in SIZES {
        let mut app = app(size);
        update(&mut app, Action::Key(Key::Tab));
        update(&mut app, Action::Key(Key::BackTab));
        update(&mut app, Action::Key(Key::BackTab));
        assert_eq!(app.focus, Focus::Sidebar);
        update(&mut app, Action::Key(Key::Char('j')));
        snap("sidebar", &app);
    }
}

#[test]
fn failing_check() {
    for size in SIZES {
        let mut app = app(size);
        failing(&mut app);
        snap("failing_check", &app);
    }
}

#[test]
fn passing_check() {
    for size in SIZES {
        let mut app = app(size);
        passing(&mut app);
        assert!(matches!(app.message, Some((_, Tone::Good))));
        snap("passing_check", &app);
    }
}

#[test]
fn help_overlay() {
    for size in SIZES {
        let mut app = app(size);
        update(&mut app, Action::Key(Key::Char('?')));
        snap("help", &app);
    }
}

#[test]
fn too_small_window() {
    let mut app = app((80, 24));
    update(&mut app, Action::Resize(50, 12));
    let text = screen(&app);
    insta::with_settings!({ snapshot_path => "../snapshots", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!("too_small_50x12", text);
    });
    for (w, h) in [(1, 1), (59, 40), (200, 15), (2, 60)] {
        update(&mut app, Action::Resize(w, h));
        screen(&app);
    }
}

#[test]
fn smallest_usable_window_shows_every_pane() {
    let mut app = app((60, 16));
    failing(&mut app);
    let text = screen(&app);
    assert!(text.contains("Check · fx-wrong"), "{text}");
    assert!(text.contains("01 · Fixture servers"), "{text}");
    assert!(!text.contains("too small"), "{text}");
}

#[test]
fn no_color_keeps_the_screen_without_colours() {
    let mut app = app((80, 24));
    app.colour = false;
    failing(&mut app);
    let mut t = Terminal::new(TestBackend::new(80, 24)).unwrap();
    t.draw(|f| draw(&app, f)).unwrap();
    let buf = t.backend().buffer();
    assert!(
        buf.content
            .iter()
            .all(|c| c.fg == ratatui::style::Color::Reset && c.bg == ratatui::style::Color::Reset)
    );
}
