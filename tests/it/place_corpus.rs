//! Runs every line of `tests/corpus/place/*.txt` through `find_places` and fails once with all
//! failures as `file:line: ...`. `RETRACE_CORPUS=<substring>` keeps only matching lines.
//!
//! Line format (`#` starts a comment line):
//!
//! ```text
//! text => id, id        the mentions, in text order, are exactly these ids
//! text => none          no mention at all
//! text ~> id, id        these ids are among the mentions (others may be there too)
//! text !> id, id        none of these ids is among the mentions
//! ```
//!
//! An id may carry the expected match kind: `gn:1871859/description`, `country:CN/country`.

use std::fs;
use std::path::Path;

use retrace::place::{check_embedded_data, find_places, Gazetteer, MatchKind, PlaceMention};

fn kind_name(how: MatchKind) -> &'static str {
    match how {
        MatchKind::Name => "name",
        MatchKind::Description => "description",
        MatchKind::Country => "country",
    }
}

/// Splits `id/kind` into the id and the optional kind.
fn split_expected(item: &str) -> (&str, Option<&str>) {
    match item.split_once('/') {
        Some((id, kind)) => (id, Some(kind)),
        None => (item, None),
    }
}

fn matches(m: &PlaceMention, expected: &str) -> bool {
    let (id, kind) = split_expected(expected);
    m.place_id == id && kind.is_none_or(|k| k == kind_name(m.how))
}

fn describe(found: &[PlaceMention]) -> String {
    if found.is_empty() {
        return "none".to_string();
    }
    found
        .iter()
        .map(|m| format!("{:?}={}/{}", m.text, m.place_id, kind_name(m.how)))
        .collect::<Vec<_>>()
        .join(", ")
}

fn check_line(gazetteer: &Gazetteer, line: &str) -> Result<(), String> {
    let (text, op, expected) = ["=>", "~>", "!>"]
        .iter()
        .find_map(|op| line.rsplit_once(op).map(|(t, e)| (t.trim(), *op, e.trim())))
        .ok_or_else(|| "expected `text => ids`, `~>` or `!>`".to_string())?;
    let expected: Vec<&str> = if expected == "none" {
        Vec::new()
    } else {
        expected.split(',').map(str::trim).collect()
    };
    for item in &expected {
        let (id, _) = split_expected(item);
        if gazetteer.get(id).is_none() {
            return Err(format!("expected id {id:?} is not in the gazetteer"));
        }
    }
    let found = find_places(text, gazetteer);
    let ok = match op {
        "=>" => {
            found.len() == expected.len() && found.iter().zip(&expected).all(|(m, e)| matches(m, e))
        }
        "~>" => expected.iter().all(|e| found.iter().any(|m| matches(m, e))),
        _ => !expected.iter().any(|e| found.iter().any(|m| matches(m, e))),
    };
    if ok {
        Ok(())
    } else {
        Err(format!(
            "{text:?}: expected {op} {}, found {}",
            expected.join(", "),
            describe(&found)
        ))
    }
}

#[test]
fn place_corpus() {
    let gazetteer = Gazetteer::embedded();
    let filter = std::env::var("RETRACE_CORPUS").ok();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/place");
    let mut files: Vec<_> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no corpus files in {}", dir.display());
    let mut failures = Vec::new();
    let mut checked = 0;
    for path in &files {
        let text =
            fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        for (i, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if filter.as_deref().is_some_and(|f| !line.contains(f)) {
                continue;
            }
            checked += 1;
            if let Err(e) = check_line(gazetteer, line) {
                failures.push(format!("tests/corpus/place/{name}:{}: {e}", i + 1));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {checked} corpus lines failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn every_place_data_file_loads() {
    check_embedded_data().unwrap_or_else(|e| panic!("{e}"));
}
