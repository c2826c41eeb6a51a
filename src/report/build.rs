//! From the pipeline's values to the wire report.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::wire::*;
use crate::check::{round1, Finding};
use crate::claims::{Claim, ClaimKind};
use crate::diag::{Diagnostic, Severity};
use crate::ingest::{Article, PublishedBasis};
use crate::place::{Gazetteer, Place, PlaceKind};
use crate::time::{TimexMod, TimexType};
use crate::Reconstruction;

pub(crate) fn iso(t: DateTime<Utc>, tz: Tz) -> String {
    let local = t.with_timezone(&tz);
    crate::text::iso8601(&local, &mut [0u8; 25]).into_owned()
}

pub(crate) fn window_wire(earliest: DateTime<Utc>, latest: DateTime<Utc>, tz: Tz) -> WindowWire {
    WindowWire {
        start: iso(earliest, tz),
        end: iso(latest, tz),
    }
}

pub(crate) fn round5(x: f64) -> f64 {
    (x * 100_000.0).round() / 100_000.0
}

pub(crate) fn kind_str(k: PlaceKind) -> &'static str {
    match k {
        PlaceKind::City => "city",
        PlaceKind::Country => "country",
        PlaceKind::RailStation => "rail_station",
        PlaceKind::BorderBridge => "border_bridge",
        PlaceKind::Region => "region",
    }
}

pub(crate) fn timex_type(t: TimexType) -> &'static str {
    match t {
        TimexType::Date => "DATE",
        TimexType::Time => "TIME",
        TimexType::Duration => "DURATION",
        TimexType::Set => "SET",
    }
}

pub(crate) fn timex_mod(m: TimexMod) -> &'static str {
    match m {
        TimexMod::Approx => "APPROX",
        TimexMod::LessThan => "LESS_THAN",
        TimexMod::MoreThan => "MORE_THAN",
        TimexMod::EqualOrLess => "EQUAL_OR_LESS",
        TimexMod::EqualOrMore => "EQUAL_OR_MORE",
        TimexMod::Start => "START",
        TimexMod::Mid => "MID",
        TimexMod::End => "END",
        TimexMod::Before => "BEFORE",
        TimexMod::After => "AFTER",
    }
}

fn place_wire(p: &Place) -> PlaceWire {
    PlaceWire {
        id: p.id.clone(),
        name: p.name.clone(),
        native: p.native.clone(),
        lat: round5(p.lat),
        lon: round5(p.lon),
        country: p.country.clone(),
        tz: p.tz.clone(),
        kind: kind_str(p.kind).into(),
    }
}

fn document_wire(a: &Article, dateline: Option<String>) -> DocumentWire {
    let tz = a
        .published
        .map(|p| crate::time::zone_for_offset(*p.offset()))
        .unwrap_or(chrono_tz::UTC);
    DocumentWire {
        id: a.id.clone(),
        file: a.file.clone(),
        source: a.source.clone(),
        title: a.title.clone(),
        url: a.url.clone(),
        published: a
            .published
            .map(|p| p.format("%Y-%m-%dT%H:%M:%S%:z").to_string()),
        published_inferred: a.is_published_inferred(),
        published_basis: a.published_basis.describe(),
        published_window: a.published_window.map(|(s, e)| window_wire(s, e, tz)),
        dateline,
    }
}

pub(crate) fn claim_wire(c: &Claim, article: &Article, gazetteer: &Gazetteer) -> ClaimWire {
    let (line, col) = article.file_position(c.focus.start);
    let (event, quantity) = match &c.kind {
        ClaimKind::Event(k) => (k.as_str().to_string(), None),
        ClaimKind::Speed { nominal, min, max } => (
            "speed".to_string(),
            Some(QuantityWire {
                unit: "km/h".into(),
                nominal: round1(*nominal),
                min: min.map(round1),
                max: max.map(round1),
                scope: None,
            }),
        ),
        ClaimKind::Distance { nominal, min, max } => (
            "distance".to_string(),
            Some(QuantityWire {
                unit: "km".into(),
                nominal: round1(*nominal),
                min: min.map(round1),
                max: max.map(round1),
                scope: None,
            }),
        ),
        ClaimKind::Duration { range, scope } => (
            "duration".to_string(),
            Some(QuantityWire {
                unit: "s".into(),
                nominal: range.nominal_s as f64,
                min: range.min_s.map(|v| v as f64),
                max: range.max_s.map(|v| v as f64),
                scope: Some(scope.as_str().into()),
            }),
        ),
    };
    ClaimWire {
        id: c.id.clone(),
        doc: c.doc.clone(),
        quote: c.quote.clone(),
        start: c.range.start,
        end: c.range.end,
        line,
        col,
        event,
        place: c
            .place_id
            .as_deref()
            .and_then(|id| gazetteer.get(id))
            .map(|p| p.name.clone()),
        place_id: c.place_id.clone(),
        window: c.window.map(|w| window_wire(w.earliest, w.latest, c.tz)),
        time_text: c.time_text.clone(),
        vague: c.vague,
        modality: c.modality.as_str().into(),
        quantity,
        weight: c.weight,
    }
}

/// A time mention as `report.json` (and `retrace scan`) write it.
pub(crate) fn mention_wire(a: &Article, m: &crate::claims::ResolvedMention) -> MentionWire {
    let (line, col) = a.file_position(m.expr.range.start);
    MentionWire {
        doc: a.id.clone(),
        start: m.expr.range.start,
        end: m.expr.range.end,
        line,
        col,
        text: m.expr.text.clone(),
        value: m
            .resolved
            .window
            .map(|w| window_wire(w.earliest, w.latest, m.tz)),
        duration: m.resolved.duration.map(|d| DurationWire {
            nominal_s: d.nominal_s,
            min_s: d.min_s,
            max_s: d.max_s,
        }),
        grain: m.resolved.grain.as_str().into(),
        timex3: Timex3Wire {
            kind: timex_type(m.resolved.timex3.kind).into(),
            value: m.resolved.timex3.value.clone(),
            modifier: m.resolved.timex3.modifier.map(|x| timex_mod(x).to_string()),
        },
        rule: m.expr.rule.to_string(),
        tz: m.tz.name().to_string(),
        unresolved: m.resolved.unresolved.clone(),
        note: m.resolved.note.clone(),
        reported_by: m.expr.reported_by.map(|r| SpanWire {
            start: r.start,
            end: r.end,
            text: a.text.get(r.start..r.end).unwrap_or("").to_string(),
        }),
    }
}

/// A check row, before ids are given.
struct Row {
    rule: String,
    severity: Severity,
    status: &'static str,
    message: String,
    claims: Vec<String>,
    figures: BTreeMap<String, serde_json::Value>,
    doc: Option<String>,
    line: Option<usize>,
}

fn finding_row(f: &Finding, r: &Reconstruction) -> Row {
    let first = f.claims.first().map(|&c| &r.claims[c]);
    let (doc, line) = match first {
        Some(c) => {
            let line = r
                .case
                .articles
                .iter()
                .find(|a| a.id == c.doc)
                .map(|a| a.file_position(c.focus.start).0);
            (Some(c.doc.clone()), line)
        }
        None => (None, None),
    };
    Row {
        rule: f.rule.to_string(),
        severity: f.severity,
        status: if f.passed { "pass" } else { "fail" },
        message: f.message.clone(),
        claims: f.claims.iter().map(|&c| r.claims[c].id.clone()).collect(),
        figures: f.figures.clone(),
        doc,
        line,
    }
}

fn diagnostic_row(d: &Diagnostic) -> Row {
    Row {
        rule: d.code.clone(),
        severity: d.severity,
        status: if d.severity == Severity::Info {
            "info"
        } else {
            "fail"
        },
        message: d.message.clone(),
        claims: Vec::new(),
        figures: BTreeMap::new(),
        doc: d.doc.clone(),
        line: d.line,
    }
}

/// Builds `report.json`'s content.
pub fn build_report(r: &Reconstruction, gazetteer: &Gazetteer) -> ReportWire {
    let articles = &r.case.articles;
    let article = |id: &str| articles.iter().find(|a| a.id == id);

    let documents = articles
        .iter()
        .zip(&r.findings)
        .map(|(a, f)| document_wire(a, f.dateline.clone()))
        .collect();

    let mut mentions = Vec::new();
    let mut place_ids: Vec<String> = Vec::new();
    for (a, f) in articles.iter().zip(&r.findings) {
        for m in &f.mentions {
            mentions.push(mention_wire(a, m));
        }
        place_ids.extend(f.places.iter().map(|p| p.place_id.clone()));
    }
    place_ids.extend(r.route.stops.iter().map(|s| s.place_id.clone()));
    place_ids.sort();
    place_ids.dedup();
    let places = place_ids
        .iter()
        .filter_map(|id| gazetteer.get(id))
        .map(place_wire)
        .collect();

    let claims: Vec<ClaimWire> = r
        .claims
        .iter()
        .filter_map(|c| article(&c.doc).map(|a| claim_wire(c, a, gazetteer)))
        .collect();

    let timeline = r
        .events
        .iter()
        .zip(&r.outcome.windows)
        .map(|(e, w)| EventWire {
            id: e.id.clone(),
            event: e.kind.as_str().into(),
            place: e
                .place_id
                .as_deref()
                .and_then(|id| gazetteer.get(id))
                .map(|p| p.name.clone()),
            place_id: e.place_id.clone(),
            window: match (w.earliest, w.latest) {
                (Some(a), Some(b)) => Some(window_wire(a, b, e.tz)),
                _ => None,
            },
            tz: e.tz.name().to_string(),
            claims: e.claims.iter().map(|&c| r.claims[c].id.clone()).collect(),
        })
        .collect();

    let stops: Vec<StopWire> = r
        .route
        .stops
        .iter()
        .enumerate()
        .map(|(si, s)| {
            let event = r.stop_events.get(si).copied().flatten();
            let window = event.and_then(|ei| {
                let w = r.outcome.windows.get(ei)?;
                let tz = r.events[ei].tz;
                Some(window_wire(w.earliest?, w.latest?, tz))
            });
            StopWire {
                name: s.name.clone(),
                native: gazetteer.get(&s.place_id).and_then(|p| p.native.clone()),
                place_id: s.place_id.clone(),
                lat: round5(s.lat),
                lon: round5(s.lon),
                station: s.station.clone(),
                inferred: s.inferred,
                window,
                event: event.map(|ei| r.events[ei].kind.as_str().to_string()),
                tz: event
                    .and_then(|ei| r.events.get(ei))
                    .map(|e| e.tz.name().to_string())
                    .or_else(|| gazetteer.get(&s.place_id).map(|p| p.tz.clone()))
                    .unwrap_or_default(),
            }
        })
        .collect();
    let legs = r
        .route
        .legs
        .iter()
        .enumerate()
        .map(|(li, l)| {
            let speed = r.outcome.leg_speeds.get(li).copied().unwrap_or_default();
            LegWire {
                from: r
                    .route
                    .stops
                    .get(l.from)
                    .map(|s| s.name.clone())
                    .unwrap_or_default(),
                to: r
                    .route
                    .stops
                    .get(l.to)
                    .map(|s| s.name.clone())
                    .unwrap_or_default(),
                rail_km: round1(l.rail_km),
                rail_km_max: round1(l.rail_km_max),
                geodesic_km: round1(l.geodesic_km),
                off_network: l.off_network,
                via: l.via.clone(),
                speed_kmh: SpeedWire {
                    min: speed.min_kmh,
                    max: speed.max_kmh,
                },
            }
        })
        .collect();
    let route = RouteWire {
        stops,
        legs,
        path: r
            .route
            .path
            .iter()
            .map(|p| [round5(p.lon), round5(p.lat)])
            .collect(),
        total_rail_km: round1(r.route.total_rail_km),
        total_rail_km_max: round1(r.route.total_rail_km_max),
        total_geodesic_km: round1(r.route.total_geodesic_km),
    };

    // Checks: rule results, then findings about the input.
    let mut rows: Vec<Row> = r
        .outcome
        .findings
        .iter()
        .map(|f| finding_row(f, r))
        .collect();
    for a in articles {
        if a.is_published_inferred() {
            let window = a
                .published_window
                .map(|(s, e)| format!("{} .. {}", s.format("%Y-%m-%d"), e.format("%Y-%m-%d")))
                .unwrap_or_else(|| "unknown".into());
            let basis = match &a.published_basis {
                PublishedBasis::Inferred(why) => why.clone(),
                _ => "no dated evidence in the text".into(),
            };
            rows.push(Row {
                rule: "publication_time_inferred".into(),
                severity: Severity::Warning,
                status: "fail",
                message: format!(
                    "{}: publication time inferred as {window} ({basis})",
                    a.file
                ),
                claims: Vec::new(),
                figures: BTreeMap::new(),
                doc: Some(a.id.clone()),
                line: None,
            });
        }
    }
    for (a, f) in articles.iter().zip(&r.findings) {
        for p in &f.places {
            let in_claim = f
                .claims
                .iter()
                .any(|c| c.place_id.as_deref() == Some(&p.place_id) && c.focus.contains(&p.range));
            if in_claim && p.confidence < 0.5 && !p.alternatives.is_empty() {
                rows.push(Row {
                    rule: "place_ambiguous".into(),
                    severity: Severity::Warning,
                    status: "fail",
                    message: format!(
                        "{:?} read as {} (confidence {:.2}); also possible: {}",
                        p.text,
                        p.place_id,
                        p.confidence,
                        p.alternatives.join(", ")
                    ),
                    claims: Vec::new(),
                    figures: BTreeMap::new(),
                    doc: Some(a.id.clone()),
                    line: Some(a.file_position(p.range.start).0),
                });
            }
        }
        for c in &f.claims {
            if let Some(why) = &c.unresolved {
                rows.push(Row {
                    rule: "claim_unanchored".into(),
                    severity: Severity::Info,
                    status: "info",
                    message: format!("{}: {why}", crate::check::describe(c)),
                    claims: vec![c.id.clone()],
                    figures: BTreeMap::new(),
                    doc: Some(a.id.clone()),
                    line: Some(a.file_position(c.focus.start).0),
                });
            }
        }
    }
    rows.extend(r.diagnostics.iter().map(diagnostic_row));
    for s in &r.case.skipped {
        rows.push(Row {
            rule: "input_skipped".into(),
            severity: Severity::Error,
            status: "fail",
            message: s.to_string(),
            claims: Vec::new(),
            figures: BTreeMap::new(),
            doc: None,
            line: s.line,
        });
    }
    let checks = rows
        .into_iter()
        .enumerate()
        .map(|(i, row)| CheckWire {
            id: format!("C{}", i + 1),
            rule: row.rule,
            severity: row.severity.as_str().into(),
            status: row.status.into(),
            message: row.message,
            claims: row.claims,
            figures: row.figures,
            doc: row.doc,
            line: row.line,
        })
        .collect();

    let skipped = r
        .case
        .skipped
        .iter()
        .map(|s| SkippedWire {
            file: s.file.clone(),
            reason: match s.line {
                Some(l) => format!("line {l}: {}", s.reason),
                None => s.reason.clone(),
            },
        })
        .collect();

    ReportWire {
        schema: SCHEMA.into(),
        case: CaseWire {
            name: r.case.name.clone(),
            title: r
                .case
                .config
                .title
                .clone()
                .unwrap_or_else(|| r.case.name.clone()),
            traveller: r
                .case
                .config
                .traveller
                .clone()
                .or_else(|| r.traveller.names.first().cloned()),
            mode: r.case.config.mode.as_str().into(),
        },
        documents,
        mentions,
        places,
        claims,
        timeline,
        route,
        checks,
        skipped,
    }
}
