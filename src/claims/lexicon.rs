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
    Ok(Lexicon {
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
    fn every_claim_data_file_loads() {
        let lex = super::load().unwrap();
        assert!(lex.trigger_events.len() > 20);
        assert!(!lex.cues.is_empty());
    }
}
