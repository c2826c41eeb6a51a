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

impl CueKind {
    /// How many kinds there are.
    pub(crate) const COUNT: usize = 5;

    /// A distinct index below [`CueKind::COUNT`].
    pub(crate) fn index(self) -> usize {
        match self {
            CueKind::Expected => 0,
            CueKind::Speech => 1,
            CueKind::Reporting => 2,
            CueKind::History => 3,
            CueKind::Journey => 4,
        }
    }
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
        let ascii = ascii_prefix_len(rest.as_bytes());
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

/// How many bytes of `bytes` come before the first non-ASCII one. News text has a few
/// non-ASCII characters (curly quotes, dashes) in long ASCII runs: blocks are tested whole
/// (`<[u8]>::is_ascii` reads a word at a time), bytes one by one only in the block that holds
/// one.
fn ascii_prefix_len(bytes: &[u8]) -> usize {
    const BLOCK_BYTES: usize = 64;
    let mut len = 0;
    for block in bytes.chunks(BLOCK_BYTES) {
        if !block.is_ascii() {
            return len
                + block
                    .iter()
                    .position(|b| !b.is_ascii())
                    .unwrap_or(block.len());
        }
        len += block.len();
    }
    len
}

/// Bytes of a regex word (`\w`) in ASCII text: letters, digits and `_`.
static WORD_BYTES: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = c.is_ascii_alphanumeric() || c == b'_';
        b += 1;
    }
    table
};

/// A byte of a regex word (`\w`) in ASCII text.
#[inline]
fn is_word_byte(b: u8) -> bool {
    WORD_BYTES[usize::from(b)]
}

/// The words of ASCII text from byte `pos` on, as `(start, end)`.
#[inline]
fn next_word(bytes: &[u8], mut pos: usize) -> Option<(usize, usize)> {
    while pos < bytes.len() && !is_word_byte(bytes[pos]) {
        pos += 1;
    }
    if pos >= bytes.len() {
        return None;
    }
    let start = pos;
    while pos < bytes.len() && is_word_byte(bytes[pos]) {
        pos += 1;
    }
    Some((start, pos))
}

/// Phrases of ASCII words, matched on ASCII text exactly as their alternation
/// `(?i)\bphrase one\b|\bphrase two\b|…` matches: whole words, ASCII case ignored, one space
/// between words (the escaped phrase keeps its plain spaces), leftmost-first in list order.
///
/// The regexes cost a search start-up per sentence and about ten instructions a byte; this
/// costs a pass over the bytes. On ASCII text the answers are the same: a match starts and
/// ends at word edges, the case of an ASCII letter folds only to ASCII when no other
/// character is in the text (the Kelvin sign and the long s are not ASCII), and the first
/// phrase in list order that matches at the leftmost start wins. Text with a non-ASCII byte
/// goes to the regex.
pub(crate) struct WordPhrases {
    /// Lower-case words of each phrase, in the alternation's order.
    phrases: Vec<Vec<Vec<u8>>>,
    /// Per first word's byte length and first letter ([`WordPhrases::slot`]), the phrases that
    /// start so, in order: most words of a text find an empty list at once.
    by_first: Vec<Vec<usize>>,
    /// Finds the phrases' first words (in lower case) anywhere, leftmost first: where a match
    /// can start in a long text ([`WordPhrases::find_all`]). Built on first use.
    first_words: OnceLock<Option<aho_corasick::AhoCorasick>>,
}

impl WordPhrases {
    /// `None` when a phrase is not words of ASCII letters and digits between single spaces.
    fn new<'a>(phrases: impl Iterator<Item = &'a str>) -> Option<WordPhrases> {
        let mut list = Vec::new();
        let mut by_first: Vec<Vec<usize>> = Vec::new();
        for (i, phrase) in phrases.enumerate() {
            let words: Vec<Vec<u8>> = phrase
                .split(' ')
                .map(|w| w.to_ascii_lowercase().into_bytes())
                .collect();
            if words
                .iter()
                .any(|w| w.is_empty() || !w.iter().all(u8::is_ascii_alphanumeric))
            {
                return None;
            }
            let slot = WordPhrases::slot(&words[0])?;
            if by_first.len() <= slot {
                by_first.resize(slot + 1, Vec::new());
            }
            by_first[slot].push(i);
            list.push(words);
        }
        Some(WordPhrases {
            phrases: list,
            by_first,
            first_words: OnceLock::new(),
        })
    }

    /// [`WordPhrases::find_iter`] as ranges, for a long `hay` (ASCII; `lower` is it in lower
    /// case): only the places where a phrase's first word occurs are read, found by one
    /// automaton over the text, rather than every word. A match of the automaton lies inside one word (the words are letters and
    /// digits), and it is the leftmost one, so no word start is passed over: each word start
    /// the automaton reports is tried as the word pass would, and the pass goes on after the
    /// word or the phrase match.
    pub(crate) fn find_all(&self, hay: &str, lower: &str) -> Vec<std::ops::Range<usize>> {
        let mut out = Vec::new();
        self.for_each_start(hay, lower, |start, word_end| {
            let end = self.match_at(hay.as_bytes(), start, word_end)?.1;
            out.push(start..end);
            Some(end)
        });
        out
    }

    /// The automaton of the phrases' first words ([`WordPhrases::first_words`]).
    fn first_word_finder(&self) -> Option<&aho_corasick::AhoCorasick> {
        self.first_words
            .get_or_init(|| {
                let mut words: Vec<&[u8]> = self.phrases.iter().map(|p| p[0].as_slice()).collect();
                words.sort_unstable();
                words.dedup();
                aho_corasick::AhoCorasick::builder()
                    .match_kind(aho_corasick::MatchKind::LeftmostFirst)
                    .build(words)
                    .ok()
            })
            .as_ref()
    }

    /// Calls `read(start, word_end)` at each word of `hay` (ASCII) that may start a phrase, in
    /// order; `read` returns where a match it took ends, and the pass goes on from there (else
    /// from the word's end). `lower` is `hay` in ASCII lower case: the automaton reads it
    /// case-sensitively, so its vectorised prefilter runs. Without the automaton every word is
    /// read.
    fn for_each_start(
        &self,
        hay: &str,
        lower: &str,
        mut read: impl FnMut(usize, usize) -> Option<usize>,
    ) {
        let bytes = hay.as_bytes();
        let mut pos = 0;
        let Some(finder) = self
            .first_word_finder()
            .filter(|_| lower.len() == hay.len())
        else {
            while let Some((start, word_end)) = next_word(bytes, pos) {
                pos = read(start, word_end).unwrap_or(word_end);
            }
            return;
        };
        // One pass of the automaton: a match before `pos` lies in a word or phrase already read
        // (no match crosses `pos`, which ends a word), and is passed over.
        for found in finder.find_iter(lower.as_bytes()) {
            let start = found.start();
            if start < pos {
                continue;
            }
            let mut word_end = found.end();
            while word_end < bytes.len() && is_word_byte(bytes[word_end]) {
                word_end += 1;
            }
            pos = word_end;
            if start > 0 && is_word_byte(bytes[start - 1]) {
                continue;
            }
            pos = read(start, word_end).unwrap_or(word_end);
        }
    }

    /// The phrases whose first word could be `word` (same length and first letter), in order.
    #[inline]
    fn candidates(&self, word: &[u8]) -> &[usize] {
        WordPhrases::slot(word)
            .and_then(|slot| self.by_first.get(slot))
            .map_or(&[], Vec::as_slice)
    }

    /// Where phrases whose first word is `word` are listed: by length and first letter; `None`
    /// for a word that does not start with an ASCII letter.
    #[inline]
    fn slot(word: &[u8]) -> Option<usize> {
        let first = word.first()?.to_ascii_lowercase();
        first
            .is_ascii_lowercase()
            .then(|| word.len() * 26 + usize::from(first - b'a'))
    }

    /// The phrase that matches at the word starting at `start` (which ends at `end`), first in
    /// list order, and where the match ends.
    fn match_at(&self, hay: &[u8], start: usize, end: usize) -> Option<(usize, usize)> {
        self.matches_at(hay, start, end).next()
    }

    /// Every phrase that matches at the word `start..end`, in list order, with where its match
    /// ends.
    #[inline]
    fn matches_at<'s>(
        &'s self,
        hay: &'s [u8],
        start: usize,
        end: usize,
    ) -> impl Iterator<Item = (usize, usize)> + 's {
        self.candidates(&hay[start..end])
            .iter()
            .filter_map(move |&p| {
                let words = &self.phrases[p];
                if !hay[start..end].eq_ignore_ascii_case(&words[0]) {
                    return None;
                }
                let mut at = end;
                for w in &words[1..] {
                    let next = at + 1 + w.len();
                    let whole = hay.get(at) == Some(&b' ')
                        && hay
                            .get(at + 1..next)
                            .is_some_and(|h| h.eq_ignore_ascii_case(w))
                        && !hay.get(next).copied().is_some_and(is_word_byte);
                    if !whole {
                        return None;
                    }
                    at = next;
                }
                Some((p, at))
            })
    }

    /// The matches in `hay` from byte `from` on, as `(start, end, phrase)`, leftmost-first and
    /// not overlapping. `hay` must be ASCII.
    pub(crate) fn find_iter<'h>(
        &'h self,
        hay: &'h str,
    ) -> impl Iterator<Item = (usize, usize, usize)> + 'h {
        let bytes = hay.as_bytes();
        let mut pos = 0;
        std::iter::from_fn(move || {
            while let Some((start, word_end)) = next_word(bytes, pos) {
                pos = word_end;
                if self.candidates(&bytes[start..word_end]).is_empty() {
                    continue;
                }
                if let Some((phrase, end)) = self.match_at(bytes, start, word_end) {
                    pos = end;
                    return Some((start, end, phrase));
                }
            }
            None
        })
    }
}

pub(crate) struct Lexicon {
    /// One alternation over all triggers, longest first: [`Lexicon::triggers`].
    triggers_pattern: String,
    triggers: OnceLock<Regex>,
    /// The same alternation as words, for ASCII text.
    pub trigger_words: Option<WordPhrases>,
    /// Per cue kind, its cues as words, for ASCII text: `is_match` of [`Lexicon::cue_kinds`].
    pub cue_words: Vec<(CueKind, WordPhrases)>,
    /// All cues as words, and the kind of each: [`cue_profile`].
    cue_all: Option<(WordPhrases, Vec<CueKind>)>,
    /// Each cue on its own as words, for ASCII text: `find_iter` of [`Lexicon::cues`].
    cue_each_words: Option<Vec<(WordPhrases, CueKind)>>,
    pub trigger_events: Vec<(String, EventKind)>,
    /// Each cue's pattern and kind: [`Lexicon::cues`].
    cue_patterns: Vec<(String, CueKind)>,
    cues: OnceLock<Vec<(Regex, CueKind)>>,
    /// Per cue kind, the alternation of its cues: [`Lexicon::cue_kinds`].
    cue_kind_patterns: Vec<(CueKind, String)>,
    cue_kinds: OnceLock<Vec<(CueKind, Regex)>>,
    pub boiler_start: Vec<String>,
    pub boiler_line: Vec<String>,
    /// Bytes of the longest boilerplate pattern.
    pub boiler_max_bytes: usize,
    /// Every trigger and cue is ASCII without the stand-ins of [`match_view`].
    ascii_view: bool,
}

/// Compiles a pattern of the embedded lexicon; [`check_regexes`] compiles each in a test, so a
/// failure here is a bug.
fn embedded_regex(pattern: &str) -> Regex {
    Regex::new(pattern).expect("embedded claim lexicon patterns compile (tested)")
}

// The regexes are built on first use only. On ASCII text (nearly every text, and every text's
// `match_view` when the lexicon is ASCII) the word matchers answer instead, so most runs never
// build them: building them was 58 M instructions, a twelfth of scanning 1.5 MB of news.
impl Lexicon {
    /// One alternation over all triggers, longest first, case-insensitive whole words.
    pub(crate) fn triggers(&self) -> &Regex {
        self.triggers
            .get_or_init(|| embedded_regex(&self.triggers_pattern))
    }

    /// Each cue's regex, with its kind, in file order.
    pub(crate) fn cues(&self) -> &[(Regex, CueKind)] {
        self.cues.get_or_init(|| {
            self.cue_patterns
                .iter()
                .map(|(pattern, kind)| (embedded_regex(pattern), *kind))
                .collect()
        })
    }

    /// Per cue kind, one alternation of all its cues: `is_match` says whether any cue of the
    /// kind matches, in one pass over the text instead of one per cue.
    pub(crate) fn cue_kinds(&self) -> &[(CueKind, Regex)] {
        self.cue_kinds.get_or_init(|| {
            self.cue_kind_patterns
                .iter()
                .map(|(kind, pattern)| (*kind, embedded_regex(pattern)))
                .collect()
        })
    }
}

/// Builds every regex of `lexicon`, as [`embedded_regex`] would on first use.
///
/// # Errors
///
/// The first pattern that does not compile, as `data/claims/<file>:<line>: ...`.
#[cfg(test)]
pub(crate) fn check_regexes(lexicon: &Lexicon) -> Result<()> {
    Regex::new(&lexicon.triggers_pattern)
        .map_err(|e| Error::data("data/claims/events.tsv", 1, e.to_string()))?;
    for (pattern, _) in &lexicon.cue_patterns {
        Regex::new(pattern).map_err(|e| Error::data("data/claims/cues.tsv", 1, e.to_string()))?;
    }
    for (_, pattern) in &lexicon.cue_kind_patterns {
        Regex::new(pattern).map_err(|e| Error::data("data/claims/cues.tsv", 1, e.to_string()))?;
    }
    Ok(())
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
    let triggers_pattern = format!("(?i){alternation}");

    let mut cues: Vec<(String, CueKind)> = Vec::new();
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
        cues.push((format!("(?i){pattern}"), kind));
        match cue_patterns.iter_mut().find(|(k, _)| *k == kind) {
            Some((_, patterns)) => patterns.push(pattern),
            None => cue_patterns.push((kind, vec![pattern])),
        }
    }
    let mut cue_words = Vec::new();
    for (kind, _) in &cue_patterns {
        let phrases = cue_phrases
            .iter()
            .zip(&cues)
            .filter(|(_, (_, k))| k == kind)
            .map(|(p, _)| p.as_str());
        if let Some(words) = WordPhrases::new(phrases) {
            cue_words.push((*kind, words));
        }
    }
    let cue_kind_patterns: Vec<(CueKind, String)> = cue_patterns
        .into_iter()
        .map(|(kind, patterns)| (kind, format!("(?i){}", patterns.join("|"))))
        .collect();

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
    let trigger_words = WordPhrases::new(trigger_events.iter().map(|(t, _)| t.as_str()));
    let cue_all = WordPhrases::new(cue_phrases.iter().map(String::as_str))
        .map(|words| (words, cues.iter().map(|(_, k)| *k).collect()));
    let cue_each_words = cue_phrases
        .iter()
        .zip(&cues)
        .map(|(phrase, (_, kind))| {
            Some((WordPhrases::new(std::iter::once(phrase.as_str()))?, *kind))
        })
        .collect();
    Ok(Lexicon {
        cue_all,
        cue_each_words,
        trigger_words,
        cue_words,
        ascii_view,
        boiler_max_bytes,
        triggers_pattern,
        triggers: OnceLock::new(),
        trigger_events,
        cue_patterns: cues,
        cues: OnceLock::new(),
        cue_kind_patterns,
        cue_kinds: OnceLock::new(),
        boiler_start,
        boiler_line,
    })
}

/// Where triggers match in `view` (a [`match_view`] or a slice of one), leftmost-first, as
/// [`Lexicon::triggers`] finds them.
pub(crate) fn trigger_spans(view: &str) -> Vec<std::ops::Range<usize>> {
    let lex = lexicon();
    match &lex.trigger_words {
        Some(words) if view.is_ascii() => words.find_iter(view).map(|(s, e, _)| s..e).collect(),
        _ => lex.triggers().find_iter(view).map(|m| m.range()).collect(),
    }
}

/// [`trigger_spans`] for a whole text's view: on a long text, finding the triggers' first words
/// with one automaton passes over most bytes at once, where the word pass reads every word.
/// `lower` is `view` in ASCII lower case.
pub(crate) fn trigger_spans_in_text(view: &str, lower: &str) -> Vec<std::ops::Range<usize>> {
    let lex = lexicon();
    match &lex.trigger_words {
        Some(words) if view.is_ascii() => words.find_all(view, lower),
        _ => lex.triggers().find_iter(view).map(|m| m.range()).collect(),
    }
}

/// True when a cue of `kind` matches in `view`, as [`Lexicon::cue_kinds`] says.
pub(crate) fn has_cue_of(view: &str, kind: CueKind) -> bool {
    let lex = lexicon();
    if view.is_ascii() {
        if let Some((_, words)) = lex.cue_words.iter().find(|(k, _)| *k == kind) {
            return words.find_iter(view).next().is_some();
        }
    }
    lex.cue_kinds()
        .iter()
        .any(|(k, re)| *k == kind && re.is_match(view))
}

/// True when some match of a cue of `kind` in `view` ends where `keep` says: each cue searched
/// on its own, leftmost-first, as the regexes of [`Lexicon::cues`] find them.
pub(crate) fn any_cue_match(view: &str, kind: CueKind, keep: impl Fn(usize) -> bool) -> bool {
    let lex = lexicon();
    if view.is_ascii() {
        if let Some(each) = &lex.cue_each_words {
            return each.iter().any(|(words, k)| {
                *k == kind && words.find_iter(view).any(|(_, end, _)| keep(end))
            });
        }
    }
    lex.cues()
        .iter()
        .any(|(re, k)| *k == kind && re.find_iter(view).any(|m| keep(m.end())))
}

/// For each [`CueKind`] (by [`CueKind::index`]), the smallest end of any match of its cues in
/// `view` (a slice of a [`match_view`]); `None` when `view` is not ASCII (ask [`has_cue_of`]).
///
/// One pass answers every kind for a sentence, and for a start of it `view[..b]` that ends
/// after a non-word byte: a match ends in a word byte, so it lies in `view[..b]` exactly when it
/// ends by `b` (the `\b` after it sees the same byte in both).
///
/// Tried and dropped: one search per cue kind over the whole view, used to rule out sentences
/// no match overlaps. The cues are common words ("said", "will", "train"), so the regexes'
/// literal prefilter stops everywhere and the five searches cost more than the per-sentence
/// ones they replaced. (For the rarer triggers that scheme pays: see `TriggerHits`.)
///
/// Tried and dropped too: finding the cues' first words with an automaton over the sentence
/// (as the whole-text trigger search does): the cues are so common that the automaton's start
/// and stops cost twice the word pass.
pub(crate) fn cue_profile(view: &str) -> Option<CueProfile> {
    let (words, kinds) = lexicon().cue_all.as_ref()?;
    if !view.is_ascii() {
        return None;
    }
    let bytes = view.as_bytes();
    let mut ends = [None; CueKind::COUNT];
    let mut pos = 0;
    while let Some((start, word_end)) = next_word(bytes, pos) {
        pos = word_end;
        if words.candidates(&bytes[start..word_end]).is_empty() {
            continue;
        }
        for (phrase, end) in words.matches_at(bytes, start, word_end) {
            let slot: &mut Option<usize> = &mut ends[kinds[phrase].index()];
            if slot.is_none_or(|e| end < e) {
                *slot = Some(end);
            }
        }
    }
    Some(ends)
}

/// A cue profile of a view: [`cue_profile`].
pub(crate) type CueProfile = [Option<usize>; CueKind::COUNT];

/// [`has_cue_of`] on `view[..len]`, read from the [`cue_profile`] of `view` when it can tell.
pub(crate) fn prefix_has_cue(
    view: &str,
    profile: Option<&CueProfile>,
    len: usize,
    kind: CueKind,
) -> bool {
    if let Some(profile) = profile {
        let bytes = view.as_bytes();
        if len == 0 || len == bytes.len() || !is_word_byte(bytes[len - 1]) {
            return profile[kind.index()].is_some_and(|end| end <= len);
        }
    }
    view.get(..len)
        .is_some_and(|prefix| has_cue_of(prefix, kind))
}

/// The embedded lexicon. Its data files are checked by a test, so a failure here is a bug.
pub(crate) fn lexicon() -> &'static Lexicon {
    static LEXICON: OnceLock<Lexicon> = OnceLock::new();
    LEXICON.get_or_init(|| load().expect("embedded claim lexicons parse (tested)"))
}

#[cfg(test)]
mod tests {
    #[test]
    fn ascii_prefix_len_is_where_the_first_non_ascii_byte_is() {
        for len in [0, 1, 63, 64, 65, 127, 128, 200] {
            for at in [0, 1, 62, 63, 64, 65, 130, 199] {
                let mut bytes = vec![b'a'; len];
                if at < len {
                    bytes[at] = 0xC3;
                }
                let naive = bytes.iter().position(|b| !b.is_ascii()).unwrap_or(len);
                assert_eq!(super::ascii_prefix_len(&bytes), naive, "{len} {at}");
            }
        }
    }

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
            let regexes = std::iter::once(lex.triggers())
                .chain(lex.cues().iter().map(|(re, _)| re))
                .chain(lex.cue_kinds().iter().map(|(_, re)| re));
            for re in regexes {
                let on_text: Vec<_> = re.find_iter(text).map(|m| m.range()).collect();
                let on_view: Vec<_> = re.find_iter(&view).map(|m| m.range()).collect();
                assert_eq!(on_text, on_view, "{text:?} {re}");
            }
            // The first-word search on the view matches as the regex on the text.
            let on_text: Vec<_> = lex.triggers().find_iter(text).map(|m| m.range()).collect();
            let lower = view.to_ascii_lowercase();
            assert_eq!(
                super::trigger_spans_in_text(&view, &lower),
                on_text,
                "{text:?}"
            );
        }
        // A character that folds to ASCII keeps the text as it is.
        assert_eq!(super::match_view("\u{212a}im left"), "\u{212a}im left");
    }

    /// ASCII texts built from the lexicon's phrases with tricky neighbours: case, doubled or
    /// odd spaces, word characters glued on, digits, line breaks.
    fn tricky_texts() -> Vec<String> {
        let lex = super::lexicon();
        let mut phrases: Vec<String> = lex.trigger_events.iter().map(|(t, _)| t.clone()).collect();
        phrases.extend(
            super::CUES_TSV
                .lines()
                .filter(|l| !l.starts_with('#') && !l.starts_with("cue\t"))
                .filter_map(|l| l.split('\t').next())
                .map(str::to_string),
        );
        let glue = [
            " ", "  ", "\n", "\t", "\x0b", "_", "#", "-", ", ", ". ", "x", "9", "'", "", "(",
        ];
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        let mut texts = Vec::new();
        for _ in 0..3000 {
            let mut text = String::new();
            for _ in 0..1 + next(6) {
                let mut phrase = phrases[next(phrases.len())].clone();
                match next(4) {
                    0 => phrase = phrase.to_uppercase(),
                    1 => phrase = phrase.replace(' ', "  "),
                    2 if phrase.len() > 2 => phrase.truncate(phrase.len() - 1),
                    _ => {}
                }
                text += glue[next(glue.len())];
                text += &phrase;
                text += glue[next(glue.len())];
            }
            texts.push(text);
        }
        texts
    }

    #[test]
    fn word_phrases_match_as_the_regexes_do() {
        use super::{cue_profile, has_cue_of, prefix_has_cue, trigger_spans, CueKind};
        let lex = super::lexicon();
        assert!(lex.trigger_words.is_some());
        assert_eq!(lex.cue_words.len(), lex.cue_kinds().len());
        assert!(lex.cue_each_words.is_some());
        let kinds = [
            CueKind::Expected,
            CueKind::Speech,
            CueKind::Reporting,
            CueKind::History,
            CueKind::Journey,
        ];
        for text in tricky_texts() {
            let by_regex: Vec<_> = lex.triggers().find_iter(&text).map(|m| m.range()).collect();
            assert_eq!(trigger_spans(&text), by_regex, "{text:?}");
            let lower = text.to_ascii_lowercase();
            assert_eq!(
                super::trigger_spans_in_text(&text, &lower),
                by_regex,
                "{text:?}"
            );
            let profile = cue_profile(&text);
            assert!(profile.is_some());
            for kind in kinds {
                let regex = &lex.cue_kinds().iter().find(|(k, _)| *k == kind).unwrap().1;
                // Match ends of each cue on its own, against the per-cue regexes.
                for limit in [0, 1, 3, text.len() / 2, text.len()] {
                    let keep = |end: usize| end + limit >= text.len();
                    let by_regexes = lex
                        .cues()
                        .iter()
                        .any(|(re, k)| *k == kind && re.find_iter(&text).any(|m| keep(m.end())));
                    assert_eq!(
                        super::any_cue_match(&text, kind, keep),
                        by_regexes,
                        "{text:?} {kind:?} {limit}"
                    );
                }
                assert_eq!(has_cue_of(&text, kind), regex.is_match(&text), "{text:?}");
                for len in 0..=text.len() {
                    assert_eq!(
                        prefix_has_cue(&text, profile.as_ref(), len, kind),
                        regex.is_match(&text[..len]),
                        "{text:?} {len} {kind:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn every_claim_data_file_loads() {
        let lex = super::load().unwrap();
        super::check_regexes(&lex).unwrap();
        assert!(lex.trigger_events.len() > 20);
        assert!(!lex.cues().is_empty());
    }
}
