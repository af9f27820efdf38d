//! Cargo's `--message-format=json` lines, as serde reads them, and the
//! names of the units they speak of.

use serde::Deserialize;
use std::path::PathBuf;

/// One line of cargo's `--message-format=json` output (the fields the
/// checker and `prepare` read).
#[derive(Deserialize)]
pub struct Message {
    pub reason: String,
    #[serde(default)]
    pub package_id: String,
    pub target: Option<MsgTarget>,
    pub profile: Option<MsgProfile>,
    pub executable: Option<PathBuf>,
    #[serde(default)]
    pub fresh: bool,
    pub message: Option<CompilerMessage>,
    pub success: Option<bool>,
}

#[derive(Deserialize)]
pub struct MsgTarget {
    pub name: String,
    #[serde(default)]
    pub kind: Vec<String>,
}

#[derive(Deserialize)]
pub struct MsgProfile {
    pub test: bool,
}

#[derive(Deserialize)]
pub struct CompilerMessage {
    pub level: String,
    pub rendered: Option<String>,
}

/// `name v0.1.0` from a package id, in both of cargo's id formats.
pub(super) fn unit_name(package_id: &str, target: &str) -> String {
    if let Some((_, rest)) = package_id.rsplit_once('#') {
        // path+file:///…/raw-server#0.1.0  or  registry+…#tokio@1.47.1
        if let Some((name, version)) = rest.split_once('@') {
            return format!("{name} {version}");
        }
        return format!("{target} {rest}");
    }
    package_id.split(' ').take(2).collect::<Vec<_>>().join(" ")
}
