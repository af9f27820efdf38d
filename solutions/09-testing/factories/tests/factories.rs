//! The shipped tests of the factories (src/factories.rs). They run as
//! shipped: `serverlings check factories` uses the original of this file
//! even if you edit it. Make them pass by writing the factories.

use std::collections::HashSet;

use factories::factories::{OrderFactory, UserFactory};
use factories::{OrderStatus, Role, can_ship, validate_order, validate_user};

#[test]
fn a_default_user_is_valid_verified_and_a_member() {
    let user = UserFactory::new().build();
    assert_eq!(validate_user(&user), Ok(()), "{user:?}");
    assert_eq!(user.role, Role::Member);
    assert!(user.verified);
}

#[test]
fn users_never_share_an_id_or_an_email() {
    let users = UserFactory::build_many(50);
    assert_eq!(users.len(), 50);
    let ids: HashSet<_> = users.iter().map(|u| u.id).collect();
    let emails: HashSet<_> = users.iter().map(|u| u.email.clone()).collect();
    assert_eq!((ids.len(), emails.len()), (50, 50));
    assert!(users.iter().all(|u| validate_user(u).is_ok()));
}

#[test]
fn unique_across_threads_too() {
    let handles: Vec<_> = (0..4)
        .map(|_| std::thread::spawn(|| UserFactory::build_many(100)))
        .collect();
    let ids: HashSet<u64> = handles
        .into_iter()
        .flat_map(|h| h.join().unwrap())
        .map(|u| u.id)
        .collect();
    assert_eq!(ids.len(), 400);
}

#[test]
fn an_override_changes_that_field_only() {
    let base = UserFactory::new().build();
    let admin = UserFactory::new().admin().build();
    assert_eq!(admin.role, Role::Admin);
    assert!(admin.verified);
    assert_ne!(admin.id, base.id);
    let pending = UserFactory::new().unverified().name("Grace").build();
    assert!(!pending.verified);
    assert_eq!(pending.name, "Grace");
    assert_eq!(pending.role, Role::Member);
    assert_eq!(validate_user(&pending), Ok(()));
    let named = UserFactory::new().email("ada@example.test").build();
    assert_eq!(named.email, "ada@example.test");
    assert!(validate_user(&named).is_ok());
}

#[test]
fn a_default_order_is_valid_pending_and_belongs_to_its_customer() {
    let user = UserFactory::new().build();
    let order = OrderFactory::for_user(&user).build();
    assert_eq!(validate_order(&order), Ok(()), "{order:?}");
    assert_eq!(order.customer, user.id);
    assert_eq!(order.status, OrderStatus::Pending);
    assert_eq!(order.lines.len(), 1);
    let other = OrderFactory::for_user(&user).build();
    assert_ne!(order.id, other.id);
}

#[test]
fn the_first_line_replaces_the_default_and_later_ones_add() {
    let user = UserFactory::new().build();
    let one = OrderFactory::for_user(&user).line("tea", 3, 250).build();
    assert_eq!(one.lines.len(), 1);
    assert_eq!((one.lines[0].sku.as_str(), one.total_cents()), ("tea", 750));
    let two = OrderFactory::for_user(&user)
        .line("tea", 3, 250)
        .line("cup", 2, 1200)
        .build();
    assert_eq!(two.lines.len(), 2);
    assert_eq!(two.total_cents(), 3150);
    assert!(validate_order(&two).is_ok());
}

#[test]
fn the_factories_make_the_shipping_rule_easy_to_read() {
    let verified = UserFactory::new().build();
    let pending = UserFactory::new().unverified().build();
    assert!(can_ship(
        &OrderFactory::for_user(&verified).paid().build(),
        &verified
    ));
    assert!(!can_ship(
        &OrderFactory::for_user(&verified).build(),
        &verified
    ));
    assert!(!can_ship(
        &OrderFactory::for_user(&verified).shipped().build(),
        &verified
    ));
    assert!(!can_ship(
        &OrderFactory::for_user(&pending).paid().build(),
        &pending
    ));
    assert!(!can_ship(
        &OrderFactory::for_user(&verified).paid().build(),
        &pending
    ));
}
