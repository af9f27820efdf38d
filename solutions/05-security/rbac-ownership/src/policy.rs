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

/// What each role may do. An unknown role, or none, may do nothing.
pub fn permissions(role: &str) -> &'static [Perm] {
    use Perm::*;
    match role {
        "customer" => &[Create, ReadOwn, UpdateOwn],
        "support" => &[ReadOwn, ReadAny],
        "admin" => &[Create, ReadOwn, ReadAny, UpdateOwn, DeleteAny],
        _ => &[],
    }
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

/// May `who` do `action` to an invoice owned by `owner`?
pub fn authorize(who: &Principal, action: Action, owner: &str) -> Result<(), Denied> {
    let mine = owner == who.sub;
    let sees = has(who, Perm::ReadAny) || (mine && has(who, Perm::ReadOwn));
    if !sees {
        return Err(Denied::NotFound);
    }
    let allowed = match action {
        Action::Read => true,
        Action::Update => mine && has(who, Perm::UpdateOwn),
        Action::Delete => has(who, Perm::DeleteAny),
    };
    if allowed {
        Ok(())
    } else {
        Err(Denied::Forbidden)
    }
}
