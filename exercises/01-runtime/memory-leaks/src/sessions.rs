//! Sessions of anonymous visitors, in memory: a session id in a cookie,
//! the visit count and a cart here.
//!
//! Every visitor without a cookie gets a new session, and bots, load
//! balancers' health checks and load tests never send cookies back. A
//! store that only grows is a leak with a fuse: it holds a session per
//! request, for ever.
//!
//! ```text
//! by_id:    "4f1c.." -> Session { visits, last_seen, tick: 7, cart }
//!           "9a2b.." -> Session { ..., tick: 9 }
//! recency:  7 -> "4f1c..", 9 -> "9a2b.."     ordered by tick: the
//!                                           first is the least recently
//!                                           seen, evicted first
//! ```

use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, Instant};

/// What the store keeps per session.
#[derive(Debug)]
pub struct Session {
    pub visits: u64,
    pub last_seen: Instant,
    /// Its key in `Sessions::recency`.
    tick: u64,
    /// The visitor's cart, 4 KiB (a stand-in for the data real sessions
    /// carry: a user, a CSRF token, flash messages, a cart).
    pub cart: Vec<u8>,
}

/// Size of each session's cart, in bytes.
pub const CART_BYTES: usize = 4096;

#[derive(Debug)]
pub struct Sessions {
    /// The most sessions kept; past it the least recently seen goes.
    #[allow(dead_code)] // TODO(1) reads it
    capacity: usize,
    /// A session not seen for this long expires.
    #[allow(dead_code)] // TODO(2) reads it
    ttl: Duration,
    by_id: HashMap<String, Session>,
    /// Session ids by the tick of their last visit, oldest first.
    recency: BTreeMap<u64, String>,
    /// Increases on every insert and visit.
    clock: u64,
}

impl Sessions {
    pub fn new(capacity: usize, ttl: Duration) -> Sessions {
        Sessions {
            capacity,
            ttl,
            by_id: HashMap::new(),
            recency: BTreeMap::new(),
            clock: 0,
        }
    }

    /// How many sessions are kept.
    pub fn len(&self) -> usize {
        self.by_id.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_id.is_empty()
    }

    /// A visit with session id `id` (from the cookie, if any) at `now`:
    /// the session's visit count, and its id if a new one was started.
    pub fn visit(
        &mut self,
        id: Option<&str>,
        now: Instant,
        new_id: String,
    ) -> (u64, Option<String>) {
        if let Some(session) = id.and_then(|id| self.touch(id, now)) {
            session.visits += 1;
            return (session.visits, None);
        }
        let session = Session {
            visits: 1,
            last_seen: now,
            tick: 0,
            cart: vec![b'.'; CART_BYTES],
        };
        self.insert(new_id.clone(), session);
        (1, Some(new_id))
    }

    /// Stores a new session; past the capacity, the least recently seen
    /// sessions are evicted.
    fn insert(&mut self, id: String, mut session: Session) {
        self.clock += 1;
        session.tick = self.clock;
        self.recency.insert(self.clock, id.clone());
        if let Some(old) = self.by_id.insert(id, session) {
            // The same id twice (it cannot happen with random ids): forget
            // the old entry's place in the order.
            self.recency.remove(&old.tick);
        }
        // TODO(1): nothing ever leaves the store. It must never hold more
        // than `self.capacity` sessions: when it would, the session seen
        // least recently goes (a visitor who came back stays). A session
        // that goes leaves every structure that knew it, or the index is the
        // next leak.
    }

    /// The session `id`, marked as seen at `now`.
    fn touch(&mut self, id: &str, now: Instant) -> Option<&mut Session> {
        let session = self.by_id.get_mut(id)?;
        self.clock += 1;
        self.recency.remove(&session.tick);
        self.recency.insert(self.clock, id.to_string());
        session.tick = self.clock;
        session.last_seen = now;
        Some(session)
    }

    /// Removes the sessions not seen for `ttl` or longer; how many went.
    pub fn expire(&mut self, now: Instant) -> usize {
        // TODO(2): every session not seen for `self.ttl` or longer (as of
        // `now`) goes, from everywhere it is kept; return how many went. The
        // fresh ones stay. Called on every request: do not look at more
        // sessions than the ones that expire, and one more.
        let _ = now;
        0
    }
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, Instant};

    use super::Sessions;

    const HOUR: Duration = Duration::from_secs(3600);

    fn id(n: usize) -> String {
        format!("session-{n}")
    }

    #[test]
    fn a_known_id_counts_visits() {
        let mut sessions = Sessions::new(10, HOUR);
        let now = Instant::now();
        assert_eq!(sessions.visit(None, now, id(1)), (1, Some(id(1))));
        assert_eq!(sessions.visit(Some("session-1"), now, id(2)), (2, None));
        assert_eq!(
            sessions.visit(Some("unknown"), now, id(3)),
            (1, Some(id(3)))
        );
        assert_eq!(sessions.len(), 2);
    }

    #[test]
    fn the_store_never_holds_more_than_its_capacity() {
        let mut sessions = Sessions::new(100, HOUR);
        let now = Instant::now();
        for n in 0..1_000 {
            sessions.visit(None, now, id(n));
        }
        assert_eq!(
            sessions.len(),
            100,
            "TODO(1): 1000 new sessions in a store of capacity 100: evict the least \
             recently seen until there are 100 left"
        );
        assert_eq!(
            sessions.recency.len(),
            100,
            "TODO(1): `recency` must lose the evicted ids too, or it is the next leak"
        );
    }

    #[test]
    fn the_least_recently_seen_session_goes_first() {
        let mut sessions = Sessions::new(3, HOUR);
        let now = Instant::now();
        for n in 1..=3 {
            sessions.visit(None, now, id(n));
        }
        // Session 1 comes back: now session 2 is the least recently seen.
        assert_eq!(sessions.visit(Some("session-1"), now, id(99)).0, 2);
        sessions.visit(None, now, id(4));
        assert_eq!(
            sessions.visit(Some("session-1"), now, id(98)).0,
            3,
            "TODO(1): session 1 was seen recently; session 2 should have been evicted"
        );
        assert_eq!(
            sessions.visit(Some("session-2"), now, id(97)),
            (1, Some(id(97))),
            "TODO(1): session 2 was the least recently seen: evicted, a visit starts anew"
        );
    }

    #[test]
    fn idle_sessions_expire() {
        let mut sessions = Sessions::new(100, HOUR);
        let start = Instant::now();
        sessions.visit(None, start, id(1));
        sessions.visit(None, start, id(2));
        sessions.visit(None, start + HOUR / 2, id(3));
        // Session 2 comes back at 50 minutes: it is fresh again.
        sessions.visit(Some("session-2"), start + HOUR * 5 / 6, id(99));
        let expired = sessions.expire(start + HOUR + Duration::from_secs(1));
        assert_eq!(
            expired, 1,
            "TODO(2): one session (1) was idle for more than the TTL at 1 h 0 min 1 s"
        );
        assert_eq!(sessions.len(), 2, "TODO(2)");
        assert_eq!(sessions.recency.len(), 2, "TODO(2): `recency` too");
        assert_eq!(
            sessions.visit(Some("session-1"), start + HOUR * 2, id(4)).0,
            1
        );
    }

    #[test]
    fn nothing_expires_early() {
        let mut sessions = Sessions::new(100, HOUR);
        let start = Instant::now();
        sessions.visit(None, start, id(1));
        assert_eq!(sessions.expire(start + HOUR / 2), 0, "TODO(2)");
        assert_eq!(sessions.len(), 1);
    }
}
