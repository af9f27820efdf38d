//! The message log behind the feed. Given.
//!
//! Every message gets the next id (1, 2, 3, ...). The log keeps them all
//! (a real one keeps the last hours, in a database), so a client that
//! reconnects can get what it missed, and a broadcast channel tells the
//! open streams about each new one as it is published.

use std::sync::{Mutex, MutexGuard, PoisonError};

use tokio::sync::broadcast;

/// A message and its id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub id: u64,
    pub text: String,
}

#[derive(Debug)]
pub struct Feed {
    log: Mutex<Vec<Message>>,
    live: broadcast::Sender<Message>,
}

impl Default for Feed {
    fn default() -> Self {
        // A stream that falls more than 256 messages behind gets `Lagged`
        // and must catch up from the log.
        let (live, _) = broadcast::channel(256);
        Feed {
            log: Mutex::new(Vec::new()),
            live,
        }
    }
}

impl Feed {
    /// Appends a message to the log, tells every subscriber, and returns
    /// its id.
    pub fn publish(&self, text: &str) -> u64 {
        let mut log = self.lock();
        let message = Message {
            id: log.len() as u64 + 1,
            text: text.to_string(),
        };
        log.push(message.clone());
        // Sent while the log is locked, so subscribers see ids in order.
        // No subscriber is not an error.
        let _ = self.live.send(message.clone());
        message.id
    }

    /// The messages with an id above `after`, oldest first.
    pub fn since(&self, after: u64) -> Vec<Message> {
        let log = self.lock();
        let start = usize::try_from(after).unwrap_or(usize::MAX).min(log.len());
        log[start..].to_vec()
    }

    /// A receiver of every message published from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<Message> {
        self.live.subscribe()
    }

    fn lock(&self) -> MutexGuard<'_, Vec<Message>> {
        self.log.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
