//! The unprivileged user a server runs as when serverlings runs as root
//! (PostgreSQL refuses root), and whether it can reach its folder.

use std::io;
use std::path::Path;

/// A user to run a server as: PostgreSQL refuses to run as root.
#[derive(Debug, Clone, Copy)]
pub struct RunAs {
    pub uid: u32,
    pub gid: u32,
}

/// `Some` when serverlings runs as root and the server must not: the
/// `postgres` user (else `nobody`).
pub fn unprivileged_user() -> Result<Option<RunAs>, String> {
    // SAFETY: plain syscall.
    if unsafe { libc::geteuid() } != 0 {
        return Ok(None);
    }
    for name in ["postgres", "nobody"] {
        let c = std::ffi::CString::new(name).unwrap_or_default();
        // SAFETY: getpwnam returns a pointer into static storage or null;
        // we copy the two fields at once.
        let pw = unsafe { libc::getpwnam(c.as_ptr()) };
        if !pw.is_null() {
            let (uid, gid) = unsafe { ((*pw).pw_uid, (*pw).pw_gid) };
            return Ok(Some(RunAs { uid, gid }));
        }
    }
    Err("PostgreSQL refuses to run as root and this machine has no `postgres` user to run it as: create one (`useradd --system postgres`) or run serverlings as a normal user".into())
}

/// Whether `user` can reach and write `dir` (owner, group, other bits of
/// every ancestor).
pub fn reachable_by(dir: &Path, user: RunAs) -> bool {
    use std::os::unix::fs::MetadataExt;
    for a in dir.ancestors().skip(1) {
        let Ok(m) = std::fs::metadata(a) else {
            return false;
        };
        let bits = if m.uid() == user.uid {
            m.mode() >> 6
        } else if m.gid() == user.gid {
            m.mode() >> 3
        } else {
            m.mode()
        };
        if bits & 0o1 == 0 {
            return false;
        }
    }
    true
}

pub fn chown(path: &Path, user: RunAs) -> io::Result<()> {
    std::os::unix::fs::chown(path, Some(user.uid), Some(user.gid))
}
