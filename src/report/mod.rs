//! Report stage: `report.json` (the wire format in [`wire`], built by [`build_report`]),
//! `route.geojson`, `report.md`, `report.html`, and the check output formats (human, json, github, sarif,
//! junit). The JSON lines of `retrace times --jsonl` are written by the binary (`src/cli.rs`).
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

/// `report.json`: pretty-printed, newline-terminated.
pub fn render_json(report: &wire::ReportWire) -> String {
    let mut s =
        serde_json::to_string_pretty(report).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"));
    s.push('\n');
    s
}
