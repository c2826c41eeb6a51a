//! Route stage: the curated network, routing, border crossings, off-network legs, GeoJSON.

use retrace::route::{
    plan_route, KmBasis, RailGraph, Route, StopKind, StopRequest, OFF_NETWORK_DETOUR_MAX,
    OFF_NETWORK_DETOUR_MIN,
};

fn place(id: &str, name: &str, lat: f64, lon: f64, country: &str) -> StopRequest {
    StopRequest {
        place_id: id.to_string(),
        name: name.to_string(),
        lat,
        lon,
        country: country.to_string(),
        kind: StopKind::Place,
    }
}

fn border_into(into: &str) -> StopRequest {
    StopRequest {
        place_id: String::new(),
        name: format!("border into {into}"),
        lat: f64::NAN,
        lon: f64::NAN,
        country: String::new(),
        kind: StopKind::BorderInto {
            into: into.to_string(),
        },
    }
}

fn pyongyang() -> StopRequest {
    place("1871859", "Pyongyang", 39.0194, 125.7381, "KP")
}

fn beijing() -> StopRequest {
    place("1816670", "Beijing", 39.9075, 116.3972, "CN")
}

fn station_names(route: &Route) -> Vec<String> {
    route
        .path
        .iter()
        .filter_map(|p| p.station.clone())
        .collect()
}

fn position(names: &[String], name: &str) -> usize {
    names
        .iter()
        .position(|n| n == name)
        .unwrap_or_else(|| panic!("{name} not on the path {names:?}"))
}

#[test]
fn pyongyang_to_beijing_crosses_at_the_friendship_bridge() {
    let graph = RailGraph::embedded();
    let requests = [pyongyang(), border_into("CN"), beijing()];
    let (route, diagnostics) = plan_route(&graph, &requests);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");

    assert!(
        (1150.0..=1400.0).contains(&route.total_rail_km),
        "{}",
        route.total_rail_km
    );
    // Shortest path: via Tangshan, 1,201 km from published km posts.
    assert!(
        (route.total_rail_km - 1201.1).abs() < 1.0,
        "{}",
        route.total_rail_km
    );
    assert_eq!(route.total_rail_km, route.total_rail_km_max);
    assert!(
        (805.0..=815.0).contains(&route.total_geodesic_km),
        "{}",
        route.total_geodesic_km
    );

    let names: Vec<&str> = route.stops.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(
        names,
        ["Pyongyang", "Sino-Korean Friendship Bridge", "Beijing"]
    );
    let bridge = &route.stops[1];
    assert!(bridge.inferred);
    assert_eq!(bridge.request, Some(1));
    assert!(!route.stops[0].inferred && !route.stops[2].inferred);
    assert_eq!(route.stops[0].station.as_deref(), Some("Pyongyang"));

    assert_eq!(route.legs.len(), 2);
    assert_eq!((route.legs[0].from, route.legs[0].to), (0, 1));
    assert_eq!((route.legs[1].from, route.legs[1].to), (1, 2));
    assert!(
        (route.legs[0].rail_km - 226.6).abs() < 0.2,
        "{}",
        route.legs[0].rail_km
    );
    assert!(route.legs[0].via.contains(&"Sinuiju".to_string()));
    assert!(route.legs[1].via.contains(&"Dandong".to_string()));
    assert!(route.legs[1].via.contains(&"Tangshan".to_string()));
    assert!(route.legs.iter().all(|l| !l.off_network));

    let path = station_names(&route);
    let sinuiju = position(&path, "Sinuiju");
    let bridge_at = position(&path, "Sino-Korean Friendship Bridge");
    let dandong = position(&path, "Dandong");
    assert!(sinuiju < bridge_at && bridge_at < dandong, "{path:?}");
    assert_eq!(route.path.first().and_then(|p| p.stop), Some(0));
    assert_eq!(route.path.last().and_then(|p| p.stop), Some(2));
    assert_eq!(route.path[bridge_at].stop, Some(1));
}

#[test]
fn implied_border_crossing_is_an_inferred_stop_without_request() {
    let graph = RailGraph::embedded();
    let (route, diagnostics) = plan_route(&graph, &[pyongyang(), beijing()]);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    assert_eq!(route.stops.len(), 3);
    assert!(route.stops[1].inferred);
    assert_eq!(route.stops[1].request, None);
    assert_eq!(route.stops[1].place_id, "rail:SINO_KOREAN_BRIDGE");
    assert!((route.total_rail_km - 1201.1).abs() < 1.0);
}

#[test]
fn border_into_without_a_following_place_goes_to_the_nearest_border_point() {
    let graph = RailGraph::embedded();
    let (route, diagnostics) = plan_route(&graph, &[pyongyang(), border_into("RU")]);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let last = route.stops.last().expect("a stop");
    assert_eq!(last.name, "Korea–Russia Friendship Bridge");
    assert!(last.inferred);
    assert_eq!(last.request, Some(1));
    // Pyongra Line 819 km + Rajin–Tumangang 49 km + Tumangang–bridge 3.3 km.
    assert!(
        (route.total_rail_km - 871.3).abs() < 1.0,
        "{}",
        route.total_rail_km
    );
}

#[test]
fn border_into_before_the_first_place_is_the_nearest_crossing() {
    let graph = RailGraph::embedded();
    let dandong = place("2037886", "Dandong", 40.12917, 124.39472, "CN");
    let (route, diagnostics) = plan_route(&graph, &[border_into("CN"), dandong]);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    assert_eq!(route.stops[0].name, "Sino-Korean Friendship Bridge");
    assert_eq!(route.stops[0].request, Some(0));
    assert_eq!(route.stops[1].name, "Dandong");
}

#[test]
fn pyongyang_to_vladivostok_and_hanoi_use_the_trunk_lines() {
    let graph = RailGraph::embedded();
    let vladivostok = place("2013348", "Vladivostok", 43.10562, 131.87353, "RU");
    let (route, diagnostics) = plan_route(&graph, &[pyongyang(), border_into("RU"), vladivostok]);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let path = station_names(&route);
    assert!(position(&path, "Hamhung") < position(&path, "Tumangang"));
    assert!(position(&path, "Khasan") < position(&path, "Ussuriysk"));
    assert_eq!(route.stops[1].name, "Korea–Russia Friendship Bridge");
    // Chosun Ilbo: Vladivostok "some 1,200 km from Pyongyang" by rail.
    assert!(
        (1150.0..1350.0).contains(&route.total_rail_km),
        "{}",
        route.total_rail_km
    );

    let changsha = place("1815577", "Changsha", 28.19874, 112.97087, "CN");
    let dong_dang = place("1582998", "Dong Dang", 21.9511, 106.69767, "VN");
    let requests = [
        pyongyang(),
        border_into("CN"),
        changsha,
        border_into("VN"),
        dong_dang,
    ];
    let (route, diagnostics) = plan_route(&graph, &requests);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let stops: Vec<(&str, Option<usize>)> = route
        .stops
        .iter()
        .map(|s| (s.name.as_str(), s.request))
        .collect();
    assert_eq!(
        stops,
        [
            ("Pyongyang", Some(0)),
            ("Sino-Korean Friendship Bridge", Some(1)),
            ("Changsha", Some(2)),
            ("Friendship Pass rail crossing", Some(3)),
            ("Dong Dang", Some(4)),
        ]
    );
    // Reported in 2019: about 3,800–4,500 km; the network gives about 3,600 km.
    assert!(
        (3300.0..4200.0).contains(&route.total_rail_km),
        "{}",
        route.total_rail_km
    );
}

#[test]
fn leg_without_rail_path_is_off_network_with_a_range() {
    let graph = RailGraph::embedded();
    let honolulu = place("5856195", "Honolulu", 21.30694, -157.85833, "US");
    let (route, diagnostics) = plan_route(&graph, &[pyongyang(), honolulu]);
    assert_eq!(route.legs.len(), 1);
    let leg = &route.legs[0];
    assert!(leg.off_network);
    assert!(leg.via.is_empty());
    assert!(leg.geodesic_km > 7000.0, "{}", leg.geodesic_km);
    assert!((leg.rail_km - leg.geodesic_km * OFF_NETWORK_DETOUR_MIN).abs() < 0.2);
    assert!((leg.rail_km_max - leg.geodesic_km * OFF_NETWORK_DETOUR_MAX).abs() < 0.2);
    assert_eq!(route.stops[1].station, None);
    assert_eq!(diagnostics.len(), 1);
    assert_eq!(diagnostics[0].code, "leg_off_network");
    assert!(diagnostics[0]
        .message
        .contains("Honolulu is more than 30 km from any station"));

    let singapore = place("1880252", "Singapore", 1.28967, 103.85007, "SG");
    let hanoi = place("1581130", "Hanoi", 21.0245, 105.84117, "VN");
    let (route, diagnostics) = plan_route(&graph, &[beijing(), hanoi, singapore]);
    // Beijing → Friendship Pass (implied crossing) → Hanoi on rails, then off the network.
    assert_eq!(route.legs.len(), 3);
    assert!(!route.legs[0].off_network && !route.legs[1].off_network);
    assert!(route.legs[2].off_network);
    assert!(route.total_rail_km_max > route.total_rail_km);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
}

#[test]
fn border_not_on_the_path_is_reported() {
    let graph = RailGraph::embedded();
    let requests = [pyongyang(), border_into("VN"), beijing()];
    let (route, diagnostics) = plan_route(&graph, &requests);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    assert_eq!(diagnostics[0].code, "border_crossing_not_found");
    assert!(route.stops.iter().all(|s| s.request != Some(1)));
}

#[test]
fn planning_is_deterministic() {
    let graph = RailGraph::embedded();
    let requests = [pyongyang(), border_into("CN"), beijing()];
    let first = plan_route(&graph, &requests);
    let second = plan_route(&RailGraph::embedded(), &requests);
    assert_eq!(first, second);
    let json = |r: &Route| serde_json::to_string(r).expect("serializes");
    assert_eq!(json(&first.0), json(&second.0));
}

#[test]
fn every_track_length_is_plausible_against_its_geodesic() {
    // Rail km against the geodesic between the two nodes: below 0.85 the km or a coordinate is
    // wrong (km posts of a "South" station against a town centroid give about 0.9); above 2.0
    // the line would wind implausibly.
    let graph = RailGraph::embedded();
    let stations = graph.stations();
    let mut outliers = Vec::new();
    for track in graph.tracks() {
        let (a, b) = (&stations[track.from], &stations[track.to]);
        let geodesic = geodesic_km(a.lat, a.lon, b.lat, b.lon);
        let ratio = track.distance_km / geodesic;
        if !(0.85..=2.0).contains(&ratio) {
            outliers.push(format!(
                "{}–{}: {} km rail, {geodesic:.1} km geodesic, ratio {ratio:.2}",
                a.id, b.id, track.distance_km
            ));
        }
        assert!(!track.source.is_empty());
        if track.basis == KmBasis::Approx {
            assert!(track.source.to_lowercase().contains("approx") || track.source.contains("km"));
        }
    }
    assert!(outliers.is_empty(), "outliers:\n{}", outliers.join("\n"));
    // Every station is on some track, and the network's border points join two countries.
    for (i, station) in stations.iter().enumerate() {
        assert!(
            graph.tracks().iter().any(|t| t.from == i || t.to == i),
            "{} isolated",
            station.id
        );
        if station.country.contains('/') {
            assert_eq!(station.country.split('/').count(), 2, "{}", station.id);
        }
    }
    assert!(!graph.lines().is_empty());
    assert!(graph.lines().iter().all(|l| l.len() >= 2));
}

fn geodesic_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    use geo::{Distance, Geodesic, Point};
    Geodesic::distance(Point::new(lon1, lat1), Point::new(lon2, lat2)) / 1000.0
}

#[test]
fn places_snap_to_a_station_of_their_own_country() {
    let graph = RailGraph::embedded();
    // 0.4 km from the bridge, 1.2 km from Dandong's centroid, 2.1 km from Sinuiju's: a
    // Chinese place goes to Dandong, a Korean one to Sinuiju, the bridge to the bridge.
    let near_bridge_cn = place("x", "Dandong riverside", 40.1186, 124.3925, "CN");
    let near_bridge_kp = place("y", "Sinuiju riverside", 40.1186, 124.3925, "KP");
    let bridge = place("z", "Friendship Bridge", 40.115, 124.3925, "CN/KP");
    let (route, _) = plan_route(&graph, &[near_bridge_cn, near_bridge_kp, bridge]);
    let stations: Vec<(Option<&str>, bool)> = route
        .stops
        .iter()
        .map(|s| (s.station.as_deref(), s.inferred))
        .collect();
    assert_eq!(
        stations,
        [
            (Some("Dandong"), false),
            (Some("Sino-Korean Friendship Bridge"), true),
            (Some("Sinuiju"), false),
            (Some("Sino-Korean Friendship Bridge"), false),
        ]
    );
}

#[test]
fn nearest_station_snaps_town_centroids() {
    let graph = RailGraph::embedded();
    let (station, km) = graph.nearest_station(40.115, 124.3925).expect("a station");
    assert_eq!(station.id, "SINO_KOREAN_BRIDGE");
    assert!(km < 0.1);
    assert!(graph.nearest_station(f64::NAN, 0.0).is_none());
}

#[test]
fn geojson_network_routes_across_a_junction() {
    let text = include_str!("../fixtures/rail/small_network.geojson");
    let graph = RailGraph::from_geojson(text).expect("fixture parses");
    // 3 + 2 (the branch's first vertex snaps to the junction) + 2 + 2 vertices.
    assert_eq!(graph.station_count(), 9);
    assert_eq!(graph.station("n0").map(|s| s.name.as_str()), Some("Aville"));
    assert_eq!(graph.station("n0").map(|s| s.country.as_str()), Some("DE"));
    assert_eq!(graph.lines().len(), 5);

    let requests = [
        place("a", "Aville", 50.0, 10.0, "DE"),
        place("n", "Northtown", 50.1, 10.1, "DE"),
        place("i", "Island", 50.0, 11.1, "DE"),
    ];
    let (route, diagnostics) = plan_route(&graph, &requests);
    let first = &route.legs[0];
    assert!(!first.off_network);
    // 0.1° of longitude at 50° N (7.2 km) plus 0.1° of latitude (11.1 km).
    assert!((first.rail_km - 18.3).abs() < 0.2, "{}", first.rail_km);
    assert_eq!(first.via, ["Junction"]);
    assert_eq!(route.stops[1].station.as_deref(), Some("Northtown"));
    assert!(route.legs[1].off_network);
    assert_eq!(diagnostics.len(), 1);
    assert!(
        diagnostics[0].message.contains("no rail line joins them"),
        "{}",
        diagnostics[0].message
    );
}

#[test]
fn geojson_rejects_what_is_not_a_feature_collection() {
    assert!(RailGraph::from_geojson("[1, 2").is_err());
    assert!(RailGraph::from_geojson(r#"{"type": "Point", "coordinates": [1, 2]}"#).is_err());
}

#[test]
fn pyongyang_to_vostochny_runs_the_trans_siberian() {
    let graph = RailGraph::embedded();
    let tsiolkovsky = place("6641869", "Tsiolkovsky", 51.76872, 128.12018, "RU");
    let (route, diagnostics) = plan_route(&graph, &[pyongyang(), border_into("RU"), tsiolkovsky]);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let path = station_names(&route);
    assert!(position(&path, "Ussuriysk") < position(&path, "Khabarovsk"));
    assert!(position(&path, "Khabarovsk") < position(&path, "Belogorsk"));
    // 871 km to the bridge, then Khasan–Ussuriysk 260 km and about 1,460 km of Trans-Siberian.
    assert!(
        (2400.0..2800.0).contains(&route.total_rail_km),
        "{}",
        route.total_rail_km
    );
    // FACTS.md §6: Pyongyang–Tsiolkovskiy 1,427.2 km geodesic.
    assert!(
        (route.total_geodesic_km - 1427.2).abs() < 5.0,
        "{}",
        route.total_geodesic_km
    );
}

#[test]
fn load_and_plan_timings() {
    // Printed with `cargo test --release --test it load_and_plan -- --nocapture`.
    let started = std::time::Instant::now();
    let graph = RailGraph::embedded();
    let load = started.elapsed();
    let requests = [pyongyang(), border_into("CN"), beijing()];
    let started = std::time::Instant::now();
    let runs = 100;
    for _ in 0..runs {
        let (route, _) = plan_route(&graph, &requests);
        assert_eq!(route.stops.len(), 3);
    }
    let plan = started.elapsed() / runs;
    println!(
        "embedded graph: {} stations, {} tracks, loaded in {load:?}; plan_route Pyongyang–Beijing: {plan:?}",
        graph.station_count(),
        graph.track_count()
    );
}

#[test]
fn geojson_build_scales_to_many_vertices() {
    // 100 parallel lines of 200 vertices each, 1 km apart, crossed by one line joining their
    // first vertices: 20,000 vertices, snapping must stay linear.
    let mut features = Vec::new();
    for line in 0..100 {
        let lat = 40.0 + f64::from(line) * 0.009;
        let coordinates: Vec<String> = (0..200)
            .map(|i| format!("[{:.5},{lat:.5}]", 100.0 + f64::from(i) * 0.01))
            .collect();
        features.push(format!(
            r#"{{"type":"Feature","properties":{{"name":"L{line}"}},"geometry":{{"type":"LineString","coordinates":[{}]}}}}"#,
            coordinates.join(",")
        ));
    }
    let spine: Vec<String> = (0..100)
        .map(|line| format!("[100.0,{:.5}]", 40.0 + f64::from(line) * 0.009))
        .collect();
    features.push(format!(
        r#"{{"type":"Feature","properties":{{"name":"spine"}},"geometry":{{"type":"LineString","coordinates":[{}]}}}}"#,
        spine.join(",")
    ));
    let text = format!(
        r#"{{"type":"FeatureCollection","features":[{}]}}"#,
        features.join(",")
    );
    let started = std::time::Instant::now();
    let graph = RailGraph::from_geojson(&text).expect("synthetic network parses");
    let built = started.elapsed();
    assert_eq!(graph.station_count(), 20_000);
    assert_eq!(graph.track_count(), 100 * 199 + 99);
    let requests = [
        place("a", "A", 40.0, 101.99, "CN"),
        place("b", "B", 40.0 + 99.0 * 0.009, 101.99, "CN"),
    ];
    let started = std::time::Instant::now();
    let (route, diagnostics) = plan_route(&graph, &requests);
    let planned = started.elapsed();
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    // Back along one line to the spine, up the spine, out along the other line.
    assert!(
        (route.total_rail_km - (2.0 * 169.4 + 98.9)).abs() < 2.0,
        "{}",
        route.total_rail_km
    );
    println!("geojson: 20,000 vertices built in {built:?}; plan_route across it: {planned:?}");
}
