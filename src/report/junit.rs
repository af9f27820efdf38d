//! JUnit XML for CI dashboards: one test case per exercise and direction;
//! the failure text is the same message a learner would read.

use crate::report::human::Human;
use crate::style::Style;
use serverlings_core::outcome::{CheckReport, Target};

fn esc(s: &str) -> String {
    let s = serverlings_runner::cargo::strip_ansi(s);
    s.chars()
        .filter(|c| !c.is_control() || *c == '\n' || *c == '\t')
        .collect::<String>()
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A case that did not produce a report (infrastructure error).
pub struct Errored {
    pub exercise: String,
    pub target: Target,
    pub message: String,
}

pub fn render(reports: &[CheckReport], errors: &[Errored]) -> String {
    let plain = Human {
        style: Style { colour: false },
        verbose: false,
    };
    let total = reports.len() + errors.len();
    let failures = reports.iter().filter(|r| r.verdict().is_err()).count();
    let time: f64 = reports.iter().map(|r| r.duration.as_secs_f64()).sum();
    let mut x = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    x.push_str(&format!(
        "<testsuites name=\"serverlings verify\" tests=\"{total}\" failures=\"{failures}\" errors=\"{}\" time=\"{time:.3}\">\n",
        errors.len()
    ));
    x.push_str(&format!(
        "  <testsuite name=\"verify\" tests=\"{total}\" failures=\"{failures}\" errors=\"{}\" time=\"{time:.3}\">\n",
        errors.len()
    ));
    for r in reports {
        let (direction, want) = direction(r.target);
        x.push_str(&format!(
            "    <testcase classname=\"{}\" name=\"{} {want}\" time=\"{:.3}\">\n",
            esc(&r.exercise),
            direction,
            r.duration.as_secs_f64()
        ));
        if let Err(why) = r.verdict() {
            let body: String = r.steps.iter().map(|s| plain.step(s)).collect();
            x.push_str(&format!(
                "      <failure message=\"{}\">{}</failure>\n",
                esc(&why),
                esc(&body)
            ));
        }
        x.push_str(&format!("      <system-out>seed {}</system-out>\n", r.seed));
        x.push_str("    </testcase>\n");
    }
    for e in errors {
        let (direction, want) = direction(e.target);
        x.push_str(&format!(
            "    <testcase classname=\"{}\" name=\"{direction} {want}\">\n",
            esc(&e.exercise)
        ));
        x.push_str(&format!("      <error message=\"{}\"/>\n", esc(&e.message)));
        x.push_str("    </testcase>\n");
    }
    x.push_str("  </testsuite>\n</testsuites>\n");
    x
}

fn direction(t: Target) -> (&'static str, &'static str) {
    match t {
        Target::Solution => ("solution", "passes"),
        _ => ("stub", "fails"),
    }
}
