//! # dependency-injection: ports, adapters and a composition root
//!
//! A signup service with a free trial. The server (`127.0.0.1:$PORT`):
//! - `POST /signups` `{"email"}` → 201 `{"id", "email", "trial_ends_at"
//!   (RFC 3339), "welcome_sent"}`, after storing the user and sending a
//!   welcome mail; 409 when the email has signed up already (no mail
//!   then), 422 when it is not an address
//! - `GET /signups/{id}` → 200 `{"id", "email", "trial_active",
//!   "days_left"}` (whole days, rounded up; 0 once over), or 404
//!
//! Configuration: `TRIAL_DAYS` (14 by default) and `MAIL_URL`, a mail API
//! that takes `POST {MAIL_URL}/messages` with `{"to", "subject", "text"}`
//! and answers 2xx when it accepts the mail. Without `MAIL_URL`, mail is
//! printed. A mail API that fails does not lose the signup:
//! `welcome_sent` is then false.
//!
//! The layout is the point of the exercise:
//!
//! ```text
//! ports.rs     the traits the service needs: Clock, Mailer, Users
//! service.rs   the rules, using only the ports it is given (Deps)
//! adapters.rs  real implementations: SystemClock, HttpMailer, LogMailer,
//!              InMemoryUsers
//! app.rs       the routes, and compose(): the composition root
//! tests/       the service and the routes on fakes (a clock the test
//!              sets, a mailer that records, one that fails)
//! ```
//!
//! What to do: `TODO(1)` in `service.rs` makes the service use what it is
//! given instead of reaching for the system clock, a global and stdout;
//! `TODO(2)` in `adapters.rs` writes the HTTP mail adapter; `TODO(3)` in
//! `app.rs` wires the adapters from the configuration.
//!
//! Checked by: the tests in `tests/signups.rs`, run as shipped (do not
//! edit them), then the server is started with a random `TRIAL_DAYS` and a
//! mail API the checker serves, and the routes above are probed; the
//! checker also counts the mails the API received.

use dependency_injection::app;

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let config = app::Config::from_env();
    let port = std::env::var("PORT").unwrap_or_else(|_| "8080".to_string());
    let listener = tokio::net::TcpListener::bind(format!("127.0.0.1:{port}")).await?;
    println!("listening on {}", listener.local_addr()?);
    axum::serve(listener, app::compose(&config)).await
}
