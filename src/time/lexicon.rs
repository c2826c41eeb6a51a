//! Embedded data tables of the time stage (data/time/en/*.tsv) and small closed word sets.
//!
//! Each table is a TSV file with a header row, `#` comments and a `source` column. Parse errors
//! carry `file:line`; `tests::every_data_file_loads` parses all of them, so the `expect`s on the
//! embedded data below cannot fire in a tested build.

use std::sync::LazyLock;

use chrono::Weekday;

use super::TimexMod;

/// One row of a TSV table: its 1-based line number and its cells.
struct Row<'a> {
    line: usize,
    cells: Vec<&'a str>,
}

/// Splits a TSV table into rows with the shared reader ([`crate::tsv::parse_tsv`]), which
/// checks the header names and the number of cells.
fn rows<'a>(file: &str, text: &'a str, header: &[&str]) -> Result<Vec<Row<'a>>, String> {
    let rows = crate::tsv::parse_tsv(file, text, header).map_err(|e| e.to_string())?;
    Ok(rows
        .into_iter()
        .map(|r| Row {
            line: r.line,
            cells: r.fields,
        })
        .collect())
}

/// A table error as the parsers here word it, from [`crate::tsv::for_each_row`] or a cell.
struct TableError(String);

impl From<crate::error::Error> for TableError {
    fn from(e: crate::error::Error) -> TableError {
        TableError(e.to_string())
    }
}

fn num<T: std::str::FromStr>(file: &str, row: &Row, col: usize) -> Result<T, String> {
    let cell = row.cells.get(col).copied().unwrap_or("");
    cell.trim().parse().map_err(|_| {
        format!(
            "{file}:{}: expected a number in column {}, found {cell:?}",
            row.line,
            col + 1
        )
    })
}

fn opt_num(file: &str, row: &Row, col: usize) -> Result<Option<f64>, String> {
    match row.cells.get(col).map(|c| c.trim()) {
        None | Some("") => Ok(None),
        Some(_) => num(file, row, col).map(Some),
    }
}

fn timex_mod(file: &str, row: &Row, col: usize) -> Result<TimexMod, String> {
    let cell = row.cells.get(col).copied().unwrap_or("");
    Ok(match cell {
        "APPROX" => TimexMod::Approx,
        "LESS_THAN" => TimexMod::LessThan,
        "MORE_THAN" => TimexMod::MoreThan,
        "EQUAL_OR_LESS" => TimexMod::EqualOrLess,
        "EQUAL_OR_MORE" => TimexMod::EqualOrMore,
        "START" => TimexMod::Start,
        "MID" => TimexMod::Mid,
        "END" => TimexMod::End,
        "BEFORE" => TimexMod::Before,
        "AFTER" => TimexMod::After,
        _ => {
            return Err(format!(
                "{file}:{}: expected a TIMEX3 mod (APPROX, LESS_THAN, ...), found {cell:?}",
                row.line
            ))
        }
    })
}

/// Splits a lower-case phrase into the words the tokenizer produces ("mid-morning" → mid - morning).
fn phrase_words(phrase: &str) -> Vec<String> {
    let low = phrase.to_ascii_lowercase();
    super::spec::tokenize(&low)
        .iter()
        .map(|t| low.get(t.start..t.end).unwrap_or("").to_string())
        .collect()
}

/// A part of the day ("evening") with its hours under both profiles.
#[derive(Clone, Debug)]
pub(crate) struct PartOfDay {
    pub phrase: String,
    pub words: Vec<String>,
    pub code: String,
    pub news_h: (u32, u32),
    pub forward_h: (u32, u32),
}

pub(crate) const PARTS_OF_DAY_FILE: &str = "data/time/en/parts_of_day.tsv";
const PARTS_OF_DAY_TSV: &str = include_str!("../../data/time/en/parts_of_day.tsv");

pub(crate) fn parse_parts_of_day(text: &str) -> Result<Vec<PartOfDay>, String> {
    let f = PARTS_OF_DAY_FILE;
    let header = [
        "phrase",
        "code",
        "news_start_h",
        "news_end_h",
        "forward_start_h",
        "forward_end_h",
        "source",
    ];
    let mut out = Vec::new();
    for row in rows(f, text, &header)? {
        let news_h: (u32, u32) = (num(f, &row, 2)?, num(f, &row, 3)?);
        let forward_h: (u32, u32) = (num(f, &row, 4)?, num(f, &row, 5)?);
        for (a, b) in [news_h, forward_h] {
            if a >= b || b > 48 {
                return Err(format!(
                    "{f}:{}: expected start < end <= 48, found {a}..{b}",
                    row.line
                ));
            }
        }
        out.push(PartOfDay {
            phrase: row.cells[0].to_string(),
            words: phrase_words(row.cells[0]),
            code: row.cells[1].to_string(),
            news_h,
            forward_h,
        });
    }
    Ok(out)
}

pub(crate) static PARTS_OF_DAY: LazyLock<Vec<PartOfDay>> = LazyLock::new(|| {
    parse_parts_of_day(PARTS_OF_DAY_TSV).expect("embedded parts_of_day.tsv parses")
});

/// A modifier that narrows a day or a longer period ("late", "early", "mid").
#[derive(Clone, Debug)]
pub(crate) struct Modifier {
    pub words: Vec<String>,
    pub timex_mod: TimexMod,
    pub day_h: (u32, u32),
    pub period: (f64, f64),
}

pub(crate) const MODIFIERS_FILE: &str = "data/time/en/modifiers.tsv";
const MODIFIERS_TSV: &str = include_str!("../../data/time/en/modifiers.tsv");

pub(crate) fn parse_modifiers(text: &str) -> Result<Vec<Modifier>, String> {
    let f = MODIFIERS_FILE;
    let header = [
        "modifier",
        "timex_mod",
        "day_start_h",
        "day_end_h",
        "period_start",
        "period_end",
        "source",
    ];
    let mut out = Vec::new();
    for row in rows(f, text, &header)? {
        let day_h: (u32, u32) = (num(f, &row, 2)?, num(f, &row, 3)?);
        let period: (f64, f64) = (num(f, &row, 4)?, num(f, &row, 5)?);
        if day_h.0 >= day_h.1
            || day_h.1 > 24
            || !(0.0..1.0).contains(&period.0)
            || period.1 <= period.0
            || period.1 > 1.0
        {
            return Err(format!(
                "{f}:{}: expected ordered hours within 0..24 and fractions within 0..1",
                row.line
            ));
        }
        out.push(Modifier {
            words: phrase_words(row.cells[0]),
            timex_mod: timex_mod(f, &row, 1)?,
            day_h,
            period,
        });
    }
    Ok(out)
}

pub(crate) static MODIFIERS: LazyLock<Vec<Modifier>> =
    LazyLock::new(|| parse_modifiers(MODIFIERS_TSV).expect("embedded modifiers.tsv parses"));

/// A word that qualifies an amount ("nearly", "up to").
#[derive(Clone, Debug)]
pub(crate) struct Approximator {
    pub words: Vec<String>,
    pub timex_mod: TimexMod,
    pub min_factor: Option<f64>,
    pub max_factor: Option<f64>,
}

pub(crate) const APPROXIMATORS_FILE: &str = "data/time/en/approximators.tsv";
const APPROXIMATORS_TSV: &str = include_str!("../../data/time/en/approximators.tsv");

pub(crate) fn parse_approximators(text: &str) -> Result<Vec<Approximator>, String> {
    let f = APPROXIMATORS_FILE;
    let header = ["phrase", "timex_mod", "min_factor", "max_factor", "source"];
    let mut out = Vec::new();
    for row in rows(f, text, &header)? {
        out.push(Approximator {
            words: phrase_words(row.cells[0]),
            timex_mod: timex_mod(f, &row, 1)?,
            min_factor: opt_num(f, &row, 2)?,
            max_factor: opt_num(f, &row, 3)?,
        });
    }
    Ok(out)
}

pub(crate) static APPROXIMATORS: LazyLock<Vec<Approximator>> = LazyLock::new(|| {
    parse_approximators(APPROXIMATORS_TSV).expect("embedded approximators.tsv parses")
});

/// A count that names no number ("a few", "several", a bare plural): the range of counts it
/// allows and the one count the forward profile reads it as.
#[derive(Clone, Debug)]
pub(crate) struct VagueCount {
    /// The words, or empty for the `<plural>` row (a plural unit with no count).
    pub words: Vec<String>,
    pub nominal: f64,
    pub min: f64,
    pub max: f64,
}

pub(crate) const VAGUE_COUNTS_FILE: &str = "data/time/en/vague_counts.tsv";
const VAGUE_COUNTS_TSV: &str = include_str!("../../data/time/en/vague_counts.tsv");

pub(crate) fn parse_vague_counts(text: &str) -> Result<Vec<VagueCount>, String> {
    let f = VAGUE_COUNTS_FILE;
    let header = ["phrase", "nominal", "min", "max", "source"];
    let mut out = Vec::new();
    for row in rows(f, text, &header)? {
        let (nominal, min, max): (f64, f64, f64) =
            (num(f, &row, 1)?, num(f, &row, 2)?, num(f, &row, 3)?);
        if !(1.0 <= min && min <= nominal && nominal <= max) {
            return Err(format!(
                "{f}:{}: expected 1 <= min <= nominal <= max",
                row.line
            ));
        }
        let phrase = row.cells[0];
        out.push(VagueCount {
            words: if phrase == "<plural>" {
                Vec::new()
            } else {
                phrase_words(phrase)
            },
            nominal,
            min,
            max,
        });
    }
    if !out.iter().any(|v| v.words.is_empty()) {
        return Err(format!("{f}: expected a <plural> row"));
    }
    Ok(out)
}

pub(crate) static VAGUE_COUNTS: LazyLock<Vec<VagueCount>> = LazyLock::new(|| {
    parse_vague_counts(VAGUE_COUNTS_TSV).expect("embedded vague_counts.tsv parses")
});

/// A zone abbreviation or name ("KST", "Beijing time") and its fixed UTC offset.
#[derive(Clone, Debug)]
pub(crate) struct ZoneName {
    /// As written in the table ("CST").
    pub name: String,
    /// Words as the tokenizer yields them, lower case.
    pub words: Vec<String>,
    /// True for all-capital abbreviations, which must be written in capitals in the text
    /// (so the word "est" or "ist" is never a zone).
    pub upper_only: bool,
    /// The usual reading: a fixed offset, or an IANA zone with its history ("Pyongyang time"
    /// was UTC+08:30 from 2015 to 2018); `offset_s` is 0 for the latter.
    pub offset_s: i32,
    pub iana: Option<chrono_tz::Tz>,
    pub reading: String,
    /// The other readings of an ambiguous abbreviation ("CST": China Standard Time).
    pub other_readings: Vec<ZoneReading>,
}

/// One reading of a zone abbreviation: its offset and what it stands for.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct ZoneReading {
    pub offset_s: i32,
    pub name: String,
}

impl ZoneName {
    /// The reading for a phrase anchored at `anchor_offset_s`: another reading when the anchor
    /// lies within an hour of its offset (the nearest such), else the usual one.
    pub fn reading_near(&self, anchor_offset_s: i32) -> ZoneReading {
        const NEAR_S: i32 = 3600;
        let usual = ZoneReading {
            offset_s: self.offset_s,
            name: self.reading.clone(),
        };
        let other = self
            .other_readings
            .iter()
            .filter(|r| (r.offset_s - anchor_offset_s).abs() <= NEAR_S)
            .filter(|r| {
                (r.offset_s - anchor_offset_s).abs() < (self.offset_s - anchor_offset_s).abs()
            })
            .min_by_key(|r| (r.offset_s - anchor_offset_s).abs())
            .cloned();
        other.unwrap_or(usual)
    }
}

pub(crate) const ZONES_FILE: &str = "data/time/en/zones.tsv";
const ZONES_TSV: &str = include_str!("../../data/time/en/zones.tsv");

/// "+09:00", "-05:30" as seconds east of UTC.
fn parse_utc_offset(cell: &str) -> Option<i32> {
    let sign = match cell.get(..1)? {
        "+" => 1,
        "-" => -1,
        _ => return None,
    };
    let (h, m) = cell.get(1..)?.split_once(':')?;
    let h: i32 = h.parse().ok()?;
    let m: i32 = m.parse().ok()?;
    (h <= 14 && m <= 59).then_some(sign * (h * 3600 + m * 60))
}

pub(crate) fn parse_zones(text: &str) -> Result<Vec<ZoneName>, String> {
    let f = ZONES_FILE;
    let mut out = Vec::new();
    for row in rows(f, text, &["zone", "utc_offset", "other_readings", "source"])? {
        let cell = row.cells[1];
        let iana = cell.parse::<chrono_tz::Tz>().ok();
        let offset_s = match iana {
            Some(_) => 0,
            None => parse_utc_offset(cell).ok_or_else(|| {
                format!(
                    "{f}:{}: expected an offset like +09:00 or an IANA zone, found {cell:?}",
                    row.line
                )
            })?,
        };
        let mut other_readings = Vec::new();
        let others = row.cells[2];
        if others != "-" {
            for reading in others.split(';').map(str::trim) {
                let parsed = reading.split_once(' ').and_then(|(off, name)| {
                    Some(ZoneReading {
                        offset_s: parse_utc_offset(off)?,
                        name: name.trim().to_string(),
                    })
                });
                other_readings.push(parsed.ok_or_else(|| {
                    format!(
                        "{f}:{}: expected other readings like \"+08:00 China Standard Time\" or -, found {reading:?}",
                        row.line
                    )
                })?);
            }
        }
        let name = row.cells[0];
        out.push(ZoneName {
            name: name.to_string(),
            words: phrase_words(name),
            upper_only: !name.contains(' ') && name.chars().all(|c| c.is_ascii_uppercase()),
            offset_s,
            iana,
            reading: row.cells[3].to_string(),
            other_readings,
        });
    }
    out.extend(iana_city_times(&out));
    Ok(out)
}

/// "Kyiv time", "New York time", "Tehran time": one row per city of the IANA zone database (the
/// last part of a zone id such as `Europe/Kyiv`), read in that zone with its history. Rows of the
/// table win ("Beijing time" is a table row: the IANA id is `Asia/Shanghai`).
fn iana_city_times(table: &[ZoneName]) -> Vec<ZoneName> {
    const REGIONS: [&str; 8] = [
        "Africa/",
        "America/",
        "Asia/",
        "Atlantic/",
        "Australia/",
        "Europe/",
        "Indian/",
        "Pacific/",
    ];
    let mut out: Vec<ZoneName> = Vec::new();
    // The word lists taken so far (table rows and cities), so a duplicate costs one probe.
    let mut taken: super::spec::FnvMap<Vec<String>, ()> =
        table.iter().map(|z| (z.words.clone(), ())).collect();
    // First words of holiday names: a city whose first word starts none needs no scan.
    let holiday_firsts: std::collections::HashSet<&str> = HOLIDAYS
        .iter()
        .filter_map(|h| h.words.first().map(String::as_str))
        .collect();
    for tz in chrono_tz::TZ_VARIANTS {
        let id = tz.name();
        if !REGIONS.iter().any(|r| id.starts_with(r)) {
            continue;
        }
        let Some(city) = id.rsplit('/').next() else {
            continue;
        };
        let name = format!("{} time", city.replace('_', " "));
        let words = phrase_words(&name);
        // "Christmas time", "Easter time" are seasons, not Indian/Christmas or Pacific/Easter.
        let city_words = words.get(..words.len().saturating_sub(1)).unwrap_or(&[]);
        let holiday_prefix = match city_words.first() {
            Some(first) if !holiday_firsts.contains(first.as_str()) => false,
            _ => HOLIDAYS.iter().any(|h| h.words.starts_with(city_words)),
        };
        if holiday_prefix {
            continue;
        }
        if taken.insert(words.clone(), ()).is_some() {
            continue;
        }
        out.push(ZoneName {
            reading: format!("{id} (IANA)"),
            name,
            words,
            upper_only: false,
            offset_s: 0,
            iana: Some(tz),
            other_readings: Vec::new(),
        });
    }
    out
}

pub(crate) static ZONES: LazyLock<Vec<ZoneName>> =
    LazyLock::new(|| parse_zones(ZONES_TSV).expect("embedded zones.tsv parses"));

/// A season: its TIMEX3 code and its first and (exclusive) last month-day.
#[derive(Clone, Debug)]
pub(crate) struct Season {
    pub words: Vec<String>,
    pub code: String,
    pub start: (u32, u32),
    pub end: (u32, u32),
}

pub(crate) const SEASONS_FILE: &str = "data/time/en/seasons.tsv";
const SEASONS_TSV: &str = include_str!("../../data/time/en/seasons.tsv");

pub(crate) fn parse_seasons(text: &str) -> Result<Vec<Season>, String> {
    let f = SEASONS_FILE;
    let mut out = Vec::new();
    for row in rows(f, text, &["season", "code", "start", "end", "source"])? {
        let month_day = |col: usize| -> Result<(u32, u32), String> {
            let cell = row.cells.get(col).copied().unwrap_or("");
            cell.split_once('-')
                .and_then(|(m, d)| Some((m.parse().ok()?, d.parse().ok()?)))
                .filter(|(m, d)| chrono::NaiveDate::from_ymd_opt(2001, *m, *d).is_some())
                .ok_or_else(|| {
                    format!(
                        "{f}:{}: expected a month-day like 06-21, found {cell:?}",
                        row.line
                    )
                })
        };
        out.push(Season {
            words: phrase_words(row.cells[0]),
            code: row.cells[1].to_string(),
            start: month_day(2)?,
            end: month_day(3)?,
        });
    }
    Ok(out)
}

pub(crate) static SEASONS: LazyLock<Vec<Season>> =
    LazyLock::new(|| parse_seasons(SEASONS_TSV).expect("embedded seasons.tsv parses"));

pub(crate) const BUSINESS_DAYS_FILE: &str = "data/time/en/business_days.tsv";
const BUSINESS_DAYS_TSV: &str = include_str!("../../data/time/en/business_days.tsv");

/// Phrases for a working day ("weekday", "business day"), as token words.
pub(crate) fn parse_business_days(text: &str) -> Result<Vec<Vec<String>>, String> {
    let f = BUSINESS_DAYS_FILE;
    let mut out = Vec::new();
    for row in rows(f, text, &["phrase", "source"])? {
        let words = phrase_words(row.cells[0]);
        if words.is_empty() {
            return Err(format!("{f}:{}: empty phrase", row.line));
        }
        out.push(words);
    }
    Ok(out)
}

pub(crate) static BUSINESS_DAYS: LazyLock<Vec<Vec<String>>> = LazyLock::new(|| {
    parse_business_days(BUSINESS_DAYS_TSV).expect("embedded business_days.tsv parses")
});

pub(crate) const LOOKBACK_CUES_FILE: &str = "data/time/en/lookback_cues.tsv";
const LOOKBACK_CUES_TSV: &str = include_str!("../../data/time/en/lookback_cues.tsv");

/// Words that turn "in six years" into the six years before the reference ("the first visit
/// in six years"), in lower case.
pub(crate) fn parse_lookback_cues(text: &str) -> Result<Vec<String>, String> {
    let f = LOOKBACK_CUES_FILE;
    let mut out = Vec::new();
    for row in rows(f, text, &["word", "source"])? {
        let word = row.cells[0].trim().to_ascii_lowercase();
        if word.is_empty() || word.contains(' ') {
            return Err(format!(
                "{f}:{}: expected one word, got {:?}",
                row.line, row.cells[0]
            ));
        }
        out.push(word);
    }
    Ok(out)
}

pub(crate) static LOOKBACK_CUES: LazyLock<Vec<String>> = LazyLock::new(|| {
    parse_lookback_cues(LOOKBACK_CUES_TSV).expect("embedded lookback_cues.tsv parses")
});

/// How to find a holiday's date in a year.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum HolidayRule {
    Fixed {
        month: u32,
        day: u32,
    },
    /// A fixed date moved to the nearest weekday when it falls on a weekend.
    Weekday {
        month: u32,
        day: u32,
    },
    /// A fixed date moved to the Saturday before when it falls on a Sunday (King's Day).
    NotSunday {
        month: u32,
        day: u32,
    },
    /// The n-th (-1 = last) weekday of a month, plus some days.
    Nth {
        n: i64,
        weekday: Weekday,
        month: u32,
        plus_days: i64,
    },
    Easter {
        plus_days: i64,
    },
    Orthodox {
        plus_days: i64,
    },
    /// A movable feast of a lunar or lunisolar calendar: its dates come from
    /// `holiday_dates.tsv` (index into [`HOLIDAY_DATES`]), plus some days.
    Table {
        key: usize,
        plus_days: i64,
    },
}

pub(crate) const HOLIDAY_DATES_FILE: &str = "data/time/en/holiday_dates.tsv";
const HOLIDAY_DATES_TSV: &str = include_str!("../../data/time/en/holiday_dates.tsv");

/// The tabulated dates of one movable feast, sorted.
#[derive(Clone, Debug)]
pub(crate) struct FeastDates {
    pub key: String,
    pub dates: Vec<chrono::NaiveDate>,
}

/// A date written exactly `YYYY-MM-DD` (ASCII digits), or `None`.
fn ymd_date(cell: &str) -> Option<chrono::NaiveDate> {
    let b = cell.as_bytes();
    if b.len() != 10 || b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return None;
    }
    let digits = |from: usize, to: usize| -> Option<u32> {
        b.get(from..to)?.iter().try_fold(0u32, |v, d| {
            d.is_ascii_digit().then(|| v * 10 + u32::from(d - b'0'))
        })
    };
    let year = i32::try_from(digits(0, 4)?).ok()?;
    chrono::NaiveDate::from_ymd_opt(year, digits(5, 7)?, digits(8, 10)?)
}

pub(crate) fn parse_holiday_dates(text: &str) -> Result<Vec<FeastDates>, String> {
    let f = HOLIDAY_DATES_FILE;
    // (key, date) pairs sorted, then grouped: the same as a map from key to sorted dates,
    // without a key allocation or map probe per row (the file has thousands of rows, loaded on
    // first use).
    let mut pairs: Vec<(&str, chrono::NaiveDate)> = Vec::new();
    // Rows are read in place (no `Vec` per row): there are thousands.
    crate::tsv::for_each_row(f, text, &["key", "date", "source"], |line, cells| {
        let (key, cell) = (cells[0], cells[1]);
        // Every run loads these thousands of dates: the plain YYYY-MM-DD form is read by hand,
        // anything else by chrono (which also words the error).
        let fast = ymd_date(cell);
        let date = fast
            .map(Ok)
            .unwrap_or_else(|| chrono::NaiveDate::parse_from_str(cell, "%Y-%m-%d"));
        let date = date.map_err(|e| {
            TableError(format!(
                "{f}:{line}: expected a date YYYY-MM-DD, found {cell:?}: {e}"
            ))
        })?;
        pairs.push((key, date));
        Ok(())
    })
    .map_err(|e: TableError| e.0)?;
    pairs.sort_unstable();
    let mut out: Vec<FeastDates> = Vec::new();
    for (key, date) in pairs {
        match out.last_mut() {
            Some(last) if last.key == key => last.dates.push(date),
            _ => out.push(FeastDates {
                key: key.to_string(),
                dates: vec![date],
            }),
        }
    }
    Ok(out)
}

pub(crate) static HOLIDAY_DATES: LazyLock<Vec<FeastDates>> = LazyLock::new(|| {
    parse_holiday_dates(HOLIDAY_DATES_TSV).expect("embedded holiday_dates.tsv parses")
});

/// A named holiday.
#[derive(Clone, Debug)]
pub(crate) struct Holiday {
    pub words: Vec<String>,
    pub rule: HolidayRule,
}

pub(crate) const HOLIDAYS_FILE: &str = "data/time/en/holidays.tsv";
const HOLIDAYS_TSV: &str = include_str!("../../data/time/en/holidays.tsv");

fn parse_holiday_rule(rule: &str) -> Option<HolidayRule> {
    let parts: Vec<&str> = rule.split_whitespace().collect();
    let month_day = |s: &str| -> Option<(u32, u32)> {
        let (m, d) = s.split_once('-')?;
        let (m, d) = (m.parse().ok()?, d.parse().ok()?);
        chrono::NaiveDate::from_ymd_opt(2000, m, d).map(|_| (m, d))
    };
    let days = |s: &str| -> Option<i64> { s.strip_prefix('+').unwrap_or(s).parse().ok() };
    Some(match parts.as_slice() {
        ["fixed", md] => {
            let (month, day) = month_day(md)?;
            HolidayRule::Fixed { month, day }
        }
        ["weekday", md] => {
            let (month, day) = month_day(md)?;
            HolidayRule::Weekday { month, day }
        }
        ["notsunday", md] => {
            let (month, day) = month_day(md)?;
            HolidayRule::NotSunday { month, day }
        }
        ["nth", n, wd, m, rest @ ..] => {
            let n: i64 = n.parse().ok()?;
            let month: u32 = m.parse().ok()?;
            if !(1..=12).contains(&month) || !(n == -1 || (1..=5).contains(&n)) {
                return None;
            }
            let plus_days = match rest {
                [] => 0,
                [d] => days(d)?,
                _ => return None,
            };
            HolidayRule::Nth {
                n,
                weekday: lookup(WEEKDAYS, wd)?,
                month,
                plus_days,
            }
        }
        ["easter", d] => HolidayRule::Easter {
            plus_days: days(d)?,
        },
        ["orthodox", d] => HolidayRule::Orthodox {
            plus_days: days(d)?,
        },
        ["table", key, rest @ ..] => HolidayRule::Table {
            key: HOLIDAY_DATES.iter().position(|x| x.key == *key)?,
            plus_days: match rest {
                [] => 0,
                [d] => days(d)?,
                _ => return None,
            },
        },
        _ => return None,
    })
}

pub(crate) fn parse_holidays(text: &str) -> Result<Vec<Holiday>, String> {
    let f = HOLIDAYS_FILE;
    let mut out = Vec::new();
    for row in rows(f, text, &["holiday", "rule", "source"])? {
        let rule = parse_holiday_rule(row.cells[1]).ok_or_else(|| {
            format!(
                "{f}:{}: expected a rule like `fixed 12-25`, `nth 4 thu 11`, `easter +1`, `table KEY -1` (KEY from holiday_dates.tsv), found {:?}",
                row.line, row.cells[1]
            )
        })?;
        out.push(Holiday {
            words: phrase_words(row.cells[0]),
            rule,
        });
    }
    Ok(out)
}

pub(crate) static HOLIDAYS: LazyLock<Vec<Holiday>> =
    LazyLock::new(|| parse_holidays(HOLIDAYS_TSV).expect("embedded holidays.tsv parses"));

/// Every embedded data file with its parse result, for the test that loads them all.
pub fn check_embedded_data() -> Vec<(&'static str, Result<usize, String>)> {
    vec![
        (
            PARTS_OF_DAY_FILE,
            parse_parts_of_day(PARTS_OF_DAY_TSV).map(|v| v.len()),
        ),
        (
            MODIFIERS_FILE,
            parse_modifiers(MODIFIERS_TSV).map(|v| v.len()),
        ),
        (
            APPROXIMATORS_FILE,
            parse_approximators(APPROXIMATORS_TSV).map(|v| v.len()),
        ),
        (
            VAGUE_COUNTS_FILE,
            parse_vague_counts(VAGUE_COUNTS_TSV).map(|v| v.len()),
        ),
        (ZONES_FILE, parse_zones(ZONES_TSV).map(|v| v.len())),
        (
            HOLIDAY_DATES_FILE,
            parse_holiday_dates(HOLIDAY_DATES_TSV).map(|v| v.len()),
        ),
        (HOLIDAYS_FILE, parse_holidays(HOLIDAYS_TSV).map(|v| v.len())),
        (
            BUSINESS_DAYS_FILE,
            parse_business_days(BUSINESS_DAYS_TSV).map(|v| v.len()),
        ),
        (SEASONS_FILE, parse_seasons(SEASONS_TSV).map(|v| v.len())),
        (
            LOOKBACK_CUES_FILE,
            parse_lookback_cues(LOOKBACK_CUES_TSV).map(|v| v.len()),
        ),
    ]
}

// ---- Closed word sets (code, not data) ----

#[rustfmt::skip]
pub(crate) const WEEKDAYS: &[(&str, Weekday)] = &[
    ("fri", Weekday::Fri), ("friday", Weekday::Fri), ("mon", Weekday::Mon), ("monday", Weekday::Mon),
    ("sat", Weekday::Sat), ("saturday", Weekday::Sat), ("sun", Weekday::Sun), ("sunday", Weekday::Sun),
    ("thu", Weekday::Thu), ("thur", Weekday::Thu), ("thurs", Weekday::Thu), ("thursday", Weekday::Thu),
    ("tue", Weekday::Tue), ("tues", Weekday::Tue), ("tuesday", Weekday::Tue),
    ("wed", Weekday::Wed), ("wednesday", Weekday::Wed),
];

/// Month names and abbreviations; `true` marks abbreviations and words that are also ordinary
/// English words ("may", "march"), which need a date context to count.
#[rustfmt::skip]
pub(crate) const MONTHS: &[(&str, u32, bool)] = &[
    ("apr", 4, true), ("april", 4, false), ("aug", 8, true), ("august", 8, false),
    ("dec", 12, true), ("december", 12, false), ("feb", 2, true), ("february", 2, false),
    ("jan", 1, true), ("january", 1, false), ("jul", 7, true), ("july", 7, false),
    ("jun", 6, true), ("june", 6, false), ("mar", 3, true), ("march", 3, true),
    ("may", 5, true), ("nov", 11, true), ("november", 11, false), ("oct", 10, true),
    ("october", 10, false), ("sep", 9, true), ("sept", 9, true), ("september", 9, false),
];

#[rustfmt::skip]
pub(crate) const NUMBER_WORDS: &[(&str, u32)] = &[
    ("a", 1), ("an", 1), ("eight", 8), ("eighteen", 18), ("eighty", 80), ("eleven", 11),
    ("fifteen", 15), ("fifty", 50), ("five", 5), ("forty", 40), ("four", 4), ("fourteen", 14),
    ("nine", 9), ("nineteen", 19), ("ninety", 90), ("one", 1), ("seven", 7), ("seventeen", 17),
    ("seventy", 70), ("several", 3), ("six", 6), ("sixteen", 16), ("sixty", 60), ("ten", 10),
    ("thirteen", 13), ("thirty", 30), ("three", 3), ("twelve", 12), ("twenty", 20), ("two", 2),
];

#[rustfmt::skip]
pub(crate) const ORDINAL_WORDS: &[(&str, u32)] = &[
    ("eighth", 8), ("eleventh", 11), ("fifteenth", 15), ("fifth", 5), ("first", 1),
    ("fourth", 4), ("last", 99), ("ninth", 9), ("second", 2), ("seventh", 7), ("sixth", 6),
    ("tenth", 10), ("third", 3), ("thirtieth", 30), ("thirty-first", 31), ("twelfth", 12),
    ("twentieth", 20),
];

/// Calendar units of durations and relative phrases.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Unit {
    Second,
    Minute,
    Hour,
    Day,
    Week,
    Fortnight,
    Month,
    Quarter,
    Year,
    Decade,
    Century,
}

#[rustfmt::skip]
pub(crate) const UNITS: &[(&str, Unit)] = &[
    ("centuries", Unit::Century), ("century", Unit::Century), ("d", Unit::Day), ("day", Unit::Day),
    ("days", Unit::Day), ("decade", Unit::Decade), ("decades", Unit::Decade),
    ("fortnight", Unit::Fortnight), ("fortnights", Unit::Fortnight), ("h", Unit::Hour),
    ("hour", Unit::Hour), ("hours", Unit::Hour), ("hr", Unit::Hour), ("hrs", Unit::Hour),
    ("min", Unit::Minute), ("mins", Unit::Minute), ("minute", Unit::Minute), ("minutes", Unit::Minute),
    ("mo", Unit::Month), ("month", Unit::Month), ("months", Unit::Month), ("qtr", Unit::Quarter), ("quarter", Unit::Quarter),
    ("quarters", Unit::Quarter), ("sec", Unit::Second), ("second", Unit::Second),
    ("seconds", Unit::Second), ("secs", Unit::Second), ("w", Unit::Week), ("week", Unit::Week), ("weeks", Unit::Week),
    ("wk", Unit::Week), ("wks", Unit::Week), ("y", Unit::Year),
    ("year", Unit::Year), ("years", Unit::Year), ("yr", Unit::Year), ("yrs", Unit::Year),
];

pub(crate) fn lookup<T: Copy>(table: &[(&str, T)], word: &str) -> Option<T> {
    table
        .binary_search_by(|(w, _)| (*w).cmp(word))
        .ok()
        .and_then(|i| table.get(i))
        .map(|(_, v)| *v)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted_unique(names: impl Iterator<Item = &'static str>) -> bool {
        let v: Vec<&str> = names.collect();
        v.windows(2).all(|w| w[0] < w[1])
    }

    #[test]
    fn code_tables_are_sorted_and_unique() {
        assert!(sorted_unique(WEEKDAYS.iter().map(|r| r.0)));
        assert!(sorted_unique(MONTHS.iter().map(|r| r.0)));
        assert!(sorted_unique(NUMBER_WORDS.iter().map(|r| r.0)));
        assert!(sorted_unique(ORDINAL_WORDS.iter().map(|r| r.0)));
        assert!(sorted_unique(UNITS.iter().map(|r| r.0)));
    }

    #[test]
    fn every_data_file_loads() {
        for (file, result) in check_embedded_data() {
            match result {
                Ok(n) => assert!(n > 0, "{file}: no rows"),
                Err(e) => panic!("{e}"),
            }
        }
    }

    #[test]
    fn ambiguous_zones_take_another_reading_only_near_its_offset() {
        let cst = ZONES.iter().find(|z| z.name == "CST").expect("CST row");
        let at = |h: i32| cst.reading_near(h * 3600).name;
        assert_eq!(at(8), "China Standard Time");
        assert_eq!(at(9), "China Standard Time");
        assert_eq!(at(7), "China Standard Time");
        assert_eq!(at(-5), "US Central Standard Time");
        assert_eq!(at(1), "US Central Standard Time");
        assert_eq!(at(5), "US Central Standard Time");
        let kst = ZONES.iter().find(|z| z.name == "KST").expect("KST row");
        assert!(kst.other_readings.is_empty(), "KST has one reading");
        assert_eq!(kst.reading_near(-5 * 3600).offset_s, 9 * 3600);
        let bad = "zone\tutc_offset\tother_readings\tsource\nCST\t-06:00\tChina\tx\n";
        assert!(parse_zones(bad)
            .unwrap_err()
            .starts_with("data/time/en/zones.tsv:2: expected other readings"));
    }

    #[test]
    fn bad_rows_name_file_and_line() {
        let err =
            parse_zones("zone\tutc_offset\tother_readings\tsource\nKST\t9\t-\tx\n").unwrap_err();
        assert_eq!(
            err,
            "data/time/en/zones.tsv:2: expected an offset like +09:00 or an IANA zone, found \"9\""
        );
    }
}
