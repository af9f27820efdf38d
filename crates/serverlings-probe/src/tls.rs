//! HTTPS for checks with a `[tls]` table: a certificate authority made for
//! the run, a server certificate for the check's host names signed by it
//! (the learner's server is given both as PEM files), and clients that
//! trust that authority and nothing else, so a server that presents any
//! other certificate fails the handshake.

use super::http::{MAX_BODY, Prepared, SendError};
use rustls::pki_types::ServerName;
use serverlings_core::response::Response;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

/// What a check's run issued, as PEM text.
pub struct Issued {
    /// The authority's certificate (what a client would add to its trust store).
    pub ca_pem: String,
    /// The server's certificate followed by the authority's: the chain a
    /// server presents, leaf first.
    pub chain_pem: String,
    /// The server's private key (PKCS#8).
    pub key_pem: String,
    /// The client side: trusts only this run's authority.
    pub client: rustls::ClientConfig,
    /// The chain and the key as DER, for a server in this process (the
    /// tests' handshakes).
    #[cfg_attr(not(test), allow(dead_code))]
    pub chain_der: Vec<rustls::pki_types::CertificateDer<'static>>,
    #[cfg_attr(not(test), allow(dead_code))]
    pub key_der: Vec<u8>,
}

/// The crypto the checker uses for TLS (pure Rust and assembly, no OpenSSL).
fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    static P: OnceLock<Arc<rustls::crypto::CryptoProvider>> = OnceLock::new();
    P.get_or_init(|| Arc::new(rustls::crypto::ring::default_provider()))
        .clone()
}

/// Issues an authority and a server certificate for `hosts` (DNS names or
/// IP addresses, each becoming a subject alternative name).
pub fn issue(hosts: &[String]) -> Result<Issued, String> {
    use rcgen::{
        BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer,
        KeyPair, KeyUsagePurpose,
    };
    let fail = |what: &str, e: rcgen::Error| format!("could not issue the {what}: {e}");
    let ca_key = KeyPair::generate().map_err(|e| fail("authority's key", e))?;
    let mut ca = CertificateParams::new(Vec::<String>::new()).map_err(|e| fail("authority", e))?;
    ca.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
    ca.distinguished_name
        .push(DnType::CommonName, "serverlings check authority");
    ca.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    let ca_cert = ca.self_signed(&ca_key).map_err(|e| fail("authority", e))?;
    let issuer = Issuer::new(ca, ca_key);

    let leaf_key = KeyPair::generate().map_err(|e| fail("server's key", e))?;
    let mut leaf =
        CertificateParams::new(hosts.to_vec()).map_err(|e| fail("server certificate", e))?;
    leaf.distinguished_name.push(
        DnType::CommonName,
        hosts.first().map_or("localhost", String::as_str),
    );
    leaf.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    leaf.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    leaf.use_authority_key_identifier_extension = true;
    let leaf_cert = leaf
        .signed_by(&leaf_key, &issuer)
        .map_err(|e| fail("server certificate", e))?;

    let mut roots = rustls::RootCertStore::empty();
    roots
        .add(ca_cert.der().clone())
        .map_err(|e| format!("the authority's certificate is not usable: {e}"))?;
    let client = rustls::ClientConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("TLS versions: {e}"))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(Issued {
        ca_pem: ca_cert.pem(),
        chain_pem: format!("{}{}", leaf_cert.pem(), ca_cert.pem()),
        key_pem: leaf_key.serialize_pem(),
        client,
        chain_der: vec![leaf_cert.der().clone(), ca_cert.der().clone()],
        key_der: leaf_key.serialize_der(),
    })
}

/// Sends one request over TLS to `127.0.0.1:port`, with `host` as the
/// server name (SNI) and in the `Host` header, trusting `config`'s roots
/// only; from `from` when given. A fresh connection per request, as plain
/// requests get.
pub async fn send(
    config: &rustls::ClientConfig,
    host: &str,
    port: u16,
    from: Option<IpAddr>,
    req: &Prepared,
    timeout: Duration,
) -> Result<Response, SendError> {
    use http_body_util::BodyExt;
    let started = Instant::now();
    let work = async {
        let socket = tokio::net::TcpSocket::new_v4().map_err(io_error)?;
        if let Some(ip) = from {
            socket
                .bind(SocketAddr::new(ip, 0))
                .map_err(|e| SendError::Other(format!("cannot send from {ip}: {e}")))?;
        }
        let tcp = socket
            .connect(SocketAddr::from(([127, 0, 0, 1], port)))
            .await
            .map_err(io_error)?;
        let name = ServerName::try_from(host.to_string())
            .map_err(|e| SendError::Other(format!("`{host}` is not a server name: {e}")))?;
        let tls = tokio_rustls::TlsConnector::from(Arc::new(config.clone()))
            .connect(name, tcp)
            .await
            .map_err(|e| SendError::Tls(e.to_string()))?;
        let (mut sender, conn) =
            hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(tls))
                .await
                .map_err(|e| SendError::Closed(e.to_string()))?;
        // The connection is driven beside the request, and ends with it.
        let conn = AbortOnDrop(tokio::spawn(conn));
        let target = req
            .url
            .splitn(4, '/')
            .nth(3)
            .map_or_else(|| "/".to_string(), |p| format!("/{p}"));
        let mut b = hyper::Request::builder()
            .method(req.method.as_str())
            .uri(target);
        if !req
            .headers
            .iter()
            .any(|(k, _)| k.eq_ignore_ascii_case("host"))
        {
            b = b.header("host", format!("{host}:{port}"));
        }
        for (k, v) in &req.headers {
            b = b.header(k.as_str(), v.as_str());
        }
        let request = b
            .body(http_body_util::Full::new(bytes::Bytes::from(
                req.body.clone(),
            )))
            .map_err(|e| SendError::Other(format!("the request cannot be sent: {e}")))?;
        let resp = sender
            .send_request(request)
            .await
            .map_err(|e| SendError::Closed(e.to_string()))?;
        let first_byte = started.elapsed();
        let status = resp.status();
        let headers = resp
            .headers()
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str().to_string(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect();
        let mut incoming = resp.into_body();
        let mut body = Vec::new();
        while let Some(frame) = incoming.frame().await {
            let frame = frame.map_err(|e| SendError::Closed(e.to_string()))?;
            if let Some(chunk) = frame.data_ref() {
                body.extend_from_slice(chunk);
                if body.len() > MAX_BODY {
                    return Err(SendError::TooLarge(MAX_BODY));
                }
            }
        }
        drop(conn);
        Ok(Response {
            status: status.as_u16(),
            reason: status.canonical_reason().unwrap_or("").to_string(),
            headers,
            body,
            elapsed: started.elapsed(),
            first_byte,
        })
    };
    match tokio::time::timeout(timeout, work).await {
        Ok(r) => r,
        Err(_) => Err(SendError::Timeout(timeout)),
    }
}

fn io_error(e: std::io::Error) -> SendError {
    match e.kind() {
        std::io::ErrorKind::ConnectionRefused => SendError::Refused,
        std::io::ErrorKind::ConnectionReset | std::io::ErrorKind::BrokenPipe => {
            SendError::Closed(e.to_string())
        }
        _ => SendError::Other(e.to_string()),
    }
}

struct AbortOnDrop<T>(tokio::task::JoinHandle<T>);

impl<T> Drop for AbortOnDrop<T> {
    fn drop(&mut self) {
        self.0.abort();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_chain_has_the_server_certificate_first_and_the_key_is_pkcs8() {
        let issued = issue(&["localhost".into(), "127.0.0.1".into()]).unwrap();
        assert_eq!(issued.chain_pem.matches("BEGIN CERTIFICATE").count(), 2);
        assert!(issued.chain_pem.ends_with(&issued.ca_pem));
        assert!(issued.key_pem.starts_with("-----BEGIN PRIVATE KEY-----"));
    }

    /// A TLS handshake in memory: the client accepts `name` only when the
    /// server presents the chain this run issued for it.
    fn handshake(client_of: &Issued, server_of: &Issued, name: &str) -> Result<(), String> {
        use rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer, ServerName};
        let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(server_of.key_der.clone()));
        let server_cfg = rustls::ServerConfig::builder_with_provider(provider())
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(server_of.chain_der.clone(), key)
            .map_err(|e| e.to_string())?;
        let name = ServerName::try_from(name.to_string()).map_err(|e| e.to_string())?;
        let mut client =
            rustls::ClientConnection::new(Arc::new(client_of.client.clone()), name).unwrap();
        let mut server = rustls::ServerConnection::new(Arc::new(server_cfg)).unwrap();
        for _ in 0..10 {
            let mut wire = Vec::new();
            client.write_tls(&mut wire).unwrap();
            server.read_tls(&mut wire.as_slice()).unwrap();
            server.process_new_packets().map_err(|e| e.to_string())?;
            let mut back = Vec::new();
            server.write_tls(&mut back).unwrap();
            client.read_tls(&mut back.as_slice()).unwrap();
            client.process_new_packets().map_err(|e| e.to_string())?;
            if !client.is_handshaking() && !server.is_handshaking() {
                return Ok(());
            }
        }
        Err("the handshake did not finish".into())
    }

    #[test]
    fn a_client_trusts_the_issued_chain_for_its_names_only() {
        let issued = issue(&["localhost".into(), "127.0.0.1".into()]).unwrap();
        handshake(&issued, &issued, "localhost").unwrap();
        handshake(&issued, &issued, "127.0.0.1").unwrap();
        let wrong_name = handshake(&issued, &issued, "example.test").unwrap_err();
        assert!(wrong_name.contains("not valid for name"), "{wrong_name}");
        let other = issue(&["localhost".into()]).unwrap();
        let wrong_ca = handshake(&issued, &other, "localhost").unwrap_err();
        assert!(wrong_ca.contains("invalid peer certificate"), "{wrong_ca}");
    }

    #[test]
    fn two_runs_issue_different_authorities() {
        let a = issue(&["localhost".into()]).unwrap();
        let b = issue(&["localhost".into()]).unwrap();
        assert_ne!(a.ca_pem, b.ca_pem);
        assert_ne!(a.key_pem, b.key_pem);
    }
}
