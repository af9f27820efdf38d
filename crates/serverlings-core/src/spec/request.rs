//! A plain HTTP request (`request = { … }`): method, path, query, headers,
//! body, parallel copies, HTTP/2, HTTPS and the loopback address it leaves from.

use super::parse::{Ctx, toml_to_json};
use super::raw::RawRequest;
use super::step::check_json_templates;
use super::{Body, HttpRequest};
use toml::Spanned;

pub(super) fn request(cx: &mut Ctx, r: Spanned<RawRequest>) -> HttpRequest {
    let span = r.span();
    let r = r.into_inner();
    let method = match &r.method {
        None => "GET".to_string(),
        Some(m) => {
            let up = m.get_ref().to_ascii_uppercase();
            if up.is_empty() || !up.chars().all(|c| c.is_ascii_alphabetic()) {
                cx.err(
                    m.span(),
                    format!("`{}` is not an HTTP method", m.get_ref()),
                    "e.g. \"GET\", \"POST\"",
                );
            }
            up
        }
    };
    let path = cx.template(&r.path);
    if !r.path.get_ref().starts_with('/') && !r.path.get_ref().starts_with('{') {
        cx.err(
            r.path.span(),
            "a path starts with `/`",
            "write the path only, e.g. \"/echo/{word}\"; the checker adds the server's address",
        );
    }
    let query = r
        .query
        .iter()
        .map(|(k, v)| (k.clone(), cx.template(v)))
        .collect();
    let headers = r
        .headers
        .iter()
        .map(|(k, v)| (k.clone(), cx.template(v)))
        .collect();
    let bodies = usize::from(r.body.is_some())
        + usize::from(r.json.is_some())
        + usize::from(r.body_hex.is_some());
    if bodies > 1 {
        cx.err(
            span.clone(),
            "a request has more than one of `body`, `json`, `body_hex`",
            "keep one",
        );
    }
    let body = if let Some(b) = &r.body {
        Body::Text(cx.template(b))
    } else if let Some(j) = &r.json {
        let value = toml_to_json(j.get_ref());
        check_json_templates(cx, &value, j.span());
        Body::Json(value)
    } else if let Some(h) = &r.body_hex {
        Body::Bytes(cx.hex(h))
    } else {
        Body::None
    };
    let parallel = match &r.parallel {
        None => 1,
        Some(p) if (1..=1000).contains(p.get_ref()) => *p.get_ref() as usize,
        Some(p) => {
            cx.err(
                p.span(),
                "`parallel` must be between 1 and 1000",
                "the load step (docs/checks.md) measures heavier traffic",
            );
            1
        }
    };
    if r.https && !cx.known.iter().any(|k| k == "https_base") {
        cx.err(
            span.clone(),
            "an `https` request needs the certificates of a [tls] table",
            "add `[tls]` (see docs/checks.md): the checker then issues the server's certificate",
        );
    }
    if r.https && parallel > 1 {
        cx.err(
            span.clone(),
            "`https` requests are sent one at a time",
            "drop `parallel`, or measure concurrency over plain HTTP with a load step",
        );
    }
    if r.https && r.http2 {
        cx.err(
            span.clone(),
            "`https` and `http2` together are not supported",
            "`http2 = true` is HTTP/2 without TLS (h2c); keep one",
        );
    }
    let from = r.from.as_ref().map(|f| {
        let text = f.get_ref();
        if !text.contains('{') && !is_loopback_v4(text) {
            cx.err(
                f.span(),
                format!("`{text}` is not a loopback IPv4 address"),
                "a request may leave from another loopback address, e.g. \"127.0.0.2\" (any of 127.0.0.0/8)",
            );
        }
        cx.template(f)
    });
    HttpRequest {
        method,
        path,
        query,
        headers,
        body,
        parallel,
        http2: r.http2,
        https: r.https,
        from,
    }
}

/// Whether `text` is an address of 127.0.0.0/8.
pub fn is_loopback_v4(text: &str) -> bool {
    text.parse::<std::net::Ipv4Addr>()
        .is_ok_and(|ip| ip.is_loopback())
}
