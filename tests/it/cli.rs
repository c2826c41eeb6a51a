//! End-to-end: the binary on cases, as a user runs it.

use std::path::PathBuf;
use std::process::{Command, Output};

pub fn retrace() -> Command {
    Command::new(env!("CARGO_BIN_EXE_retrace"))
}

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn run(args: &[&str]) -> Output {
    retrace()
        .args(args)
        .current_dir(repo())
        .output()
        .expect("the retrace binary runs")
}

pub fn temp_dir(name: &str) -> PathBuf {
    let dir = repo().join("target").join("test-tmp").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn missing_case_folder_exits_2_naming_it() {
    let o = run(&["check", "tests/bad_inputs/does-not-exist"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("does-not-exist"), "{}", stderr(&o));
    assert!(!stderr(&o).contains("panicked"));
}

#[test]
fn empty_folder_exits_2() {
    let dir = temp_dir("empty-case");
    let o = run(&["check", dir.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no articles"), "{}", stderr(&o));
}

#[test]
fn bad_files_are_named_and_the_rest_still_processed() {
    let dir = temp_dir("bad-files");
    std::fs::write(dir.join("empty.txt"), "").unwrap();
    std::fs::write(dir.join("binary.txt"), b"\x00\x01\x02\x03PNG").unwrap();
    std::fs::write(dir.join("case.toml"), "title = \"t\"\ntravller = \"Kim\"\n").unwrap();
    std::fs::write(
        dir.join("good.txt"),
        "Published: 2025-09-02T10:00:00+09:00\n\nKim Jong Un left Pyongyang on Monday evening, state media said.\n",
    )
    .unwrap();
    let out = dir.join("out");
    let o = run(&[
        "reconstruct",
        dir.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("empty.txt: empty article"), "{err}");
    assert!(err.contains("binary.txt: binary file"), "{err}");
    assert!(
        err.contains("case.toml: line 2:") && err.contains("travller"),
        "{err}"
    );
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("report.json")).unwrap()).unwrap();
    assert_eq!(report["documents"].as_array().unwrap().len(), 1);
    let skipped: Vec<&str> = report["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["file"].as_str().unwrap())
        .collect();
    assert_eq!(skipped, ["case.toml", "binary.txt", "empty.txt"]);
}

#[test]
fn article_without_time_or_place_is_a_finding_not_a_failure() {
    let dir = temp_dir("no-time");
    std::fs::write(
        dir.join("a.txt"),
        "Published: 2025-09-02T10:00:00+09:00\n\nNothing happened here at all, officials said.\n",
    )
    .unwrap();
    let o = run(&["check", dir.to_str().unwrap(), "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let rules: Vec<&str> = v["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["rule"].as_str().unwrap())
        .collect();
    assert!(rules.contains(&"article_without_time"), "{rules:?}");
}

#[test]
fn explain_lists_every_rule() {
    let o = run(&["explain"]);
    assert!(o.status.success());
    let text = String::from_utf8_lossy(&o.stdout);
    for rule in retrace::check::rules::RULES {
        assert!(text.contains(rule.id), "{}", rule.id);
    }
    let o = run(&["explain", "no_such_rule"]);
    assert_eq!(o.status.code(), Some(2));
}

/// The committed sample outputs are exactly what the current code writes. On failure,
/// regenerate with `cargo run --release -- reconstruct --png` and review the diff.
#[test]
fn committed_sample_outputs_are_up_to_date() {
    let out = temp_dir("sample-out");
    let o = run(&["reconstruct", "--png", "--out", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let committed = repo().join("out").join("kim-train-2025");
    let mut names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(names.len() >= 7, "{names:?}");
    let mut stale = Vec::new();
    for name in &names {
        let fresh = std::fs::read(out.join(name)).unwrap();
        let old = std::fs::read(committed.join(name)).unwrap_or_default();
        if fresh != old {
            stale.push(name.clone());
        }
    }
    assert!(
        stale.is_empty(),
        "out/kim-train-2025 is stale for {stale:?}: run `cargo run --release -- reconstruct --png` and commit"
    );
}

/// Same inputs, same bytes.
#[test]
fn outputs_are_deterministic() {
    let a = temp_dir("det-a");
    let b = temp_dir("det-b");
    for dir in [&a, &b] {
        let o = run(&["reconstruct", "--out", dir.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    }
    for name in [
        "report.json",
        "timeline.svg",
        "route.svg",
        "route.geojson",
        "report.md",
    ] {
        assert_eq!(
            std::fs::read(a.join(name)).unwrap(),
            std::fs::read(b.join(name)).unwrap(),
            "{name}"
        );
    }
}
