//! `report.html`: a self-contained page that stays inert whatever the articles hold. Built from
//! the hand-written sample report (`tests/fixtures/report_sample.json`), once as it is and once
//! with hostile text in every article-derived string. The hostile page is also written to
//! `target/html/malicious-report.html`, for `scripts/check_html_chromium.sh` to open in a browser.

use std::path::PathBuf;

use retrace::render::{render_route, render_timeline, Theme};
use retrace::report::wire::{ReportWire, SkippedWire};
use retrace::report::{render_html, CONTENT_SECURITY_POLICY};

const FIXTURE: &str = include_str!("../fixtures/report_sample.json");

/// Markup that would run if it reached the page unescaped. The canary it writes, "XSS" + "-RAN",
/// is never spelled out whole, so finding it in a browser's DOM means a script ran.
const SCRIPT: &str = "<script>document.title=\"XSS\"+\"-RAN\";alert(1)</script>";
const IMG: &str = "<img src=x onerror=\"document.title='XSS'+'-RAN'\">";
const ATTRIBUTE: &str = "\" onload=\"x";
/// A web address with quotes in it: a link, with the quotes escaped inside `href`.
const LINK: &str = "https://example.org/a?b=\"onload=\"x";
const CDATA_END: &str = "]]>";
const VERTICAL_TAB: char = '\u{000B}';
const RIGHT_TO_LEFT_OVERRIDE: char = '\u{202E}';

fn sample() -> ReportWire {
    serde_json::from_str(FIXTURE).expect("tests/fixtures/report_sample.json parses as ReportWire")
}

fn hostile(label: &str) -> String {
    format!(
        "{label} {SCRIPT} {IMG} {ATTRIBUTE} {CDATA_END} a{VERTICAL_TAB}b {RIGHT_TO_LEFT_OVERRIDE}txt.exe"
    )
}

/// The sample with hostile text in the case, documents, claims, events, stops, legs, checks and
/// skipped files.
fn malicious() -> ReportWire {
    let mut r = sample();
    r.case.title = hostile("Title");
    r.case.name = hostile("case");
    r.case.traveller = Some(hostile("Traveller"));
    for d in &mut r.documents {
        d.source = Some(hostile("Source"));
        d.title = Some(hostile("Headline"));
        d.file = hostile("file");
        d.url = Some("javascript:document.title='XSS'+'-RAN'".to_string());
    }
    r.documents[0].url = Some(LINK.to_string());
    r.documents[1].url = Some(format!("https://example.org/{ATTRIBUTE}"));
    for c in &mut r.claims {
        c.quote = hostile("Quote");
        c.time_text = c.time_text.as_ref().map(|_| hostile("late Monday"));
    }
    for e in &mut r.timeline {
        e.place = Some(hostile("Place"));
    }
    for p in &mut r.places {
        p.name = hostile("Place");
    }
    for s in &mut r.route.stops {
        s.name = hostile("Stop");
        s.native = Some(hostile("Native"));
    }
    for l in &mut r.route.legs {
        l.from = hostile("From");
        l.to = hostile("To");
        l.via = vec![hostile("Via")];
    }
    for c in &mut r.checks {
        c.message = hostile("Message");
    }
    r.skipped.push(SkippedWire {
        file: hostile("skipped"),
        reason: hostile("Reason"),
    });
    r
}

fn page(report: &ReportWire) -> String {
    let timeline = render_timeline(report, Theme::Light);
    let route = render_route(report, &[], Theme::Light);
    render_html(report, &timeline, &route)
}

fn parse(html: &str) -> roxmltree::Document<'_> {
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..Default::default()
    };
    roxmltree::Document::parse_with_options(html, options).expect("report.html is well-formed XML")
}

fn save(name: &str, html: &str) {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .map(|p| p.join("html"))
        .unwrap_or_else(|| PathBuf::from("target/html"));
    std::fs::create_dir_all(&dir).expect("create target/html");
    std::fs::write(dir.join(name), html).expect("write html");
}

/// Every text node of `doc`, joined by spaces (each once).
pub(crate) fn all_text(doc: &roxmltree::Document<'_>) -> String {
    doc.descendants()
        .filter(|n| n.is_text())
        .filter_map(|n| n.text())
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn hostile_article_text_stays_text() {
    let report = malicious();
    let html = page(&report);
    save("malicious-report.html", &html);
    let doc = parse(&html);

    // No element or attribute came from article text.
    for node in doc.descendants().filter(|n| n.is_element()) {
        let name = node.tag_name().name();
        assert!(
            !["script", "img", "iframe", "object", "embed", "link", "base", "form"].contains(&name),
            "a <{name}> element is in the page"
        );
        for attribute in node.attributes() {
            let key = attribute.name().to_ascii_lowercase();
            assert!(
                !key.starts_with("on"),
                "<{name}> has an event attribute {key}"
            );
            assert!(key != "src", "<{name}> loads {}", attribute.value());
            if key == "href" {
                let value = attribute.value();
                assert!(
                    value.starts_with("https://") || value.starts_with('#'),
                    "<{name}> links to {value}"
                );
            }
        }
    }
    assert_eq!(
        doc.descendants()
            .filter(|n| n.has_tag_name("a"))
            .filter_map(|n| n.attribute("href"))
            .collect::<Vec<_>>(),
        vec![LINK],
        "only a well-formed https address is a link; javascript: and addresses with spaces are text"
    );

    // The hostile text is there, as text.
    let text = all_text(&doc);
    for needle in [
        SCRIPT,
        IMG,
        ATTRIBUTE.trim(),
        CDATA_END,
        "Quote",
        "Message",
        "Via",
    ] {
        assert!(text.contains(needle), "the page shows {needle:?} as text");
    }
    assert!(text.contains("javascript:document.title"));
    assert!(text.contains("ab") && text.contains("txt.exe"));
    // Hidden characters are gone everywhere, markup included.
    assert!(!html.contains(VERTICAL_TAB));
    assert!(!html.contains(RIGHT_TO_LEFT_OVERRIDE));
    // In the raw bytes the markup only ever appears escaped.
    assert!(!html.to_ascii_lowercase().contains("<script"));
    assert!(!html.contains("<img"));
    assert!(!html.contains(" onload=\"") && !html.contains(" onerror=\""));
    assert!(!html.contains("XSS-RAN"));
}

#[test]
fn page_is_self_contained_with_a_strict_policy() {
    let html = page(&sample());
    save("sample-report.html", &html);
    let doc = parse(&html);
    assert!(html.starts_with("<!DOCTYPE html>\n"));
    let head = doc
        .descendants()
        .find(|n| n.has_tag_name("head"))
        .expect("<head>");
    let metas: Vec<_> = head.children().filter(|n| n.has_tag_name("meta")).collect();
    assert_eq!(metas[0].attribute("charset"), Some("utf-8"));
    let csp = metas
        .iter()
        .find(|m| m.attribute("http-equiv") == Some("Content-Security-Policy"))
        .expect("a Content-Security-Policy meta tag");
    assert_eq!(csp.attribute("content"), Some(CONTENT_SECURITY_POLICY));
    assert!(CONTENT_SECURITY_POLICY
        .starts_with("default-src 'none'; style-src 'unsafe-inline'; img-src data: 'self'"));
    // Nothing to load: no script, no stylesheet link, no src attribute, no url() in the style.
    assert!(!doc
        .descendants()
        .any(|n| n.has_tag_name("script") || n.has_tag_name("link")));
    assert!(!doc.descendants().any(|n| n.attribute("src").is_some()));
    let style = doc
        .descendants()
        .find(|n| n.has_tag_name("style"))
        .and_then(|n| n.text())
        .expect("inline <style>");
    assert!(!style.contains("url(") && !style.contains("@import"));
}

#[test]
fn page_has_the_figures_and_the_content_of_report_md() {
    let report = sample();
    let html = page(&report);
    let doc = parse(&html);

    // Both figures inline, each an accessible SVG.
    let svgs: Vec<_> = doc
        .descendants()
        .filter(|n| n.tag_name().name() == "svg")
        .collect();
    assert_eq!(svgs.len(), 2);
    for svg in &svgs {
        assert_eq!(svg.attribute("role"), Some("img"));
        assert_eq!(
            svg.tag_name().namespace(),
            Some("http://www.w3.org/2000/svg")
        );
    }
    // Element ids stay unique with both figures on one page.
    let mut ids: Vec<&str> = doc
        .descendants()
        .filter_map(|n| n.attribute("id"))
        .collect();
    let count = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), count, "duplicate ids");

    let headings: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("h2"))
        .filter_map(|n| n.text())
        .collect();
    assert_eq!(
        headings,
        ["Timeline", "Route", "Checks", "Quantities", "Sources"]
    );
    let text = all_text(&doc);
    for claim in report.claims.iter().filter(|c| {
        report
            .checks
            .iter()
            .any(|k| k.status != "pass" && k.claims.contains(&c.id))
    }) {
        assert!(
            text.contains(&claim.quote),
            "quote of {} is shown",
            claim.id
        );
    }
    for d in &report.documents {
        assert!(text.contains(&d.file), "{} is listed", d.file);
    }
    for l in &report.route.legs {
        assert!(text.contains(&format!("{:.1}", l.geodesic_km)));
    }
    // Times read in the zone of their event.
    assert!(text.contains("Mon 1 Sep 2025 18:00 KST"));
    assert!(text.contains("GeoNames (CC BY 4.0)"));

    // Same report, same bytes.
    assert_eq!(html, page(&report));
}
