//! `retrace check` output formats: human, json, github, sarif, junit.
//!
//! Paths are the article files joined to `base` (the case folder as the user gave it), so that
//! CI annotations point at files in the repository.

use std::fmt::Write;

use serde_json::json;

use super::wire::{CheckWire, ClaimWire, ReportWire};
use crate::check::rules::RULES;
use crate::text::{escape_xml, strip_controls};

/// Version of the `--format json` output.
pub const CHECK_SCHEMA: &str = "retrace.check/1";

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Human,
    Json,
    Github,
    Sarif,
    Junit,
}

impl Format {
    pub fn parse(s: &str) -> Option<Format> {
        Some(match s {
            "human" => Format::Human,
            "json" => Format::Json,
            "github" => Format::Github,
            "sarif" => Format::Sarif,
            "junit" => Format::Junit,
            _ => return None,
        })
    }
}

pub fn render_check(report: &ReportWire, format: Format, base: &str) -> String {
    match format {
        Format::Human => render_human(report, base),
        Format::Json => render_check_json(report),
        Format::Github => render_github(report, base),
        Format::Sarif => render_sarif(report, base),
        Format::Junit => render_junit(report),
    }
}

fn file_of(report: &ReportWire, doc: &str) -> String {
    report
        .documents
        .iter()
        .find(|d| d.id == doc)
        .map(|d| d.file.clone())
        .unwrap_or_else(|| doc.to_string())
}

fn join(base: &str, file: &str) -> String {
    if base.is_empty() || base == "." {
        file.to_string()
    } else {
        format!("{}/{}", base.trim_end_matches('/'), file)
    }
}

fn claims_of<'a>(report: &'a ReportWire, check: &CheckWire) -> Vec<&'a ClaimWire> {
    check
        .claims
        .iter()
        .filter_map(|id| report.claims.iter().find(|c| &c.id == id))
        .collect()
}

/// (file, line, col) of a check: its first claim, else its article and line.
fn location(report: &ReportWire, check: &CheckWire, base: &str) -> Option<(String, usize, usize)> {
    if let Some(c) = claims_of(report, check).first() {
        return Some((join(base, &file_of(report, &c.doc)), c.line, c.col));
    }
    if check.rule == "input_skipped" {
        let file = check.message.split(':').next().unwrap_or("").to_string();
        return Some((join(base, &file), check.line.unwrap_or(1), 1));
    }
    check
        .doc
        .as_ref()
        .map(|d| (join(base, &file_of(report, d)), check.line.unwrap_or(1), 1))
}

fn reported(check: &CheckWire) -> bool {
    check.status == "fail"
}

fn render_human(report: &ReportWire, base: &str) -> String {
    let mut out = String::new();
    for check in report.checks.iter().filter(|c| reported(c)) {
        let loc = location(report, check, base)
            .map(|(f, l, c)| format!("{f}:{l}:{c}: "))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "{loc}{}[{}] {}: {}",
            check.severity,
            check.rule,
            check.id,
            strip_controls(&check.message, true)
        );
        for claim in claims_of(report, check) {
            let quote = strip_controls(&claim.quote, true);
            let _ = writeln!(
                out,
                "   --> {}:{}:{}",
                join(base, &file_of(report, &claim.doc)),
                claim.line,
                claim.col
            );
            let _ = writeln!(out, "    | {quote}");
            if let Some(t) = &claim.time_text {
                if let Some(pos) = quote.find(t.as_str()) {
                    let pad = quote[..pos].chars().count();
                    let _ = writeln!(
                        out,
                        "    | {}{}",
                        " ".repeat(pad),
                        "^".repeat(t.chars().count().max(1))
                    );
                }
            }
        }
        for (k, v) in &check.figures {
            let _ = writeln!(out, "    = {k}: {v}");
        }
        let _ = writeln!(out);
    }
    let errors = report
        .checks
        .iter()
        .filter(|c| reported(c) && c.severity == "error")
        .count();
    let warnings = report
        .checks
        .iter()
        .filter(|c| reported(c) && c.severity == "warning")
        .count();
    let passed = report.checks.iter().filter(|c| c.status == "pass").count();
    let _ = writeln!(
        out,
        "{}: {} errors, {} warnings, {} checks passed",
        report.case.name, errors, warnings, passed
    );
    out
}

fn render_check_json(report: &ReportWire) -> String {
    let failed = report
        .checks
        .iter()
        .any(|c| reported(c) && c.severity == "error");
    let value = json!({
        "schema": CHECK_SCHEMA,
        "case": report.case.name,
        "passed": !failed,
        "checks": report.checks,
        "skipped": report.skipped,
    });
    let mut s = serde_json::to_string_pretty(&value).unwrap_or_default();
    s.push('\n');
    s
}

/// GitHub workflow commands: data escapes `%`, CR and LF; properties also `:` and `,`.
fn gh_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn gh_prop(s: &str) -> String {
    gh_data(s).replace(':', "%3A").replace(',', "%2C")
}

fn render_github(report: &ReportWire, base: &str) -> String {
    let mut out = String::new();
    for check in report.checks.iter().filter(|c| reported(c)) {
        let level = match check.severity.as_str() {
            "error" => "error",
            "warning" => "warning",
            _ => "notice",
        };
        let mut props = Vec::new();
        if let Some((f, l, c)) = location(report, check, base) {
            props.push(format!("file={}", gh_prop(&f)));
            props.push(format!("line={l}"));
            props.push(format!("col={c}"));
        }
        props.push(format!(
            "title={}",
            gh_prop(&format!("{} {}", check.id, check.rule))
        ));
        let _ = writeln!(
            out,
            "::{level} {}::{}",
            props.join(","),
            gh_data(&strip_controls(&check.message, false))
        );
    }
    out
}

/// FNV-1a, 64 bit: a fingerprint that stays the same across Rust versions and platforms.
fn fnv1a(s: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}

/// A file path as a URI reference: RFC 3986 unreserved characters and `/` stay, every other
/// byte is percent-encoded ("my case/02 wire.txt" → "my%20case/02%20wire.txt").
fn uri_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

fn sarif_location(
    report: &ReportWire,
    claim: &ClaimWire,
    base: &str,
    id: usize,
) -> serde_json::Value {
    json!({
        "id": id,
        "physicalLocation": {
            "artifactLocation": {"uri": uri_path(&join(base, &file_of(report, &claim.doc)))},
            "region": {
                "startLine": claim.line,
                "startColumn": claim.col,
                "snippet": {"text": strip_controls(&claim.quote, true)}
            }
        },
        "message": {"text": format!("{} ({})", claim.id, claim.modality)}
    })
}

fn render_sarif(report: &ReportWire, base: &str) -> String {
    let rules: Vec<serde_json::Value> = RULES
        .iter()
        .map(|r| {
            json!({
                "id": r.id,
                "name": r.id,
                "shortDescription": {"text": r.title},
                "fullDescription": {"text": r.what},
                "help": {"text": format!("Why: {} Example: {} Fix: {}", r.why, r.example, r.fix)},
                "defaultConfiguration": {"level": match r.severity {
                    crate::diag::Severity::Error => "error",
                    crate::diag::Severity::Warning => "warning",
                    crate::diag::Severity::Info => "note",
                }}
            })
        })
        .collect();
    let mut results = Vec::new();
    for check in report.checks.iter().filter(|c| reported(c)) {
        let level = match check.severity.as_str() {
            "error" => "error",
            "warning" => "warning",
            _ => "note",
        };
        let claims = claims_of(report, check);
        // A result is known by its rule and claims, which stay put when figures change; one
        // without claims (an input finding) by its article, line and message.
        let mut key = format!(
            "{}|{}|{}",
            check.rule,
            check.claims.join(","),
            check.doc.clone().unwrap_or_default()
        );
        if check.claims.is_empty() {
            let _ = write!(key, "|{}|{}", check.line.unwrap_or(0), check.message);
        }
        let mut result = json!({
            "ruleId": check.rule,
            "level": level,
            "message": {"text": strip_controls(&check.message, true)},
            "partialFingerprints": {
                "retrace/v1": fnv1a(&key)
            },
            "properties": {"checkId": check.id, "figures": check.figures},
        });
        if let Some(rule_index) = RULES.iter().position(|r| r.id == check.rule) {
            result["ruleIndex"] = json!(rule_index);
        }
        if let Some(first) = claims.first() {
            result["locations"] = json!([sarif_location(report, first, base, 0)]);
            let related: Vec<_> = claims
                .iter()
                .enumerate()
                .skip(1)
                .map(|(i, c)| sarif_location(report, c, base, i))
                .collect();
            if !related.is_empty() {
                result["relatedLocations"] = json!(related);
            }
        } else {
            // Code scanning drops results without a location: a finding about the case as a
            // whole (a leg off the network) points at the first article.
            let fallback = || {
                report
                    .documents
                    .first()
                    .map(|d| (join(base, &d.file), 1, 1))
            };
            if let Some((f, l, c)) = location(report, check, base).or_else(fallback) {
                result["locations"] = json!([{
                    "physicalLocation": {
                        "artifactLocation": {"uri": uri_path(&f)},
                        "region": {"startLine": l, "startColumn": c}
                    }
                }]);
            }
        }
        results.push(result);
    }
    let sarif = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "retrace",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://crates.io/crates/retrace",
                "rules": rules
            }},
            // Columns count characters, as everywhere in retrace.
            "columnKind": "unicodeCodePoints",
            "results": results
        }]
    });
    let mut s = serde_json::to_string_pretty(&sarif).unwrap_or_default();
    s.push('\n');
    s
}

fn render_junit(report: &ReportWire) -> String {
    let checks: Vec<_> = report
        .checks
        .iter()
        .filter(|c| c.status != "info")
        .collect();
    let failures = checks
        .iter()
        .filter(|c| reported(c) && c.severity == "error")
        .count();
    let mut out = String::new();
    let _ = writeln!(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
    let _ = writeln!(
        out,
        "<testsuites name=\"retrace\" tests=\"{}\" failures=\"{}\">",
        checks.len(),
        failures
    );
    let _ = writeln!(
        out,
        "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\">",
        escape_xml(&report.case.name),
        checks.len(),
        failures
    );
    for c in checks {
        let _ = write!(
            out,
            "    <testcase classname=\"retrace.{}\" name=\"{} {}\"",
            escape_xml(&c.rule),
            escape_xml(&c.id),
            escape_xml(&c.rule)
        );
        if reported(c) && c.severity == "error" {
            let _ = writeln!(out, ">");
            let _ = writeln!(
                out,
                "      <failure type=\"{}\" message=\"{}\"/>",
                escape_xml(&c.rule),
                escape_xml(&c.message)
            );
            let _ = writeln!(out, "    </testcase>");
        } else if reported(c) {
            let _ = writeln!(out, ">");
            let _ = writeln!(
                out,
                "      <system-out>{}: {}</system-out>",
                escape_xml(&c.severity),
                escape_xml(&c.message)
            );
            let _ = writeln!(out, "    </testcase>");
        } else {
            let _ = writeln!(out, "/>");
        }
    }
    let _ = writeln!(out, "  </testsuite>");
    let _ = writeln!(out, "</testsuites>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn github_escapes_as_documented() {
        assert_eq!(gh_data("a%b\nc"), "a%25b%0Ac");
        assert_eq!(gh_prop("a:b,c"), "a%3Ab%2Cc");
    }

    #[test]
    fn uris_are_percent_encoded() {
        assert_eq!(
            uri_path("my case/02 wire,1%.txt"),
            "my%20case/02%20wire%2C1%25.txt"
        );
        assert_eq!(uri_path("a/Đồng.txt"), "a/%C4%90%E1%BB%93ng.txt");
    }

    #[test]
    fn fingerprint_is_stable() {
        assert_eq!(fnv1a(""), "cbf29ce484222325");
    }
}
