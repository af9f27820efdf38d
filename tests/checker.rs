//! The checker against fixture servers, good and hostile: each gives the
//! right verdict within its deadline, leaves no process behind and frees
//! its port.

mod common;

use common::*;
use serde_json::Value;
use std::time::Duration;

struct Verdict {
    code: i32,
    steps: Vec<Value>,
    check: Value,
    elapsed: Duration,
    stdout: String,
}

impl Verdict {
    fn failed_step(&self) -> &Value {
        self.steps
            .iter()
            .find(|s| s["status"] == "failed")
            .unwrap_or_else(|| panic!("no failed step in {}", self.stdout))
    }
    fn port(&self) -> Option<u16> {
        self.steps
            .iter()
            .flat_map(|s| s["notes"].as_array().cloned().unwrap_or_default())
            .find_map(|n| {
                let n = n.as_str()?.to_string();
                let rest = n.split("127.0.0.1:").nth(1)?;
                rest.split_whitespace().next()?.parse().ok()
            })
    }
}

fn check(id: &str) -> Verdict {
    check_env(id, &[])
}

fn check_env(id: &str, env: &[(&str, &str)]) -> Verdict {
    let run = serverlings_env(
        &fixture_course(),
        &[
            "check", id, "--format", "json", "--seed", "7", "--color", "never",
        ],
        env,
    );
    let lines = json_lines(&run.stdout);
    let check = lines
        .iter()
        .find(|l| l["type"] == "check")
        .cloned()
        .unwrap_or_else(|| panic!("no verdict:\n{}\n{}", run.stdout, run.stderr));
    let steps = lines.into_iter().filter(|l| l["type"] == "step").collect();
    Verdict {
        code: run.code,
        steps,
        check,
        elapsed: run.elapsed,
        stdout: run.stdout,
    }
}

fn text(v: &Value) -> String {
    v.to_string()
}

#[test]
fn a_correct_server_passes_every_step() {
    let v = check("fx-good");
    assert_eq!(v.code, 0, "{}", v.stdout);
    assert_eq!(v.check["passed"], true);
    assert_eq!(v.check["seed"], 7);
    let names: Vec<&str> = v
        .steps
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names[..3],
        ["build", "start the server", "GET / answers ok"]
    );
    assert!(v.steps.iter().all(|s| s["status"] == "passed"));
    // The random word is drawn from the seed and shows in the step name.
    assert!(
        names
            .iter()
            .any(|n| n.starts_with("GET /echo/") && !n.contains('{')),
        "{names:?}"
    );
    assert_port_free(v.port().expect("the serve step names the port"));
    assert_no_process("debug/fx-good");
}

#[test]
fn a_server_that_exits_at_start_is_reported_with_its_exit_code_and_stderr() {
    let v = check("fx-exits");
    assert_eq!(v.code, 1);
    let f = v.failed_step();
    assert_eq!(f["name"], "start the server");
    assert!(
        text(&f["summary"]).contains("exited before it was ready (exit code 3)"),
        "{f}"
    );
    assert!(
        text(&f["details"]).contains("DATABASE_URL is not set"),
        "{f}"
    );
    assert!(v.elapsed < Duration::from_secs(60), "took {:?}", v.elapsed);
    // Later steps are listed as skipped, not silently dropped.
    let statuses: Vec<&str> = v
        .steps
        .iter()
        .map(|s| s["status"].as_str().unwrap())
        .collect();
    // build passed, start failed, every probe skipped, then the teardown.
    let n = statuses.len();
    assert!(n > 4, "{statuses:?}");
    assert_eq!(statuses[..2], ["passed", "failed"]);
    assert!(
        statuses[2..n - 1].iter().all(|s| *s == "skipped"),
        "{statuses:?}"
    );
    assert_eq!(v.steps[n - 1]["name"], "stop the server");
}

#[test]
fn a_server_that_never_binds_fails_at_its_readiness_deadline() {
    let v = check("fx-never-binds");
    assert_eq!(v.code, 1);
    let f = v.failed_step();
    assert_eq!(f["name"], "start the server");
    assert!(
        text(&f["summary"]).contains("did not accept connections"),
        "{f}"
    );
    assert!(text(&f["hint"]).contains("PORT"), "{f}");
    let waited = f["duration_ms"].as_u64().unwrap();
    assert!(
        (2900..6000).contains(&waited),
        "readiness gave up after {waited} ms, deadline is 3s"
    );
    assert_no_process("debug/fx-never-binds");
}

#[test]
fn a_server_that_accepts_and_never_answers_times_out_per_request() {
    let v = check("fx-silent");
    assert_eq!(v.code, 1);
    let f = v.failed_step();
    assert_eq!(f["name"], "GET / answers ok");
    assert!(
        text(&f["summary"]).contains("no complete response within 1.0s"),
        "{f}"
    );
    assert!(
        text(&f["curl"]).contains("curl -i 'http://127.0.0.1:"),
        "{f}"
    );
    let took = f["duration_ms"].as_u64().unwrap();
    assert!(
        (900..3000).contains(&took),
        "the request step took {took} ms with a 1s timeout"
    );
    assert_port_free(v.port().unwrap());
    assert_no_process("debug/fx-silent");
}

#[test]
fn a_server_that_answers_garbage_gets_a_protocol_error() {
    let v = check("fx-garbage");
    assert_eq!(v.code, 1);
    let f = v.failed_step();
    assert!(text(&f["summary"]).contains("not valid HTTP"), "{f}");
    assert!(text(&f["hint"]).contains("status line"), "{f}");
    assert_port_free(v.port().unwrap());
    assert_no_process("debug/fx-garbage");
}

#[test]
fn a_server_that_ignores_sigterm_and_forks_is_killed_with_its_group() {
    let v = check("fx-stubborn");
    assert_eq!(v.code, 1, "{}", v.stdout);
    let serve = v
        .steps
        .iter()
        .find(|s| s["name"] == "stop the server")
        .unwrap();
    assert!(text(&serve["notes"]).contains("ignored SIGTERM"), "{serve}");
    // The forked child held the listening socket: the port is free only if
    // the whole group was killed.
    assert_port_free(v.port().unwrap());
    assert_no_process("debug/fx-stubborn");
}

#[test]
fn failing_tests_show_their_output_and_stop_the_check() {
    let v = check("fx-tests-fail");
    assert_eq!(v.code, 1);
    let f = v.failed_step();
    assert_eq!(f["name"], "test");
    assert_eq!(f["summary"], "1 of 2 tests failed");
    let details = text(&f["details"]);
    assert!(
        details.contains("TODO(1): double(5) should be 10"),
        "{details}"
    );
    assert!(
        !details.contains("doubles_two"),
        "passing tests are noise: {details}"
    );
}

#[test]
fn compile_errors_are_shown_once_each() {
    let v = check("fx-no-compile");
    assert_eq!(v.code, 1);
    let f = v.failed_step();
    assert_eq!(f["name"], "build");
    let details = text(&f["details"]);
    assert_eq!(details.matches("mismatched types").count(), 1, "{details}");
    assert!(details.contains("src/main.rs:2:18"), "{details}");
}

#[test]
fn human_output_has_the_curl_line_and_the_seed() {
    let run = serverlings(
        &fixture_course(),
        &["check", "fx-wrong", "--seed", "42", "--color", "never"],
    );
    assert_eq!(run.code, 1);
    assert!(run.stdout.contains("✗ GET / answers ok"), "{}", run.stdout);
    assert!(
        run.stdout
            .contains("status: expected 200, got 404 Not Found"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("hint:"), "{}", run.stdout);
    assert!(run.stdout.contains("try it: curl -i"), "{}", run.stdout);
    assert!(
        run.stdout.contains("seed 42 (repeat with --seed 42)"),
        "{}",
        run.stdout
    );
    assert!(
        !run.stdout.contains('\u{1b}'),
        "--color never leaves no escape codes"
    );
}

#[test]
fn sigint_and_sigterm_stop_the_check_and_its_server() {
    // One after the other: both watch for the same fixture server.
    signal_stops_the_check(libc::SIGINT, 130);
    signal_stops_the_check(libc::SIGTERM, 143);
}

fn signal_stops_the_check(signal: i32, code: i32) {
    use std::process::{Command, Stdio};
    // fx-sleeper never binds and its readiness deadline is 30s: interrupt
    // while the checker waits for it.
    let mut child = Command::new(bin())
        .args(["check", "fx-sleeper", "--color", "never", "--course"])
        .arg(fixture_course())
        .env("CARGO_TARGET_DIR", fixture_target())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    // Wait until the server process exists, then interrupt serverlings.
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    while live_processes(
        &fixture_target()
            .join("debug/fx-sleeper")
            .display()
            .to_string(),
    )
    .is_empty()
    {
        assert!(
            std::time::Instant::now() < deadline,
            "the server never started"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    unsafe {
        libc::kill(child.id() as i32, signal);
    }
    let status = child.wait().unwrap();
    let mut out = String::new();
    std::io::Read::read_to_string(child.stdout.as_mut().unwrap(), &mut out).unwrap();
    assert_eq!(status.code(), Some(code), "{out}");
    assert!(out.contains("interrupted; the server was stopped"), "{out}");
    assert_no_process("debug/fx-sleeper");
}

#[test]
fn a_server_that_serves_one_connection_at_a_time_is_caught() {
    let v = check("fx-serial");
    assert_eq!(v.code, 1, "{}", v.stdout);
    let f = v.failed_step();
    // Requests on fresh connections pass one after another; connections
    // held open at once do not.
    assert_eq!(
        f["name"], "ten connections held open at once",
        "{}",
        v.stdout
    );
    assert!(
        text(&f["summary"]).contains("of 10 connections held open at once were answered"),
        "{f}"
    );
    assert!(text(&f["hint"]).contains("tokio::spawn"), "{f}");
    assert_no_process("debug/fx-serial");
}

#[test]
fn sse_events_are_framed_counted_and_resumed() {
    let v = check("fx-sse");
    assert_eq!(v.code, 0, "{}", v.stdout);
    let resumed = v
        .steps
        .iter()
        .find(|s| {
            s["name"]
                .as_str()
                .is_some_and(|n| n.starts_with("resume after event "))
        })
        .unwrap();
    assert_eq!(
        resumed["name"], "resume after event 3",
        "the last id of the first read is captured"
    );
    let v = check("fx-sse-no-resume");
    assert_eq!(v.code, 1);
    let f = v.failed_step();
    assert!(
        text(&f["summary"]).contains("event 1 id after resuming from 3: expected 4, got 1"),
        "{f}"
    );
    assert!(text(&f["curl"]).contains("last-event-id: 3"), "{f}");
}

#[test]
fn incomplete_requests_wait_and_slow_clients_are_answered() {
    let v = check("fx-good");
    let silent = v
        .steps
        .iter()
        .find(|s| s["name"] == "an incomplete request gets no answer yet")
        .unwrap();
    assert_eq!(silent["status"], "passed", "{silent}");
    assert!(silent["duration_ms"].as_u64().unwrap() >= 300);
    let slow = v
        .steps
        .iter()
        .find(|s| s["name"] == "a slow client is still answered")
        .unwrap();
    assert_eq!(slow["status"], "passed", "{slow}");
}

#[test]
fn websocket_sessions_follow_their_script_per_client() {
    let v = check("fx-ws");
    assert_eq!(v.code, 0, "{}", v.stdout);
    let v = check("fx-ws-leaky");
    assert_eq!(v.code, 1);
    let f = v.failed_step();
    assert!(
        text(&f["summary"]).contains("script entry 4: client 1 received a message it should not"),
        "{f}"
    );
    let transcript = text(&f["details"]);
    assert!(transcript.contains("client 1 > \\\"hello "), "{transcript}");
    assert!(transcript.contains("client 3 < text"), "{transcript}");
}

#[test]
fn a_background_load_shows_when_one_lock_serialises_the_server() {
    let v = check("fx-good");
    assert_eq!(v.code, 0, "{}", v.stdout);
    let load = v
        .steps
        .iter()
        .find(|s| s["name"] == "500 echoes from 8 clients, memory and descriptors bounded")
        .unwrap();
    let notes = text(&load["notes"]);
    assert!(
        notes.contains("500 requests")
            && notes.contains("p99")
            && notes.contains("resident memory"),
        "{notes}"
    );
    let v = check("fx-lock");
    assert_eq!(v.code, 1, "{}", v.stdout);
    let f = v.failed_step();
    assert_eq!(f["name"], "/ping stays fast meanwhile");
    assert!(
        text(&f["summary"]).starts_with("\"p99 latency: expected at most 100 ms, got"),
        "{f}"
    );
    assert!(text(&f["hint"]).contains("spawn_blocking"), "{f}");
    assert_no_process("debug/fx-lock");
}

#[test]
fn sigterm_while_requests_are_in_flight_and_a_restart() {
    let v = check("fx-graceful");
    assert_eq!(v.code, 0, "{}", v.stdout);
    let sig = &v.steps[2];
    assert!(
        text(&sig["notes"]).contains("3 requests in flight answered, exited (exit code 0)"),
        "{sig}"
    );
    assert!(
        text(&v.steps[3]["notes"]).contains("restarted, ready on 127.0.0.1:"),
        "{}",
        v.steps[3]
    );
    let v = check("fx-abrupt");
    assert_eq!(v.code, 1);
    let f = v.failed_step();
    assert!(
        text(&f["summary"])
            .contains("3 of 3 requests in flight when SIGTERM arrived did not complete"),
        "{f}"
    );
    assert!(
        text(&f["details"]).contains("killed by signal 15 (SIGTERM)"),
        "{f}"
    );
    assert!(text(&f["hint"]).contains("graceful shutdown"), "{f}");
    assert_no_process("debug/fx-abrupt");
    assert_no_process("debug/fx-graceful");
}

#[test]
fn output_steps_read_the_servers_log_lines() {
    let v = check("fx-logs");
    assert_eq!(v.code, 0, "{}", v.stdout);
    let v = check("fx-logs-leaky");
    assert_eq!(v.code, 1);
    let f = v.failed_step();
    assert!(
        text(&f["summary"]).contains("output: expected no line like this, got"),
        "{f}"
    );
    assert!(text(&f["summary"]).contains("Bearer "), "{f}");
    assert!(
        f.get("curl").is_none(),
        "no command repeats an output step: {f}"
    );
}

#[test]
fn two_instances_share_a_port_only_with_so_reuseport() {
    let v = check("fx-reuseport");
    assert_eq!(v.code, 0, "{}", v.stdout);
    let v = check("fx-no-reuseport");
    assert_eq!(v.code, 1);
    let f = v.failed_step();
    assert!(
        text(&f["summary"])
            .contains("instance 2 exited (exit code 1) while instance 1 holds the port"),
        "{f}"
    );
    assert!(text(&f["hint"]).contains("SO_REUSEPORT"), "{f}");
    assert_no_process("debug/fx-no-reuseport");
    assert_no_process("debug/fx-reuseport");
    let v = check("fx-twoports");
    assert_eq!(v.code, 0, "{}", v.stdout);
    assert_no_process("debug/fx-twoports");
}

#[test]
fn mock_upstreams_script_failures_and_record_the_calls() {
    let v = check("fx-retry");
    assert_eq!(v.code, 0, "{}", v.stdout);
    let calls = v
        .steps
        .iter()
        .find(|s| s["name"] == "three calls, spaced out, carrying the request id")
        .unwrap();
    assert!(
        text(&calls["notes"]).contains("3 calls: GET /charge at +0ms"),
        "{calls}"
    );
    let v = check("fx-retry-hammer");
    assert_eq!(v.code, 1);
    let f = v.failed_step();
    assert!(
        text(&f["summary"])
            .contains("upstream pay: time between calls: expected at least 40 ms (a backoff), got"),
        "{f}"
    );
    assert_no_process("debug/fx-retry");
}

#[test]
fn file_steps_read_a_dockerfile_and_cargo_toml_as_documents() {
    let v = check("fx-docker");
    assert_eq!(v.code, 0, "{}", v.stdout);
    assert!(
        v.steps.iter().all(|s| s["name"] != "start the server"),
        "no server for file steps"
    );
    let v = check("fx-docker-root");
    assert_eq!(v.code, 1);
    let f = v.failed_step();
    let all = format!("{} {}", f["summary"], text(&f["details"]));
    assert!(
        all.contains("$.final.user_is_root: expected false, got true"),
        "{all}"
    );
    assert!(
        all.contains("$.final.entrypoint.exec: expected true, got absent"),
        "{all}"
    );
    assert!(text(&f["hint"]).contains("edit Dockerfile"), "{f}");
}

#[test]
fn mutation_runs_the_learners_tests_against_the_reference_and_each_mutant() {
    let v = check("fx-mutation");
    assert_eq!(v.code, 1, "{}", v.stdout);
    let statuses: Vec<(String, String)> = v
        .steps
        .iter()
        .map(|s| {
            (
                s["name"].as_str().unwrap().to_string(),
                s["status"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let find = |n: &str| {
        statuses
            .iter()
            .find(|(name, _)| name == n)
            .map(|(_, s)| s.as_str())
    };
    assert_eq!(
        find("your tests pass on the reference code"),
        Some("passed")
    );
    assert_eq!(
        find("mutant: 20% instead of 10%"),
        Some("passed"),
        "killed by the one test"
    );
    assert_eq!(
        find("mutant: the discount starts above 100"),
        Some("failed"),
        "every survivor is reported"
    );
    assert_eq!(find("mutant: expiry one tick late"), Some("failed"));
    let f = v.failed_step();
    assert!(
        text(&f["details"]).contains("`total >= 100` became `total > 100`"),
        "{f}"
    );
}

#[test]
fn a_body_without_end_and_a_body_cut_short_are_bounded() {
    let v = check("fx-forever");
    assert_eq!(v.code, 1);
    let f = v.failed_step();
    assert!(
        text(&f["summary"]).contains("more than 8 MiB came back"),
        "{f}"
    );
    assert!(
        f["duration_ms"].as_u64().unwrap() < 2500,
        "bounded by the 2s step timeout or the size cap: {f}"
    );
    assert_no_process("debug/fx-forever");
    let v = check("fx-halfway");
    assert_eq!(v.code, 1);
    let f = v.failed_step();
    assert!(
        text(&f["summary"]).contains("the connection closed before a complete response"),
        "{f}"
    );
    assert_no_process("debug/fx-halfway");
}

#[test]
fn a_worker_killed_mid_job_loses_nothing_only_if_it_recovers() {
    let v = check("fx-jobs");
    assert_eq!(v.code, 0, "{}", v.stdout);
    let kill = v
        .steps
        .iter()
        .find(|s| s["name"] == "kill -9 the worker")
        .unwrap();
    assert!(
        text(&kill["notes"]).contains("killed by signal 9"),
        "{kill}"
    );
    let v = check("fx-jobs-lossy");
    assert_eq!(v.code, 1);
    let f = v.failed_step();
    assert_eq!(f["name"], "the job is done exactly once");
    assert!(
        text(&f["summary"]).contains("expected \\\"done 1\\\", got \\\"working\\\""),
        "{f}"
    );
    assert_no_process("debug/fx-jobs");
}

#[test]
fn the_checker_reads_the_database_counts_queries_and_cuts_the_connection() {
    let v = check("fx-notes-db");
    assert_eq!(v.code, 0, "{}", v.stdout);
    let counted = v
        .steps
        .iter()
        .find(|s| s["name"] == "storing another takes one query")
        .unwrap();
    assert!(
        text(&counted["notes"]).contains("1 query sent to PostgreSQL"),
        "{counted}"
    );
    let v = check("fx-notes-db-leaky");
    assert_eq!(v.code, 1);
    let f = v.failed_step();
    assert_eq!(f["name"], "looking it up by text can use an index");
    assert!(
        text(&f["summary"]).contains("$.index_scans.notes: expected present, got absent"),
        "{f}"
    );
    assert!(
        text(&f["details"]).contains("\\\"seq_scans\\\""),
        "the plan summary is shown: {f}"
    );
}

#[test]
fn the_checker_plays_the_browser_through_an_openid_connect_login() {
    let v = check("fx-oidc");
    assert_eq!(v.code, 0, "{}", v.stdout);
    assert!(
        v.steps
            .iter()
            .any(|s| text(&s["notes"]).contains("new signing key")),
        "{}",
        v.stdout
    );
    let v = check("fx-oidc-no-pkce");
    assert_eq!(v.code, 1);
    let f = v.failed_step();
    assert!(
        text(&f["summary"]).contains(
            "the provider refused the authorization request: authorize: PKCE is required"
        ),
        "{f}"
    );
    assert_no_process("debug/fx-oidc");
}

#[test]
fn the_checker_reads_a_queue_of_the_checks_own_rabbitmq_vhost() {
    let v = check("fx-queue");
    assert_eq!(v.code, 0, "{}", v.stdout);
    let q = v
        .steps
        .iter()
        .find(|s| s["name"] == "no queue was declared in this check's vhost")
        .unwrap();
    assert!(text(&q["notes"]).contains("queue jobs: null"), "{q}");
}

#[test]
fn queries_are_counted_outside_the_learners_process() {
    let v = check("fx-notes-db-chatty");
    assert_eq!(v.code, 1);
    let f = v.failed_step();
    assert_eq!(f["name"], "storing another takes one query");
    assert!(
        text(&f["summary"]).contains(
            "the server sent 2 queries to PostgreSQL during this step, expected at most 1"
        ),
        "{f}"
    );
    assert!(text(&f["hint"]).contains("N+1"), "{f}");
}

#[test]
fn a_missing_expiry_and_a_missing_queue_are_caught() {
    let v = check("fx-notes-db-nottl");
    assert_eq!(v.code, 1);
    let f = v.failed_step();
    assert_eq!(f["name"], "the cache entry expires within 30 s");
    assert!(
        text(&f["summary"]).contains("json $: expected a number from 1 to 30, got -1"),
        "{f}"
    );
    let v = check("fx-queue-missing");
    assert_eq!(v.code, 1);
    let f = v.failed_step();
    assert!(text(&f["summary"]).contains("json $.messages"), "{f}");
    assert!(
        text(&f["details"]).contains("the queue (null when it does not exist)"),
        "{f}"
    );
}

fn check_in(course: &std::path::Path, id: &str) -> Verdict {
    let run = serverlings(
        course,
        &[
            "check", id, "--format", "json", "--seed", "7", "--color", "never",
        ],
    );
    let lines = json_lines(&run.stdout);
    let check = lines
        .iter()
        .find(|l| l["type"] == "check")
        .cloned()
        .unwrap_or_else(|| panic!("no verdict:\n{}\n{}", run.stdout, run.stderr));
    let steps = lines.into_iter().filter(|l| l["type"] == "step").collect();
    Verdict {
        code: run.code,
        steps,
        check,
        elapsed: run.elapsed,
        stdout: run.stdout,
    }
}

fn edit(path: &std::path::Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{} has no {from:?}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn tokens_codes_processes_instances_and_runs_are_judged() {
    let v = check("fx-kit");
    assert_eq!(v.code, 0, "{}", v.stdout);
    let note = |name: &str| {
        v.steps
            .iter()
            .find(|s| s["name"] == name)
            .map(|s| text(&s["notes"]))
            .unwrap_or_else(|| panic!("no step {name}: {}", v.stdout))
    };
    assert!(note("an unreaped child shows as a zombie").contains("(Z)"));
    assert!(note("bad configuration: every problem listed, exit code 2").contains("exit code 2"));
    assert_no_process("debug/fx-kit");

    // A server that takes any token, answers late, exits with another code:
    // each is caught at its own step.
    let course = copy_of_fixture("kit");
    let spec = course.join("checks/01-fixtures/fx-kit.toml");
    edit(&spec, "WHO = ", "LAX = \"1\", WHO = ");
    let v = check_in(&course, "fx-kit");
    assert_eq!(v.code, 1);
    let f = v.failed_step();
    assert_eq!(f["name"], "an expired token is refused", "{f}");
    assert!(text(&f["summary"]).contains("401"), "{f}");

    edit(&spec, "LAX = \"1\", ", "");
    edit(&spec, "first_byte_ms = 5000", "first_byte_ms = 100");
    edit(&spec, "exit_code = 2", "exit_code = 3");
    let v = check_in(&course, "fx-kit");
    assert_eq!(v.code, 1);
    let failed: Vec<&str> = v
        .steps
        .iter()
        .filter(|s| s["status"] == "failed")
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(failed, ["a late answer's first byte"], "{}", v.stdout);

    edit(&spec, "first_byte_ms = 100", "first_byte_ms = 5000");
    let v = check_in(&course, "fx-kit");
    assert_eq!(v.code, 1);
    let f = v.failed_step();
    assert_eq!(
        f["name"], "bad configuration: every problem listed, exit code 2",
        "{f}"
    );
    assert!(text(&f["summary"]).contains("exit code 2"), "{f}");
    assert!(
        text(&f["details"]).contains("LIMIT must be a whole number"),
        "{f}"
    );
    assert_no_process("course-kit");
}

#[test]
fn shipped_tests_run_as_shipped_and_all_of_them() {
    let course = copy_of_fixture("protect");
    let lib = course.join("exercises/01-fixtures/fx-protect/src/lib.rs");
    let tests = course.join("exercises/01-fixtures/fx-protect/src/tests.rs");

    // The stub fails its tests (and its pristine copy is taken).
    let v = check_in(&course, "fx-protect");
    assert_eq!(v.code, 1, "{}", v.stdout);
    assert!(
        text(&v.failed_step()["summary"]).contains("2 of 2 tests failed"),
        "{}",
        v.stdout
    );

    // Emptying the test module does not pass.
    edit(&lib, "    x\n", "    x * 2\n");
    edit(&lib, "mod tests;", "mod tests {}");
    let v = check_in(&course, "fx-protect");
    assert_eq!(v.code, 1, "{}", v.stdout);
    assert!(
        text(&v.failed_step()["summary"]).contains("no test ran"),
        "{}",
        v.stdout
    );

    // Switching one test off is named.
    edit(&lib, "mod tests {}", "mod tests;");
    edit(
        &tests,
        "#[test]\nfn doubles_negative",
        "#[cfg(any())]\n#[test]\nfn doubles_negative",
    );
    let v = check_in(&course, "fx-protect");
    assert_eq!(
        v.code, 0,
        "the shipped tests.rs is run, and passes: {}",
        v.stdout
    );
    let notes = text(&v.steps.iter().find(|s| s["name"] == "test").unwrap()["notes"]);
    assert!(
        notes.contains("the check ran the shipped version (yours is kept)"),
        "{notes}"
    );
    assert!(
        std::fs::read_to_string(&tests)
            .unwrap()
            .contains("#[cfg(any())]"),
        "the learner's file is kept"
    );

    // Weakened tests with wrong code: the shipped tests catch it.
    edit(&lib, "    x * 2\n", "    x + 2\n");
    edit(
        &tests,
        "assert_eq!(double(-3), -6);",
        "assert_eq!(double(-3), -1);",
    );
    edit(&tests, "#[cfg(any())]\n", "");
    let v = check_in(&course, "fx-protect");
    assert_eq!(v.code, 1, "{}", v.stdout);
    assert!(
        text(&v.failed_step()["summary"]).contains("1 of 2 tests failed"),
        "{}",
        v.stdout
    );
}

#[test]
fn a_server_on_the_wrong_port_is_named_without_the_full_wait() {
    let v = check("fx-other-port");
    assert_eq!(v.code, 1, "{}", v.stdout);
    let f = v.failed_step();
    assert_eq!(f["name"], "start the server", "{f}");
    let summary = text(&f["summary"]);
    let port: u16 = summary
        .split("not on port ")
        .nth(1)
        .and_then(|r| r.split_whitespace().next())
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("no port named: {f}"));
    assert!(
        summary.contains(&format!(
            "listens on 127.0.0.1:{}, not on port {port}",
            port + 1
        )),
        "{f}"
    );
    assert!(text(&f["hint"]).contains("PORT"), "{f}");
    let waited = f["duration_ms"].as_u64().unwrap();
    assert!(
        waited < 4000,
        "diagnosed after {waited} ms; the deadline is 10 s"
    );
    assert_no_process("debug/fx-other-port");
}

#[test]
fn a_server_that_daemonises_is_named_and_ended() {
    let v = check("fx-daemon");
    assert_eq!(v.code, 1, "{}", v.stdout);
    let f = v.failed_step();
    assert_eq!(f["name"], "start the server", "{f}");
    let summary = text(&f["summary"]);
    assert!(
        summary.contains("exited (exit code 0) and left a process running in the background: pid"),
        "{f}"
    );
    assert!(text(&f["hint"]).contains("setsid"), "{f}");
    // It had left the process group: it is ended all the same.
    assert_no_process("debug/fx-daemon");
}

#[test]
fn a_build_slower_than_its_deadline_is_stopped_at_the_deadline() {
    let v = check_env("fx-slow-build", &[("FX_SLOW_BUILD", "1")]);
    assert_eq!(v.code, 1, "{}", v.stdout);
    let f = v.failed_step();
    assert_eq!(f["name"], "build", "{f}");
    assert!(
        text(&f["summary"]).contains("did not finish within 3.0s"),
        "{f}"
    );
    let took = f["duration_ms"].as_u64().unwrap();
    assert!(
        (2900..5000).contains(&took),
        "the 3 s deadline held {took} ms"
    );
    // cargo and the sleeping build script went with it.
    assert_no_process(
        &fixture_target()
            .join("debug/build/fx-slow-build")
            .display()
            .to_string(),
    );

    // Also while cargo waits for the lock on the target dir (another build).
    use std::os::fd::AsRawFd;
    let dir = fixture_target().join("debug");
    std::fs::create_dir_all(&dir).unwrap();
    let lock = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(dir.join(".cargo-lock"))
        .unwrap();
    assert_eq!(unsafe { libc::flock(lock.as_raw_fd(), libc::LOCK_EX) }, 0);
    let v = check_env("fx-slow-build", &[("FX_SLOW_BUILD", "1")]);
    drop(lock);
    let f = v.failed_step();
    assert!(
        text(&f["summary"]).contains("did not finish within 3.0s"),
        "{f}"
    );
    let took = f["duration_ms"].as_u64().unwrap();
    assert!(
        (2900..5000).contains(&took),
        "behind a lock, the 3 s deadline held {took} ms"
    );
}

#[test]
fn a_build_of_a_killed_serverlings_is_ended_at_the_next_start() {
    use std::process::{Command, Stdio};
    // A copy, so the build script's sleep is its own (and the fixture
    // target's lock is not held by the orphaned cargo for other tests).
    let course = copy_of_fixture("killed-build");
    let mut child = Command::new(bin())
        .args(["check", "fx-slow-build", "--color", "never", "--course"])
        .arg(&course)
        .env("FX_SLOW_BUILD", "1")
        .env("CARGO_TARGET_DIR", course.join("target"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let script = course.join("target/debug/build").display().to_string();
    let deadline = std::time::Instant::now() + Duration::from_secs(120);
    while live_processes(&script).is_empty() {
        assert!(
            std::time::Instant::now() < deadline,
            "the build script never ran"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    unsafe {
        libc::kill(child.id() as i32, libc::SIGKILL);
    }
    child.wait().unwrap();
    // Whether cargo noticed its reader gone or the next start ends what is
    // left (cargo and its build scripts carry SERVERLINGS_OWNER), nothing
    // of the build runs on after the next start.
    let run = serverlings(&course, &["doctor"]);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    assert_no_process(&script);
    assert_no_process(&course.join("target").display().to_string());
    let _ = std::fs::remove_dir_all(&course);
}

#[test]
fn tests_that_pin_the_source_text_do_not_kill_mutants() {
    let course = copy_of_fixture("pin-source");
    let tests = course.join("exercises/01-fixtures/fx-mutation/tests");
    let reference =
        std::fs::read_to_string(course.join("solutions/01-fixtures/fx-mutation/src/lib.rs"))
            .unwrap();
    // Reading the file by name: refused before anything runs.
    std::fs::write(
        tests.join("learner.rs"),
        format!(
            "#[test]\nfn pinned() {{\n    assert_eq!(include_str!(\"../src/lib.rs\").len(), {});\n}}\n",
            reference.len()
        ),
    )
    .unwrap();
    let v = check_in(&course, "fx-mutation");
    assert_eq!(v.code, 1, "{}", v.stdout);
    let f = v.failed_step();
    assert_eq!(f["name"], "your tests pass on the reference code", "{f}");
    assert!(
        text(&f["summary"]).contains("tests/learner.rs:3 reads the source of the code under test"),
        "{f}"
    );

    // Reading every file of src/ without naming one: the reference run's
    // source differs from any text the learner could have pinned.
    std::fs::write(
        tests.join("learner.rs"),
        format!(
            "#[test]\nfn pinned() {{\n    let mut n = 0;\n    for e in std::fs::read_dir(concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/src\")).unwrap() {{\n        n += std::fs::read(e.unwrap().path()).unwrap().len();\n    }}\n    assert_eq!(n, {});\n}}\n",
            reference.len()
        ),
    )
    .unwrap();
    let v = check_in(&course, "fx-mutation");
    assert_eq!(v.code, 1, "{}", v.stdout);
    let f = v.failed_step();
    assert_eq!(f["name"], "your tests pass on the reference code", "{f}");
    let _ = std::fs::remove_dir_all(&course);
}
