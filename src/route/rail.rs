//! Placeholder: the rail network lands in the route-stage change.
use super::{Route, StopRequest};
use crate::diag::Diagnostic;

pub struct RailGraph {}

impl RailGraph {
    /// The curated network in data/rail.
    pub fn embedded() -> RailGraph {
        RailGraph {}
    }

    /// Polylines of every line of the network, as (lat, lon), for drawing.
    pub fn lines(&self) -> Vec<Vec<(f64, f64)>> {
        Vec::new()
    }
}

pub(super) fn plan(_graph: &RailGraph, _stops: &[StopRequest]) -> (Route, Vec<Diagnostic>) {
    (Route::default(), Vec::new())
}

impl RailGraph {
    /// Placeholder for the GeoJSON loader.
    pub fn from_geojson(_text: &str) -> crate::Result<RailGraph> {
        Ok(RailGraph {})
    }
}
