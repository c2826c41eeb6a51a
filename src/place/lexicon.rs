//! The word lists of the toponym search: stoplist, demonyms, descriptions and frequent English
//! words, all under `data/place/`.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use super::gazetteer::name_hash;
use super::normalize::normalize_name;
use super::tsv;

const STOPLIST: &str = include_str!("../../data/place/stoplist.tsv");
const DEMONYMS: &str = include_str!("../../data/place/demonyms.tsv");
const DESCRIPTIONS: &str = include_str!("../../data/place/descriptions.tsv");
const COMMON_WORDS: &str = include_str!("../../data/place/common_words.tsv");

/// What a phrase of the word lists means.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Phrase {
    /// Never a place (a common word, a person, an organisation).
    Stop,
    /// A demonym: not a place, a hint at a country (ISO2).
    Demonym(String),
    /// A description naming one of these gazetteer ids.
    Description(Vec<String>),
}

pub(crate) struct Lexicon {
    /// Normalised phrase to meaning.
    pub phrases: HashMap<String, Phrase>,
    /// Normalised one-word names that are frequent English words.
    pub common_words: HashSet<String>,
    /// Longest phrase, in words.
    pub max_words: usize,
    /// A bit per [`PHRASE_FILTER_BITS`] slot of the [`name_hash`] of every key of `phrases`:
    /// the toponym search builds a phrase's key only when its bit is set.
    phrase_filter: Box<[u64]>,
    /// The same kind of filter of the first word of every key of `phrases` (the part before
    /// the first space): a capitalised word whose bit is clear starts no phrase, so the toponym
    /// search tries only the lengths a gazetteer name can have from it.
    first_word_filter: Box<[u64]>,
}

/// Slots of [`Lexicon::phrase_filter`]: a few hundred phrases leave most of 65,536 bits clear.
const PHRASE_FILTER_BITS: usize = 1 << 16;

fn phrase_filter_slot(hash: u64) -> usize {
    // Top bits of the hash mixed again (FNV's low bits are weak).
    (hash.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 48) as usize % PHRASE_FILTER_BITS
}

impl Lexicon {
    pub fn embedded() -> &'static Lexicon {
        static L: OnceLock<Lexicon> = OnceLock::new();
        L.get_or_init(|| Lexicon::parse_embedded().expect("embedded place lexicon parses (tested)"))
    }

    /// # Errors
    ///
    /// `data/place/<file>:<line>: ...` for the first malformed or duplicate row.
    pub fn parse_embedded() -> Result<Lexicon, String> {
        let mut phrases = HashMap::new();
        let mut add = |file: &str, line: usize, phrase: &str, meaning: Phrase| {
            let key = normalize_name(phrase);
            if key.is_empty() {
                return Err(format!(
                    "{file}:{line}: expected a phrase, found {phrase:?}"
                ));
            }
            if phrases.insert(key, meaning).is_some() {
                return Err(format!("{file}:{line}: duplicate phrase {phrase:?}"));
            }
            Ok(())
        };
        const STOP_FILE: &str = "data/place/stoplist.tsv";
        for row in tsv::rows(STOP_FILE, STOPLIST, "phrase\tsource")? {
            add(STOP_FILE, row.line, row.fields[0], Phrase::Stop)?;
        }
        const DEMONYM_FILE: &str = "data/place/demonyms.tsv";
        for row in tsv::rows(DEMONYM_FILE, DEMONYMS, "demonym\tiso2\tsource")? {
            let iso2 = row.fields[1];
            if iso2.len() != 2 || !iso2.bytes().all(|b| b.is_ascii_uppercase()) {
                return Err(format!(
                    "{DEMONYM_FILE}:{}: expected an ISO 3166-1 alpha-2 code, found {iso2:?}",
                    row.line
                ));
            }
            add(
                DEMONYM_FILE,
                row.line,
                row.fields[0],
                Phrase::Demonym(iso2.to_string()),
            )?;
        }
        const DESCRIPTION_FILE: &str = "data/place/descriptions.tsv";
        for row in tsv::rows(DESCRIPTION_FILE, DESCRIPTIONS, "phrase\ttargets\tsource")? {
            let targets: Vec<String> = row.fields[1]
                .split('|')
                .filter(|t| !t.is_empty())
                .map(str::to_string)
                .collect();
            if targets.is_empty() {
                return Err(format!(
                    "{DESCRIPTION_FILE}:{}: expected gazetteer ids, found none",
                    row.line
                ));
            }
            add(
                DESCRIPTION_FILE,
                row.line,
                row.fields[0],
                Phrase::Description(targets),
            )?;
        }
        let mut common_words = HashSet::new();
        for row in tsv::rows(
            "data/place/common_words.tsv",
            COMMON_WORDS,
            "word\tzipf\tsource",
        )? {
            common_words.insert(normalize_name(row.fields[0]));
        }
        let max_words = phrases
            .keys()
            .map(|k| k.split(' ').count())
            .max()
            .unwrap_or(1);
        let mut phrase_filter = vec![0u64; PHRASE_FILTER_BITS / 64].into_boxed_slice();
        for key in phrases.keys() {
            let slot = phrase_filter_slot(name_hash(key));
            phrase_filter[slot / 64] |= 1 << (slot % 64);
        }
        let mut first_word_filter = vec![0u64; PHRASE_FILTER_BITS / 64].into_boxed_slice();
        for key in phrases.keys() {
            let first_word = key.split(' ').next().unwrap_or(key);
            let slot = phrase_filter_slot(name_hash(first_word));
            first_word_filter[slot / 64] |= 1 << (slot % 64);
        }
        Ok(Lexicon {
            phrases,
            common_words,
            max_words,
            phrase_filter,
            first_word_filter,
        })
    }

    /// False when no phrase has a key with this [`name_hash`] (true does not promise one).
    pub fn may_have_hash(&self, hash: u64) -> bool {
        let slot = phrase_filter_slot(hash);
        self.phrase_filter[slot / 64] & (1 << (slot % 64)) != 0
    }

    /// False when no phrase's key starts with a word whose [`name_hash`] is `hash` (the word
    /// being the whole key or followed by a space); true does not promise one.
    pub fn may_start_with_hash(&self, hash: u64) -> bool {
        let slot = phrase_filter_slot(hash);
        self.first_word_filter[slot / 64] & (1 << (slot % 64)) != 0
    }

    /// Every description target, for the test that checks they resolve.
    pub fn description_targets(&self) -> impl Iterator<Item = &str> {
        self.phrases.values().flat_map(|p| match p {
            Phrase::Description(t) => t.iter().map(String::as_str).collect::<Vec<_>>(),
            _ => Vec::new(),
        })
    }
}
