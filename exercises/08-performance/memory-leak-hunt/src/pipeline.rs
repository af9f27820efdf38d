//! The event pipeline: handlers hand events to one shipper task, which
//! sends them to a slow sink; each accepted event has a delivery deadline.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use axum::body::Bytes;
use tokio::sync::mpsc;

/// At most this many events may wait for the shipper.
#[allow(dead_code)] // TODO(1) uses it
pub const QUEUE_CAPACITY: usize = 1024;
/// An event not shipped within this is reported late.
pub const DEADLINE: Duration = Duration::from_secs(30);

pub struct Event {
    pub payload: Bytes,
    /// Set when the event has been shipped.
    pub shipped: Arc<AtomicBool>,
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
    #[allow(dead_code)] // TODO(1) uses it
    Busy,
    /// The shipper is gone (shutting down).
    Closed,
}

#[derive(Clone)]
pub struct Pipeline {
    // TODO(1): the shipper takes about a millisecond per event; clients can
    // send far more than that. Whatever waits here is memory. At most
    // QUEUE_CAPACITY events may wait; `submit` refuses the rest at once
    // with `Refused::Busy` (the handler answers 503 with Retry-After), and
    // `refused` counts them.
    queue: mpsc::UnboundedSender<Event>,
    pub counters: Arc<Counters>,
}

impl Pipeline {
    /// Starts the shipper task and returns the handle the handlers use.
    pub fn start() -> Self {
        let (queue, events) = mpsc::unbounded_channel();
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
        let shipped = Arc::new(AtomicBool::new(false));
        let event = Event {
            payload: payload.clone(),
            shipped: shipped.clone(),
        };
        if self.queue.send(event).is_err() {
            return Err(Refused::Closed);
        }
        let id = self.counters.accepted.fetch_add(1, Ordering::Relaxed) + 1;
        // TODO(2): every accepted event gets a watcher that reports it if
        // it is not shipped within DEADLINE. This one lives the whole
        // DEADLINE whether the event was shipped after a millisecond or
        // not, and keeps the payload alive all that time. A watcher must
        // end as soon as its event is shipped, and hold no payload.
        tokio::spawn(async move {
            tokio::time::sleep(DEADLINE).await;
            if !shipped.load(Ordering::Relaxed) {
                eprintln!(
                    "event {id} late: {} bytes not shipped within {DEADLINE:?}",
                    payload.len()
                );
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

async fn ship_all(mut events: mpsc::UnboundedReceiver<Event>, counters: Arc<Counters>) {
    while let Some(event) = events.recv().await {
        ship(&event).await;
        counters.shipped.fetch_add(1, Ordering::Relaxed);
        event.shipped.store(true, Ordering::Relaxed);
    }
}
