//! `check` and `probe`: one check, in the terminal or as JSON lines.

use super::{cancel_on_signals, cancelled_exit, load_progress, pick, runtime};
use crate::cli::Format;
use crate::out::{out, outln};
use crate::report::human::Human;
use crate::style::Style;
use anyhow::{Context, Result, bail};
use serverlings_core::course::Course;
use serverlings_core::outcome::Target;
use serverlings_runner::check::run::{self, Options};
use serverlings_runner::progress;
use std::process::ExitCode;

pub fn check(
    course: &Course,
    id: Option<String>,
    solution: bool,
    seed: Option<u64>,
    format: Format,
    verbose: bool,
    style: Style,
) -> Result<ExitCode> {
    let mut p = load_progress(course)?;
    let base = p.clone();
    let ex = pick(course, &p, id)?.clone();
    let spec = crate::session::spec(course, &ex)?;
    let target = if solution {
        Target::Solution
    } else {
        Target::Exercise
    };
    let subject = crate::session::subject(course, &ex, target);
    let opts = Options {
        seed: seed.unwrap_or_else(serverlings_core::rng::Rng::fresh_seed),
        colour: style.colour,
        verbose,
        attach: None,
    };

    let human = Human { style, verbose };
    let report = runtime()?.block_on(async {
        let cancel = cancel_on_signals();
        let sink = |e: serverlings_core::outcome::Event| print_event(format, &human, &e);
        let report = run::run(&subject, &spec, &opts, &sink, cancel).await;
        // Stop what was started on demand for the check.
        serverlings_services::shutdown().await;
        report
    })?;
    match format {
        Format::Human => out!("{}", human.verdict(&report)),
        Format::Json => outln!("{}", crate::report::json::verdict(&report)),
    }
    if report.cancelled {
        return Ok(cancelled_exit());
    }
    if !solution {
        let next = p.record(course, &ex.id, report.passed());
        if report.passed() && format == Format::Human {
            outln!(
                "The reference solution is now available: serverlings solution {}",
                ex.id
            );
            match next {
                Some(n) => {
                    outln!("Next: serverlings check {n}  (or just `serverlings` to see it)")
                }
                None => outln!("That was the last one. Well done."),
            }
        }
        progress::save_changes(&course.root, &base, &p)?;
    }
    Ok(if report.passed() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// Where `--url` points, refusing anything but loopback unless allowed.
pub fn attach_target(
    url: &str,
    allow_remote: bool,
) -> Result<serverlings_runner::check::run::Attach> {
    let parsed = url::Url::parse(url)
        .or_else(|_| url::Url::parse(&format!("http://{url}")))
        .with_context(|| format!("`{url}` is not a URL: write it like http://127.0.0.1:8080"))?;
    if !matches!(parsed.scheme(), "http" | "ws") {
        bail!("`{url}`: only http:// (or ws://) servers can be probed");
    }
    let host = match parsed.host() {
        Some(url::Host::Domain(d)) => d.to_string(),
        Some(url::Host::Ipv4(ip)) => ip.to_string(),
        Some(url::Host::Ipv6(ip)) => ip.to_string(),
        None => bail!("`{url}` has no host: write it like http://127.0.0.1:8080"),
    };
    let loopback = host == "localhost"
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback());
    if !loopback && !allow_remote {
        bail!(
            "`{host}` is not this machine: probing sends many requests (and malformed ones), so only loopback servers are probed. Pass --allow-remote if the server is yours"
        );
    }
    let port = parsed.port_or_known_default().unwrap_or(80);
    Ok(serverlings_runner::check::run::Attach {
        host: if host == "localhost" {
            "127.0.0.1".into()
        } else {
            host
        },
        port,
    })
}

#[allow(clippy::too_many_arguments)]
pub fn probe(
    course: &Course,
    id: &str,
    url: &str,
    allow_remote: bool,
    seed: Option<u64>,
    format: Format,
    verbose: bool,
    style: Style,
) -> Result<ExitCode> {
    let ex = course.find(id).map_err(anyhow::Error::msg)?.clone();
    let attach = attach_target(url, allow_remote)?;
    let spec = crate::session::spec(course, &ex)?;
    if spec.steps.is_empty() {
        bail!(
            "`{}` is checked by its tests only: there is nothing to probe over the network",
            ex.id
        );
    }
    let subject = crate::session::subject(course, &ex, Target::Exercise);
    let opts = Options {
        seed: seed.unwrap_or_else(serverlings_core::rng::Rng::fresh_seed),
        colour: style.colour,
        verbose,
        attach: Some(attach),
    };
    let human = Human { style, verbose };
    let report = runtime()?.block_on(async {
        let cancel = cancel_on_signals();
        let sink = |e: serverlings_core::outcome::Event| print_event(format, &human, &e);
        run::run(&subject, &spec, &opts, &sink, cancel).await
    })?;
    match format {
        Format::Human => {
            out!("{}", human.verdict(&report));
            if report.passed() {
                outln!(
                    "(probing does not mark the exercise done: `serverlings check {}` builds and judges your crate)",
                    ex.id
                );
            }
        }
        Format::Json => outln!("{}", crate::report::json::verdict(&report)),
    }
    if report.cancelled {
        return Ok(cancelled_exit());
    }
    Ok(if report.passed() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// A check's live output: text as each step finishes, or JSON lines.
pub fn print_event(format: Format, human: &Human, e: &serverlings_core::outcome::Event) {
    match format {
        Format::Human => human.event(e),
        Format::Json => {
            if let Some(line) = crate::report::json::event(e) {
                outln!("{line}");
            }
        }
    }
}
