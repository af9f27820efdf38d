//! # tls: HTTPS in the service, HTTP sent there, and a proxy's word believed only from the proxy
//!
//! A small API that serves itself over TLS (rustls, no OpenSSL) and keeps
//! a plain-HTTP port for what a browser or a load balancer first sends.
//! The environment:
//! - `PORT`: plain HTTP; `HTTPS_PORT`: HTTPS, with the chain in
//!   `TLS_CERT` (PEM, leaf first) and the key in `TLS_KEY` (PEM, PKCS#8)
//! - `TRUSTED_PROXY`: the address of the reverse proxy in front of the
//!   service, the only peer whose `X-Forwarded-*` headers count
//!
//! What it answers:
//! - `GET /` → `hello over TLS`; `GET /whoami` → `{"client", "scheme"}`:
//!   the client's address and `https` or `http`, as the service sees them
//! - over HTTPS: every answer carries `Strict-Transport-Security`
//!   (RFC 6797) for a year, subdomains included
//! - over plain HTTP: every request is redirected with `308 Permanent
//!   Redirect` to the same host, path and query on `HTTPS_PORT` (308 keeps
//!   the method and body), and no HSTS header (browsers ignore it there) —
//!   unless it came from `TRUSTED_PROXY` with `X-Forwarded-Proto: https`:
//!   the proxy terminated TLS, so it is served as HTTPS
//! - the client's address is the peer's, or, from `TRUSTED_PROXY` only,
//!   the last entry of `X-Forwarded-For` (the one the proxy appended)
//!
//! ```text
//! main()             the TLS listener beside the plain one   TODO(1)
//! over_plain_http()  to HTTPS, or served on the proxy's word  TODO(2)
//! with_hsts()        HSTS on what goes out over HTTPS         TODO(3)
//! client_address()   whose X-Forwarded-For counts             TODO(4)
//! ```
//!
//! Checked by: the checker issues a certificate authority and a server
//! certificate for this run only, and asks over HTTPS trusting that
//! authority alone; it sends plain requests from 127.0.0.1 and from the
//! proxy's address (another loopback address), with and without
//! `X-Forwarded-*`, and reads the redirects, the HSTS header and /whoami.

use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use axum::Router;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum_server::tls_rustls::RustlsConfig;

const HSTS: &str = "max-age=31536000; includeSubDomains";

#[derive(Clone)]
struct Config {
    https_port: u16,
    trusted_proxy: IpAddr,
}

/// How a request reached the service: its scheme as the client used it,
/// and the client's address.
#[derive(Clone, Copy)]
struct Seen {
    https: bool,
    client: IpAddr,
}

fn var<T: std::str::FromStr>(name: &str) -> Result<T, String> {
    let text = std::env::var(name).map_err(|_| format!("{name} is required"))?;
    text.parse()
        .map_err(|_| format!("{name}={text:?} is not valid"))
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let port: u16 = var("PORT")?;
    let config = Config {
        https_port: var("HTTPS_PORT")?,
        trusted_proxy: var("TRUSTED_PROXY")?,
    };
    let cert: String = var("TLS_CERT")?;
    let key: String = var("TLS_KEY")?;

    // One crypto provider for the process, the chain and key from the
    // files, and a TLS listener on HTTPS_PORT.
    rustls::crypto::ring::default_provider()
        .install_default()
        .map_err(|_| "a crypto provider was already installed")?;
    let tls = RustlsConfig::from_pem_file(&cert, &key)
        .await
        .map_err(|e| format!("cannot load {cert} and {key}: {e}"))?;

    let handle = axum_server::Handle::new();
    let https = axum_server::bind_rustls(SocketAddr::from(([0, 0, 0, 0], config.https_port)), tls)
        .handle(handle.clone())
        .serve(https_app(config.clone()).into_make_service_with_connect_info::<SocketAddr>());
    let listener = tokio::net::TcpListener::bind(SocketAddr::from(([0, 0, 0, 0], port))).await?;
    println!("http on :{port}, https on :{}", config.https_port);
    let http = axum::serve(
        listener,
        http_app(config).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(async move {
        terminated().await;
        handle.graceful_shutdown(Some(Duration::from_secs(10)));
    });
    let (a, b) = tokio::join!(https, http);
    a?;
    b?;
    Ok(())
}

async fn terminated() {
    use tokio::signal::unix::{SignalKind, signal};
    match (
        signal(SignalKind::terminate()),
        signal(SignalKind::interrupt()),
    ) {
        (Ok(mut term), Ok(mut int)) => {
            tokio::select! { _ = term.recv() => {}, _ = int.recv() => {} }
        }
        _ => std::future::pending().await,
    }
}

/// The routes, the same whichever way a request came in.
fn routes() -> Router {
    Router::new()
        .route("/", get(|| async { "hello over TLS\n" }))
        .route("/whoami", get(whoami))
}

async fn whoami(axum::Extension(seen): axum::Extension<Seen>) -> impl IntoResponse {
    axum::Json(serde_json::json!({
        "client": seen.client.to_string(),
        "scheme": if seen.https { "https" } else { "http" },
    }))
}

fn https_app(config: Config) -> Router {
    routes().layer(middleware::from_fn_with_state(config, over_tls))
}

fn http_app(config: Config) -> Router {
    routes().layer(middleware::from_fn_with_state(config, over_plain_http))
}

/// HTTPS: the client is the peer unless the peer is the proxy.
async fn over_tls(
    State(config): State<Config>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    mut req: Request,
    next: Next,
) -> Response {
    let client = client_address(peer.ip(), req.headers(), config.trusted_proxy);
    req.extensions_mut().insert(Seen {
        https: true,
        client,
    });
    with_hsts(next.run(req).await)
}

/// Plain HTTP: served only when the trusted proxy says the client used
/// HTTPS; anything else goes to the HTTPS port.
async fn over_plain_http(
    State(config): State<Config>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    mut req: Request,
    next: Next,
) -> Response {
    // X-Forwarded-Proto counts from the proxy only.
    let from_proxy = peer.ip() == config.trusted_proxy;
    let proto_https = req
        .headers()
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(',').next())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("https"));
    if from_proxy && proto_https {
        let client = client_address(peer.ip(), req.headers(), config.trusted_proxy);
        req.extensions_mut().insert(Seen {
            https: true,
            client,
        });
        // The proxy speaks HTTPS to the browser: HSTS goes with it.
        return with_hsts(next.run(req).await);
    }
    redirect_to_https(&req, config.https_port)
}

/// 308 to the same host, path and query on HTTPS.
fn redirect_to_https(req: &Request, https_port: u16) -> Response {
    let host = req
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .and_then(host_of)
        .unwrap_or("localhost");
    let host = if host.contains(':') {
        format!("[{host}]")
    } else {
        host.to_string()
    };
    let target = req.uri().path_and_query().map_or("/", |pq| pq.as_str());
    let location = format!("https://{host}:{https_port}{target}");
    match HeaderValue::from_str(&location) {
        Ok(v) => (StatusCode::PERMANENT_REDIRECT, [(header::LOCATION, v)]).into_response(),
        Err(_) => StatusCode::BAD_REQUEST.into_response(),
    }
}

/// The host name of a `Host` header, without its port: `localhost:8080` →
/// `localhost`, `[::1]:8080` → `::1`. `None` for anything that is not a
/// plain host name (a header with a path or spaces in it).
fn host_of(value: &str) -> Option<&str> {
    let name = if let Some(rest) = value.strip_prefix('[') {
        rest.split(']').next()?
    } else {
        value.split(':').next()?
    };
    let plain = !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-.:".contains(&b));
    plain.then_some(name)
}

/// HSTS on what goes out over HTTPS.
fn with_hsts(mut resp: Response) -> Response {
    resp.headers_mut().insert(
        header::STRICT_TRANSPORT_SECURITY,
        HeaderValue::from_static(HSTS),
    );
    resp
}

/// The client is the peer; from the trusted proxy
/// only, the last address of X-Forwarded-For, the one the proxy appended
/// (those before it are whatever the client sent).
fn client_address(peer: IpAddr, headers: &HeaderMap, trusted_proxy: IpAddr) -> IpAddr {
    if peer != trusted_proxy {
        return peer;
    }
    headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .last()
        .and_then(|last| last.trim().parse().ok())
        .unwrap_or(peer)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_proxy_is_believed_and_only_its_own_entry() {
        let proxy: IpAddr = "127.0.0.9".parse().unwrap();
        let mut headers = HeaderMap::new();
        headers.insert(
            "x-forwarded-for",
            HeaderValue::from_static("198.51.100.1, 203.0.113.7"),
        );
        assert_eq!(
            client_address(proxy, &headers, proxy),
            "203.0.113.7".parse::<IpAddr>().unwrap()
        );
        let other: IpAddr = "127.0.0.1".parse().unwrap();
        assert_eq!(client_address(other, &headers, proxy), other);
    }

    #[test]
    fn host_names_lose_their_port() {
        assert_eq!(host_of("localhost:8080"), Some("localhost"));
        assert_eq!(host_of("[::1]:8080"), Some("::1"));
        assert_eq!(host_of("example.test"), Some("example.test"));
        assert_eq!(host_of("evil/path"), None);
    }
}
