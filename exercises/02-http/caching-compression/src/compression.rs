//! gzip for clients that accept it. Given: you wrote `accepts_gzip` in
//! `raw-server`.

use std::io::{self, Write};

use flate2::Compression;
use flate2::write::GzEncoder;

/// Bodies shorter than this are sent as they are: the gzip header and
/// trailer (18 bytes) and the CPU cost outweigh the saving.
pub const MIN_GZIP_BYTES: usize = 256;

/// Whether an `Accept-Encoding` value lists gzip with a weight above 0,
/// e.g. `br;q=1.0, gzip;q=0.8`.
pub fn accepts_gzip(accept_encoding: &str) -> bool {
    accept_encoding.split(',').any(|item| {
        let mut parts = item.split(';');
        let coding = parts.next().unwrap_or_default().trim();
        let weight = parts
            .filter_map(|param| param.split_once('='))
            .find(|(name, _)| name.trim().eq_ignore_ascii_case("q"))
            .map_or(1.0, |(_, q)| q.trim().parse::<f32>().unwrap_or(0.0));
        coding.eq_ignore_ascii_case("gzip") && weight > 0.0
    })
}

/// The gzip encoding of `bytes`.
pub fn gzip(bytes: &[u8]) -> io::Result<Vec<u8>> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
    encoder.write_all(bytes)?;
    encoder.finish()
}
