//! In-process throughput of the time stage, measured the way `scripts/bench/chrono_bench.js`
//! measures chrono-node: the JSON Lines input is read and parsed first, then only
//! [`retrace::time::find_times`] is timed, once per record, with the record's reference time
//! (and zone and profile when given); nothing is written. One untimed call on the first record
//! comes first, so the tables loaded on first use are not timed (chrono-node is loaded by
//! `require` before its clock starts).
//!
//! ```sh
//! cargo run --release --example times_throughput -- target/bench/times-10mb-news.jsonl
//! ```
//!
//! Prints "<megabytes of text> <seconds> <mentions>", the line chrono_bench.js prints.

use std::process::ExitCode;
use std::time::Instant;

use chrono::{DateTime, Utc};
use retrace::time::{find_times, zone_for_offset, Anchor, Profile};
use serde::Deserialize;

/// One input line: `retrace times --jsonl` requests (`ref`) or scan records (`published`).
#[derive(Deserialize)]
struct Record {
    text: String,
    #[serde(rename = "ref", alias = "published")]
    reference: String,
    tz: Option<String>,
    profile: Option<Profile>,
}

/// The anchor `retrace times` builds for a record: its zone, else the zone of the reference
/// time's offset. `None` when the reference time or zone does not parse.
fn anchor_of(r: &Record) -> Option<Anchor> {
    let reference = DateTime::parse_from_rfc3339(&r.reference)
        .or_else(|_| DateTime::parse_from_str(&r.reference, "%Y-%m-%dT%H:%M%:z"))
        .ok()?;
    let tz = match &r.tz {
        Some(name) => name.parse().ok()?,
        None => zone_for_offset(*reference.offset()),
    };
    Some(Anchor {
        reference: reference.with_timezone(&Utc),
        tz,
        profile: r.profile.unwrap_or(Profile::News),
        related: None,
    })
}

fn main() -> ExitCode {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: times_throughput FILE.jsonl");
        return ExitCode::from(2);
    };
    let input = match std::fs::read_to_string(&path) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("times_throughput: {path}: {e}");
            return ExitCode::from(2);
        }
    };
    let mut records = Vec::new();
    for (n, line) in input.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<Record>(line) {
            Ok(r) => records.push(r),
            Err(e) => {
                eprintln!("times_throughput: {path}:{}: {e}", n + 1);
                return ExitCode::from(2);
            }
        }
    }
    // Warm-up, untimed: the first call loads the embedded word and phrase tables (parsed once
    // per process). chrono_bench.js loads chrono-node with `require` before its clock starts,
    // so loading is left out on both sides; this compares the parsing itself.
    if let Some(first) = records.first() {
        if let Some(anchor) = anchor_of(first) {
            find_times(&first.text, &anchor);
        }
    }
    let mut text_bytes = 0usize;
    let mut mentions = 0usize;
    let started = Instant::now();
    for r in &records {
        // Like chrono_bench.js (`new Date(r.published)` inside its loop), the reference time
        // is read inside the timed loop.
        if let Some(anchor) = anchor_of(r) {
            mentions += find_times(&r.text, &anchor).len();
        }
        text_bytes += r.text.len();
    }
    let seconds = started.elapsed().as_secs_f64();
    println!("{:.3} {seconds:.3} {mentions}", text_bytes as f64 / 1e6);
    ExitCode::SUCCESS
}
