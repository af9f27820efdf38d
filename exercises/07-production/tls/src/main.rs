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
#[allow(unused_imports)] // for TODO(1)
use std::time::Duration;

use axum::Router;
use axum::extract::{ConnectInfo, Request, State};
#[allow(unused_imports)] // HeaderValue for TODO(2) and (3)
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
#[allow(unused_imports)] // for TODO(1)
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

    // TODO(1): serve `https_app(...)` over TLS on HTTPS_PORT, with the
    // chain and key of TLS_CERT and TLS_KEY, beside the plain listener
    // below, and stop it too on SIGTERM. Its connections must carry the
    // peer's address, as the plain listener's do. (rustls wants one crypto
    // provider chosen for the process before anything else.)
    let _ = (&cert, &key);
    let listener = tokio::net::TcpListener::bind(SocketAddr::from(([0, 0, 0, 0], port))).await?;
    println!("http on :{port}, https on :{}", config.https_port);
    let http = axum::serve(
        listener,
        http_app(config).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(async move {
        terminated().await;
    });
    http.await?;
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

#[allow(dead_code)] // TODO(1) serves it
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
    // TODO(2): a plain request is sent to HTTPS (`redirect_to_https`) —
    // unless the reverse proxy, and only it, says with X-Forwarded-Proto
    // that its client used HTTPS: then it is served as an HTTPS request,
    // with what goes with one.
    let client = client_address(peer.ip(), req.headers(), config.trusted_proxy);
    req.extensions_mut().insert(Seen {
        https: false,
        client,
    });
    next.run(req).await
}

/// TODO(2): the answer that sends a client to the same host (`host_of`
/// the Host header), path and query on `https_port`, with a status that
/// keeps the method and the body.
#[allow(dead_code)]
fn redirect_to_https(req: &Request, https_port: u16) -> Response {
    let _ = (req.uri(), https_port, header::LOCATION);
    StatusCode::NOT_IMPLEMENTED.into_response()
}

/// The host name of a `Host` header, without its port: `localhost:8080` →
/// `localhost`, `[::1]:8080` → `::1`. `None` for anything that is not a
/// plain host name (a header with a path or spaces in it).
#[allow(dead_code)] // for TODO(2)
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

/// TODO(3): what goes out over HTTPS tells the browser to use nothing
/// else for this host (and its subdomains) for a year.
fn with_hsts(resp: Response) -> Response {
    let _ = HSTS;
    resp
}

/// TODO(4): the client's address. Today anyone can claim to be anyone by
/// sending X-Forwarded-For; whose header counts, and which of its entries
/// did that sender add itself?
fn client_address(peer: IpAddr, headers: &HeaderMap, trusted_proxy: IpAddr) -> IpAddr {
    let _ = trusted_proxy;
    headers
        .get("x-forwarded-for")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(',').next())
        .and_then(|first| first.trim().parse().ok())
        .unwrap_or(peer)
}
