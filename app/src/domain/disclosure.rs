//! Suppression over a web of related counts: every published number of one week, whatever the filter, and
//! the sums that tie them together (a region's count is part of the statewide one, a family's part of all
//! needs). Hiding is decided for the whole web at once, so no table, filter or total gives away a count
//! another one hides.

/// Counts and the sums that relate them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CountWeb {
    values: Vec<i64>,
    published: Vec<bool>,
    /// Unpublished counts that must not be worked out even when not small (see [`CountWeb::protect`]).
    protected: Vec<bool>,
    relations: Vec<Relation>,
}

/// `total` is the sum of `members`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Relation {
    total: usize,
    members: Vec<usize>,
}

/// Whether a count is small enough to identify people: from 1 to k-1.
pub(crate) fn small(n: i64, k: i64) -> bool {
    n > 0 && n < k
}

/// Whether the unknown members of a line give one of them away, given its total is known: one unknown
/// alone is the total minus the rest; several whose sum is small pin each other down. Safe when there are
/// none, or at least two whose sum leaves each of them anywhere from 1 to k-1 (sum at least k + m - 2).
pub fn line_reveals(values: &[i64], unknown: &[bool], k: i64) -> bool {
    line_reveals_unpublished(values, unknown, &vec![false; values.len()], k)
}

/// [`line_reveals`] for a line some of whose unknown members are `unpublished`: a reader knows a hidden
/// count is at least 1 (zeros are shown), but an unpublished one only at least 0.
pub fn line_reveals_unpublished(values: &[i64], unknown: &[bool], unpublished: &[bool], k: i64) -> bool {
    let (mut m, mut hidden, mut sum) = (0, 0, 0);
    for ((v, u), p) in values.iter().zip(unknown).zip(unpublished) {
        if *u {
            m += 1;
            hidden += i64::from(!*p);
            sum += v;
        }
    }
    reveals(m, hidden, sum, k)
}

/// [`line_reveals_unpublished`] for `m` unknown members, `hidden` of them published, whose values sum to
/// `sum`. Several are safe when one can be k-1 while each other hidden one is 1 and each unpublished one 0
/// (sum at least k + hidden - 2, and k - 1 with none hidden); a sum of zero reveals no one.
fn reveals(m: i64, hidden: i64, sum: i64, k: i64) -> bool {
    m == 1 || (m >= 2 && sum > 0 && sum < k + hidden.max(1) - 2)
}

impl CountWeb {
    /// An empty web.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a count; `published` when some page or export shows it (others are only implied by sums, such
    /// as the needs that involve no housing). Returns its index.
    pub fn count(&mut self, value: i64, published: bool) -> usize {
        self.values.push(value);
        self.published.push(published);
        self.protected.push(false);
        self.values.len() - 1
    }

    /// Marks count `i` as one no reader may work out whatever its size (a figure with too few providers
    /// behind it); published, it should also be hidden from the start ([`CountWeb::suppress_also`]).
    pub fn protect(&mut self, i: usize) {
        self.protected[i] = true;
    }

    /// Records that count `total` is the sum of `members`.
    pub fn sum(&mut self, total: usize, members: Vec<usize>) {
        self.relations.push(Relation { total, members });
    }

    /// Which published counts to hide, by index (unpublished ones read `false`).
    ///
    /// A count is unknown to a reader when it is hidden or unpublished. Every count from 1 to k-1 starts
    /// hidden. Then, until nothing changes, each sum is checked: when exactly one of its counts is unknown
    /// and that one matters (hidden, or small), or its total is known and its unknown members [reveal each
    /// other](line_reveals), the smallest non-zero published member that is still shown is hidden too (or
    /// else the total, or else every published count of the sum). An unpublished count that is zero or at
    /// least k may be worked out: that reveals no one.
    pub fn suppress(&self, k: i64) -> Vec<bool> {
        self.suppress_also(k, &[])
    }

    /// [`CountWeb::suppress`], with the published counts `also` hidden from the start (as an audit asks).
    pub fn suppress_also(&self, k: i64, also: &[usize]) -> Vec<bool> {
        let mut unknown: Vec<bool> =
            self.values.iter().zip(&self.published).map(|(&v, &published)| small(v, k) || !published).collect();
        for &i in also {
            unknown[i] = true;
        }
        // Every step hides at least one more count or changes nothing, so this ends.
        let hidden = |u: &[bool]| u.iter().filter(|x| **x).count();
        loop {
            let before = hidden(&unknown);
            for relation in &self.relations {
                if !self.leaks(relation, &unknown, k) {
                    continue;
                }
                let partner = relation
                    .members
                    .iter()
                    .copied()
                    .filter(|&i| !unknown[i] && self.published[i] && self.values[i] > 0)
                    .min_by_key(|&i| self.values[i]);
                match partner {
                    Some(i) => unknown[i] = true,
                    None if self.published[relation.total] && !unknown[relation.total] => {
                        unknown[relation.total] = true;
                    }
                    None => {
                        // Nothing else to pair with: hide every published non-zero count of the sum.
                        for &i in relation.members.iter().chain(std::iter::once(&relation.total)) {
                            unknown[i] |= self.published[i] && self.values[i] > 0;
                        }
                    }
                }
            }
            if hidden(&unknown) == before {
                break;
            }
        }
        unknown.iter().zip(&self.published).map(|(u, p)| *u && *p).collect()
    }

    /// Every sum, as its total and members (for audits).
    pub fn sums(&self) -> impl Iterator<Item = (usize, &[usize])> {
        self.relations.iter().map(|r| (r.total, r.members.as_slice()))
    }

    fn leaks(&self, relation: &Relation, unknown: &[bool], k: i64) -> bool {
        // Counted without allocating: this runs for every sum of every week on each pass.
        let (mut m, mut hidden, mut sum) = (0i64, 0i64, 0i64);
        for &i in &relation.members {
            if unknown[i] {
                m += 1;
                hidden += i64::from(self.published[i]);
                sum += self.values[i];
            }
        }
        if m + i64::from(unknown[relation.total]) == 1 {
            // One unknown count in a sum: the others give it away. That matters unless it is zero, or an
            // unpublished count that is neither small nor protected.
            let i = relation.members.iter().copied().chain(std::iter::once(relation.total)).find(|&i| unknown[i]);
            return i.is_some_and(|i| {
                self.values[i] > 0 && (self.published[i] || self.protected[i] || small(self.values[i], k))
            });
        }
        !unknown[relation.total] && reveals(m, hidden, sum, k)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lone_small_count_in_a_sum_takes_a_partner() {
        let mut web = CountWeb::new();
        let (a, b, c) = (web.count(10, true), web.count(3, true), web.count(8, true));
        let total = web.count(21, true);
        web.sum(total, vec![a, b, c]);
        assert_eq!(web.suppress(5), vec![false, true, true, false], "3 and its smallest partner, 8");
    }

    #[test]
    fn an_unpublished_small_difference_is_protected_too() {
        // All needs 12, those involving housing 10: the 2 without housing would follow by subtraction.
        let mut web = CountWeb::new();
        let all = web.count(12, true);
        let housing = web.count(10, true);
        let rest = web.count(2, false);
        web.sum(all, vec![housing, rest]);
        assert_eq!(web.suppress(5), vec![false, true, false], "housing hidden; 10 + 2 leaves each 1 to 11");
    }

    #[test]
    fn unpublished_parts_of_a_shown_total_may_all_be_zero() {
        // A region of 0 made of two unpublished places: nothing to hide. Of 6 made of an unpublished 4 and
        // 2: each could be anything from 0 to 6, so the region is safe to show.
        let mut web = CountWeb::new();
        let (zero, a, b) = (web.count(0, true), web.count(0, false), web.count(0, false));
        web.sum(zero, vec![a, b]);
        let (six, c, d) = (web.count(6, true), web.count(4, false), web.count(2, false));
        web.sum(six, vec![c, d]);
        assert_eq!(web.suppress(5), vec![false; 6]);
        assert!(line_reveals(&[3, 1], &[true, true], 5), "two hidden counts, each at least 1: their small sum 4");
        assert!(!line_reveals_unpublished(&[3, 1], &[true, true], &[true, true], 5), "unpublished: 0 to 4 each");
    }

    #[test]
    fn a_large_unpublished_difference_may_be_worked_out() {
        let mut web = CountWeb::new();
        let all = web.count(40, true);
        let housing = web.count(10, true);
        let rest = web.count(30, false);
        web.sum(all, vec![housing, rest]);
        assert_eq!(web.suppress(5), vec![false, false, false]);
    }
}
