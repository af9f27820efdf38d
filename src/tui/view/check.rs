//! The check pane: the steps of the opened exercise's check as they stream
//! in (a spinner on the running one), and for a failure what was expected,
//! what came back, the compiler's coloured errors, the server's output, the
//! `curl` line and the hint.

use crate::tui::app::{App, CheckRun, Focus, Mode};
use crate::tui::view::{layout, sidebar};
use crate::tui::{ansi, strings, theme, wrap};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    Block, Borders, Paragraph, Scrollbar, ScrollbarOrientation, ScrollbarState,
};
use serverlings_core::outcome::{CheckReport, Failure, StepReport, StepStatus, Target};

fn secs(d: std::time::Duration) -> String {
    serverlings_core::duration::show(d)
}

/// Appends `text` wrapped to `width` after an indent, keeping ANSI colours.
fn push_block(out: &mut Vec<Line<'static>>, text: &str, indent: usize, style: Style, width: usize) {
    let pad = " ".repeat(indent);
    for line in ansi::lines(text, style) {
        for part in wrap::cut(&line.spans, width.saturating_sub(indent).max(8)) {
            let mut spans = vec![Span::raw(pad.clone())];
            spans.extend(part);
            out.push(Line::from(spans));
        }
    }
}

fn push_wrapped(
    out: &mut Vec<Line<'static>>,
    label: Option<(&str, Style)>,
    text: &str,
    style: Style,
    indent: usize,
    width: usize,
) {
    let mut chunks = vec![];
    if let Some((l, s)) = label {
        chunks.push(wrap::Chunk::new(format!("{l} "), s));
    }
    chunks.push(wrap::Chunk::new(text, style));
    let pad = " ".repeat(indent);
    for line in wrap::wrap(&chunks, width.saturating_sub(indent).max(8)) {
        let mut spans = vec![Span::raw(pad.clone())];
        spans.extend(line.into_iter().map(|c| Span::styled(c.text, c.style)));
        out.push(Line::from(spans));
    }
}

fn failure(out: &mut Vec<Line<'static>>, f: &Failure, width: usize) {
    push_wrapped(out, None, &f.summary, theme::bad(), 4, width);
    if let (Some(e), Some(a)) = (&f.expected, &f.actual)
        && !f.summary.contains(a.as_str())
    {
        push_wrapped(
            out,
            Some(("expected:", theme::dim())),
            e,
            theme::ok(),
            4,
            width,
        );
        push_wrapped(
            out,
            Some(("actual:  ", theme::dim())),
            a,
            theme::bad(),
            4,
            width,
        );
    }
    for d in &f.details {
        push_block(out, d, 4, Style::new(), width);
    }
    if let Some(c) = &f.curl {
        push_wrapped(
            out,
            Some(("try it:", theme::dim())),
            c,
            theme::accent(),
            4,
            width,
        );
    }
    if let Some(h) = &f.hint {
        push_wrapped(
            out,
            Some(("hint:", theme::warn())),
            h,
            Style::new(),
            4,
            width,
        );
    }
}

fn step(out: &mut Vec<Line<'static>>, s: &StepReport, width: usize) {
    let time = Span::styled(format!(" {}", secs(s.duration)), theme::dim());
    match &s.status {
        StepStatus::Passed => {
            let mut spans = vec![
                Span::styled("✓ ", theme::ok()),
                Span::raw(s.name.clone()),
                time,
            ];
            if let Some(n) = s.notes.first().filter(|n| !n.contains('\n')) {
                spans.push(Span::styled(format!(" — {n}"), theme::dim()));
            }
            out.push(Line::from(spans));
        }
        StepStatus::Skipped => out.push(Line::from(Span::styled(
            format!("- {}", s.name),
            theme::dim(),
        ))),
        StepStatus::Failed(f) => {
            out.push(Line::from(vec![
                Span::styled("✗ ", theme::bad()),
                Span::styled(s.name.clone(), theme::bold()),
                time,
            ]));
            failure(out, f, width);
        }
    }
}

fn verdict(out: &mut Vec<Line<'static>>, r: &CheckReport, width: usize) {
    let seed = format!("seed {}", r.seed);
    if r.cancelled {
        out.push(Line::from(Span::styled(
            "! interrupted; the server was stopped",
            theme::warn(),
        )));
        return;
    }
    let passed = r
        .steps
        .iter()
        .filter(|s| matches!(s.status, StepStatus::Passed))
        .count();
    let text = if r.passed() {
        vec![
            Span::styled("✓ ", theme::ok()),
            Span::styled(
                format!("{} passes", r.exercise),
                theme::ok().patch(theme::bold()),
            ),
            Span::raw(format!(
                ": {passed} step{} in {} ",
                if passed == 1 { "" } else { "s" },
                secs(r.duration)
            )),
            Span::styled(seed, theme::dim()),
        ]
    } else {
        let at = r.first_failure().map_or("?", |f| f.name.as_str());
        vec![
            Span::styled("✗ ", theme::bad()),
            Span::styled(
                format!("{} fails at “{at}”", r.exercise),
                theme::bad().patch(theme::bold()),
            ),
            Span::raw(format!(" ({passed} of {} steps passed) ", r.steps.len())),
            Span::styled(seed, theme::dim()),
        ]
    };
    let chunks: Vec<wrap::Chunk> = text
        .into_iter()
        .map(|s| wrap::Chunk::new(s.content.to_string(), s.style))
        .collect();
    out.extend(wrap::spans_to_lines(&chunks, width));
    if r.passed() && r.target == Target::Exercise {
        push_wrapped(
            out,
            None,
            "s shows the reference solution · n opens the next exercise",
            theme::accent(),
            0,
            width,
        );
    }
}

/// The pane's lines for a width, and the line of the first failed step.
pub fn content(app: &App, width: usize) -> (Vec<Line<'static>>, Option<usize>) {
    let mut out = vec![];
    let Some(ex) = app.opened_exercise() else {
        return (out, None);
    };
    let run: Option<&CheckRun> = app.checks.get(&ex.id);
    let Some(run) = run else {
        let state = app.progress.state(&ex.id);
        for l in strings::not_checked(state, &ex.stub_dir(), app.mode == Mode::Manual) {
            push_wrapped(&mut out, None, &l, Style::new(), 0, width);
        }
        return (out, None);
    };
    let mut first_failure = None;
    for s in &run.steps {
        if first_failure.is_none() && matches!(s.status, StepStatus::Failed(_)) {
            first_failure = Some(out.len());
        }
        step(&mut out, s, width);
    }
    if let Some((name, _)) = &run.current {
        let spin = sidebar::SPINNER[app.tick % sidebar::SPINNER.len()];
        out.push(Line::from(vec![
            Span::styled(format!("{spin} "), theme::warn()),
            Span::raw(format!("{name}…")),
        ]));
    } else if run.running() && run.steps.is_empty() {
        out.push(Line::from(Span::styled("starting…", theme::dim())));
    }
    if run.restarting {
        out.push(Line::from(Span::styled(
            "↻ a file changed: restarting the check…",
            theme::warn(),
        )));
    }
    if let Some(e) = &run.error {
        push_wrapped(
            &mut out,
            Some((e.label(), theme::bad())),
            &e.message(),
            Style::new(),
            0,
            width,
        );
    }
    if let Some(r) = &run.report {
        out.push(Line::default());
        verdict(&mut out, r, width);
    }
    (out, first_failure)
}

fn title(app: &App) -> (String, Line<'static>) {
    let id = app.opened.clone().unwrap_or_default();
    let left = format!(" Check · {id} ");
    let right = match app.checks.get(&id) {
        _ if app.is_running(&id) => Line::from(Span::styled(" running… ", theme::warn())),
        Some(CheckRun {
            report: Some(r), ..
        }) if r.cancelled => Line::from(Span::styled(" interrupted ", theme::warn())),
        Some(CheckRun {
            report: Some(r), ..
        }) if r.passed() => Line::from(Span::styled(" ✓ passes ", theme::ok())),
        Some(CheckRun {
            report: Some(_), ..
        }) => Line::from(Span::styled(" ✗ fails ", theme::bad())),
        Some(CheckRun { error: Some(e), .. }) => Line::from(Span::styled(e.title(), theme::bad())),
        _ => Line::default(),
    };
    (left, right.right_aligned())
}

pub fn draw(app: &App, frame: &mut Frame, area: Rect) {
    let focused = app.focus == Focus::Check;
    let (left, right) = title(app);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme::border(focused))
        .title(left)
        .title(right);
    frame.render_widget(block, area);
    let inner = layout::inner(area);
    let (lines, _) = content(app, inner.width as usize);
    let h = inner.height as usize;
    let max = lines.len().saturating_sub(h);
    // A running check follows its latest step.
    let following = app.opened.as_deref().is_some_and(|id| app.is_running(id));
    let scroll = if following {
        max
    } else {
        app.check_scroll.min(max)
    };
    let visible: Vec<Line<'static>> = lines.iter().skip(scroll).take(h).cloned().collect();
    frame.render_widget(Paragraph::new(visible), inner);
    if max > 0 {
        let mut state = ScrollbarState::new(max).position(scroll);
        frame.render_stateful_widget(
            Scrollbar::new(ScrollbarOrientation::VerticalRight)
                .begin_symbol(None)
                .end_symbol(None)
                .track_symbol(None)
                .thumb_style(theme::border(focused)),
            Rect::new(
                area.x,
                area.y + 1,
                area.width,
                area.height.saturating_sub(2),
            ),
            &mut state,
        );
    }
}
