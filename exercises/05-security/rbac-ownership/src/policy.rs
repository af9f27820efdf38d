//! Authorization: what a role may do, and what an owner may do.

use crate::auth::Principal;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Perm {
    /// Create invoices (owned by the creator).
    Create,
    /// Read and list one's own invoices.
    ReadOwn,
    /// Read and list everyone's.
    ReadAny,
    /// Change the amount of one's own.
    UpdateOwn,
    /// Delete anyone's.
    DeleteAny,
}

/// TODO(1): what each role may do. `customer`: create, read its own,
/// change its own. `support`: read its own and anyone's. `admin`: all five.
/// Any other role, or none (an empty string), may do nothing. Today every
/// caller may do everything.
pub fn permissions(role: &str) -> &'static [Perm] {
    use Perm::*;
    let _ = role;
    &[Create, ReadOwn, ReadAny, UpdateOwn, DeleteAny]
}

pub fn has(who: &Principal, perm: Perm) -> bool {
    permissions(&who.role).contains(&perm)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    Read,
    Update,
    Delete,
}

#[derive(Debug, PartialEq, Eq)]
pub enum Denied {
    /// The caller may not even see it: answer as if it did not exist.
    NotFound,
    /// The caller may see it, but not do this.
    Forbidden,
}

/// TODO(2): may `who` do `action` to an invoice owned by `owner`? An
/// invoice the caller may not read (neither `ReadAny`, nor its own with
/// `ReadOwn`) is `NotFound`, whatever the action. One it may read:
/// reading is fine, changing needs its own and `UpdateOwn`, deleting needs
/// `DeleteAny`; otherwise `Forbidden`. Today anyone may do anything to
/// anything.
pub fn authorize(who: &Principal, action: Action, owner: &str) -> Result<(), Denied> {
    let _ = (who, action, owner);
    Ok(())
}
