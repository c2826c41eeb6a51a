//! Ingest stage: files → [`Article`]s. The only stage that reads files.
//!
//! In: a case folder (articles `.txt`, `.md`, `.html`/`.htm`, an optional `case.toml`), or
//! single files. Out: a [`Case`] with its articles, the files it skipped and why, and the
//! failures (a broken `case.toml`) that make the run exit 2 while the usable articles still go
//! through.
//!
//! An article may start with a header block of `Key: value` lines (`Title:`, `Source:`, `URL:`,
//! `Published:` …) ended by a blank line, the way saved wire copies look. Byte offsets of
//! everything found later are into [`Article::text`]; [`Article::file_position`] maps them back
//! to a line and column of the file.
//!
//! Invariant: `Article::text` never contains control characters other than `\n` and `\t`.

mod case_config;
mod html;
mod published;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, TimeZone, Utc};

pub use case_config::{ArticleConfig, CaseConfig, Mode};
pub use published::{infer_published, PublishedInference};

use crate::error::{Error, Result};
use crate::text::LineIndex;

/// Where an article's publication time came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PublishedBasis {
    CaseToml,
    Header,
    Flag,
    /// Inferred from the text; the string says from what.
    Inferred(String),
    Unknown,
}

impl PublishedBasis {
    pub fn describe(&self) -> String {
        match self {
            PublishedBasis::CaseToml => "case.toml".into(),
            PublishedBasis::Header => "header".into(),
            PublishedBasis::Flag => "flag".into(),
            PublishedBasis::Inferred(why) => format!("inferred: {why}"),
            PublishedBasis::Unknown => "unknown".into(),
        }
    }
}

/// One news article.
#[derive(Clone, Debug)]
pub struct Article {
    /// File stem, unique within a case.
    pub id: String,
    /// Path relative to the case folder (or as given).
    pub file: String,
    pub title: Option<String>,
    pub source: Option<String>,
    pub url: Option<String>,
    /// All header lines, keys lowercased.
    pub headers: BTreeMap<String, String>,
    /// The reference time phrases are anchored on.
    pub published: Option<DateTime<FixedOffset>>,
    pub published_basis: PublishedBasis,
    /// For an inferred time, the window the evidence allows `[earliest, latest)`.
    pub published_window: Option<(DateTime<Utc>, DateTime<Utc>)>,
    /// The body text: what follows the header block, or the visible text of an HTML page.
    pub text: String,
    /// The file as read (lossily decoded), for line/column lookup.
    raw: String,
    raw_lines: LineIndex,
    /// `(text offset, raw offset)` pairs, sorted: a text offset maps to the raw offset of the
    /// segment it falls in plus its distance into the segment.
    offset_map: Vec<(usize, usize)>,
}

impl Article {
    /// 1-based line and column in the file of a byte offset into [`Article::text`].
    pub fn file_position(&self, text_offset: usize) -> (usize, usize) {
        let raw = self.raw_offset(text_offset);
        self.raw_lines.line_col(&self.raw, raw)
    }

    fn raw_offset(&self, text_offset: usize) -> usize {
        let i = match self
            .offset_map
            .binary_search_by(|(t, _)| t.cmp(&text_offset))
        {
            Ok(i) => i,
            Err(0) => return text_offset,
            Err(i) => i - 1,
        };
        let (t, r) = self.offset_map[i];
        (r + (text_offset - t)).min(self.raw.len())
    }

    /// True when the publication time was not given but inferred (or is unknown).
    pub fn is_published_inferred(&self) -> bool {
        matches!(
            self.published_basis,
            PublishedBasis::Inferred(_) | PublishedBasis::Unknown
        )
    }
}

/// A file that could not be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skipped {
    pub file: String,
    pub line: Option<usize>,
    pub reason: String,
}

impl std::fmt::Display for Skipped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(l) => write!(f, "{}:{}: {}", self.file, l, self.reason),
            None => write!(f, "{}: {}", self.file, self.reason),
        }
    }
}

/// A case: the articles about one journey.
#[derive(Clone, Debug)]
pub struct Case {
    pub name: String,
    pub dir: PathBuf,
    pub config: CaseConfig,
    pub articles: Vec<Article>,
    /// Files not used, with the reason (they make the run exit 2).
    pub skipped: Vec<Skipped>,
    /// Warnings about usable input (an unusable `Published:` header, a lossy decode).
    pub warnings: Vec<Skipped>,
}

/// Extensions read as articles.
const ARTICLE_EXTENSIONS: &[&str] = &["txt", "md", "markdown", "html", "htm"];

/// Loads a case folder. Fails only when the folder itself is unusable (missing, not a folder,
/// no article file at all); a bad article or a broken `case.toml` is recorded in
/// [`Case::skipped`] and the rest is still loaded.
///
/// `published_overrides` are `(file name or id, time)` pairs from `--published FILE=TIME`.
pub fn load_case(dir: &Path, published_overrides: &[(String, String)]) -> Result<Case> {
    let meta = std::fs::metadata(dir).map_err(|e| Error::Io {
        path: dir.to_path_buf(),
        cause: e,
    })?;
    if !meta.is_dir() {
        return Err(Error::input(
            dir,
            None,
            "expected a case folder of articles, found a file",
        ));
    }
    let name = dir
        .canonicalize()
        .ok()
        .as_deref()
        .unwrap_or(dir)
        .file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "case".into());
    let mut skipped = Vec::new();
    let mut warnings = Vec::new();

    let config_path = dir.join("case.toml");
    let config = if config_path.exists() {
        match std::fs::read_to_string(&config_path)
            .map_err(|e| e.to_string())
            .and_then(|text| CaseConfig::parse(&text))
        {
            Ok(c) => c,
            Err(reason) => {
                let (line, reason) = split_line_prefix(&reason);
                skipped.push(Skipped {
                    file: "case.toml".into(),
                    line,
                    reason,
                });
                CaseConfig::default()
            }
        }
    } else {
        CaseConfig::default()
    };

    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| Error::Io {
            path: dir.to_path_buf(),
            cause: e,
        })?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| ARTICLE_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
        })
        .collect();
    // Sorted so that reports do not depend on directory order.
    files.sort();
    if files.is_empty() {
        return Err(Error::input(
            dir,
            None,
            format!(
                "no articles: expected files ending in {}",
                ARTICLE_EXTENSIONS.join(", ")
            ),
        ));
    }

    let mut articles = Vec::new();
    for path in files {
        let file = path
            .file_name()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) => {
                skipped.push(Skipped {
                    file,
                    line: None,
                    reason: format!("cannot read: {e}"),
                });
                continue;
            }
        };
        match parse_article(&file, &bytes) {
            Ok((mut article, mut article_warnings)) => {
                apply_config(&mut article, &config);
                if let Some((_, time)) = published_overrides
                    .iter()
                    .find(|(k, _)| *k == article.file || *k == article.id)
                {
                    match parse_published(time) {
                        Some(t) => {
                            article.published = Some(t);
                            article.published_basis = PublishedBasis::Flag;
                        }
                        None => article_warnings.push(Skipped {
                            file: article.file.clone(),
                            line: None,
                            reason: format!(
                                "--published {time:?}: expected ISO-8601 with offset; ignored"
                            ),
                        }),
                    }
                }
                warnings.extend(article_warnings);
                articles.push(article);
            }
            Err(reason) => skipped.push(Skipped {
                file,
                line: None,
                reason,
            }),
        }
    }
    for key in config.articles.keys() {
        if !articles.iter().any(|a| &a.file == key || &a.id == key) {
            warnings.push(Skipped {
                file: "case.toml".into(),
                line: None,
                reason: format!("[articles.{key:?}] names no article file in the case"),
            });
        }
    }
    // Articles without a publication time: infer each from its text, then narrow the windows
    // with the rest of the case.
    let known: Vec<DateTime<Utc>> = articles
        .iter()
        .filter_map(|a| a.published.map(|p| p.with_timezone(&Utc)))
        .collect();
    let inferred: Vec<Option<PublishedInference>> = articles
        .iter()
        .map(|a| a.published.is_none().then(|| infer_published(&a.text)))
        .collect();
    for (article, inference) in articles
        .iter_mut()
        .zip(published::narrow_in_case(&known, &inferred))
    {
        let Some(inference) = inference else { continue };
        article.published = inference.published;
        article.published_window = inference.window;
        article.published_basis = if inference.window.is_some() {
            PublishedBasis::Inferred(inference.basis)
        } else {
            PublishedBasis::Unknown
        };
    }
    Ok(Case {
        name,
        dir: dir.to_path_buf(),
        config,
        articles,
        skipped,
        warnings,
    })
}

/// Splits a `"line N: message"` prefix produced by the config parser.
fn split_line_prefix(reason: &str) -> (Option<usize>, String) {
    if let Some(rest) = reason.strip_prefix("line ") {
        if let Some((n, msg)) = rest.split_once(": ") {
            if let Ok(n) = n.parse() {
                return (Some(n), msg.to_string());
            }
        }
    }
    (None, reason.to_string())
}

fn apply_config(article: &mut Article, config: &CaseConfig) {
    let entry = config
        .articles
        .get(&article.file)
        .or_else(|| config.articles.get(&article.id));
    let Some(entry) = entry else { return };
    if let Some(s) = &entry.source {
        article.source = Some(s.clone());
    }
    if let Some(t) = &entry.title {
        article.title = Some(t.clone());
    }
    if let Some(u) = &entry.url {
        article.url = Some(u.clone());
    }
    if let Some(p) = entry.published {
        article.published = Some(p);
        article.published_basis = PublishedBasis::CaseToml;
    }
}

/// Parses one article file. Errors are reasons the file cannot be used at all (empty, binary).
/// Returns warnings (lossy decoding, an unusable `Published:` header) beside the article.
pub fn parse_article(file: &str, bytes: &[u8]) -> Result<(Article, Vec<Skipped>), String> {
    let mut warnings = Vec::new();
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err("empty article: no text".into());
    }
    if is_binary(bytes) {
        return Err("binary file: expected UTF-8 text, Markdown or HTML".into());
    }
    let raw = match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(e) => {
            let lossy = String::from_utf8_lossy(bytes).into_owned();
            let line = lossy[..e.valid_up_to().min(lossy.len())]
                .matches('\n')
                .count()
                + 1;
            warnings.push(Skipped {
                file: file.to_string(),
                line: Some(line),
                reason: "invalid UTF-8, decoded lossily (offsets are into the decoded text)".into(),
            });
            lossy
        }
    };
    let id = Path::new(file)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| file.to_string());
    let is_html = file.to_ascii_lowercase().ends_with(".html")
        || file.to_ascii_lowercase().ends_with(".htm")
        || raw.trim_start().starts_with("<!DOCTYPE")
        || raw.trim_start().starts_with("<html");

    let (headers, body_start) = if is_html {
        (BTreeMap::new(), 0)
    } else {
        parse_header_block(&raw)
    };
    let (text, offset_map, html_meta) = if is_html {
        let page = html::html_to_text(&raw);
        (page.text, page.offset_map, page.meta)
    } else {
        let body = &raw[body_start..];
        // Most bodies hold nothing to strip: one byte pass and a copy, rather than the
        // character-by-character rebuild (a tenth of a scan's time when it ran on every text).
        let text = if has_stripped_characters(body) {
            crate::text::strip_controls(body, false)
        } else {
            body.to_string()
        };
        // Stripping controls shifts offsets only at removed characters; map line starts so
        // positions stay right line by line.
        let mut map = vec![(0, body_start)];
        if text.len() != body.len() {
            map = line_offset_map(body, &text, body_start);
        }
        (text, map, BTreeMap::new())
    };
    if text.trim().is_empty() {
        return Err(if is_html {
            "no visible text in the page (an unclosed <script> or <style> hides the rest)".into()
        } else {
            "no text after the header block".into()
        });
    }
    let mut headers = headers;
    for (k, v) in html_meta {
        headers.entry(k).or_insert(v);
    }
    let published = match headers.get("published").or_else(|| headers.get("date")) {
        Some(value) => match parse_published(value) {
            Some(t) => Some(t),
            None => {
                let line = raw
                    .lines()
                    .position(|l| l.to_ascii_lowercase().starts_with("published:"))
                    .map(|i| i + 1);
                warnings.push(Skipped {
                    file: file.to_string(),
                    line,
                    reason: format!(
                        "Published: {value:?} is not a usable time (expected ISO-8601 with offset, or a date); inferring it from the text"
                    ),
                });
                None
            }
        },
        None => None,
    };
    let raw_lines = LineIndex::new(&raw);
    Ok((
        Article {
            id,
            file: file.to_string(),
            title: headers.get("title").cloned(),
            source: headers.get("source").cloned(),
            url: headers.get("url").cloned(),
            published_basis: if published.is_some() {
                PublishedBasis::Header
            } else {
                PublishedBasis::Unknown
            },
            published,
            published_window: None,
            headers,
            text,
            raw,
            raw_lines,
            offset_map,
        },
        warnings,
    ))
}

/// True when `text` holds a character [`crate::text::strip_controls`] (multi-line) removes:
/// a control character other than `\n` and `\t` (C0, DEL, C1), a bidi override or embedding
/// (U+202A..=U+202E, U+2066..=U+2069), or U+FFFE / U+FFFF. Read on the UTF-8 bytes.
fn has_stripped_characters(text: &str) -> bool {
    /// A byte that is, or may start, a stripped character. Written without branches so that a
    /// block of bytes is tested at once (vectorised), and most blocks hold none.
    #[inline]
    fn suspect(b: u8) -> bool {
        ((b < 0x20) & (b != 0x0A) & (b != 0x09))
            | (b == 0x7F)
            | (b == 0xC2)
            | (b == 0xE2)
            | (b == 0xEF)
    }
    /// Whether the suspect byte at `i` starts a stripped character.
    fn stripped_at(bytes: &[u8], i: usize) -> bool {
        let next = |k: usize| bytes.get(i + k).copied().unwrap_or(0);
        match bytes[i] {
            b if b < 0x80 => true,
            // U+0080..=U+009F.
            0xC2 => (0x80..=0x9F).contains(&next(1)),
            // U+202A..=U+202E and U+2066..=U+2069.
            0xE2 => {
                (next(1) == 0x80 && (0xAA..=0xAE).contains(&next(2)))
                    || (next(1) == 0x81 && (0xA6..=0xA9).contains(&next(2)))
            }
            // U+FFFE, U+FFFF.
            0xEF => next(1) == 0xBF && matches!(next(2), 0xBE | 0xBF),
            _ => false,
        }
    }
    const BLOCK_BYTES: usize = 32;
    let bytes = text.as_bytes();
    // Each suspect byte is a lead byte or ASCII, never inside another character, so every
    // position can be tested on its own.
    bytes.chunks(BLOCK_BYTES).enumerate().any(|(block, chunk)| {
        chunk.iter().fold(false, |any, &b| any | suspect(b))
            && chunk
                .iter()
                .enumerate()
                .any(|(k, &b)| suspect(b) && stripped_at(bytes, block * BLOCK_BYTES + k))
    })
}

/// A NUL byte, or many control bytes, in the first 8 KiB means a binary file (as git and
/// ripgrep decide).
fn is_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(8192)];
    if head.contains(&0) {
        return true;
    }
    // Written without branches, so the test runs on blocks of bytes at once; most texts have
    // no control byte, and only the others are counted.
    let is_control = |b: u8| (b < 0x20) & (b != b'\n') & (b != b'\r') & (b != b'\t') & (b != 0x0c);
    if !head.iter().fold(false, |any, &b| any | is_control(b)) {
        return false;
    }
    let controls = head.iter().filter(|&&b| is_control(b)).count();
    controls * 10 > head.len()
}

/// Header lines `Key: value` at the top, ended by a blank line. Keys are one to three words of
/// letters; a first line that is not of that form means there is no header block.
fn parse_header_block(raw: &str) -> (BTreeMap<String, String>, usize) {
    let mut headers = BTreeMap::new();
    let mut offset = 0;
    let raw_no_bom = raw.strip_prefix('\u{feff}');
    if raw_no_bom.is_some() {
        offset = 3;
    }
    for (lines_seen, line) in raw[offset..].split_inclusive('\n').enumerate() {
        let content = line.trim_end_matches(['\n', '\r']);
        if content.trim().is_empty() {
            if lines_seen == 0 {
                return (BTreeMap::new(), 0);
            }
            return (headers, offset + line.len());
        }
        let Some((key, value)) = content.split_once(':') else {
            break;
        };
        let key_ok = !key.is_empty()
            && key.len() <= 40
            && key.split_whitespace().count() <= 3
            && key
                .chars()
                .all(|c| c.is_ascii_alphabetic() || c == '-' || c == '_' || c == ' ');
        if !key_ok {
            break;
        }
        headers.insert(key.trim().to_ascii_lowercase(), value.trim().to_string());
        offset += line.len();
    }
    // Not a header block after all: the whole file is body.
    (BTreeMap::new(), 0)
}

fn line_offset_map(body: &str, text: &str, base: usize) -> Vec<(usize, usize)> {
    let mut map = Vec::new();
    let mut raw_pos = base;
    let mut text_pos = 0;
    for (raw_line, text_line) in body.split_inclusive('\n').zip(text.split_inclusive('\n')) {
        map.push((text_pos, raw_pos));
        raw_pos += raw_line.len();
        text_pos += text_line.len();
    }
    if map.is_empty() {
        map.push((0, base));
    }
    map
}

/// Parses a publication time: RFC 3339 / ISO-8601 with offset, `YYYY-MM-DD HH:MM±HH:MM`, or a
/// bare date (taken as noon UTC, the middle of the day's possible offsets).
pub fn parse_published(value: &str) -> Option<DateTime<FixedOffset>> {
    let v = value.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(v) {
        return Some(t);
    }
    for fmt in [
        "%Y-%m-%dT%H:%M%:z",
        "%Y-%m-%d %H:%M%:z",
        "%Y-%m-%d %H:%M:%S%:z",
        "%Y-%m-%dT%H:%M%z",
    ] {
        if let Ok(t) = DateTime::parse_from_str(v, fmt) {
            return Some(t);
        }
    }
    if let Ok(t) = DateTime::parse_from_rfc2822(v) {
        return Some(t);
    }
    for fmt in ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"] {
        if let Ok(t) = NaiveDateTime::parse_from_str(v, fmt) {
            return Some(Utc.from_utc_datetime(&t).fixed_offset());
        }
    }
    if let Ok(d) = NaiveDate::parse_from_str(v, "%Y-%m-%d") {
        return d
            .and_hms_opt(12, 0, 0)
            .map(|t| Utc.from_utc_datetime(&t).fixed_offset());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_block_is_read_and_body_offsets_map_to_file_lines() {
        let raw = "Title: A\nSource: Wire\nPublished: 2025-09-02T10:00+09:00\n\nKim left.\nSecond line.\n";
        let (a, w) = parse_article("a.txt", raw.as_bytes()).unwrap();
        assert!(w.is_empty());
        assert_eq!(a.source.as_deref(), Some("Wire"));
        assert_eq!(a.text, "Kim left.\nSecond line.\n");
        assert_eq!(
            a.published.unwrap().to_rfc3339(),
            "2025-09-02T10:00:00+09:00"
        );
        assert_eq!(a.file_position(0), (5, 1));
        assert_eq!(a.file_position(10), (6, 1));
    }

    #[test]
    fn stripped_characters_are_found_on_the_bytes() {
        // Every character up to U+10FFFF (but surrogates), alone and between letters: the byte
        // test agrees with whether stripping changes the text.
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            for text in [c.to_string(), format!("a{c}b")] {
                let changes = crate::text::strip_controls(&text, false) != text;
                assert_eq!(
                    has_stripped_characters(&text),
                    changes,
                    "U+{:04X}",
                    c as u32
                );
            }
        }
        // At every position around the block edges of the byte test.
        for c in [
            '\u{1}', '\u{7f}', '\u{85}', '\u{202e}', '\u{ffff}', '“', 'é', '\u{feff}',
        ] {
            for at in 0..70 {
                let text = format!("{}{c}{}", "a".repeat(at), "b".repeat(70 - at));
                let changes = crate::text::strip_controls(&text, false) != text;
                assert_eq!(has_stripped_characters(&text), changes, "{c:?} at {at}");
            }
        }
    }

    #[test]
    fn text_without_header_is_all_body() {
        let raw = "North Korean leader: Kim\nleft on Monday.";
        let (a, _) = parse_article("a.txt", raw.as_bytes()).unwrap();
        assert_eq!(a.text, raw);
    }

    #[test]
    fn empty_and_binary_files_are_refused() {
        assert!(parse_article("e.txt", b"  \n").is_err());
        assert!(parse_article("b.txt", b"\x00\x01\x02abc").is_err());
    }

    #[test]
    fn unusable_published_header_is_a_warning() {
        let raw = "Published: last week\n\nKim left Pyongyang.";
        let (a, w) = parse_article("a.txt", raw.as_bytes()).unwrap();
        assert!(a.published.is_none());
        assert_eq!(w[0].line, Some(1));
    }
}
