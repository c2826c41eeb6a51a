//! How long the check stage takes on synthetic journeys of 1,000, 10,000 and 100,000 claims.
//!
//! `cargo bench --bench stn` (release profile). Each journey is built through the public API:
//! events in travel order, a rail leg between consecutive stops, and claims whose windows
//! bracket a known schedule, so the network is consistent except for the conflicting claims
//! a shape plants. Shapes:
//! - `chain`: a long chain of stops, 10 claims per event (10,000 events at 100k claims);
//! - `hub`: 50 events with many claims each (2,000 per event at 100k claims);
//! - `conflicts`: the chain with 1 claim in 100 out of its event's window (a forecast that
//!   did not come true), so the conflict search runs a thousand times at 100k claims.
//!
//! Prints one line per run: shape, claims, events, findings, milliseconds (best of 3).

use std::collections::BTreeMap;
use std::time::{Duration as StdDuration, Instant};

use chrono::{DateTime, Duration, TimeZone, Utc};
use retrace::check::{check_journey, CheckInput};
use retrace::claims::journey::Event;
use retrace::claims::{Claim, ClaimKind, EventKind, Modality, Scope};
use retrace::ingest::Mode;
use retrace::route::{Leg, Route, RouteStop};
use retrace::text::TextRange;
use retrace::time::{DurationRange, Grain, Window};

/// Minutes between consecutive stops in the schedule, and km between them (at 120 km/h the
/// leg needs 25 min, so the schedule is feasible).
const STEP_MINUTES: i64 = 60;
const LEG_KM: f64 = 50.0;

/// A small deterministic generator (no clock, no external crate).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % below.max(1)
    }
}

struct Journey {
    claims: Vec<Claim>,
    events: Vec<Event>,
    route: Route,
    stop_events: Vec<Option<usize>>,
    published: BTreeMap<String, DateTime<Utc>>,
}

fn claim(
    id: usize,
    kind: ClaimKind,
    window: Option<Window>,
    modality: Modality,
    place: &str,
) -> Claim {
    Claim {
        id: format!("d{}#{}", id % 100, id + 1),
        doc: format!("d{}", id % 100),
        range: TextRange::new(0, 10),
        quote: "synthetic".into(),
        focus: TextRange::new(0, 10),
        kind,
        what: None,
        place_id: Some(place.to_string()),
        place_text: Some(place.to_string()),
        time_text: Some("synthetic".into()),
        window,
        tz: chrono_tz::UTC,
        vague: false,
        unresolved: None,
        modality,
        reading: None,
        before_publication: false,
        weight: modality.weight(),
    }
}

fn journey(n_claims: usize, n_events: usize, conflict_every: Option<usize>) -> Journey {
    let base: DateTime<Utc> = Utc
        .with_ymd_and_hms(2025, 9, 1, 0, 0, 0)
        .single()
        .unwrap_or(DateTime::<Utc>::UNIX_EPOCH);
    let mut rng = Lcg(42);
    let mut events: Vec<Event> = (0..n_events)
        .map(|i| Event {
            id: format!("E{}", i + 1),
            kind: match i {
                0 => EventKind::Depart,
                _ if i + 1 == n_events => EventKind::Arrive,
                _ => EventKind::Pass,
            },
            place_id: Some(format!("p{i}")),
            place_name: Some(format!("Stop {i}")),
            into_country: None,
            what: None,
            claims: Vec::new(),
            tz: chrono_tz::UTC,
        })
        .collect();
    let mut claims = Vec::with_capacity(n_claims);
    // Two quantity claims: a journey time and a speed that fit the schedule.
    let total_minutes = STEP_MINUTES * (n_events as i64 - 1);
    claims.push(claim(
        0,
        ClaimKind::Duration {
            range: DurationRange {
                nominal_s: total_minutes * 60,
                min_s: Some(total_minutes * 60 - 3600),
                max_s: Some(total_minutes * 60 + 3600),
            },
            scope: Scope::OneWay,
        },
        None,
        Modality::Reported,
        "p0",
    ));
    claims.push(claim(
        1,
        ClaimKind::Speed {
            nominal: 50.0,
            min: Some(45.0),
            max: Some(55.0),
        },
        None,
        Modality::Reported,
        "p0",
    ));
    while claims.len() < n_claims {
        let ci = claims.len();
        let conflicting = conflict_every.is_some_and(|k| ci % k == 0);
        // A conflicting claim joins an event that has others to disagree with.
        let ei = if conflicting {
            (ci / conflict_every.unwrap_or(1) * 7 + 3) % n_events
        } else {
            (ci - 2) % n_events
        };
        let at = base + Duration::minutes(STEP_MINUTES * ei as i64);
        let window = if conflicting {
            // Ten hours late: a forecast that did not come true.
            Window::new(
                at + Duration::minutes(600),
                at + Duration::minutes(660),
                Grain::Hour,
            )
        } else {
            let before = 1 + rng.next(180) as i64;
            let after = 1 + rng.next(180) as i64;
            Window::new(
                at - Duration::minutes(before),
                at + Duration::minutes(after),
                Grain::Minute,
            )
        };
        let modality = if conflicting {
            Modality::Expected
        } else {
            Modality::Reported
        };
        events[ei].claims.push(ci);
        claims.push(claim(
            ci,
            ClaimKind::Event(events[ei].kind),
            Some(window),
            modality,
            &format!("p{ei}"),
        ));
    }
    let stops: Vec<RouteStop> = (0..n_events)
        .map(|i| RouteStop {
            name: format!("Stop {i}"),
            place_id: format!("p{i}"),
            lat: 40.0,
            lon: 120.0 + i as f64 * 0.001,
            station: None,
            snap_km: None,
            inferred: false,
            request: Some(i),
        })
        .collect();
    let legs: Vec<Leg> = (1..n_events)
        .map(|i| Leg {
            from: i - 1,
            to: i,
            rail_km: LEG_KM,
            rail_km_max: LEG_KM,
            geodesic_km: LEG_KM,
            off_network: false,
            via: Vec::new(),
        })
        .collect();
    let total = LEG_KM * legs.len() as f64;
    let route = Route {
        stops,
        legs,
        path: Vec::new(),
        total_rail_km: total,
        total_rail_km_max: total,
        total_geodesic_km: total,
    };
    let published = (0..100)
        .map(|d| {
            (
                format!("d{d}"),
                base + Duration::minutes(total_minutes + 24 * 60),
            )
        })
        .collect();
    Journey {
        claims,
        events,
        route,
        stop_events: (0..n_events).map(Some).collect(),
        published,
    }
}

fn time_check(shape: &str, j: &Journey) {
    let input = CheckInput {
        claims: &j.claims,
        events: &j.events,
        route: &j.route,
        stop_events: &j.stop_events,
        published: &j.published,
        mode: Mode::Train,
    };
    let mut best = StdDuration::MAX;
    let mut findings = 0;
    let mut failed = 0;
    for _ in 0..3 {
        let start = Instant::now();
        let outcome = check_journey(&input);
        best = best.min(start.elapsed());
        findings = outcome.findings.len();
        failed = outcome.findings.iter().filter(|f| !f.passed).count();
    }
    println!(
        "{shape:<10} {:>7} claims {:>6} events {:>6} findings ({:>5} failed) {:>9.1} ms",
        j.claims.len(),
        j.events.len(),
        findings,
        failed,
        best.as_secs_f64() * 1000.0
    );
}

fn main() {
    // `cargo test --benches` runs this with `--test`-like flags; a quick pass then suffices.
    let quick = std::env::args().any(|a| a == "--quick" || a == "--test");
    let sizes: &[usize] = if quick {
        &[1_000]
    } else {
        &[1_000, 10_000, 100_000]
    };
    for &n in sizes {
        time_check("chain", &journey(n, (n / 10).max(2), None));
        time_check("hub", &journey(n, 50, None));
        time_check("conflicts", &journey(n, (n / 10).max(2), Some(100)));
    }
}
