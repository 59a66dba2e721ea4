//! Results worked out once per input and kept in memory: a week's suppression solves linear programs, so
//! repeated views of the dashboard (a new filter, the other scheme, the CSV after the page) find it here.
//! Keyed by the inputs themselves, so a changed week is worked out anew.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, LazyLock, Mutex};

/// Up to `limit` results by key; when full, everything is forgotten at once (weeks are cheap to redo once).
pub struct Kept<K, V> {
    entries: LazyLock<Mutex<HashMap<K, Arc<V>>>>,
    limit: usize,
}

fn empty<K, V>() -> Mutex<HashMap<K, Arc<V>>> {
    Mutex::new(HashMap::new())
}

impl<K: Eq + Hash, V> Kept<K, V> {
    /// An empty store of at most `limit` results, usable as a `static`.
    pub const fn new(limit: usize) -> Self {
        Self { entries: LazyLock::new(empty::<K, V>), limit }
    }

    /// The result for `key`, worked out by `work` when not kept. Worked out without the lock held: two
    /// requests for the same new key may both do the work, and the later one is kept.
    pub fn get_or(&self, key: K, work: impl FnOnce(&K) -> V) -> Arc<V> {
        let entries = || self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(value) = entries().get(&key) {
            return Arc::clone(value);
        }
        let value = Arc::new(work(&key));
        let mut kept = entries();
        if kept.len() >= self.limit {
            kept.clear();
        }
        kept.insert(key, Arc::clone(&value));
        value
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kept_result_is_not_worked_out_again_until_the_store_is_full() {
        static KEPT: Kept<u32, u32> = Kept::new(2);
        let calls = std::cell::Cell::new(0);
        let square = |k: &u32| {
            calls.set(calls.get() + 1);
            k * k
        };
        assert_eq!((*KEPT.get_or(3, square), *KEPT.get_or(3, square)), (9, 9));
        assert_eq!(calls.get(), 1, "the second came from the store");
        KEPT.get_or(4, square);
        KEPT.get_or(5, square);
        KEPT.get_or(3, square);
        assert_eq!(calls.get(), 4, "full at two: forgotten, then worked out again");
    }
}
