//! `[serve]`: how the server is started and when it is ready, and `[tls]`:
//! the certificates it is given.

use super::Ctx;
use crate::spec::raw::{RawServe, RawTls};
use crate::spec::{Ready, ServeSpec, TlsSpec};
use std::time::Duration;
use toml::Spanned;

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

pub(super) fn tls_spec(cx: &mut Ctx, t: Spanned<RawTls>) -> TlsSpec {
    cx.known
        .extend(crate::spec::TLS_BUILTINS.iter().map(|n| n.to_string()));
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
}
