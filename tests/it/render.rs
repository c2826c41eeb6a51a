//! Render stage: structure, escaping, rasterising and determinism of the two figures, checked
//! against a hand-written report for the seed case (`tests/fixtures/report_sample.json`).
//! Every figure is also written to `target/svg/` for eyes.

use std::path::PathBuf;

use retrace::render::{render_route, render_timeline, svg_to_png, Theme};
use retrace::report::wire::ReportWire;

const FIXTURE: &str = include_str!("../fixtures/report_sample.json");

fn sample() -> ReportWire {
    serde_json::from_str(FIXTURE).expect("tests/fixtures/report_sample.json parses as ReportWire")
}

/// Rail lines around the seed route as `(lat, lon)`: the Pyongyang–Beijing main line and the
/// Tangshan–Tianjin–Beijing branch (coordinates of the towns, as in the reference graph).
fn rail_lines() -> Vec<Vec<(f64, f64)>> {
    vec![
        vec![
            (39.03385, 125.75432),
            (39.20323, 125.69312),
            (39.59806, 125.60972),
            (40.10056, 124.39806),
            (40.12917, 124.39472),
            (40.45361, 124.07167),
            (41.28861, 123.765),
            (41.79222, 123.43278),
            (41.10778, 121.14167),
            (40.75243, 120.83552),
            (40.00119, 119.75395),
            (39.94104, 119.58936),
            (39.64381, 118.18319),
            (39.9075, 116.39723),
        ],
        vec![
            (39.64381, 118.18319),
            (39.14222, 117.17667),
            (39.52079, 116.71471),
            (39.9075, 116.39723),
        ],
        // Far outside the view: must be dropped.
        vec![(55.75, 37.62), (59.93, 30.36)],
    ]
}

fn out_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .map(|p| p.join("svg"))
        .unwrap_or_else(|| PathBuf::from("target/svg"));
    std::fs::create_dir_all(&dir).expect("create target/svg");
    dir
}

fn save(name: &str, svg: &str) -> Vec<u8> {
    let dir = out_dir();
    std::fs::write(dir.join(format!("{name}.svg")), svg).expect("write svg");
    let png = svg_to_png(svg).expect("svg rasterises");
    std::fs::write(dir.join(format!("{name}.png")), &png).expect("write png");
    png
}

fn class_has(node: &roxmltree::Node<'_, '_>, class: &str) -> bool {
    node.attribute("class")
        .is_some_and(|c| c.split_whitespace().any(|w| w == class))
}

fn assert_accessible(doc: &roxmltree::Document<'_>) {
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    assert_eq!(root.attribute("role"), Some("img"));
    let title = root
        .children()
        .find(|n| n.has_tag_name("title"))
        .expect("<title>");
    assert!(!title.text().unwrap_or("").trim().is_empty());
    let desc = root
        .children()
        .find(|n| n.has_tag_name("desc"))
        .expect("<desc>");
    assert!(
        desc.text().unwrap_or("").len() > 40,
        "desc says what the figure shows"
    );
}

#[test]
fn timeline_has_one_bar_per_timed_claim_in_event_order_along_the_axis() {
    let report = sample();
    let svg = render_timeline(&report, Theme::Light);
    save("timeline-light", &svg);
    let doc = roxmltree::Document::parse(&svg).expect("timeline is XML");
    assert_accessible(&doc);

    let bars: Vec<_> = doc
        .descendants()
        .filter(|n| class_has(n, "claim-bar"))
        .collect();
    let drawn: Vec<&str> = bars
        .iter()
        .filter_map(|n| n.attribute("data-claim"))
        .collect();
    let expected: Vec<&str> = report
        .timeline
        .iter()
        .flat_map(|e| e.claims.iter())
        .filter(|id| {
            report
                .claims
                .iter()
                .any(|c| &c.id == *id && c.window.is_some())
        })
        .map(String::as_str)
        .collect();
    assert_eq!(drawn, expected);

    // Bars sit where their windows are: "late Monday" (c1) ends where "on Tuesday" (c5) begins
    // one hour later (midnight KST = 23:00 CST), and "Monday afternoon" (c2) ends before c1.
    let x_of = |id: &str| {
        let bar = bars
            .iter()
            .find(|n| n.attribute("data-claim") == Some(id))
            .expect("bar");
        let x: f64 = bar.attribute("x").and_then(|v| v.parse().ok()).expect("x");
        let w: f64 = bar
            .attribute("width")
            .and_then(|v| v.parse().ok())
            .expect("width");
        (x, x + w)
    };
    let (c1_start, c1_end) = x_of("c1");
    let (c2_start, c2_end) = x_of("c2");
    let (c5_start, _) = x_of("c5");
    assert!(
        c2_start < c2_end && (c2_end - c1_start).abs() < 0.2,
        "afternoon ends where late Monday begins"
    );
    let hour_px = (c1_end - c1_start) / 6.0;
    assert!(
        (c5_start - c1_end - hour_px).abs() < 0.3,
        "Tuesday CST starts 1 h after Monday KST ends"
    );

    // Vague claims are hatched, the exact parade time is a diamond.
    assert!(bars
        .iter()
        .any(|n| n.attribute("data-claim") == Some("c8") && class_has(n, "exact")));
    let hatches = doc
        .descendants()
        .filter(|n| class_has(n, "vague-hatch"))
        .count();
    let vague = report
        .claims
        .iter()
        .filter(|c| c.vague && c.window.is_some())
        .count();
    assert_eq!(hatches, vague);

    // Badges for the failed checks only (C3 passes).
    let badges: Vec<&str> = doc
        .descendants()
        .filter(|n| class_has(n, "badge"))
        .filter_map(|n| n.attribute("data-check"))
        .collect();
    assert!(badges.contains(&"C1") && badges.contains(&"C2"));
    assert!(!badges.contains(&"C3"));

    // Reconciled windows, axis labels in both zones, and the footnote.
    assert_eq!(
        doc.descendants()
            .filter(|n| class_has(n, "event-window"))
            .count(),
        report.timeline.len()
    );
    let text = crate::html::all_text(&doc);
    for needle in [
        "KST",
        "CST",
        "Mon 1 Sep",
        "Tue 2 Sep",
        "Yonhap",
        "Reuters",
        "NK News",
        "nearly 20 hours",
    ] {
        assert!(text.contains(needle), "timeline mentions {needle}");
    }
    assert!(!text.contains("00:00Z"));
}

#[test]
fn timed_claims_outside_every_event_get_a_lane() {
    let mut report = sample();
    let mut orphan = report.claims[0].clone();
    orphan.id = "c12".to_string();
    orphan.event = "meet".to_string();
    report.claims.push(orphan);
    let svg = render_timeline(&report, Theme::Light);
    let doc = roxmltree::Document::parse(&svg).expect("XML");
    let bars = doc
        .descendants()
        .filter(|n| class_has(n, "claim-bar"))
        .count();
    assert_eq!(
        bars,
        report.claims.iter().filter(|c| c.window.is_some()).count()
    );
    assert!(svg.contains("Other timed claims"));
}

#[test]
fn windows_longer_than_the_axis_end_in_an_arrowhead_and_the_legend_says_so() {
    let mut report = sample();
    let plain = render_timeline(&report, Theme::Light);
    assert!(
        !plain.contains("clip-arrow"),
        "no window of the sample is cut"
    );
    assert!(!plain.contains("continues past the axis"));
    // "in September": a month-long window on a two-day axis is cut at both ends.
    let mut month = report.claims[0].clone();
    month.id = "c99".to_string();
    month.window = Some(retrace::report::wire::WindowWire {
        start: "2025-09-01T00:00:00+09:00".to_string(),
        end: "2025-10-01T00:00:00+09:00".to_string(),
    });
    report.claims.push(month);
    let svg = render_timeline(&report, Theme::Light);
    let doc = roxmltree::Document::parse(&svg).expect("XML");
    let arrows: Vec<_> = doc
        .descendants()
        .filter(|n| class_has(n, "clip-arrow"))
        .collect();
    // The month starts at midnight KST, inside the axis or at most a few hours before it; it
    // surely ends weeks after the axis, so at least the right-hand arrow is drawn.
    assert!(!arrows.is_empty(), "an arrowhead marks the cut bar");
    assert!(svg.contains("window continues past the axis"));
    save("timeline-clipped", &svg);
}

#[test]
fn route_map_draws_path_stops_legs_and_attribution() {
    let report = sample();
    let svg = render_route(&report, &rail_lines(), Theme::Light);
    save("route-light", &svg);
    assert!(svg.len() < 150_000, "map is {} bytes", svg.len());
    let doc = roxmltree::Document::parse(&svg).expect("map is XML");
    assert_accessible(&doc);

    let stops: Vec<&str> = doc
        .descendants()
        .filter(|n| class_has(n, "stop"))
        .filter_map(|n| n.attribute("data-place"))
        .collect();
    let expected: Vec<&str> = report
        .route
        .stops
        .iter()
        .map(|s| s.place_id.as_str())
        .collect();
    assert_eq!(stops, expected);
    assert_eq!(
        doc.descendants()
            .filter(|n| class_has(n, "route-path"))
            .count(),
        1
    );
    assert_eq!(
        doc.descendants()
            .filter(|n| class_has(n, "geodesic"))
            .count(),
        1
    );
    assert_eq!(
        doc.descendants().filter(|n| class_has(n, "rail")).count(),
        2,
        "the Moscow line is out of view"
    );
    assert!(doc.descendants().any(|n| class_has(&n, "land")));

    let text = crate::html::all_text(&doc);
    for needle in [
        "Pyongyang",
        "평양",
        "北京",
        "Natural Earth",
        "GeoNames",
        "973 km",
        "km/h",
        "Equirectangular",
    ] {
        assert!(text.contains(needle), "map mentions {needle}");
    }
}

/// Label boxes (`class="label"` with `data-x0…data-y1`) must not overlap each other, nor any bar
/// of another claim.
fn assert_labels_apart(svg: &str) {
    let doc = roxmltree::Document::parse(svg).expect("XML");
    let boxes: Vec<(Option<&str>, [f64; 4])> = doc
        .descendants()
        .filter(|n| class_has(n, "label"))
        .filter_map(|n| {
            let get = |k: &str| n.attribute(k).and_then(|v| v.parse::<f64>().ok());
            Some((
                n.attribute("data-claim"),
                [
                    get("data-x0")?,
                    get("data-y0")?,
                    get("data-x1")?,
                    get("data-y1")?,
                ],
            ))
        })
        .collect();
    assert!(boxes.len() >= 4, "labels carry their boxes");
    let overlap =
        |a: &[f64; 4], b: &[f64; 4]| a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3];
    for (i, (_, a)) in boxes.iter().enumerate() {
        for (_, b) in &boxes[i + 1..] {
            assert!(!overlap(a, b), "labels {a:?} and {b:?} overlap");
        }
    }
    for bar in doc
        .descendants()
        .filter(|n| class_has(n, "claim-bar") && n.has_tag_name("rect"))
    {
        let get = |k: &str| {
            bar.attribute(k)
                .and_then(|v| v.parse::<f64>().ok())
                .unwrap_or(0.0)
        };
        let rect = [
            get("x"),
            get("y"),
            get("x") + get("width"),
            get("y") + get("height"),
        ];
        for (claim, label) in &boxes {
            if *claim != bar.attribute("data-claim") {
                assert!(
                    !overlap(&rect, label),
                    "label {label:?} covers the bar of {:?}",
                    bar.attribute("data-claim")
                );
            }
        }
    }
}

#[test]
fn timeline_labels_do_not_overlap_even_with_long_text() {
    let mut report = sample();
    assert_labels_apart(&render_timeline(&report, Theme::Light));
    for claim in &mut report.claims {
        claim.time_text = claim
            .time_text
            .as_ref()
            .map(|t| format!("{t} according to a senior official who asked not to be named"));
    }
    for doc in &mut report.documents {
        doc.source = doc
            .source
            .as_ref()
            .map(|s| format!("{s} International Wire Service"));
    }
    let svg = render_timeline(&report, Theme::Light);
    save("timeline-long-labels", &svg);
    assert_labels_apart(&svg);
}

#[test]
fn route_labels_do_not_overlap() {
    let svg = render_route(&sample(), &rail_lines(), Theme::Light);
    assert_labels_apart(&svg);
    let doc = roxmltree::Document::parse(&svg).expect("map is XML");
    let boxes: Vec<[f64; 4]> = doc
        .descendants()
        .filter(|n| class_has(n, "label"))
        .filter_map(|n| {
            let get = |k: &str| n.attribute(k).and_then(|v| v.parse::<f64>().ok());
            Some([
                get("data-x0")?,
                get("data-y0")?,
                get("data-x1")?,
                get("data-y1")?,
            ])
        })
        .collect();
    assert!(boxes.len() >= 4, "stop and leg labels carry their boxes");
    for (i, a) in boxes.iter().enumerate() {
        for b in &boxes[i + 1..] {
            let overlap = a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3];
            assert!(!overlap, "labels {a:?} and {b:?} overlap");
        }
    }
}

#[test]
fn dark_theme_renders_both_figures() {
    let report = sample();
    for (name, svg) in [
        ("timeline-dark", render_timeline(&report, Theme::Dark)),
        (
            "route-dark",
            render_route(&report, &rail_lines(), Theme::Dark),
        ),
    ] {
        roxmltree::Document::parse(&svg).expect("dark figure is XML");
        assert!(!save(name, &svg).is_empty());
        assert_ne!(svg, render_timeline(&report, Theme::Light));
    }
}

#[test]
fn article_text_is_escaped_in_both_figures() {
    let mut report = sample();
    let nasty = "<script>alert(1)</script> ]]> \u{000B}x & \"q\" 'a'";
    for doc in &mut report.documents {
        doc.source = Some(format!("Evil{nasty}"));
        doc.title = Some(nasty.to_string());
    }
    for claim in &mut report.claims {
        claim.quote = format!("{nasty} {}", claim.quote);
        claim.time_text = claim.time_text.as_ref().map(|t| format!("{t}{nasty}"));
    }
    report.case.title = format!("Case {nasty}");
    for stop in &mut report.route.stops {
        stop.name = format!("{}{nasty}", stop.name);
    }
    for event in &mut report.timeline {
        event.place = Some(nasty.to_string());
    }
    for check in &mut report.checks {
        check.message = nasty.to_string();
    }
    for (name, svg) in [
        ("escape-timeline", render_timeline(&report, Theme::Light)),
        (
            "escape-route",
            render_route(&report, &rail_lines(), Theme::Light),
        ),
    ] {
        let doc =
            roxmltree::Document::parse(&svg).unwrap_or_else(|e| panic!("{name} is not XML: {e}"));
        assert!(
            !doc.descendants().any(|n| n.has_tag_name("script")),
            "{name} has a script element"
        );
        assert!(
            !svg.contains('\u{000B}'),
            "{name} keeps a control character"
        );
        assert!(!save(name, &svg).is_empty());
    }
}

/// Counts pixels much darker than the white background inside a box.
fn dark_pixels(png: &[u8], x0: u32, y0: u32, x1: u32, y1: u32) -> usize {
    let decoder = resvg::tiny_skia::Pixmap::decode_png(png).expect("png decodes");
    let mut count = 0;
    for y in y0..y1.min(decoder.height()) {
        for x in x0..x1.min(decoder.width()) {
            if let Some(p) = decoder.pixel(x, y) {
                if u32::from(p.red()) + u32::from(p.green()) + u32::from(p.blue()) < 200 {
                    count += 1;
                }
            }
        }
    }
    count
}

#[test]
fn png_has_the_title_text_and_is_the_same_every_run() {
    let report = sample();
    let svg = render_timeline(&report, Theme::Light);
    assert_eq!(
        svg,
        render_timeline(&report, Theme::Light),
        "svg is deterministic"
    );
    let png = svg_to_png(&svg).expect("png");
    assert!(png.starts_with(b"\x89PNG"));
    assert_eq!(
        png,
        svg_to_png(&svg).expect("png again"),
        "png is deterministic"
    );
    // The title is drawn at the top left: dark glyph pixels must be there.
    assert!(
        dark_pixels(&png, 20, 20, 600, 60) > 300,
        "title text rendered"
    );

    let map = render_route(&report, &rail_lines(), Theme::Light);
    assert_eq!(
        map,
        render_route(&report, &rail_lines(), Theme::Light),
        "map svg is deterministic"
    );
    let map_png = svg_to_png(&map).expect("map png");
    assert_eq!(map_png, svg_to_png(&map).expect("map png again"));
}

#[test]
fn empty_report_still_renders() {
    let mut report = sample();
    report.timeline.clear();
    report.claims.clear();
    report.route = Default::default();
    report.checks.clear();
    for svg in [
        render_timeline(&report, Theme::Light),
        render_route(&report, &[], Theme::Light),
    ] {
        roxmltree::Document::parse(&svg).expect("XML");
        assert!(!svg_to_png(&svg).expect("png").is_empty());
    }
}

#[test]
fn continental_route_map_stays_small() {
    let mut report = sample();
    let moscow = report.route.stops[0].clone();
    report.route.stops[0] = retrace::report::wire::StopWire {
        name: "Moscow".to_string(),
        native: Some("Москва".to_string()),
        lat: 55.7522,
        lon: 37.6156,
        ..moscow
    };
    report.route.path.insert(0, [37.6156, 55.7522]);
    let svg = render_route(&report, &rail_lines(), Theme::Light);
    save("route-continental", &svg);
    roxmltree::Document::parse(&svg).expect("XML");
    assert!(svg.len() < 150_000, "map is {} bytes", svg.len());
}

/// A stop's times read in the stop's `tz` (its timeline event's zone), so a border crossing the
/// timeline tells in KST is told in KST on the map too; without `tz` the place's zone is used.
#[test]
fn stop_labels_read_in_the_stop_zone() {
    let label_of = |report: &ReportWire| {
        let svg = render_route(report, &rail_lines(), Theme::Light);
        let doc = roxmltree::Document::parse(&svg).expect("XML");
        doc.descendants()
            .filter(|n| class_has(n, "stop-label"))
            .map(|n| {
                n.descendants()
                    .filter_map(|t| t.text())
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .find(|text| text.contains("Border crossing"))
            .expect("a label for the border crossing")
    };
    let mut report = sample();
    let bridge = report
        .route
        .stops
        .iter()
        .position(|s| s.event.as_deref() == Some("cross_border"))
        .expect("the bridge stop");
    assert!(report.route.stops[bridge].tz.is_empty());
    assert!(label_of(&report).contains("00:00–12:00 CST"));
    report.route.stops[bridge].tz = "Asia/Pyongyang".to_string();
    let label = label_of(&report);
    assert!(label.contains("01:00–13:00 KST"), "{label}");
}

/// A claim that gives no time has no bar and no row in its lane: it is named once in the note
/// under the lanes, so the lanes only hold what the axis can show.
#[test]
fn claims_without_time_are_listed_under_the_lanes_not_in_them() {
    let mut report = sample();
    let mut untimed = report.claims[5].clone();
    untimed.id = "c12".to_string();
    untimed.window = None;
    untimed.time_text = None;
    untimed.quote = "The train was due to reach Beijing".to_string();
    report.claims.push(untimed);
    report.timeline[2].claims.push("c12".to_string());
    let svg = render_timeline(&report, Theme::Light);
    let doc = roxmltree::Document::parse(&svg).expect("XML");
    assert!(!doc
        .descendants()
        .any(|n| n.attribute("data-claim") == Some("c12")));
    let note: String = doc
        .descendants()
        .filter(|n| class_has(n, "untimed"))
        .filter_map(|n| n.text())
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        note.starts_with("Claims that give no time (not drawn): c12"),
        "{note}"
    );
    assert!(note.contains("arrival") && note.contains("The train was due to reach Beijing"));
    // Without such claims there is no note.
    let plain = render_timeline(&sample(), Theme::Light);
    assert!(!plain.contains("class=\"untimed\""));
}
