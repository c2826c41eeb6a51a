//! Render stage: the timeline and the route map as SVG, and PNG through resvg.
//!
//! In: a [`ReportWire`] (what `report.json` holds) and, for the map, the rail lines in view.
//! Out: SVG text. Every string that comes from an article is escaped with
//! [`crate::text::escape_xml`]. Output is deterministic: fixed width, a height that depends only
//! on the report, one font family (the Noto Sans shipped in `data/fonts/`), numbers rounded to
//! 0.1 px.
//!
//! Both figures carry `role="img"`, a `<title>` and a `<desc>` that says in words what the figure
//! shows, and never tell things apart by colour alone: sources are named next to every bar,
//! vague claims are hatched, inferred stops are hollow.
//!
//! Invariant: the SVG is well-formed XML whatever the article text holds (markup, `]]>`, control
//! characters), because text goes through `escape_xml` and nothing from an article lands in an
//! element or attribute name.

mod basemap;
mod metrics;
mod png;
mod route_map;
mod svg;
mod timeline;

use crate::report::wire::ReportWire;

pub use png::svg_to_png;
pub use svg::event_label;

/// Colour scheme.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Theme {
    #[default]
    Light,
    Dark,
}

/// The timeline: one lane per event, a bar per claim, the reconciled window as a band.
///
/// Lanes follow `report.timeline`; each lane is labelled and shaded for night in the zone and at
/// the place of its event. Claims whose window is shorter than an hour are drawn as diamonds
/// (still with class `claim-bar`). Failed checks put numbered badges on their claims.
pub fn render_timeline(report: &ReportWire, theme: Theme) -> String {
    timeline::render(report, theme)
}

/// The route map: rail lines in view, the route over them, stops and legs labelled.
///
/// `rail_lines` are polylines as `(lat, lon)`; the basemap is Natural Earth 1:50m land and
/// borders, shipped in `data/basemap/`. The projection is equirectangular with the x axis scaled
/// by the cosine of the view's middle latitude.
pub fn render_route(report: &ReportWire, rail_lines: &[Vec<(f64, f64)>], theme: Theme) -> String {
    route_map::render(report, rail_lines, theme)
}
