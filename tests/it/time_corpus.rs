//! Runs every line of tests/corpus/time/*.txt and fails once with all failures.
//!
//! File format (one case per line, `#` comments):
//!
//! ```text
//! # ref: 2025-09-02T10:00+09:00 Asia/Pyongyang news     (applies to the lines below it)
//! late Monday => 2025-09-01T18:00 .. 2025-09-02T00:00 part_of_day
//! [Kim left Pyongyang late Monday.] late Monday => 2025-09-01T18:00 .. 2025-09-02T00:00
//! nearly 20 hours => duration 16h..20h
//! up to 24 hours => duration ..24h timex=PT24H
//! four times in 10 months => set P10M
//! the day before his departure => unresolved
//! ! 2,000 troops
//! ```
//!
//! Times are wall-clock times in the zone of the `# ref:` line. A `[sentence]` prefix runs the
//! whole sentence (tense and related times come from it) and checks the mention whose text is
//! the phrase. `! phrase` means nothing may be found in it. `timex=` and `rule=` suffixes check
//! the TIMEX3 value and the rule name; `note=` a word the resolver's note must contain (`_` for
//! spaces), `note=-` that there is no note. `RETRACE_CORPUS=word` runs only lines containing `word`.

use std::path::Path;

use chrono::{DateTime, NaiveDateTime, Utc};
use chrono_tz::Tz;
use retrace::time::{find_times, Anchor, Profile, TimeMention};

struct Ref {
    reference: DateTime<Utc>,
    tz: Tz,
    profile: Profile,
}

fn parse_ref(s: &str) -> Result<Ref, String> {
    let parts: Vec<&str> = s.split_whitespace().collect();
    let [when, zone, rest @ ..] = parts.as_slice() else {
        return Err(format!(
            "expected `# ref: <time> <zone> [news|forward]`, found {s:?}"
        ));
    };
    let reference = DateTime::parse_from_rfc3339(when)
        .or_else(|_| DateTime::parse_from_str(when, "%Y-%m-%dT%H:%M%:z"))
        .map_err(|e| format!("bad ref time {when:?}: {e}"))?
        .with_timezone(&Utc);
    let tz: Tz = zone.parse().map_err(|_| format!("unknown zone {zone:?}"))?;
    let profile = match rest.first().copied() {
        None | Some("news") => Profile::News,
        Some("forward") => Profile::Forward,
        Some(p) => return Err(format!("unknown profile {p:?}")),
    };
    Ok(Ref {
        reference,
        tz,
        profile,
    })
}

/// "20h", "70m", "3d", "2w", "10mo", "2y", "45s" → seconds (months 30 days, years 365 days).
fn parse_secs(s: &str) -> Result<i64, String> {
    let split = s
        .find(|c: char| c.is_ascii_alphabetic())
        .ok_or_else(|| format!("bad duration {s:?}"))?;
    let (n, unit) = s.split_at(split);
    let n: f64 = n.parse().map_err(|_| format!("bad duration {s:?}"))?;
    let k = match unit {
        "s" => 1.0,
        "m" => 60.0,
        "h" => 3600.0,
        "d" => 86_400.0,
        "w" => 7.0 * 86_400.0,
        "mo" => 30.0 * 86_400.0,
        "y" => 365.0 * 86_400.0,
        _ => return Err(format!("bad duration unit {unit:?}")),
    };
    Ok((n * k).round() as i64)
}

fn local(s: &str, tz: Tz) -> Result<DateTime<Utc>, String> {
    let t = NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S")
        .or_else(|_| NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M"))
        .map_err(|e| format!("bad time {s:?}: {e}"))?;
    t.and_local_timezone(tz)
        .earliest()
        .map(|x| x.with_timezone(&Utc))
        .ok_or_else(|| format!("no such local time {s}"))
}

/// Checks one `phrase => expectation` against the mentions; returns the failure text.
fn check(expect: &str, m: &TimeMention, r: &Ref) -> Result<(), String> {
    let mut words: Vec<&str> = expect.split_whitespace().collect();
    let mut timex = None;
    let mut rule = None;
    let mut note = None;
    words.retain(|w| {
        if let Some(v) = w.strip_prefix("timex=") {
            timex = Some(v.to_string());
            false
        } else if let Some(v) = w.strip_prefix("rule=") {
            rule = Some(v.replace('_', " "));
            false
        } else if let Some(v) = w.strip_prefix("note=") {
            note = Some(v.replace('_', " "));
            false
        } else {
            true
        }
    });
    let got = describe(m, r);
    match words.as_slice() {
        ["unresolved"] => {
            if m.resolved.window.is_some() || m.resolved.unresolved.is_none() {
                return Err(format!("wrong value: expected unresolved, got {got}"));
            }
        }
        ["set", value] => {
            if m.resolved.window.is_some() || m.resolved.timex3.value != *value {
                return Err(format!("wrong value: expected set {value}, got {got}"));
            }
        }
        ["duration", range] => {
            let (lo, hi) = range.split_once("..").unwrap_or((range, range));
            let lo = if lo.is_empty() {
                None
            } else {
                Some(parse_secs(lo)?)
            };
            let hi = if hi.is_empty() {
                None
            } else {
                Some(parse_secs(hi)?)
            };
            let Some(d) = m.resolved.duration else {
                return Err(format!("wrong value: expected a duration, got {got}"));
            };
            if m.resolved.window.is_some() || d.min_s != lo || d.max_s != hi {
                return Err(format!("wrong value: expected duration {range}, got {got}"));
            }
        }
        [start, "..", end, rest @ ..] => {
            let Some(w) = m.resolved.window else {
                return Err(format!("wrong value: expected a window, got {got}"));
            };
            if w.earliest != local(start, r.tz)? || w.latest != local(end, r.tz)? {
                return Err(format!("wrong value: expected {start} .. {end}, got {got}"));
            }
            if let [grain] = rest {
                if m.resolved.grain.as_str() != *grain {
                    return Err(format!("wrong grain: expected {grain}, got {got}"));
                }
            }
        }
        _ => return Err(format!("bad expectation {expect:?}")),
    }
    if let Some(v) = timex {
        if m.resolved.timex3.value != v {
            return Err(format!(
                "wrong timex: expected {v}, got {}",
                m.resolved.timex3.value
            ));
        }
    }
    if let Some(v) = rule {
        if m.expr.rule != v {
            return Err(format!("wrong rule: expected {v:?}, got {:?}", m.expr.rule));
        }
    }
    if let Some(v) = note {
        let ok = match (v.as_str(), m.resolved.note.as_deref()) {
            ("-", got) => got.is_none(),
            (want, Some(got)) => got.contains(want),
            (_, None) => false,
        };
        if !ok {
            return Err(format!(
                "wrong note: expected {v:?}, got {:?}",
                m.resolved.note
            ));
        }
    }
    Ok(())
}

fn describe(m: &TimeMention, r: &Ref) -> String {
    match (&m.resolved.window, &m.resolved.duration) {
        (Some(w), _) => format!(
            "{} .. {} {} ({})",
            w.earliest.with_timezone(&r.tz).format("%Y-%m-%dT%H:%M"),
            w.latest.with_timezone(&r.tz).format("%Y-%m-%dT%H:%M"),
            m.resolved.grain.as_str(),
            m.expr.rule
        ),
        (None, Some(d)) => format!(
            "duration {:?}..{:?} ({})",
            d.min_s, d.max_s, m.resolved.timex3.value
        ),
        (None, None) => format!(
            "unresolved: {}",
            m.resolved.unresolved.as_deref().unwrap_or("")
        ),
    }
}

fn run_line(line: &str, r: &Ref) -> Result<(), String> {
    let anchor = Anchor {
        reference: r.reference,
        tz: r.tz,
        profile: r.profile,
        related: None,
    };
    if let Some(neg) = line.strip_prefix('!') {
        let text = neg.split(" # ").next().unwrap_or(neg).trim();
        let found = find_times(text, &anchor);
        if let Some(m) = found.first() {
            return Err(format!(
                "must not parse, found {:?} ({})",
                m.expr.text, m.expr.rule
            ));
        }
        return Ok(());
    }
    let (lhs, expect) = line.split_once("=>").ok_or("expected `phrase => value`")?;
    let lhs = lhs.trim();
    let (text, phrase) = match lhs.strip_prefix('[') {
        Some(rest) => {
            let (sentence, phrase) = rest.split_once(']').ok_or("unclosed [sentence]")?;
            (sentence.to_string(), phrase.trim().to_string())
        }
        None => (lhs.to_string(), lhs.to_string()),
    };
    let mentions = find_times(&text, &anchor);
    let m = match mentions.iter().find(|m| m.expr.text == phrase) {
        Some(m) => m,
        None => {
            let near: Vec<String> = mentions
                .iter()
                .map(|m| format!("{:?}", m.expr.text))
                .collect();
            return Err(if near.is_empty() {
                "no parse".to_string()
            } else {
                format!("partial: found {}", near.join(", "))
            });
        }
    };
    check(expect.trim(), m, r)
}

#[test]
fn time_corpus() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/time");
    let filter = std::env::var("RETRACE_CORPUS").ok();
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/corpus/time exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no corpus files in {}", dir.display());
    let mut failures = Vec::new();
    let mut cases = 0;
    for path in &files {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        let text = std::fs::read_to_string(path).expect("corpus file reads");
        let mut current: Option<Ref> = None;
        for (i, line) in text.lines().enumerate() {
            let line = line.trim();
            if let Some(spec) = line.strip_prefix("# ref:") {
                match parse_ref(spec.trim()) {
                    Ok(r) => current = Some(r),
                    Err(e) => failures.push(format!("{name}:{}: {e}", i + 1)),
                }
                continue;
            }
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if filter.as_deref().is_some_and(|f| !line.contains(f)) {
                continue;
            }
            let Some(r) = current.as_ref() else {
                failures.push(format!(
                    "{name}:{}: no `# ref:` line before this case",
                    i + 1
                ));
                continue;
            };
            cases += 1;
            if let Err(e) = run_line(line, r) {
                failures.push(format!("{name}:{}: {e}  [{line}]", i + 1));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {cases} corpus cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn every_time_data_file_loads() {
    for (file, result) in retrace::time::check_embedded_data() {
        match result {
            Ok(n) => assert!(n > 0, "{file}: no rows"),
            Err(e) => panic!("{e}"),
        }
    }
}
