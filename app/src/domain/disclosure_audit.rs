//! The reader's side of disclosure control: holding every published count, what can they work out?
//!
//! The unknowns are how many needs of each exact profile (an *atom*) there were, at least zero. A shown
//! count fixes the sum of its atoms; a hidden one says only that it is at least 1 (zeros are shown). A
//! group of counts is *pinned* when no solution of that linear system moves its sum by a whole need or
//! more: [`Audit::pins`] answers it with linear programs, as an auditor would.
//!
//! Most questions are settled without solving anything: every solution found is kept, and a group whose
//! sum one of them already moves is not pinned. Hiding more only widens what a reader must allow for, so
//! those solutions stay valid as suppression grows.

use std::collections::HashSet;

use microlp::{ComparisonOp, OptimizationDirection, Problem, SolveOutcome};

/// How far a group's sum must be movable, at least, for it not to be pinned (one whole need; the margin
/// absorbs rounding in the solver).
const ONE_NEED: f64 = 1.0 - 1e-6;

/// What a reader sees of one count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seen {
    /// Published with this value.
    Shown(i64),
    /// Published as hidden: at least 1.
    Hidden,
    /// Not published anywhere.
    Unpublished,
}

/// What the published counts leave of one atom.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Role {
    /// Worked out exactly, with this value.
    Fixed(f64),
    /// In no shown count: it can be as large as one likes, which meets every "at least 1" it is part of.
    Unbounded,
    /// A variable of the linear program.
    Variable(usize),
}

/// A value for [`Role::Unbounded`] atoms in stored solutions, large enough to meet any "at least 1".
const LARGE: f64 = 1e6;

/// The linear system a reader can set up, reduced to the atoms it leaves undetermined.
pub struct Audit<'a> {
    /// Atoms of each count.
    members: &'a [Vec<usize>],
    /// True number of needs in each atom.
    truth: Vec<f64>,
    /// What the reader can tell of each atom.
    roles: Vec<Role>,
    /// How many variables the linear program has.
    variables: usize,
    /// Constraints over variables: members, `true` for "equal to", else "at least", and the value.
    constraints: Vec<(Vec<usize>, bool, f64)>,
    /// Solutions found so far, by atom.
    solutions: &'a mut Vec<Vec<f64>>,
}

impl<'a> Audit<'a> {
    /// The reader's system for counts with atoms `members`, seen as `seen`, where atom `a` truly holds
    /// `truth[a]` needs. `solutions` keeps what earlier audits of the same data found (each still a
    /// solution as long as the new audit hides no less).
    pub fn new(truth: &[i64], members: &'a [Vec<usize>], seen: &[Seen], solutions: &'a mut Vec<Vec<f64>>) -> Self {
        let truth: Vec<f64> = truth.iter().map(|&n| n as f64).collect();
        let roles = roles(truth.len(), members, seen);
        let mut variables = 0;
        let roles: Vec<Role> = roles
            .into_iter()
            .map(|role| match role {
                Role::Variable(_) => {
                    variables += 1;
                    Role::Variable(variables - 1)
                }
                other => other,
            })
            .collect();
        let mut constraints = Vec::new();
        let mut seen_before = std::collections::HashSet::new();
        for (atoms, seen) in members.iter().zip(seen) {
            let (equal, value) = match *seen {
                Seen::Shown(value) => (true, value as f64),
                Seen::Hidden if atoms.iter().all(|&a| roles[a] != Role::Unbounded) => (false, 1.0),
                Seen::Hidden | Seen::Unpublished => continue,
            };
            let (mut vars, mut known) = (Vec::new(), 0.0);
            for &a in atoms {
                match roles[a] {
                    Role::Variable(v) => vars.push(v),
                    Role::Fixed(x) => known += x,
                    Role::Unbounded => {}
                }
            }
            let rhs = value - known;
            // An "at least" the worked-out atoms already meet says nothing.
            if !vars.is_empty() && (equal || rhs > 0.0) && seen_before.insert((vars.clone(), equal, rhs.to_bits())) {
                constraints.push((vars, equal, rhs));
            }
        }
        drop_implied(&mut constraints);
        Self { members, truth, roles, variables, constraints, solutions }
    }

    /// Whether a reader can tell the sum of the counts `group` to within less than one need.
    #[cfg(test)]
    fn pins(&mut self, group: &[usize]) -> bool {
        self.first_pinned(&[group.to_vec()]).is_some()
    }

    /// The first of `groups` whose sum a reader can tell to within less than one need, if any; every
    /// group before it can be moved by a whole need or more.
    ///
    /// Solutions already found settle most groups. Then, while it helps, one program pushes the sum of all
    /// unsettled groups up and another down, and each solution settles whatever it moves; only the groups
    /// left after that get programs of their own, in order.
    pub fn first_pinned(&mut self, groups: &[Vec<usize>]) -> Option<usize> {
        let objectives: Vec<Objective> = groups.iter().map(|g| self.objective(g)).collect();
        let mut settled: Vec<bool> = objectives
            .iter()
            .map(|o| match o {
                Objective::Unbounded => true,
                Objective::Known => false,
                Objective::Sum { terms, .. } => self.solutions.iter().any(|s| self.moves(terms, s)),
            })
            .collect();
        loop {
            let open: Vec<usize> =
                (0..groups.len()).filter(|&i| !settled[i] && matches!(objectives[i], Objective::Sum { .. })).collect();
            if open.len() < 2 {
                break;
            }
            let mut combined = vec![0.0; self.variables];
            for &i in &open {
                if let Objective::Sum { dense, .. } = &objectives[i] {
                    combined.iter_mut().zip(dense).for_each(|(c, d)| *c += d);
                }
            }
            let mut progress = false;
            for direction in [OptimizationDirection::Maximize, OptimizationDirection::Minimize] {
                let Extreme::At(solution) = self.solve(&combined, direction) else { continue };
                for &i in &open {
                    if let Objective::Sum { terms, .. } = &objectives[i]
                        && !settled[i]
                        && self.moves(terms, &solution)
                    {
                        settled[i] = true;
                        progress = true;
                    }
                }
                self.solutions.push(solution);
            }
            if !progress {
                break;
            }
        }
        (0..groups.len()).find(|&i| match &objectives[i] {
            _ if settled[i] => false,
            Objective::Unbounded => false,
            Objective::Known => true,
            Objective::Sum { dense, terms } => self.pins_alone(dense, terms),
        })
    }

    /// The objective of a group's sum.
    fn objective(&self, group: &[usize]) -> Objective {
        let mut dense = vec![0.0; self.variables];
        for &count in group {
            for &a in &self.members[count] {
                match self.roles[a] {
                    Role::Unbounded => return Objective::Unbounded,
                    Role::Variable(v) => dense[v] += 1.0,
                    Role::Fixed(_) => {}
                }
            }
        }
        let terms: Vec<(usize, f64)> = self
            .roles
            .iter()
            .enumerate()
            .filter_map(|(a, role)| match role {
                Role::Variable(v) if dense[*v] != 0.0 => Some((a, dense[*v])),
                _ => None,
            })
            .collect();
        if terms.is_empty() { Objective::Known } else { Objective::Sum { dense, terms } }
    }

    /// Whether solution `x` moves the sum of `terms` (atom, weight) a whole need or more from the truth.
    fn moves(&self, terms: &[(usize, f64)], x: &[f64]) -> bool {
        terms.iter().map(|&(a, w)| w * (x[a] - self.truth[a])).sum::<f64>().abs() >= ONE_NEED
    }

    /// Whether no solution moves one group's sum: it is pushed up, then down.
    fn pins_alone(&mut self, dense: &[f64], terms: &[(usize, f64)]) -> bool {
        if self.solutions.iter().any(|s| self.moves(terms, s)) {
            return false;
        }
        for direction in [OptimizationDirection::Maximize, OptimizationDirection::Minimize] {
            match self.solve(dense, direction) {
                Extreme::Unbounded => return false,
                Extreme::At(solution) => {
                    let moved = self.moves(terms, &solution);
                    self.solutions.push(solution);
                    if moved {
                        return false;
                    }
                }
                // Not expected (the truth is a solution); when in doubt, the group counts as pinned.
                Extreme::Unknown => return true,
            }
        }
        true
    }

    /// The solution that takes the sum `objective` (by variable) furthest in `direction`.
    fn solve(&self, objective: &[f64], direction: OptimizationDirection) -> Extreme {
        let mut problem = Problem::new(direction);
        let vars: Vec<_> = objective.iter().map(|&c| problem.add_var(c, (0.0, f64::INFINITY))).collect();
        for (members, equal, rhs) in &self.constraints {
            let terms: Vec<_> = members.iter().map(|&v| (vars[v], 1.0)).collect();
            let op = if *equal { ComparisonOp::Eq } else { ComparisonOp::Ge };
            problem.add_constraint(terms.as_slice(), op, *rhs);
        }
        match problem.solve() {
            Ok(SolveOutcome::Solution(solution)) => Extreme::At(
                self.roles
                    .iter()
                    .map(|role| match role {
                        Role::Fixed(x) => *x,
                        Role::Unbounded => LARGE,
                        Role::Variable(v) => solution[vars[*v]],
                    })
                    .collect(),
            ),
            Err(microlp::Error::Unbounded) => Extreme::Unbounded,
            _ => Extreme::Unknown,
        }
    }
}

/// A web of counts over atoms, hardened against a reader who solves for them: see [`Hardening::harden`].
pub struct Hardening<'a> {
    /// The atoms of each count.
    members: &'a [Vec<usize>],
    /// The counts each atom is part of.
    counts_of: Vec<Vec<usize>>,
    /// What each atom truly holds.
    truth: &'a [i64],
    /// Each count's value.
    values: &'a [i64],
    /// Whether each count appears anywhere.
    published: &'a [bool],
}

impl<'a> Hardening<'a> {
    /// A web whose count `i` is the sum of atoms `members[i]`, worth `values[i]`, where atom `a` truly holds
    /// `truth[a]`; `published[i]` when some view shows count `i`.
    pub fn new(members: &'a [Vec<usize>], truth: &'a [i64], values: &'a [i64], published: &'a [bool]) -> Self {
        let mut counts_of = vec![Vec::new(); truth.len()];
        for (i, atoms) in members.iter().enumerate() {
            for &a in atoms {
                counts_of[a].push(i);
            }
        }
        Self { members, counts_of, truth, values, published }
    }

    /// What a reader sees of each count when `hidden` ones are suppressed.
    fn seen(&self, hidden: &[bool]) -> Vec<Seen> {
        (0..self.values.len())
            .map(|i| match (self.published[i], hidden[i]) {
                (false, _) => Seen::Unpublished,
                (true, true) => Seen::Hidden,
                (true, false) => Seen::Shown(self.values[i]),
            })
            .collect()
    }

    /// Extends `hidden` until a reader holding every shown count pins none of the groups `targets` names
    /// for what they see: while one is pinned, the smallest shown count that includes one of its atoms is
    /// hidden too, and `resuppress` (given everything to hide) makes the web's lines safe again. Each round
    /// hides at least one more count, and with every non-zero count hidden nothing can be pinned, so this
    /// ends.
    pub fn harden(
        &self,
        mut hidden: Vec<bool>,
        targets: impl Fn(&[Seen]) -> Vec<Vec<usize>>,
        mut resuppress: impl FnMut(&[usize]) -> Vec<bool>,
    ) -> Vec<bool> {
        let mut solutions = Vec::new();
        let mut cleared: HashSet<Vec<usize>> = HashSet::new();
        loop {
            let seen = self.seen(&hidden);
            let mut audit = Audit::new(self.truth, self.members, &seen, &mut solutions);
            let groups: Vec<Vec<usize>> = targets(&seen).into_iter().filter(|g| !cleared.contains(g)).collect();
            let Some(first) = audit.first_pinned(&groups) else { return hidden };
            let group = groups[first].clone();
            // Hiding more only widens what a reader must allow for: a group once free stays free.
            cleared.extend(groups.into_iter().take(first));
            // With no non-zero count shown, every atom is unbounded and nothing can be pinned, so there is
            // always a partner here; the `else` only keeps the loop total.
            let Some(partner) = self.partner(&seen, &group) else { return hidden };
            // Starting from everything hidden so far keeps each round hiding no less than the last, which
            // the solutions and cleared groups carried over rely on.
            let mut also: Vec<usize> = (0..hidden.len()).filter(|&i| hidden[i]).collect();
            also.push(partner);
            hidden = resuppress(&also);
        }
    }

    /// The count to hide next for a pinned `group`: the smallest shown non-zero count that includes one of
    /// the group's non-empty atoms, or else the smallest shown non-zero count of all; `None` when nothing is
    /// shown.
    fn partner(&self, seen: &[Seen], group: &[usize]) -> Option<usize> {
        let shown = |i: usize| matches!(seen[i], Seen::Shown(v) if v > 0);
        let near = group
            .iter()
            .flat_map(|&c| self.members[c].iter().copied())
            .filter(|&a| self.truth[a] > 0)
            .flat_map(|a| self.counts_of[a].iter().copied())
            .filter(|&i| shown(i))
            .min_by_key(|&i| (self.values[i], i));
        near.or_else(|| (0..self.values.len()).filter(|&i| shown(i)).min_by_key(|&i| (self.values[i], i)))
    }
}

/// Drops each "at least" implied by another: `x + y + z >= 1` follows from `x + y >= 1`. Nested tables
/// make most of them so, and the linear programs shrink accordingly.
fn drop_implied(constraints: &mut Vec<(Vec<usize>, bool, f64)>) {
    let at_least: Vec<usize> = (0..constraints.len()).filter(|&i| !constraints[i].1).collect();
    let sets: Vec<std::collections::HashSet<usize>> =
        at_least.iter().map(|&i| constraints[i].0.iter().copied().collect()).collect();
    let implied: std::collections::HashSet<usize> = (0..at_least.len())
        .filter(|&b| {
            (0..at_least.len()).any(|a| {
                let (ca, cb) = (&constraints[at_least[a]], &constraints[at_least[b]]);
                a != b
                    && ca.2 >= cb.2
                    && sets[a].len() <= sets[b].len()
                    && (sets[a].len() < sets[b].len() || a < b)
                    && sets[a].is_subset(&sets[b])
            })
        })
        .map(|b| at_least[b])
        .collect();
    let mut i = 0;
    constraints.retain(|_| {
        i += 1;
        !implied.contains(&(i - 1))
    });
}

/// What the published counts leave of each atom (variables not yet numbered).
///
/// A shown zero fixes all its atoms at zero; then a shown count left with one open atom fixes it, until
/// nothing changes. Open atoms in no shown count are unbounded; the rest are variables.
fn roles(atoms: usize, members: &[Vec<usize>], seen: &[Seen]) -> Vec<Role> {
    let mut fixed: Vec<Option<f64>> = vec![None; atoms];
    for (atoms, seen) in members.iter().zip(seen) {
        if *seen == Seen::Shown(0) {
            for &a in atoms {
                fixed[a] = Some(0.0);
            }
        }
    }
    loop {
        let mut changed = false;
        for (atoms, seen) in members.iter().zip(seen) {
            let Seen::Shown(value) = *seen else { continue };
            let mut open = atoms.iter().filter(|&&a| fixed[a].is_none());
            if let (Some(&a), None) = (open.next(), open.next()) {
                let known: f64 = atoms.iter().filter_map(|&a| fixed[a]).sum();
                fixed[a] = Some(value as f64 - known);
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    let mut in_shown = vec![false; atoms];
    for (atoms, seen) in members.iter().zip(seen) {
        if matches!(seen, Seen::Shown(_)) {
            for &a in atoms {
                in_shown[a] = true;
            }
        }
    }
    (0..atoms)
        .map(|a| match fixed[a] {
            Some(x) => Role::Fixed(x),
            None if in_shown[a] => Role::Variable(0),
            None => Role::Unbounded,
        })
        .collect()
}

/// A group's sum, as the reader's program sees it.
enum Objective {
    /// It includes an atom with no upper limit.
    Unbounded,
    /// It is made of atoms the reader has worked out: known exactly.
    Known,
    /// A sum of variables: weights by variable, and the same as (atom, weight) pairs.
    Sum { dense: Vec<f64>, terms: Vec<(usize, f64)> },
}

/// How far a linear program takes a sum.
enum Extreme {
    /// As far as one likes.
    Unbounded,
    /// To this solution, by atom.
    At(Vec<f64>),
    /// The solver gave no answer.
    Unknown,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Three counts of one atom each and their total: the line [10, *, *] with total 14.
    fn line(seen: [Seen; 4]) -> (Vec<i64>, Vec<Vec<usize>>, [Seen; 4]) {
        (vec![10, 2, 2], vec![vec![0], vec![1], vec![2], vec![0, 1, 2]], seen)
    }

    #[test]
    fn two_hidden_counts_of_a_known_line_are_each_free_but_their_sum_is_pinned() {
        let (truth, members, seen) = line([Seen::Shown(10), Seen::Hidden, Seen::Hidden, Seen::Shown(14)]);
        let mut solutions = Vec::new();
        let mut audit = Audit::new(&truth, &members, &seen, &mut solutions);
        assert!(!audit.pins(&[1]), "the first hidden count could be 1, 2 or 3");
        assert!(audit.pins(&[1, 2]), "but both together are 14 - 10");
    }

    #[test]
    fn a_hidden_total_frees_the_sum() {
        let (truth, members, seen) = line([Seen::Shown(10), Seen::Hidden, Seen::Hidden, Seen::Hidden]);
        let mut solutions = Vec::new();
        assert!(!Audit::new(&truth, &members, &seen, &mut solutions).pins(&[1, 2]));
    }

    #[test]
    fn a_lone_hidden_count_follows_from_its_total() {
        let (truth, members, seen) = line([Seen::Shown(10), Seen::Shown(2), Seen::Hidden, Seen::Shown(14)]);
        let mut solutions = Vec::new();
        assert!(Audit::new(&truth, &members, &seen, &mut solutions).pins(&[2]));
    }

    #[test]
    fn solutions_found_once_settle_later_questions_without_solving() {
        let (truth, members, seen) = line([Seen::Shown(10), Seen::Hidden, Seen::Hidden, Seen::Shown(14)]);
        let mut solutions = Vec::new();
        assert!(!Audit::new(&truth, &members, &seen, &mut solutions).pins(&[1]));
        let found = solutions.len();
        assert!(found >= 1);
        assert!(!Audit::new(&truth, &members, &seen, &mut solutions).pins(&[2]), "what moves one moves the other");
        assert_eq!(solutions.len(), found, "no new program was solved");
    }
}
