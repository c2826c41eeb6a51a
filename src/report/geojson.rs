//! `route.geojson`: the stops as Points and the path as a LineString.
//!
//! Properties: stops carry `name`, `native`, `place_id`, `event`, `inferred`, `window_start`,
//! `window_end`; the path carries `total_rail_km`, `total_geodesic_km`, and per-vertex
//! timestamps as the fourth coordinate (`[lon, lat, 0, unix_seconds]`, the layout kepler.gl's
//! trip layer reads) when at least two stops have reconciled windows: the midpoint of each
//! stop's window, interpolated along the path by distance in between.

use chrono::DateTime;
use serde_json::{json, Value};

use super::wire::ReportWire;

fn midpoint_unix(start: &str, end: &str) -> Option<f64> {
    let a = DateTime::parse_from_rfc3339(start).ok()?.timestamp() as f64;
    let b = DateTime::parse_from_rfc3339(end).ok()?.timestamp() as f64;
    Some((a + b) / 2.0)
}

fn approx_km(a: [f64; 2], b: [f64; 2]) -> f64 {
    // Equirectangular is plenty for interpolating timestamps between vertices.
    let lat = (a[1] + b[1]).to_radians() / 2.0;
    let dx = (b[0] - a[0]).to_radians() * lat.cos();
    let dy = (b[1] - a[1]).to_radians();
    6371.0 * (dx * dx + dy * dy).sqrt()
}

pub fn render_geojson(report: &ReportWire) -> String {
    let route = &report.route;
    let mut features = Vec::new();
    for (i, s) in route.stops.iter().enumerate() {
        features.push(json!({
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [s.lon, s.lat]},
            "properties": {
                "kind": "stop",
                "order": i,
                "name": s.name,
                "native": s.native,
                "place_id": s.place_id,
                "station": s.station,
                "event": s.event,
                "inferred": s.inferred,
                "window_start": s.window.as_ref().map(|w| w.start.clone()),
                "window_end": s.window.as_ref().map(|w| w.end.clone()),
            }
        }));
    }
    if route.path.len() >= 2 {
        // Cumulative distance along the path, and the vertex nearest each stop.
        let mut cumulative = vec![0.0];
        for w in route.path.windows(2) {
            let last = *cumulative.last().unwrap_or(&0.0);
            cumulative.push(last + approx_km(w[0], w[1]));
        }
        let mut known: Vec<(f64, f64)> = Vec::new(); // (km along path, unix seconds)
        for s in &route.stops {
            let Some(w) = &s.window else { continue };
            let Some(t) = midpoint_unix(&w.start, &w.end) else {
                continue;
            };
            let nearest = route
                .path
                .iter()
                .enumerate()
                .min_by(|(_, a), (_, b)| {
                    approx_km(**a, [s.lon, s.lat]).total_cmp(&approx_km(**b, [s.lon, s.lat]))
                })
                .map(|(i, _)| i)
                .unwrap_or(0);
            known.push((cumulative[nearest], t));
        }
        known.sort_by(|a, b| a.0.total_cmp(&b.0));
        let monotonic = known
            .windows(2)
            .all(|w| w[1].1 >= w[0].1 && w[1].0 > w[0].0);
        let coordinates: Vec<Value> = route
            .path
            .iter()
            .zip(&cumulative)
            .map(|(p, &km)| {
                if known.len() >= 2 && monotonic {
                    let t = interpolate(&known, km);
                    json!([p[0], p[1], 0, t.round() as i64])
                } else {
                    json!([p[0], p[1]])
                }
            })
            .collect();
        features.push(json!({
            "type": "Feature",
            "geometry": {"type": "LineString", "coordinates": coordinates},
            "properties": {
                "kind": "path",
                "total_rail_km": route.total_rail_km,
                "total_rail_km_max": route.total_rail_km_max,
                "total_geodesic_km": route.total_geodesic_km,
                "timestamps": if known.len() >= 2 && monotonic { "unix_seconds_in_4th_coordinate" } else { "none" },
            }
        }));
    }
    let fc = json!({
        "type": "FeatureCollection",
        "name": report.case.name,
        "features": features,
    });
    let mut s = serde_json::to_string_pretty(&fc).unwrap_or_default();
    s.push('\n');
    s
}

/// Linear in distance between known points, clamped outside them.
fn interpolate(known: &[(f64, f64)], km: f64) -> f64 {
    if km <= known[0].0 {
        return known[0].1;
    }
    for w in known.windows(2) {
        let ((k0, t0), (k1, t1)) = (w[0], w[1]);
        if km <= k1 {
            return t0 + (t1 - t0) * (km - k0) / (k1 - k0);
        }
    }
    known[known.len() - 1].1
}
