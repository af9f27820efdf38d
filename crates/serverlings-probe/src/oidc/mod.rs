//! An OpenID Connect provider the checker serves on loopback: discovery,
//! authorize (code flow, state, nonce, PKCE S256), token (single-use codes,
//! client secret), JWKS with rotating ES256 keys, userinfo. The checker plays
//! the browser through the learner's login redirects.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use p256::ecdsa::signature::Signer;
use p256::ecdsa::{Signature, SigningKey};
use serde_json::{Value, json};
use sha2::Digest;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};

/// Who the provider is for, and the user who logs in.
#[derive(Debug, Clone)]
pub struct Setup {
    pub client_id: String,
    pub client_secret: String,
    pub redirect_uri: String,
    pub pkce: bool,
    pub user: Vec<(String, String)>,
}

struct Key {
    kid: String,
    key: SigningKey,
}

struct Grant {
    client_id: String,
    redirect_uri: String,
    challenge: Option<String>,
    nonce: Option<String>,
}

#[derive(Default)]
struct State {
    keys: Vec<Key>,
    codes: HashMap<String, Grant>,
    tokens: HashMap<String, ()>,
    /// Why the provider refused something, for the step's failure.
    refusals: Vec<String>,
}

pub struct Provider {
    pub port: u16,
    state: Arc<Mutex<State>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Provider {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Bytes from the OS's random source: signing keys and codes are never
/// derived from the clock.
fn random_bytes(n: usize) -> Vec<u8> {
    serverlings_core::rng::os_random(n)
}

fn new_key(n: usize) -> Key {
    loop {
        if let Ok(key) = SigningKey::from_slice(&random_bytes(32)) {
            return Key {
                kid: format!("key-{n}-{}", hex(&random_bytes(4))),
                key,
            };
        }
    }
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn token() -> String {
    B64.encode(random_bytes(24))
}

impl Provider {
    pub async fn start(setup: Setup) -> std::io::Result<Provider> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let port = listener.local_addr()?.port();
        let state = Arc::new(Mutex::new(State {
            keys: vec![new_key(1)],
            ..State::default()
        }));
        let (st, su) = (state.clone(), setup.clone());
        let task = tokio::spawn(async move {
            while let Ok((sock, _)) = listener.accept().await {
                let (st, su) = (st.clone(), su.clone());
                tokio::spawn(async move {
                    let _ = serve(sock, port, &su, &st).await;
                });
            }
        });
        Ok(Provider { port, state, task })
    }

    pub fn issuer(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// A new signing key; the old one stays in the JWKS.
    pub fn rotate(&self) -> String {
        let mut s = self.state.lock().unwrap_or_else(|p| p.into_inner());
        let k = new_key(s.keys.len() + 1);
        let kid = k.kid.clone();
        s.keys.push(k);
        kid
    }

    /// Why the provider refused requests since the last call.
    pub fn take_refusals(&self) -> Vec<String> {
        std::mem::take(
            &mut self
                .state
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .refusals,
        )
    }
}

fn query_pairs(q: &str) -> HashMap<String, String> {
    url::form_urlencoded::parse(q.as_bytes())
        .into_owned()
        .collect()
}

struct Req {
    method: String,
    path: String,
    query: HashMap<String, String>,
    headers: HashMap<String, String>,
    body: Vec<u8>,
}

/// One request, read with the upstreams' reader (one per connection here).
async fn read(sock: &mut TcpStream) -> Option<Req> {
    let (method, target, headers, body) =
        crate::upstream::read_request(sock, &mut Vec::new()).await?;
    let (path, q) = target.split_once('?').unwrap_or((&target, ""));
    Some(Req {
        method,
        path: path.to_string(),
        query: query_pairs(q),
        headers: headers.into_iter().collect(),
        body,
    })
}

async fn answer(
    sock: &mut TcpStream,
    status: u16,
    headers: &[(&str, String)],
    body: &str,
) -> std::io::Result<()> {
    let mut out = format!(
        "HTTP/1.1 {status} X\r\ncontent-length: {}\r\nconnection: close\r\ncache-control: no-store\r\n",
        body.len()
    );
    for (k, v) in headers {
        out.push_str(&format!("{k}: {v}\r\n"));
    }
    out.push_str("\r\n");
    out.push_str(body);
    sock.write_all(out.as_bytes()).await
}

fn refuse(state: &Mutex<State>, why: String) -> (u16, String) {
    state
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .refusals
        .push(why.clone());
    (
        400,
        json!({ "error": "invalid_request", "error_description": why }).to_string(),
    )
}

async fn serve(
    mut sock: TcpStream,
    port: u16,
    setup: &Setup,
    state: &Mutex<State>,
) -> std::io::Result<()> {
    let Some(req) = read(&mut sock).await else {
        return Ok(());
    };
    let issuer = format!("http://127.0.0.1:{port}");
    let json_ct = [("content-type", "application/json".to_string())];
    match (req.method.as_str(), req.path.as_str()) {
        ("GET", "/.well-known/openid-configuration") => {
            let doc = json!({
                "issuer": issuer,
                "authorization_endpoint": format!("{issuer}/authorize"),
                "token_endpoint": format!("{issuer}/token"),
                "jwks_uri": format!("{issuer}/jwks"),
                "userinfo_endpoint": format!("{issuer}/userinfo"),
                "response_types_supported": ["code"],
                "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["ES256"],
                "code_challenge_methods_supported": ["S256"],
                "scopes_supported": ["openid", "profile", "email"],
                "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
            });
            answer(&mut sock, 200, &json_ct, &doc.to_string()).await
        }
        ("GET", "/jwks") => {
            let keys: Vec<Value> = state
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .keys
                .iter()
                .map(|k| {
                    let point = k.key.verifying_key().to_encoded_point(false);
                    json!({
                        "kty": "EC", "crv": "P-256", "use": "sig", "alg": "ES256", "kid": k.kid,
                        "x": B64.encode(point.x().map(|x| x.to_vec()).unwrap_or_default()),
                        "y": B64.encode(point.y().map(|y| y.to_vec()).unwrap_or_default()),
                    })
                })
                .collect();
            answer(
                &mut sock,
                200,
                &json_ct,
                &json!({ "keys": keys }).to_string(),
            )
            .await
        }
        ("GET", "/authorize") => {
            let q = &req.query;
            let get = |k: &str| q.get(k).cloned().unwrap_or_default();
            let problem = if get("response_type") != "code" {
                Some(format!(
                    "response_type must be `code`, got `{}`",
                    get("response_type")
                ))
            } else if get("client_id") != setup.client_id {
                Some(format!(
                    "unknown client_id `{}` (expected `{}`)",
                    get("client_id"),
                    setup.client_id
                ))
            } else if get("redirect_uri") != setup.redirect_uri {
                Some(format!(
                    "redirect_uri `{}` is not the registered `{}`",
                    get("redirect_uri"),
                    setup.redirect_uri
                ))
            } else if !get("scope").split(' ').any(|s| s == "openid") {
                Some("scope must include `openid`".to_string())
            } else if get("state").len() < 8 {
                Some(
                    "a `state` of at least 8 characters is required (against login CSRF)"
                        .to_string(),
                )
            } else if setup.pkce && get("code_challenge").is_empty() {
                Some(
                    "PKCE is required: send code_challenge and code_challenge_method=S256"
                        .to_string(),
                )
            } else if setup.pkce && get("code_challenge_method") != "S256" {
                Some(format!(
                    "code_challenge_method must be `S256`, got `{}`",
                    get("code_challenge_method")
                ))
            } else {
                None
            };
            if let Some(why) = problem {
                let (status, body) = refuse(state, format!("authorize: {why}"));
                return answer(&mut sock, status, &json_ct, &body).await;
            }
            let code = token();
            state
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .codes
                .insert(
                    code.clone(),
                    Grant {
                        client_id: get("client_id"),
                        redirect_uri: get("redirect_uri"),
                        challenge: q.get("code_challenge").cloned(),
                        nonce: q.get("nonce").cloned(),
                    },
                );
            let sep = if setup.redirect_uri.contains('?') {
                '&'
            } else {
                '?'
            };
            let state_param: String =
                url::form_urlencoded::byte_serialize(get("state").as_bytes()).collect();
            let location = format!(
                "{}{sep}code={}&state={state_param}",
                setup.redirect_uri,
                url::form_urlencoded::byte_serialize(code.as_bytes()).collect::<String>()
            );
            answer(&mut sock, 302, &[("location", location)], "").await
        }
        ("POST", "/token") => {
            let form = query_pairs(&String::from_utf8_lossy(&req.body));
            let get = |k: &str| form.get(k).cloned().unwrap_or_default();
            // client_secret_basic or client_secret_post
            let (id, secret) = match req
                .headers
                .get("authorization")
                .and_then(|a| a.strip_prefix("Basic "))
            {
                Some(b) => {
                    let decoded = base64::engine::general_purpose::STANDARD
                        .decode(b.trim())
                        .unwrap_or_default();
                    let text = String::from_utf8_lossy(&decoded).into_owned();
                    let (i, s) = text.split_once(':').unwrap_or((&text, ""));
                    (i.to_string(), s.to_string())
                }
                None => (get("client_id"), get("client_secret")),
            };
            let grant = state
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .codes
                .remove(&get("code"));
            let problem = if get("grant_type") != "authorization_code" {
                Some(format!(
                    "grant_type must be `authorization_code`, got `{}`",
                    get("grant_type")
                ))
            } else if id != setup.client_id || secret != setup.client_secret {
                Some("the client did not authenticate (client_id/client_secret, by Basic auth or in the form)".to_string())
            } else if let Some(g) = &grant {
                if g.redirect_uri != get("redirect_uri") {
                    Some("redirect_uri differs from the one sent to /authorize".to_string())
                } else if g.client_id != id {
                    Some("the code was issued to another client".to_string())
                } else if let Some(ch) = &g.challenge {
                    let verifier = get("code_verifier");
                    let computed = B64.encode(sha2::Sha256::digest(verifier.as_bytes()));
                    (verifier.is_empty() || computed != *ch).then(|| {
                        "code_verifier does not match the code_challenge (PKCE S256)".to_string()
                    })
                } else {
                    None
                }
            } else {
                Some("unknown or already used code (codes are single-use)".to_string())
            };
            if let Some(why) = problem {
                let (status, body) = refuse(state, format!("token: {why}"));
                return answer(&mut sock, status, &json_ct, &body).await;
            }
            let grant = grant.expect("checked above");
            let access = token();
            let id_token = {
                let mut s = state.lock().unwrap_or_else(|p| p.into_inner());
                s.tokens.insert(access.clone(), ());
                let key = s.keys.last().expect("there is always a key");
                let now = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |d| d.as_secs());
                let mut claims =
                    json!({ "iss": issuer, "aud": setup.client_id, "iat": now, "exp": now + 300 });
                if let Some(n) = &grant.nonce {
                    claims["nonce"] = json!(n);
                }
                for (k, v) in &setup.user {
                    claims[k] = json!(v);
                }
                sign(key, &claims)
            };
            let body = json!({ "access_token": access, "token_type": "Bearer", "expires_in": 300, "id_token": id_token });
            answer(&mut sock, 200, &json_ct, &body.to_string()).await
        }
        ("GET", "/userinfo") => {
            let bearer = req
                .headers
                .get("authorization")
                .and_then(|a| a.strip_prefix("Bearer "))
                .unwrap_or("");
            let known = state
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .tokens
                .contains_key(bearer);
            if !known {
                let (_, body) = refuse(state, "userinfo: unknown access token".into());
                return answer(&mut sock, 401, &json_ct, &body).await;
            }
            let info: serde_json::Map<String, Value> = setup
                .user
                .iter()
                .map(|(k, v)| (k.clone(), json!(v)))
                .collect();
            answer(&mut sock, 200, &json_ct, &Value::Object(info).to_string()).await
        }
        _ => answer(&mut sock, 404, &json_ct, "{\"error\":\"not_found\"}").await,
    }
}

fn sign(key: &Key, claims: &Value) -> String {
    let header = json!({ "alg": "ES256", "typ": "JWT", "kid": key.kid });
    let input = format!(
        "{}.{}",
        B64.encode(header.to_string()),
        B64.encode(claims.to_string())
    );
    let sig: Signature = key.key.sign(input.as_bytes());
    format!("{input}.{}", B64.encode(sig.to_bytes()))
}

#[cfg(test)]
mod tests;
