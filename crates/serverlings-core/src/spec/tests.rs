//! The spec parser on good and bad input.
use super::*;
use crate::diag::Diagnostic;

const GOOD: &str = r#"
[test]
[serve]
env = { FILES_DIR = "{tmp}/files" }
dirs = ["{tmp}/files"]

[vars]
word = "word"
agent = { random = "hex", len = 12 }

[[step]]
name = "echo {word}"
request = { method = "GET", path = "/echo/{word}", headers = { user-agent = "{agent}" } }
expect = { status = 200, headers = { content-type = "text/plain", content-encoding = { absent = true } }, body = "{word}" }
capture = { ct = { header = "Content-Type" } }

[[step]]
tcp = { send = "GET /{ct} HTTP/1.1\r\n\r\n" }
expect = { status = 200, closed = true, responses = 1 }

[[step]]
request = { method = "POST", path = "/notes", json = { text = "{word}", n = 3 } }
expect = { json = { "$.id" = { type = "number" }, "$.text" = "{word}", "$.n" = 3 } }
"#;

#[test]
fn parses_the_documented_shapes() {
    let s = parse("c.toml", GOOD).unwrap_or_else(|e| panic!("{}", e[0]));
    assert!(s.test.is_some());
    assert_eq!(s.vars.len(), 2);
    assert_eq!(s.steps.len(), 3);
    assert!(matches!(s.steps[1].action, Action::Tcp(_)));
    assert_eq!(s.steps[1].expect.closed, Some(true));
    assert_eq!(s.steps[2].expect.json.len(), 3);
    let serve = s.serve.unwrap();
    assert_eq!(serve.ready, Ready::Tcp);
    assert_eq!(serve.timeout, Duration::from_secs(10));
}

fn first_error(text: &str) -> Diagnostic {
    parse("checks/02-http/x.toml", text).expect_err("should fail")[0].clone()
}

#[test]
fn unknown_key_in_expect_suggests_the_right_one() {
    let d = first_error(&GOOD.replace(
        "expect = { status = 200, closed",
        "expect = { stauts = 200, closed",
    ));
    assert_eq!(d.message, "unknown key `stauts`");
    assert_eq!(d.help.as_deref(), Some("did you mean `status`?"));
    assert!(
        d.location().starts_with("checks/02-http/x.toml:19:"),
        "{}",
        d.location()
    );
}

#[test]
fn unknown_placeholder_points_at_the_string() {
    let d = first_error(&GOOD.replace("/echo/{word}", "/echo/{wrod}"));
    assert!(d.message.contains("`{wrod}`"), "{}", d.message);
    assert_eq!(
        d.help
            .as_deref()
            .map(|h| h.starts_with("did you mean `{word}`")),
        Some(true)
    );
    assert_eq!(d.line_col().map(|(l, _)| l), Some(13));
}

#[test]
fn captures_are_only_known_after_their_step() {
    let text = GOOD.replace("name = \"echo {word}\"", "name = \"echo {ct}\"");
    let d = first_error(&text);
    assert!(d.message.contains("`{ct}`"), "{}", d.message);
}

#[test]
fn bad_values_are_reported_each() {
    let text = GOOD
        .replace("status = 200, headers", "status = 999, headers")
        .replace("random = \"hex\"", "random = \"hexx\"")
        .replace("[serve]", "[serve]\ntimeout = \"10\"");
    let errs = parse("x.toml", &text).unwrap_err();
    let msgs: Vec<_> = errs.iter().map(|e| e.message.as_str()).collect();
    assert!(
        msgs.iter().any(|m| m.contains("999 is not an HTTP status")),
        "{msgs:?}"
    );
    assert!(
        msgs.iter()
            .any(|m| m.contains("unknown random kind `hexx`")),
        "{msgs:?}"
    );
    assert!(msgs.iter().any(|m| m.contains("has no unit")), "{msgs:?}");
}

#[test]
fn steps_without_serve_or_action_are_errors() {
    let d = first_error("[[step]]\nrequest = { path = \"/\" }\n");
    assert!(d.message.contains("no [serve] table"), "{}", d.message);
    let d = first_error("[serve]\n[[step]]\nname = \"x\"\n");
    assert!(d.message.contains("needs an action"), "{}", d.message);
}

#[test]
fn invalid_regex_is_caught_at_parse_time() {
    let d = first_error(&GOOD.replace("body = \"{word}\"", "body = { matches = \"(unclosed\" }"));
    assert!(
        d.message.contains("invalid regular expression"),
        "{}",
        d.message
    );
}

#[test]
fn non_ascii_hex_and_huge_timeouts_are_errors_not_panics() {
    let text = "[serve]\n[[step]]\ntcp = { send_hex = \"0é0\" }\n";
    let d = first_error(text);
    assert!(d.message.contains("not valid hex"), "{d:?}");
    let text =
        "[serve]\n[[step]]\ntimeout = \"99999999999999999999999m\"\nrequest = { path = \"/\" }\n";
    let d = first_error(text);
    assert!(d.message.contains("out of range"), "{d:?}");
}

#[test]
fn serve_files_and_dirs_stay_inside_tmp_or_the_crate() {
    let d = first_error(
        "[serve]\ndirs = [\"{tmp}/../../etc\"]\n[[step]]\nrequest = { path = \"/\" }\n",
    );
    assert!(d.message.contains("dirs are made inside"), "{d:?}");
    let d = first_error(
        "[serve]\nfiles = { \"/etc/passwd\" = \"x\" }\n[[step]]\nrequest = { path = \"/\" }\n",
    );
    assert!(d.message.contains("would be written outside"), "{d:?}");
    assert!(parse("checks/02-http/x.toml", "[serve]\ndirs = [\"{tmp}/a\"]\nfiles = { \"{tmp}/a/b.txt\" = \"x\", \"data/c.txt\" = \"y\" }\n[[step]]\nrequest = { path = \"/\" }\n").is_ok());
}

#[test]
fn a_var_named_like_a_built_in_is_an_error() {
    for name in ["base", "port", "tmp", "database_url", "instance", "port_2"] {
        let d = first_error(&format!(
            "[serve]\n[vars]\n{name} = \"word\"\n[[step]]\nrequest = {{ path = \"/\" }}\n"
        ));
        assert!(d.message.contains("is a built-in name"), "{name}: {d:?}");
    }
}

#[test]
fn tls_adds_its_templates_and_https_requests_need_it() {
    let with = r#"
[tls]
hosts = ["localhost", "api.localhost", "127.0.0.1"]
[serve]
env = { TLS_CERT = "{tls_cert}", TLS_KEY = "{tls_key}", HTTPS_PORT = "{https_port}" }
[[step]]
request = { path = "/", https = true, from = "127.0.0.7" }
expect = { headers = { location = "{https_base}/" } }
"#;
    let s = parse("c.toml", with).unwrap_or_else(|e| panic!("{}", e[0]));
    assert_eq!(s.tls.unwrap().hosts.len(), 3);
    let Action::Http(r) = &s.steps[0].action else {
        panic!("a request step")
    };
    assert!(r.https);
    assert!(r.from.is_some());

    let without = "[serve]\n[[step]]\nrequest = { path = \"/\", https = true }\n";
    assert!(first_error(without).to_string().contains("[tls]"));
    let unknown = "[serve]\nenv = { C = \"{tls_cert}\" }\n";
    assert!(first_error(unknown).to_string().contains("tls_cert"));
}

#[test]
fn tls_hosts_and_request_sources_are_checked() {
    let bad_host = "[tls]\nhosts = [\"not a host\"]\n";
    assert!(
        first_error(bad_host)
            .to_string()
            .contains("not a host name or an IP address")
    );
    let remote = "[serve]\n[[step]]\nrequest = { path = \"/\", from = \"10.0.0.1\" }\n";
    assert!(
        first_error(remote)
            .to_string()
            .contains("not a loopback IPv4 address")
    );
    let shadow = "[tls]\n[vars]\nhttps_port = \"word\"\n";
    assert!(first_error(shadow).to_string().contains("built-in name"));
}

#[test]
fn counts_and_exit_codes_may_be_templates() {
    let text = r#"
[vars]
code = { random = "int", min = 3, max = 9 }
[[upstream]]
name = "pay"
[[upstream.route]]
path = "/charge"
respond = [{ status = 200 }]
[serve]
[[step]]
calls = { upstream = "pay" }
expect = { count = "{code}", gap_min_ms = 20 }
[[step]]
run = { env = { X = "1" } }
expect = { exit_code = "{code}" }
"#;
    let s = parse("c.toml", text).unwrap_or_else(|e| panic!("{}", e[0]));
    let vars: std::collections::HashMap<String, String> =
        [("code".to_string(), "7".to_string())].into();
    let count = s.steps[0].expect.calls.count.as_ref().unwrap();
    assert_eq!(count.count(&vars), Ok(7));
    assert_eq!(s.steps[0].expect.calls.gap_min_ms, Some(Number::Lit(20)));
    let code = s.steps[1].expect.exit.code.as_ref().unwrap();
    assert_eq!(code.value(&vars), Ok(7));
    let words: std::collections::HashMap<String, String> =
        [("code".to_string(), "seven".to_string())].into();
    assert!(
        code.value(&words)
            .unwrap_err()
            .contains("not a whole number")
    );

    let unknown = "[serve]\n[[step]]\nrun = {}\nexpect = { exit_code = \"{nope}\" }\n";
    assert!(first_error(unknown).to_string().contains("nope"));
    let negative = "[serve]\n[[step]]\nrun = {}\nexpect = { exit_code = -1 }\n";
    assert!(first_error(negative).to_string().contains("below 0"));
}
