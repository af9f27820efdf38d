//! RabbitMQ: never started by serverlings (too heavy per run); used from a
//! URL or the broker running on this machine. Each check gets a virtual
//! host of its own — through the management API, else `rabbitmqctl` — or,
//! when neither is available, the shared one and a queue-name prefix
//! (`AMQP_QUEUE_PREFIX`).

use std::path::PathBuf;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// The variable with the queue-name prefix every check gets.
pub const PREFIX_ENV: &str = "AMQP_QUEUE_PREFIX";

/// How a vhost was made, to delete it the same way.
#[derive(Debug, Clone)]
pub enum Via {
    Api {
        base: String,
        user: String,
        password: String,
    },
    Ctl(PathBuf),
}

struct Target {
    host: String,
    port: u16,
    user: String,
    password: String,
}

pub const AMQP: super::urls::Scheme = super::urls::Scheme {
    names: &["amqp"],
    tls: Some("amqps"),
    example: "AMQP URL (amqp://user:password@host:5672/vhost)",
    port: 5672,
};

fn parse(url: &str) -> Result<Target, String> {
    let u = super::urls::parse(url, &AMQP)?;
    Ok(Target {
        host: u.host,
        port: u.port,
        user: u.user.unwrap_or_else(|| "guest".into()),
        password: u.password.unwrap_or_else(|| "guest".into()),
    })
}

/// Opens an AMQP 0-9-1 connection far enough to read the broker's
/// `Connection.Start`: "RabbitMQ 3.12.1".
pub async fn version(url: &str) -> Result<String, String> {
    let t = parse(url)?;
    let io = async {
        let mut s = tokio::net::TcpStream::connect((t.host.as_str(), t.port)).await?;
        s.write_all(b"AMQP\x00\x00\x09\x01").await?;
        let mut head = [0u8; 7];
        s.read_exact(&mut head).await?;
        if head[0] != 1 {
            return Err(std::io::Error::other("the answer is not AMQP 0-9-1"));
        }
        let size = u32::from_be_bytes([head[3], head[4], head[5], head[6]]) as usize;
        let mut payload = vec![0; size.min(1 << 20)];
        s.read_exact(&mut payload).await?;
        Ok(payload)
    };
    let payload = tokio::time::timeout(Duration::from_secs(3), io)
        .await
        .map_err(|_| "no answer within 3s".to_string())?
        .map_err(|e| e.to_string())?;
    let props = server_properties(&payload).ok_or("the answer is not AMQP Connection.Start")?;
    let get = |k: &str| props.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    Ok(format!(
        "{} {}",
        get("product").unwrap_or_else(|| "AMQP broker".into()),
        get("version").unwrap_or_default()
    )
    .trim()
    .to_string())
}

/// The string entries of Connection.Start's server-properties table.
fn server_properties(p: &[u8]) -> Option<Vec<(String, String)>> {
    // class 10, method 10, version 0 9
    if p.len() < 10 || p[0..4] != [0, 10, 0, 10] {
        return None;
    }
    let len = u32::from_be_bytes(p[6..10].try_into().ok()?) as usize;
    let table = p.get(10..10 + len)?;
    let mut out = Vec::new();
    let mut i = 0;
    while i < table.len() {
        let n = *table.get(i)? as usize;
        let name = String::from_utf8_lossy(table.get(i + 1..i + 1 + n)?).into_owned();
        i += 1 + n;
        let ty = *table.get(i)?;
        i += 1;
        match ty {
            b'S' | b'F' | b'x' => {
                let l = u32::from_be_bytes(table.get(i..i + 4)?.try_into().ok()?) as usize;
                if ty == b'S' {
                    out.push((
                        name,
                        String::from_utf8_lossy(table.get(i + 4..i + 4 + l)?).into_owned(),
                    ));
                }
                i += 4 + l;
            }
            b't' | b'b' | b'B' => i += 1,
            b's' | b'u' => i += 2,
            b'I' | b'i' | b'f' => i += 4,
            b'l' | b'd' | b'T' => i += 8,
            b'D' => i += 5,
            b'V' => {}
            _ => break,
        }
    }
    Some(out)
}

fn management_base(t: &Target) -> String {
    std::env::var("RABBITMQ_MANAGEMENT_URL")
        .ok()
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| format!("http://{}:15672", t.host))
        .trim_end_matches('/')
        .to_string()
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap_or_default()
}

/// Whether the management API answers with these credentials.
async fn api_works(via: &Via) -> bool {
    let Via::Api {
        base,
        user,
        password,
    } = via
    else {
        return false;
    };
    let Ok(u) = url::Url::parse(base) else {
        return false;
    };
    let (h, p) = (
        u.host_str().unwrap_or("").to_string(),
        u.port().unwrap_or(80),
    );
    if !tokio::task::spawn_blocking(move || super::instance::answers(&h, p))
        .await
        .unwrap_or(false)
    {
        return false;
    }
    client()
        .get(format!("{base}/api/whoami"))
        .basic_auth(user, Some(password))
        .send()
        .await
        .is_ok_and(|r| r.status().is_success())
}

async fn api(
    via: &Via,
    method: reqwest::Method,
    path: &str,
    body: Option<&str>,
) -> Result<(), String> {
    let Via::Api {
        base,
        user,
        password,
    } = via
    else {
        return Err("not the API".into());
    };
    let mut req = client()
        .request(method, format!("{base}/api/{path}"))
        .basic_auth(user, Some(password));
    if let Some(b) = body {
        req = req
            .header("content-type", "application/json")
            .body(b.to_string());
    }
    let r = req.send().await.map_err(|e| e.to_string())?;
    if r.status().is_success() || r.status() == reqwest::StatusCode::NOT_FOUND {
        Ok(())
    } else {
        Err(format!("the management API answered {}", r.status()))
    }
}

async fn ctl(bin: &PathBuf, args: &[&str]) -> Result<String, String> {
    let mut cmd = tokio::process::Command::new(bin);
    cmd.arg("-q").args(args);
    // Its own group, killed whole at the limit: rabbitmqctl starts an
    // Erlang VM that would outlive a kill of the script alone.
    let out = serverlings_proc::process::output_within(cmd, Duration::from_secs(20))
        .await
        .map_err(|e| format!("rabbitmqctl: {e}"))?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).trim().to_string())
    }
}

/// How this process makes vhosts on the broker of `url`, found once.
static VIA: tokio::sync::Mutex<Vec<(String, Option<Via>)>> =
    tokio::sync::Mutex::const_new(Vec::new());

async fn via_for(url: &str, t: &Target) -> Option<Via> {
    let mut known = VIA.lock().await;
    if let Some((_, v)) = known.iter().find(|(u, _)| u == url) {
        return v.clone();
    }
    let api_via = Via::Api {
        base: management_base(t),
        user: t.user.clone(),
        password: t.password.clone(),
    };
    let via = if api_works(&api_via).await {
        Some(api_via)
    } else if super::is_loopback(url) {
        match super::find::program(super::Kind::Rabbitmq, "rabbitmqctl") {
            Some(bin) if ctl(&bin, &["list_vhosts", "name"]).await.is_ok() => Some(Via::Ctl(bin)),
            _ => None,
        }
    } else {
        None
    };
    if let Some(v) = &via {
        delete_abandoned(v).await;
    }
    known.push((url.to_string(), via.clone()));
    via
}

/// Deletes `sl-*` vhosts whose serverlings process is gone.
async fn delete_abandoned(via: &Via) {
    let names: Vec<String> = match via {
        Via::Ctl(bin) => ctl(bin, &["list_vhosts", "name"])
            .await
            .unwrap_or_default()
            .lines()
            .map(|l| l.trim().to_string())
            .collect(),
        Via::Api {
            base,
            user,
            password,
        } => {
            let Ok(r) = client()
                .get(format!("{base}/api/vhosts?columns=name"))
                .basic_auth(user, Some(password))
                .send()
                .await
            else {
                return;
            };
            let text = r.text().await.unwrap_or_default();
            serde_json::from_str::<Vec<serde_json::Value>>(&text)
                .unwrap_or_default()
                .iter()
                .filter_map(|v| v["name"].as_str().map(String::from))
                .collect()
        }
    };
    for n in names {
        let pid = n
            .strip_prefix("sl-")
            .and_then(|r| r.rsplit('-').nth(1))
            .and_then(|p| p.parse::<i32>().ok());
        if pid.is_some_and(|p| !super::instance::alive(p)) {
            let _ = delete_vhost(via, &n).await;
        }
    }
}

/// A check's isolation: the URL for the learner, the vhost to delete after
/// (if one was made), the queue-name prefix, and a note for the report.
pub struct Isolated {
    pub url: String,
    pub vhost: Option<(Via, String)>,
    pub prefix: String,
    pub note: String,
}

pub async fn isolate(url: &str, exercise: &str, tag: &str) -> Result<Isolated, String> {
    let t = parse(url)?;
    version(url).await?;
    let name: String = exercise
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .take(40)
        .collect();
    let vhost = format!("sl-{name}-{}-{tag}", std::process::id());
    let prefix = format!("{vhost}.");
    let Some(via) = via_for(url, &t).await else {
        return Ok(Isolated {
            url: url.to_string(),
            vhost: None,
            prefix: prefix.clone(),
            note: format!(
                "RabbitMQ: no management API or rabbitmqctl to make a vhost; shared vhost, queue names prefixed `{prefix}` ({PREFIX_ENV})"
            ),
        });
    };
    let perms = r#"{"configure":".*","write":".*","read":".*"}"#;
    let made = match &via {
        Via::Api { .. } => {
            async {
                api(&via, reqwest::Method::PUT, &format!("vhosts/{vhost}"), None).await?;
                api(
                    &via,
                    reqwest::Method::PUT,
                    &format!("permissions/{vhost}/{}", t.user),
                    Some(perms),
                )
                .await
            }
            .await
        }
        Via::Ctl(bin) => {
            async {
                ctl(bin, &["add_vhost", &vhost]).await?;
                ctl(
                    bin,
                    &["set_permissions", "-p", &vhost, &t.user, ".*", ".*", ".*"],
                )
                .await
                .map(|_| ())
            }
            .await
        }
    };
    if let Err(e) = made {
        let _ = delete_vhost(&via, &vhost).await;
        return Err(format!("cannot create a virtual host: {e}"));
    }
    let mut u = url::Url::parse(url).map_err(|e| e.to_string())?;
    u.set_path(&format!("/{vhost}"));
    let how = match via {
        Via::Api { .. } => "the management API",
        Via::Ctl(_) => "rabbitmqctl",
    };
    Ok(Isolated {
        url: u.to_string(),
        vhost: Some((via, vhost.clone())),
        prefix,
        note: format!("RabbitMQ vhost {vhost} (made with {how})"),
    })
}

pub async fn delete_vhost(via: &Via, vhost: &str) -> Result<(), String> {
    match via {
        Via::Api { .. } => {
            api(
                via,
                reqwest::Method::DELETE,
                &format!("vhosts/{vhost}"),
                None,
            )
            .await
        }
        Via::Ctl(bin) => ctl(bin, &["delete_vhost", vhost]).await.map(|_| ()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connection_start_properties_are_read() {
        let mut table = Vec::new();
        for (k, v) in [("product", "RabbitMQ"), ("version", "3.12.1")] {
            table.push(k.len() as u8);
            table.extend(k.as_bytes());
            table.push(b'S');
            table.extend((v.len() as u32).to_be_bytes());
            table.extend(v.as_bytes());
        }
        let mut p = vec![0, 10, 0, 10, 0, 9];
        p.extend((table.len() as u32).to_be_bytes());
        p.extend(table);
        let props = server_properties(&p).unwrap();
        assert_eq!(props[1], ("version".into(), "3.12.1".into()));
    }

    #[test]
    fn amqp_urls_default_to_guest() {
        let t = parse("amqp://127.0.0.1").unwrap();
        assert_eq!(
            (t.user.as_str(), t.password.as_str(), t.port),
            ("guest", "guest", 5672)
        );
        assert!(parse("amqps://x").is_err());
    }
}
