//! The shipped tests of flow.rs (TODO 1 and 3). The checker runs them as
//! shipped. The keys below are test keys, made for these tests only.

use std::time::{SystemTime, UNIX_EPOCH};

use jsonwebtoken::jwk::{Jwk, JwkSet};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::flow::{self, Pending};
use crate::provider::{Client, Discovery, Provider};

/// The provider's signing key (P-256, PKCS#8).
const PROVIDER_KEY: &str = "-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgMRs6EU7fw7ygq35x\nnspInj/4yt0JN5gEOpdIBP2LiAehRANCAATrNGahYlCX0kXY87F0jE3+WLFQcp2u\npH0xiZmIi9PE7cZBYg83T5wFVF18VM5DZDrUQHKNExzdjzuXO5aIvH/U\n-----END PRIVATE KEY-----";
/// Somebody else's.
const OTHER_KEY: &str = "-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgbBcj98b2RQzTCbV0\nyx6Uib/kVlhlt7ePO0ng9cq2mjmhRANCAASMBFj9gMXA6Kw/vFJAN4Hdb/7Bd2fW\nVG8gRuyQEJ2T0eHUVeCnKuDW51AKWvM+svrP9qxP2KrIIfyaft/UtvLV\n-----END PRIVATE KEY-----";
const ISSUER: &str = "https://id.example.test";
const NONCE: &str = "n-Zq4f1tW8";

fn provider() -> Provider {
    let client = Client {
        issuer: ISSUER.into(),
        client_id: "app-1".into(),
        client_secret: "not used here".into(),
        redirect_uri: "https://app.example.test/callback".into(),
    };
    let discovery = Discovery {
        issuer: ISSUER.into(),
        authorization_endpoint: format!("{ISSUER}/authorize"),
        token_endpoint: format!("{ISSUER}/token"),
        // Nothing listens there: fetching the keys again fails at once.
        jwks_uri: "http://127.0.0.1:9/jwks".into(),
    };
    let key = EncodingKey::from_ec_pem(PROVIDER_KEY.as_bytes()).unwrap();
    let mut jwk = Jwk::from_encoding_key(&key, Algorithm::ES256).unwrap();
    jwk.common.key_id = Some("k1".into());
    Provider::with_keys(client, discovery, JwkSet { keys: vec![jwk] })
}

fn pending() -> Pending {
    Pending {
        state: "s".repeat(43),
        nonce: NONCE.into(),
        verifier: "v".repeat(43),
    }
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

fn claims() -> Value {
    let now = now();
    json!({ "iss": ISSUER, "aud": "app-1", "sub": "u-1", "email": "ada@example.test",
            "nonce": NONCE, "iat": now, "exp": now + 300 })
}

fn sign(pem: &str, kid: &str, claims: &Value) -> String {
    let mut header = Header::new(Algorithm::ES256);
    header.kid = Some(kid.into());
    jsonwebtoken::encode(
        &header,
        claims,
        &EncodingKey::from_ec_pem(pem.as_bytes()).unwrap(),
    )
    .unwrap()
}

async fn refused(token: &str, why: &str) {
    let result = flow::verify_id_token(&provider(), token, &pending()).await;
    assert!(
        result.is_err(),
        "TODO(3): {why} must be refused, got {result:?}"
    );
}

#[test]
fn the_authorization_request_carries_state_nonce_and_pkce() {
    let (pending, url) = flow::start(&provider());
    let url = reqwest::Url::parse(&url).expect("TODO(1): a valid URL");
    let q: std::collections::HashMap<String, String> = url.query_pairs().into_owned().collect();
    assert!(
        url.as_str().starts_with(&format!("{ISSUER}/authorize?")),
        "TODO(1): {url}"
    );
    assert!(
        pending.state.len() >= 32,
        "TODO(1): a random state of 32+ characters"
    );
    assert!(
        pending.nonce.len() >= 32,
        "TODO(1): a random nonce of 32+ characters"
    );
    assert!(
        pending.verifier.len() >= 43,
        "TODO(1): a verifier of 43+ characters (RFC 7636)"
    );
    assert_eq!(
        q.get("state"),
        Some(&pending.state),
        "TODO(1): the state in the URL"
    );
    assert_eq!(
        q.get("nonce"),
        Some(&pending.nonce),
        "TODO(1): the nonce in the URL"
    );
    let challenge =
        data_encoding::BASE64URL_NOPAD.encode(&Sha256::digest(pending.verifier.as_bytes()));
    assert_eq!(
        q.get("code_challenge"),
        Some(&challenge),
        "TODO(1): the S256 challenge of the verifier"
    );
    assert_eq!(
        q.get("code_challenge_method").map(String::as_str),
        Some("S256"),
        "TODO(1)"
    );
    let (again, _) = flow::start(&provider());
    assert_ne!(
        again.state, pending.state,
        "TODO(1): a new state for every login"
    );
    assert_ne!(
        again.verifier, pending.verifier,
        "TODO(1): a new verifier for every login"
    );
}

#[tokio::test]
async fn a_good_id_token_gives_its_identity() {
    let token = sign(PROVIDER_KEY, "k1", &claims());
    let who = flow::verify_id_token(&provider(), &token, &pending()).await;
    let who = who.expect("TODO(3): a token signed by the provider's key, as it should be");
    assert_eq!(who.sub, "u-1");
    assert_eq!(who.email.as_deref(), Some("ada@example.test"));
}

#[tokio::test]
async fn a_token_signed_with_another_key_is_refused() {
    refused(
        &sign(OTHER_KEY, "k1", &claims()),
        "a token signed with another key",
    )
    .await;
}

#[tokio::test]
async fn a_tampered_token_is_refused() {
    let token = sign(PROVIDER_KEY, "k1", &claims());
    let mut parts: Vec<String> = token.split('.').map(String::from).collect();
    let mut forged = claims();
    forged["sub"] = json!("admin");
    parts[1] = data_encoding::BASE64URL_NOPAD.encode(forged.to_string().as_bytes());
    refused(&parts.join("."), "a token whose payload was changed").await;
}

#[tokio::test]
async fn an_unsigned_token_is_refused() {
    let header = data_encoding::BASE64URL_NOPAD.encode(br#"{"alg":"none","kid":"k1"}"#);
    let body = data_encoding::BASE64URL_NOPAD.encode(claims().to_string().as_bytes());
    refused(&format!("{header}.{body}."), "an alg: none token").await;
}

#[tokio::test]
async fn a_token_for_another_client_or_issuer_is_refused() {
    let mut c = claims();
    c["aud"] = json!("another-app");
    refused(
        &sign(PROVIDER_KEY, "k1", &c),
        "a token for another client (aud)",
    )
    .await;
    let mut c = claims();
    c["iss"] = json!("https://evil.example.test");
    refused(&sign(PROVIDER_KEY, "k1", &c), "a token of another issuer").await;
}

#[tokio::test]
async fn an_expired_token_is_refused() {
    let mut c = claims();
    c["exp"] = json!(now() - 600);
    refused(&sign(PROVIDER_KEY, "k1", &c), "an expired token").await;
}

#[tokio::test]
async fn a_token_with_another_nonce_or_none_is_refused() {
    let mut c = claims();
    c["nonce"] = json!("another login's");
    refused(
        &sign(PROVIDER_KEY, "k1", &c),
        "a token with another login's nonce",
    )
    .await;
    let mut c = claims();
    c.as_object_mut().unwrap().remove("nonce");
    refused(&sign(PROVIDER_KEY, "k1", &c), "a token without a nonce").await;
}

#[tokio::test]
async fn a_key_the_provider_does_not_have_is_refused() {
    // k9 is not in the key set, and fetching the keys again fails here.
    refused(
        &sign(OTHER_KEY, "k9", &claims()),
        "a token signed with an unknown kid",
    )
    .await;
}
