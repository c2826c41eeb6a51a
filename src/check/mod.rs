//! Check stage: do the claims fit together?
//!
//! In: the claims, the journey's events, the route with the event at each stop, the
//! publication times and the mode. Out: the reconciled window of every event, the speeds the
//! windows imply on each leg, and [`Finding`]s from the rules in [`rules::RULES`].
//!
//! The timeline is a Simple Temporal Network ([`stn`]): one time point per event; each claim's
//! window bounds its event; reported events precede their article's publication; consecutive
//! stops are at least `rail km / top speed` apart; claimed durations bound departure to arrival.
//! While the network has a negative cycle, the claims on it cannot all hold: the conflict is
//! reported with its size, the weakest claim on it is dropped (forecast before report, single
//! source before corroborated), and the search goes on, so every independent conflict is found.

pub mod rules;
pub mod stn;

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use serde_json::json;

use crate::claims::journey::Event;
use crate::claims::{Claim, ClaimKind, EventKind, Scope};
use crate::diag::Severity;
use crate::ingest::Mode;
use crate::route::Route;
use stn::{Origin, Solver, Stn};

/// Shortest-path work (pairs of points looked at, about 5 ns each) the conditional-claim pass
/// may spend: thousands of times what a real case needs (a few dozen pairs), so the budget only
/// matters for synthetic networks of thousands of events.
const CONDITIONAL_WORK_BUDGET: usize = 20_000_000;

/// The same for the exact bounds of the legs' implied speeds.
const LEG_WORK_BUDGET: usize = 20_000_000;

/// Rail km from stop `from` to stop `to`: the legs between them, in order.
fn rail_km_between(route: &Route, from: usize, to: usize) -> f64 {
    let first = route.legs.partition_point(|l| l.from < from);
    route.legs[first..]
        .iter()
        .take_while(|l| l.to <= to)
        .filter(|l| l.from >= from)
        .map(|l| l.rail_km)
        .sum()
}

/// Top average speed by mode, km/h. Conventional trains rarely average more than 120 km/h
/// over a long route; the armoured trains of the seed case average 40–80.
/// A plane's is a jet's cruise; a car's a motorway average.
pub fn mode_top_speed_kmh(mode: Mode) -> f64 {
    match mode {
        Mode::Train => 120.0,
        Mode::Plane => 950.0,
        Mode::Car => 110.0,
    }
}

/// A result of one rule on some claims.
#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    pub rule: &'static str,
    pub severity: Severity,
    pub passed: bool,
    pub message: String,
    /// Indices into the claims.
    pub claims: Vec<usize>,
    pub figures: BTreeMap<String, serde_json::Value>,
}

impl Finding {
    fn new(rule: &'static str, passed: bool, message: String, claims: Vec<usize>) -> Finding {
        let severity = rules::rule(rule)
            .map(|r| r.severity)
            .unwrap_or(Severity::Error);
        Finding {
            rule,
            severity,
            passed,
            message,
            claims,
            figures: BTreeMap::new(),
        }
    }

    fn with(mut self, key: &str, value: serde_json::Value) -> Finding {
        self.figures.insert(key.to_string(), value);
        self
    }
}

/// What the check needs.
pub struct CheckInput<'a> {
    pub claims: &'a [Claim],
    pub events: &'a [Event],
    pub route: &'a Route,
    /// For each route stop, the event at it.
    pub stop_events: &'a [Option<usize>],
    /// Publication time per article id.
    pub published: &'a BTreeMap<String, DateTime<Utc>>,
    pub mode: Mode,
}

/// The reconciled window of an event: `[earliest, latest)`, either side open.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct EventWindow {
    pub earliest: Option<DateTime<Utc>>,
    pub latest: Option<DateTime<Utc>>,
}

/// Implied average speed on a leg, km/h.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct LegSpeed {
    pub min_kmh: Option<f64>,
    pub max_kmh: Option<f64>,
}

#[derive(Clone, Debug, Default)]
pub struct CheckOutcome {
    pub windows: Vec<EventWindow>,
    pub leg_speeds: Vec<LegSpeed>,
    pub findings: Vec<Finding>,
    /// Claims dropped to resolve conflicts.
    pub dropped: Vec<usize>,
}

/// Claims that only set a point in time of an event (not `travel`).
fn binds_time(claim: &Claim) -> bool {
    matches!(claim.kind, ClaimKind::Event(k) if k != EventKind::Travel)
}

/// Runs every check.
pub fn check_journey(input: &CheckInput) -> CheckOutcome {
    let claims = input.claims;
    let events = input.events;
    let event_of_claim: BTreeMap<usize, usize> = events
        .iter()
        .enumerate()
        .flat_map(|(ei, e)| e.claims.iter().map(move |&c| (c, ei)))
        .collect();

    // The base instant: the earliest time anything mentions, floored to the hour.
    let base = claims
        .iter()
        .filter_map(|c| c.window.map(|w| w.earliest))
        .chain(input.published.values().copied())
        .min()
        .unwrap_or(DateTime::<Utc>::UNIX_EPOCH);
    let minutes = |t: DateTime<Utc>| (t - base).num_minutes();
    let instant = |m: i64| base + Duration::minutes(m);
    let point = |event: usize| event + 1;

    let mut net = Stn::new(events.len());
    for (ci, claim) in claims.iter().enumerate() {
        let Some(&ei) = event_of_claim.get(&ci) else {
            continue;
        };
        if !binds_time(claim) {
            continue;
        }
        if let Some(w) = claim.window {
            net.add(
                point(ei),
                0,
                -minutes(w.earliest),
                false,
                Origin::ClaimWindow { claim: ci },
            );
            net.add(
                0,
                point(ei),
                minutes(w.latest),
                true,
                Origin::ClaimWindow { claim: ci },
            );
        }
        if claim.before_publication {
            if let Some(&p) = input.published.get(&claim.doc) {
                net.add(
                    0,
                    point(ei),
                    minutes(p),
                    true,
                    Origin::Published { claim: ci },
                );
            }
        }
    }
    // Travel times between consecutive stops that carry events.
    let top_speed = mode_top_speed_kmh(input.mode);
    let mut previous: Option<(usize, usize)> = None; // (stop, event)
    for (si, ev) in input.stop_events.iter().enumerate() {
        let Some(ei) = *ev else { continue };
        if let Some((ps, pe)) = previous {
            let km = rail_km_between(input.route, ps, si);
            let min_minutes = (km / top_speed * 60.0).floor() as i64;
            net.add(
                point(ei),
                point(pe),
                -min_minutes,
                false,
                Origin::TravelMin {
                    from_event: pe,
                    to_event: ei,
                    rail_km: km,
                    speed_kmh: top_speed,
                },
            );
        }
        previous = Some((si, ei));
    }
    // What happens at the destination follows the arrival.
    let arrival = events.iter().rposition(|e| e.kind == EventKind::Arrive);
    let departure = events.iter().position(|e| e.kind == EventKind::Depart);
    if let Some(a) = arrival {
        for (ei, e) in events.iter().enumerate() {
            if e.kind == EventKind::Attend && e.place_id == events[a].place_id {
                net.add(
                    point(ei),
                    point(a),
                    0,
                    false,
                    Origin::Order {
                        from_event: a,
                        to_event: ei,
                    },
                );
            }
        }
    }
    // Claimed durations bound departure → arrival.
    if let (Some(d), Some(a)) = (departure, arrival) {
        for (ci, claim) in claims.iter().enumerate() {
            if let ClaimKind::Duration { range, scope } = &claim.kind {
                if *scope == Scope::RoundTrip {
                    continue;
                }
                if let Some(max) = range.max_s {
                    net.add(
                        point(d),
                        point(a),
                        max / 60,
                        false,
                        Origin::Duration { claim: ci },
                    );
                }
                if let Some(min) = range.min_s {
                    net.add(
                        point(a),
                        point(d),
                        -(min / 60),
                        false,
                        Origin::Duration { claim: ci },
                    );
                }
            }
        }
    }

    let mut findings = Vec::new();
    let mut dropped = Vec::new();
    let corroboration = |ci: usize| -> usize {
        let Some(&ei) = event_of_claim.get(&ci) else {
            return 0;
        };
        let Some(w) = claims[ci].window else { return 0 };
        events[ei]
            .claims
            .iter()
            .filter(|&&o| o != ci && claims[o].doc != claims[ci].doc)
            .filter(|&&o| {
                claims[o]
                    .window
                    .is_some_and(|ow| ow.intersect(&w).is_some())
            })
            .count()
    };
    let mut net = Solver::new(net);
    for _ in 0..=claims.len() {
        let Some(cycle) = net.conflict() else { break };
        let origins: Vec<Origin> = cycle
            .iter()
            .map(|&c| net.stn().constraints[c].origin.clone())
            .collect();
        // With every claim that gives the same bound as one on the cycle: three sources
        // saying "Monday evening" against one saying "Monday afternoon" are all named.
        let mut involved: Vec<usize> = cycle
            .iter()
            .flat_map(|&c| net.tied(c))
            .filter_map(|c| net.stn().constraints[c].origin.claim())
            .collect();
        involved.sort();
        involved.dedup();
        let gap_minutes = -cycle
            .iter()
            .map(|&c| net.stn().constraints[c].raw_minutes)
            .sum::<i64>();
        let rule = if origins.iter().any(|o| matches!(o, Origin::Duration { .. })) {
            "claimed_duration_conflict"
        } else if origins
            .iter()
            .any(|o| matches!(o, Origin::TravelMin { .. }))
        {
            "implied_speed_above_bound"
        } else if origins.iter().any(|o| matches!(o, Origin::Order { .. })) {
            "order_violation"
        } else {
            "time_window_conflict"
        };
        let weakest = involved.iter().copied().min_by(|&a, &b| {
            claims[a]
                .weight
                .total_cmp(&claims[b].weight)
                .then(corroboration(a).cmp(&corroboration(b)))
                .then(b.cmp(&a))
        });
        let Some(weakest) = weakest else {
            // Only structural constraints: cannot happen with non-negative distances.
            break;
        };
        let message = conflict_message(
            rule,
            &involved,
            claims,
            events,
            &event_of_claim,
            &origins,
            gap_minutes,
            weakest,
        );
        dropped.push(weakest);
        net.set_claim_active(weakest, false);
        // A stated duration that only the rail distance contradicts (no time claim on the
        // cycle) is the fault `duration_vs_distance` reports, with the figures; once is enough.
        let only_distance = rule == "claimed_duration_conflict"
            && origins.iter().all(|o| {
                matches!(
                    o,
                    Origin::Duration { .. } | Origin::TravelMin { .. } | Origin::Order { .. }
                )
            });
        if only_distance {
            continue;
        }
        let mut finding = Finding::new(rule, false, message, involved.clone())
            .with("gap_minutes", json!(gap_minutes))
            .with("dropped_claim", json!(claims[weakest].id));
        for o in &origins {
            if let Origin::TravelMin {
                rail_km, speed_kmh, ..
            } = o
            {
                finding = finding
                    .with("rail_km", json!(round1(*rail_km)))
                    .with("top_speed_kmh", json!(speed_kmh));
            }
        }
        findings.push(finding);
    }

    // Reconciled windows.
    let bounds = net.bounds_from(0);
    let windows: Vec<EventWindow> = (0..events.len())
        .map(|ei| {
            let (lo, hi) = bounds[point(ei)];
            EventWindow {
                earliest: lo.map(instant),
                // Back to half-open: the last allowed minute is included.
                latest: hi.map(|m| instant(m + 1)),
            }
        })
        .collect();

    // Conditional claims: claims whose presence narrows another event's window beyond what
    // the other claims alone allow. Only a claim that binds (the tightest bound of its kind
    // on its event, alone) can narrow anything; each such claim costs two shortest-path
    // passes, so very large networks are checked up to a work budget, in claim order.
    let dropped_set: BTreeSet<usize> = dropped.iter().copied().collect();
    let mut work_done = 0;
    for (ci, claim) in claims.iter().enumerate() {
        if dropped_set.contains(&ci) || claim.window.is_none() || !binds_time(claim) {
            continue;
        }
        let Some(&own_event) = event_of_claim.get(&ci) else {
            continue;
        };
        if !net.claim_constraints(ci).iter().any(|&c| net.binds(c)) {
            continue;
        }
        if work_done >= CONDITIONAL_WORK_BUDGET {
            break;
        }
        net.set_claim_active(ci, false);
        let (free, work) = net.bounds_from_counted(0);
        work_done += work;
        net.set_claim_active(ci, true);
        for (ei, e) in events.iter().enumerate() {
            if ei == own_event {
                continue;
            }
            let (lo, hi) = bounds[point(ei)];
            let (flo, fhi) = free[point(ei)];
            let tz = e.tz;
            // A condition narrows a window the others give; an event no other claim bounds
            // on that side gets its bound from this claim alone, which is no condition.
            let condition = match (hi, fhi, lo, flo) {
                (Some(h), Some(f), _, _) if h != f => {
                    Some(format!("before {}", fmt_time(instant(h + 1), tz)))
                }
                (_, _, Some(l), Some(f)) if l != f => {
                    Some(format!("after {}", fmt_time(instant(l), tz)))
                }
                _ => None,
            };
            if let Some(condition) = condition {
                let message = format!(
                    "{} holds only if {} was {}",
                    describe(claim),
                    event_label(e),
                    condition
                );
                findings.push(
                    Finding::new("conditional_claim", true, message, vec![ci])
                        .with("event", json!(e.id))
                        .with("condition", json!(condition)),
                );
                break;
            }
        }
    }

    // Speeds and durations against the route.
    let rail_km = input.route.total_rail_km;
    let rail_km_max = input.route.total_rail_km_max.max(rail_km);
    let journey_minutes = match (departure, arrival) {
        (Some(d), Some(a)) => {
            let b = net.bounds_from(point(d));
            Some(b[point(a)])
        }
        _ => None,
    };
    if rail_km > 0.0 {
        let speeds: Vec<usize> = (0..claims.len())
            .filter(|&i| matches!(claims[i].kind, ClaimKind::Speed { .. }))
            .collect();
        let durations: Vec<usize> = (0..claims.len())
            .filter(|&i| matches!(&claims[i].kind, ClaimKind::Duration { scope, .. } if *scope != Scope::RoundTrip))
            .collect();
        for &si in &speeds {
            let ClaimKind::Speed { nominal, min, max } = claims[si].kind else {
                continue;
            };
            for &di in durations
                .iter()
                .filter(|&&d| claims[d].doc == claims[si].doc)
            {
                let ClaimKind::Duration { range, .. } = &claims[di].kind else {
                    continue;
                };
                let (Some(max_speed), Some(max_s)) = (max, range.max_s) else {
                    continue;
                };
                let hours = max_s as f64 / 3600.0;
                let covered_km = max_speed * hours;
                let needed_kmh = rail_km / hours;
                let passed = covered_km >= rail_km;
                let message = if passed {
                    format!(
                        "{} at {} covers up to {} km, enough for the {} km rail route",
                        describe(&claims[di]),
                        describe(&claims[si]),
                        fmt_km(covered_km),
                        fmt_km(rail_km)
                    )
                } else {
                    format!(
                        "{} over the {} km rail route needs ≥ {:.0} km/h; {} says {:.0} (at most {:.0} with its wording), which covers only {} km",
                        describe(&claims[di]),
                        fmt_km(rail_km),
                        needed_kmh,
                        describe(&claims[si]),
                        nominal,
                        max_speed,
                        fmt_km(covered_km)
                    )
                };
                findings.push(
                    Finding::new("speed_duration_distance", passed, message, vec![si, di])
                        .with("rail_km", json!(round1(rail_km)))
                        .with("needed_kmh", json!(round1(needed_kmh)))
                        .with("stated_kmh", json!(nominal))
                        .with("covered_km", json!(round1(covered_km))),
                );
            }
            // The speed against the reconciled timeline.
            if let Some((lo, hi)) = journey_minutes {
                let need_min = max.map(|v| rail_km / v * 60.0);
                let need_max = min.map(|v| rail_km_max / v * 60.0);
                let too_slow = matches!((need_min, hi), (Some(n), Some(h)) if n > h as f64);
                let too_fast = matches!((need_max, lo), (Some(n), Some(l)) if n < l as f64);
                let passed = !(too_slow || too_fast);
                let message = format!(
                    "{} gives {} for {} km; the timeline allows {}",
                    describe(&claims[si]),
                    fmt_span_minutes(need_min, need_max),
                    if fmt_km(rail_km) == fmt_km(rail_km_max) {
                        fmt_km(rail_km)
                    } else {
                        format!("{}–{}", fmt_km(rail_km), fmt_km(rail_km_max))
                    },
                    fmt_span_minutes(lo.map(|v| v as f64), hi.map(|v| v as f64))
                );
                findings.push(Finding::new("speed_vs_timeline", passed, message, vec![si]));
            }
        }
        for &di in &durations {
            let ClaimKind::Duration { range, .. } = &claims[di].kind else {
                continue;
            };
            let Some(max_s) = range.max_s else { continue };
            let hours = max_s as f64 / 3600.0;
            if hours <= 0.0 {
                continue;
            }
            let needed = rail_km / hours;
            let passed = needed <= top_speed;
            let message = format!(
                "{} over {} km needs an average of ≥ {:.0} km/h ({} top average for a {}: {:.0} km/h)",
                describe(&claims[di]),
                fmt_km(rail_km),
                needed,
                if passed { "within the" } else { "above the" },
                input.mode.as_str(),
                top_speed
            );
            findings.push(
                Finding::new("duration_vs_distance", passed, message, vec![di])
                    .with("needed_kmh", json!(round1(needed)))
                    .with("rail_km", json!(round1(rail_km))),
            );
        }
    }

    // Implied speeds on each leg between stops with events: the exact bounds between the two
    // events (two shortest-path passes per first event, shared by its legs) up to a work
    // budget; beyond it, the looser bounds the reconciled windows give.
    let mut leg_speeds = vec![LegSpeed::default(); input.route.legs.len()];
    let stops = input.route.stops.len().max(input.stop_events.len());
    let event_at = |stop: usize| input.stop_events.get(stop).copied().flatten();
    // The nearest stop with an event at or before / at or after each stop.
    let mut at_or_before: Vec<Option<(usize, usize)>> = vec![None; stops];
    let mut last = None;
    for (s, slot) in at_or_before.iter_mut().enumerate() {
        if let Some(e) = event_at(s) {
            last = Some((s, e));
        }
        *slot = last;
    }
    let mut at_or_after: Vec<Option<(usize, usize)>> = vec![None; stops];
    let mut next = None;
    for s in (0..stops).rev() {
        if let Some(e) = event_at(s) {
            next = Some((s, e));
        }
        at_or_after[s] = next;
    }
    let mut exact: BTreeMap<usize, stn::Bounds> = BTreeMap::new();
    let mut km_between: BTreeMap<(usize, usize), f64> = BTreeMap::new();
    let mut work_done = 0;
    for (li, leg) in input.route.legs.iter().enumerate() {
        let from = at_or_before.get(leg.from).copied().flatten();
        let to = at_or_after.get(leg.to).copied().flatten();
        let (Some((fs, fe)), Some((ts, te))) = (from, to) else {
            continue;
        };
        let km = *km_between
            .entry((fs, ts))
            .or_insert_with(|| rail_km_between(input.route, fs, ts));
        if !exact.contains_key(&fe) && work_done < LEG_WORK_BUDGET {
            let (b, work) = net.bounds_from_counted(point(fe));
            work_done += work;
            exact.insert(fe, b);
        }
        let (lo, hi) = match exact.get(&fe) {
            Some(b) => b[point(te)],
            None => {
                let (flo, fhi) = bounds[point(fe)];
                let (tlo, thi) = bounds[point(te)];
                let travel_min = (km / top_speed * 60.0).floor() as i64;
                let lo = match (tlo, fhi) {
                    (Some(t), Some(f)) => (t - f).max(travel_min),
                    _ => travel_min,
                };
                (Some(lo), thi.zip(flo).map(|(t, f)| t - f))
            }
        };
        leg_speeds[li] = LegSpeed {
            min_kmh: hi
                .filter(|&h| h > 0)
                .map(|h| round1(km / (h as f64 / 60.0))),
            max_kmh: lo
                .filter(|&l| l > 0)
                .map(|l| round1(km / (l as f64 / 60.0))),
        };
    }

    findings.sort_by_key(|f| {
        (
            f.passed,
            std::cmp::Reverse(f.severity),
            f.claims.first().copied(),
        )
    });
    CheckOutcome {
        windows,
        leg_speeds,
        findings,
        dropped,
    }
}

#[allow(clippy::too_many_arguments)]
fn conflict_message(
    rule: &str,
    involved: &[usize],
    claims: &[Claim],
    events: &[Event],
    event_of_claim: &BTreeMap<usize, usize>,
    origins: &[Origin],
    gap_minutes: i64,
    weakest: usize,
) -> String {
    let list = involved
        .iter()
        .map(|&c| {
            let claim = &claims[c];
            let window = claim
                .window
                .map(|w| {
                    format!(
                        " [{} – {})",
                        fmt_time(w.earliest, claim.tz),
                        fmt_time(w.latest, claim.tz)
                    )
                })
                .unwrap_or_default();
            format!("{}{}", describe(claim), window)
        })
        .collect::<Vec<_>>()
        .join(", ");
    let what = match rule {
        "time_window_conflict" => {
            let event = involved
                .first()
                .and_then(|c| event_of_claim.get(c))
                .map(|&e| event_label(&events[e]))
                .unwrap_or_else(|| "the event".into());
            format!("claims about {event} cannot all hold")
        }
        "implied_speed_above_bound" => {
            let detail = origins
                .iter()
                .find_map(|o| match o {
                    Origin::TravelMin {
                        rail_km,
                        speed_kmh,
                        from_event,
                        to_event,
                    } => Some(format!(
                        "{} to {} is {} km by rail, at least {} at {:.0} km/h",
                        event_label(&events[*from_event]),
                        event_label(&events[*to_event]),
                        fmt_km(*rail_km),
                        fmt_minutes(rail_km / speed_kmh * 60.0),
                        speed_kmh
                    )),
                    _ => None,
                })
                .unwrap_or_default();
            format!("the times leave too little time for the distance: {detail}")
        }
        "claimed_duration_conflict" => {
            "a stated journey time does not fit the departure and arrival times".into()
        }
        _ => "events are out of order".into(),
    };
    let size = if gap_minutes <= 0 {
        "the windows only touch".to_string()
    } else {
        format!("they disagree by {}", fmt_minutes(gap_minutes as f64))
    };
    format!(
        "{what}: {list}; {size}; dropped the weakest, {}",
        claims[weakest].id
    )
}

/// `'late Monday' (01-wire, reported)`.
pub fn describe(claim: &Claim) -> String {
    let phrase = claim
        .time_text
        .clone()
        .or_else(|| {
            claim
                .quote
                .get(
                    claim.focus.start.saturating_sub(claim.range.start)
                        ..claim.focus.end.saturating_sub(claim.range.start),
                )
                .map(str::to_string)
        })
        .unwrap_or_default();
    format!("{:?} ({}, {})", phrase, claim.id, claim.modality.as_str())
}

pub fn event_label(e: &Event) -> String {
    let place = e
        .place_name
        .clone()
        .or_else(|| e.place_id.clone())
        .unwrap_or_default();
    match e.kind {
        EventKind::Depart => format!("the departure ({place})"),
        EventKind::Arrive => format!("the arrival ({place})"),
        EventKind::CrossBorder => format!(
            "the border crossing into {}",
            e.into_country.as_deref().unwrap_or("?")
        ),
        EventKind::Attend => format!("the {}", e.what.as_deref().unwrap_or("event")),
        k => format!("{} ({place})", k.as_str()),
    }
}

pub fn fmt_time(t: DateTime<Utc>, tz: Tz) -> String {
    t.with_timezone(&tz)
        .format("%a %Y-%m-%d %H:%M %Z")
        .to_string()
}

pub fn fmt_minutes(m: f64) -> String {
    let m = m.round() as i64;
    if m.abs() < 60 {
        format!("{m} min")
    } else {
        format!("{} h {:02} min", m / 60, (m % 60).abs())
    }
}

fn fmt_span_minutes(lo: Option<f64>, hi: Option<f64>) -> String {
    match (lo, hi) {
        (Some(a), Some(b)) => format!("{} to {}", fmt_minutes(a), fmt_minutes(b)),
        (Some(a), None) => format!("at least {}", fmt_minutes(a)),
        (None, Some(b)) => format!("at most {}", fmt_minutes(b)),
        (None, None) => "any duration".into(),
    }
}

/// `1,201` for 1201.4.
pub fn fmt_km(km: f64) -> String {
    let n = km.round() as i64;
    let s = n.abs().to_string();
    let mut out = String::new();
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    if n < 0 {
        format!("-{out}")
    } else {
        out
    }
}

pub fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn km_and_minutes_read_well() {
        assert_eq!(fmt_km(1201.4), "1,201");
        assert_eq!(fmt_minutes(150.0), "2 h 30 min");
        assert_eq!(fmt_minutes(5.0), "5 min");
    }
}
