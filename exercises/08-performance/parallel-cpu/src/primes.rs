//! Counting primes: CPU work and nothing else, no I/O to wait for.

#[allow(unused_imports)] // for TODO(2)
use rayon::prelude::*;

/// Whether `n` is prime, by trial division: deliberately plain, so each
/// call costs about √n divisions.
pub fn is_prime(n: u64) -> bool {
    if n < 2 {
        return false;
    }
    if n % 2 == 0 {
        return n == 2;
    }
    let mut d = 3;
    while d * d <= n {
        if n % d == 0 {
            return false;
        }
        d += 2;
    }
    true
}

/// The primes below a limit: how many, and the largest of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Found {
    pub count: u64,
    pub largest: Option<u64>,
}

/// Counts the primes below `limit`.
pub fn below(limit: u64) -> Found {
    // TODO(2): one thread walks the whole range while the other cores
    // idle. Share the range out among all the cores; each share's count
    // and largest prime then have to be combined into one answer.
    let mut found = Found {
        count: 0,
        largest: None,
    };
    for n in 2..limit {
        if is_prime(n) {
            found.count += 1;
            found.largest = Some(n);
        }
    }
    found
}
