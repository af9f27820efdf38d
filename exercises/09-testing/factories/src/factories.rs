//! Test factories: valid objects by default, one override per concern.
//!
//! The shipped tests in tests/factories.rs say what these must do; run them
//! with `cargo test`. The signatures are given; the bodies are yours.

#![allow(unused_imports, unused_mut, unused_variables, dead_code)]

use std::sync::atomic::{AtomicU64, Ordering};

use crate::{Line, Order, OrderStatus, Role, User};

// TODO(1): unique values. Ids and e-mails must never repeat within a test
// binary, also when tests build users on several threads at once. Keep one
// counter that every factory draws from.

/// Builds a `User`. Defaults: a fresh id, `user{n}@example.test`, the name
/// `User {n}`, a verified member.
pub struct UserFactory {
    user: User,
}

impl UserFactory {
    // TODO(2): a valid user with the defaults above, and one method per
    // override that changes that field only and returns the factory.
    pub fn new() -> Self {
        todo!("TODO(2): a valid default user, with a fresh id and e-mail (TODO 1)")
    }

    pub fn email(mut self, email: &str) -> Self {
        todo!("TODO(2): override the e-mail only")
    }

    pub fn name(mut self, name: &str) -> Self {
        todo!("TODO(2): override the name only")
    }

    pub fn admin(mut self) -> Self {
        todo!("TODO(2): make the user an admin")
    }

    pub fn unverified(mut self) -> Self {
        todo!("TODO(2): a user who has not verified their e-mail")
    }

    pub fn build(self) -> User {
        todo!("TODO(2): hand the user over")
    }

    /// `n` users, each with its own id and e-mail.
    pub fn build_many(n: usize) -> Vec<User> {
        todo!("TODO(2): n distinct users")
    }
}

impl Default for UserFactory {
    fn default() -> Self {
        UserFactory::new()
    }
}

/// Builds an `Order` for a customer. Defaults: a fresh id, `Pending`, one
/// line (`sku-{n}`, 1 × 500 cents). The first `line(...)` replaces the
/// default line; later ones add to it.
pub struct OrderFactory {
    order: Order,
}

impl OrderFactory {
    // TODO(3): the order factory, with the defaults and the rule for lines
    // above (you may add fields to the struct).
    pub fn for_user(customer: &User) -> Self {
        todo!("TODO(3): a valid pending order of one default line for this customer")
    }

    pub fn line(mut self, sku: &str, qty: u32, unit_cents: u64) -> Self {
        todo!("TODO(3): the first call replaces the default line, later calls add")
    }

    pub fn paid(mut self) -> Self {
        todo!("TODO(3): status Paid")
    }

    pub fn shipped(mut self) -> Self {
        todo!("TODO(3): status Shipped")
    }

    pub fn build(self) -> Order {
        todo!("TODO(3): hand the order over")
    }
}
