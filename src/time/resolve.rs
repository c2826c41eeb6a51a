//! Anchoring: a [`TimeSpec`] plus an [`Anchor`] gives a [`Resolved`] window or duration.
//!
//! All calendar arithmetic happens on naive wall-clock times in the zone the phrase is read in
//! (the anchor's zone, or the zone the phrase names: "1315 GMT"), then converts to UTC. Every
//! step is checked: a year like 99999 in the text gives an unresolved phrase, never a panic.

use chrono::{
    DateTime, Datelike, Days, Duration, FixedOffset, Months, NaiveDate, NaiveDateTime, NaiveTime,
    Offset, TimeZone, Timelike, Utc, Weekday,
};
use chrono_tz::Tz;

use super::lexicon::{
    HolidayRule, Unit, APPROXIMATORS, HOLIDAYS, HOLIDAY_DATES, MODIFIERS, PARTS_OF_DAY, SEASONS,
    VAGUE_COUNTS, ZONES,
};
use super::spec::{
    Amount, ClockTime, DateSpec, NthKind, Point, Related, TimeSpec, WeekdayShift, ZoneSpec,
};
use super::{
    Anchor, DurationRange, Grain, Profile, Resolved, Tense, TimeExpr, Timex3, TimexMod, TimexType,
    Window,
};

/// Which occurrence of an underspecified date ("Monday", "Sept. 3", "March") is meant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Direction {
    /// On or before the reference day (news, past tense).
    Past,
    /// On or after the reference day (news, future tense).
    Future,
    /// The nearest one, ties to the past (news, tense unknown; chrono's convention).
    Nearest,
    /// Duckling: the next one, strictly after today for weekdays.
    Forward,
}

/// The zone a phrase is read in: the anchor's IANA zone, or the fixed offset the phrase names.
#[derive(Clone, Copy, Debug)]
enum Zone {
    Named(Tz),
    /// An IANA zone whose offset never changes ("Etc/GMT-8", which `zone_for_offset` gives a
    /// reference time written "+08:00"), read as that offset: the same conversions as
    /// [`Zone::Named`] without searching chrono-tz's table of transitions for every time.
    NamedFixed(FixedOffset),
    Fixed(FixedOffset),
}

impl Zone {
    fn named(tz: Tz) -> Zone {
        let name = tz.name();
        if name.starts_with("Etc/") || name == "UTC" || name == "GMT" {
            Zone::NamedFixed(
                tz.offset_from_utc_datetime(&DateTime::UNIX_EPOCH.naive_utc())
                    .fix(),
            )
        } else {
            Zone::Named(tz)
        }
    }

    fn local(&self, t: DateTime<Utc>) -> NaiveDateTime {
        match self {
            Zone::Named(tz) => t.with_timezone(tz).naive_local(),
            Zone::NamedFixed(off) | Zone::Fixed(off) => t.with_timezone(off).naive_local(),
        }
    }

    fn utc_of(&self, t: NaiveDateTime) -> Option<DateTime<Utc>> {
        match self {
            Zone::Named(tz) => to_utc(tz, t),
            Zone::NamedFixed(off) => to_utc(off, t),
            Zone::Fixed(off) => off
                .from_local_datetime(&t)
                .single()
                .map(|x| x.with_timezone(&Utc)),
        }
    }
}

#[derive(Clone, Copy)]
struct Ctx {
    tz: Zone,
    /// The reference time as wall-clock time in `tz`.
    now: NaiveDateTime,
    dir: Direction,
    profile: Profile,
}

/// A local window with its TIMEX3 value.
#[derive(Clone, Copy, Debug)]
struct Local {
    start: NaiveDateTime,
    end: NaiveDateTime,
    grain: Grain,
    value: Value,
    modifier: Option<TimexMod>,
}

/// A TIMEX3 value, kept as its parts and written out only for the window [`finish`] returns:
/// most windows built are candidates ("March": last year's, this year's, next year's) that are
/// thrown away.
#[derive(Clone, Copy, Debug)]
enum Value {
    /// As [`timex_of`] writes the time at the grain.
    At(NaiveDateTime, Grain),
    /// `YYYY-MM-DD`.
    Day(NaiveDate),
    /// `YYYY-MM-DDT<code>`: a part of a day ("2025-09-01TEV").
    DayPart(NaiveDate, &'static str),
    /// `YYYY-MM`.
    Month(i32, u32),
    /// `YYYY`.
    Year(i32),
    /// `YYYY-Qn`.
    Quarter(i32, u32),
    /// `YYYY-Hn`.
    Half(i32, u32),
    /// `YYY`: the decade starting in the year.
    Decade(i32),
    /// `YYYY-<code>`: a season ("2025-SU").
    Season(i32, &'static str),
    /// `YYYY-Www` of an ISO week-numbering year and week.
    Week(i32, u32),
    /// `YYYY-Www-WE`.
    Weekend(i32, u32),
    /// A fixed value ("PRESENT_REF").
    Text(&'static str),
}

impl Value {
    fn write(self) -> String {
        match self {
            Value::At(t, grain) => timex_of(t, grain),
            Value::Day(d) => day_str(d),
            Value::DayPart(d, code) => format!("{}T{code}", day_str(d)),
            Value::Month(y, m) => format!("{y:04}-{m:02}"),
            Value::Year(y) => format!("{y:04}"),
            Value::Quarter(y, q) => format!("{y:04}-Q{q}"),
            Value::Half(y, half) => format!("{y:04}-H{half}"),
            Value::Decade(y) => format!("{:03}", y / 10),
            Value::Season(y, code) => format!("{y:04}-{code}"),
            Value::Week(y, w) => format!("{y:04}-W{w:02}"),
            Value::Weekend(y, w) => format!("{y:04}-W{w:02}-WE"),
            Value::Text(text) => text.to_string(),
        }
    }
}

type Res<T> = Result<T, String>;

fn overflow() -> String {
    "date out of range".to_string()
}

/// Anchors one phrase. Never panics: out-of-range dates come back unresolved with a reason.
pub fn resolve_time_expr(expr: &TimeExpr, anchor: &Anchor) -> Resolved {
    let dir = match (anchor.profile, expr.tense) {
        (Profile::Forward, _) => Direction::Forward,
        (Profile::News, Tense::Past) => Direction::Past,
        (Profile::News, Tense::Future) => Direction::Future,
        (Profile::News, Tense::Unknown) => Direction::Nearest,
    };
    // An ambiguous abbreviation ("CST") is read by the anchor zone's offset at the reference time
    // (`ZoneName::reading_near`); the note says which reading was taken.
    let zone_note: std::cell::RefCell<Option<String>> = std::cell::RefCell::new(None);
    let ctx_for = |zone: Option<ZoneSpec>| {
        let named_zone = zone
            .and_then(|z| z.named)
            .and_then(|k| ZONES.get(k))
            .and_then(|z| z.iana);
        let offset_s = zone.map(|z| match z.named.and_then(|k| ZONES.get(k)) {
            Some(named) if !named.other_readings.is_empty() => {
                let anchor_offset_s = anchor
                    .reference
                    .with_timezone(&anchor.tz)
                    .offset()
                    .fix()
                    .local_minus_utc();
                let reading = named.reading_near(anchor_offset_s);
                let not_taken: Vec<String> = std::iter::once((named.offset_s, &named.reading))
                    .chain(named.other_readings.iter().map(|r| (r.offset_s, &r.name)))
                    .filter(|(offset_s, _)| *offset_s != reading.offset_s)
                    .map(|(offset_s, name)| format!("{name} ({})", utc_offset_label(offset_s)))
                    .collect();
                *zone_note.borrow_mut() = Some(format!(
                    "{} read as {} ({}), as the phrase is anchored in {} ({}); not {}",
                    named.name,
                    reading.name,
                    utc_offset_label(reading.offset_s),
                    anchor.tz,
                    utc_offset_label(anchor_offset_s),
                    not_taken.join(" or ")
                ));
                reading.offset_s
            }
            _ => z.offset_s,
        });
        let tz = match (named_zone, offset_s.and_then(FixedOffset::east_opt)) {
            (Some(named), _) => Zone::named(named),
            (None, Some(off)) => Zone::Fixed(off),
            (None, None) => Zone::named(anchor.tz),
        };
        Ctx {
            tz,
            now: tz.local(anchor.reference),
            dir,
            profile: anchor.profile,
        }
    };
    let mut resolved = match &expr.spec {
        TimeSpec::Point(p) => {
            let ctx = ctx_for(p.zone);
            finish(point(p, &ctx), &ctx, TimexType::Date)
        }
        TimeSpec::Interval(a, b) => {
            let ctx = ctx_for(a.zone);
            let r = point(a, &ctx).and_then(|la| {
                let mut lb = point(b, &ctx)?;
                // News: an interval whose ends, each taken as the nearest occurrence, come in
                // the wrong order. "Monday to Friday" said on a Sunday: the end is the coming
                // Friday. "Monday afternoon to last night": the end is fixed, so the start is the
                // past Monday. (Forward keeps its own reading: every end is the next one.)
                let mut la = la;
                if lb.end <= la.start && ctx.profile == Profile::News {
                    let future = Ctx {
                        dir: Direction::Future,
                        ..ctx
                    };
                    if let Ok(x) = point(b, &future) {
                        if x.end > la.start {
                            lb = x;
                        }
                    }
                }
                if lb.end <= la.start && ctx.profile == Profile::News {
                    let past = Ctx {
                        dir: Direction::Past,
                        ..ctx
                    };
                    if let Ok(x) = point(a, &past) {
                        if x.start < lb.end {
                            la = x;
                        }
                    }
                }
                let end = if lb.end > la.start { lb.end } else { la.end };
                Ok(Local { end, ..la })
            });
            finish(r, &ctx, TimexType::Date)
        }
        TimeSpec::ShiftedBy(p, parts) => {
            let ctx = ctx_for(p.zone);
            let r = point(p, &ctx).and_then(|l| {
                let mut t = l.start;
                for (unit, n) in parts {
                    t = add_units(t, *unit, *n)?;
                }
                let fine = parts
                    .iter()
                    .any(|(u, _)| matches!(u, Unit::Second | Unit::Minute | Unit::Hour));
                moved_to(&l, t, fine)
            });
            finish(r, &ctx, TimexType::Date)
        }
        TimeSpec::ClockBound { point: p, after } => {
            let ctx = ctx_for(p.zone);
            let r = point(p, &ctx).and_then(|l| {
                let day = l.start.date();
                let (start, end, grain) = if *after {
                    (l.start, midnight(add_days(day, 1)?), l.grain)
                } else {
                    (midnight(day), l.start, Grain::PartOfDay)
                };
                Ok(Local {
                    start,
                    end,
                    grain,
                    value: Value::Day(day),
                    modifier: Some(if *after {
                        TimexMod::End
                    } else {
                        TimexMod::Start
                    }),
                })
            });
            finish(r, &ctx, TimexType::Date)
        }
        TimeSpec::NearClock { point: p, after } => {
            let ctx = ctx_for(p.zone);
            let r = point(p, &ctx).and_then(|l| {
                let (start, end, modifier) = if *after {
                    (l.start, add_units(l.start, Unit::Hour, 1)?, TimexMod::After)
                } else {
                    (
                        add_units(l.start, Unit::Hour, -1)?,
                        l.start,
                        TimexMod::Before,
                    )
                };
                Ok(Local {
                    start,
                    end,
                    modifier: Some(modifier),
                    ..l
                })
            });
            finish(r, &ctx, TimexType::Time)
        }
        TimeSpec::Since(p) => {
            let ctx = ctx_for(p.zone);
            let r = point(p, &ctx).map(|l| {
                let end = if ctx.now > l.start { ctx.now } else { l.end };
                Local { end, ..l }
            });
            finish(r, &ctx, TimexType::Date)
        }
        TimeSpec::PointFor(p, a) => {
            let ctx = ctx_for(p.zone);
            let r = point(p, &ctx).and_then(|l| {
                let (unit, n) = super::spec::offset_units(a).ok_or_else(overflow)?;
                let end = add_units(l.start, unit, n)?;
                Ok(Local {
                    end: if end > l.start { end } else { l.end },
                    ..l
                })
            });
            finish(r, &ctx, TimexType::Date)
        }
        TimeSpec::By(p) => {
            let ctx = ctx_for(p.zone);
            let r = point(p, &ctx).map(|l| {
                // A deadline still ahead: from now until the end of the point.
                if ctx.dir != Direction::Past && ctx.now < l.end {
                    Local {
                        start: ctx.now,
                        modifier: Some(TimexMod::EqualOrLess),
                        ..l
                    }
                } else {
                    l
                }
            });
            finish(r, &ctx, TimexType::Date)
        }
        TimeSpec::Shifted(p, unit, n) => {
            let ctx = ctx_for(p.zone);
            let r = point(p, &ctx).and_then(|l| {
                let t = add_units(l.start, *unit, *n)?;
                moved_to(
                    &l,
                    t,
                    matches!(unit, Unit::Second | Unit::Minute | Unit::Hour),
                )
            });
            finish(r, &ctx, TimexType::Date)
        }
        TimeSpec::Within(a) => {
            let ctx = ctx_for(None);
            let (d, timex, grain) = duration(a);
            let window = match ctx.dir {
                // "within 10 months he had visited": a length, not a window from now.
                Direction::Past => None,
                _ => super::spec::offset_units(a)
                    .map(|(unit, n)| (unit, within_count(a, unit, n)))
                    .and_then(|(unit, n)| add_units(ctx.now, unit, n).ok())
                    .and_then(|end| Some(Window::new(anchor.reference, ctx.tz.utc_of(end)?, grain)))
                    .filter(|w| w.earliest < w.latest),
            };
            Resolved {
                window,
                duration: Some(d),
                grain,
                timex3: Timex3 {
                    kind: TimexType::Duration,
                    value: timex,
                    modifier: Some(TimexMod::EqualOrLess),
                },
                unresolved: None,
                note: None,
            }
        }
        TimeSpec::Duration(a) => {
            let (d, timex, grain) = duration(a);
            Resolved {
                window: None,
                duration: Some(d),
                grain,
                timex3: Timex3 {
                    kind: TimexType::Duration,
                    value: timex,
                    modifier: a
                        .approximator
                        .and_then(|k| APPROXIMATORS.get(k))
                        .map(|x| x.timex_mod),
                },
                unresolved: None,
                note: None,
            }
        }
        TimeSpec::Set { count, per } => {
            let (d, timex, grain) = duration(per);
            let freq = count
                .map(|c| format!("{c} times per "))
                .unwrap_or_else(|| "every ".into());
            Resolved {
                window: None,
                duration: Some(d),
                grain,
                timex3: Timex3 {
                    kind: TimexType::Set,
                    value: timex.clone(),
                    modifier: None,
                },
                unresolved: Some(format!("a frequency ({freq}{timex}), not a point in time")),
                note: None,
            }
        }
        TimeSpec::Related(r) => {
            let ctx = ctx_for(None);
            match anchor.related {
                None => unresolved(
                    "event-relative phrase and no related time to anchor it on",
                    Grain::Day,
                ),
                Some(w) => finish(related(r, &w, &ctx), &ctx, TimexType::Date),
            }
        }
        TimeSpec::Event { event } => unresolved(
            &format!("relative to an event the text names ({event:?}), not to a date"),
            Grain::Day,
        ),
    };
    resolved.note = zone_note.into_inner();
    resolved
}

/// "UTC+08:00", "UTC-05:30".
fn utc_offset_label(offset_s: i32) -> String {
    let sign = if offset_s < 0 { '-' } else { '+' };
    let minutes = offset_s.unsigned_abs() / 60;
    format!("UTC{sign}{:02}:{:02}", minutes / 60, minutes % 60)
}

fn unresolved(reason: &str, grain: Grain) -> Resolved {
    Resolved {
        window: None,
        duration: None,
        grain,
        timex3: Timex3 {
            kind: TimexType::Date,
            value: "XXXX-XX-XX".into(),
            modifier: None,
        },
        unresolved: Some(reason.to_string()),
        note: None,
    }
}

fn finish(r: Res<Local>, ctx: &Ctx, kind: TimexType) -> Resolved {
    let l = match r {
        Ok(l) => l,
        Err(e) => return unresolved(&e, Grain::Day),
    };
    let (Some(a), Some(b)) = (ctx.tz.utc_of(l.start), ctx.tz.utc_of(l.end)) else {
        return unresolved("date out of range", l.grain);
    };
    if a >= b {
        return unresolved("empty window", l.grain);
    }
    let kind = if matches!(l.grain, Grain::Hour | Grain::Minute | Grain::Second) {
        TimexType::Time
    } else {
        kind
    };
    Resolved {
        window: Some(Window::new(a, b, l.grain)),
        duration: None,
        grain: l.grain,
        timex3: Timex3 {
            kind,
            value: l.value.write(),
            modifier: l.modifier,
        },
        unresolved: None,
        note: None,
    }
}

/// Local wall-clock time to UTC; in a DST gap the time an hour later, when ambiguous the earlier.
fn to_utc<Z: TimeZone>(tz: &Z, t: NaiveDateTime) -> Option<DateTime<Utc>> {
    use chrono::LocalResult;
    match tz.from_local_datetime(&t) {
        LocalResult::Single(x) => Some(x.with_timezone(&Utc)),
        LocalResult::Ambiguous(x, _) => Some(x.with_timezone(&Utc)),
        LocalResult::None => {
            let later = t.checked_add_signed(Duration::hours(1))?;
            tz.from_local_datetime(&later)
                .earliest()
                .map(|x| x.with_timezone(&Utc))
        }
    }
}

// ---- calendar helpers ----

fn midnight(d: NaiveDate) -> NaiveDateTime {
    d.and_time(NaiveTime::MIN)
}

fn add_days(d: NaiveDate, n: i64) -> Res<NaiveDate> {
    if n >= 0 {
        d.checked_add_days(Days::new(n as u64))
    } else {
        d.checked_sub_days(Days::new(n.unsigned_abs()))
    }
    .ok_or_else(overflow)
}

fn add_months(d: NaiveDate, n: i64) -> Res<NaiveDate> {
    let m = u32::try_from(n.unsigned_abs()).map_err(|_| overflow())?;
    if n >= 0 {
        d.checked_add_months(Months::new(m))
    } else {
        d.checked_sub_months(Months::new(m))
    }
    .ok_or_else(overflow)
}

fn ymd(y: i32, m: u32, d: u32) -> Res<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| format!("no such date {y:04}-{m:02}-{d:02}"))
}

fn monday_of(d: NaiveDate) -> Res<NaiveDate> {
    add_days(d, -(d.weekday().num_days_from_monday() as i64))
}

/// The window `l` moved to start at `t` by an offset: a moment (a point finer than a day, or
/// an offset in hours, minutes or seconds) keeps its own length ("now" is one second); anything
/// coarser becomes the day `t` falls on.
fn moved_to(l: &Local, t: NaiveDateTime, fine_offset: bool) -> Res<Local> {
    if fine_offset || l.grain < Grain::Day {
        let end = t.checked_add_signed(l.end - l.start).ok_or_else(overflow)?;
        Ok(Local {
            start: t,
            end,
            grain: l.grain,
            value: Value::At(t, l.grain),
            modifier: None,
        })
    } else {
        day_local(t.date())
    }
}

fn day_local(d: NaiveDate) -> Res<Local> {
    Ok(Local {
        start: midnight(d),
        end: midnight(add_days(d, 1)?),
        grain: Grain::Day,
        value: Value::Day(d),
        modifier: None,
    })
}

fn month_local(y: i32, m: u32) -> Res<Local> {
    let a = ymd(y, m, 1)?;
    Ok(Local {
        start: midnight(a),
        end: midnight(add_months(a, 1)?),
        grain: Grain::Month,
        value: Value::Month(y, m),
        modifier: None,
    })
}

fn year_local(y: i32) -> Res<Local> {
    Ok(Local {
        start: midnight(ymd(y, 1, 1)?),
        end: midnight(ymd(y.checked_add(1).ok_or_else(overflow)?, 1, 1)?),
        grain: Grain::Year,
        value: Value::Year(y),
        modifier: None,
    })
}

fn quarter_local(y: i32, q: u32) -> Res<Local> {
    if !(1..=4).contains(&q) {
        return Err(format!("no quarter {q}"));
    }
    let a = ymd(y, (q - 1) * 3 + 1, 1)?;
    Ok(Local {
        start: midnight(a),
        end: midnight(add_months(a, 3)?),
        grain: Grain::Quarter,
        value: Value::Quarter(y, q),
        modifier: None,
    })
}

fn decade_local(y: i32) -> Res<Local> {
    let y = y - y.rem_euclid(10);
    Ok(Local {
        start: midnight(ymd(y, 1, 1)?),
        end: midnight(ymd(y.checked_add(10).ok_or_else(overflow)?, 1, 1)?),
        grain: Grain::Decade,
        value: Value::Decade(y),
        modifier: None,
    })
}

/// Picks among candidate windows (sorted by start) by direction, relative to the reference time:
/// the last one begun by then, or the first one not yet over.
fn choose(cands: impl IntoIterator<Item = Local>, ctx: &Ctx) -> Res<Local> {
    let now = ctx.now;
    let mut last_past = None;
    let mut first_future = None;
    for c in cands {
        if c.start <= now {
            last_past = Some(c);
        }
        if c.end > now && first_future.is_none() {
            first_future = Some(c);
        }
    }
    let pick = match ctx.dir {
        Direction::Past => last_past,
        Direction::Future | Direction::Forward => first_future,
        Direction::Nearest => match (last_past, first_future) {
            (Some(p), Some(f)) => {
                if p.end > now {
                    Some(p)
                } else {
                    let dp = now - p.start;
                    let df = f.start - now;
                    Some(if df < dp { f } else { p })
                }
            }
            (p, f) => p.or(f),
        },
    };
    pick.ok_or_else(|| "no occurrence in range".to_string())
}

fn weekday_date(weekday: Weekday, shift: WeekdayShift, ctx: &Ctx) -> Res<NaiveDate> {
    let today = ctx.now.date();
    let fwd = (weekday.num_days_from_monday() as i64
        - today.weekday().num_days_from_monday() as i64)
        .rem_euclid(7);
    let in_week = |n: i64| -> Res<NaiveDate> {
        let monday = add_days(monday_of(today)?, 7 * n)?;
        add_days(monday, weekday.num_days_from_monday() as i64)
    };
    match shift {
        WeekdayShift::Bare => match ctx.dir {
            Direction::Forward => add_days(today, if fwd == 0 { 7 } else { fwd }),
            Direction::Future => add_days(today, fwd),
            Direction::Past => add_days(today, -((7 - fwd) % 7)),
            Direction::Nearest => {
                let back = (7 - fwd) % 7;
                if fwd < back {
                    add_days(today, fwd)
                } else {
                    add_days(today, -back)
                }
            }
        },
        // "this Saturday": the coming one (chrono and Duckling agree; news uses it the same way).
        WeekdayShift::This => match ctx.profile {
            Profile::Forward => add_days(today, if fwd == 0 { 7 } else { fwd }),
            Profile::News => add_days(today, fwd),
        },
        WeekdayShift::Next => in_week(1),
        WeekdayShift::Last => in_week(-1),
        WeekdayShift::AfterNext => add_days(today, if fwd == 0 { 14 } else { fwd + 7 }),
        WeekdayShift::Nth(n) if n > 0 => {
            add_days(today, if fwd == 0 { 7 * n } else { fwd + 7 * (n - 1) })
        }
        WeekdayShift::Nth(n) => {
            let back = if fwd == 0 { 7 } else { 7 - fwd };
            add_days(today, -(back + 7 * (n.saturating_abs() - 1)))
        }
        WeekdayShift::Week(n) => in_week(n),
    }
}

fn unit_start(t: NaiveDateTime, unit: Unit) -> Res<NaiveDateTime> {
    let d = t.date();
    Ok(match unit {
        Unit::Second => t.with_nanosecond(0).ok_or_else(overflow)?,
        Unit::Minute => t
            .with_second(0)
            .and_then(|x| x.with_nanosecond(0))
            .ok_or_else(overflow)?,
        Unit::Hour => d.and_hms_opt(t.hour(), 0, 0).ok_or_else(overflow)?,
        Unit::Day => midnight(d),
        Unit::Week | Unit::Fortnight => midnight(monday_of(d)?),
        Unit::Month => midnight(ymd(d.year(), d.month(), 1)?),
        Unit::Quarter => midnight(ymd(d.year(), (d.month() - 1) / 3 * 3 + 1, 1)?),
        Unit::Year => midnight(ymd(d.year(), 1, 1)?),
        Unit::Decade => midnight(ymd(d.year() - d.year().rem_euclid(10), 1, 1)?),
        Unit::Century => midnight(ymd(d.year() - d.year().rem_euclid(100), 1, 1)?),
    })
}

fn add_units(t: NaiveDateTime, unit: Unit, n: i64) -> Res<NaiveDateTime> {
    let secs = |k: i64| -> Res<NaiveDateTime> {
        let d =
            Duration::try_seconds(n.checked_mul(k).ok_or_else(overflow)?).ok_or_else(overflow)?;
        t.checked_add_signed(d).ok_or_else(overflow)
    };
    let months = |k: i64| -> Res<NaiveDateTime> {
        let m = n.checked_mul(k).ok_or_else(overflow)?;
        Ok(add_months(t.date(), m)?.and_time(t.time()))
    };
    match unit {
        Unit::Second => secs(1),
        Unit::Minute => secs(60),
        Unit::Hour => secs(3600),
        Unit::Day => secs(86_400),
        Unit::Week => secs(7 * 86_400),
        Unit::Fortnight => secs(14 * 86_400),
        Unit::Month => months(1),
        Unit::Quarter => months(3),
        Unit::Year => months(12),
        Unit::Decade => months(120),
        Unit::Century => months(1200),
    }
}

fn unit_grain(unit: Unit) -> Grain {
    match unit {
        Unit::Second => Grain::Second,
        Unit::Minute => Grain::Minute,
        Unit::Hour => Grain::Hour,
        Unit::Day => Grain::Day,
        Unit::Week | Unit::Fortnight => Grain::Week,
        Unit::Month => Grain::Month,
        Unit::Quarter => Grain::Quarter,
        Unit::Year => Grain::Year,
        Unit::Decade => Grain::Decade,
        Unit::Century => Grain::Century,
    }
}

/// The window of one unit containing `t`.
fn unit_window(t: NaiveDateTime, unit: Unit) -> Res<Local> {
    let start = unit_start(t, unit)?;
    let step = if unit == Unit::Fortnight {
        Unit::Week
    } else {
        unit
    };
    let end = add_units(start, step, 1)?;
    Ok(Local {
        start,
        end,
        grain: unit_grain(unit),
        value: Value::At(start, unit_grain(unit)),
        modifier: None,
    })
}

fn timex_of(t: NaiveDateTime, grain: Grain) -> String {
    match grain {
        Grain::Second => {
            let mut v = day_str(t.date());
            push_clock(&mut v, t.hour(), t.minute(), Some(t.second()));
            v
        }
        Grain::Minute | Grain::Hour => {
            let mut v = day_str(t.date());
            push_clock(&mut v, t.hour(), t.minute(), None);
            v
        }
        Grain::PartOfDay | Grain::Day => day_str(t.date()),
        Grain::Week | Grain::Weekend => {
            let w = t.date().iso_week();
            format!("{:04}-W{:02}", w.year(), w.week())
        }
        Grain::Month => {
            let mut v = day_str(t.date());
            v.truncate(v.len() - 3);
            v
        }
        Grain::Quarter => format!("{:04}-Q{}", t.year(), (t.month() - 1) / 3 + 1),
        Grain::Half => format!("{:04}-H{}", t.year(), (t.month() - 1) / 6 + 1),
        Grain::Year => format!("{:04}", t.year()),
        Grain::Decade => format!("{:03}", t.year().div_euclid(10)),
        Grain::Century => format!("{:02}", t.year().div_euclid(100)),
    }
}

/// Pushes `n` (below 10^width) as `width` ASCII digits.
fn push_digits(out: &mut String, n: u32, width: u32) {
    for k in (0..width).rev() {
        let digit = (n / 10u32.pow(k)) % 10;
        out.push(char::from(b'0' + digit as u8));
    }
}

/// `YYYY-MM-DD`, as chrono's `%Y-%m-%d` writes it: the common years without the format-string
/// parser (timex values are written for every phrase); others (signed, five digits) by chrono.
fn day_str(d: NaiveDate) -> String {
    let y = d.year();
    if !(0..=9999).contains(&y) {
        return d.format("%Y-%m-%d").to_string();
    }
    let mut v = String::with_capacity(24);
    push_digits(&mut v, y.unsigned_abs(), 4);
    v.push('-');
    push_digits(&mut v, d.month(), 2);
    v.push('-');
    push_digits(&mut v, d.day(), 2);
    v
}

/// Appends `Thh:mm` or `Thh:mm:ss`.
fn push_clock(out: &mut String, hour: u32, minute: u32, second: Option<u32>) {
    out.push('T');
    push_digits(out, hour, 2);
    out.push(':');
    push_digits(out, minute, 2);
    if let Some(s) = second {
        out.push(':');
        push_digits(out, s, 2);
    }
}

// ---- dates ----

fn date_local(d: &DateSpec, ctx: &Ctx) -> Res<Local> {
    let today = ctx.now.date();
    let y = today.year();
    match d {
        DateSpec::Weekday { weekday, shift } => day_local(weekday_date(*weekday, *shift, ctx)?),
        DateSpec::DayOffset(n) => day_local(add_days(today, *n)?),
        DateSpec::Season { index, year, shift } => {
            let season = SEASONS.get(*index).ok_or("unknown season")?;
            let window = |yy: i32| -> Res<Local> {
                let start = ymd(yy, season.start.0, season.start.1)?;
                let end_year = if season.end <= season.start {
                    yy + 1
                } else {
                    yy
                };
                let end = ymd(end_year, season.end.0, season.end.1)?;
                Ok(Local {
                    start: midnight(start),
                    end: midnight(end),
                    grain: Grain::Quarter,
                    value: Value::Season(yy, &season.code),
                    modifier: None,
                })
            };
            if let Some(yy) = year {
                return window(*yy);
            }
            let cands = || (y - 2..=y + 1).filter_map(|yy| window(yy).ok());
            let now = ctx.now;
            let last = || cands().rev().find(|c| c.end <= now);
            let next = || cands().find(|c| c.start > now);
            let pick = match shift {
                None => return choose(cands(), ctx),
                // "this summer": the current one, else the coming one (the past one in a past
                // sentence: "this summer he travelled", said in October).
                Some(0) => cands().find(|c| c.start <= now && now < c.end).or_else(|| {
                    if ctx.dir == Direction::Past {
                        last()
                    } else {
                        next()
                    }
                }),
                Some(n) if *n > 0 => next(),
                Some(_) => last(),
            };
            pick.ok_or_else(|| "no occurrence in range".to_string())
        }
        DateSpec::Half { half, year, years } => {
            let yy = match year {
                Some(yy) => *yy,
                None => y
                    .checked_add(i32::try_from(*years).map_err(|_| overflow())?)
                    .ok_or_else(overflow)?,
            };
            let start = ymd(yy, if *half == 2 { 7 } else { 1 }, 1)?;
            Ok(Local {
                start: midnight(start),
                end: midnight(add_months(start, 6)?),
                grain: Grain::Half,
                value: Value::Half(yy, *half),
                modifier: None,
            })
        }
        DateSpec::BusinessDay(n) => {
            let step = n.signum();
            let mut d = today;
            let mut left = n.saturating_abs();
            while left > 0 {
                d = add_days(d, step)?;
                if !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) {
                    left -= 1;
                }
            }
            day_local(d)
        }
        DateSpec::Now => {
            let start = ctx.now.with_nanosecond(0).ok_or_else(overflow)?;
            Ok(Local {
                start,
                end: add_units(start, Unit::Second, 1)?,
                grain: Grain::Second,
                value: Value::Text("PRESENT_REF"),
                modifier: None,
            })
        }
        DateSpec::Ymd {
            year: Some(yy),
            month: Some(m),
            day: Some(dd),
        } => day_local(ymd(*yy, *m, *dd)?),
        DateSpec::Ymd {
            year: Some(yy),
            month: Some(m),
            day: None,
        } => month_local(*yy, *m),
        DateSpec::Ymd {
            year: Some(yy),
            month: None,
            day: None,
        } => year_local(*yy),
        DateSpec::Ymd {
            year: None,
            month: Some(m),
            day: Some(dd),
        } => {
            // "29 February" in a year without one is no date (chrono agrees).
            if ymd(y, *m, *dd).is_err() {
                return Err(format!("no such date {y:04}-{m:02}-{dd:02}"));
            }
            let mut cands = (y - 1..=y + 1)
                .filter_map(|yy| NaiveDate::from_ymd_opt(yy, *m, *dd))
                .filter_map(|x| day_local(x).ok())
                .peekable();
            if cands.peek().is_none() {
                return Err(format!("no such date --{m:02}-{dd:02}"));
            }
            choose(cands, ctx)
        }
        DateSpec::Ymd {
            year: None,
            month: Some(m),
            day: None,
        } => {
            let cands = (y - 1..=y + 1).filter_map(|yy| month_local(yy, *m).ok());
            choose(cands, ctx)
        }
        DateSpec::Ymd {
            year: None,
            month: None,
            day: Some(dd),
        } => {
            let first = ymd(y, today.month(), 1)?;
            let cands = (-1..=1)
                .filter_map(|k| add_months(first, k).ok())
                .filter_map(|f| NaiveDate::from_ymd_opt(f.year(), f.month(), *dd))
                .filter_map(|x| day_local(x).ok());
            choose(cands, ctx)
        }
        DateSpec::Ymd { .. } => Err("incomplete date".into()),
        DateSpec::Decade(start) => decade_local(*start),
        DateSpec::WeekOf(d) => unit_window(date_local(d, ctx)?.start, Unit::Week),
        DateSpec::Century(start) => unit_window(midnight(ymd(*start, 1, 1)?), Unit::Century),
        DateSpec::Quarter {
            quarter,
            year: Some(yy),
        } => quarter_local(*yy, *quarter),
        DateSpec::Quarter {
            quarter,
            year: None,
        } => {
            let cands = (y - 1..=y + 1).filter_map(|yy| quarter_local(yy, *quarter).ok());
            choose(cands, ctx)
        }
        DateSpec::RelUnit { unit, n } => {
            let start = add_units(unit_start(ctx.now, *unit)?, *unit, *n)?;
            unit_window(start, *unit)
        }
        DateSpec::Weekend(n) => {
            let weekend = |n: i64| -> Res<Local> {
                let monday = add_days(monday_of(today)?, 7 * n)?;
                let (from_day, from_h) = match ctx.profile {
                    // Duckling: the weekend starts on Friday at 18:00.
                    Profile::Forward => (4, 18),
                    Profile::News => (5, 0),
                };
                let start = add_days(monday, from_day)?
                    .and_hms_opt(from_h, 0, 0)
                    .ok_or_else(overflow)?;
                let end = midnight(add_days(monday, 7)?);
                let iso = monday.iso_week();
                Ok(Local {
                    start,
                    end,
                    grain: Grain::Weekend,
                    value: Value::Weekend(iso.year(), iso.week()),
                    modifier: None,
                })
            };
            match n {
                Some(n) => weekend(*n),
                None => choose([weekend(-1)?, weekend(0)?, weekend(1)?], ctx),
            }
        }
        DateSpec::Offset { unit, n, exact } => {
            let t = add_units(ctx.now, *unit, *n)?;
            let exact_grain = match unit {
                Unit::Second | Unit::Minute => Some(Grain::Second),
                Unit::Hour => Some(Grain::Minute),
                Unit::Day | Unit::Week | Unit::Fortnight
                    if *exact || ctx.profile == Profile::Forward =>
                {
                    Some(Grain::Hour)
                }
                _ => None,
            };
            match exact_grain {
                // A moment from now ("in 3 days", Duckling's "3 days ago"): the instant itself.
                Some(grain) => {
                    let start = t.with_nanosecond(0).ok_or_else(overflow)?;
                    let step = match grain {
                        Grain::Second => Unit::Second,
                        Grain::Minute => Unit::Minute,
                        _ => Unit::Hour,
                    };
                    Ok(Local {
                        start,
                        end: add_units(start, step, 1)?,
                        grain,
                        value: Value::At(start, grain),
                        modifier: None,
                    })
                }
                // News "three days ago" is that day and "two years ago" that year; Duckling reads
                // years at month grain and months at day grain.
                None => match (unit, ctx.profile) {
                    (Unit::Year | Unit::Decade | Unit::Century, Profile::News) if !*exact => {
                        unit_window(t, Unit::Year)
                    }
                    (Unit::Year | Unit::Decade | Unit::Century, _) => unit_window(t, Unit::Month),
                    _ => unit_window(t, Unit::Day),
                },
            }
        }
        DateSpec::OffsetRange {
            unit,
            n,
            near,
            far,
            exact,
        } => {
            let at = |n: i64| {
                date_local(
                    &DateSpec::Offset {
                        unit: *unit,
                        n,
                        exact: *exact,
                    },
                    ctx,
                )
            };
            let nominal = at(*n)?;
            // Forward (Duckling) reads "a few" as one count; news shows the whole range.
            if ctx.profile == Profile::Forward {
                return Ok(nominal);
            }
            Ok(vague_cover(nominal, &at(*near)?, &at(*far)?))
        }
        DateSpec::OffsetDay { unit, n } => day_local(add_units(ctx.now, *unit, *n)?.date()),
        DateSpec::MonthDayWeekday {
            month,
            day,
            weekday,
        } => {
            // The year closest to the reference whose date falls on the weekday (the earlier
            // of two as close).
            let distance_days = |c: &Local| (c.start - ctx.now).num_days().abs();
            let mut closest: Option<Local> = None;
            for yy in y - 6..=y + 6 {
                if let Some(x) = NaiveDate::from_ymd_opt(yy, *month, *day) {
                    if x.weekday() == *weekday {
                        let c = day_local(x)?;
                        if closest.is_none_or(|b| distance_days(&c) < distance_days(&b)) {
                            closest = Some(c);
                        }
                    }
                }
            }
            let Some(closest) = closest else {
                return date_local(
                    &DateSpec::Ymd {
                        year: None,
                        month: Some(*month),
                        day: Some(*day),
                    },
                    ctx,
                );
            };
            Ok(closest)
        }
        DateSpec::NthOfMonth { n, kind, month } => {
            let m = date_local(month, ctx)?;
            let first = m.start.date();
            let last = add_days(m.end.date(), -1)?;
            // n > 0 counts from the start, n < 0 from the end (-1 = the last).
            let pick = |cands: Vec<NaiveDate>| -> Res<NaiveDate> {
                let k = if *n < 0 {
                    usize::try_from(n.unsigned_abs())
                        .ok()
                        .and_then(|back| cands.len().checked_sub(back))
                } else {
                    usize::try_from(*n - 1).ok()
                };
                k.and_then(|k| cands.get(k).copied())
                    .ok_or_else(|| "no such day in that month".to_string())
            };
            let days_of = |wd: Weekday| -> Res<Vec<NaiveDate>> {
                let fwd = (wd.num_days_from_monday() as i64
                    - first.weekday().num_days_from_monday() as i64)
                    .rem_euclid(7);
                let mut v = Vec::new();
                let mut d = add_days(first, fwd)?;
                while d <= last {
                    v.push(d);
                    d = add_days(d, 7)?;
                }
                Ok(v)
            };
            match kind {
                NthKind::Day => {
                    let d = if *n < 0 {
                        add_days(last, n + 1)?
                    } else {
                        add_days(first, n - 1)?
                    };
                    if d > last || d < first {
                        return Err("no such day in that month".into());
                    }
                    day_local(d)
                }
                NthKind::Weekday(wd) => day_local(pick(days_of(*wd)?)?),
                NthKind::Week => {
                    let mondays: Vec<NaiveDate> = days_of(Weekday::Mon)?
                        .into_iter()
                        .filter(|d| add_days(*d, 6).is_ok_and(|s| s <= last))
                        .collect();
                    let monday = pick(mondays)?;
                    let iso = monday.iso_week();
                    Ok(Local {
                        start: midnight(monday),
                        end: midnight(add_days(monday, 7)?),
                        grain: Grain::Week,
                        value: Value::Week(iso.year(), iso.week()),
                        modifier: None,
                    })
                }
                NthKind::Weekend => {
                    let saturday = pick(days_of(Weekday::Sat)?)?;
                    let start = match ctx.profile {
                        Profile::Forward => add_days(saturday, -1)?
                            .and_hms_opt(18, 0, 0)
                            .ok_or_else(overflow)?,
                        Profile::News => midnight(saturday),
                    };
                    let iso = saturday.iso_week();
                    Ok(Local {
                        start,
                        end: midnight(add_days(saturday, 2)?),
                        grain: Grain::Weekend,
                        value: Value::Weekend(iso.year(), iso.week()),
                        modifier: None,
                    })
                }
            }
        }
        DateSpec::Holiday {
            index,
            year,
            years,
            shift,
        } => {
            let rule = HOLIDAYS
                .get(*index)
                .map(|h| h.rule)
                .ok_or("unknown holiday")?;
            if let Some(yy) = year.or(years.map(|n| y.saturating_add(n as i32))) {
                return day_local(holiday_date(rule, yy)?);
            }
            let mut cands = (y - 1..=y + 1)
                .filter_map(|yy| holiday_date(rule, yy).ok())
                .filter_map(|d| day_local(d).ok());
            let today_start = midnight(today);
            let pick = match shift {
                WeekdayShift::Next => cands.find(|c| c.start > today_start),
                WeekdayShift::Last => cands.rev().find(|c| c.end <= today_start),
                WeekdayShift::This => cands.find(|c| c.end > today_start),
                _ => return choose(cands, ctx),
            };
            pick.ok_or_else(|| "no occurrence in range".to_string())
        }
        DateSpec::DayOfRelMonth { day, months } => {
            let first = add_months(ymd(y, today.month(), 1)?, *months)?;
            day_local(ymd(first.year(), first.month(), *day)?)
        }
        DateSpec::RestOfUnit { unit, later } => rest_of_unit(ctx.now, *unit, *later),
        DateSpec::Span { unit, n } => {
            // News: "the past two weeks" are the fourteen days up to the reference, today
            // included, as a reader of the report means them. Forward (Duckling) keeps whole
            // calendar units: the two weeks before this one.
            if ctx.profile == Profile::News {
                let other = add_units(ctx.now, *unit, *n)?;
                let (start, end) = (ctx.now.min(other), ctx.now.max(other));
                let grain = unit_grain(*unit);
                return Ok(Local {
                    start,
                    end,
                    grain,
                    value: Value::At(start, grain),
                    modifier: None,
                });
            }
            let base = unit_start(ctx.now, *unit)?;
            let (start, end) = if *n < 0 {
                (add_units(base, *unit, *n)?, base)
            } else {
                let s = add_units(base, *unit, 1)?;
                (s, add_units(s, *unit, *n)?)
            };
            Ok(Local {
                start,
                end,
                grain: unit_grain(*unit),
                value: Value::At(start, unit_grain(*unit)),
                modifier: None,
            })
        }
    }
}

/// Western Easter Sunday (the anonymous Gregorian computus, valid from 1583).
fn easter(y: i32) -> Res<NaiveDate> {
    if !(1583..=9999).contains(&y) {
        return Err(overflow());
    }
    let (a, b, c) = (y % 19, y / 100, y % 100);
    let (d, e) = (b / 4, b % 4);
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let (i, k) = (c / 4, c % 4);
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    ymd(y, month as u32, day as u32)
}

/// Orthodox Easter Sunday: the Julian computus, shifted to the Gregorian calendar (13 days for
/// 1900..2099; the shift grows by one day most centuries).
fn orthodox_easter(y: i32) -> Res<NaiveDate> {
    if !(1583..=9999).contains(&y) {
        return Err(overflow());
    }
    let (a, b, c) = (y % 4, y % 7, y % 19);
    let d = (19 * c + 15) % 30;
    let e = (2 * a + 4 * b - d + 34) % 7;
    let month = (d + e + 114) / 31;
    let day = (d + e + 114) % 31 + 1;
    let julian = ymd(y, month as u32, day as u32)?;
    let century = y / 100;
    let shift = century - century / 4 - 2;
    add_days(julian, shift as i64)
}

fn holiday_date(rule: HolidayRule, y: i32) -> Res<NaiveDate> {
    match rule {
        HolidayRule::Fixed { month, day } => ymd(y, month, day),
        HolidayRule::Weekday { month, day } => {
            let d = ymd(y, month, day)?;
            match d.weekday() {
                Weekday::Sat => add_days(d, -1),
                Weekday::Sun => add_days(d, 1),
                _ => Ok(d),
            }
        }
        HolidayRule::NotSunday { month, day } => {
            let d = ymd(y, month, day)?;
            if d.weekday() == Weekday::Sun {
                add_days(d, -1)
            } else {
                Ok(d)
            }
        }
        HolidayRule::Nth {
            n,
            weekday,
            month,
            plus_days,
        } => {
            let first = ymd(y, month, 1)?;
            let d = if n == -1 {
                let last = add_days(add_months(first, 1)?, -1)?;
                let back = (last.weekday().num_days_from_monday() as i64
                    - weekday.num_days_from_monday() as i64)
                    .rem_euclid(7);
                add_days(last, -back)?
            } else {
                let fwd = (weekday.num_days_from_monday() as i64
                    - first.weekday().num_days_from_monday() as i64)
                    .rem_euclid(7);
                add_days(first, fwd + 7 * (n - 1))?
            };
            add_days(d, plus_days)
        }
        HolidayRule::Easter { plus_days } => add_days(easter(y)?, plus_days),
        HolidayRule::Orthodox { plus_days } => add_days(orthodox_easter(y)?, plus_days),
        HolidayRule::Table { key, plus_days } => {
            // The first occurrence in year `y` (a lunar feast can fall twice in one year).
            let feast = HOLIDAY_DATES.get(key).ok_or("unknown feast")?;
            let k = feast
                .dates
                .partition_point(|d| d.year() < y - i32::from(plus_days < 0));
            let d = feast
                .dates
                .iter()
                .skip(k)
                .filter_map(|d| add_days(*d, plus_days).ok())
                .find(|d| d.year() == y)
                .ok_or("no tabulated date for the feast in that year")?;
            Ok(d)
        }
    }
}

/// The hours of a part of day under the anchor's profile.
fn part_hours(part: usize, ctx: &Ctx) -> Res<(u32, u32, &'static str)> {
    let p = PARTS_OF_DAY.get(part).ok_or("unknown part of day")?;
    let (a, b) = match ctx.profile {
        Profile::News => p.news_h,
        Profile::Forward => p.forward_h,
    };
    Ok((a, b, &p.code))
}

fn hours_window(day: NaiveDate, a: u32, b: u32) -> Res<(NaiveDateTime, NaiveDateTime)> {
    let start = add_units(midnight(day), Unit::Hour, a as i64)?;
    let end = add_units(midnight(day), Unit::Hour, b as i64)?;
    Ok((start, end))
}

/// The hour of a clock time, using the part of day to settle "at 8" (8 tonight = 20:00).
fn clock_hour(t: &ClockTime, part_h: Option<(u32, u32)>) -> u32 {
    match t.pm {
        Some(true) if t.hour < 12 => t.hour + 12,
        Some(false) if t.hour == 12 => 0,
        Some(_) => t.hour,
        None => match part_h {
            Some((a, b)) if !(a..b).contains(&t.hour) && (a..b).contains(&(t.hour + 12)) => {
                t.hour + 12
            }
            // "this afternoon at 5", "tomorrow evening at 5": an afternoon or evening hour.
            Some((a, _)) if a >= 12 && t.hour < 12 => t.hour + 12,
            _ => t.hour,
        },
    }
}

fn point(p: &Point, ctx: &Ctx) -> Res<Local> {
    let part = p.part.map(|k| part_hours(k, ctx)).transpose()?;
    let modifier = p.modifier.and_then(|k| MODIFIERS.get(k));
    // The day or period first.
    let base = match &p.date {
        Some(d) => Some(date_local(d, ctx)?),
        None => None,
    };
    if let Some(t) = &p.time {
        let part_h = part.as_ref().map(|(a, b, _)| (*a, *b));
        let mut hour = clock_hour(t, part_h);
        let at = |day: NaiveDate, hour: u32| -> Res<NaiveDateTime> {
            // 24:00 (midnight) is 00:00 of the next day.
            let (day, hour) = if hour >= 24 {
                (add_days(day, 1)?, hour - 24)
            } else {
                (day, hour)
            };
            day.and_hms_opt(hour, t.minute, t.second)
                .ok_or_else(overflow)
        };
        let day = match &base {
            Some(b) if b.grain <= Grain::Day || b.grain == Grain::PartOfDay => b.start.date(),
            // "at 7 in 3 years": the first day of the period (Duckling), but only for a time
            // that comes with an offset; "March at 7pm" stays the month.
            Some(b)
                if matches!(
                    p.date,
                    Some(DateSpec::Offset { .. } | DateSpec::OffsetRange { .. })
                ) =>
            {
                b.start.date()
            }
            Some(b) => return Ok(*b),
            None => {
                let today = ctx.now.date();
                let ambiguous = t.pm.is_none() && part.is_none() && (1..=11).contains(&t.hour);
                match ctx.dir {
                    Direction::Forward => {
                        let cands = [
                            Some(at(today, hour)?),
                            if ambiguous {
                                Some(at(today, hour + 12)?)
                            } else {
                                None
                            },
                            Some(at(add_days(today, 1)?, hour)?),
                        ];
                        // Duckling keeps a time with minutes in the current hour ("4:23" at
                        // 04:30 is today); a whole hour already begun is tomorrow's ("1am" at
                        // 01:57, chrono).
                        let since = if t.grain == Grain::Hour {
                            ctx.now
                        } else {
                            unit_start(ctx.now, Unit::Hour)?
                        };
                        let pick = cands
                            .into_iter()
                            .flatten()
                            .find(|c| *c >= since)
                            .ok_or_else(overflow)?;
                        hour = pick.hour();
                        pick.date()
                    }
                    Direction::Past if at(today, hour)? > ctx.now => add_days(today, -1)?,
                    Direction::Future if at(today, hour)? < ctx.now => add_days(today, 1)?,
                    _ => today,
                }
            }
        };
        let start = at(day, hour)?;
        let unit = match t.grain {
            Grain::Second => Unit::Second,
            Grain::Minute => Unit::Minute,
            _ => Unit::Hour,
        };
        return Ok(Local {
            start,
            end: add_units(start, unit, 1)?,
            grain: t.grain,
            value: Value::At(start, Grain::Minute),
            modifier: None,
        });
    }
    let base = match base {
        Some(b) => b,
        None => {
            // A bare part of day is today's, unless the tense points to yesterday's ("he left in
            // the evening", said in the morning) or tomorrow's.
            let today = ctx.now.date();
            let day = match (&part, ctx.dir) {
                (Some((a, _, _)), Direction::Past)
                    if hours_window(today, *a, *a + 1)?.0 > ctx.now =>
                {
                    add_days(today, -1)?
                }
                (Some((_, b, _)), Direction::Future)
                    if hours_window(today, *b, *b)?.0 <= ctx.now =>
                {
                    add_days(today, 1)?
                }
                _ => today,
            };
            day_local(day)?
        }
    };
    if let Some((a, b, code)) = part {
        if base.grain > Grain::Day {
            return Ok(base);
        }
        let day = base.start.date();
        // "late Monday night": the modified row of the table when there is one.
        let (a, b, code) = match modifier.and_then(|m| {
            let name = format!(
                "{} {}",
                m.words.join(" "),
                PARTS_OF_DAY.get(p.part?)?.phrase
            );
            PARTS_OF_DAY.iter().position(|x| x.phrase == name)
        }) {
            Some(k) => part_hours(k, ctx)?,
            None => match modifier {
                Some(m) => {
                    let span = (b - a) as f64;
                    let a2 = a + (span * m.period.0).round() as u32;
                    let b2 = a + (span * m.period.1).round() as u32;
                    (a2, b2.max(a2 + 1), code)
                }
                None => (a, b, code),
            },
        };
        let (start, end) = hours_window(day, a, b)?;
        return Ok(Local {
            start,
            end,
            grain: Grain::PartOfDay,
            value: Value::DayPart(day, code),
            modifier: modifier.map(|m| m.timex_mod),
        });
    }
    if let Some(m) = modifier {
        if base.grain == Grain::Day {
            let day = base.start.date();
            let (start, end) = hours_window(day, m.day_h.0, m.day_h.1)?;
            return Ok(Local {
                start,
                end,
                grain: Grain::PartOfDay,
                value: base.value,
                modifier: Some(m.timex_mod),
            });
        }
        if base.grain > Grain::Day {
            // A fraction of the period in its sub-units: a month in days (counted as 30, so
            // "end of April" starts on the 21st), a year in months ("end of 2012" = September on).
            let (sub, count, grain) = match base.grain {
                Grain::Week | Grain::Weekend => (Unit::Day, 7, Grain::Day),
                Grain::Month => (Unit::Day, 30, Grain::Day),
                Grain::Quarter => (Unit::Month, 3, Grain::Month),
                Grain::Half => (Unit::Month, 6, Grain::Month),
                Grain::Year => (Unit::Month, 12, Grain::Month),
                Grain::Decade => (Unit::Year, 10, Grain::Year),
                _ => (Unit::Year, 100, Grain::Year),
            };
            let a = (count as f64 * m.period.0).floor() as i64;
            let b = ((count as f64 * m.period.1).ceil() as i64).max(a + 1);
            let start = add_units(base.start, sub, a)?.min(base.end);
            let end = if m.period.1 >= 1.0 {
                base.end
            } else {
                add_units(base.start, sub, b)?.min(base.end)
            };
            if start >= end {
                return Ok(base);
            }
            return Ok(Local {
                start,
                end,
                grain,
                value: base.value,
                modifier: Some(m.timex_mod),
            });
        }
    }
    Ok(base)
}

/// The part of the day, week, month ... around `at` that comes after it (`later`: "later this
/// week", "later in the week") or before it ("earlier this month"); the whole unit when that
/// part is empty.
fn rest_of_unit(at: NaiveDateTime, unit: Unit, later: bool) -> Res<Local> {
    let w = unit_window(at, unit)?;
    let (start, end) = if later { (at, w.end) } else { (w.start, at) };
    if start >= end {
        return Ok(w);
    }
    let grain = if unit == Unit::Day {
        Grain::PartOfDay
    } else {
        Grain::Day
    };
    Ok(Local {
        start,
        end,
        grain,
        value: w.value,
        modifier: Some(if later {
            TimexMod::End
        } else {
            TimexMod::Start
        }),
    })
}

fn related(r: &Related, w: &Window, ctx: &Ctx) -> Res<Local> {
    let from = ctx.tz.local(w.earliest);
    let day = from.date();
    match r {
        Related::LaterInDay => {
            let end = midnight(add_days(day, 1)?);
            // "is expected to arrive later in the day", said after the related time: the rest of
            // the day from the reference on.
            let from = if ctx.dir == Direction::Future && from < ctx.now && ctx.now < end {
                ctx.now
            } else {
                from
            };
            Ok(Local {
                start: from,
                end,
                grain: Grain::PartOfDay,
                value: Value::Day(day),
                modifier: Some(TimexMod::End),
            })
        }
        Related::EarlierInDay => {
            let start = midnight(day);
            let end = if from > start {
                from
            } else {
                midnight(add_days(day, 1)?)
            };
            Ok(Local {
                start,
                end,
                grain: Grain::PartOfDay,
                value: Value::Day(day),
                modifier: Some(TimexMod::Start),
            })
        }
        Related::RestOfUnit { unit, later } => rest_of_unit(from, *unit, *later),
        Related::Days(n) => day_local(add_days(day, *n)?),
        Related::PartOfDay { days, part } => {
            let d = add_days(day, *days)?;
            let (a, b, code) = part_hours(*part, ctx)?;
            let (start, end) = hours_window(d, a, b)?;
            Ok(Local {
                start,
                end,
                grain: Grain::PartOfDay,
                value: Value::DayPart(d, code),
                modifier: None,
            })
        }
        Related::OffsetRange { unit, n, near, far } => {
            let at = |n: i64, w: &Window| related(&Related::Offset { unit: *unit, n }, w, ctx);
            let nominal = at(*n, w)?;
            // Forward (Duckling) reads "a few" as one count; news shows the whole range.
            if ctx.profile == Profile::Forward {
                return Ok(nominal);
            }
            // The far end is counted from the far side of the related time: "hours later"
            // after "on Tuesday" can be late on Wednesday morning.
            let last = w.latest - chrono::Duration::seconds(1);
            let early_side = Window::new(w.earliest, w.earliest, w.grain);
            let late_side = Window::new(last, last, w.grain);
            let (late_n, a) = if *n >= 0 {
                (*far, at(*near, &early_side)?)
            } else {
                (*near, at(*far, &early_side)?)
            };
            let mut b = at(late_n, &late_side)?;
            // Clock units end exactly that long after the related time's (exclusive) end.
            if matches!(unit, Unit::Second | Unit::Minute | Unit::Hour) {
                b.end = add_units(ctx.tz.local(w.latest), *unit, late_n)?;
            }
            Ok(vague_cover(nominal, &a, &b))
        }
        Related::Offset { unit, n } => {
            let t = add_units(from, *unit, *n)?;
            match unit {
                Unit::Second | Unit::Minute | Unit::Hour => Ok(Local {
                    start: t,
                    end: add_units(t, *unit, 1)?,
                    grain: unit_grain(*unit),
                    value: Value::At(t, Grain::Minute),
                    modifier: None,
                }),
                _ => unit_window(
                    t,
                    if *unit == Unit::Fortnight {
                        Unit::Week
                    } else {
                        *unit
                    },
                )
                .map(|mut l| {
                    if matches!(unit, Unit::Day) {
                        l.grain = Grain::Day;
                    }
                    l
                }),
            }
        }
    }
}

// ---- durations ----

/// Seconds per unit. Months are 30 days and years 365 days: news durations are approximate.
fn unit_seconds(unit: Unit) -> f64 {
    match unit {
        Unit::Second => 1.0,
        Unit::Minute => 60.0,
        Unit::Hour => 3600.0,
        Unit::Day => 86_400.0,
        Unit::Week => 7.0 * 86_400.0,
        Unit::Fortnight => 14.0 * 86_400.0,
        Unit::Month => 30.0 * 86_400.0,
        Unit::Quarter => 91.0 * 86_400.0,
        Unit::Year => 365.0 * 86_400.0,
        Unit::Decade => 3650.0 * 86_400.0,
        Unit::Century => 36_500.0 * 86_400.0,
    }
}

/// The window of a vague count ("a few days ago"): from the earlier to the later of the windows
/// its two end counts give, with the nominal count's TIMEX3 value, marked APPROX.
fn vague_cover(nominal: Local, a: &Local, b: &Local) -> Local {
    Local {
        start: a.start.min(b.start),
        end: a.end.max(b.end),
        modifier: Some(TimexMod::Approx),
        ..nominal
    }
}

/// The count of units a "within" window spans: the most a vague count allows ("within a few
/// days" = up to four days), else the amount's own.
fn within_count(a: &Amount, unit: Unit, n: i64) -> i64 {
    match a.count_range().filter(|_| a.unit == unit) {
        Some((_, most)) => most,
        None => n,
    }
}

fn duration(a: &Amount) -> (DurationRange, String, Grain) {
    let nominal = a.amount * unit_seconds(a.unit);
    let clamp = |x: f64| x.round().clamp(0.0, 1e15) as i64;
    let approx = a.approximator.and_then(|k| APPROXIMATORS.get(k));
    let vague = a.vague.and_then(|row| VAGUE_COUNTS.get(row));
    let (min_s, max_s) = match (approx, vague) {
        (Some(x), _) => (
            x.min_factor.map(|f| clamp(nominal * f)),
            x.max_factor.map(|f| clamp(nominal * f)),
        ),
        // "a few hours": two to four hours, not three.
        (None, Some(v)) => (
            Some(clamp(v.min * unit_seconds(a.unit))),
            Some(clamp(v.max * unit_seconds(a.unit))),
        ),
        (None, None) => (Some(clamp(nominal)), Some(clamp(nominal))),
    };
    // TIMEX3 writes an unknown count as X ("PXH").
    let n = if vague.is_some() {
        "X".to_string()
    } else if a.amount.fract() == 0.0 {
        format!("{}", a.amount as i64)
    } else {
        format!("{}", (a.amount * 100.0).round() / 100.0)
    };
    let value = match a.unit {
        Unit::Second => format!("PT{n}S"),
        Unit::Minute => format!("PT{n}M"),
        Unit::Hour => format!("PT{n}H"),
        Unit::Day => format!("P{n}D"),
        Unit::Week => format!("P{n}W"),
        Unit::Fortnight if vague.is_some() => "PXW".to_string(),
        Unit::Fortnight => format!("P{}W", a.amount * 2.0),
        Unit::Month => format!("P{n}M"),
        Unit::Quarter => format!("P{n}Q"),
        Unit::Year => format!("P{n}Y"),
        Unit::Decade => format!("P{n}DE"),
        Unit::Century => format!("P{n}CE"),
    };
    (
        DurationRange {
            nominal_s: clamp(nominal),
            min_s,
            max_s,
        },
        value,
        unit_grain(a.unit),
    )
}
