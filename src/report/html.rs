//! `report.html`: the content of `report.md` as one self-contained page, with both figures inline.
//!
//! The page loads nothing: the style is inline, the figures are the SVG text itself, and there is
//! no script at all. A Content-Security-Policy meta tag ([`CONTENT_SECURITY_POLICY`]) forbids
//! scripts, frames, fonts and remote images, so even markup that slipped through would not run.
//!
//! Invariant: the output is well-formed XML as well as HTML (void elements are self-closed, the
//! only entities are the five XML ones), so it can be checked with an XML parser, and every
//! string that comes from an article or a case file goes through [`crate::text::escape_xml`].
//! The only links are to `http(s)` addresses a source gave; any other address is shown as text.

use std::fmt::Write;
use std::str::FromStr;

use chrono::DateTime;
use chrono_tz::Tz;

use super::markdown::{leg_km, leg_speed, quantity_value};
use super::wire::{ClaimWire, ReportWire};
use crate::render::event_label;
use crate::text::escape_xml as esc;

/// The page's policy: nothing may load or run except the inline style (and images from the
/// page's own folder or `data:` addresses, which the page does not use today).
pub const CONTENT_SECURITY_POLICY: &str =
    "default-src 'none'; style-src 'unsafe-inline'; img-src data: 'self'; base-uri 'none'; form-action 'none'";

/// The inline style. No `<` or `&` in it, so the page stays well-formed XML.
const STYLE: &str = "
:root { color-scheme: light; }
body { font-family: 'Noto Sans', system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif;
  color: #1b1f24; background: #ffffff; margin: 0 auto; padding: 1.5rem 1rem 3rem;
  max-width: 76rem; line-height: 1.45; font-size: 15px; }
h1 { font-size: 1.6rem; margin: 0 0 0.4rem; }
h2 { font-size: 1.2rem; margin: 2rem 0 0.6rem; border-bottom: 1px solid #d0d7de; padding-bottom: 0.2rem; }
h3 { font-size: 1rem; margin: 1.2rem 0 0.4rem; }
.summary { color: #424a53; margin: 0 0 1rem; }
figure { margin: 1rem 0 1.5rem; }
figure svg { display: block; max-width: 100%; height: auto; border: 1px solid #d0d7de; }
figcaption { color: #424a53; font-size: 0.9rem; margin-top: 0.3rem; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; font-size: 0.92rem; margin: 0.4rem 0 1rem; }
th, td { border: 1px solid #d0d7de; padding: 0.3rem 0.5rem; text-align: left; vertical-align: top; }
th { background: #f3f5f7; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
time { white-space: nowrap; }
ul.claims { margin: 0; padding-left: 1rem; }
ul.checks { list-style: none; padding-left: 0; }
ul.checks > li { margin: 0 0 0.6rem; padding-left: 1.6rem; text-indent: -1.6rem; }
ul.checks ul { text-indent: 0; margin: 0.2rem 0 0; padding-left: 1.2rem; }
.mark { display: inline-block; width: 1.6rem; text-indent: 0; font-weight: bold; }
.fail .mark { color: #b42318; }
.pass .mark { color: #1a7f37; }
.info .mark { color: #57606a; }
code { font-family: ui-monospace, 'DejaVu Sans Mono', monospace; font-size: 0.88em;
  background: #f3f5f7; padding: 0 0.2em; border-radius: 3px; }
.where { color: #57606a; font-size: 0.88rem; }
.quote { font-style: italic; }
.muted { color: #57606a; }
footer { margin-top: 2.5rem; color: #57606a; font-size: 0.85rem; }
";

/// `Mon 1 Sep 2025 18:00 KST` for an ISO time, in `tz` when it names a zone (else in the time's
/// own offset); the text as given when it does not parse. The `datetime` attribute keeps the
/// exact value.
fn time_element(iso: &str, tz: Option<&str>) -> String {
    let shown = match DateTime::parse_from_rfc3339(iso.trim()) {
        Ok(t) => match tz.and_then(|name| Tz::from_str(name).ok()) {
            Some(zone) => t
                .with_timezone(&zone)
                .format("%a %-d %b %Y %H:%M %Z")
                .to_string(),
            None => t.format("%a %-d %b %Y %H:%M (UTC%:z)").to_string(),
        },
        Err(_) => iso.to_string(),
    };
    format!("<time datetime=\"{}\">{}</time>", esc(iso), esc(&shown))
}

/// The figure's SVG element, from `<svg` on (an XML declaration or comment before it is
/// dropped); a note when there is no SVG.
fn embed_svg(svg: &str) -> String {
    match svg.find("<svg") {
        Some(start) => svg[start..].trim_end().to_string(),
        None => "<p class=\"muted\">(figure not available)</p>".to_string(),
    }
}

/// A source address as a link when it is `http(s)`, else as plain text.
fn url_cell(url: &str) -> String {
    let trimmed = url.trim();
    let lower = trimmed.to_ascii_lowercase();
    if (lower.starts_with("https://") || lower.starts_with("http://"))
        && !trimmed.chars().any(|c| c.is_whitespace() || c.is_control())
    {
        format!(
            "<a href=\"{0}\" rel=\"noopener noreferrer nofollow\">{0}</a>",
            esc(trimmed)
        )
    } else {
        esc(trimmed)
    }
}

fn file_of<'a>(report: &'a ReportWire, claim: &ClaimWire) -> &'a str {
    report
        .documents
        .iter()
        .find(|d| d.id == claim.doc)
        .map(|d| d.file.as_str())
        .unwrap_or("")
}

fn source_of<'a>(report: &'a ReportWire, claim: &'a ClaimWire) -> &'a str {
    report
        .documents
        .iter()
        .find(|d| d.id == claim.doc)
        .and_then(|d| d.source.as_deref())
        .unwrap_or(&claim.doc)
}

/// Builds the page. `timeline_svg` and `route_svg` are the figures as [`crate::render`] writes
/// them; they are embedded as they are (their article text is escaped already).
pub fn render_html(report: &ReportWire, timeline_svg: &str, route_svg: &str) -> String {
    let mut h = String::new();
    let title = if report.case.title.trim().is_empty() {
        report.case.name.clone()
    } else {
        report.case.title.clone()
    };
    h.push_str("<!DOCTYPE html>\n");
    h.push_str(
        "<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\" xml:lang=\"en\">\n<head>\n",
    );
    h.push_str("<meta charset=\"utf-8\"/>\n");
    let _ = writeln!(
        h,
        "<meta http-equiv=\"Content-Security-Policy\" content=\"{CONTENT_SECURITY_POLICY}\"/>"
    );
    h.push_str("<meta name=\"referrer\" content=\"no-referrer\"/>\n");
    h.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n");
    h.push_str("<meta name=\"generator\" content=\"retrace\"/>\n");
    let _ = writeln!(h, "<title>{} — retrace report</title>", esc(&title));
    let _ = writeln!(h, "<style>{STYLE}</style>\n</head>\n<body>\n<main>");

    // Heading and the one-line summary.
    let _ = writeln!(h, "<h1>{}</h1>", esc(&title));
    let traveller = report
        .case
        .traveller
        .as_deref()
        .map(|t| format!("Traveller: {}, by {}. ", esc(t), esc(&report.case.mode)))
        .unwrap_or_default();
    let _ = writeln!(
        h,
        "<p class=\"summary\">{traveller}{}</p>",
        super::markdown::summary_counts(report)
    );

    // Figures.
    let _ = writeln!(
        h,
        "<figure id=\"figure-timeline\">\n{}\n<figcaption>Timeline: one lane per event, a bar per claim coloured by source, the reconciled window as a dashed band, failed checks as numbered badges. Also as <code>timeline.svg</code>.</figcaption>\n</figure>",
        embed_svg(timeline_svg)
    );
    let stops = report
        .route
        .stops
        .iter()
        .map(|s| s.name.as_str())
        .collect::<Vec<_>>()
        .join(" → ");
    let _ = writeln!(
        h,
        "<figure id=\"figure-route\">\n{}\n<figcaption>Route map: {}. Also as <code>route.svg</code>; the path with times is in <code>route.geojson</code>.</figcaption>\n</figure>",
        embed_svg(route_svg),
        esc(&stops)
    );

    // Timeline table.
    h.push_str("<h2 id=\"timeline\">Timeline</h2>\n<div class=\"scroll\"><table>\n");
    h.push_str("<thead><tr><th>Event</th><th>Place</th><th>Earliest</th><th>Latest</th><th>Claims</th></tr></thead>\n<tbody>\n");
    for e in &report.timeline {
        let (earliest, latest) = match &e.window {
            Some(w) => (
                time_element(&w.start, Some(&e.tz)),
                time_element(&w.end, Some(&e.tz)),
            ),
            None => ("–".to_string(), "–".to_string()),
        };
        let mut claims = String::from("<ul class=\"claims\">");
        for id in &e.claims {
            match report.claims.iter().find(|c| &c.id == id) {
                Some(c) => {
                    let phrase = match &c.time_text {
                        Some(t) => format!("“{}”", esc(t)),
                        None => "no time".to_string(),
                    };
                    let modality = if c.modality == "reported" {
                        String::new()
                    } else {
                        format!(", {}", esc(&c.modality.replace('_', " ")))
                    };
                    let _ = write!(
                        claims,
                        "<li><code>{}</code> {}: {phrase}{modality}</li>",
                        esc(&c.id),
                        esc(source_of(report, c))
                    );
                }
                None => {
                    let _ = write!(claims, "<li><code>{}</code></li>", esc(id));
                }
            }
        }
        claims.push_str("</ul>");
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{earliest}</td><td>{latest}</td><td>{claims}</td></tr>",
            esc(&event_label(&e.event)),
            esc(e.place.as_deref().unwrap_or("–")),
        );
    }
    h.push_str("</tbody></table></div>\n");

    // Route legs.
    h.push_str("<h2 id=\"route\">Route</h2>\n<div class=\"scroll\"><table>\n");
    h.push_str("<thead><tr><th>From</th><th>To</th><th>Rail km</th><th>Great-circle km</th><th>Implied speed</th><th>Via</th></tr></thead>\n<tbody>\n");
    for l in &report.route.legs {
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{:.1}</td><td>{}</td><td>{}</td></tr>",
            esc(&l.from),
            esc(&l.to),
            esc(&leg_km(l)),
            l.geodesic_km,
            esc(&leg_speed(l)),
            esc(&l.via.join(", "))
        );
    }
    h.push_str("</tbody></table></div>\n");
    if !report.route.stops.is_empty() {
        h.push_str("<h3>Stops</h3>\n<div class=\"scroll\"><table>\n");
        h.push_str("<thead><tr><th>Stop</th><th>Event</th><th>Earliest</th><th>Latest</th><th>Named in the articles</th></tr></thead>\n<tbody>\n");
        for s in &report.route.stops {
            let tz = (!s.tz.is_empty()).then_some(s.tz.as_str());
            let (earliest, latest) = match &s.window {
                Some(w) => (time_element(&w.start, tz), time_element(&w.end, tz)),
                None => ("–".to_string(), "–".to_string()),
            };
            let name = match &s.native {
                Some(native) if native != &s.name => format!("{} {}", s.name, native),
                _ => s.name.clone(),
            };
            let _ = writeln!(
                h,
                "<tr><td>{}</td><td>{}</td><td>{earliest}</td><td>{latest}</td><td>{}</td></tr>",
                esc(&name),
                s.event
                    .as_deref()
                    .map(|e| esc(&event_label(e)))
                    .unwrap_or_else(|| "–".to_string()),
                if s.inferred {
                    "no, inferred on the route"
                } else {
                    "yes"
                }
            );
        }
        h.push_str("</tbody></table></div>\n");
    }

    // Checks with their quotes.
    h.push_str("<h2 id=\"checks\">Checks</h2>\n<ul class=\"checks\">\n");
    for c in &report.checks {
        if c.status == "pass" && c.rule == "conditional_claim" {
            continue;
        }
        let (class, mark) = match c.status.as_str() {
            "fail" => ("fail", "✗"),
            "pass" => ("pass", "✓"),
            _ => ("info", "·"),
        };
        // A passed check is not an error, whatever severity it would fail with.
        let severity = if c.status == "pass" {
            "passed".to_string()
        } else {
            esc(&c.severity)
        };
        let _ = write!(
            h,
            "<li class=\"{class}\"><span class=\"mark\">{mark}</span><strong>{}</strong> <code>{}</code> ({severity}): {}",
            esc(&c.id),
            esc(&c.rule),
            esc(&c.message)
        );
        // Two claims read from one sentence share their quote: show it once.
        let mut quotes: Vec<&ClaimWire> = Vec::new();
        for claim in c
            .claims
            .iter()
            .filter_map(|id| report.claims.iter().find(|x| &x.id == id))
        {
            if !quotes
                .iter()
                .any(|q| q.doc == claim.doc && q.line == claim.line && q.quote == claim.quote)
            {
                quotes.push(claim);
            }
        }
        if !quotes.is_empty() {
            h.push_str("\n<ul>");
            for claim in quotes {
                let _ = write!(
                    h,
                    "<li><span class=\"where\">{}:{}</span> <span class=\"quote\">“{}”</span></li>",
                    esc(file_of(report, claim)),
                    claim.line,
                    esc(&claim.quote)
                );
            }
            h.push_str("</ul>");
        }
        h.push_str("</li>\n");
    }
    h.push_str("</ul>\n");
    let conditions: Vec<_> = report
        .checks
        .iter()
        .filter(|c| c.rule == "conditional_claim")
        .collect();
    if !conditions.is_empty() {
        h.push_str("<h3>Conditions</h3>\n<ul>\n");
        for c in conditions {
            let _ = writeln!(h, "<li>{}</li>", esc(&c.message));
        }
        h.push_str("</ul>\n");
    }

    // Quantities.
    h.push_str("<h2 id=\"quantities\">Quantities</h2>\n");
    let quantities: Vec<&ClaimWire> = report
        .claims
        .iter()
        .filter(|c| c.quantity.is_some())
        .collect();
    if quantities.is_empty() {
        h.push_str("<p class=\"muted\">No speed, duration or distance is claimed.</p>\n");
    } else {
        h.push_str("<ul>\n");
        for claim in quantities {
            if let Some(q) = &claim.quantity {
                let _ = writeln!(
                    h,
                    "<li><code>{}</code> {} ({}, {}): <span class=\"quote\">“{}”</span></li>",
                    esc(&claim.id),
                    esc(&quantity_value(q)),
                    esc(&claim.event),
                    esc(&claim.modality.replace('_', " ")),
                    esc(&claim.quote)
                );
            }
        }
        h.push_str("</ul>\n");
    }

    // Sources.
    h.push_str("<h2 id=\"sources\">Sources</h2>\n<div class=\"scroll\"><table>\n");
    h.push_str("<thead><tr><th>Article</th><th>Source</th><th>Title</th><th>Published</th><th>Basis</th><th>Address</th></tr></thead>\n<tbody>\n");
    for d in &report.documents {
        let published = match &d.published {
            Some(p) => time_element(p, None),
            None => "unknown".to_string(),
        };
        let basis = if d.published_inferred {
            format!("{} (inferred)", esc(&d.published_basis))
        } else {
            esc(&d.published_basis)
        };
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{published}</td><td>{basis}</td><td>{}</td></tr>",
            esc(&d.file),
            esc(d.source.as_deref().unwrap_or("–")),
            esc(d.title.as_deref().unwrap_or("–")),
            d.url.as_deref().map(url_cell).unwrap_or_else(|| "–".to_string())
        );
    }
    h.push_str("</tbody></table></div>\n");
    if !report.skipped.is_empty() {
        h.push_str("<h2 id=\"skipped\">Skipped</h2>\n<ul>\n");
        for s in &report.skipped {
            let _ = writeln!(
                h,
                "<li><code>{}</code>: {}</li>",
                esc(&s.file),
                esc(&s.reason)
            );
        }
        h.push_str("</ul>\n");
    }
    let _ = writeln!(
        h,
        "</main>\n<footer>Case <code>{}</code>. Places: GeoNames (CC BY 4.0). Basemap: Natural Earth. Made with retrace; the same content is in <code>report.md</code> and <code>report.json</code>.</footer>\n</body>\n</html>",
        esc(&report.case.name)
    );
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_read_in_the_named_zone() {
        assert_eq!(
            time_element("2025-09-01T23:00:00+08:00", Some("Asia/Pyongyang")),
            "<time datetime=\"2025-09-01T23:00:00+08:00\">Tue 2 Sep 2025 00:00 KST</time>"
        );
        assert_eq!(
            time_element("not a time", None),
            "<time datetime=\"not a time\">not a time</time>"
        );
    }

    #[test]
    fn only_web_addresses_become_links() {
        assert!(url_cell("https://example.org/a?b=1&c=2")
            .starts_with("<a href=\"https://example.org/a?b=1&amp;c=2\""));
        assert_eq!(url_cell("javascript:alert(1)"), "javascript:alert(1)");
        assert!(!url_cell("https://x.org/\" onclick=\"y").contains("<a"));
    }
}
