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
//! - Speed (news text is mostly words that name no time): long texts are parsed in chunks
//!   that end at blank lines. The tokenizer fills one table per chunk, a row per token with its
//!   lower-case text, number value and word facts, in the same pass (one hash probe, after a
//!   test on the word's length, first and last letter, gives its word-list facts, the phrase
//!   tables it starts a row of and whether it may stand inside a phrase; the hash mixes eight
//!   bytes per multiply). Rules run only at numbers, strong time words, and weak words ("the",
//!   "in", "up") followed within five tokens by a strong word with only table or function words
//!   between. Inside a point, the component rules run by the first token's kind (`comp_starts`:
//!   a word skips the rules that need a number, a number those that need a word), `p_season`
//!   returns at once unless a season word is within three tokens, and the last four points are
//!   memoised. Tense: the sentence around a phrase is found from the bytes near it (no split of
//!   the whole text), its words are scanned once with a byte-class table, and only likely
//!   markers are looked up (one probe). `retrace times --jsonl` writes its answers from
//!   borrowed structs into one reused buffer; ISO 8601 times and timex dates are written
//!   without chrono's format-string machinery.
//!
//!   Measured with `valgrind --tool=callgrind` on `retrace times --jsonl` over the news bench
//!   text (scripts/bench.sh, 4.73 MB, 2156 articles, 16153 phrases; 2026-11): 810 M
//!   instructions before this round, 651 M after (171 and 138 per byte; the dense bench text,
//!   10 MB with a phrase every 89 bytes, 304 → 250 per byte; the seed articles repeated to
//!   5 MB, 192 → 154). Steps, in millions of instructions on the news text: token table filled
//!   in the tokenizer's pass instead of five `Vec`s filled after it, −63; ISO 8601 output
//!   reading the local time once, −11; sentence found around the phrase, −17; tense word scan
//!   with a byte table, no copy of lower-case words, one probe per marker candidate, −30 in
//!   all; eight-byte word hash, −8; `p_season` gate, −12; glue and number-cluster tests only at
//!   tokens that may start a phrase, −10; holiday dates read without `parse_from_str` (table
//!   loading), −4; one `write_all` per answer, −2. Wall time on the 2-core machine (load
//!   average about 3), best of ten runs: end to end 0.113 → 0.091 s (42 → 52 MB/s),
//!   `find_times` in process (examples/times_throughput.rs, timed like chrono_bench.js) 0.091
//!   → 0.075 s (52 → 63 MB/s). Then per-word start bits: each listed word knows which rules
//!   it can start (`p_clock`, `p_relunit`, `p_offset`, `p_amount`/`p_number`, `p_part`,
//!   `p_weekday`, `p_modifier`, `p_holiday`, `p_relday`), worked out when the word tables are
//!   built, and a test runs every listed word before 34 following phrases to check that each
//!   skipped rule finds nothing; `p_range` asks for its first point once: 690 → 645 M on the
//!   same text after this session's new rules (which find 11 % more phrases), `parse_at`
//!   188 → 140 M. What is left: attempts at weak words that start no phrase ("the", "in",
//!   "on", "more than": 63 M, about 2,000 instructions each; skipping them needs the start
//!   conditions of every top-level rule in the same precomputed form), numbers in digits that
//!   run most rules (36 M, much of it `p_clock` and failed decimals such as "2.7 percent"),
//!   `p_point`'s memo and connector checks (38 M), the token table and main loop, JSON output
//!   (mostly serde_json escaping the 20-odd keys and strings of each phrase), tense,
//!   `resolve.rs`, JSON input and loading the tables (once per run).
//!   Tried and dropped (gain under 0.3 %): the same early return as `p_season` in
//!   `p_weekday` and `p_holiday`; timex month and year values without `format!`. Dropped in
//!   earlier rounds: parsing only windows around time words (found with Aho-Corasick): in news
//!   text those windows still cover 80–90 % of the bytes, and the scan plus the read tracking
//!   that kept it exact cost more than they saved; an early return in `p_number` for words
//!   without facts, and trimming apostrophes by bytes in `tense.rs` alone (no gain).
//!
//!   Next round (callgrind, examples/times_throughput on the 2 MB news bench text, 2026-11):
//!   254.8 M → 220.0 M instructions. Tense words read from the parser's tokens of the chunk
//!   (sentences never cross a chunk: a chunk ends after a blank line) instead of re-scanning
//!   each sentence's bytes, −8; the classification on lower-case bytes with the part after
//!   the last apostrophe known from the tokens, −4; phrase and mention `Vec`s sized once, −5;
//!   letter runs read eight bytes at a time, −7; words of up to 8 bytes looked up as a `u64`
//!   in an open-addressing table, −4. Loading the tables once per process: 17.6 M → 8.8 M
//!   (TSV rows split in one reused buffer, holiday dates grouped by sorting, IANA city zones
//!   deduplicated with a set). Tried and dropped: the `u64` key read with one load from the
//!   text instead of byte by byte (no gain).
//!
//!   Round after (same measure): 224.1 M → 212.0 M on the 2 MB news text (about 10.3 M of
//!   either is process start, reading the JSON and loading the tables: a one-record run
//!   costs that much), 494.5 M → 465.9 M on the 3 MB dense text; wall time of the timed loop
//!   on the news text repeated to 10 MB, best of 12 runs beside main's binary, 0.132 →
//!   0.122 s. `p_point` asks for the component at its first token before building its
//!   connector list and rule-name buffer (most calls find none there), −2.7; the last two
//!   `p_amount` answers kept by token (the rules tried at one token ask for the amount there
//!   three times on average), −6.0; `parse_at` reads the point at its token once and hands it
//!   to `p_interval`, `p_point_then` and `p_range` instead of each asking the memo, −3.5. Where
//!   the rest goes, from `callgrind --separate-callers`: the token table (tokenizer, one
//!   probe per word, a 64-byte row per token: about 100 instructions per token, 355 k
//!   tokens), 74 M with the main loop and the tense words; `parse_at` 62 M at 26.5 k starts,
//!   of which 18 k find nothing (weak words 31 M at 14.9 k starts, 11 k of them failing:
//!   mostly a weak word right before a phrase that starts one token later, "in 2004", "in
//!   March", "over the weekend", "in recent months"; strong words 18 M; numbers 15 M); tense
//!   about 22 M; `resolve.rs` 15 M. Tried and dropped (gain under 0.1 M or a loss): the
//!   one-load word key again; a memo for `p_number`; `PointMemo` keys apart from its results;
//!   matching `parse_at`'s answer in place instead of `Option::filter`; borrowing the point
//!   in `p_range` through a `Cow`.
//!   Halving the whole needs fewer rows or fewer failed starts; neither is a local change:
//!   skipping a weak word's start needs each top-level rule's first-token condition in
//!   precomputed form (and a test like `start_bits_only_skip_rules_that_find_nothing` for
//!   them), and windows around time words were measured to cover most of a news text.
//! - `lexicon.rs` loads the data tables: `data/time/en/parts_of_day.tsv` (HeidelTime codes MO,
//!   AF, EV, NI, MI, DT with news and forward hours), `modifiers.tsv` (early/mid/late),
//!   `approximators.tsv` ("nearly" = LESS_THAN ...), `zones.tsv`, `holidays.tsv` and
//!   `holiday_dates.tsv` (dates of lunar and lunisolar feasts, generated by
//!   `data/time/scripts/gen_holiday_dates.py` from the `holidays` PyPI package).
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

    /// True when the window can be the time a story is at, for the event-relative phrases after
    /// it ("later in the day", "two hours later"): a day or finer. "Over the weekend" or "in
    /// 2019" sets the background, and anchoring "later in the day" on the weekend's Saturday
    /// would invent a day.
    pub fn anchors_related(&self) -> bool {
        self.grain <= Grain::Day
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
    /// Shortly before the value: "just before midnight".
    Before,
    /// Shortly after the value: "shortly after 9 p.m.".
    After,
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
    /// The reporting verb the phrase follows ("reported early Tuesday", "said on Monday"): the
    /// phrase then tells when something was reported, not when the event reported happened.
    pub reported_by: Option<TextRange>,
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
    /// A choice the resolver made that the reader should know about: which reading of an
    /// ambiguous zone abbreviation ("CST") it took.
    pub note: Option<String>,
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
    let mut previous: Option<(TextRange, Window)> = None;
    let exprs = parse_time_exprs(text);
    let mut out = Vec::with_capacity(exprs.len());
    for expr in exprs {
        let local = Anchor {
            related: last,
            ..anchor.clone()
        };
        let resolved = resolve_after(text, &expr, &local, previous);
        if let Some(w) = resolved.window.filter(Window::anchors_related) {
            last = Some(w);
        }
        previous = resolved.window.map(|w| (expr.range, w));
        out.push(TimeMention { expr, resolved });
    }
    out
}

/// [`resolve_time_expr`], except for a clock time with a zone in parentheses right after
/// another time phrase ("at 9 a.m. on Wednesday (0100 GMT)", "0900 local time (0000 GMT)"):
/// it restates that time in another zone, so it is read on the day nearest to the phrase
/// before it (`previous`: its range and window), whatever the sentence's tense; on its own it
/// would be read against the reference and could land on another day.
pub fn resolve_after(
    text: &str,
    expr: &TimeExpr,
    anchor: &Anchor,
    previous: Option<(TextRange, Window)>,
) -> Resolved {
    let restated = |(range, _): &(TextRange, Window)| {
        let clock_with_zone = matches!(
            &expr.spec,
            spec::TimeSpec::Point(spec::Point {
                date: None,
                time: Some(_),
                zone: Some(_),
                ..
            })
        );
        clock_with_zone
            && range.end <= expr.range.start
            && text
                .get(range.end..expr.range.start)
                .is_some_and(|gap| gap.trim() == "(")
    };
    match previous.filter(restated) {
        Some((_, window)) => {
            let expr = TimeExpr {
                tense: Tense::Unknown,
                ..expr.clone()
            };
            let local = Anchor {
                reference: window.earliest,
                ..anchor.clone()
            };
            let mut resolved = resolve_time_expr(&expr, &local);
            // `--explain` shows the anchor it was given: say that this one was not it.
            resolved.note.get_or_insert_with(|| {
                "restates the time phrase before it in another zone: read on the day nearest to it"
                    .to_string()
            });
            resolved
        }
        None => resolve_time_expr(expr, anchor),
    }
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
