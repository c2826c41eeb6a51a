//! Inferring a publication time from the text when no header, `case.toml` or flag gives one.
//!
//! Evidence, strongest first:
//! 1. Absolute dates of reported (non-future) events: the article was published on or after
//!    the latest, most likely within a week of it.
//! 2. Years: the latest year mentioned in the past tense is a lower bound; "N years ago" read
//!    against a year mentioned elsewhere gives the year itself.
//!
//! A phrase is *absolute* when it resolves to the same window under two reference times decades
//! apart; that needs no list of absolute patterns.
//!
//! The result is a window, never a guessed point: a point is only given when the window is at
//! most two days wide, because anchoring "Monday" on a year-wide guess would invent precision.

use chrono::{DateTime, Datelike, Duration, FixedOffset, TimeZone, Utc};

use crate::time::{parse_time_exprs, resolve_time_expr, Anchor, Grain, Profile, Tense, TimexType};

/// What the text says about its own publication time.
#[derive(Clone, Debug, PartialEq)]
pub struct PublishedInference {
    /// A usable reference time, when the window is narrow enough.
    pub published: Option<DateTime<FixedOffset>>,
    /// The window the evidence allows, `[earliest, latest)`.
    pub window: Option<(DateTime<Utc>, DateTime<Utc>)>,
    /// The evidence, in words.
    pub basis: String,
}

/// How long after the latest dated event an article is assumed to appear.
const DAYS_AFTER_LATEST_EVENT: i64 = 7;
/// How many years after the latest year mentioned an article may appear, when nothing else
/// bounds it.
const YEARS_AFTER_LATEST_YEAR: i32 = 10;
/// The widest window still used as a reference point.
const MAX_POINT_WINDOW_HOURS: i64 = 48;

pub fn infer_published(text: &str) -> PublishedInference {
    let probe = |year: i32| Anchor {
        reference: Utc
            .with_ymd_and_hms(year, 6, 15, 12, 0, 0)
            .single()
            .unwrap_or_default(),
        tz: chrono_tz::UTC,
        profile: Profile::News,
        related: None,
    };
    let (early, late) = (probe(1985), probe(2045));
    let mut latest_day: Option<(DateTime<Utc>, String)> = None;
    let mut years: Vec<(i32, String)> = Vec::new();
    let mut years_ago: Vec<(i64, String)> = Vec::new();
    for expr in parse_time_exprs(text) {
        if expr.needs_related || expr.tense == Tense::Future {
            continue;
        }
        let a = resolve_time_expr(&expr, &early);
        let b = resolve_time_expr(&expr, &late);
        if a.timex3.kind == TimexType::Duration || a.timex3.kind == TimexType::Set {
            continue;
        }
        match (a.window, b.window) {
            (Some(wa), Some(wb)) if wa == wb => {
                if wa.grain <= Grain::Day {
                    if latest_day.as_ref().is_none_or(|(t, _)| wa.earliest > *t) {
                        latest_day = Some((wa.earliest, expr.text.clone()));
                    }
                } else if wa.grain <= Grain::Year {
                    years.push((wa.earliest.year(), expr.text.clone()));
                }
            }
            (Some(wa), Some(wb)) if wa.grain == Grain::Year => {
                // Relative years ("two years ago"): the shift between the probes is the offset.
                let offset = 1985 - i64::from(wa.earliest.year());
                if wb.earliest.year() - wa.earliest.year() == 60 && offset > 0 {
                    years_ago.push((offset, expr.text.clone()));
                }
            }
            _ => {}
        }
    }
    if let Some((t, phrase)) = latest_day {
        let latest = t + Duration::days(DAYS_AFTER_LATEST_EVENT);
        return window_result(
            t,
            latest,
            format!("on or after the latest dated event {phrase:?}, within {DAYS_AFTER_LATEST_EVENT} days"),
        );
    }
    let Some(max_year) = years.iter().map(|(y, _)| *y).max() else {
        return PublishedInference {
            published: None,
            window: None,
            basis: "no dated evidence in the text".into(),
        };
    };
    let year_phrase = years
        .iter()
        .find(|(y, _)| *y == max_year)
        .map(|(_, p)| p.clone())
        .unwrap_or_default();
    // "two years ago" against each year mentioned: the smallest result not before the latest
    // year mentioned is the publication year.
    let mut best: Option<(i32, String)> = None;
    for (n, ago) in &years_ago {
        for (y, phrase) in &years {
            let candidate = *y + *n as i32;
            if candidate >= max_year && best.as_ref().is_none_or(|(b, _)| candidate < *b) {
                best = Some((candidate, format!("{ago:?} read against {phrase:?}")));
            }
        }
    }
    // With "N years ago" the year is known; with years alone only its lower bound is, and the
    // window runs a few years on (a convention: news mentions recent years).
    let (year, years_long, basis) = match best {
        Some((y, why)) => (y, 1, format!("in {y}: {why}")),
        None => (
            max_year,
            YEARS_AFTER_LATEST_YEAR,
            format!(
                "not before {max_year}, the latest year mentioned ({year_phrase:?}); at most {YEARS_AFTER_LATEST_YEAR} years after by convention"
            ),
        ),
    };
    let start = Utc.with_ymd_and_hms(year, 1, 1, 0, 0, 0).single();
    let end = Utc
        .with_ymd_and_hms(year + years_long, 1, 1, 0, 0, 0)
        .single();
    match (start, end) {
        (Some(s), Some(e)) => window_result(s, e, basis),
        _ => PublishedInference {
            published: None,
            window: None,
            basis,
        },
    }
}

/// Narrows the inferred windows of a case's articles with each other and with the known
/// publication times (± a week): the articles of a case are about one journey. Returns, per
/// article, the narrowed inference; articles with a known time are left alone (`None`).
pub fn narrow_in_case(
    known: &[DateTime<Utc>],
    inferred: &[Option<PublishedInference>],
) -> Vec<Option<PublishedInference>> {
    let mut lo: Option<DateTime<Utc>> = None;
    let mut hi: Option<DateTime<Utc>> = None;
    let mut tighten = |a: DateTime<Utc>, b: DateTime<Utc>| {
        lo = Some(lo.map_or(a, |l| l.max(a)));
        hi = Some(hi.map_or(b, |h| h.min(b)));
    };
    if let (Some(first), Some(last)) = (known.iter().min(), known.iter().max()) {
        tighten(
            *first - Duration::days(DAYS_AFTER_LATEST_EVENT),
            *last + Duration::days(DAYS_AFTER_LATEST_EVENT),
        );
    }
    for (a, b) in inferred.iter().flatten().filter_map(|i| i.window) {
        tighten(a, b);
    }
    let (Some(lo), Some(hi)) = (lo, hi) else {
        return inferred.to_vec();
    };
    if lo >= hi {
        // The evidence disagrees; keep each article's own reading.
        return inferred.to_vec();
    }
    inferred
        .iter()
        .map(|i| {
            let i = i.as_ref()?;
            match i.window {
                Some((a, b)) if (a, b) != (lo, hi) => Some(window_result(
                    a.max(lo),
                    b.min(hi),
                    format!("{}; narrowed by the other articles of the case", i.basis),
                )),
                _ => Some(i.clone()),
            }
        })
        .collect()
}

fn window_result(start: DateTime<Utc>, end: DateTime<Utc>, basis: String) -> PublishedInference {
    let narrow = end - start <= Duration::hours(MAX_POINT_WINDOW_HOURS);
    PublishedInference {
        published: narrow.then(|| (end - Duration::minutes(1)).fixed_offset()),
        window: Some((start, end)),
        basis,
    }
}
