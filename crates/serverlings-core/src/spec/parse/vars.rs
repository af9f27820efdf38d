//! `[vars]`: the names drawn at random per run, and the tokens the checker signs.

use super::{Ctx, toml_to_json};
use crate::diag;
use crate::spec::{JwtVar, VarKind};
use crate::template::Template;
use std::collections::BTreeMap;
use toml::Spanned;

/// Every var, tokens last (their claims may use the other vars); each one
/// parsed becomes a name the templates after it may use.
pub(super) fn vars(
    cx: &mut Ctx,
    raw: &BTreeMap<String, Spanned<toml::Value>>,
) -> Vec<(String, VarKind)> {
    let mut vars = Vec::new();
    // Tokens last: their claims may use the other vars.
    let is_jwt = |v: &Spanned<toml::Value>| v.get_ref().get("jwt").is_some();
    for (name, value) in raw {
        let numbered = |p: &str| {
            name.strip_prefix(p)
                .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        };
        if crate::spec::BUILTINS.contains(&name.as_str())
            || crate::spec::TLS_BUILTINS.contains(&name.as_str())
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
    for (name, value) in raw.iter().filter(|(_, v)| !is_jwt(v)) {
        if let Some(kind) = var_kind(cx, value) {
            vars.push((name.clone(), kind));
            cx.known.push(name.clone());
        }
    }
    for (name, value) in raw.iter().filter(|(_, v)| is_jwt(v)) {
        if let Some(jwt) = jwt_var(cx, value) {
            vars.push((name.clone(), VarKind::Jwt(jwt)));
            cx.known.push(name.clone());
        }
    }
    vars
}

/// `{ jwt = { alg = "HS256", key = "{secret}", claims = { … }, header = { … }, tamper = false } }`.
pub(super) fn jwt_var(cx: &mut Ctx, value: &Spanned<toml::Value>) -> Option<JwtVar> {
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
    crate::spec::step::check_json_templates(cx, &claims, span.clone());
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
    Some(JwtVar {
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
