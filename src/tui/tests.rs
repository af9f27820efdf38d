//! Unit tests of `update`: what each action does to the state and which
//! effects it asks for. No terminal, no files written.

use crate::tui::action::{Action, CheckError, Content, Effect, Key};
use crate::tui::app::{App, Focus, Mode, Overlay};
use crate::tui::update::update;
use crate::tui::view::tests::{app, failing, passing};
use serverlings_core::outcome::{CheckReport, Event, Phase, Target};
use serverlings_runner::progress::State;
use std::time::Duration;

fn key(app: &mut App, k: Key) -> Vec<Effect> {
    update(app, Action::Key(k))
}

fn keys(app: &mut App, s: &str) -> Vec<Effect> {
    s.chars().flat_map(|c| key(app, Key::Char(c))).collect()
}

fn stub_dir(app: &App, id: &str) -> std::path::PathBuf {
    let ex = app.course.exercise(id).unwrap();
    app.course.root.join(ex.stub_dir())
}

fn started(fx: &[Effect]) -> u64 {
    fx.iter()
        .find_map(|e| match e {
            Effect::StartCheck { run, .. } => Some(*run),
            _ => None,
        })
        .expect("a check starts")
}

fn report(id: &str, cancelled: bool) -> CheckReport {
    CheckReport {
        exercise: id.into(),
        target: Target::Exercise,
        seed: 1,
        steps: vec![],
        duration: Duration::ZERO,
        cancelled,
    }
}

#[test]
fn opens_at_the_current_exercise_and_its_section() {
    let app = app((120, 40));
    assert_eq!(app.opened.as_deref(), Some("fx-wrong"));
    let r = app.lesson.rendered.as_ref().unwrap();
    assert_eq!(
        app.lesson.scroll.min(app.lesson_max_scroll()),
        r.line_of_section("servers")
            .unwrap()
            .min(app.lesson_max_scroll())
    );
}

#[test]
fn a_save_in_the_opened_exercise_runs_its_check_other_saves_do_not() {
    let mut app = app((80, 24));
    let other = stub_dir(&app, "fx-good");
    assert!(update(&mut app, Action::ExerciseChanged(other)).is_empty());
    let dir = stub_dir(&app, "fx-wrong");
    let fx = update(&mut app, Action::ExerciseChanged(dir.clone()));
    assert_eq!(
        fx,
        [Effect::StartCheck {
            run: 1,
            exercise: "fx-wrong".into()
        }]
    );
    assert!(app.is_running("fx-wrong"));

    let mut manual = crate::tui::view::tests::app((80, 24));
    manual.mode = Mode::Manual;
    assert!(update(&mut manual, Action::ExerciseChanged(dir)).is_empty());
    assert_eq!(started(&key(&mut manual, Key::Char('c'))), 1);
}

#[test]
fn a_save_during_a_check_cancels_it_and_checks_again_once_it_stopped() {
    let mut app = app((80, 24));
    let dir = stub_dir(&app, "fx-wrong");
    let first = started(&update(&mut app, Action::ExerciseChanged(dir.clone())));
    update(
        &mut app,
        Action::CheckEvent {
            run: first,
            event: Event::StepStarted {
                name: "build".into(),
                phase: Phase::Build,
            },
        },
    );
    let fx = update(&mut app, Action::ExerciseChanged(dir.clone()));
    assert_eq!(fx, [Effect::CancelCheck]);
    // A second save while cancelling does not cancel twice.
    assert!(update(&mut app, Action::ExerciseChanged(dir)).is_empty());
    assert!(app.checks["fx-wrong"].restarting);
    let fx = update(
        &mut app,
        Action::CheckDone {
            run: first,
            result: Ok(report("fx-wrong", true)),
        },
    );
    let second = started(&fx);
    assert!(second > first);
    assert!(
        !fx.contains(&Effect::SaveProgress),
        "a cancelled run records nothing"
    );
    assert_eq!(app.progress.state("fx-wrong"), State::Pending);
    // Late events of the cancelled run are ignored.
    update(
        &mut app,
        Action::CheckEvent {
            run: first,
            event: Event::StepStarted {
                name: "stale".into(),
                phase: Phase::Build,
            },
        },
    );
    assert!(app.checks["fx-wrong"].current.is_none());
}

#[test]
fn a_pass_records_progress_like_the_cli_and_unlocks_the_solution() {
    let mut app = app((80, 24));
    let fx = key(&mut app, Key::Char('s'));
    assert!(fx.is_empty(), "no solution before a pass");
    assert!(
        app.message
            .as_ref()
            .unwrap()
            .0
            .contains("opens once your copy passes")
    );
    passing(&mut app);
    assert_eq!(app.progress.state("fx-wrong"), State::Done);
    assert_eq!(
        app.progress.current.as_deref(),
        Some("fx-serial"),
        "the next one not done"
    );
    assert_eq!(app.opened.as_deref(), Some("fx-wrong"), "no auto-advance");
    let msg = &app.message.as_ref().unwrap().0;
    assert!(msg.contains("s:") && msg.contains("n:"), "{msg}");
    let fx = key(&mut app, Key::Char('s'));
    assert_eq!(
        fx,
        [Effect::LoadSolution {
            exercise: "fx-wrong".into()
        }]
    );
    update(
        &mut app,
        Action::SolutionLoaded {
            exercise: "fx-wrong".into(),
            result: Ok("```rust\nfn main() {}\n```\n".into()),
        },
    );
    assert!(matches!(
        &app.overlay,
        Some(Overlay::Solution {
            rendered: Some(_),
            ..
        })
    ));
    key(&mut app, Key::Esc);
    assert!(app.overlay.is_none());
    let fx = key(&mut app, Key::Char('n'));
    assert_eq!(app.opened.as_deref(), Some("fx-serial"));
    assert!(fx.contains(&Effect::Watch(stub_dir(&app, "fx-serial"))));
    key(&mut app, Key::Char('n'));
    assert_eq!(app.opened.as_deref(), Some("hello-axum"));
    assert_eq!(app.lesson.part, 1, "the next part's lesson");
}

#[test]
fn a_failure_records_progress_and_scrolls_to_it() {
    let mut app = app((80, 24));
    failing(&mut app);
    assert_eq!(app.progress.state("fx-wrong"), State::Failed);
    assert_eq!(app.progress.current.as_deref(), Some("fx-wrong"));
    assert_eq!(app.check_scroll, 2, "the failed step is the third line");
}

#[test]
fn an_infrastructure_error_is_shown_not_recorded() {
    let mut app = app((80, 24));
    let run = started(&key(&mut app, Key::Char('c')));
    let fx = update(
        &mut app,
        Action::CheckDone {
            run,
            result: Err(CheckError::Machine("cannot run cargo".into())),
        },
    );
    assert!(fx.is_empty());
    assert_eq!(
        app.checks["fx-wrong"].error,
        Some(CheckError::Machine("cannot run cargo".into()))
    );
    assert!(app.running.is_none());
    // The pane says whose problem it is and where to look, not just "error".
    let shown = crate::tui::view::tests::screen(&app);
    assert!(shown.contains("needs setup"), "{shown}");
    assert!(shown.contains("this machine is not ready"), "{shown}");
    assert!(shown.contains("serverlings doctor"), "{shown}");
}

#[test]
fn a_broken_check_spec_is_the_course_s_problem() {
    let mut app = app((100, 30));
    let run = started(&key(&mut app, Key::Char('c')));
    update(
        &mut app,
        Action::CheckDone {
            run,
            result: Err(CheckError::Content(
                "checks/01/fx-wrong.toml:3:1: unknown key `stpe`".into(),
            )),
        },
    );
    let shown = crate::tui::view::tests::screen(&app);
    assert!(shown.contains("content error"), "{shown}");
    assert!(shown.contains("the course has a problem"), "{shown}");
    assert!(shown.contains("serverlings lint"), "{shown}");
    assert!(!shown.contains("doctor"), "{shown}");
}

#[test]
fn hints_one_at_a_time_and_remembered() {
    let mut app = app((80, 24));
    let fx = key(&mut app, Key::Char('h'));
    assert_eq!(fx, [Effect::SaveProgress]);
    assert_eq!(app.progress.hints_shown("fx-wrong"), 1);
    assert!(matches!(app.overlay, Some(Overlay::Hints { .. })));
    key(&mut app, Key::Char('h'));
    assert_eq!(app.progress.hints_shown("fx-wrong"), 2);
    assert!(
        key(&mut app, Key::Char('h')).is_empty(),
        "no more hints: nothing to save"
    );
    assert_eq!(app.progress.hints_shown("fx-wrong"), 2);
    key(&mut app, Key::Esc);
    assert!(app.overlay.is_none());
}

#[test]
fn reset_asks_first() {
    let mut app = app((80, 24));
    assert!(key(&mut app, Key::Char('r')).is_empty());
    assert!(key(&mut app, Key::Char('n')).is_empty());
    assert!(app.overlay.is_none());
    key(&mut app, Key::Char('r'));
    assert_eq!(
        key(&mut app, Key::Char('y')),
        [Effect::Reset {
            exercise: "fx-wrong".into()
        }]
    );
    failing(&mut app);
    let fx = update(
        &mut app,
        Action::ResetDone {
            exercise: "fx-wrong".into(),
            result: Ok((vec!["src/main.rs".into()], None)),
        },
    );
    assert_eq!(fx, [Effect::SaveProgress]);
    assert_eq!(app.progress.state("fx-wrong"), State::Pending);
    assert!(!app.checks.contains_key("fx-wrong"));
}

#[test]
fn focus_moves_and_keys_scroll_the_pane_in_focus() {
    let mut app = app((80, 24));
    assert_eq!(app.focus, Focus::Lesson);
    key(&mut app, Key::Char('g'));
    assert_eq!(app.lesson.scroll, 0);
    key(&mut app, Key::Char('j'));
    assert_eq!(app.lesson.scroll, 1);
    key(&mut app, Key::Char('G'));
    assert_eq!(app.lesson.scroll, app.lesson_max_scroll());
    assert!(app.lesson.scroll > 0);
    key(&mut app, Key::Tab);
    assert_eq!(app.focus, Focus::Check);
    key(&mut app, Key::Tab);
    assert_eq!(app.focus, Focus::Sidebar);
    key(&mut app, Key::Char('k'));
    assert_eq!(app.cursor.as_deref(), Some("fx-exits"));
    let fx = key(&mut app, Key::Enter);
    assert_eq!(app.opened.as_deref(), Some("fx-exits"));
    assert_eq!(app.focus, Focus::Lesson);
    assert!(
        fx.contains(&Effect::SaveProgress),
        "the current exercise is remembered"
    );
}

#[test]
fn the_wheel_scrolls_the_pane_under_the_pointer() {
    let mut app = app((80, 24));
    failing(&mut app);
    app.check_scroll = 0;
    let lesson_before = app.lesson.scroll;
    let a = crate::tui::view::layout::areas(app.size, app.focus);
    update(
        &mut app,
        Action::Scroll {
            up: false,
            col: a.check.x + 5,
            row: a.check.y + 2,
        },
    );
    assert_eq!(app.lesson.scroll, lesson_before, "the lesson did not move");
    assert_eq!(app.check_scroll, 3, "the check pane did");
    update(
        &mut app,
        Action::Scroll {
            up: true,
            col: a.lesson.x + 5,
            row: a.lesson.y + 2,
        },
    );
    assert_eq!(app.lesson.scroll, lesson_before.saturating_sub(3));
    assert_eq!(app.check_scroll, 3);
}

#[test]
fn search_finds_and_opens_an_exercise() {
    let mut app = app((80, 24));
    key(&mut app, Key::Char('/'));
    keys(&mut app, "axum");
    let fx = key(&mut app, Key::Enter);
    assert_eq!(app.opened.as_deref(), Some("hello-axum"));
    assert!(fx.contains(&Effect::SaveProgress));
    key(&mut app, Key::Char('/'));
    keys(&mut app, "idempotent");
    key(&mut app, Key::Enter);
    let r = app.lesson.rendered.as_ref().unwrap();
    let line: String = r.lines[app.lesson.scroll]
        .spans
        .iter()
        .map(|s| s.content.as_ref())
        .collect();
    assert!(
        line.contains("Idempotent") || app.lesson.scroll == app.lesson_max_scroll(),
        "{line}"
    );
}

#[test]
fn quitting_cancels_a_running_check() {
    let mut app = app((80, 24));
    assert!(key(&mut app, Key::Char('q')).is_empty());
    assert!(app.quitting);
    let mut app = crate::tui::view::tests::app((80, 24));
    key(&mut app, Key::Char('c'));
    assert_eq!(update(&mut app, Action::Quit), [Effect::CancelCheck]);
    assert!(app.quitting);
}

#[test]
fn resizing_rewraps_the_lesson() {
    let mut app = app((120, 40));
    let top =
        |app: &App| app.lesson.rendered.as_ref().unwrap().lines[app.lesson.scroll].to_string();
    let wide = app.lesson.rendered.as_ref().unwrap().lines.len();
    let table = (0..wide).find(|&i| {
        app.lesson.scroll = i;
        top(&app).contains("Idempotent")
    });
    app.lesson.scroll = table.unwrap();
    update(&mut app, Action::Resize(70, 20));
    let r = app.lesson.rendered.as_ref().unwrap();
    assert!(r.lines.len() > wide);
    assert!(r.lines.iter().all(|l| l.width() <= app.lesson_width()));
    assert!(
        top(&app).contains("Idempotent"),
        "the reader keeps their place: {}",
        top(&app)
    );
    // Moving the focus never re-wraps (the sidebar is a drawer here).
    let before = app.lesson.key;
    update(&mut app, Action::Key(Key::Tab));
    update(&mut app, Action::Key(Key::Tab));
    assert_eq!(app.focus, Focus::Sidebar);
    assert_eq!(app.lesson.key, before);
}

#[test]
fn edited_content_redraws_and_errors_show_inline() {
    let mut app = app((80, 24));
    let bad = "title = \"x\"\nsummry = \"typo\"\n";
    let content = Content {
        course: crate::tui::view::tests::course(),
        problems: vec![serverlings_core::diag::Diagnostic::new(
            "lessons/01-fixtures/part.toml",
            bad,
            Some(12..18),
            "unknown key `summry`",
        )],
        lessons: vec![
            "# Changed\n\n## Servers\n\nNew text.\n".into(),
            String::new(),
        ],
    };
    update(&mut app, Action::ContentLoaded(Box::new(content)));
    let text = crate::tui::view::tests::screen(&app);
    assert!(text.contains("lessons/01-fixtures/part.toml:2:1"), "{text}");
    assert!(text.contains("New text."), "{text}");
    assert_eq!(app.opened.as_deref(), Some("fx-wrong"));
}

#[test]
fn a_part_that_stops_reading_keeps_its_last_good_version() {
    let mut app = app((80, 24));
    let mut course = crate::tui::view::tests::course();
    course.parts.truncate(1);
    let content = Content {
        course,
        problems: vec![serverlings_core::diag::Diagnostic::file_level(
            "lessons/02-framework/part.toml",
            "unknown key `titel`",
        )],
        lessons: vec!["# Edited\n\n## Servers\n".into()],
    };
    update(&mut app, Action::ContentLoaded(Box::new(content)));
    assert_eq!(app.course.parts.len(), 2, "part 02 is still there");
    assert!(
        app.lessons[0].starts_with("# Edited"),
        "part 01's new text is taken"
    );
    assert_eq!(app.problems.len(), 1);
}
