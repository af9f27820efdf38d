//! JSON paths in checks: `$`, `$.a.b`, `$.items[0].id`, `$["odd key"]`.

use serde_json::Value;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Seg {
    Key(String),
    Index(usize),
}

fn segments(path: &str) -> Result<Vec<Seg>, String> {
    let mut rest = path
        .strip_prefix('$')
        .ok_or_else(|| format!("`{path}` does not start with `$`"))?;
    let mut segs = Vec::new();
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix('.') {
            let end = r.find(['.', '[']).unwrap_or(r.len());
            if end == 0 {
                return Err(format!("empty key in `{path}`"));
            }
            segs.push(Seg::Key(r[..end].to_string()));
            rest = &r[end..];
        } else if let Some(quoted) = rest.strip_prefix("[\"") {
            // A quoted key may hold any character but `"`, `]` included.
            let end = quoted
                .find("\"]")
                .ok_or_else(|| format!("unclosed `[\"` in `{path}`"))?;
            segs.push(Seg::Key(quoted[..end].to_string()));
            rest = &quoted[end + 2..];
        } else if let Some(r) = rest.strip_prefix('[') {
            let end = r
                .find(']')
                .ok_or_else(|| format!("unclosed `[` in `{path}`"))?;
            let inner = &r[..end];
            {
                segs.push(Seg::Index(inner.parse().map_err(|_| {
                    format!("`[{inner}]` is not an index in `{path}`")
                })?));
            }
            rest = &r[end + 1..];
        } else {
            return Err(format!("unexpected `{rest}` in `{path}`"));
        }
    }
    Ok(segs)
}

/// The value at `path`, `Ok(None)` when the path does not exist.
pub fn get<'a>(doc: &'a Value, path: &str) -> Result<Option<&'a Value>, String> {
    let mut cur = doc;
    for seg in segments(path)? {
        let next = match (&seg, cur) {
            (Seg::Key(k), Value::Object(o)) => o.get(k),
            (Seg::Index(i), Value::Array(a)) => a.get(*i),
            _ => None,
        };
        match next {
            Some(v) => cur = v,
            None => return Ok(None),
        }
    }
    Ok(Some(cur))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn walks_objects_and_arrays() {
        let doc = json!({"items": [{"id": 7}], "odd key": true, "tags[1]": "x"});
        assert_eq!(get(&doc, "$[\"tags[1]\"]").unwrap(), Some(&json!("x")));

        assert_eq!(get(&doc, "$.items[0].id").unwrap(), Some(&json!(7)));
        assert_eq!(get(&doc, "$[\"odd key\"]").unwrap(), Some(&json!(true)));
        assert_eq!(get(&doc, "$").unwrap(), Some(&doc));
        assert_eq!(get(&doc, "$.items[3]").unwrap(), None);
        assert_eq!(get(&doc, "$.missing.deeper").unwrap(), None);
        assert!(get(&doc, "items").is_err());
        assert!(get(&doc, "$.items[x]").is_err());
    }
}
