//! Speeds and distances in text ("at just 50 km/h", "a 2,500-mile trip", "about 1,200 km"),
//! converted to km/h and km with their bounds. Durations come from the time stage.

use std::sync::LazyLock;

use regex::Regex;

use crate::text::TextRange;

/// Kilometres in a statute mile.
const KM_PER_MILE: f64 = 1.609_344;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QuantityKind {
    Speed,
    Distance,
}

/// A stated quantity in canonical units (km/h or km).
#[derive(Clone, Debug, PartialEq)]
pub struct Quantity {
    pub kind: QuantityKind,
    pub range: TextRange,
    pub nominal: f64,
    pub min: Option<f64>,
    pub max: Option<f64>,
}

static SPEED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?:(about|around|roughly|some|nearly|almost|just under|up to|at most|no more than|more than|over|at least|just|only)\s+(?:about\s+)?)?(\d{1,3}(?:\.\d+)?)\s*(?:-|\s)?(km/h|kmh|kph|km per hour|kilometres per hour|kilometers per hour|mph|miles per hour)(?:\W|$)",
    )
    .expect("speed pattern compiles")
});

static DISTANCE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?:(about|around|roughly|some|nearly|almost|up to|more than|over|at least|just|only)\s+)?(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s*(?:-|\s)?(km|kilometres|kilometers|kilometre|kilometer|miles|mile)\b(?:\s*(?:/|per)\s*h)?",
    )
    .expect("distance pattern compiles")
});

/// Approximators: how far the true value may lie from the stated one, as factors.
/// "about 50" → 0.9–1.1; "nearly 20" → 0.85–1.0; "up to" → 0–1. A bare number is taken as
/// rounded: ±10% for speeds (a stated average), ±5% for distances.
fn bounds(approx: Option<&str>, value: f64, bare_tolerance: f64) -> (Option<f64>, Option<f64>) {
    match approx.map(|s| s.to_lowercase()).as_deref() {
        Some("nearly" | "almost" | "just under") => (Some(value * 0.85), Some(value)),
        Some("up to" | "at most" | "no more than") => (None, Some(value)),
        Some("more than" | "over" | "at least") => (Some(value), None),
        Some("about" | "around" | "roughly" | "some") => (Some(value * 0.9), Some(value * 1.1)),
        _ => (
            Some(value * (1.0 - bare_tolerance)),
            Some(value * (1.0 + bare_tolerance)),
        ),
    }
}

/// Every unit of [`SPEED`] and [`DISTANCE`] holds one of these, and `(?i)` matches their
/// letters only as ASCII letters in either case, or "k" as the Kelvin sign (a test checks).
const UNIT_STEMS: [&[u8]; 5] = [b"km", b"kph", b"kilomet", b"mph", b"mile"];

/// Finds [`UNIT_STEMS`] in any ASCII case with a vectorised search; `None` cannot happen (the
/// stems are fixed), and then every text is searched with the patterns.
static UNIT_STEM_FINDER: LazyLock<Option<aho_corasick::AhoCorasick>> = LazyLock::new(|| {
    aho_corasick::AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .build(UNIT_STEMS)
        .ok()
});

/// False when `text` surely names no unit of the patterns: most sentences with a number name
/// none, and this look costs less than starting the two regex searches (or building them: a
/// text with no unit never does).
fn may_name_unit(text: &str) -> bool {
    if !text.is_ascii() && text.contains('\u{212a}') {
        return true;
    }
    UNIT_STEM_FINDER
        .as_ref()
        .is_none_or(|finder| finder.is_match(text))
}

/// True when `bytes` hold an ASCII digit. Every prose sentence is asked: a block of bytes is
/// read whole (which the compiler vectorises) rather than stopping at the first digit.
fn has_ascii_digit(bytes: &[u8]) -> bool {
    bytes.chunks(32).any(|block| {
        block
            .iter()
            .fold(false, |seen, b| seen | b.is_ascii_digit())
    })
}

/// Finds speeds and distances in `text`; offsets are relative to `text`.
pub fn find_quantities(text: &str) -> Vec<Quantity> {
    let mut out = Vec::new();
    // Both patterns need a digit (`\d` is any Unicode decimal digit, which `is_numeric` covers).
    let has_digit = has_ascii_digit(text.as_bytes())
        || (!text.is_ascii() && text.chars().any(char::is_numeric));
    if !has_digit || !may_name_unit(text) {
        return out;
    }
    for caps in SPEED.captures_iter(text) {
        let (Some(all), Some(num), Some(unit)) = (caps.get(0), caps.get(2), caps.get(3)) else {
            continue;
        };
        let Ok(mut value) = num.as_str().parse::<f64>() else {
            continue;
        };
        if unit.as_str().to_lowercase().starts_with('m') {
            value *= KM_PER_MILE;
        }
        let (min, max) = bounds(caps.get(1).map(|m| m.as_str()), value, 0.10);
        out.push(Quantity {
            kind: QuantityKind::Speed,
            range: TextRange::new(all.start(), unit.end()),
            nominal: value,
            min,
            max,
        });
    }
    for caps in DISTANCE.captures_iter(text) {
        let (Some(all), Some(num), Some(unit)) = (caps.get(0), caps.get(2), caps.get(3)) else {
            continue;
        };
        // "50 km/h" is a speed, already taken.
        if all.as_str().to_lowercase().ends_with('h') {
            continue;
        }
        let Ok(mut value) = num.as_str().replace(',', "").parse::<f64>() else {
            continue;
        };
        if unit.as_str().to_lowercase().starts_with('m') {
            value *= KM_PER_MILE;
        }
        let (min, max) = bounds(caps.get(1).map(|m| m.as_str()), value, 0.05);
        out.push(Quantity {
            kind: QuantityKind::Distance,
            range: TextRange::new(all.start(), unit.end()),
            nominal: value,
            min,
            max,
        });
    }
    out.sort_by_key(|q| q.range);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn speed_with_approximator_and_miles() {
        let q = find_quantities("it travels at just 50 km/h and tops out at 37 mph.");
        assert_eq!(q.len(), 2);
        assert_eq!(q[0].kind, QuantityKind::Speed);
        assert_eq!(q[0].nominal, 50.0);
        assert!((q[0].max.unwrap() - 55.0).abs() < 1e-9);
        assert!((q[1].nominal - 59.546).abs() < 0.01);
    }

    #[test]
    fn unit_stems_fold_only_to_ascii_or_kelvin() {
        // Each letter of the stems, as the patterns' `(?i)` matches it.
        let letters: std::collections::BTreeSet<u8> =
            UNIT_STEMS.iter().flat_map(|s| s.iter().copied()).collect();
        let every_char: String = (0..=0x10FFFF_u32).filter_map(char::from_u32).collect();
        for letter in letters {
            let re = Regex::new(&format!("(?i){}", char::from(letter))).unwrap();
            for m in re.find_iter(&every_char) {
                let c = m.as_str().chars().next().unwrap();
                assert!(
                    c.eq_ignore_ascii_case(&char::from(letter))
                        || (letter == b'k' && c == '\u{212a}'),
                    "{c:?} matches {}",
                    char::from(letter)
                );
            }
        }
        // Every unit alternative holds a stem.
        for pattern in [SPEED.as_str(), DISTANCE.as_str()] {
            let units = pattern
                .split("(km")
                .nth(1)
                .and_then(|rest| rest.split(')').next())
                .unwrap();
            for unit in format!("km{units}").split('|') {
                assert!(may_name_unit(unit), "{unit}");
            }
        }
        assert!(!may_name_unit("left at 10 am on the 2nd"));
        assert!(may_name_unit("50 \u{212a}M/h"));
    }

    #[test]
    fn distance_with_thousands_and_hyphen() {
        let q = find_quantities("a 2,500-mile trip of about 4,000 km");
        assert_eq!(q.len(), 2);
        assert!((q[0].nominal - 4023.36).abs() < 0.01);
        assert_eq!(q[1].min, Some(3600.0));
    }
}
