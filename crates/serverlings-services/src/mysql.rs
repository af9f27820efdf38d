//! MySQL/MariaDB: never started by serverlings; used from a URL or the
//! server running on this machine. Each check gets a database of its own.
//! The client speaks just enough of the protocol for that: the handshake,
//! `mysql_native_password` and the fast path of `caching_sha2_password`,
//! and statements without result sets.

use sha1::Digest;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

struct Target {
    host: String,
    port: u16,
    user: String,
    password: String,
}

const MYSQL: super::urls::Scheme = super::urls::Scheme {
    names: &["mysql", "mariadb"],
    tls: None,
    example: "MySQL URL (mysql://user:password@host:3306/database)",
    port: 3306,
};

fn parse(url: &str) -> Result<Target, String> {
    let u = super::urls::parse(url, &MYSQL)?;
    Ok(Target {
        host: u.host,
        port: u.port,
        user: u.user.unwrap_or_else(|| "root".into()),
        password: u.password.unwrap_or_default(),
    })
}

struct Conn {
    s: TcpStream,
    seq: u8,
}

impl Conn {
    async fn read(&mut self) -> std::io::Result<Vec<u8>> {
        let mut h = [0u8; 4];
        self.s.read_exact(&mut h).await?;
        let len = u32::from_le_bytes([h[0], h[1], h[2], 0]) as usize;
        self.seq = h[3].wrapping_add(1);
        let mut p = vec![0; len];
        self.s.read_exact(&mut p).await?;
        Ok(p)
    }

    async fn write(&mut self, p: &[u8]) -> std::io::Result<()> {
        let len = (p.len() as u32).to_le_bytes();
        let mut buf = vec![len[0], len[1], len[2], self.seq];
        buf.extend(p);
        self.seq = self.seq.wrapping_add(1);
        self.s.write_all(&buf).await
    }
}

/// The server's greeting: (version, scramble, auth plugin).
fn greeting(p: &[u8]) -> Option<(String, Vec<u8>, String)> {
    if p.first() == Some(&0xff) {
        return None;
    }
    let mut i = 1;
    let end = i + p.get(i..)?.iter().position(|&b| b == 0)?;
    let version = String::from_utf8_lossy(&p[i..end]).into_owned();
    i = end + 1 + 4; // connection id
    let mut scramble = p.get(i..i + 8)?.to_vec();
    i += 8 + 1 + 2 + 1 + 2 + 2; // filler, caps low, charset, status, caps high
    let auth_len = *p.get(i)? as usize;
    i += 1 + 10;
    let rest = auth_len.saturating_sub(8).max(13);
    let part2 = p.get(i..i + rest)?;
    scramble.extend(part2.iter().take_while(|&&b| b != 0));
    i += rest;
    let plugin = p
        .get(i..)
        .map(|r| String::from_utf8_lossy(r.split(|&b| b == 0).next().unwrap_or(&[])).into_owned())
        .unwrap_or_else(|| "mysql_native_password".into());
    Some((version, scramble, plugin))
}

fn scramble_for(plugin: &str, password: &str, nonce: &[u8]) -> Result<Vec<u8>, String> {
    if password.is_empty() {
        return Ok(vec![]);
    }
    match plugin {
        "mysql_native_password" => {
            let h1 = sha1::Sha1::digest(password.as_bytes());
            let h2 = sha1::Sha1::digest(h1);
            let mut h = sha1::Sha1::new();
            h.update(nonce);
            h.update(h2);
            let h3 = h.finalize();
            Ok(h1.iter().zip(h3.iter()).map(|(a, b)| a ^ b).collect())
        }
        "caching_sha2_password" => {
            let h1 = sha2::Sha256::digest(password.as_bytes());
            let h2 = sha2::Sha256::digest(h1);
            let mut h = sha2::Sha256::new();
            h.update(h2);
            h.update(nonce);
            let h3 = h.finalize();
            Ok(h1.iter().zip(h3.iter()).map(|(a, b)| a ^ b).collect())
        }
        other => Err(format!(
            "the server asks for the `{other}` authentication, which serverlings does not speak: use a user with mysql_native_password"
        )),
    }
}

fn err_text(p: &[u8]) -> String {
    // 0xff, code (2), '#', sqlstate (5), message
    let msg = if p.get(3) == Some(&b'#') {
        p.get(9..)
    } else {
        p.get(3..)
    };
    String::from_utf8_lossy(msg.unwrap_or(&[])).into_owned()
}

/// Version and a logged-in connection.
async fn open(url: &str) -> Result<(String, Conn), String> {
    let t = parse(url)?;
    let io = async {
        let s = TcpStream::connect((t.host.as_str(), t.port))
            .await
            .map_err(|e| e.to_string())?;
        let mut c = Conn { s, seq: 0 };
        let hello = c.read().await.map_err(|e| e.to_string())?;
        let (version, nonce, plugin) =
            greeting(&hello).ok_or_else(|| format!("refused: {}", err_text(&hello)))?;
        // LONG_PASSWORD | PROTOCOL_41 | TRANSACTIONS | SECURE_CONNECTION | PLUGIN_AUTH
        let caps: u32 = 0x1 | 0x200 | 0x2000 | 0x8000 | 0x80000;
        let auth = scramble_for(&plugin, &t.password, &nonce)?;
        let mut p = caps.to_le_bytes().to_vec();
        p.extend((16u32 << 20).to_le_bytes());
        p.push(45); // utf8mb4
        p.extend([0u8; 23]);
        p.extend(t.user.as_bytes());
        p.push(0);
        p.push(auth.len() as u8);
        p.extend(&auth);
        p.extend(plugin.as_bytes());
        p.push(0);
        c.write(&p).await.map_err(|e| e.to_string())?;
        loop {
            let r = c.read().await.map_err(|e| e.to_string())?;
            match r.first() {
                Some(0x00) => return Ok((version, c)),
                Some(0xff) => return Err(format!("login as {} refused: {}", t.user, err_text(&r))),
                Some(0xfe) => {
                    // Auth switch: plugin name, then a new scramble.
                    let rest = &r[1..];
                    let end = rest.iter().position(|&b| b == 0).unwrap_or(rest.len());
                    let plugin = String::from_utf8_lossy(&rest[..end]).into_owned();
                    let data: Vec<u8> = rest
                        .get(end + 1..)
                        .unwrap_or(&[])
                        .iter()
                        .copied()
                        .take_while(|&b| b != 0)
                        .collect();
                    let auth = scramble_for(&plugin, &t.password, &data)?;
                    c.write(&auth).await.map_err(|e| e.to_string())?;
                }
                Some(0x01) if r.get(1) == Some(&0x03) => {} // fast auth ok; OK follows
                Some(0x01) => {
                    return Err(
                        "the server wants a full caching_sha2_password exchange (over TLS), which serverlings does not do: log in once with the mysql client to fill its cache, or use a user with mysql_native_password".into(),
                    );
                }
                _ => return Err("unexpected answer during login".into()),
            }
        }
    };
    tokio::time::timeout(Duration::from_secs(5), io)
        .await
        .map_err(|_| "no answer within 5s".to_string())?
}

async fn exec(c: &mut Conn, sql: &str) -> Result<(), String> {
    c.seq = 0;
    let mut p = vec![0x03];
    p.extend(sql.as_bytes());
    c.write(&p).await.map_err(|e| e.to_string())?;
    let r = tokio::time::timeout(Duration::from_secs(10), c.read())
        .await
        .map_err(|_| "no answer within 10s".to_string())?
        .map_err(|e| e.to_string())?;
    match r.first() {
        Some(0x00) => Ok(()),
        Some(0xff) => Err(err_text(&r)),
        _ => Ok(()),
    }
}

/// "MariaDB 10.11.6" or "MySQL 8.0.36".
pub async fn version(url: &str) -> Result<String, String> {
    let (v, _) = open(url).await?;
    Ok(pretty_version(&v))
}

fn pretty_version(v: &str) -> String {
    // MariaDB may prefix "5.5.5-" for old clients.
    let v = v.strip_prefix("5.5.5-").unwrap_or(v);
    let num = v.split(['-', ' ']).next().unwrap_or(v);
    if v.to_ascii_lowercase().contains("mariadb") {
        format!("MariaDB {num}")
    } else {
        format!("MySQL {num}")
    }
}

pub fn with_database(url: &str, db: &str) -> Result<String, String> {
    let mut u = url::Url::parse(url).map_err(|e| e.to_string())?;
    u.set_path(&format!("/{db}"));
    Ok(u.to_string())
}

pub async fn create_database(url: &str, name: &str) -> Result<(), String> {
    let (_, mut c) = open(url).await?;
    exec(
        &mut c,
        &format!("CREATE DATABASE `{name}` CHARACTER SET utf8mb4"),
    )
    .await
    .map_err(|e| format!("cannot create a database: {e}"))
}

pub async fn drop_database(url: &str, name: &str) -> Result<(), String> {
    let (_, mut c) = open(url).await?;
    exec(&mut c, &format!("DROP DATABASE IF EXISTS `{name}`")).await
}

/// The rows a query returns, as JSON objects of text values (`null` for
/// NULL), in the URL's database: what a `mysql` step judges.
pub async fn rows(url: &str, sql: &str) -> Result<serde_json::Value, String> {
    let db = super::urls::parse(url, &MYSQL)?.path;
    let (_, mut c) = open(url).await?;
    if !db.is_empty() {
        exec(&mut c, &format!("USE `{}`", db.replace('`', "``"))).await?;
    }
    c.seq = 0;
    let mut q = vec![0x03];
    q.extend(sql.as_bytes());
    c.write(&q).await.map_err(|e| e.to_string())?;
    let read = async {
        let first = c.read().await.map_err(|e| e.to_string())?;
        match first.first() {
            Some(0x00) => return Ok(serde_json::Value::Array(vec![])),
            Some(0xff) => return Err(err_text(&first)),
            _ => {}
        }
        let mut at = 0;
        let columns = lenenc_int(&first, &mut at).ok_or("a malformed column count")? as usize;
        let mut names = Vec::with_capacity(columns.min(4096));
        for _ in 0..columns {
            let def = c.read().await.map_err(|e| e.to_string())?;
            let mut at = 0;
            // catalog, schema, table, org_table, then the name.
            for _ in 0..4 {
                lenenc_str(&def, &mut at).ok_or("a malformed column definition")?;
            }
            let name = lenenc_str(&def, &mut at).ok_or("a malformed column definition")?;
            names.push(String::from_utf8_lossy(name).into_owned());
        }
        let eof = c.read().await.map_err(|e| e.to_string())?;
        if eof.first() != Some(&0xfe) {
            return Err("no end of the column definitions".into());
        }
        let mut out = Vec::new();
        loop {
            let row = c.read().await.map_err(|e| e.to_string())?;
            match row.first() {
                Some(0xfe) if row.len() < 9 => break,
                Some(0xff) => return Err(err_text(&row)),
                _ => {}
            }
            let mut at = 0;
            let mut obj = serde_json::Map::new();
            for name in &names {
                let value = if row.get(at) == Some(&0xfb) {
                    at += 1;
                    serde_json::Value::Null
                } else {
                    let v = lenenc_str(&row, &mut at).ok_or("a malformed row")?;
                    serde_json::Value::String(String::from_utf8_lossy(v).into_owned())
                };
                obj.insert(name.clone(), value);
            }
            if out.len() < 10_000 {
                out.push(serde_json::Value::Object(obj));
            }
        }
        Ok(serde_json::Value::Array(out))
    };
    tokio::time::timeout(Duration::from_secs(10), read)
        .await
        .map_err(|_| "no answer within 10s".to_string())?
}

/// A length-encoded integer of the MySQL protocol at `*at`.
fn lenenc_int(p: &[u8], at: &mut usize) -> Option<u64> {
    let first = *p.get(*at)?;
    let width = match first {
        0..=0xfa => {
            *at += 1;
            return Some(u64::from(first));
        }
        0xfc => 2,
        0xfd => 3,
        0xfe => 8,
        _ => return None,
    };
    let bytes = p.get(*at + 1..*at + 1 + width)?;
    *at += 1 + width;
    let mut v = [0u8; 8];
    v[..width].copy_from_slice(bytes);
    Some(u64::from_le_bytes(v))
}

/// A length-encoded string at `*at`.
fn lenenc_str<'a>(p: &'a [u8], at: &mut usize) -> Option<&'a [u8]> {
    let len = usize::try_from(lenenc_int(p, at)?).ok()?;
    let s = p.get(*at..at.checked_add(len)?)?;
    *at += len;
    Some(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_encoded_values_are_read_without_panics() {
        let p = [0x03, b'a', b'b', b'c', 0xfc, 0x01, 0x00, b'z', 0xfe, 0xff];
        let mut at = 0;
        assert_eq!(lenenc_str(&p, &mut at), Some(&b"abc"[..]));
        assert_eq!(lenenc_str(&p, &mut at), Some(&b"z"[..]));
        // 8-byte length cut short, then an unknown prefix: None, no panic.
        assert_eq!(lenenc_int(&p, &mut at), None);
        let mut at = 0;
        assert_eq!(
            lenenc_str(
                &[0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f],
                &mut at
            ),
            None
        );
    }

    #[test]
    fn versions_read_well() {
        assert_eq!(
            pretty_version("5.5.5-10.11.6-MariaDB-0+deb12u1"),
            "MariaDB 10.11.6"
        );
        assert_eq!(pretty_version("8.0.36"), "MySQL 8.0.36");
    }

    #[test]
    fn native_password_scramble_matches_the_reference() {
        // SHA1(pw) XOR SHA1(nonce + SHA1(SHA1(pw))), computed independently
        // (Python's hashlib) for "secret" and twenty 'a' bytes.
        let s = scramble_for("mysql_native_password", "secret", &[b'a'; 20]).unwrap();
        let hex: String = s.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(hex, "512ae2a4d1572c011140a7362190e07e79eb03d2");
        assert!(
            scramble_for("mysql_native_password", "", &[0; 20])
                .unwrap()
                .is_empty()
        );
    }
}
