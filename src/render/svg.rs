//! Small pieces both figures share: colours, number formatting, text elements, time helpers.

use std::fmt::Write as _;

use chrono::{DateTime, Offset, TimeZone, Utc};
use chrono_tz::{OffsetName, Tz};

use super::Theme;
use crate::text::escape_xml;

/// The family names of the fonts in `data/fonts/`; CJK names fall back to the second.
pub const FONT_FAMILY: &str = "Noto Sans, Noto Sans CJK SC, sans-serif";

/// Colours of one theme. Source colours are the Okabe–Ito palette, which stays distinct under the
/// common colour-vision deficiencies.
pub struct Palette {
    pub background: &'static str,
    pub text: &'static str,
    pub muted: &'static str,
    pub grid: &'static str,
    pub lane: &'static str,
    pub lane_alt: &'static str,
    pub night: &'static str,
    pub band: &'static str,
    pub badge: &'static str,
    pub badge_text: &'static str,
    pub halo: &'static str,
    pub sea: &'static str,
    pub land: &'static str,
    pub border: &'static str,
    pub coast: &'static str,
    pub rail: &'static str,
    pub route: &'static str,
    pub geodesic: &'static str,
    pub sources: [&'static str; 7],
}

pub fn palette(theme: Theme) -> Palette {
    match theme {
        Theme::Light => Palette {
            background: "#ffffff",
            text: "#1b1b1b",
            muted: "#5a5a5a",
            grid: "#c9c9c9",
            lane: "#f6f6f4",
            lane_alt: "#ececea",
            night: "#1f2a44",
            band: "#7a7a7a",
            badge: "#b3261e",
            badge_text: "#ffffff",
            halo: "#ffffff",
            sea: "#e6eef5",
            land: "#f7f4ec",
            border: "#8c7b6a",
            coast: "#9db3c6",
            rail: "#9a9a9a",
            route: "#b3261e",
            geodesic: "#1f5fa8",
            sources: [
                "#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#6b6b6b",
            ],
        },
        Theme::Dark => Palette {
            background: "#15181d",
            text: "#ececec",
            muted: "#a8a8a8",
            grid: "#3d424a",
            lane: "#1d2127",
            lane_alt: "#23282f",
            night: "#000000",
            band: "#bdbdbd",
            badge: "#ff6b5e",
            badge_text: "#15181d",
            halo: "#15181d",
            sea: "#16202b",
            land: "#262a30",
            border: "#8d8070",
            coast: "#4a6178",
            rail: "#6d6d6d",
            route: "#ff6b5e",
            geodesic: "#6fa8ff",
            sources: [
                "#56b4e9", "#e69f00", "#2fc49a", "#e291c4", "#f0e442", "#9ecbf0", "#bdbdbd",
            ],
        },
    }
}

/// A coordinate or length rounded to 0.1, without `-0` and without a trailing `.0`.
pub fn num(value: f64) -> String {
    if !value.is_finite() {
        return "0".to_string();
    }
    let rounded = (value * 10.0).round() / 10.0;
    let rounded = if rounded == 0.0 { 0.0 } else { rounded };
    if rounded.fract() == 0.0 {
        format!("{}", rounded as i64)
    } else {
        format!("{rounded:.1}")
    }
}

/// Text anchor of a [`text`] element.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    Start,
    Middle,
    End,
}

/// A `<text>` element; `content` is escaped here, so pass raw strings. `extra` holds further
/// attributes written by the caller (never article text).
pub struct Text<'a> {
    pub x: f64,
    pub y: f64,
    pub size: f64,
    pub bold: bool,
    pub anchor: Anchor,
    pub fill: &'a str,
    /// Paints a stroke of this colour under the glyphs, so text stays readable over lines.
    pub halo: Option<&'a str>,
    pub class: &'a str,
}

impl<'a> Text<'a> {
    pub fn new(x: f64, y: f64, size: f64, fill: &'a str) -> Text<'a> {
        Text {
            x,
            y,
            size,
            bold: false,
            anchor: Anchor::Start,
            fill,
            halo: None,
            class: "",
        }
    }

    pub fn bold(mut self) -> Self {
        self.bold = true;
        self
    }

    pub fn anchor(mut self, anchor: Anchor) -> Self {
        self.anchor = anchor;
        self
    }

    pub fn halo(mut self, colour: &'a str) -> Self {
        self.halo = Some(colour);
        self
    }

    pub fn class(mut self, class: &'a str) -> Self {
        self.class = class;
        self
    }

    pub fn write(&self, out: &mut String, content: &str) {
        let anchor = match self.anchor {
            Anchor::Start => "",
            Anchor::Middle => " text-anchor=\"middle\"",
            Anchor::End => " text-anchor=\"end\"",
        };
        let weight = if self.bold {
            " font-weight=\"bold\""
        } else {
            ""
        };
        let halo = match self.halo {
            Some(colour) => format!(
                " stroke=\"{colour}\" stroke-width=\"3\" stroke-linejoin=\"round\" paint-order=\"stroke\""
            ),
            None => String::new(),
        };
        let class = if self.class.is_empty() {
            String::new()
        } else {
            format!(" class=\"{}\"", self.class)
        };
        let _ = writeln!(
            out,
            "<text x=\"{}\" y=\"{}\" font-size=\"{}\"{weight}{anchor} fill=\"{}\"{halo}{class}>{}</text>",
            num(self.x),
            num(self.y),
            num(self.size),
            self.fill,
            escape_xml(content)
        );
    }
}

/// The opening of a figure: `role="img"`, `<title>`, `<desc>`, the font and the background.
pub fn open_svg(
    out: &mut String,
    width: f64,
    height: f64,
    id: &str,
    title: &str,
    desc: &str,
    background: &str,
) {
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" \
role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" font-family=\"{FONT_FAMILY}\">",
        w = num(width),
        h = num(height),
    );
    let _ = writeln!(
        out,
        "<title id=\"{id}-title\">{}</title>",
        escape_xml(title)
    );
    let _ = writeln!(out, "<desc id=\"{id}-desc\">{}</desc>", escape_xml(desc));
    let _ = writeln!(
        out,
        "<rect x=\"0\" y=\"0\" width=\"{}\" height=\"{}\" fill=\"{background}\"/>",
        num(width),
        num(height)
    );
}

/// Parses an ISO-8601 time with offset into a UTC instant.
pub fn parse_time(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text.trim())
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// Parses a window into UTC instants; `None` when either end does not parse or end < start.
pub fn parse_window(
    window: &crate::report::wire::WindowWire,
) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
    let start = parse_time(&window.start)?;
    let end = parse_time(&window.end)?;
    (end >= start).then_some((start, end))
}

/// The zone a label is written in: an IANA zone, or the fixed offset the wire time carried.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Zone {
    Iana(Tz),
    Utc,
}

impl Zone {
    pub fn parse(name: &str) -> Zone {
        name.parse::<Tz>().map(Zone::Iana).unwrap_or(Zone::Utc)
    }

    /// Seconds east of UTC at `at`.
    pub fn offset_s(&self, at: DateTime<Utc>) -> i64 {
        match self {
            Zone::Iana(tz) => i64::from(
                tz.offset_from_utc_datetime(&at.naive_utc())
                    .fix()
                    .local_minus_utc(),
            ),
            Zone::Utc => 0,
        }
    }

    /// Abbreviation such as `KST`, or `UTC+9` where the zone database has only a number.
    pub fn abbreviation(&self, at: DateTime<Utc>) -> String {
        let offset = utc_offset_label(self.offset_s(at));
        match self {
            Zone::Iana(tz) => {
                let local = tz.offset_from_utc_datetime(&at.naive_utc());
                match local.abbreviation() {
                    Some(abbr) if abbr.chars().all(|c| c.is_ascii_alphabetic()) => abbr.to_string(),
                    _ => offset,
                }
            }
            Zone::Utc => "UTC".to_string(),
        }
    }

    /// The city part of the zone name, e.g. `Pyongyang` for `Asia/Pyongyang`.
    pub fn city(&self) -> String {
        match self {
            Zone::Iana(tz) => tz.name().rsplit('/').next().unwrap_or("").replace('_', " "),
            Zone::Utc => "UTC".to_string(),
        }
    }

    /// Local wall-clock time of `at` as a naive date-time.
    pub fn local(&self, at: DateTime<Utc>) -> chrono::NaiveDateTime {
        at.naive_utc() + chrono::Duration::seconds(self.offset_s(at))
    }
}

/// `UTC+9`, `UTC+5:30`, `UTC-3` (ASCII minus: the shipped Latin font has no U+2212).
pub fn utc_offset_label(offset_s: i64) -> String {
    let sign = if offset_s < 0 { "-" } else { "+" };
    let minutes = offset_s.abs() / 60;
    if minutes % 60 == 0 {
        format!("UTC{sign}{}", minutes / 60)
    } else {
        format!("UTC{sign}{}:{:02}", minutes / 60, minutes % 60)
    }
}

/// A window in words: `Mon 1 Sep 18:00–24:00 KST`, `Tue 2 Sep 12:00 – Wed 3 Sep 00:00 CST`,
/// `Wed 3 Sep 09:00 CST` for windows shorter than an hour.
pub fn format_window(zone: Zone, start: DateTime<Utc>, end: DateTime<Utc>) -> String {
    let abbr = zone.abbreviation(start);
    let local_start = zone.local(start);
    let local_end = zone.local(end);
    if (end - start).num_minutes() < 60 {
        return format!("{} {abbr}", local_start.format("%a %-d %b %H:%M"));
    }
    let same_day = local_start.date() == local_end.date();
    let ends_at_midnight = local_end.time() == chrono::NaiveTime::MIN
        && local_end.date() == local_start.date() + chrono::Duration::days(1);
    if same_day {
        format!(
            "{}–{} {abbr}",
            local_start.format("%a %-d %b %H:%M"),
            local_end.format("%H:%M")
        )
    } else if ends_at_midnight {
        format!("{}–24:00 {abbr}", local_start.format("%a %-d %b %H:%M"))
    } else {
        format!(
            "{} – {} {abbr}",
            local_start.format("%a %-d %b %H:%M"),
            local_end.format("%a %-d %b %H:%M")
        )
    }
}

/// A published time in words, in its own offset: `Tue 2 Sep 2025 08:30 (UTC+9)`.
pub fn format_published(text: &str) -> String {
    match DateTime::parse_from_rfc3339(text.trim()) {
        Ok(t) => format!(
            "{} ({})",
            t.format("%a %-d %b %Y %H:%M"),
            utc_offset_label(i64::from(t.offset().local_minus_utc()))
        ),
        Err(_) => text.to_string(),
    }
}

/// Words for an event kind: `cross_border` → `Border crossing`.
pub fn event_label(event: &str) -> String {
    match event {
        "depart" => "Departure".to_string(),
        "arrive" => "Arrival".to_string(),
        "cross_border" => "Border crossing".to_string(),
        "pass" => "Passing through".to_string(),
        "attend" => "Attending".to_string(),
        "meet" => "Meeting".to_string(),
        "stay" => "Stay".to_string(),
        other => {
            let words = other.replace('_', " ");
            let mut chars = words.chars();
            match chars.next() {
                Some(first) => first.to_uppercase().collect::<String>() + chars.as_str(),
                None => "Event".to_string(),
            }
        }
    }
}

/// `Utc.timestamp` without a panic path.
pub fn from_unix(seconds: i64) -> DateTime<Utc> {
    Utc.timestamp_opt(seconds, 0).single().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_round_to_tenths_without_negative_zero() {
        assert_eq!(num(1.26), "1.3");
        assert_eq!(num(-0.01), "0");
        assert_eq!(num(12.0), "12");
        assert_eq!(num(f64::NAN), "0");
    }

    #[test]
    fn window_ending_at_midnight_reads_24_00() {
        let zone = Zone::parse("Asia/Pyongyang");
        let start = parse_time("2025-09-01T18:00:00+09:00").unwrap();
        let end = parse_time("2025-09-02T00:00:00+09:00").unwrap();
        assert_eq!(format_window(zone, start, end), "Mon 1 Sep 18:00–24:00 KST");
    }

    #[test]
    fn offsets_label_half_hours() {
        assert_eq!(utc_offset_label(9 * 3600), "UTC+9");
        assert_eq!(utc_offset_label(19800), "UTC+5:30");
        assert_eq!(utc_offset_label(-3 * 3600), "UTC-3");
    }
}
