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
    /// How many entries the buckets' lists hold.
    listed: usize,
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
            listed: 0,
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
        self.listed = 0;
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
            self.listed += 1;
        } else {
            self.beyond.push(e);
        }
    }

    /// Takes the least entry if its key is less than `limit` (moving on to
    /// the next bucket that holds entries when the current one is drained).
    pub(super) fn pop_before(&mut self, limit: Key) -> Option<Entry<E>> {
        if self.now.v.is_empty() {
            self.advance();
        }
        if self.now.peek_key().is_some_and(|k| k < limit) {
            self.now.pop()
        } else {
            None
        }
    }

    fn advance(&mut self) {
        // With nothing listed, the calendar waits where it is (the entries
        // pushed later go to their buckets, or to `now` up to `cur`).
        if self.listed == 0 && self.beyond.v.is_empty() {
            return;
        }
        while self.cur + 1 < self.heads.len() {
            self.cur += 1;
            let mut s = std::mem::replace(&mut self.heads[self.cur], NIL);
            if s == NIL {
                continue;
            }
            while s != NIL {
                let slot = &mut self.slots[s as usize];
                self.now.v.push(slot.entry);
                self.listed -= 1;
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

#[cfg(test)]
mod tests {
    use super::super::heap::key;
    use super::*;

    /// The least entry, whatever its key.
    fn pop(c: &mut Calendar<u64>) -> Option<u64> {
        c.pop_before(Key::LAST).map(|e| e.event)
    }

    fn entry(time: Millis, seq: u64) -> Entry<u64> {
        Entry {
            key: key(time, seq),
            event: seq,
        }
    }

    /// An empty calendar asked for its least entry stays at its bucket:
    /// entries pushed later still go to their own buckets, not all to the
    /// heap (as they would once it had run past its last bucket).
    #[test]
    fn an_empty_calendar_waits_at_its_bucket() {
        let mut c = Calendar::new();
        c.restart(999, 10);
        assert_eq!(pop(&mut c), None);
        assert_eq!(c.cur, 0);
        c.push(550, entry(550, 0));
        c.push(250, entry(250, 1));
        assert_eq!((c.listed, c.now.v.len()), (2, 0));
        assert_eq!(pop(&mut c), Some(1));
        assert_eq!(c.cur, 2);
        assert_eq!(pop(&mut c), Some(0));
        assert_eq!(pop(&mut c), None);
        assert_eq!(c.cur, 5);
        c.push(990, entry(990, 2));
        assert_eq!(c.listed, 1);
        assert_eq!(pop(&mut c), Some(2));
    }
}
