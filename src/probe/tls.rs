//! HTTPS for checks with a `[tls]` table: a certificate authority made for
//! the run, a server certificate for the check's host names signed by it
//! (the learner's server is given both as PEM files), and clients that
//! trust that authority and nothing else, so a server that presents any
//! other certificate fails the handshake.

use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, OnceLock};

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

/// A client configuration that trusts nothing: for plain-HTTP clients, which
/// never make a handshake, so building one reads no system trust store.
pub fn plain() -> rustls::ClientConfig {
    static C: OnceLock<rustls::ClientConfig> = OnceLock::new();
    C.get_or_init(|| {
        rustls::ClientConfig::builder_with_provider(provider())
            .with_safe_default_protocol_versions()
            .expect("the ring provider supports TLS 1.2 and 1.3")
            .with_root_certificates(rustls::RootCertStore::empty())
            .with_no_client_auth()
    })
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

/// A one-request client for `https://<host>:<port>`: it trusts the run's
/// authority only, connects to 127.0.0.1 whatever `host` resolves to, and
/// sends `host` as the server name (SNI).
pub fn https_client(
    config: &rustls::ClientConfig,
    host: &str,
    port: u16,
    from: Option<IpAddr>,
) -> Result<reqwest::Client, String> {
    let mut b = super::http::builder()
        .tls_backend_preconfigured(config.clone())
        .pool_max_idle_per_host(0)
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none());
    if host.parse::<IpAddr>().is_err() {
        b = b.resolve(host, SocketAddr::from(([127, 0, 0, 1], port)));
    }
    if let Some(ip) = from {
        b = b.local_address(ip);
    }
    b.build()
        .map_err(|e| format!("could not make the HTTPS client: {e}"))
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
