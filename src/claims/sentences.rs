//! Sentences and page furniture.
//!
//! Splits text into sentences (line breaks end sentences too: headlines, bullets and captions
//! stand alone) and marks what is not article prose: sidebars after "Related stories", menu and
//! share lines, and bullet points of summaries.

use super::lexicon::lexicon;
use crate::text::TextRange;

/// What part of the page a sentence comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Section {
    /// Article prose.
    Body,
    /// A bullet point (often a machine summary above the article).
    Bullet,
    /// A headline, caption or menu line: too short or unpunctuated to be prose.
    Fragment,
    /// Sidebars, related stories, share buttons.
    Furniture,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sentence {
    pub range: TextRange,
    pub section: Section,
}

/// Abbreviations after which a full stop does not end a sentence.
#[rustfmt::skip]
const ABBREVIATIONS: &[&str] = &[
    "a.m", "apr", "aug", "col", "dec", "dr", "feb", "gen", "gov", "jan", "jr", "jul", "jun",
    "lt", "mar", "mr", "mrs", "ms", "no", "nov", "oct", "p.m", "prof", "rep", "sen", "sep",
    "sept", "sgt", "st", "u.k", "u.n", "u.s", "vs",
];

/// The length of the longest of [`ABBREVIATIONS`].
const LONGEST_ABBREVIATION_BYTES: usize = {
    let mut longest = 0;
    let mut i = 0;
    while i < ABBREVIATIONS.len() {
        if ABBREVIATIONS[i].len() > longest {
            longest = ABBREVIATIONS[i].len();
        }
        i += 1;
    }
    longest
};

fn normalise_line(line: &str) -> String {
    line_core(line).replace('’', "'").to_lowercase()
}

/// The line without surrounding spaces and punctuation: what [`normalise_line`] folds.
fn line_core(line: &str) -> &str {
    line.trim()
        .trim_matches(|c: char| c.is_ascii_punctuation() && c != '\'' && c != '?' && c != '.')
        .trim()
}

/// True when `line` can be a boilerplate line: folding keeps at least a quarter of a core's
/// bytes (no character's lower case is shorter than a quarter of it), so a core over four
/// times the longest pattern cannot match, and most prose lines skip the folding.
fn may_be_boilerplate(line: &str, longest_pattern_bytes: usize) -> bool {
    line_core(line).len() <= 4 * longest_pattern_bytes
}

/// Splits `text` into sentences with their section.
pub fn split_sentences(text: &str) -> Vec<Sentence> {
    let lex = lexicon();
    let mut out = Vec::new();
    let mut in_furniture = false;
    let mut line_start = 0;
    let mut line_sentences = Vec::new();
    for line in lines_inclusive(text) {
        let start = line_start;
        line_start += line.len();
        let trimmed = line.trim();
        if trimmed.is_empty() {
            continue;
        }
        let norm =
            may_be_boilerplate(trimmed, lex.boiler_max_bytes).then(|| normalise_line(trimmed));
        if norm.as_ref().is_some_and(|n| lex.boiler_start.contains(n)) {
            in_furniture = true;
        }
        let line_section =
            if in_furniture || norm.as_ref().is_some_and(|n| lex.boiler_line.contains(n)) {
                Section::Furniture
            } else if trimmed.starts_with(['•', '*', '-', '–', '·', '▪']) {
                Section::Bullet
            } else {
                Section::Body
            };
        // One buffer for every line's sentences.
        line_sentences.clear();
        split_line(line, start, &mut line_sentences);
        for &range in &line_sentences {
            let s = &text[range.start..range.end];
            let section = if line_section == Section::Body && is_fragment(s) {
                Section::Fragment
            } else {
                line_section
            };
            out.push(Sentence { range, section });
        }
    }
    out
}

/// The lines of `text` with their line breaks, as `split_inclusive('\n')` gives them, found by
/// a vectorised byte search.
fn lines_inclusive(text: &str) -> impl Iterator<Item = &str> {
    let mut start = 0;
    std::iter::from_fn(move || {
        let rest = text.get(start..).filter(|r| !r.is_empty())?;
        let len = memchr::memchr(b'\n', rest.as_bytes()).map_or(rest.len(), |i| i + 1);
        start += len;
        rest.get(..len)
    })
}

/// The longest run of text still read as one sentence; longer runs (a page with no full
/// stops, a scraped table) are not prose, and reading them as one would cost quadratic time.
const MAX_SENTENCE_BYTES: usize = 4096;

/// Prose has a few words and ends like a sentence.
fn is_fragment(sentence: &str) -> bool {
    if sentence.len() > MAX_SENTENCE_BYTES {
        return true;
    }
    let t = sentence.trim();
    let ends_like_prose = t.ends_with(['.', '!', '?', '"', '”', '’', ':', ')']);
    // Five words are enough to know it is not too short.
    !ends_like_prose || has_fewer_words(t, 5)
}

/// True when `text` has fewer than `n` words, as `split_whitespace` splits it. Every sentence
/// is asked: the words are counted a byte at a time while the text is ASCII, and by
/// `split_whitespace` itself once a non-ASCII byte comes before the answer.
fn has_fewer_words(text: &str, n: usize) -> bool {
    let mut words = 0;
    let mut in_word = false;
    for &b in text.as_bytes() {
        if !b.is_ascii() {
            return text.split_whitespace().take(n).count() < n;
        }
        // `char::is_whitespace` on ASCII: tab, line feed, vertical tab, form feed, carriage
        // return and space.
        let space = matches!(b, b'\t'..=b'\r' | b' ');
        if !space && !in_word {
            words += 1;
            if words == n {
                return false;
            }
        }
        in_word = !space;
    }
    true
}

/// Appends the sentences of `line` (which starts at byte `base` of the text) to `out`.
fn split_line(line: &str, base: usize, out: &mut Vec<TextRange>) {
    let bytes = line.as_bytes();
    let mut start = 0;
    let mut i = 0;
    // Sentence ends are rare among the bytes: find each with a vectorised search.
    while let Some(found) = memchr::memchr3(b'.', b'!', b'?', &bytes[i..]) {
        i += found;
        let c = bytes[i];
        let mut end = i + 1;
        while end < bytes.len() && matches!(bytes[end], b'"' | b'\'' | b')') {
            end += 1;
        }
        // Closing curly quotes are three bytes.
        while line[end..].starts_with(['”', '’']) {
            end += 3;
        }
        let next_is_space = end >= bytes.len() || bytes[end].is_ascii_whitespace();
        let next_word_upper =
            line[end..].trim_start().chars().next().is_none_or(|ch| {
                ch.is_uppercase() || ch == '"' || ch == '“' || ch.is_ascii_digit()
            });
        let full_stop_ends = c == b'.' && next_word_upper && !is_abbreviation(&line[start..i]);
        if next_is_space && (c != b'.' || full_stop_ends) {
            push_trimmed(out, line, base, start, end);
            start = end;
        }
        i = end.max(i + 1);
    }
    push_trimmed(out, line, base, start, line.len());
}

fn is_abbreviation(before: &str) -> bool {
    let word = before
        .rsplit(|c: char| c.is_whitespace() || c == '(')
        .next()
        .unwrap_or("");
    // An ASCII word folds in place: no allocation for each full stop.
    if word.is_ascii() {
        let initial = word.len() == 1 && word.as_bytes()[0].is_ascii_alphabetic();
        // Most words before a full stop are longer than any abbreviation.
        return initial
            || (word.len() <= LONGEST_ABBREVIATION_BYTES
                && ABBREVIATIONS.iter().any(|a| a.eq_ignore_ascii_case(word)));
    }
    let word = word.to_lowercase();
    // Single capital letters ("Kim J. Un") and listed abbreviations.
    let initial = word.len() == 1 && word.chars().all(|c| c.is_alphabetic());
    initial || ABBREVIATIONS.contains(&word.as_str())
}

fn push_trimmed(out: &mut Vec<TextRange>, line: &str, base: usize, start: usize, end: usize) {
    let Some(seg) = line.get(start..end) else {
        return;
    };
    let from_first_word = seg.trim_start();
    if from_first_word.is_empty() {
        return;
    }
    let lead = seg.len() - from_first_word.len();
    let trail = seg.len() - seg.trim_end().len();
    out.push(TextRange::new(base + start + lead, base + end - trail));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_those_of_split_inclusive() {
        for text in [
            "",
            "\n",
            "\n\n",
            "a",
            "a\n",
            "a\nb",
            "a\r\n\nb\n",
            "é\n平壤\nx",
        ] {
            let ours: Vec<&str> = lines_inclusive(text).collect();
            let std: Vec<&str> = text.split_inclusive('\n').collect();
            assert_eq!(ours, std, "{text:?}");
        }
    }

    fn texts(t: &str) -> Vec<(String, Section)> {
        split_sentences(t)
            .into_iter()
            .map(|s| (t[s.range.start..s.range.end].to_string(), s.section))
            .collect()
    }

    #[test]
    fn words_are_counted_as_split_whitespace_counts_them() {
        for text in [
            "",
            " ",
            "a",
            "a b c d",
            "a b c d e",
            "  a\tb\x0bc\x0cd\re\n",
            "a b\u{a0}c d e",
            "a b c d\u{2003}e",
            "é b c d e",
            "a b c d e f",
        ] {
            for n in 1..7 {
                let counted = text.split_whitespace().take(n).count() < n;
                assert_eq!(has_fewer_words(text, n), counted, "{text:?} {n}");
            }
        }
    }

    #[test]
    fn splits_sentences_but_not_abbreviations() {
        let got = texts("He left at 7 p.m. on Sept. 1. The train is slow, officials said.\n");
        assert_eq!(got.len(), 2, "{got:?}");
        assert_eq!(got[0].0, "He left at 7 p.m. on Sept. 1.");
    }

    #[test]
    fn related_stories_tail_is_furniture() {
        let got = texts("Kim left Pyongyang on Monday evening, media said.\nRelated stories\nKim travelled to Vladivostok by train in April 2019.\n");
        assert_eq!(got[0].1, Section::Body);
        assert_eq!(got[2].1, Section::Furniture);
    }

    #[test]
    fn bullets_and_headlines_are_marked() {
        let got = texts("• Kim travelled by private train to Beijing for a parade on Tuesday\nKim Takes The Train\n");
        assert_eq!(got[0].1, Section::Bullet);
        assert_eq!(got[1].1, Section::Fragment);
    }
}
