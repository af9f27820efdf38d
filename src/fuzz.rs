//! Property-based fuzzing of every parser that reads content files or bytes
//! from a learner's server, on stable Rust (proptest): whatever the input,
//! no panic; content errors point inside the file; a parsed HTTP response
//! never claims more bytes than it was given. `cargo test fuzz` runs them;
//! PROPTEST_CASES raises the number of cases per property.

use proptest::prelude::*;
use std::path::Path;

/// Every file under `dir` (recursively) ending in `ext`, with its text.
fn files(dir: &str, ext: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut todo = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join(dir)];
    while let Some(d) = todo.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                todo.push(p);
            } else if p.to_string_lossy().ends_with(ext)
                && let Ok(text) = std::fs::read_to_string(&p)
            {
                out.push((p.display().to_string(), text));
            }
        }
    }
    out.sort();
    out
}

/// An edit of a text: at a char boundary near `at` (a fraction of its
/// length), delete `del` chars and insert `ins`.
fn mutate(text: &str, at: f64, del: usize, ins: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let i = ((chars.len() as f64) * at) as usize;
    let i = i.min(chars.len());
    let j = (i + del).min(chars.len());
    chars[..i]
        .iter()
        .chain(ins.chars().collect::<Vec<_>>().iter())
        .chain(chars[j..].iter())
        .collect()
}

/// Insertions that have found bugs in parsers like these: huge numbers,
/// multi-byte characters, brackets, quotes, template braces, NULs.
fn nasty() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("99999999999999999999999".to_string()),
        Just("-1".to_string()),
        Just("é".to_string()),
        Just("0é0".to_string()),
        Just("{".to_string()),
        Just("}".to_string()),
        Just("{totp:".to_string()),
        Just("\"".to_string()),
        Just("[".to_string()),
        Just("\n[[step]]\n".to_string()),
        Just("\0".to_string()),
        Just("1e308".to_string()),
        Just("NaN".to_string()),
        ".{0,12}",
    ]
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|c| c.parse().ok())
            .unwrap_or(512),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

fn assert_inside(diags: &[serverlings_core::diag::Diagnostic], len: usize) {
    for d in diags {
        if let Some(span) = &d.span {
            assert!(
                span.start <= span.end && span.end <= len,
                "{d:?} outside a file of {len} bytes"
            );
        }
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn fuzz_durations(text in ".{0,30}", n in any::<f64>(), unit in prop_oneof![Just("ms"), Just("s"), Just("m"), Just("")]) {
        let _ = serverlings_core::duration::parse(&text);
        let _ = serverlings_core::duration::parse(&format!("{n}{unit}"));
    }

    #[test]
    fn fuzz_check_specs(pick in any::<prop::sample::Index>(), at in 0.0f64..1.0, del in 0usize..8, ins in nasty()) {
        let specs = files("checks", ".toml");
        let (name, text) = &specs[pick.index(specs.len())];
        let edited = mutate(text, at, del, &ins);
        if let Err(diags) = serverlings_core::spec::parse(name, &edited) {
            prop_assert!(!diags.is_empty());
            assert_inside(&diags, edited.len());
        }
    }

    #[test]
    fn fuzz_part_files(pick in any::<prop::sample::Index>(), at in 0.0f64..1.0, del in 0usize..8, ins in nasty()) {
        let parts = files("lessons", "part.toml");
        let (name, text) = &parts[pick.index(parts.len())];
        let edited = mutate(text, at, del, &ins);
        if let Err(diags) = serverlings_core::course::part::parse(name, &edited) {
            assert_inside(&diags, edited.len());
        }
    }

    #[test]
    fn fuzz_lessons(pick in any::<prop::sample::Index>(), at in 0.0f64..1.0, del in 0usize..40, ins in prop_oneof![nasty(), Just("```".to_string()), Just("\n# ".to_string()), Just("> **".to_string())]) {
        let lessons = files("lessons", "lesson.md");
        let (_, text) = &lessons[pick.index(lessons.len())];
        let _ = serverlings_core::course::lesson::outline(&mutate(text, at, del, &ins));
    }

    #[test]
    fn fuzz_http_responses(bytes in prop::collection::vec(any::<u8>(), 0..600), eof in any::<bool>()) {
        if let (serverlings_core::response::Parse::Done(n), _) = serverlings_core::response::parse(&bytes, eof) {
            prop_assert!(n <= bytes.len());
        }
    }

    #[test]
    fn fuzz_chunked_responses(sizes in prop::collection::vec(prop_oneof![Just("ffffffffffffffff".to_string()), "[0-9a-fA-F]{1,18}", ".{0,4}"], 0..5), body in prop::collection::vec(any::<u8>(), 0..200), eof in any::<bool>()) {
        let mut raw = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec();
        for s in &sizes {
            raw.extend_from_slice(s.as_bytes());
            raw.extend_from_slice(b"\r\n");
            raw.extend_from_slice(&body);
            raw.extend_from_slice(b"\r\n");
        }
        if let (serverlings_core::response::Parse::Done(n), _) = serverlings_core::response::parse(&raw, eof) {
            prop_assert!(n <= raw.len());
        }
    }

    #[test]
    fn fuzz_sse_streams(chunks in prop::collection::vec(prop::collection::vec(any::<u8>(), 0..80), 0..12)) {
        let mut p = serverlings_probe::sse::Parser::default();
        for c in &chunks {
            let _ = p.feed(c);
        }
    }

    #[test]
    fn fuzz_templates_and_json_paths(text in ".{0,40}", path in "[$.a-z0-9\\[\\]*\"]{0,20}") {
        let t = serverlings_core::template::Template::parse(&text);
        let _ = t.render(&std::collections::HashMap::new());
        let doc = serde_json::json!({"a": [1, {"b": "c"}], "d": null});
        let _ = serverlings_core::json_path::get(&doc, &path);
    }

    #[test]
    fn fuzz_tokens(token in "[A-Za-z0-9_.=-]{0,80}", secret in ".{0,20}") {
        let _ = serverlings_core::tokens::decode_jwt(&token, Some(b"k"));
        let _ = serverlings_core::tokens::totp(&secret, 1_700_000_000);
        let _ = serverlings_core::tokens::base32_decode(&secret);
    }
}
