//! Counting primes: CPU work and nothing else, no I/O to wait for.

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

/// Counts the primes below `limit`, on every core: rayon splits the range
/// into pieces its threads steal from each other, and the per-piece
/// results are combined (counts add up, the largest wins).
pub fn below(limit: u64) -> Found {
    let (count, largest) = (2..limit)
        .into_par_iter()
        .filter(|&n| is_prime(n))
        .map(|n| (1, n))
        .reduce(|| (0, 0), |a, b| (a.0 + b.0, a.1.max(b.1)));
    Found {
        count,
        largest: (count > 0).then_some(largest),
    }
}
