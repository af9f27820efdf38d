//! The authorization code flow: the request that sends the browser to the
//! provider, and the checks on the way back.

use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::provider::{Provider, form_urlencoded};

/// What a login in progress must remember until the callback.
#[derive(Clone)]
pub struct Pending {
    pub state: String,
    pub nonce: String,
    pub verifier: String,
}

/// Who logged in, from a verified ID token.
#[derive(Debug, Deserialize)]
pub struct Identity {
    pub sub: String,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    nonce: Option<String>,
}

pub fn random() -> String {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the OS random generator");
    data_encoding::BASE64URL_NOPAD.encode(&bytes)
}

/// A fresh state, nonce and PKCE verifier, and the authorization URL that
/// carries the state, the nonce and the verifier's S256 challenge.
pub fn start(provider: &Provider) -> (Pending, String) {
    let pending = Pending {
        state: random(),
        nonce: random(),
        verifier: random(),
    };
    let challenge =
        data_encoding::BASE64URL_NOPAD.encode(&Sha256::digest(pending.verifier.as_bytes()));
    let c = &provider.client;
    let query = form_urlencoded(&[
        ("response_type", "code"),
        ("client_id", &c.client_id),
        ("redirect_uri", &c.redirect_uri),
        ("scope", "openid email"),
        ("state", &pending.state),
        ("nonce", &pending.nonce),
        ("code_challenge", &challenge),
        ("code_challenge_method", "S256"),
    ]);
    let endpoint = &provider.discovery.authorization_endpoint;
    let sep = if endpoint.contains('?') { '&' } else { '?' };
    (pending, format!("{endpoint}{sep}{query}"))
}

/// Compares without stopping at the first difference.
pub fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// The identity in an ID token: signed by one of the provider's keys (by
/// `kid`, fetching the keys again for one not seen yet), issued by the
/// provider, for this client, not expired, and carrying this login's nonce.
pub async fn verify_id_token(
    provider: &Provider,
    id_token: &str,
    pending: &Pending,
) -> Result<Identity, String> {
    let header = jsonwebtoken::decode_header(id_token).map_err(|e| format!("ID token: {e}"))?;
    if header.alg != Algorithm::ES256 {
        return Err(format!(
            "ID token signed with {:?}, expected ES256",
            header.alg
        ));
    }
    let kid = header.kid.ok_or("ID token without a kid")?;
    let jwk = match provider.keys().find(&kid).cloned() {
        Some(jwk) => jwk,
        None => provider
            .refresh_keys()
            .await?
            .find(&kid)
            .cloned()
            .ok_or_else(|| format!("no signing key {kid} at the provider"))?,
    };
    let key = DecodingKey::from_jwk(&jwk).map_err(|e| format!("signing key {kid}: {e}"))?;
    let mut validation = Validation::new(Algorithm::ES256);
    validation.set_issuer(&[&provider.discovery.issuer]);
    validation.set_audience(&[&provider.client.client_id]);
    validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
    validation.leeway = 30;
    let identity = jsonwebtoken::decode::<Identity>(id_token, &key, &validation)
        .map_err(|e| format!("ID token refused: {:?}", e.kind()))?
        .claims;
    match &identity.nonce {
        Some(n) if same(n, &pending.nonce) => Ok(identity),
        _ => Err("ID token nonce does not match this login".to_string()),
    }
}
