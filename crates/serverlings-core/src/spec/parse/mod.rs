//! Parsing a spec: the context that collects diagnostics and the entry
//! point, which reads the top-level tables in order; each section lives in
//! a file of its own (`harness`: [test], [mutation]; `vars`; `fakes`:
//! [[upstream]], [oidc]; `serve`: [serve], [tls]); the steps are in
//! `spec::step`.

mod fakes;
mod harness;
mod serve;
mod vars;

use super::raw::RawSpec;
use super::step::convert_step;
use super::{BUILTINS, Spec};
use crate::diag::{self, Diagnostic};
use crate::duration;
use crate::template::Template;
use std::ops::Range;
use std::time::Duration;
use toml::Spanned;

pub(super) struct Ctx<'a> {
    pub(super) file: &'a str,
    pub(super) text: &'a str,
    pub(super) problems: Vec<Diagnostic>,
    /// Names a template may use at this point: vars, builtins, earlier captures.
    pub(super) known: Vec<String>,
    /// How many server instances `[serve]` starts.
    pub(super) instances: usize,
    /// Names of the declared upstreams.
    pub(super) upstreams: Vec<String>,
    /// Whether `[serve]` routes PostgreSQL through the proxy.
    pub(super) proxied: bool,
    /// Roles of the processes `[serve] also` starts.
    pub(super) processes: Vec<String>,
    /// How many instances start with the check (the others wait for `start`).
    pub(super) started: usize,
}

impl Ctx<'_> {
    pub(super) fn err(
        &mut self,
        span: Range<usize>,
        msg: impl Into<String>,
        help: impl Into<String>,
    ) {
        self.problems
            .push(Diagnostic::new(self.file, self.text, Some(span), msg).with_help(help));
    }

    pub(super) fn duration(
        &mut self,
        raw: &Option<Spanned<String>>,
        default: Duration,
    ) -> Duration {
        match raw {
            None => default,
            Some(s) => match duration::parse(s.get_ref()) {
                Ok(d) => d,
                Err(m) => {
                    self.err(
                        s.span(),
                        m,
                        "durations look like \"500ms\", \"5s\" or \"2m\"",
                    );
                    default
                }
            },
        }
    }

    pub(super) fn template(&mut self, s: &Spanned<String>) -> Template {
        let t = Template::parse(s.get_ref());
        let unknown: Vec<String> = t
            .names()
            .filter(|n| !self.known.iter().any(|k| k == n))
            .map(String::from)
            .collect();
        for name in unknown {
            let help = match diag::did_you_mean(&name, self.known.iter().map(String::as_str)) {
                Some(m) => {
                    format!("did you mean `{{{m}}}`? (write `{{{{{name}}}}}` for literal braces)")
                }
                None => format!(
                    "declare it in [vars], capture it in an earlier step, or use a built-in ({}); write `{{{{{name}}}}}` for literal braces",
                    BUILTINS.join(", ")
                ),
            };
            self.err(s.span(), format!("unknown placeholder `{{{name}}}`"), help);
        }
        t
    }

    pub(super) fn template_str(&mut self, s: &str, span: Range<usize>) -> Template {
        self.template(&Spanned::new(span, s.to_string()))
    }

    pub(super) fn hex(&mut self, s: &Spanned<String>) -> Vec<u8> {
        let clean: String = s.get_ref().chars().filter(|c| !c.is_whitespace()).collect();
        // Byte-pair slicing is only char-safe on ASCII: "0é0" is not hex.
        let bytes: Option<Vec<u8>> = if clean.len().is_multiple_of(2) && clean.is_ascii() {
            (0..clean.len())
                .step_by(2)
                .map(|i| u8::from_str_radix(&clean[i..i + 2], 16).ok())
                .collect()
        } else {
            None
        };
        bytes.unwrap_or_else(|| {
            self.err(
                s.span(),
                "not valid hex",
                "write pairs of hex digits, e.g. \"48 54 54 50\"",
            );
            vec![]
        })
    }
}

/// Parses a check spec; all problems found are returned together.
pub fn parse(file: &str, text: &str) -> Result<Spec, Vec<Diagnostic>> {
    let raw: RawSpec =
        toml::from_str(text).map_err(|e| vec![diag::from_toml_error(file, text, &e)])?;
    let mut cx = Ctx {
        file,
        text,
        problems: vec![],
        known: BUILTINS.iter().map(|s| s.to_string()).collect(),
        instances: 1,
        upstreams: vec![],
        proxied: false,
        processes: vec![],
        started: 1,
    };

    let build_timeout = cx.duration(&raw.build.and_then(|b| b.timeout), Duration::from_secs(300));
    let test = raw.test.map(|t| harness::test_spec(&mut cx, t));
    let mutation = raw.mutation.map(|m| harness::mutation_spec(&mut cx, m));

    let vars = vars::vars(&mut cx, &raw.vars);

    let upstreams = fakes::upstreams(&mut cx, &raw.upstream);

    let oidc = raw.oidc.map(|o| fakes::oidc_spec(&mut cx, o));
    let tls = raw.tls.map(|t| serve::tls_spec(&mut cx, t));
    let serve = raw.serve.map(|s| serve::serve_spec(&mut cx, s));
    cx.instances = serve.as_ref().map_or(1, |s| s.instances);
    cx.started = serve.as_ref().map_or(1, |s| s.start);
    cx.proxied = serve.as_ref().is_some_and(|s| s.proxy_postgres);
    cx.processes = serve.as_ref().map(|s| s.also.clone()).unwrap_or_default();

    cx.upstreams = upstreams.iter().map(|u| u.name.clone()).collect();

    let mut steps = Vec::new();
    for (i, step) in raw.step.into_iter().enumerate() {
        let span = step.span();
        let offline = {
            let s = step.get_ref();
            s.file.is_some() || s.jwt.is_some() || s.run.is_some()
        };
        if serve.is_none() && !offline {
            cx.err(
                span.clone(),
                format!(
                    "step {} needs a running server, but the spec has no [serve] table",
                    i + 1
                ),
                "add a [serve] table (see docs/checks.md)",
            );
        }
        if let Some(s) = convert_step(&mut cx, step.into_inner(), span) {
            steps.push(s);
        }
    }

    if cx.problems.is_empty() {
        Ok(Spec {
            build_timeout,
            test,
            mutation,

            serve,
            vars,
            upstreams,
            oidc,
            tls,
            steps,
        })
    } else {
        Err(cx.problems)
    }
}

pub fn toml_to_json(v: &toml::Value) -> serde_json::Value {
    use serde_json::Value as J;
    match v {
        toml::Value::String(s) => J::String(s.clone()),
        toml::Value::Integer(i) => J::from(*i),
        toml::Value::Float(f) => serde_json::Number::from_f64(*f).map_or(J::Null, J::Number),
        toml::Value::Boolean(b) => J::Bool(*b),
        toml::Value::Datetime(d) => J::String(d.to_string()),
        toml::Value::Array(a) => J::Array(a.iter().map(toml_to_json).collect()),
        toml::Value::Table(t) => J::Object(
            t.iter()
                .map(|(k, v)| (k.clone(), toml_to_json(v)))
                .collect(),
        ),
    }
}
