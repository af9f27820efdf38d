//! Parsing a spec: the context that collects diagnostics, the top-level
//! tables ([serve], [vars], [[upstream]], [oidc], [mutation]) and the entry point.

use super::raw::{RawReply, RawServe, RawSpec};
use super::step::convert_step;
use super::{
    BUILTINS, Mutant, MutationSpec, OidcSpec, Ready, ReplySpec, RouteSpec, ServeSpec, Spec,
    TestName, TestSpec, TlsSpec, UpstreamSpec, VarKind,
};
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
    let test = raw.test.map(|t| {
        for p in &t.protect {
            let v = p.get_ref();
            if v.starts_with('/') || v.split('/').any(|c| c == "..") || v.is_empty() {
                cx.err(
                    p.span(),
                    "protected files are paths inside the crate",
                    "e.g. protect = [\"tests/api.rs\", \"src/tests.rs\"]",
                );
            }
        }
        let names = |cx: &mut Ctx, list: &[Spanned<String>]| -> Vec<TestName> {
            let mut out = Vec::new();
            for n in list {
                match n.get_ref().split_once('/') {
                    Some((target, part))
                        if !target.is_empty()
                            && target
                                .bytes()
                                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-') =>
                    {
                        out.push(TestName {
                            target: target.into(),
                            part: part.into(),
                        })
                    }
                    _ => cx.err(
                        n.span(),
                        format!("`{}` does not name a test as target/name", n.get_ref()),
                        "the target first: \"lib/tests::parses\", \"api/round_trip\" (tests/api.rs), \"doc/slugify\" (a doc test of slugify)",
                    ),
                }
            }
            out
        };
        let require = names(&mut cx, &t.require);
        let ignored = names(&mut cx, &t.ignored);
        if let Some(n) = require.iter().find(|n| n.target == "doc")
            && !t.doc
        {
            let span = t.require.iter().find(|r| r.get_ref() == &n.to_string()).map(|r| r.span());
            if let Some(span) = span {
                cx.err(span, "a doc test is required but doc tests do not run", "add `doc = true` to [test]");
            }
        }
        TestSpec {
            timeout: cx.duration(&t.timeout, Duration::from_secs(120)),
            filter: t.filter,
            protect: t.protect.iter().map(|p| p.get_ref().clone()).collect(),
            doc: t.doc,
            include_ignored: t.include_ignored,
            require,
            ignored,
        }
    });
    let mutation = raw.mutation.map(|m| {
        let mspan = m.span();
        let m = m.into_inner();
        let code: Vec<String> = m.code.iter().map(|c| c.get_ref().clone()).collect();
        for c in &m.code {
            if c.get_ref().starts_with('/') || c.get_ref().contains("..") {
                cx.err(
                    c.span(),
                    "code files are paths inside the crate",
                    "e.g. \"src/lib.rs\"",
                );
            }
        }
        if m.mutant.is_empty() {
            cx.err(
                mspan,
                "a [mutation] table needs mutants",
                "add [[mutation.mutant]] entries: name, file, replace, with",
            );
        }
        let mutants = m
            .mutant
            .iter()
            .map(|mu| {
                let r = mu.get_ref();
                if !code.contains(r.file.get_ref()) {
                    cx.err(
                        r.file.span(),
                        format!("`{}` is not one of the `code` files", r.file.get_ref()),
                        "mutants change the reference code: list the file in `code`",
                    );
                }
                if r.replace.get_ref().is_empty() {
                    cx.err(
                        r.replace.span(),
                        "`replace` is empty",
                        "quote the exact text of the reference to change",
                    );
                }
                Mutant {
                    name: r.name.clone(),
                    file: r.file.get_ref().clone(),
                    replace: r.replace.get_ref().clone(),
                    with: r.with.clone(),
                }
            })
            .collect();
        MutationSpec {
            code,
            timeout: cx.duration(&m.timeout, Duration::from_secs(180)),
            mutants,
        }
    });

    let mut vars = Vec::new();
    // Tokens last: their claims may use the other vars.
    let is_jwt = |v: &Spanned<toml::Value>| v.get_ref().get("jwt").is_some();
    for (name, value) in &raw.vars {
        let numbered = |p: &str| {
            name.strip_prefix(p)
                .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        };
        if super::BUILTINS.contains(&name.as_str())
            || super::TLS_BUILTINS.contains(&name.as_str())
            || name == "instance"
            || numbered("port_")
            || numbered("base_")
        {
            cx.err(
                value.span(),
                format!("`{name}` is a built-in name: the var would hide `{{{name}}}`"),
                "give the var another name",
            );
        }
    }
    for (name, value) in raw.vars.iter().filter(|(_, v)| !is_jwt(v)) {
        if let Some(kind) = var_kind(&mut cx, value) {
            vars.push((name.clone(), kind));
            cx.known.push(name.clone());
        }
    }
    for (name, value) in raw.vars.iter().filter(|(_, v)| is_jwt(v)) {
        if let Some(jwt) = jwt_var(&mut cx, value) {
            vars.push((name.clone(), VarKind::Jwt(jwt)));
            cx.known.push(name.clone());
        }
    }

    let mut upstreams: Vec<UpstreamSpec> = Vec::new();
    for u in &raw.upstream {
        let name = u.get_ref().name.get_ref().clone();
        if !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') || name.is_empty() {
            cx.err(
                u.get_ref().name.span(),
                format!("`{name}` is not an upstream name"),
                "use letters, digits and _: it becomes the placeholder {upstream_<name>}",
            );
            continue;
        }
        if upstreams.iter().any(|o| o.name == name) {
            cx.err(
                u.get_ref().name.span(),
                format!("upstream `{name}` is declared twice"),
                "give each upstream its own name",
            );
        }
        cx.known.push(format!("upstream_{name}"));
        upstreams.push(UpstreamSpec {
            name,
            routes: vec![],
        });
    }
    for (u, spec) in raw.upstream.iter().zip(upstreams.iter_mut()) {
        for r in &u.get_ref().route {
            if r.respond.is_empty() {
                cx.err(
                    r.path.span(),
                    "a route needs at least one reply in `respond`",
                    "e.g. respond = [{ status = 503 }, { status = 200, json = { ok = true } }]",
                );
            }
            let replies = r.respond.iter().map(|rep| reply(&mut cx, rep)).collect();
            spec.routes.push(RouteSpec {
                method: r.method.clone(),
                path: r.path.get_ref().clone(),
                replies,
            });
        }
    }

    let oidc = raw.oidc.map(|o| {
        for name in [
            "oidc_issuer",
            "oidc_client_id",
            "oidc_client_secret",
            "oidc_redirect_uri",
        ] {
            cx.known.push(name.into());
        }
        let t = |cx: &mut Ctx, v: &Option<Spanned<String>>, default: &str| match v {
            Some(s) => cx.template(s),
            None => Template::parse(default),
        };
        let user: Vec<(String, Template)> = if o.user.is_empty() {
            vec![
                ("sub".into(), Template::parse("user-1")),
                ("email".into(), Template::parse("learner@example.test")),
            ]
        } else {
            o.user
                .iter()
                .map(|(k, v)| (k.clone(), cx.template(v)))
                .collect()
        };
        OidcSpec {
            client_id: t(&mut cx, &o.client_id, "serverlings-app"),
            client_secret: t(&mut cx, &o.client_secret, "serverlings-secret"),
            redirect_path: t(&mut cx, &o.redirect_path, "/callback"),
            pkce: o.pkce.unwrap_or(true),
            user,
        }
    });
    let tls = raw.tls.map(|t| {
        cx.known
            .extend(super::TLS_BUILTINS.iter().map(|n| n.to_string()));
        let mut hosts = Vec::new();
        for h in &t.get_ref().hosts {
            let name = h.get_ref();
            let ip = name.parse::<std::net::IpAddr>().is_ok();
            let dns = !name.is_empty()
                && name.len() <= 253
                && name.split('.').all(|l| {
                    !l.is_empty()
                        && l.len() <= 63
                        && !l.starts_with('-')
                        && !l.ends_with('-')
                        && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                });
            if ip || dns {
                hosts.push(name.clone());
            } else {
                cx.err(
                    h.span(),
                    format!("`{name}` is not a host name or an IP address"),
                    "e.g. \"localhost\", \"api.localhost\", \"127.0.0.1\"",
                );
            }
        }
        if t.get_ref().hosts.is_empty() {
            hosts = vec!["localhost".into(), "127.0.0.1".into()];
        }
        TlsSpec { hosts }
    });
    let serve = raw.serve.map(|s| serve_spec(&mut cx, s));
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

pub(super) fn reply(cx: &mut Ctx, r: &Spanned<RawReply>) -> ReplySpec {
    let span = r.span();
    let r = r.get_ref();
    let status = match r.status {
        None => 200,
        Some(s) if (100..=599).contains(&s) => s as u16,
        Some(s) => {
            cx.err(
                span.clone(),
                format!("{s} is not an HTTP status"),
                "use a code from 100 to 599",
            );
            200
        }
    };
    let mut headers: Vec<(String, Template)> = r
        .headers
        .iter()
        .map(|(k, v)| (k.clone(), cx.template(v)))
        .collect();
    let body = match (&r.body, &r.json) {
        (Some(b), None) => cx.template(b),
        (None, Some(j)) => {
            if !headers
                .iter()
                .any(|(k, _)| k.eq_ignore_ascii_case("content-type"))
            {
                headers.push(("content-type".into(), Template::parse("application/json")));
            }
            let text = toml_to_json(j.get_ref()).to_string();
            cx.template_str(&text, j.span())
        }
        (None, None) => Template::parse(""),
        (Some(_), Some(_)) => {
            cx.err(
                span.clone(),
                "a reply has both `body` and `json`",
                "keep one",
            );
            Template::parse("")
        }
    };
    let delay = cx.duration(&r.delay, Duration::ZERO);
    if r.hang && r.drop {
        cx.err(span, "a reply cannot both hang and drop", "keep one");
    }
    ReplySpec {
        status,
        headers,
        body,
        delay,
        hang: r.hang,
        drop: r.drop,
    }
}

/// `{ jwt = { alg = "HS256", key = "{secret}", claims = { … }, header = { … }, tamper = false } }`.
pub(super) fn jwt_var(cx: &mut Ctx, value: &Spanned<toml::Value>) -> Option<super::JwtVar> {
    let span = value.span();
    let outer = value.get_ref().as_table()?;
    if outer.len() != 1 {
        cx.err(
            span,
            "a jwt var is `{ jwt = { ... } }` and nothing else",
            "put alg, key, claims, header and tamper inside the jwt table",
        );
        return None;
    }
    let Some(t) = outer.get("jwt").and_then(|j| j.as_table()) else {
        cx.err(
            span,
            "`jwt` takes a table",
            "e.g. { jwt = { key = \"{secret}\", claims = { sub = \"u-1\", exp = \"+5m\" } } }",
        );
        return None;
    };
    const KEYS: [&str; 5] = ["alg", "key", "claims", "header", "tamper"];
    for k in t.keys() {
        if !KEYS.contains(&k.as_str()) {
            let help = match diag::did_you_mean(k, KEYS) {
                Some(m) => format!("did you mean `{m}`?"),
                None => format!("a jwt var takes {}", KEYS.join(", ")),
            };
            cx.err(
                span.clone(),
                format!("unknown key `{k}` in a jwt var"),
                help,
            );
        }
    }
    let alg_name = t.get("alg").and_then(|a| a.as_str()).unwrap_or("HS256");
    let Some(alg) = crate::tokens::Alg::parse(alg_name) else {
        cx.err(
            span,
            format!("the checker cannot sign with `{alg_name}`"),
            "use HS256, HS384, HS512 or none",
        );
        return None;
    };
    let key = match t.get("key").and_then(|k| k.as_str()) {
        Some(k) => cx.template_str(k, span.clone()),
        None if alg == crate::tokens::Alg::None => Template::parse(""),
        None => {
            cx.err(
                span,
                format!("an {alg_name} token needs a `key`"),
                "e.g. key = \"{secret}\" (the same secret the server gets in [serve] env)",
            );
            return None;
        }
    };
    let claims = t
        .get("claims")
        .map(toml_to_json)
        .unwrap_or_else(|| serde_json::json!({}));
    if !claims.is_object() {
        cx.err(
            span.clone(),
            "`claims` is a table",
            "e.g. claims = { sub = \"u-1\" }",
        );
    }
    super::step::check_json_templates(cx, &claims, span.clone());
    for time in ["exp", "nbf", "iat"] {
        if let Some(serde_json::Value::String(v)) = claims.get(time)
            && crate::tokens::relative_time(v, 0).is_none()
            && !v.starts_with('{')
        {
            cx.err(
                span.clone(),
                format!("`{time} = \"{v}\"` is not a time"),
                "write a number (seconds since 1970), \"now\", or an offset such as \"+5m\" or \"-60s\"",
            );
        }
    }
    let header = match t.get("header").map(toml_to_json) {
        None => serde_json::Map::new(),
        Some(serde_json::Value::Object(o)) => o,
        Some(_) => {
            cx.err(
                span,
                "`header` is a table",
                "e.g. header = { kid = \"k1\" }",
            );
            serde_json::Map::new()
        }
    };
    Some(super::JwtVar {
        alg,
        key,
        claims,
        header,
        tamper: t.get("tamper").and_then(|v| v.as_bool()).unwrap_or(false),
    })
}

pub(super) fn var_kind(cx: &mut Ctx, value: &Spanned<toml::Value>) -> Option<VarKind> {
    let span = value.span();
    let (kind, table) = match value.get_ref() {
        toml::Value::String(s) => (s.clone(), None),
        toml::Value::Table(t) => match t.get("random").and_then(|v| v.as_str()) {
            Some(k) => (k.to_string(), Some(t)),
            None => {
                cx.err(
                    span,
                    "a var table needs `random = \"<kind>\"`",
                    "e.g. { random = \"word\", len = 12 }",
                );
                return None;
            }
        },
        _ => {
            cx.err(
                span,
                "a var is a kind name or a table",
                "write name = \"word\" or name = { random = \"hex\", len = 8 }",
            );
            return None;
        }
    };
    let int = |key: &str| table.and_then(|t| t.get(key)).and_then(|v| v.as_integer());
    if let Some(t) = table {
        for key in t.keys() {
            if !["random", "len", "min", "max"].contains(&key.as_str()) {
                let help = match diag::did_you_mean(key, ["random", "len", "min", "max"]) {
                    Some(m) => format!("did you mean `{m}`?"),
                    None => "a var table takes random, len, min and max".to_string(),
                };
                cx.err(span.clone(), format!("unknown key `{key}` in a var"), help);
            }
        }
    }
    const MAX_LEN: i64 = 1 << 20;
    let len = match int("len") {
        Some(l) if !(1..=MAX_LEN).contains(&l) => {
            cx.err(
                span.clone(),
                format!("`len = {l}` is out of range"),
                format!("use a length from 1 to {MAX_LEN}"),
            );
            None
        }
        other => other.map(|l| l as usize),
    };
    match kind.as_str() {
        "word" => Some(VarKind::Word(len.unwrap_or(8))),
        "hex" => Some(VarKind::Hex(len.unwrap_or(16))),
        "text" => Some(VarKind::Text(len.unwrap_or(4))),
        "int" => {
            let (min, max) = (int("min").unwrap_or(1), int("max").unwrap_or(1_000_000));
            if min > max {
                cx.err(
                    span,
                    format!("min {min} is greater than max {max}"),
                    "swap them",
                );
                return None;
            }
            Some(VarKind::Int(min, max))
        }
        other => {
            let kinds = ["word", "hex", "int", "text"];
            let help = match diag::did_you_mean(other, kinds) {
                Some(m) => format!("did you mean `{m}`?"),
                None => format!("use one of: {}", kinds.join(", ")),
            };
            cx.err(span, format!("unknown random kind `{other}`"), help);
            None
        }
    }
}

pub(super) fn serve_spec(cx: &mut Ctx, s: RawServe) -> ServeSpec {
    // `{instance}` (1, 2, …) only means something in the server's environment.
    cx.known.push("instance".into());
    let env = s
        .env
        .iter()
        .map(|(k, v)| (k.clone(), cx.template(v)))
        .collect();
    cx.known.pop();
    // What the checker creates stays in the check's own folder or the crate.
    let outside = |p: &str| p.starts_with('/') || p.split('/').any(|c| c == "..") || p.is_empty();
    for d in &s.dirs {
        if outside(d.get_ref()) {
            cx.err(
                d.span(),
                "[serve] dirs are made inside {tmp} or the crate",
                "e.g. dirs = [\"{tmp}/files\"]",
            );
        }
    }
    for (path, content) in &s.files {
        if outside(path) {
            cx.err(
                content.span(),
                format!("[serve] file `{path}` would be written outside {{tmp}} and the crate"),
                "e.g. files = { \"{tmp}/files/a.txt\" = \"hello\" }",
            );
        }
    }
    let dirs = s.dirs.iter().map(|d| cx.template(d)).collect();
    let files = s
        .files
        .iter()
        .map(|(path, content)| (cx.template_str(path, content.span()), cx.template(content)))
        .collect();
    let ready = match &s.ready {
        None => Ready::Tcp,
        Some(r) if r.get_ref() == "tcp" => Ready::Tcp,
        Some(r) if r.get_ref().starts_with('/') => Ready::Http(r.get_ref().clone()),
        Some(r) => {
            cx.err(
                r.span(),
                format!("`{}` is not a readiness probe", r.get_ref()),
                "use \"tcp\" or a path such as \"/health\"",
            );
            Ready::Tcp
        }
    };
    let instances = match &s.instances {
        None => 1,
        Some(n) if (1..=8).contains(n.get_ref()) => *n.get_ref() as usize,
        Some(n) => {
            cx.err(
                n.span(),
                "`instances` must be between 1 and 8",
                "e.g. instances = 2",
            );
            1
        }
    };
    let separate_ports = match s.ports.as_ref().map(|p| (p.get_ref().as_str(), p.span())) {
        None | Some(("shared", _)) => false,
        Some(("separate", _)) => true,
        Some((other, span)) => {
            cx.err(
                span,
                format!("unknown `ports = \"{other}\"`"),
                "use \"shared\" (one port, SO_REUSEPORT) or \"separate\"",
            );
            false
        }
    };
    let mut proxy_postgres = false;
    for p in &s.proxy {
        if p.get_ref() == "postgres" {
            proxy_postgres = true;
        } else {
            cx.err(
                p.span(),
                format!("no proxy for `{}`", p.get_ref()),
                "only \"postgres\" can be proxied",
            );
        }
    }
    for n in 2..=instances {
        cx.known.push(format!("port_{n}"));
        cx.known.push(format!("base_{n}"));
    }
    let start = match &s.start {
        None => instances,
        Some(n) if (1..=instances as i64).contains(n.get_ref()) => *n.get_ref() as usize,
        Some(n) => {
            cx.err(
                n.span(),
                format!(
                    "`start = {}` but [serve] has {instances} instance(s)",
                    n.get_ref()
                ),
                "start is how many instances start with the check, from 1 to `instances`",
            );
            instances
        }
    };
    ServeSpec {
        bin: s.bin,
        env,
        dirs,
        files,
        ready,
        timeout: cx.duration(&s.timeout, Duration::from_secs(10)),
        grace: cx.duration(&s.grace, Duration::from_secs(2)),
        instances,
        start,
        separate_ports,
        proxy_postgres,
        also: s.also,
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
