//! The TUI's state: the course, the learner's progress, what is on screen.
//! Changed only by `update::update`; read by the views.

use crate::tui::action::Content;
use crate::tui::highlight::HighlightCache;
use crate::tui::markdown::{self, Rendered};
use crate::tui::search::Search;
use crate::tui::view::layout;
use serverlings_core::course::{Course, Exercise};
use serverlings_core::diag::Diagnostic;
use serverlings_core::outcome::{CheckReport, Event, Phase, StepReport};
use serverlings_runner::progress::Progress;
use std::collections::HashMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    Sidebar,
    Lesson,
    Check,
}

/// How saves turn into checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mode {
    /// Native file events.
    Watch,
    /// Polling the files (slow file systems, or `--poll`).
    Poll,
    /// Only `c` runs the check.
    Manual,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Info,
    Good,
    Bad,
}

/// One check of one exercise, as it streams in.
#[derive(Debug, Clone, Default)]
pub struct CheckRun {
    pub seed: Option<u64>,
    pub steps: Vec<StepReport>,
    /// The step running now.
    pub current: Option<(String, Phase)>,
    pub report: Option<CheckReport>,
    /// Why there is no verdict (cargo missing, a broken check spec).
    pub error: Option<super::action::CheckError>,
    /// A save arrived while this ran: it is being cancelled and restarted.
    pub restarting: bool,
}

impl CheckRun {
    pub fn apply(&mut self, e: Event) {
        match e {
            Event::Started { seed, .. } => self.seed = Some(seed),
            Event::StepStarted { name, phase } => self.current = Some((name, phase)),
            Event::StepFinished(step) => {
                self.current = None;
                self.steps.push(step);
            }
        }
    }

    pub fn running(&self) -> bool {
        self.report.is_none() && self.error.is_none()
    }
}

#[derive(Debug, Clone)]
pub struct Running {
    pub run: u64,
    pub exercise: String,
    pub cancelling: bool,
}

#[derive(Debug)]
pub enum Overlay {
    Help,
    /// Hints 1..=shown of an exercise.
    Hints {
        exercise: String,
        scroll: usize,
    },
    ConfirmReset {
        exercise: String,
    },
    Solution {
        exercise: String,
        /// Markdown; `None` while loading.
        text: Option<String>,
        /// (width, highlight generation, rendering).
        rendered: Option<(usize, u64, Rendered)>,
        scroll: usize,
    },
    Search(Search),
}

/// The lesson pane: which part's lesson, where it is scrolled, and its
/// rendering for the current width.
#[derive(Debug, Default)]
pub struct LessonView {
    pub part: usize,
    pub scroll: usize,
    /// Where to scroll once rendered: a section slug or a source offset.
    pub pending: Option<Target>,
    pub rendered: Option<Rendered>,
    /// (part, width, content version, highlight generation) of `rendered`.
    pub key: Option<(usize, usize, u64, u64)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Section(String),
    Offset(usize),
}

pub struct Settings {
    pub mode: Mode,
    pub hyperlinks: bool,
    pub colour: bool,
}

#[derive(Debug)]
pub struct App {
    pub course: Course,
    pub problems: Vec<Diagnostic>,
    pub progress: Progress,
    /// Each part's lesson markdown, in the order of `course.parts`.
    pub lessons: Vec<String>,
    /// Bumped whenever the content is read again.
    pub content_version: u64,
    pub hl: HighlightCache,
    pub lesson: LessonView,
    /// The exercise on screen, by id.
    pub opened: Option<String>,
    /// The sidebar's cursor (an exercise id).
    pub cursor: Option<String>,
    pub focus: Focus,
    pub checks: HashMap<String, CheckRun>,
    pub running: Option<Running>,
    /// To check once the cancelled run has stopped its server.
    pub queued: Option<String>,
    pub next_run: u64,
    pub check_scroll: usize,
    pub mode: Mode,
    /// Why the watcher polls, when it does.
    pub notice: Option<String>,
    pub overlay: Option<Overlay>,
    pub message: Option<(String, Tone)>,
    pub size: (u16, u16),
    pub tick: usize,
    pub hyperlinks: bool,
    pub colour: bool,
    pub quitting: bool,
}

impl App {
    pub fn new(content: Content, progress: Progress, size: (u16, u16), settings: Settings) -> App {
        let mut app = App {
            course: content.course,
            problems: content.problems,
            progress,
            lessons: content.lessons,
            content_version: 0,
            hl: HighlightCache::default(),
            lesson: LessonView::default(),
            opened: None,
            cursor: None,
            focus: Focus::Lesson,
            checks: HashMap::new(),
            running: None,
            queued: None,
            next_run: 1,
            check_scroll: 0,
            mode: settings.mode,
            notice: None,
            overlay: None,
            message: None,
            size,
            tick: 0,
            hyperlinks: settings.hyperlinks,
            colour: settings.colour,
            quitting: false,
        };
        if let Some(ex) = app.current_exercise().map(|e| e.id.clone()) {
            app.show(&ex);
        }
        app.render_lesson();
        app
    }

    /// The exercise the learner is on (as the CLI decides); once all are
    /// done, the first, so the screen still shows an exercise.
    pub fn current_exercise(&self) -> Option<&Exercise> {
        self.progress
            .current(&self.course)
            .or_else(|| self.course.exercises().next())
    }

    pub fn opened_exercise(&self) -> Option<&Exercise> {
        self.opened
            .as_deref()
            .and_then(|id| self.course.exercise(id))
    }

    pub fn part_index(&self, ex: &Exercise) -> usize {
        self.course
            .parts
            .iter()
            .position(|p| p.dir == ex.part)
            .unwrap_or(0)
    }

    /// Puts an exercise on screen: its part's lesson at its section.
    pub fn show(&mut self, id: &str) {
        let Some(ex) = self.course.exercise(id) else {
            return;
        };
        let part = self.part_index(ex);
        let section = ex.section.clone();
        self.opened = Some(id.to_string());
        self.cursor = Some(id.to_string());
        if self.lesson.part != part || self.lesson.rendered.is_none() {
            self.lesson.part = part;
        }
        self.lesson.pending = Some(Target::Section(section));
        self.check_scroll = 0;
    }

    /// Width of the lesson text for the current window.
    pub fn lesson_width(&self) -> usize {
        layout::lesson_text_width(layout::areas(self.size, self.focus))
    }

    /// Renders the lesson again when the part, the text, the width or the
    /// highlighter changed, then applies a pending scroll target.
    pub fn render_lesson(&mut self) {
        let part = self.lesson.part;
        let Some(text) = self.lessons.get(part) else {
            self.lesson.rendered = None;
            return;
        };
        let width = self.lesson_width();
        let key = (part, width, self.content_version, self.hl.generation);
        if self.lesson.key != Some(key) {
            // Keep the reader's place: the block at the top of the pane
            // stays at the top after a re-wrap or an edit of the lesson.
            let same_part = self.lesson.key.is_some_and(|k| k.0 == part);
            if same_part
                && self.lesson.pending.is_none()
                && let Some(r) = &self.lesson.rendered
            {
                let i = r
                    .anchors
                    .partition_point(|(_, line)| *line <= self.lesson.scroll);
                if i > 0 && self.lesson.scroll > 0 {
                    self.lesson.pending = Some(Target::Offset(r.anchors[i - 1].0));
                }
            }
            let opts = markdown::Options {
                width,
                hyperlinks: self.hyperlinks,
                colour: self.colour,
            };
            self.lesson.rendered = Some(markdown::render(text, opts, &mut self.hl));
            self.lesson.key = Some(key);
        }
        if let (Some(target), Some(r)) = (self.lesson.pending.take(), &self.lesson.rendered) {
            self.lesson.scroll = match target {
                Target::Section(slug) => r.line_of_section(&slug).unwrap_or(0),
                Target::Offset(o) => r.line_of_offset(o),
            };
        }
        let max = self.lesson_max_scroll();
        self.lesson.scroll = self.lesson.scroll.min(max);
    }

    pub fn lesson_max_scroll(&self) -> usize {
        let lines = self.lesson.rendered.as_ref().map_or(0, |r| r.lines.len());
        let height = layout::areas(self.size, self.focus)
            .lesson
            .height
            .saturating_sub(2) as usize;
        lines.saturating_sub(height.max(1))
    }

    /// Re-renders the solution overlay for the current width if needed.
    pub fn render_solution(&mut self) {
        let width = layout::overlay_text_width(self.size);
        let (hyperlinks, colour) = (self.hyperlinks, self.colour);
        if let Some(Overlay::Solution {
            text: Some(text),
            rendered,
            ..
        }) = &mut self.overlay
            && rendered.as_ref().map(|(w, g, _)| (*w, *g)) != Some((width, self.hl.generation))
        {
            let opts = markdown::Options {
                width,
                hyperlinks,
                colour,
            };
            let r = markdown::render(text, opts, &mut self.hl);
            *rendered = Some((width, self.hl.generation, r));
        }
    }

    /// Replaces the content after an edit on disk, keeping what is on screen.
    pub fn replace_content(&mut self, content: Content) {
        self.problems = content.problems;
        // A part that no longer reads (a TOML error mid-edit) would vanish
        // from the course: keep the last good version until it is fixed.
        let lost = self
            .course
            .parts
            .iter()
            .any(|p| !content.course.parts.iter().any(|n| n.dir == p.dir));
        if !lost || self.problems.is_empty() {
            self.course = content.course;
            self.lessons = content.lessons;
        } else {
            // Still take the new text of every lesson that reads.
            for (i, p) in self.course.parts.iter().enumerate() {
                if let Some(j) = content.course.parts.iter().position(|n| n.dir == p.dir)
                    && let Some(text) = content.lessons.get(j)
                {
                    self.lessons[i] = text.clone();
                }
            }
        }
        self.content_version += 1;
        if self.lesson.part >= self.course.parts.len() {
            self.lesson.part = 0;
        }
        if self.opened_exercise().is_none() {
            self.opened = None;
            if let Some(id) = self.current_exercise().map(|e| e.id.clone()) {
                self.show(&id);
            }
        }
        if self
            .cursor
            .as_deref()
            .and_then(|c| self.course.exercise(c))
            .is_none()
        {
            self.cursor = self.opened.clone();
        }
    }

    pub fn is_running(&self, id: &str) -> bool {
        self.running.as_ref().is_some_and(|r| r.exercise == id)
    }
}
