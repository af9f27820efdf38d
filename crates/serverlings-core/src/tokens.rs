//! Codes and tokens the checker computes itself: TOTP codes (RFC 6238) for
//! a secret the server handed out, JSON Web Tokens (RFC 7519) it signs to
//! attack the server with, and the reading of a token the server issued.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use hmac::{Hmac, Mac};

/// The RFC 4648 base32 alphabet, as TOTP secrets use it (padding and
/// spaces ignored, letters in either case).
pub fn base32_decode(text: &str) -> Option<Vec<u8>> {
    let mut bits: u64 = 0;
    let mut count = 0u32;
    let mut out = Vec::new();
    for c in text.chars().filter(|c| !c.is_whitespace() && *c != '=') {
        let v = match c.to_ascii_uppercase() {
            c @ 'A'..='Z' => c as u64 - 'A' as u64,
            c @ '2'..='7' => c as u64 - '2' as u64 + 26,
            _ => return None,
        };
        bits = (bits << 5) | v;
        count += 5;
        if count >= 8 {
            count -= 8;
            out.push((bits >> count) as u8);
            bits &= (1 << count) - 1;
        }
    }
    Some(out)
}

/// The 6-digit TOTP code (HMAC-SHA-1, 30 s steps) of a base32 secret at a
/// Unix time; `None` when the secret is not base32.
pub fn totp(secret_base32: &str, unix: i64) -> Option<String> {
    let key = base32_decode(secret_base32)?;
    if key.is_empty() {
        return None;
    }
    let counter = unix.div_euclid(30) as u64;
    let mut mac = Hmac::<sha1::Sha1>::new_from_slice(&key).ok()?;
    mac.update(&counter.to_be_bytes());
    let digest = mac.finalize().into_bytes();
    // RFC 4226 §5.3: dynamic truncation.
    let at = usize::from(digest[19] & 0x0f);
    let value = u32::from_be_bytes([digest[at], digest[at + 1], digest[at + 2], digest[at + 3]])
        & 0x7fff_ffff;
    Some(format!("{:06}", value % 1_000_000))
}

/// The HMAC algorithms a crafted token can use, and `none`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Alg {
    Hs256,
    Hs384,
    Hs512,
    None,
}

impl Alg {
    pub fn parse(s: &str) -> Option<Alg> {
        match s {
            "HS256" => Some(Alg::Hs256),
            "HS384" => Some(Alg::Hs384),
            "HS512" => Some(Alg::Hs512),
            "none" => Some(Alg::None),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Alg::Hs256 => "HS256",
            Alg::Hs384 => "HS384",
            Alg::Hs512 => "HS512",
            Alg::None => "none",
        }
    }
}

fn hmac_sign(alg: Alg, key: &[u8], data: &[u8]) -> Vec<u8> {
    fn sign<M: Mac + hmac::digest::KeyInit>(key: &[u8], data: &[u8]) -> Vec<u8> {
        // HMAC takes keys of any length.
        let mut mac = <M as hmac::digest::KeyInit>::new_from_slice(key).expect("any key length");
        mac.update(data);
        mac.finalize().into_bytes().to_vec()
    }
    match alg {
        Alg::Hs256 => sign::<Hmac<sha2::Sha256>>(key, data),
        Alg::Hs384 => sign::<Hmac<sha2::Sha384>>(key, data),
        Alg::Hs512 => sign::<Hmac<sha2::Sha512>>(key, data),
        Alg::None => Vec::new(),
    }
}

/// A compact JWS: `header.claims.signature` (empty signature for `none`).
/// `tamper` changes the claims after signing, keeping the old signature.
pub fn sign_jwt(
    alg: Alg,
    key: &[u8],
    header: &serde_json::Map<String, serde_json::Value>,
    claims: &serde_json::Value,
    tamper: bool,
) -> String {
    let mut head = header.clone();
    head.insert("alg".into(), alg.name().into());
    head.entry("typ").or_insert_with(|| "JWT".into());
    let head = B64.encode(serde_json::Value::Object(head).to_string());
    let body = B64.encode(claims.to_string());
    let input = format!("{head}.{body}");
    let sig = B64.encode(hmac_sign(alg, key, input.as_bytes()));
    if !tamper {
        return format!("{input}.{sig}");
    }
    // The same claims with one more: the signature no longer covers them.
    let mut forged = claims.clone();
    if let Some(o) = forged.as_object_mut() {
        o.insert("admin".into(), true.into());
    }
    format!("{head}.{}.{sig}", B64.encode(forged.to_string()))
}

/// A token the server issued, read by the checker.
#[derive(Debug, Clone, PartialEq)]
pub struct Decoded {
    pub header: serde_json::Value,
    pub claims: serde_json::Value,
    /// Whether the signature verifies with the given key (`None`: no key
    /// given, or an algorithm the checker cannot verify with a shared key).
    pub valid: Option<bool>,
}

/// Splits and decodes a compact JWS, and verifies an HMAC signature when a
/// key is given. Errors say what is wrong with the token.
pub fn decode_jwt(token: &str, key: Option<&[u8]>) -> Result<Decoded, String> {
    let token = token.trim();
    let parts: Vec<&str> = token.split('.').collect();
    if parts.len() != 3 {
        return Err(format!(
            "a JWT has three parts separated by dots; this has {}",
            parts.len()
        ));
    }
    let json = |part: &str, what: &str| -> Result<serde_json::Value, String> {
        let bytes = B64
            .decode(part)
            .map_err(|e| format!("the {what} is not base64url without padding ({e})"))?;
        serde_json::from_slice(&bytes).map_err(|e| format!("the {what} is not JSON ({e})"))
    };
    let header = json(parts[0], "header")?;
    let claims = json(parts[1], "payload")?;
    let alg = header
        .get("alg")
        .and_then(|a| a.as_str())
        .and_then(Alg::parse);
    let valid = match (key, alg) {
        (Some(key), Some(alg)) if alg != Alg::None => {
            let expected = hmac_sign(alg, key, format!("{}.{}", parts[0], parts[1]).as_bytes());
            let given = B64.decode(parts[2]).unwrap_or_default();
            Some(constant_time_eq(&expected, &given))
        }
        (Some(_), Some(Alg::None)) => Some(false),
        _ => None,
    };
    Ok(Decoded {
        header,
        claims,
        valid,
    })
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// `now`, `+5m`, `-60s`: a NumericDate relative to `unix`.
pub fn relative_time(text: &str, unix: i64) -> Option<i64> {
    let t = text.trim();
    if t == "now" {
        return Some(unix);
    }
    let (sign, rest) = match t.as_bytes().first() {
        Some(b'+') => (1, &t[1..]),
        Some(b'-') => (-1, &t[1..]),
        _ => return None,
    };
    let d = crate::duration::parse(rest).ok()?;
    let secs = i64::try_from(d.as_secs()).ok()?;
    unix.checked_add(sign * secs)
}

pub fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn totp_matches_the_rfc_6238_vectors() {
        // RFC 6238 appendix B, SHA-1 key "12345678901234567890" (8 digits
        // there; the last 6 here).
        let secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
        assert_eq!(totp(secret, 59).as_deref(), Some("287082"));
        assert_eq!(totp(secret, 1_111_111_109).as_deref(), Some("081804"));
        assert_eq!(totp(secret, 1_234_567_890).as_deref(), Some("005924"));
        assert_eq!(totp(secret, 20_000_000_000).as_deref(), Some("353130"));
        assert_eq!(totp("not base32!", 59), None);
    }

    #[test]
    fn base32_ignores_case_padding_and_spaces() {
        assert_eq!(base32_decode("MZXW6===").unwrap(), b"foo");
        assert_eq!(base32_decode("mzxw 6yq").unwrap(), b"foob");
        assert!(base32_decode("MZ1W").is_none());
    }

    #[test]
    fn signed_tokens_verify_and_tampered_ones_do_not() {
        let claims = serde_json::json!({"sub": "u-1", "exp": 2_000_000_000});
        let head = serde_json::Map::new();
        let good = sign_jwt(Alg::Hs256, b"k", &head, &claims, false);
        let d = decode_jwt(&good, Some(b"k")).unwrap();
        assert_eq!(d.valid, Some(true));
        assert_eq!(d.claims["sub"], "u-1");
        assert_eq!(d.header["alg"], "HS256");
        assert_eq!(
            decode_jwt(&good, Some(b"other")).unwrap().valid,
            Some(false)
        );
        let forged = sign_jwt(Alg::Hs256, b"k", &head, &claims, true);
        let f = decode_jwt(&forged, Some(b"k")).unwrap();
        assert_eq!(
            (f.valid, &f.claims["admin"]),
            (Some(false), &serde_json::json!(true))
        );
        let none = sign_jwt(Alg::None, b"", &head, &claims, false);
        assert!(none.ends_with('.'), "{none}");
        assert_eq!(decode_jwt(&none, Some(b"k")).unwrap().valid, Some(false));
        assert!(decode_jwt("a.b", None).unwrap_err().contains("three parts"));
    }

    #[test]
    fn hs256_agrees_with_the_rfc_7515_example() {
        // RFC 7515 appendix A.1: the signing input and key of the example.
        let key = B64
            .decode("AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow")
            .unwrap();
        let input = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ";
        let sig = B64.encode(hmac_sign(Alg::Hs256, &key, input.as_bytes()));
        assert_eq!(sig, "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
    }

    #[test]
    fn relative_times() {
        assert_eq!(relative_time("now", 100), Some(100));
        assert_eq!(relative_time("+5m", 100), Some(400));
        assert_eq!(relative_time("-60s", 100), Some(40));
        assert_eq!(relative_time("5m", 100), None);
    }
}
