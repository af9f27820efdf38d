//! The count's answers: shipped with the exercise and run as shipped.

use parallel_cpu::primes::{Found, below, is_prime};

/// The primes below `limit` by the sieve of Eratosthenes: a second,
/// independent way to the same answer.
fn sieve(limit: u64) -> Found {
    let n = limit as usize;
    let mut composite = vec![false; n.max(2)];
    let (mut count, mut largest) = (0, None);
    for i in 2..n {
        if !composite[i] {
            count += 1;
            largest = Some(i as u64);
            let mut j = i * i;
            while j < n {
                composite[j] = true;
                j += i;
            }
        }
    }
    Found { count, largest }
}

#[test]
fn small_limits_have_known_answers() {
    assert_eq!(
        below(0),
        Found {
            count: 0,
            largest: None
        }
    );
    assert_eq!(
        below(2),
        Found {
            count: 0,
            largest: None
        }
    );
    assert_eq!(
        below(3),
        Found {
            count: 1,
            largest: Some(2)
        }
    );
    assert_eq!(
        below(100),
        Found {
            count: 25,
            largest: Some(97)
        }
    );
}

#[test]
fn the_count_agrees_with_a_sieve() {
    for limit in [10, 97, 98, 1_000, 7_920, 65_537, 104_729, 250_000] {
        assert_eq!(below(limit), sieve(limit), "primes below {limit}");
    }
}

#[test]
fn a_million_has_78498_primes_below_it() {
    assert_eq!(
        below(1_000_000),
        Found {
            count: 78_498,
            largest: Some(999_983)
        }
    );
}

#[test]
fn is_prime_is_unchanged() {
    let first: Vec<u64> = (0..30).filter(|&n| is_prime(n)).collect();
    assert_eq!(first, [2, 3, 5, 7, 11, 13, 17, 19, 23, 29]);
}
