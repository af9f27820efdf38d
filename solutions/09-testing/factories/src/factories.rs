//! Test factories: valid objects by default, one override per concern.

use std::sync::atomic::{AtomicU64, Ordering};

use crate::{Line, Order, OrderStatus, Role, User};

/// One sequence for every factory: ids and e-mails never repeat within a
/// test binary, even with tests running on several threads.
static SEQUENCE: AtomicU64 = AtomicU64::new(1);

fn next() -> u64 {
    SEQUENCE.fetch_add(1, Ordering::Relaxed)
}

/// Builds a `User`. Defaults: a fresh id, `user{n}@example.test`, the name
/// `User {n}`, a verified member.
pub struct UserFactory {
    user: User,
}

impl UserFactory {
    pub fn new() -> Self {
        let n = next();
        UserFactory {
            user: User {
                id: n,
                email: format!("user{n}@example.test"),
                name: format!("User {n}"),
                role: Role::Member,
                verified: true,
            },
        }
    }

    pub fn email(mut self, email: &str) -> Self {
        self.user.email = email.to_string();
        self
    }

    pub fn name(mut self, name: &str) -> Self {
        self.user.name = name.to_string();
        self
    }

    pub fn admin(mut self) -> Self {
        self.user.role = Role::Admin;
        self
    }

    pub fn unverified(mut self) -> Self {
        self.user.verified = false;
        self
    }

    pub fn build(self) -> User {
        self.user
    }

    /// `n` users, each with its own id and e-mail.
    pub fn build_many(n: usize) -> Vec<User> {
        (0..n).map(|_| UserFactory::new().build()).collect()
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
    default_line: bool,
}

impl OrderFactory {
    pub fn for_user(customer: &User) -> Self {
        let n = next();
        OrderFactory {
            order: Order {
                id: n,
                customer: customer.id,
                lines: vec![Line {
                    sku: format!("sku-{n}"),
                    qty: 1,
                    unit_cents: 500,
                }],
                status: OrderStatus::Pending,
            },
            default_line: true,
        }
    }

    pub fn line(mut self, sku: &str, qty: u32, unit_cents: u64) -> Self {
        if std::mem::take(&mut self.default_line) {
            self.order.lines.clear();
        }
        self.order.lines.push(Line {
            sku: sku.to_string(),
            qty,
            unit_cents,
        });
        self
    }

    pub fn paid(mut self) -> Self {
        self.order.status = OrderStatus::Paid;
        self
    }

    pub fn shipped(mut self) -> Self {
        self.order.status = OrderStatus::Shipped;
        self
    }

    pub fn build(self) -> Order {
        self.order
    }
}
