//! The identity provider as this server sees it (given): its discovery
//! document, the token endpoint, and its signing keys, cached.

use std::sync::Mutex;

use jsonwebtoken::jwk::JwkSet;
use serde::Deserialize;

/// What the server is configured with.
pub struct Client {
    pub issuer: String,
    pub client_id: String,
    pub client_secret: String,
    pub redirect_uri: String,
}

/// The parts of `/.well-known/openid-configuration` the code flow needs.
#[derive(Deserialize)]
pub struct Discovery {
    pub issuer: String,
    pub authorization_endpoint: String,
    pub token_endpoint: String,
    pub jwks_uri: String,
}

#[derive(Deserialize)]
pub struct TokenResponse {
    pub id_token: String,
}

pub struct Provider {
    pub client: Client,
    pub discovery: Discovery,
    http: reqwest::Client,
    keys: Mutex<JwkSet>,
}

impl Provider {
    pub async fn discover(client: Client) -> Result<Provider, String> {
        let http = reqwest::Client::new();
        let url = format!(
            "{}/.well-known/openid-configuration",
            client.issuer.trim_end_matches('/')
        );
        let discovery: Discovery = get_json(&http, &url).await?;
        if discovery.issuer != client.issuer {
            return Err(format!(
                "the provider says its issuer is {}, not {}",
                discovery.issuer, client.issuer
            ));
        }
        let keys = get_json(&http, &discovery.jwks_uri).await?;
        Ok(Provider {
            client,
            discovery,
            http,
            keys: Mutex::new(keys),
        })
    }

    /// A provider already discovered, for the shipped tests.
    #[cfg(test)]
    pub fn with_keys(client: Client, discovery: Discovery, keys: JwkSet) -> Provider {
        Provider {
            client,
            discovery,
            http: reqwest::Client::new(),
            keys: Mutex::new(keys),
        }
    }

    /// Exchanges an authorization code at the token endpoint
    /// (client_secret_post), with the PKCE verifier.
    pub async fn exchange(&self, code: &str, verifier: &str) -> Result<TokenResponse, String> {
        let c = &self.client;
        let form = form_urlencoded(&[
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", &c.redirect_uri),
            ("code_verifier", verifier),
            ("client_id", &c.client_id),
            ("client_secret", &c.client_secret),
        ]);
        let response = self
            .http
            .post(&self.discovery.token_endpoint)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(form)
            .send()
            .await
            .map_err(|e| format!("token endpoint: {e}"))?;
        let status = response.status();
        if !status.is_success() {
            let text = response.text().await.unwrap_or_default();
            return Err(format!("token endpoint answered {status}: {text}"));
        }
        response
            .json()
            .await
            .map_err(|e| format!("token endpoint: {e}"))
    }

    /// The cached signing keys.
    pub fn keys(&self) -> JwkSet {
        self.keys.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Fetches the signing keys again (the provider rotated them).
    pub async fn refresh_keys(&self) -> Result<JwkSet, String> {
        let keys: JwkSet = get_json(&self.http, &self.discovery.jwks_uri).await?;
        *self.keys.lock().unwrap_or_else(|e| e.into_inner()) = keys.clone();
        Ok(keys)
    }
}

async fn get_json<T: serde::de::DeserializeOwned>(
    http: &reqwest::Client,
    url: &str,
) -> Result<T, String> {
    let response = http
        .get(url)
        .send()
        .await
        .map_err(|e| format!("{url}: {e}"))?;
    if !response.status().is_success() {
        return Err(format!("{url} answered {}", response.status()));
    }
    response.json().await.map_err(|e| format!("{url}: {e}"))
}

/// `application/x-www-form-urlencoded`, as `Url` writes a query.
pub fn form_urlencoded(pairs: &[(&str, &str)]) -> String {
    let mut url = reqwest::Url::parse("http://form.invalid/").expect("a valid URL");
    url.query_pairs_mut().extend_pairs(pairs);
    url.query().unwrap_or_default().to_string()
}
