//! The event queue: events in order of (time, insertion sequence), so that
//! events at equal times run in the order they were scheduled; an entry can
//! be cancelled by the key its `push` returned (a tombstone, skipped when it
//! reaches the front).

use rampart_model::Millis;

/// Names one scheduled entry, for [`EventQueue::cancel`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct EventKey {
    seq: u64,
}

mod calendar;
mod heap;

use calendar::Calendar;
use heap::{Entry, Key, key, unkey};

/// A priority queue of events by (time, insertion sequence).
///
/// Entries wait in a calendar (`calendar.rs`): buckets of time, each a
/// plain list until its turn comes, when it becomes a small heap. The
/// entries given at the start (`restart`, the night's launches) take the
/// first sequence numbers and stay out of the calendar, in their sorted
/// list, taken in turn. One *deferred* entry (`defer`, the next decision
/// epoch), at most one at a time, stays out of it too. The order is that
/// of (time, sequence) whatever the source.
#[derive(Debug)]
pub(crate) struct EventQueue<E> {
    calendar: Calendar<E>,
    next_seq: u64,
    /// One bit per sequence number: cancelled.
    cancelled: Vec<u64>,
    /// The entries given at the start, sorted there (a buffer kept): they
    /// stay out of the calendar, taken in turn from `next_sorted` on (their
    /// sequence numbers are their places here).
    sorted: Vec<(Millis, E)>,
    next_sorted: usize,
    deferred: Option<Entry<E>>,
}

impl<E: Copy> EventQueue<E> {
    /// An empty queue (`restart` starts a run).
    pub(crate) fn new() -> Self {
        EventQueue {
            calendar: Calendar::new(),
            next_seq: 0,
            cancelled: Vec::new(),
            sorted: Vec::new(),
            next_sorted: 0,
            deferred: None,
        }
    }

    /// Empties the queue for a new run, keeping its buffers, and starts it
    /// with `sorted`, scheduled in time order (a stable sort) before
    /// anything pushed later. Most entries are expected at times up to
    /// `horizon` (later ones cost a little more).
    pub(crate) fn restart(
        &mut self,
        sorted: impl IntoIterator<Item = (Millis, E)>,
        horizon: Millis,
    ) {
        self.cancelled.clear();
        self.sorted.clear();
        self.sorted.extend(sorted);
        self.sorted.sort_by_key(|&(t, _)| t);
        // About four buckets per entry given now (a night's launches): a
        // few entries per bucket.
        let buckets = (4 * self.sorted.len()).clamp(64, 1 << 16);
        self.calendar.restart(horizon, buckets);
        self.next_sorted = 0;
        self.next_seq = self.sorted.len() as u64;
        self.deferred = None;
    }

    /// Schedules `event` at `time` as `push` would, outside the calendar:
    /// at most one deferred entry is held; a new one replaces the old.
    pub(crate) fn defer(&mut self, time: Millis, event: E) {
        let seq = self.next_seq;
        self.next_seq += 1;
        self.deferred = Some(Entry {
            key: key(time, seq),
            event,
        });
    }

    /// Schedules `event` at `time`, after every entry already at `time`.
    pub(crate) fn push(&mut self, time: Millis, event: E) -> EventKey {
        let seq = self.next_seq;
        self.next_seq += 1;
        self.calendar.push(
            time,
            Entry {
                key: key(time, seq),
                event,
            },
        );
        EventKey { seq }
    }

    /// Reserves `n` sequence numbers for entries pushed later with
    /// `push_reserved`: they keep their place among entries at equal times
    /// as if pushed now. Returns the first.
    pub(crate) fn reserve(&mut self, n: u64) -> u64 {
        let first = self.next_seq;
        self.next_seq += n;
        first
    }

    /// Schedules `event` at `time` with a sequence number from `reserve`.
    /// It must be pushed before anything later than it in (time, sequence)
    /// order is popped.
    pub(crate) fn push_reserved(&mut self, time: Millis, seq: u64, event: E) {
        debug_assert!(seq < self.next_seq);
        self.calendar.push(
            time,
            Entry {
                key: key(time, seq),
                event,
            },
        );
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
        loop {
            // The earliest of the three sources by (time, seq): the
            // calendar's if it is before both others (keys are unique).
            let given = self
                .sorted
                .get(self.next_sorted)
                .map_or(Key::LAST, |&(t, _)| key(t, self.next_sorted as u64));
            let deferred = self.deferred.as_ref().map_or(Key::LAST, |e| e.key);
            if let Some(e) = self.calendar.pop_before(given.min(deferred)) {
                let (t, seq) = unkey(e.key);
                if self.is_cancelled(seq) {
                    continue;
                }
                return Some((t, e.event));
            }
            if given < deferred {
                let (t, event) = self.sorted[self.next_sorted];
                self.next_sorted += 1;
                return Some((t, event));
            }
            let e = self.deferred.take()?;
            return Some((unkey(e.key).0, e.event));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A queue started with `sorted`, its calendar spanning `0..=horizon`.
    fn queue<E: Copy>(sorted: Vec<(Millis, E)>, horizon: Millis) -> EventQueue<E> {
        let mut q = EventQueue::new();
        q.restart(sorted, horizon);
        q
    }

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

    /// An entry pushed later with a reserved number pops as if pushed then.
    #[test]
    fn reserved_entries_keep_their_place() {
        let mut q = EventQueue::new();
        q.push(5, "a");
        let r = q.reserve(2);
        q.push(5, "c");
        q.push_reserved(5, r + 1, "b2");
        q.push_reserved(5, r, "b1");
        assert_eq!(
            drain(&mut q),
            vec![(5, "a"), (5, "b1"), (5, "b2"), (5, "c")]
        );
    }

    /// Sorted entries come first at equal times, then pushes in order; a
    /// deferred entry takes its place by its own sequence number.
    #[test]
    fn sorted_and_deferred_entries_keep_insertion_order() {
        let mut q = queue(vec![(1, "s1"), (2, "s2"), (4, "s4")], 4);
        q.push(2, "p2");
        q.defer(2, "d2");
        q.push(2, "p2b");
        q.push(1, "p1");
        assert_eq!(q.pop(), Some((1, "s1")));
        assert_eq!(q.pop(), Some((1, "p1")));
        assert_eq!(q.pop(), Some((2, "s2")));
        assert_eq!(q.pop(), Some((2, "p2")));
        assert_eq!(q.pop(), Some((2, "d2")));
        // Deferred again, later in the same instant than p2b.
        q.defer(2, "d2b");
        assert_eq!(q.pop(), Some((2, "p2b")));
        assert_eq!(q.pop(), Some((2, "d2b")));
        assert_eq!(q.pop(), Some((4, "s4")));
        assert_eq!(q.pop(), None);
    }

    /// A second night on the same queue starts afresh: its launches from
    /// the first, numbered from 0, nothing left of the night before.
    #[test]
    fn a_restart_forgets_the_last_night() {
        let mut q = queue(vec![(1, "a1"), (2, "a2")], 10);
        let k = q.push(3, "a3");
        q.cancel(k);
        q.push(4, "a4");
        assert_eq!(q.pop(), Some((1, "a1")));
        q.restart(vec![(2, "b2"), (1, "b1")], 10);
        q.push(1, "p1");
        assert_eq!(drain(&mut q), vec![(1, "b1"), (1, "p1"), (2, "b2")]);
        // The cancelled number 2 is a new entry's now: it pops.
        q.restart(vec![(0, "c0"), (0, "c0b")], 10);
        q.push(5, "c5");
        assert_eq!(drain(&mut q), vec![(0, "c0"), (0, "c0b"), (5, "c5")]);
    }

    /// Entries in later buckets and past the calendar's span take their
    /// place by (time, sequence) among the others, and can be cancelled.
    #[test]
    fn entries_across_buckets_keep_insertion_order() {
        // 64 buckets of 1 ms over 0..=63: 100 is past them.
        let mut q = queue(vec![(3, "s3")], 63);
        q.push(100, "past");
        let b = q.push(-2, "before");
        let a = q.push(9, "far9");
        q.push(9, "near9");
        q.push(3, "far3");
        q.push(1, "near1");
        let c = q.push(5, "far5");
        q.push(9, "far9b");
        q.cancel(c);
        q.cancel(b);
        assert_eq!(q.pop(), Some((1, "near1")));
        // Pushed once the calendar has moved on: before its bucket.
        q.push(0, "late0");
        q.push(100, "past2");
        assert_eq!(
            drain(&mut q),
            vec![
                (0, "late0"),
                (3, "s3"),
                (3, "far3"),
                (9, "far9"),
                (9, "near9"),
                (9, "far9b"),
                (100, "past"),
                (100, "past2")
            ]
        );
        q.cancel(a);
    }

    /// Negative, zero and large times keep their order once packed.
    #[test]
    fn packed_keys_order_as_time_then_sequence() {
        let cases = [
            (-5, 9),
            (-5, 10),
            (0, 0),
            (0, 1),
            (7, 0),
            (Millis::MAX - 1, 3),
        ];
        for w in cases.windows(2) {
            assert!(key(w[0].0, w[0].1) < key(w[1].0, w[1].1), "{w:?}");
        }
        for &(t, s) in &cases {
            assert_eq!(unkey(key(t, s)), (t, s));
        }
    }

    /// As a simulation uses it: entries given at the start (launches over
    /// the span, some at equal times), and each popped entry schedules a
    /// few later ones, some cancelled; against a sorted set of (time,
    /// sequence), with calendars from one bucket to buckets narrower than
    /// the gaps, and entries past the calendar's span.
    #[test]
    fn interleaved_pushes_and_pops_follow_a_sorted_set() {
        for horizon in [0, 100, 5_000, 200_000, 10_000_000] {
            let mut x: u64 = 99;
            let mut rand = move || {
                x = x
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                x >> 33
            };
            let mut given: Vec<Millis> = (0..300)
                .map(|_| (rand() % (horizon as u64 + 1)) as Millis / 7 * 7)
                .collect();
            given.sort_unstable();
            // Given in time order, each carries its place: its sequence number.
            let given: Vec<(Millis, u64)> = given
                .into_iter()
                .enumerate()
                .map(|(k, t)| (t, k as u64))
                .collect();
            let mut q = queue(given.clone(), horizon);
            let mut oracle: std::collections::BTreeSet<(Millis, u64)> =
                given.iter().copied().collect();
            let mut seq = given.len() as u64;
            for t in [0, 0, 5] {
                q.push(t, seq);
                oracle.insert((t, seq));
                seq += 1;
            }
            let mut popped = 0;
            while let Some((t, e)) = q.pop() {
                let want = oracle.pop_first().expect("the oracle has it");
                assert_eq!((t, e), want, "horizon {horizon}");
                popped += 1;
                if popped < 5_000 {
                    for _ in 0..1 + rand() % 2 {
                        let later = t + (rand() % 4) as Millis * (rand() % 1000) as Millis;
                        let k = q.push(later, seq);
                        if rand() % 7 == 0 {
                            q.cancel(k);
                        } else {
                            oracle.insert((later, seq));
                        }
                        seq += 1;
                    }
                }
            }
            assert!(oracle.is_empty());
            assert!(popped > 1_000, "{popped}");
        }
    }

    /// Against a sorted list: a thousand pushes at few distinct times.
    #[test]
    fn pops_in_the_order_of_a_stable_sort() {
        for horizon in [0, 10, 1_000] {
            let mut q = queue(Vec::new(), horizon);
            let mut want = Vec::new();
            let mut x: u64 = 12345;
            for k in 0..1000u32 {
                x = x
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                let t = (x >> 58) as Millis - 8;
                q.push(t, k);
                want.push((t, k));
            }
            want.sort_by_key(|&(t, _)| t);
            let got: Vec<(Millis, u32)> = std::iter::from_fn(|| q.pop()).collect();
            assert_eq!(got, want, "horizon {horizon}");
        }
    }
}
