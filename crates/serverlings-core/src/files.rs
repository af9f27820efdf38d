//! Files the learner wrote, read as JSON documents so a check can assert on
//! their structure with JSON paths: Dockerfiles (stages, USER, exec-form
//! ENTRYPOINT/CMD, HEALTHCHECK), YAML (compose, Kubernetes, CI workflows),
//! TOML (Cargo.toml dependency rules) and JSON.

use serde_json::{Map, Value, json};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Dockerfile,
    Yaml,
    Toml,
    Json,
    /// Plain text: `{ text, lines, entries }` (ignore files, env files).
    Text,
}

impl Kind {
    pub fn parse(s: &str) -> Option<Kind> {
        match s {
            "dockerfile" => Some(Kind::Dockerfile),
            "yaml" => Some(Kind::Yaml),
            "toml" => Some(Kind::Toml),
            "json" => Some(Kind::Json),
            "text" => Some(Kind::Text),
            _ => None,
        }
    }

    /// Guessed from the file name.
    pub fn guess(path: &str) -> Option<Kind> {
        let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
        if name == "dockerfile" || name.ends_with(".dockerfile") || name.starts_with("dockerfile.")
        {
            Some(Kind::Dockerfile)
        } else if name.ends_with(".yaml") || name.ends_with(".yml") {
            Some(Kind::Yaml)
        } else if name.ends_with(".toml") {
            Some(Kind::Toml)
        } else if name.ends_with(".json") {
            Some(Kind::Json)
        } else if name.ends_with("ignore") || name.ends_with(".txt") || name.starts_with(".env") {
            Some(Kind::Text)
        } else {
            None
        }
    }
}

/// The file as a JSON document, or why it could not be read.
pub fn document(kind: Kind, text: &str) -> Result<Value, String> {
    match kind {
        Kind::Json => serde_json::from_str(text).map_err(|e| format!("not valid JSON: {e}")),
        Kind::Toml => toml::from_str::<toml::Value>(text)
            .map(|v| crate::spec::toml_to_json(&v))
            .map_err(|e| format!("not valid TOML: {}", e.message())),
        Kind::Yaml => {
            let docs = yaml_rust2::YamlLoader::load_from_str(text)
                .map_err(|e| format!("not valid YAML: {e}"))?;
            Ok(match docs.len() {
                0 => Value::Null,
                1 => yaml_to_json(&docs[0]),
                _ => Value::Array(docs.iter().map(yaml_to_json).collect()),
            })
        }
        Kind::Dockerfile => Ok(dockerfile(text)),
        Kind::Text => Ok(plain_text(text)),
    }
}

/// Text as `{ text, lines, entries }`: `lines` every line without its
/// trailing whitespace, `entries` the lines that say something (trimmed,
/// without blanks and `#` comments), as ignore and env files are read.
pub fn plain_text(text: &str) -> Value {
    let lines: Vec<&str> = text.lines().map(str::trim_end).collect();
    let entries: Vec<&str> = lines
        .iter()
        .map(|l| l.trim())
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    json!({ "text": text, "lines": lines, "entries": entries })
}

fn yaml_to_json(y: &yaml_rust2::Yaml) -> Value {
    use yaml_rust2::Yaml;
    match y {
        Yaml::Real(r) => r
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map_or(Value::String(r.clone()), Value::Number),
        Yaml::Integer(i) => json!(i),
        Yaml::String(s) => Value::String(s.clone()),
        Yaml::Boolean(b) => Value::Bool(*b),
        Yaml::Array(a) => Value::Array(a.iter().map(yaml_to_json).collect()),
        Yaml::Hash(h) => {
            let mut m = Map::new();
            for (k, v) in h {
                let key = match k {
                    Yaml::String(s) => s.clone(),
                    Yaml::Integer(i) => i.to_string(),
                    Yaml::Boolean(b) => b.to_string(),
                    Yaml::Real(r) => r.clone(),
                    other => format!("{other:?}"),
                };
                m.insert(key, yaml_to_json(v));
            }
            Value::Object(m)
        }
        _ => Value::Null,
    }
}

/// Logical lines: continuations joined, comments and blanks dropped.
fn logical_lines(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for raw in text.lines() {
        let line = raw.trim();
        if cur.is_empty() && (line.is_empty() || line.starts_with('#')) {
            continue;
        }
        if let Some(body) = line.strip_suffix('\\') {
            cur.push_str(body.trim_end());
            cur.push(' ');
        } else if !line.starts_with('#') {
            cur.push_str(line);
            out.push(std::mem::take(&mut cur));
        }
    }
    if !cur.trim().is_empty() {
        out.push(cur);
    }
    out
}

/// `["a", "b"]` (exec form) or a plain command line (shell form).
fn command(args: &str) -> Value {
    match serde_json::from_str::<Vec<String>>(args.trim()) {
        Ok(list) => json!({ "exec": true, "args": list }),
        Err(_) => json!({ "exec": false, "args": [args.trim()] }),
    }
}

/// A Dockerfile as `{ stages: [...], final: {...}, instructions: [...] }`.
pub fn dockerfile(text: &str) -> Value {
    let mut stages: Vec<Map<String, Value>> = Vec::new();
    let mut all = Vec::new();
    for line in logical_lines(text) {
        let (instr, args) = line
            .split_once(char::is_whitespace)
            .map_or((line.as_str(), ""), |(i, a)| (i, a.trim()));
        let instr = instr.to_ascii_uppercase();
        all.push(json!({ "instruction": instr, "args": args }));
        if instr == "FROM" {
            let parts: Vec<&str> = args
                .split_whitespace()
                .filter(|p| !p.starts_with("--"))
                .collect();
            let mut stage = Map::new();
            stage.insert("from".into(), json!(parts.first().copied().unwrap_or("")));
            let alias = parts
                .iter()
                .position(|p| p.eq_ignore_ascii_case("as"))
                .and_then(|i| parts.get(i + 1));
            stage.insert("as".into(), alias.map_or(Value::Null, |a| json!(a)));
            stage.insert("instructions".into(), json!([]));
            stages.push(stage);
            continue;
        }
        let Some(stage) = stages.last_mut() else {
            continue;
        };
        if let Some(Value::Array(list)) = stage.get_mut("instructions") {
            list.push(json!({ "instruction": instr, "args": args }));
        }
        match instr.as_str() {
            "USER" => {
                stage.insert("user".into(), json!(args));
            }
            "ENTRYPOINT" => {
                stage.insert("entrypoint".into(), command(args));
            }
            "CMD" => {
                stage.insert("cmd".into(), command(args));
            }
            "HEALTHCHECK" => {
                stage.insert("healthcheck".into(), json!(args));
            }
            "EXPOSE" => {
                let ports: Vec<Value> = args.split_whitespace().map(|p| json!(p)).collect();
                stage.insert("expose".into(), Value::Array(ports));
            }
            "COPY" => {
                if let Some(from) = args
                    .split_whitespace()
                    .find_map(|a| a.strip_prefix("--from="))
                {
                    let entry = stage.entry("copies_from").or_insert_with(|| json!([]));
                    if let Value::Array(a) = entry {
                        a.push(json!(from));
                    }
                }
            }
            _ => {}
        }
    }
    let last = stages.last().cloned().unwrap_or_default();
    let user = last.get("user").and_then(Value::as_str).map(str::to_string);
    let root = user.as_deref().is_none_or(|u| {
        let name = u.split(':').next().unwrap_or(u);
        name == "root" || name == "0"
    });
    let mut fin = last;
    fin.insert("user_is_root".into(), json!(root));
    fin.remove("instructions");
    json!({ "stages": stages, "final": fin, "instructions": all })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_has_its_lines_and_the_entries_that_say_something() {
        let doc = document(Kind::Text, "# build output\ntarget/  \n\n  .git\n").unwrap();
        assert_eq!(doc["lines"][1], "target/");
        assert_eq!(doc["entries"], json!(["target/", ".git"]));
        assert_eq!(Kind::guess("sub/.dockerignore"), Some(Kind::Text));
        assert_eq!(Kind::guess(".env.example"), Some(Kind::Text));
    }

    const DOCKERFILE: &str = r#"
# syntax=docker/dockerfile:1
FROM rust:1.85 AS build
WORKDIR /app
COPY . .
RUN cargo build --release \
    --locked
FROM debian:bookworm-slim
COPY --from=build /app/target/release/app /usr/local/bin/app
USER app:app
EXPOSE 8080
HEALTHCHECK CMD ["/usr/local/bin/app", "--health"]
ENTRYPOINT ["/usr/local/bin/app"]
"#;

    #[test]
    fn dockerfiles_become_documents() {
        let d = dockerfile(DOCKERFILE);
        assert_eq!(d["stages"].as_array().unwrap().len(), 2);
        assert_eq!(d["stages"][0]["as"], "build");
        assert_eq!(
            d["stages"][0]["instructions"][2]["args"],
            "cargo build --release --locked"
        );
        assert_eq!(d["final"]["user"], "app:app");
        assert_eq!(d["final"]["user_is_root"], false);
        assert_eq!(d["final"]["entrypoint"]["exec"], true);
        assert_eq!(d["final"]["copies_from"][0], "build");
        assert_eq!(d["final"]["expose"][0], "8080");
        let shell = dockerfile("FROM alpine\nCMD /app --port 80\n");
        assert_eq!(shell["final"]["cmd"]["exec"], false);
        assert_eq!(shell["final"]["user_is_root"], true);
    }

    #[test]
    fn yaml_and_toml_become_documents() {
        let y = document(Kind::Yaml, "services:\n  db:\n    image: postgres:16\n    healthcheck:\n      test: [\"CMD\", \"pg_isready\"]\n").unwrap();
        assert_eq!(y["services"]["db"]["healthcheck"]["test"][1], "pg_isready");
        let t = document(Kind::Toml, "[dependencies]\nserde = \"1\"\n").unwrap();
        assert_eq!(t["dependencies"]["serde"], "1");
        assert!(
            document(Kind::Yaml, "a: [")
                .unwrap_err()
                .starts_with("not valid YAML")
        );
        assert_eq!(Kind::guess("deploy/k8s.yml"), Some(Kind::Yaml));
        assert_eq!(Kind::guess("Dockerfile"), Some(Kind::Dockerfile));
    }
}
