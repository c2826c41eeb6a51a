//! Routing the requested stops on a [`RailGraph`]: snapping, shortest paths, border crossings.

use geo::Point;
use petgraph::algo::{astar, dijkstra};
use petgraph::graph::NodeIndex;

use super::rail::{geodesic_km, normalize_country, RailGraph, StationKind};
use super::{Leg, PathPoint, Route, RouteStop, StopKind, StopRequest};
use crate::diag::{Diagnostic, Severity};

/// A place farther than this from every station is off the network.
/// Town centroids lie up to a few km from their station; 30 km still catches a district or
/// suburb named instead of the town, without pulling far places onto an unrelated line.
pub const SNAP_MAX_KM: f64 = 30.0;

/// How much farther than the nearest station a station of the place's own country may be and
/// still be chosen (see `Planner::prefer_own_country`).
pub const SNAP_COUNTRY_SLACK_KM: f64 = 5.0;

/// Rail km over geodesic km assumed for a leg with no rail path: the low end of the range is a
/// fairly direct line, the high end a winding one. On the curated network single sections
/// range 0.9–1.5 and Pyongyang–Beijing is 1.48 via Tangshan (FACTS.md §1), so 1.1–1.6 brackets
/// what real lines do without claiming precision the network cannot give.
pub const OFF_NETWORK_DETOUR_MIN: f64 = 1.1;
pub const OFF_NETWORK_DETOUR_MAX: f64 = 1.6;

/// A stop about to be added: the route stop and the network node it sits on, if any.
#[derive(Clone, Debug)]
struct Endpoint {
    stop: RouteStop,
    node: Option<usize>,
}

struct Planner<'g> {
    graph: &'g RailGraph,
    route: Route,
    diagnostics: Vec<Diagnostic>,
    /// Node of the last stop pushed (None when it is off the network).
    last_node: Option<usize>,
}

pub(super) fn plan(graph: &RailGraph, requests: &[StopRequest]) -> (Route, Vec<Diagnostic>) {
    let mut planner = Planner {
        graph,
        route: Route::default(),
        diagnostics: Vec::new(),
        last_node: None,
    };
    let mut pending_borders: Vec<usize> = Vec::new();
    for (index, request) in requests.iter().enumerate() {
        match request.kind {
            StopKind::BorderInto { .. } => pending_borders.push(index),
            StopKind::Place => {
                let target = planner.snap(index, request);
                if planner.route.stops.is_empty() {
                    planner.start_with_borders(requests, &pending_borders, target);
                } else {
                    planner.connect(target, requests, &pending_borders);
                }
                pending_borders.clear();
            }
        }
    }
    planner.finish_with_borders(requests, &pending_borders);
    planner.finish_totals();
    (planner.route, planner.diagnostics)
}

impl Planner<'_> {
    /// The route stop for a request, snapped to the nearest station within [`SNAP_MAX_KM`].
    fn snap(&self, index: usize, request: &StopRequest) -> Endpoint {
        let nearest = self
            .graph
            .nearest_index(request.lat, request.lon)
            .filter(|&(_, km)| km <= SNAP_MAX_KM)
            .map(|(node, km)| self.prefer_own_country(request, node, km));
        let station = nearest.map(|(node, _)| self.graph.station_at(node));
        Endpoint {
            stop: RouteStop {
                name: request.name.clone(),
                place_id: request.place_id.clone(),
                lat: request.lat,
                lon: request.lon,
                station: station.filter(|s| s.is_named()).map(|s| s.name.clone()),
                snap_km: nearest.map(|(_, km)| round_km(km)),
                inferred: false,
                request: Some(index),
            },
            node: nearest.map(|(node, _)| node),
        }
    }

    /// Near a border the nearest station may be across it (a place in Dandong is nearer the
    /// bridge than Dandong station): a station in the place's own country wins when it is at
    /// most [`SNAP_COUNTRY_SLACK_KM`] farther; an exact country match beats a border point.
    fn prefer_own_country(&self, request: &StopRequest, node: usize, km: f64) -> (usize, f64) {
        let country = normalize_country(&request.country);
        if country.is_empty() || self.graph.station_at(node).country == country {
            return (node, km);
        }
        let reach = (km + SNAP_COUNTRY_SLACK_KM).min(SNAP_MAX_KM);
        let exact = self
            .graph
            .nearest_index_where(request.lat, request.lon, |s| s.country == country);
        let touching = || {
            self.graph
                .nearest_index_where(request.lat, request.lon, |s| {
                    country.split('/').any(|code| s.is_in(code))
                })
        };
        exact
            .filter(|&(_, d)| d <= reach)
            .or_else(|| touching().filter(|&(_, d)| d <= reach))
            .unwrap_or((node, km))
    }

    /// An inferred stop at a network node (a border crossing found on the path).
    fn node_endpoint(&self, node: usize, request: Option<(usize, &StopRequest)>) -> Endpoint {
        let station = self.graph.station_at(node);
        let place_id = request
            .map(|(_, r)| r.place_id.clone())
            .filter(|id| !id.is_empty())
            .unwrap_or_else(|| format!("rail:{}", station.id));
        Endpoint {
            stop: RouteStop {
                name: station.name.clone(),
                place_id,
                lat: station.lat,
                lon: station.lon,
                station: station.is_named().then(|| station.name.clone()),
                snap_km: Some(0.0),
                inferred: true,
                request: request.map(|(i, _)| i),
            },
            node: Some(node),
        }
    }

    fn push_first(&mut self, endpoint: Endpoint) {
        let point = self.anchor_point(&endpoint, 0);
        self.route.path.push(point);
        self.last_node = endpoint.node;
        self.route.stops.push(endpoint.stop);
    }

    fn anchor_point(&self, endpoint: &Endpoint, stop: usize) -> PathPoint {
        match endpoint.node {
            Some(node) => self.path_point(node, Some(stop)),
            None => PathPoint {
                lat: endpoint.stop.lat,
                lon: endpoint.stop.lon,
                station: None,
                stop: Some(stop),
            },
        }
    }

    fn path_point(&self, node: usize, stop: Option<usize>) -> PathPoint {
        let station = self.graph.station_at(node);
        PathPoint {
            lat: station.lat,
            lon: station.lon,
            station: station.is_named().then(|| station.name.clone()),
            stop,
        }
    }

    /// Starts the route at `target`, after border crossings requested before any place: each
    /// is the border point nearest to `target` by rail.
    fn start_with_borders(
        &mut self,
        requests: &[StopRequest],
        borders: &[usize],
        target: Endpoint,
    ) {
        let mut crossings = Vec::new();
        for &index in borders {
            let into = border_country(&requests[index]);
            match target.node.and_then(|node| self.nearest_border(node, into)) {
                Some(node) => {
                    crossings.push(self.node_endpoint(node, Some((index, &requests[index]))))
                }
                None => self.border_not_found(index, &requests[index], "no place before it"),
            }
        }
        if crossings.is_empty() {
            self.push_first(target);
            return;
        }
        // Only the crossing nearest the first place can be placed before it.
        let last = crossings.len() - 1;
        for (i, crossing) in crossings.into_iter().enumerate() {
            if i == last {
                self.push_first(crossing);
            } else if let Some(index) = crossing.stop.request {
                self.border_not_found(
                    index,
                    &requests[index],
                    "another crossing is nearer the first place",
                );
            }
        }
        self.connect(target, requests, &[]);
    }

    /// Ends the route with border crossings requested after the last place: each is the border
    /// point of that country nearest by rail to the stop before it.
    fn finish_with_borders(&mut self, requests: &[StopRequest], borders: &[usize]) {
        for &index in borders {
            let into = border_country(&requests[index]);
            let found = self
                .last_node
                .filter(|_| !self.route.stops.is_empty())
                .and_then(|node| self.nearest_border(node, into));
            match found {
                Some(node) => {
                    let crossing = self.node_endpoint(node, Some((index, &requests[index])));
                    self.connect(crossing, requests, &[]);
                }
                None => self.border_not_found(
                    index,
                    &requests[index],
                    "no border point of that country is reachable",
                ),
            }
        }
    }

    /// The border node in country `into` nearest by rail from `from` (not `from` itself).
    fn nearest_border(&self, from: usize, into: &str) -> Option<usize> {
        let graph = self.graph.graph();
        let costs = dijkstra(graph, NodeIndex::new(from), None, |e| {
            self.graph.track_km(*e.weight())
        });
        costs
            .into_iter()
            .filter(|(node, _)| {
                let station = self.graph.station_at(node.index());
                node.index() != from && station.kind == StationKind::Border && station.is_in(into)
            })
            .min_by(|a, b| a.1.total_cmp(&b.1).then(a.0.index().cmp(&b.0.index())))
            .map(|(node, _)| node.index())
    }

    /// Adds legs from the last stop to `target`, placing the requested border crossings
    /// (`borders`, in order) and any other border point on the rail path as inferred stops.
    fn connect(&mut self, target: Endpoint, requests: &[StopRequest], borders: &[usize]) {
        let from_node = self.last_node;
        let path = match (from_node, target.node) {
            (Some(a), Some(b)) if a != b => self.shortest_path(a, b),
            _ => None,
        };
        let Some(path) = path else {
            self.connect_without_path(target, requests, borders);
            return;
        };
        // Split positions on the path: requested crossings first, in order, then implied ones.
        let mut splits: Vec<(usize, Option<usize>)> = Vec::new();
        let mut cursor = 1;
        let mut unplaced = Vec::new();
        for &index in borders {
            let into = border_country(&requests[index]);
            let entry = (cursor.max(1)..path.len().saturating_sub(1)).find(|&k| {
                self.graph.station_at(path[k]).is_in(into)
                    && !self.graph.station_at(path[k - 1]).is_in(into)
            });
            match entry {
                Some(k) => {
                    splits.push((k, Some(index)));
                    cursor = k + 1;
                }
                None => unplaced.push(index),
            }
        }
        for k in 1..path.len().saturating_sub(1) {
            let station = self.graph.station_at(path[k]);
            let crosses = station.kind == StationKind::Border
                && self.graph.station_at(path[k - 1]).country
                    != self.graph.station_at(path[k + 1]).country;
            if crosses && !splits.iter().any(|&(at, _)| at == k) {
                splits.push((k, None));
            }
        }
        splits.sort_by_key(|&(at, _)| at);
        for index in unplaced {
            self.border_not_found(
                index,
                &requests[index],
                "the rail path does not enter that country",
            );
        }
        let mut start = 0;
        for (at, request) in splits {
            let endpoint = self.node_endpoint(path[at], request.map(|i| (i, &requests[i])));
            self.push_leg_on_path(&path[start..=at], endpoint);
            start = at;
        }
        self.push_leg_on_path(&path[start..], target);
    }

    /// No rail path: an off-network leg with a detour range; requested crossings that sit on
    /// the network (a bridge named by the claims) still become stops in order.
    fn connect_without_path(
        &mut self,
        target: Endpoint,
        requests: &[StopRequest],
        borders: &[usize],
    ) {
        let mut waypoints = Vec::new();
        for &index in borders {
            let endpoint = self.snap(index, &requests[index]);
            if endpoint.node.is_some() {
                waypoints.push(Endpoint {
                    stop: RouteStop {
                        inferred: true,
                        ..endpoint.stop
                    },
                    node: endpoint.node,
                });
            } else {
                self.border_not_found(index, &requests[index], "no rail path to place it on");
            }
        }
        waypoints.push(target);
        for endpoint in waypoints {
            let path = match (self.last_node, endpoint.node) {
                (Some(a), Some(b)) if a != b => self.shortest_path(a, b),
                _ => None,
            };
            match path {
                Some(path) => self.push_leg_on_path(&path, endpoint),
                None => self.push_leg_off_path(endpoint),
            }
        }
    }

    fn shortest_path(&self, from: usize, to: usize) -> Option<Vec<usize>> {
        let goal = NodeIndex::new(to);
        astar(
            self.graph.graph(),
            NodeIndex::new(from),
            |node| node == goal,
            |e| self.graph.track_km(*e.weight()),
            |_| 0.0,
        )
        .map(|(_, nodes)| nodes.into_iter().map(NodeIndex::index).collect())
    }

    /// Rail km between two adjacent nodes (the shortest of parallel tracks).
    fn hop_km(&self, a: usize, b: usize) -> f64 {
        self.graph
            .graph()
            .edges_connecting(NodeIndex::new(a), NodeIndex::new(b))
            .map(|e| self.graph.track_km(*e.weight()))
            .min_by(f64::total_cmp)
            .unwrap_or(0.0)
    }

    fn push_leg_on_path(&mut self, path: &[usize], endpoint: Endpoint) {
        let from = self.route.stops.len() - 1;
        let to = from + 1;
        let rail_km: f64 = path.windows(2).map(|w| self.hop_km(w[0], w[1])).sum();
        let inner = if path.len() > 2 {
            &path[1..path.len() - 1]
        } else {
            &[][..]
        };
        let via = inner
            .iter()
            .map(|&n| self.graph.station_at(n))
            .filter(|s| s.is_named())
            .map(|s| s.name.clone())
            .collect();
        for &node in inner {
            let point = self.path_point(node, None);
            self.route.path.push(point);
        }
        let geodesic = self.geodesic_from_last(&endpoint);
        // Two places on one station (a town and its station): the geodesic is the best figure.
        let rail_km = if path.len() < 2 { geodesic } else { rail_km };
        let point = self.anchor_point(&endpoint, to);
        if path.len() >= 2 || self.route.path.last() != Some(&point) {
            self.route.path.push(point);
        }
        self.route.legs.push(Leg {
            from,
            to,
            rail_km: round_km(rail_km),
            rail_km_max: round_km(rail_km),
            geodesic_km: round_km(geodesic),
            off_network: false,
            via,
        });
        self.last_node = endpoint.node;
        self.route.stops.push(endpoint.stop);
    }

    fn push_leg_off_path(&mut self, endpoint: Endpoint) {
        let from = self.route.stops.len() - 1;
        let to = from + 1;
        let previous = &self.route.stops[from];
        let same_station = self.last_node.is_some() && self.last_node == endpoint.node;
        let geodesic = self.geodesic_from_last(&endpoint);
        let (low, high, off_network) = if same_station {
            (geodesic, geodesic, false)
        } else {
            let low = geodesic * OFF_NETWORK_DETOUR_MIN;
            let high = geodesic * OFF_NETWORK_DETOUR_MAX;
            let reason = match (self.last_node, endpoint.node) {
                (None, _) => format!(
                    "{} is more than {SNAP_MAX_KM} km from any station",
                    previous.name
                ),
                (_, None) => format!(
                    "{} is more than {SNAP_MAX_KM} km from any station",
                    endpoint.stop.name
                ),
                _ => "no rail line joins them on the network".to_string(),
            };
            self.diagnostics.push(Diagnostic::new(
                "leg_off_network",
                Severity::Warning,
                format!(
                    "no rail path from {} to {}: {reason}; estimated {:.0}–{:.0} km by rail from {:.0} km geodesic",
                    previous.name, endpoint.stop.name, low, high, geodesic
                ),
            ));
            (low, high, true)
        };
        let point = self.anchor_point(&endpoint, to);
        self.route.path.push(point);
        self.route.legs.push(Leg {
            from,
            to,
            rail_km: round_km(low),
            rail_km_max: round_km(high),
            geodesic_km: round_km(geodesic),
            off_network,
            via: Vec::new(),
        });
        self.last_node = endpoint.node;
        self.route.stops.push(endpoint.stop);
    }

    fn geodesic_from_last(&self, endpoint: &Endpoint) -> f64 {
        let previous = &self.route.stops[self.route.stops.len() - 1];
        let a = Point::new(previous.lon, previous.lat);
        let b = Point::new(endpoint.stop.lon, endpoint.stop.lat);
        if [a.x(), a.y(), b.x(), b.y()].iter().all(|v| v.is_finite()) {
            geodesic_km(a, b)
        } else {
            0.0
        }
    }

    fn border_not_found(&mut self, index: usize, request: &StopRequest, why: &str) {
        self.diagnostics.push(Diagnostic::new(
            "border_crossing_not_found",
            Severity::Warning,
            format!(
                "cannot place the crossing into {} (stop {}): {why}",
                border_country(request),
                index + 1
            ),
        ));
    }

    fn finish_totals(&mut self) {
        let legs = &self.route.legs;
        self.route.total_rail_km = round_km(legs.iter().map(|l| l.rail_km).sum());
        self.route.total_rail_km_max = round_km(legs.iter().map(|l| l.rail_km_max).sum());
        // Straight-line length of the journey as requested: geodesics between consecutive
        // requested places, skipping inferred stops, so rail/geodesic is the detour factor.
        let places: Vec<&RouteStop> = self.route.stops.iter().filter(|s| !s.inferred).collect();
        let geodesic: f64 = places
            .windows(2)
            .map(|w| {
                let a = Point::new(w[0].lon, w[0].lat);
                let b = Point::new(w[1].lon, w[1].lat);
                if [a.x(), a.y(), b.x(), b.y()].iter().all(|v| v.is_finite()) {
                    geodesic_km(a, b)
                } else {
                    0.0
                }
            })
            .sum();
        self.route.total_geodesic_km = round_km(geodesic);
    }
}

fn border_country(request: &StopRequest) -> &str {
    match &request.kind {
        StopKind::BorderInto { into } => into,
        StopKind::Place => &request.country,
    }
}

/// Km in outputs are rounded to 0.1 km so reports are stable across platforms.
fn round_km(km: f64) -> f64 {
    (km * 10.0).round() / 10.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(kind: StopKind, lat: f64, lon: f64) -> StopRequest {
        StopRequest {
            place_id: "p".to_string(),
            name: "P".to_string(),
            lat,
            lon,
            country: "KP".to_string(),
            kind,
        }
    }

    #[test]
    fn km_round_to_a_tenth() {
        assert_eq!(round_km(1201.149), 1201.1);
        assert_eq!(round_km(0.05), 0.1);
    }

    #[test]
    fn empty_and_single_requests_give_no_legs() {
        let graph = RailGraph::embedded();
        let (route, diagnostics) = plan(&graph, &[]);
        assert_eq!(route, Route::default());
        assert!(diagnostics.is_empty());
        let (route, _) = plan(&graph, &[request(StopKind::Place, 39.03, 125.75)]);
        assert_eq!(route.stops.len(), 1);
        assert!(route.legs.is_empty());
        assert_eq!(route.path.len(), 1);
    }

    #[test]
    fn non_finite_coordinates_do_not_panic() {
        let graph = RailGraph::embedded();
        let requests = [
            request(StopKind::Place, f64::NAN, 125.75),
            request(StopKind::Place, 39.03, f64::INFINITY),
        ];
        let (route, diagnostics) = plan(&graph, &requests);
        assert_eq!(route.legs.len(), 1);
        assert!(route.legs[0].off_network);
        assert_eq!(diagnostics[0].code, "leg_off_network");
    }

    #[test]
    fn two_places_on_one_station_are_joined_by_their_geodesic() {
        let graph = RailGraph::embedded();
        let requests = [
            request(StopKind::Place, 39.0194, 125.7381),
            request(StopKind::Place, 39.0339, 125.7543),
        ];
        let (route, diagnostics) = plan(&graph, &requests);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        assert!(!route.legs[0].off_network);
        assert_eq!(route.legs[0].rail_km, route.legs[0].geodesic_km);
    }
}
