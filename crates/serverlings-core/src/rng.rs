//! A small seeded generator (splitmix64) for random check inputs: the seed is
//! printed with every verdict, and `--seed` replays the same values.

#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    /// A seed from the clock and the process id.
    pub fn fresh_seed() -> u64 {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(0);
        let mut r = Rng(nanos ^ (u64::from(std::process::id()) << 32));
        r.next_u64() % 1_000_000_000
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next_u64() % n }
    }

    pub fn range(&mut self, min: i64, max: i64) -> i64 {
        let span = (max - min) as u64 + 1;
        min + self.below(span) as i64
    }

    pub fn word(&mut self, len: usize) -> String {
        (0..len)
            .map(|_| (b'a' + self.below(26) as u8) as char)
            .collect()
    }

    pub fn hex(&mut self, len: usize) -> String {
        (0..len)
            .map(|_| char::from_digit(self.below(16) as u32, 16).unwrap_or('0'))
            .collect()
    }
}

/// `n` bytes from the OS's random source (getrandom(2) on Linux), for
/// secrets and unguessable names. It does not fail on any supported system;
/// if it ever did, the bytes would be worthless as secrets, so serverlings
/// stops with the reason rather than go on with predictable ones.
pub fn os_random(n: usize) -> Vec<u8> {
    let mut b = vec![0u8; n];
    if let Err(e) = getrandom::fill(&mut b) {
        eprintln!(
            "error: the operating system's random source failed ({e}); serverlings cannot make secrets without it"
        );
        std::process::exit(2);
    }
    b
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_values_other_seed_other_values() {
        let a: Vec<String> = {
            let mut r = Rng::new(7);
            (0..3).map(|_| r.word(8)).collect()
        };
        let b: Vec<String> = {
            let mut r = Rng::new(7);
            (0..3).map(|_| r.word(8)).collect()
        };
        let c: Vec<String> = {
            let mut r = Rng::new(8);
            (0..3).map(|_| r.word(8)).collect()
        };
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert!(a[0].chars().all(|c| c.is_ascii_lowercase()) && a[0].len() == 8);
        let mut r = Rng::new(1);
        assert!(
            (0..100)
                .map(|_| r.range(5, 9))
                .all(|v| (5..=9).contains(&v))
        );
    }
}
