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

/// (time, sequence) as a key whose order is theirs: the time with its sign
/// bit flipped (so that it orders as unsigned), then the sequence. Two
/// words, not a `u128`, so that an entry with an 8-byte event takes 24
/// bytes, not 32; compared as one `u128` (no branch between the words).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Key {
    time: u64,
    seq: u64,
}

impl Key {
    fn wide(self) -> u128 {
        (u128::from(self.time) << 64) | u128::from(self.seq)
    }
}

impl Ord for Key {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.wide().cmp(&other.wide())
    }
}

impl PartialOrd for Key {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

fn key(time: Millis, seq: u64) -> Key {
    Key {
        time: (time as u64) ^ (1 << 63),
        seq,
    }
}

fn unkey(k: Key) -> (Millis, u64) {
    ((k.time ^ (1 << 63)) as Millis, k.seq)
}

#[derive(Debug, Clone, Copy)]
struct Entry<E> {
    key: Key,
    event: E,
}

/// A 4-ary min-heap of entries by key: half the levels of a binary heap,
/// and the four children of a node side by side in memory.
#[derive(Debug)]
struct Heap<E> {
    v: Vec<Entry<E>>,
}

impl<E: Copy> Heap<E> {
    fn peek_key(&self) -> Option<Key> {
        self.v.first().map(|e| e.key)
    }

    /// Sifts the new entry up, moving parents down into the hole it leaves.
    fn push(&mut self, e: Entry<E>) {
        let mut k = self.v.len();
        self.v.push(e);
        while k > 0 {
            let parent = (k - 1) / 4;
            if self.v[parent].key <= e.key {
                break;
            }
            self.v[k] = self.v[parent];
            k = parent;
        }
        self.v[k] = e;
    }

    /// Takes the root. The hole it leaves goes down to a leaf along the
    /// least children, and the last entry sifts up from there (Floyd's
    /// bottom-up order: the last entry is a leaf's, so it seldom rises, and
    /// each level costs the children's comparisons only).
    fn pop(&mut self) -> Option<Entry<E>> {
        let last = self.v.pop()?;
        let v = self.v.as_mut_slice();
        let Some(&top) = v.first() else {
            return Some(last);
        };
        let n = v.len();
        let mut k = 0;
        loop {
            let first = 4 * k + 1;
            if first >= n {
                break;
            }
            let kids = &v[first..(first + 4).min(n)];
            let mut best = 0;
            let mut least = kids[0].key.wide();
            for (c, e) in kids.iter().enumerate().skip(1) {
                let w = e.key.wide();
                if w < least {
                    best = c;
                    least = w;
                }
            }
            v[k] = v[first + best];
            k = first + best;
        }
        while k > 0 {
            let parent = (k - 1) / 4;
            if v[parent].key <= last.key {
                break;
            }
            v[k] = v[parent];
            k = parent;
        }
        v[k] = last;
        Some(top)
    }
}

/// A priority queue of events by (time, insertion sequence).
///
/// Two kinds of entries stay out of the heap, in order and without its
/// cost: a sorted list given at the start (`with_sorted`, the night's
/// launches, which take the first sequence numbers), and one *deferred*
/// entry (`defer`, the next decision epoch), at most one at a time.
/// Entries pushed with `push_far` (a threat's arrival, for instance, due
/// hours ahead and often cancelled) wait in a heap of their own, so that
/// the busy heap of near events stays shallow. The order is the same.
#[derive(Debug)]
pub(crate) struct EventQueue<E> {
    heap: Heap<E>,
    far: Heap<E>,
    next_seq: u64,
    /// One bit per sequence number: cancelled.
    cancelled: Vec<u64>,
    /// Entries given in time order at the start: (time, event), sequence
    /// numbers 0, 1, ...; `sorted_next` is the first not yet popped.
    sorted: Vec<(Millis, E)>,
    sorted_next: usize,
    deferred: Option<Entry<E>>,
}

impl<E: Copy> EventQueue<E> {
    /// A queue that starts with `sorted` (in time order), scheduled in that
    /// order before anything pushed later, and room for `capacity` more.
    pub(crate) fn with_sorted(sorted: Vec<(Millis, E)>, capacity: usize) -> Self {
        debug_assert!(sorted.windows(2).all(|w| w[0].0 <= w[1].0));
        EventQueue {
            heap: Heap {
                v: Vec::with_capacity(capacity),
            },
            far: Heap { v: Vec::new() },
            next_seq: sorted.len() as u64,
            cancelled: Vec::new(),
            sorted,
            sorted_next: 0,
            deferred: None,
        }
    }

    /// Empties the queue for a new run, keeping its buffers, and starts it
    /// with `sorted` as `with_sorted` would (after a stable sort by time).
    pub(crate) fn restart(&mut self, sorted: impl IntoIterator<Item = (Millis, E)>) {
        self.heap.v.clear();
        self.far.v.clear();
        self.cancelled.clear();
        self.sorted.clear();
        self.sorted.extend(sorted);
        self.sorted.sort_by_key(|&(t, _)| t);
        self.next_seq = self.sorted.len() as u64;
        self.sorted_next = 0;
        self.deferred = None;
    }

    #[cfg(test)]
    pub(crate) fn new() -> Self {
        Self::with_sorted(Vec::new(), 0)
    }

    /// Schedules `event` at `time` as `push` would, outside the heap: at
    /// most one deferred entry is held; a new one replaces the old.
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
        self.heap.push(Entry {
            key: key(time, seq),
            event,
        });
        EventKey { seq }
    }

    /// Schedules `event` at `time` as `push` does, in the heap of far
    /// events (a hint for speed: the order is the same either way).
    pub(crate) fn push_far(&mut self, time: Millis, event: E) -> EventKey {
        let seq = self.next_seq;
        self.next_seq += 1;
        self.far.push(Entry {
            key: key(time, seq),
            event,
        });
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
        self.heap.push(Entry {
            key: key(time, seq),
            event,
        });
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
        const NONE: Key = Key {
            time: u64::MAX,
            seq: u64::MAX,
        };
        loop {
            // The earliest of the four sources by (time, seq).
            let sorted = self
                .sorted
                .get(self.sorted_next)
                .map_or(NONE, |&(t, _)| key(t, self.sorted_next as u64));
            let near = self.heap.peek_key().unwrap_or(NONE);
            let far = self.far.peek_key().unwrap_or(NONE);
            let (heap, from_far) = if far < near {
                (far, true)
            } else {
                (near, false)
            };
            let deferred = self.deferred.as_ref().map_or(NONE, |e| e.key);
            if sorted < heap && sorted < deferred {
                let (t, e) = self.sorted[self.sorted_next];
                self.sorted_next += 1;
                if !self.is_cancelled(unkey(sorted).1) {
                    return Some((t, e));
                }
            } else if deferred < heap {
                let e = self.deferred.take()?;
                return Some((unkey(e.key).0, e.event));
            } else {
                let e = if from_far {
                    self.far.pop()?
                } else {
                    self.heap.pop()?
                };
                let (t, seq) = unkey(e.key);
                if !self.is_cancelled(seq) {
                    return Some((t, e.event));
                }
            }
        }
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
        let mut q = EventQueue::with_sorted(vec![(1, "s1"), (2, "s2"), (4, "s4")], 4);
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

    /// Far entries take their place by (time, sequence) among the others,
    /// and can be cancelled.
    #[test]
    fn far_entries_keep_insertion_order() {
        let mut q = EventQueue::with_sorted(vec![(3, "s3")], 0);
        let a = q.push_far(9, "far9");
        q.push(9, "near9");
        q.push_far(3, "far3");
        q.push(1, "near1");
        let c = q.push_far(5, "far5");
        q.push_far(9, "far9b");
        q.cancel(c);
        assert_eq!(
            drain(&mut q),
            vec![
                (1, "near1"),
                (3, "s3"),
                (3, "far3"),
                (9, "far9"),
                (9, "near9"),
                (9, "far9b")
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

    /// As a simulation uses it: each popped entry schedules a few later
    /// ones; against a sorted set of (time, sequence).
    #[test]
    fn interleaved_pushes_and_pops_follow_a_sorted_set() {
        let mut q = EventQueue::new();
        let mut oracle = std::collections::BTreeSet::new();
        let mut seq = 0u64;
        let mut x: u64 = 99;
        let mut rand = move || {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            x >> 33
        };
        for t in [0, 0, 5] {
            q.push(t, seq);
            oracle.insert((t, seq));
            seq += 1;
        }
        let mut popped = 0;
        while let Some((t, e)) = q.pop() {
            let want = oracle.pop_first().expect("the oracle has it");
            assert_eq!((t, e), want);
            popped += 1;
            if popped < 5_000 {
                for _ in 0..1 + rand() % 2 {
                    let later = t + (rand() % 4) as Millis * (rand() % 1000) as Millis;
                    if rand() % 3 == 0 {
                        q.push_far(later, seq);
                    } else {
                        q.push(later, seq);
                    }
                    oracle.insert((later, seq));
                    seq += 1;
                }
            }
        }
        assert!(oracle.is_empty());
        assert!(popped > 1_000, "{popped}");
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
            let t = (x >> 58) as Millis - 8;
            q.push(t, k);
            want.push((t, k));
        }
        want.sort_by_key(|&(t, _)| t);
        let got: Vec<(Millis, u32)> = std::iter::from_fn(|| q.pop()).collect();
        assert_eq!(got, want);
    }
}
