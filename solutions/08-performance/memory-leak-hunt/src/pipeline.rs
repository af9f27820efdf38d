//! The event pipeline: handlers hand events to one shipper task, which
//! sends them to a slow sink; each accepted event has a delivery deadline.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use axum::body::Bytes;
use tokio::sync::{mpsc, oneshot};

/// At most this many events wait for the shipper.
pub const QUEUE_CAPACITY: usize = 1024;
/// An event not shipped within this is reported late.
pub const DEADLINE: Duration = Duration::from_secs(30);

pub struct Event {
    pub payload: Bytes,
    /// Told when the event has been shipped.
    pub shipped: oneshot::Sender<()>,
}

#[derive(Default)]
pub struct Counters {
    pub accepted: AtomicU64,
    pub shipped: AtomicU64,
    pub refused: AtomicU64,
}

/// Why an event was not taken.
#[derive(Debug, PartialEq, Eq)]
pub enum Refused {
    /// The queue is full: try again later.
    Busy,
    /// The shipper is gone (shutting down).
    Closed,
}

#[derive(Clone)]
pub struct Pipeline {
    // TODO(1), done: a bounded queue; a full one refuses at once.
    queue: mpsc::Sender<Event>,
    pub counters: Arc<Counters>,
}

impl Pipeline {
    /// Starts the shipper task and returns the handle the handlers use.
    pub fn start() -> Self {
        let (queue, events) = mpsc::channel(QUEUE_CAPACITY);
        let counters = Arc::new(Counters::default());
        tokio::spawn(ship_all(events, counters.clone()));
        Pipeline { queue, counters }
    }

    /// Events accepted and not shipped yet.
    pub fn queued(&self) -> u64 {
        let accepted = self.counters.accepted.load(Ordering::Relaxed);
        accepted.saturating_sub(self.counters.shipped.load(Ordering::Relaxed))
    }

    /// Queues one event and watches its deadline.
    pub fn submit(&self, payload: Bytes) -> Result<u64, Refused> {
        let (shipped, on_shipped) = oneshot::channel();
        match self.queue.try_send(Event { payload, shipped }) {
            Ok(()) => {}
            Err(mpsc::error::TrySendError::Full(_)) => {
                self.counters.refused.fetch_add(1, Ordering::Relaxed);
                return Err(Refused::Busy);
            }
            Err(mpsc::error::TrySendError::Closed(_)) => return Err(Refused::Closed),
        }
        let id = self.counters.accepted.fetch_add(1, Ordering::Relaxed) + 1;
        // TODO(2), done: the watcher ends as soon as the event is shipped
        // (or dropped), and holds nothing but the receiving end.
        tokio::spawn(async move {
            tokio::select! {
                _ = on_shipped => {}
                _ = tokio::time::sleep(DEADLINE) => eprintln!("event {id} late: not shipped within {DEADLINE:?}"),
            }
        });
        Ok(id)
    }
}

/// The sink (given): about a millisecond per event.
async fn ship(event: &Event) {
    let _ = event.payload.len();
    tokio::time::sleep(Duration::from_millis(1)).await;
}

async fn ship_all(mut events: mpsc::Receiver<Event>, counters: Arc<Counters>) {
    while let Some(event) = events.recv().await {
        ship(&event).await;
        counters.shipped.fetch_add(1, Ordering::Relaxed);
        let _ = event.shipped.send(());
    }
}
