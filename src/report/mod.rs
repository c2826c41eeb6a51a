//! Report stage: `report.json` (the wire format in [`wire`], built by [`build_report`]),
//! `route.geojson`, `report.md`, `report.html`, the check output formats (human, json, github, sarif, junit),
//! and the JSON lines of `retrace times --jsonl`.
//!
//! Every function here returns a `String`; the binary writes files.

pub(crate) mod build;
pub mod formats;
mod geojson;
mod html;
mod markdown;
pub mod wire;

pub use build::build_report;
pub use geojson::render_geojson;
pub use html::{render_html, CONTENT_SECURITY_POLICY};
pub use markdown::render_markdown;

use crate::text::TextRange;
use crate::time::{Anchor, TimeMention};

/// `report.json`: pretty-printed, newline-terminated.
pub fn render_json(report: &wire::ReportWire) -> String {
    let mut s =
        serde_json::to_string_pretty(report).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"));
    s.push('\n');
    s
}

/// The `mentions` array of one `retrace times --jsonl` answer line.
pub fn times_wire(text: &str, mentions: &[TimeMention], anchor: &Anchor) -> serde_json::Value {
    let items: Vec<serde_json::Value> = mentions
        .iter()
        .map(|m| {
            let TextRange { start, end } = m.expr.range;
            let value = m.resolved.window.map(|w| {
                serde_json::json!({
                    "start": w.earliest.with_timezone(&anchor.tz).to_rfc3339(),
                    "end": w.latest.with_timezone(&anchor.tz).to_rfc3339(),
                })
            });
            let duration = m.resolved.duration.map(|d| {
                serde_json::json!({"nominal_s": d.nominal_s, "min_s": d.min_s, "max_s": d.max_s})
            });
            let mut item = serde_json::json!({
                "start": start,
                "end": end,
                "text": m.expr.text,
                "value": value,
                "duration": duration,
                "grain": m.resolved.grain.as_str(),
                "timex3": m.resolved.timex3,
                "rule": m.expr.rule,
                "unresolved": m.resolved.unresolved,
            });
            // Present only when there is something to say, so most lines stay short.
            if let (Some(r), Some(fields)) = (m.expr.reported_by, item.as_object_mut()) {
                fields.insert(
                    "reported_by".into(),
                    serde_json::json!({
                        "start": r.start,
                        "end": r.end,
                        "text": text.get(r.start..r.end).unwrap_or(""),
                    }),
                );
            }
            if let (Some(note), Some(fields)) = (&m.resolved.note, item.as_object_mut()) {
                fields.insert("note".into(), serde_json::json!(note));
            }
            item
        })
        .collect();
    serde_json::Value::Array(items)
}
