//! Byte ranges in article text, line/column lookup, and cleaning of article text for output.
//!
//! Invariant: a [`TextRange`] is half-open, `[start, end)`, in bytes of the string it was found
//! in, and both ends lie on UTF-8 character boundaries.

use serde::{Deserialize, Serialize};

/// A half-open byte range `[start, end)` into a text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct TextRange {
    pub start: usize,
    pub end: usize,
}

impl TextRange {
    pub fn new(start: usize, end: usize) -> TextRange {
        TextRange { start, end }
    }

    pub fn len(&self) -> usize {
        self.end.saturating_sub(self.start)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// True when the two ranges share at least one byte.
    pub fn overlaps(&self, other: &TextRange) -> bool {
        self.start < other.end && other.start < self.end
    }

    pub fn contains(&self, other: &TextRange) -> bool {
        self.start <= other.start && other.end <= self.end
    }
}

/// Maps byte offsets of a text to 1-based line and column numbers (columns count characters).
///
/// Lookups cost O(log lines) in ASCII text (the column is the byte distance from the line start)
/// and O(log lines + min(line length, 2 × CHECKPOINT_BYTES)) otherwise: character counts are kept
/// every [`CHECKPOINT_BYTES`], so a 100 MB single-line article does not make every lookup walk
/// the line from its start. Building costs two fast passes (newlines by `memchr`, an ASCII check)
/// and, for non-ASCII text, a block-wise character count: `retrace scan` builds one per article.
#[derive(Clone, Debug)]
pub struct LineIndex {
    line_starts: Vec<usize>,
    /// `(byte offset, characters before it)`, sorted, at char boundaries; only `(0, 0)` for ASCII
    /// text, where no lookup needs them.
    checkpoints: Vec<(usize, usize)>,
    /// The text is all ASCII: every column is a byte distance.
    ascii: bool,
}

/// Distance between character-count checkpoints.
pub const CHECKPOINT_BYTES: usize = 4096;

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let mut line_starts = Vec::with_capacity(text.len() / 64 + 1);
        line_starts.push(0);
        line_starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        let ascii = text.is_ascii();
        let mut checkpoints = vec![(0, 0)];
        if !ascii {
            // A checkpoint at the first char boundary at least CHECKPOINT_BYTES past the last one
            // (never at the end of the text); the block between them is counted at once.
            let (mut byte, mut chars) = (0, 0);
            loop {
                let next = ceil_char_boundary(text, byte + CHECKPOINT_BYTES);
                if next >= text.len() {
                    break;
                }
                chars += text.get(byte..next).map_or(0, |s| s.chars().count());
                checkpoints.push((next, chars));
                byte = next;
            }
        }
        LineIndex {
            line_starts,
            checkpoints,
            ascii,
        }
    }

    /// Characters before byte `offset` (a char boundary).
    fn chars_before(&self, text: &str, offset: usize) -> usize {
        let i = match self.checkpoints.binary_search_by(|(b, _)| b.cmp(&offset)) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        let (byte, chars) = self.checkpoints[i];
        chars
            + text
                .get(byte..offset)
                .map(|s| s.chars().count())
                .unwrap_or(0)
    }

    /// 1-based (line, column) of a byte offset; the column counts characters, not bytes.
    pub fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.line_starts[line];
        let col = if self.ascii {
            offset - start
        } else if offset - start <= 2 * CHECKPOINT_BYTES {
            // Counting the line's head directly beats two checkpoint walks of up to 4 KB each.
            text.get(start..offset).map_or(0, |s| s.chars().count())
        } else {
            self.chars_before(text, offset) - self.chars_before(text, start)
        };
        (line + 1, col + 1)
    }
}

/// Removes control characters (except tab and newline) so article text is safe to embed in XML,
/// Markdown or a terminal. U+000B, U+001B and friends are dropped; line breaks become spaces when
/// `single_line` is set.
pub fn strip_controls(text: &str, single_line: bool) -> String {
    text.chars()
        .filter_map(|c| match c {
            '\n' | '\r' | '\t' if single_line => Some(' '),
            '\n' | '\t' => Some(c),
            '\r' => None,
            c if c.is_control() => None,
            // Unicode non-characters and bidi overrides can hide text; drop them too.
            '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FFFE}' | '\u{FFFF}' => None,
            c => Some(c),
        })
        .collect()
}

/// Escapes text for XML/HTML element content and attribute values, after stripping controls.
pub fn escape_xml(text: &str) -> String {
    let clean = strip_controls(text, true);
    let mut out = String::with_capacity(clean.len());
    for c in clean.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Escapes text for inline Markdown (tables, lists): the characters Markdown or embedded HTML
/// would interpret are backslash-escaped or entity-encoded.
pub fn escape_markdown(text: &str) -> String {
    let clean = strip_controls(text, true);
    let mut out = String::with_capacity(clean.len());
    for c in clean.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '#' | '!' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// `t` as ISO 8601 with seconds and offset ("2025-09-01T18:00:00+09:00", what
/// `DateTime::to_rfc3339` writes for whole seconds), formatted into `buf` without allocating;
/// `None` for years outside 0–9999, fractional seconds and offsets with seconds, which chrono's
/// own formatting must write. Reports print hundreds of thousands of these.
pub fn iso8601_seconds<'b, Z: chrono::TimeZone>(
    t: &chrono::DateTime<Z>,
    buf: &'b mut [u8; 25],
) -> Option<&'b str> {
    use chrono::{Datelike, Offset, Timelike};
    let offset_s = t.offset().fix().local_minus_utc();
    // Local wall time once: each accessor of a `DateTime<Tz>` would add the offset again.
    let t = t.naive_local();
    if !(0..=9999).contains(&t.year()) || t.nanosecond() != 0 || offset_s % 60 != 0 {
        return None;
    }
    let two = |buf: &mut [u8; 25], at: usize, v: u32| {
        buf[at] = b'0' + (v / 10 % 10) as u8;
        buf[at + 1] = b'0' + (v % 10) as u8;
    };
    let year = t.year() as u32;
    two(buf, 0, year / 100);
    two(buf, 2, year % 100);
    buf[4] = b'-';
    two(buf, 5, t.month());
    buf[7] = b'-';
    two(buf, 8, t.day());
    buf[10] = b'T';
    two(buf, 11, t.hour());
    buf[13] = b':';
    two(buf, 14, t.minute());
    buf[16] = b':';
    two(buf, 17, t.second());
    buf[19] = if offset_s < 0 { b'-' } else { b'+' };
    let offset_min = offset_s.unsigned_abs() / 60;
    two(buf, 20, offset_min / 60);
    buf[22] = b':';
    two(buf, 23, offset_min % 60);
    std::str::from_utf8(buf).ok()
}

/// `t` as ISO 8601 with seconds and offset, as reports and scan records write it: from
/// [`iso8601_seconds`] when it can, else chrono's `%Y-%m-%dT%H:%M:%S%:z` (fractional seconds
/// dropped, years outside 0–9999 signed).
pub fn iso8601<'b, Z: chrono::TimeZone>(
    t: &chrono::DateTime<Z>,
    buf: &'b mut [u8; 25],
) -> std::borrow::Cow<'b, str>
where
    Z::Offset: std::fmt::Display,
{
    match iso8601_seconds(t, buf) {
        Some(s) => std::borrow::Cow::Borrowed(s),
        None => std::borrow::Cow::Owned(t.format("%Y-%m-%dT%H:%M:%S%:z").to_string()),
    }
}

/// The smallest char boundary `>= i` (the text's length when `i` is past it).
pub fn ceil_char_boundary(text: &str, i: usize) -> usize {
    let mut i = i;
    while i < text.len() && !text.is_char_boundary(i) {
        i += 1;
    }
    i.min(text.len())
}

/// The largest char boundary `<= i`.
pub fn floor_char_boundary(text: &str, i: usize) -> usize {
    let mut i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    #[test]
    fn iso8601_seconds_writes_what_chrono_writes() {
        use chrono::{TimeZone, Utc};
        let zones = [
            chrono_tz::Asia::Pyongyang,
            chrono_tz::America::St_Johns,
            chrono_tz::Asia::Kolkata,
            chrono_tz::Tz::UTC,
        ];
        let times = [
            Utc.with_ymd_and_hms(2025, 9, 1, 9, 0, 0).unwrap(),
            // Pyongyang at UTC+08:30.
            Utc.with_ymd_and_hms(2016, 6, 1, 1, 30, 0).unwrap(),
            // Local mean time: offsets with seconds take chrono's path.
            Utc.with_ymd_and_hms(1880, 1, 1, 0, 0, 0).unwrap(),
            Utc.with_ymd_and_hms(10, 1, 1, 0, 0, 0).unwrap(),
            Utc.with_ymd_and_hms(-44, 3, 15, 12, 0, 0).unwrap(),
            Utc.with_ymd_and_hms(12000, 1, 1, 0, 0, 0).unwrap(),
            Utc.timestamp_opt(1_700_000_000, 5_000_000).unwrap(),
        ];
        let mut fast = 0;
        for tz in zones {
            for t in times {
                let local = t.with_timezone(&tz);
                let chrono_text = local.format("%Y-%m-%dT%H:%M:%S%:z").to_string();
                assert_eq!(iso8601(&local, &mut [0u8; 25]), chrono_text);
                let mut buf = [0u8; 25];
                if let Some(s) = iso8601_seconds(&local, &mut buf) {
                    assert_eq!(s, local.to_rfc3339());
                    assert_eq!(s, local.format("%Y-%m-%dT%H:%M:%S%:z").to_string());
                    fast += 1;
                }
            }
        }
        assert!(fast >= 8, "the common cases take the fast path ({fast})");
    }

    use super::*;

    #[test]
    fn line_col_counts_chars() {
        let t = "ab\nc평d\n";
        let idx = LineIndex::new(t);
        assert_eq!(idx.line_col(t, 0), (1, 1));
        assert_eq!(idx.line_col(t, 3), (2, 1));
        assert_eq!(idx.line_col(t, 7), (2, 3));
    }

    #[test]
    fn columns_are_right_past_checkpoints() {
        let t = format!("{}\n{}x", "평".repeat(3000), "é".repeat(5000));
        let idx = LineIndex::new(&t);
        let x = t.find('x').unwrap();
        assert_eq!(idx.line_col(&t, x), (2, 5001));
        assert_eq!(idx.line_col(&t, 3 * 1500), (1, 1501));
    }

    /// Line and column by walking the text, what [`LineIndex`] must agree with.
    fn naive_line_col(text: &str, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(text, offset);
        let head = &text[..offset];
        let line_start = head.rfind('\n').map_or(0, |i| i + 1);
        (
            head.matches('\n').count() + 1,
            head[line_start..].chars().count() + 1,
        )
    }

    #[test]
    fn line_col_agrees_with_walking_the_text() {
        let long_mixed = format!("{}\n", "a평é ".repeat(3000));
        let texts = [
            String::new(),
            "plain ascii\nsecond line\n\nfourth".to_string(),
            "ab\nc평d\n".to_string(),
            format!("{}x\n{}y", "b".repeat(9000), "평".repeat(4000)),
            format!("{long_mixed}{long_mixed}tail é"),
            format!("{}\n{}", "é".repeat(2048), "z".repeat(10)),
        ];
        for text in &texts {
            let idx = LineIndex::new(text);
            for offset in (0..=text.len() + 2).step_by(7).chain([text.len()]) {
                assert_eq!(
                    idx.line_col(text, offset),
                    naive_line_col(text, offset.min(text.len())),
                    "offset {offset} of a {}-byte text",
                    text.len()
                );
            }
        }
    }

    #[test]
    fn xml_escape_removes_controls_and_markup() {
        assert_eq!(escape_xml("<script>\u{b}]]>&"), "&lt;script&gt;]]&gt;&amp;");
    }

    #[test]
    fn markdown_escape_neutralises_table_and_html() {
        assert_eq!(escape_markdown("a|b <i>"), "a\\|b &lt;i&gt;");
    }
}
