//! From claims to the journey's events: claims about the same thing (the departure from
//! Pyongyang, the crossing into China, the arrival in Beijing) are grouped into one [`Event`],
//! and the events are put in travel order.
//!
//! Grouping: departures, arrivals, passes and stops by place; border crossings by the country
//! entered (a named bridge joins the crossing of either of its countries); attendances by what
//! is attended. A departure or arrival claim without a place joins the only such event, or the
//! one with most claims. `travel` claims ("bound for Beijing") name a destination but no time
//! point: they add an arrival there when no claim gives one.
//!
//! Order: the departure first, then crossings, passes and stops by their distance from the
//! origin, then the arrival, then what happens at the destination.

use chrono_tz::Tz;

use super::{Claim, ClaimKind, EventKind};
use crate::place::{Gazetteer, Place, PlaceKind};

/// One event of the journey and the claims about it.
#[derive(Clone, Debug, PartialEq)]
pub struct Event {
    /// `E1`, `E2`, … in travel order.
    pub id: String,
    pub kind: EventKind,
    pub place_id: Option<String>,
    /// The place's English name, for messages.
    pub place_name: Option<String>,
    /// For a border crossing: the country entered (ISO2).
    pub into_country: Option<String>,
    /// For `attend`: what ("parade").
    pub what: Option<String>,
    /// Indices into the case's claims.
    pub claims: Vec<usize>,
    /// The zone the event's times are shown in.
    pub tz: Tz,
}

fn place_tz(place: &Place) -> Option<Tz> {
    place.tz.split('|').next().and_then(|z| z.parse().ok())
}

fn distance_km(a: &Place, b: &Place) -> f64 {
    use geo::{Distance, Geodesic, Point};
    Geodesic::distance(Point::new(a.lon, a.lat), Point::new(b.lon, b.lat)) / 1000.0
}

/// Reads again, in the zone of its event, the time of every claim whose sentence names no
/// place ("had set off from the capital late Monday" is Monday in Pyongyang when the departure
/// is from Pyongyang), and of every border-crossing claim (read on the departure side).
pub fn reread_in_event_zones(claims: &mut [Claim], events: &[Event]) {
    for e in events {
        let crossing = e.kind == EventKind::CrossBorder;
        if e.place_id.is_none() && !crossing {
            continue;
        }
        for &ci in &e.claims {
            let claim = &mut claims[ci];
            // A crossing's claims name the country entered, not the zone they are read in.
            if (claim.place_id.is_some() && !crossing) || claim.tz == e.tz {
                continue;
            }
            let Some((expr, anchor)) = &claim.reading else {
                continue;
            };
            let anchor = crate::time::Anchor {
                tz: e.tz,
                ..anchor.clone()
            };
            let resolved = crate::time::resolve_time_expr(expr, &anchor);
            claim.window = resolved.window;
            claim.tz = e.tz;
            claim.reading = Some((expr.clone(), anchor));
        }
    }
}

/// Groups `claims` into ordered events. `default_tz` shows events that have no place.
pub fn assemble_events(claims: &[Claim], gazetteer: &Gazetteer, default_tz: Tz) -> Vec<Event> {
    let mut events: Vec<Event> = Vec::new();
    let place = |id: &Option<String>| id.as_deref().and_then(|i| gazetteer.get(i));
    let new_event = |kind: EventKind, place_id: Option<String>| Event {
        id: String::new(),
        kind,
        into_country: None,
        what: None,
        claims: Vec::new(),
        tz: place(&place_id).and_then(place_tz).unwrap_or(default_tz),
        place_name: None,
        place_id,
    };

    // Pass 1: claims that name what they are about.
    let mut placeless: Vec<usize> = Vec::new();
    for (i, claim) in claims.iter().enumerate() {
        let ClaimKind::Event(kind) = claim.kind else {
            continue;
        };
        match kind {
            EventKind::Attend => {
                let what = claim.what.clone().unwrap_or_else(|| "event".into());
                match events
                    .iter_mut()
                    .find(|e| e.kind == kind && e.what.as_deref() == Some(&what))
                {
                    Some(e) => {
                        if e.place_id.is_none() && claim.place_id.is_some() {
                            e.place_id = claim.place_id.clone();
                            e.tz = place(&e.place_id).and_then(place_tz).unwrap_or(e.tz);
                        }
                        e.claims.push(i);
                    }
                    None => {
                        let mut e = new_event(kind, claim.place_id.clone());
                        e.what = Some(what);
                        e.claims.push(i);
                        events.push(e);
                    }
                }
            }
            EventKind::CrossBorder => {
                let countries: Vec<String> = place(&claim.place_id)
                    .map(|p| p.country.split('/').map(str::to_string).collect())
                    .unwrap_or_default();
                let existing = events.iter_mut().find(|e| {
                    e.kind == kind
                        && e.into_country
                            .as_ref()
                            .is_some_and(|c| countries.contains(c))
                });
                match existing {
                    Some(e) => e.claims.push(i),
                    None if countries.len() == 1 => {
                        let mut e = new_event(kind, claim.place_id.clone());
                        e.into_country = countries.first().cloned();
                        e.claims.push(i);
                        events.push(e);
                    }
                    // A bridge or unknown place: decided once the countries are known.
                    None => placeless.push(i),
                }
            }
            _ if claim.place_id.is_none() => placeless.push(i),
            EventKind::Travel => {}
            _ => match events
                .iter_mut()
                .find(|e| e.kind == kind && e.place_id == claim.place_id)
            {
                Some(e) => e.claims.push(i),
                None => {
                    let mut e = new_event(kind, claim.place_id.clone());
                    e.claims.push(i);
                    events.push(e);
                }
            },
        }
    }
    // Pass 2: destinations named only by `travel` claims.
    for (i, claim) in claims.iter().enumerate() {
        if claim.kind != ClaimKind::Event(EventKind::Travel) || claim.place_id.is_none() {
            continue;
        }
        let is_city = place(&claim.place_id).is_some_and(|p| p.kind != PlaceKind::Country);
        if is_city && !events.iter().any(|e| e.kind == EventKind::Arrive) {
            let mut e = new_event(EventKind::Arrive, claim.place_id.clone());
            e.claims.push(i);
            events.push(e);
        } else if let Some(e) = events
            .iter_mut()
            .find(|e| e.kind == EventKind::Arrive && e.place_id == claim.place_id)
        {
            e.claims.push(i);
        }
    }
    // Pass 3: claims without a place join the event of their kind with most claims.
    for i in placeless {
        let claim = &claims[i];
        let ClaimKind::Event(kind) = claim.kind else {
            continue;
        };
        let target = events
            .iter_mut()
            .filter(|e| e.kind == kind)
            .max_by_key(|e| e.claims.len());
        match target {
            Some(e) => e.claims.push(i),
            None if kind == EventKind::CrossBorder => {
                // A bridge with no country event yet: enter the side that is not the origin's.
                let mut e = new_event(kind, claim.place_id.clone());
                e.claims.push(i);
                events.push(e);
            }
            None if kind != EventKind::Travel => {
                let mut e = new_event(kind, None);
                e.claims.push(i);
                events.push(e);
            }
            None => {}
        }
    }

    // Order.
    let origin = events
        .iter()
        .find(|e| e.kind == EventKind::Depart)
        .and_then(|e| place(&e.place_id))
        .cloned();
    let destination = events
        .iter()
        .find(|e| e.kind == EventKind::Arrive)
        .and_then(|e| place(&e.place_id))
        .cloned();
    // A crossing that names only a bridge enters the country of the destination side.
    for e in &mut events {
        if e.kind == EventKind::CrossBorder && e.into_country.is_none() {
            let sides: Vec<String> = place(&e.place_id)
                .map(|p| p.country.split('/').map(str::to_string).collect())
                .unwrap_or_default();
            e.into_country = destination
                .as_ref()
                .map(|d| d.country.clone())
                .filter(|c| sides.is_empty() || sides.contains(c))
                .or_else(|| {
                    let origin_country = origin.as_ref().map(|o| o.country.clone());
                    sides
                        .into_iter()
                        .find(|s| Some(s) != origin_country.as_ref())
                });
        }
    }
    let rank = |e: &Event| -> (u8, i64) {
        let progress = match (&origin, place(&e.place_id)) {
            (Some(o), Some(p)) => (distance_km(o, p) * 10.0) as i64,
            _ => 0,
        };
        match e.kind {
            EventKind::Depart => (0, progress),
            EventKind::CrossBorder | EventKind::Pass | EventKind::Stop => (1, progress),
            EventKind::Arrive | EventKind::Travel => (2, progress),
            EventKind::Attend => (3, progress),
            EventKind::Return => (4, progress),
        }
    };
    events.sort_by(|a, b| rank(a).cmp(&rank(b)).then(a.claims.cmp(&b.claims)));
    // A crossing is shown in the zone of the side the traveller leaves, where it is read.
    let origin_tz = origin.as_ref().and_then(place_tz);
    for (i, e) in events.iter_mut().enumerate() {
        e.id = format!("E{}", i + 1);
        e.place_name = place(&e.place_id).map(|p| p.name.clone());
        if e.kind == EventKind::CrossBorder {
            e.tz = origin_tz.unwrap_or(default_tz);
        }
    }
    events
}
