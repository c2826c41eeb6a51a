//! `retrace scan`: order, determinism, filters, case folders, stdin and --out.

use std::io::Write;
use std::process::{Output, Stdio};

use crate::cli::{repo, retrace, run, temp_dir};

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn lines(o: &Output) -> Vec<serde_json::Value> {
    String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect()
}

const SAMPLE: &str = "data/cases/kim-train-2025";

#[test]
fn output_is_in_input_order_and_identical_at_any_thread_count() {
    let args = |threads: &'static str| {
        [
            "scan",
            "tests/bad_inputs/lines.jsonl",
            SAMPLE,
            "tests/bad_inputs/no_time.txt",
            "--threads",
            threads,
        ]
    };
    let one = run(&args("1"));
    let three = run(&args("3"));
    assert_eq!(one.status.code(), Some(2), "{}", stderr(&one));
    assert_eq!(one.stdout, three.stdout);
    // The messages come in input order too; only the timing line differs.
    let messages = |o: &Output| {
        stderr(o)
            .lines()
            .filter(|l| l.starts_with("retrace: ") && !l.starts_with("retrace: scan"))
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    assert_eq!(messages(&one), messages(&three));
    let files: Vec<String> = lines(&one)
        .iter()
        .map(|l| l["file"].as_str().unwrap().to_string())
        .collect();
    assert!(files[0].starts_with("tests/bad_inputs/lines.jsonl:1"));
    assert!(files[files.len() - 1].ends_with("no_time.txt"));
    let wire = files
        .iter()
        .position(|f| *f == format!("{SAMPLE}/01-wire.txt"));
    let analysis = files
        .iter()
        .position(|f| *f == format!("{SAMPLE}/02-analysis.md"));
    assert!(wire.is_some() && wire < analysis, "{files:?}");
}

#[test]
fn records_carry_mentions_places_and_claims_in_report_shapes() {
    let o = run(&["scan", SAMPLE]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let records = lines(&o);
    assert_eq!(records.len(), 4);
    let first = &records[0];
    assert_eq!(first["source"], "Sample Wire");
    assert_eq!(first["published"], "2025-09-02T10:30:00+09:00");
    assert_eq!(first["traveller"], "Kim Jong Un", "from case.toml");
    let claim = &first["claims"][0];
    for key in [
        "id", "quote", "start", "end", "line", "col", "event", "window", "modality",
    ] {
        assert!(claim.get(key).is_some(), "claim lacks {key}: {claim}");
    }
    assert!(first["places"][0]["lat"].is_number());
    assert!(stderr(&o).contains("4 articles"));
}

#[test]
fn traveller_and_date_filters_keep_matching_claims_only() {
    let o = run(&[
        "scan",
        SAMPLE,
        "--traveller",
        "Kim Jong Un",
        "--since",
        "2025-09-02",
        "--until",
        "2025-09-02",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let records = lines(&o);
    assert!(!records.is_empty());
    for r in &records {
        for c in r["claims"].as_array().unwrap() {
            if let Some(w) = c["window"].as_object() {
                let end = chrono::DateTime::parse_from_rfc3339(w["end"].as_str().unwrap()).unwrap();
                let start =
                    chrono::DateTime::parse_from_rfc3339(w["start"].as_str().unwrap()).unwrap();
                // [2025-09-02T00:00Z, 2025-09-03T00:00Z)
                assert!(end.timestamp() > 1_756_771_200, "{c}");
                assert!(start.timestamp() < 1_756_857_600, "{c}");
            }
        }
    }
    // Someone the articles name only in passing, and a window no claim reaches: nothing is
    // written, and that is not an error.
    let o = run(&["scan", SAMPLE, "--traveller", "Vladimir Putin"]);
    assert_eq!(o.status.code(), Some(0));
    let quotes: Vec<String> = lines(&o)
        .iter()
        .flat_map(|r| r["claims"].as_array().unwrap().clone())
        .map(|c| c["quote"].as_str().unwrap().to_string())
        .collect();
    // "Kim will stand beside Xi Jinping and Vladimir Putin at Wednesday's parade" is Kim's
    // claim: the name that comes first in the sentence is its subject.
    assert!(quotes.is_empty(), "{quotes:?}");
}

#[test]
fn a_window_no_claim_reaches_leaves_no_line() {
    let o = run(&["scan", SAMPLE, "--since", "2030-01-01"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(o.stdout.is_empty());
    assert!(stderr(&o).contains("4 articles without a matching claim left out"));
}

#[test]
fn journeys_become_case_folders_that_reconstruct_reads() {
    let dir = temp_dir("scan-cases");
    let cases = dir.join("cases");
    let o = run(&[
        "scan",
        SAMPLE,
        "--traveller",
        "Kim Jong Un",
        "--cases",
        cases.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let folders: Vec<_> = std::fs::read_dir(&cases)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(folders.len(), 1, "{folders:?}");
    let case = &folders[0];
    assert!(case
        .file_name()
        .unwrap()
        .to_str()
        .unwrap()
        .starts_with("kim-jong-un-2025-0"));
    let config = std::fs::read_to_string(case.join("case.toml")).unwrap();
    assert!(config.contains("traveller = \"Kim Jong Un\""), "{config}");
    let o = run(&[
        "reconstruct",
        case.to_str().unwrap(),
        "--out",
        dir.join("out").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = std::fs::read_to_string(dir.join("out/report.json")).unwrap();
    assert!(text.contains("Beijing"));
}

#[test]
fn stdin_and_out_file() {
    let dir = temp_dir("scan-stdin");
    let out = dir.join("out.jsonl");
    let mut child = retrace()
        .args(["scan", "-", "--out", out.to_str().unwrap()])
        .current_dir(repo())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(
            br#"{"id":"a","text":"Kim Jong Un left Pyongyang late Monday.","published":"2025-09-02T10:00:00+09:00"}
{"id":"b","text":"Kim Jong Un arrived in Beijing on Tuesday.","published":"2025-09-02T10:00:00+09:00"}
"#,
        )
        .unwrap();
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(o.stdout.is_empty());
    let written = std::fs::read_to_string(&out).unwrap();
    assert_eq!(written.lines().count(), 2);
    assert!(written.lines().nth(1).unwrap().contains("<stdin>:2"));
}
