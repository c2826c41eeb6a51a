//! Sentence tense, as far as word lists can tell: the news direction rule needs to know whether
//! "Wednesday" is the coming one ("will attend the parade on Wednesday") or the last one.
//!
//! The tense of a phrase is the tense of the nearest tense marker in its sentence, so a sentence
//! with two clauses ("Kim, who arrived on Tuesday, will attend ...") gives each phrase its own.

use super::Tense;
use crate::text::TextRange;

/// Byte ranges of the sentences of `text`: ends at `.`, `!`, `?` followed by a space and a capital
/// letter, digit or quote (but not after a month or title abbreviation), and at line breaks.
/// The sentences tile the text.
#[cfg(test)]
pub(crate) fn sentences(text: &str) -> Vec<TextRange> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    // Only `.`, `!`, `?` and line breaks can end a sentence: jump from one to the next.
    let mut marks = memchr::memchr3_iter(b'.', b'!', b'?', bytes).peekable();
    let mut breaks = memchr::memchr_iter(b'\n', bytes).peekable();
    loop {
        let i = match (marks.peek().copied(), breaks.peek().copied()) {
            (Some(m), Some(n)) if n < m => breaks.next(),
            (Some(_), _) => marks.next(),
            (None, _) => breaks.next(),
        };
        let Some(i) = i else { break };
        if ends_sentence(text, i) {
            out.push(TextRange::new(start, i + 1));
            start = i + 1;
        }
    }
    if start < text.len() {
        out.push(TextRange::new(start, text.len()));
    }
    out
}

/// True when the byte at `i` ends a sentence (see [`sentences`]): it depends only on the bytes
/// around `i`, so the sentence around a phrase can be found without splitting the whole text.
fn ends_sentence(text: &str, i: usize) -> bool {
    let bytes = text.as_bytes();
    match bytes.get(i) {
        Some(b'\n') => true,
        Some(&b @ (b'.' | b'!' | b'?')) => {
            let next_is_space = bytes.get(i + 1).is_some_and(|c| *c == b' ');
            let after = bytes.get(i + 2).copied().unwrap_or(b' ');
            let starts_sentence = after.is_ascii_uppercase()
                || after.is_ascii_digit()
                || after == b'"'
                || after >= 0x80;
            next_is_space && starts_sentence && !(b == b'.' && after_abbreviation(text, i))
        }
        _ => false,
    }
}

/// The sentence of `text` (one of [`sentences`]) that holds byte `at`, given that a sentence
/// starts at `floor <= at` (0, or the end of an earlier sentence): the text is searched only
/// between `floor` and the end of that sentence, so phrases visited in text order cost time in
/// proportion to the text they span, not the whole text per phrase.
pub(crate) fn sentence_around(text: &str, at: usize, floor: usize) -> TextRange {
    let bytes = text.as_bytes();
    let mut start = floor.min(at);
    let mut hi = at;
    while hi > start {
        let head = bytes.get(start..hi).unwrap_or(&[]);
        let mark = memchr::memrchr3(b'.', b'!', b'?', head);
        let line = memchr::memrchr(b'\n', head);
        let Some(k) = mark.max(line) else { break };
        let i = start + k;
        if ends_sentence(text, i) {
            start = i + 1;
            break;
        }
        hi = i;
    }
    let mut end = text.len();
    let mut lo = at;
    while lo < text.len() {
        let tail = bytes.get(lo..).unwrap_or(&[]);
        let mark = memchr::memchr3(b'.', b'!', b'?', tail);
        let line = memchr::memchr(b'\n', tail);
        let k = match (mark, line) {
            (Some(m), Some(n)) => m.min(n),
            (Some(k), None) | (None, Some(k)) => k,
            (None, None) => break,
        };
        let i = lo + k;
        if ends_sentence(text, i) {
            end = i + 1;
            break;
        }
        lo = i + 1;
    }
    TextRange::new(start, end)
}

/// True when the `.` at byte `dot` ends a common abbreviation ("Sept.", "Mr.", "a.m.").
fn after_abbreviation(text: &str, dot: usize) -> bool {
    // The run of ASCII letters and dots before `dot`, lower-cased on the stack: the longest
    // abbreviation has four bytes, so a longer run is none of them.
    let head = text.as_bytes().get(..dot).unwrap_or(&[]);
    let run = head
        .iter()
        .rev()
        .take_while(|b| b.is_ascii_alphabetic() || **b == b'.')
        .count();
    if run > 4 {
        return false;
    }
    let mut buf = [0u8; 4];
    let Some(out) = buf.get_mut(..run) else {
        return false;
    };
    for (o, b) in out.iter_mut().zip(&head[head.len() - run..]) {
        *o = b.to_ascii_lowercase();
    }
    let word = std::str::from_utf8(out).unwrap_or("");
    matches!(
        word,
        "jan"
            | "feb"
            | "mar"
            | "apr"
            | "jun"
            | "jul"
            | "aug"
            | "sep"
            | "sept"
            | "oct"
            | "nov"
            | "dec"
            | "mr"
            | "mrs"
            | "ms"
            | "dr"
            | "st"
            | "gen"
            | "lt"
            | "col"
            | "sen"
            | "rep"
            | "gov"
            | "pres"
            | "no"
            | "vs"
            | "u.s"
            | "u.n"
            | "u.k"
            | "jr"
            | "sr"
    )
}

const FUTURE_WORDS: &[&str] = &[
    "coming",
    "going",
    "next",
    "planned",
    "plans",
    "scheduled",
    "shall",
    "slated",
    "tomorrow",
    "upcoming",
    "will",
    "won't",
    "wont",
];

/// Irregular past-tense verbs and past markers (sorted; regular "-ed" forms are found by suffix).
const PAST_IRREGULAR: &[&str] = &[
    "ago",
    "ate",
    "became",
    "began",
    "bit",
    "bore",
    "bought",
    "broke",
    "brought",
    "built",
    "came",
    "caught",
    "chose",
    "did",
    "didn't",
    "drank",
    "drew",
    "drove",
    "fed",
    "fell",
    "felt",
    "fled",
    "flew",
    "forgot",
    "fought",
    "found",
    "froze",
    "gave",
    "got",
    "grew",
    "had",
    "hadn't",
    "held",
    "hid",
    "hung",
    "kept",
    "knew",
    "last",
    "led",
    "left",
    "lent",
    "lost",
    "made",
    "meant",
    "met",
    "oversaw",
    "paid",
    "ran",
    "rang",
    "rode",
    "rose",
    "said",
    "sang",
    "sank",
    "sat",
    "saw",
    "sent",
    "shook",
    "shot",
    "slept",
    "sold",
    "sought",
    "spent",
    "spoke",
    "stole",
    "stood",
    "struck",
    "swore",
    "taught",
    "thought",
    "threw",
    "told",
    "took",
    "tore",
    "was",
    "wasn't",
    "went",
    "were",
    "weren't",
    "withdrew",
    "woke",
    "won",
    "wore",
    "wrote",
    "yesterday",
];

/// Verbs that attribute a statement (sorted).
const REPORTING: &[&str] = &[
    "added",
    "announced",
    "reported",
    "said",
    "says",
    "stated",
    "told",
];

/// Words ending in "-ed" that are not past tense, or that announce the future.
const NOT_PAST_ED: &[&str] = &[
    "bed",
    "bleed",
    "breed",
    "embed",
    "exceed",
    "expected",
    "feed",
    "indeed",
    "need",
    "planned",
    "proceed",
    "red",
    "scheduled",
    "seed",
    "shed",
    "sled",
    "speed",
    "succeed",
    "ted",
    "united",
    "weed",
];

/// Words that announce the future when "to" follows ("is expected to", "set to").
const TAKES_TO: &[&str] = &[
    "expected",
    "set",
    "likely",
    "due",
    "poised",
    "about",
    "going",
    "plans",
    "plan",
    "forecast",
    "predicted",
];

/// Present-tense verbs of a schedule ("the exercise ends Friday", "the show opens on Monday"):
/// right before a date (or before "on" and a date) they say the date is planned, so no other
/// verb of the sentence decides its direction ("which began Monday and ends Friday": the
/// coming Friday). The phrase then takes the nearest date, like after [`CUT_OFF_WORDS`].
const SCHEDULE_VERBS: &[&str] = &[
    "arrives",
    "begins",
    "closes",
    "concludes",
    "departs",
    "ends",
    "expires",
    "finishes",
    "leaves",
    "opens",
    "resumes",
    "returns",
    "runs",
    "starts",
];

/// Word pairs that put a date ahead of the sentence's event: the verb's tense says nothing of
/// the date right after them ("arrived ahead of Wednesday's parade" in a Tuesday article is
/// tomorrow's parade; "left prior to Friday's vote"). The phrase then takes the nearest date.
/// The first word may be empty: any word. ("up to" alone is not one: "the talks lasted up to
/// Thursday" keeps its past verb; "the run-up to" is.)
const CUT_OFF_WORDS: &[(&str, &str, &str)] = &[
    ("", "ahead", "of"),
    ("", "prior", "to"),
    ("in", "time", "for"),
    ("run", "up", "to"),
    ("lead", "up", "to"),
];

/// The tense marker a word is, looking at the word after it for "expected to", "set to": the
/// plain statement of the rule, which `marker_fast` must agree with (a test checks).
#[cfg(test)]
fn marker(word: &str, next: Option<&str>) -> Option<Tense> {
    let to_follows = next == Some("to");
    if to_follows && TAKES_TO.contains(&word) {
        return Some(Tense::Future);
    }
    if word == "ll" {
        return Some(Tense::Future);
    }
    let listed = MARKER_WORDS.get(word).copied().unwrap_or_default();
    if listed.schedule {
        return Some(Tense::Unknown);
    }
    if listed.future {
        return Some(Tense::Future);
    }
    if listed.past {
        return Some(Tense::Past);
    }
    if word.len() >= 4 && word.ends_with("ed") && !listed.not_past_ed {
        return Some(Tense::Past);
    }
    None
}

/// What the word lists say about one word: one hash lookup per word instead of a binary
/// search per list (this runs on every word of every sentence with a time phrase).
#[derive(Clone, Copy, Debug, Default)]
struct Listed {
    future: bool,
    past: bool,
    not_past_ed: bool,
    reporting: bool,
    schedule: bool,
}

static MARKER_WORDS: std::sync::LazyLock<super::spec::FnvMap<&'static str, Listed>> =
    std::sync::LazyLock::new(|| {
        let mut m: super::spec::FnvMap<&'static str, Listed> = Default::default();
        for w in FUTURE_WORDS {
            m.entry(*w).or_default().future = true;
        }
        for w in PAST_IRREGULAR {
            m.entry(*w).or_default().past = true;
        }
        for w in NOT_PAST_ED {
            m.entry(*w).or_default().not_past_ed = true;
        }
        for w in REPORTING {
            m.entry(*w).or_default().reporting = true;
        }
        for w in SCHEDULE_VERBS {
            m.entry(*w).or_default().schedule = true;
        }
        m
    });

#[cfg(test)]
fn is_reporting(word: &str) -> bool {
    MARKER_WORDS.get(word).is_some_and(|x| x.reporting)
}

/// A word of a sentence: byte range in the text, whether it is a preposition that ties a verb
/// to its date ("on", "in", "at", "by"), and the tense marker it is (with `true` for reporting
/// verbs), worked out once per sentence.
pub(crate) type Word = (usize, usize, bool, Option<(Tense, bool)>);

/// Longest word the marker lists hold is far below this; longer words are never markers.
const MAX_MARKER_LEN: usize = 24;

#[cfg(test)]
/// Lower-cases an ASCII word into `buf` (no allocation); `None` for long or non-ASCII words,
/// which are never markers.
fn lower_into<'b>(w: &'b str, buf: &'b mut [u8; MAX_MARKER_LEN]) -> Option<&'b str> {
    let bytes = w.as_bytes();
    if bytes.len() > MAX_MARKER_LEN || !w.is_ascii() {
        return None;
    }
    // Most words are lower case already: no copy.
    if !bytes.iter().any(u8::is_ascii_uppercase) {
        return Some(w);
    }
    let out = buf.get_mut(..bytes.len())?;
    for (o, b) in out.iter_mut().zip(bytes) {
        *o = b.to_ascii_lowercase();
    }
    std::str::from_utf8(out).ok()
}

/// The words of a sentence, for [`tense_from_words`].
#[cfg(test)]
pub(crate) fn sentence_words(text: &str, sentence: TextRange) -> Vec<Word> {
    let mut words = Vec::new();
    sentence_words_into(text, sentence, &mut words);
    words
}

/// The byte range (in `s`) of the first word of `s` at or after byte `from`: a run of letters
/// and apostrophes. Bytes, not chars: news text is mostly ASCII, so ASCII bytes are tested in a
/// tight loop and only a non-ASCII byte needs a char decoded.
fn word_span_from(s: &str, from: usize) -> Option<(usize, usize)> {
    /// Per byte: 1 for an ASCII letter or apostrophe, 2 for a non-ASCII byte, 0 else.
    const WORD_BYTE: [u8; 256] = {
        let mut t = [0u8; 256];
        let mut b = 0;
        while b < 256 {
            let c = b as u8;
            t[b] = if c >= 0x80 {
                2
            } else if c.is_ascii_alphabetic() || c == b'\'' {
                1
            } else {
                0
            };
            b += 1;
        }
        t
    };
    let kind = |b: &u8| WORD_BYTE.get(usize::from(*b)).copied().unwrap_or(0);
    let bytes = s.as_bytes();
    // Whether the char at `i` belongs to a word, and its width; `None` at the end.
    let class = |i: usize| -> Option<(bool, usize)> {
        let b = *bytes.get(i)?;
        if b < 0x80 {
            return Some((b.is_ascii_alphabetic() || b == b'\'', 1));
        }
        Some(match s.get(i..).and_then(|r| r.chars().next()) {
            Some(c) => (c.is_alphabetic(), c.len_utf8()),
            None => (false, 1),
        })
    };
    let mut i = from;
    loop {
        // Skip ASCII non-word bytes without a call.
        while bytes.get(i).is_some_and(|b| kind(b) == 0) {
            i += 1;
        }
        let (is_word, width) = class(i)?;
        if is_word {
            break;
        }
        i += width;
    }
    let start = i;
    loop {
        while bytes.get(i).is_some_and(|b| kind(b) == 1) {
            i += 1;
        }
        match class(i) {
            Some((true, width)) => i += width,
            _ => break,
        }
    }
    Some((start, i))
}

/// `s[start..end]` without its leading and trailing apostrophes.
fn trimmed_word(s: &str, start: usize, end: usize) -> &str {
    let bytes = s.as_bytes();
    let (mut a, mut b) = (start, end.min(bytes.len()));
    while a < b && bytes.get(a) == Some(&b'\'') {
        a += 1;
    }
    while b > a && bytes.get(b - 1) == Some(&b'\'') {
        b -= 1;
    }
    s.get(a..b).unwrap_or("")
}

/// A cheap necessary test for membership in [`MARKER_WORDS`] (and [`TAKES_TO`], "ll"): bit
/// `last byte` of `[length][first byte]` is set when some listed word has that length, first
/// and last byte (lower case).
static MARKER_SHAPES: std::sync::LazyLock<[[u32; 32]; MAX_MARKER_LEN + 1]> =
    std::sync::LazyLock::new(|| {
        let mut shapes = [[0u32; 32]; MAX_MARKER_LEN + 1];
        for w in MARKER_WORDS.keys().chain(TAKES_TO).chain(&["ll"]) {
            let b = w.as_bytes();
            if let (Some(&first), Some(&last)) = (b.first(), b.last()) {
                if let Some(row) = shapes.get_mut(b.len()) {
                    row[usize::from(first % 32)] |= 1u32 << (last % 32);
                }
            }
        }
        shapes
    });

/// Whether some listed marker word has the length, first and last byte of `w` (any case).
fn has_marker_shape(w: &[u8]) -> bool {
    let (Some(first), Some(last)) = (w.first(), w.last()) else {
        return false;
    };
    MARKER_SHAPES.get(w.len()).is_some_and(|row| {
        row[usize::from(first.to_ascii_lowercase() % 32)]
            & (1u32 << (last.to_ascii_lowercase() % 32))
            != 0
    })
}

/// The tense marker `w` (lower case, no apostrophes) is, and whether it is a reporting verb; the
/// same answer as [`marker`] and [`is_reporting`], with the common non-markers rejected before
/// any hash lookup. `next_is_to` is asked only for the verbs that take "to".
fn marker_fast(w: &str, next_is_to: impl FnOnce() -> bool) -> Option<(Tense, bool)> {
    // The shape test is necessary for a word of the lists, of TAKES_TO and for "ll": when it
    // fails, none of them needs looking at.
    let listed_shape = has_marker_shape(w.as_bytes());
    let ends_ed = w.len() >= 4 && w.ends_with("ed");
    if !listed_shape && !ends_ed {
        return None;
    }
    // What `marker` and `is_reporting` do, with one hash probe for both.
    let listed = if listed_shape {
        MARKER_WORDS.get(w).copied().unwrap_or_default()
    } else {
        Listed::default()
    };
    let takes_to = listed_shape && TAKES_TO.contains(&w);
    let tense = if listed.schedule {
        Tense::Unknown
    } else if (takes_to && next_is_to()) || w == "ll" || listed.future {
        Tense::Future
    } else if listed.past || (ends_ed && !listed.not_past_ed) {
        Tense::Past
    } else {
        return None;
    };
    Some((tense, listed.reporting))
}

#[cfg(test)]
/// False when the (apostrophe-trimmed) word `raw` is surely neither a tense marker nor one of
/// the prepositions "on", "in", "at", "by": its part after the last apostrophe has no listed
/// length, first and last letter and does not end in "ed".
fn may_matter(raw: &str) -> bool {
    let bytes = raw.as_bytes();
    if bytes.len() > MAX_MARKER_LEN {
        return false;
    }
    if bytes.len() == 2 {
        return true;
    }
    let tail = match bytes.iter().rposition(|b| *b == b'\'') {
        Some(k) => bytes.get(k + 1..).unwrap_or(&[]),
        None => bytes,
    };
    has_marker_shape(tail)
        || (tail.len() >= 4
            && tail
                .get(tail.len() - 2..)
                .is_some_and(|e| e.eq_ignore_ascii_case(b"ed")))
}

/// Appends the words of a sentence to `words` (cleared first), for [`tense_from_words`]: the
/// plain statement of the word split, which the parser's token-based split
/// (`Parser::tense_words_into` with [`SentenceWords`]) must agree with (a test checks).
#[cfg(test)]
pub(crate) fn sentence_words_into(text: &str, sentence: TextRange, words: &mut Vec<Word>) {
    words.clear();
    let Some(s) = text.get(sentence.start..sentence.end) else {
        return;
    };
    let mut buf = [0u8; MAX_MARKER_LEN];
    let mut from = 0;
    let mut prev: (usize, usize) = (0, 0);
    let mut prev2: (usize, usize) = (0, 0);
    while let Some((st, en)) = word_span_from(s, from) {
        from = en;
        let raw = trimmed_word(s, st, en);
        let before = std::mem::replace(&mut prev, (st, en));
        let before2 = std::mem::replace(&mut prev2, before);
        // "ahead of", "in time for", "the run-up to": marked with an Unknown tense, which
        // `tense_from_words` reads as "the verb does not reach past here".
        if matches!(raw.len(), 2 | 3) {
            // Most short words are not the last word of a pair: the words before are read
            // only for "of", "to", "for".
            let cut = CUT_OFF_WORDS.iter().any(|(a, b, c)| {
                raw.eq_ignore_ascii_case(c)
                    && trimmed_word(s, before.0, before.1).eq_ignore_ascii_case(b)
                    && (a.is_empty()
                        || trimmed_word(s, before2.0, before2.1).eq_ignore_ascii_case(a))
            });
            if cut {
                words.push((
                    sentence.start + st,
                    sentence.start + en,
                    false,
                    Some((Tense::Unknown, false)),
                ));
                continue;
            }
        }
        // Most words are no marker and no preposition: tell from their length, first byte and
        // "-ed" ending, before lower-casing anything.
        if !may_matter(raw) {
            words.push((sentence.start + st, sentence.start + en, false, None));
            continue;
        }
        let (prep, m) = match lower_into(raw, &mut buf) {
            Some(low) => {
                // "'ll" arrives as "ll" after the apostrophe split; "won't" stays whole.
                let w = match low.as_bytes().iter().rposition(|b| *b == b'\'') {
                    Some(k) => low.get(k + 1..).unwrap_or(""),
                    None => low,
                };
                let m = marker_fast(w, || {
                    let n = word_span_from(s, en).map_or("", |(a, b)| trimmed_word(s, a, b));
                    n.len() == 2 && n.eq_ignore_ascii_case("to")
                });
                (matches!(low, "on" | "in" | "at" | "by"), m)
            }
            None => (false, None),
        };
        let before_lower = trimmed_word(s, before.0, before.1).to_ascii_lowercase();
        let m = m.filter(|_| !participle_after_be(m, before_lower.as_bytes()));
        words.push((sentence.start + st, sentence.start + en, prep, m));
    }
}

/// A word for [`SentenceWords::push`]: its span, and the start of its first letter, the start
/// of its last run of letters and the end of its last letter.
pub(crate) type WordRun = ((usize, usize), (usize, usize, usize));

/// Classifies the words of one sentence given as spans, for [`tense_from_words`]: the same
/// [`Word`]s as [`sentence_words_into`], from word spans the caller already has (the time
/// parser's tokens), with the lower-case text of the chunk at hand so no word is lower-cased
/// again. Offsets are those of `text` and `low` (a chunk of the text and its ASCII lower case).
pub(crate) struct SentenceWords<'t> {
    text: &'t str,
    low: &'t str,
    sentence: TextRange,
    /// Trimmed lower-case text of the last two words, for the cut-off pairs.
    before: &'t [u8],
    before2: &'t [u8],
}

impl<'t> SentenceWords<'t> {
    pub(crate) fn new(text: &'t str, low: &'t str, sentence: TextRange) -> SentenceWords<'t> {
        SentenceWords {
            text,
            low,
            sentence,
            before: &[],
            before2: &[],
        }
    }

    /// Appends the word at `start..end` (a maximal run of letters and ASCII apostrophes inside
    /// the sentence), whose text without leading and trailing apostrophes is at
    /// `trim_start..trim_end` (empty for a run of apostrophes alone) and whose last run of
    /// letters starts at `tail_start` (the part after its last apostrophe).
    pub(crate) fn push(
        &mut self,
        words: &mut Vec<Word>,
        (start, end): (usize, usize),
        (trim_start, tail_start, trim_end): (usize, usize, usize),
    ) {
        // `raw` of `sentence_words_into`, lower case: every test below ignores ASCII case.
        // Bytes: no char-boundary checks, and the lists are ASCII.
        let bytes = self.low.as_bytes();
        let low = bytes.get(trim_start..trim_end).unwrap_or(&[]);
        let before = std::mem::replace(&mut self.before, low);
        let before2 = std::mem::replace(&mut self.before2, before);
        if matches!(low, b"of" | b"to" | b"for") {
            let cut = CUT_OFF_WORDS.iter().any(|(a, b, c)| {
                low == c.as_bytes()
                    && before == b.as_bytes()
                    && (a.is_empty() || before2 == a.as_bytes())
            });
            if cut {
                words.push((start, end, false, Some((Tense::Unknown, false))));
                return;
            }
        }
        // `may_matter`, with the part after the last apostrophe known from the tokens.
        let tail = bytes.get(tail_start..trim_end).unwrap_or(&[]);
        let may_matter = low.len() <= MAX_MARKER_LEN
            && (low.len() == 2
                || has_marker_shape(tail)
                || (tail.len() >= 4 && tail.ends_with(b"ed")));
        // `lower_into` gives up on long and non-ASCII words.
        if !may_matter || !low.is_ascii() {
            words.push((start, end, false, None));
            return;
        }
        let Some(w) = self.low.get(tail_start..trim_end) else {
            words.push((start, end, false, None));
            return;
        };
        let m = marker_fast(w, || {
            let s = self
                .text
                .get(self.sentence.start..self.sentence.end)
                .unwrap_or("");
            let from = end.saturating_sub(self.sentence.start);
            let n = word_span_from(s, from).map_or("", |(a, b)| trimmed_word(s, a, b));
            n.len() == 2 && n.eq_ignore_ascii_case("to")
        });
        let m = m.filter(|_| !participle_after_be(m, before));
        let prep = matches!(low, b"on" | b"in" | b"at" | b"by");
        words.push((start, end, prep, m));
    }
}

/// True for a past-tense marker right after "be" or "being" ("will be held", "is being
/// built"): a participle there names no time; the word before "be" ("will", "was") does.
fn participle_after_be(marker: Option<(Tense, bool)>, before_lower: &[u8]) -> bool {
    matches!(marker, Some((Tense::Past, _))) && matches!(before_lower, b"be" | b"being")
}

/// Tense of the phrase at `phrase` inside `sentence` (both byte ranges of `text`): the tense of
/// the nearest marker word, or `Unknown`.
#[cfg(test)]
pub(crate) fn tense_at(text: &str, sentence: TextRange, phrase: TextRange) -> Tense {
    tense_from_words(&sentence_words(text, sentence), phrase)
}

/// The reporting verb right before a phrase, across a preposition ("reported early Tuesday",
/// "said on Monday"): the phrase then dates the report, not the event reported.
pub(crate) fn reporting_verb_before(words: &[Word], phrase: TextRange) -> Option<TextRange> {
    let before_end = words.partition_point(|x| x.1 <= phrase.start);
    let mut k = before_end.checked_sub(1)?;
    if words.get(k)?.2 {
        k = k.checked_sub(1)?;
    }
    let (start, end, _, marker) = *words.get(k)?;
    matches!(marker, Some((_, true))).then(|| TextRange::new(start, end))
}

/// Tense of the phrase from the words of its sentence.
/// How many words away a tense marker may stand and still decide a phrase's tense.
const MARKER_REACH: usize = 40;

pub(crate) fn tense_from_words(words: &[Word], phrase: TextRange) -> Tense {
    // Distance in words. Reporting verbs ("said", "reported") tell when something was said, not
    // when it happens: they count only right next to the phrase ("said on Friday"), else they
    // rank behind other markers ("is expected to arrive later in the day, Yonhap said").
    // Words are in text order: binary searches, and only markers within MARKER_REACH words
    // count, so a phrase in a huge run-on "sentence" costs the same as in a normal one.
    let first_after = words.partition_point(|x| x.0 < phrase.end);
    let before_end = words.partition_point(|x| x.1 <= phrase.start);
    let last_before = before_end.checked_sub(1);
    let from = before_end.saturating_sub(MARKER_REACH);
    let to = (first_after + MARKER_REACH).min(words.len());
    let mut best: Option<(usize, bool, Tense)> = None;
    for (k, (ws, we, _, m)) in words.iter().enumerate().take(to).skip(from) {
        let Some((t, reporting)) = *m else { continue };
        if phrase.start <= *ws && *we <= phrase.end {
            continue;
        }
        if t == Tense::Unknown {
            // A cut-off pair ("ahead of") or a schedule verb ("ends") right before the phrase,
            // maybe across a preposition ("ends on Friday"): no marker decides it.
            let across_preposition = last_before
                .filter(|l| *l == k + 1)
                .and_then(|l| words.get(l))
                .is_some_and(|x| x.2);
            if Some(k) == last_before || across_preposition {
                return Tense::Unknown;
            }
            continue;
        }
        let before = *we <= phrase.start;
        let mut dist = if before {
            last_before.map_or(0, |l| l.saturating_sub(k))
        } else {
            k.saturating_sub(first_after)
        };
        // "on Friday": the preposition does not separate the verb from its date.
        if before && dist == 1 && last_before.and_then(|l| words.get(l)).is_some_and(|x| x.2) {
            dist = 0;
        }
        if reporting && dist > 0 {
            dist += 4;
        }
        // Ties go to the marker before the phrase: the verb a time adjunct follows.
        let better = match best {
            None => true,
            Some((d, b, _)) => dist < d || (dist == d && before && !b),
        };
        if better {
            best = Some((dist, before, t));
        }
    }
    best.map(|(_, _, t)| t).unwrap_or(Tense::Unknown)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tense(text: &str, phrase: &str) -> Tense {
        let at = text.find(phrase).unwrap();
        let r = TextRange::new(at, at + phrase.len());
        let s = sentences(text)
            .into_iter()
            .find(|s| s.contains(&r))
            .unwrap();
        tense_at(text, s, r)
    }

    #[test]
    fn nearest_marker_decides() {
        assert_eq!(
            tense("Kim left Pyongyang late Monday.", "late Monday"),
            Tense::Past
        );
        assert_eq!(
            tense("He will attend on Wednesday.", "on Wednesday"),
            Tense::Future
        );
        assert_eq!(
            tense(
                "The train is expected to arrive on Wednesday.",
                "on Wednesday"
            ),
            Tense::Future
        );
        assert_eq!(
            tense(
                "It places him there during Wednesday's parade.",
                "Wednesday"
            ),
            Tense::Unknown
        );
        assert_eq!(
            tense(
                "Kim, who arrived on Tuesday, will attend the parade on Wednesday.",
                "on Tuesday"
            ),
            Tense::Past
        );
    }

    #[test]
    fn word_lists_are_sorted() {
        for list in [
            FUTURE_WORDS,
            PAST_IRREGULAR,
            NOT_PAST_ED,
            REPORTING,
            SCHEDULE_VERBS,
        ] {
            assert!(list.windows(2).all(|w| w[0] < w[1]), "{list:?}");
        }
    }

    #[test]
    fn reporting_verb_right_before_a_phrase_is_marked() {
        let text =
            "KCNA reported early Tuesday that Kim left on Monday, officials said on Wednesday.";
        let sentence = TextRange::new(0, text.len());
        let words = sentence_words(text, sentence);
        let at = |phrase: &str| {
            let start = text.find(phrase).expect("phrase in text");
            reporting_verb_before(&words, TextRange::new(start, start + phrase.len()))
                .map(|r| &text[r.start..r.end])
        };
        assert_eq!(at("early Tuesday"), Some("reported"));
        assert_eq!(at("Monday"), None, "'left on Monday' dates the event");
        assert_eq!(
            at("Wednesday"),
            Some("said"),
            "'said on Wednesday' across the preposition"
        );
    }

    #[test]
    fn reporting_verbs_rank_behind_other_markers() {
        let text = "The train is expected to arrive later in the day, Yonhap said.";
        assert_eq!(tense(text, "later in the day"), Tense::Future);
        let text = "Officials said on Friday it will resume talks.";
        assert_eq!(tense(text, "Friday"), Tense::Past);
        let text = "State media reported Monday that he inspected a factory.";
        assert_eq!(tense(text, "Monday"), Tense::Past);
    }

    #[test]
    fn marker_fast_agrees_with_marker() {
        let mut words: Vec<&str> = MARKER_WORDS.keys().copied().collect();
        words.extend(TAKES_TO);
        words.extend([
            "ll", "to", "on", "walked", "bed", "red", "sed", "ed", "the", "monday", "setter",
            "dues", "willed", "planned", "x", "",
        ]);
        for w in words {
            for next_is_to in [false, true] {
                let next = next_is_to.then_some("to");
                let want = marker(w, next).map(|t| (t, is_reporting(w)));
                assert_eq!(marker_fast(w, || next_is_to), want, "{w:?} before {next:?}");
            }
        }
    }

    #[test]
    fn sentence_around_is_the_sentence_that_holds_the_byte() {
        let texts = [
            "He left Sept. 3 at noon. Then.",
            "Kim left Pyongyang late Monday! Will he return? \"Yes.\" 20 hours later\n\nNo. \u{e9}t\u{e9}. x",
            "...\n\n?! A. B.",
            "no end at all",
            "U.S. officials said on Monday. 7 p.m. was late. Mr. Kim went.",
        ];
        for text in texts {
            let all = sentences(text);
            for at in (0..text.len()).filter(|&i| text.is_char_boundary(i)) {
                let want = all
                    .iter()
                    .copied()
                    .find(|s| s.start <= at && at < s.end)
                    .unwrap();
                assert_eq!(sentence_around(text, at, 0), want, "{text:?} at {at}");
                assert_eq!(
                    sentence_around(text, at, want.start),
                    want,
                    "{text:?} at {at}"
                );
            }
        }
    }

    #[test]
    fn abbreviations_do_not_split_sentences() {
        assert_eq!(sentences("He left Sept. 3 at noon. Then.").len(), 2);
    }
}
