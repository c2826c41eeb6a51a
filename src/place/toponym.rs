//! Toponym search: names, descriptions and countries in text, resolved among homonyms by context.
//!
//! The search runs in three passes.
//! 1. Scan: at each capitalised word (or CJK character) take the longest phrase that is a
//!    gazetteer name, a description, a demonym or a stoplist entry. Stoplist entries and demonyms
//!    are consumed without producing a place, so "Korean Central News Agency" or "North Korean"
//!    never yield "Central" or "North".
//! 2. Context: the countries the text names (countries, demonyms, `<demonym> capital`), plus the
//!    caller's [`PlaceContext`]. One-word names that are risky (frequent English words, words at
//!    the start of a sentence, words inside a longer proper name, small towns known only by an
//!    alternate name) must be backed by that context.
//! 3. Choice: each candidate is scored by how well the name belongs to it (own name vs GeoNames
//!    alternate), whether its country is in context, its distance to the unambiguous places of
//!    the text, and only then its population. The score shares give the confidence.

use std::collections::{BTreeSet, HashMap};

use unicode_normalization::char::is_combining_mark;

use super::gazetteer::{name_hash, NameHit, NameStrength};
use super::lexicon::{Lexicon, Phrase};
use super::normalize::{is_apostrophe, is_dash, normalize_append};
use super::{Gazetteer, MatchKind, Place, PlaceKind, PlaceMention};
use crate::text::TextRange;

/// What the caller already knows about the journey: countries and places named by other
/// articles. It steers homonyms ("Pingxiang" near Vietnam) but never adds mentions.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PlaceContext {
    /// ISO 3166-1 alpha-2 codes.
    pub countries: Vec<String>,
    /// Gazetteer ids.
    pub places: Vec<String>,
}

/// A phrase that points at a country without naming a place: a demonym ("North Korean leader")
/// or the country's own name.
#[derive(Clone, Debug, PartialEq)]
pub struct CountryHint {
    pub range: TextRange,
    pub text: String,
    /// ISO 3166-1 alpha-2.
    pub country: String,
}

/// Places named in `text`, in text order, without outside context.
///
/// # Examples
///
/// ```
/// use retrace::place::{find_places, Gazetteer};
/// let g = Gazetteer::embedded();
/// let found = find_places("The train left P'yŏngyang for Beijing's main station.", g);
/// let ids: Vec<&str> = found.iter().map(|m| m.place_id.as_str()).collect();
/// assert_eq!(ids, ["gn:1871859", "gn:1816670"]);
/// ```
pub fn find_places(text: &str, gazetteer: &Gazetteer) -> Vec<PlaceMention> {
    find_places_in_context(text, gazetteer, &PlaceContext::default())
}

/// Places named in `text`, with homonyms resolved using `context` as well as the text itself.
pub fn find_places_in_context(
    text: &str,
    gazetteer: &Gazetteer,
    context: &PlaceContext,
) -> Vec<PlaceMention> {
    let lexicon = Lexicon::embedded();
    let raw = with_tokens(text, |tokens| scan(text, tokens, gazetteer, lexicon));
    resolve(raw, gazetteer, context)
}

/// Countries the text points at: country names and demonyms, in text order.
pub fn country_hints(text: &str, gazetteer: &Gazetteer) -> Vec<CountryHint> {
    let lexicon = Lexicon::embedded();
    let mut hints = Vec::new();
    let raw = with_tokens(text, |tokens| scan(text, tokens, gazetteer, lexicon));
    for m in raw {
        match &m.what {
            Found::Demonym(iso2) => hints.push(CountryHint {
                range: m.range,
                text: m.text.clone(),
                country: iso2.clone(),
            }),
            Found::Names(hits) => {
                if let Some(country) = hits
                    .iter()
                    .map(|h| gazetteer.place(h.place))
                    .find(|p| p.kind == PlaceKind::Country)
                {
                    hints.push(CountryHint {
                        range: m.range,
                        text: m.text.clone(),
                        country: country.country.clone(),
                    });
                }
            }
            Found::Description(_) | Found::Stop => {}
        }
    }
    hints
}

// ---------------------------------------------------------------------------------------------
// Tokens

#[derive(Clone, Debug)]
struct Token {
    start: usize,
    end: usize,
    /// End before a possessive "'s" ("Beijing's" → "Beijing"), else `end`.
    stem_end: usize,
    /// Normalised text of `start..end` and of `start..stem_end`, as byte ranges of
    /// [`Tokens::keys`] (one buffer for the whole text rather than two strings per word), or,
    /// flagged with [`KEY_IN_TEXT`], of the text itself.
    key: (u32, u32),
    stem_key: (u32, u32),
    cjk: bool,
    /// Starts with a capital letter (or is CJK).
    capitalised: bool,
    /// Letters all capitals ("DPRK", "BEIJING").
    all_caps: bool,
    /// At a sentence start; computed for capitalised words only.
    sentence_start: bool,
}

/// The words of a text and their normalised keys.
struct Tokens {
    list: Vec<Token>,
    keys: String,
}

/// Marks the start of a key range that is in the text (the tokens' text) rather than in
/// [`Tokens::keys`]: a word of lower-case ASCII letters and digits is its own key, and most
/// words are such words, so their keys are not copied (normalising every word was a sixth of
/// the place search).
const KEY_IN_TEXT: u32 = 1 << 31;

impl Tokens {
    /// The key of `t`; `text` is the text the tokens are of.
    fn key<'a>(&'a self, text: &'a str, t: &Token) -> &'a str {
        self.key_range(text, t.key)
    }

    fn stem_key<'a>(&'a self, text: &'a str, t: &Token) -> &'a str {
        self.key_range(text, t.stem_key)
    }

    #[inline]
    fn key_range<'a>(&'a self, text: &'a str, (from, to): (u32, u32)) -> &'a str {
        if from & KEY_IN_TEXT != 0 {
            &text[(from & !KEY_IN_TEXT) as usize..to as usize]
        } else {
            &self.keys[from as usize..to as usize]
        }
    }
}

/// Han, kana and Hangul: scripts written without spaces between words.
fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF
        | 0xAC00..=0xD7A3 | 0x1100..=0x11FF | 0x3130..=0x318F | 0x20000..=0x2FA1F)
}

#[inline]
fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    (c.is_alphanumeric() || is_combining_mark(c)) && !is_cjk(c)
}

/// True when only spaces, opening quotes or brackets lie between the last sentence end (or line
/// break, or text start) and `start`.
fn starts_sentence(text: &str, start: usize) -> bool {
    for c in text[..start].chars().rev() {
        match c {
            ' ' | '\t' | '\u{a0}' | '"' | '“' | '‘' | '\'' | '(' | '[' | '«' | '•' | '*' | '-'
            | '–' | '—' => continue,
            '.' | '!' | '?' | ':' | ';' | '\n' | '\r' | '…' | '|' => return true,
            _ => return false,
        }
    }
    true
}

/// Buffers of tokens kept above this many bytes are not kept for the next text.
const KEEP_TOKEN_BUFFER_BYTES: usize = 1 << 20;

thread_local! {
    /// The token buffers of the last text this thread searched, reused for the next: a scan
    /// searches every article, and allocating room for each one's words costs more than
    /// reading them.
    static TOKEN_BUFFERS: std::cell::RefCell<Tokens> = const {
        std::cell::RefCell::new(Tokens { list: Vec::new(), keys: String::new() })
    };
}

/// Runs `f` on the tokens of `text`, in this thread's reused buffers when they are free.
fn with_tokens<R>(text: &str, f: impl FnOnce(&Tokens) -> R) -> R {
    TOKEN_BUFFERS.with(|buffers| {
        let Ok(mut tokens) = buffers.try_borrow_mut() else {
            return f(&tokenize(
                text,
                Tokens {
                    list: Vec::new(),
                    keys: String::new(),
                },
            ));
        };
        let taken = std::mem::replace(
            &mut *tokens,
            Tokens {
                list: Vec::new(),
                keys: String::new(),
            },
        );
        *tokens = tokenize(text, taken);
        let result = f(&tokens);
        let bytes = tokens.list.capacity() * std::mem::size_of::<Token>() + tokens.keys.capacity();
        if bytes > KEEP_TOKEN_BUFFER_BYTES {
            *tokens = Tokens {
                list: Vec::new(),
                keys: String::new(),
            };
        }
        result
    })
}

/// The words of `text`, in the buffers of `reuse` (cleared first).
fn tokenize(text: &str, reuse: Tokens) -> Tokens {
    let Tokens {
        list: mut tokens,
        mut keys,
    } = reuse;
    tokens.clear();
    keys.clear();
    let bytes = text.as_bytes();
    let mut pos = 0;
    // Most of a text is ASCII spaces, punctuation and words of lower-case letters and digits:
    // those are read here a byte class at a time, and everything else (capitalised words,
    // other scripts, apostrophes) by `read_token`. Both give the same tokens: `read_token`
    // skips an ASCII byte that is no letter or digit, and makes a word of lower-case letters
    // and digits ending before an ASCII byte that is no apostrophe into its own key.
    while let Some(&b) = bytes.get(pos) {
        let class = ASCII_WORD_BYTES[usize::from(b)];
        if b.is_ascii() && class & ALNUM == 0 {
            pos += 1;
            continue;
        }
        if class & LOWER_OR_DIGIT != 0 {
            let start = pos;
            // The first byte is a lower-case letter or a digit.
            let (end, plain) = ascii_alnum_run(bytes, pos + 1);
            // Ends the word for `read_token` too: a non-ASCII letter or an apostrophe would
            // continue it.
            let ends_plainly = bytes
                .get(end)
                .is_none_or(|&next| next.is_ascii() && next != b'\'' && next != b'`');
            let own_key = text_key(start, end).filter(|_| plain && ends_plainly);
            if let Some(key) = own_key {
                tokens.push(Token {
                    start,
                    end,
                    stem_end: end,
                    key,
                    stem_key: key,
                    cjk: false,
                    capitalised: false,
                    all_caps: false,
                    sentence_start: false,
                });
                pos = end;
                continue;
            }
        }
        pos = read_token(text, pos, &mut tokens, &mut keys);
    }
    Tokens { list: tokens, keys }
}

/// Where the run of ASCII letters and digits from byte `pos` of `bytes` ends, and whether
/// all of it is lower-case letters and digits.
#[inline]
fn ascii_alnum_run(bytes: &[u8], mut pos: usize) -> (usize, bool) {
    let mut plain = true;
    while let Some(&b) = bytes.get(pos) {
        let class = ASCII_WORD_BYTES[usize::from(b)];
        if class & ALNUM == 0 {
            break;
        }
        plain &= class & LOWER_OR_DIGIT != 0;
        pos += 1;
    }
    (pos, plain)
}

/// The key of a word that is its own key: its byte range in the text, flagged with
/// [`KEY_IN_TEXT`], when the range fits the key's two `u32`s.
#[inline]
fn text_key(start: usize, end: usize) -> Option<(u32, u32)> {
    let start = u32::try_from(start).ok().filter(|s| s & KEY_IN_TEXT == 0)?;
    Some((start | KEY_IN_TEXT, u32::try_from(end).ok()?))
}

/// Whether the letters of `word` are all capitals (and there is one), read as Unicode
/// characters.
fn all_caps_by_chars(word: &str) -> bool {
    let mut letters = word.chars().filter(|c| c.is_alphabetic()).peekable();
    letters.peek().is_some() && letters.all(char::is_uppercase)
}

/// Reads the character at byte `start` of `text` (on a character boundary) and, when it starts
/// a word or is a CJK character, the token there, which it appends to `tokens` (its keys to
/// `keys`). Returns where reading goes on.
fn read_token(text: &str, start: usize, tokens: &mut Vec<Token>, keys: &mut String) -> usize {
    // Appends the key of `word` to `keys` and returns its range.
    fn push_key(word: &str, keys: &mut String) -> (u32, u32) {
        let from = keys.len() as u32;
        normalize_append(word, keys);
        (from, keys.len() as u32)
    }
    let bytes = text.as_bytes();
    let Some(c) = char_at(text, start) else {
        return text.len();
    };
    let mut pos = start + c.len_utf8();
    if !c.is_ascii() && is_cjk(c) {
        let end = pos;
        let key = push_key(&text[start..end], keys);
        tokens.push(Token {
            start,
            end,
            stem_end: end,
            stem_key: key,
            key,
            cjk: true,
            capitalised: true,
            all_caps: false,
            sentence_start: false,
        });
        return pos;
    }
    if !is_word_char(c) || (!c.is_ascii() && is_combining_mark(c)) {
        return pos;
    }
    // Only lower-case ASCII letters and digits so far (tracked while reading the word).
    let mut plain = c.is_ascii_lowercase() || c.is_ascii_digit();
    // Only ASCII letters and digits so far, in any case (most capitalised words).
    let mut ascii_alnum = c.is_ascii();
    // A word runs over letters, digits, marks and apostrophes between letters (P'yŏngyang).
    loop {
        // Plain ASCII letters and digits first: most of a word.
        let (run_end, run_plain) = ascii_alnum_run(bytes, pos);
        pos = run_end;
        plain &= run_plain;
        let Some(d) = char_at(text, pos) else { break };
        let joined = is_word_char(d)
            || (is_apostrophe(d) && char_at(text, pos + d.len_utf8()).is_some_and(is_word_char));
        if !joined {
            break;
        }
        // Not an ASCII letter or digit: a letter of another script, a mark or an apostrophe.
        plain = false;
        ascii_alnum = false;
        pos += d.len_utf8();
    }
    let end = pos;
    let word = &text[start..end];
    // A word of lower-case ASCII letters and digits is its own key (`normalize_append`
    // would copy it as it is), and has no possessive.
    let own_key = text_key(start, end).filter(|_| plain);
    // A possessive needs an apostrophe, which an ASCII letter-and-digit word has not.
    let stem_end = if own_key.is_some() || ascii_alnum {
        end
    } else {
        possessive_stem_end(word).map_or(end, |n| start + n)
    };
    // A word that starts with a lower-case letter is not in capitals. In an ASCII word the
    // letters are the bytes that are not digits: read as bytes, not as Unicode characters.
    let all_caps = !c.is_ascii_lowercase()
        && if ascii_alnum {
            let bytes = word.as_bytes();
            bytes.iter().any(u8::is_ascii_uppercase) && !bytes.iter().any(u8::is_ascii_lowercase)
        } else {
            all_caps_by_chars(word)
        };
    let key = own_key.unwrap_or_else(|| push_key(word, keys));
    // Most words have no possessive: share the key instead of normalising twice.
    let stem_key = if stem_end == end {
        key
    } else {
        push_key(&text[start..stem_end], keys)
    };
    tokens.push(Token {
        start,
        end,
        stem_end,
        key,
        stem_key,
        cjk: false,
        capitalised: c.is_uppercase(),
        all_caps,
        // Read only for capitalised words (lower-case words never start a match).
        sentence_start: c.is_uppercase() && starts_sentence(text, start),
    });
    end
}

/// [`ASCII_WORD_BYTES`] flag: an ASCII letter or digit.
const ALNUM: u8 = 1;
/// [`ASCII_WORD_BYTES`] flag: a lower-case ASCII letter or a digit.
const LOWER_OR_DIGIT: u8 = 2;

/// Classes of bytes for the word loop of [`tokenize`]: one lookup instead of three range tests
/// per byte of every word.
static ASCII_WORD_BYTES: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let byte = b as u8;
        if byte.is_ascii_alphanumeric() {
            table[b] |= ALNUM;
        }
        if byte.is_ascii_lowercase() || byte.is_ascii_digit() {
            table[b] |= LOWER_OR_DIGIT;
        }
        b += 1;
    }
    table
};

/// The character starting at byte `pos` of `text` (`pos` on a character boundary).
fn char_at(text: &str, pos: usize) -> Option<char> {
    match text.as_bytes().get(pos) {
        Some(&b) if b.is_ascii() => Some(char::from(b)),
        Some(_) => text.get(pos..).and_then(|rest| rest.chars().next()),
        None => None,
    }
}

/// Byte length of `word` without a trailing possessive "'s" / "’s" / "s'" apostrophe.
fn possessive_stem_end(word: &str) -> Option<usize> {
    let mut rev = word.char_indices().rev();
    let (last_i, last) = rev.next()?;
    if last == 's' || last == 'S' {
        let (ap_i, ap) = rev.next()?;
        if is_apostrophe(ap) && ap_i > 0 {
            return Some(ap_i);
        }
    }
    let _ = last_i;
    None
}

/// True when tokens `a` and `b` (adjacent) can belong to one name: one space, a dash, or the dot
/// of an initial ("N. Korea", "U.S.").
fn joins(text: &str, tokens: &Tokens, a: &Token, b: &Token) -> bool {
    if a.cjk || b.cjk {
        return a.cjk && b.cjk && a.end == b.start;
    }
    if a.stem_end != a.end && !tokens.key(text, a).ends_with("s") {
        return false;
    }
    // Most gaps are one space: answered without slicing the text.
    if b.start == a.end + 1 && text.as_bytes()[a.end] == b' ' {
        return true;
    }
    let gap = &text[a.end..b.start];
    let initial = a.end - a.start == 1;
    match gap {
        " " | "\u{a0}" => true,
        "." | ". " if initial => true,
        g => {
            let mut cs = g.chars();
            matches!((cs.next(), cs.next()), (Some(c), None) if is_dash(c))
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Pass 1: scan

#[derive(Clone, Debug)]
enum Found {
    Stop,
    Names(Vec<NameHit>),
    Description(Vec<String>),
    Demonym(String),
}

#[derive(Clone, Debug)]
struct RawMatch {
    range: TextRange,
    text: String,
    key: String,
    what: Found,
    /// One Latin word.
    single_word: bool,
    sentence_start: bool,
    /// Touches other capitalised words ("Getty Images", "Kim Chon-il").
    inside_proper_name: bool,
    /// Follows a title ("President", "Mr").
    after_title: bool,
    /// Follows "in", "to", "from", "near"… written in lower case.
    after_locative: bool,
    /// Followed by a lower-case geographic word ("the Amur region"): a region or river named
    /// after a town, not the town.
    before_feature_word: bool,
    /// Start of the capitalised word right after the match, when it is not a place-compound word
    /// ("Paris Hilton", "Washington Post", "China Daily"; not "Beijing Railway Station").
    next_proper_start: Option<usize>,
    /// The line is in Title Case (a headline), so capitals say little. Read only for matches
    /// `inside_proper_name` (which `next_proper_start` implies), so only they pay for reading
    /// the line; it is false for the others.
    title_case_line: bool,
    /// A frequent English word ("Deal", "Split").
    common_word: bool,
}

/// Words that start a proper name with a person: "President Xi", "Mr Kim".
#[rustfmt::skip]
const TITLES: &[&str] = &[
    "ambassador", "capt", "chairman", "col", "comrade", "dr", "envoy", "gen", "general", "gov",
    "governor", "king", "leader", "lt", "marshal", "mayor", "minister", "mr", "mrs", "ms", "pope",
    "premier", "president", "prince", "queen", "rep", "sen", "senator", "spokesman",
    "spokesperson", "spokeswoman",
];

/// Lower-case words after which a capitalised word is likely a place.
#[rustfmt::skip]
const LOCATIVES: &[&str] = &[
    "across", "at", "from", "in", "into", "near", "of", "outside", "through", "to", "toward",
    "towards", "via",
];

/// Lower-case words after a name that make it a region, river or other feature.
#[rustfmt::skip]
const FEATURE_WORDS: &[&str] = &[
    "area", "basin", "county", "delta", "district", "krai", "lake", "mountains", "oblast",
    "peninsula", "prefecture", "province", "region", "river", "sea", "state", "valley",
];

/// Capitalised words that continue a place name into a part of the place ("Beijing Railway
/// Station", "Dandong City").
#[rustfmt::skip]
const PLACE_COMPOUND_WORDS: &[&str] = &[
    "airport", "border", "bridge", "central", "city", "county", "district", "east", "harbor",
    "harbour", "international", "main", "north", "oblast", "palace", "port", "prefecture",
    "province", "railway", "region", "river", "south", "square", "station", "west",
];

/// True when `word` is in `list`, which is sorted (a test checks each list).
fn in_list(list: &[&str], word: &str) -> bool {
    list.binary_search(&word).is_ok()
}

/// True when most longer words of the line around `at` start with a capital (a headline).
fn is_title_case_line(
    text: &str,
    at: usize,
    line_starts: &[usize],
    cache: &mut Option<(usize, bool)>,
) -> bool {
    let line_start = match line_starts.binary_search(&at) {
        Ok(i) => line_starts[i],
        Err(i) => line_starts[i.saturating_sub(1)],
    };
    // Once per line: a long single-line text would otherwise cost a line scan per candidate.
    if let Some((cached_line, answer)) = *cache {
        if cached_line == line_start {
            return answer;
        }
    }
    let answer = {
        let line_end = text[line_start..]
            .find('\n')
            .map_or(text.len(), |i| line_start + i);
        // Runs of letters of four or more, and how many of them start with a capital.
        let (mut words, mut capitalised) = (0usize, 0usize);
        let (mut run, mut run_capitalised) = (0usize, false);
        for c in text[line_start..line_end]
            .chars()
            .chain(std::iter::once(' '))
        {
            if c.is_alphabetic() {
                if run == 0 {
                    run_capitalised = c.is_uppercase();
                }
                run += 1;
                continue;
            }
            if run >= 4 {
                words += 1;
                capitalised += usize::from(run_capitalised);
            }
            run = 0;
        }
        words >= 3 && capitalised * 10 >= words * 7
    };
    *cache = Some((line_start, answer));
    answer
}

/// Capitalised function words that do not make a neighbour part of a longer proper name.
#[rustfmt::skip]
const FUNCTION_WORDS: &[&str] = &[
    "a", "aboard", "after", "ahead", "amid", "an", "and", "as", "at", "before", "but", "by",
    "for", "from", "in", "into", "near", "of", "on", "or", "over", "since", "the", "to",
    "toward", "towards", "via", "when", "while", "with",
];

fn scan(text: &str, tokens: &Tokens, gazetteer: &Gazetteer, lexicon: &Lexicon) -> Vec<RawMatch> {
    let max_latin = lexicon.max_words.max(8);
    const MAX_CJK: usize = 10;
    let keys = tokens;
    let tokens = tokens.list.as_slice();
    let mut out = Vec::new();
    // Matches come in text order, so one line's answer at a time is all the cache needs.
    let mut title_case_line: Option<(usize, bool)> = None;
    // Line starts, found when a match first needs them (few texts have a match inside a longer
    // proper name; finding them for every text was a twentieth of the search).
    let mut line_starts: Option<Vec<usize>> = None;
    // Hashes of the phrases of 1..=k words from the current token (the key of phrase k is the
    // key of phrase k-1, a space, and word k), so trying every length costs one pass over the
    // words instead of one key string per length.
    let mut prefix: Vec<PhraseHash> = Vec::with_capacity(max_latin.max(MAX_CJK) + 1);
    let mut key_buffer = String::new();
    let mut i = 0;
    while i < tokens.len() {
        let first = &tokens[i];
        if !first.capitalised {
            i += 1;
            continue;
        }
        // Which word lists may hold a phrase starting here, by the first word alone: most
        // capitalised words ("The", "He", "Tuesday") start none, and are left with one probe of
        // each filter instead of hashing and probing every phrase length.
        let starts = FirstWord::of(text, keys, first);
        let lexicon_may_start = starts.may_start(|h| lexicon.may_start_with_hash(h));
        let gazetteer_may_start = starts.may_start(|h| gazetteer.may_start_with_hash(h));
        if !lexicon_may_start && !gazetteer_may_start {
            i += 1;
            continue;
        }
        // How many tokens from i can form one phrase.
        let limit = if first.cjk { MAX_CJK } else { max_latin };
        let mut span = 1;
        while span < limit
            && i + span < tokens.len()
            && joins(text, keys, &tokens[i + span - 1], &tokens[i + span])
        {
            span += 1;
        }
        // Unless the lexicon has a phrase that starts with this word, only gazetteer names can
        // start here, and they end in a capitalised word or a dash-joined one: longer phrases
        // are not hashed at all (most capitalised words are followed by lower-case ones, and
        // hashing and probing all eight lengths was most of the search).
        if !lexicon_may_start {
            span = (1..=span)
                .rev()
                .find(|&n| {
                    n == 1 || tokens[i + n - 1].capitalised || dash_before(text, &tokens[i..i + n])
                })
                .unwrap_or(1);
        }
        prefix.clear();
        prefix.push(PhraseHash::EMPTY);
        for k in 0..span {
            let t = &tokens[i + k];
            let both_cjk = k > 0 && t.cjk && tokens[i + k - 1].cjk;
            let next = prefix[k].then(keys.key(text, t), k > 0 && !both_cjk);
            prefix.push(next);
        }
        let mut found: Option<(usize, bool, Found, String)> = None;
        'lengths: for n in (1..=span).rev() {
            let last = &tokens[i + n - 1];
            // Each length is tried as written, then without a possessive ("Beijing's").
            for use_stem in [false, true] {
                if use_stem && last.stem_end == last.end {
                    continue;
                }
                let both_cjk = n > 1 && last.cjk && tokens[i + n - 2].cjk;
                let hash = if use_stem {
                    prefix[n - 1]
                        .then(keys.stem_key(text, last), n > 1 && !both_cjk)
                        .hash
                } else {
                    prefix[n].hash
                };
                // The key string is built only for a phrase the word lists may hold.
                if lexicon_may_start && lexicon.may_have_hash(hash) {
                    // In a reused buffer: most keys the filter lets through are not phrases,
                    // and only a found one is kept.
                    phrase_key_into(&mut key_buffer, text, keys, &tokens[i..i + n], use_stem);
                    if let Some(phrase) = lexicon.phrases.get(key_buffer.as_str()) {
                        let key = key_buffer.clone();
                        let what = match phrase {
                            Phrase::Stop => Found::Stop,
                            Phrase::Demonym(iso2) => Found::Demonym(iso2.clone()),
                            Phrase::Description(ids) => Found::Description(ids.clone()),
                        };
                        found = Some((n, use_stem, what, key));
                        break 'lengths;
                    }
                }
                // "Rostov-on-Don" and "Feng-huang-ch'eng" end in a dash-joined word that may be
                // lower case; after a space the last word must be capitalised.
                // (A one-space gap, the most common, is no dash.)
                if !last.capitalised && !dash_before(text, &tokens[i..i + n]) {
                    continue;
                }
                if !gazetteer_may_start || !gazetteer.may_have_hash(hash) {
                    continue;
                }
                let surface_caps = tokens[i..i + n].iter().all(|t| t.all_caps || t.cjk);
                let hits: Vec<NameHit> = gazetteer
                    .hits_of_hash(hash)
                    .filter(|h| !h.caps_only || surface_caps)
                    .collect();
                if !hits.is_empty() {
                    // Built in the buffer and copied once at its length, not grown word by word.
                    phrase_key_into(&mut key_buffer, text, keys, &tokens[i..i + n], use_stem);
                    let key = key_buffer.clone();
                    found = Some((n, use_stem, Found::Names(hits), key));
                    break 'lengths;
                }
            }
        }
        // One Han or Hangul character is a word or a particle (와, 市), not a place name.
        let found = found.filter(|(n, _, _, _)| !(first.cjk && *n < 2));
        let Some((n, use_stem, what, key)) = found else {
            i += 1;
            continue;
        };
        if let Found::Stop = what {
            // Stoplist phrases are consumed, so none of their words is read as a place.
            i += n;
            continue;
        }
        let last = &tokens[i + n - 1];
        let end = if use_stem { last.stem_end } else { last.end };
        let mut what = what;
        let mut end = end;
        let mut consumed = n;
        // "<demonym> capital", "<country>'s capital": the capital city.
        if let Some(next) = tokens.get(i + n) {
            let next_is_capital =
                keys.key(text, next) == "capital" && text[last.end..next.start] == *" ";
            if next_is_capital {
                let country = match &what {
                    Found::Demonym(iso2) if !use_stem => Some(iso2.clone()),
                    Found::Names(hits) if use_stem => hits
                        .iter()
                        .map(|h| gazetteer.place(h.place))
                        .find(|p| p.kind == PlaceKind::Country)
                        .map(|p| p.country.clone()),
                    _ => None,
                };
                if let Some(capital) = country.as_deref().and_then(|c| gazetteer.capital(c)) {
                    what = Found::Description(vec![capital.id.clone()]);
                    end = next.end;
                    consumed = n + 1;
                }
            }
        }
        let start = first.start;
        let prev = i.checked_sub(1).map(|p| &tokens[p]);
        let next = tokens.get(i + consumed);
        let single_word = consumed == 1 && !first.cjk;
        let prev_adjacent = prev.filter(|p| !p.cjk && text[p.end..start] == *" ");
        let next_adjacent =
            next.filter(|t| !t.cjk && text[end..t.start] == *" " && end == last.end);
        // A capitalised word before the match that does not merely start the sentence.
        let is_proper_before = |p: &Token| {
            p.capitalised && !p.sentence_start && !in_list(FUNCTION_WORDS, keys.key(text, p))
        };
        let inside_proper_name = prev_adjacent.is_some_and(is_proper_before)
            || next_adjacent.is_some_and(|t| {
                t.capitalised
                    && !in_list(FUNCTION_WORDS, keys.key(text, t))
                    && !in_list(PLACE_COMPOUND_WORDS, keys.key(text, t))
            });
        let after_title = prev_adjacent.is_some_and(|p| in_list(TITLES, keys.key(text, p)));
        let after_locative =
            prev_adjacent.is_some_and(|p| !p.capitalised && in_list(LOCATIVES, keys.key(text, p)));
        let before_feature_word = next_adjacent
            .is_some_and(|t| !t.capitalised && in_list(FEATURE_WORDS, keys.key(text, t)));
        let next_proper_start = next_adjacent
            .filter(|t| {
                t.capitalised
                    && !in_list(FUNCTION_WORDS, keys.key(text, t))
                    && !in_list(PLACE_COMPOUND_WORDS, keys.key(text, t))
            })
            .map(|t| t.start);
        out.push(RawMatch {
            range: TextRange::new(start, end),
            text: text[start..end].to_string(),
            common_word: single_word && lexicon.common_words.contains(&key),
            key,
            what,
            single_word,
            sentence_start: first.sentence_start,
            inside_proper_name,
            after_title,
            after_locative,
            before_feature_word,
            next_proper_start,
            title_case_line: inside_proper_name
                && is_title_case_line(
                    text,
                    start,
                    line_starts.get_or_insert_with(|| {
                        std::iter::once(0)
                            .chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1))
                            .collect()
                    }),
                    &mut title_case_line,
                ),
        });
        i += consumed;
    }
    out
}

/// True when the last of `phrase` follows a dash gap ("Rostov-on-Don"). A one-space gap, the
/// most common, is no dash.
fn dash_before(text: &str, phrase: &[Token]) -> bool {
    let [.., before, last] = phrase else {
        return false;
    };
    let gap = before.end..last.start;
    text.as_bytes()[gap.clone()] != *b" " && text[gap].chars().all(is_dash)
}

/// What the first token of a phrase says about the first word of the phrase's key: that word
/// is the token's key (or its possessive stem, when the phrase is that one word), unless the
/// key is empty (the next word's key comes first), holds a space, or the token is CJK (keys
/// joined without spaces); then nothing is known.
enum FirstWord {
    /// [`name_hash`] of the key and, when it differs, of the stem key.
    Known(u64, Option<u64>),
    Unknown,
}

impl FirstWord {
    fn of(text: &str, keys: &Tokens, first: &Token) -> FirstWord {
        let plain = |key: &str| !key.is_empty() && !key.contains(' ');
        if first.cjk {
            return FirstWord::Unknown;
        }
        let key = keys.key(text, first);
        if !plain(key) {
            return FirstWord::Unknown;
        }
        let stem = if first.stem_end == first.end {
            None
        } else {
            let stem = keys.stem_key(text, first);
            if !plain(stem) {
                return FirstWord::Unknown;
            }
            Some(name_hash(stem))
        };
        FirstWord::Known(name_hash(key), stem)
    }

    /// False only when a list whose first-word filter is `may_start_with_hash` has no phrase
    /// starting here.
    fn may_start(&self, may_start_with_hash: impl Fn(u64) -> bool) -> bool {
        match *self {
            FirstWord::Known(key, stem) => {
                may_start_with_hash(key) || stem.is_some_and(&may_start_with_hash)
            }
            FirstWord::Unknown => true,
        }
    }
}

/// The FNV-1a hash (`gazetteer::name_hash`) of a phrase key being built word by word, and whether the
/// key is still empty (a word whose key is empty adds no space).
#[derive(Clone, Copy)]
struct PhraseHash {
    hash: u64,
    empty: bool,
}

impl PhraseHash {
    const EMPTY: PhraseHash = PhraseHash {
        hash: 0xcbf2_9ce4_8422_2325,
        empty: true,
    };

    /// The hash after appending `part`, preceded by a space when `spaced` and neither side is
    /// empty: the same rule as [`phrase_key_into`].
    fn then(self, part: &str, spaced: bool) -> PhraseHash {
        let mut h = self.hash;
        let mut step = |b: u8| {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        };
        if spaced && !self.empty && !part.is_empty() {
            step(b' ');
        }
        for &b in part.as_bytes() {
            step(b);
        }
        PhraseHash {
            hash: h,
            empty: self.empty && part.is_empty(),
        }
    }
}

/// The gazetteer key of the phrase `tokens`, the last word stemmed when `stem_last`, written
/// into `key` (cleared first).
fn phrase_key_into(key: &mut String, text: &str, keys: &Tokens, tokens: &[Token], stem_last: bool) {
    key.clear();
    for (k, t) in tokens.iter().enumerate() {
        let part = if stem_last && k + 1 == tokens.len() {
            keys.stem_key(text, t)
        } else {
            keys.key(text, t)
        };
        let both_cjk = k > 0 && t.cjk && tokens[k - 1].cjk;
        if k > 0 && !both_cjk && !key.is_empty() && !part.is_empty() {
            key.push(' ');
        }
        key.push_str(part);
    }
}

// ---------------------------------------------------------------------------------------------
// Passes 2 and 3: context and choice

/// One candidate of a mention.
#[derive(Clone, Debug)]
struct Candidate {
    place: u32,
    strength: NameStrength,
    score: f64,
    /// Distance to the nearest anchor of another name or capital of a context country.
    near_km: f64,
}

struct Pending {
    m: RawMatch,
    how: MatchKind,
    candidates: Vec<Candidate>,
}

/// Population above which a one-word name needs no support from context.
/// Chosen so that regional cities (Sinuiju 288k, Dandong 632k) pass and small towns do not.
const SELF_EVIDENT_POPULATION: u64 = 100_000;

/// Population above which a city whose name is also a frequent English word (Jerusalem, Lisbon)
/// needs no context; the famous smaller ones ("Nice", "Reading") are in the stoplist.
const COMMON_WORD_SELF_EVIDENT_POPULATION: u64 = 200_000;

/// Population above which a GeoNames alternate name ("Pyeongyang") needs no context.
const ALTERNATE_SELF_EVIDENT_POPULATION: u64 = 1_000_000;

/// Great-circle distance on a sphere of radius 6,371 km (mean Earth radius, IUGG).
///
/// # Units
///
/// Degrees in, kilometres out.
pub(crate) fn haversine_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    const EARTH_RADIUS_KM: f64 = 6371.0;
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = (lat2 - lat1).to_radians();
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_KM * a.sqrt().clamp(0.0, 1.0).asin()
}

/// Beyond this distance nearness earns no points (the largest threshold of [`score`] and of
/// the plausibility filter is 1,000 km), with a margin for rounding.
const REACH_KM: f64 = 1001.0;

/// [`haversine_km`], or infinity when the latitudes alone put the points more than
/// [`REACH_KM`] apart (the great-circle distance is at least the radius times the difference in
/// latitude). Ranking compares distances only with thresholds below [`REACH_KM`], so the
/// outcome is the same, and most candidates of a common name skip the trigonometry.
fn within_reach_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    const KM_PER_DEGREE_OF_LATITUDE: f64 = 6371.0 * std::f64::consts::PI / 180.0;
    if (lat1 - lat2).abs() * KM_PER_DEGREE_OF_LATITUDE > REACH_KM {
        return f64::INFINITY;
    }
    haversine_km(lat1, lon1, lat2, lon2)
}

fn countries_of(place: &Place) -> impl Iterator<Item = &str> {
    place.country.split('/')
}

fn resolve(raw: Vec<RawMatch>, gazetteer: &Gazetteer, context: &PlaceContext) -> Vec<PlaceMention> {
    // Pass 2: countries in context.
    let mut countries: BTreeSet<String> = context.countries.iter().cloned().collect();
    for id in &context.places {
        if let Some(p) = gazetteer.get(id) {
            countries.extend(countries_of(p).map(str::to_string));
        }
    }
    for m in &raw {
        match &m.what {
            Found::Demonym(iso2) => {
                countries.insert(iso2.clone());
            }
            Found::Names(hits) => {
                if let Some(p) = hits
                    .iter()
                    .map(|h| gazetteer.place(h.place))
                    .find(|p| p.kind == PlaceKind::Country)
                {
                    countries.insert(p.country.clone());
                }
                // A large place named by its own name, without namesakes, sets its country
                // ("Shenyang" puts China in context for "Tantung").
                if let [hit] = hits.as_slice() {
                    let p = gazetteer.place(hit.place);
                    if hit.strength == NameStrength::Curated
                        && p.population >= SELF_EVIDENT_POPULATION
                        && !m.common_word
                    {
                        countries.extend(countries_of(p).map(str::to_string));
                    }
                }
            }
            Found::Stop => {}
            Found::Description(ids) => {
                if let [id] = ids.as_slice() {
                    if let Some(p) = gazetteer.get(id) {
                        countries.extend(countries_of(p).map(str::to_string));
                    }
                }
            }
        }
    }
    let in_context = |p: &Place| countries_of(p).any(|c| countries.contains(c));

    // Candidates, with the one-word filters.
    let mut pending: Vec<Pending> = Vec::new();
    for m in raw {
        // A place name right before another proper name is mostly part of a person's or an
        // organisation's name ("Paris Hilton", "Washington Post", "China Daily"), unless the
        // line is a headline in Title Case.
        let followed_by_name = m.next_proper_start.is_some() && !m.title_case_line;
        let (how, mut candidates) = match &m.what {
            Found::Demonym(_) | Found::Stop => continue,
            Found::Description(ids) => (
                MatchKind::Description,
                ids.iter()
                    .filter_map(|id| gazetteer.index_of(id))
                    .map(|place| Candidate {
                        place,
                        strength: NameStrength::Curated,
                        score: 0.0,
                        near_km: f64::INFINITY,
                    })
                    .collect::<Vec<_>>(),
            ),
            Found::Names(hits) => (
                MatchKind::Name,
                hits.iter()
                    .map(|h| Candidate {
                        place: h.place,
                        strength: h.strength,
                        score: 0.0,
                        near_km: f64::INFINITY,
                    })
                    .collect(),
            ),
        };
        if how == MatchKind::Name && m.before_feature_word {
            continue;
        }
        if how == MatchKind::Name && followed_by_name {
            candidates.retain(|c| {
                let p = gazetteer.place(c.place);
                p.kind != PlaceKind::Country && in_context(p)
            });
        }
        if how == MatchKind::Name {
            let is_country = candidates
                .iter()
                .any(|c| gazetteer.place(c.place).kind == PlaceKind::Country);
            if m.single_word && !is_country {
                if m.after_title {
                    continue;
                }
                // Short words ("Xi", "Un") only as the own name of a large place.
                if m.key.chars().count() <= 3 {
                    candidates.retain(|c| {
                        c.strength == NameStrength::Curated
                            && gazetteer.place(c.place).population >= SELF_EVIDENT_POPULATION
                    });
                }
                // Frequent English words ("Deal", "Mobile") name a small town only after a
                // locative ("in Deal") and with the town's country in context.
                if m.common_word {
                    candidates.retain(|c| {
                        let p = gazetteer.place(c.place);
                        p.population >= COMMON_WORD_SELF_EVIDENT_POPULATION
                            || (m.after_locative && in_context(p))
                    });
                }
                // GeoNames alternates of smaller places are mostly noise in English text.
                candidates.retain(|c| {
                    let p = gazetteer.place(c.place);
                    c.strength == NameStrength::Curated
                        || p.population >= ALTERNATE_SELF_EVIDENT_POPULATION
                        || (in_context(p)
                            && (p.population >= SELF_EVIDENT_POPULATION || m.after_locative))
                });
                // Inside a longer proper name ("Jordan Henderson", "Getty Images") a town name
                // is mostly a person's or a firm's, unless its country is in context; in a
                // Title Case headline capitals say nothing, so only small places need context.
                if m.inside_proper_name {
                    candidates.retain(|c| {
                        let p = gazetteer.place(c.place);
                        let known = in_context(p) && c.strength == NameStrength::Curated;
                        p.kind != PlaceKind::City
                            || known
                            || (m.title_case_line && p.population >= SELF_EVIDENT_POPULATION)
                    });
                }
                // At a sentence start every word is capitalised: only own names, or alternates of
                // large cities, count there.
                if m.sentence_start {
                    candidates.retain(|c| {
                        c.strength == NameStrength::Curated
                            || gazetteer.place(c.place).population
                                >= ALTERNATE_SELF_EVIDENT_POPULATION
                    });
                }
            }
        }
        if candidates.is_empty() {
            continue;
        }
        pending.push(Pending { m, how, candidates });
    }

    let capitals: Vec<(f64, f64)> = countries
        .iter()
        .filter_map(|c| gazetteer.capital(c))
        .map(|p| (p.lat, p.lon))
        .collect();
    let rank = |p: &Pending, anchors: &[Anchor]| -> Vec<Candidate> {
        let mut scored: Vec<Candidate> = p
            .candidates
            .iter()
            .map(|c| {
                let place = gazetteer.place(c.place);
                // A name does not vouch for itself: anchors from the same name are skipped.
                let near_km = anchors
                    .iter()
                    .filter(|a| a.key != p.m.key)
                    .map(|a| within_reach_km(place.lat, place.lon, a.lat, a.lon))
                    .fold(f64::INFINITY, f64::min);
                let near_capital_km = capitals
                    .iter()
                    .map(|(lat, lon)| within_reach_km(place.lat, place.lon, *lat, *lon))
                    .fold(f64::INFINITY, f64::min);
                Candidate {
                    score: score(
                        place,
                        c.strength,
                        in_context(place),
                        near_km,
                        near_capital_km,
                    ),
                    near_km: near_km.min(near_capital_km),
                    ..c.clone()
                }
            })
            .collect();
        scored.sort_by(|a, b| {
            b.score.total_cmp(&a.score).then_with(|| {
                gazetteer
                    .place(a.place)
                    .id
                    .cmp(&gazetteer.place(b.place).id)
            })
        });
        scored
    };

    // Pass 3a: anchors are the caller's places and the places the text names clearly (one
    // candidate, or one far ahead without help from other places); countries are too large.
    let mut anchors: Vec<Anchor> = context
        .places
        .iter()
        .filter_map(|id| gazetteer.get(id))
        .map(|p| Anchor {
            key: String::new(),
            place: p.id.clone(),
            lat: p.lat,
            lon: p.lon,
        })
        .collect();
    let outside = anchors.clone();
    let mut ranked_by_key: HashMap<&str, Vec<Candidate>> = HashMap::new();
    for p in &pending {
        if ranked_by_key.contains_key(p.m.key.as_str()) {
            continue;
        }
        let ranked = rank(p, &outside);
        if local_share(gazetteer, &ranked) >= CLEAR_SHARE {
            let place = gazetteer.place(ranked[0].place);
            let known = anchors
                .iter()
                .any(|a| a.place == place.id && a.key == p.m.key);
            if place.kind != PlaceKind::Country && !known {
                anchors.push(Anchor {
                    key: p.m.key.clone(),
                    place: place.id.clone(),
                    lat: place.lat,
                    lon: place.lon,
                });
            }
        }
        ranked_by_key.insert(p.m.key.as_str(), ranked);
    }

    // Pass 3b: rank again with the anchors and choose.
    ranked_by_key.clear();
    let mut out = Vec::new();
    for p in &pending {
        let mut scored: &[Candidate] = ranked_by_key
            .entry(p.m.key.as_str())
            .or_insert_with(|| rank(p, &anchors));
        let plausible: Vec<Candidate>;
        if p.how == MatchKind::Name && p.m.single_word && !countries.is_empty() {
            // A small town abroad, far from every other place of the text, is more likely a
            // word that happens to be a town name ("the Amur" in Russia is not Āmūr, India).
            plausible = scored
                .iter()
                .filter(|c| {
                    let place = gazetteer.place(c.place);
                    place.kind != PlaceKind::City
                        || place.population >= SELF_EVIDENT_POPULATION
                        || in_context(place)
                        || c.near_km < 1000.0
                })
                .cloned()
                .collect();
            scored = &plausible;
        }
        let Some(best) = scored.first() else {
            continue;
        };
        let quality = match (p.how, best.strength) {
            (MatchKind::Description, _) => 0.9,
            (_, NameStrength::Curated) => 0.95,
            (_, NameStrength::Alternate) => 0.7,
        };
        let place = gazetteer.place(best.place);
        let how = if p.how == MatchKind::Name && place.kind == PlaceKind::Country {
            MatchKind::Country
        } else {
            p.how
        };
        out.push(PlaceMention {
            range: p.m.range,
            text: p.m.text.clone(),
            place_id: place.id.clone(),
            confidence: (share_of_best(scored) * quality * 100.0).round() / 100.0,
            alternatives: scored[1..]
                .iter()
                .take(5)
                .map(|c| gazetteer.place(c.place).id.clone())
                .collect(),
            how,
        });
    }
    out
}

/// A place that helps to place its neighbours.
#[derive(Clone, Debug)]
struct Anchor {
    /// The name it was found by (empty for the caller's places).
    key: String,
    place: String,
    lat: f64,
    lon: f64,
}

/// Share of the best candidate when the scores are read as log-odds (softmax).
fn share_of_best(ranked: &[Candidate]) -> f64 {
    let Some(best) = ranked.first() else {
        return 0.0;
    };
    let total: f64 = ranked.iter().map(|c| (c.score - best.score).exp()).sum();
    1.0 / total
}

/// Share of the candidates that lie within [`SAME_SPOT_KM`] of the best one: a station and its
/// town count as one answer for placing neighbours.
fn local_share(gazetteer: &Gazetteer, ranked: &[Candidate]) -> f64 {
    let Some(best) = ranked.first() else {
        return 0.0;
    };
    let b = gazetteer.place(best.place);
    let total: f64 = ranked.iter().map(|c| (c.score - best.score).exp()).sum();
    let local: f64 = ranked
        .iter()
        .filter(|c| {
            let p = gazetteer.place(c.place);
            haversine_km(b.lat, b.lon, p.lat, p.lon) <= SAME_SPOT_KM
        })
        .map(|c| (c.score - best.score).exp())
        .sum();
    local / total
}

/// Candidates this close count as the same spot when anchoring (a station and its town).
const SAME_SPOT_KM: f64 = 50.0;

/// Share above which a mention anchors its neighbours (about 1.4 points ahead of the next).
const CLEAR_SHARE: f64 = 0.8;

/// A candidate's score: how well the name belongs to it, then context, then population.
///
/// Weights (points): own/curated name 3; country entry 5 (a country name beats towns called
/// "China"); supplement entry 2.5; country named in the text 1.5; another clearly named place of
/// the text within 300 km 4 (within 1,000 km 2, or a context country's capital within 500 km
/// 1.5); population 1 per factor of ten. Nearness outweighs a factor of 10,000 in population, so
/// a border station next to the other places of the text beats a large namesake far away.
fn score(
    place: &Place,
    strength: NameStrength,
    in_context: bool,
    near_km: f64,
    near_capital_km: f64,
) -> f64 {
    let mut s = ((place.population as f64) + 1.0).log10();
    if strength == NameStrength::Curated {
        s += 3.0;
    }
    if place.kind == PlaceKind::Country {
        s += 5.0;
    }
    if place.id.starts_with("sup:") {
        s += 2.5;
    }
    if in_context {
        s += 1.5;
    }
    if near_km < 300.0 {
        s += 4.0;
    } else if near_km < 1000.0 {
        s += 2.0;
    } else if near_capital_km < 500.0 {
        s += 1.5;
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(text: &str) -> Vec<String> {
        find_places(text, Gazetteer::embedded())
            .into_iter()
            .map(|m| m.place_id)
            .collect()
    }

    #[test]
    fn possessive_and_apostrophe_names() {
        assert_eq!(ids("Beijing's streets"), ["gn:1816670"]);
        assert_eq!(ids("to P'yŏngyang"), ["gn:1871859"]);
    }

    #[test]
    fn stoplist_phrases_block_their_words() {
        assert!(ids("the Korean Central News Agency said").is_empty());
        assert!(ids("North Korean leader Kim Jong Un").is_empty());
    }

    #[test]
    fn demonym_capital_is_description() {
        let found = find_places("left the North Korean capital", Gazetteer::embedded());
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].place_id, "gn:1871859");
        assert_eq!(found[0].how, MatchKind::Description);
        assert_eq!(found[0].text, "North Korean capital");
    }

    #[test]
    fn country_hints_include_demonyms() {
        let hints = country_hints(
            "Chinese President Xi met North Korea's leader",
            Gazetteer::embedded(),
        );
        let cs: Vec<&str> = hints.iter().map(|h| h.country.as_str()).collect();
        assert_eq!(cs, ["CN", "KP"]);
    }

    #[test]
    fn caller_context_steers_homonyms() {
        let g = Gazetteer::embedded();
        let plain = find_places("Pingxiang", g);
        assert_eq!(plain[0].place_id, "gn:1798654");
        assert_eq!(plain[0].alternatives, ["gn:1798655"]);
        let near_vietnam = PlaceContext {
            countries: vec!["VN".to_string()],
            places: vec!["sup:dong_dang_station".to_string()],
        };
        let found = find_places_in_context("Pingxiang", g, &near_vietnam);
        assert_eq!(found[0].place_id, "gn:1798655");
        assert!(found[0].confidence > plain[0].confidence);
    }

    #[test]
    fn never_panics_on_odd_text() {
        let g = Gazetteer::embedded();
        for text in [
            "",
            "'",
            "’s",
            "A'",
            "-",
            "平",
            "Beijing'",
            "U.S.",
            "N.",
            "\u{301}Beijing",
            "s's's",
        ] {
            let _ = find_places(text, g);
            let _ = country_hints(text, g);
        }
    }

    #[test]
    fn ranges_are_char_boundaries_on_generated_text() {
        // A fixed seed: the same texts on every run.
        let mut rng = fastrand::Rng::with_seed(0x2545_f491_4f6c_dd1d);
        let pieces = [
            "Beijing",
            "P'yŏngyang",
            "’s",
            "'",
            "-",
            "–",
            " ",
            ". ",
            "\n",
            "平壤",
            "평양",
            "市",
            "Sino",
            "Korean",
            "Friendship",
            "Bridge",
            "North",
            "capital",
            "the",
            "Khasan",
            "U.",
            "S.",
            "\u{301}",
            "Ы",
            "Kim",
            "China",
            "'s",
            "DPRK",
            "Tumen",
            "River",
            "in",
            "to",
        ];
        let g = Gazetteer::embedded();
        for _ in 0..300 {
            let text: String = (0..rng.usize(..40))
                .map(|_| pieces[rng.usize(..pieces.len())])
                .collect();
            let found = find_places(&text, g);
            let mut last_end = 0;
            for m in &found {
                assert!(text.is_char_boundary(m.range.start) && text.is_char_boundary(m.range.end));
                assert_eq!(&text[m.range.start..m.range.end], m.text);
                assert!(m.range.start >= last_end, "overlap in {text:?}");
                assert!(g.get(&m.place_id).is_some());
                assert!((0.0..=1.0).contains(&m.confidence));
                last_end = m.range.end;
            }
        }
    }

    #[test]
    fn fast_paths_of_tokenize_give_the_tokens_of_read_token() {
        // What `tokenize` gives without its ASCII fast paths: `read_token` at every position.
        fn by_read_token(text: &str) -> Vec<String> {
            let (mut list, mut keys, mut pos) = (Vec::new(), String::new(), 0);
            while pos < text.len() {
                pos = read_token(text, pos, &mut list, &mut keys);
            }
            summary(text, &Tokens { list, keys })
        }
        // Every field, and the keys the ranges point at.
        fn summary(text: &str, tokens: &Tokens) -> Vec<String> {
            tokens
                .list
                .iter()
                .map(|t| {
                    let (key, stem) = (tokens.key(text, t), tokens.stem_key(text, t));
                    format!("{t:?} {key:?} {stem:?}")
                })
                .collect()
        }
        let mut rng = fastrand::Rng::with_seed(0x9e37_79b9_7f4a_7c15);
        let pieces = [
            "train",
            "2025",
            "9am",
            "iPhone",
            "P'yŏngyang",
            "don't",
            "rock`n",
            "café",
            "Beijing's",
            "Koreas'",
            "’s",
            "'",
            "`",
            "-",
            " ",
            ". ",
            "\n",
            "平壤",
            "\u{301}",
            "Ы",
            "DPRK",
            "U2",
            "Kim",
            "x",
        ];
        for _ in 0..500 {
            let text: String = (0..rng.usize(..30))
                .map(|_| pieces[rng.usize(..pieces.len())])
                .collect();
            let tokens = tokenize(
                &text,
                Tokens {
                    list: Vec::new(),
                    keys: String::new(),
                },
            );
            assert_eq!(summary(&text, &tokens), by_read_token(&text), "{text:?}");
        }
    }

    #[test]
    fn ascii_words_read_as_bytes_get_the_flags_of_characters() {
        // `read_token` reads capitals and possessives of ASCII letter-and-digit words from
        // bytes; the character reading must agree on every such word.
        for text in [
            "DPRK", "BEIJING", "Beijing", "U2", "G20", "2025", "A", "X5E", "McDonald", "NATO'S",
            "KIM's", "Kim", "DPRK's", "ÉCOLE", "Ünal", "SINŬIJU",
        ] {
            let mut list = Vec::new();
            let mut keys = String::new();
            read_token(text, 0, &mut list, &mut keys);
            let token = &list[0];
            let word = &text[token.start..token.end];
            let by_chars =
                !word.starts_with(|c: char| c.is_ascii_lowercase()) && all_caps_by_chars(word);
            assert_eq!(token.all_caps, by_chars, "{text}");
            let stem_end = possessive_stem_end(word).map_or(token.end, |n| token.start + n);
            assert_eq!(token.stem_end, stem_end, "{text}");
        }
    }

    #[test]
    fn word_lists_are_sorted_for_binary_search() {
        for list in [
            TITLES,
            LOCATIVES,
            FEATURE_WORDS,
            PLACE_COMPOUND_WORDS,
            FUNCTION_WORDS,
        ] {
            assert!(list.windows(2).all(|w| w[0] < w[1]), "{list:?}");
        }
    }

    #[test]
    fn phrase_hashes_are_the_hashes_of_phrase_keys() {
        use super::super::gazetteer::name_hash;
        for text in [
            "Sino-Korean Friendship Bridge's",
            "平壤 市 丹东",
            "N. Korea’s U.S.",
            "\u{301}A B\u{301} C's",
            "Rostov-on-Don",
        ] {
            let tokens = tokenize(
                text,
                Tokens {
                    list: Vec::new(),
                    keys: String::new(),
                },
            );
            let list = &tokens.list;
            for n in 1..=list.len() {
                for stem in [false, true] {
                    let mut h = PhraseHash::EMPTY;
                    for (k, t) in list[..n].iter().enumerate() {
                        let part = if stem && k + 1 == n {
                            tokens.stem_key(text, t)
                        } else {
                            tokens.key(text, t)
                        };
                        h = h.then(part, k > 0 && !(t.cjk && list[k - 1].cjk));
                    }
                    let mut key = String::new();
                    phrase_key_into(&mut key, text, &tokens, &list[..n], stem);
                    assert_eq!(h.hash, name_hash(&key), "{text:?} {n} {stem}");
                    assert_eq!(h.empty, key.is_empty());
                }
            }
        }
    }

    #[test]
    fn haversine_pyongyang_beijing() {
        // FACTS.md: 808.7 km haversine between the GeoNames centroids.
        let d = haversine_km(39.03385, 125.75432, 39.90750, 116.39723);
        assert!((d - 808.7).abs() < 1.0, "{d}");
    }
}
