//! A Simple Temporal Network: time points and difference constraints `t_j - t_i <= w`,
//! solved with Bellman–Ford (petgraph's for bounds; our own pass with a predecessor walk for
//! negative cycles, because the cycle's constraints are what a conflict report needs). A negative cycle is a set of constraints that cannot all
//! hold; shortest paths give each point's tightest bounds.
//!
//! # Units
//! Minutes relative to a base instant chosen by the caller. Windows are half-open, so an upper
//! bound `t < b` is stored as `t <= b - 1`: minutes are the resolution of every report.

use petgraph::algo::bellman_ford;
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::Reversed;

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
    fn weight(&self) -> f64 {
        (self.raw_minutes - i64::from(self.strict)) as f64
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

    fn graph(&self) -> (DiGraph<(), f64>, Vec<usize>) {
        let mut g = DiGraph::with_capacity(self.points + 1, self.constraints.len() + self.points);
        for _ in 0..self.points {
            g.add_node(());
        }
        let mut edge_constraint = Vec::with_capacity(self.constraints.len());
        for (i, c) in self.constraints.iter().enumerate() {
            if c.active {
                g.add_edge(NodeIndex::new(c.from), NodeIndex::new(c.to), c.weight());
                edge_constraint.push(i);
            }
        }
        (g, edge_constraint)
    }

    /// A set of active constraints that cannot all hold, or `None` when the network is
    /// consistent. The constraints are those of one negative cycle, found by Bellman–Ford from
    /// a virtual source that reaches every point (all distances start at 0), with predecessor
    /// edges walked back into the cycle.
    pub fn conflict(&self) -> Option<Vec<usize>> {
        let active: Vec<usize> = (0..self.constraints.len())
            .filter(|&i| self.constraints[i].active)
            .collect();
        let mut dist = vec![0.0_f64; self.points];
        let mut pred: Vec<Option<usize>> = vec![None; self.points];
        let mut last_relaxed = None;
        for _ in 0..self.points {
            last_relaxed = None;
            for &ci in &active {
                let c = &self.constraints[ci];
                let candidate = dist[c.from] + c.weight();
                if candidate < dist[c.to] - 1e-9 {
                    dist[c.to] = candidate;
                    pred[c.to] = Some(ci);
                    last_relaxed = Some(c.to);
                }
            }
            last_relaxed?;
        }
        // Still relaxing after |V| rounds: walk back |V| steps to land on the cycle.
        let mut node = last_relaxed?;
        for _ in 0..self.points {
            node = self.constraints[pred[node]?].from;
        }
        let start = node;
        let mut cycle = Vec::new();
        loop {
            let ci = pred[node]?;
            cycle.push(ci);
            node = self.constraints[ci].from;
            if node == start || cycle.len() > self.points {
                break;
            }
        }
        cycle.reverse();
        Some(cycle)
    }

    /// Tightest bounds of every point relative to point `from`: `(min, max)` of
    /// `t_p - t_from`, `None` where unbounded. Call only on a consistent network.
    pub fn bounds_from(&self, from: usize) -> Vec<(Option<i64>, Option<i64>)> {
        let (g, _) = self.graph();
        let start = NodeIndex::new(from);
        let forward = bellman_ford(&g, start).ok();
        let backward = bellman_ford(Reversed(&g), start).ok();
        (0..self.points)
            .map(|p| {
                let max = forward
                    .as_ref()
                    .map(|f| f.distances[p])
                    .filter(|d| d.is_finite())
                    .map(|d| d.round() as i64);
                let min = backward
                    .as_ref()
                    .map(|b| b.distances[p])
                    .filter(|d| d.is_finite())
                    .map(|d| -(d.round() as i64));
                (min, max)
            })
            .collect()
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
}
