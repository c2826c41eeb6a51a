//! `case.toml`: the case's title, traveller, mode and per-article source and publication time.
//! It overrides article headers.
//!
//! ```toml
//! title = "Kim Jong Un's train to Beijing, September 2025"
//! traveller = "Kim Jong Un"
//! aliases = ["Kim", "the North Korean leader"]
//! mode = "train"
//!
//! [articles."000.txt"]
//! source = "NDTV"
//! published = "2025-09-02T10:00:00+09:00"
//! ```

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset};
use serde::Deserialize;

/// How the traveller moves: sets the plausible speed range of the consistency check.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    #[default]
    Train,
    Plane,
    Car,
}

impl Mode {
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Train => "train",
            Mode::Plane => "plane",
            Mode::Car => "car",
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct ArticleConfig {
    pub source: Option<String>,
    pub title: Option<String>,
    pub url: Option<String>,
    pub published: Option<DateTime<FixedOffset>>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct CaseConfig {
    pub title: Option<String>,
    pub traveller: Option<String>,
    /// Other names the articles use for the traveller ("Kim", "the leader").
    pub aliases: Vec<String>,
    pub mode: Mode,
    /// Keyed by file name (`000.txt`) or id (`000`).
    pub articles: BTreeMap<String, ArticleConfig>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: Option<String>,
    traveller: Option<String>,
    #[serde(default)]
    aliases: Vec<String>,
    #[serde(default)]
    mode: Mode,
    #[serde(default)]
    articles: BTreeMap<String, RawArticle>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawArticle {
    source: Option<String>,
    title: Option<String>,
    url: Option<String>,
    published: Option<toml::Value>,
}

impl CaseConfig {
    /// Parses `case.toml`. Errors read `line N: message` when the line is known.
    pub fn parse(text: &str) -> Result<CaseConfig, String> {
        let raw: RawConfig = toml::from_str(text).map_err(|e| {
            let message = e.message().to_string();
            match e.span() {
                Some(span) => {
                    let start = span.start.min(text.len());
                    let line = text[..start].matches('\n').count() + 1;
                    // Type errors point at the value; name the key of that line too.
                    let line_text = text.lines().nth(line - 1).unwrap_or("");
                    let key = line_text
                        .split_once('=')
                        .map(|(k, _)| k.trim().trim_matches('"'))
                        .filter(|k| !k.is_empty() && !message.contains(*k));
                    match key {
                        Some(k) => format!("line {line}: `{k}`: {message}"),
                        None => format!("line {line}: {message}"),
                    }
                }
                None => message,
            }
        })?;
        let mut articles = BTreeMap::new();
        for (key, a) in raw.articles {
            let published = match a.published {
                None => None,
                Some(value) => {
                    let s = match &value {
                        toml::Value::String(s) => s.clone(),
                        toml::Value::Datetime(d) => d.to_string(),
                        other => {
                            return Err(format!(
                                "{}articles.{key:?}.published: expected an ISO-8601 time with offset, found {}",
                                line_prefix(text, &key),
                                other.type_str()
                            ))
                        }
                    };
                    Some(super::parse_published(&s).ok_or_else(|| {
                        format!(
                            "{}articles.{key:?}.published: {s:?} is not ISO-8601 with an offset",
                            line_prefix(text, &key)
                        )
                    })?)
                }
            };
            articles.insert(
                key,
                ArticleConfig {
                    source: a.source,
                    title: a.title,
                    url: a.url,
                    published,
                },
            );
        }
        Ok(CaseConfig {
            title: raw.title,
            traveller: raw.traveller,
            aliases: raw.aliases,
            mode: raw.mode,
            articles,
        })
    }
}

/// `line N: ` of the `published` key in the article's table, found by a text search because the
/// typed parse no longer has spans.
fn line_prefix(text: &str, key: &str) -> String {
    let Some(table) = text.find(key) else {
        return String::new();
    };
    let Some(rel) = text[table..].find("published") else {
        return String::new();
    };
    let line = text[..table + rel].matches('\n').count() + 1;
    format!("line {line}: ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_key_names_key_and_line() {
        let err = CaseConfig::parse("title = \"x\"\ntravller = \"Kim\"\n").unwrap_err();
        assert!(err.starts_with("line 2:"), "{err}");
        assert!(err.contains("travller"), "{err}");
    }

    #[test]
    fn wrong_type_names_line_and_key() {
        let err = CaseConfig::parse("title = 3\n").unwrap_err();
        assert!(err.starts_with("line 1: `title`:"), "{err}");
    }

    #[test]
    fn published_accepts_string_and_toml_datetime() {
        let c = CaseConfig::parse(
            "[articles.\"a.txt\"]\npublished = 2025-09-02T10:00:00+09:00\n[articles.b]\npublished = \"2025-09-01T22:00+09:00\"\n",
        )
        .unwrap();
        assert_eq!(
            c.articles["a.txt"].published.unwrap().to_rfc3339(),
            "2025-09-02T10:00:00+09:00"
        );
        assert!(c.articles["b"].published.is_some());
    }

    #[test]
    fn bad_published_is_an_error_with_line() {
        let err = CaseConfig::parse("[articles.\"a.txt\"]\npublished = \"Tuesday\"\n").unwrap_err();
        assert!(err.starts_with("line 2:"), "{err}");
    }
}
