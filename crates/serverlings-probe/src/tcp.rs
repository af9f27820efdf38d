//! Raw TCP exchanges: exact bytes out, every byte back, bounded in time.

use serverlings_core::response::{self, Parse, Response};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

#[derive(Debug, Clone)]
pub struct Exchange {
    pub responses: Vec<Response>,
    /// The server closed the connection (EOF or reset) while we listened.
    pub closed: bool,
    /// Bytes that did not parse as a response, and where they went wrong.
    pub invalid: Option<(String, usize, Vec<u8>)>,
    pub raw: Vec<u8>,
    pub timed_out: bool,
}

#[derive(Debug, Clone, Copy)]
pub struct Until {
    /// Stop after this many responses (unless waiting for a close).
    pub responses: usize,
    /// Keep listening after the responses until the server closes.
    pub wait_close: bool,
    /// Listen this long after the responses to see whether the server closes.
    pub linger: Duration,
    /// Expect no byte and no close for this long; return when it passes.
    pub silent: Option<Duration>,
    /// Send the bytes one at a time with this pause between them.
    pub trickle: Option<Duration>,
}

/// One exchange. With `hold`, the connection stays open after the answer
/// until every party of the barrier has its answer too (or the deadline):
/// a server that serves one connection at a time then cannot answer them all.
pub async fn exchange(
    addr: &str,
    bytes: &[u8],
    until: Until,
    timeout: Duration,
    hold: Option<&tokio::sync::Barrier>,
) -> Result<Exchange, std::io::Error> {
    let started = Instant::now();
    let deadline = tokio::time::Instant::now() + timeout;
    let mut stream = tokio::time::timeout_at(deadline, TcpStream::connect(addr))
        .await
        .map_err(|_| std::io::Error::new(std::io::ErrorKind::TimedOut, "connect timed out"))??;
    // The server may answer (and close) before reading everything: that is
    // its right (e.g. 431), so a failed write is not the step's failure.
    match until.trickle {
        None => {
            let _ = stream.write_all(bytes).await;
        }
        Some(pause) => {
            for b in bytes {
                if tokio::time::Instant::now() + pause >= deadline
                    || stream.write_all(&[*b]).await.is_err()
                {
                    break;
                }
                tokio::time::sleep(pause).await;
            }
        }
    }
    if let Some(quiet) = until.silent {
        let mut ex = Exchange {
            responses: vec![],
            closed: false,
            invalid: None,
            raw: vec![],
            timed_out: false,
        };
        let mut buf = [0u8; 4096];
        match tokio::time::timeout(quiet, stream.read(&mut buf)).await {
            Err(_) => {}
            Ok(Ok(0)) | Ok(Err(_)) => ex.closed = true,
            Ok(Ok(n)) => ex.raw.extend_from_slice(&buf[..n]),
        }
        return Ok(ex);
    }

    let mut ex = Exchange {
        responses: vec![],
        closed: false,
        invalid: None,
        raw: vec![],
        timed_out: false,
    };
    let mut consumed = 0;
    let mut buf = [0u8; 16 * 1024];
    let mut linger_until: Option<tokio::time::Instant> = None;
    loop {
        // Parse what we have.
        loop {
            let (p, r) = response::parse(&ex.raw[consumed..], ex.closed);
            match p {
                Parse::Done(n) => {
                    let mut r = r.unwrap_or_default();
                    r.elapsed = started.elapsed();
                    ex.responses.push(r);
                    consumed += n;
                }
                Parse::Invalid(msg, at) => {
                    ex.invalid = Some((msg, consumed + at, ex.raw[consumed..].to_vec()));
                    return Ok(ex);
                }
                Parse::Incomplete => break,
            }
            if consumed >= ex.raw.len() {
                break;
            }
        }
        if ex.closed {
            if consumed < ex.raw.len() && ex.invalid.is_none() {
                ex.invalid = Some((
                    "the connection closed in the middle of a response".into(),
                    ex.raw.len(),
                    ex.raw[consumed..].to_vec(),
                ));
            }
            return Ok(ex);
        }
        if ex.responses.len() >= until.responses {
            if let Some(barrier) = hold {
                let _ = tokio::time::timeout_at(deadline, barrier.wait()).await;
                return Ok(ex);
            }
            if !until.wait_close && until.linger.is_zero() {
                return Ok(ex);
            }
            if !until.wait_close && linger_until.is_none() {
                linger_until = Some(tokio::time::Instant::now() + until.linger);
            }
        }
        let stop_at = linger_until.map_or(deadline, |l| l.min(deadline));
        match tokio::time::timeout_at(stop_at, stream.read(&mut buf)).await {
            Ok(Ok(0)) => ex.closed = true,
            Ok(Ok(n)) => {
                ex.raw.extend_from_slice(&buf[..n]);
                if ex.raw.len() > crate::http::MAX_BODY {
                    ex.invalid = Some(("more than 8 MiB came back".into(), ex.raw.len(), vec![]));
                    return Ok(ex);
                }
            }
            Ok(Err(e))
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::ConnectionReset | std::io::ErrorKind::BrokenPipe
                ) =>
            {
                ex.closed = true
            }
            Ok(Err(e)) => return Err(e),
            Err(_) => {
                // Lingering ended with the connection open: that is an answer.
                ex.timed_out = linger_until.is_none_or(|l| l >= deadline);
                return Ok(ex);
            }
        }
    }
}
