//! `report.md`: the figures with alt text, the timeline as a table, the route legs, and the
//! checks with their quotes, ready to paste into a report. All article text is escaped.

use std::fmt::Write;

use super::wire::{LegWire, QuantityWire, ReportWire};
use crate::text::escape_markdown as esc;

fn hours(seconds: f64) -> String {
    let h = seconds / 3600.0;
    if (h - h.round()).abs() < 1e-9 {
        format!("{h:.0} h")
    } else {
        format!("{h:.1} h")
    }
}

/// Rail km of a leg, with the range when the leg is off the network.
pub(super) fn leg_km(l: &LegWire) -> String {
    if l.off_network {
        format!("{:.0}–{:.0} (off network)", l.rail_km, l.rail_km_max)
    } else {
        format!("{:.1}", l.rail_km)
    }
}

/// The speeds the reconciled windows imply over a leg.
pub(super) fn leg_speed(l: &LegWire) -> String {
    match (l.speed_kmh.min, l.speed_kmh.max) {
        (Some(a), Some(b)) => format!("{a:.0}–{b:.0} km/h"),
        (Some(a), None) => format!("≥ {a:.0} km/h"),
        (None, Some(b)) => format!("≤ {b:.0} km/h"),
        (None, None) => "–".into(),
    }
}

/// A claimed quantity in words: durations in hours, with their range.
pub(super) fn quantity_value(q: &QuantityWire) -> String {
    if q.unit == "s" {
        match (q.min, q.max) {
            (Some(a), Some(b)) => format!("{}–{}", hours(a), hours(b)),
            (None, Some(b)) => format!("≤ {}", hours(b)),
            (Some(a), None) => format!("≥ {}", hours(a)),
            (None, None) => hours(q.nominal),
        }
    } else {
        format!("{:.0} {}", q.nominal, q.unit)
    }
}

/// "4 articles, 17 claims, 4 events; route 1,201 km by rail (…); 4 failed checks (3 errors)."
/// Numbers only, no article text: safe in Markdown and HTML as is.
pub(super) fn summary_counts(report: &ReportWire) -> String {
    let failed: Vec<_> = report
        .checks
        .iter()
        .filter(|c| c.status == "fail")
        .collect();
    let errors = failed.iter().filter(|c| c.severity == "error").count();
    format!(
        "{} articles, {} claims, {} events; route {} km by rail ({} km great-circle); {} failed checks ({} errors).",
        report.documents.len(),
        report.claims.len(),
        report.timeline.len(),
        crate::check::fmt_km(report.route.total_rail_km),
        crate::check::fmt_km(report.route.total_geodesic_km),
        failed.len(),
        errors
    )
}

pub fn render_markdown(report: &ReportWire) -> String {
    let mut md = String::new();
    let _ = writeln!(md, "# {}\n", esc(&report.case.title));
    let _ = writeln!(md, "{}\n", summary_counts(report));
    let timeline_alt = report
        .timeline
        .iter()
        .map(|e| {
            format!(
                "{} {}: {}",
                e.event,
                e.place.clone().unwrap_or_default(),
                e.window
                    .as_ref()
                    .map(|w| format!("{} to {}", w.start, w.end))
                    .unwrap_or_else(|| "no window".into())
            )
        })
        .collect::<Vec<_>>()
        .join("; ");
    let _ = writeln!(
        md,
        "![Timeline of the claims per event. {}](timeline.svg)\n",
        esc(&timeline_alt)
    );
    let stops = report
        .route
        .stops
        .iter()
        .map(|s| s.name.clone())
        .collect::<Vec<_>>()
        .join(" → ");
    let _ = writeln!(md, "![Route map: {}](route.svg)\n", esc(&stops));

    let _ = writeln!(md, "## Timeline\n");
    let _ = writeln!(md, "| Event | Place | Earliest | Latest | Claims |");
    let _ = writeln!(md, "|---|---|---|---|---|");
    for e in &report.timeline {
        let (a, b) = e
            .window
            .as_ref()
            .map(|w| (w.start.clone(), w.end.clone()))
            .unwrap_or_else(|| ("–".into(), "–".into()));
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | {} |",
            e.event,
            esc(e.place.as_deref().unwrap_or("–")),
            a,
            b,
            e.claims.join(", ")
        );
    }

    let _ = writeln!(md, "\n## Route\n");
    let _ = writeln!(
        md,
        "| From | To | Rail km | Great-circle km | Implied speed | Via |"
    );
    let _ = writeln!(md, "|---|---|---|---|---|---|");
    for l in &report.route.legs {
        let km = leg_km(l);
        let speed = leg_speed(l);
        let _ = writeln!(
            md,
            "| {} | {} | {} | {:.1} | {} | {} |",
            esc(&l.from),
            esc(&l.to),
            km,
            l.geodesic_km,
            speed,
            esc(&l.via.join(", "))
        );
    }

    let _ = writeln!(md, "\n## Checks\n");
    for c in &report.checks {
        if c.status == "pass" && c.rule == "conditional_claim" {
            continue;
        }
        let mark = match c.status.as_str() {
            "fail" => "✗",
            "pass" => "✓",
            _ => "·",
        };
        // A passed check is not an error, whatever severity it would fail with.
        let severity = if c.status == "pass" {
            "passed"
        } else {
            c.severity.as_str()
        };
        let _ = writeln!(
            md,
            "- {mark} **{}** `{}` ({severity}): {}",
            c.id,
            c.rule,
            esc(&c.message)
        );
        let mut shown: Vec<(&str, usize, &str)> = Vec::new();
        for id in &c.claims {
            if let Some(claim) = report.claims.iter().find(|x| &x.id == id) {
                // Two claims read from one sentence share their quote: show it once.
                let key = (claim.doc.as_str(), claim.line, claim.quote.as_str());
                if shown.contains(&key) {
                    continue;
                }
                shown.push(key);
                let file = report
                    .documents
                    .iter()
                    .find(|d| d.id == claim.doc)
                    .map(|d| d.file.clone())
                    .unwrap_or_default();
                let _ = writeln!(
                    md,
                    "  - {}:{}: “{}”",
                    esc(&file),
                    claim.line,
                    esc(&claim.quote)
                );
            }
        }
    }
    let conditions: Vec<_> = report
        .checks
        .iter()
        .filter(|c| c.rule == "conditional_claim")
        .collect();
    if !conditions.is_empty() {
        let _ = writeln!(md, "\n### Conditions\n");
        for c in conditions {
            let _ = writeln!(md, "- {}", esc(&c.message));
        }
    }

    let _ = writeln!(md, "\n## Quantities\n");
    for claim in report.claims.iter().filter(|c| c.quantity.is_some()) {
        if let Some(q) = &claim.quantity {
            let value = quantity_value(q);
            let _ = writeln!(
                md,
                "- {} {} ({}, {}): “{}”",
                claim.id,
                value,
                claim.event,
                claim.modality,
                esc(&claim.quote)
            );
        }
    }

    let _ = writeln!(md, "\n## Sources\n");
    let _ = writeln!(md, "| Article | Source | Published | Basis |");
    let _ = writeln!(md, "|---|---|---|---|");
    for d in &report.documents {
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} |",
            esc(&d.file),
            esc(d.source.as_deref().unwrap_or("–")),
            d.published.as_deref().unwrap_or("unknown"),
            esc(&d.published_basis)
        );
    }
    if !report.skipped.is_empty() {
        let _ = writeln!(md, "\n## Skipped\n");
        for s in &report.skipped {
            let _ = writeln!(md, "- {}: {}", esc(&s.file), esc(&s.reason));
        }
    }
    let _ = writeln!(
        md,
        "\nPlaces: GeoNames (CC BY 4.0). Basemap: Natural Earth. Made with retrace."
    );
    md
}
