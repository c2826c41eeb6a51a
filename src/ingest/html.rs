//! HTML → visible text, keeping a map from text offsets back to the page's bytes.
//!
//! A full HTML5 tree builder would discard source positions, which we need for file:line
//! reports, so this is a tolerant tag scanner: it skips `<script>`, `<style>` and friends, turns
//! block elements into line breaks, decodes entities per text run (with `html-escape`) and
//! records where each run starts in the page. Broken markup degrades to text, never to a panic.

use std::collections::BTreeMap;

pub(super) struct Page {
    pub text: String,
    pub offset_map: Vec<(usize, usize)>,
    /// `title`, `published`, `source` from `<title>` and `<meta>` tags.
    pub meta: BTreeMap<String, String>,
}

/// Elements whose content is never shown as article text.
const HIDDEN: &[&str] = &[
    "script", "style", "noscript", "template", "svg", "head", "iframe", "object", "canvas",
];

/// Elements that start a new line of text.
const BLOCK: &[&str] = &[
    "p",
    "div",
    "br",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "tr",
    "table",
    "section",
    "article",
    "header",
    "footer",
    "blockquote",
    "figcaption",
    "figure",
    "hr",
    "aside",
    "nav",
    "main",
    "pre",
    "dd",
    "dt",
];

pub(super) fn html_to_text(html: &str) -> Page {
    let mut text = String::with_capacity(html.len() / 2);
    let mut offset_map = Vec::new();
    let mut meta = BTreeMap::new();
    let bytes = html.as_bytes();
    let mut i = 0;
    let mut hidden_until: Option<String> = None;
    let mut in_title = false;
    let mut title = String::new();
    while i < bytes.len() {
        if bytes[i] == b'<' {
            // Comments and doctype.
            if html[i..].starts_with("<!--") {
                i = html[i..]
                    .find("-->")
                    .map(|e| i + e + 3)
                    .unwrap_or(bytes.len());
                continue;
            }
            let Some(close) = html[i..].find('>').map(|e| i + e) else {
                // An unclosed '<' at the end: treat the rest as text.
                push_run(&mut text, &mut offset_map, &html[i..], i);
                break;
            };
            let tag = &html[i + 1..close];
            let is_end = tag.starts_with('/');
            let name: String = tag
                .trim_start_matches('/')
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect::<String>()
                .to_ascii_lowercase();
            if let Some(h) = &hidden_until {
                if is_end && &name == h {
                    hidden_until = None;
                }
                i = close + 1;
                continue;
            }
            if name == "title" {
                in_title = !is_end;
            } else if name == "meta" {
                read_meta(tag, &mut meta);
            } else if !is_end && HIDDEN.contains(&name.as_str()) && !tag.ends_with('/') {
                if name == "head" {
                    // <head> holds <title> and <meta>, which we want: only skip its scripts.
                } else {
                    hidden_until = Some(name);
                }
            } else if BLOCK.contains(&name.as_str()) && !text.ends_with('\n') && !text.is_empty() {
                offset_map.push((text.len(), i));
                text.push('\n');
            }
            i = close + 1;
            continue;
        }
        let next = html[i..].find('<').map(|e| i + e).unwrap_or(bytes.len());
        if hidden_until.is_none() {
            let run = &html[i..next];
            if in_title {
                title.push_str(run);
            } else if !run.trim().is_empty() {
                push_run(&mut text, &mut offset_map, run, i);
            } else if !text.ends_with(['\n', ' ']) && !text.is_empty() {
                text.push(' ');
            }
        }
        i = next;
    }
    let title = html_escape::decode_html_entities(title.trim()).into_owned();
    if !title.is_empty() {
        meta.entry("title".to_string()).or_insert(title);
    }
    if offset_map.is_empty() {
        offset_map.push((0, 0));
    }
    Page {
        text,
        offset_map,
        meta,
    }
}

fn push_run(text: &mut String, offset_map: &mut Vec<(usize, usize)>, run: &str, raw_start: usize) {
    let decoded = html_escape::decode_html_entities(run);
    let clean = crate::text::strip_controls(&decoded.replace(['\n', '\r'], " "), false);
    offset_map.push((text.len(), raw_start));
    text.push_str(&clean);
}

fn read_meta(tag: &str, meta: &mut BTreeMap<String, String>) {
    let attr = |name: &str| -> Option<String> {
        let lower = tag.to_ascii_lowercase();
        let pos = lower.find(&format!("{name}="))?;
        let rest = &tag[pos + name.len() + 1..];
        let quote = rest.chars().next()?;
        let value = if quote == '"' || quote == '\'' {
            rest[1..].split(quote).next()?
        } else {
            rest.split_whitespace().next()?
        };
        Some(html_escape::decode_html_entities(value).into_owned())
    };
    let key = attr("property")
        .or_else(|| attr("name"))
        .unwrap_or_default();
    let Some(content) = attr("content") else {
        return;
    };
    let field = match key.to_ascii_lowercase().as_str() {
        "article:published_time" | "date" | "pubdate" | "dc.date" => "published",
        "og:site_name" | "publisher" => "source",
        "og:url" => "url",
        "og:title" => "title",
        _ => return,
    };
    meta.entry(field.to_string()).or_insert(content);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_are_dropped_and_offsets_point_into_the_page() {
        let html = "<html><head><title>T &amp; U</title><meta property=\"article:published_time\" content=\"2025-09-02T10:00:00+09:00\"><script>var x='<p>';</script></head><body><p>Kim left <b>Pyongyang</b>.</p><p>Next</p></body></html>";
        let page = html_to_text(html);
        assert!(page.text.contains("Kim left Pyongyang."), "{}", page.text);
        assert!(!page.text.contains("var x"));
        assert_eq!(page.meta["title"], "T & U");
        assert_eq!(page.meta["published"], "2025-09-02T10:00:00+09:00");
        let at = page.text.find("Pyongyang").unwrap();
        let (t, r) = page
            .offset_map
            .iter()
            .rev()
            .find(|(t, _)| *t <= at)
            .copied()
            .unwrap();
        assert_eq!(&html[r + (at - t)..r + (at - t) + 9], "Pyongyang");
    }

    #[test]
    fn broken_markup_does_not_panic() {
        for html in [
            "<",
            "<p",
            "<<<>>>",
            "<script>",
            "a <b c='>",
            "&#xFFFFFFFF; &bogus;",
        ] {
            let _ = html_to_text(html);
        }
    }
}
