//! Access tokens: HS256 JWTs this server issues and verifies.

use jsonwebtoken::{DecodingKey, EncodingKey};
use serde::{Deserialize, Serialize};

/// What an access token says (RFC 7519 registered claims).
#[derive(Debug, Serialize, Deserialize)]
pub struct Claims {
    pub sub: String,
    pub iss: String,
    pub aud: String,
    pub iat: u64,
    pub nbf: u64,
    pub exp: u64,
}

pub struct Tokens {
    encoding: EncodingKey,
    decoding: DecodingKey,
    issuer: String,
    audience: String,
    ttl_s: u64,
}

impl Tokens {
    pub fn new(secret: &[u8], issuer: String, audience: String, ttl_s: u64) -> Tokens {
        Tokens {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            issuer,
            audience,
            ttl_s,
        }
    }

    pub fn ttl_s(&self) -> u64 {
        self.ttl_s
    }

    /// TODO(1): a token for `user`: HS256, `sub` the user, `iss` and `aud`
    /// this server's, `iat` and `nbf` now, `exp` `ttl_s` seconds from now
    /// (NumericDate: seconds since 1970).
    pub fn issue(&self, user: &str) -> Result<String, jsonwebtoken::errors::Error> {
        let _ = (&self.encoding, &self.issuer, &self.audience, user);
        todo!("TODO(1): encode the claims of an access token for {user}")
    }

    /// TODO(2): the claims of a token this server issued and that is valid
    /// now; anything else is an error. Today this trusts whatever the token
    /// says: check its signature with the algorithm *you* expect, its
    /// issuer and audience, its `exp` and its `nbf`, with a leeway of at
    /// most a minute (jsonwebtoken's `Validation`: read its defaults).
    pub fn verify(&self, token: &str) -> Result<Claims, jsonwebtoken::errors::Error> {
        let _ = &self.decoding;
        Ok(jsonwebtoken::dangerous::insecure_decode::<Claims>(token)?.claims)
    }
}
