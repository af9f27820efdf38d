//! The terminal report: one line per step as it finishes, and for a failure
//! what was sent, expected and received, the curl line and a hint.

use crate::style::Style;
use serverlings_core::outcome::{
    CheckReport, Event, Failure, Phase, StepReport, StepStatus, Target,
};
use std::io::Write;

pub struct Human {
    pub style: Style,
    /// Show notes (compiler warnings, timings) of passing steps too.
    pub verbose: bool,
}

impl Human {
    pub fn event(&self, e: &Event) {
        let s = &self.style;
        let mut out = std::io::stdout().lock();
        match e {
            Event::Started {
                exercise,
                target,
                seed,
            } => {
                let what = match target {
                    Target::Exercise => String::new(),
                    Target::Stub => " (pristine stub)".into(),
                    Target::Solution => " (reference solution)".into(),
                };
                let _ = writeln!(
                    out,
                    "{} {}{what} {}",
                    s.bold("Checking"),
                    s.cyan(exercise),
                    s.dim(&format!("(seed {seed})"))
                );
            }
            Event::StepStarted {
                name,
                phase: Phase::Build | Phase::Serve,
            } => {
                let _ = writeln!(out, "  {} {name}…", s.dim("·"));
            }
            Event::StepStarted { .. } => {}
            Event::StepFinished(step) => {
                let _ = write!(out, "{}", self.step(step));
            }
        }
        let _ = out.flush();
    }

    pub fn step(&self, step: &StepReport) -> String {
        let s = &self.style;
        let time = s.dim(&format!(
            "({})",
            serverlings_core::duration::show(step.duration)
        ));
        let mut text = String::new();
        match &step.status {
            StepStatus::Passed => {
                let note = step
                    .notes
                    .first()
                    .filter(|n| !n.contains('\n'))
                    .map(|n| format!(" {}", s.dim(&format!("— {n}"))))
                    .unwrap_or_default();
                text.push_str(&format!("  {} {} {time}{note}\n", s.green("✓"), step.name));
                if self.verbose {
                    for n in step.notes.iter().skip(1) {
                        text.push_str(&indent(n, 6));
                    }
                }
            }
            StepStatus::Skipped => {
                text.push_str(&format!("  {} {}\n", s.dim("-"), s.dim(&step.name)))
            }
            StepStatus::Failed(f) => {
                text.push_str(&format!("  {} {} {time}\n", s.red("✗"), s.bold(&step.name)));
                text.push_str(&self.failure(f));
            }
        }
        text
    }

    pub fn failure(&self, f: &Failure) -> String {
        let s = &self.style;
        let mut t = format!("      {}\n", s.red(&f.summary));
        if let (Some(e), Some(a)) = (&f.expected, &f.actual)
            && !f.summary.contains(a.as_str())
        {
            t.push_str(&format!(
                "      expected: {}\n      actual:   {}\n",
                s.green(e),
                s.red(a)
            ));
        }
        for d in &f.details {
            t.push_str(&indent(d, 6));
        }
        if let Some(c) = &f.curl {
            t.push_str(&format!("      {} {}\n", s.dim("try it:"), c));
        }
        if let Some(h) = &f.hint {
            t.push_str(&format!("      {} {}\n", s.yellow("hint:"), h));
        }
        t
    }

    /// The closing lines after a check.
    pub fn verdict(&self, r: &CheckReport) -> String {
        let s = &self.style;
        if r.cancelled {
            return format!(
                "{} {} — interrupted; the server was stopped\n",
                s.yellow("!"),
                r.exercise
            );
        }
        let probes = r.steps.iter().filter(|st| st.phase == Phase::Probe).count();
        let passed = r
            .steps
            .iter()
            .filter(|st| matches!(st.status, StepStatus::Passed))
            .count();
        let seed = s.dim(&format!("seed {} (repeat with --seed {})", r.seed, r.seed));
        if r.passed() {
            format!(
                "{} {} passes: {passed} step{} in {} {seed}\n",
                s.green("✓"),
                s.bold(&r.exercise),
                if passed == 1 { "" } else { "s" },
                serverlings_core::duration::show(r.duration)
            )
        } else {
            let at = r.first_failure().map(|f| f.name.as_str()).unwrap_or("?");
            format!(
                "{} {} fails at “{at}” ({passed} of {} steps passed) {seed}\n",
                s.red("✗"),
                s.bold(&r.exercise),
                r.steps.len().max(probes)
            )
        }
    }
}

fn indent(text: &str, n: usize) -> String {
    let pad = " ".repeat(n);
    text.lines().map(|l| format!("{pad}{l}\n")).collect()
}
