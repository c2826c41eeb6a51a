//! The claim lexicons in `data/claims/`, parsed once.

use std::sync::OnceLock;

use regex::Regex;

use super::EventKind;
use crate::error::{Error, Result};
use crate::tsv::parse_tsv;

pub(crate) const EVENTS_TSV: &str = include_str!("../../data/claims/events.tsv");
pub(crate) const CUES_TSV: &str = include_str!("../../data/claims/cues.tsv");
pub(crate) const BOILERPLATE_TSV: &str = include_str!("../../data/claims/boilerplate.tsv");

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum CueKind {
    Expected,
    Speech,
    Reporting,
    History,
    Journey,
}

/// Regex `\w` (Unicode): letters, marks, decimal digits, connector punctuation, joiners.
fn is_regex_word_char(c: char) -> bool {
    regex_syntax::is_word_character(c)
}

/// `text` as the lexicon regexes see it, in ASCII: every non-ASCII character becomes as many
/// bytes as it takes, `\x0b` for whitespace, `_` for a word character and `#` for anything
/// else. The regexes hold only ASCII without `_`, `#` or `\x0b` (checked at load), so they match
/// at the same byte offsets in both, but on ASCII the regex engine's DFA runs where Unicode word
/// boundaries in non-ASCII text would send it to a much slower engine. Text with a character
/// that case-folds to ASCII (the Kelvin sign, the long s) is returned as is.
pub(crate) fn match_view(text: &str) -> std::borrow::Cow<'_, str> {
    if text.is_ascii() || !lexicon().ascii_view {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut view = String::with_capacity(text.len());
    let mut rest = text;
    while !rest.is_empty() {
        // ASCII runs are copied as they are.
        let ascii = rest
            .bytes()
            .position(|b| !b.is_ascii())
            .unwrap_or(rest.len());
        view.push_str(&rest[..ascii]);
        rest = &rest[ascii..];
        let Some(c) = rest.chars().next() else { break };
        rest = &rest[c.len_utf8()..];
        if matches!(c, '\u{212a}' | '\u{17f}') {
            return std::borrow::Cow::Borrowed(text);
        }
        let stand_in = if c.is_whitespace() {
            '\x0b'
        } else if is_regex_word_char(c) {
            '_'
        } else {
            '#'
        };
        view.extend(std::iter::repeat_n(stand_in, c.len_utf8()));
    }
    std::borrow::Cow::Owned(view)
}

pub(crate) struct Lexicon {
    /// One alternation over all triggers, longest first; the group name is the row index.
    pub triggers: Regex,
    pub trigger_events: Vec<(String, EventKind)>,
    pub cues: Vec<(Regex, CueKind)>,
    /// Per cue kind, one alternation of all its cues: `is_match` says whether any cue of the
    /// kind matches, in one pass over the text instead of one per cue.
    pub cue_kinds: Vec<(CueKind, Regex)>,
    pub boiler_start: Vec<String>,
    pub boiler_line: Vec<String>,
    /// Bytes of the longest boilerplate pattern.
    pub boiler_max_bytes: usize,
    /// Every trigger and cue is ASCII without the stand-ins of [`match_view`].
    ascii_view: bool,
}

fn word_regex(phrase: &str) -> String {
    let escaped = regex::escape(phrase).replace(r"\ ", r"\s+");
    format!(r"\b{escaped}\b")
}

pub(crate) fn load() -> Result<Lexicon> {
    let mut trigger_events = Vec::new();
    for row in parse_tsv(
        "data/claims/events.tsv",
        EVENTS_TSV,
        &["trigger", "event", "place_role", "example", "source"],
    )? {
        let event = EventKind::parse(row.fields[1]).ok_or_else(|| {
            Error::data(
                "data/claims/events.tsv",
                row.line,
                format!("unknown event {:?}", row.fields[1]),
            )
        })?;
        trigger_events.push((row.fields[0].to_lowercase(), event));
    }
    // Longest first so "crossed into" wins over "crossed".
    trigger_events.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.0.cmp(&b.0)));
    let alternation = trigger_events
        .iter()
        .map(|(t, _)| word_regex(t))
        .collect::<Vec<_>>()
        .join("|");
    let triggers = Regex::new(&format!("(?i){alternation}"))
        .map_err(|e| Error::data("data/claims/events.tsv", 1, e.to_string()))?;

    let mut cues = Vec::new();
    let mut cue_patterns: Vec<(CueKind, Vec<String>)> = Vec::new();
    let mut cue_phrases: Vec<String> = Vec::new();
    for row in parse_tsv(
        "data/claims/cues.tsv",
        CUES_TSV,
        &["cue", "kind", "example"],
    )? {
        let kind = match row.fields[1] {
            "expected" => CueKind::Expected,
            "speech" => CueKind::Speech,
            "reporting" => CueKind::Reporting,
            "history" => CueKind::History,
            "journey" => CueKind::Journey,
            other => {
                return Err(Error::data(
                    "data/claims/cues.tsv",
                    row.line,
                    format!("unknown cue kind {other:?}"),
                ))
            }
        };
        cue_phrases.push(row.fields[0].to_string());
        let pattern = word_regex(row.fields[0]);
        let re = Regex::new(&format!("(?i){pattern}"))
            .map_err(|e| Error::data("data/claims/cues.tsv", row.line, e.to_string()))?;
        cues.push((re, kind));
        match cue_patterns.iter_mut().find(|(k, _)| *k == kind) {
            Some((_, patterns)) => patterns.push(pattern),
            None => cue_patterns.push((kind, vec![pattern])),
        }
    }
    let mut cue_kinds = Vec::new();
    for (kind, patterns) in cue_patterns {
        let re = Regex::new(&format!("(?i){}", patterns.join("|")))
            .map_err(|e| Error::data("data/claims/cues.tsv", 1, e.to_string()))?;
        cue_kinds.push((kind, re));
    }

    let mut boiler_start = Vec::new();
    let mut boiler_line = Vec::new();
    for row in parse_tsv(
        "data/claims/boilerplate.tsv",
        BOILERPLATE_TSV,
        &["pattern", "scope", "example"],
    )? {
        match row.fields[1] {
            "start" => boiler_start.push(row.fields[0].to_lowercase()),
            "line" => boiler_line.push(row.fields[0].to_lowercase()),
            other => {
                return Err(Error::data(
                    "data/claims/boilerplate.tsv",
                    row.line,
                    format!("unknown scope {other:?}: expected start or line"),
                ))
            }
        }
    }
    let ascii_view = trigger_events
        .iter()
        .map(|(t, _)| t.as_str())
        .chain(cue_phrases.iter().map(String::as_str))
        .all(|p| p.is_ascii() && !p.contains(['_', '#', '\x0b']));
    let boiler_max_bytes = boiler_start
        .iter()
        .chain(&boiler_line)
        .map(String::len)
        .max()
        .unwrap_or(0);
    Ok(Lexicon {
        ascii_view,
        boiler_max_bytes,
        triggers,
        trigger_events,
        cues,
        cue_kinds,
        boiler_start,
        boiler_line,
    })
}

/// The embedded lexicon. Its data files are checked by a test, so a failure here is a bug.
pub(crate) fn lexicon() -> &'static Lexicon {
    static LEXICON: OnceLock<Lexicon> = OnceLock::new();
    LEXICON.get_or_init(|| load().expect("embedded claim lexicons parse (tested)"))
}

#[cfg(test)]
mod tests {
    #[test]
    fn regexes_match_the_same_on_the_ascii_view() {
        let lex = super::lexicon();
        assert!(lex.ascii_view);
        for text in [
            "Kim Jong Un’s train crossed\u{a0}into China — arrived in Dandong, officials said.",
            "Ein Zug fährt ab: éleft leftés café left\u{2003}for Beijing, “arrived” ＡＲＲＩＶＥＤ",
            "平壤 left 평양을 출발 arrived_ _left #left crossed\u{200d}into wíll will‿said",
            "The train is expected\u{3000}to arrive; sources say; reportedly ّsaid",
        ] {
            let view = super::match_view(text);
            assert_eq!(view.len(), text.len());
            let regexes = std::iter::once(&lex.triggers)
                .chain(lex.cues.iter().map(|(re, _)| re))
                .chain(lex.cue_kinds.iter().map(|(_, re)| re));
            for re in regexes {
                let on_text: Vec<_> = re.find_iter(text).map(|m| m.range()).collect();
                let on_view: Vec<_> = re.find_iter(&view).map(|m| m.range()).collect();
                assert_eq!(on_text, on_view, "{text:?} {re}");
            }
        }
        // A character that folds to ASCII keeps the text as it is.
        assert_eq!(super::match_view("\u{212a}im left"), "\u{212a}im left");
    }

    #[test]
    fn every_claim_data_file_loads() {
        let lex = super::load().unwrap();
        assert!(lex.trigger_events.len() > 20);
        assert!(!lex.cues.is_empty());
    }
}
