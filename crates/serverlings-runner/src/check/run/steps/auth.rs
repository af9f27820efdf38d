//! Steps of the checker's identity provider.

use super::super::Run;
use super::Answer;
use serverlings_core::outcome::Failure;
use serverlings_core::response::Response;

impl Run<'_> {
    /// A new signing key at the identity provider; the old one stays in the JWKS.
    pub(super) fn rotate_keys(&mut self) -> Answer {
        let result = match &self.oidc {
            Some(p) => Ok((
                Response::default(),
                vec![format!(
                    "new signing key {}; the old one stays in the JWKS",
                    p.rotate()
                )],
            )),
            None => Err(Failure::new("the identity provider is not running")),
        };
        (result, String::new())
    }
}
