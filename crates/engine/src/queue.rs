//! The event queue: events in order of (time, insertion sequence), so that
//! events at equal times run in the order they were scheduled; an entry can
//! be cancelled by the key its `push` returned (a tombstone, skipped when it
//! reaches the front).

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use rampart_model::Millis;

/// Names one scheduled entry, for [`EventQueue::cancel`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct EventKey {
    seq: u64,
}

#[derive(Debug)]
struct Entry<E> {
    time: Millis,
    seq: u64,
    event: E,
}

impl<E> PartialEq for Entry<E> {
    fn eq(&self, other: &Self) -> bool {
        (self.time, self.seq) == (other.time, other.seq)
    }
}
impl<E> Eq for Entry<E> {}
impl<E> PartialOrd for Entry<E> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl<E> Ord for Entry<E> {
    /// Reversed: the heap's greatest entry is the earliest (time, seq).
    fn cmp(&self, other: &Self) -> Ordering {
        (other.time, other.seq).cmp(&(self.time, self.seq))
    }
}

/// A priority queue of events by (time, insertion sequence).
#[derive(Debug)]
pub(crate) struct EventQueue<E> {
    heap: BinaryHeap<Entry<E>>,
    next_seq: u64,
    /// One bit per sequence number: cancelled.
    cancelled: Vec<u64>,
}

impl<E> EventQueue<E> {
    pub(crate) fn new() -> Self {
        EventQueue {
            heap: BinaryHeap::new(),
            next_seq: 0,
            cancelled: Vec::new(),
        }
    }

    /// Schedules `event` at `time`, after every entry already at `time`.
    pub(crate) fn push(&mut self, time: Millis, event: E) -> EventKey {
        let seq = self.next_seq;
        self.next_seq += 1;
        self.heap.push(Entry { time, seq, event });
        EventKey { seq }
    }

    /// Cancels a scheduled entry: it will not be popped. Cancelling an entry
    /// already popped does nothing.
    pub(crate) fn cancel(&mut self, key: EventKey) {
        let word = (key.seq / 64) as usize;
        if self.cancelled.len() <= word {
            self.cancelled.resize(word + 1, 0);
        }
        self.cancelled[word] |= 1 << (key.seq % 64);
    }

    fn is_cancelled(&self, seq: u64) -> bool {
        self.cancelled
            .get((seq / 64) as usize)
            .is_some_and(|w| w & (1 << (seq % 64)) != 0)
    }

    /// The earliest entry not cancelled, with its time.
    pub(crate) fn pop(&mut self) -> Option<(Millis, E)> {
        while let Some(e) = self.heap.pop() {
            if !self.is_cancelled(e.seq) {
                return Some((e.time, e.event));
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn drain(q: &mut EventQueue<&'static str>) -> Vec<(Millis, &'static str)> {
        std::iter::from_fn(|| q.pop()).collect()
    }

    #[test]
    fn earliest_first_and_insertion_order_at_equal_times() {
        let mut q = EventQueue::new();
        q.push(5, "c");
        q.push(1, "a");
        q.push(5, "d");
        q.push(1, "b");
        q.push(3, "x");
        assert_eq!(
            drain(&mut q),
            vec![(1, "a"), (1, "b"), (3, "x"), (5, "c"), (5, "d")]
        );
    }

    #[test]
    fn cancelled_entries_are_skipped() {
        let mut q = EventQueue::new();
        let a = q.push(1, "a");
        q.push(2, "b");
        let c = q.push(2, "c");
        q.cancel(a);
        q.cancel(c);
        assert_eq!(drain(&mut q), vec![(2, "b")]);
        // Cancelling what was already popped is harmless.
        q.cancel(a);
        q.push(0, "z");
        assert_eq!(drain(&mut q), vec![(0, "z")]);
    }

    /// Against a sorted list: a thousand pushes at few distinct times.
    #[test]
    fn pops_in_the_order_of_a_stable_sort() {
        let mut q = EventQueue::new();
        let mut want = Vec::new();
        let mut x: u64 = 12345;
        for k in 0..1000u32 {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let t = (x >> 60) as Millis;
            q.push(t, k);
            want.push((t, k));
        }
        want.sort_by_key(|&(t, _)| t);
        let got: Vec<(Millis, u32)> = std::iter::from_fn(|| q.pop()).collect();
        assert_eq!(got, want);
    }
}
