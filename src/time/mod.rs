//! Time stage: finds time expressions in text and anchors them to concrete intervals.
//!
//! In: article text (or one sentence), an [`Anchor`] (reference time = publication time, the
//! IANA zone the event happens in, the direction profile, and an optional related time for
//! event-relative phrases). Out: [`TimeMention`]s with byte ranges, a [`Window`] (half-open, UTC
//! inside) or a [`DurationRange`], a [`Grain`], and a TIMEX3 annotation.
//!
//! Two steps, so the claims stage can anchor one phrase in the zone of the place it talks about:
//! [`parse_time_exprs`] finds phrases and their symbolic meaning (zone-free), and
//! [`resolve_time_expr`] turns one into a window for a given anchor. [`find_times`] does both.
//!
//! Invariant: windows are half-open `[earliest, latest)` and `earliest < latest`.
//!
//! # How it works
//!
//! - `spec.rs` splits the text into tokens and, at each token that can start a time phrase,
//!   tries every rule; the longest match wins. Date-like phrases are built from components
//!   (weekday, month-day, clock time, part of day, modifier, zone) joined by connectors, so
//!   "late Monday night" and "7:30 p.m. on Friday, Sept. 5" need no rule of their own. Each
//!   phrase keeps a readable rule name ([`TimeExpr::rule`]) and a zone-free meaning.
//! - `tense.rs` gives each phrase the tense of the nearest tense marker in its sentence ("will",
//!   "is expected to", "left", "-ed" forms); [`Profile::News`] uses it to choose between the
//!   last and the next Monday (nearest when the tense is unknown).
//! - `resolve.rs` anchors a phrase: calendar arithmetic on wall-clock time in the anchor's zone
//!   (or the zone the phrase names, "1315 GMT"), checked at every step, then converted to UTC.
//! - `lexicon.rs` loads the data tables: `data/time/en/parts_of_day.tsv` (HeidelTime codes MO,
//!   AF, EV, NI, MI, DT with news and forward hours), `modifiers.tsv` (early/mid/late),
//!   `approximators.tsv` ("nearly" = LESS_THAN ...), `zones.tsv` and `holidays.tsv`.
//!
//! Hard cases and known gaps are listed in `data/time/TRICKY.md`; every rule and table row has
//! lines in `tests/corpus/time/*.txt`.
//!
//! # Examples
//!
//! ```
//! use chrono::{TimeZone, Utc};
//! use retrace::time::{find_times, Anchor, Profile};
//!
//! // Published Tuesday 2 September 2025, 10:00 in Pyongyang (01:00 UTC).
//! let anchor = Anchor {
//!     reference: Utc.with_ymd_and_hms(2025, 9, 2, 1, 0, 0).unwrap(),
//!     tz: chrono_tz::Asia::Pyongyang,
//!     profile: Profile::News,
//!     related: None,
//! };
//! let text = "Kim left Pyongyang late Monday. The journey takes nearly 20 hours.";
//! let found = find_times(text, &anchor);
//! let late_monday = found[0].resolved.window.unwrap();
//! // Monday 18:00..24:00 in Pyongyang = 09:00..15:00 UTC.
//! assert_eq!(late_monday.earliest, Utc.with_ymd_and_hms(2025, 9, 1, 9, 0, 0).unwrap());
//! assert_eq!(late_monday.latest, Utc.with_ymd_and_hms(2025, 9, 1, 15, 0, 0).unwrap());
//! let nearly = found[1].resolved.duration.unwrap();
//! assert_eq!((nearly.min_s, nearly.max_s), (Some(57_600), Some(72_000)));
//! assert_eq!(found[1].resolved.timex3.value, "PT20H");
//! ```
//!
//! | phrase (news, ref. Tue 2025-09-02 10:00 KST) | window or value | rule |
//! |---|---|---|
//! | late Monday | 2025-09-01 18:00..24:00 | `<modifier> <weekday>` |
//! | Monday evening | 2025-09-01 18:00..24:00, `2025-09-01TEV` | `part-of-day <weekday>` |
//! | [will attend] on Wednesday | 2025-09-03 | `<weekday>` (future tense) |
//! | nearly 20 hours | 16 h..20 h, `PT20H` LESS_THAN | `approx <duration>` |
//! | up to 24 hours | ..24 h, EQUAL_OR_LESS | `approx <duration>` |
//! | four times in 10 months | SET `P10M`, no window | `<n> times in <duration>` |
//! | the day before his departure | unresolved (names an event) | `the day before <event>` |
//! | later in the day | needs a related time | `later in the day` |
//! | 1315 GMT | 13:15 UTC = 22:15 KST | `<time> <zone>` |

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::text::TextRange;

/// How a bare weekday or date is resolved relative to the reference time.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Profile {
    /// News: the most recent one on or before the reference, unless the sentence is about the
    /// future (HeidelTime's news rule).
    #[default]
    News,
    /// Assistant-style: the next one (Duckling's convention).
    Forward,
}

/// The size of the unit a phrase names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Grain {
    Second,
    Minute,
    Hour,
    PartOfDay,
    Day,
    Weekend,
    Week,
    Month,
    Quarter,
    Half,
    Year,
    Decade,
    Century,
}

impl Grain {
    pub fn as_str(self) -> &'static str {
        match self {
            Grain::Second => "second",
            Grain::Minute => "minute",
            Grain::Hour => "hour",
            Grain::PartOfDay => "part_of_day",
            Grain::Day => "day",
            Grain::Weekend => "weekend",
            Grain::Week => "week",
            Grain::Month => "month",
            Grain::Quarter => "quarter",
            Grain::Half => "half",
            Grain::Year => "year",
            Grain::Decade => "decade",
            Grain::Century => "century",
        }
    }
}

/// A half-open interval `[earliest, latest)` of absolute time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Window {
    pub earliest: DateTime<Utc>,
    pub latest: DateTime<Utc>,
    pub grain: Grain,
}

impl Window {
    pub fn new(earliest: DateTime<Utc>, latest: DateTime<Utc>, grain: Grain) -> Window {
        Window {
            earliest,
            latest,
            grain,
        }
    }

    /// The overlap of two windows, or `None` when they are disjoint.
    pub fn intersect(&self, other: &Window) -> Option<Window> {
        let earliest = self.earliest.max(other.earliest);
        let latest = self.latest.min(other.latest);
        (earliest < latest).then_some(Window {
            earliest,
            latest,
            grain: self.grain.min(other.grain),
        })
    }

    pub fn contains(&self, t: DateTime<Utc>) -> bool {
        self.earliest <= t && t < self.latest
    }
}

/// A length of time with bounds, from phrases like "nearly 20 hours" or "up to 24 hours".
///
/// # Units
/// Seconds. `min_s`/`max_s` are `None` when unbounded on that side.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DurationRange {
    /// The number the text states, in seconds ("20 hours" → 72000).
    pub nominal_s: i64,
    pub min_s: Option<i64>,
    pub max_s: Option<i64>,
}

/// TIMEX3 type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum TimexType {
    Date,
    Time,
    Duration,
    Set,
}

/// TIMEX3 `mod` attribute.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum TimexMod {
    Approx,
    LessThan,
    MoreThan,
    EqualOrLess,
    EqualOrMore,
    Start,
    Mid,
    End,
}

/// A TIMEX3 annotation: `type`, `value` (e.g. `2025-09-01TEV`, `PT20H`) and `mod`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Timex3 {
    #[serde(rename = "type")]
    pub kind: TimexType,
    pub value: String,
    #[serde(rename = "mod", skip_serializing_if = "Option::is_none")]
    pub modifier: Option<TimexMod>,
}

/// The tense of the sentence a phrase sits in, as far as the time stage can tell.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Tense {
    Past,
    Future,
    #[default]
    Unknown,
}

/// What a phrase is anchored on.
#[derive(Clone, Debug)]
pub struct Anchor {
    /// The reference time: normally the article's publication time.
    pub reference: DateTime<Utc>,
    /// The zone the phrase is read in ("Monday" in Pyongyang time).
    pub tz: Tz,
    pub profile: Profile,
    /// A related time for event-relative phrases ("later in the day", "the previous day"): the
    /// event the phrase names, or the last time mentioned before it.
    pub related: Option<Window>,
}

/// A time phrase found in text, with its zone-free meaning. Produced by [`parse_time_exprs`].
#[derive(Clone, Debug)]
pub struct TimeExpr {
    pub range: TextRange,
    pub text: String,
    /// The name of the rule that matched, shown by `retrace times --explain`.
    pub rule: &'static str,
    pub tense: Tense,
    /// True for event-relative phrases that need [`Anchor::related`] ("later in the day").
    pub needs_related: bool,
    pub(crate) spec: spec::TimeSpec,
}

/// The value of one phrase under one anchor.
#[derive(Clone, Debug, PartialEq)]
pub struct Resolved {
    /// The interval a date or time phrase allows; `None` for durations and for phrases left
    /// unresolved.
    pub window: Option<Window>,
    /// The length a duration phrase states.
    pub duration: Option<DurationRange>,
    pub grain: Grain,
    pub timex3: Timex3,
    /// Why `window` is `None` for a phrase that is not a duration.
    pub unresolved: Option<String>,
}

/// A phrase together with its value: what `retrace times` prints.
#[derive(Clone, Debug)]
pub struct TimeMention {
    pub expr: TimeExpr,
    pub resolved: Resolved,
}

mod lexicon;
mod resolve;
mod spec;
mod tense;

pub use lexicon::check_embedded_data;
pub use spec::{parse_time_exprs, resolve_phrase, resolve_time_expr};

/// Finds and resolves every time phrase in `text`. Event-relative phrases without
/// `anchor.related` use the last window found before them in the same text.
pub fn find_times(text: &str, anchor: &Anchor) -> Vec<TimeMention> {
    let mut last: Option<Window> = anchor.related;
    let mut out = Vec::new();
    for expr in parse_time_exprs(text) {
        let local = Anchor {
            related: last,
            ..anchor.clone()
        };
        let resolved = resolve_time_expr(&expr, &local);
        if let Some(w) = resolved.window {
            last = Some(w);
        }
        out.push(TimeMention { expr, resolved });
    }
    out
}

/// An IANA zone for a fixed UTC offset: `Etc/GMT∓N` for whole hours (note the inverted sign of
/// the Etc names), else a zone that currently has that offset, else UTC.
pub fn zone_for_offset(offset: chrono::FixedOffset) -> Tz {
    let secs = offset.local_minus_utc();
    if secs % 3600 == 0 && (-12..=14).contains(&(secs / 3600)) {
        let h = secs / 3600;
        let name = match h.cmp(&0) {
            std::cmp::Ordering::Equal => "Etc/UTC".to_string(),
            std::cmp::Ordering::Greater => format!("Etc/GMT-{h}"),
            std::cmp::Ordering::Less => format!("Etc/GMT+{}", -h),
        };
        return name.parse().unwrap_or(Tz::UTC);
    }
    #[rustfmt::skip]
    const ODD_OFFSETS: &[(i32, Tz)] = &[
        (-34200, Tz::Pacific__Marquesas), (-12600, Tz::America__St_Johns),
        (12600, Tz::Asia__Tehran), (16200, Tz::Asia__Kabul), (19800, Tz::Asia__Kolkata),
        (20700, Tz::Asia__Kathmandu), (23400, Tz::Asia__Yangon), (34200, Tz::Australia__Darwin),
        (37800, Tz::Australia__Lord_Howe), (45900, Tz::Pacific__Chatham),
    ];
    ODD_OFFSETS
        .iter()
        .find(|(s, _)| *s == secs)
        .map(|(_, tz)| *tz)
        .unwrap_or(Tz::UTC)
}
