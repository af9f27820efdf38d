//! Rooms: one broadcast channel per room name, created on first join and
//! removed when the last member leaves.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use tokio::sync::broadcast;

/// How many messages a slow member may fall behind before it misses some.
pub const ROOM_CAPACITY: usize = 64;

/// One message, as it goes to the room.
#[derive(Clone, Debug)]
pub struct Chat {
    /// The connection that sent it.
    pub from: u64,
    /// Ready to send: `{name}: {text}`.
    pub text: String,
}

#[derive(Clone, Default)]
pub struct Rooms {
    rooms: Arc<Mutex<HashMap<String, broadcast::Sender<Chat>>>>,
    last_id: Arc<AtomicU64>,
}

impl Rooms {
    fn lock(&self) -> MutexGuard<'_, HashMap<String, broadcast::Sender<Chat>>> {
        self.rooms
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// A new connection id.
    pub fn next_id(&self) -> u64 {
        self.last_id.fetch_add(1, Ordering::Relaxed) + 1
    }

    /// The sender of `room`, created if the room does not exist yet.
    pub fn join(&self, room: &str) -> broadcast::Sender<Chat> {
        // TODO(2): every member of one room must share one channel: the
        // first to join creates it (holding ROOM_CAPACITY messages), the
        // others get the same one. Members subscribe to the sender you
        // return; the map keeps the room alive meanwhile.
        todo!("TODO(2): find or create the room {room:?}")
    }

    /// Called when a member left: forget the room once nobody is in it,
    /// or the map grows with every room name ever used.
    pub fn leave(&self, room: &str) {
        let mut rooms = self.lock();
        if rooms.get(room).is_some_and(|tx| tx.receiver_count() == 0) {
            rooms.remove(room);
        }
    }
}
