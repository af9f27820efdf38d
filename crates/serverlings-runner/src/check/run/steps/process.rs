//! Steps on the server's processes.

use super::super::Run;
use super::Answer;
use serverlings_core::response::Response;
use serverlings_core::spec::{SignalStep, Step};

impl Run<'_> {
    /// Start a process of `[serve] also` again after a kill.
    pub(super) async fn start_again(&mut self, role: &str) -> Answer {
        let result = match self.start_aux(role).await {
            Ok(Ok(())) => Ok((
                Response::default(),
                vec![format!("the {role} started again")],
            )),
            Ok(Err(f)) => Err(f),
            Err(e) => Err(self.infrastructure(e)),
        };
        (result, String::new())
    }

    /// Send a signal to the server and judge how it ends.
    pub(super) async fn signal(&mut self, sig: &SignalStep, step: &Step) -> Answer {
        let how = format!(
            "kill -{} <the server's pid>",
            sig.name.trim_start_matches("SIG")
        );
        (self.signal_step(sig, step).await, how)
    }
}
