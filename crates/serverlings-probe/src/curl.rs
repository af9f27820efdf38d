//! The command a learner can paste to repeat a failed request by hand.

use crate::http::Prepared;

fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

pub fn curl(req: &Prepared) -> String {
    let mut parts = vec!["curl".to_string(), "-i".to_string()];
    if req.method == "HEAD" {
        parts.push("--head".into());
    } else if req.method != "GET" || !req.body.is_empty() {
        parts.push("-X".into());
        parts.push(req.method.clone());
    }
    parts.push(quote(&req.url));
    for (k, v) in &req.headers {
        parts.push("-H".into());
        parts.push(quote(&format!("{k}: {v}")));
    }
    if !req.body.is_empty() {
        parts.push("--data-binary".into());
        match std::str::from_utf8(&req.body) {
            Ok(t) if !t.contains('\0') => parts.push(quote(t)),
            _ => parts.push(format!("\"$(printf '{}')\"", escape_printf(&req.body))),
        }
    }
    parts.join(" ")
}

fn escape_printf(b: &[u8]) -> String {
    b.iter().map(|c| format!("\\x{c:02x}")).collect()
}

/// For raw TCP steps: the exact bytes through `printf … | nc`.
pub fn printf_nc(bytes: &[u8], host: &str, port: u16) -> String {
    let mut s = String::new();
    for &c in bytes {
        match c {
            b'\r' => s.push_str("\\r"),
            b'\n' => s.push_str("\\n"),
            b'\\' => s.push_str("\\\\"),
            b'\'' => s.push_str("'\\''"),
            b'%' => s.push_str("%%"),
            0x20..=0x7e => s.push(c as char),
            _ => s.push_str(&format!("\\x{c:02x}")),
        }
    }
    format!("printf '{s}' | nc {host} {port}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn curl_lines_quote_and_carry_the_body() {
        let p = Prepared {
            method: "POST".into(),
            url: "http://127.0.0.1:5000/files/a".into(),
            headers: vec![("x-y".into(), "it's".into())],
            body: b"hello".to_vec(),
        };
        assert_eq!(
            curl(&p),
            r#"curl -i -X POST 'http://127.0.0.1:5000/files/a' -H 'x-y: it'\''s' --data-binary 'hello'"#
        );
    }

    #[test]
    fn printf_lines_escape_crlf() {
        assert_eq!(
            printf_nc(b"GET / HTTP/1.1\r\n\r\n", "127.0.0.1", 80),
            r"printf 'GET / HTTP/1.1\r\n\r\n' | nc 127.0.0.1 80"
        );
    }
}
