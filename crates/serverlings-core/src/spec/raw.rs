//! The TOML shapes of a check spec, as serde reads them (spans kept).

use serde::Deserialize;
use std::collections::BTreeMap;
use toml::Spanned;
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSpec {
    pub(super) build: Option<RawBuild>,
    pub(super) test: Option<RawTest>,
    pub(super) mutation: Option<Spanned<RawMutation>>,
    pub(super) serve: Option<RawServe>,
    #[serde(default)]
    pub(super) vars: BTreeMap<String, Spanned<toml::Value>>,
    #[serde(default)]
    pub(super) step: Vec<Spanned<RawStep>>,
    #[serde(default)]
    pub(super) upstream: Vec<Spanned<RawUpstream>>,
    pub(super) oidc: Option<RawOidc>,
    pub(super) tls: Option<Spanned<RawTls>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawTls {
    #[serde(default)]
    pub(super) hosts: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawOidc {
    pub(super) client_id: Option<Spanned<String>>,
    pub(super) client_secret: Option<Spanned<String>>,
    pub(super) redirect_path: Option<Spanned<String>>,
    pub(super) pkce: Option<bool>,
    #[serde(default)]
    pub(super) user: BTreeMap<String, Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawUpstream {
    pub(super) name: Spanned<String>,
    #[serde(default)]
    pub(super) route: Vec<RawRoute>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawRoute {
    pub(super) method: Option<String>,
    pub(super) path: Spanned<String>,
    pub(super) respond: Vec<Spanned<RawReply>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawReply {
    pub(super) status: Option<i64>,
    #[serde(default)]
    pub(super) headers: BTreeMap<String, Spanned<String>>,
    pub(super) body: Option<Spanned<String>>,
    pub(super) json: Option<Spanned<toml::Value>>,
    pub(super) delay: Option<Spanned<String>>,
    #[serde(default)]
    pub(super) hang: bool,
    #[serde(default)]
    pub(super) drop: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawFile {
    pub(super) path: Spanned<String>,
    pub(super) kind: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawCalls {
    pub(super) upstream: Spanned<String>,
    pub(super) method: Option<String>,
    pub(super) path: Option<Spanned<String>>,
    pub(super) since: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawBuild {
    pub(super) timeout: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawTest {
    pub(super) timeout: Option<Spanned<String>>,
    pub(super) filter: Option<String>,
    #[serde(default)]
    pub(super) protect: Vec<Spanned<String>>,
    #[serde(default)]
    pub(super) doc: bool,
    #[serde(default)]
    pub(super) include_ignored: bool,
    #[serde(default)]
    pub(super) require: Vec<Spanned<String>>,
    #[serde(default)]
    pub(super) ignored: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawMutation {
    pub(super) code: Vec<Spanned<String>>,
    pub(super) timeout: Option<Spanned<String>>,
    #[serde(default)]
    pub(super) mutant: Vec<Spanned<RawMutant>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawMutant {
    pub(super) name: String,
    pub(super) file: Spanned<String>,
    pub(super) replace: Spanned<String>,
    pub(super) with: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawServe {
    pub(super) bin: Option<String>,
    #[serde(default)]
    pub(super) env: BTreeMap<String, Spanned<String>>,
    #[serde(default)]
    pub(super) dirs: Vec<Spanned<String>>,
    #[serde(default)]
    pub(super) files: BTreeMap<String, Spanned<String>>,
    pub(super) ready: Option<Spanned<String>>,
    pub(super) timeout: Option<Spanned<String>>,
    pub(super) grace: Option<Spanned<String>>,
    pub(super) instances: Option<Spanned<i64>>,
    pub(super) ports: Option<Spanned<String>>,
    pub(super) start: Option<Spanned<i64>>,
    #[serde(default)]
    pub(super) proxy: Vec<Spanned<String>>,
    #[serde(default)]
    pub(super) also: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawStep {
    pub(super) name: Option<Spanned<String>>,
    pub(super) hint: Option<String>,
    pub(super) timeout: Option<Spanned<String>>,
    pub(super) instance: Option<Spanned<i64>>,
    pub(super) poll: Option<Spanned<String>>,

    pub(super) request: Option<Spanned<RawRequest>>,
    pub(super) tcp: Option<Spanned<RawTcp>>,
    pub(super) sse: Option<Spanned<RawSse>>,
    pub(super) ws: Option<Spanned<RawWs>>,
    pub(super) load: Option<Spanned<RawLoad>>,
    pub(super) load_wait: Option<bool>,
    pub(super) signal: Option<Spanned<RawSignal>>,
    pub(super) restart: Option<Spanned<toml::Value>>,
    pub(super) kill: Option<Spanned<String>>,
    pub(super) output: Option<Spanned<RawOutput>>,
    pub(super) calls: Option<Spanned<RawCalls>>,
    pub(super) file: Option<Spanned<RawFile>>,
    pub(super) sql: Option<Spanned<String>>,
    pub(super) explain: Option<Spanned<String>>,
    pub(super) mysql: Option<Spanned<String>>,
    pub(super) redis: Option<Vec<Spanned<String>>>,
    pub(super) database: Option<Spanned<String>>,
    pub(super) login: Option<Spanned<String>>,
    pub(super) rotate_keys: Option<bool>,
    pub(super) queue: Option<Spanned<String>>,
    pub(super) jwt: Option<Spanned<RawJwt>>,
    pub(super) run: Option<Spanned<RawRun>>,
    pub(super) processes: Option<Spanned<String>>,
    pub(super) start: Option<Spanned<i64>>,
    #[serde(default)]
    pub(super) expect: Option<RawExpect>,
    #[serde(default)]
    pub(super) capture: BTreeMap<String, Spanned<RawCapture>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawJwt {
    pub(super) token: Spanned<String>,
    pub(super) key: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawRun {
    pub(super) bin: Option<String>,
    #[serde(default)]
    pub(super) env: BTreeMap<String, Spanned<String>>,
    #[serde(default)]
    pub(super) unset: Vec<String>,
    #[serde(default)]
    pub(super) args: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawRequest {
    pub(super) method: Option<Spanned<String>>,
    pub(super) path: Spanned<String>,
    #[serde(default)]
    pub(super) query: BTreeMap<String, Spanned<String>>,
    #[serde(default)]
    pub(super) headers: BTreeMap<String, Spanned<String>>,
    pub(super) body: Option<Spanned<String>>,
    pub(super) json: Option<Spanned<toml::Value>>,
    pub(super) body_hex: Option<Spanned<String>>,
    pub(super) parallel: Option<Spanned<i64>>,
    #[serde(default)]
    pub(super) http2: bool,
    #[serde(default)]
    pub(super) https: bool,
    pub(super) from: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawTcp {
    pub(super) send: Option<Spanned<String>>,
    pub(super) send_hex: Option<Spanned<String>>,
    pub(super) parallel: Option<Spanned<i64>>,
    pub(super) trickle: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawExpect {
    pub(super) status: Option<Spanned<toml::Value>>,
    #[serde(default)]
    pub(super) headers: BTreeMap<String, Spanned<toml::Value>>,
    pub(super) body: Option<Spanned<toml::Value>>,
    #[serde(default)]
    pub(super) json: BTreeMap<String, Spanned<toml::Value>>,
    pub(super) encoding: Option<Spanned<String>>,
    pub(super) max_ms: Option<Spanned<i64>>,
    pub(super) first_byte_ms: Option<Spanned<i64>>,
    pub(super) responses: Option<Spanned<i64>>,
    pub(super) closed: Option<bool>,
    pub(super) silent: Option<Spanned<String>>,
    #[serde(default)]
    pub(super) events: Vec<RawEvent>,
    pub(super) retry: Option<Spanned<i64>>,
    pub(super) resume_after: Option<Spanned<String>>,
    pub(super) errors: Option<Spanned<i64>>,
    pub(super) p50_ms: Option<Spanned<f64>>,
    pub(super) p95_ms: Option<Spanned<f64>>,
    pub(super) p99_ms: Option<Spanned<f64>>,
    pub(super) rps: Option<Spanned<f64>>,
    pub(super) rss_mb: Option<Spanned<f64>>,
    pub(super) rss_growth_mb: Option<Spanned<f64>>,
    pub(super) rss_peak_mb: Option<Spanned<f64>>,
    pub(super) fd_growth: Option<Spanned<i64>>,
    pub(super) busy_threads: Option<Spanned<i64>>,
    pub(super) exit_code: Option<Spanned<toml::Value>>,
    pub(super) within: Option<Spanned<String>>,
    pub(super) refused_after: Option<bool>,
    pub(super) line: Option<Spanned<toml::Value>>,
    pub(super) no_line: Option<Spanned<toml::Value>>,
    pub(super) lines: Option<Spanned<i64>>,
    pub(super) distinct: Option<Spanned<RawDistinct>>,
    pub(super) queries: Option<Spanned<i64>>,
    pub(super) queries_max: Option<Spanned<i64>>,
    pub(super) count: Option<Spanned<toml::Value>>,
    pub(super) count_min: Option<Spanned<toml::Value>>,
    pub(super) count_max: Option<Spanned<toml::Value>>,
    pub(super) gap_min_ms: Option<Spanned<toml::Value>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawDistinct {
    pub(super) header: Option<String>,
    #[serde(default)]
    pub(super) body: bool,
    pub(super) min: i64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawCapture {
    pub(super) load: Option<Spanned<String>>,
    pub(super) json: Option<String>,
    pub(super) header: Option<String>,
    pub(super) cookie: Option<String>,
    pub(super) event_id: Option<Spanned<String>>,
    pub(super) body: Option<bool>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSse {
    pub(super) path: Spanned<String>,
    #[serde(default)]
    pub(super) headers: BTreeMap<String, Spanned<String>>,
    pub(super) read: Option<Spanned<i64>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawOutput {
    pub(super) stream: Option<Spanned<String>>,
    pub(super) since: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSignal {
    pub(super) send: Spanned<String>,
    pub(super) during: Option<Spanned<RawRequest>>,
    pub(super) after: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawLoad {
    pub(super) method: Option<Spanned<String>>,
    pub(super) path: Spanned<String>,
    #[serde(default)]
    pub(super) headers: BTreeMap<String, Spanned<String>>,
    pub(super) body: Option<Spanned<String>>,
    pub(super) json: Option<Spanned<toml::Value>>,
    pub(super) concurrency: Option<Spanned<i64>>,
    pub(super) requests: Option<Spanned<i64>>,
    pub(super) duration: Option<Spanned<String>>,
    #[serde(default)]
    pub(super) background: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawWs {
    pub(super) path: Option<Spanned<String>>,
    #[serde(default)]
    pub(super) paths: Vec<Spanned<String>>,
    #[serde(default)]
    pub(super) headers: BTreeMap<String, Spanned<String>>,
    pub(super) clients: Option<Spanned<i64>>,
    #[serde(default)]
    pub(super) script: Vec<Spanned<RawWsAction>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawWsAction {
    pub(super) client: Option<Spanned<i64>>,
    pub(super) send: Option<Spanned<String>>,
    pub(super) send_hex: Option<Spanned<String>>,
    pub(super) expect: Option<Spanned<toml::Value>>,
    pub(super) expect_hex: Option<Spanned<String>>,
    pub(super) expect_none: Option<Spanned<String>>,
    pub(super) ping: Option<String>,
    pub(super) close: Option<Spanned<i64>>,
    pub(super) expect_close: Option<Spanned<toml::Value>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawEvent {
    pub(super) id: Option<Spanned<toml::Value>>,
    pub(super) event: Option<Spanned<toml::Value>>,
    pub(super) data: Option<Spanned<toml::Value>>,
}
