//! The zone-free meaning of a time phrase ([`TimeSpec`]) and the grammar that finds phrases.
//!
//! The text is split into tokens (words, digit runs, single punctuation marks). At each token
//! that can start a time phrase, every rule is tried and the longest match wins; matched tokens
//! are skipped. A date-like phrase is built from *components* (weekday, month-day, time of day,
//! part of day, modifier, zone) joined by connectors ("on", "at", ",", "of", "in the"), as
//! Duckling intersects its tokens: "late Monday night", "7:30 p.m. on Friday, Sept. 3".

use std::collections::HashMap;
use std::sync::LazyLock;

use chrono::Weekday;

use super::lexicon::{
    self, Unit, APPROXIMATORS, BUSINESS_DAYS, HOLIDAYS, LOOKBACK_CUES, MODIFIERS, PARTS_OF_DAY,
    SEASONS, VAGUE_COUNTS, ZONES,
};
use super::tense;
use super::{Anchor, Grain, Resolved, TimeExpr};
use crate::text::TextRange;

pub use super::resolve::resolve_time_expr;

// ---------------------------------------------------------------------------------------------
// Meaning

/// How a weekday is shifted: "Monday", "this Monday", "next Monday", "last Monday",
/// "Monday after next", "Wednesday of next week".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum WeekdayShift {
    Bare,
    This,
    Next,
    Last,
    AfterNext,
    /// The n-th occurrence strictly after today (n > 0) or before it (n < 0): "3 Fridays from
    /// now", "2 Thursdays ago".
    Nth(i64),
    /// The weekday in the week `n` weeks from the reference week.
    Week(i64),
}

/// What "the first ... of March" counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum NthKind {
    Day,
    Weekday(Weekday),
    /// Monday-to-Sunday weeks that lie wholly in the month (Duckling).
    Week,
    /// Weekends whose Saturday lies in the month.
    Weekend,
}

/// A day or a longer calendar period, not yet anchored.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum DateSpec {
    Weekday {
        weekday: Weekday,
        shift: WeekdayShift,
    },
    /// Days from the reference day: yesterday = -1.
    DayOffset(i64),
    /// A calendar date with some fields missing: "Sept. 3", "January 2019", "the 24th", "2019".
    Ymd {
        year: Option<i32>,
        month: Option<u32>,
        day: Option<u32>,
    },
    /// The decade starting in this year: "the 1990s" = 1990.
    Decade(i32),
    /// The century starting in this year: "the 19th century" = 1800.
    Century(i32),
    /// The week (Monday to Sunday) that holds a date: "the week of March 9".
    WeekOf(Box<DateSpec>),
    Quarter {
        quarter: u32,
        year: Option<i32>,
    },
    /// The period `n` units from the reference one: "next week" = (Week, 1); Quarter works too.
    RelUnit {
        unit: Unit,
        n: i64,
    },
    /// The weekend `n` weeks from the current one ("last weekend" = -1), or with `None` the
    /// nearest one in the sentence's direction ("over the weekend", like a bare weekday).
    Weekend(Option<i64>),
    /// The instant `n` units from the reference: "3 days ago" = (Day, -3). `exact` for "in 3
    /// days" (a moment from now); "3 days ago" names the whole day in news.
    Offset {
        unit: Unit,
        n: i64,
        exact: bool,
    },
    /// A vague offset ("a few days ago", "in several weeks", "years ago"): `n` is the nominal
    /// count (the forward profile's point), `near` and `far` the signed counts of the range's
    /// ends (`near` closer to the reference).
    OffsetRange {
        unit: Unit,
        n: i64,
        near: i64,
        far: i64,
        exact: bool,
    },
    /// The day `n` units from the reference day: "three years from today".
    OffsetDay {
        unit: Unit,
        n: i64,
    },
    /// A season (index into [`SEASONS`]): of a year ("summer 2019"), shifted from the current
    /// one ("this summer" = 0, "next winter" = 1, "last spring" = -1), or the nearest one in the
    /// sentence's direction ("in the spring").
    Season {
        index: usize,
        year: Option<i32>,
        shift: Option<i64>,
    },
    /// The first or second half of a year: of a given year, or `years` from the reference year
    /// ("the second half of 2025", "the first half of next year").
    Half {
        half: u32,
        year: Option<i32>,
        years: i64,
    },
    /// The `n`-th working day (Monday to Friday) after (n > 0) or before (n < 0) the reference
    /// day: "next weekday", "last business day".
    BusinessDay(i64),
    /// A calendar date whose year is chosen so that it falls on the weekday ("Fri, Jul 18").
    MonthDayWeekday {
        month: u32,
        day: u32,
        weekday: Weekday,
    },
    /// A holiday (index into [`HOLIDAYS`]): in a given year, `years` from the reference year, or
    /// by `shift` ("next Thanksgiving" = Next).
    Holiday {
        index: usize,
        year: Option<i32>,
        years: Option<i64>,
        shift: WeekdayShift,
    },
    /// A day of the month `months` from the reference month ("the 20th of next month").
    DayOfRelMonth {
        day: u32,
        months: i64,
    },
    /// The `n`-th (1-based; -1 = last) weekday of a month, or the `n`-th day when `weekday` is
    /// `None`: "the first Monday of March", "last Sunday of March 2014", "last day of October".
    NthOfMonth {
        n: i64,
        kind: NthKind,
        month: Box<DateSpec>,
    },
    /// "the past three days" (n < 0) or "the next three days" (n > 0): whole units.
    Span {
        unit: Unit,
        n: i64,
    },
    /// "earlier this week" (`later` false: from the start of the unit to the reference) or
    /// "later this month" (from the reference to the end of the unit).
    RestOfUnit {
        unit: Unit,
        later: bool,
    },
    Now,
}

/// A clock time. `pm` is `None` when the text gives no am/pm ("at 7").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct ClockTime {
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
    pub pm: Option<bool>,
    pub grain: Grain,
}

/// A date-like phrase: any of date, clock time, part of day, modifier and zone.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Point {
    pub date: Option<DateSpec>,
    pub time: Option<ClockTime>,
    /// Index into [`PARTS_OF_DAY`].
    pub part: Option<usize>,
    /// Index into [`MODIFIERS`].
    pub modifier: Option<usize>,
    /// An explicit zone ("1315 GMT", "+05:30").
    pub zone: Option<ZoneSpec>,
}

/// An explicit zone: a fixed offset from UTC, and the [`ZONES`] row that named it, if any (an
/// ambiguous abbreviation such as "CST" is read against the anchor's zone when resolved).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct ZoneSpec {
    pub offset_s: i32,
    pub named: Option<usize>,
}

/// Event-relative phrases, anchored on [`Anchor::related`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Related {
    /// "later in the day": from the related start to the end of its day.
    LaterInDay,
    /// "earlier in the day": from the start of the related day to the related start.
    EarlierInDay,
    /// "the following day" = 1, "the previous day" = -1, "that day" = 0.
    Days(i64),
    /// "the next morning": part of day (index into [`PARTS_OF_DAY`]) `days` after the related day.
    PartOfDay { days: i64, part: usize },
    /// "two hours later" = (Hour, 2), "three days earlier" = (Day, -3).
    Offset { unit: Unit, n: i64 },
    /// "a few days later", "hours later": a vague count; `n` the nominal count (forward),
    /// `near` and `far` the signed counts of the range's ends.
    OffsetRange {
        unit: Unit,
        n: i64,
        near: i64,
        far: i64,
    },
    /// "later in the week" (`later`): from the related time to the end of its week;
    /// "earlier in the month": from the start of its month to the related time.
    RestOfUnit { unit: Unit, later: bool },
}

/// An amount of time: `amount` units, qualified by an approximator (index into
/// [`APPROXIMATORS`]).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Amount {
    pub amount: f64,
    pub unit: Unit,
    pub approximator: Option<usize>,
    /// A count that names no number ("a few", "several", a bare plural): its row in
    /// [`VAGUE_COUNTS`]; `amount` is then the row's nominal count.
    pub vague: Option<usize>,
}

impl Amount {
    /// The least and most whole units a vague count allows ("a few" = 2..4); `None` for a
    /// stated number, or when an approximator qualifies the count.
    pub(crate) fn count_range(&self) -> Option<(i64, i64)> {
        let v = VAGUE_COUNTS.get(self.vague?)?;
        if self.approximator.is_some() {
            return None;
        }
        Some((whole(v.min)?, whole(v.max)?))
    }
}

/// The zone-free meaning of one time phrase.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum TimeSpec {
    Point(Point),
    /// "from Monday to Wednesday", "3:30-4:30pm": start of the first to end of the second.
    Interval(Point, Point),
    /// "since 1959": from the start of the point to the reference time.
    Since(Point),
    /// "by 2pm", "by the end of the month": from the reference to the end of the point (a
    /// deadline), or the point itself in a past sentence.
    By(Point),
    /// "within 48 hours": from the reference for that long (and the length as a duration).
    Within(Amount),
    /// "three days after Easter", "2 weeks before Friday": a point moved by `n` units.
    Shifted(Point, Unit, i64),
    /// Explicit arithmetic on a point, one step per unit in order: "+2 months, 5 days" (from
    /// now), "next tuesday +10 days", "2023-12-29 -10days", "in 1d 2hr 5min".
    ShiftedBy(Point, Vec<(Unit, i64)>),
    /// A day bounded by a clock time: "tomorrow after 4pm" = from 16:00 to the end of the day
    /// (`after`), "tomorrow before 4pm" = from the start of the day to 16:00. `point` holds both
    /// the day and the clock time.
    ClockBound {
        point: Point,
        after: bool,
    },
    /// "shortly after 9 p.m." (`after`), "just before midnight": the hour after (or before) a
    /// clock time; `point` holds the day and the clock time.
    NearClock {
        point: Point,
        after: bool,
    },
    /// "4pm for 30 minutes", "from 18th Dec for 10 days": from the point for a length of time.
    PointFor(Point, Amount),
    Duration(Amount),
    /// "four times in 10 months", "twice a week", "every Monday": a frequency, never a date.
    Set {
        count: Option<u32>,
        per: Amount,
    },
    Related(Related),
    /// Relative to an event the text names ("the day before his departure"): kept unresolved.
    Event {
        event: String,
    },
}

// ---------------------------------------------------------------------------------------------
// Tokens

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TokKind {
    Word,
    Num,
    Punct,
}

/// A token: a run of letters, a run of ASCII digits, or one other non-space character.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Tok {
    pub start: usize,
    pub end: usize,
    pub kind: TokKind,
    pub space_before: bool,
}

pub(crate) fn tokenize(text: &str) -> Vec<Tok> {
    let mut toks = Vec::with_capacity(text.len() / 4 + 1);
    tokenize_each(text, |t| toks.push(t));
    toks
}

/// What an ASCII byte starts: 0 space, 1 word, 2 number, 3 punctuation.
const ASCII_CLASS: [u8; 128] = {
    let mut t = [3u8; 128];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        t[b] = if c.is_ascii_whitespace() || c == 0x0b {
            0
        } else if c.is_ascii_digit() {
            2
        } else if c.is_ascii_alphabetic() {
            1
        } else {
            3
        };
        b += 1;
    }
    t
};

/// Calls `emit` with each token of `text`, in order. Bytes, not chars: ASCII bytes are
/// classified with a table and only a non-ASCII byte needs a char decoded (news text is mostly
/// ASCII). A callback, not a `Vec`, so `Parser::new` builds its token table in the same pass.
fn tokenize_each(text: &str, mut emit: impl FnMut(Tok)) {
    let bytes = text.as_bytes();
    // The class of the non-ASCII char at `i` (`None` for space) and its width.
    let wide_class = |i: usize| -> (Option<TokKind>, usize) {
        match text.get(i..).and_then(|r| r.chars().next()) {
            Some(c) if c.is_whitespace() => (None, c.len_utf8()),
            Some(c) if c.is_alphabetic() => (Some(TokKind::Word), c.len_utf8()),
            Some(c) => (Some(TokKind::Punct), c.len_utf8()),
            None => (None, 1),
        }
    };
    let mut space = true;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let (kind, width) = if b < 0x80 {
            match ASCII_CLASS.get(usize::from(b)) {
                Some(1) => (TokKind::Word, 1),
                Some(2) => (TokKind::Num, 1),
                Some(3) => (TokKind::Punct, 1),
                _ => {
                    space = true;
                    i += 1;
                    continue;
                }
            }
        } else {
            match wide_class(i) {
                (Some(kind), width) => (kind, width),
                (None, width) => {
                    space = true;
                    i += width;
                    continue;
                }
            }
        };
        let start = i;
        let mut end = i + width;
        match kind {
            TokKind::Num => {
                while bytes.get(end).is_some_and(|b| b.is_ascii_digit()) {
                    end += 1;
                }
            }
            TokKind::Word => loop {
                // ASCII letters eight at a time; a non-ASCII char is decoded.
                end = ascii_letters_end(bytes, end);
                match bytes.get(end) {
                    Some(&b) if b >= 0x80 => {
                        let (next, w) = wide_class(end);
                        if next != Some(TokKind::Word) {
                            break;
                        }
                        end += w;
                    }
                    _ => break,
                }
            },
            TokKind::Punct => {}
        }
        emit(Tok {
            start,
            end,
            kind,
            space_before: space,
        });
        space = false;
        i = end;
    }
}

/// The end of the run of ASCII letters at `i` in `bytes`: words are read eight bytes at a time
/// (one 64-bit load and a few bit operations say which bytes are letters), most of a text's
/// bytes being letters.
fn ascii_letters_end(bytes: &[u8], mut i: usize) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    while let Some(eight) = bytes.get(i..i + 8) {
        let mut word = [0u8; 8];
        word.copy_from_slice(eight);
        let x = u64::from_le_bytes(word);
        // Per byte: fold case (`| 0x20`) and drop the top bit, so adding never carries into
        // the next byte; then the top bit of `y + 0x1f` says "at least 'a'" and that of
        // `y + 0x05` "past 'z'". A byte is a letter when it is ASCII and in 'a'..='z' folded.
        let y = (x | (0x20 * ONES)) & (0x7f * ONES);
        let at_least_a = y + 0x1f * ONES;
        let past_z = y + 0x05 * ONES;
        let not_letter = (x | !at_least_a | past_z) & (0x80 * ONES);
        if not_letter != 0 {
            // Little-endian: the lowest set bit is the first byte that is no letter.
            return i + (not_letter.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while bytes.get(i).is_some_and(|b| b.is_ascii_alphabetic()) {
        i += 1;
    }
    i
}

/// The tokenizer as first written (char classes one byte at a time): the reference the fast
/// one is tested against.
#[cfg(test)]
fn tokenize_reference(text: &str) -> Vec<Tok> {
    // Bytes, not chars: ASCII bytes are classified directly and only a non-ASCII byte needs a
    // char decoded (news text is mostly ASCII).
    let bytes = text.as_bytes();
    let mut toks: Vec<Tok> = Vec::with_capacity(bytes.len() / 4 + 1);
    let class_at = |i: usize| -> Option<(Option<TokKind>, usize)> {
        let b = *bytes.get(i)?;
        if b < 0x80 {
            let kind = if b.is_ascii_whitespace() || b == 0x0b {
                None
            } else if b.is_ascii_digit() {
                Some(TokKind::Num)
            } else if b.is_ascii_alphabetic() {
                Some(TokKind::Word)
            } else {
                Some(TokKind::Punct)
            };
            return Some((kind, 1));
        }
        let c = text.get(i..)?.chars().next()?;
        let kind = if c.is_whitespace() {
            None
        } else if c.is_alphabetic() {
            Some(TokKind::Word)
        } else {
            Some(TokKind::Punct)
        };
        Some((kind, c.len_utf8()))
    };
    let mut space = true;
    let mut i = 0;
    while let Some((kind, width)) = class_at(i) {
        let Some(kind) = kind else {
            space = true;
            i += width;
            continue;
        };
        let start = i;
        let mut end = i + width;
        if kind != TokKind::Punct {
            while let Some((next, w)) = class_at(end) {
                if next != Some(kind) {
                    break;
                }
                end += w;
            }
        }
        toks.push(Tok {
            start,
            end,
            kind,
            space_before: space,
        });
        space = false;
        i = end;
    }
    toks
}

/// What the word tables say about one lower-case word, found with one hash probe per token:
/// its word-list facts (for `Parser::info`) and which phrase tables have a row starting with it
/// (a bit per table, for `Parser::rows_at`).
#[derive(Clone, Copy, Default)]
struct WordFacts {
    info: Option<&'static WordInfo>,
    tables: u8,
    /// For a word with word-list facts, the component rules that can start with it (`CAN_*`
    /// bits, see [`word_comp_starts`]).
    starts: u16,
}

/// The bits of the first-word tables in [`WordFacts::tables`], as [`table_bit`] gives them (a
/// test checks).
const PART_BIT: u8 = 1;
const MODIFIER_BIT: u8 = 2;
const APPROXIMATOR_BIT: u8 = 4;
const HOLIDAY_BIT: u8 = 8;
const ZONE_BIT: u8 = 16;

/// The bit in [`WordFacts::tables`] of the words of [`INNER_WORDS`] (not a first-word table).
const INNER_BIT: u8 = 0x80;

/// The bit in [`WordFacts::tables`] of the first words of [`SEASONS`] rows (a season phrase
/// starts with a word, a test checks), so `p_season` can tell at once that none starts near.
const SEASON_BIT: u8 = 0x40;

/// The bit of a first-word table in [`WordFacts::tables`]; `None` for a table this list does not
/// know (then `rows_at` always looks the word up, so a new table needs no entry here).
fn table_bit(index: &FirstWordIndex) -> Option<u8> {
    [
        &*PART_INDEX,
        &*MODIFIER_INDEX,
        &*APPROXIMATOR_INDEX,
        &*HOLIDAY_INDEX,
        &*ZONE_INDEX,
    ]
    .iter()
    .position(|t| std::ptr::eq(*t, index))
    .map(|k| 1u8 << k)
}

static WORD_FACTS: LazyLock<FnvMap<&'static str, WordFacts>> = LazyLock::new(|| {
    let mut m: FnvMap<&'static str, WordFacts> = FnvMap::default();
    for (w, info) in WORDS.iter() {
        m.entry(w.as_str()).or_default().info = Some(info);
    }
    for index in [
        &*PART_INDEX,
        &*MODIFIER_INDEX,
        &*APPROXIMATOR_INDEX,
        &*HOLIDAY_INDEX,
        &*ZONE_INDEX,
    ] {
        let bit = table_bit(index).unwrap_or(0);
        for w in index.keys() {
            m.entry(w.as_str()).or_default().tables |= bit;
        }
    }
    for w in INNER_WORDS.keys() {
        m.entry(w.as_str()).or_default().tables |= INNER_BIT;
    }
    for first in SEASONS.iter().filter_map(|x| x.words.first()) {
        m.entry(first.as_str()).or_default().tables |= SEASON_BIT;
    }
    for (w, facts) in m.iter_mut() {
        if let Some(info) = facts.info {
            facts.starts = word_comp_starts(w, info, facts.tables);
        }
    }
    m
});

/// The groups of component rules (`CAN_*` bits) that can start with the word `w`, which has
/// word-list facts `info` and table bits `tables`: each condition restates the first test of
/// its rules, so a rule skipped for a word would have returned `None` there.
fn word_comp_starts(w: &str, info: &WordInfo, tables: u8) -> u16 {
    let the = w == "the";
    let ordinal = info.ordinal.is_some();
    let month = info.month.is_some();
    let mut can = CAN_WORD;
    // `p_month_day`: a month name, or a day ("the 3rd", "third", "twenty-first").
    if month || the || ordinal || matches!(w, "twenty" | "thirty") {
        can |= CAN_DAY_MONTH;
    }
    if the {
        can |= CAN_THE_OR_NUMBER;
    }
    if month {
        can |= CAN_MONTH_OR_NUMBER;
    }
    // `p_quarter` ("Q3", "the third quarter"), `p_half`, `p_nth_of_month`.
    if the || ordinal || w == "q" {
        can |= CAN_ORDINAL;
    }
    // The words `p_number` can start with: number words and its own few.
    let number = info.number.is_some()
        || matches!(w, "a" | "an" | "one" | "three" | "half" | "few" | "couple");
    // `p_clock`: its own words, then `p_clock_relative` ("a quarter past", "half past", a
    // number) and `p_hour` (a number).
    if number
        || matches!(
            w,
            "noon" | "midnight" | "at" | "around" | "about" | "quarter"
        )
    {
        can |= CAN_CLOCK;
    }
    // `p_relunit`: its own words, a number ("two upcoming weeks"), a unit after a modifier.
    if number
        || info.unit.is_some()
        || matches!(
            w,
            "this"
                | "earlier"
                | "later"
                | "all"
                | "the"
                | "rest"
                | "upcoming"
                | "current"
                | "next"
                | "coming"
                | "following"
                | "last"
                | "past"
                | "previous"
                | "preceding"
                | "recent"
        )
    {
        can |= CAN_RELUNIT;
    }
    // `p_offset`: "in", a number ("3 Fridays ago"), an amount (an approximator or a number).
    // A plural unit: "weeks ago".
    let plural_unit = info.unit.is_some() && w.len() >= 4 && w.ends_with('s');
    if number || w == "in" || tables & APPROXIMATOR_BIT != 0 || plural_unit {
        can |= CAN_OFFSET;
    }
    if number {
        can |= CAN_NUMBER_WORD;
    }
    if number || tables & APPROXIMATOR_BIT != 0 {
        can |= CAN_AMOUNT;
    }
    // `p_part`: its day words ("tonight", "this"), "in the", "the", or a part-of-day row.
    if tables & PART_BIT != 0
        || matches!(
            w,
            "tonight"
                | "tonite"
                | "this"
                | "today"
                | "yesterday"
                | "tomorrow"
                | "last"
                | "in"
                | "the"
        )
    {
        can |= CAN_PART;
    }
    // `p_weekday` and `p_holiday`: a shift word, then the weekday or holiday.
    let shift = matches!(
        w,
        "this" | "coming" | "upcoming" | "next" | "last" | "past" | "previous"
    );
    if shift || the || info.weekday.is_some() {
        can |= CAN_WEEKDAY;
    }
    if shift || tables & HOLIDAY_BIT != 0 {
        can |= CAN_HOLIDAY;
    }
    // `p_relday`: "the", "day before|after ...", "next|last <business day>", its own words.
    if the
        || matches!(
            w,
            "day"
                | "next"
                | "following"
                | "last"
                | "previous"
                | "preceding"
                | "today"
                | "yesterday"
                | "tomorrow"
                | "tmrw"
                | "now"
                | "right"
                | "asap"
                | "at"
                | "as"
        )
    {
        can |= CAN_RELDAY;
    }
    // `p_modifier`: a modifier row, maybe after "the" or "at".
    if the || w == "at" || tables & MODIFIER_BIT != 0 {
        can |= CAN_MODIFIER;
    }
    can
}

/// Longest word length the shape filter tells apart; longer words share the last slot.
const SHAPE_MAX_LEN: usize = 31;

/// A necessary test for a key of [`WORD_FACTS`]: bit `last letter` of `[length][first letter]`
/// is set when some key has that length, first and last byte. Most words of a text fail it and
/// need no hash probe.
static WORD_SHAPES: LazyLock<Vec<[u32; 32]>> = LazyLock::new(|| {
    let mut shapes = vec![[0u32; 32]; SHAPE_MAX_LEN + 1];
    for w in WORD_FACTS.keys() {
        if let Some(slot) = word_shape(w.as_bytes())
            .and_then(|(l, f, _)| shapes.get_mut(l).and_then(|row| row.get_mut(f)))
        {
            *slot |= word_shape(w.as_bytes()).map_or(0, |(_, _, bit)| bit);
        }
    }
    shapes
});

/// Length slot, first-byte slot and last-byte bit of a word.
fn word_shape(w: &[u8]) -> Option<(usize, usize, u32)> {
    let first = *w.first()?;
    let last = *w.last()?;
    Some((
        w.len().min(SHAPE_MAX_LEN),
        usize::from(first % 32),
        1u32 << (last % 32),
    ))
}

/// The bytes of a word of 1 to 8 bytes in a `u64` (little-endian, zero-padded; no token has
/// a zero byte, so no two words share a key and 0 is no word); `None` for other lengths.
fn short_key(w: &[u8]) -> Option<u64> {
    if w.is_empty() || w.len() > 8 {
        return None;
    }
    Some(
        w.iter()
            .rev()
            .fold(0u64, |key, b| (key << 8) | u64::from(*b)),
    )
}

/// [`WORD_FACTS`] for its keys of 1 to 8 bytes (most words of a text): open addressing on
/// [`short_key`] with linear probing, at most a quarter full, so a word costs a multiply and
/// one or two `u64` compares instead of a string hash, probe and `memcmp`.
struct ShortWords {
    /// 0 marks an empty slot.
    keys: Vec<u64>,
    facts: Vec<WordFacts>,
    /// Right shift that keeps the top bits of the hash as a slot index.
    shift: u32,
}

impl ShortWords {
    fn slot(&self, key: u64) -> usize {
        (key.wrapping_mul(WORD_HASH_K) >> self.shift) as usize
    }

    fn get(&self, key: u64) -> WordFacts {
        let mask = self.keys.len() - 1;
        let mut i = self.slot(key);
        loop {
            match self.keys.get(i) {
                Some(&k) if k == key => return self.facts.get(i).copied().unwrap_or_default(),
                Some(&0) | None => return WordFacts::default(),
                Some(_) => i = (i + 1) & mask,
            }
        }
    }
}

static SHORT_WORDS: LazyLock<ShortWords> = LazyLock::new(|| {
    let short: Vec<(u64, WordFacts)> = WORD_FACTS
        .iter()
        .filter_map(|(w, f)| Some((short_key(w.as_bytes())?, *f)))
        .collect();
    let bits = (short.len() * 4)
        .next_power_of_two()
        .max(16)
        .trailing_zeros();
    let mut table = ShortWords {
        keys: vec![0; 1 << bits],
        facts: vec![WordFacts::default(); 1 << bits],
        shift: 64 - bits,
    };
    let mask = table.keys.len() - 1;
    for (key, facts) in short {
        let mut i = table.slot(key);
        while table.keys.get(i).is_some_and(|k| *k != 0) {
            i = (i + 1) & mask;
        }
        if let (Some(k), Some(f)) = (table.keys.get_mut(i), table.facts.get_mut(i)) {
            *k = key;
            *f = facts;
        }
    }
    table
});

/// The facts of a lower-case word token.
fn word_facts(w: &str) -> WordFacts {
    if let Some(key) = short_key(w.as_bytes()) {
        return SHORT_WORDS.get(key);
    }
    let listed_shape = word_shape(w.as_bytes()).is_some_and(|(l, f, bit)| {
        WORD_SHAPES
            .get(l)
            .and_then(|row| row.get(f))
            .is_some_and(|bits| bits & bit != 0)
    });
    if !listed_shape {
        return WordFacts::default();
    }
    WORD_FACTS.get(w).copied().unwrap_or_default()
}

/// The value and digit count of a number token of 1 to 9 ASCII digits (what `str::parse`
/// gives, without its sign and overflow handling: nine digits always fit a `u32`).
fn small_number(digits: &str) -> (u32, u8) {
    let v = digits
        .bytes()
        .fold(0u32, |v, d| v * 10 + u32::from(d.wrapping_sub(b'0')));
    (v, digits.len() as u8)
}

// ---------------------------------------------------------------------------------------------
// Grammar

/// One piece of a date-like phrase.
#[derive(Clone, Debug)]
enum Comp {
    Date(DateSpec, &'static str),
    Time(ClockTime, &'static str),
    Part(usize),
    /// A part of day with its own day: "tonight", "this morning", "last night".
    DayPart(i64, usize),
    Mod(usize),
    /// A modifier and a period in one word: "EOM" = end of the month.
    ModDate(usize, DateSpec),
    /// A fixed UTC offset in seconds.
    Zone(ZoneSpec),
    LocalTime,
}

type PointMatch = Option<(usize, Point, &'static str)>;

/// Candidate token indices after a connector: at most 17 (the token, "T", 15 connectors), kept
/// on the stack because `p_point` asks for them at every step.
#[derive(Default)]
struct Skips {
    at: [usize; 17],
    len: usize,
}

impl Skips {
    fn push(&mut self, k: usize) {
        if let Some(slot) = self.at.get_mut(self.len) {
            *slot = k;
            self.len += 1;
        }
    }

    fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        self.at.iter().take(self.len).copied()
    }
}

impl IntoIterator for Skips {
    type Item = usize;
    type IntoIter = std::iter::Take<std::array::IntoIter<usize, 17>>;

    fn into_iter(self) -> Self::IntoIter {
        self.at.into_iter().take(self.len)
    }
}

struct Parser<'a> {
    text: &'a str,
    /// `text` in ASCII lower case.
    low: &'a str,
    /// Per token, everything the rules ask about it, worked out once (one table, filled in the
    /// tokenizer's pass).
    slots: Vec<Slot<'a>>,
    /// The last few `p_point` results (oldest replaced first): several rules start with a
    /// point at the same token, and ranges and durations look at points a few tokens on.
    point_memo: std::cell::RefCell<PointMemo>,
    /// The last two `p_amount` results by token index: the rules tried at one token ask for
    /// the amount at the same place several times ("in 3 days" is read by `p_duration`,
    /// `p_event` and `p_offset`).
    amount_memo: std::cell::Cell<[Option<(usize, AmountMatch)>; 2]>,
}

type AmountMatch = Option<(usize, Amount)>;

/// One token and its facts.
#[derive(Clone, Copy)]
struct Slot<'a> {
    tok: Tok,
    /// Lower-case text: rules compare token text all the time, and a slice kept here costs no
    /// char-boundary checks.
    s: &'a str,
    /// Word-list facts (`None` for numbers, punctuation and unknown words).
    info: Option<&'static WordInfo>,
    /// Value and digit count of a number token of at most 9 digits.
    num: Option<(u32, u8)>,
    /// Which first-word tables have a row starting with it ([`WordFacts::tables`]).
    tables: u8,
    /// [`WordFacts::starts`].
    starts: u16,
}

/// The rule names of a point's components: on the stack (a point has a few), spilling into a
/// `Vec` past that, so a point costs no allocation.
#[derive(Default)]
struct RuleNames {
    head: [&'static str; 12],
    len: usize,
    spill: Vec<&'static str>,
}

impl RuleNames {
    fn push(&mut self, name: &'static str) {
        if self.spill.is_empty() {
            if let Some(slot) = self.head.get_mut(self.len) {
                *slot = name;
                self.len += 1;
                return;
            }
            self.spill.extend_from_slice(&self.head);
        }
        self.spill.push(name);
    }

    fn as_slice(&self) -> &[&'static str] {
        if self.spill.is_empty() {
            self.head.get(..self.len).unwrap_or(&[])
        } else {
            &self.spill
        }
    }
}

/// A few `p_point` results by token index.
#[derive(Default)]
struct PointMemo {
    slots: [Option<(usize, PointMatch)>; 4],
    next: usize,
}

impl PointMemo {
    fn get(&self, i: usize) -> Option<PointMatch> {
        self.slots
            .iter()
            .flatten()
            .find(|(k, _)| *k == i)
            .map(|(_, m)| m.clone())
    }

    fn put(&mut self, i: usize, m: PointMatch) {
        if let Some(slot) = self.slots.get_mut(self.next % 4) {
            *slot = Some((i, m));
        }
        self.next = self.next.wrapping_add(1);
    }
}

/// A match: token index after it, its meaning and its rule name.
type Match = (usize, TimeSpec, &'static str);

/// Groups of component rules by what their first token must be (see `Parser::comp_starts`).
/// Rules that start only with a word (tables, weekdays, "today", "EOM"; table phrases and
/// seasons start with a word, a test checks).
const CAN_WORD: u16 = 1;
/// `p_month_day`: a number, a month name, "the", an ordinal, "twenty"/"thirty".
const CAN_DAY_MONTH: u16 = 2;
/// `p_day_of_month`, `p_decade`: a number or "the" (then a number or an apostrophe).
const CAN_THE_OR_NUMBER: u16 = 4;
/// `p_numeric_date`, `p_year`, `p_trailing_year`: a number.
const CAN_NUMBER: u16 = 8;
/// `p_month_year`: a number or a month name.
const CAN_MONTH_OR_NUMBER: u16 = 16;
/// `p_quarter`, `p_half`, `p_nth_of_month`: a number, "the", an ordinal or "q".
const CAN_ORDINAL: u16 = 32;
/// `p_clock`: a number, a number word, "noon", "at" ...
const CAN_CLOCK: u16 = 64;
/// `p_relunit`: "next", "the", a number, a unit ...
const CAN_RELUNIT: u16 = 128;
/// `p_offset`: "in", a number, an approximator.
const CAN_OFFSET: u16 = 256;
/// `p_number`: a number word or one of its own words ("few", "couple", "half").
const CAN_NUMBER_WORD: u16 = 512;
/// `p_amount`: a number word (as `CAN_NUMBER_WORD`) or the first word of an approximator.
const CAN_AMOUNT: u16 = 1024;
/// Within `CAN_WORD`: `p_part`, `p_weekday`, `p_modifier`, `p_holiday` (see
/// [`word_comp_starts`]).
const CAN_PART: u16 = 2048;
const CAN_WEEKDAY: u16 = 4096;
const CAN_MODIFIER: u16 = 8192;
const CAN_HOLIDAY: u16 = 16384;
const CAN_RELDAY: u16 = 32768;
const CAN_ALL: u16 = u16::MAX;

const ING_STOP: &[&str] = &[
    "during",
    "evening",
    "morning",
    "nothing",
    "something",
    "thing",
    "king",
    "spring",
];

/// How a word can take part in a time phrase, for the cheap filter that runs before the rules.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Trigger {
    /// A word that names time by itself: weekdays, months, units, parts of day, holidays.
    Strong,
    /// A function word that starts a phrase only with a strong word or a number right after it
    /// ("the", "in", "late", "nearly").
    Weak,
    /// Starts event phrases ("since assuming power", "shortly before leaving") but names no time.
    Start,
}

/// The hash of the word tables: they are small and fixed, so a fast non-keyed hash is enough.
/// Eight bytes per multiply (FxHash's mixing step) instead of FNV's one: every word of a text
/// that passes the shape filter is hashed. The hash decides only where a key sits, never what
/// a lookup finds.
#[derive(Default)]
pub(crate) struct Fnv(u64);

/// The odd constant of FxHash's multiply.
const WORD_HASH_K: u64 = 0xf135_7aea_2e62_a9c5;

impl Fnv {
    fn mix(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(WORD_HASH_K);
    }
}

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        // The multiply mixes upward: bring well-mixed high bits down to the bucket bits.
        self.0.rotate_left(26)
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut rest = bytes;
        while let Some((head, tail)) = rest.split_first_chunk::<8>() {
            self.mix(u64::from_le_bytes(*head));
            rest = tail;
        }
        // 1 to 7 bytes left: two overlapping reads, and the length.
        let n = rest.len();
        let word = match (rest.first_chunk::<4>(), rest.last_chunk::<4>()) {
            (Some(a), Some(b)) => {
                u64::from(u32::from_le_bytes(*a)) | u64::from(u32::from_le_bytes(*b)) << 32
            }
            _ => match (rest.first(), rest.get(n / 2), rest.last()) {
                (Some(&a), Some(&m), Some(&z)) => {
                    u64::from(a) | u64::from(m) << 8 | u64::from(z) << 16
                }
                _ => return,
            },
        };
        self.mix(word ^ (n as u64) << 56);
    }

    fn write_u8(&mut self, i: u8) {
        self.mix(u64::from(i));
    }
}

pub(crate) type FnvMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<Fnv>>;

/// What the closed word lists say about one word, looked up once per token.
#[derive(Clone, Copy, Debug, Default)]
struct WordInfo {
    number: Option<u32>,
    ordinal: Option<u32>,
    weekday: Option<Weekday>,
    /// Month and whether the name is also an ordinary word or an abbreviation.
    month: Option<(u32, bool)>,
    unit: Option<Unit>,
    trigger: Option<Trigger>,
}

static WORDS: LazyLock<FnvMap<String, WordInfo>> = LazyLock::new(|| {
    let mut m: FnvMap<String, WordInfo> = FnvMap::default();
    for (w, v) in lexicon::NUMBER_WORDS {
        m.entry((*w).to_string()).or_default().number = Some(*v);
    }
    for (w, v) in lexicon::ORDINAL_WORDS {
        m.entry((*w).to_string()).or_default().ordinal = Some(*v);
    }
    for (w, v) in lexicon::WEEKDAYS {
        m.entry((*w).to_string()).or_default().weekday = Some(*v);
    }
    for (w, v, weak) in lexicon::MONTHS {
        m.entry((*w).to_string()).or_default().month = Some((*v, *weak));
    }
    for (w, v) in lexicon::UNITS {
        m.entry((*w).to_string()).or_default().unit = Some(*v);
    }
    for (w, t) in TRIGGERS.iter() {
        m.entry(w.clone()).or_default().trigger = Some(*t);
    }
    m
});

/// Table rows by their first word, so a rule only compares the rows that can match.
type FirstWordIndex = FnvMap<String, Vec<usize>>;

fn first_word_index<'a>(rows: impl Iterator<Item = &'a Vec<String>>) -> FirstWordIndex {
    let mut m: FirstWordIndex = FnvMap::default();
    for (k, words) in rows.enumerate() {
        if let Some(f) = words.first() {
            m.entry(f.clone()).or_default().push(k);
        }
    }
    m
}

static PART_INDEX: LazyLock<FirstWordIndex> =
    LazyLock::new(|| first_word_index(PARTS_OF_DAY.iter().map(|x| &x.words)));
static MODIFIER_INDEX: LazyLock<FirstWordIndex> =
    LazyLock::new(|| first_word_index(MODIFIERS.iter().map(|x| &x.words)));
static APPROXIMATOR_INDEX: LazyLock<FirstWordIndex> =
    LazyLock::new(|| first_word_index(APPROXIMATORS.iter().map(|x| &x.words)));
static HOLIDAY_INDEX: LazyLock<FirstWordIndex> =
    LazyLock::new(|| first_word_index(HOLIDAYS.iter().map(|x| &x.words)));
static ZONE_INDEX: LazyLock<FirstWordIndex> =
    LazyLock::new(|| first_word_index(ZONES.iter().map(|x| &x.words)));

/// Words that are not triggers but may stand inside a phrase before its first strong word: the
/// words of table phrases ("up to", "a pair of") and the function words the rules read.
static INNER_WORDS: LazyLock<FnvMap<String, ()>> = LazyLock::new(|| {
    const GRAMMAR: &[&str] = &[
        "a", "an", "and", "or", "of", "to", "up", "pair", "several", "per", "circa", "clock", "o",
        "through", "thru", "till", "until", "untill", "ago", "hence", "back", "eve", "st", "nd",
        "rd", "th", "ad", "bc", "local", "time", "with", "within", "but", "same", "right", "as",
        "more", "less", "than", "least", "most", "almost", "nearly",
    ];
    let mut m: FnvMap<String, ()> = FnvMap::default();
    for w in GRAMMAR {
        m.insert((*w).to_string(), ());
    }
    for words in PARTS_OF_DAY
        .iter()
        .map(|x| &x.words)
        .chain(MODIFIERS.iter().map(|x| &x.words))
        .chain(APPROXIMATORS.iter().map(|x| &x.words))
        .chain(HOLIDAYS.iter().map(|x| &x.words))
        .chain(ZONES.iter().map(|x| &x.words))
        .chain(BUSINESS_DAYS.iter())
    {
        for w in words {
            m.insert(w.clone(), ());
        }
    }
    m
});

static TRIGGERS: LazyLock<FnvMap<String, Trigger>> = LazyLock::new(|| {
    let mut m: FnvMap<String, Trigger> = FnvMap::default();
    const WEAK: &[&str] = &[
        "the",
        "a",
        "an",
        "this",
        "next",
        "last",
        "past",
        "previous",
        "coming",
        "upcoming",
        "early",
        "late",
        "mid",
        "end",
        "beginning",
        "start",
        "middle",
        "later",
        "earlier",
        "that",
        "for",
        "in",
        "within",
        "right",
        "from",
        "between",
        "every",
        "each",
        "on",
        "at",
        "same",
        "following",
        "preceding",
        "current",
        "recent",
        "over",
        "under",
        "until",
        "till",
        "by",
        "after",
        "before",
        "around",
        "about",
        "as",
        "rest",
        "all",
    ];
    const STRONG: &[&str] = &[
        "today",
        "tonight",
        "tonite",
        "yesterday",
        "tomorrow",
        "tmrw",
        "noon",
        "midnight",
        "midday",
        "now",
        "once",
        "twice",
        "daily",
        "weekly",
        "monthly",
        "annually",
        "yearly",
        "hourly",
        "q",
        "half",
        "couple",
        "few",
        "quarter",
        "eom",
        "bom",
        "eoy",
        "boy",
        "eod",
        "weekend",
        // "the eve of the parade" (an event-relative phrase; "Christmas Eve" is a holiday row).
        "eve",
        "times",
        "oclock",
        "asap",
        "moment",
        "possible",
        "am",
        "pm",
    ];
    for w in WEAK {
        m.insert((*w).to_string(), Trigger::Weak);
    }
    for w in ["since", "shortly", "just", "soon", "moments", "immediately"] {
        m.insert(w.to_string(), Trigger::Start);
    }
    let tables = lexicon::WEEKDAYS
        .iter()
        .map(|x| x.0)
        .chain(lexicon::MONTHS.iter().map(|x| x.0))
        .chain(lexicon::ORDINAL_WORDS.iter().map(|x| x.0))
        .chain(
            lexicon::NUMBER_WORDS
                .iter()
                .map(|x| x.0)
                .filter(|w| !matches!(*w, "a" | "an")),
        )
        .chain(lexicon::UNITS.iter().map(|x| x.0).filter(|w| w.len() > 1))
        .chain(STRONG.iter().copied());
    for w in tables {
        m.insert(w.to_string(), Trigger::Strong);
    }
    for words in SEASONS.iter().map(|x| &x.words) {
        if let Some(f) = words.first() {
            m.entry(f.clone()).or_insert(Trigger::Strong);
        }
    }
    // A one-word working-day phrase ("weekday") names time by itself; "business day" already
    // ends in the unit "day".
    for words in BUSINESS_DAYS.iter().filter(|w| w.len() == 1) {
        if let Some(f) = words.first() {
            m.entry(f.clone()).or_insert(Trigger::Strong);
        }
    }
    for words in PARTS_OF_DAY
        .iter()
        .map(|p| &p.words)
        .chain(HOLIDAYS.iter().map(|h| &h.words))
    {
        if let Some(f) = words.first() {
            m.entry(f.clone()).or_insert(Trigger::Strong);
        }
    }
    for words in MODIFIERS
        .iter()
        .map(|x| &x.words)
        .chain(APPROXIMATORS.iter().map(|x| &x.words))
    {
        if let Some(f) = words.first() {
            m.entry(f.clone()).or_insert(Trigger::Weak);
        }
    }
    m
});

impl<'a> Parser<'a> {
    /// A parser for `text`; `low` is `text` in ASCII lower case (a buffer the caller reuses).
    fn new(text: &'a str, low: &'a str) -> Parser<'a> {
        // One pass: each token with its word facts (one probe per word) and, since rules ask
        // for the value of the same number token many times, each number parsed once.
        let mut slots = Vec::with_capacity(low.len() / 4 + 1);
        tokenize_each(low, |tok| {
            let s = low.get(tok.start..tok.end).unwrap_or("");
            let (facts, num) = match tok.kind {
                TokKind::Word => (word_facts(s), None),
                TokKind::Num if s.len() <= 9 => (WordFacts::default(), Some(small_number(s))),
                _ => (WordFacts::default(), None),
            };
            slots.push(Slot {
                tok,
                s,
                info: facts.info,
                num,
                tables: facts.tables,
                starts: facts.starts,
            });
        });
        Parser {
            text,
            low,
            slots,
            point_memo: std::cell::RefCell::new(PointMemo::default()),
            amount_memo: std::cell::Cell::new([None; 2]),
        }
    }

    /// The words of `sentence` (a byte range of the text, made of whole tokens) for the tense
    /// rule, into `words` (cleared first): each maximal run of byte-adjacent letter and ASCII
    /// apostrophe tokens is one word, as `tense::sentence_words_into` reads the bytes.
    fn tense_words_into(&self, sentence: TextRange, words: &mut Vec<tense::Word>) {
        words.clear();
        let mut sorter = tense::SentenceWords::new(self.text, self.low, sentence);
        let first = self.slots.partition_point(|t| t.tok.start < sentence.start);
        // The run being read: its span, and the start of its first and last letter tokens and
        // the end of its last (all three at the run's end while it holds apostrophes alone).
        let mut run: Option<tense::WordRun> = None;
        for slot in self.slots.get(first..).unwrap_or(&[]) {
            let tok = slot.tok;
            if tok.start >= sentence.end {
                break;
            }
            let letters = tok.kind == TokKind::Word;
            let apostrophe = tok.kind == TokKind::Punct && slot.s == "'";
            if !(letters || apostrophe) {
                if let Some((span, trim)) = run.take() {
                    sorter.push(words, span, trim);
                }
                continue;
            }
            match &mut run {
                Some(((_, b), (ta, tail, tb))) if *b == tok.start => {
                    *b = tok.end;
                    if letters {
                        if *ta == *tb {
                            *ta = tok.start;
                        }
                        *tail = tok.start;
                        *tb = tok.end;
                    }
                }
                _ => {
                    if let Some((span, trim)) = run.take() {
                        sorter.push(words, span, trim);
                    }
                    let at = if letters { tok.start } else { tok.end };
                    run = Some(((tok.start, tok.end), (at, at, tok.end)));
                }
            }
        }
        if let Some((span, trim)) = run {
            sorter.push(words, span, trim);
        }
    }

    /// Rows of a table whose first word is token `i`; `bit` is the table's bit in
    /// [`WordFacts::tables`] (`PART_BIT` ...).
    fn rows_at(&self, index: &'static FirstWordIndex, bit: u8, i: usize) -> &'static [usize] {
        // Most words start no row of this table: the token's table bits say so without a probe.
        if self.slots.get(i).is_none_or(|t| t.tables & bit == 0) {
            return &[];
        }
        // The first words of the part-of-day, modifier, approximator and holiday tables are all
        // triggers: a word without word-list facts starts none of their rows (zones are not
        // triggers, so their table is always searched).
        // Every table phrase starts with a word (a test checks), never a number or a sign.
        let is_word = self.tok(i).is_some_and(|t| t.kind == TokKind::Word);
        if !is_word || (self.info(i).is_none() && bit != ZONE_BIT) {
            return &[];
        }
        index.get(self.s(i)).map(|v| v.as_slice()).unwrap_or(&[])
    }

    fn info(&self, i: usize) -> Option<&'static WordInfo> {
        self.slots.get(i).and_then(|t| t.info)
    }

    /// A number or a word that names time by itself.
    fn is_strong(&self, i: usize) -> bool {
        match self.tok(i).map(|t| t.kind) {
            Some(TokKind::Num) => true,
            Some(TokKind::Word) => self.info(i).and_then(|x| x.trigger) == Some(Trigger::Strong),
            _ => false,
        }
    }

    fn tok(&self, i: usize) -> Option<&Tok> {
        self.slots.get(i).map(|t| &t.tok)
    }

    /// Lower-case text of token `i`.
    fn s(&self, i: usize) -> &'a str {
        self.slots.get(i).map_or("", |t| t.s)
    }

    /// Original text of token `i`.
    fn raw(&self, i: usize) -> &str {
        self.slots
            .get(i)
            .and_then(|t| self.text.get(t.tok.start..t.tok.end))
            .unwrap_or("")
    }

    fn word(&self, i: usize) -> Option<&str> {
        match self.tok(i) {
            Some(t) if t.kind == TokKind::Word => Some(self.s(i)),
            _ => None,
        }
    }

    fn is(&self, i: usize, w: &str) -> bool {
        self.tok(i).is_some() && self.s(i) == w
    }

    fn is_punct(&self, i: usize, c: &str) -> bool {
        matches!(self.tok(i), Some(t) if t.kind == TokKind::Punct) && self.s(i) == c
    }

    fn is_apostrophe(&self, i: usize) -> bool {
        self.is_punct(i, "'") || self.is_punct(i, "\u{2019}")
    }

    /// True when token `i` follows the previous one without a space.
    fn glued(&self, i: usize) -> bool {
        self.tok(i).is_some_and(|t| !t.space_before)
    }

    fn capitalized(&self, i: usize) -> bool {
        self.raw(i).chars().next().is_some_and(|c| c.is_uppercase())
    }

    /// The value and digit count of a number token (at most 9 digits).
    fn num(&self, i: usize) -> Option<(u32, usize)> {
        self.slots
            .get(i)
            .and_then(|t| t.num)
            .map(|(v, digits)| (v, usize::from(digits)))
    }

    /// Matches a word sequence at `i`; returns the index after it.
    fn seq(&self, i: usize, words: &[String]) -> Option<usize> {
        let mut j = i;
        for w in words {
            if self.s(j) != w.as_str() {
                return None;
            }
            j += 1;
        }
        Some(j)
    }

    fn seq_str(&self, i: usize, words: &[&str]) -> Option<usize> {
        let mut j = i;
        for w in words {
            if self.s(j) != *w {
                return None;
            }
            j += 1;
        }
        Some(j)
    }

    fn range(&self, i: usize, end: usize) -> Option<TextRange> {
        let a = self.tok(i)?.start;
        let b = self.tok(end.checked_sub(1)?)?.end;
        (a < b).then_some(TextRange::new(a, b))
    }

    // ---- top level ----

    fn parse_all(&self) -> Vec<(TextRange, TimeSpec, &'static str)> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < self.slots.len() {
            let start_ok = match self.tok(i).map(|t| t.kind) {
                Some(TokKind::Num) => true,
                Some(TokKind::Word) => match self.info(i).and_then(|x| x.trigger).as_ref() {
                    Some(Trigger::Strong | Trigger::Start) => true,
                    Some(Trigger::Weak) => self.strong_follows(i),
                    None => false,
                },
                _ => false,
            };
            if !start_ok {
                i += 1;
                continue;
            }
            // Numbers glued to a preceding word or number ("A4", "B-52") are not times.
            let inside_word = i > 0
                && self.glued(i)
                && self.tok(i).is_some_and(|t| t.kind == TokKind::Num)
                && self.tok(i - 1).is_some_and(|t| t.kind == TokKind::Word)
                && !matches!(self.s(i - 1), "q" | "h");
            // A run of numbers glued by separators ("2014-08-32", "13/31/2018") is one thing: a
            // match must cover all of it, else nothing inside it is a time.
            let cluster_end = self.numeric_cluster_end(i);
            if !inside_word {
                let found = self.parse_at(i).filter(|m| m.0 >= cluster_end);
                if found.is_none() && cluster_end > i + 1 {
                    i = cluster_end;
                    continue;
                }
                if let Some((end, spec, rule)) = found {
                    if let Some(r) = self.range(i, end) {
                        out.push((r, spec, rule));
                        i = end.max(i + 1);
                        continue;
                    }
                }
            }
            i += 1;
        }
        out
    }

    /// True when a number or a strong time word follows the weak word at `i` within five tokens,
    /// with only trigger words, numbers, punctuation and [`INNER_WORDS`] between ("in the first
    /// week", "up to 24 hours"): an ordinary word in between ("the talks on Monday") means the
    /// phrase, if any, starts later.
    fn strong_follows(&self, i: usize) -> bool {
        for k in i + 1..i + 6 {
            if self.is_strong(k) {
                return true;
            }
            match self.tok(k).map(|t| t.kind) {
                None => return false,
                // The INNER_WORDS bit was looked up with the token's other facts.
                Some(TokKind::Word)
                    if self.info(k).is_none()
                        && self.slots.get(k).is_none_or(|t| t.tables & INNER_BIT == 0) =>
                {
                    return false
                }
                _ => {}
            }
        }
        false
    }

    /// The end of the run of glued numbers and separators starting at `i` (`i + 1` when the token
    /// stands alone).
    fn numeric_cluster_end(&self, i: usize) -> usize {
        if self.num(i).is_none() {
            return i + 1;
        }
        let mut e = i + 1;
        while self.glued(e)
            && matches!(self.s(e), "/" | "-" | "." | ":")
            && self.glued(e + 1)
            && self.num(e + 1).is_some()
        {
            e += 2;
        }
        e
    }

    fn parse_at(&self, i: usize) -> Option<Match> {
        // Longest wins; on a tie the earlier rule in this list.
        let mut best: Option<Match> = None;
        // A macro, not a closure (see `p_comp`).
        macro_rules! consider {
            ($candidate:expr $(,)?) => {
                if let Some(c) = $candidate {
                    if best.as_ref().is_none_or(|b| c.0 > b.0) {
                        best = Some(c);
                    }
                }
            };
        }
        consider!(self.p_set(i));
        consider!(self.p_duration(i));
        consider!(self.p_event(i));
        consider!(self.p_near_clock(i));
        consider!(self.p_related(i));
        consider!(self.p_since(i));
        consider!(self.p_by(i));
        // The point at `i`, read once here for the interval rules and the point rule (each
        // would otherwise look it up in the memo).
        let point_at_i = self.p_point(i);
        consider!(self.p_interval_at(i, &point_at_i));
        consider!(point_at_i.map(|(e, p, r)| match self.p_for_amount(e) {
            Some((e2, a)) => (e2, TimeSpec::PointFor(p, a), "<date> for <duration>"),
            None => (e, TimeSpec::Point(p), r),
        }));
        best
    }

    // ---- amounts and durations ----

    /// A number written in digits ("20", "1.5", "2,000") or words ("twenty-four", "a couple of").
    fn p_number(&self, i: usize) -> Option<(usize, f64)> {
        if let Some((v, _)) = self.num(i) {
            // A fraction before a unit: "1/2 hour", "3/4h"
            if self.is_punct(i + 1, "/") && self.glued(i + 1) && self.glued(i + 2) {
                if let Some((d, 1)) = self.num(i + 2) {
                    if d > 0 && v < d && self.p_unit(i + 3).is_some() {
                        return Some((i + 3, v as f64 / d as f64));
                    }
                }
            }
            // Decimal "1.5"
            if self.is_punct(i + 1, ".") && self.glued(i + 1) && self.glued(i + 2) {
                if let Some((f, digits)) = self.num(i + 2) {
                    let frac = f as f64 / 10f64.powi(digits as i32);
                    return Some((i + 3, v as f64 + frac));
                }
            }
            // Thousands "2,000" is an amount, never a year or a time; nor is its last group
            // alone ("000" of "2,000 years ago").
            if self.is_punct(i + 1, ",") && self.glued(i + 1) && self.glued(i + 2) {
                if let Some((_, 3)) = self.num(i + 2) {
                    return None;
                }
            }
            if i >= 2
                && self.glued(i)
                && self.is_punct(i - 1, ",")
                && self.glued(i - 1)
                && self.num(i - 2).is_some()
            {
                return None;
            }
            return Some((i + 1, v as f64));
        }
        // Words: only number words and the few below (all with word-list facts).
        if !self.can_start(i, CAN_NUMBER_WORD) {
            return None;
        }
        let w = self.word(i)?;
        if w == "a" || w == "an" {
            if self.is(i + 1, "couple") && self.is(i + 2, "of") {
                return Some((i + 3, 2.0));
            }
            if self.is(i + 1, "couple") || self.is(i + 1, "pair") && self.is(i + 2, "of") {
                return Some((if self.is(i + 2, "of") { i + 3 } else { i + 2 }, 2.0));
            }
            if self.is(i + 1, "few") {
                return Some((i + 2, 3.0));
            }
            if self.is(i + 1, "half") {
                return Some((i + 2, 0.5));
            }
        }
        if w == "half" && (self.is(i + 1, "a") || self.is(i + 1, "an")) {
            return Some((i + 2, 0.5));
        }
        if w == "few" {
            return Some((i + 1, 3.0));
        }
        // "a quarter of an hour", "three-quarters of an hour"
        let quarters = if (w == "a" || w == "one") && self.is(i + 1, "quarter") {
            Some((i + 2, 0.25))
        } else if w == "three" && self.is_punct(i + 1, "-") && self.is(i + 2, "quarters") {
            Some((i + 3, 0.75))
        } else if w == "three" && self.is(i + 1, "quarters") {
            Some((i + 2, 0.75))
        } else {
            None
        };
        if let Some((e, q)) = quarters {
            if self.is(e, "of") && (self.is(e + 1, "an") || self.is(e + 1, "a")) {
                return Some((e + 2, q));
            }
        }
        if w == "couple" && self.is(i + 1, "of") {
            return Some((i + 2, 2.0));
        }
        let v = self.info(i)?.number?;
        // "twenty-four", "twenty four"
        if v >= 20 && v % 10 == 0 {
            let k = if self.is_punct(i + 1, "-") {
                i + 2
            } else {
                i + 1
            };
            if let Some(u) = self.info(k).and_then(|x| x.number) {
                if (1..10).contains(&u) && !matches!(self.s(k), "a" | "an") {
                    return Some((k + 1, (v + u) as f64));
                }
            }
        }
        Some((i + 1, v as f64))
    }

    fn p_unit(&self, i: usize) -> Option<(usize, Unit)> {
        let w = self.word(i)?;
        let unit = self.info(i)?.unit?;
        // One-letter units only glued to a number ("24h"), never "3 d"; after a fraction the
        // letter may stand apart ("in 1/4 h").
        let after_fraction = i >= 3 && self.is_punct(i - 2, "/") && self.num(i - 3).is_some();
        if w.len() == 1 && !self.glued(i) && !after_fraction {
            return None;
        }
        Some((i + 1, unit))
    }

    fn p_approximator(&self, i: usize) -> Option<(usize, usize)> {
        let rows = self.rows_at(&APPROXIMATOR_INDEX, APPROXIMATOR_BIT, i);
        self.longest_row(
            i,
            rows.iter()
                .filter_map(|&k| Some((k, APPROXIMATORS.get(k)?.words.as_slice()))),
        )
    }

    /// The longest of `rows` (index and words) whose words start at `i`: its end and index; on
    /// a tie the first.
    fn longest_row<'w>(
        &self,
        i: usize,
        rows: impl IntoIterator<Item = (usize, &'w [String])>,
    ) -> Option<(usize, usize)> {
        let mut best: Option<(usize, usize)> = None;
        for (k, words) in rows {
            if let Some(e) = self.seq(i, words) {
                if best.is_none_or(|b| e > b.0) {
                    best = Some((e, k));
                }
            }
        }
        best
    }

    /// `[approximator] number unit` or `number-unit` ("60-hour"); returns the amount.
    fn p_amount(&self, i: usize) -> AmountMatch {
        // An amount starts with a number or an approximator; at any other token (most of them)
        // both would return `None`.
        if !self.can_start(i, CAN_AMOUNT) {
            return None;
        }
        let memo = self.amount_memo.get();
        if let Some((_, m)) = memo.iter().flatten().find(|(k, _)| *k == i) {
            return *m;
        }
        let m = self.p_amount_uncached(i);
        // The newer entry first; the older one is dropped.
        let [newest, _] = memo;
        self.amount_memo.set([Some((i, m)), newest]);
        m
    }

    fn p_amount_uncached(&self, i: usize) -> AmountMatch {
        let (j, approximator) = match self.p_approximator(i) {
            Some((e, k)) => (e, Some(k)),
            None => (i, None),
        };
        // "about ~5 hours": a tilde glued to the number is one more "about".
        let (j, approximator) = if j > i && self.is_punct(j, "~") && self.glued(j + 1) {
            (j + 1, approximator)
        } else {
            (j, approximator)
        };
        let (mut k, amount) = self.p_number(j)?;
        // "a few", "several": the count is a range; the number is the row's nominal.
        let vague = self
            .p_vague_count(j)
            .filter(|&(e, _)| e == k)
            .map(|(_, row)| row);
        let amount = match vague.and_then(|row| VAGUE_COUNTS.get(row)) {
            Some(v) => v.nominal,
            None => amount,
        };
        // "in 2 more minutes"
        if self.is(k, "more") && self.p_unit(k + 1).is_some() {
            k += 1;
        }
        // "2 and a half hours"
        let mut pre_half = 0.0;
        if self.is(k, "and")
            && (self.is(k + 1, "a") || self.is(k + 1, "an"))
            && self.is(k + 2, "half")
        {
            pre_half = 0.5;
            k += 3;
        }
        let hyphen = self.is_punct(k, "-") && self.glued(k) && self.glued(k + 1);
        if hyphen {
            k += 1;
        }
        let (mut e, unit) = self.p_unit(k)?;
        if unit == Unit::Quarter && matches!(self.s(e), "past" | "to" | "after" | "till") {
            return None;
        }
        let mut amount = amount + pre_half;
        // "an hour and a half", "2 and a half hours"
        if self.is(e, "and")
            && (self.is(e + 1, "a") || self.is(e + 1, "an"))
            && self.is(e + 2, "half")
        {
            amount += 0.5;
            e += 3;
        }
        Some((
            e,
            Amount {
                amount,
                unit,
                approximator,
                vague,
            },
        ))
    }

    /// The longest row of [`VAGUE_COUNTS`] whose words start at `i` ("a few", "several");
    /// returns the end and the row.
    fn p_vague_count(&self, i: usize) -> Option<(usize, usize)> {
        self.word(i)?;
        let rows = VAGUE_COUNTS.iter().enumerate();
        self.longest_row(
            i,
            rows.filter(|(_, v)| !v.words.is_empty())
                .map(|(row, v)| (row, v.words.as_slice())),
        )
    }

    /// A plural unit with no count before it ("weeks" in "weeks ago"): an amount of the
    /// `<plural>` row of [`VAGUE_COUNTS`]. Not after a number, a number word or "of"
    /// ("2,000 years ago", "thousands of years ago", "many years ago" say more than a few).
    fn p_bare_plural(&self, i: usize) -> Option<(usize, Amount)> {
        let w = self.word(i)?;
        let unit = self.info(i)?.unit?;
        if w.len() < 4 || !w.ends_with('s') {
            return None;
        }
        if i > 0 {
            let counted = match self.tok(i - 1).map(|t| t.kind) {
                Some(TokKind::Num) => true,
                Some(TokKind::Word) => {
                    self.info(i - 1).is_some_and(|x| x.number.is_some())
                        || matches!(
                            self.s(i - 1),
                            "of" | "many"
                                | "few"
                                | "several"
                                | "couple"
                                | "the"
                                | "those"
                                | "these"
                        )
                }
                _ => self.is_punct(i - 1, "-"),
            };
            if counted {
                return None;
            }
        }
        let row = VAGUE_COUNTS.iter().position(|v| v.words.is_empty())?;
        let nominal = VAGUE_COUNTS.get(row)?.nominal;
        Some((
            i + 1,
            Amount {
                amount: nominal,
                unit,
                approximator: None,
                vague: Some(row),
            },
        ))
    }

    /// A compound amount: "1d 2hr 5min", "1d, 2hr, and 5min", "2 months, 5 days", "2hr5min".
    /// Each part names a smaller unit than the one before (a list like "3 days, 4 days" is not
    /// one amount). Returns the end and the parts as whole units.
    fn p_amounts(&self, i: usize) -> Option<(usize, Vec<(Unit, i64)>)> {
        let (mut e, first) = self.p_amount(i)?;
        let mut parts = vec![offset_units(&first)?];
        let mut last_unit = first.unit;
        loop {
            let mut k = e;
            if self.is_punct(k, ",") {
                k += 1;
            }
            if self.is(k, "and") {
                k += 1;
            }
            let Some((e2, a)) = self
                .p_amount(k)
                .filter(|(_, a)| a.approximator.is_none() && !matches!(self.s(k), "a" | "an"))
            else {
                break;
            };
            if unit_rank(a.unit) >= unit_rank(last_unit) {
                break;
            }
            let Some(part) = offset_units(&a) else { break };
            parts.push(part);
            last_unit = a.unit;
            e = e2;
        }
        Some((e, parts))
    }

    /// The sign glued before a number that starts a phrase: "+15 minutes", "-3y" (a sign with a
    /// space or the start of the text before it, so "2-3 days" has none).
    fn sign_before(&self, i: usize) -> Option<i64> {
        let k = i.checked_sub(1)?;
        if self.num(i).is_none() || !self.glued(i) {
            return None;
        }
        let sign = match self.s(k) {
            "+" => 1,
            "-" | "\u{2212}" => -1,
            _ => return None,
        };
        let free = k == 0
            || self.tok(k).is_some_and(|t| t.space_before)
            || matches!(self.s(k - 1), "(" | "[");
        free.then_some(sign)
    }

    fn p_duration(&self, i: usize) -> Option<Match> {
        // "in 3 days" / "within 3 days"
        if self.is(i, "within") {
            // "within days": a plural with no count is a vague count.
            let (e, a) = self.p_amount(i + 1).or_else(|| self.p_bare_plural(i + 1))?;
            return Some((e, TimeSpec::Within(a), "within <duration>"));
        }
        // "After an hour, the train stopped": an amount after the related time (the last time
        // in the text), like "an hour later"; "after 5 days of talks" names an event instead.
        if self.is(i, "after") {
            let (e, a) = self.p_amount(i + 1)?;
            if a.approximator.is_some() || !self.at_phrase_end(e) {
                return None;
            }
            let (unit, n) = offset_units(&a)?;
            return Some((
                e,
                TimeSpec::Related(Related::Offset { unit, n }),
                "after <duration>",
            ));
        }
        let now = || Point {
            date: Some(DateSpec::Now),
            ..Point::default()
        };
        if self.is(i, "in") {
            // "in 1d 2hr 5min": every part added to the reference time.
            let (e, parts) = self.p_amounts(i + 1)?;
            if parts.len() < 2 {
                return None;
            }
            return Some((e, TimeSpec::ShiftedBy(now(), parts), "in <duration>"));
        }
        // "+15 minutes", "-2hr5min", "+2 months, 5 days": explicit arithmetic on the reference.
        if let Some(sign) = self.sign_before(i) {
            let (e, parts) = self.p_amounts(i)?;
            let parts = parts.into_iter().map(|(u, n)| (u, sign * n)).collect();
            return Some((e, TimeSpec::ShiftedBy(now(), parts), "+|- <duration>"));
        }
        let (start, for_prefix) = if self.is(i, "for") {
            (i + 1, true)
        } else {
            (i, false)
        };
        // "Hours later": a plural with no count is a vague count.
        let (e, a) = match self.p_amount(start) {
            Some(found) => found,
            None => self
                .p_bare_plural(start)
                .filter(|(e, _)| !for_prefix && matches!(self.s(*e), "later" | "earlier"))?,
        };
        // "a day and a half", "a few hours": more than the bare "a <unit>".
        let one_unit = a.amount == 1.0 && a.vague.is_none();
        if a.approximator.is_none()
            && one_unit
            && !for_prefix
            && matches!(self.s(start), "a" | "an")
        {
            // "a day" alone is too weak unless a relation word follows.
            if !matches!(
                self.s(e),
                "ago" | "later" | "earlier" | "hence" | "before" | "after" | "from"
            ) {
                return None;
            }
        }
        match self.s(e) {
            "ago" | "hence" | "back" if !for_prefix => return None,
            "from" if self.is(e + 1, "now") && !for_prefix => return None,
            // "15 minutes from 1pm", "a day from right now", "two weeks from Monday"
            "from" if !for_prefix && !self.is(e + 1, "today") => {
                if let (Some((unit, n)), Some((pe, p, _))) = (offset_units(&a), self.p_point(e + 1))
                {
                    return Some((
                        pe,
                        TimeSpec::Shifted(p, unit, n),
                        "<duration> before|after <date>",
                    ));
                }
            }
            "earlier" | "before" if !for_prefix => {
                let (unit, n) = offset_units(&a)?;
                if self.s(e) == "before" && !self.at_phrase_end(e + 1) {
                    // "three days before Christmas", "2 days before yesterday"
                    let (pe, p, _) = self.p_point(e + 1)?;
                    return Some((
                        pe,
                        TimeSpec::Shifted(p, unit, -n),
                        "<duration> before|after <date>",
                    ));
                }
                return Some((
                    e + 1,
                    TimeSpec::Related(related_offset(&a, unit, -n)),
                    "<duration> earlier",
                ));
            }
            "later" | "after" if !for_prefix => {
                let (unit, n) = offset_units(&a)?;
                if self.s(e) == "after" && !self.at_phrase_end(e + 1) {
                    let (pe, p, _) = self.p_point(e + 1)?;
                    return Some((
                        pe,
                        TimeSpec::Shifted(p, unit, n),
                        "<duration> before|after <date>",
                    ));
                }
                return Some((
                    e + 1,
                    TimeSpec::Related(related_offset(&a, unit, n)),
                    "<duration> later",
                ));
            }
            _ => {}
        }
        let rule = match (a.approximator.is_some(), for_prefix) {
            (true, _) => "approx <duration>",
            (false, true) => "for <duration>",
            (false, false) => "<duration>",
        };
        Some((e, TimeSpec::Duration(a), rule))
    }

    /// "for 10 days" after a point.
    fn p_for_amount(&self, i: usize) -> Option<(usize, Amount)> {
        if !self.is(i, "for") {
            return None;
        }
        let (e, a) = self.p_amount(i + 1)?;
        Some((e, a))
    }

    /// "in 3 days", "in about 5 hours", "3 days ago", "two weeks from now", "a fortnight hence".
    fn p_offset(&self, i: usize) -> Option<(usize, Comp)> {
        if self.is(i, "in") {
            let (e, a) = self.p_amount(i + 1)?;
            // "in a second statement": the ordinal before a noun, not a moment from now.
            if self.is(e - 1, "second")
                && matches!(self.s(i + 1), "a" | "the")
                && self
                    .word(e)
                    .is_some_and(|w| !matches!(w, "or" | "and" | "from"))
            {
                return None;
            }
            let (unit, n) = offset_units(&a)?;
            if self.lookback_cue_before(i) {
                // "the first visit in six years": the six years up to the reference, in whole
                // years like "the past six years" ("in a decade" = the past ten years, not the
                // previous calendar decade).
                let (unit, n) = match unit {
                    Unit::Decade => (Unit::Year, n.checked_mul(10)?),
                    Unit::Century => (Unit::Year, n.checked_mul(100)?),
                    _ => (unit, n),
                };
                return Some((
                    e,
                    Comp::Date(
                        DateSpec::Span { unit, n: -n },
                        "<first|superlative> ... in <n> <unit>",
                    ),
                ));
            }
            return Some((e, Comp::Date(offset_spec(&a, 1, true)?, "in <duration>")));
        }
        // "3 Fridays from now", "two Thursdays ago"
        if let Some((e, count)) = self
            .p_number(i)
            .filter(|(_, c)| c.fract() == 0.0 && *c >= 1.0 && *c <= 52.0)
        {
            let plural = self
                .word(e)
                .and_then(|w| w.strip_suffix('s'))
                .filter(|w| w.ends_with("day"));
            if let Some(weekday) = plural.and_then(|w| lexicon::lookup(lexicon::WEEKDAYS, w)) {
                let n = count as i64;
                let found = match self.s(e + 1) {
                    "ago" | "back" => Some((e + 2, -n)),
                    "hence" => Some((e + 2, n)),
                    "from" if self.is(e + 2, "now") => Some((e + 3, n)),
                    _ => None,
                };
                if let Some((end, k)) = found {
                    return Some((
                        end,
                        Comp::Date(
                            DateSpec::Weekday {
                                weekday,
                                shift: WeekdayShift::Nth(k),
                            },
                            "<n> <weekday>s from now|ago",
                        ),
                    ));
                }
            }
        }
        // "weeks ago": a plural with no count is a vague count.
        let (e, a) = match self.p_amount(i) {
            Some(found) => found,
            None => self.p_bare_plural(i).filter(|(e, _)| self.is(*e, "ago"))?,
        };
        let (unit, n) = offset_units(&a)?;
        match self.s(e) {
            "ago" | "back" => Some((
                e + 1,
                Comp::Date(offset_spec(&a, -1, false)?, "<duration> ago"),
            )),
            "hence" => Some((
                e + 1,
                Comp::Date(offset_spec(&a, 1, true)?, "<duration> hence"),
            )),
            "from" if self.is(e + 1, "now") => Some((
                e + 2,
                Comp::Date(offset_spec(&a, 1, true)?, "<duration> from now"),
            )),
            "from" if self.is(e + 1, "today") => Some((
                e + 2,
                Comp::Date(DateSpec::OffsetDay { unit, n }, "<duration> from now"),
            )),
            _ => None,
        }
    }

    /// True when nothing that could be an event follows (punctuation, end, or a verb-ish word).
    fn at_phrase_end(&self, i: usize) -> bool {
        match self.tok(i) {
            None => true,
            Some(t) if t.kind == TokKind::Punct => true,
            _ => matches!(
                self.s(i),
                "and" | "but" | "when" | "as" | "he" | "she" | "they" | "it" | "we" | "i"
            ),
        }
    }

    fn p_set(&self, i: usize) -> Option<Match> {
        // "four times in 10 months", "twice in a year", "once a week", "3 times a day"
        let (j, count) = match self.s(i) {
            "once" => (i + 1, Some(1)),
            "twice" => (i + 1, Some(2)),
            "every" | "each" => {
                // "every Monday"
                if let Some(w) = self.word(i + 1).filter(|w| {
                    w.ends_with("day") && lexicon::lookup(lexicon::WEEKDAYS, w).is_some()
                }) {
                    let _ = w;
                    let per = Amount {
                        amount: 1.0,
                        unit: Unit::Week,
                        approximator: None,
                        vague: None,
                    };
                    return Some((
                        i + 2,
                        TimeSpec::Set {
                            count: Some(1),
                            per,
                        },
                        "every <weekday>",
                    ));
                }
                let (e, unit) = match self.p_unit(i + 1) {
                    Some(x) => x,
                    None => {
                        let (e, a) = self.p_amount(i + 1)?;
                        (e, a.unit)
                    }
                };
                let per = Amount {
                    amount: 1.0,
                    unit,
                    approximator: None,
                    vague: None,
                };
                return Some((e, TimeSpec::Set { count: None, per }, "every <unit>"));
            }
            "daily" | "weekly" | "monthly" | "annually" | "yearly" | "hourly" => {
                let unit = match self.s(i) {
                    "daily" => Unit::Day,
                    "weekly" => Unit::Week,
                    "monthly" => Unit::Month,
                    "hourly" => Unit::Hour,
                    _ => Unit::Year,
                };
                // Only as an adverb or before a noun in a frequency sense; "weekly" alone is fine.
                let per = Amount {
                    amount: 1.0,
                    unit,
                    approximator: None,
                    vague: None,
                };
                return Some((
                    i + 1,
                    TimeSpec::Set {
                        count: Some(1),
                        per,
                    },
                    "<frequency adverb>",
                ));
            }
            _ => {
                let (e, n) = self.p_number(i)?;
                if !self.is(e, "times") {
                    return None;
                }
                (e + 1, whole(n).and_then(|v| u32::try_from(v).ok()))
            }
        };
        let (k, per) = match self.s(j) {
            "in" | "over" | "within" | "during" => {
                let (e, mut a) = self.p_amount(j + 1).or_else(|| {
                    // "in the past 10 months"
                    let k = if self.is(j + 1, "the") { j + 2 } else { j + 1 };
                    if matches!(self.s(k), "past" | "last" | "previous") {
                        self.p_amount(k + 1)
                    } else {
                        None
                    }
                })?;
                a.approximator = None;
                (e, a)
            }
            "a" | "an" | "per" | "every" | "each" => {
                let (e, unit) = self.p_unit(j + 1)?;
                (
                    e,
                    Amount {
                        amount: 1.0,
                        unit,
                        approximator: None,
                        vague: None,
                    },
                )
            }
            _ => return None,
        };
        Some((k, TimeSpec::Set { count, per }, "<n> times in <duration>"))
    }

    // ---- event-relative ----

    fn p_related(&self, i: usize) -> Option<Match> {
        let rel = |e: usize, r: Related, name: &'static str| Some((e, TimeSpec::Related(r), name));
        if let Some(e) = self.seq_str(i, &["later", "in", "the", "day"]) {
            return rel(e, Related::LaterInDay, "later in the day");
        }
        if let Some(e) = self.seq_str(i, &["later", "that", "day"]) {
            return rel(e, Related::LaterInDay, "later in the day");
        }
        if let Some(e) = self.seq_str(i, &["earlier", "in", "the", "day"]) {
            return rel(e, Related::EarlierInDay, "earlier in the day");
        }
        if let Some(e) = self.seq_str(i, &["earlier", "that", "day"]) {
            return rel(e, Related::EarlierInDay, "earlier in the day");
        }
        // "later in the week", "earlier in the year": like "later in the day", against the time
        // the story is at, not the publication ("earlier this week" is the calendar one).
        if matches!(self.s(i), "later" | "earlier") && self.is(i + 1, "in") && self.is(i + 2, "the")
        {
            let (e, unit) = self.p_unit(i + 3)?;
            if matches!(unit, Unit::Week | Unit::Month | Unit::Year) {
                let later = self.is(i, "later");
                return rel(
                    e,
                    Related::RestOfUnit { unit, later },
                    "earlier|later in the <unit>",
                );
            }
        }
        if let Some(e) = self
            .seq_str(i, &["that", "day"])
            .or_else(|| self.seq_str(i, &["the", "same", "day"]))
        {
            return rel(e, Related::Days(0), "that day");
        }
        // "that morning", "that evening"
        if self.is(i, "that") {
            if let Some((e, part)) = self.p_part_words(i + 1) {
                return rel(
                    e,
                    Related::PartOfDay { days: 0, part },
                    "that <part-of-day>",
                );
            }
        }
        // "the next/following/previous day|morning"
        let j = if self.is(i, "the") { i + 1 } else { i };
        let days = match self.s(j) {
            "next" | "following" => 1,
            "previous" | "preceding" => -1,
            _ => 0,
        };
        if days != 0 && j > i {
            if self.is(j + 1, "day") {
                return rel(j + 2, Related::Days(days), "the following day");
            }
            if let Some((e, part)) = self.p_part_words(j + 1) {
                return rel(
                    e,
                    Related::PartOfDay { days, part },
                    "the next <part-of-day>",
                );
            }
        }
        // "the day before" / "the day after" with nothing after: relative to the last time.
        if self.is(i, "the")
            && self.is(i + 1, "day")
            && (self.is(i + 2, "before") || self.is(i + 2, "after"))
        {
            let d = if self.is(i + 2, "before") { -1 } else { 1 };
            if self.at_phrase_end(i + 3) {
                return rel(i + 3, Related::Days(d), "the day before");
            }
        }
        None
    }

    /// "shortly after 9 p.m.", "just before midnight on Tuesday": within the hour after or before
    /// a clock time (an hour is the convention; "shortly" names no length).
    fn p_near_clock(&self, i: usize) -> Option<Match> {
        if !matches!(
            self.s(i),
            "shortly" | "just" | "soon" | "right" | "moments" | "immediately"
        ) {
            return None;
        }
        let after = match self.s(i + 1) {
            "after" => true,
            "before" => false,
            _ => return None,
        };
        let (e, point, _) = self.p_point(i + 2)?;
        point.time?;
        Some((
            e,
            TimeSpec::NearClock { point, after },
            "shortly after|before <time>",
        ))
    }

    /// "the day before his departure", "Shortly before leaving Pyongyang": relative to an event
    /// the sentence names; left unresolved.
    fn p_event(&self, i: usize) -> Option<Match> {
        let j = match self.s(i) {
            "shortly" | "just" | "soon" | "moments" | "immediately" | "hours" | "minutes"
            | "days" | "weeks" | "months" | "years" | "right" => i + 1,
            "the"
                if matches!(
                    self.s(i + 1),
                    "day" | "night" | "morning" | "evening" | "week" | "eve"
                ) =>
            {
                i + 2
            }
            // "a day before the parade", "some 20 hours after leaving", "two days ahead of it"
            _ => match self.p_amount(i) {
                Some((e, _)) if matches!(self.s(e), "before" | "after" | "ahead") => e,
                _ => return None,
            },
        };
        // "on the eve of the parade": the day before the event.
        let eve_of = self.is(i, "the") && self.is(i + 1, "eve") && self.is(j, "of");
        let ahead_of = self.is(j, "ahead") && self.is(j + 1, "of");
        if !matches!(self.s(j), "before" | "after") && !eve_of && !ahead_of {
            return None;
        }
        let k = if ahead_of { j + 2 } else { j + 1 };
        let first = self.word(k)?;
        let end = if first.len() > 4 && first.ends_with("ing") && !ING_STOP.contains(&first) {
            let e = self.np_end(k + 1, 2);
            // "arriving in Dandong": a preposition before a name belongs to the event.
            if matches!(self.s(e), "in" | "at" | "to" | "from" | "for")
                && self.capitalized(e + 1)
                && self.word(e + 1).is_some()
            {
                self.np_end(e + 2, 2).max(e + 2)
            } else {
                e
            }
        } else if matches!(
            first,
            "his" | "her" | "their" | "its" | "the" | "a" | "our" | "my"
        ) {
            let e = self.np_end(k + 1, 3);
            if e == k + 1 {
                return None;
            }
            e
        } else {
            return None;
        };
        let event = match (self.tok(k), self.tok(end.checked_sub(1)?)) {
            (Some(a), Some(b)) => self.text.get(a.start..b.end).unwrap_or("").to_string(),
            _ => String::new(),
        };
        let rule = if eve_of {
            "the eve of <event>"
        } else if self.is(i, "the") {
            "the day before <event>"
        } else {
            "shortly before <event>"
        };
        Some((end, TimeSpec::Event { event }, rule))
    }

    /// True when a word of `lookback_cues.tsv` ("first", "highest") stands within eight tokens
    /// before `i` in the same clause: then "in six years" looks back.
    fn lookback_cue_before(&self, i: usize) -> bool {
        for k in (i.saturating_sub(8)..i).rev() {
            match self.tok(k).map(|t| t.kind) {
                Some(TokKind::Word) if LOOKBACK_CUES.iter().any(|w| w == self.s(k)) => return true,
                Some(TokKind::Punct) if !matches!(self.s(k), "-" | "'" | "\u{2019}") => {
                    return false
                }
                _ => {}
            }
        }
        false
    }

    /// End of a short noun phrase starting at `i`: up to `max` words, stopping at punctuation
    /// and function words.
    fn np_end(&self, i: usize, max: usize) -> usize {
        let mut e = i;
        while e < i + max {
            let Some(w) = self.word(e) else { break };
            if matches!(
                w,
                "to" | "for"
                    | "in"
                    | "on"
                    | "at"
                    | "and"
                    | "with"
                    | "by"
                    | "from"
                    | "that"
                    | "which"
                    | "as"
                    | "when"
                    | "was"
                    | "were"
                    | "is"
                    | "are"
                    | "had"
                    | "has"
                    | "he"
                    | "she"
                    | "they"
                    | "kim"
                    | "the"
            ) {
                break;
            }
            e += 1;
        }
        e
    }

    fn p_by(&self, i: usize) -> Option<Match> {
        if !self.is(i, "by") {
            return None;
        }
        // "by the EOM": the article before an abbreviation.
        let (e, p, _) = self
            .p_point(i + 1)
            .or_else(|| self.is(i + 1, "the").then(|| self.p_point(i + 2)).flatten())?;
        Some((e, TimeSpec::By(p), "by <date>"))
    }

    fn p_since(&self, i: usize) -> Option<Match> {
        if !self.is(i, "since") {
            return None;
        }
        if let Some((e, p, _)) = self.p_point(i + 1) {
            if p.date.is_some() {
                return Some((e, TimeSpec::Since(p), "since <date>"));
            }
        }
        // "since assuming power in 2011": the year the clause names.
        let w = self.word(i + 1)?;
        if w.len() > 4 && w.ends_with("ing") {
            for k in i + 2..i + 7 {
                if self.is_punct(k, ",") || self.is_punct(k, ".") {
                    break;
                }
                if self.is(k, "in") {
                    if let Some((e, y)) = self.p_year(k + 1, true) {
                        let p = Point {
                            date: Some(y),
                            ..Point::default()
                        };
                        return Some((e, TimeSpec::Since(p), "since <event> in <year>"));
                    }
                }
            }
        }
        None
    }

    /// What may follow a point: explicit arithmetic ("next tuesday +10 days", "now + 40
    /// minutes", "2023-12-29 -10days") or a clock bound ("tomorrow after 4pm").
    /// A point with a shift or a clock bound after it; `point_at_i` is `self.p_point(i)`.
    fn p_point_then(&self, point_at_i: &PointMatch) -> Option<Match> {
        let (e, p, _) = point_at_i.as_ref()?;
        let e = *e;
        // "+" anywhere; "-" only with a space before it and the number glued after it
        // ("2023-12-29 -10days"), else it is a range ("Monday-Friday", "July 4 - 5 days").
        let sign = match self.s(e) {
            "+" => 1,
            "-" | "\u{2212}"
                if self.tok(e).is_some_and(|t| t.space_before) && self.glued(e + 1) =>
            {
                -1
            }
            _ => 0,
        };
        if sign != 0 && p.date.is_some() {
            let (e2, parts) = self.p_amounts(e + 1)?;
            let parts = parts.into_iter().map(|(u, n)| (u, sign * n)).collect();
            return Some((
                e2,
                TimeSpec::ShiftedBy(p.clone(), parts),
                "<date> +|- <duration>",
            ));
        }
        // "tomorrow after 4pm", "Tuesday of next week before 2pm"
        let after = match self.s(e) {
            "after" => true,
            "before" => false,
            _ => return None,
        };
        let day_like = matches!(
            p.date,
            Some(
                DateSpec::Weekday { .. }
                    | DateSpec::DayOffset(_)
                    | DateSpec::BusinessDay(_)
                    | DateSpec::MonthDayWeekday { .. }
                    | DateSpec::Ymd { day: Some(_), .. }
            )
        );
        if !day_like || p.time.is_some() || p.part.is_some() {
            return None;
        }
        let mut k = e + 1;
        if matches!(self.s(k), "at" | "@") {
            k += 1;
        }
        let (e2, c) = self.p_clock(k, &Point::default())?;
        let Comp::Time(t, _) = c else { return None };
        let mut point = p.clone();
        point.time = Some(t);
        Some((
            e2,
            TimeSpec::ClockBound { point, after },
            "<date> after|before <time>",
        ))
    }

    fn p_interval(&self, i: usize) -> Option<Match> {
        self.p_interval_at(i, &self.p_point(i))
    }

    /// [`Self::p_interval`] with `point_at_i` = `self.p_point(i)` given.
    fn p_interval_at(&self, i: usize, point_at_i: &PointMatch) -> Option<Match> {
        let then = if matches!(self.s(i), "from" | "between") {
            None
        } else {
            self.p_point_then(point_at_i)
        };
        let range = self.p_range(i, point_at_i);
        match (then, range) {
            (Some(a), Some(b)) => Some(if b.0 > a.0 { b } else { a }),
            (a, b) => a.or(b),
        }
    }

    /// A range from the point at `i` (or after "from", "between"); `point_at_i` is
    /// `self.p_point(i)`.
    fn p_range(&self, i: usize, point_at_i: &PointMatch) -> Option<Match> {
        let (j, prefix) = match self.s(i) {
            "from" => (i + 1, "from"),
            "between" => (i + 1, "between"),
            _ => (i, ""),
        };
        // "the 1950-53 war", "the 2018-19 season": a year range whose end keeps only its last
        // two digits. Not when the end could be a month ("2010-11" is November 2010 in ISO).
        if let (Some((a, 4)), Some((b, 2))) = (self.num(j), self.num(j + 2)) {
            let end_year = a - a % 100 + b;
            let joined =
                matches!(self.s(j + 1), "-" | "\u{2013}") && self.glued(j + 1) && self.glued(j + 2);
            // Nothing glued after it: no letters or digits ("1950-53a"), no further number
            // ("1950-53-22", "2011-15.3").
            let glued_word = matches!(
                self.tok(j + 3).map(|t| t.kind),
                Some(TokKind::Num | TokKind::Word)
            );
            let glued_number = matches!(self.s(j + 3), "-" | "/" | ":" | ".")
                && self.glued(j + 4)
                && self.num(j + 4).is_some();
            let ends_here = !self.glued(j + 3) || !(glued_word || glued_number);
            // A bare "2012-14" could be a code or a reference; a word that introduces a period
            // before it ("the", "in", "during", ...) makes it the years.
            let introduced = j > 0
                && matches!(
                    self.s(j - 1),
                    "the"
                        | "in"
                        | "from"
                        | "during"
                        | "of"
                        | "since"
                        | "between"
                        | "for"
                        | "its"
                        | "his"
                        | "her"
                        | "their"
                        | "a"
                );
            if joined
                && ends_here
                && introduced
                && b > 12
                && end_year > a
                && (1000..=2999).contains(&a)
            {
                let year = |y: u32| Point {
                    date: Some(DateSpec::Ymd {
                        year: i32::try_from(y).ok(),
                        month: None,
                        day: None,
                    }),
                    ..Point::default()
                };
                return Some((
                    j + 3,
                    TimeSpec::Interval(year(a), year(end_year)),
                    "<year>-<yy>",
                ));
            }
        }
        // Asked for once: both readings below start with the point at `j`.
        let point_at_j = if j == i {
            point_at_i.clone()
        } else {
            self.p_point(j)
        };
        // "Thursday from 9:30 to 11:00": a day, then a time range on it.
        if prefix.is_empty() {
            if let Some((e, p, _)) = &point_at_j {
                let e = *e;
                if p.time.is_none()
                    && p.date.is_some()
                    && (matches!(self.s(e), "from" | "between") || self.num(e).is_some())
                {
                    if let Some((e2, TimeSpec::Interval(mut x, mut y), rule)) = self.p_interval(e) {
                        if x.date.is_none() && y.date.is_none() && x.time.is_some() {
                            x.date = p.date.clone();
                            y.date = p.date.clone();
                            return Some((e2, TimeSpec::Interval(x, y), rule));
                        }
                    }
                }
            }
        }
        let bare_hour = self
            .num(j)
            .filter(|(h, d)| *d <= 2 && (1..=12).contains(h))
            .map(|(h, _)| h);
        // "13-15 July", "from the 13 to the 15 of July": a bare day, then a full date.
        let (a_end, mut a) = match point_at_j {
            Some((e, p, _)) => (e, p),
            None => {
                // "1960 - 1961": a year before a later year ("2012-1400" is a code).
                let year_range = matches!(
                    (self.num(j), self.num(j + 2)),
                    (Some((a, 4)), Some((b, 4))) if b > a
                ) && matches!(self.s(j + 1), "-" | "to" | "through" | "\u{2013}");
                // `p_year` only for a year range (most tokens here start none).
                let year = if year_range {
                    self.p_year(j, true)
                } else {
                    None
                };
                if let Some((e, y)) = year {
                    (
                        e,
                        Point {
                            date: Some(y),
                            ..Point::default()
                        },
                    )
                } else {
                    let k = if self.is(j, "the") { j + 1 } else { j };
                    let (e, d) = self.p_day_number(k)?;
                    (
                        e,
                        Point {
                            date: Some(DateSpec::Ymd {
                                year: None,
                                month: None,
                                day: Some(d),
                            }),
                            ..Point::default()
                        },
                    )
                }
            }
        };
        let sep_ok = match prefix {
            "between" => matches!(self.s(a_end), "and" | "-"),
            // "Monday night into Tuesday morning"
            _ => matches!(
                self.s(a_end),
                "-" | "to" | "through" | "thru" | "till" | "until" | "untill" | "into" | "\u{2013}"
            ),
        };
        // "on Sept. 1 and 2", "September 1st and 2nd": two days in a row of one month are the
        // two days (a list of other days is not one interval).
        let next_day_list = prefix.is_empty() && self.is(a_end, "and") && {
            let k = if self.is(a_end + 1, "the") {
                a_end + 2
            } else {
                a_end + 1
            };
            match (&a.date, a.time, self.p_day_number(k)) {
                (
                    Some(DateSpec::Ymd {
                        month: Some(_),
                        day: Some(d),
                        ..
                    }),
                    None,
                    Some((e, d2)),
                ) => {
                    d2 == d + 1
                        && self.p_month_name(e, true).is_none()
                        && !self.is(e, "of")
                        && self.p_unit(e).is_none()
                }
                _ => false,
            }
        };
        if !sep_ok && !next_day_list {
            return None;
        }
        // "05/31/2024-14:15" is one date and time, not a range.
        if self.date_time_glue(a_end, &a) {
            return None;
        }
        let b_start = a_end + 1;
        let (b_end, b) = match self.p_point(b_start) {
            Some((e, p, _)) => (e, p),
            None => {
                let k = if self.is(b_start, "the") {
                    b_start + 1
                } else {
                    b_start
                };
                let (e, d) = self.p_day_number(k)?;
                // "13-15 July": the month may follow the second day.
                let (e2, month) = match self.p_month_name(e, true) {
                    Some((e2, m)) => (e2, Some(m)),
                    None => {
                        let k2 = if self.is(e, "of") { e + 1 } else { e };
                        match self.p_month_name(k2, true) {
                            Some((e2, m)) => (e2, Some(m)),
                            None => (e, None),
                        }
                    }
                };
                let mut b = Point {
                    date: Some(DateSpec::Ymd {
                        year: None,
                        month,
                        day: Some(d),
                    }),
                    ..Point::default()
                };
                // "May eighth - tenth, 2010", "Oct 26 - 28, 11:00:09 2023": a year, or a time
                // and a year, after the last day belong to the whole range.
                let k = if self.is_punct(e2, ",") { e2 + 1 } else { e2 };
                let mut end = e2;
                if let Some((ye, DateSpec::Ymd { year: Some(y), .. })) = self.p_year(k, true) {
                    b.date = Some(DateSpec::Ymd {
                        year: Some(y),
                        month,
                        day: Some(d),
                    });
                    end = ye;
                } else if let Some((pe, rest, _)) = self.p_point(k) {
                    let year = match rest.date {
                        None => Some(None),
                        Some(DateSpec::Ymd {
                            year: Some(y),
                            month: None,
                            day: None,
                        }) => Some(Some(y)),
                        _ => None,
                    };
                    if let (Some(year), Some(_)) = (year, rest.time) {
                        b.date = Some(DateSpec::Ymd {
                            year,
                            month,
                            day: Some(d),
                        });
                        b.time = rest.time;
                        b.zone = rest.zone;
                        end = pe;
                    }
                }
                (end, b)
            }
        };
        // "3-4pm", "from 3 to 4 in the PM": a bare hour before a clock time.
        if let (Some(h), Some(_)) = (bare_hour, b.time) {
            if a.time.is_none() && matches!(a.date, Some(DateSpec::Ymd { month: None, .. })) {
                a = Point {
                    time: valid_clock(h, 0, 0, None, Grain::Hour),
                    ..Point::default()
                };
            }
        }
        let (a, b) = complete_interval(a, b)?;
        Some((b_end, TimeSpec::Interval(a, b), "<date> - <date>"))
    }

    // ---- date-like points ----

    fn p_point(&self, i: usize) -> PointMatch {
        if let Some(m) = self.point_memo.borrow().get(i) {
            return m;
        }
        let m = self.p_point_uncached(i);
        self.point_memo.borrow_mut().put(i, m.clone());
        m
    }

    fn p_point_uncached(&self, i: usize) -> PointMatch {
        // The first component, at `i` itself: most calls find none (a number that is an
        // amount, a weak word before one) and return here, before the loop's buffers are set
        // up. A modifier needs no part-of-day check here (the point has no date yet).
        let mut pt = Point::default();
        let (first_end, first) = self.p_comp(i, &pt)?;
        if !merge(&mut pt, &first) {
            return None;
        }
        let mut names = RuleNames::default();
        names.push(comp_name(&first));
        let mut j = first_end;
        loop {
            let starts = {
                let mut v = self.connector_skips(j);
                // Log and machine formats glue the clock time to a full date: "06/Nov/2023:06:36:02",
                // "05/31/2024.14:15", "05/31/2024-14:15".
                if self.date_time_glue(j, &pt) {
                    v.push(j + 1);
                }
                v
            };
            let mut got = None;
            for s in starts {
                if let Some((e, c)) = self.p_comp(s, &pt) {
                    // A modifier after the day must lead into a part of day.
                    if matches!(c, Comp::Mod(_))
                        && pt.date.is_some()
                        && !self
                            .connector_skips(e)
                            .iter()
                            .any(|k| self.p_part(k).is_some())
                    {
                        continue;
                    }
                    let mut trial = pt.clone();
                    if merge(&mut trial, &c) {
                        got = Some((e, trial, c));
                        break;
                    }
                }
            }
            match got {
                Some((e, trial, c)) => {
                    pt = trial;
                    names.push(comp_name(&c));
                    j = e;
                }
                None => break,
            }
        }
        if pt.date.is_none() && pt.time.is_none() && pt.part.is_none() {
            return None;
        }
        if pt.modifier.is_some() && pt.date.is_none() && pt.part.is_none() {
            return None;
        }
        Some((j, pt, rule_name(names.as_slice())))
    }

    /// True when token `j` is a separator glued between a full date (with its year) and an
    /// `hh:mm` clock time.
    fn date_time_glue(&self, j: usize, pt: &Point) -> bool {
        pt.time.is_none()
            && matches!(
                pt.date,
                Some(DateSpec::Ymd {
                    year: Some(_),
                    month: Some(_),
                    day: Some(_),
                })
            )
            && matches!(self.s(j), ":" | "." | "-")
            && self.glued(j)
            && self.glued(j + 1)
            && self.num(j + 1).is_some_and(|(_, d)| d <= 2)
            && self.is_punct(j + 2, ":")
            && self.glued(j + 2)
    }

    /// Candidate starts of the next component after `j`: directly, or after a connector.
    fn connector_skips(&self, j: usize) -> Skips {
        let mut v = Skips::default();
        v.push(j);
        // ISO 8601 "1994-11-05T13:15:30"
        if self.is(j, "t") && self.glued(j) && self.glued(j + 1) && self.num(j + 1).is_some() {
            v.push(j + 1);
        }
        // "last week's Sunday", "Monday's 3pm meeting": a possessive joins two components.
        if self.is_apostrophe(j) && self.is(j + 1, "s") && self.glued(j) && self.glued(j + 1) {
            v.push(j + 2);
        }
        // Most tokens are not connectors: skip the table for them.
        if !matches!(
            self.s(j),
            "," | "at" | "on" | "in" | "of" | "@" | "the" | "around" | "about" | "by"
        ) {
            // "8:23 AM · Jul 9": a middle dot between a time and a date (social-media posts).
            if matches!(self.s(j), "\u{2219}" | "\u{b7}" | "\u{2022}") {
                v.push(j + 1);
            }
            return v;
        }
        const CONNECTORS: &[&[&str]] = &[
            &[",", "at"],
            &[",", "on"],
            &["in", "the"],
            &["on", "the"],
            &["of", "the"],
            &[","],
            &["at"],
            &["on"],
            &["of"],
            &["in"],
            &["@"],
            &["the"],
            &["around"],
            &["about"],
            &["by"],
        ];
        for c in CONNECTORS {
            if let Some(e) = self.seq_str(j, c) {
                v.push(e);
            }
        }
        v
    }

    fn p_comp(&self, i: usize, pt: &Point) -> Option<(usize, Comp)> {
        // Cheap reject: a component starts with a number, a time word, or zone punctuation.
        let plausible = match self.tok(i).map(|t| t.kind) {
            Some(TokKind::Num) => true,
            Some(TokKind::Word) => {
                self.info(i).is_some_and(|x| x.trigger.is_some())
                    || ((pt.time.is_some() || pt.part.is_some())
                        && self.slots.get(i).is_some_and(|t| t.tables & ZONE_BIT != 0))
                    || self.is(i, "local")
            }
            Some(TokKind::Punct) => pt.time.is_some() && matches!(self.s(i), "(" | "+" | "-"),
            None => false,
        };
        if !plausible {
            return None;
        }
        // Longest wins; on a tie the earlier rule in this list. Evaluated one by one so the
        // (large) candidates are not moved around in an array.
        let mut best: Option<(usize, Comp)> = None;
        // A macro, not a closure: a rule's `None` (the common answer) is then tested in place
        // instead of the whole candidate being copied into the closure's argument first.
        macro_rules! consider {
            ($candidate:expr $(,)?) => {
                if let Some(c) = $candidate {
                    if best.as_ref().is_none_or(|b| c.0 > b.0) {
                        best = Some(c);
                    }
                }
            };
        }
        // Which rules can start at this token, from its kind and word facts: a rule skipped
        // here would return `None` (each condition restates the rule's own first test), so the
        // answer is the same with fewer calls. This runs at most tokens that start a phrase.
        let can = self.comp_starts(i);
        if can & CAN_WORD != 0 {
            if can & CAN_MODIFIER != 0 {
                consider!(self.p_modifier(i));
            }
            if can & CAN_PART != 0 {
                consider!(self.p_part(i));
            }
            if can & CAN_WEEKDAY != 0 {
                consider!(self.p_weekday(i));
            }
            if can & CAN_RELDAY != 0 {
                consider!(self.p_relday(i));
            }
            if can & CAN_HOLIDAY != 0 {
                consider!(self.p_holiday(i));
            }
            consider!(self.p_season(i, pt));
        }
        if can & CAN_DAY_MONTH != 0 {
            consider!(self.p_month_day(i));
            consider!(self.p_week_of(i));
        }
        if can & CAN_THE_OR_NUMBER != 0 {
            consider!(self.p_day_of_month(i, pt));
        }
        if can & CAN_NUMBER != 0 {
            consider!(self.p_numeric_date(i));
        }
        if can & CAN_MONTH_OR_NUMBER != 0 {
            consider!(self.p_month_year(i));
        }
        if can & CAN_NUMBER != 0 {
            consider!(self
                .p_year(i, false)
                .map(|(e, d)| (e, Comp::Date(d, "<year>"))),);
        }
        if can & CAN_THE_OR_NUMBER != 0 {
            consider!(self.p_decade(i));
        }
        if can & CAN_ORDINAL != 0 {
            consider!(self.p_quarter(i));
            consider!(self.p_half(i));
            consider!(self.p_century(i));
        }
        if can & CAN_RELUNIT != 0 {
            consider!(self.p_relunit(i, pt));
        }
        if can & CAN_OFFSET != 0 {
            consider!(self.p_offset(i));
        }
        if can & CAN_ORDINAL != 0 {
            consider!(self.p_nth_of_month(i));
        }
        if can & CAN_WORD != 0 {
            consider!(self.p_mod_abbreviation(i));
        }
        if can & CAN_CLOCK != 0 {
            consider!(self.p_clock(i, pt));
        }
        consider!(self.p_zone(i, pt));
        if can & CAN_NUMBER != 0 {
            consider!(self.p_trailing_year(i, pt));
        }
        best
    }

    /// The groups of component rules that can start at token `i` (`CAN_*` bits); every bit
    /// for punctuation and for words without word-list facts, which are rare here.
    /// False when no rule of group `bit` (`CAN_*`) can start at token `i`: a word whose
    /// precomputed start bits lack it, a word without word-list facts (every group that can
    /// start with a word needs them, except where `comp_starts` says otherwise), or punctuation.
    /// Numbers can start every group but `CAN_WORD`.
    fn can_start(&self, i: usize, bit: u16) -> bool {
        match self.slots.get(i) {
            Some(slot) => match slot.tok.kind {
                TokKind::Num => true,
                TokKind::Word => slot.info.is_some() && slot.starts & bit != 0,
                _ => false,
            },
            None => false,
        }
    }

    fn comp_starts(&self, i: usize) -> u16 {
        match self.tok(i).map(|t| t.kind) {
            Some(TokKind::Num) => CAN_ALL & !CAN_WORD,
            Some(TokKind::Word) => match self.slots.get(i) {
                Some(slot) if slot.info.is_some() => slot.starts,
                _ => CAN_ALL,
            },
            _ => CAN_ALL,
        }
    }

    /// The year at the end of a date and time ("Thu Oct 26 11:00:09 EDT 2023", the Unix `date`
    /// format): after a clock time, a month and day that still lack a year take it even after a
    /// zone abbreviation.
    fn p_trailing_year(&self, i: usize, pt: &Point) -> Option<(usize, Comp)> {
        pt.time?;
        let open = matches!(
            pt.date,
            Some(
                DateSpec::Ymd {
                    year: None,
                    month: Some(_),
                    day: Some(_),
                } | DateSpec::MonthDayWeekday { .. }
            )
        );
        // Not a number after a comma or before a lower-case noun: "Oct 26 at 11:00, 2000
        // troops".
        let noun_next = self.word(i + 1).is_some() && !self.capitalized(i + 1);
        if !open || noun_next || (i > 0 && self.is_punct(i - 1, ",")) {
            return None;
        }
        let (e, y) = self.p_year(i, true)?;
        Some((e, Comp::Date(y, "<year>")))
    }

    /// "EOM", "BOY", "EOD": end/beginning of month/year/day.
    fn p_mod_abbreviation(&self, i: usize) -> Option<(usize, Comp)> {
        let (m, unit) = match self.s(i) {
            "eom" => ("end", Unit::Month),
            "bom" => ("start", Unit::Month),
            "eoy" => ("end", Unit::Year),
            "boy" => ("start", Unit::Year),
            "eod" => ("end", Unit::Day),
            _ => return None,
        };
        if !self.raw(i).chars().all(|c| c.is_ascii_uppercase())
            && !self.is(i.wrapping_sub(1), "the")
            && !self.is(i.wrapping_sub(1), "by")
        {
            return None;
        }
        let k = MODIFIERS
            .iter()
            .position(|x| x.words.first().is_some_and(|w| w == m))?;
        let d = if unit == Unit::Day {
            DateSpec::DayOffset(0)
        } else {
            DateSpec::RelUnit { unit, n: 0 }
        };
        Some((i + 1, Comp::ModDate(k, d)))
    }

    /// "the first Monday of March", "last Sunday of March 2014", "last day of October 2015",
    /// "the second Monday of next month".
    fn p_nth_of_month(&self, i: usize) -> Option<(usize, Comp)> {
        let k = if self.is(i, "the") { i + 1 } else { i };
        let (j, n) = if let Some((v, _)) = self.num(k) {
            if !matches!(self.s(k + 1), "st" | "nd" | "rd" | "th") {
                return None;
            }
            (k + 2, v as i64)
        } else {
            let v = self.info(k)?.ordinal?;
            (k + 1, if v == 99 { -1 } else { v as i64 })
        };
        // "the third last week of 2018", "fifth last day of May": counted from the end.
        let (j, n) = if n > 1 && self.is(j, "last") {
            (j + 1, -n)
        } else {
            (j, n)
        };
        // "the 20th day of next month": any day of the month; weekdays and weeks up to five.
        let max = if self.is(j, "day") { 31 } else { 5 };
        if !(1..=max).contains(&n.abs()) {
            return None;
        }
        // "week-end", "week end", "wkend"
        let (kind, j) = match self.info(j).and_then(|x| x.weekday) {
            Some(wd) if self.s(j).ends_with("day") => (NthKind::Weekday(wd), j),
            _ if self.is(j, "day") => (NthKind::Day, j),
            _ if self.seq_str(j, &["week", "-", "end"]).is_some() => (NthKind::Weekend, j + 2),
            _ if self.seq_str(j, &["week", "end"]).is_some() => (NthKind::Weekend, j + 1),
            _ if self.is(j, "week") => (NthKind::Week, j),
            _ if matches!(self.s(j), "weekend" | "wkend") => (NthKind::Weekend, j),
            _ => return None,
        };
        if !matches!(self.s(j + 1), "of" | "in") {
            return None;
        }
        let m = j + 2;
        // "of the month", "in the month"
        if self.is(m, "the") && self.is(m + 1, "month") {
            return Some((
                m + 2,
                Comp::Date(
                    DateSpec::NthOfMonth {
                        n,
                        kind,
                        month: Box::new(DateSpec::RelUnit {
                            unit: Unit::Month,
                            n: 0,
                        }),
                    },
                    "<ordinal> <weekday> of <month>",
                ),
            ));
        }
        let (e, comp) = [
            self.p_month_year(m),
            self.p_month_name(m, true).map(|(e, mm)| {
                (
                    e,
                    Comp::Date(
                        DateSpec::Ymd {
                            year: None,
                            month: Some(mm),
                            day: None,
                        },
                        "<month>",
                    ),
                )
            }),
            self.p_relunit(m, &Point::default()),
            self.p_year(m, true)
                .map(|(e, d)| (e, Comp::Date(d, "<year>"))),
        ]
        .into_iter()
        .flatten()
        .max_by_key(|c| c.0)?;
        let month = match comp {
            Comp::Date(
                d @ DateSpec::Ymd {
                    month: Some(_),
                    day: None,
                    ..
                },
                _,
            ) => d,
            // "the third last week of 2018": a year is a period too.
            Comp::Date(
                d @ DateSpec::Ymd {
                    year: Some(_),
                    month: None,
                    day: None,
                },
                _,
            ) if n < -1 => d,
            Comp::Date(
                d @ DateSpec::RelUnit {
                    unit: Unit::Month, ..
                },
                _,
            ) => d,
            // "of the month" returned above.
            _ => return None,
        };
        Some((
            e,
            Comp::Date(
                DateSpec::NthOfMonth {
                    n,
                    kind,
                    month: Box::new(month),
                },
                "<ordinal> <weekday> of <month>",
            ),
        ))
    }

    fn p_modifier(&self, i: usize) -> Option<(usize, Comp)> {
        let start = if self.is(i, "the") || self.is(i, "at") {
            i + 1
        } else {
            i
        };
        for &k in self.rows_at(&MODIFIER_INDEX, MODIFIER_BIT, start) {
            let Some(m) = MODIFIERS.get(k) else { continue };
            if let Some(mut e) = self.seq(start, &m.words) {
                if start > i && m.words.len() < 2 {
                    continue;
                }
                // "mid-September", "late-night"
                if self.is_punct(e, "-") && self.glued(e) {
                    e += 1;
                }
                return Some((e, Comp::Mod(k)));
            }
        }
        None
    }

    fn p_part_words(&self, i: usize) -> Option<(usize, usize)> {
        let rows = self.rows_at(&PART_INDEX, PART_BIT, i);
        self.longest_row(
            i,
            rows.iter()
                .filter_map(|&k| Some((k, PARTS_OF_DAY.get(k)?.words.as_slice()))),
        )
    }

    fn part_index(&self, phrase: &str) -> Option<usize> {
        PARTS_OF_DAY.iter().position(|p| p.phrase == phrase)
    }

    fn p_part(&self, i: usize) -> Option<(usize, Comp)> {
        match self.s(i) {
            "tonight" | "tonite" => {
                return Some((i + 1, Comp::DayPart(0, self.part_index("night")?)))
            }
            "this" | "today" | "yesterday" | "tomorrow" | "last" => {
                let day = match self.s(i) {
                    "yesterday" => -1,
                    "tomorrow" => 1,
                    "last" => -1,
                    _ => 0,
                };
                let (e, part) = self.p_part_words(i + 1)?;
                if self.s(i) == "last" && PARTS_OF_DAY.get(part)?.phrase != "night" {
                    return None;
                }
                // "late last night": handled by the modifier joining this component.
                return Some((e, Comp::DayPart(day, part)));
            }
            _ => {}
        }
        let start = if self.is(i, "in") && self.is(i + 1, "the") {
            i + 2
        } else if self.is(i, "the") {
            i + 1
        } else {
            i
        };
        let (e, part) = self.p_part_words(start)?;
        // "in the early hours of": keep "of" for the connector.
        Some((e, Comp::Part(part)))
    }

    fn p_weekday(&self, i: usize) -> Option<(usize, Comp)> {
        let (j, shift) = match self.s(i) {
            "this" | "coming" | "upcoming" => (i + 1, WeekdayShift::This),
            "next" => (i + 1, WeekdayShift::Next),
            "last" | "past" | "previous" => (i + 1, WeekdayShift::Last),
            "the" if self.is(i + 1, "coming") => (i + 2, WeekdayShift::This),
            _ => (i, WeekdayShift::Bare),
        };
        let w = self.word(j)?;
        let weekday = self.info(j)?.weekday?;
        let mut e = j + 1;
        let full = w.ends_with("day");
        if !full {
            // Abbreviations are ordinary words ("sat", "sun", "wed"): need a capital, a dot, or a
            // shift word before them.
            let dot = self.is_punct(e, ".") && self.glued(e);
            let not_a_word = matches!(w, "tue" | "tues" | "thu" | "thur" | "thurs" | "fri");
            if !(self.capitalized(j) || dot || shift != WeekdayShift::Bare || not_a_word) {
                return None;
            }
            if dot {
                e += 1;
            }
        }
        // "the Sunday Times", "the Monday Club": a weekday inside a capitalised name.
        let in_name = shift == WeekdayShift::Bare
            && j > 0
            && self.is(j - 1, "the")
            && !(j >= 2 && matches!(self.s(j - 2), "on" | "by" | "until" | "since" | "till"))
            && self.word(e).is_some()
            && self.capitalized(e)
            && self.info(e).is_none_or(|x| {
                x.weekday.is_none() && x.month.is_none() && x.unit.is_none() && x.number.is_none()
            });
        if in_name {
            return None;
        }
        // "Wednesday's parade": the possessive stays outside the phrase.
        let mut shift = shift;
        if shift == WeekdayShift::Bare && self.is(e, "after") && self.is(e + 1, "next") {
            shift = WeekdayShift::AfterNext;
            e += 2;
        }
        Some((
            e,
            Comp::Date(DateSpec::Weekday { weekday, shift }, "<weekday>"),
        ))
    }

    fn p_relday(&self, i: usize) -> Option<(usize, Comp)> {
        let d = |e: usize, n: i64| Some((e, Comp::Date(DateSpec::DayOffset(n), "<relative-day>")));
        let k = if self.is(i, "the") { i + 1 } else { i };
        if let Some(e) = self.seq_str(k, &["day", "before", "yesterday"]) {
            return d(e, -2);
        }
        if let Some(e) = self.seq_str(k, &["day", "after", "tomorrow"]) {
            return d(e, 2);
        }
        // "next weekday", "the last business day", "the previous working day"
        let n = match self.s(k) {
            "next" | "following" => 1,
            "last" | "previous" | "preceding" => -1,
            _ => 0,
        };
        if n != 0 {
            let e = BUSINESS_DAYS
                .iter()
                .filter_map(|words| self.seq(k + 1, words))
                .max();
            if let Some(e) = e {
                return Some((
                    e,
                    Comp::Date(DateSpec::BusinessDay(n), "<next|last> weekday"),
                ));
            }
        }
        match self.s(i) {
            "today" => d(i + 1, 0),
            "yesterday" => d(i + 1, -1),
            "tomorrow" | "tmrw" => d(i + 1, 1),
            // "now" at the end of a clause ("the deadline is now"); not "now in Beijing".
            "now" if self.at_phrase_end(i + 1) && !self.is(i.wrapping_sub(1), "from") => {
                Some((i + 1, Comp::Date(DateSpec::Now, "now")))
            }
            "right" if self.is(i + 1, "now") => Some((i + 2, Comp::Date(DateSpec::Now, "now"))),
            "asap" if self.raw(i) == "ASAP" => Some((i + 1, Comp::Date(DateSpec::Now, "now"))),
            "at" if self.is(i + 1, "the") && self.is(i + 2, "moment") => {
                Some((i + 3, Comp::Date(DateSpec::Now, "now")))
            }
            "as" if self.seq_str(i, &["as", "soon", "as", "possible"]).is_some() => {
                Some((i + 4, Comp::Date(DateSpec::Now, "now")))
            }
            _ => None,
        }
    }

    fn p_holiday(&self, i: usize) -> Option<(usize, Comp)> {
        let (j, shift) = match self.s(i) {
            "this" | "coming" | "upcoming" => (i + 1, WeekdayShift::This),
            "next" => (i + 1, WeekdayShift::Next),
            "last" | "past" | "previous" => (i + 1, WeekdayShift::Last),
            _ => (i, WeekdayShift::Bare),
        };
        let mut best: Option<(usize, usize)> = None;
        for &index in self.rows_at(&HOLIDAY_INDEX, HOLIDAY_BIT, j) {
            let Some(h) = HOLIDAYS.get(index) else {
                continue;
            };
            if let Some(e) = self.seq_apostrophe(j, &h.words) {
                if best.is_none_or(|b| e > b.0) {
                    best = Some((e, index));
                }
            }
        }
        let (e, index) = best?;
        // Words that are also ordinary English ("lent", "easter" lower case in "Easter egg" is
        // fine) need a capital or a shift word: "lent" is a verb.
        if self.s(j) == "lent" && !self.capitalized(j) && self.num(e).is_none_or(|(_, d)| d != 4) {
            return None;
        }
        Some((
            e,
            Comp::Date(
                DateSpec::Holiday {
                    index,
                    year: None,
                    years: None,
                    shift,
                },
                "<holiday>",
            ),
        ))
    }

    /// "this summer", "last winter", "in the spring", "the summer of 2019", "autumn 2020". A
    /// season word alone is not enough ("fall" and "spring" are also a verb and a noun).
    fn p_season(&self, i: usize, pt: &Point) -> Option<(usize, Comp)> {
        // The season word is token i, i + 1 or i + 2 (after "in the"): most tokens are
        // turned away here, before the prefix words are compared.
        if !(i..i + 3).any(|k| {
            self.slots
                .get(k)
                .is_some_and(|t| t.tables & SEASON_BIT != 0)
        }) {
            return None;
        }
        let (j, shift, prefixed) = match self.s(i) {
            "this" | "current" | "coming" | "upcoming" => (i + 1, Some(0), true),
            "next" | "following" => (i + 1, Some(1), true),
            "last" | "past" | "previous" => (i + 1, Some(-1), true),
            "in" | "during" | "over" | "until" | "by" | "since" => (
                if self.is(i + 1, "the") { i + 2 } else { i + 1 },
                None,
                true,
            ),
            "the" => (i + 1, None, false),
            _ => (i, None, false),
        };
        let (e, index) = SEASONS
            .iter()
            .enumerate()
            .filter_map(|(k, x)| self.seq(j, &x.words).map(|e| (e, k)))
            .max()?;
        // "summer 2019", "the summer of 2019"
        let yk = if self.is(e, "of") { e + 1 } else { e };
        if shift.is_none() {
            if let Some((ye, DateSpec::Ymd { year: Some(y), .. })) = self.p_year(yk, true) {
                let season = DateSpec::Season {
                    index,
                    year: Some(y),
                    shift: None,
                };
                return Some((ye, Comp::Date(season, "<season>")));
            }
        }
        // "during the summer" ("during" is not a trigger word, so the phrase starts at "the"),
        // but not "the fall of Rome" or "the spring of youth".
        let the_season = self.is(i, "the") && !self.is(e, "of") && !self.is(j, "fall");
        // "late summer", "early spring": after a modifier the bare name is the season.
        let modified = pt.modifier.is_some() && pt.date.is_none() && !self.is(e, "of");
        if !prefixed && !the_season && !modified {
            return None;
        }
        let season = DateSpec::Season {
            index,
            year: None,
            shift,
        };
        Some((e, Comp::Date(season, "<season>")))
    }

    /// Like `seq`, but an apostrophe in the phrase also matches a curly one.
    fn seq_apostrophe(&self, i: usize, words: &[String]) -> Option<usize> {
        let mut j = i;
        for w in words {
            let ok = self.s(j) == w.as_str() || (w == "'" && self.is_apostrophe(j));
            if !ok {
                return None;
            }
            j += 1;
        }
        Some(j)
    }

    /// A month name; `strong` requires nothing more, else weak names ("may", "march", "sept")
    /// must be capitalized.
    fn p_month_name(&self, i: usize, with_day: bool) -> Option<(usize, u32)> {
        let w = self.word(i)?;
        let (m, weak) = self.info(i)?.month?;
        let mut e = i + 1;
        // "Sept.", "Jan." (not the full stop after "July" or "May")
        if self.is_punct(e, ".")
            && self.glued(e)
            && w.len() <= 4
            && !matches!(w, "june" | "july" | "may")
        {
            e += 1;
        }
        if weak && !with_day && !self.capitalized(i) {
            return None;
        }
        // "May" the verb: "may" lower case never counts unless a day number is next to it.
        if w == "may" && !self.capitalized(i) && !with_day {
            return None;
        }
        Some((e, m))
    }

    /// A day of month: "3", "3rd", "03"; with an ordinal suffix when `ord` words are used.
    fn p_day_number(&self, i: usize) -> Option<(usize, u32)> {
        if let Some((v, digits)) = self.num(i) {
            if !(1..=31).contains(&v) || digits > 2 {
                return None;
            }
            let mut e = i + 1;
            if matches!(self.s(e), "st" | "nd" | "rd" | "th") && self.glued(e) {
                e += 1;
            }
            return Some((e, v));
        }
        let w = self.word(i)?;
        // "twenty-fourth", "thirty first"
        if matches!(w, "twenty" | "thirty") {
            let k = if self.is_punct(i + 1, "-") {
                i + 2
            } else {
                i + 1
            };
            let unit = self.info(k)?.ordinal?;
            let v = if w == "twenty" { 20 } else { 30 } + unit;
            return (unit < 10 && v <= 31).then_some((k + 1, v));
        }
        let v = self.info(i)?.ordinal?;
        (v <= 31).then_some((i + 1, v))
    }

    /// A two-digit year after a day and month ("3 Aug 96", "Aug 9, 96"), only at the end of a
    /// phrase, so "Sept. 3, 20 people" is not a year.
    fn p_short_year(&self, i: usize) -> Option<(usize, i32)> {
        let k = if self.is_punct(i, ",") { i + 1 } else { i };
        let (y, 2) = self.num(k)? else { return None };
        let next_ok = match self.tok(k + 1) {
            None => true,
            Some(t) => {
                t.kind == TokKind::Punct && !matches!(self.s(k + 1), ":" | "/" | "-" | "." | "%")
                    || self.is(k + 1, "at")
            }
        };
        next_ok.then_some((
            k + 1,
            if y < 50 {
                2000 + y as i32
            } else {
                1900 + y as i32
            },
        ))
    }

    /// An era after a year: "AD", "CE", "BC", "BCE" (capitalized), "a.d.", "b.c.". Returns
    /// the end and +1 (AD, CE) or -1 (BC, BCE).
    fn p_era(&self, i: usize) -> Option<(usize, i32)> {
        let w = self.word(i)?;
        if matches!(w, "ad" | "ce" | "bc" | "bce") {
            if !self.raw(i).chars().all(|c| c.is_ascii_uppercase()) {
                return None;
            }
            return Some((i + 1, if w.starts_with('b') { -1 } else { 1 }));
        }
        // "a.d.", "b.c.", "b.c.e."
        if !(self.is_punct(i + 1, ".") && self.glued(i + 1) && self.glued(i + 2)) {
            return None;
        }
        let sign = match (w, self.s(i + 2)) {
            ("a", "d") => 1,
            ("b", "c") => -1,
            _ => return None,
        };
        let mut e = i + 3;
        if self.is_punct(e, ".") && self.glued(e) {
            e += 1;
        }
        if sign < 0 && self.is(e, "e") && self.glued(e) {
            e += 1;
            if self.is_punct(e, ".") && self.glued(e) {
                e += 1;
            }
        }
        Some((e, sign))
    }

    /// A year of one to four digits with an era: "8 AD", "88 CE", "44 BC", "in 14 a.d.". A
    /// year below 1000 needs one. BC years are astronomical (1 BC = year 0, 44 BC = -43), the
    /// numbering chrono's dates use.
    fn p_era_year(&self, i: usize) -> Option<(usize, i32)> {
        let (y, digits) = self.num(i)?;
        if digits > 4 || y == 0 {
            return None;
        }
        let (e, sign) = self.p_era(i + 1)?;
        let y = i32::try_from(y).ok()?;
        Some((e, if sign > 0 { y } else { 1 - y }))
    }

    /// A year closing a full date: an era year ("August 10, 8 AD"), else a two-digit year.
    fn p_date_year(&self, i: usize) -> Option<(usize, i32)> {
        let k = if self.is_punct(i, ",") { i + 1 } else { i };
        self.p_era_year(k).or_else(|| self.p_short_year(i))
    }

    /// "the week of March 9", "the week of Sept. 1": the week that holds the date.
    fn p_week_of(&self, i: usize) -> Option<(usize, Comp)> {
        let e = self.seq_str(i, &["the", "week", "of"])?;
        let (e2, Comp::Date(d, _)) = self.p_month_day(e)? else {
            return None;
        };
        Some((
            e2,
            Comp::Date(DateSpec::WeekOf(Box::new(d)), "the week of <date>"),
        ))
    }

    fn p_month_day(&self, i: usize) -> Option<(usize, Comp)> {
        let name = "<month> <day>";
        // "September 3rd", "Sept. 3", "September 3, 2025"
        if let Some((e, m)) = self.p_month_name(i, true) {
            // "August-10-2012", "August/10, 2012"
            let sep = if matches!(self.s(e), "-" | "/") && self.glued(e) && self.glued(e + 1) {
                Some(self.s(e))
            } else {
                None
            };
            // "March, 6th 2016": a comma before the day only with an ordinal day, so "in March,
            // 6 people" stays a month and a number.
            let comma_ordinal = self.is_punct(e, ",")
                && self
                    .p_day_number(e + 1)
                    .is_some_and(|(de, _)| de > e + 2 || self.num(e + 1).is_none());
            let k = if sep.is_some() || self.is(e, "the") || comma_ordinal {
                e + 1
            } else {
                e
            };
            if let Some((e2, d)) = self.p_day_number(k) {
                if self.num(k).is_some() || k > e || !matches!(self.s(k), "last" | "second") {
                    // Not a time "May 3:30" or an amount "March 2,000".
                    if !(self.is_punct(e2, ":")
                        || (self.is_punct(e2, ",")
                            && self.glued(e2)
                            && self.num(e2 + 1).is_some_and(|n| n.1 == 3)))
                    {
                        if let Some(sep) = sep {
                            if self.s(e2) == sep && self.glued(e2) {
                                let (y, _) = self.num(e2 + 1)?;
                                return Some((
                                    e2 + 2,
                                    Comp::Date(
                                        DateSpec::Ymd {
                                            year: Some(y as i32),
                                            month: Some(m),
                                            day: Some(d),
                                        },
                                        name,
                                    ),
                                ));
                            }
                        }
                        if let Some((e3, y)) = self.p_date_year(e2) {
                            return Some((
                                e3,
                                Comp::Date(
                                    DateSpec::Ymd {
                                        year: Some(y),
                                        month: Some(m),
                                        day: Some(d),
                                    },
                                    name,
                                ),
                            ));
                        }
                        return Some((
                            e2,
                            Comp::Date(
                                DateSpec::Ymd {
                                    year: None,
                                    month: Some(m),
                                    day: Some(d),
                                },
                                name,
                            ),
                        ));
                    }
                }
            }
        }
        // "3 September", "3rd of September", "the 3rd of September", "10-August", "21-APR-16"
        let k = if self.is(i, "the") { i + 1 } else { i };
        let (e, d) = self.p_day_number(k)?;
        let glued_sep = matches!(self.s(e), "-" | "/") && self.glued(e) && self.glued(e + 1);
        let e = if self.is(e, "of") || glued_sep {
            e + 1
        } else {
            e
        };
        let (e2, m) = self.p_month_name(e, true)?;
        if glued_sep && matches!(self.s(e2), "-" | "/") && self.glued(e2) {
            if let Some((y, yd)) = self.num(e2 + 1) {
                let y = match yd {
                    2 => {
                        if y < 50 {
                            2000 + y as i32
                        } else {
                            1900 + y as i32
                        }
                    }
                    _ => y as i32,
                };
                return Some((
                    e2 + 2,
                    Comp::Date(
                        DateSpec::Ymd {
                            year: Some(y),
                            month: Some(m),
                            day: Some(d),
                        },
                        "<day> <month>",
                    ),
                ));
            }
        }
        if let Some((e3, y)) = self.p_date_year(e2) {
            return Some((
                e3,
                Comp::Date(
                    DateSpec::Ymd {
                        year: Some(y),
                        month: Some(m),
                        day: Some(d),
                    },
                    "<day> <month>",
                ),
            ));
        }
        Some((
            e2,
            Comp::Date(
                DateSpec::Ymd {
                    year: None,
                    month: Some(m),
                    day: Some(d),
                },
                "<day> <month>",
            ),
        ))
    }

    /// "the 24th", "on the 3rd" (an ordinal day of month alone).
    fn p_day_of_month(&self, i: usize, pt: &Point) -> Option<(usize, Comp)> {
        let k = if self.is(i, "the") { i + 1 } else { i };
        self.num(k)?;
        let (e, d) = self.p_day_number(k)?;
        // Needs an ordinal suffix, or a weekday before it ("Tuesday 19th"), or "of next month".
        let has_suffix = e > k + 1
            || (self.is(e, "of")
                && matches!(self.s(e + 1), "this" | "next" | "last" | "the")
                && self.p_relunit(e + 1, pt).is_some());
        if !has_suffix && !matches!(pt.date, Some(DateSpec::Weekday { .. })) {
            return None;
        }
        if !has_suffix {
            return None;
        }
        Some((
            e,
            Comp::Date(
                DateSpec::Ymd {
                    year: None,
                    month: None,
                    day: Some(d),
                },
                "<ordinal day>",
            ),
        ))
    }

    fn p_numeric_date(&self, i: usize) -> Option<(usize, Comp)> {
        let (a, ad) = self.num(i)?;
        // "2014 12 28": year, month and day as three space-separated numbers.
        if ad == 4 && (1000..=2999).contains(&a) && !self.glued(i + 1) && !self.glued(i + 2) {
            if let (Some((b, 2)), Some((c, 2))) = (self.num(i + 1), self.num(i + 2)) {
                let next_ok = match self.tok(i + 3) {
                    None => true,
                    Some(t) => {
                        t.kind == TokKind::Punct
                            && !matches!(self.s(i + 3), ":" | "/" | "-" | "." | "%")
                    }
                };
                if next_ok && chrono::NaiveDate::from_ymd_opt(a as i32, b, c).is_some() {
                    return Some((
                        i + 3,
                        Comp::Date(
                            DateSpec::Ymd {
                                year: Some(a as i32),
                                month: Some(b),
                                day: Some(c),
                            },
                            "<yyyy mm dd>",
                        ),
                    ));
                }
            }
        }
        let sep = self.s(i + 1);
        if !matches!(sep, "/" | "-" | ".") || !self.glued(i + 1) || !self.glued(i + 2) {
            return None;
        }
        // ISO "2025-09-03", "2014/10"
        if ad == 4 {
            let (b, _) = self.num(i + 2)?;
            if self.s(i + 3) == sep && self.glued(i + 3) && self.glued(i + 4) {
                let (c, _) = self.num(i + 4)?;
                // "2024-13-01" is no date: year-day-month is not a convention anyone writes, so
                // the numbers are not swapped (chrono swaps only in its casual mode).
                let (month, day, rule) = (b, c, "<yyyy-mm-dd>");
                chrono::NaiveDate::from_ymd_opt(a as i32, month, day)?;
                return Some((
                    i + 5,
                    Comp::Date(
                        DateSpec::Ymd {
                            year: Some(a as i32),
                            month: Some(month),
                            day: Some(day),
                        },
                        rule,
                    ),
                ));
            }
            if sep != "." && (1..=12).contains(&b) {
                return Some((
                    i + 3,
                    Comp::Date(
                        DateSpec::Ymd {
                            year: Some(a as i32),
                            month: Some(b),
                            day: None,
                        },
                        "<yyyy/mm>",
                    ),
                ));
            }
            return None;
        }
        if ad > 2 {
            return None;
        }
        let (b, bd) = self.num(i + 2)?;
        if bd > 2 {
            // "2/2013": month/year
            if sep == "/" && bd == 4 && (1..=12).contains(&a) {
                return Some((
                    i + 3,
                    Comp::Date(
                        DateSpec::Ymd {
                            year: Some(b as i32),
                            month: Some(a),
                            day: None,
                        },
                        "<mm/yyyy>",
                    ),
                ));
            }
            return None;
        }
        let mut e = i + 3;
        let mut year = None;
        if self.s(e) == sep && self.glued(e) && self.glued(e + 1) {
            if let Some((y, yd)) = self.num(e + 1) {
                year = Some(match yd {
                    2 => {
                        if y < 50 {
                            2000 + y as i32
                        } else {
                            1900 + y as i32
                        }
                    }
                    4 => y as i32,
                    _ => return None,
                });
                e += 2;
            }
        }
        // "10.15 pm" is a time, not a date; a dotted pair needs a year.
        if sep == "." && year.is_none() {
            return None;
        }
        // Dashes without a year are scores or ranges ("2-15") unless nothing else fits.
        if sep == "-" && year.is_none() {
            return None;
        }
        // US month/day by default; day/month when the first number cannot be a month. Dotted
        // dates ("01.09.2025") are written day first where they are used (Germany, Russia,
        // most of Europe), so they read day first when that is a date.
        let (month, day, rule) = if sep == "." && (1..=12).contains(&b) && (1..=31).contains(&a) {
            (b, a, "<d.m.y> (dotted, day first)")
        } else if (1..=12).contains(&a) {
            (a, b, "<m/d> (US order)")
        } else {
            (b, a, "<d/m> (first number > 12)")
        };
        if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
            return None;
        }
        Some((
            e,
            Comp::Date(
                DateSpec::Ymd {
                    year,
                    month: Some(month),
                    day: Some(day),
                },
                rule,
            ),
        ))
    }

    /// "January 2019", "in March", "Jan 2019", "June".
    fn p_month_year(&self, i: usize) -> Option<(usize, Comp)> {
        let prev = i.checked_sub(1).map(|p| self.s(p)).unwrap_or("");
        let context = matches!(
            prev,
            "in" | "since"
                | "until"
                | "till"
                | "by"
                | "of"
                | "during"
                | "early"
                | "late"
                | "mid"
                | "last"
                | "next"
                | "this"
                | "from"
                | "through"
                | "before"
                | "after"
                | "-"
        );
        // "2024 August", "2024-August", "2024 AD August"
        if let Some((v, 4)) = self.num(i) {
            let k = if (matches!(self.s(i + 1), "-" | "/") && self.glued(i + 1))
                || self.is(i + 1, "ad")
            {
                i + 2
            } else {
                i + 1
            };
            let (e, m) = self.p_month_name(k, true)?;
            // "2012/Aug/10", "2018 March 18"
            let d_at = if matches!(self.s(e), "-" | "/") && self.glued(e) {
                e + 1
            } else {
                e
            };
            if let Some((e2, d)) = self.p_day_number(d_at).filter(|_| self.num(d_at).is_some()) {
                return Some((
                    e2,
                    Comp::Date(
                        DateSpec::Ymd {
                            year: Some(v as i32),
                            month: Some(m),
                            day: Some(d),
                        },
                        "<year> <month> <day>",
                    ),
                ));
            }
            if self.num(e).is_some() {
                return None;
            }
            return Some((
                e,
                Comp::Date(
                    DateSpec::Ymd {
                        year: Some(v as i32),
                        month: Some(m),
                        day: None,
                    },
                    "<year> <month>",
                ),
            ));
        }
        // "32 August": an impossible day before the month.
        if i > 0 && self.num(i - 1).is_some_and(|(v, d)| d <= 2 && v > 31) {
            return None;
        }
        let (e, m) = self.p_month_name(i, false)?;
        let k = if self.is_punct(e, ",")
            || (matches!(self.s(e), "-" | "/") && self.glued(e) && self.glued(e + 1))
        {
            e + 1
        } else {
            e
        };
        if let Some((e2, DateSpec::Ymd { year: Some(y), .. })) = self.p_year(k, true) {
            return Some((
                e2,
                Comp::Date(
                    DateSpec::Ymd {
                        year: Some(y),
                        month: Some(m),
                        day: None,
                    },
                    "<month> <year>",
                ),
            ));
        }
        // "Aug 96": a two-digit number that cannot be a day.
        if let Some((y, 2)) = self.num(e) {
            if y >= 50 && self.tok(e + 1).is_none_or(|t| t.kind == TokKind::Punct) {
                return Some((
                    e + 1,
                    Comp::Date(
                        DateSpec::Ymd {
                            year: Some(1900 + y as i32),
                            month: Some(m),
                            day: None,
                        },
                        "<month> <year>",
                    ),
                ));
            }
        }
        // "February 151998", "March 2,000 troops": a number right after the month that is
        // neither a day nor a year makes the month doubtful.
        if self.num(e).is_some() && self.p_day_number(e).is_none() {
            return None;
        }
        let (_, weak) = self.info(i)?.month?;
        if weak && !context && !self.capitalized(i) {
            return None;
        }
        // A capitalized weak name alone ("May", "March") still needs a date context, since it
        // starts sentences as a verb or a name.
        if weak && !context {
            return None;
        }
        Some((
            e,
            Comp::Date(
                DateSpec::Ymd {
                    year: None,
                    month: Some(m),
                    day: None,
                },
                "<month>",
            ),
        ))
    }

    /// A year: 4 digits 1900..2100 in a plausible context; `loose` (after a month or "in")
    /// accepts 1000..2999.
    fn p_year(&self, i: usize, loose: bool) -> Option<(usize, DateSpec)> {
        if let Some((e, y)) = self.p_era_year(i) {
            return Some((
                e,
                DateSpec::Ymd {
                    year: Some(y),
                    month: None,
                    day: None,
                },
            ));
        }
        let (v, digits) = self.num(i)?;
        if digits != 4 {
            return None;
        }
        let prev = i.checked_sub(1).map(|p| self.s(p)).unwrap_or("");
        let prev_ctx = matches!(
            prev,
            "in" | "since"
                | "until"
                | "till"
                | "by"
                | "of"
                | "from"
                | "during"
                | "before"
                | "after"
                | "early"
                | "late"
                | "mid"
                | "year"
                | "between"
                | "and"
                | "to"
                | "through"
                | "circa"
                | "summer"
                | "spring"
                | "autumn"
                | "fall"
                | "winter"
                | "-"
                | "\u{2013}"
        );
        let range = if loose || prev_ctx {
            1000..=2999
        } else {
            1900..=2100
        };
        // After a month name that did not take it as its year ("32 August 2014"), or after an
        // acronym ("ABC 2000"), a number is not a year.
        if i > 0 && !loose {
            let prev_raw = self.raw(i - 1);
            let bad_day_before_month = i >= 2 && self.num(i - 2).is_some_and(|(v, _)| v > 31);
            // "August 32, 2014": the year of a date whose day is impossible.
            let bad_day_after_month = prev == ","
                && i >= 3
                && self.num(i - 2).is_some_and(|(v, d)| d <= 2 && v > 31)
                && self.info(i - 3).is_some_and(|x| x.month.is_some());
            if bad_day_after_month {
                return None;
            }
            if (self.info(i - 1).is_some_and(|x| x.month.is_some()) && bad_day_before_month)
                || (prev_raw.len() >= 2 && prev_raw.chars().all(|c| c.is_ascii_uppercase()))
            {
                return None;
            }
        }
        // A number with no words around it is not evidence of a year.
        if !loose && !prev_ctx && !self.slots.iter().any(|t| t.tok.kind == TokKind::Word) {
            return None;
        }
        if !range.contains(&v) {
            return None;
        }
        // "2100 GMT", "2000 UTC": a clock time before an upper-case zone abbreviation.
        if v / 100 <= 23
            && v % 100 <= 59
            && !matches!(prev, "in" | "since" | "during" | "of")
            && self.zone_abbreviation_at(i + 1)
        {
            return None;
        }
        // Amounts: "$2019", "2019%", "2000 troops", glued "2019th".
        if i > 0
            && self.glued(i)
            && matches!(self.s(i - 1), "$" | "€" | "£" | "#" | "." | "," | ":")
        {
            return None;
        }
        if self.glued(i + 1)
            && matches!(
                self.tok(i + 1).map(|t| t.kind),
                Some(TokKind::Word | TokKind::Num)
            )
        {
            return None;
        }
        if self.glued(i + 1)
            && matches!(self.s(i + 1), "%" | ":" | "." | ",")
            && self
                .tok(i + 2)
                .is_some_and(|t| t.kind == TokKind::Num && !t.space_before)
        {
            return None;
        }
        if !prev_ctx && !loose {
            if let Some(w) = self.word(i + 1) {
                let lower = !self.capitalized(i + 1);
                let function = matches!(
                    w,
                    "and"
                        | "or"
                        | "to"
                        | "for"
                        | "when"
                        | "as"
                        | "with"
                        | "but"
                        | "after"
                        | "before"
                        | "was"
                        | "were"
                        | "is"
                        | "had"
                        | "has"
                        | "in"
                        | "on"
                        | "at"
                        | "by"
                        | "from"
                        | "that"
                        | "which"
                        | "while"
                        | "until"
                        | "where"
                        | "the"
                        | "a"
                        | "ad"
                        | "bc"
                        | "of"
                        | "saw"
                        | "marked"
                );
                // "the 2016 election", "his 2019 visit": after a determiner a year may name a
                // single thing; "the 2000 troops" (a plural) stays a count.
                let determiner = i > 0
                    && matches!(
                        self.s(i - 1),
                        "the" | "his" | "her" | "its" | "their" | "our" | "my" | "your" | "s"
                    );
                let singular = !w.ends_with('s')
                    || w.ends_with("ss")
                    || w.ends_with("is")
                    || w.ends_with("us");
                if lower && !function && !(determiner && singular) {
                    return None;
                }
            }
        }
        if self.num(i + 1).is_some() && self.num(i + 2).is_some() {
            return None;
        }
        let mut e = i + 1;
        if matches!(self.s(e), "ad" | "a.d") {
            e += 1;
        }
        Some((
            e,
            DateSpec::Ymd {
                year: Some(v as i32),
                month: None,
                day: None,
            },
        ))
    }

    fn p_decade(&self, i: usize) -> Option<(usize, Comp)> {
        let k = if self.is(i, "the") { i + 1 } else { i };
        // "1990s", "the '90s"
        if self.is_apostrophe(k) {
            let (v, 2) = self.num(k + 1)? else {
                return None;
            };
            if self.is(k + 2, "s") && self.glued(k + 2) && v % 10 == 0 {
                let y = if v < 30 { 2000 + v } else { 1900 + v };
                return Some((k + 3, Comp::Date(DateSpec::Decade(y as i32), "<decade>")));
            }
            return None;
        }
        let (v, 4) = self.num(k)? else { return None };
        if v % 10 == 0 && self.is(k + 1, "s") && self.glued(k + 1) && (1000..=2990).contains(&v) {
            return Some((k + 2, Comp::Date(DateSpec::Decade(v as i32), "<decade>")));
        }
        None
    }

    /// "the second half of 2025", "the first half of the year", "the 2nd half of next year".
    /// "the 19th century", "the twentieth century", "19th-century": the hundred years from
    /// (n - 1) × 100.
    fn p_century(&self, i: usize) -> Option<(usize, Comp)> {
        let k = if self.is(i, "the") { i + 1 } else { i };
        let (n, mut e) = if let Some((v, _)) = self.num(k) {
            if !matches!(self.s(k + 1), "st" | "nd" | "rd" | "th") || !self.glued(k + 1) {
                return None;
            }
            (v, k + 2)
        } else {
            (self.info(k)?.ordinal?, k + 1)
        };
        if self.is_punct(e, "-") && self.glued(e) && self.glued(e + 1) {
            e += 1;
        }
        if !(1..=30).contains(&n) || !self.is(e, "century") {
            return None;
        }
        let start = i32::try_from(n).ok()?.checked_sub(1)?.checked_mul(100)?;
        Some((
            e + 1,
            Comp::Date(DateSpec::Century(start), "<ordinal> century"),
        ))
    }

    fn p_half(&self, i: usize) -> Option<(usize, Comp)> {
        let half_of = |half: u32, e: usize| -> Option<(usize, Comp)> {
            let (year, years, end) =
                if let Some((ye, DateSpec::Ymd { year: Some(y), .. })) = self.p_year(e, true) {
                    (Some(y), 0, ye)
                } else if let Some(ye) = self
                    .seq_str(e, &["the", "year"])
                    .or_else(|| self.seq_str(e, &["this", "year"]))
                {
                    (None, 0, ye)
                } else if let Some(ye) = self.seq_str(e, &["next", "year"]) {
                    (None, 1, ye)
                } else if let Some(ye) = self
                    .seq_str(e, &["last", "year"])
                    .or_else(|| self.seq_str(e, &["previous", "year"]))
                {
                    (None, -1, ye)
                } else {
                    return None;
                };
            Some((
                end,
                Comp::Date(
                    DateSpec::Half { half, year, years },
                    "<ordinal> half of <year>",
                ),
            ))
        };
        let k = if self.is(i, "the") { i + 1 } else { i };
        let (half, e) = if let Some((v, _)) = self.num(k) {
            if !matches!(self.s(k + 1), "st" | "nd") {
                return None;
            }
            (v, k + 2)
        } else {
            (self.info(k)?.ordinal?, k + 1)
        };
        if !(1..=2).contains(&half) || !self.is(e, "half") || !self.is(e + 1, "of") {
            return None;
        }
        half_of(half, e + 2)
    }

    fn p_quarter(&self, i: usize) -> Option<(usize, Comp)> {
        // "Q3", "Q3 2025", "2018Q4"
        if let Some((y, 4)) = self.num(i) {
            if self.is(i + 1, "q") && self.glued(i + 1) {
                let (q, _) = self.num(i + 2)?;
                if (1..=4).contains(&q) && self.glued(i + 2) {
                    return Some((
                        i + 3,
                        Comp::Date(
                            DateSpec::Quarter {
                                quarter: q,
                                year: Some(y as i32),
                            },
                            "<year>Q<n>",
                        ),
                    ));
                }
            }
            return None;
        }
        if self.is(i, "q") {
            let (q, _) = self.num(i + 1)?;
            if !(1..=4).contains(&q) || !self.glued(i + 1) {
                return None;
            }
            return Some((
                i + 2,
                Comp::Date(
                    DateSpec::Quarter {
                        quarter: q,
                        year: None,
                    },
                    "Q<n>",
                ),
            ));
        }
        // "the third quarter", "3rd qtr"
        let k = if self.is(i, "the") { i + 1 } else { i };
        let q = if let Some((v, _)) = self.num(k) {
            if !matches!(self.s(k + 1), "st" | "nd" | "rd" | "th") {
                return None;
            }
            (v, k + 2)
        } else {
            (self.info(k)?.ordinal?, k + 1)
        };
        let (n, mut e) = q;
        // "third-quarter profit"
        if self.is_punct(e, "-") && self.glued(e) && self.glued(e + 1) {
            e += 1;
        }
        if !(1..=4).contains(&n) || !matches!(self.s(e), "quarter" | "qtr") {
            return None;
        }
        Some((
            e + 1,
            Comp::Date(
                DateSpec::Quarter {
                    quarter: n,
                    year: None,
                },
                "<ordinal> quarter",
            ),
        ))
    }

    /// "next week", "last month", "this year", "the coming week", "earlier this week",
    /// "the past three days".
    fn p_relunit(&self, i: usize, pt: &Point) -> Option<(usize, Comp)> {
        // A number in digits starts only "<n> upcoming <unit>": "upcoming" right after it, or
        // after a fraction or decimal ("1.5 upcoming", as `p_number` reads three tokens).
        if self.num(i).is_some() && !self.is(i + 1, "upcoming") && !self.is(i + 3, "upcoming") {
            return None;
        }
        // "this time last year": the same day one unit back (or ahead), not the whole year.
        if let Some(e) = self.seq_str(i, &["this", "time"]) {
            let n = match self.s(e) {
                "last" => -1,
                "next" => 1,
                _ => return None,
            };
            let (e2, unit) = self.p_unit(e + 1)?;
            if !matches!(unit, Unit::Week | Unit::Month | Unit::Year) {
                return None;
            }
            return Some((
                e2,
                Comp::Date(
                    DateSpec::OffsetDay { unit, n },
                    "this time last|next <unit>",
                ),
            ));
        }
        // "earlier this week", "later this year"
        if matches!(self.s(i), "earlier" | "later") && self.is(i + 1, "this") {
            let (e, unit) = self.p_unit(i + 2)?;
            if matches!(
                unit,
                Unit::Day | Unit::Week | Unit::Month | Unit::Quarter | Unit::Year
            ) {
                let later = self.is(i, "later");
                return Some((
                    e,
                    Comp::Date(
                        DateSpec::RestOfUnit { unit, later },
                        "earlier|later this <unit>",
                    ),
                ));
            }
            return None;
        }
        let k = if self.is(i, "the") { i + 1 } else { i };
        // "the coming days", "the past weeks", "recent years": as many of the unit as a plural
        // with no count allows, from or up to the reference ("the last days of the war" is
        // about the war, not the reference).
        let plural_dir = match self.s(k) {
            "coming" | "next" | "upcoming" => Some(1),
            "past" | "recent" => Some(-1),
            "last" => Some(-1),
            _ => None,
        };
        if let Some(dir) = plural_dir {
            if let Some((e, a)) = self.p_bare_plural(k + 1) {
                // "his last days", "the last days of the war": the final ones of something.
                let final_ones = self.is(k, "last") && (k == i || self.is(e, "of"));
                if final_ones
                    || self.is(e, "of")
                    || !matches!(
                        a.unit,
                        Unit::Minute
                            | Unit::Hour
                            | Unit::Day
                            | Unit::Week
                            | Unit::Month
                            | Unit::Year
                            | Unit::Decade
                    )
                {
                    return None;
                }
                let (_, far) = a.count_range()?;
                return Some((
                    e,
                    Comp::Date(
                        DateSpec::Span {
                            unit: a.unit,
                            n: dir * far,
                        },
                        "the coming|past <units>",
                    ),
                ));
            }
        }
        // "the rest of the week", "rest of this month": from the reference to the unit's end.
        if self.is(k, "rest") && self.is(k + 1, "of") && matches!(self.s(k + 2), "the" | "this") {
            let (e, unit) = self.p_unit(k + 3)?;
            if matches!(
                unit,
                Unit::Day | Unit::Week | Unit::Month | Unit::Quarter | Unit::Year
            ) {
                return Some((
                    e,
                    Comp::Date(
                        DateSpec::RestOfUnit { unit, later: true },
                        "earlier|later this <unit>",
                    ),
                ));
            }
            return None;
        }
        // "all week", "all month": the current one.
        if self.is(i, "all") {
            let (e, unit) = self.p_unit(i + 1)?;
            if matches!(unit, Unit::Week | Unit::Month | Unit::Year) {
                return Some((
                    e,
                    Comp::Date(DateSpec::RelUnit { unit, n: 0 }, "<this|next|last> <unit>"),
                ));
            }
            return None;
        }
        // "the end of the month": after a modifier, "the month" is the current one.
        if pt.modifier.is_some() && pt.date.is_none() {
            if let Some((e, unit)) = self.p_unit(k) {
                if matches!(unit, Unit::Week | Unit::Month | Unit::Year | Unit::Quarter) {
                    return Some((
                        e,
                        Comp::Date(DateSpec::RelUnit { unit, n: 0 }, "<this|next|last> <unit>"),
                    ));
                }
            }
        }
        // Duckling: "upcoming two weeks" and "two upcoming weeks" name the week two weeks ahead.
        if let Some((e, count)) = self
            .p_number(k)
            .filter(|_| !matches!(self.s(k), "a" | "an"))
        {
            if self.is(e, "upcoming") {
                if let Some((e2, unit)) = self.p_unit(e + 1) {
                    let n = whole(count)?;
                    return Some((
                        e2,
                        Comp::Date(DateSpec::RelUnit { unit, n }, "<n> upcoming <unit>"),
                    ));
                }
            }
        }
        if self.is(k, "upcoming") {
            if let Some((e, a)) = self
                .p_amount(k + 1)
                .filter(|_| !matches!(self.s(k + 1), "a" | "an"))
            {
                let n = whole(a.amount)?;
                return Some((
                    e,
                    Comp::Date(DateSpec::RelUnit { unit: a.unit, n }, "<n> upcoming <unit>"),
                ));
            }
        }
        // "over the weekend", "the week-end": which one depends on the tense, like "Monday".
        if self.is(i, "the") {
            let end = if self.is(i + 1, "weekend") {
                Some(i + 2)
            } else {
                self.seq_str(i + 1, &["week", "-", "end"])
            };
            if let Some(e) = end {
                return Some((e, Comp::Date(DateSpec::Weekend(None), "the weekend")));
            }
        }
        let n: i64 = match self.s(k) {
            // "will last 70 minutes", "could last three days": the verb, not "the last".
            "last"
                if k > 0
                    && matches!(
                        self.s(k - 1),
                        "will"
                            | "would"
                            | "could"
                            | "can"
                            | "may"
                            | "might"
                            | "should"
                            | "must"
                            | "to"
                            | "did"
                            | "does"
                            | "do"
                            | "ll"
                    ) =>
            {
                return None
            }
            "this" | "current" => 0,
            "next" | "coming" | "upcoming" | "following" => 1,
            "last" | "past" | "previous" | "preceding" => -1,
            _ => return None,
        };
        // "the following week" is relative to the event ... but in news it mostly means the week
        // after the reference; kept calendar-relative.
        if let Some((e, a)) = self.p_amount(k + 1) {
            // "the past few days": as many days as "a few" allows.
            let count = match a.count_range() {
                Some((_, most)) => most,
                None => whole(a.amount)?,
            };
            if count >= 1 && a.approximator.is_none() && !matches!(self.s(k + 1), "a" | "an") {
                return Some((
                    e,
                    Comp::Date(
                        DateSpec::Span {
                            unit: a.unit,
                            n: n.signum() * count,
                        },
                        "<last|next> <n> <unit>",
                    ),
                ));
            }
        }
        // "this week-end", "next week end"
        let spelled = self
            .seq_str(k + 1, &["week", "-", "end"])
            .or_else(|| self.seq_str(k + 1, &["week", "end"]));
        if let Some(e) = spelled {
            return Some((
                e,
                Comp::Date(DateSpec::Weekend(Some(n)), "<this|next|last> weekend"),
            ));
        }
        if self.is(k + 1, "weekend") {
            return Some((
                k + 2,
                Comp::Date(DateSpec::Weekend(Some(n)), "<this|next|last> weekend"),
            ));
        }
        let (e, unit) = self.p_unit(k + 1)?;
        if matches!(unit, Unit::Second | Unit::Minute) || (unit == Unit::Hour && n == 0) {
            return None;
        }
        // "the past decade" is the ten years up to the reference, like "the past ten years";
        // "the last decade" stays the previous calendar decade (the 2010s in 2025).
        if self.is(k, "past") && matches!(unit, Unit::Decade | Unit::Century) {
            let years = if unit == Unit::Decade { 10 } else { 100 };
            return Some((
                e,
                Comp::Date(
                    DateSpec::Span {
                        unit: Unit::Year,
                        n: -years,
                    },
                    "the past decade|century",
                ),
            ));
        }
        Some((
            e,
            Comp::Date(DateSpec::RelUnit { unit, n }, "<this|next|last> <unit>"),
        ))
    }

    fn p_ampm(&self, i: usize) -> Option<(usize, bool)> {
        // "3 in the AM", "from 3 to 4 in the PM"
        if self.is(i, "in") && self.is(i + 1, "the") && matches!(self.s(i + 2), "am" | "pm") {
            return Some((i + 3, self.is(i + 2, "pm")));
        }
        let w = self.word(i)?;
        let pm = match w {
            "am" | "a" => false,
            "pm" | "p" => true,
            _ => return None,
        };
        // "a.m.", "p.m."
        if self.is_punct(i + 1, ".")
            && self.glued(i + 1)
            && self.is(i + 2, "m")
            && self.glued(i + 2)
        {
            let e = if self.is_punct(i + 3, ".") && self.glued(i + 3) {
                i + 4
            } else {
                i + 3
            };
            return Some((e, pm));
        }
        if w.len() == 1 && !self.glued(i) {
            // "3 a" is not a time; "3p" is.
            if !(self.is(i + 1, "m")) {
                return None;
            }
        }
        if w.len() == 1 && self.is(i + 1, "m") && self.glued(i + 1) {
            return Some((i + 2, pm));
        }
        // "4a" is a grade, a flat or a form number far more often than 4 a.m. in news; after
        // minutes ("3:18a") it is a time, and "3p" stays one.
        if w == "a" && !(i >= 2 && self.is_punct(i - 2, ":")) {
            return None;
        }
        Some((i + 1, pm))
    }

    /// "o'clock", "o’clock", "o clock", "oclock"; returns the end.
    fn p_oclock(&self, i: usize) -> Option<usize> {
        if self.is(i, "oclock") {
            return Some(i + 1);
        }
        if !self.is(i, "o") {
            return None;
        }
        if self.is_apostrophe(i + 1) && self.is(i + 2, "clock") {
            return Some(i + 3);
        }
        self.is(i + 1, "clock").then_some(i + 2)
    }

    /// An hour written as a number or a word ("3", "three"), 0..=24.
    fn p_hour(&self, i: usize) -> Option<(usize, u32, usize)> {
        if let Some((h, hd)) = self.num(i) {
            return (hd <= 2 && h <= 24).then_some((i + 1, h, hd));
        }
        let w = self.word(i)?;
        if matches!(w, "a" | "an" | "several") {
            return None;
        }
        let h = self.info(i)?.number?;
        (h <= 12).then_some((i + 1, h, 0))
    }

    /// True when a part of day follows at `i`, maybe after "at"/"in the"/"this" ("8 tonight",
    /// "11 at night", "6 in the afternoon").
    fn part_follows(&self, i: usize) -> bool {
        let k = if self.is(i, "at") { i + 1 } else { i };
        self.p_part(k).is_some()
    }

    fn p_clock(&self, i: usize, pt: &Point) -> Option<(usize, Comp)> {
        match self.s(i) {
            "noon" | "midday" if self.s(i) == "noon" => {
                return Some((
                    i + 1,
                    Comp::Time(clock(12, 0, Some(true), Grain::Hour), "noon"),
                ))
            }
            // Midnight ends the day it names: 24:00, i.e. 00:00 of the next day.
            "midnight" => {
                return Some((
                    i + 1,
                    Comp::Time(clock(24, 0, None, Grain::Hour), "midnight"),
                ))
            }
            "at" | "@" | "around" | "about" => return self.p_clock(i + 1, pt),
            _ => {}
        }
        // "a quarter past 3", "half past three", "20 to noon", "twenty after 3pm"
        if let Some(x) = self.p_clock_relative(i, pt) {
            return Some(x);
        }
        let (_, h, hd) = self
            .p_hour(i)
            .or_else(|| self.num(i).map(|(v, d)| (i + 1, v, d)))?;
        let prev_at = i > 0
            && matches!(
                self.s(i - 1),
                "at" | "@" | "around" | "about" | "by" | "until" | "till" | "before" | "after"
            );
        if hd == 0 {
            // A number word: "three pm", "eight tonight", "at three".
            let e = i + 1;
            if let Some((ae, pm)) = self.p_ampm(e) {
                return valid_clock(h, 0, 0, Some(pm), Grain::Hour)
                    .map(|c| (ae, Comp::Time(c, "<h> am|pm")));
            }
            if let Some(oe) = self.p_oclock(e) {
                return valid_clock(h, 0, 0, None, Grain::Hour)
                    .map(|c| (oe, Comp::Time(c, "<h> o'clock")));
            }
            // "ten thirty am", "at seven fifteen"
            if let Some((me, minutes)) = self
                .p_number(e)
                .filter(|(_, m)| *m >= 1.0 && *m < 60.0 && m.fract() == 0.0)
            {
                if self.word(e).is_some() && !matches!(self.s(e), "a" | "an") {
                    let ampm = self.p_ampm(me);
                    if ampm.is_some() || prev_at {
                        let pm = ampm.map(|a| a.1);
                        let end = ampm.map(|a| a.0).unwrap_or(me);
                        return valid_clock(h, minutes as u32, 0, pm, Grain::Minute)
                            .map(|c| (end, Comp::Time(c, "<h> <mm> (words)")));
                    }
                }
            }
            if (prev_at && (self.at_phrase_end(e) || self.part_follows(e) || pt.part.is_some()))
                || (self.part_follows(e) && (1..=12).contains(&h))
            {
                return valid_clock(h, 0, 0, None, Grain::Hour)
                    .map(|c| (e, Comp::Time(c, "at <h>")));
            }
            return None;
        }
        // "7:30", "19:30:15", "10.15 pm", "13h15"
        let sep = self.s(i + 1);
        if matches!(sep, ":" | "." | "h") && self.glued(i + 1) && hd <= 2 {
            if let Some((m, 2)) = self.num(i + 2).filter(|_| self.glued(i + 2)) {
                let mut e = i + 3;
                let mut s = 0;
                let mut grain = Grain::Minute;
                if sep == ":" && self.is_punct(e, ":") && self.glued(e) {
                    if let Some((sv, 2)) = self.num(e + 1) {
                        s = sv;
                        e += 2;
                        grain = Grain::Second;
                        // fractions of a second: "23:45:00.487"
                        if self.is_punct(e, ".")
                            && self.glued(e)
                            && self.num(e + 1).is_some()
                            && self.glued(e + 1)
                        {
                            e += 2;
                        }
                    }
                }
                let ampm = self.p_ampm(e);
                if sep == "." && ampm.is_none() {
                    return None;
                }
                // "01:05" with nothing around it is a video length in a web page, not a time.
                let zero_padded = hd == 2 && self.s(i).starts_with('0') && sep == ":";
                if zero_padded && ampm.is_none() && !prev_at && i > 0 && !self.is(i - 1, "t") {
                    let zone_probe = Point {
                        time: Some(clock(0, 0, None, Grain::Minute)),
                        ..Point::default()
                    };
                    let context_after = self.p_zone(e, &zone_probe).is_some()
                        || matches!(self.s(e), "local" | "hrs" | "hours" | "on" | "-" | "to");
                    let context_before = matches!(
                        self.s(i - 1),
                        "from"
                            | "until"
                            | "till"
                            | "by"
                            | "-"
                            | "to"
                            | "between"
                            | "and"
                            | "since"
                            | "around"
                            | "about"
                            | ","
                            | "("
                    );
                    if !context_after && !context_before && pt.date.is_none() {
                        return None;
                    }
                }
                // A 24-hour "13h15" has no am/pm ambiguity.
                let pm = ampm.map(|a| a.1).or((sep == "h").then_some(h >= 12));
                if let Some((ae, _)) = ampm {
                    e = ae;
                }
                return valid_clock(h, m, s, pm, grain).map(|c| (e, Comp::Time(c, "<hh:mm>")));
            }
            if sep == "h" {
                // "8h", "15h": a 24-hour clock hour.
                return valid_clock(h, 0, 0, Some(h >= 12), Grain::Hour)
                    .map(|c| (i + 2, Comp::Time(c, "<hh>h")));
            }
        }
        // "7pm", "7 p.m."
        if hd <= 2 {
            if let Some((e, pm)) = self.p_ampm(i + 1) {
                return valid_clock(h, 0, 0, Some(pm), Grain::Hour)
                    .map(|c| (e, Comp::Time(c, "<h> am|pm")));
            }
            if let Some(oe) = self.p_oclock(i + 1) {
                let ampm = self.p_ampm(oe);
                return valid_clock(h, 0, 0, ampm.map(|a| a.1), Grain::Hour).map(|c| {
                    (
                        ampm.map(|a| a.0).unwrap_or(oe),
                        Comp::Time(c, "<h> o'clock"),
                    )
                });
            }
            // "at 3 15": hour and minutes as two numbers after "at".
            if prev_at {
                if let Some((m, 2)) = self.num(i + 1) {
                    if m < 60 && self.at_phrase_end(i + 2) {
                        return valid_clock(h, m, 0, None, Grain::Minute)
                            .map(|c| (i + 2, Comp::Time(c, "<hh:mm>")));
                    }
                }
            }
        }
        let zone_probe = Point {
            time: Some(clock(0, 0, None, Grain::Minute)),
            ..Point::default()
        };
        let zone_next = self.p_zone(i + 1, &zone_probe).is_some();
        // "0900 local time", "1315 GMT", "at 1030", "330 p.m."
        if (hd == 4 || hd == 3) && self.numeric_cluster_end(i) == i + 1 {
            let (hh, mm) = (h / 100, h % 100);
            let ampm = self.p_ampm(i + 1);
            let hrs = self.is(i + 1, "hrs")
                || (self.is(i + 1, "hours") && hd == 4 && self.s(i).starts_with('0'));
            if zone_next || prev_at || ampm.is_some() || hrs {
                let e = ampm.map(|p| p.0).unwrap_or(if hrs { i + 2 } else { i + 1 });
                return valid_clock(hh, mm, 0, ampm.map(|p| p.1), Grain::Minute)
                    .map(|c| (e, Comp::Time(c, "<hhmm>")));
            }
        }
        // "at 7", "Saturday morning at 9", "8 tonight", "11 at night", "at 8 GMT"
        if hd <= 2 && h <= 23 {
            let next_ok = match self.tok(i + 1) {
                None => true,
                Some(t) if t.kind == TokKind::Punct => {
                    !matches!(self.s(i + 1), "%" | "/" | "-" | ":" | "." | ",")
                }
                Some(_) => {
                    zone_next
                        || matches!(
                            self.s(i + 1),
                            "tonight" | "this" | "in" | "on" | "tomorrow" | "today" | "local"
                        )
                }
            } || (self.is_punct(i + 1, ",") && self.num(i + 2).is_none());
            let part_next =
                (self.part_follows(i + 1) || self.is(i + 1, "tomorrow")) && (1..=12).contains(&h);
            if ((prev_at || pt.part.is_some()) && next_ok) || part_next {
                return valid_clock(h, 0, 0, None, Grain::Hour)
                    .map(|c| (i + 1, Comp::Time(c, "at <h>")));
            }
        }
        None
    }

    /// "a quarter past 3pm", "half past three", "20 past 3", "15 to noon", "twenty after 3pm".
    fn p_clock_relative(&self, i: usize, pt: &Point) -> Option<(usize, Comp)> {
        let mut weak = false;
        let (j, minutes) = if self.is(i, "a") && self.is(i + 1, "quarter") {
            (i + 2, 15)
        } else if self.is(i, "quarter") {
            (i + 1, 15)
        } else if self.is(i, "half") {
            (i + 1, 30)
        } else {
            let (e, v) = self
                .p_number(i)
                .filter(|(_, v)| v.fract() == 0.0 && !matches!(self.s(i), "a" | "an"))?;
            let v = v as u32;
            let with_unit = self.is(e, "minutes") || self.is(e, "mins");
            // "13 to 15 July" is a range: bare digits need an explicit clock after them.
            weak = !with_unit && self.num(i).is_some();
            (if with_unit { e + 1 } else { e }, v)
        };
        if minutes == 0 || minutes >= 60 {
            return None;
        }
        let before = match self.s(j) {
            "past" | "after" => false,
            "to" | "till" | "before" => true,
            _ => return None,
        };
        // "from 9 to 11 a.m.", "9 to 11 a.m.": an hour in digits before "to" and a clock time
        // is the start of a range, not nine minutes to eleven (news writes "ten to eleven" in
        // words when it means that).
        if weak && before && minutes <= 12 {
            return None;
        }
        let (e, comp) = self.p_clock(j + 1, pt).or_else(|| {
            // "half past three": a bare hour after past/to.
            let (e, h, digits) = self.p_hour(j + 1)?;
            if weak || (digits > 0 && !self.at_phrase_end(e)) {
                return None;
            }
            valid_clock(h, 0, 0, None, Grain::Hour).map(|c| (e, Comp::Time(c, "at <h>")))
        })?;
        let Comp::Time(t, _) = comp else { return None };
        if weak && t.pm.is_none() {
            return None;
        }
        let h24 = match t.pm {
            Some(true) if t.hour < 12 => t.hour + 12,
            Some(false) if t.hour == 12 => 0,
            _ => t.hour,
        };
        let base = h24 * 60 + t.minute;
        let total = if before {
            base.checked_sub(minutes)
                .or_else(|| (base + 24 * 60).checked_sub(minutes))?
        } else {
            base + minutes
        };
        let hour = (total / 60) % 24;
        let pm = t.pm.map(|_| hour >= 12);
        let c = ClockTime {
            hour,
            minute: total % 60,
            second: 0,
            pm,
            grain: Grain::Minute,
        };
        Some((e, Comp::Time(c, "<minutes> past|to <hour>")))
    }

    /// A zone after a clock time ("1315 GMT", "+0200"), or a zone name after a part of day
    /// ("Monday evening EST", "Tuesday morning local time").
    /// True when an upper-case zone abbreviation of [`ZONES`] ("GMT", "KST") starts at `i`.
    fn zone_abbreviation_at(&self, i: usize) -> bool {
        let upper = self.raw(i).bytes().all(|b| b.is_ascii_uppercase());
        upper
            && self.rows_at(&ZONE_INDEX, ZONE_BIT, i).iter().any(|&zk| {
                ZONES
                    .get(zk)
                    .is_some_and(|z| self.seq(i, &z.words).is_some())
            })
    }

    fn p_zone(&self, i: usize, pt: &Point) -> Option<(usize, Comp)> {
        if pt.time.is_none() && pt.part.is_none() {
            return None;
        }
        if let Some(e) = self.seq_str(i, &["local", "time"]) {
            return Some((e, Comp::LocalTime));
        }
        // "+01:00", "-05:30", "+0200" after a clock time.
        let seconds = pt.time.is_some_and(|t| t.grain == Grain::Second);
        if pt.time.is_some() && (self.is_punct(i, "+") || (self.is_punct(i, "-") && seconds)) {
            let sign = if self.is_punct(i, "+") { 1 } else { -1 };
            let (v, d) = self.num(i + 1)?;
            let (h, m, e) = match d {
                2 if self.is_punct(i + 2, ":") => (v, self.num(i + 3)?.0, i + 4),
                2 => (v, 0, i + 2),
                4 => (v / 100, v % 100, i + 2),
                _ => return None,
            };
            if h > 14 || m > 59 || !self.glued(i + 1) {
                return None;
            }
            let off = chrono::FixedOffset::east_opt(sign * (h as i32 * 3600 + m as i32 * 60))?;
            return Some((
                e,
                Comp::Zone(ZoneSpec {
                    offset_s: off.local_minus_utc(),
                    named: None,
                }),
            ));
        }
        let k = if self.is_punct(i, "(") { i + 1 } else { i };
        for &zk in self.rows_at(&ZONE_INDEX, ZONE_BIT, k) {
            let Some(z) = ZONES.get(zk) else { continue };
            if let Some(e) = self.seq(k, &z.words) {
                // Lower-case "gmt", "pst" only right after a clock time ("8h gmt").
                if z.upper_only
                    && !self.raw(k).chars().all(|c| c.is_ascii_uppercase())
                    && (k > i
                        || pt.time.is_none()
                        || !matches!(
                            self.tok(k.wrapping_sub(1)).map(|t| t.kind),
                            Some(TokKind::Num | TokKind::Word)
                        ))
                {
                    continue;
                }
                let e = if k > i && self.is_punct(e, ")") {
                    e + 1
                } else {
                    e
                };
                return Some((
                    e,
                    Comp::Zone(ZoneSpec {
                        offset_s: z.offset_s,
                        named: Some(zk),
                    }),
                ));
            }
        }
        None
    }
}

fn clock(hour: u32, minute: u32, pm: Option<bool>, grain: Grain) -> ClockTime {
    ClockTime {
        hour,
        minute,
        second: 0,
        pm,
        grain,
    }
}

fn valid_clock(
    hour: u32,
    minute: u32,
    second: u32,
    pm: Option<bool>,
    grain: Grain,
) -> Option<ClockTime> {
    if hour > 24 || minute > 59 || second > 59 || (hour == 24 && (minute, second) != (0, 0)) {
        return None;
    }
    match pm {
        Some(false) if hour > 12 => return None,
        Some(true) if hour == 0 => return None,
        _ => {}
    }
    // A 24-hour clock time ("19:30", "00:15") is unambiguous; 24:00 is midnight at the end of
    // the day.
    let pm = match pm {
        None if hour > 12 => Some(true),
        None if hour == 0 => Some(false),
        p => p,
    };
    Some(ClockTime {
        hour,
        minute,
        second,
        pm,
        grain,
    })
}

/// An amount as a whole number of units, going down to minutes or seconds for fractions
/// ("half an hour" = 30 minutes, "1.5 days" = 36 hours).
pub(crate) fn offset_units(a: &Amount) -> Option<(Unit, i64)> {
    if let Some(n) = whole(a.amount) {
        return Some((a.unit, n));
    }
    let (smaller, k) = match a.unit {
        Unit::Minute => (Unit::Second, 60.0),
        Unit::Hour => (Unit::Minute, 60.0),
        Unit::Day => (Unit::Hour, 24.0),
        Unit::Week => (Unit::Day, 7.0),
        Unit::Month => (Unit::Day, 30.0),
        Unit::Year => (Unit::Month, 12.0),
        _ => return None,
    };
    whole((a.amount * k).round()).map(|n| (smaller, n))
}

/// The offset `sign` times the amount from the reference (`exact`: a moment, not the whole
/// day): a range of offsets when the count is vague ("a few days ago").
pub(crate) fn offset_spec(a: &Amount, sign: i64, exact: bool) -> Option<DateSpec> {
    let (unit, n) = offset_units(a)?;
    let n = sign * n;
    // A fractional amount moved to a smaller unit ("1.5 days" = 36 hours) is no vague count.
    Some(match a.count_range().filter(|_| a.unit == unit) {
        Some((least, most)) => DateSpec::OffsetRange {
            unit,
            n,
            near: sign * least,
            far: sign * most,
            exact,
        },
        _ => DateSpec::Offset { unit, n, exact },
    })
}

/// `n` units from the related time (`n` signed), as a range when the amount's count is vague
/// ("a few days later").
fn related_offset(a: &Amount, unit: Unit, n: i64) -> Related {
    match a.count_range().filter(|_| a.unit == unit) {
        Some((least, most)) => Related::OffsetRange {
            unit,
            n,
            near: n.signum() * least,
            far: n.signum() * most,
        },
        _ => Related::Offset { unit, n },
    }
}

/// Units from small to large, for compound amounts ("1d 2hr": hours are smaller than days).
fn unit_rank(u: Unit) -> u8 {
    match u {
        Unit::Second => 0,
        Unit::Minute => 1,
        Unit::Hour => 2,
        Unit::Day => 3,
        Unit::Week => 4,
        Unit::Fortnight => 5,
        Unit::Month => 6,
        Unit::Quarter => 7,
        Unit::Year => 8,
        Unit::Decade => 9,
        Unit::Century => 10,
    }
}

pub(crate) fn whole(x: f64) -> Option<i64> {
    (x.fract() == 0.0 && x.abs() < 1e6).then_some(x as i64)
}

fn comp_name(c: &Comp) -> &'static str {
    match c {
        Comp::Date(_, n) | Comp::Time(_, n) => n,
        Comp::Part(_) | Comp::DayPart(..) => "<part-of-day>",
        Comp::Mod(_) | Comp::ModDate(..) => "<modifier>",
        Comp::Zone(_) => "<zone>",
        Comp::LocalTime => "local time",
    }
}

/// A readable rule name for a combination of components.
fn rule_name(names: &[&'static str]) -> &'static str {
    let has = |n: &str| names.contains(&n);
    let date = names
        .iter()
        .find(|n| {
            !matches!(
                **n,
                "<part-of-day>" | "<modifier>" | "<zone>" | "local time"
            ) && !n.starts_with("<h>")
                && !n.starts_with("<hh")
                && !matches!(
                    **n,
                    "noon" | "midnight" | "at <h>" | "<minutes> past|to <hour>"
                )
        })
        .copied();
    // "<holiday>" starts with "<h" too: match the clock rule names exactly.
    let time = names.iter().any(|n| {
        n.starts_with("<h>")
            || n.starts_with("<hh")
            || matches!(
                *n,
                "noon" | "midnight" | "at <h>" | "<minutes> past|to <hour>"
            )
    });
    let part = has("<part-of-day>");
    let modifier = has("<modifier>");
    let zone = has("<zone>") || has("local time");
    match (date, time, part, modifier, zone) {
        // Date pieces only ("3 September" + "2025"): the first piece names the rule.
        (Some(d), false, false, false, _)
            if names
                .iter()
                .all(|n| *n == d || *n == "<year>" || *n == "<weekday>") =>
        {
            d
        }
        (Some("<weekday>"), false, true, true, _) => "<modifier> <weekday> <part-of-day>",
        (Some("<weekday>"), false, true, false, _) => "part-of-day <weekday>",
        (Some("<weekday>"), false, false, true, _) => "<modifier> <weekday>",
        (Some(_), false, true, _, _) => "part-of-day <date>",
        (Some(_), false, false, true, _) => "<modifier> <date>",
        (Some(_), true, _, _, _) => "<date> at <time>",
        (None, true, true, _, _) => "<time> <part-of-day>",
        (None, true, false, _, true) => "<time> <zone>",
        (None, true, false, _, false) => names.first().copied().unwrap_or("<time>"),
        (None, false, true, true, _) => "<modifier> <part-of-day>",
        (None, false, true, false, _) => "<part-of-day>",
        (Some(_), false, false, false, _) => "<date> <date>",
        _ => "<date>",
    }
}

/// Merges a component into a point; false when they do not fit together.
fn merge(pt: &mut Point, c: &Comp) -> bool {
    match c {
        Comp::Mod(m) => {
            // A modifier comes first ("late Monday"), or between a day and its part of day
            // ("Monday early in the morning"); the second case is checked when the part arrives.
            if pt.modifier.is_some() || pt.part.is_some() || pt.time.is_some() {
                return false;
            }
            if pt.date.is_some()
                && !matches!(
                    pt.date,
                    Some(
                        DateSpec::Weekday { .. }
                            | DateSpec::DayOffset(_)
                            | DateSpec::Ymd { day: Some(_), .. }
                    )
                )
            {
                return false;
            }
            pt.modifier = Some(*m);
        }
        Comp::ModDate(m, d) => {
            if pt.modifier.is_some() || pt.date.is_some() || pt.part.is_some() || pt.time.is_some()
            {
                return false;
            }
            pt.modifier = Some(*m);
            pt.date = Some(d.clone());
        }
        Comp::Part(p) => {
            if pt.part.is_some() {
                return false;
            }
            pt.part = Some(*p);
        }
        Comp::DayPart(d, p) => {
            if pt.part.is_some() || pt.date.is_some() {
                return false;
            }
            pt.part = Some(*p);
            pt.date = Some(DateSpec::DayOffset(*d));
        }
        Comp::Time(t, _) => {
            if pt.time.is_some() {
                return false;
            }
            pt.time = Some(*t);
        }
        Comp::Zone(z) => {
            if pt.zone.is_some() || (pt.time.is_none() && pt.part.is_none()) {
                return false;
            }
            pt.zone = Some(*z);
        }
        Comp::LocalTime => {
            if pt.time.is_none() && pt.part.is_none() {
                return false;
            }
        }
        Comp::Date(d, _) => {
            let merged = match (&pt.date, d) {
                (None, d) => d.clone(),
                (
                    Some(DateSpec::Ymd {
                        year: None,
                        month: Some(m),
                        day,
                    }),
                    DateSpec::Ymd {
                        year: Some(y),
                        month: None,
                        day: None,
                    },
                ) => DateSpec::Ymd {
                    year: Some(*y),
                    month: Some(*m),
                    day: *day,
                },
                // "Jul 18, Fri": the year in which the date is that weekday.
                (
                    Some(DateSpec::Ymd {
                        year: None,
                        month: Some(m),
                        day: Some(dd),
                    }),
                    DateSpec::Weekday {
                        weekday,
                        shift: WeekdayShift::Bare,
                    },
                )
                | (
                    Some(DateSpec::Weekday {
                        weekday,
                        shift: WeekdayShift::Bare,
                    }),
                    DateSpec::Ymd {
                        year: None,
                        month: Some(m),
                        day: Some(dd),
                    },
                ) => DateSpec::MonthDayWeekday {
                    month: *m,
                    day: *dd,
                    weekday: *weekday,
                },
                (
                    Some(DateSpec::Ymd {
                        month: Some(_),
                        day: Some(_),
                        ..
                    }),
                    DateSpec::Weekday {
                        shift: WeekdayShift::Bare,
                        ..
                    },
                ) => pt.date.clone().unwrap_or(DateSpec::Now),
                (
                    Some(DateSpec::Weekday {
                        shift: WeekdayShift::Bare,
                        ..
                    }),
                    DateSpec::Ymd { day: Some(_), .. },
                ) => d.clone(),
                (
                    Some(DateSpec::MonthDayWeekday { month, day, .. }),
                    DateSpec::Ymd {
                        year: Some(y),
                        month: None,
                        day: None,
                    },
                ) => DateSpec::Ymd {
                    year: Some(*y),
                    month: Some(*month),
                    day: Some(*day),
                },
                // "Thanksgiving 2014", "Easter of next year"
                (
                    Some(DateSpec::Holiday {
                        index,
                        year: None,
                        years: None,
                        shift: WeekdayShift::Bare,
                    }),
                    DateSpec::Ymd {
                        year: Some(y),
                        month: None,
                        day: None,
                    },
                ) => DateSpec::Holiday {
                    index: *index,
                    year: Some(*y),
                    years: None,
                    shift: WeekdayShift::Bare,
                },
                (
                    Some(DateSpec::Holiday {
                        index,
                        year: None,
                        years: None,
                        shift: WeekdayShift::Bare,
                    }),
                    DateSpec::RelUnit {
                        unit: Unit::Year,
                        n,
                    },
                ) => DateSpec::Holiday {
                    index: *index,
                    year: None,
                    years: Some(*n),
                    shift: WeekdayShift::Bare,
                },
                // "the 20th of next month"
                (
                    Some(DateSpec::Ymd {
                        year: None,
                        month: None,
                        day: Some(dd),
                    }),
                    DateSpec::RelUnit {
                        unit: Unit::Month,
                        n,
                    },
                ) => DateSpec::DayOfRelMonth {
                    day: *dd,
                    months: *n,
                },
                (
                    Some(DateSpec::Weekday {
                        weekday,
                        shift: WeekdayShift::Bare | WeekdayShift::This,
                    }),
                    DateSpec::RelUnit {
                        unit: Unit::Week,
                        n,
                    },
                )
                | (
                    Some(DateSpec::RelUnit {
                        unit: Unit::Week,
                        n,
                    }),
                    DateSpec::Weekday {
                        weekday,
                        shift: WeekdayShift::Bare,
                    },
                ) => DateSpec::Weekday {
                    weekday: *weekday,
                    shift: WeekdayShift::Week(*n),
                },
                // "Thanksgiving in 3 years", "Diwali two years ago": the feast in that year.
                (
                    Some(DateSpec::Holiday {
                        index,
                        year: None,
                        years: None,
                        shift: WeekdayShift::Bare,
                    }),
                    DateSpec::Offset {
                        unit: Unit::Year,
                        n,
                        ..
                    },
                ) => DateSpec::Holiday {
                    index: *index,
                    year: None,
                    years: Some(*n),
                    shift: WeekdayShift::Bare,
                },
                (
                    Some(DateSpec::Quarter {
                        quarter,
                        year: None,
                    }),
                    DateSpec::Ymd {
                        year: Some(y),
                        month: None,
                        day: None,
                    },
                ) => DateSpec::Quarter {
                    quarter: *quarter,
                    year: Some(*y),
                },
                _ => return false,
            };
            if pt.time.is_some()
                && matches!(
                    merged,
                    DateSpec::Offset {
                        unit: Unit::Hour | Unit::Minute | Unit::Second,
                        ..
                    }
                )
            {
                return false;
            }
            pt.date = Some(merged);
        }
    }
    true
}

/// Fills the missing fields of an interval's end from its start and vice versa ("July 13-15",
/// "3:30-4:30pm", "13-15 July").
fn complete_interval(mut a: Point, mut b: Point) -> Option<(Point, Point)> {
    let bare_day = |p: &Point| {
        matches!(
            p.date,
            Some(DateSpec::Ymd {
                month: None,
                day: Some(_),
                ..
            })
        )
    };
    // "22-23 Feb", "Oct 26 - 28": a compact day range.
    let compact = bare_day(&a) || bare_day(&b);
    let month_day = |p: &Point| match p.date {
        Some(DateSpec::Ymd {
            year: None,
            month: Some(m),
            day: Some(d),
        })
        | Some(DateSpec::MonthDayWeekday {
            month: m, day: d, ..
        }) => Some((m, d)),
        _ => None,
    };
    // "Thu Oct 26 - 28": the weekday only chose a year; with a bare day after it the start is
    // its month and day.
    if bare_day(&b) {
        if let Some(DateSpec::MonthDayWeekday { month, day, .. }) = a.date {
            a.date = Some(DateSpec::Ymd {
                year: None,
                month: Some(month),
                day: Some(day),
            });
        }
    }
    // "Thu Oct 26, 10:00 - 11:00:09 2023": a year after the end time dates both ends.
    if let (
        Some((m, d)),
        Some(DateSpec::Ymd {
            year: Some(y),
            month: None,
            day: None,
        }),
        Some(_),
    ) = (month_day(&a), b.date.clone(), b.time)
    {
        let date = DateSpec::Ymd {
            year: Some(y),
            month: Some(m),
            day: Some(d),
        };
        a.date = Some(date.clone());
        b.date = Some(date);
    }
    match (&a.date, &b.date) {
        (
            Some(DateSpec::Ymd {
                year: ya,
                month: Some(ma),
                day: Some(_),
            }),
            Some(DateSpec::Ymd {
                year: yb,
                month: None,
                day: Some(db),
            }),
        ) => {
            b.date = Some(DateSpec::Ymd {
                year: yb.or(*ya),
                month: Some(*ma),
                day: Some(*db),
            });
        }
        (
            Some(DateSpec::Ymd {
                year: None,
                month: None,
                day: Some(da),
            }),
            Some(DateSpec::Ymd {
                year: yb,
                month: Some(mb),
                day: Some(_),
            }),
        ) => {
            a.date = Some(DateSpec::Ymd {
                year: *yb,
                month: Some(*mb),
                day: Some(*da),
            });
        }
        (
            Some(DateSpec::Ymd {
                month: None,
                day: Some(_),
                ..
            }),
            _,
        )
        | (
            _,
            Some(DateSpec::Ymd {
                month: None,
                day: Some(_),
                ..
            }),
        ) => return None,
        (None, Some(d)) if a.time.is_some() => a.date = Some(d.clone()),
        (Some(d), None) if b.time.is_some() => b.date = Some(d.clone()),
        _ => {}
    }
    // "2012-1400" is a code, not a range of years.
    if let (
        Some(DateSpec::Ymd {
            year: Some(ya),
            month: None,
            day: None,
        }),
        Some(DateSpec::Ymd {
            year: Some(yb),
            month: None,
            day: None,
        }),
    ) = (&a.date, &b.date)
    {
        if yb <= ya {
            return None;
        }
    }
    if let (Some(ta), Some(tb)) = (a.time.as_mut(), b.time.as_ref()) {
        if ta.pm.is_none() && tb.pm == Some(true) && ta.hour <= tb.hour {
            ta.pm = Some(true);
        }
    }
    // "22-23 Feb at 7pm": in a compact day range the time belongs to every day, so the range
    // starts at 19:00 on the 22nd.
    if compact && a.time.is_none() && a.part.is_none() && b.time.is_some() {
        a.time = b.time;
    }
    if a.zone.is_none() {
        a.zone = b.zone;
    }
    // "10 - 11 at night": the part of day of the end applies to the start.
    if a.time.is_some() && a.part.is_none() {
        a.part = b.part;
    }
    // "From December to May 2022", "Aug 10 - Nov 12, 2013": the year of the end, or the year
    // before when the start comes later in the calendar.
    if let (
        Some(DateSpec::Ymd {
            year: None,
            month: Some(ma),
            day: da,
        }),
        Some(DateSpec::Ymd {
            year: Some(yb),
            month: Some(mb),
            day: db,
        }),
    ) = (&a.date, &b.date)
    {
        let later = (*ma, da.unwrap_or(1)) > (*mb, db.unwrap_or(1));
        a.date = Some(DateSpec::Ymd {
            year: Some(if later { yb.saturating_sub(1) } else { *yb }),
            month: Some(*ma),
            day: *da,
        });
    }
    if a.date.is_none() && a.time.is_none() && a.part.is_none() {
        return None;
    }
    Some((a, b))
}

// ---------------------------------------------------------------------------------------------
// Public entry points

/// Bytes a parse chunk holds at least before it may end at a blank line.
const CHUNK_MIN_BYTES: usize = 32 * 1024;

/// The end of the chunk that starts at `base`: just after the first blank line ("\n\n") at or
/// after `base + CHUNK_MIN_BYTES`, or the end of the text.
fn chunk_end(text: &str, base: usize) -> usize {
    let from = base.saturating_add(CHUNK_MIN_BYTES);
    // Bytes: `from` need not be a char boundary, but a position after "\n\n" always is.
    match text
        .as_bytes()
        .get(from..)
        .and_then(|rest| rest.windows(2).position(|w| w == b"\n\n"))
    {
        Some(k) => from + k + 2,
        None => text.len(),
    }
}

/// Finds the time phrases of `text`, left to right, without overlaps, with the tense of the
/// sentence each sits in. Zone-free: [`resolve_time_expr`] anchors them.
pub fn parse_time_exprs(text: &str) -> Vec<TimeExpr> {
    // Long texts are parsed in chunks that end at a blank line (no phrase spans one), so the
    // token tables stay small and in cache; the result is the same as one pass.
    let mut out = Vec::new();
    let mut base = 0;
    let mut low = String::new();
    // Room for a long sentence: grown rarely.
    let mut words: Vec<tense::Word> = Vec::with_capacity(64);
    while base < text.len() {
        let end = chunk_end(text, base);
        let chunk = text.get(base..end).unwrap_or("");
        low.clear();
        low.push_str(chunk);
        low.make_ascii_lowercase();
        let parser = Parser::new(chunk, &low);
        let found = parser.parse_all();
        // The words of the sentence of the last phrase: phrases come in text order, so each
        // sentence is found (around its first phrase, not by splitting the whole text) and its
        // words are read once from the parser's tokens, into one reused buffer. A chunk ends
        // after a blank line, which ends a sentence: sentences never cross chunks, and the
        // sentence around a phrase in its chunk is the one in the whole text.
        let mut cached: Option<TextRange> = None;
        out.reserve(found.len());
        for (range, spec, rule) in found {
            let in_cached = cached.is_some_and(|s| s.start <= range.start && range.start < s.end);
            if !in_cached {
                // A sentence starts where the last one ended (phrases do not go backwards).
                let floor = cached.map_or(0, |s| if s.end <= range.start { s.end } else { 0 });
                let sentence = tense::sentence_around(chunk, range.start, floor);
                parser.tense_words_into(sentence, &mut words);
                cached = Some(sentence);
            }
            let tense = tense::tense_from_words(&words, range);
            let reported_by = tense::reporting_verb_before(&words, range)
                .map(|r| TextRange::new(r.start + base, r.end + base));
            let needs_related = matches!(spec, TimeSpec::Related(_));
            out.push(TimeExpr {
                range: TextRange::new(range.start + base, range.end + base),
                text: chunk.get(range.start..range.end).unwrap_or("").to_string(),
                rule,
                tense,
                reported_by,
                needs_related,
                spec,
            });
        }
        base = end;
    }
    out
}

/// Parses and resolves a single phrase: a convenience for tests and the corpus.
pub fn resolve_phrase(text: &str, anchor: &Anchor) -> Option<(TimeExpr, Resolved)> {
    let expr = parse_time_exprs(text)
        .into_iter()
        .max_by_key(|e| e.range.len())?;
    let r = resolve_time_expr(&expr, anchor);
    Some((expr, r))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::{find_times, Profile};
    use chrono::TimeZone;

    fn anchors() -> Vec<Anchor> {
        let reference = chrono::Utc.with_ymd_and_hms(2025, 9, 2, 1, 0, 0).unwrap();
        [Profile::News, Profile::Forward]
            .into_iter()
            .map(|profile| Anchor {
                reference,
                tz: chrono_tz::Asia::Pyongyang,
                profile,
                related: None,
            })
            .collect()
    }

    /// Token soup from a vocabulary of time words, numbers, separators and odd characters:
    /// nothing may panic, loop forever, or give an empty or inverted window.
    #[test]
    fn token_soup_never_panics() {
        const VOCAB: &[&str] = &[
            "Monday",
            "late",
            "early",
            "night",
            "at",
            "7",
            "30",
            ":",
            "pm",
            "p.m.",
            "99999",
            "0",
            "-",
            "/",
            ".",
            ",",
            "2025",
            "1959",
            "Sept.",
            "3rd",
            "of",
            "May",
            "in",
            "the",
            "day",
            "before",
            "after",
            "his",
            "ago",
            "two",
            "years",
            "nearly",
            "20",
            "hours",
            "up",
            "to",
            "times",
            "four",
            "10",
            "months",
            "since",
            "GMT",
            "KST",
            "+",
            "09",
            "00",
            "T",
            "Z",
            "4294967295",
            "9999999999",
            "'",
            "’s",
            "Wednesday",
            "midnight",
            "noon",
            "quarter",
            "past",
            "Q",
            "s",
            "1990",
            "the 1990s",
            "next",
            "last",
            "week",
            "weekend",
            "早上",
            "\u{202E}",
            "é",
            "from",
            "between",
            "and",
            "for",
            "Easter",
            "first",
            "Monday of",
            "March",
            "EOM",
            "upcoming",
            "half",
            "an",
            "hour",
            "12",
            "31",
            "32",
            "13",
            "24",
            "60",
            "AD",
            "BC",
            "a.d.",
            "weekday",
            "summer",
            "second",
            "-3y",
            "+15min",
            "2hr5min",
            "\u{2219}",
            "o clock",
            "rest",
            "all",
            "2014 12 28",
            "06/Nov/2023:06:36:02",
        ];
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let anchors = anchors();
        for _ in 0..3000 {
            let len = (next() % 12) as usize + 1;
            let mut text = String::new();
            for _ in 0..len {
                let w = VOCAB[(next() % VOCAB.len() as u64) as usize];
                if next() % 3 != 0 {
                    text.push(' ');
                }
                text.push_str(w);
            }
            for a in &anchors {
                for m in find_times(&text, a) {
                    assert!(
                        text.get(m.expr.range.start..m.expr.range.end).is_some(),
                        "{text:?}"
                    );
                    if let Some(w) = m.resolved.window {
                        assert!(w.earliest < w.latest, "{text:?}: {:?}", m.expr.text);
                    }
                }
            }
        }
    }

    #[test]
    fn huge_numbers_and_years_neither_panic_nor_break_windows() {
        for text in [
            "in 99999 years",
            "99999-12-31",
            "4294967295 days ago",
            "in 2147483647 months",
            "the 9990s",
            "Q4 99999",
        ] {
            for a in anchors() {
                for m in find_times(text, &a) {
                    // Either unresolved, or a proper half-open window (the module's invariant).
                    if let Some(w) = m.resolved.window {
                        assert!(w.earliest < w.latest, "{text:?}: {w:?}");
                    }
                }
            }
        }
        // Overflowing offsets give no window at all.
        for text in ["4294967295 days ago", "in 2147483647 months"] {
            for a in anchors() {
                assert!(
                    find_times(text, &a)
                        .iter()
                        .all(|m| m.resolved.window.is_none()),
                    "{text:?}"
                );
            }
        }
    }

    #[test]
    fn long_texts_parse_in_chunks_with_text_offsets() {
        // Paragraphs of different lengths so chunk ends fall at many places; each holds one
        // phrase, whose range must point at the phrase in the whole text.
        let mut text = String::new();
        let mut n = 0;
        while text.len() < 3 * CHUNK_MIN_BYTES {
            let filler = "The delegation met officials in the capital. ".repeat(n % 7 + 1);
            text.push_str(&format!("{filler}Kim left late Monday.\n\n"));
            n += 1;
        }
        let found = parse_time_exprs(&text);
        assert_eq!(found.len(), n);
        for e in &found {
            assert_eq!(text.get(e.range.start..e.range.end), Some("late Monday"));
            assert_eq!(e.text, "late Monday");
        }
    }

    #[test]
    fn tense_words_from_tokens_match_the_byte_split() {
        // Pieces that stress the word split: apostrophes in and around words, curly quotes,
        // digits glued to letters, non-ASCII letters and spaces, the cut-off pairs, markers.
        const PIECES: &[&str] = &[
            "Kim",
            "won't",
            "'ll",
            "he'll",
            "'",
            "''",
            "'tis",
            "Kim's",
            "1990's",
            "rock'n'roll",
            "\u{2019}s",
            "caf\u{e9}",
            "na\u{ef}ve",
            "\u{e9}t\u{e9}",
            "x\u{301}y",
            "\u{a0}",
            "\u{3000}",
            "ahead",
            "of",
            "AHEAD OF",
            "prior",
            "to",
            "in",
            "time",
            "for",
            "run-up",
            "lead",
            "up",
            "TO",
            "will",
            "Will",
            "expected",
            "set",
            "is",
            "said",
            "reported",
            "on",
            "at",
            "by",
            "left",
            "walked",
            "bed",
            "united",
            "Monday",
            "late",
            "7",
            "p.m.",
            ".",
            "!",
            "?",
            ",",
            "\n",
            "Mr.",
            "U.S.",
            "\"",
            "-",
            "wasn't",
            "didn't",
            "ago",
            "Yesterday",
            "abcdefghijklmnopqrstuvwxyzabcdef",
            "PLANNED",
            "ed",
            "Ed",
            "edited",
            "l'",
            "'s'",
            "o'clock",
        ];
        let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let mut texts: Vec<String> = vec![
            "Kim, who arrived on Tuesday, won't attend ahead of Wednesday's parade.".into(),
            "'Tis the run-up to Friday; he'll be there 'on time' for the 1990's show.".into(),
        ];
        for _ in 0..2000 {
            let len = (next() % 30) as usize + 1;
            let mut text = String::new();
            for _ in 0..len {
                let w = PIECES[(next() % PIECES.len() as u64) as usize];
                if next() % 3 != 0 {
                    text.push(' ');
                }
                text.push_str(w);
            }
            texts.push(text);
        }
        let mut words = Vec::new();
        for text in &texts {
            let low = text.to_ascii_lowercase();
            let parser = Parser::new(text, &low);
            for sentence in tense::sentences(text) {
                parser.tense_words_into(sentence, &mut words);
                assert_eq!(
                    format!("{words:?}"),
                    format!("{:?}", tense::sentence_words(text, sentence)),
                    "{text:?} {sentence:?}"
                );
            }
        }
    }

    #[test]
    fn fast_tokenizer_matches_the_reference() {
        // Every ASCII byte inside and around words of every length up to 20 (the letter runs
        // are read eight bytes at a time).
        let mut generated = Vec::new();
        for b in 0u8..128 {
            for len in 0..20 {
                let word: String = "abcdefghijKLMNOPQRSTuvwxyz".chars().take(len).collect();
                generated.push(format!("{word}{}{word}Z", b as char));
                generated.push(format!("{}{word}\u{e9}{word}", b as char));
            }
        }
        for text in &generated {
            let key = |t: &Tok| (t.start, t.end, t.kind, t.space_before);
            let a: Vec<_> = tokenize(text).iter().map(key).collect();
            let b: Vec<_> = tokenize_reference(text).iter().map(key).collect();
            assert_eq!(a, b, "{text:?}");
        }
        let texts = [
            "Kim left late Monday, 7:30 p.m. on Sept. 5th\t2025-09-01T13:15Z\u{b}x",
            "caf\u{e9} na\u{ef}ve \u{2014} 12\u{661}3 \u{3000}Tokyo\u{2019}s 1,000 km/h  ",
            "\u{1F600}abc\u{1F600}123 \u{e9}\u{e9}9 x\u{301}y \u{a0}z",
            "",
            " ",
        ];
        let key = |t: &Tok| (t.start, t.end, t.kind, t.space_before);
        for text in texts {
            let a: Vec<_> = tokenize(text).iter().map(key).collect();
            let b: Vec<_> = tokenize_reference(text).iter().map(key).collect();
            assert_eq!(a, b, "{text:?}");
        }
    }

    #[test]
    fn word_facts_agree_with_the_tables() {
        for w in WORDS
            .keys()
            .chain(ZONE_INDEX.keys())
            .chain(PART_INDEX.keys())
        {
            let f = word_facts(w);
            assert_eq!(f.info.is_some(), WORDS.contains_key(w), "{w}");
            assert_eq!(
                f.tables & table_bit(&ZONE_INDEX).unwrap_or(0) != 0,
                ZONE_INDEX.contains_key(w),
                "{w}"
            );
        }
        for w in INNER_WORDS.keys() {
            assert!(word_facts(w).tables & INNER_BIT != 0, "{w}");
        }
        for w in ["said", "visit", "governments", "x", "zzzz"] {
            assert!(word_facts(w).info.is_none() && word_facts(w).tables == 0);
        }
        // The short-word table gives what the map gives, for its keys and for other words.
        let facts = |f: WordFacts| (f.info.map(|x| x as *const WordInfo), f.tables, f.starts);
        let mut others: Vec<String> = WORD_FACTS.keys().map(|w| format!("{w}s")).collect();
        others.extend(
            WORD_FACTS
                .keys()
                .filter_map(|w| w.get(1..))
                .map(str::to_string),
        );
        others.extend(["a", "zz", "qqqqqqqq", "\u{e9}t\u{e9}"].map(str::to_string));
        for w in WORD_FACTS
            .keys()
            .copied()
            .chain(others.iter().map(String::as_str))
        {
            let want = WORD_FACTS.get(w).copied().unwrap_or_default();
            assert_eq!(facts(word_facts(w)), facts(want), "{w}");
        }
    }

    /// The start bits only skip rules that would return `None`: for every listed word before a
    /// spread of next words, each rule whose bit is off finds nothing.
    #[test]
    fn start_bits_only_skip_rules_that_find_nothing() {
        const NEXT: &[&str] = &[
            "",
            "day",
            "days",
            "the",
            "of",
            "a",
            "morning",
            "night",
            "monday",
            "christmas",
            "2",
            "3 pm",
            "weeks",
            "upcoming week",
            "week",
            "now",
            "before yesterday",
            "after tomorrow",
            "business day",
            "weekday",
            "quarter past 3",
            "moment",
            "soon as",
            "past 3",
            "time last year",
            "rest of the week",
            "end of the month",
            "couple of days",
            "- end",
            "o'clock",
            "few hours",
            "half an hour",
            "than 3 hours",
            "summer",
        ];
        let default = Point::default();
        let part = Point {
            part: Some(0),
            modifier: Some(0),
            ..Point::default()
        };
        for (w, facts) in WORD_FACTS.iter() {
            if facts.info.is_none() {
                continue;
            }
            for next in NEXT {
                let text = format!("{w} {next}");
                let p = Parser::new(&text, &text);
                let can = p.comp_starts(0);
                for pt in [&default, &part] {
                    let checks: [(u16, bool, &str); 10] = [
                        (CAN_CLOCK, p.p_clock(0, pt).is_some(), "p_clock"),
                        (CAN_RELUNIT, p.p_relunit(0, pt).is_some(), "p_relunit"),
                        (CAN_OFFSET, p.p_offset(0).is_some(), "p_offset"),
                        (CAN_NUMBER_WORD, p.p_number(0).is_some(), "p_number"),
                        (CAN_AMOUNT, p.p_amount(0).is_some(), "p_amount"),
                        (CAN_PART, p.p_part(0).is_some(), "p_part"),
                        (CAN_WEEKDAY, p.p_weekday(0).is_some(), "p_weekday"),
                        (CAN_MODIFIER, p.p_modifier(0).is_some(), "p_modifier"),
                        (CAN_HOLIDAY, p.p_holiday(0).is_some(), "p_holiday"),
                        (CAN_RELDAY, p.p_relday(0).is_some(), "p_relday"),
                    ];
                    for (bit, found, rule) in checks {
                        assert!(can & bit != 0 || !found, "{rule} skipped at {text:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn table_bits_match_their_tables() {
        assert_eq!(table_bit(&PART_INDEX), Some(PART_BIT));
        assert_eq!(table_bit(&MODIFIER_INDEX), Some(MODIFIER_BIT));
        assert_eq!(table_bit(&APPROXIMATOR_INDEX), Some(APPROXIMATOR_BIT));
        assert_eq!(table_bit(&HOLIDAY_INDEX), Some(HOLIDAY_BIT));
        assert_eq!(table_bit(&ZONE_INDEX), Some(ZONE_BIT));
    }

    #[test]
    fn every_table_phrase_starts_with_a_word() {
        // `rows_at` relies on it to skip numbers and punctuation cheaply.
        for index in [
            &*PART_INDEX,
            &*MODIFIER_INDEX,
            &*APPROXIMATOR_INDEX,
            &*HOLIDAY_INDEX,
            &*ZONE_INDEX,
        ] {
            for first in index.keys() {
                let toks = tokenize(first);
                assert!(
                    toks.len() == 1 && toks[0].kind == TokKind::Word,
                    "table phrase starts with {first:?}"
                );
            }
        }
        // `comp_starts` relies on it to skip `p_season` at numbers, `p_season` on SEASON_BIT.
        for season in SEASONS.iter() {
            let first = season.words.first().map(String::as_str).unwrap_or("");
            assert!(word_facts(first).tables & SEASON_BIT != 0, "{first}");
            let toks = tokenize(first);
            assert!(
                toks.len() == 1 && toks[0].kind == TokKind::Word,
                "season phrase starts with {first:?}"
            );
        }
    }

    #[test]
    fn rule_names_are_readable() {
        let e = parse_time_exprs("He left late Monday and returned on Monday evening.");
        let rules: Vec<&str> = e.iter().map(|x| x.rule).collect();
        assert_eq!(rules, ["<modifier> <weekday>", "part-of-day <weekday>"]);
    }
}
