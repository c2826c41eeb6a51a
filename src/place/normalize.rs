//! Name normalisation shared by the gazetteer index and the toponym search.
//!
//! Two spellings that a reader would call "the same name" get the same key:
//! case, diacritics (P'yŏngyang, Przemyśl), apostrophes and their look-alikes (’ ʼ ‘ `),
//! hyphens and dashes, and runs of spaces do not matter.
//!
//! | input             | key           |
//! |-------------------|---------------|
//! | `P'yŏngyang`      | `pyongyang`   |
//! | `Sinŭiju`         | `sinuiju`     |
//! | `Đồng Đăng`       | `dong dang`   |
//! | `Sino–North Korea`| `sino north korea` |
//! | `평양시`           | `평양시` (Hangul kept as is) |

use unicode_normalization::char::{decompose_compatible, is_combining_mark};

/// True for characters that only mark elision or transliteration (P'yŏngyang, Xi'an).
pub fn is_apostrophe(c: char) -> bool {
    matches!(
        c,
        '\'' | '’' | 'ʼ' | '‘' | '`' | '´' | 'ʻ' | 'ʹ' | '′' | '＇'
    )
}

/// True for hyphens and dashes, which join parts of a name (Sino–Korean, Rostov-on-Don).
pub fn is_dash(c: char) -> bool {
    matches!(
        c,
        '-' | '‐' | '‑' | '‒' | '–' | '—' | '―' | '－' | '﹣' | '−'
    )
}

/// True for Hangul syllables and jamo, which must not be decomposed (평 would become ㅍㅕㅇ).
fn is_hangul(c: char) -> bool {
    matches!(c as u32, 0xAC00..=0xD7A3 | 0x1100..=0x11FF | 0x3130..=0x318F)
}

/// Letters that compatibility decomposition leaves alone but readers fold anyway.
fn fold_letter(c: char, out: &mut String) {
    match c {
        'ł' | 'Ł' => out.push('l'),
        'đ' | 'Đ' | 'ð' | 'Ð' => out.push('d'),
        'ø' | 'Ø' => out.push('o'),
        'ı' => out.push('i'),
        'ß' => out.push_str("ss"),
        'æ' | 'Æ' => out.push_str("ae"),
        'œ' | 'Œ' => out.push_str("oe"),
        'þ' | 'Þ' => out.push_str("th"),
        c => out.extend(c.to_lowercase()),
    }
}

/// The lookup key of a name: lower case, no diacritics or apostrophes, dashes as spaces, single
/// spaces, no leading or trailing space.
///
/// # Examples
///
/// ```
/// use retrace::place::normalize_name;
/// assert_eq!(normalize_name("P’yŏngyang"), "pyongyang");
/// assert_eq!(normalize_name("Sino–North  Korea"), "sino north korea");
/// ```
pub fn normalize_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    normalize_into(name, &mut out);
    out
}

/// [`normalize_name`] into a reused buffer (cleared first), for the index build.
pub(crate) fn normalize_into(name: &str, out: &mut String) {
    out.clear();
    normalize_append(name, out);
}

/// [`normalize_name`] appended to `out`: the toponym search keeps the keys of all words of a
/// text in one buffer.
pub(crate) fn normalize_append(name: &str, out: &mut String) {
    // Most words are plain ASCII letters and digits: their key is the word in lower case.
    if name.bytes().all(|b| b.is_ascii_alphanumeric()) {
        let from = out.len();
        out.push_str(name);
        out[from..].make_ascii_lowercase();
        return;
    }
    let base = out.len();
    let mut pending_space = false;
    for c in name.chars() {
        if c.is_whitespace() || is_dash(c) || c == '.' || c == '·' || c == '・' {
            pending_space = out.len() > base;
            continue;
        }
        if is_apostrophe(c) {
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else if is_hangul(c) {
            out.push(c);
        } else {
            decompose_compatible(c, |d| {
                if !is_combining_mark(d) {
                    fold_letter(d, out);
                }
            });
        }
    }
}

/// Administrative suffixes that names carry or drop freely ("丹东市" and "丹东", "Pyongyang-si").
/// Each entry is a normalised suffix; Latin ones start with a space.
#[rustfmt::skip]
const ADMIN_SUFFIXES: &[&str] = &[
    // Chinese: city, county (simplified, traditional), district.
    "市", "县", "縣", "区", "區",
    // Korean: city, county, special city (Hangul).
    "특별시", "직할시", "광역시", "시", "군",
    // Romanised forms of the same.
    " si", " shi", " xian", " gun", " shi qu",
];

/// The name without a trailing administrative suffix, when one is there and something is left.
///
/// # Examples
///
/// ```
/// use retrace::place::strip_admin_suffix;
/// assert_eq!(strip_admin_suffix("丹东市"), Some("丹东"));
/// assert_eq!(strip_admin_suffix("pyongyang si"), Some("pyongyang"));
/// assert_eq!(strip_admin_suffix("市"), None);
/// ```
pub fn strip_admin_suffix(key: &str) -> Option<&str> {
    // Every suffix ends in one of these characters; most names end in none (a fast exit for the
    // index build, which strips 300,000 names).
    let last = key.chars().next_back()?;
    if !matches!(
        last,
        '市' | '县' | '縣' | '区' | '區' | '시' | '군' | 'i' | 'n' | 'u'
    ) {
        return None;
    }
    for suffix in ADMIN_SUFFIXES {
        if let Some(stem) = key.strip_suffix(suffix) {
            let stem = stem.trim_end();
            // Keep at least two characters so "시" or "Si" alone never becomes empty or one letter.
            if stem.chars().count() >= 2 {
                return Some(stem);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_case_diacritics_apostrophes() {
        assert_eq!(normalize_name("P'yŏngyang"), "pyongyang");
        assert_eq!(normalize_name("Pʼyŏngyang"), "pyongyang");
        assert_eq!(normalize_name("P`yongyang"), "pyongyang");
        assert_eq!(normalize_name("Przemyśl"), "przemysl");
        assert_eq!(normalize_name("Łódź"), "lodz");
        assert_eq!(normalize_name("Đồng Đăng"), "dong dang");
        assert_eq!(normalize_name("Sinŭiju"), "sinuiju");
    }

    #[test]
    fn dashes_and_spaces_become_one_space() {
        assert_eq!(
            normalize_name("Sino–Korean  Friendship-Bridge "),
            "sino korean friendship bridge"
        );
        assert_eq!(normalize_name(" - Rostov-on-Don"), "rostov on don");
    }

    #[test]
    fn hangul_and_han_are_kept() {
        assert_eq!(normalize_name("평양"), "평양");
        assert_eq!(normalize_name("平壤"), "平壤");
        // Full-width Latin folds to ASCII.
        assert_eq!(normalize_name("ＤＰＲＫ"), "dprk");
    }

    #[test]
    fn admin_suffixes_strip_once() {
        assert_eq!(strip_admin_suffix("평양시"), Some("평양"));
        assert_eq!(strip_admin_suffix("평양직할시"), Some("평양"));
        assert_eq!(strip_admin_suffix("dandong shi"), Some("dandong"));
        assert_eq!(strip_admin_suffix("dandong"), None);
        assert_eq!(strip_admin_suffix("si"), None);
    }

    #[test]
    fn admin_suffixes_end_in_a_fast_exit_character() {
        for s in ADMIN_SUFFIXES {
            let key = format!("abc{s}");
            assert!(strip_admin_suffix(&key).is_some(), "{s}");
        }
    }

    #[test]
    fn admin_suffixes_are_normalised() {
        for s in ADMIN_SUFFIXES {
            assert_eq!(normalize_name(s.trim()), s.trim(), "{s}");
        }
    }
}
