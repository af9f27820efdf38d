//! A shop's domain, and the test factories that build it.
//!
//! The domain (this file) is given. Your work is in src/factories.rs: a
//! `UserFactory` and an `OrderFactory` that build valid objects with
//! defaults, let a test override only the fields it is about, and keep
//! unique fields unique (see the TODOs there).
//!
//! Checked by: `serverlings check factories`, which runs the shipped tests
//! in tests/factories.rs as shipped.

pub mod factories;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Member,
    Admin,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: u64,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub verified: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderStatus {
    Pending,
    Paid,
    Shipped,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub sku: String,
    pub qty: u32,
    pub unit_cents: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Order {
    pub id: u64,
    pub customer: u64,
    pub lines: Vec<Line>,
    pub status: OrderStatus,
}

impl Order {
    pub fn total_cents(&self) -> u64 {
        self.lines
            .iter()
            .map(|l| u64::from(l.qty) * l.unit_cents)
            .sum()
    }
}

/// The rules a stored user meets.
pub fn validate_user(user: &User) -> Result<(), String> {
    if user.id == 0 {
        return Err("id must be above zero".into());
    }
    match user.email.split_once('@') {
        Some((local, domain)) if !local.is_empty() && domain.contains('.') => {}
        _ => return Err(format!("{:?} is not an e-mail address", user.email)),
    }
    if user.name.trim().is_empty() {
        return Err("name is empty".into());
    }
    Ok(())
}

/// The rules a stored order meets.
pub fn validate_order(order: &Order) -> Result<(), String> {
    if order.id == 0 || order.customer == 0 {
        return Err("ids must be above zero".into());
    }
    if order.lines.is_empty() {
        return Err("an order has at least one line".into());
    }
    for line in &order.lines {
        if line.sku.is_empty() || line.qty == 0 || line.unit_cents == 0 {
            return Err(format!("bad line {line:?}"));
        }
    }
    Ok(())
}

/// An order ships when it is paid and its customer verified their e-mail.
pub fn can_ship(order: &Order, customer: &User) -> bool {
    order.customer == customer.id && order.status == OrderStatus::Paid && customer.verified
}
