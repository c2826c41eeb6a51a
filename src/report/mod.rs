//! Report stage: `report.json` (see [`wire`]), `route.geojson`, `report.md`, and the JSON lines
//! of `retrace times --jsonl`.

pub mod wire;

use crate::text::TextRange;
use crate::time::{Anchor, TimeMention};

/// The `mentions` array of one `retrace times --jsonl` answer line.
pub fn times_wire(_text: &str, mentions: &[TimeMention], anchor: &Anchor) -> serde_json::Value {
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
            serde_json::json!({
                "start": start,
                "end": end,
                "text": m.expr.text,
                "value": value,
                "duration": duration,
                "grain": m.resolved.grain.as_str(),
                "timex3": m.resolved.timex3,
                "rule": m.expr.rule,
                "unresolved": m.resolved.unresolved,
            })
        })
        .collect();
    serde_json::Value::Array(items)
}
