//! A calendar of entries: time cut into buckets of equal width, each an
//! unsorted list, and only the bucket being drained kept as a heap.
//!
//! A push costs a division and a link; the heap holds one bucket's entries
//! instead of every entry of the night, so its pops are shallow. The lists
//! share one pool of slots (freed slots are reused first), so that a
//! bucket costs four bytes and the entries stay close in memory.
//! Entries come out in exactly the order of their keys (time, sequence):
//! every entry in the current bucket's heap is earlier than every entry in
//! a later bucket, and within the heap the key decides.

use rampart_model::Millis;

use super::heap::{Entry, Heap, Key};

/// No slot: the end of a list.
const NIL: u32 = u32::MAX;

#[derive(Debug, Clone, Copy)]
struct Slot<E> {
    entry: Entry<E>,
    /// The next slot of the same list (a bucket's, or the free list).
    next: u32,
}

#[derive(Debug)]
pub(super) struct Calendar<E> {
    /// Width of a bucket, ms (at least 1).
    width: u64,
    /// Per bucket, the first slot of its list: bucket `b` holds the entries
    /// with times in `[b * width, (b + 1) * width)`, unordered; those up to
    /// `cur` are empty.
    heads: Vec<u32>,
    slots: Vec<Slot<E>>,
    /// The first free slot.
    free: u32,
    /// The bucket being drained: its entries, and every entry pushed since
    /// for a time in it or before, are in `now`.
    cur: usize,
    now: Heap<E>,
    /// Entries past the last bucket. Once the buckets are drained they all
    /// move to `now` (and `cur` is `heads.len()`).
    beyond: Heap<E>,
}

impl<E: Copy> Calendar<E> {
    pub(super) fn new() -> Self {
        Calendar {
            width: 1,
            heads: Vec::new(),
            slots: Vec::new(),
            free: NIL,
            cur: 0,
            now: Heap { v: Vec::new() },
            beyond: Heap { v: Vec::new() },
        }
    }

    /// Empties the calendar, keeping its memory, with `buckets` buckets
    /// spanning times `0..=horizon` (earlier times go to the first bucket,
    /// later ones past the last: both still come out in order).
    pub(super) fn restart(&mut self, horizon: Millis, buckets: usize) {
        let buckets = buckets.max(1);
        let span = u64::try_from(horizon.max(0)).unwrap_or(0) + 1;
        self.width = span.div_ceil(buckets as u64).max(1);
        let used = span.div_ceil(self.width) as usize;
        self.heads.clear();
        self.heads.resize(used, NIL);
        self.slots.clear();
        self.free = NIL;
        self.cur = 0;
        self.now.v.clear();
        self.beyond.v.clear();
    }

    fn bucket_of(&self, time: Millis) -> usize {
        match u64::try_from(time) {
            Ok(t) => usize::try_from(t / self.width).unwrap_or(usize::MAX),
            Err(_) => 0,
        }
    }

    pub(super) fn push(&mut self, time: Millis, e: Entry<E>) {
        let b = self.bucket_of(time);
        if b <= self.cur || self.cur >= self.heads.len() {
            self.now.push(e);
        } else if b < self.heads.len() {
            let slot = Slot {
                entry: e,
                next: self.heads[b],
            };
            let s = if self.free != NIL {
                let s = self.free;
                self.free = self.slots[s as usize].next;
                self.slots[s as usize] = slot;
                s
            } else {
                self.slots.push(slot);
                (self.slots.len() - 1) as u32
            };
            self.heads[b] = s;
        } else {
            self.beyond.push(e);
        }
    }

    /// The least key, moving on to the next bucket that holds entries when
    /// the current one is drained.
    pub(super) fn peek_key(&mut self) -> Option<Key> {
        if self.now.v.is_empty() {
            self.advance();
        }
        self.now.peek_key()
    }

    /// Takes the least entry (after `peek_key` found one).
    pub(super) fn pop(&mut self) -> Option<Entry<E>> {
        if self.now.v.is_empty() {
            self.advance();
        }
        self.now.pop()
    }

    fn advance(&mut self) {
        while self.cur + 1 < self.heads.len() {
            self.cur += 1;
            let mut s = std::mem::replace(&mut self.heads[self.cur], NIL);
            if s == NIL {
                continue;
            }
            while s != NIL {
                let slot = &mut self.slots[s as usize];
                self.now.v.push(slot.entry);
                let next = std::mem::replace(&mut slot.next, self.free);
                self.free = s;
                s = next;
            }
            self.now.heapify();
            return;
        }
        // Every bucket is drained: what is left is past them.
        self.cur = self.heads.len();
        std::mem::swap(&mut self.now, &mut self.beyond);
    }
}
