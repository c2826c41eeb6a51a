//! The rule cases in `tests/cases/`: one folder per rule, each with an `expect.toml`
//! (format in `tests/cases/README.md`). One test runs them all and lists every mismatch.

use std::collections::BTreeSet;
use std::path::Path;

use serde::Deserialize;

use crate::cli::{repo, run};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    exit: i32,
    fires: Vec<String>,
    #[serde(default)]
    absent: Vec<String>,
    #[serde(default)]
    clean: bool,
}

/// Rules that fire in a `retrace.check/1` answer: failed checks, and info checks of any status.
fn fired(answer: &serde_json::Value) -> BTreeSet<String> {
    answer["checks"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|c| c["status"] == "fail" || c["severity"] == "info")
        .filter_map(|c| c["rule"].as_str().map(str::to_string))
        .collect()
}

fn check_case(dir: &Path, problems: &mut Vec<String>) {
    let name = dir.file_name().unwrap_or_default().to_string_lossy();
    let expect: Expect = match std::fs::read_to_string(dir.join("expect.toml"))
        .map_err(|e| e.to_string())
        .and_then(|s| toml::from_str(&s).map_err(|e| e.to_string()))
    {
        Ok(e) => e,
        Err(e) => return problems.push(format!("{name}: expect.toml: {e}")),
    };
    let rel = format!("tests/cases/{name}");
    let out = run(&["check", &rel, "--format", "json"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    if stderr.contains("panicked") {
        problems.push(format!("{name}: panicked: {stderr}"));
    }
    if out.status.code() != Some(expect.exit) {
        problems.push(format!(
            "{name}: exit {:?}, expected {}",
            out.status.code(),
            expect.exit
        ));
    }
    let answer: serde_json::Value = match serde_json::from_str(&stdout) {
        Ok(v) => v,
        Err(e) => return problems.push(format!("{name}: output is not JSON ({e}): {stdout}")),
    };
    if answer["schema"] != "retrace.check/1" {
        problems.push(format!("{name}: schema {}", answer["schema"]));
    }
    let fired = fired(&answer);
    for rule in &expect.fires {
        if retrace::check::rules::rule(rule).is_none() {
            problems.push(format!("{name}: expect.toml names unknown rule {rule}"));
        }
        if !fired.contains(rule) {
            problems.push(format!("{name}: {rule} did not fire (fired: {fired:?})"));
        }
    }
    for rule in &expect.absent {
        if fired.contains(rule) {
            problems.push(format!("{name}: {rule} fired but must not"));
        }
    }
    if expect.clean {
        for c in answer["checks"].as_array().into_iter().flatten() {
            if c["status"] == "fail" && c["severity"] != "info" {
                problems.push(format!(
                    "{name}: expected clean, but {} {} failed: {}",
                    c["severity"], c["rule"], c["message"]
                ));
            }
        }
        if answer["passed"] != true {
            problems.push(format!("{name}: expected passed: true"));
        }
    }
}

#[test]
fn every_rule_case_fires_its_rules() {
    let root = repo().join("tests/cases");
    let mut dirs: Vec<_> = std::fs::read_dir(&root)
        .expect("tests/cases exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    let mut problems = Vec::new();
    for dir in &dirs {
        check_case(dir, &mut problems);
    }
    // Every rule that article text can trigger has a folder named after it.
    let names: BTreeSet<String> = dirs
        .iter()
        .filter_map(|d| d.file_name().map(|n| n.to_string_lossy().into_owned()))
        .collect();
    for rule in retrace::check::rules::RULES {
        if !names.contains(rule.id) && !NOT_FROM_TEXT.contains(&rule.id) {
            problems.push(format!("no case folder for rule {}", rule.id));
        }
    }
    if !names.contains("consistent") {
        problems.push("no consistent case".into());
    }
    assert!(
        problems.is_empty(),
        "{} problem(s) in {} cases:\n{}",
        problems.len(),
        dirs.len(),
        problems.join("\n")
    );
}

/// Rules that no article text can trigger (none yet).
const NOT_FROM_TEXT: &[&str] = &[];
