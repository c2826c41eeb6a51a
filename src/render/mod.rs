//! Render stage: the timeline and the route map as SVG, and PNG through resvg.
//!
//! In: a [`ReportWire`] (what `report.json` holds) and, for the map, the rail lines in view.
//! Out: SVG text. Every string that comes from an article is escaped with
//! [`crate::text::escape_xml`]. Output is deterministic: fixed size, fixed font family, numbers
//! rounded.

use crate::report::wire::ReportWire;

/// Colour scheme.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Theme {
    #[default]
    Light,
    Dark,
}

/// The timeline: one lane per event, a bar per claim, the reconciled window as a band.
pub fn render_timeline(_report: &ReportWire, _theme: Theme) -> String {
    String::new()
}

/// The route map: rail lines in view, the route over them, stops and legs labelled.
pub fn render_route(
    _report: &ReportWire,
    _rail_lines: &[Vec<(f64, f64)>],
    _theme: Theme,
) -> String {
    String::new()
}

/// Rasterises an SVG with the font shipped in the repo.
pub fn svg_to_png(_svg: &str) -> crate::error::Result<Vec<u8>> {
    Ok(Vec::new())
}
