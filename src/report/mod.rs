//! Reporters read check outcomes and never decide anything: plain terminal
//! text (`human`), JSON lines (`json`), JUnit XML for CI (`junit`).

pub mod human;
pub mod json;
pub mod junit;
