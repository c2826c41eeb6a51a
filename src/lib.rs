//! retrace reconstructs a journey from several news articles and checks whether their accounts
//! hold together.
//!
//! The pipeline, one module a stage: [`ingest`] (files → [`ingest::Article`]s) → [`time`]
//! (phrases → windows) → [`place`] (toponyms → gazetteer entries) → [`claims`] (who went where
//! when; speeds, durations, distances) → [`route`] (stops and legs on a rail network) →
//! [`check`] (consistency) → [`render`] (SVG, PNG) → [`report`] (JSON, GeoJSON, Markdown).
//! The core does no IO except [`ingest`], which reads articles; the binary writes files.

pub mod check;
pub mod claims;
pub mod diag;
pub mod error;
pub mod ingest;
pub mod place;
pub mod render;
pub mod report;
pub mod route;
pub mod sample;
pub mod scan;
pub mod text;
pub mod time;
pub mod tsv;

pub use error::{Error, Result};

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use crate::check::{check_journey, CheckInput, CheckOutcome};
use crate::claims::journey::{assemble_events, Event};
use crate::claims::{extract_claims, ArticleFindings, Claim, EventKind, Traveller};
use crate::diag::Diagnostic;
use crate::ingest::Case;
use crate::place::{Gazetteer, PlaceKind};
use crate::route::{plan_route, RailGraph, Route, StopKind, StopRequest};

/// Everything the pipeline produced for one case; [`report::build_report`] turns it into the
/// report.
#[derive(Clone, Debug)]
pub struct Reconstruction {
    pub case: Case,
    pub traveller: Traveller,
    /// Per article, in the case's order.
    pub findings: Vec<ArticleFindings>,
    /// All claims of all articles, in article order.
    pub claims: Vec<Claim>,
    pub events: Vec<Event>,
    pub route: Route,
    /// For each route stop, the event at it.
    pub stop_events: Vec<Option<usize>>,
    pub outcome: CheckOutcome,
    pub diagnostics: Vec<Diagnostic>,
}

/// Runs the pipeline on a loaded case.
///
/// # Examples
/// ```
/// use retrace::{ingest, place::Gazetteer, route::RailGraph};
/// let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/cases/kim-train-2025");
/// let case = ingest::load_case(&dir, &[]).unwrap();
/// let r = retrace::reconstruct(case, Gazetteer::embedded(), &RailGraph::embedded());
/// assert!(!r.claims.is_empty());
/// ```
pub fn reconstruct(case: Case, gazetteer: &Gazetteer, rail: &RailGraph) -> Reconstruction {
    let traveller = traveller_of(&case, gazetteer);
    let mut findings = Vec::with_capacity(case.articles.len());
    let mut claims = Vec::new();
    let mut diagnostics = Vec::new();
    for article in &case.articles {
        let f = extract_claims(article, gazetteer, &traveller);
        claims.extend(f.claims.iter().cloned());
        diagnostics.extend(f.diagnostics.iter().cloned());
        findings.push(f);
    }
    let default_tz = findings
        .first()
        .map(|f| f.default_tz)
        .unwrap_or(chrono_tz::UTC);
    let events = assemble_events(&claims, gazetteer, default_tz);
    claims::journey::reread_in_event_zones(&mut claims, &events);

    // Stops in travel order: the events that happen at a place on the way.
    let mut requests = Vec::new();
    let mut request_event = Vec::new();
    for (ei, e) in events.iter().enumerate() {
        if matches!(
            e.kind,
            EventKind::Attend | EventKind::Return | EventKind::Travel
        ) {
            continue;
        }
        let place = e.place_id.as_deref().and_then(|id| gazetteer.get(id));
        let kind = match (e.kind, place) {
            (EventKind::CrossBorder, Some(p)) if p.kind == PlaceKind::BorderBridge => {
                StopKind::Place
            }
            (EventKind::CrossBorder, _) => match &e.into_country {
                Some(c) => StopKind::BorderInto { into: c.clone() },
                None => continue,
            },
            (_, Some(_)) => StopKind::Place,
            (_, None) => continue,
        };
        let (place_id, name, lat, lon, country) = match place {
            Some(p) => (
                p.id.clone(),
                p.name.clone(),
                p.lat,
                p.lon,
                p.country.clone(),
            ),
            None => (String::new(), String::new(), 0.0, 0.0, String::new()),
        };
        requests.push(StopRequest {
            place_id,
            name,
            lat,
            lon,
            country,
            kind,
        });
        request_event.push(ei);
    }
    let (route, route_diags) = plan_route(rail, &requests);
    diagnostics.extend(route_diags);
    let stop_events: Vec<Option<usize>> = route
        .stops
        .iter()
        .map(|s| s.request.and_then(|r| request_event.get(r).copied()))
        .collect();

    let published: BTreeMap<String, DateTime<Utc>> = case
        .articles
        .iter()
        .filter_map(|a| a.published.map(|p| (a.id.clone(), p.with_timezone(&Utc))))
        .collect();
    let outcome = check_journey(&CheckInput {
        claims: &claims,
        events: &events,
        route: &route,
        stop_events: &stop_events,
        published: &published,
        mode: case.config.mode,
    });
    Reconstruction {
        case,
        traveller,
        findings,
        claims,
        events,
        route,
        stop_events,
        outcome,
        diagnostics,
    }
}

/// The traveller's names: from `case.toml`, plus the family name ("Kim" of "Kim Jong Un",
/// "Putin" of "Vladimir Putin"); without one, the name that most often comes right before a
/// travel verb.
fn traveller_of(case: &Case, gazetteer: &Gazetteer) -> Traveller {
    let mut names: Vec<String> = Vec::new();
    let full = case.config.traveller.clone().or_else(|| {
        claims::infer_traveller(case.articles.iter().map(|a| a.text.as_str()), |name| {
            !crate::place::find_places(name, gazetteer).is_empty()
        })
    });
    // The full name first: reports name the traveller by it.
    if let Some(t) = full {
        let words: Vec<String> = t.split_whitespace().map(str::to_string).collect();
        names.push(t);
        for w in [words.first(), words.last()].into_iter().flatten() {
            if w.len() >= 3 && w.chars().next().is_some_and(char::is_uppercase) {
                names.push(w.clone());
            }
        }
    }
    names.extend(case.config.aliases.iter().cloned());
    let mut seen = std::collections::BTreeSet::new();
    names.retain(|n| seen.insert(n.clone()));
    Traveller { names }
}
