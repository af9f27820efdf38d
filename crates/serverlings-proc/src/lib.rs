//! The child processes serverlings starts, and what the kernel says about
//! them: `process` owns them (process groups, output pumps, TERM → grace →
//! KILL, the `SERVERLINGS_OWNER` mark); `procs` reads `/proc`.

pub mod process;
pub mod procs;
