//! A one-shot reply: a [`Sender`] that a callback can own, and a [`Reply`]
//! future that an async function can await. This is what
//! `tokio::sync::oneshot` does; here you write the future's half yourself.
//!
//! ```text
//!   async fn                                callback (another thread)
//!   ---------                               -------------------------
//!   reply.await
//!     poll: nothing yet, keep the Waker,
//!     return Pending  ------------------.
//!                                       |   sender.send(quote)
//!                                       '-- stores the value, calls
//!     poll again: the value is there,       waker.wake(): the runtime
//!     return Ready(Ok(quote))               schedules the task again
//! ```

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::task::{Context, Poll, Waker};

/// What the two halves share.
#[derive(Debug)]
struct Slot<T> {
    /// The value, once sent.
    value: Option<T>,
    /// Who to wake when the value arrives: the task that last polled.
    waker: Option<Waker>,
    /// The sender was dropped: no value will ever come.
    sender_gone: bool,
}

/// The sender was dropped without sending: the answer will never come.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Closed;

/// A connected pair: send once on one side, await on the other.
pub fn reply<T>() -> (Sender<T>, Reply<T>) {
    let slot = Arc::new(Mutex::new(Slot {
        value: None,
        waker: None,
        sender_gone: false,
    }));
    (
        Sender {
            slot: Arc::clone(&slot),
        },
        Reply { slot },
    )
}

/// The sending half. Given.
#[derive(Debug)]
pub struct Sender<T> {
    slot: Arc<Mutex<Slot<T>>>,
}

impl<T> Sender<T> {
    /// Stores the value and wakes the task waiting for it, if any. Sending
    /// to a `Reply` that was dropped (the caller gave up) is not an error:
    /// the value is simply dropped too.
    pub fn send(self, value: T) {
        {
            let mut slot = lock(&self.slot);
            slot.value = Some(value);
            if let Some(waker) = slot.waker.take() {
                waker.wake();
            }
        }
        // `self` is dropped here, which marks the sender gone: harmless,
        // since `poll` looks at the value first.
    }
}

impl<T> Drop for Sender<T> {
    fn drop(&mut self) {
        let mut slot = lock(&self.slot);
        slot.sender_gone = true;
        // Wake the waiting task, or it would wait forever for a value that
        // cannot come.
        if let Some(waker) = slot.waker.take() {
            waker.wake();
        }
    }
}

/// The receiving half: a future of the value, or of [`Closed`].
#[derive(Debug)]
pub struct Reply<T> {
    slot: Arc<Mutex<Slot<T>>>,
}

impl<T> Future for Reply<T> {
    type Output = Result<T, Closed>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        // TODO(1): the three states of the shared slot (`lock(&self.slot)`):
        // a value has arrived (hand it out, once), the sender is gone
        // without sending (`Closed`), or not yet. "Not yet" must leave a
        // way back: `send` and the sender's drop wake whatever waker the
        // slot holds, and a future that returns `Pending` with no waker
        // stored is never polled again.
        let _ = (cx, &self.slot);
        todo!("TODO(1): poll the Reply")
    }
}

fn lock<T>(slot: &Mutex<Slot<T>>) -> MutexGuard<'_, Slot<T>> {
    // Nothing here can leave the slot half-written: keep using it.
    slot.lock().unwrap_or_else(PoisonError::into_inner)
}
