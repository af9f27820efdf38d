//! TOTP (RFC 6238): six digits from HMAC-SHA1 of a shared secret and the
//! current 30-second step.

use hmac::{Hmac, Mac};
use sha1::Sha1;

pub const STEP_S: u64 = 30;

/// The HOTP value (RFC 4226) of `secret` at `counter`, six digits.
pub fn code(secret: &[u8], counter: u64) -> u32 {
    let mut mac = Hmac::<Sha1>::new_from_slice(secret).expect("HMAC takes any key length");
    mac.update(&counter.to_be_bytes());
    let h = mac.finalize().into_bytes();
    // Dynamic truncation: the low nibble of the last byte picks 4 bytes.
    let o = usize::from(h[19] & 0x0f);
    let word = u32::from_be_bytes([h[o], h[o + 1], h[o + 2], h[o + 3]]);
    (word & 0x7fff_ffff) % 1_000_000
}

/// Compares without stopping at the first difference.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The step `typed` is the code of, if it is one of the steps around
/// `now_s` (one either side, for clock drift) and newer than `last_used`:
/// a code is good once. Anything but six digits is no code.
pub fn check(secret: &[u8], typed: &str, now_s: u64, last_used: Option<u64>) -> Option<u64> {
    if typed.len() != 6 || !typed.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let now = now_s / STEP_S;
    let mut found = None;
    // Every candidate is computed and compared, match or not.
    for step in now.saturating_sub(1)..=now + 1 {
        let expected = format!("{:06}", code(secret, step));
        if same(expected.as_bytes(), typed.as_bytes()) {
            found = Some(step);
        }
    }
    found.filter(|step| last_used.is_none_or(|last| *step > last))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc_6238_sha1_vectors_in_six_digits() {
        // RFC 6238 appendix B, SHA-1, the last six of the eight digits.
        let secret = b"12345678901234567890";
        for (t, expected) in [
            (59, 287_082),
            (1_111_111_109, 81_804),
            (1_234_567_890, 5_924),
        ] {
            assert_eq!(code(secret, t / STEP_S), expected, "at T = {t}");
        }
    }

    #[test]
    fn a_code_is_good_once_and_only_near_now() {
        let secret = b"12345678901234567890";
        let now = 1_234_567_890;
        let current = format!("{:06}", code(secret, now / STEP_S));
        let step = check(secret, &current, now, None);
        assert_eq!(step, Some(now / STEP_S));
        assert_eq!(check(secret, &current, now, step), None, "replayed");
        let old = format!("{:06}", code(secret, (now - 300) / STEP_S));
        assert_eq!(check(secret, &old, now, None), None, "ten steps old");
        assert_eq!(check(secret, "12345", now, None), None);
        assert_eq!(check(secret, "abcdef", now, None), None);
    }
}
