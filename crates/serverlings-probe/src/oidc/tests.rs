//! The provider's flow end to end: discovery, authorize, token, JWKS, userinfo.

use super::*;
use p256::ecdsa::signature::Verifier;

#[tokio::test]
async fn the_code_flow_with_pkce_issues_a_verifiable_id_token() {
    let setup = Setup {
        client_id: "app".into(),
        client_secret: "s3cret".into(),
        redirect_uri: "http://127.0.0.1:1/callback".into(),
        pkce: true,
        user: vec![
            ("sub".into(), "u1".into()),
            ("email".into(), "a@b.test".into()),
        ],
    };
    let p = Provider::start(setup).await.unwrap();
    let c = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let verifier = "a-verifier-of-enough-length-1234567890";
    let challenge = B64.encode(sha2::Sha256::digest(verifier.as_bytes()));
    let auth = format!(
        "{}/authorize?response_type=code&client_id=app&redirect_uri=http%3A%2F%2F127.0.0.1%3A1%2Fcallback&scope=openid&state=abcdefgh&nonce=n1&code_challenge={challenge}&code_challenge_method=S256",
        p.issuer()
    );
    let r = c.get(&auth).send().await.unwrap();
    assert_eq!(r.status(), 302);
    let loc = r.headers()["location"].to_str().unwrap().to_string();
    let code = url::Url::parse(&loc)
        .unwrap()
        .query_pairs()
        .find(|(k, _)| k == "code")
        .unwrap()
        .1
        .into_owned();
    let form = [
        ("grant_type", "authorization_code"),
        ("code", &code),
        ("redirect_uri", "http://127.0.0.1:1/callback"),
        ("client_id", "app"),
        ("client_secret", "s3cret"),
        ("code_verifier", "wrong"),
    ];
    let body: String = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(form)
        .finish();
    let bad = c
        .post(format!("{}/token", p.issuer()))
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 400, "a wrong verifier is refused");
    assert!(p.take_refusals()[0].contains("PKCE"));
    // The code was consumed by the failed attempt: start again.
    let r = c.get(&auth).send().await.unwrap();
    let loc = r.headers()["location"].to_str().unwrap().to_string();
    let code = url::Url::parse(&loc)
        .unwrap()
        .query_pairs()
        .find(|(k, _)| k == "code")
        .unwrap()
        .1
        .into_owned();
    let form = [
        ("grant_type", "authorization_code"),
        ("code", &code),
        ("redirect_uri", "http://127.0.0.1:1/callback"),
        ("client_id", "app"),
        ("client_secret", "s3cret"),
        ("code_verifier", verifier),
    ];
    let body: String = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(form)
        .finish();
    let tok: Value = c
        .post(format!("{}/token", p.issuer()))
        .body(body)
        .send()
        .await
        .unwrap()
        .json_text()
        .await;
    let id_token = tok["id_token"].as_str().unwrap();
    let parts: Vec<&str> = id_token.split('.').collect();
    let claims: Value = serde_json::from_slice(&B64.decode(parts[1]).unwrap()).unwrap();
    assert_eq!(
        (
            claims["sub"].as_str(),
            claims["nonce"].as_str(),
            claims["aud"].as_str()
        ),
        (Some("u1"), Some("n1"), Some("app"))
    );
    // Verify with the key the JWKS publishes.
    let jwks: Value = c
        .get(format!("{}/jwks", p.issuer()))
        .send()
        .await
        .unwrap()
        .json_text()
        .await;
    let k = &jwks["keys"][0];
    let mut sec1 = vec![4u8];
    sec1.extend(B64.decode(k["x"].as_str().unwrap()).unwrap());
    sec1.extend(B64.decode(k["y"].as_str().unwrap()).unwrap());
    let vk = p256::ecdsa::VerifyingKey::from_sec1_bytes(&sec1).unwrap();
    let sig = Signature::from_slice(&B64.decode(parts[2]).unwrap()).unwrap();
    vk.verify(format!("{}.{}", parts[0], parts[1]).as_bytes(), &sig)
        .unwrap();
    let new_kid = p.rotate();
    let jwks: Value = c
        .get(format!("{}/jwks", p.issuer()))
        .send()
        .await
        .unwrap()
        .json_text()
        .await;
    assert_eq!(jwks["keys"].as_array().unwrap().len(), 2);
    assert_eq!(jwks["keys"][1]["kid"], new_kid);
}

trait JsonText {
    async fn json_text(self) -> Value;
}

impl JsonText for reqwest::Response {
    async fn json_text(self) -> Value {
        serde_json::from_str(&self.text().await.unwrap()).unwrap()
    }
}
