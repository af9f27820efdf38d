//! A doubly linked list whose nodes live in a `Vec` and link by index:
//! O(1) push, unlink and pop, no `unsafe`, no `Rc<RefCell<_>>`. Freed
//! slots are reused. Both caches build on it (given).

pub const NIL: usize = usize::MAX;

#[derive(Debug)]
pub struct Node<T> {
    pub item: T,
    pub prev: usize,
    pub next: usize,
}

/// The slots, shared by every list that links through them.
#[derive(Debug)]
pub struct Slab<T> {
    nodes: Vec<Option<Node<T>>>,
    free: Vec<usize>,
}

impl<T> Slab<T> {
    pub fn new() -> Self {
        Slab {
            nodes: Vec::new(),
            free: Vec::new(),
        }
    }

    /// Stores `item` in a free slot, linked to nothing yet.
    pub fn alloc(&mut self, item: T) -> usize {
        let node = Some(Node {
            item,
            prev: NIL,
            next: NIL,
        });
        match self.free.pop() {
            Some(i) => {
                self.nodes[i] = node;
                i
            }
            None => {
                self.nodes.push(node);
                self.nodes.len() - 1
            }
        }
    }

    /// Frees slot `i` (already unlinked) and returns its item.
    pub fn release(&mut self, i: usize) -> T {
        let node = self.nodes[i].take().expect("a live slot");
        self.free.push(i);
        node.item
    }

    pub fn get(&self, i: usize) -> &Node<T> {
        self.nodes[i].as_ref().expect("a live slot")
    }

    pub fn get_mut(&mut self, i: usize) -> &mut Node<T> {
        self.nodes[i].as_mut().expect("a live slot")
    }
}

/// The two ends of one list; `front` is the newest.
#[derive(Debug, Clone, Copy)]
pub struct Ends {
    pub front: usize,
    pub back: usize,
}

impl Ends {
    pub const EMPTY: Ends = Ends {
        front: NIL,
        back: NIL,
    };

    pub fn is_empty(&self) -> bool {
        self.front == NIL
    }

    /// Links slot `i` at the front.
    pub fn push_front<T>(&mut self, slab: &mut Slab<T>, i: usize) {
        let old = self.front;
        {
            let n = slab.get_mut(i);
            n.prev = NIL;
            n.next = old;
        }
        if old == NIL {
            self.back = i;
        } else {
            slab.get_mut(old).prev = i;
        }
        self.front = i;
    }

    /// Takes slot `i` out of this list (it stays allocated).
    pub fn unlink<T>(&mut self, slab: &mut Slab<T>, i: usize) {
        let (prev, next) = {
            let n = slab.get(i);
            (n.prev, n.next)
        };
        if prev == NIL {
            self.front = next;
        } else {
            slab.get_mut(prev).next = next;
        }
        if next == NIL {
            self.back = prev;
        } else {
            slab.get_mut(next).prev = prev;
        }
        let n = slab.get_mut(i);
        n.prev = NIL;
        n.next = NIL;
    }

    /// Walks from the front, newest first.
    pub fn iter<'a, T>(&self, slab: &'a Slab<T>) -> impl Iterator<Item = &'a T> + 'a {
        let mut at = self.front;
        std::iter::from_fn(move || {
            if at == NIL {
                return None;
            }
            let n = slab.get(at);
            at = n.next;
            Some(&n.item)
        })
    }
}
