//! The entries of the event queue and a 4-ary min-heap of them.

use rampart_model::Millis;

/// (time, sequence) as a key whose order is theirs: the time with its sign
/// bit flipped (so that it orders as unsigned), then the sequence. Two
/// words, not a `u128`, so that an entry with an 8-byte event takes 24
/// bytes, not 32; compared as one `u128` (no branch between the words).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Key {
    pub(super) time: u64,
    pub(super) seq: u64,
}

impl Key {
    /// After every key an entry can have (its sequence number is never
    /// `u64::MAX`): "no entry" where keys are compared.
    pub(super) const LAST: Key = Key {
        time: u64::MAX,
        seq: u64::MAX,
    };

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

pub(super) fn key(time: Millis, seq: u64) -> Key {
    Key {
        time: (time as u64) ^ (1 << 63),
        seq,
    }
}

pub(super) fn unkey(k: Key) -> (Millis, u64) {
    ((k.time ^ (1 << 63)) as Millis, k.seq)
}

#[derive(Debug, Clone, Copy)]
pub(super) struct Entry<E> {
    pub(super) key: Key,
    pub(super) event: E,
}

/// A 4-ary min-heap of entries by key: half the levels of a binary heap,
/// and the four children of a node side by side in memory.
#[derive(Debug)]
pub(super) struct Heap<E> {
    pub(super) v: Vec<Entry<E>>,
}

impl<E: Copy> Heap<E> {
    pub(super) fn peek_key(&self) -> Option<Key> {
        self.v.first().map(|e| e.key)
    }

    /// Sifts the new entry up, moving parents down into the hole it leaves.
    pub(super) fn push(&mut self, e: Entry<E>) {
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
    pub(super) fn pop(&mut self) -> Option<Entry<E>> {
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
            let (c, _) = least_child(v, first);
            v[k] = v[c];
            k = c;
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

    /// Makes a heap of the entries in `v`, whatever their order (bottom-up,
    /// in linear time).
    pub(super) fn heapify(&mut self) {
        let n = self.v.len();
        if n < 2 {
            return;
        }
        for k in (0..=(n - 2) / 4).rev() {
            self.sift_down(k);
        }
    }

    /// Moves the entry at `k` down below its lesser children.
    fn sift_down(&mut self, mut k: usize) {
        let v = self.v.as_mut_slice();
        let n = v.len();
        let e = v[k];
        let key = e.key.wide();
        loop {
            let first = 4 * k + 1;
            if first >= n {
                break;
            }
            let (c, least) = least_child(v, first);
            if least >= key {
                break;
            }
            v[k] = v[c];
            k = c;
        }
        v[k] = e;
    }
}

/// The least of the (up to four) children starting at `first` (which
/// exists): its index and its key.
#[inline]
fn least_child<E>(v: &[Entry<E>], first: usize) -> (usize, u128) {
    let kids = &v[first..(first + 4).min(v.len())];
    let mut best = 0;
    let mut least = kids[0].key.wide();
    for (c, e) in kids.iter().enumerate().skip(1) {
        let w = e.key.wide();
        if w < least {
            best = c;
            least = w;
        }
    }
    (first + best, least)
}
