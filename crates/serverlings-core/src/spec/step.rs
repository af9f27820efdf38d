//! One `[[step]]`: its action, of every kind, and its captures.
use super::expect::{self, Kinds};
use super::kinds::{calls, file, load, output, signal, sse, ws};
use super::parse::Ctx;
use super::raw::RawStep;
use super::request::request;
use super::{Action, Capture, Step, TcpBytes, TcpSend};
use std::ops::Range;
use std::time::Duration;
use toml::Spanned;
pub(super) fn convert_step(cx: &mut Ctx, raw: RawStep, span: Range<usize>) -> Option<Step> {
    let name = raw.name.as_ref().map(|n| cx.template(n));
    let timeout = cx.duration(&raw.timeout, Duration::from_secs(5));
    let kinds = [
        ("request", raw.request.is_some()),
        ("tcp", raw.tcp.is_some()),
        ("sse", raw.sse.is_some()),
        ("ws", raw.ws.is_some()),
        ("load", raw.load.is_some()),
        ("load_wait", raw.load_wait == Some(true)),
        ("signal", raw.signal.is_some()),
        (
            "restart",
            raw.restart
                .as_ref()
                .is_some_and(|r| r.get_ref().as_bool() != Some(false)),
        ),
        ("kill", raw.kill.is_some()),
        ("output", raw.output.is_some()),
        ("calls", raw.calls.is_some()),
        ("file", raw.file.is_some()),
        ("sql", raw.sql.is_some()),
        ("explain", raw.explain.is_some()),
        ("mysql", raw.mysql.is_some()),
        ("redis", raw.redis.is_some()),
        ("database", raw.database.is_some()),
        ("login", raw.login.is_some()),
        ("rotate_keys", raw.rotate_keys == Some(true)),
        ("queue", raw.queue.is_some()),
        ("jwt", raw.jwt.is_some()),
        ("run", raw.run.is_some()),
        ("processes", raw.processes.is_some()),
        ("start", raw.start.is_some()),
    ];
    let given: Vec<&str> = kinds
        .iter()
        .filter(|(_, on)| *on)
        .map(|(k, _)| *k)
        .collect();
    if given.len() > 1 {
        cx.err(
            span,
            format!("a step has more than one action: {}", given.join(", ")),
            "split it into one step per action",
        );
        return None;
    }
    let mut action = if let Some(r) = raw.request {
        Action::Http(request(cx, r))
    } else if let Some(t) = raw.tcp {
        let tspan = t.span();
        let t = t.into_inner();
        let parallel = parallel(cx, &t.parallel);
        let trickle = t
            .trickle
            .as_ref()
            .map(|d| cx.duration(&Some(d.clone()), Duration::from_millis(10)));
        match (t.send, t.send_hex) {
            (Some(s), None) => Action::Tcp(TcpSend {
                bytes: TcpBytes::Text(cx.template(&s)),
                parallel,
                trickle,
            }),
            (None, Some(h)) => Action::Tcp(TcpSend {
                bytes: TcpBytes::Bytes(cx.hex(&h)),
                parallel,
                trickle,
            }),
            _ => {
                cx.err(
                    tspan,
                    "a tcp step needs exactly one of `send` and `send_hex`",
                    "e.g. tcp = { send = \"GET / HTTP/1.1\\r\\n\\r\\n\" }",
                );
                return None;
            }
        }
    } else if let Some(s) = raw.sse {
        Action::Sse(sse(cx, s))
    } else if let Some(w) = raw.ws {
        Action::Ws(ws(cx, w)?)
    } else if let Some(l) = raw.load {
        Action::Load(load(cx, l))
    } else if raw.load_wait == Some(true) {
        Action::LoadWait
    } else if let Some(sig) = raw.signal {
        Action::Signal(signal(cx, sig)?)
    } else if let Some(r) = raw
        .restart
        .as_ref()
        .filter(|r| r.get_ref().as_bool() != Some(false))
    {
        match r.get_ref() {
            toml::Value::Boolean(true) => Action::Restart,
            toml::Value::String(role) if cx.processes.contains(role) => Action::Start(role.clone()),
            toml::Value::String(role) => {
                cx.err(
                    r.span(),
                    format!("no process `{role}` in [serve] also"),
                    "name a role listed in `also`, or write restart = true for the server",
                );
                return None;
            }
            _ => {
                cx.err(
                    r.span(),
                    "restart is true (the server) or a process role",
                    "e.g. restart = \"worker\"",
                );
                return None;
            }
        }
    } else if let Some(k) = &raw.kill {
        let role = k.get_ref().clone();
        if role != "server" && !cx.processes.contains(&role) {
            cx.err(
                k.span(),
                format!("no process `{role}` to kill"),
                "use \"server\" or a role listed in [serve] also",
            );
            return None;
        }
        Action::Kill(role)
    } else if let Some(o) = raw.output {
        Action::Output(output(cx, o))
    } else if let Some(c) = raw.calls {
        Action::Calls(calls(cx, c)?)
    } else if let Some(f) = raw.file {
        Action::File(file(cx, f)?)
    } else if let Some(q) = &raw.mysql {
        Action::Mysql(cx.template(q))
    } else if let Some(q) = &raw.sql {
        Action::Sql(cx.template(q))
    } else if let Some(q) = &raw.explain {
        Action::Explain(cx.template(q))
    } else if let Some(l) = &raw.login {
        if !cx.known.iter().any(|k| k == "oidc_issuer") {
            cx.err(
                l.span(),
                "a login step needs the checker's identity provider",
                "add an [oidc] table (see docs/checks.md)",
            );
        }
        Action::Login(cx.template(l))
    } else if raw.rotate_keys == Some(true) {
        Action::RotateKeys
    } else if let Some(q) = &raw.queue {
        Action::Queue(cx.template(q))
    } else if let Some(j) = raw.jwt {
        let j = j.into_inner();
        Action::Jwt {
            token: cx.template(&j.token),
            key: j.key.as_ref().map(|k| cx.template(k)),
        }
    } else if let Some(r) = raw.run {
        Action::Run(run_step(cx, r)?)
    } else if let Some(p) = &raw.processes {
        let role = p.get_ref().clone();
        if role != "server" && !cx.processes.contains(&role) {
            cx.err(
                p.span(),
                format!("no process `{role}` to look at"),
                "use \"server\" or a role listed in [serve] also",
            );
            return None;
        }
        Action::Processes(role)
    } else if let Some(n) = &raw.start {
        let n = *n.get_ref();
        if n < 2 || n > cx.instances as i64 || (n as usize) <= cx.started {
            cx.err(
                raw.start.as_ref().map_or(span.clone(), |s| s.span()),
                format!("instance {n} is not waiting to start"),
                format!(
                    "[serve] starts {} of {} instances with the check; `start = N` starts one of the others",
                    cx.started, cx.instances
                ),
            );
            return None;
        }
        Action::StartInstance(n as usize)
    } else if let Some(d) = &raw.database {
        match d.get_ref().as_str() {
            "down" => Action::Database(false),
            "up" => Action::Database(true),
            other => {
                cx.err(
                    d.span(),
                    format!("`database = \"{other}\"`?"),
                    "use \"down\" (cut the connection) or \"up\" (restore it)",
                );
                return None;
            }
        }
    } else if let Some(args) = &raw.redis {
        if args.is_empty() {
            cx.err(
                span,
                "a redis step needs a command",
                "e.g. redis = [\"TTL\", \"cache:{id}\"]",
            );
            return None;
        }
        Action::Redis(args.iter().map(|a| cx.template(a)).collect())
    } else {
        cx.err(
            span,
            "a step needs an action",
            "add `request = { ... }`, `tcp = { send = \"...\" }` or `sse = { path = \"...\" }`",
        );
        return None;
    };
    let is_tcp = matches!(action, Action::Tcp(_));
    let is_sse = matches!(action, Action::Sse(_));
    let is_load = matches!(action, Action::Load(_) | Action::LoadWait);
    let is_signal = matches!(action, Action::Signal(_));
    let is_output = matches!(action, Action::Output(_));
    let is_calls = matches!(action, Action::Calls(_));
    let is_run = matches!(action, Action::Run(_));
    let is_request = matches!(action, Action::Http(_));
    let mut expect = raw
        .expect
        .map(|e| {
            expect::expect(
                cx,
                e,
                Kinds {
                    tcp: is_tcp,
                    sse: is_sse,
                    load: is_load,
                    signal: is_signal,
                    output: is_output,
                    calls: is_calls,
                    run: is_run,
                    request: is_request,
                },
                span.clone(),
            )
        })
        .unwrap_or_default();
    if let Action::Sse(s) = &mut action {
        s.read = s.read.max(expect.events.len()).max(1);
        if expect.status.is_empty() {
            expect.status.push(200);
        }
    }
    let mut capture = Vec::new();
    for (name, c) in raw.capture {
        let cspan = c.span();
        let c = c.into_inner();
        if let Some(figure) = &c.load {
            let alone = c.json.is_none()
                && c.header.is_none()
                && c.cookie.is_none()
                && c.event_id.is_none()
                && c.body.is_none();
            if !is_load || !alone {
                cx.err(
                    cspan,
                    "a `load` capture keeps a figure of a load step, on its own",
                    "e.g. capture = { p99 = { load = \"p99_ms\" } } on a load or load_wait step",
                );
                continue;
            }
            let Some(f) = super::LoadFigure::parse(figure.get_ref()) else {
                cx.err(
                    figure.span(),
                    format!("a load does not measure `{}`", figure.get_ref()),
                    format!("use one of {}", super::LoadFigure::NAMES.join(", ")),
                );
                continue;
            };
            cx.known.push(name.clone());
            capture.push((name, Capture::Load(f)));
            continue;
        }
        let cap = match (c.json, c.header, c.cookie) {
            (Some(p), None, None) => {
                if !p.starts_with('$') {
                    cx.err(
                        cspan.clone(),
                        format!("`{p}` is not a JSON path"),
                        "JSON paths start at `$`, e.g. \"$.id\"",
                    );
                }
                Capture::Json(p)
            }
            (None, Some(h), None) if c.event_id.is_none() => {
                Capture::Header(h.to_ascii_lowercase())
            }
            (None, None, Some(k)) if c.event_id.is_none() => Capture::Cookie(k),
            (None, None, None) if c.body == Some(true) && c.event_id.is_none() => Capture::Body,

            (None, None, None) if c.event_id.is_some() => {
                let which = c.event_id.as_ref().map(|w| (w.get_ref().clone(), w.span()));
                match which {
                    Some((w, _)) if w == "last" => Capture::EventId(true),
                    Some((w, _)) if w == "first" => Capture::EventId(false),
                    Some((w, wspan)) => {
                        cx.err(
                            wspan,
                            format!("`{w}` is not an event to capture"),
                            "use event_id = \"first\" or \"last\"",
                        );
                        continue;
                    }
                    None => continue,
                }
            }

            _ => {
                cx.err(
                    cspan,
                    "a capture needs exactly one of `json`, `header`, `cookie`, `event_id`, `body = true`",
                    "e.g. id = { json = \"$.id\" }",
                );
                continue;
            }
        };
        cx.known.push(name.clone());
        capture.push((name, cap));
    }
    let instance = match &raw.instance {
        None => 1,
        Some(n) if (1..=cx.instances as i64).contains(n.get_ref()) => *n.get_ref() as usize,
        Some(n) => {
            cx.err(
                n.span(),
                format!(
                    "there is no instance {} ([serve] starts {})",
                    n.get_ref(),
                    cx.instances
                ),
                "instances are numbered from 1; set `instances` in [serve]",
            );
            1
        }
    };
    let poll = raw
        .poll
        .as_ref()
        .map(|p| cx.duration(&Some(p.clone()), Duration::from_millis(100)));
    Some(Step {
        name,
        hint: raw.hint,
        timeout,
        action,
        expect,
        capture,
        instance,
        poll,
    })
}

fn run_step(cx: &mut Ctx, r: Spanned<super::raw::RawRun>) -> Option<super::RunStep> {
    let r = r.into_inner();
    Some(super::RunStep {
        bin: r.bin,
        env: r
            .env
            .iter()
            .map(|(k, v)| (k.clone(), cx.template(v)))
            .collect(),
        unset: r.unset,
        args: r.args.iter().map(|a| cx.template(a)).collect(),
    })
}

pub(super) fn parallel(cx: &mut Ctx, raw: &Option<Spanned<i64>>) -> usize {
    match raw {
        None => 1,
        Some(p) if (1..=1000).contains(p.get_ref()) => *p.get_ref() as usize,
        Some(p) => {
            cx.err(
                p.span(),
                "`parallel` must be between 1 and 1000",
                "keep probes small; heavier traffic belongs to a load step",
            );
            1
        }
    }
}

pub(super) fn check_json_templates(cx: &mut Ctx, v: &serde_json::Value, span: Range<usize>) {
    match v {
        serde_json::Value::String(s) => {
            cx.template_str(s, span);
        }
        serde_json::Value::Array(a) => a
            .iter()
            .for_each(|x| check_json_templates(cx, x, span.clone())),
        serde_json::Value::Object(o) => o
            .values()
            .for_each(|x| check_json_templates(cx, x, span.clone())),
        _ => {}
    }
}
