//! The route map.
//!
//! Projection: equirectangular (plate carrée) with x scaled by cos(φ0), φ0 the middle latitude
//! of the view, so distances are true along meridians and along φ0. Good enough for journeys of
//! a few thousand km away from the poles; stated in the `<desc>` and in a corner label.
//!
//! Layers, bottom to top: sea, land, borders, graticule, rail lines, great-circle line, route,
//! stops, labels, then the furniture (legend, scale bar, north arrow, projection note) and a
//! table of legs under the map.

use std::fmt::Write as _;

use super::basemap::{basemap, clip_polyline, clip_ring, simplify, Line, View};
use super::metrics::{text_width, truncate, wrap, Rect};
use super::svg::{
    event_label, format_window, num, open_svg, palette, parse_window, Anchor, Palette, Text, Zone,
};
use super::Theme;
use crate::report::wire::{LegWire, ReportWire, SpeedWire, StopWire};
use crate::text::escape_xml;

const WIDTH: f64 = 1200.0;
const MARGIN: f64 = 24.0;
const MAP_TOP: f64 = 84.0;
const MAP_H: f64 = 600.0;
/// Mean Earth radius (IUGG), km; the same one geo's haversine uses.
const EARTH_RADIUS_KM: f64 = 6371.0088;
/// Stops closer than this on screen share one label.
const CLUSTER_PX: f64 = 16.0;

struct Projection {
    lon_mid: f64,
    lat_mid: f64,
    cos_lat0: f64,
    scale: f64,
    frame: Rect,
}

impl Projection {
    fn fit(points: &[(f64, f64)], frame: Rect) -> Projection {
        let (mut lon0, mut lat0, mut lon1, mut lat1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
        for &(lon, lat) in points {
            lon0 = lon0.min(lon);
            lon1 = lon1.max(lon);
            lat0 = lat0.min(lat);
            lat1 = lat1.max(lat);
        }
        if points.is_empty() {
            (lon0, lat0, lon1, lat1) = (100.0, 20.0, 140.0, 50.0);
        }
        let lat_mid = ((lat0 + lat1) / 2.0).clamp(-80.0, 80.0);
        let lon_mid = (lon0 + lon1) / 2.0;
        let cos_lat0 = lat_mid.to_radians().cos();
        // At least 2° of latitude in view, and a 12 % margin on each side.
        let span_x = ((lon1 - lon0) * cos_lat0).max(1.0) * 1.24;
        let span_y = (lat1 - lat0).max(2.0) * 1.24;
        let scale = ((frame.x1 - frame.x0) / span_x).min((frame.y1 - frame.y0) / span_y);
        Projection {
            lon_mid,
            lat_mid,
            cos_lat0,
            scale,
            frame,
        }
    }

    fn xy(&self, lon: f64, lat: f64) -> (f64, f64) {
        let cx = (self.frame.x0 + self.frame.x1) / 2.0;
        let cy = (self.frame.y0 + self.frame.y1) / 2.0;
        (
            cx + (lon - self.lon_mid) * self.cos_lat0 * self.scale,
            cy - (lat - self.lat_mid) * self.scale,
        )
    }

    fn lon_lat(&self, x: f64, y: f64) -> (f64, f64) {
        let cx = (self.frame.x0 + self.frame.x1) / 2.0;
        let cy = (self.frame.y0 + self.frame.y1) / 2.0;
        (
            self.lon_mid + (x - cx) / (self.cos_lat0 * self.scale),
            self.lat_mid - (y - cy) / self.scale,
        )
    }

    fn view(&self, margin_deg: f64) -> View {
        let (lon0, lat1) = self.lon_lat(self.frame.x0, self.frame.y0);
        let (lon1, lat0) = self.lon_lat(self.frame.x1, self.frame.y1);
        View {
            lon0: lon0 - margin_deg,
            lat0: lat0 - margin_deg,
            lon1: lon1 + margin_deg,
            lat1: lat1 + margin_deg,
        }
    }

    fn km_per_px(&self) -> f64 {
        EARTH_RADIUS_KM * std::f64::consts::PI / 180.0 / self.scale
    }
}

fn path_data(points: &[(f64, f64)], close: bool) -> String {
    let mut d = String::new();
    for (i, (x, y)) in points.iter().enumerate() {
        let _ = write!(
            d,
            "{}{} {}",
            if i == 0 { "M" } else { "L" },
            num(*x),
            num(*y)
        );
    }
    if close {
        d.push('Z');
    }
    d
}

/// Points along the great circle from `a` to `b` (lon, lat in degrees), by spherical
/// interpolation.
fn great_circle(a: (f64, f64), b: (f64, f64), steps: usize) -> Vec<(f64, f64)> {
    let to_vec = |(lon, lat): (f64, f64)| {
        let (lon, lat) = (lon.to_radians(), lat.to_radians());
        [lat.cos() * lon.cos(), lat.cos() * lon.sin(), lat.sin()]
    };
    let (p, q) = (to_vec(a), to_vec(b));
    let dot = (p[0] * q[0] + p[1] * q[1] + p[2] * q[2]).clamp(-1.0, 1.0);
    let omega = dot.acos();
    if omega < 1e-9 {
        return vec![a, b];
    }
    (0..=steps)
        .map(|i| {
            let t = i as f64 / steps as f64;
            let (wa, wb) = (
                ((1.0 - t) * omega).sin() / omega.sin(),
                (t * omega).sin() / omega.sin(),
            );
            let v = [
                wa * p[0] + wb * q[0],
                wa * p[1] + wb * q[1],
                wa * p[2] + wb * q[2],
            ];
            (
                v[1].atan2(v[0]).to_degrees(),
                v[2].atan2((v[0] * v[0] + v[1] * v[1]).sqrt()).to_degrees(),
            )
        })
        .collect()
}

fn great_circle_km(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (lat1, lat2) = (a.1.to_radians(), b.1.to_radians());
    let (dlat, dlon) = (lat2 - lat1, (b.0 - a.0).to_radians());
    let h = (dlat / 2.0).sin().powi(2) + lat1.cos() * lat2.cos() * (dlon / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_KM * h.sqrt().min(1.0).asin()
}

/// `1,201` for whole km at 10 km and over, `1.5` below.
fn km(value: f64) -> String {
    if !value.is_finite() {
        return "?".to_string();
    }
    if value.abs() < 10.0 {
        return format!("{value:.1}");
    }
    let whole = value.round() as i64;
    let digits = whole.abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if whole < 0 {
        format!("-{out}")
    } else {
        out
    }
}

fn speed_text(speed: &SpeedWire) -> String {
    let f = |v: f64| format!("{}", v.round() as i64);
    match (speed.min, speed.max) {
        (Some(lo), Some(hi)) if (hi - lo).abs() >= 0.5 => {
            format!("implied {}–{} km/h", f(lo), f(hi))
        }
        (Some(lo), Some(_)) => format!("implied {} km/h", f(lo)),
        (Some(lo), None) => format!("implied at least {} km/h", f(lo)),
        (None, Some(hi)) => format!("implied at most {} km/h", f(hi)),
        (None, None) => "no times to imply a speed".to_string(),
    }
}

/// The zone a stop's times are told in: the stop's own `tz` (its timeline event's zone, so the
/// map and the timeline lane agree), else the zone of the place, else of an event there.
fn stop_zone(report: &ReportWire, stop: &StopWire) -> Zone {
    if !stop.tz.is_empty() {
        return Zone::parse(&stop.tz);
    }
    if let Some(place) = report.places.iter().find(|p| p.id == stop.place_id) {
        return Zone::parse(&place.tz);
    }
    report
        .timeline
        .iter()
        .find(|e| e.place_id.as_deref() == Some(stop.place_id.as_str()))
        .map(|e| Zone::parse(&e.tz))
        .unwrap_or(Zone::Utc)
}

fn stop_index(stops: &[StopWire], key: &str) -> Option<usize> {
    stops
        .iter()
        .position(|s| s.place_id == key)
        .or_else(|| stops.iter().position(|s| s.name == key))
}

/// One label: lines of (text, size, bold), measured.
struct Label {
    lines: Vec<(String, f64, bool)>,
    width: f64,
    height: f64,
}

impl Label {
    fn new(lines: Vec<(String, f64, bool)>) -> Label {
        let width = lines
            .iter()
            .map(|(t, s, b)| text_width(t, *s, *b))
            .fold(0.0, f64::max)
            + 8.0;
        let height = lines.iter().map(|(_, s, _)| s * 1.3).sum::<f64>() + 6.0;
        Label {
            lines,
            width,
            height,
        }
    }
}

/// Tries positions around `anchor`, nearest first, and returns the first box that stays inside
/// `frame` and clear of `taken`; among equally clear boxes the one covering fewest `avoid`
/// points wins. Falls back to the least bad position.
fn place_label(
    anchor: (f64, f64),
    label: &Label,
    taken: &[Rect],
    avoid: &[(f64, f64)],
    frame: &Rect,
) -> Rect {
    let (w, h) = (label.width, label.height);
    let mut best: Option<(usize, usize, Rect)> = None;
    for (ring, distance) in [8.0, 22.0, 40.0, 64.0, 96.0, 140.0].iter().enumerate() {
        // E, W, NE, SE, NW, SW, N, S.
        let candidates = [
            (anchor.0 + distance, anchor.1 - h / 2.0),
            (anchor.0 - distance - w, anchor.1 - h / 2.0),
            (anchor.0 + distance * 0.7, anchor.1 - distance * 0.7 - h),
            (anchor.0 + distance * 0.7, anchor.1 + distance * 0.7),
            (anchor.0 - distance * 0.7 - w, anchor.1 - distance * 0.7 - h),
            (anchor.0 - distance * 0.7 - w, anchor.1 + distance * 0.7),
            (anchor.0 - w / 2.0, anchor.1 - distance - h),
            (anchor.0 - w / 2.0, anchor.1 + distance),
        ];
        for (x, y) in candidates {
            let rect = Rect::new(x, y, x + w, y + h);
            if !rect.inside(frame) {
                continue;
            }
            let overlaps = taken.iter().filter(|t| t.overlaps(&rect)).count();
            let covered = avoid
                .iter()
                .filter(|(px, py)| *px > rect.x0 && *px < rect.x1 && *py > rect.y0 && *py < rect.y1)
                .count();
            let score = (overlaps, ring * 4 + covered.min(40));
            if best.as_ref().is_none_or(|(o, c, _)| score < (*o, *c)) {
                best = Some((score.0, score.1, rect));
            }
        }
        if matches!(best, Some((0, c, _)) if c <= ring * 4) {
            break;
        }
    }
    best.map(|(_, _, r)| r).unwrap_or_else(|| {
        Rect::new(
            anchor.0 + 8.0,
            anchor.1 - h / 2.0,
            anchor.0 + 8.0 + w,
            anchor.1 + h / 2.0,
        )
    })
}

fn write_label(
    out: &mut String,
    class: &str,
    rect: &Rect,
    anchor: Option<(f64, f64)>,
    label: &Label,
    colours: &Palette,
) {
    let _ = write!(
        out,
        "<g class=\"label {class}\" data-x0=\"{}\" data-y0=\"{}\" data-x1=\"{}\" data-y1=\"{}\">",
        num(rect.x0),
        num(rect.y0),
        num(rect.x1),
        num(rect.y1)
    );
    if let Some((ax, ay)) = anchor {
        // A leader line when the label sits away from its point.
        let cx = ax.clamp(rect.x0, rect.x1);
        let cy = ay.clamp(rect.y0, rect.y1);
        if ((cx - ax).powi(2) + (cy - ay).powi(2)).sqrt() > 12.0 {
            let _ = write!(
                out,
                "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{}\" stroke-width=\"0.9\" stroke-dasharray=\"2 2\"/>",
                num(ax),
                num(ay),
                num(cx),
                num(cy),
                colours.muted
            );
        }
    }
    let _ = writeln!(
        out,
        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"3\" fill=\"{}\" fill-opacity=\"0.85\"/>",
        num(rect.x0),
        num(rect.y0),
        num(rect.x1 - rect.x0),
        num(rect.y1 - rect.y0),
        colours.background
    );
    let mut y = rect.y0 + 3.0;
    for (text, size, bold) in &label.lines {
        y += size * 1.3;
        let mut t = Text::new(
            rect.x0 + 4.0,
            y - size * 0.3,
            *size,
            if *bold { colours.text } else { colours.muted },
        );
        if *bold {
            t = t.bold();
        }
        t.write(out, text);
    }
    out.push_str("</g>\n");
}

pub fn render(report: &ReportWire, rail_lines: &[Vec<(f64, f64)>], theme: Theme) -> String {
    let colours = palette(theme);
    let route = &report.route;
    let stops = &route.stops;
    // Room on the left for the latitude labels.
    let frame = Rect::new(MARGIN + 30.0, MAP_TOP, WIDTH - MARGIN, MAP_TOP + MAP_H);
    let mut extent: Vec<(f64, f64)> = stops.iter().map(|s| (s.lon, s.lat)).collect();
    extent.extend(route.path.iter().map(|p| (p[0], p[1])));
    extent.retain(|(lon, lat)| {
        lon.is_finite() && lat.is_finite() && lat.abs() <= 90.0 && lon.abs() <= 360.0
    });
    let projection = Projection::fit(&extent, frame);
    let view = projection.view(0.5);

    let mut body = String::new();
    let title = match (stops.first(), stops.last()) {
        (Some(first), Some(last)) if stops.len() > 1 => {
            format!("Route: {} to {}", first.name, last.name)
        }
        _ => format!("Route: {}", report.case.title),
    };
    let mut y = MARGIN + 24.0;
    Text::new(MARGIN, y, 20.0, colours.text)
        .bold()
        .class("title")
        .write(
            &mut body,
            &truncate(&title, 20.0, true, WIDTH - 2.0 * MARGIN),
        );
    let endpoints_km = match (stops.first(), stops.last()) {
        (Some(a), Some(b)) => great_circle_km((a.lon, a.lat), (b.lon, b.lat)),
        _ => 0.0,
    };
    let subtitle = if stops.len() > 1 {
        let max = if route.total_rail_km_max > route.total_rail_km + 0.5 {
            format!(
                " (up to {} km on other routings)",
                km(route.total_rail_km_max)
            )
        } else {
            String::new()
        };
        format!(
            "{} km by rail{max}; {} km as the crow flies between the end points. {} stops, {} legs.",
            km(route.total_rail_km),
            km(endpoints_km),
            stops.len(),
            route.legs.len()
        )
    } else {
        "No route could be reconstructed from the articles.".to_string()
    };
    y += 20.0;
    Text::new(MARGIN, y, 12.0, colours.muted).write(
        &mut body,
        &truncate(&subtitle, 12.0, false, WIDTH - 2.0 * MARGIN),
    );

    let _ = writeln!(
        body,
        "<defs><clipPath id=\"rm-frame\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/></clipPath></defs>",
        num(frame.x0),
        num(frame.y0),
        num(frame.x1 - frame.x0),
        num(frame.y1 - frame.y0)
    );
    let _ = writeln!(
        body,
        "<rect class=\"sea\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"/>",
        num(frame.x0),
        num(frame.y0),
        num(frame.x1 - frame.x0),
        num(frame.y1 - frame.y0),
        colours.sea
    );
    body.push_str("<g clip-path=\"url(#rm-frame)\">\n");

    // Land, as one even-odd path so lakes stay holes.
    let basemap = basemap();
    let mut land = String::new();
    for ring in basemap.land.iter().filter(|r| view.touches(r)) {
        let clipped = clip_ring(ring, &view);
        let screen: Vec<(f64, f64)> = clipped
            .iter()
            .map(|&(lon, lat)| projection.xy(lon, lat))
            .collect();
        let simple = simplify(&screen, 0.6);
        if simple.len() >= 3 {
            land.push_str(&path_data(&simple, true));
        }
    }
    if !land.is_empty() {
        let _ = writeln!(
            body,
            "<path class=\"land\" d=\"{land}\" fill=\"{}\" fill-rule=\"evenodd\" stroke=\"{}\" stroke-width=\"0.8\"/>",
            colours.land, colours.coast
        );
    }
    let mut borders = String::new();
    for (_, line) in basemap.borders.iter().filter(|(_, l)| view.touches(l)) {
        for piece in clip_polyline(line, &view) {
            let screen: Vec<(f64, f64)> = piece
                .iter()
                .map(|&(lon, lat)| projection.xy(lon, lat))
                .collect();
            borders.push_str(&path_data(&simplify(&screen, 0.6), false));
        }
    }
    if !borders.is_empty() {
        let _ = writeln!(
            body,
            "<path class=\"borders\" d=\"{borders}\" fill=\"none\" stroke=\"{}\" stroke-width=\"1.2\" stroke-dasharray=\"6 3\"/>",
            colours.border
        );
    }

    // Graticule.
    let inner = projection.view(0.0);
    let span = (inner.lat1 - inner.lat0).max(inner.lon1 - inner.lon0);
    let step = match span {
        s if s < 4.0 => 1.0,
        s if s < 12.0 => 2.0,
        s if s < 30.0 => 5.0,
        _ => 10.0,
    };
    let mut graticule = String::new();
    let mut graticule_labels: Vec<(f64, f64, String, Anchor)> = Vec::new();
    let mut lon = (inner.lon0 / step).ceil() * step;
    while lon <= inner.lon1 {
        let (x, _) = projection.xy(lon, inner.lat0);
        let _ = write!(graticule, "M{} {}V{}", num(x), num(frame.y0), num(frame.y1));
        let hemisphere = if lon < 0.0 { "W" } else { "E" };
        graticule_labels.push((
            x,
            frame.y1 + 13.0,
            format!("{}°{hemisphere}", lon.abs().round()),
            Anchor::Middle,
        ));
        lon += step;
    }
    let mut lat = (inner.lat0 / step).ceil() * step;
    while lat <= inner.lat1 {
        let (_, y) = projection.xy(inner.lon0, lat);
        let _ = write!(graticule, "M{} {}H{}", num(frame.x0), num(y), num(frame.x1));
        let hemisphere = if lat < 0.0 { "S" } else { "N" };
        graticule_labels.push((
            frame.x0 - 4.0,
            y + 3.5,
            format!("{}°{hemisphere}", lat.abs().round()),
            Anchor::End,
        ));
        lat += step;
    }
    let _ = writeln!(
        body,
        "<path class=\"graticule\" d=\"{graticule}\" fill=\"none\" stroke=\"{}\" stroke-width=\"0.5\" stroke-opacity=\"0.7\"/>",
        colours.grid
    );

    // Rail lines in view, cut to the view so a national network stays small.
    let mut rail_count = 0;
    for line in rail_lines {
        let as_lon_lat: Vec<(f64, f64)> = line.iter().map(|&(lat, lon)| (lon, lat)).collect();
        let mut d = String::new();
        for piece in clip_polyline(&as_lon_lat, &view) {
            let screen: Vec<(f64, f64)> = piece
                .iter()
                .map(|&(lon, lat)| projection.xy(lon, lat))
                .collect();
            d.push_str(&path_data(&simplify(&screen, 0.4), false));
        }
        if d.is_empty() {
            continue;
        }
        let _ = writeln!(
            body,
            "<path class=\"rail\" d=\"{d}\" fill=\"none\" stroke=\"{}\" stroke-width=\"1.3\"/>",
            colours.rail
        );
        rail_count += 1;
    }

    // Great circle between the end points, then the route.
    let stop_xy: Vec<(f64, f64)> = stops.iter().map(|s| projection.xy(s.lon, s.lat)).collect();
    let mut desc = format!(
        "Map of the route{}. Equirectangular projection, x scaled by cos {:.1}°; basemap Natural Earth 1:50m. ",
        match (stops.first(), stops.last()) {
            (Some(a), Some(b)) if stops.len() > 1 => format!(" from {} to {}", a.name, b.name),
            _ => String::new(),
        },
        projection.lat_mid
    );
    if stops.len() > 1 {
        let _ = write!(
            desc,
            "{} km by rail in all; {} km on the great circle between the end points (dashed). ",
            km(route.total_rail_km),
            km(endpoints_km)
        );
    }
    if let (Some(first), Some(last)) = (stops.first(), stops.last()) {
        if stops.len() > 1 {
            let arc: Vec<(f64, f64)> =
                great_circle((first.lon, first.lat), (last.lon, last.lat), 48)
                    .into_iter()
                    .map(|(lon, lat)| projection.xy(lon, lat))
                    .collect();
            let _ = writeln!(
                body,
                "<path class=\"geodesic\" d=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"1.6\" stroke-dasharray=\"7 5\"/>",
                path_data(&arc, false),
                colours.geodesic
            );
        }
    }
    let path_xy: Vec<(f64, f64)> = if route.path.len() >= 2 {
        route
            .path
            .iter()
            .map(|p| projection.xy(p[0], p[1]))
            .collect()
    } else {
        stop_xy.clone()
    };
    if path_xy.len() >= 2 {
        let d = path_data(&simplify(&path_xy, 0.3), false);
        let _ = writeln!(
            body,
            "<path class=\"route-halo\" d=\"{d}\" fill=\"none\" stroke=\"{}\" stroke-width=\"6\" stroke-linejoin=\"round\" stroke-opacity=\"0.8\"/>",
            colours.background
        );
        let _ = writeln!(
            body,
            "<path class=\"route-path\" d=\"{d}\" fill=\"none\" stroke=\"{}\" stroke-width=\"3\" stroke-linejoin=\"round\" stroke-linecap=\"round\"/>",
            colours.route
        );
    }

    // Stops.
    for (stop, (x, y)) in stops.iter().zip(&stop_xy) {
        let (fill, dash) = if stop.inferred {
            (colours.background, " stroke-dasharray=\"2 1.5\"")
        } else {
            (colours.route, "")
        };
        let _ = writeln!(
            body,
            "<circle class=\"stop{}\" data-place=\"{}\" cx=\"{}\" cy=\"{}\" r=\"5\" fill=\"{fill}\" stroke=\"{}\" stroke-width=\"1.8\"{dash}><title>{}</title></circle>",
            if stop.inferred { " inferred" } else { "" },
            escape_xml(&stop.place_id),
            num(*x),
            num(*y),
            colours.text,
            escape_xml(&stop.name)
        );
    }
    body.push_str("</g>\n");
    for (x, y, text, anchor) in &graticule_labels {
        Text::new(*x, *y, 10.0, colours.muted)
            .anchor(*anchor)
            .halo(colours.halo)
            .write(&mut body, text);
    }

    // Furniture first, so labels keep clear of it.
    let mut taken: Vec<Rect> = stop_xy
        .iter()
        .map(|&(x, y)| Rect::new(x - 6.0, y - 6.0, x + 6.0, y + 6.0))
        .collect();
    let label_frame = Rect::new(
        frame.x0 + 4.0,
        frame.y0 + 4.0,
        frame.x1 - 4.0,
        frame.y1 - 4.0,
    );

    // North arrow, top right.
    let (nx, ny) = (frame.x1 - 30.0, frame.y0 + 16.0);
    let _ = writeln!(
        body,
        "<g class=\"north-arrow\"><path d=\"M{x} {}L{} {}L{x} {}L{} {}Z\" fill=\"{}\" stroke=\"{}\" stroke-width=\"1\"/>",
        num(ny + 6.0),
        num(nx + 8.0),
        num(ny + 30.0),
        num(ny + 24.0),
        num(nx - 8.0),
        num(ny + 30.0),
        colours.text,
        colours.background,
        x = num(nx)
    );
    Text::new(nx, ny + 3.0, 12.0, colours.text)
        .bold()
        .anchor(Anchor::Middle)
        .halo(colours.halo)
        .write(&mut body, "N");
    body.push_str("</g>\n");
    taken.push(Rect::new(nx - 14.0, ny - 12.0, nx + 14.0, ny + 34.0));

    // Scale bar, bottom left: a round length near 160 px.
    let km_per_px = projection.km_per_px();
    let target_km = 160.0 * km_per_px;
    let magnitude = 10f64.powf(target_km.log10().floor());
    let nice = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .filter(|v| *v <= target_km * 1.3)
        .fold(magnitude, f64::max);
    let bar_px = nice / km_per_px;
    let (sx, sy) = (frame.x0 + 14.0, frame.y1 - 20.0);
    let _ = write!(
        body,
        "<g class=\"scale-bar\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"34\" rx=\"3\" fill=\"{}\" fill-opacity=\"0.85\"/>",
        num(sx - 6.0),
        num(sy - 22.0),
        num(bar_px + 60.0),
        colours.background
    );
    for i in 0..4 {
        let fill = if i % 2 == 0 {
            colours.text
        } else {
            colours.background
        };
        let _ = write!(
            body,
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"5\" fill=\"{fill}\" stroke=\"{}\" stroke-width=\"0.8\"/>",
            num(sx + bar_px * f64::from(i) / 4.0),
            num(sy),
            num(bar_px / 4.0),
            colours.text
        );
    }
    Text::new(sx, sy - 6.0, 10.0, colours.text).write(&mut body, "0");
    Text::new(sx + bar_px, sy - 6.0, 10.0, colours.text)
        .anchor(Anchor::Middle)
        .write(&mut body, &format!("{} km", km(nice)));
    body.push_str("</g>\n");
    taken.push(Rect::new(
        sx - 6.0,
        sy - 22.0,
        sx + bar_px + 54.0,
        sy + 12.0,
    ));

    // Projection note, bottom right.
    let note = format!(
        "Equirectangular projection, scale true at {:.0}°{} and along meridians",
        projection.lat_mid.abs(),
        if projection.lat_mid < 0.0 { "S" } else { "N" }
    );
    let note_w = text_width(&note, 10.0, false) + 10.0;
    let _ = writeln!(
        body,
        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"17\" rx=\"3\" fill=\"{}\" fill-opacity=\"0.85\"/>",
        num(frame.x1 - 8.0 - note_w),
        num(frame.y1 - 25.0),
        num(note_w),
        colours.background
    );
    Text::new(frame.x1 - 13.0, frame.y1 - 13.0, 10.0, colours.muted)
        .anchor(Anchor::End)
        .class("projection")
        .write(&mut body, &note);
    taken.push(Rect::new(
        frame.x1 - 8.0 - note_w,
        frame.y1 - 25.0,
        frame.x1 - 8.0,
        frame.y1 - 8.0,
    ));

    // Legend, top left.
    let legend: Vec<(&str, String)> = vec![
        ("route", "reconstructed route".to_string()),
        ("geodesic", "great circle between end points".to_string()),
        ("rail", "rail lines".to_string()),
        ("border", "country borders".to_string()),
        ("stop", "stop named in the articles".to_string()),
        ("inferred", "stop inferred on the route".to_string()),
    ];
    let legend_w = legend
        .iter()
        .map(|(_, t)| text_width(t, 11.0, false))
        .fold(0.0, f64::max)
        + 48.0;
    let (lx, ly) = (frame.x0 + 10.0, frame.y0 + 10.0);
    let _ = write!(
        body,
        "<g class=\"legend\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"3\" fill=\"{}\" fill-opacity=\"0.9\" stroke=\"{}\" stroke-width=\"0.5\"/>",
        num(lx),
        num(ly),
        num(legend_w),
        num(legend.len() as f64 * 18.0 + 8.0),
        colours.background,
        colours.grid
    );
    for (i, (kind, text)) in legend.iter().enumerate() {
        let row_y = ly + 13.0 + i as f64 * 18.0;
        let (x0, x1) = (num(lx + 8.0), num(lx + 32.0));
        let y = num(row_y);
        let swatch = match *kind {
            "route" => format!("<path d=\"M{x0} {y}H{x1}\" stroke=\"{}\" stroke-width=\"3\"/>", colours.route),
            "geodesic" => format!(
                "<path d=\"M{x0} {y}H{x1}\" stroke=\"{}\" stroke-width=\"1.6\" stroke-dasharray=\"7 5\"/>",
                colours.geodesic
            ),
            "rail" => format!("<path d=\"M{x0} {y}H{x1}\" stroke=\"{}\" stroke-width=\"1.3\"/>", colours.rail),
            "border" => format!(
                "<path d=\"M{x0} {y}H{x1}\" stroke=\"{}\" stroke-width=\"1.2\" stroke-dasharray=\"6 3\"/>",
                colours.border
            ),
            "stop" => format!(
                "<circle cx=\"{}\" cy=\"{y}\" r=\"5\" fill=\"{}\" stroke=\"{}\" stroke-width=\"1.8\"/>",
                num(lx + 20.0),
                colours.route,
                colours.text
            ),
            _ => format!(
                "<circle cx=\"{}\" cy=\"{y}\" r=\"5\" fill=\"{}\" stroke=\"{}\" stroke-width=\"1.8\" stroke-dasharray=\"2 1.5\"/>",
                num(lx + 20.0),
                colours.background,
                colours.text
            ),
        };
        body.push_str(&swatch);
        Text::new(lx + 40.0, row_y + 4.0, 11.0, colours.text).write(&mut body, text);
    }
    body.push_str("</g>\n");
    taken.push(Rect::new(
        lx,
        ly,
        lx + legend_w,
        ly + legend.len() as f64 * 18.0 + 8.0,
    ));

    // Points labels should not cover: the route, sampled every few px.
    let mut avoid: Vec<(f64, f64)> = Vec::new();
    for pair in path_xy.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        let length = ((b.0 - a.0).powi(2) + (b.1 - a.1).powi(2)).sqrt();
        let n = (length / 6.0).ceil().max(1.0) as usize;
        for i in 0..n {
            let t = i as f64 / n as f64;
            avoid.push((a.0 + t * (b.0 - a.0), a.1 + t * (b.1 - a.1)));
        }
    }

    // The great circle too, but sparser: covering some of it is less harmful.
    if let (Some(first), Some(last)) = (stops.first(), stops.last()) {
        if stops.len() > 1 {
            for (lon, lat) in great_circle((first.lon, first.lat), (last.lon, last.lat), 48) {
                avoid.push(projection.xy(lon, lat));
            }
        }
    }

    // Stop labels; stops that fall on nearly the same pixel share one label.
    let mut clusters: Vec<Vec<usize>> = Vec::new();
    for (i, xy) in stop_xy.iter().enumerate() {
        match clusters.iter_mut().find(|c| {
            c.iter().any(|&j| {
                ((stop_xy[j].0 - xy.0).powi(2) + (stop_xy[j].1 - xy.1).powi(2)).sqrt() < CLUSTER_PX
            })
        }) {
            Some(cluster) => cluster.push(i),
            None => clusters.push(vec![i]),
        }
    }
    let mut stop_labels = String::new();
    for cluster in &clusters {
        let mut lines = Vec::new();
        for &i in cluster {
            let stop = &stops[i];
            let mut name = stop.name.clone();
            if let Some(native) = stop
                .native
                .as_deref()
                .filter(|n| !n.trim().is_empty() && *n != stop.name)
            {
                name = format!("{name} {native}");
            }
            if stop.inferred {
                name.push_str(" (inferred)");
            }
            lines.push((truncate(&name, 12.5, true, 420.0), 12.5, true));
            if let Some((start, end)) = stop.window.as_ref().and_then(parse_window) {
                let zone = stop_zone(report, stop);
                let what = stop
                    .event
                    .as_deref()
                    .map(event_label)
                    .unwrap_or_else(|| "At stop".to_string());
                let when = format_window(zone, start, end);
                lines.push((
                    truncate(&format!("{what}: {when}"), 11.0, false, 420.0),
                    11.0,
                    false,
                ));
                let _ = write!(desc, "{} at {}: {}. ", what, stop.name, when);
            }
        }
        let label = Label::new(lines);
        let n = cluster.len() as f64;
        let anchor = (
            cluster.iter().map(|&i| stop_xy[i].0).sum::<f64>() / n,
            cluster.iter().map(|&i| stop_xy[i].1).sum::<f64>() / n,
        );
        let rect = place_label(anchor, &label, &taken, &avoid, &label_frame);
        write_label(
            &mut stop_labels,
            "stop-label",
            &rect,
            Some(anchor),
            &label,
            &colours,
        );
        taken.push(rect.grow(2.0));
    }

    // Leg labels on legs long enough to carry one.
    let mut leg_labels = String::new();
    for leg in &route.legs {
        let (Some(from), Some(to)) = (stop_index(stops, &leg.from), stop_index(stops, &leg.to))
        else {
            continue;
        };
        let (a, b) = (stop_xy[from], stop_xy[to]);
        if ((b.0 - a.0).powi(2) + (b.1 - a.1).powi(2)).sqrt() < 70.0 {
            continue;
        }
        let anchor = leg_midpoint(&path_xy, a, b);
        let lines = vec![
            (format!("{} km by rail", km(leg.rail_km)), 11.5, true),
            (
                format!(
                    "{} km direct · {}",
                    km(leg.geodesic_km),
                    speed_text(&leg.speed_kmh)
                ),
                10.5,
                false,
            ),
        ];
        let label = Label::new(lines);
        let rect = place_label(anchor, &label, &taken, &avoid, &label_frame);
        write_label(
            &mut leg_labels,
            "leg-label",
            &rect,
            Some(anchor),
            &label,
            &colours,
        );
        taken.push(rect.grow(2.0));
    }
    // Country names where a country has room in view; placed last, so they yield to the rest.
    let mut country_labels = String::new();
    let inset = Rect::new(
        frame.x0 + 20.0,
        frame.y0 + 20.0,
        frame.x1 - 20.0,
        frame.y1 - 20.0,
    );
    let mut countries: Vec<(usize, &str, Line)> = basemap
        .labels
        .iter()
        .filter_map(|(name, points)| {
            let inside: Vec<(f64, f64)> = points
                .iter()
                .map(|&(lon, lat)| projection.xy(lon, lat))
                .filter(|&(x, y)| x > inset.x0 && x < inset.x1 && y > inset.y0 && y < inset.y1)
                .collect();
            (inside.len() >= 4).then_some((inside.len(), name.as_str(), inside))
        })
        .collect();
    // Largest area in view first.
    countries.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    for (_, name, mut points) in countries.into_iter().take(8) {
        let text = name.to_uppercase();
        let (size, spacing) = (12.0, 1.5);
        let w = text_width(&text, size, false) + spacing * text.chars().count() as f64;
        let n = points.len() as f64;
        let centre = (
            points.iter().map(|p| p.0).sum::<f64>() / n,
            points.iter().map(|p| p.1).sum::<f64>() / n,
        );
        let distance = |p: &(f64, f64)| (p.0 - centre.0).powi(2) + (p.1 - centre.1).powi(2);
        points.sort_by(|a, b| distance(a).total_cmp(&distance(b)));
        let clear = points.iter().take(80).find_map(|&(x, y)| {
            let rect = Rect::new(x - w / 2.0, y - size, x + w / 2.0, y + 4.0);
            let covered = avoid
                .iter()
                .filter(|(px, py)| *px > rect.x0 && *px < rect.x1 && *py > rect.y0 && *py < rect.y1)
                .count();
            (rect.inside(&inset) && covered == 0 && !taken.iter().any(|t| t.overlaps(&rect)))
                .then_some((x, y, rect))
        });
        if let Some((x, y, rect)) = clear {
            let _ = writeln!(
                country_labels,
                "<g class=\"label country-label\" data-x0=\"{}\" data-y0=\"{}\" data-x1=\"{}\" data-y1=\"{}\">\
<text x=\"{}\" y=\"{}\" font-size=\"{size}\" letter-spacing=\"{spacing}\" text-anchor=\"middle\" fill=\"{}\" fill-opacity=\"0.85\">{}</text></g>",
                num(rect.x0),
                num(rect.y0),
                num(rect.x1),
                num(rect.y1),
                num(x),
                num(y),
                colours.muted,
                escape_xml(&text)
            );
            taken.push(rect.grow(2.0));
        }
    }
    body.push_str(&country_labels);
    body.push_str(&stop_labels);
    body.push_str(&leg_labels);
    let _ = writeln!(
        body,
        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"1\"/>",
        num(frame.x0),
        num(frame.y0),
        num(frame.x1 - frame.x0),
        num(frame.y1 - frame.y0),
        colours.muted
    );

    // Legs table under the map.
    let mut y = frame.y1 + 40.0;
    Text::new(MARGIN, y, 12.0, colours.text)
        .bold()
        .write(&mut body, "Legs");
    let columns = [MARGIN, MARGIN + 470.0, MARGIN + 590.0, MARGIN + 710.0];
    let header = [
        "From → to",
        "Rail km",
        "Direct km",
        "Speed the reconciled times imply",
    ];
    y += 18.0;
    for (x, text) in columns.iter().zip(header) {
        Text::new(*x, y, 10.5, colours.muted)
            .bold()
            .write(&mut body, text);
    }
    for leg in &route.legs {
        y += 16.0;
        y += write_leg_row(&mut body, leg, &columns, y, &colours);
        let _ = write!(
            desc,
            "Leg {} to {}: {} km by rail, {} km direct, {}. ",
            leg.from,
            leg.to,
            km(leg.rail_km),
            km(leg.geodesic_km),
            speed_text(&leg.speed_kmh)
        );
    }
    if rail_count == 0 {
        desc.push_str("No rail lines in view. ");
    }
    y += 26.0;
    Text::new(MARGIN, y, 10.5, colours.muted).class("attribution").write(
        &mut body,
        "Basemap: Natural Earth (public domain); places: GeoNames (CC BY 4.0). Rail km are line km-posts, direct km are great-circle distances.",
    );
    let height = (y + MARGIN).ceil();

    let mut out = String::new();
    open_svg(
        &mut out,
        WIDTH,
        height,
        "route",
        &title,
        desc.trim(),
        colours.background,
    );
    out.push_str(&body);
    out.push_str("</svg>\n");
    out
}

/// Writes one row of the legs table at baseline `y` and returns the height its extra lines take:
/// the "from → to via …" cell wraps (a reader wants every station the route passes), the other
/// cells sit on the first line.
fn write_leg_row(
    out: &mut String,
    leg: &LegWire,
    columns: &[f64; 4],
    y: f64,
    colours: &Palette,
) -> f64 {
    const LINE_H: f64 = 14.0;
    let mut via = String::new();
    if !leg.via.is_empty() {
        via = format!(" via {}", leg.via.join(", "));
    }
    let route_lines = wrap(
        &format!("{} → {}{via}", leg.from, leg.to),
        10.5,
        false,
        columns[1] - columns[0] - 22.0,
    );
    let rail = if leg.rail_km_max > leg.rail_km + 0.5 {
        format!("{}–{}", km(leg.rail_km), km(leg.rail_km_max))
    } else {
        km(leg.rail_km)
    };
    let rail = if leg.off_network {
        format!("{rail} (off network)")
    } else {
        rail
    };
    let first = route_lines.first().cloned().unwrap_or_default();
    let cells = [first, rail, km(leg.geodesic_km), speed_text(&leg.speed_kmh)];
    for (x, text) in columns.iter().zip(cells) {
        Text::new(*x, y, 10.5, colours.text)
            .class("leg-row")
            .write(out, &text);
    }
    let mut extra = 0.0;
    for line in route_lines.iter().skip(1) {
        extra += LINE_H;
        Text::new(columns[0] + 12.0, y + extra, 10.5, colours.text)
            .class("leg-row")
            .write(out, line);
    }
    extra
}

/// The point halfway along the route between two stops (by screen length), or the midpoint of
/// the straight line when the path does not pass near them.
fn leg_midpoint(path: &[(f64, f64)], a: (f64, f64), b: (f64, f64)) -> (f64, f64) {
    let nearest = |p: (f64, f64)| {
        path.iter()
            .enumerate()
            .map(|(i, q)| (i, (q.0 - p.0).powi(2) + (q.1 - p.1).powi(2)))
            .min_by(|x, y| x.1.total_cmp(&y.1))
            .map(|(i, _)| i)
    };
    let (Some(i), Some(j)) = (nearest(a), nearest(b)) else {
        return ((a.0 + b.0) / 2.0, (a.1 + b.1) / 2.0);
    };
    let (i, j) = (i.min(j), i.max(j));
    let part = &path[i..=j];
    let lengths: Vec<f64> = part
        .windows(2)
        .map(|w| ((w[1].0 - w[0].0).powi(2) + (w[1].1 - w[0].1).powi(2)).sqrt())
        .collect();
    let total: f64 = lengths.iter().sum();
    if part.len() < 2 || total <= 0.0 {
        return ((a.0 + b.0) / 2.0, (a.1 + b.1) / 2.0);
    }
    let mut remaining = total / 2.0;
    for (w, length) in part.windows(2).zip(&lengths) {
        if remaining <= *length && *length > 0.0 {
            let t = remaining / length;
            return (
                w[0].0 + t * (w[1].0 - w[0].0),
                w[0].1 + t * (w[1].1 - w[0].1),
            );
        }
        remaining -= length;
    }
    part[part.len() - 1]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn km_groups_thousands() {
        assert_eq!(km(1201.1), "1,201");
        assert_eq!(km(1.5), "1.5");
        assert_eq!(km(973.0), "973");
    }

    #[test]
    fn great_circle_pyongyang_beijing_is_about_810_km() {
        let d = great_circle_km((125.7381, 39.0194), (116.3972, 39.9075));
        assert!((d - 808.0).abs() < 5.0, "{d}");
        let arc = great_circle((125.7381, 39.0194), (116.3972, 39.9075), 10);
        // The great circle bulges north of the straight line in plate carrée.
        assert!(arc[5].1 > (39.0194 + 39.9075) / 2.0);
    }
}
