//! One week's needs as every view of the oversight dashboard counts them, suppressed together.
//!
//! A count is addressed by four coordinates, where 0 means "all": a family selector (needs involving a
//! service family, or, unpublished, not involving it), a region, a victim class and an outcome. Every
//! table, filter and export of the week reads its numbers from here, so they are hidden consistently: the
//! sums along each coordinate, and "all needs = needs involving a family + needs not involving it", are
//! the relations [`CountWeb`] checks.

use super::disclosure::CountWeb;
use super::need::Outcome;
use super::suppression::Cell;

/// The outcome columns of the needs tables, in order (coordinates 1 to 3).
pub const OUTCOMES: [Outcome; 3] = [Outcome::PlacedInRegion, Outcome::NotPlaced, Outcome::PlacedOutsideRegion];

/// How many values each coordinate has (besides "all").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shape {
    /// Service families.
    pub families: usize,
    /// Regions.
    pub regions: usize,
    /// Victim classes.
    pub victims: usize,
}

/// One need as the week counts it: 1-based coordinates, and a bit per family it involves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct NeedAtom {
    /// Region, 1 to `regions`.
    pub region: usize,
    /// Victim class, 1 to `victims`.
    pub victim: usize,
    /// Outcome, 1 to 3 (see [`OUTCOMES`]).
    pub outcome: usize,
    /// Bit `i` set when the need involves family `i` (0-based).
    pub families: u32,
}

impl Shape {
    /// Family selectors: all, one per family, and one per family's complement (never published).
    fn selectors(self) -> usize {
        1 + 2 * self.families
    }

    /// How many counts a week has.
    fn len(self) -> usize {
        self.selectors() * (self.regions + 1) * (self.victims + 1) * (OUTCOMES.len() + 1)
    }

    /// The index of a count. `selector` is 0 for all needs, `1 + i` for needs involving family `i`, and
    /// `1 + families + i` for needs not involving it.
    fn index(self, selector: usize, region: usize, victim: usize, outcome: usize) -> usize {
        ((selector * (self.regions + 1) + region) * (self.victims + 1) + victim) * (OUTCOMES.len() + 1) + outcome
    }

    /// Whether a count appears in some view (complements of a family only follow by subtraction).
    fn published(self, index: usize) -> bool {
        let selector = index / ((self.regions + 1) * (self.victims + 1) * (OUTCOMES.len() + 1));
        selector <= self.families
    }

    /// Every count one need adds to.
    fn counts_of(self, atom: NeedAtom) -> Vec<usize> {
        let mut selectors = vec![0];
        for i in 0..self.families {
            let involved = atom.families & (1 << i) != 0;
            selectors.push(if involved { 1 + i } else { 1 + self.families + i });
        }
        let mut out = Vec::with_capacity(selectors.len() * 8);
        for s in selectors {
            for r in [0, atom.region] {
                for v in [0, atom.victim] {
                    for o in [0, atom.outcome] {
                        out.push(self.index(s, r, v, o));
                    }
                }
            }
        }
        out
    }

    /// Every count of a week, from its needs.
    fn counts(self, atoms: &[NeedAtom]) -> Vec<i64> {
        let mut values = vec![0i64; self.len()];
        for atom in atoms {
            for i in self.counts_of(*atom) {
                values[i] += 1;
            }
        }
        values
    }

    /// The web of a week's counts (`values`, from [`Shape::counts`]) and every sum that ties them.
    fn web(self, values: &[i64]) -> CountWeb {
        let mut web = CountWeb::new();
        for (i, value) in values.iter().enumerate() {
            let index = web.count(*value, self.published(i));
            debug_assert_eq!(index, i);
        }
        let outcomes = OUTCOMES.len();
        // Sums along each coordinate, for the published selectors (a complement's own sums follow from
        // these and the family sums below, and have nothing published in them to hide).
        for s in 0..=self.families {
            for o in 0..=outcomes {
                for r in 0..=self.regions {
                    web.sum(self.index(s, r, 0, o), (1..=self.victims).map(|v| self.index(s, r, v, o)).collect());
                }
                for v in 0..=self.victims {
                    web.sum(self.index(s, 0, v, o), (1..=self.regions).map(|r| self.index(s, r, v, o)).collect());
                }
            }
            for r in 0..=self.regions {
                for v in 0..=self.victims {
                    web.sum(self.index(s, r, v, 0), (1..=outcomes).map(|o| self.index(s, r, v, o)).collect());
                }
            }
        }
        for i in 0..self.families {
            for r in 0..=self.regions {
                for v in 0..=self.victims {
                    for o in 0..=outcomes {
                        let (involved, not) = (self.index(1 + i, r, v, o), self.index(1 + self.families + i, r, v, o));
                        web.sum(self.index(0, r, v, o), vec![involved, not]);
                    }
                }
            }
        }
        web
    }
}

/// A week's counts after suppression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SuppressedWeek {
    shape: Shape,
    values: Vec<i64>,
    hidden: Vec<bool>,
}

impl SuppressedWeek {
    /// Counts `atoms` and suppresses every view of them together with threshold `k`.
    pub fn build(shape: Shape, atoms: &[NeedAtom], k: i64) -> Self {
        let values = shape.counts(atoms);
        let hidden = shape.web(&values).suppress(k);
        Self { shape, values, hidden }
    }

    /// A published count: `family` 0 for all needs or `1 + i` for family `i`; 0 means "all" for the others.
    pub fn cell(&self, family: usize, region: usize, victim: usize, outcome: usize) -> Cell {
        debug_assert!(family <= self.shape.families, "complements are never published");
        let i = self.shape.index(family, region, victim, outcome);
        if self.hidden[i] { Cell::Suppressed } else { Cell::Shown(self.values[i]) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::disclosure::line_reveals;

    const SHAPE: Shape = Shape { families: 1, regions: 2, victims: 2 };

    fn atoms(n: usize, atom: NeedAtom) -> Vec<NeedAtom> {
        vec![atom; n]
    }

    #[test]
    fn a_small_region_count_is_hidden_in_every_view_that_would_give_it_away() {
        let placed = NeedAtom { region: 1, victim: 1, outcome: 1, families: 1 };
        let mut needs = atoms(10, placed);
        needs.extend(atoms(2, NeedAtom { region: 2, ..placed }));
        let week = SuppressedWeek::build(SHAPE, &needs, 5);
        assert_eq!(week.cell(0, 2, 0, 1), Cell::Suppressed, "region 2 has two");
        assert_eq!(week.cell(0, 1, 0, 1), Cell::Suppressed, "so region 1 is hidden beside the statewide 12");
        assert_eq!(week.cell(0, 0, 0, 1), Cell::Shown(12));
        assert_eq!(week.cell(1, 2, 0, 1), Cell::Suppressed, "and in the family view too");
    }

    #[test]
    fn all_needs_and_a_familys_needs_never_differ_by_a_small_count() {
        let housing = NeedAtom { region: 1, victim: 1, outcome: 2, families: 1 };
        let mut needs = atoms(10, housing);
        needs.extend(atoms(3, NeedAtom { families: 0, ..housing }));
        let week = SuppressedWeek::build(SHAPE, &needs, 5);
        let (all, family) = (week.cell(0, 0, 0, 2), week.cell(1, 0, 0, 2));
        assert!(
            all == Cell::Suppressed || family == Cell::Suppressed,
            "13 and 10 would show the 3 without housing: {all:?} {family:?}"
        );
    }

    /// The adversary of the disclosure policy: holding every published count of a week (every filter,
    /// table and export), they solve for the range each count could take. The unknowns are how many needs
    /// of each exact profile there were (region, victim class, outcome, families), at least zero; a shown
    /// count fixes its sum, and a hidden one says it is at least 1 (zeros are shown).
    struct Adversary {
        atoms: Vec<NeedAtom>,
        members: Vec<Vec<usize>>,
        constraints: Vec<(Vec<usize>, microlp::ComparisonOp, f64)>,
    }

    impl Adversary {
        fn new(week: &SuppressedWeek) -> Self {
            let shape = week.shape;
            let mut atoms = Vec::new();
            for region in 1..=shape.regions {
                for victim in 1..=shape.victims {
                    for outcome in 1..=OUTCOMES.len() {
                        for families in 0..(1u32 << shape.families) {
                            atoms.push(NeedAtom { region, victim, outcome, families });
                        }
                    }
                }
            }
            let mut members = vec![Vec::new(); shape.len()];
            for (a, atom) in atoms.iter().enumerate() {
                for i in shape.counts_of(*atom) {
                    members[i].push(a);
                }
            }
            let mut constraints = Vec::new();
            for (i, count) in members.iter().enumerate() {
                if !shape.published(i) {
                    continue;
                }
                if week.hidden[i] {
                    constraints.push((count.clone(), microlp::ComparisonOp::Ge, 1.0));
                } else {
                    constraints.push((count.clone(), microlp::ComparisonOp::Eq, week.values[i] as f64));
                }
            }
            Self { atoms, members, constraints }
        }

        /// The smallest and largest value the sum of counts `group` can take given everything published.
        fn bounds(&self, group: &[usize]) -> (f64, f64) {
            let mut objective = vec![0.0; self.atoms.len()];
            for &i in group {
                for &a in &self.members[i] {
                    objective[a] += 1.0;
                }
            }
            let solve = |direction| {
                let mut problem = microlp::Problem::new(direction);
                let vars: Vec<microlp::Variable> =
                    objective.iter().map(|c| problem.add_var(*c, (0.0, f64::INFINITY))).collect();
                for (atoms, op, rhs) in &self.constraints {
                    let terms: Vec<(microlp::Variable, f64)> = atoms.iter().map(|a| (vars[*a], 1.0)).collect();
                    problem.add_constraint(terms.as_slice(), *op, *rhs);
                }
                match problem.solve() {
                    Ok(microlp::SolveOutcome::Solution(solution)) => solution.objective(),
                    Ok(microlp::SolveOutcome::Interrupted(_)) => panic!("no limit was set"),
                    Err(microlp::Error::Unbounded) => f64::INFINITY,
                    Err(e) => panic!("the published counts must be consistent: {e:?}"),
                }
            };
            (solve(microlp::OptimizationDirection::Minimize), solve(microlp::OptimizationDirection::Maximize))
        }
    }

    /// A week of needs: mostly empty profiles, some with one or two needs, a few with more.
    fn week_of_needs(shape: Shape) -> impl proptest::strategy::Strategy<Value = Vec<NeedAtom>> {
        use proptest::prelude::*;
        let profiles = shape.regions * shape.victims * OUTCOMES.len() * (1 << shape.families);
        proptest::collection::vec(prop_oneof![6 => Just(0usize), 3 => 1usize..3, 1 => 3usize..9], profiles).prop_map(
            move |counts| {
                let mut atoms = Vec::new();
                let mut n = 0;
                for region in 1..=shape.regions {
                    for victim in 1..=shape.victims {
                        for outcome in 1..=OUTCOMES.len() {
                            for families in 0..(1u32 << shape.families) {
                                atoms.extend(std::iter::repeat_n(
                                    NeedAtom { region, victim, outcome, families },
                                    counts[n],
                                ));
                                n += 1;
                            }
                        }
                    }
                }
                atoms
            },
        )
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(24))]

        /// What suppression does guarantee today, on the dashboard's real shape: no sum whose total a reader
        /// knows gives away one of its counts on its own, nor hides counts whose sum is small.
        #[test]
        fn no_single_sum_gives_a_small_count_away(atoms in week_of_needs(Shape { families: 3, regions: 3, victims: 6 })) {
            let k = 5;
            let shape = Shape { families: 3, regions: 3, victims: 6 };
            let week = SuppressedWeek::build(shape, &atoms, k);
            let unknown = |i: usize| week.hidden[i] || !shape.published(i);
            let matters = |i: usize| week.values[i] > 0 && (shape.published(i) || (1..k).contains(&week.values[i]));
            for (total, members) in shape.web(&week.values).sums() {
                let values: Vec<i64> = members.iter().map(|&i| week.values[i]).collect();
                let hidden: Vec<bool> = members.iter().map(|&i| unknown(i)).collect();
                let unknowns = hidden.iter().filter(|h| **h).count() + usize::from(unknown(total));
                let lone = members.iter().chain(std::iter::once(&total)).find(|&&i| unknown(i)).copied();
                proptest::prop_assert!(unknowns != 1 || !lone.is_some_and(matters), "a lone hidden count in {members:?}");
                proptest::prop_assert!(unknowns == 1 || unknown(total) || !line_reveals(&values, &hidden, k), "{values:?} {hidden:?}");
            }
        }

        /// The acceptance test of the disclosure policy across filters. Known to fail: suppressing each
        /// sum's line (two hidden counts at least, summing to k or more) is not enough in a cube with all
        /// its margins; an adversary solving the whole system can still pin some small counts. Run it with
        /// `cargo test -p app --features ssr -- --ignored`; it passes once suppression is audited this way.
        #[test]
        #[ignore = "known gap (issue 11): line-by-line suppression does not yet survive a linear-programming audit"]
        fn no_combination_of_published_counts_pins_a_small_one(atoms in week_of_needs(Shape { families: 1, regions: 3, victims: 2 })) {
            let k = 5;
            let shape = Shape { families: 1, regions: 3, victims: 2 };
            let week = SuppressedWeek::build(shape, &atoms, k);
            let adversary = Adversary::new(&week);
            let pinned = |group: &[usize], value: i64| {
                let (low, high) = adversary.bounds(group);
                ((1..k).contains(&value) && high - low < 0.5).then(|| format!("{group:?} = {value}, pinned to [{low}, {high}]"))
            };
            // No small count, published or only implied, can be worked out exactly...
            for (i, value) in week.values.iter().enumerate() {
                if let Some(found) = pinned(&[i], *value) {
                    proptest::prop_assert!(false, "count {found}");
                }
            }
            // ...nor the sum of the hidden counts of any line (the [10, <5, <5] with total 13 attack).
            let web = shape.web(&week.values);
            let unknown = |i: usize| week.hidden[i] || (1..k).contains(&week.values[i]);
            for (_, members) in web.sums() {
                let group: Vec<usize> = members.iter().copied().filter(|&i| unknown(i)).collect();
                let value = group.iter().map(|&i| week.values[i]).sum();
                if group.len() >= 2 && let Some(found) = pinned(&group, value) {
                    proptest::prop_assert!(false, "hidden counts {found}");
                }
            }
        }
    }
}
