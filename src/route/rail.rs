//! The rail network: stations (nodes) and track sections (edges, in rail km).
//!
//! Two sources build a [`RailGraph`]: the curated network in `data/rail/{stations,edges}.tsv`
//! ([`RailGraph::embedded`], [`RailGraph::from_tsv`]) and a GeoJSON export of rail lines
//! ([`RailGraph::from_geojson`]).
//!
//! Invariant: node index `i` of the petgraph graph is `stations[i]`, and edge weights index
//! `tracks`.

use std::collections::HashMap;

use geo::{Distance, Geodesic, Haversine, Point};
use petgraph::graph::{NodeIndex, UnGraph};
use serde_json::Value;

use crate::error::{Error, Result};

const STATIONS_FILE: &str = "data/rail/stations.tsv";
const EDGES_FILE: &str = "data/rail/edges.tsv";
const STATIONS_TSV: &str = include_str!("../../data/rail/stations.tsv");
const EDGES_TSV: &str = include_str!("../../data/rail/edges.tsv");

/// GeoJSON vertices closer than this are one node, so that lines meeting at a junction connect.
const GEOJSON_SNAP_M: f64 = 50.0;
/// A named GeoJSON point (a station) labels the nearest graph node within this distance.
const GEOJSON_LABEL_M: f64 = 1_000.0;

/// What a node of the network is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum StationKind {
    Station,
    /// A station where lines meet.
    Junction,
    /// A border point (a bridge, a pass); its country carries both sides, e.g. `CN/KP`.
    Border,
    /// An unnamed vertex of a line geometry (GeoJSON graphs only).
    Vertex,
}

impl StationKind {
    fn parse(text: &str) -> Option<StationKind> {
        match text {
            "station" => Some(StationKind::Station),
            "junction" => Some(StationKind::Junction),
            "border" => Some(StationKind::Border),
            _ => None,
        }
    }
}

/// A node of the network.
#[derive(Clone, Debug, PartialEq)]
pub struct Station {
    pub id: String,
    /// Display name; empty for unnamed [`StationKind::Vertex`] nodes.
    pub name: String,
    pub lat: f64,
    pub lon: f64,
    /// ISO2 country, or `AA/BB` for a border point (sorted codes).
    pub country: String,
    pub kind: StationKind,
}

impl Station {
    /// True when the station lies in (or on the border of) country `iso2`.
    pub fn is_in(&self, iso2: &str) -> bool {
        !iso2.is_empty()
            && self
                .country
                .split('/')
                .any(|code| code.eq_ignore_ascii_case(iso2))
    }

    /// True for named nodes (everything but bare line vertices).
    pub fn is_named(&self) -> bool {
        self.kind != StationKind::Vertex && !self.name.is_empty()
    }

    fn point(&self) -> Point<f64> {
        Point::new(self.lon, self.lat)
    }
}

/// How a track section's km were obtained.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum KmBasis {
    /// Difference of published line kilometre posts.
    KmPost,
    /// An estimate; the row's source says how it was made.
    Approx,
    /// Geodesic length of a line geometry (GeoJSON graphs).
    Geometry,
}

/// An undirected track section between two stations.
#[derive(Clone, Debug, PartialEq)]
pub struct Track {
    /// Index into [`RailGraph::stations`].
    pub from: usize,
    pub to: usize,
    pub distance_km: f64,
    pub line: String,
    pub basis: KmBasis,
    pub source: String,
}

/// A rail network: stations, track sections and the polylines to draw.
#[derive(Clone, Debug, Default)]
pub struct RailGraph {
    stations: Vec<Station>,
    tracks: Vec<Track>,
    graph: UnGraph<usize, usize>,
    by_id: HashMap<String, usize>,
    lines: Vec<Vec<(f64, f64)>>,
}

impl RailGraph {
    /// The curated network in data/rail.
    pub fn embedded() -> RailGraph {
        RailGraph::from_tsv(STATIONS_TSV, EDGES_TSV).expect("data/rail parses (tested)")
    }

    /// Builds a network from the text of `stations.tsv` and `edges.tsv` (formats in
    /// data/rail/README.md).
    ///
    /// # Errors
    /// [`Error::Data`] with `file:line` for a malformed row, a duplicate station id, an edge
    /// naming an unknown station, or a km value that is not a positive number.
    pub fn from_tsv(stations_tsv: &str, edges_tsv: &str) -> Result<RailGraph> {
        let mut graph = RailGraph::default();
        for (line_no, fields) in tsv_rows(stations_tsv, STATIONS_FILE, &STATION_COLUMNS)? {
            let lat = parse_coordinate(fields[2], 90.0, line_no, "lat")?;
            let lon = parse_coordinate(fields[3], 180.0, line_no, "lon")?;
            let kind = StationKind::parse(fields[5]).ok_or_else(|| {
                Error::data(
                    STATIONS_FILE,
                    line_no,
                    format!(
                        "expected kind station, junction or border, found {:?}",
                        fields[5]
                    ),
                )
            })?;
            let country = normalize_country(fields[4]);
            if country.is_empty() || country.split('/').any(|c| c.len() != 2) {
                return Err(Error::data(
                    STATIONS_FILE,
                    line_no,
                    format!(
                        "expected ISO2 country like CN or CN/KP, found {:?}",
                        fields[4]
                    ),
                ));
            }
            if fields[6].is_empty() {
                return Err(Error::data(
                    STATIONS_FILE,
                    line_no,
                    "expected a source, found nothing",
                ));
            }
            let station = Station {
                id: fields[0].to_string(),
                name: fields[1].to_string(),
                lat,
                lon,
                country,
                kind,
            };
            if graph.by_id.contains_key(&station.id) {
                return Err(Error::data(
                    STATIONS_FILE,
                    line_no,
                    format!("duplicate station id {:?}", station.id),
                ));
            }
            graph.add_station(station);
        }
        let mut line_chains: Vec<(String, Vec<usize>)> = Vec::new();
        for (line_no, fields) in tsv_rows(edges_tsv, EDGES_FILE, &EDGE_COLUMNS)? {
            let endpoint = |id: &str| {
                graph.by_id.get(id).copied().ok_or_else(|| {
                    Error::data(EDGES_FILE, line_no, format!("unknown station id {id:?}"))
                })
            };
            let from = endpoint(fields[0])?;
            let to = endpoint(fields[1])?;
            if from == to {
                return Err(Error::data(
                    EDGES_FILE,
                    line_no,
                    "edge joins a station to itself",
                ));
            }
            let distance_km = match fields[2].parse::<f64>() {
                Ok(km) if km.is_finite() && km > 0.0 => km,
                _ => {
                    return Err(Error::data(
                        EDGES_FILE,
                        line_no,
                        format!("expected km > 0, found {:?}", fields[2]),
                    ))
                }
            };
            let basis = match fields[4] {
                "kmpost" => KmBasis::KmPost,
                "approx" => KmBasis::Approx,
                other => {
                    return Err(Error::data(
                        EDGES_FILE,
                        line_no,
                        format!("expected basis kmpost or approx, found {other:?}"),
                    ))
                }
            };
            if fields[5].is_empty() {
                return Err(Error::data(
                    EDGES_FILE,
                    line_no,
                    "expected a source, found nothing",
                ));
            }
            let line = fields[3].to_string();
            // Rows of a line come in order along it: extend the open chain when they join up.
            match line_chains.last_mut() {
                Some((name, chain)) if *name == line && chain.last() == Some(&from) => {
                    chain.push(to)
                }
                _ => line_chains.push((line.clone(), vec![from, to])),
            }
            graph.add_track(Track {
                from,
                to,
                distance_km,
                line,
                basis,
                source: fields[5].to_string(),
            });
        }
        graph.lines = line_chains
            .into_iter()
            .map(|(_, chain)| {
                chain
                    .into_iter()
                    .map(|i| (graph.stations[i].lat, graph.stations[i].lon))
                    .collect()
            })
            .collect();
        Ok(graph)
    }

    /// Builds a network from a GeoJSON FeatureCollection of `LineString`/`MultiLineString` rail
    /// lines (an OSM export, say). Vertices become nodes, consecutive vertices edges with their
    /// geodesic length; vertices within 50 m of each other become one node so lines that meet
    /// connect. `Point` features with a `name` property label the nearest node within 1 km as a
    /// station; a line's `name` becomes the track's line name. Country is taken from a
    /// `country` (or `ISO3166-1`) property when present, else left empty.
    ///
    /// Snapping uses a grid hash (cells of about 50 m, a point checks its 3×3 neighbourhood), so
    /// building is O(vertices). Lines crossing the antimeridian are not joined across it.
    ///
    /// # Errors
    /// [`Error::Data`] (file `geojson`) when the text is not JSON or not a FeatureCollection,
    /// or a coordinate is not a `[lon, lat]` pair of numbers in range; `line` is the feature's
    /// 1-based index.
    pub fn from_geojson(text: &str) -> Result<RailGraph> {
        const FILE: &str = "geojson";
        let root: Value = serde_json::from_str(text)
            .map_err(|e| Error::data(FILE, e.line(), format!("not JSON: {e}")))?;
        if root.get("type").and_then(Value::as_str) != Some("FeatureCollection") {
            return Err(Error::data(FILE, 1, "expected a GeoJSON FeatureCollection"));
        }
        let features = root
            .get("features")
            .and_then(Value::as_array)
            .ok_or_else(|| Error::data(FILE, 1, "expected a features array"))?;
        let mut graph = RailGraph::default();
        let mut grid = SnapGrid::new(GEOJSON_SNAP_M);
        let mut labels: Vec<(usize, String, f64, f64, String)> = Vec::new();
        for (feature_no, feature) in features.iter().enumerate() {
            let feature_no = feature_no + 1;
            let properties = feature.get("properties");
            let property = |key: &str| {
                properties
                    .and_then(|p| p.get(key))
                    .and_then(Value::as_str)
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
            };
            let name = property("name");
            let country = property("country")
                .or_else(|| property("ISO3166-1"))
                .map(|c| normalize_country(&c))
                .unwrap_or_default();
            let Some(geometry) = feature.get("geometry").filter(|g| !g.is_null()) else {
                continue;
            };
            let kind = geometry.get("type").and_then(Value::as_str).unwrap_or("");
            let coordinates = geometry.get("coordinates");
            let parts: Vec<&Value> = match (kind, coordinates) {
                ("LineString", Some(c)) => vec![c],
                ("MultiLineString", Some(Value::Array(parts))) => parts.iter().collect(),
                ("Point", Some(c)) => {
                    if let Some(name) = name {
                        let (lat, lon) = parse_position(c, feature_no)?;
                        labels.push((feature_no, name, lat, lon, country));
                    }
                    continue;
                }
                _ => continue,
            };
            let line = name.unwrap_or_else(|| format!("line {feature_no}"));
            for part in parts {
                let Some(positions) = part.as_array() else {
                    return Err(Error::data(
                        FILE,
                        feature_no,
                        "expected an array of positions",
                    ));
                };
                let mut polyline = Vec::with_capacity(positions.len());
                let mut previous: Option<usize> = None;
                for position in positions {
                    let (lat, lon) = parse_position(position, feature_no)?;
                    let node = match grid.find(&graph.stations, lat, lon) {
                        Some(node) => node,
                        None => {
                            let node = graph.stations.len();
                            graph.add_station(Station {
                                id: format!("n{node}"),
                                name: String::new(),
                                lat,
                                lon,
                                country: country.clone(),
                                kind: StationKind::Vertex,
                            });
                            grid.insert(lat, lon, node);
                            node
                        }
                    };
                    polyline.push((lat, lon));
                    if let Some(previous) = previous.filter(|&p| p != node) {
                        let distance_km = geodesic_km(
                            graph.stations[previous].point(),
                            graph.stations[node].point(),
                        );
                        graph.add_track(Track {
                            from: previous,
                            to: node,
                            distance_km,
                            line: line.clone(),
                            basis: KmBasis::Geometry,
                            source: format!("geojson feature {feature_no}"),
                        });
                    }
                    previous = Some(node);
                }
                if polyline.len() >= 2 {
                    graph.lines.push(polyline);
                }
            }
        }
        for (_, name, lat, lon, country) in labels {
            if let Some((node, distance_km)) = graph.nearest_index(lat, lon) {
                if distance_km * 1000.0 <= GEOJSON_LABEL_M {
                    let station = &mut graph.stations[node];
                    station.name = name;
                    station.kind = StationKind::Station;
                    if !country.is_empty() {
                        station.country = country;
                    }
                }
            }
        }
        Ok(graph)
    }

    /// Polylines of every line of the network, as (lat, lon), for drawing.
    pub fn lines(&self) -> Vec<Vec<(f64, f64)>> {
        self.lines.clone()
    }

    pub fn station_count(&self) -> usize {
        self.stations.len()
    }

    pub fn track_count(&self) -> usize {
        self.tracks.len()
    }

    pub fn stations(&self) -> &[Station] {
        &self.stations
    }

    pub fn tracks(&self) -> &[Track] {
        &self.tracks
    }

    /// The station with this id (`PYONGYANG`; `n17` for GeoJSON vertices).
    pub fn station(&self, id: &str) -> Option<&Station> {
        self.by_id.get(id).map(|&i| &self.stations[i])
    }

    /// The station nearest to a point and its geodesic distance in km, or `None` for an empty
    /// network or a non-finite point.
    pub fn nearest_station(&self, lat: f64, lon: f64) -> Option<(&Station, f64)> {
        self.nearest_index(lat, lon)
            .map(|(i, distance_km)| (&self.stations[i], distance_km))
    }

    pub(super) fn nearest_index(&self, lat: f64, lon: f64) -> Option<(usize, f64)> {
        self.nearest_index_where(lat, lon, |_| true)
    }

    /// Like [`RailGraph::nearest_station`], among the stations `keep` accepts.
    pub(super) fn nearest_index_where(
        &self,
        lat: f64,
        lon: f64,
        keep: impl Fn(&Station) -> bool,
    ) -> Option<(usize, f64)> {
        if !lat.is_finite() || !lon.is_finite() {
            return None;
        }
        let target = Point::new(lon, lat);
        // Haversine picks the candidate fast; the geodesic distance is reported. Ties go to the
        // lower index so the choice is deterministic.
        let mut best: Option<(usize, f64)> = None;
        for (i, station) in self.stations.iter().enumerate() {
            if !keep(station) {
                continue;
            }
            let d = Haversine::distance(target, station.point());
            if best.is_none_or(|(_, best_d)| d < best_d) {
                best = Some((i, d));
            }
        }
        best.map(|(i, _)| (i, geodesic_km(target, self.stations[i].point())))
    }

    pub(super) fn station_at(&self, index: usize) -> &Station {
        &self.stations[index]
    }

    pub(super) fn graph(&self) -> &UnGraph<usize, usize> {
        &self.graph
    }

    pub(super) fn track_km(&self, track: usize) -> f64 {
        self.tracks[track].distance_km
    }

    fn add_station(&mut self, station: Station) {
        let index = self.stations.len();
        self.by_id.insert(station.id.clone(), index);
        self.stations.push(station);
        let node = self.graph.add_node(index);
        debug_assert_eq!(node.index(), index);
    }

    fn add_track(&mut self, track: Track) {
        let index = self.tracks.len();
        self.graph
            .add_edge(NodeIndex::new(track.from), NodeIndex::new(track.to), index);
        self.tracks.push(track);
    }
}

/// WGS84 geodesic distance (Karney's algorithm, via geo) in km.
pub(super) fn geodesic_km(a: Point<f64>, b: Point<f64>) -> f64 {
    Geodesic::distance(a, b) / 1000.0
}

/// `CN/KP` with codes upper-cased and sorted, so `KP/CN` and `cn/kp` compare equal.
pub(super) fn normalize_country(text: &str) -> String {
    let mut codes: Vec<String> = text
        .split('/')
        .map(|c| c.trim().to_ascii_uppercase())
        .filter(|c| !c.is_empty())
        .collect();
    codes.sort();
    codes.dedup();
    codes.join("/")
}

/// Data rows of a TSV file with the given header, read with the shared reader
/// ([`crate::tsv::parse_tsv`]); every row needs an id in its first field.
#[rustfmt::skip]
const STATION_COLUMNS: [&str; 7] = ["id", "name", "lat", "lon", "country", "kind", "source"];
#[rustfmt::skip]
const EDGE_COLUMNS: [&str; 6] = ["from", "to", "km", "line", "basis", "source"];

fn tsv_rows<'a>(text: &'a str, file: &str, header: &[&str]) -> Result<Vec<(usize, Vec<&'a str>)>> {
    crate::tsv::parse_tsv(file, text, header)?
        .into_iter()
        .map(|row| {
            if row.fields[0].is_empty() {
                return Err(Error::data(
                    file,
                    row.line,
                    "expected an id in the first field",
                ));
            }
            Ok((row.line, row.fields))
        })
        .collect()
}

fn parse_coordinate(text: &str, limit: f64, line_no: usize, what: &str) -> Result<f64> {
    match text.parse::<f64>() {
        Ok(v) if v.is_finite() && v.abs() <= limit => Ok(v),
        _ => Err(Error::data(
            STATIONS_FILE,
            line_no,
            format!("expected {what} in -{limit}..{limit}, found {text:?}"),
        )),
    }
}

fn parse_position(position: &Value, feature_no: usize) -> Result<(f64, f64)> {
    let pair = position.as_array().filter(|p| p.len() >= 2);
    let lon = pair.and_then(|p| p[0].as_f64());
    let lat = pair.and_then(|p| p[1].as_f64());
    match (lat, lon) {
        (Some(lat), Some(lon)) if lat.abs() <= 90.0 && lon.abs() <= 180.0 => Ok((lat, lon)),
        _ => Err(Error::data(
            "geojson",
            feature_no,
            format!("expected a [lon, lat] position, found {position}"),
        )),
    }
}

/// A grid hash over a local equirectangular projection: cells are `cell_m` wide, so every
/// point within `cell_m` of a query lies in the query's cell or one of its 8 neighbours.
struct SnapGrid {
    cell_m: f64,
    cells: HashMap<(i64, i64), Vec<usize>>,
}

impl SnapGrid {
    const METRES_PER_DEGREE: f64 = 111_320.0;

    fn new(cell_m: f64) -> SnapGrid {
        SnapGrid {
            cell_m,
            cells: HashMap::new(),
        }
    }

    fn key(&self, lat: f64, lon: f64) -> (i64, i64) {
        let y = lat * Self::METRES_PER_DEGREE;
        let x = lon * Self::METRES_PER_DEGREE * lat.to_radians().cos();
        (
            (y / self.cell_m).floor() as i64,
            (x / self.cell_m).floor() as i64,
        )
    }

    fn insert(&mut self, lat: f64, lon: f64, node: usize) {
        let key = self.key(lat, lon);
        self.cells.entry(key).or_default().push(node);
    }

    /// The closest node within `cell_m`, lowest index on ties.
    fn find(&self, stations: &[Station], lat: f64, lon: f64) -> Option<usize> {
        let (row, col) = self.key(lat, lon);
        let target = Point::new(lon, lat);
        let mut best: Option<(usize, f64)> = None;
        for d_row in -1..=1 {
            for d_col in -1..=1 {
                let Some(nodes) = self.cells.get(&(row + d_row, col + d_col)) else {
                    continue;
                };
                for &node in nodes {
                    let d = Haversine::distance(target, stations[node].point());
                    let closer = best.is_none_or(|(b, bd)| d < bd || (d == bd && node < b));
                    if d <= self.cell_m && closer {
                        best = Some((node, d));
                    }
                }
            }
        }
        best.map(|(node, _)| node)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_network_parses() {
        let graph = RailGraph::embedded();
        assert!(graph.station_count() > 50, "{}", graph.station_count());
        assert!(graph.track_count() > 50);
        assert!(graph
            .station("SINO_KOREAN_BRIDGE")
            .is_some_and(|s| s.is_in("CN") && s.is_in("KP")));
    }

    #[test]
    fn bad_rows_report_file_and_line() {
        let stations = "id\tname\tlat\tlon\tcountry\tkind\tsource\nA\tA\t1\t2\tCN\tstation\tx\n";
        let err = RailGraph::from_tsv(
            stations,
            "from\tto\tkm\tline\tbasis\tsource\nA\tB\t3\tL\tkmpost\tx\n",
        )
        .unwrap_err()
        .to_string();
        assert_eq!(err, "data/rail/edges.tsv:2: unknown station id \"B\"");
        let err = RailGraph::from_tsv("# c\nid\tname\n", "")
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "data/rail/stations.tsv:2: expected header id\\tname\\tlat\\tlon\\tcountry\\tkind\\tsource, found id\\tname"
        );
        let short_row = stations.replace("\tx\n", "\n");
        let err = RailGraph::from_tsv(&short_row, "").unwrap_err().to_string();
        assert_eq!(
            err,
            "data/rail/stations.tsv:2: expected 7 tab-separated fields, found 6"
        );
        let bad_lat = stations.replace("\t1\t2\t", "\t91\t2\t");
        let err = RailGraph::from_tsv(&bad_lat, "").unwrap_err().to_string();
        assert_eq!(
            err,
            "data/rail/stations.tsv:2: expected lat in -90..90, found \"91\""
        );
    }

    #[test]
    fn empty_country_matches_nothing() {
        let graph = RailGraph::embedded();
        let bridge = graph.station("SINO_KOREAN_BRIDGE").unwrap();
        assert!(bridge.is_in("kp") && bridge.is_in("CN") && !bridge.is_in(""));
    }

    #[test]
    fn country_codes_are_normalized() {
        assert_eq!(normalize_country("kp/CN"), "CN/KP");
        assert_eq!(normalize_country(" RU "), "RU");
    }

    #[test]
    fn snap_grid_joins_close_vertices_only() {
        let text = r#"{"type":"FeatureCollection","features":[
          {"type":"Feature","properties":{"name":"A"},"geometry":{"type":"LineString","coordinates":[[10.0,60.0],[10.01,60.0]]}},
          {"type":"Feature","properties":{"name":"B"},"geometry":{"type":"LineString","coordinates":[[10.0103,60.0001],[10.02,60.0]]}},
          {"type":"Feature","properties":{"name":"C"},"geometry":{"type":"LineString","coordinates":[[10.03,60.0],[10.04,60.0]]}}]}"#;
        let graph = RailGraph::from_geojson(text).unwrap();
        // A's end and B's start are about 20 m apart (one node); C is separate.
        assert_eq!(graph.station_count(), 5);
        assert_eq!(graph.track_count(), 3);
        assert_eq!(graph.lines().len(), 3);
    }

    #[test]
    fn geojson_errors_name_the_feature() {
        let err = RailGraph::from_geojson(r#"{"type":"Feature"}"#)
            .unwrap_err()
            .to_string();
        assert_eq!(err, "geojson:1: expected a GeoJSON FeatureCollection");
        let text = r#"{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"LineString","coordinates":[[1,2],["x",3]]}}]}"#;
        let err = RailGraph::from_geojson(text).unwrap_err().to_string();
        assert!(
            err.starts_with("geojson:1: expected a [lon, lat] position"),
            "{err}"
        );
    }
}
