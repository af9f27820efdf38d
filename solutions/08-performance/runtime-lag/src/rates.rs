//! The rates service's client: an old, synchronous one (given; think of a
//! vendor SDK without an async version). Each call opens a connection,
//! sends one HTTP/1.1 request and waits for the answer, blocking the
//! calling thread the whole time.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::time::Duration;

const TIMEOUT: Duration = Duration::from_secs(5);

/// Asks `{base}/rates/{symbol}` for a rate; the answer's body is a number.
/// Blocks the calling thread until the answer (or an error) arrives.
pub fn fetch_rate(base: &str, symbol: &str) -> Result<f64, String> {
    let authority = base
        .strip_prefix("http://")
        .ok_or_else(|| format!("RATES_URL must start with http://, not {base:?}"))?
        .trim_end_matches('/');
    let addr = std::net::ToSocketAddrs::to_socket_addrs(authority)
        .map_err(|e| format!("rates service address {authority}: {e}"))?
        .next()
        .ok_or_else(|| format!("rates service address {authority} resolves to nothing"))?;
    let mut stream = TcpStream::connect_timeout(&addr, TIMEOUT)
        .map_err(|e| format!("rates service unreachable: {e}"))?;
    stream
        .set_read_timeout(Some(TIMEOUT))
        .map_err(|e| e.to_string())?;
    write!(
        stream,
        "GET /rates/{symbol} HTTP/1.1\r\nHost: {authority}\r\nConnection: close\r\n\r\n"
    )
    .map_err(|e| format!("rates service: {e}"))?;

    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    reader
        .read_line(&mut line)
        .map_err(|e| format!("rates service: {e}"))?;
    let status = line.split_whitespace().nth(1).unwrap_or("");
    if status != "200" {
        return Err(format!("rates service answered {:?}", line.trim_end()));
    }
    let mut length = None;
    loop {
        line.clear();
        reader
            .read_line(&mut line)
            .map_err(|e| format!("rates service: {e}"))?;
        let header = line.trim_end();
        if header.is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':')
            && name.eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse::<usize>().ok();
        }
    }
    let length = length
        .filter(|n| *n <= 64)
        .ok_or("rates service: no usable content-length")?;
    let mut body = vec![0; length];
    reader
        .read_exact(&mut body)
        .map_err(|e| format!("rates service: {e}"))?;
    let text = String::from_utf8_lossy(&body);
    text.trim()
        .parse::<f64>()
        .map_err(|_| format!("rates service sent {text:?}, not a number"))
}
