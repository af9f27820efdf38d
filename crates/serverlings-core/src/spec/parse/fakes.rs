//! What the checker serves for the server to call: `[[upstream]]` routes
//! and their replies, and the `[oidc]` provider.

use super::{Ctx, toml_to_json};
use crate::spec::raw::{RawOidc, RawReply, RawUpstream};
use crate::spec::{OidcSpec, ReplySpec, RouteSpec, UpstreamSpec};
use crate::template::Template;
use std::time::Duration;
use toml::Spanned;

pub(super) fn upstreams(cx: &mut Ctx, raw: &[Spanned<RawUpstream>]) -> Vec<UpstreamSpec> {
    let mut upstreams: Vec<UpstreamSpec> = Vec::new();
    for u in raw {
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
    for (u, spec) in raw.iter().zip(upstreams.iter_mut()) {
        for r in &u.get_ref().route {
            if r.respond.is_empty() {
                cx.err(
                    r.path.span(),
                    "a route needs at least one reply in `respond`",
                    "e.g. respond = [{ status = 503 }, { status = 200, json = { ok = true } }]",
                );
            }
            let replies = r.respond.iter().map(|rep| reply(cx, rep)).collect();
            spec.routes.push(RouteSpec {
                method: r.method.clone(),
                path: r.path.get_ref().clone(),
                replies,
            });
        }
    }
    upstreams
}

pub(super) fn oidc_spec(cx: &mut Ctx, o: RawOidc) -> OidcSpec {
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
        client_id: t(cx, &o.client_id, "serverlings-app"),
        client_secret: t(cx, &o.client_secret, "serverlings-secret"),
        redirect_path: t(cx, &o.redirect_path, "/callback"),
        pkce: o.pkce.unwrap_or(true),
        user,
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
