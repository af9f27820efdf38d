//! `serverlings doctor`: is this machine ready for the course? One line per
//! finding; every problem says what to do.

use crate::out::outln;
use crate::style::Style;
use serverlings_core::course::Course;
use std::io::IsTerminal;
use std::process::Command;

pub struct Finding {
    pub ok: bool,
    pub what: String,
    pub detail: String,
}

fn version_of(program: &str) -> Option<String> {
    let mut cmd = Command::new(program);
    cmd.arg("--version");
    let out =
        serverlings_proc::process::output_within_sync(cmd, std::time::Duration::from_secs(10))
            .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// `rustc 1.95.0 (…)` → (1, 95).
pub fn parse_version(text: &str) -> Option<(u32, u32)> {
    let v = text.split_whitespace().nth(1)?;
    let mut it = v.split(['.', '-']);
    Some((it.next()?.parse().ok()?, it.next()?.parse().ok()?))
}

pub fn run(course: &Course) -> Vec<Finding> {
    let mut out = Vec::new();
    let min = parse_version(&format!("x {}", course.min_rust)).unwrap_or((1, 85));
    let cargo = serverlings_runner::cargo::cargo_bin();
    for (name, program) in [
        ("cargo", cargo.to_string_lossy().into_owned()),
        ("rustc", "rustc".to_string()),
    ] {
        match version_of(&program) {
            None => out.push(Finding {
                ok: false,
                what: name.into(),
                detail: format!("`{name}` was not found: install Rust with rustup (https://rustup.rs), then open a new terminal"),
            }),
            Some(v) => {
                let ok = parse_version(&v).is_some_and(|got| got >= min);
                let detail = if ok {
                    v
                } else {
                    format!("{v} is older than the course needs ({}.{}): run `rustup update stable`", min.0, min.1)
                };
                out.push(Finding { ok, what: name.into(), detail });
            }
        }
    }
    let (_, problems) = crate::lint::lint(&course.root);
    out.push(Finding {
        ok: problems.is_empty(),
        what: "course".into(),
        detail: if problems.is_empty() {
            format!(
                "{} parts, {} exercises, content valid",
                course.parts.len(),
                course.exercises().count()
            )
        } else {
            format!(
                "{} content problem(s): run `serverlings lint` for file:line:col",
                problems.len()
            )
        },
    });
    match serverlings_runner::progress::load(&course.root) {
        Ok(serverlings_runner::progress::Loaded::Recovered { backup, .. }) => out.push(Finding {
            ok: false,
            what: "progress".into(),
            detail: format!(
                "the progress file was corrupt and was moved to {}",
                backup.display()
            ),
        }),
        Ok(_) => out.push(Finding {
            ok: true,
            what: "progress".into(),
            detail: serverlings_runner::progress::path(&course.root)
                .display()
                .to_string(),
        }),
        Err(e) => out.push(Finding {
            ok: false,
            what: "progress".into(),
            detail: format!("{e}: check the folder's permissions"),
        }),
    }
    out.extend(services(course));
    out.push(terminal());
    out.push(disk(course));
    out
}

/// Each service: how a check would get it, and whether exercises need it.
fn services(course: &Course) -> Vec<Finding> {
    use serverlings_services::{Kind, ops};
    let rows = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt.block_on(ops::status(&course.root)),
        Err(e) => {
            return vec![Finding {
                ok: false,
                what: "services".into(),
                detail: format!("cannot start the async runtime to look at them: {e}"),
            }];
        }
    };
    rows.into_iter()
        .map(|r| {
            let needing: Vec<&str> = course
                .exercises()
                .filter(|e| Kind::parse_list(&e.services).contains(&r.kind))
                .map(|e| e.id.as_str())
                .collect();
            let who = match needing.as_slice() {
                [] => "no exercise needs it yet".to_string(),
                [one] => format!("needed by {one}"),
                [first, rest @ ..] => format!("needed by {first} and {} more", rest.len()),
            };
            Finding {
                ok: r.ok || needing.is_empty(),
                what: r.kind.id().into(),
                detail: format!("{} ({who})", r.text),
            }
        })
        .collect()
}

/// Colours, size and hyperlinks of the terminal.
fn terminal() -> Finding {
    let tty = std::io::stdout().is_terminal();
    let colour = std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    // Colour is only ever used on a terminal (NO_COLOR turns it off there).
    let mut detail = if tty {
        format!(
            "interactive, colours {}",
            if colour { "on" } else { "off (NO_COLOR)" }
        )
    } else {
        "not a terminal: plain output, no colours".to_string()
    };
    let mut ok = true;
    if tty {
        let mut ws = libc::winsize {
            ws_row: 0,
            ws_col: 0,
            ws_xpixel: 0,
            ws_ypixel: 0,
        };
        // SAFETY: TIOCGWINSZ fills the struct we pass.
        if unsafe { libc::ioctl(libc::STDOUT_FILENO, libc::TIOCGWINSZ, &mut ws) } == 0
            && ws.ws_col > 0
        {
            detail.push_str(&format!(", {}×{}", ws.ws_col, ws.ws_row));
            if ws.ws_col < 60 {
                ok = false;
                detail.push_str(
                    ": narrower than 60 columns; widen the window so reports are not cut",
                );
            }
        }
        detail.push_str(if hyperlinks() {
            ", hyperlinks likely supported"
        } else {
            ", hyperlinks unknown (file paths are printed in full)"
        });
    }
    Finding {
        ok,
        what: "terminal".into(),
        detail,
    }
}

/// Terminals known to open OSC 8 hyperlinks.
fn hyperlinks() -> bool {
    let var = |k: &str| std::env::var(k).unwrap_or_default();
    matches!(
        var("TERM_PROGRAM").as_str(),
        "iTerm.app" | "WezTerm" | "vscode" | "ghostty" | "Hyper"
    ) || var("VTE_VERSION").parse::<u32>().is_ok_and(|v| v >= 5000)
        || std::env::var_os("KITTY_WINDOW_ID").is_some()
        || std::env::var_os("WT_SESSION").is_some()
}

/// Free space where the shared target dir lives.
fn disk(course: &Course) -> Finding {
    const NEED_GIB: f64 = 2.0;
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| course.root.join("target"));
    let existing = target
        .ancestors()
        .find(|a| a.exists())
        .unwrap_or(&course.root)
        .to_path_buf();
    let free = std::ffi::CString::new(existing.as_os_str().as_encoded_bytes())
        .ok()
        .and_then(|c| {
            let mut st: libc::statvfs = unsafe { std::mem::zeroed() };
            // SAFETY: statvfs fills the struct for a NUL-terminated path.
            (unsafe { libc::statvfs(c.as_ptr(), &mut st) } == 0)
                .then(|| st.f_bavail as f64 * st.f_frsize as f64 / (1u64 << 30) as f64)
        });
    match free {
        Some(gib) if gib < NEED_GIB => Finding {
            ok: false,
            what: "disk".into(),
            detail: format!(
                "only {gib:.1} GiB free for the target dir {}: the course's builds need about {NEED_GIB} GiB; free some space or set CARGO_TARGET_DIR to a bigger disk",
                target.display()
            ),
        },
        Some(gib) => Finding {
            ok: true,
            what: "disk".into(),
            detail: format!("{gib:.1} GiB free for the target dir {}", target.display()),
        },
        None => Finding {
            ok: true,
            what: "disk".into(),
            detail: format!("cannot tell the free space for {}", target.display()),
        },
    }
}

pub fn print(findings: &[Finding], style: Style) {
    for f in findings {
        let mark = if f.ok {
            style.green("✓")
        } else {
            style.red("✗")
        };
        outln!("{mark} {:<9} {}", f.what, f.detail);
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn versions() {
        assert_eq!(
            super::parse_version("rustc 1.95.0 (59807616e 2026-04-14)"),
            Some((1, 95))
        );
        assert_eq!(super::parse_version("cargo 1.85.1"), Some((1, 85)));
        assert_eq!(super::parse_version("x 1.85"), Some((1, 85)));
        assert_eq!(super::parse_version("garbage"), None);
    }
}
