//! The `report.json` wire format, `"schema": "retrace.report/1"`.
//!
//! These types are serialize-and-deserialize mirrors of the pipeline's values, kept apart so that
//! refactors inside the stages do not change the format scripts read. Add fields; never rename
//! or remove one without bumping the schema. All times are ISO-8601 with the offset of the zone
//! they are about; windows are half-open `[start, end)`; byte offsets are into the article text
//! (the body after the header block, or the text of an HTML page).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub const SCHEMA: &str = "retrace.report/1";

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReportWire {
    pub schema: String,
    pub case: CaseWire,
    pub documents: Vec<DocumentWire>,
    pub mentions: Vec<MentionWire>,
    pub places: Vec<PlaceWire>,
    pub claims: Vec<ClaimWire>,
    pub timeline: Vec<EventWire>,
    pub route: RouteWire,
    pub checks: Vec<CheckWire>,
    /// Files that could not be used, with the reason.
    pub skipped: Vec<SkippedWire>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CaseWire {
    pub name: String,
    pub title: String,
    pub traveller: Option<String>,
    /// train, plane, car.
    pub mode: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DocumentWire {
    pub id: String,
    /// Path as given, relative to the case folder.
    pub file: String,
    pub source: Option<String>,
    pub title: Option<String>,
    pub url: Option<String>,
    /// The publication time used as reference.
    pub published: Option<String>,
    pub published_inferred: bool,
    /// Where the publication time came from: `case.toml`, `header`, `flag`, or the evidence
    /// it was inferred from.
    pub published_basis: String,
    /// The window an inferred publication time allows.
    pub published_window: Option<WindowWire>,
    /// Dateline place ("BEIJING (Reuters) —"), if any.
    pub dateline: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WindowWire {
    pub start: String,
    pub end: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Timex3Wire {
    #[serde(rename = "type")]
    pub kind: String,
    pub value: String,
    #[serde(rename = "mod", skip_serializing_if = "Option::is_none")]
    pub modifier: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DurationWire {
    pub nominal_s: i64,
    pub min_s: Option<i64>,
    pub max_s: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MentionWire {
    pub doc: String,
    pub start: usize,
    pub end: usize,
    pub line: usize,
    pub col: usize,
    pub text: String,
    pub value: Option<WindowWire>,
    pub duration: Option<DurationWire>,
    pub grain: String,
    pub timex3: Timex3Wire,
    pub rule: String,
    /// The IANA zone the phrase was read in.
    pub tz: String,
    pub unresolved: Option<String>,
    /// A choice made in reading the phrase, e.g. which reading of "CST" was taken.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The reporting verb the phrase follows ("reported early Tuesday"): it dates the report.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reported_by: Option<SpanWire>,
}

/// A stretch of an article's text: byte offsets and the text.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SpanWire {
    pub start: usize,
    pub end: usize,
    pub text: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlaceWire {
    pub id: String,
    pub name: String,
    pub native: Option<String>,
    pub lat: f64,
    pub lon: f64,
    pub country: String,
    pub tz: String,
    pub kind: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QuantityWire {
    /// `km/h`, `s` (durations), `km`.
    pub unit: String,
    pub nominal: f64,
    pub min: Option<f64>,
    pub max: Option<f64>,
    /// For durations: `one_way`, `round_trip` or `unknown`.
    pub scope: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClaimWire {
    pub id: String,
    pub doc: String,
    pub quote: String,
    /// Byte range of the quote in the article text.
    pub start: usize,
    pub end: usize,
    pub line: usize,
    pub col: usize,
    /// `depart`, `arrive`, `cross_border`, `pass`, `attend`, … or `speed`, `duration`,
    /// `distance` for quantities.
    pub event: String,
    pub place: Option<String>,
    pub place_id: Option<String>,
    pub window: Option<WindowWire>,
    /// The time phrase the window comes from.
    pub time_text: Option<String>,
    /// True when the time phrase is vague (a part of day, a bare day, "later in the day").
    pub vague: bool,
    /// `reported`, `expected`, `reported_speech`.
    pub modality: String,
    pub quantity: Option<QuantityWire>,
    /// 0..=1: how much the claim counts when claims disagree.
    pub weight: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EventWire {
    pub id: String,
    pub event: String,
    pub place: Option<String>,
    pub place_id: Option<String>,
    /// The reconciled window all consistent claims allow; `None` when nothing bounds it.
    pub window: Option<WindowWire>,
    pub tz: String,
    pub claims: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SpeedWire {
    pub min: Option<f64>,
    pub max: Option<f64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StopWire {
    pub name: String,
    pub native: Option<String>,
    pub place_id: String,
    pub lat: f64,
    pub lon: f64,
    pub station: Option<String>,
    pub inferred: bool,
    /// The reconciled window of the event at this stop, if any.
    pub window: Option<WindowWire>,
    pub event: Option<String>,
    /// The IANA zone the stop's times are told in: the zone of its timeline event (so a border
    /// crossing reads in the same zone on the map as on the timeline), else the zone of the place.
    /// Empty in reports written before the field existed.
    #[serde(default)]
    pub tz: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LegWire {
    pub from: String,
    pub to: String,
    pub rail_km: f64,
    pub rail_km_max: f64,
    pub geodesic_km: f64,
    pub off_network: bool,
    pub via: Vec<String>,
    /// Speeds the reconciled windows imply over the rail km.
    pub speed_kmh: SpeedWire,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RouteWire {
    pub stops: Vec<StopWire>,
    pub legs: Vec<LegWire>,
    /// The drawn path as `[lon, lat]`.
    pub path: Vec<[f64; 2]>,
    pub total_rail_km: f64,
    pub total_rail_km_max: f64,
    pub total_geodesic_km: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CheckWire {
    /// `C1`, `C2`, … in report order; figures number their badges with it.
    pub id: String,
    /// Stable rule id, e.g. `time_window_conflict`.
    pub rule: String,
    pub severity: String,
    /// `fail` or `pass` (or `info` for notes).
    pub status: String,
    pub message: String,
    pub claims: Vec<String>,
    pub figures: BTreeMap<String, serde_json::Value>,
    pub doc: Option<String>,
    pub line: Option<usize>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SkippedWire {
    pub file: String,
    pub reason: String,
}
