//! A Simple Temporal Network: time points and difference constraints `t_j - t_i <= w`.
//! A negative cycle is a set of constraints that cannot all hold; shortest paths give each
//! point's tightest bounds.
//!
//! [`Solver`] answers both questions fast when there are many more constraints than points
//! (100,000 claims about a few hundred events): only the tightest active constraint of each
//! ordered pair of points binds, so the shortest-path passes run over pairs, not constraints.
//! Conflicts of two constraints on one pair of points (two windows of one event) are found
//! by comparing the pair with its reverse; longer ones by Bellman–Ford from a virtual source,
//! with passes in point order and then in reverse order (Yen's ordering: a path that changes
//! direction k times settles in k + 1 passes; events are numbered in travel order), and the
//! predecessor graph checked for a cycle after every pass, so a conflict is found as soon as
//! it shows rather than after |V| rounds.
//!
//! # Units
//! Minutes relative to a base instant chosen by the caller. Windows are half-open, so an upper
//! bound `t < b` is stored as `t <= b - 1`: minutes are the resolution of every report.

use std::collections::{BTreeMap, BTreeSet};

/// For each point, `(min, max)` of `t_p - t_from` in minutes, `None` where unbounded.
pub type Bounds = Vec<(Option<i64>, Option<i64>)>;

/// Where a constraint comes from, so a conflict can name its claims.
#[derive(Clone, Debug, PartialEq)]
pub enum Origin {
    /// A claim's window (lower or upper bound) on its event.
    ClaimWindow { claim: usize },
    /// A reported event happened before its article was published.
    Published { claim: usize },
    /// A claimed duration between the departure and the arrival.
    Duration { claim: usize },
    /// The shortest time the distance between two stops allows at the mode's top speed.
    TravelMin {
        from_event: usize,
        to_event: usize,
        rail_km: f64,
        speed_kmh: f64,
    },
    /// Events at the destination follow the arrival.
    Order { from_event: usize, to_event: usize },
}

impl Origin {
    pub fn claim(&self) -> Option<usize> {
        match self {
            Origin::ClaimWindow { claim }
            | Origin::Published { claim }
            | Origin::Duration { claim } => Some(*claim),
            _ => None,
        }
    }
}

#[derive(Clone, Debug)]
pub struct Constraint {
    pub from: usize,
    pub to: usize,
    /// Minutes, as written by the source (before the half-open adjustment).
    pub raw_minutes: i64,
    /// True for upper bounds of half-open windows.
    pub strict: bool,
    pub origin: Origin,
    /// Dropped constraints stay listed but no longer bind.
    pub active: bool,
}

impl Constraint {
    /// The weight of the edge: the bound in whole minutes, one less for a strict bound.
    pub fn weight(&self) -> i64 {
        self.raw_minutes - i64::from(self.strict)
    }
}

/// Node 0 is the base instant; events are nodes 1..=n.
#[derive(Clone, Debug, Default)]
pub struct Stn {
    pub points: usize,
    pub constraints: Vec<Constraint>,
}

impl Stn {
    pub fn new(events: usize) -> Stn {
        Stn {
            points: events + 1,
            constraints: Vec::new(),
        }
    }

    /// `t_to - t_from <= minutes` (strict: `<`).
    pub fn add(&mut self, from: usize, to: usize, minutes: i64, strict: bool, origin: Origin) {
        self.constraints.push(Constraint {
            from,
            to,
            raw_minutes: minutes,
            strict,
            origin,
            active: true,
        });
    }

    /// A set of active constraints that cannot all hold, in cycle order, or `None` when the
    /// network is consistent. For repeated questions use a [`Solver`].
    pub fn conflict(&self) -> Option<Vec<usize>> {
        Solver::new(self.clone()).conflict()
    }

    /// Tightest bounds of every point relative to point `from`: `(min, max)` of
    /// `t_p - t_from`, `None` where unbounded (or everywhere when the network is not
    /// consistent).
    pub fn bounds_from(&self, from: usize) -> Bounds {
        Solver::new(self.clone()).bounds_from(from)
    }
}

/// Marks a pair with no active constraint, and a point not reached: no real bound comes near
/// it (minutes from the base instant).
const NO_EDGE: i64 = i64::MAX;

/// Edges grouped by their first point (compressed rows): `(other point, pair)`.
#[derive(Clone, Debug, Default)]
struct Adjacency {
    start: Vec<usize>,
    edges: Vec<(usize, usize)>,
}

impl Adjacency {
    fn new(points: usize, list: impl Iterator<Item = (usize, usize, usize)>) -> Adjacency {
        let mut rows: Vec<(usize, usize, usize)> = list.collect();
        rows.sort_unstable();
        let mut start = vec![0; points + 1];
        for &(u, _, _) in &rows {
            start[u + 1] += 1;
        }
        for i in 0..points {
            start[i + 1] += start[i];
        }
        Adjacency {
            start,
            edges: rows.into_iter().map(|(_, v, p)| (v, p)).collect(),
        }
    }

    fn of(&self, u: usize) -> impl Iterator<Item = (usize, usize)> + '_ {
        self.edges[self.start[u]..self.start[u + 1]].iter().copied()
    }

    fn len_of(&self, u: usize) -> usize {
        self.start[u + 1] - self.start[u]
    }
}

/// The constraints of one ordered pair of points, tightest first.
#[derive(Clone, Debug)]
struct Pair {
    from: usize,
    to: usize,
    /// Constraint indices sorted by weight, then index.
    members: Vec<usize>,
    /// The first active member: the one that binds.
    tightest: Option<usize>,
}

/// An [`Stn`] indexed for repeated conflict searches and bound queries while constraints are
/// switched off and on.
#[derive(Clone, Debug)]
pub struct Solver {
    stn: Stn,
    pairs: Vec<Pair>,
    /// Constraint index → pair index.
    pair_of: Vec<usize>,
    /// Pair index → the pair of the opposite direction.
    reverse: Vec<Option<usize>>,
    /// The pairs as edges by direction: leaving each point towards higher and lower points,
    /// and the same over reversed edges.
    up: Adjacency,
    down: Adjacency,
    reverse_up: Adjacency,
    reverse_down: Adjacency,
    /// The weight of each pair's binding constraint; [`NO_EDGE`] when none is active.
    pair_weight: Vec<i64>,
    /// Claim → its constraints.
    by_claim: BTreeMap<usize, Vec<usize>>,
    /// Pairs (the lower index of a pair and its reverse) whose two-constraint cycle is unchecked.
    unchecked: BTreeSet<usize>,
}

impl Solver {
    pub fn new(mut stn: Stn) -> Solver {
        let points = stn
            .constraints
            .iter()
            .map(|c| c.from.max(c.to) + 1)
            .max()
            .unwrap_or(0)
            .max(stn.points);
        stn.points = points;
        let mut index: BTreeMap<(usize, usize), usize> = BTreeMap::new();
        let mut pairs: Vec<Pair> = Vec::new();
        let mut pair_of = Vec::with_capacity(stn.constraints.len());
        let mut by_claim: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for (ci, c) in stn.constraints.iter().enumerate() {
            let p = *index.entry((c.from, c.to)).or_insert_with(|| {
                pairs.push(Pair {
                    from: c.from,
                    to: c.to,
                    members: Vec::new(),
                    tightest: None,
                });
                pairs.len() - 1
            });
            pairs[p].members.push(ci);
            pair_of.push(p);
            if let Some(claim) = c.origin.claim() {
                by_claim.entry(claim).or_default().push(ci);
            }
        }
        let constraints = &stn.constraints;
        for pair in &mut pairs {
            pair.members
                .sort_by_key(|&ci| (constraints[ci].weight(), ci));
            pair.tightest = pair
                .members
                .iter()
                .copied()
                .find(|&ci| constraints[ci].active);
        }
        let reverse = pairs
            .iter()
            .map(|p| index.get(&(p.to, p.from)).copied())
            .collect::<Vec<_>>();
        let edges = |reversed: bool, upwards: bool| {
            let list = pairs.iter().enumerate().filter_map(|(pi, p)| {
                let (u, v) = if reversed {
                    (p.to, p.from)
                } else {
                    (p.from, p.to)
                };
                (u != v && (v > u) == upwards).then_some((u, v, pi))
            });
            Adjacency::new(points, list)
        };
        let up = edges(false, true);
        let down = edges(false, false);
        let reverse_up = edges(true, true);
        let reverse_down = edges(true, false);
        let pair_weight = pairs
            .iter()
            .map(|p| {
                p.tightest
                    .map_or(NO_EDGE, |ci| stn.constraints[ci].weight())
            })
            .collect();
        let unchecked = (0..pairs.len())
            .map(|p| reverse[p].map_or(p, |r| r.min(p)))
            .collect();
        Solver {
            stn,
            pairs,
            pair_of,
            reverse,
            up,
            down,
            reverse_up,
            reverse_down,
            pair_weight,
            by_claim,
            unchecked,
        }
    }

    pub fn stn(&self) -> &Stn {
        &self.stn
    }

    /// Number of ordered pairs of points with constraints: the edges every pass runs over.
    pub fn pair_count(&self) -> usize {
        self.pairs.len()
    }

    /// The constraints that come from a claim.
    pub fn claim_constraints(&self, claim: usize) -> &[usize] {
        self.by_claim.get(&claim).map_or(&[], Vec::as_slice)
    }

    /// Switches one constraint on or off.
    pub fn set_active(&mut self, constraint: usize, active: bool) {
        let Some(c) = self.stn.constraints.get_mut(constraint) else {
            return;
        };
        if c.active == active {
            return;
        }
        c.active = active;
        let p = self.pair_of[constraint];
        let constraints = &self.stn.constraints;
        let pair = &mut self.pairs[p];
        pair.tightest = pair
            .members
            .iter()
            .copied()
            .find(|&ci| constraints[ci].active);
        self.pair_weight[p] = pair.tightest.map_or(NO_EDGE, |ci| constraints[ci].weight());
        self.unchecked
            .insert(self.reverse[p].map_or(p, |r| r.min(p)));
    }

    /// Switches every constraint of a claim on or off.
    pub fn set_claim_active(&mut self, claim: usize, active: bool) {
        let constraints = self.claim_constraints(claim).to_vec();
        for c in constraints {
            self.set_active(c, active);
        }
    }

    /// True when switching the constraint off would loosen its pair: it is active, the
    /// tightest, and no other active constraint of the pair is as tight.
    pub fn binds(&self, constraint: usize) -> bool {
        let Some(&p) = self.pair_of.get(constraint) else {
            return false;
        };
        let pair = &self.pairs[p];
        if pair.tightest != Some(constraint) {
            return false;
        }
        let weight = self.stn.constraints[constraint].weight();
        !pair.members.iter().any(|&ci| {
            ci != constraint
                && self.stn.constraints[ci].active
                && self.stn.constraints[ci].weight() == weight
        })
    }

    /// The active constraints of the same pair as tight as `constraint` (itself included):
    /// every claim that gives the same bound.
    pub fn tied(&self, constraint: usize) -> Vec<usize> {
        let Some(&p) = self.pair_of.get(constraint) else {
            return Vec::new();
        };
        let weight = self.stn.constraints[constraint].weight();
        self.pairs[p]
            .members
            .iter()
            .copied()
            .filter(|&ci| {
                self.stn.constraints[ci].active && self.stn.constraints[ci].weight() == weight
            })
            .collect()
    }

    /// A set of active constraints that cannot all hold, in cycle order, or `None` when the
    /// network is consistent. Two-constraint conflicts (the windows of one event) come first.
    pub fn conflict(&mut self) -> Option<Vec<usize>> {
        while let Some(p) = self.unchecked.pop_first() {
            let pair = &self.pairs[p];
            let found = match (pair.tightest, self.reverse[p]) {
                (Some(a), _) if pair.from == pair.to => {
                    (self.stn.constraints[a].weight() < 0).then(|| vec![a])
                }
                (Some(a), Some(r)) => match self.pairs[r].tightest {
                    Some(b)
                        if self.stn.constraints[a]
                            .weight()
                            .saturating_add(self.stn.constraints[b].weight())
                            < 0 =>
                    {
                        Some(vec![a, b])
                    }
                    _ => None,
                },
                _ => None,
            };
            if found.is_some() {
                // Asked again before anything changes, the answer is the same.
                self.unchecked.insert(p);
                return found;
            }
        }
        self.negative_cycle()
    }

    /// Bellman–Ford from a virtual source joined to every point by a zero edge.
    fn negative_cycle(&self) -> Option<Vec<usize>> {
        let n = self.stn.points;
        let mut dist = vec![0_i64; n];
        let mut pred: Vec<Option<usize>> = vec![None; n];
        for _ in 0..=n {
            let mut changed = false;
            let mut relax = |u: usize, edges: &Adjacency| {
                let du = dist[u];
                for (v, p) in edges.of(u) {
                    let w = self.pair_weight[p];
                    if w == NO_EDGE {
                        continue;
                    }
                    let candidate = du.saturating_add(w);
                    if candidate < dist[v] {
                        dist[v] = candidate;
                        pred[v] = Some(p);
                        changed = true;
                    }
                }
            };
            for u in 0..n {
                relax(u, &self.up);
            }
            for u in (0..n).rev() {
                relax(u, &self.down);
            }
            if !changed {
                return None;
            }
            if let Some(cycle) = self.predecessor_cycle(&pred) {
                return Some(cycle);
            }
        }
        None
    }

    /// A cycle of the predecessor graph, as constraints in path order. Every such cycle is
    /// negative: each of its edges was tight when set, and one end has dropped since.
    fn predecessor_cycle(&self, pred: &[Option<usize>]) -> Option<Vec<usize>> {
        let n = pred.len();
        // 0: unseen; otherwise the walk that first reached the point.
        let mut walk_of = vec![0_usize; n];
        for start in 0..n {
            if walk_of[start] != 0 {
                continue;
            }
            let walk = start + 1;
            let mut node = start;
            loop {
                if walk_of[node] == walk {
                    // Back on this walk: `node` is on a cycle.
                    let mut cycle = Vec::new();
                    let mut at = node;
                    loop {
                        let p = pred[at]?;
                        cycle.push(self.pairs[p].tightest?);
                        at = self.pairs[p].from;
                        if at == node || cycle.len() > n {
                            break;
                        }
                    }
                    cycle.reverse();
                    return Some(cycle);
                }
                if walk_of[node] != 0 {
                    break;
                }
                walk_of[node] = walk;
                match pred[node] {
                    Some(p) => node = self.pairs[p].from,
                    None => break,
                }
            }
        }
        None
    }

    /// Shortest distances from `source` over the binding constraints (`reverse`: to
    /// `source`, over reversed edges); `None` where unreachable. `None` everywhere when the
    /// passes do not settle (the network is not consistent). Also returns the work done:
    /// pairs looked at.
    fn distances(&self, source: usize, reverse: bool) -> (Vec<Option<i64>>, usize) {
        let n = self.stn.points;
        let mut dist: Vec<i64> = vec![NO_EDGE; n];
        let mut work = 0;
        if source >= n {
            return (vec![None; n], work);
        }
        dist[source] = 0;
        let (up, down) = if reverse {
            (&self.reverse_up, &self.reverse_down)
        } else {
            (&self.up, &self.down)
        };
        for _ in 0..=n {
            let mut changed = false;
            let mut relax = |u: usize, edges: &Adjacency| -> usize {
                let du = dist[u];
                if du == NO_EDGE {
                    return 1;
                }
                for (v, p) in edges.of(u) {
                    let w = self.pair_weight[p];
                    if w == NO_EDGE {
                        continue;
                    }
                    let candidate = du.saturating_add(w);
                    if candidate < dist[v] {
                        dist[v] = candidate;
                        changed = true;
                    }
                }
                1 + edges.len_of(u)
            };
            for u in 0..n {
                work += relax(u, up);
            }
            for u in (0..n).rev() {
                work += relax(u, down);
            }
            if !changed {
                let dist = dist
                    .into_iter()
                    .map(|d| (d != NO_EDGE).then_some(d))
                    .collect();
                return (dist, work);
            }
        }
        (vec![None; n], work)
    }

    /// [`Solver::bounds_from`] and the work it took (pairs looked at), for callers that
    /// spend a budget.
    pub fn bounds_from_counted(&self, from: usize) -> (Bounds, usize) {
        let (forward, forward_work) = self.distances(from, false);
        let (backward, backward_work) = self.distances(from, true);
        let bounds = backward
            .into_iter()
            .zip(forward)
            .map(|(b, f)| (b.map(|d| -d), f))
            .collect();
        (bounds, forward_work + backward_work)
    }

    /// Tightest bounds of every point relative to point `from`: `(min, max)` of
    /// `t_p - t_from`, `None` where unbounded. Call only on a consistent network.
    pub fn bounds_from(&self, from: usize) -> Bounds {
        self.bounds_from_counted(from).0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adjacent_half_open_windows_conflict() {
        // Event 1 in [0, 60) and in [60, 120).
        let mut stn = Stn::new(1);
        stn.add(1, 0, 0, false, Origin::ClaimWindow { claim: 0 });
        stn.add(0, 1, 60, true, Origin::ClaimWindow { claim: 0 });
        stn.add(1, 0, -60, false, Origin::ClaimWindow { claim: 1 });
        stn.add(0, 1, 120, true, Origin::ClaimWindow { claim: 1 });
        let cycle = stn.conflict().expect("conflict");
        let claims: Vec<_> = cycle
            .iter()
            .filter_map(|&c| stn.constraints[c].origin.claim())
            .collect();
        assert!(claims.contains(&0) && claims.contains(&1));
    }

    #[test]
    fn bounds_are_tightest() {
        let mut stn = Stn::new(2);
        stn.add(1, 0, -10, false, Origin::ClaimWindow { claim: 0 }); // t1 >= 10
        stn.add(0, 1, 50, false, Origin::ClaimWindow { claim: 0 }); // t1 <= 50
        stn.add(
            2,
            1,
            -20,
            false,
            Origin::Order {
                from_event: 0,
                to_event: 1,
            },
        ); // t2 >= t1 + 20
        assert!(stn.conflict().is_none());
        let b = stn.bounds_from(0);
        assert_eq!(b[1], (Some(10), Some(50)));
        assert_eq!(b[2], (Some(30), None));
    }

    /// All-pairs shortest paths by Floyd–Warshall over active constraints: the reference.
    fn floyd(stn: &Stn) -> Vec<Vec<Option<i64>>> {
        let n = stn.points;
        let mut d = vec![vec![None; n]; n];
        for (i, row) in d.iter_mut().enumerate() {
            row[i] = Some(0);
        }
        for c in stn.constraints.iter().filter(|c| c.active) {
            let w = c.weight();
            if d[c.from][c.to].is_none_or(|x| w < x) {
                d[c.from][c.to] = Some(w);
            }
        }
        for k in 0..n {
            for i in 0..n {
                for j in 0..n {
                    if let (Some(a), Some(b)) = (d[i][k], d[k][j]) {
                        if d[i][j].is_none_or(|x| a + b < x) {
                            d[i][j] = Some(a + b);
                        }
                    }
                }
            }
        }
        d
    }

    #[test]
    fn solver_agrees_with_floyd_warshall_on_random_networks() {
        // A fixed seed: the same networks on every run.
        let mut rng = fastrand::Rng::with_seed(7);
        let mut next = |below: i64| rng.i64(0..below);
        let mut conflicts_seen = 0;
        for _ in 0..400 {
            let events = 1 + next(6) as usize;
            let mut stn = Stn::new(events);
            for claim in 0..next(14) as usize {
                let from = next(events as i64 + 1) as usize;
                let to = next(events as i64 + 1) as usize;
                let minutes = next(200) - 60;
                stn.add(
                    from,
                    to,
                    minutes,
                    next(2) == 0,
                    Origin::ClaimWindow { claim },
                );
            }
            // Conflicts are searched, one constraint of each dropped, until none is left; at
            // every step the solver must agree with the reference.
            let mut solver = Solver::new(stn);
            loop {
                let stn = solver.stn().clone();
                let reference = floyd(&stn);
                let consistent = (0..stn.points).all(|i| reference[i][i] == Some(0));
                let Some(cycle) = solver.conflict() else {
                    assert!(consistent, "missed a conflict in {stn:?}");
                    for (from, row) in reference.iter().enumerate() {
                        let bounds = solver.bounds_from(from);
                        for (p, &(lo, hi)) in bounds.iter().enumerate() {
                            assert_eq!(hi, row[p], "max {from}->{p} in {stn:?}");
                            assert_eq!(lo, reference[p][from].map(|d| -d), "min {from}->{p}");
                        }
                    }
                    break;
                };
                conflicts_seen += 1;
                assert!(!consistent, "false conflict in {stn:?}");
                let total: i64 = cycle.iter().map(|&c| stn.constraints[c].weight()).sum();
                assert!(total < 0, "cycle {cycle:?} not negative in {stn:?}");
                for (i, &c) in cycle.iter().enumerate() {
                    assert!(stn.constraints[c].active);
                    let next_c = cycle[(i + 1) % cycle.len()];
                    assert_eq!(stn.constraints[c].to, stn.constraints[next_c].from);
                }
                solver.set_active(cycle[next(cycle.len() as i64) as usize], false);
            }
        }
        assert!(conflicts_seen > 20, "the generator should make conflicts");
    }
}
