//! `serverlings verify`: every reference solution passes its check and every
//! pristine stub fails it (after building: a stub must compile). This is
//! what CI runs; it never looks at the learner's edits.

use crate::out::outln;
use crate::report::junit::Errored;
use crate::style::Style;
use serverlings_core::course::{Course, Exercise};
use serverlings_core::outcome::{CheckReport, StepStatus, Target};
use serverlings_runner::check::run::{self, Cancel, Options, Subject};

pub struct Request {
    pub solutions: bool,
    pub stubs: bool,
    pub part: Option<u32>,
    pub exercise: Option<String>,
    pub seed: Option<u64>,
    /// Cases run at once (a bounded pool, never one task per exercise).
    pub jobs: usize,
    /// `(K, N)`: only the Kth of N deterministic shares of the course.
    pub partition: Option<(usize, usize)>,
    /// JSON lines instead of text.
    pub json: bool,
    /// A progress bar (on a terminal).
    pub progress: bool,
    /// Print the cases this run would check, and check none.
    pub dry_run: bool,
}

pub struct Summary {
    pub reports: Vec<CheckReport>,
    pub errors: Vec<Errored>,
}

impl Summary {
    pub fn ok(&self) -> bool {
        self.errors.is_empty() && self.reports.iter().all(|r| judge(r).is_ok())
    }
}

/// Whether a report is the verdict its direction wants; the reason if not.
pub fn judge(r: &CheckReport) -> Result<String, String> {
    r.verdict()
}

fn subject(
    course: &Course,
    ex: &Exercise,
    target: Target,
) -> Result<(Subject, Option<String>), String> {
    let root = &course.root;
    if target == Target::Solution {
        return Ok((
            run::subject_for(
                root,
                &ex.id,
                target,
                &ex.solution_dir(),
                ex.solution_package(),
            ),
            None,
        ));
    }
    let snap = serverlings_runner::pristine::dir(root, ex);
    let stub = root.join(ex.stub_dir());
    let differs = snap.is_dir()
        && !serverlings_runner::pristine::same(&stub, &snap).map_err(|e| e.to_string())?;
    if !differs {
        return Ok((
            run::subject_for(root, &ex.id, target, &ex.stub_dir(), ex.stub_package()),
            None,
        ));
    }
    // The learner changed the stub: judge the pristine copy in a scratch
    // workspace that shares the course's lock file and target dir. It gets
    // its own package (and so binary) name: sharing the target dir with the
    // learner's crate of the same name would let one build overwrite the
    // other's binary.
    let member = format!("{}/{}", ex.part, ex.id);
    let package = format!("{}-pristine", ex.stub_package());
    let s = serverlings_runner::scratch::create(
        root,
        &format!("scratch/{package}"),
        &member,
        &snap,
        &package,
        &ex.stub_package().replace('-', "_"),
    )?;
    let mut subject = run::subject_for(root, &ex.id, target, &ex.stub_dir(), package);
    subject.workspace = s.workspace;
    subject.crate_dir = s.crate_dir;
    subject.cargo_env = s.cargo_env;
    let note = format!(
        "{} differs from its pristine copy in {} (your work?): verifying the pristine copy. If you changed the stub on purpose, run verify with --working-copy",
        ex.stub_dir(),
        snap.strip_prefix(root).unwrap_or(&snap).display()
    );
    Ok((subject, Some(note)))
}

/// One exercise in one direction.
struct Case<'a> {
    ex: &'a Exercise,
    target: Target,
}

/// What running a case gave, ready to print and to tally.
struct Done {
    lines: Vec<String>,
    json: String,
    report: Option<CheckReport>,
    error: Option<Errored>,
}

/// The exercises this run covers: `--part`, `--exercise`, then
/// `--partition K/N` (every Nth exercise from the Kth, in course order, both
/// directions together so they share their build).
fn selected<'a>(course: &'a Course, req: &Request) -> Vec<&'a Exercise> {
    course
        .parts
        .iter()
        .filter(|p| req.part.is_none_or(|n| n == p.number))
        .flat_map(|p| p.exercises.iter())
        .filter(|e| req.exercise.as_ref().is_none_or(|id| *id == e.id))
        .enumerate()
        .filter(|(i, _)| req.partition.is_none_or(|(k, n)| i % n == k - 1))
        .map(|(_, e)| e)
        .collect()
}

async fn run_case(
    course: &Course,
    case: &Case<'_>,
    req: &Request,
    style: Style,
    cancel: Cancel,
) -> Done {
    let (ex, target) = (case.ex, case.target);
    let direction = if target == Target::Solution {
        "solution"
    } else {
        "stub"
    };
    let label = format!("{} {direction}", ex.id);
    let human = crate::report::human::Human {
        style,
        verbose: false,
    };
    let errored = |message: String| {
        let line = format!(
            "{} {label}: {}",
            style.red("✗"),
            message.lines().next().unwrap_or("")
        );
        let json = serde_json::json!({ "type": "case", "exercise": ex.id, "direction": direction, "ok": false, "error": message }).to_string();
        Done {
            lines: vec![line],
            json,
            report: None,
            error: Some(Errored {
                exercise: ex.id.clone(),
                target,
                message,
            }),
        }
    };
    let spec = match crate::session::spec(course, ex) {
        Ok(s) => s,
        Err(e) => return errored(e.to_string()),
    };
    let (mut subject, note) = match subject(course, ex, target) {
        Ok(s) => s,
        Err(msg) => return errored(msg),
    };
    subject.services = ex.services.clone();
    let opts = Options {
        seed: req
            .seed
            .unwrap_or_else(serverlings_core::rng::Rng::fresh_seed),
        colour: style.colour,
        verbose: false,
        attach: None,
    };
    let sink = |_| {};
    let mut report = match run::run(&subject, &spec, &opts, &sink, cancel.clone()).await {
        Ok(r) => r,
        Err(e) => return errored(e.to_string()),
    };
    // A reference solution that fails gets one more run (a new seed unless
    // one was given): a timing step on a machine busy with other work can
    // miss once. Passing the second time is reported as flaky, never hidden.
    let mut flaky = None;
    if target == Target::Solution
        && !report.cancelled
        && let Err(first) = judge(&report)
    {
        let again = Options {
            seed: req
                .seed
                .unwrap_or_else(serverlings_core::rng::Rng::fresh_seed),
            ..opts.clone()
        };
        if let Ok(second) = run::run(&subject, &spec, &again, &sink, cancel).await
            && judge(&second).is_ok()
        {
            flaky = Some(format!("{first} (seed {})", report.seed));
            report = second;
        }
    }
    let mut lines: Vec<String> = note
        .map(|n| format!("  {} {n}", style.dim("note:")))
        .into_iter()
        .collect();
    let took = style.dim(&format!(
        "({})",
        serverlings_core::duration::show(report.duration)
    ));
    let verdict = judge(&report);
    match &verdict {
        Ok(why) => {
            lines.push(format!("{} {label} {why} {took}", style.green("✓")));
            if let Some(first) = &flaky {
                lines.push(format!(
                    "  {} it failed the first time: {first}",
                    style.yellow("flaky:")
                ));
            }
        }
        Err(why) => {
            lines.push(format!(
                "{} {label}: {why} {took} {}",
                style.red("✗"),
                style.dim(&format!("seed {}", report.seed))
            ));
            if target == Target::Solution {
                for s in report
                    .steps
                    .iter()
                    .filter(|s| !matches!(s.status, StepStatus::Passed))
                {
                    lines.extend(human.step(s).lines().map(String::from));
                }
            }
        }
    }
    // Where the time went, for the per-exercise breakdown.
    let phases: serde_json::Map<String, serde_json::Value> = ["build", "test", "serve", "probe"]
        .iter()
        .map(|ph| {
            let ms: u128 = report
                .steps
                .iter()
                .filter(|s| {
                    serde_json::to_value(s.phase)
                        .ok()
                        .and_then(|v| v.as_str().map(String::from))
                        .as_deref()
                        == Some(*ph)
                })
                .map(|s| s.duration.as_millis())
                .sum();
            (ph.to_string(), serde_json::json!(ms as u64))
        })
        .collect();
    let json = serde_json::json!({
        "type": "case",
        "exercise": ex.id,
        "direction": direction,
        "ok": verdict.is_ok(),
        "flaky": flaky,
        "why": verdict.clone().unwrap_or_else(|e| e),
        "seed": report.seed,
        "duration_ms": report.duration.as_millis() as u64,
        "phases_ms": phases,
    })
    .to_string();
    Done {
        lines,
        json,
        report: Some(report),
        error: None,
    }
}

/// Runs the requested directions over the selected exercises, at most
/// `jobs` at a time, printing each case as it finishes (a progress bar on a
/// terminal, plain lines otherwise, or JSON lines).
pub async fn verify(course: &Course, req: &Request, style: Style, cancel: Cancel) -> Summary {
    use futures_util::StreamExt;
    let mut summary = Summary {
        reports: vec![],
        errors: vec![],
    };
    let mut targets = Vec::new();
    if req.solutions {
        targets.push(Target::Solution);
    }
    if req.stubs {
        targets.push(Target::Stub);
    }
    let cases: Vec<Case> = selected(course, req)
        .into_iter()
        .flat_map(|ex| targets.iter().map(move |&target| Case { ex, target }))
        .collect();
    if req.dry_run {
        for c in &cases {
            let direction = if c.target == Target::Solution {
                "solution"
            } else {
                "stub"
            };
            if req.json {
                outln!(
                    "{}",
                    serde_json::json!({ "type": "case", "exercise": c.ex.id, "direction": direction })
                );
            } else {
                outln!("{} {direction}", c.ex.id);
            }
        }
        return summary;
    }

    let bar = (req.progress && !req.json).then(|| {
        let pb = indicatif::ProgressBar::new(cases.len() as u64);
        pb.set_style(
            indicatif::ProgressStyle::with_template(
                "{bar:30} {pos}/{len} checks, {elapsed} (ETA {eta})",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        pb
    });
    let mut results = futures_util::stream::iter(cases.iter())
        .map(|case| run_case(course, case, req, style, cancel.clone()))
        .buffer_unordered(req.jobs.max(1));
    while let Some(done) = results.next().await {
        if req.json {
            outln!("{}", done.json);
        } else {
            for line in &done.lines {
                match &bar {
                    Some(pb) => pb.println(line),
                    None => outln!("{line}"),
                }
            }
        }
        if let Some(pb) = &bar {
            pb.inc(1);
        }
        let cancelled = done.report.as_ref().is_some_and(|r| r.cancelled);
        summary.reports.extend(done.report);
        summary.errors.extend(done.error);
        if cancelled {
            break;
        }
    }
    if let Some(pb) = bar {
        pb.finish_and_clear();
    }
    summary
}
