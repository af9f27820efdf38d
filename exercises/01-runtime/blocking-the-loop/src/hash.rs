//! A deliberately slow password hash, standing in for argon2 or bcrypt.
//! Given. It is NOT a real password hash: it shows the cost, not the
//! security. What matters here is that it keeps a CPU core busy for a few
//! hundred milliseconds without ever waiting, the way real ones are tuned.

/// Rounds of mixing per hash: about 300 ms in a debug build.
pub const ROUNDS: u32 = 16_000_000;

/// The longest password accepted, in bytes.
pub const MAX_PASSWORD_BYTES: usize = 1024;

/// The salt and password stretched into 32 bytes, as 64 hex digits. The
/// same inputs always give the same output.
pub fn stretch(password: &[u8], salt: &[u8]) -> String {
    let mut state = [
        0x6a09_e667_f3bc_c908_u64,
        0xbb67_ae85_84ca_a73b,
        0x3c6e_f372_fe94_f82b,
        0xa54f_f53a_5f1d_36f1,
    ];
    for (i, byte) in salt.iter().chain(password).enumerate() {
        state[i % 4] = mix(state[i % 4] ^ u64::from(*byte));
    }
    for round in 0..ROUNDS {
        let lane = (round % 4) as usize;
        state[lane] = mix(state[lane] ^ state[(lane + 1) % 4].rotate_left(17));
    }
    state.iter().map(|lane| format!("{lane:016x}")).collect()
}

/// One step of splitmix64: spreads every input bit over the output.
fn mix(mut x: u64) -> u64 {
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}
