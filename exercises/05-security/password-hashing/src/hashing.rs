//! Password hashes as PHC strings: argon2id, a fresh salt per hash, and
//! the cost written into the string so it can be checked (and raised)
//! later.

use std::fmt;

// What you will need: `PasswordHasher` and `PasswordVerifier` (traits on
// `Argon2`), `phc::PasswordHash` (a parsed PHC string), all under
// `argon2::password_hash`.
use argon2::password_hash;
use argon2::{Algorithm, Argon2, Params, Version};

/// The cost of one hash: memory in KiB, passes over it, lanes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cost {
    pub m_kib: u32,
    pub t: u32,
    pub p: u32,
}

impl Cost {
    /// `ARGON2_M_KIB` and `ARGON2_T` (one lane); the defaults are
    /// argon2's own (19456 KiB, 2 passes).
    pub fn from_env() -> Result<Cost, String> {
        let read = |name: &str, default: u32| match std::env::var(name) {
            Err(_) => Ok(default),
            Ok(text) => text
                .trim()
                .parse::<u32>()
                .map_err(|_| format!("{name} must be a whole number, not {text:?}")),
        };
        Ok(Cost {
            m_kib: read("ARGON2_M_KIB", Params::DEFAULT_M_COST)?,
            t: read("ARGON2_T", Params::DEFAULT_T_COST)?,
            p: 1,
        })
    }
}

/// A stored hash that is not a PHC string argon2 can read.
#[derive(Debug, PartialEq, Eq)]
pub struct Unreadable(pub String);

impl fmt::Display for Unreadable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unreadable password hash: {}", self.0)
    }
}

impl std::error::Error for Unreadable {}

/// Hashes with today's cost; verifies hashes of any cost.
pub struct Hasher {
    argon2: Argon2<'static>,
    cost: Cost,
}

impl Hasher {
    /// Refuses a cost argon2 cannot use (e.g. less than 8 KiB per lane).
    pub fn new(cost: Cost) -> Result<Hasher, String> {
        let params = Params::new(cost.m_kib, cost.t, cost.p, None)
            .map_err(|e| format!("argon2 cannot use {cost:?}: {e}"))?;
        Ok(Hasher {
            argon2: Argon2::new(Algorithm::Argon2id, Version::V0x13, params),
            cost,
        })
    }

    /// TODO(1): the PHC string of an argon2id hash of `password`, with a
    /// random salt and this hasher's cost.
    pub fn hash(&self, password: &str) -> Result<String, password_hash::Error> {
        let _ = (&self.argon2, password);
        todo!("TODO(1): hash the password with self.argon2 (a random salt, today's cost)")
    }

    /// TODO(2): whether `password` matches `stored`, judged with the
    /// algorithm, cost and salt written in `stored`; `Err` when `stored`
    /// cannot be read.
    pub fn verify(&self, password: &str, stored: &str) -> Result<bool, Unreadable> {
        let _ = (password, stored);
        todo!("TODO(2): parse `stored`, verify `password` against it: Ok(true), Ok(false) or Err")
    }

    /// TODO(3): whether `stored` should be replaced by a hash made today:
    /// another algorithm, another cost, or nothing readable at all.
    pub fn needs_rehash(&self, stored: &str) -> bool {
        let _ = stored;
        todo!("TODO(3): compare the algorithm and cost written in `stored` with today's")
    }
}
