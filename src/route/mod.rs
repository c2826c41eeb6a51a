//! Route stage: the journey's stops on a rail network.
//!
//! In: the stops in time order ([`StopRequest`]: a place, or a border crossing into a country),
//! and a [`RailGraph`]. Out: a [`Route`] whose legs carry rail km (shortest path, Dijkstra) and
//! WGS84 geodesic km, with the stations passed on the way marked as inferred.
//!
//! Invariant: `route.legs[i]` joins `route.stops[legs[i].from]` and `route.stops[legs[i].to]`,
//! and stops are in travel order.

use serde::{Deserialize, Serialize};

use crate::diag::Diagnostic;

/// One stop the claims name, in time order.
#[derive(Clone, Debug, PartialEq)]
pub struct StopRequest {
    pub place_id: String,
    pub name: String,
    pub lat: f64,
    pub lon: f64,
    /// ISO2 country (for a border point, `CN/KP`).
    pub country: String,
    pub kind: StopKind,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StopKind {
    /// A named place the traveller was at (departure, arrival, stop).
    Place,
    /// "Crossed into China": the crossing point is to be found on the path between the
    /// neighbouring stops, where the path enters `into` (ISO2).
    BorderInto { into: String },
}

/// A stop of the reconstructed route.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RouteStop {
    pub name: String,
    pub place_id: String,
    pub lat: f64,
    pub lon: f64,
    /// The station the place was snapped to, if any.
    pub station: Option<String>,
    /// Distance from the place to that station.
    pub snap_km: Option<f64>,
    /// True for stops the articles imply but do not name (a border bridge, a junction).
    pub inferred: bool,
    /// Index into the requests this stop answers, when it answers one.
    pub request: Option<usize>,
}

/// A leg between two consecutive stops.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Leg {
    pub from: usize,
    pub to: usize,
    /// Rail km on the network, or the low end of the estimate when off-network.
    pub rail_km: f64,
    /// High end of the estimate; equals `rail_km` on the network.
    pub rail_km_max: f64,
    pub geodesic_km: f64,
    /// True when no rail path joins the two stops and the km are geodesic × detour.
    pub off_network: bool,
    /// Stations passed between the two stops.
    pub via: Vec<String>,
}

/// A point of the drawn path.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PathPoint {
    pub lat: f64,
    pub lon: f64,
    pub station: Option<String>,
    /// Index of the stop at this point, if any.
    pub stop: Option<usize>,
}

/// The reconstructed route.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Route {
    pub stops: Vec<RouteStop>,
    pub legs: Vec<Leg>,
    pub path: Vec<PathPoint>,
    pub total_rail_km: f64,
    pub total_rail_km_max: f64,
    pub total_geodesic_km: f64,
}

mod plan;
mod rail;

pub use plan::{
    OFF_NETWORK_DETOUR_MAX, OFF_NETWORK_DETOUR_MIN, SNAP_COUNTRY_SLACK_KM, SNAP_MAX_KM,
};
pub use rail::{KmBasis, RailGraph, Station, StationKind, Track};

/// Routes the stops in order on the graph. Places far from any station, or pairs with no rail
/// path, become off-network legs with a detour range, and a diagnostic says so.
///
/// - Each [`StopKind::Place`] snaps to the nearest station within [`SNAP_MAX_KM`], or to one
///   of its own country at most [`SNAP_COUNTRY_SLACK_KM`] farther.
/// - Consecutive stops are joined by the shortest rail path (Dijkstra on rail km).
/// - A [`StopKind::BorderInto`] between two places becomes an inferred stop where the path
///   first enters that country (the border node, e.g. the bridge `CN/KP`); after the last place
///   it is the border point of that country nearest by rail; before the first place, the one
///   nearest to that place.
/// - Border points the path crosses without a request also become inferred stops
///   (`request: None`), so each leg lies in one country or ends at its border.
/// - No rail path: `rail_km..rail_km_max` is geodesic × [`OFF_NETWORK_DETOUR_MIN`] ..
///   × [`OFF_NETWORK_DETOUR_MAX`], `off_network` is set and a `leg_off_network` warning
///   says why. A crossing that cannot be placed gives a `border_crossing_not_found` warning.
///
/// Km are rounded to 0.1. `total_rail_km` and `total_rail_km_max` sum the legs;
/// `total_geodesic_km` sums the geodesics between consecutive requested places (inferred stops
/// skipped), so `total_rail_km / total_geodesic_km` is the journey's detour factor.
pub fn plan_route(graph: &RailGraph, stops: &[StopRequest]) -> (Route, Vec<Diagnostic>) {
    plan::plan(graph, stops)
}
