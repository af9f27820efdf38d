//! The commands a learner and an instructor type, end to end, on a copy of
//! the fixture course.

mod common;

use common::*;

#[test]
fn planned_parts_are_listed_in_order_and_a_written_one_is_caught() {
    let course = copy_of_fixture("planned");
    let file = course.join("course.toml");
    let mut text = std::fs::read_to_string(&file).unwrap();
    text.push_str(
        "\n[[planned]]\nnumber = 9\ntitle = \"Far away\"\n\n[[planned]]\nnumber = 3\ntitle = \"Next up\"\n",
    );
    std::fs::write(&file, &text).unwrap();
    let list = serverlings(&course, &["list", "--color", "never"]);
    assert_eq!(list.code, 0, "{}", list.stderr);
    let next = list.stdout.find("03 Next up · coming").expect(&list.stdout);
    let far = list
        .stdout
        .find("09 Far away · coming")
        .expect(&list.stdout);
    let written = list.stdout.find("fx-good").unwrap();
    assert!(
        written < next && next < far,
        "in number order: {}",
        list.stdout
    );
    assert_eq!(serverlings(&course, &["lint"]).code, 0);

    // Announcing a part that is written (01) is a content error at its line.
    text.push_str("\n[[planned]]\nnumber = 1\ntitle = \"Old news\"\n");
    std::fs::write(&file, &text).unwrap();
    let lint = serverlings(&course, &["lint", "--color", "never"]);
    assert_eq!(lint.code, 2, "{}", lint.stderr);
    let line = text.lines().count() - 1;
    assert!(
        lint.stderr.contains(&format!("course.toml:{line}:10"))
            && lint
                .stderr
                .contains("part 01 is announced as planned, but lessons/01-fixtures is written")
            && lint.stderr.contains("remove this [[planned]] entry"),
        "{}",
        lint.stderr
    );
}

#[test]
fn lint_points_at_a_broken_check_with_file_line_col_and_a_fix() {
    let course = copy_of_fixture("lint");
    let spec = course.join("checks/01-fixtures/fx-good.toml");
    let text = std::fs::read_to_string(&spec).unwrap().replace(
        "expect = { status = 200, body = \"ok\" }",
        "expect = { stauts = 200, body = \"ok\" }",
    );
    std::fs::write(&spec, text).unwrap();
    let part = course.join("lessons/01-fixtures/part.toml");
    let ptext = std::fs::read_to_string(&part).unwrap().replacen(
        "section = \"servers\"",
        "section = \"severs\"",
        1,
    );
    std::fs::write(&part, ptext).unwrap();

    let run = serverlings(&course, &["lint", "--color", "never"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("checks/01-fixtures/fx-good.toml:12:12"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("unknown key `stauts`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("did you mean `status`?"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("12 | expect = { stauts = 200"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("^^^^^^"), "{}", run.stderr);
    assert!(run.stderr.contains("no section `severs`"), "{}", run.stderr);
    assert!(
        run.stderr.contains("did you mean `servers`?"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("2 problems"), "{}", run.stderr);
}

#[test]
fn broken_toml_syntax_is_a_content_error_for_every_command() {
    let course = copy_of_fixture("syntax");
    let part = course.join("lessons/01-fixtures/part.toml");
    let text = std::fs::read_to_string(&part).unwrap().replacen(
        "title = \"Fixture servers\"",
        "title = \"Fixture servers",
        1,
    );
    std::fs::write(&part, text).unwrap();
    let run = serverlings(&course, &["list"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("lessons/01-fixtures/part.toml:1:"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("serverlings lint"), "{}", run.stderr);
}

#[test]
fn hints_come_one_at_a_time_and_are_remembered() {
    let course = copy_of_fixture("hints");
    let first = serverlings(&course, &["hint", "fx-good"]);
    assert_eq!(first.code, 0);
    assert!(
        first.stdout.contains("Hint 1/2") && first.stdout.contains("look at the server"),
        "{}",
        first.stdout
    );
    let second = serverlings(&course, &["hint", "fx-good"]);
    assert!(
        second.stdout.contains("Hint 2/2") && second.stdout.contains("look harder"),
        "{}",
        second.stdout
    );
    assert!(second.stdout.contains("last hint"));
    let again = serverlings(&course, &["hint", "fx-good", "--level", "1"]);
    assert!(again.stdout.contains("Hint 1/2"), "{}", again.stdout);
    let bad = serverlings(&course, &["hint", "fx-good", "--level", "9"]);
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("has 2 hints"), "{}", bad.stderr);
}

#[test]
fn unknown_exercises_get_a_suggestion() {
    let run = serverlings(&fixture_course(), &["hint", "fx-god"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("there is no exercise `fx-god`: did you mean `fx-good`?"),
        "{}",
        run.stderr
    );
}

#[test]
fn outside_a_course_says_where_to_run() {
    let dir = std::env::temp_dir();
    let out = std::process::Command::new(bin())
        .arg("list")
        .current_dir(&dir)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("no course here") && err.contains("--course"),
        "{err}"
    );
}

#[test]
fn the_solution_opens_only_after_a_pass() {
    let course = copy_of_fixture("solution");
    let refused = serverlings(&course, &["solution", "fx-good"]);
    assert_eq!(refused.code, 1);
    assert!(
        refused.stdout.contains("opens once your copy passes"),
        "{}",
        refused.stdout
    );
    assert!(!refused.stdout.contains("fn main"));
    let check = serverlings(&course, &["check", "fx-good", "--color", "never"]);
    assert_eq!(check.code, 0, "{}", check.stdout);
    assert!(
        check.stdout.contains("Next: serverlings check"),
        "{}",
        check.stdout
    );
    let shown = serverlings(&course, &["solution", "fx-good"]);
    assert_eq!(shown.code, 0);
    assert!(
        shown
            .stdout
            .contains("solutions/01-fixtures/fx-good/src/main.rs")
            && shown.stdout.contains("fn main"),
        "{}",
        shown.stdout
    );
    let list = serverlings(&course, &["list", "--color", "never"]);
    assert!(list.stdout.contains("✓ fx-good"), "{}", list.stdout);
}

#[test]
fn reset_restores_the_stub_and_keeps_the_learners_version() {
    let course = copy_of_fixture("reset");
    // First contact snapshots the pristine stubs.
    assert_eq!(serverlings(&course, &["list"]).code, 0);
    let main = course.join("exercises/01-fixtures/fx-tests-fail/src/main.rs");
    let pristine = std::fs::read_to_string(&main).unwrap();
    let mine = pristine.replace("x + 2 // TODO(1): multiply instead", "x * 2");
    std::fs::write(&main, &mine).unwrap();
    std::fs::write(main.with_file_name("extra.rs"), "// my notes\n").unwrap();

    let run = serverlings(&course, &["reset", "fx-tests-fail"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("restored 2 files"), "{}", run.stdout);
    assert_eq!(std::fs::read_to_string(&main).unwrap(), pristine);
    assert!(!main.with_file_name("extra.rs").exists());
    let backups = course.join(".serverlings/backups");
    let kept = std::fs::read_dir(&backups)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    assert_eq!(
        std::fs::read_to_string(kept.join("src/main.rs")).unwrap(),
        mine
    );

    let again = serverlings(&course, &["reset", "fx-tests-fail"]);
    assert!(
        again.stdout.contains("nothing to reset"),
        "{}",
        again.stdout
    );
}

#[test]
fn a_corrupt_progress_file_is_backed_up_and_reported() {
    let course = copy_of_fixture("corrupt");
    std::fs::create_dir_all(course.join(".serverlings")).unwrap();
    std::fs::write(
        course.join(".serverlings/progress.json"),
        "{\"current\": tru",
    )
    .unwrap();
    let run = serverlings(&course, &["list"]);
    assert_eq!(run.code, 0);
    assert!(
        run.stderr.contains("was not readable") && run.stderr.contains("progress.corrupt-"),
        "{}",
        run.stderr
    );
    let kept: Vec<_> = std::fs::read_dir(course.join(".serverlings"))
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with("progress.corrupt-")
        })
        .collect();
    assert_eq!(kept.len(), 1);
    assert_eq!(
        std::fs::read_to_string(kept[0].path()).unwrap(),
        "{\"current\": tru"
    );
}

#[test]
fn the_bare_command_says_where_the_learner_is() {
    let course = copy_of_fixture("overview");
    let run = serverlings(&course, &[]);
    assert_eq!(run.code, 0);
    assert!(
        run.stdout.contains("— 0 of ") && run.stdout.contains(" exercises done"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("Current exercise: fx-good"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("serverlings check fx-good"),
        "{}",
        run.stdout
    );
}

#[test]
fn verify_judges_solutions_and_stubs_both_ways_with_junit() {
    let course = copy_of_fixture("verify");
    let junit = course.join("report.xml");
    let run = serverlings(
        &course,
        &[
            "verify",
            "--solutions",
            "--exercises",
            "--exercise",
            "fx-wrong",
            "--junit",
            junit.to_str().unwrap(),
            "--color",
            "never",
        ],
    );
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout.contains("✓ fx-wrong solution passes"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("✓ fx-wrong stub fails as it should, at “GET / answers ok”"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("2 passed, 0 failed"), "{}", run.stdout);
    let xml = std::fs::read_to_string(&junit).unwrap();
    assert!(xml.contains("tests=\"2\" failures=\"0\""), "{xml}");
    // A stub that passes is a broken exercise: verify says so.
    let run = serverlings(
        &course,
        &[
            "verify",
            "--exercises",
            "--exercise",
            "fx-good",
            "--junit",
            junit.to_str().unwrap(),
            "--color",
            "never",
        ],
    );
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.stdout.contains("the stub passes its check"),
        "{}",
        run.stdout
    );
    assert!(
        std::fs::read_to_string(&junit)
            .unwrap()
            .contains("<failure message=\"the stub passes its check")
    );
    // A stub that does not compile is not a valid stub either.
    let run = serverlings(
        &course,
        &[
            "verify",
            "--exercises",
            "--exercise",
            "fx-no-compile",
            "--color",
            "never",
        ],
    );
    assert_eq!(run.code, 1);
    assert!(
        run.stdout.contains("the stub does not compile"),
        "{}",
        run.stdout
    );
}

#[test]
fn verify_uses_the_pristine_stub_when_the_learner_solved_it() {
    let course = copy_of_fixture("pristine");
    assert_eq!(serverlings(&course, &["list"]).code, 0);
    // The learner solves fx-wrong by making it the good server.
    std::fs::copy(
        course.join("solutions/01-fixtures/fx-wrong/src/main.rs"),
        course.join("exercises/01-fixtures/fx-wrong/src/main.rs"),
    )
    .unwrap();
    assert_eq!(serverlings(&course, &["check", "fx-wrong"]).code, 0);
    let run = serverlings(
        &course,
        &[
            "verify",
            "--exercises",
            "--exercise",
            "fx-wrong",
            "--color",
            "never",
        ],
    );
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout.contains("verifying the pristine copy"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("✓ fx-wrong stub fails as it should"),
        "{}",
        run.stdout
    );
}

#[test]
fn an_instructor_takes_a_changed_stub_with_working_copy() {
    let course = copy_of_fixture("working-copy");
    assert_eq!(serverlings(&course, &["list"]).code, 0);
    // The instructor turns fx-wrong's stub into a passing one by mistake.
    std::fs::copy(
        course.join("solutions/01-fixtures/fx-wrong/src/main.rs"),
        course.join("exercises/01-fixtures/fx-wrong/src/main.rs"),
    )
    .unwrap();
    let run = serverlings(
        &course,
        &[
            "verify",
            "--exercises",
            "--exercise",
            "fx-wrong",
            "--working-copy",
            "--color",
            "never",
        ],
    );
    assert!(
        run.stdout.contains("took the stub of fx-wrong"),
        "{}",
        run.stdout
    );
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.stdout.contains("the stub passes its check"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_closed_stdout_is_not_a_crash() {
    use std::process::{Command, Stdio};
    let mut child = Command::new(bin())
        .args(["list", "--course"])
        .arg(copy_of_fixture("pipe"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take()); // like `serverlings list | head -0`
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(out.status.code(), Some(0), "{err}");
}

#[test]
fn lint_catches_a_check_that_needs_an_undeclared_service() {
    let course = copy_of_fixture("services-lint");
    let part = course.join("lessons/01-fixtures/part.toml");
    let text = std::fs::read_to_string(&part)
        .unwrap()
        .replacen("id = \"fx-notes-db\"\ntitle = \"Fixture fx-notes-db\"\nsection = \"servers\"\nservices = [\"postgres\", \"redis\"]", "id = \"fx-notes-db\"\ntitle = \"Fixture fx-notes-db\"\nsection = \"servers\"\nservices = [\"redis\"]", 1);
    std::fs::write(&part, text).unwrap();
    let run = serverlings(&course, &["lint", "--color", "never"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "the check of `fx-notes-db` uses postgres but the exercise does not declare it"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("services = [\"redis\", \"postgres\"]"),
        "{}",
        run.stderr
    );
}

#[test]
fn verify_partitions_cover_the_course_once_and_run_in_a_bounded_pool() {
    let course = fixture_course();
    let list = |args: &[&str]| -> Vec<String> {
        let mut a = vec!["verify", "--solutions", "--exercises", "--dry-run"];
        a.extend_from_slice(args);
        serverlings(&course, &a)
            .stdout
            .lines()
            .map(String::from)
            .collect()
    };
    let all = list(&[]);
    assert!(all.len() > 20, "{all:?}");
    let mut union: Vec<String> = (1..=3)
        .flat_map(|k| list(&["--partition", &format!("{k}/3")]))
        .collect();
    union.sort();
    let mut sorted = all.clone();
    sorted.sort();
    assert_eq!(
        union, sorted,
        "the three shares together are the whole course, each case once"
    );
    let bad = serverlings(&course, &["verify", "--solutions", "--partition", "4/3"]);
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("K goes from 1 to N"), "{}", bad.stderr);

    // Two at a time, JSON lines with where the time went.
    let run = serverlings(
        &course,
        &[
            "verify",
            "--solutions",
            "--jobs",
            "2",
            "--partition",
            "1/12",
            "--format",
            "json",
        ],
    );
    let lines = json_lines(&run.stdout);
    let cases: Vec<&serde_json::Value> = lines.iter().filter(|l| l["type"] == "case").collect();
    assert_eq!(
        cases.len(),
        list(&["--partition", "1/12"])
            .iter()
            .filter(|l| l.ends_with("solution"))
            .count()
    );
    assert!(
        cases.iter().all(|c| c["phases_ms"]["build"].is_u64()),
        "{}",
        run.stdout
    );
    assert!(
        lines.iter().any(|l| l["type"] == "summary"),
        "{}",
        run.stdout
    );
}

#[test]
fn completions_and_the_manual_page_come_from_the_cli_definition() {
    let dir = std::env::temp_dir();
    for shell in ["bash", "zsh", "fish"] {
        let out = std::process::Command::new(bin())
            .args(["completions", shell])
            .current_dir(&dir)
            .output()
            .unwrap();
        assert!(out.status.success(), "{shell}");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            text.contains("verify") && text.contains("partition"),
            "{shell}: {text}"
        );
    }
    let out = std::process::Command::new(bin())
        .arg("man")
        .current_dir(&dir)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains(".TH serverlings 1") && text.contains("verify"),
        "{text}"
    );
}

#[test]
fn new_scaffolds_an_exercise_that_lints_and_verifies_both_ways() {
    let course = copy_of_fixture("new");
    let run = serverlings(
        &course,
        &[
            "new",
            "1",
            "answer-it",
            "--kind",
            "tests",
            "--title",
            "Answer it",
        ],
    );
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout
            .contains("exercises/01-fixtures/answer-it/src/lib.rs"),
        "{}",
        run.stdout
    );
    let part = std::fs::read_to_string(course.join("lessons/01-fixtures/part.toml")).unwrap();
    assert!(
        part.trim_end().ends_with("]")
            && part.contains("id = \"answer-it\"")
            && part.contains("title = \"Answer it\""),
        "{part}"
    );
    let lint = serverlings(&course, &["lint", "--color", "never"]);
    assert_eq!(lint.code, 0, "{}", lint.stderr);
    let verify = serverlings(
        &course,
        &[
            "verify",
            "--solutions",
            "--exercises",
            "--exercise",
            "answer-it",
            "--color",
            "never",
        ],
    );
    assert_eq!(verify.code, 0, "{}{}", verify.stdout, verify.stderr);
    assert!(
        verify
            .stdout
            .contains("answer-it stub fails as it should, at “test”"),
        "{}",
        verify.stdout
    );
    // Twice is refused, as is a bad id or part.
    assert_eq!(serverlings(&course, &["new", "1", "answer-it"]).code, 2);
    let bad = serverlings(&course, &["new", "9", "x"]);
    assert!(
        bad.stderr.contains("there is no part `9`"),
        "{}",
        bad.stderr
    );
    let bad = serverlings(&course, &["new", "1", "Bad_Id"]);
    assert!(
        bad.stderr.contains("not a valid exercise id"),
        "{}",
        bad.stderr
    );
}

#[test]
fn verify_judges_the_pristine_copy_of_an_edited_stub_with_its_worker() {
    // The pristine copy is built under another package name; its worker
    // (src/bin/<package>-worker.rs) must follow, or the check would fail
    // for a missing binary and verify would take that for the stub failing.
    let course = copy_of_fixture("pristine-worker");
    let first = serverlings(&course, &["verify", "--exercises", "--exercise", "fx-jobs"]);
    assert!(!first.stdout.contains("no binary"), "{}", first.stdout);
    let main = course.join("exercises/01-fixtures/fx-jobs/src/main.rs");
    let text = std::fs::read_to_string(&main).unwrap();
    std::fs::write(&main, format!("{text}\n// the learner's edit\n")).unwrap();
    let again = serverlings(&course, &["verify", "--exercises", "--exercise", "fx-jobs"]);
    assert!(
        again.stdout.contains("verifying the pristine copy"),
        "{}{}",
        again.stdout,
        again.stderr
    );
    assert!(!again.stdout.contains("no binary"), "{}", again.stdout);
    // The fixture's stub is a working server: the pristine copy passes, so
    // verify reports it (exactly as for the unedited stub).
    assert_eq!(
        first.code, again.code,
        "{}\n---\n{}",
        first.stdout, again.stdout
    );
    let _ = std::fs::remove_dir_all(&course);
}
