//! The timeline figure.
//!
//! Layout, top to bottom: title and subtitle; one time-axis row per zone of the journey (labels
//! in local time, midnights as dates); one lane per timeline event with a row per claim; the
//! legend; failed checks; quantity claims; a footnote with the case and publication times.
//!
//! The static background (lanes, night shading, grid and midnight lines) is drawn with plotters'
//! SVG backend; bars, labels and badges are written as SVG elements here so that they can carry
//! classes, `data-*` attributes and accessible titles.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use chrono::{DateTime, Datelike, Duration, NaiveTime, Timelike, Utc};
use plotters::prelude::{DrawingBackend, SVGBackend};
use plotters::style::RGBAColor;

use super::metrics::{text_width, truncate, wrap};
use super::svg::{
    event_label, format_published, format_window, from_unix, num, open_svg, palette, parse_window,
    utc_offset_label, Anchor, Palette, Text, Zone,
};
use super::Theme;
use crate::report::wire::{ClaimWire, EventWire, QuantityWire, ReportWire};
use crate::text::escape_xml;

const WIDTH: f64 = 1200.0;
const MARGIN: f64 = 24.0;
const GUTTER: f64 = 200.0;
const PLOT_LEFT: f64 = MARGIN + GUTTER + 12.0;
const PLOT_RIGHT: f64 = WIDTH - MARGIN;
const AXIS_ROW_H: f64 = 20.0;
const CLAIM_ROW_H: f64 = 22.0;
const BAR_H: f64 = 12.0;
const LANE_PAD: f64 = 8.0;
/// Windows shorter than this are drawn as exact-time diamonds.
const EXACT_S: i64 = 3600;
/// Windows longer than this do not stretch the axis (they are drawn clipped).
const AXIS_WINDOW_MAX_S: i64 = 4 * 86_400;
const AXIS_SPAN_MAX_S: i64 = 21 * 86_400;

/// Width of the arrowhead that marks a bar cut at the edge of the axis.
const CLIP_ARROW_W: f64 = 7.0;

/// An arrowhead at `x` pointing left (`direction` -1) or right (1): the bar goes on past the axis.
fn clip_arrow(x: f64, y_mid: f64, direction: f64, fill: &str) -> String {
    let half = BAR_H / 2.0;
    format!(
        "<path class=\"clip-arrow\" d=\"M{} {}L{} {}L{} {}Z\" fill=\"{fill}\"/>\n",
        num(x),
        num(y_mid - half),
        num(x + direction * CLIP_ARROW_W),
        num(y_mid),
        num(x),
        num(y_mid + half)
    )
}

struct Axis {
    t0: i64,
    t1: i64,
}

impl Axis {
    fn x(&self, t: i64) -> f64 {
        let span = (self.t1 - self.t0).max(1) as f64;
        PLOT_LEFT + (t.clamp(self.t0, self.t1) - self.t0) as f64 / span * (PLOT_RIGHT - PLOT_LEFT)
    }
}

struct Row<'a> {
    claim: &'a ClaimWire,
    window: Option<(i64, i64)>,
}

struct Lane<'a> {
    event: &'a EventWire,
    zone: Zone,
    coords: Option<(f64, f64)>,
    window: Option<(i64, i64)>,
    label: Vec<(String, f64, bool)>,
    rows: Vec<Row<'a>>,
    top: f64,
    height: f64,
}

fn secs(t: DateTime<Utc>) -> i64 {
    t.timestamp()
}

fn window_secs(window: &Option<crate::report::wire::WindowWire>) -> Option<(i64, i64)> {
    window
        .as_ref()
        .and_then(parse_window)
        .map(|(s, e)| (secs(s), secs(e)))
}

/// Sources in document order; a document without a source is named by its id.
fn sources(report: &ReportWire) -> (Vec<String>, BTreeMap<String, usize>) {
    let mut names: Vec<String> = Vec::new();
    let mut by_doc = BTreeMap::new();
    for doc in &report.documents {
        let name = doc.source.clone().unwrap_or_else(|| doc.id.clone());
        let index = match names.iter().position(|n| *n == name) {
            Some(i) => i,
            None => {
                names.push(name);
                names.len() - 1
            }
        };
        by_doc.insert(doc.id.clone(), index);
    }
    (names, by_doc)
}

fn place_coords(
    report: &ReportWire,
    place_id: Option<&str>,
    name: Option<&str>,
) -> Option<(f64, f64)> {
    if let Some(id) = place_id {
        if let Some(p) = report.places.iter().find(|p| p.id == id) {
            return Some((p.lat, p.lon));
        }
        if let Some(s) = report.route.stops.iter().find(|s| s.place_id == id) {
            return Some((s.lat, s.lon));
        }
    }
    let name = name?;
    report
        .places
        .iter()
        .find(|p| p.name == name)
        .map(|p| (p.lat, p.lon))
        .or_else(|| {
            report
                .route
                .stops
                .iter()
                .find(|s| s.name == name)
                .map(|s| (s.lat, s.lon))
        })
}

/// Sunrise and sunset (UTC seconds) on the UTC date `day` at a place, from NOAA's "General Solar
/// Position Calculations" (fractional-year series for declination and the equation of time,
/// 0.833° for refraction and the solar disc): good to a few minutes away from the poles.
/// `Err(true)` is polar night, `Err(false)` midnight sun.
fn sun_times(day: chrono::NaiveDate, lat_deg: f64, lon_deg: f64) -> Result<(i64, i64), bool> {
    let gamma = 2.0 * std::f64::consts::PI / 365.0 * (f64::from(day.ordinal0()) + 0.5);
    let decl = 0.006918 - 0.399912 * gamma.cos() + 0.070257 * gamma.sin()
        - 0.006758 * (2.0 * gamma).cos()
        + 0.000907 * (2.0 * gamma).sin()
        - 0.002697 * (3.0 * gamma).cos()
        + 0.00148 * (3.0 * gamma).sin();
    let eqtime_min = 229.18
        * (0.000075 + 0.001868 * gamma.cos()
            - 0.032077 * gamma.sin()
            - 0.014615 * (2.0 * gamma).cos()
            - 0.040849 * (2.0 * gamma).sin());
    let lat = lat_deg.to_radians();
    let cos_ha = 90.833_f64.to_radians().cos() / (lat.cos() * decl.cos()) - lat.tan() * decl.tan();
    if cos_ha > 1.0 {
        return Err(true);
    }
    if cos_ha < -1.0 {
        return Err(false);
    }
    let ha_deg = cos_ha.acos().to_degrees();
    let midnight = day.and_time(NaiveTime::MIN).and_utc().timestamp();
    let sunrise_min = 720.0 - 4.0 * (lon_deg + ha_deg) - eqtime_min;
    let sunset_min = 720.0 - 4.0 * (lon_deg - ha_deg) - eqtime_min;
    Ok((
        midnight + (sunrise_min * 60.0) as i64,
        midnight + (sunset_min * 60.0) as i64,
    ))
}

/// Night intervals within the axis: between sunset and the next sunrise at the place, or 18:00
/// to 06:00 local time when the place has no coordinates.
fn nights(axis: &Axis, coords: Option<(f64, f64)>, zone: Zone) -> Vec<(i64, i64)> {
    let first = from_unix(axis.t0).date_naive() - Duration::days(2);
    let last = from_unix(axis.t1).date_naive() + Duration::days(2);
    // Daylight intervals, then their complement.
    let mut days = Vec::new();
    let mut day = first;
    while day <= last {
        match coords {
            Some((lat, lon)) => match sun_times(day, lat, lon) {
                Ok(times) => days.push(times),
                Err(false) => {
                    let start = day.and_time(NaiveTime::MIN).and_utc().timestamp();
                    days.push((start, start + 86_400));
                }
                Err(true) => {}
            },
            None => {
                let local_midnight = day.and_time(NaiveTime::MIN).and_utc().timestamp()
                    - zone.offset_s(day.and_time(NaiveTime::MIN).and_utc());
                days.push((local_midnight + 6 * 3600, local_midnight + 18 * 3600));
            }
        }
        day += Duration::days(1);
    }
    days.sort_unstable();
    let mut out = Vec::new();
    let mut cursor = axis.t0;
    for (rise, set) in days {
        if rise > cursor {
            out.push((cursor, rise.min(axis.t1)));
        }
        cursor = cursor.max(set);
        if cursor >= axis.t1 {
            break;
        }
    }
    if cursor < axis.t1 {
        out.push((cursor, axis.t1));
    }
    out.retain(|(s, e)| e > s);
    out
}

/// Local midnights (as UTC seconds) of `zone` inside the axis.
fn midnights(axis: &Axis, zone: Zone) -> Vec<i64> {
    ticks(axis, zone, 24)
        .into_iter()
        .filter(|(_, h)| *h == 0)
        .map(|(t, _)| t)
        .collect()
}

/// Instants inside the axis whose local hour is a multiple of `step_h`, with that hour.
fn ticks(axis: &Axis, zone: Zone, step_h: u32) -> Vec<(i64, u32)> {
    let mut out = Vec::new();
    // Walk whole UTC hours; local hour = UTC hour + offset (offsets of :30 and :45 give no ticks
    // on the hour, so walk quarter hours instead).
    let mut t = axis.t0 - axis.t0.rem_euclid(900);
    while t <= axis.t1 {
        if t >= axis.t0 {
            let local = zone.local(from_unix(t));
            if local.minute() == 0 && local.hour() % step_h == 0 {
                out.push((t, local.hour()));
            }
        }
        t += 900;
    }
    out
}

fn rgba(hex: &str, alpha: f64) -> RGBAColor {
    let value = u32::from_str_radix(hex.trim_start_matches('#'), 16).unwrap_or(0);
    RGBAColor((value >> 16) as u8, (value >> 8) as u8, value as u8, alpha)
}

/// The background layer drawn with plotters: lanes, night shading, grid lines, midnight lines.
fn background(
    lanes: &[Lane<'_>],
    axis: &Axis,
    grid: &[i64],
    colours: &Palette,
    theme: Theme,
    height: f64,
) -> String {
    let mut buffer = String::new();
    {
        let mut backend =
            SVGBackend::with_string(&mut buffer, (WIDTH as u32, height.max(1.0) as u32));
        let night_alpha = if theme == Theme::Dark { 0.45 } else { 0.13 };
        for (i, lane) in lanes.iter().enumerate() {
            let top = lane.top as i32;
            let bottom = (lane.top + lane.height) as i32;
            let fill = if i % 2 == 0 {
                colours.lane
            } else {
                colours.lane_alt
            };
            let _ = backend.draw_rect(
                (PLOT_LEFT as i32, top),
                (PLOT_RIGHT as i32, bottom),
                &rgba(fill, 1.0),
                true,
            );
            for (start, end) in nights(axis, lane.coords, lane.zone) {
                let _ = backend.draw_rect(
                    (axis.x(start).round() as i32, top),
                    (axis.x(end).round() as i32, bottom),
                    &rgba(colours.night, night_alpha),
                    true,
                );
            }
            for t in midnights(axis, lane.zone) {
                let x = axis.x(t).round() as i32;
                let _ = backend.draw_line((x, top), (x, bottom), &rgba(colours.muted, 0.9));
            }
        }
        if let (Some(first), Some(last)) = (lanes.first(), lanes.last()) {
            for &t in grid {
                let x = axis.x(t).round() as i32;
                let _ = backend.draw_line(
                    (x, first.top as i32),
                    (x, (last.top + last.height) as i32),
                    &rgba(colours.grid, 0.6),
                );
            }
        }
        let _ = backend.present();
    }
    // Keep the elements, drop plotters' own <svg> wrapper.
    let inner_start = buffer
        .find("<svg")
        .and_then(|i| buffer[i..].find('>').map(|j| i + j + 1));
    let inner_end = buffer.rfind("</svg>");
    match (inner_start, inner_end) {
        (Some(start), Some(end)) if start <= end => buffer[start..end].trim().to_string(),
        _ => String::new(),
    }
}

fn axis_range(report: &ReportWire) -> Option<Axis> {
    let mut all: Vec<(i64, i64)> = report
        .timeline
        .iter()
        .filter_map(|e| window_secs(&e.window))
        .chain(report.claims.iter().filter_map(|c| window_secs(&c.window)))
        .collect();
    let short: Vec<(i64, i64)> = all
        .iter()
        .copied()
        .filter(|(s, e)| e - s <= AXIS_WINDOW_MAX_S)
        .collect();
    if !short.is_empty() {
        all = short;
    }
    let start = all.iter().map(|w| w.0).min()?;
    let end = all.iter().map(|w| w.1).max()?;
    let pad = 3 * 3600;
    let t0 = (start - pad).div_euclid(3600) * 3600;
    let t1 = ((end + pad).div_euclid(3600) + 1) * 3600;
    Some(Axis {
        t0,
        t1: t1.min(t0 + AXIS_SPAN_MAX_S).max(t0 + 3600),
    })
}

fn quantity_text(q: &QuantityWire) -> String {
    let (scale, unit) = match q.unit.as_str() {
        "s" => (1.0 / 3600.0, "h"),
        other => (1.0, other),
    };
    let f = |v: f64| {
        let v = v * scale;
        if (v - v.round()).abs() < 0.05 {
            format!("{}", v.round() as i64)
        } else {
            format!("{v:.1}")
        }
    };
    let value = match (q.min, q.max) {
        (Some(lo), Some(hi)) if (hi - lo).abs() > f64::EPSILON => {
            format!("{} {unit} ({}–{})", f(q.nominal), f(lo), f(hi))
        }
        (None, Some(hi)) => format!("at most {} {unit}", f(hi)),
        (Some(lo), None) => format!("at least {} {unit}", f(lo)),
        _ => format!("{} {unit}", f(q.nominal)),
    };
    match q.scope.as_deref() {
        Some("one_way") => format!("{value}, one way"),
        Some("round_trip") => format!("{value}, round trip"),
        _ => value,
    }
}

fn claim_label(claim: &ClaimWire, source: &str, quote_width: f64) -> String {
    let phrase = match &claim.time_text {
        Some(text) => truncate(text, 11.0, false, quote_width),
        None => truncate(&claim.quote, 11.0, false, quote_width),
    };
    let source = truncate(source, 11.0, false, 150.0);
    // Ids name the claim in the checks below, so they are never cut short.
    let id = truncate(&claim.id, 11.0, false, 140.0);
    let mut label = format!("{id} · {source} · “{phrase}”");
    if claim.modality != "reported" {
        let _ = write!(label, " ({})", claim.modality.replace('_', " "));
    }
    if claim.window.is_none() {
        label.push_str(" — no time window");
    }
    label
}

/// The claims that give no time, as one wrapped note under the lanes (they have no bar, and a
/// row of text in a lane would read as if it had a place on the axis). Returns the height used.
fn write_untimed(
    body: &mut String,
    desc: &mut String,
    untimed: &[(&EventWire, &ClaimWire)],
    source_name: &dyn Fn(&str) -> String,
    y: f64,
    colours: &Palette,
) -> f64 {
    let items: Vec<String> = untimed
        .iter()
        .map(|(event, claim)| {
            let mut item = format!(
                "{} · {} · {}",
                claim.id,
                source_name(&claim.doc),
                event_label(&event.event).to_lowercase()
            );
            if claim.modality != "reported" {
                let _ = write!(item, " ({})", claim.modality.replace('_', " "));
            }
            let _ = write!(item, ": “{}”", truncate(&claim.quote, 10.5, false, 300.0));
            item
        })
        .collect();
    let text = format!(
        "Claims that give no time (not drawn): {}.",
        items.join("; ")
    );
    let mut used = 4.0;
    for line in wrap(&text, 10.5, false, WIDTH - PLOT_LEFT - MARGIN) {
        used += 14.0;
        Text::new(PLOT_LEFT, y + used, 10.5, colours.muted)
            .class("untimed")
            .write(body, &line);
    }
    let _ = write!(desc, "{text} ");
    used + 2.0
}

/// Badge group: `(check id, width)` for each failed check naming the claim.
fn badges_for<'a>(failed: &'a BTreeMap<String, Vec<String>>, claim: &str) -> Vec<(&'a str, f64)> {
    failed
        .get(claim)
        .map(|ids| {
            ids.iter()
                .map(|id| (id.as_str(), text_width(id, 10.0, true) + 8.0))
                .collect()
        })
        .unwrap_or_default()
}

fn write_badge(out: &mut String, x: f64, y_mid: f64, id: &str, width: f64, colours: &Palette) {
    let _ = writeln!(
        out,
        "<g class=\"badge\" data-check=\"{id}\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"14\" rx=\"7\" fill=\"{}\"/>",
        num(x),
        num(y_mid - 7.0),
        num(width),
        colours.badge,
        id = escape_xml(id)
    );
    Text::new(x + width / 2.0, y_mid + 3.5, 10.0, colours.badge_text)
        .bold()
        .anchor(Anchor::Middle)
        .write(out, id);
    out.push_str("</g>\n");
}

pub fn render(report: &ReportWire, theme: Theme) -> String {
    let colours = palette(theme);
    let (source_names, source_of_doc) = sources(report);
    let source_index = |doc: &str| {
        source_of_doc
            .get(doc)
            .copied()
            .unwrap_or(source_names.len())
    };
    let source_name = |doc: &str| {
        source_of_doc
            .get(doc)
            .and_then(|&i| source_names.get(i).cloned())
            .unwrap_or_else(|| doc.to_string())
    };
    let claims_by_id: BTreeMap<&str, &ClaimWire> =
        report.claims.iter().map(|c| (c.id.as_str(), c)).collect();

    // Failed checks, claim id → check ids.
    let mut failed: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for check in report.checks.iter().filter(|c| c.status == "fail") {
        for claim in &check.claims {
            failed
                .entry(claim.clone())
                .or_default()
                .push(check.id.clone());
        }
    }

    let axis = axis_range(report);
    let mut zones: Vec<Zone> = Vec::new();
    for event in &report.timeline {
        let zone = Zone::parse(&event.tz);
        if !zones.contains(&zone) && zones.len() < 3 {
            zones.push(zone);
        }
    }
    if zones.len() < 2 && !zones.contains(&Zone::Utc) {
        zones.push(Zone::Utc);
    }
    let at = axis.as_ref().map(|a| from_unix(a.t0)).unwrap_or_default();

    let mut body = String::new();
    let mut clipped_any = false;
    let mut y = MARGIN;

    // Title and subtitle.
    let title = if report.case.title.trim().is_empty() {
        "Journey timeline".to_string()
    } else {
        report.case.title.clone()
    };
    for line in wrap(&title, 20.0, true, WIDTH - 2.0 * MARGIN) {
        y += 24.0;
        Text::new(MARGIN, y, 20.0, colours.text)
            .bold()
            .class("title")
            .write(&mut body, &line);
    }
    let zone_words: Vec<String> = zones
        .iter()
        .map(|z| {
            format!(
                "{} ({})",
                z.abbreviation(at),
                utc_offset_label(z.offset_s(at))
            )
        })
        .collect();
    let subtitle = format!(
        "When each source says it happened: {} documents, {} sources, {} timed claims. Times in {}.",
        report.documents.len(),
        source_names.len(),
        report.claims.iter().filter(|c| c.window.is_some()).count(),
        zone_words.join(" and ")
    );
    for line in wrap(&subtitle, 12.0, false, WIDTH - 2.0 * MARGIN) {
        y += 17.0;
        Text::new(MARGIN, y, 12.0, colours.muted).write(&mut body, &line);
    }
    y += 14.0;

    // Lanes: measure first.
    let mut lanes: Vec<Lane<'_>> = Vec::new();
    // Timed claims no event lists still get bars, in a last lane.
    let listed: std::collections::BTreeSet<&str> = report
        .timeline
        .iter()
        .flat_map(|e| e.claims.iter().map(String::as_str))
        .collect();
    let orphans: Vec<String> = report
        .claims
        .iter()
        .filter(|c| c.window.is_some() && c.quantity.is_none() && !listed.contains(c.id.as_str()))
        .map(|c| c.id.clone())
        .collect();
    let orphan_event = (!orphans.is_empty()).then(|| EventWire {
        id: "other".to_string(),
        event: "Other timed claims".to_string(),
        place: None,
        place_id: None,
        window: None,
        tz: report
            .timeline
            .first()
            .map(|e| e.tz.clone())
            .unwrap_or_else(|| "UTC".to_string()),
        claims: orphans,
    });
    let mut untimed: Vec<(&EventWire, &ClaimWire)> = Vec::new();
    for event in report.timeline.iter().chain(orphan_event.as_ref()) {
        let zone = Zone::parse(&event.tz);
        let mut label = Vec::new();
        for line in wrap(&event_label(&event.event), 13.0, true, GUTTER) {
            label.push((line, 13.0, true));
        }
        if let Some(place) = &event.place {
            for line in wrap(place, 12.0, false, GUTTER) {
                label.push((line, 12.0, false));
            }
        }
        label.push((format!("times in {}", zone.abbreviation(at)), 11.0, false));
        // Claims that give no time have nothing to draw: they are listed under the lanes
        // instead of filling rows with text.
        let rows: Vec<Row<'_>> = event
            .claims
            .iter()
            .filter_map(|id| claims_by_id.get(id.as_str()).copied())
            .filter_map(|claim| {
                let window = window_secs(&claim.window);
                if window.is_none() {
                    untimed.push((event, claim));
                    return None;
                }
                Some(Row { claim, window })
            })
            .collect();
        let label_h: f64 = label.iter().map(|(_, size, _)| size + 4.0).sum();
        let height = (rows.len() as f64 * CLAIM_ROW_H).max(label_h) + 2.0 * LANE_PAD;
        lanes.push(Lane {
            event,
            zone,
            coords: place_coords(report, event.place_id.as_deref(), event.place.as_deref()),
            window: window_secs(&event.window),
            label,
            rows,
            top: 0.0,
            height,
        });
    }

    let mut desc = format!("Timeline of {}. ", title.trim_end_matches('.'));
    let mut background_svg = String::new();
    if let Some(axis) = &axis {
        // Axis rows, one per zone.
        let step_h: u32 = match (axis.t1 - axis.t0) / 3600 {
            0..=36 => 3,
            37..=108 => 6,
            109..=240 => 12,
            _ => 24,
        };
        let mut grid = Vec::new();
        for (i, zone) in zones.iter().enumerate() {
            let row_mid = y + AXIS_ROW_H / 2.0;
            let row_label = format!(
                "{} time ({}, {})",
                zone.city(),
                zone.abbreviation(at),
                utc_offset_label(zone.offset_s(at))
            );
            Text::new(PLOT_LEFT - 10.0, row_mid + 4.0, 11.0, colours.muted)
                .anchor(Anchor::End)
                .write(&mut body, &truncate(&row_label, 11.0, false, GUTTER));
            let zone_ticks = ticks(axis, *zone, step_h);
            if i == 0 {
                grid = zone_ticks.iter().map(|(t, _)| *t).collect();
            }
            let mut placed: Vec<(f64, f64)> = Vec::new();
            // Midnights first (they carry the date), then hours where room is left.
            let mut ordered: Vec<&(i64, u32)> =
                zone_ticks.iter().filter(|(_, h)| *h == 0).collect();
            ordered.extend(zone_ticks.iter().filter(|(_, h)| *h != 0));
            for (t, hour) in ordered {
                let x = axis.x(*t);
                let (text, bold) = if *hour == 0 {
                    (
                        zone.local(from_unix(*t)).format("%a %-d %b").to_string(),
                        true,
                    )
                } else {
                    (format!("{hour:02}:00"), false)
                };
                let w = text_width(&text, 10.5, bold);
                let x_mid = x.clamp(PLOT_LEFT + w / 2.0, PLOT_RIGHT - w / 2.0);
                let span = (x_mid - w / 2.0 - 4.0, x_mid + w / 2.0 + 4.0);
                if placed.iter().any(|(a, b)| span.0 < *b && *a < span.1) {
                    continue;
                }
                placed.push(span);
                let _ = writeln!(
                    body,
                    "<line x1=\"{x}\" y1=\"{}\" x2=\"{x}\" y2=\"{}\" stroke=\"{}\" stroke-width=\"1\"/>",
                    num(y + AXIS_ROW_H - 4.0),
                    num(y + AXIS_ROW_H),
                    colours.muted,
                    x = num(x)
                );
                let mut label =
                    Text::new(x_mid, row_mid + 3.0, 10.5, colours.text).anchor(Anchor::Middle);
                if bold {
                    label = label.bold();
                }
                label.class("tick").write(&mut body, &text);
            }
            y += AXIS_ROW_H;
        }
        y += 6.0;

        for lane in lanes.iter_mut() {
            lane.top = y;
            y += lane.height + 4.0;
        }
        background_svg = background(&lanes, axis, &grid, &colours, theme, y + 1.0);

        // Lane contents.
        for lane in &lanes {
            let event_name = event_label(&lane.event.event);
            let mut label_y = lane.top + LANE_PAD;
            for (line, size, bold) in &lane.label {
                label_y += size + 2.0;
                let mut text = Text::new(
                    MARGIN,
                    label_y,
                    *size,
                    if *bold { colours.text } else { colours.muted },
                );
                if *bold {
                    text = text.bold();
                }
                text.write(&mut body, line);
                label_y += 2.0;
            }
            let _ = write!(desc, "{event_name}");
            if let Some(place) = &lane.event.place {
                let _ = write!(desc, " at {place}");
            }
            // The reconciled window.
            match lane.window {
                Some((start, end)) => {
                    let x0 = axis.x(start);
                    let x1 = axis.x(end);
                    let _ = write!(
                        body,
                        "<g class=\"event-window\" data-event=\"{}\">",
                        escape_xml(&lane.event.id)
                    );
                    if end - start < EXACT_S {
                        let _ = write!(
                            body,
                            "<line x1=\"{x}\" y1=\"{}\" x2=\"{x}\" y2=\"{}\" stroke=\"{}\" stroke-width=\"2\" stroke-dasharray=\"4 3\"/>",
                            num(lane.top + 1.0),
                            num(lane.top + lane.height - 1.0),
                            colours.band,
                            x = num(x0)
                        );
                    } else {
                        let _ = write!(
                            body,
                            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{band}\" fill-opacity=\"0.22\" stroke=\"{band}\" stroke-width=\"1.2\" stroke-dasharray=\"5 3\"/>",
                            num(x0),
                            num(lane.top + 1.0),
                            num((x1 - x0).max(1.0)),
                            num(lane.height - 2.0),
                            band = colours.band
                        );
                    }
                    let _ = writeln!(
                        body,
                        "<title>Reconciled window: {}</title></g>",
                        escape_xml(&format_window(lane.zone, from_unix(start), from_unix(end)))
                    );
                    let _ = write!(
                        desc,
                        ": reconciled window {}; ",
                        format_window(lane.zone, from_unix(start), from_unix(end))
                    );
                }
                None if lane.event.id == "other" && orphan_event.is_some() => desc.push_str(": "),
                None => desc.push_str(": no window all claims allow; "),
            }

            for (r, row) in lane.rows.iter().enumerate() {
                let claim = row.claim;
                let row_mid = lane.top + LANE_PAD + r as f64 * CLAIM_ROW_H + CLAIM_ROW_H / 2.0;
                let colour =
                    colours.sources[source_index(&claim.doc).min(colours.sources.len() - 1)];
                let source = source_name(&claim.doc);
                let badges = badges_for(&failed, &claim.id);
                let badges_w: f64 = badges.iter().map(|(_, w)| w + 3.0).sum();
                let label = claim_label(claim, &source, 240.0);
                let (bar_x0, bar_x1) = match row.window {
                    Some((start, end)) => {
                        let x0 = axis.x(start);
                        let x1 = axis.x(end);
                        let id = escape_xml(&claim.id);
                        let doc = escape_xml(&claim.doc);
                        let tooltip = escape_xml(&format!(
                            "{} ({}): “{}” — {}",
                            claim.id,
                            source,
                            claim.quote,
                            format_window(lane.zone, from_unix(start), from_unix(end))
                        ));
                        if end - start < EXACT_S {
                            let (cx, cy, r) = (x0, row_mid, 7.0);
                            let _ = writeln!(
                                body,
                                "<path class=\"claim-bar exact\" data-claim=\"{id}\" data-doc=\"{doc}\" d=\"M{} {}L{} {}L{} {}L{} {}Z\" fill=\"{colour}\" stroke=\"{}\" stroke-width=\"1\"><title>{tooltip}</title></path>",
                                num(cx),
                                num(cy - r),
                                num(cx + r),
                                num(cy),
                                num(cx),
                                num(cy + r),
                                num(cx - r),
                                num(cy),
                                colours.text
                            );
                            (cx - r, cx + r)
                        } else {
                            let width = (x1 - x0).max(2.0);
                            let vague = if claim.vague { " vague" } else { "" };
                            let _ = writeln!(
                                body,
                                "<rect class=\"claim-bar{vague}\" data-claim=\"{id}\" data-doc=\"{doc}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{BAR_H}\" rx=\"2\" fill=\"{colour}\"><title>{tooltip}</title></rect>",
                                num(x0),
                                num(row_mid - BAR_H / 2.0),
                                num(width)
                            );
                            if claim.vague {
                                let _ = writeln!(
                                    body,
                                    "<rect class=\"vague-hatch\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{BAR_H}\" rx=\"2\" fill=\"url(#tl-hatch)\" pointer-events=\"none\"/>",
                                    num(x0),
                                    num(row_mid - BAR_H / 2.0),
                                    num(width)
                                );
                            }
                            // A window longer than the axis is cut at its edge: an arrowhead
                            // there says the bar goes on (the tooltip gives the whole window).
                            let mut bar_x0 = x0;
                            let mut bar_x1 = x0 + width;
                            if start < axis.t0 {
                                body.push_str(&clip_arrow(x0, row_mid, -1.0, colour));
                                bar_x0 -= CLIP_ARROW_W;
                                clipped_any = true;
                            }
                            if end > axis.t1 {
                                body.push_str(&clip_arrow(x0 + width, row_mid, 1.0, colour));
                                bar_x1 += CLIP_ARROW_W;
                                clipped_any = true;
                            }
                            (bar_x0, bar_x1)
                        }
                    }
                    None => (PLOT_LEFT, PLOT_LEFT),
                };
                // Badges and label right of the bar, else left of it, else inside the plot with a halo.
                let label_w = text_width(&label, 11.0, false);
                let group_w = badges_w + label_w;
                let (group_x, label) = if bar_x1 + 6.0 + group_w <= PLOT_RIGHT {
                    (bar_x1 + 6.0, label)
                } else if bar_x0 - 6.0 - group_w >= PLOT_LEFT {
                    (bar_x0 - 6.0 - group_w, label)
                } else {
                    // Neither side has room: cut the label to the wider side, or lay it over the
                    // bar (with a halo) when both sides are narrow.
                    let room_right = PLOT_RIGHT - bar_x1 - 6.0 - badges_w;
                    let room_left = bar_x0 - 6.0 - PLOT_LEFT - badges_w;
                    if room_right.max(room_left) >= 140.0 {
                        let fitted = truncate(&label, 11.0, false, room_right.max(room_left));
                        let w = badges_w + text_width(&fitted, 11.0, false);
                        if room_right >= room_left {
                            (bar_x1 + 6.0, fitted)
                        } else {
                            (bar_x0 - 6.0 - w, fitted)
                        }
                    } else {
                        let room = (PLOT_RIGHT - PLOT_LEFT - badges_w - 8.0).max(40.0);
                        let fitted = truncate(&label, 11.0, false, room);
                        let w = badges_w + text_width(&fitted, 11.0, false);
                        (
                            (bar_x1 + 6.0).min(PLOT_RIGHT - w).max(PLOT_LEFT + 4.0),
                            fitted,
                        )
                    }
                };
                let group_end = group_x + badges_w + text_width(&label, 11.0, false);
                let _ = write!(
                    body,
                    "<g class=\"label\" data-claim=\"{}\" data-x0=\"{}\" data-y0=\"{}\" data-x1=\"{}\" data-y1=\"{}\">",
                    escape_xml(&claim.id),
                    num(group_x),
                    num(row_mid - 7.0),
                    num(group_end),
                    num(row_mid + 7.0)
                );
                let mut x = group_x;
                for (id, w) in &badges {
                    write_badge(&mut body, x, row_mid, id, *w, &colours);
                    x += w + 3.0;
                }
                Text::new(x, row_mid + 4.0, 11.0, colours.text)
                    .halo(colours.halo)
                    .class("claim-label")
                    .write(&mut body, &label);
                body.push_str("</g>\n");
                let _ = write!(desc, "{} ", claim.id);
                if let Some(text) = &claim.time_text {
                    let _ = write!(desc, "({source}) says “{text}”");
                } else {
                    let _ = write!(desc, "({source}) gives no time");
                }
                if !badges.is_empty() {
                    let ids: Vec<&str> = badges.iter().map(|(id, _)| *id).collect();
                    let _ = write!(desc, " [fails {}]", ids.join(", "));
                }
                desc.push_str("; ");
            }
            desc = desc.trim_end_matches("; ").to_string();
            desc.push_str(". ");
        }
        if !untimed.is_empty() {
            y += write_untimed(&mut body, &mut desc, &untimed, &source_name, y, &colours);
        }
        y += 10.0;
    } else {
        y += 20.0;
        Text::new(MARGIN, y, 13.0, colours.muted).write(
            &mut body,
            "No event in this report has a time window to draw.",
        );
        desc.push_str("No event has a time window. ");
        y += 16.0;
    }

    // Legend: sources, then the marks.
    y += 8.0;
    let mut x = MARGIN;
    let legend_row = |x: &mut f64, y: &mut f64, w: f64| {
        if *x + w > WIDTH - MARGIN {
            *x = MARGIN;
            *y += 20.0;
        }
    };
    Text::new(x, y + 10.0, 11.0, colours.text)
        .bold()
        .write(&mut body, "Sources:");
    x += text_width("Sources:", 11.0, true) + 10.0;
    for (i, name) in source_names.iter().enumerate() {
        let docs: Vec<&str> = report
            .documents
            .iter()
            .filter(|d| source_of_doc.get(&d.id) == Some(&i))
            .map(|d| d.id.as_str())
            .collect();
        let text = format!("{name} ({})", docs.join(", "));
        let w = 22.0 + text_width(&text, 11.0, false) + 16.0;
        legend_row(&mut x, &mut y, w);
        let _ = writeln!(
            body,
            "<rect class=\"legend-source\" x=\"{}\" y=\"{}\" width=\"16\" height=\"10\" rx=\"2\" fill=\"{}\"/>",
            num(x),
            num(y + 2.0),
            colours.sources[i.min(colours.sources.len() - 1)]
        );
        Text::new(x + 22.0, y + 11.0, 11.0, colours.text).write(&mut body, &text);
        x += w;
    }
    x = MARGIN;
    y += 22.0;
    let mut marks: Vec<(&str, &str)> = vec![
        ("hatch", "vague time phrase (hatched)"),
        ("solid", "precise time phrase"),
        ("diamond", "exact time (under 1 h)"),
        ("band", "reconciled window"),
        ("night", "night at the place"),
        ("badge", "failed check, numbered as in the report"),
    ];
    if clipped_any {
        marks.push(("clip", "window continues past the axis"));
    }
    for (kind, text) in marks {
        let w = 24.0 + text_width(text, 11.0, false) + 18.0;
        legend_row(&mut x, &mut y, w);
        let (sx, sy) = (num(x), num(y + 2.0));
        let swatch = match kind {
            "hatch" => format!(
                "<rect x=\"{sx}\" y=\"{sy}\" width=\"18\" height=\"10\" rx=\"2\" fill=\"{c}\"/><rect x=\"{sx}\" y=\"{sy}\" width=\"18\" height=\"10\" rx=\"2\" fill=\"url(#tl-hatch)\"/>",
                c = colours.muted
            ),
            "solid" => format!("<rect x=\"{sx}\" y=\"{sy}\" width=\"18\" height=\"10\" rx=\"2\" fill=\"{}\"/>", colours.muted),
            "diamond" => format!(
                "<path d=\"M{} {}l6 6l-6 6l-6 -6Z\" fill=\"{}\"/>",
                num(x + 9.0),
                num(y + 1.0),
                colours.muted
            ),
            "band" => format!(
                "<rect x=\"{sx}\" y=\"{}\" width=\"18\" height=\"14\" fill=\"{b}\" fill-opacity=\"0.22\" stroke=\"{b}\" stroke-dasharray=\"5 3\"/>",
                num(y),
                b = colours.band
            ),
            "night" => format!(
                "<rect x=\"{sx}\" y=\"{}\" width=\"18\" height=\"14\" fill=\"{}\" fill-opacity=\"{}\" stroke=\"{}\" stroke-width=\"0.5\"/>",
                num(y),
                colours.night,
                if theme == Theme::Dark { "0.45" } else { "0.13" },
                colours.grid
            ),
            "clip" => format!(
                "<rect x=\"{sx}\" y=\"{sy}\" width=\"12\" height=\"10\" fill=\"{c}\"/>{}",
                clip_arrow(x + 12.0, y + 7.0, 1.0, colours.muted),
                c = colours.muted
            ),
            _ => format!(
                "<rect x=\"{sx}\" y=\"{}\" width=\"18\" height=\"14\" rx=\"7\" fill=\"{}\"/>",
                num(y),
                colours.badge
            ),
        };
        let _ = writeln!(body, "<g class=\"legend-mark\">{swatch}</g>");
        Text::new(x + 24.0, y + 11.0, 11.0, colours.text).write(&mut body, text);
        x += w;
    }
    y += 22.0;

    // Failed checks.
    let fails: Vec<_> = report
        .checks
        .iter()
        .filter(|c| c.status == "fail")
        .collect();
    if !fails.is_empty() {
        y += 10.0;
        Text::new(MARGIN, y, 12.0, colours.text)
            .bold()
            .write(&mut body, "Checks that failed");
        y += 6.0;
        desc.push_str("Failed checks: ");
        for check in &fails {
            let badge_w = text_width(&check.id, 10.0, true) + 8.0;
            let text = format!(
                "{} — {} (claims {})",
                check.rule,
                check.message,
                check.claims.join(", ")
            );
            let lines = wrap(&text, 11.0, false, WIDTH - 2.0 * MARGIN - badge_w - 8.0);
            y += 16.0;
            write_badge(&mut body, MARGIN, y - 4.0, &check.id, badge_w, &colours);
            for (i, line) in lines.iter().enumerate() {
                if i > 0 {
                    y += 15.0;
                }
                Text::new(MARGIN + badge_w + 8.0, y, 11.0, colours.text).write(&mut body, line);
            }
            let _ = write!(desc, "{} {}: {}; ", check.id, check.rule, check.message);
        }
        desc = desc.trim_end_matches("; ").to_string();
        desc.push_str(". ");
        y += 8.0;
    }

    // Quantity claims.
    let quantities: Vec<&ClaimWire> = report
        .claims
        .iter()
        .filter(|c| c.quantity.is_some())
        .collect();
    if !quantities.is_empty() {
        y += 14.0;
        Text::new(MARGIN, y, 12.0, colours.text).bold().write(
            &mut body,
            "Speeds, durations and distances claimed (not on the time axis)",
        );
        desc.push_str("Quantities claimed: ");
        for claim in quantities {
            let Some(quantity) = &claim.quantity else {
                continue;
            };
            let source = source_name(&claim.doc);
            let badges = badges_for(&failed, &claim.id);
            let badges_w: f64 = badges.iter().map(|(_, w)| w + 3.0).sum();
            let text = format!(
                "{} · {source} · {} {} — “{}”",
                claim.id,
                claim.event,
                quantity_text(quantity),
                claim.quote
            );
            y += 17.0;
            let mut x = MARGIN;
            for (id, w) in &badges {
                write_badge(&mut body, x, y - 4.0, id, *w, &colours);
                x += w + 3.0;
            }
            let _ = writeln!(
                body,
                "<rect class=\"legend-source\" x=\"{}\" y=\"{}\" width=\"10\" height=\"10\" rx=\"2\" fill=\"{}\"/>",
                num(x),
                num(y - 9.0),
                colours.sources[source_index(&claim.doc).min(colours.sources.len() - 1)]
            );
            x += 15.0;
            Text::new(x, y, 11.0, colours.text).class("quantity").write(
                &mut body,
                &truncate(&text, 11.0, false, WIDTH - MARGIN - x - badges_w.min(0.0)),
            );
            let _ = write!(
                desc,
                "{} ({source}) {} {}; ",
                claim.id,
                claim.event,
                quantity_text(quantity)
            );
        }
        desc = desc.trim_end_matches("; ").to_string();
        desc.push_str(". ");
        y += 6.0;
    }

    // Footnote.
    let mut note = format!("Case “{}”. Publication times: ", report.case.name);
    let docs: Vec<String> = report
        .documents
        .iter()
        .map(|d| {
            let source = d.source.clone().unwrap_or_else(|| "no source".to_string());
            let when = d
                .published
                .as_deref()
                .map(format_published)
                .unwrap_or_else(|| "unknown".to_string());
            let basis = if d.published_inferred && !d.published_basis.starts_with("inferred") {
                format!("inferred from {}", d.published_basis)
            } else if d.published_inferred {
                d.published_basis.clone()
            } else {
                format!("from {}", d.published_basis)
            };
            format!("{} {source}, {when}, {basis}", d.id)
        })
        .collect();
    note.push_str(&docs.join("; "));
    note.push_str(
        ". Night shading: sunset to sunrise at each lane's place from NOAA's simple solar-position formula (within a few minutes); \
18:00–06:00 local where the place is unknown. Solid lines in a lane are midnights in that lane's zone.",
    );
    y += 14.0;
    for line in wrap(&note, 10.5, false, WIDTH - 2.0 * MARGIN) {
        y += 14.0;
        Text::new(MARGIN, y, 10.5, colours.muted)
            .class("footnote")
            .write(&mut body, &line);
    }
    let height = (y + MARGIN).ceil();

    let mut out = String::new();
    open_svg(
        &mut out,
        WIDTH,
        height,
        "timeline",
        &title,
        desc.trim(),
        colours.background,
    );
    let _ = writeln!(
        out,
        "<defs><pattern id=\"tl-hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">\
<rect x=\"0\" y=\"0\" width=\"3\" height=\"6\" fill=\"{}\" fill-opacity=\"0.75\"/></pattern></defs>",
        colours.background
    );
    let _ = writeln!(out, "<g class=\"background\">{background_svg}</g>");
    out.push_str(&body);
    out.push_str("</svg>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sunset_in_pyongyang_early_september_is_about_1900_kst() {
        let day = chrono::NaiveDate::from_ymd_opt(2025, 9, 1).unwrap();
        let (rise, set) = sun_times(day, 39.02, 125.74).unwrap();
        // Published almanacs: sunrise about 05:58, sunset about 19:01 KST (UTC+9).
        let rise_kst = from_unix(rise + 9 * 3600).time();
        let set_kst = from_unix(set + 9 * 3600).time();
        assert!(
            rise_kst > NaiveTime::from_hms_opt(5, 50, 0).unwrap()
                && rise_kst < NaiveTime::from_hms_opt(6, 10, 0).unwrap(),
            "{rise_kst}"
        );
        assert!(
            set_kst > NaiveTime::from_hms_opt(18, 50, 0).unwrap()
                && set_kst < NaiveTime::from_hms_opt(19, 15, 0).unwrap(),
            "{set_kst}"
        );
    }

    #[test]
    fn polar_night_has_no_daylight() {
        let day = chrono::NaiveDate::from_ymd_opt(2025, 12, 21).unwrap();
        assert_eq!(sun_times(day, 80.0, 15.0), Err(true));
    }
}
