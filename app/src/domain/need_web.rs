//! One week's needs as every view of the oversight dashboard counts them, suppressed together.
//!
//! A count is addressed by four coordinates, where 0 means "all": a family selector (needs involving a
//! service family, or, unpublished, not involving it), a region (of any scheme the week is published by,
//! or, unpublished, a place where their regions overlap: see [`RegionLayout`]), a victim class and an outcome. Every
//! table, filter and export of the week reads its numbers from here, so they are hidden consistently: the
//! sums along each coordinate, and "all needs = needs involving a family + needs not involving it", are
//! the relations [`CountWeb`] checks.

use super::disclosure::{CountWeb, small};
use super::disclosure_audit::{Hardening, Seen};
use super::need::Outcome;
use super::region_layout::RegionLayout;
use super::suppression::Cell;

/// The outcome columns of the needs tables, in order (coordinates 1 to 3).
pub const OUTCOMES: [Outcome; 3] = [Outcome::PlacedInRegion, Outcome::NotPlaced, Outcome::PlacedOutsideRegion];

/// How many values each coordinate has (besides "all"), and how the regions of the schemes a week is
/// published by overlap ([`RegionLayout`]): a need sits in one *place*, and counts in that place's region
/// of every scheme.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Shape {
    /// Service families.
    pub families: usize,
    /// Victim classes.
    pub victims: usize,
    /// Region coordinates.
    pub regions: RegionLayout,
}

/// One need as the week counts it: 1-based coordinates, and a bit per family it involves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NeedAtom {
    /// Place, 1 to the shape's places (with one scheme, its region).
    pub place: usize,
    /// Victim class, 1 to `victims`.
    pub victim: usize,
    /// Outcome, 1 to 3 (see [`OUTCOMES`]).
    pub outcome: usize,
    /// Bit `i` set when the need involves family `i` (0-based).
    pub families: u32,
}

impl Shape {
    /// A week published by one scheme of `regions` regions: each region is a place.
    pub fn single(families: usize, regions: usize, victims: usize) -> Self {
        Self { families, victims, regions: RegionLayout::single(regions) }
    }

    /// The region coordinate of region `region` (1-based, 0 for all) of scheme `scheme`.
    pub fn region(&self, scheme: usize, region: usize) -> usize {
        self.regions.region(scheme, region)
    }

    /// How many regions a scheme has.
    pub fn regions(&self, scheme: usize) -> usize {
        self.regions.regions(scheme)
    }

    /// Whether a need counts in region coordinate `region`.
    pub fn in_region(&self, atom: &NeedAtom, region: usize) -> bool {
        self.regions.regions_of(atom.place).contains(&region)
    }

    /// Family selectors: all, one per family, and one per family's complement (never published).
    fn selectors(&self) -> usize {
        1 + 2 * self.families
    }

    /// How many counts a week has.
    fn len(&self) -> usize {
        self.selectors() * self.regions.coordinates() * (self.victims + 1) * (OUTCOMES.len() + 1)
    }

    /// The index of a count. `selector` is 0 for all needs, `1 + i` for needs involving family `i`, and
    /// `1 + families + i` for needs not involving it; `region` is a region coordinate.
    fn index(&self, selector: usize, region: usize, victim: usize, outcome: usize) -> usize {
        ((selector * self.regions.coordinates() + region) * (self.victims + 1) + victim) * (OUTCOMES.len() + 1)
            + outcome
    }

    /// Whether a count appears in some view (complements of a family, and places, only follow by
    /// subtraction).
    fn published(&self, index: usize) -> bool {
        let per_region = (self.victims + 1) * (OUTCOMES.len() + 1);
        let coordinates = self.regions.coordinates();
        let (selector, region) = (index / (coordinates * per_region), index / per_region % coordinates);
        selector <= self.families && region <= self.regions.published()
    }

    /// How many profiles a need can have.
    fn atom_count(&self) -> usize {
        (self.regions.places() * self.victims * OUTCOMES.len()) << self.families
    }

    /// Every profile a need can have, in a fixed order (see [`Shape::atom_index`]).
    fn atoms(&self) -> Vec<NeedAtom> {
        let mut atoms = Vec::with_capacity(self.atom_count());
        for place in 1..=self.regions.places() {
            for victim in 1..=self.victims {
                for outcome in 1..=OUTCOMES.len() {
                    for families in 0..(1u32 << self.families) {
                        atoms.push(NeedAtom { place, victim, outcome, families });
                    }
                }
            }
        }
        atoms
    }

    /// The position of `atom` in [`Shape::atoms`].
    fn atom_index(&self, atom: NeedAtom) -> usize {
        let profile = ((atom.place - 1) * self.victims + atom.victim - 1) * OUTCOMES.len() + atom.outcome - 1;
        (profile << self.families) + atom.families as usize
    }

    /// The profiles (by [`Shape::atom_index`]) that make up each count.
    fn members(&self) -> Vec<Vec<usize>> {
        let mut members = vec![Vec::new(); self.len()];
        for (a, atom) in self.atoms().into_iter().enumerate() {
            for i in self.counts_of(atom) {
                members[i].push(a);
            }
        }
        members
    }

    /// Every count one need adds to.
    fn counts_of(&self, atom: NeedAtom) -> Vec<usize> {
        let mut selectors = vec![0];
        for i in 0..self.families {
            let involved = atom.families & (1 << i) != 0;
            selectors.push(if involved { 1 + i } else { 1 + self.families + i });
        }
        let regions = self.regions.regions_of(atom.place);
        let mut out = Vec::with_capacity(selectors.len() * regions.len() * 4);
        for s in selectors {
            for &r in &regions {
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
    fn counts(&self, atoms: &[NeedAtom]) -> Vec<i64> {
        let mut values = vec![0i64; self.len()];
        for atom in atoms {
            for i in self.counts_of(*atom) {
                values[i] += 1;
            }
        }
        values
    }

    /// The web of a week's counts (`values`, from [`Shape::counts`]) and every sum that ties them.
    fn web(&self, values: &[i64]) -> CountWeb {
        let mut web = CountWeb::new();
        for (i, value) in values.iter().enumerate() {
            let index = web.count(*value, self.published(i));
            debug_assert_eq!(index, i);
        }
        let outcomes = OUTCOMES.len();
        let published = 1 + self.regions.published();
        // The regions that make up a larger one: each scheme's the state, and each region its places.
        let parts = self.regions.parts();
        // Sums along each coordinate, for the published selectors and regions (a complement's or a place's
        // own sums follow from these and the sums below, and have nothing published in them to hide).
        for s in 0..=self.families {
            for o in 0..=outcomes {
                for r in 0..published {
                    web.sum(self.index(s, r, 0, o), (1..=self.victims).map(|v| self.index(s, r, v, o)).collect());
                }
                for v in 0..=self.victims {
                    for (whole, members) in &parts {
                        web.sum(self.index(s, *whole, v, o), members.iter().map(|&r| self.index(s, r, v, o)).collect());
                    }
                }
            }
            for r in 0..published {
                for v in 0..=self.victims {
                    web.sum(self.index(s, r, v, 0), (1..=outcomes).map(|o| self.index(s, r, v, o)).collect());
                }
            }
        }
        for i in 0..self.families {
            for r in 0..published {
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
    ///
    /// First each sum's line is made safe ([`CountWeb::suppress`]); then the result is audited as a reader
    /// holding every published count would attack it ([`Audit`]): while some small count, or the sum of a
    /// line's hidden counts, can still be worked out to within one need, the smallest shown count that
    /// includes one of its needs is hidden too, and the lines are made safe again. Each round hides at least
    /// one more count, and with every non-zero count hidden nothing can be worked out, so this ends.
    pub fn build(shape: &Shape, atoms: &[NeedAtom], k: i64) -> Self {
        let values = shape.counts(atoms);
        let web = shape.web(&values);
        let mut hidden = web.suppress(k);
        if values.iter().any(|&v| small(v, k)) {
            hidden = audited(shape, atoms, &values, &web, hidden, k);
        }
        Self { shape: shape.clone(), values, hidden }
    }

    /// A published count: `family` 0 for all needs or `1 + i` for family `i`; `region` a region coordinate
    /// ([`Shape::region`]); 0 means "all" for the others.
    pub fn cell(&self, family: usize, region: usize, victim: usize, outcome: usize) -> Cell {
        debug_assert!(family <= self.shape.families, "complements are never published");
        debug_assert!(region <= self.shape.regions.published(), "places are never published");
        let i = self.shape.index(family, region, victim, outcome);
        if self.hidden[i] { Cell::Suppressed } else { Cell::Shown(self.values[i]) }
    }
}

/// [`SuppressedWeek::build`]'s audit: `hidden`, extended until no reader can pin a small count.
fn audited(shape: &Shape, atoms: &[NeedAtom], values: &[i64], web: &CountWeb, hidden: Vec<bool>, k: i64) -> Vec<bool> {
    let members = shape.members();
    let mut truth = vec![0i64; shape.atom_count()];
    for atom in atoms {
        truth[shape.atom_index(*atom)] += 1;
    }
    let published: Vec<bool> = (0..values.len()).map(|i| shape.published(i)).collect();
    let hardening = Hardening::new(&members, &truth, values, &published);
    hardening.harden(hidden, |seen| targets(web, values, seen, k), |also| web.suppress_also(k, also))
}

/// What a reader must not pin: each small count (published or only implied), and the sum of the unknown
/// counts of each line (the [10, *, *] with total 13 attack).
fn targets(web: &CountWeb, values: &[i64], seen: &[Seen], k: i64) -> Vec<Vec<usize>> {
    let unknown = |i: usize| seen[i] == Seen::Hidden || (seen[i] == Seen::Unpublished && small(values[i], k));
    let mut targets: Vec<Vec<usize>> = (0..values.len()).filter(|&i| small(values[i], k)).map(|i| vec![i]).collect();
    for (_, members) in web.sums() {
        let group: Vec<usize> = members.iter().copied().filter(|&i| unknown(i)).collect();
        if group.len() >= 2 && small(group.iter().map(|&i| values[i]).sum(), k) {
            targets.push(group);
        }
    }
    targets
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::disclosure::line_reveals_unpublished;

    fn shape() -> Shape {
        Shape::single(1, 2, 2)
    }

    fn atoms(n: usize, atom: NeedAtom) -> Vec<NeedAtom> {
        vec![atom; n]
    }

    #[test]
    fn a_small_region_count_is_hidden_in_every_view_that_would_give_it_away() {
        let placed = NeedAtom { place: 1, victim: 1, outcome: 1, families: 1 };
        let mut needs = atoms(10, placed);
        needs.extend(atoms(2, NeedAtom { place: 2, ..placed }));
        let week = SuppressedWeek::build(&shape(), &needs, 5);
        assert_eq!(week.cell(0, 2, 0, 1), Cell::Suppressed, "region 2 has two");
        assert_eq!(week.cell(0, 1, 0, 1), Cell::Suppressed, "so region 1 is hidden beside the statewide 12");
        assert_eq!(week.cell(0, 0, 0, 1), Cell::Shown(12));
        assert_eq!(week.cell(1, 2, 0, 1), Cell::Suppressed, "and in the family view too");
    }

    #[test]
    fn all_needs_and_a_familys_needs_never_differ_by_a_small_count() {
        let housing = NeedAtom { place: 1, victim: 1, outcome: 2, families: 1 };
        let mut needs = atoms(10, housing);
        needs.extend(atoms(3, NeedAtom { families: 0, ..housing }));
        let week = SuppressedWeek::build(&shape(), &needs, 5);
        let (all, family) = (week.cell(0, 0, 0, 2), week.cell(1, 0, 0, 2));
        assert!(
            all == Cell::Suppressed || family == Cell::Suppressed,
            "13 and 10 would show the 3 without housing: {all:?} {family:?}"
        );
    }

    #[test]
    fn a_small_overlap_of_two_schemes_cannot_be_recovered_by_subtraction() {
        // Region 1 of the first scheme lies inside region 1 of the second, which also holds part of region
        // 2: 10 needs in the first, 12 in the second's would give away the 2 in their overlap's rest.
        let placed = NeedAtom { place: 1, victim: 1, outcome: 1, families: 1 };
        let mut needs = atoms(10, placed);
        needs.extend(atoms(2, NeedAtom { place: 2, ..placed }));
        needs.extend(atoms(9, NeedAtom { place: 3, ..placed }));
        let regions = RegionLayout::crossed(vec![2, 2], vec![vec![1, 1], vec![2, 1], vec![2, 2]]);
        let shape = Shape { families: 1, victims: 2, regions };
        let week = SuppressedWeek::build(&shape, &needs, 5);
        let (first, second) = (week.cell(0, shape.region(0, 1), 0, 1), week.cell(0, shape.region(1, 1), 0, 1));
        assert!(
            first == Cell::Suppressed || second == Cell::Suppressed,
            "10 and 12 would show the 2 in the overlap: {first:?} {second:?}"
        );
        assert_eq!(week.cell(0, 0, 0, 1), Cell::Shown(21), "the state is safe");
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
            let shape = &week.shape;
            let (atoms, members) = (shape.atoms(), shape.members());
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
    fn week_of_needs(shape: &Shape) -> impl proptest::strategy::Strategy<Value = Vec<NeedAtom>> {
        use proptest::prelude::*;
        let profiles = shape.atom_count();
        proptest::collection::vec(prop_oneof![6 => Just(0usize), 3 => 1usize..3, 1 => 3usize..9], profiles).prop_map(
            move |counts| {
                shape.atoms().into_iter().zip(counts).flat_map(|(atom, n)| std::iter::repeat_n(atom, n)).collect()
            },
        )
    }

    fn small_shape() -> Shape {
        Shape::single(1, 3, 2)
    }

    fn overlapping() -> Shape {
        Shape::single(2, 3, 3)
    }

    /// Two schemes that do not nest, as Connecticut's planning regions and counties: the second region
    /// of the first scheme spans both regions of the second (as Shelton's region reaches into Fairfield
    /// County), and the second scheme's last region is where a need's county was not recorded.
    fn crossed() -> Shape {
        let regions = RegionLayout::crossed(vec![2, 3], vec![vec![1, 1], vec![2, 1], vec![2, 2], vec![1, 3]]);
        Shape { families: 1, victims: 2, regions }
    }

    /// Suppresses `atoms` and fails when the [`Adversary`] pins a small count or a line's hidden sum.
    fn adversary_pins_nothing(shape: &Shape, atoms: &[NeedAtom]) -> Result<(), proptest::test_runner::TestCaseError> {
        let k = 5;
        let week = SuppressedWeek::build(shape, atoms, k);
        let adversary = Adversary::new(&week);
        // Only small values matter: a zero or a count of k or more may be known.
        let pinned = |group: &[usize], value: i64| {
            let (low, high) = if (1..k).contains(&value) { adversary.bounds(group) } else { (0.0, f64::INFINITY) };
            (high - low < 0.5).then(|| format!("{group:?} = {value}, pinned to [{low}, {high}]"))
        };
        // No small count, published or only implied, can be worked out exactly...
        for (i, value) in week.values.iter().enumerate() {
            if let Some(found) = pinned(&[i], *value) {
                proptest::prop_assert!(false, "count {found}");
            }
        }
        // ...nor the sum of the hidden counts of any line (the [10, *, *] with total 13 attack).
        let unknown = |i: usize| week.hidden[i] || (1..k).contains(&week.values[i]);
        for (_, members) in shape.web(&week.values).sums() {
            let group: Vec<usize> = members.iter().copied().filter(|&i| unknown(i)).collect();
            let value = group.iter().map(|&i| week.values[i]).sum();
            if group.len() >= 2
                && let Some(found) = pinned(&group, value)
            {
                proptest::prop_assert!(false, "hidden counts {found}");
            }
        }
        Ok(())
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(24))]

        /// What suppression does guarantee today, on the dashboard's real shape: no sum whose total a reader
        /// knows gives away one of its counts on its own, nor hides counts whose sum is small.
        #[test]
        fn no_single_sum_gives_a_small_count_away(atoms in week_of_needs(&Shape::single(3, 3, 6))) {
            let k = 5;
            let shape = &Shape::single(3, 3, 6);
            let week = SuppressedWeek::build(shape, &atoms, k);
            let unknown = |i: usize| week.hidden[i] || !shape.published(i);
            let matters = |i: usize| week.values[i] > 0 && (shape.published(i) || (1..k).contains(&week.values[i]));
            for (total, members) in shape.web(&week.values).sums() {
                let values: Vec<i64> = members.iter().map(|&i| week.values[i]).collect();
                let hidden: Vec<bool> = members.iter().map(|&i| unknown(i)).collect();
                let unknowns = hidden.iter().filter(|h| **h).count() + usize::from(unknown(total));
                let lone = members.iter().chain(std::iter::once(&total)).find(|&&i| unknown(i)).copied();
                proptest::prop_assert!(unknowns != 1 || !lone.is_some_and(matters), "a lone hidden count in {members:?}");
                let unpublished: Vec<bool> = members.iter().map(|&i| !shape.published(i)).collect();
                proptest::prop_assert!(unknowns == 1 || unknown(total) || !line_reveals_unpublished(&values, &hidden, &unpublished, k), "{values:?} {hidden:?}");
            }
        }

        /// The acceptance test of the disclosure policy across filters: an adversary solving the whole
        /// system of a week's published counts (its own linear programs, not the audit's) pins no small one.
        #[test]
        fn no_combination_of_published_counts_pins_a_small_one(atoms in week_of_needs(&small_shape())) {
            adversary_pins_nothing(&small_shape(), &atoms)?;
        }
    }

    proptest::proptest! {
        // Each case solves a few thousand programs of a hundred variables: fewer cases than above.
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(8))]

        /// The same on a shape with two families and three victim classes, where needs involve several
        /// families at once and the family views overlap.
        #[test]
        fn no_combination_pins_a_small_one_when_families_overlap(atoms in week_of_needs(&overlapping())) {
            adversary_pins_nothing(&overlapping(), &atoms)?;
        }

        /// The same when a week is published by two schemes whose regions overlap: no county minus the
        /// planning regions it holds, nor any other difference across the schemes, pins a small count.
        #[test]
        fn no_combination_pins_a_small_one_across_two_schemes(atoms in week_of_needs(&crossed())) {
            adversary_pins_nothing(&crossed(), &atoms)?;
        }
    }
}
