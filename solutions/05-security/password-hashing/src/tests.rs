//! The shipped tests of hashing.rs. The checker runs them as shipped.
//! Costs are tiny so that they are quick in a debug build.

use argon2::password_hash::PasswordHasher;
use argon2::{Algorithm, Argon2, Params, Version};

use crate::hashing::{Cost, Hasher};

fn hasher(m_kib: u32, t: u32, p: u32) -> Hasher {
    Hasher::new(Cost { m_kib, t, p }).expect("a valid cost")
}

#[test]
fn a_hash_is_an_argon2id_phc_string_with_the_configured_cost() {
    let stored = hasher(1024, 2, 1)
        .hash("correct horse")
        .expect("TODO(1): hash");
    assert!(
        stored.starts_with("$argon2id$v=19$m=1024,t=2,p=1$"),
        "TODO(1): expected an argon2id PHC string with m=1024,t=2,p=1, got {stored:?}"
    );
    assert!(
        !stored.contains("correct horse"),
        "TODO(1): the password is in the hash"
    );
    assert_eq!(
        stored.split('$').count(),
        6,
        "TODO(1): $id$v$params$salt$hash, got {stored:?}"
    );
}

#[test]
fn the_same_password_hashes_differently_each_time() {
    let h = hasher(1024, 1, 1);
    let a = h.hash("same password").expect("TODO(1): hash");
    let b = h.hash("same password").expect("TODO(1): hash");
    assert_ne!(
        a, b,
        "TODO(1): two hashes of one password must differ (a random salt each)"
    );
    let salt = |s: &str| s.split('$').nth(4).map(str::to_string);
    assert_ne!(
        salt(&a),
        salt(&b),
        "TODO(1): each hash needs its own random salt"
    );
}

#[test]
fn verify_accepts_the_password_and_refuses_others() {
    let h = hasher(1024, 1, 1);
    let stored = h.hash("tr0ub4dor&3").expect("TODO(1): hash");
    assert_eq!(
        h.verify("tr0ub4dor&3", &stored),
        Ok(true),
        "TODO(2): the right password"
    );
    assert_eq!(
        h.verify("tr0ub4dor&4", &stored),
        Ok(false),
        "TODO(2): a wrong password"
    );
    assert_eq!(
        h.verify("", &stored),
        Ok(false),
        "TODO(2): an empty password"
    );
}

#[test]
fn verify_reads_the_cost_from_the_stored_hash() {
    let old = hasher(1024, 1, 1)
        .hash("kept from last year")
        .expect("TODO(1): hash");
    let today = hasher(2048, 2, 1);
    assert_eq!(
        today.verify("kept from last year", &old),
        Ok(true),
        "TODO(2): a hash made with another cost must still verify (its cost is in the string)"
    );
}

#[test]
fn an_unreadable_stored_hash_is_an_error_not_a_panic() {
    let h = hasher(1024, 1, 1);
    let bad_cost = "$argon2id$v=19$m=oops,t=1,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNo";
    for stored in ["", "plain text", bad_cost, "$md5$abc$def"] {
        assert!(
            h.verify("whatever", stored).is_err(),
            "TODO(2): {stored:?} must be Err"
        );
    }
}

#[test]
fn the_same_cost_needs_no_rehash() {
    let h = hasher(1024, 2, 1);
    let stored = h.hash("fresh").expect("TODO(1): hash");
    assert!(
        !h.needs_rehash(&stored),
        "TODO(3): a hash made with today's cost is fine"
    );
}

#[test]
fn any_change_of_cost_needs_a_rehash() {
    let stored = hasher(1024, 2, 1).hash("old").expect("TODO(1): hash");
    for (m, t, p, what) in [
        (2048, 2, 1, "memory"),
        (1024, 3, 1, "passes"),
        (1024, 2, 2, "lanes"),
    ] {
        assert!(
            hasher(m, t, p).needs_rehash(&stored),
            "TODO(3): a change of {what} must need a rehash"
        );
    }
}

#[test]
fn another_algorithm_or_garbage_needs_a_rehash() {
    let params = Params::new(1024, 2, 1, None).unwrap();
    let argon2i = Argon2::new(Algorithm::Argon2i, Version::V0x13, params);
    let stored = argon2i.hash_password(b"older").unwrap().to_string();
    let h = hasher(1024, 2, 1);
    assert_eq!(
        h.verify("older", &stored),
        Ok(true),
        "TODO(2): an argon2i hash still verifies"
    );
    assert!(
        h.needs_rehash(&stored),
        "TODO(3): argon2i must be replaced by argon2id"
    );
    assert!(
        h.needs_rehash("not a hash"),
        "TODO(3): garbage must be replaced"
    );
}
