//! The service and the routes, run on fakes: a clock the test sets, a
//! mailer that records, a mailer that fails. No network, no waiting.
//! These tests ship with the exercise and are run as shipped: make them
//! pass by changing src/, not this file.

use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use chrono::{DateTime, TimeDelta, Utc};
use tower::ServiceExt;

use dependency_injection::adapters::InMemoryUsers;
use dependency_injection::app;
use dependency_injection::ports::{Clock, Deps, Mail, MailError, Mailer};
use dependency_injection::service::{SignupError, Signups};

/// A clock that says what the test tells it.
struct FakeClock(Mutex<DateTime<Utc>>);

impl FakeClock {
    fn at(rfc3339: &str) -> Arc<FakeClock> {
        let t = DateTime::parse_from_rfc3339(rfc3339).unwrap().to_utc();
        Arc::new(FakeClock(Mutex::new(t)))
    }
    fn advance(&self, by: TimeDelta) {
        *self.0.lock().unwrap() += by;
    }
}

impl Clock for FakeClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().unwrap()
    }
}

/// Keeps every mail instead of sending it.
#[derive(Default)]
struct RecordingMailer(Mutex<Vec<Mail>>);

#[async_trait]
impl Mailer for RecordingMailer {
    async fn send(&self, mail: &Mail) -> Result<(), MailError> {
        self.0.lock().unwrap().push(mail.clone());
        Ok(())
    }
}

/// A mail API that is down.
struct FailingMailer;

#[async_trait]
impl Mailer for FailingMailer {
    async fn send(&self, _mail: &Mail) -> Result<(), MailError> {
        Err(MailError("503 from the mail API".into()))
    }
}

fn service(clock: Arc<FakeClock>, mailer: Arc<dyn Mailer>, days: u32) -> Signups {
    let deps = Deps {
        clock,
        mailer,
        users: Arc::new(InMemoryUsers::default()),
    };
    Signups::new(deps, days)
}

const TODO1: &str = "TODO(1) in src/service.rs: sign_up and status must use the injected \
                     clock, mailer and users (self.deps), not the system clock, stdout or a \
                     global";

#[tokio::test]
async fn the_trial_ends_trial_days_after_now_on_the_injected_clock() {
    let clock = FakeClock::at("2030-03-01T12:00:00Z");
    let signups = service(clock, Arc::new(RecordingMailer::default()), 14);
    let signup = signups.sign_up("ada@example.test").await.expect(TODO1);
    assert_eq!(
        signup.trial_ends_at.to_rfc3339(),
        "2030-03-15T12:00:00+00:00",
        "{TODO1}"
    );
}

#[tokio::test]
async fn days_left_follow_the_clock() {
    let clock = FakeClock::at("2030-03-01T12:00:00Z");
    let signups = service(clock.clone(), Arc::new(RecordingMailer::default()), 14);
    let id = signups.sign_up("ada@example.test").await.expect(TODO1).id;
    let status = signups.status(id).await.expect(TODO1);
    assert_eq!(
        (status.trial_active, status.days_left),
        (true, 14),
        "{TODO1}"
    );

    clock.advance(TimeDelta::days(3) + TimeDelta::hours(1));
    let status = signups.status(id).await.expect(TODO1);
    assert_eq!(
        status.days_left, 11,
        "10 days and 23 hours left round up to 11; {TODO1}"
    );

    clock.advance(TimeDelta::days(11));
    let status = signups.status(id).await.expect(TODO1);
    assert_eq!(
        (status.trial_active, status.days_left),
        (false, 0),
        "{TODO1}"
    );
}

#[tokio::test]
async fn the_welcome_mail_goes_through_the_injected_mailer() {
    let mailer = Arc::new(RecordingMailer::default());
    let signups = service(FakeClock::at("2030-03-01T12:00:00Z"), mailer.clone(), 14);
    let signup = signups.sign_up("grace@example.test").await.expect(TODO1);
    assert!(signup.welcome_sent);
    let sent = mailer.0.lock().unwrap().clone();
    assert_eq!(
        sent.len(),
        1,
        "one welcome mail through the Mailer; {TODO1}"
    );
    assert_eq!(sent[0].to, "grace@example.test");
}

#[tokio::test]
async fn a_failed_mail_keeps_the_signup() {
    let signups = service(
        FakeClock::at("2030-03-01T12:00:00Z"),
        Arc::new(FailingMailer),
        7,
    );
    let signup = signups.sign_up("ada@example.test").await.expect(TODO1);
    assert!(
        !signup.welcome_sent,
        "the mailer failed: welcome_sent is false; {TODO1}"
    );
    assert!(
        signups.status(signup.id).await.is_some(),
        "the user is kept anyway"
    );
}

#[tokio::test]
async fn each_service_has_its_own_users() {
    let clock = FakeClock::at("2030-03-01T12:00:00Z");
    let a = service(clock.clone(), Arc::new(RecordingMailer::default()), 14);
    let b = service(clock, Arc::new(RecordingMailer::default()), 14);
    let first = a.sign_up("linus@example.test").await;
    let second = b.sign_up("linus@example.test").await;
    assert_eq!(first.map(|s| s.id), Ok(1), "{TODO1}");
    assert_eq!(
        second.map(|s| s.id),
        Ok(1),
        "two services with two stores share nothing; {TODO1}"
    );
    assert_eq!(
        a.sign_up("LINUS@example.test").await.map(|s| s.id),
        Err(SignupError::AlreadySignedUp)
    );
}

#[tokio::test]
async fn the_routes_run_on_fakes_too() {
    let clock = FakeClock::at("2030-03-01T12:00:00Z");
    let signups = service(clock, Arc::new(RecordingMailer::default()), 30);
    let router = app::router(Arc::new(signups));
    let post = Request::post("/signups")
        .header("content-type", "application/json")
        .body(Body::from(r#"{"email":"ada@example.test"}"#))
        .unwrap();
    let response = router.clone().oneshot(post).await.unwrap();
    assert_eq!(response.status(), StatusCode::CREATED, "{TODO1}");
    let body = axum::body::to_bytes(response.into_body(), 1 << 16)
        .await
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(json["trial_ends_at"], "2030-03-31T12:00:00Z", "{TODO1}");

    let get = Request::get("/signups/1").body(Body::empty()).unwrap();
    let response = router.oneshot(get).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
}
