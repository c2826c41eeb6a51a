//! Bad inputs: each is named with its file (and line) on stderr, the run exits 2 where an input
//! could not be used, and nothing else is lost. The inputs live in tests/bad_inputs/; the large
//! ones are generated here into the target folder, never committed.

use std::io::Write;
use std::process::Output;

use crate::cli::{repo, run, temp_dir};

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// The `id`s of the JSON lines on stdout, in order.
fn ids(o: &Output) -> Vec<String> {
    stdout(o)
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("each output line is JSON");
            v["id"].as_str().unwrap_or_default().to_string()
        })
        .collect()
}

fn assert_no_panic(o: &Output) {
    assert!(!stderr(o).contains("panicked"), "{}", stderr(o));
}

#[test]
fn bad_inputs_are_named_and_the_rest_is_scanned() {
    let o = run(&["scan", "tests/bad_inputs", "--threads", "2"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert_no_panic(&o);
    let b = "tests/bad_inputs";
    for expected in [
        format!("retrace: {b}/binary.txt: binary file: expected UTF-8 text"),
        format!("retrace: {b}/empty.txt: empty article: no text"),
        // An unclosed <script> swallows the page, as in a browser.
        format!("retrace: {b}/script_unclosed.html: no text"),
        format!("retrace: {b}/case_toml/case.toml:2: `traveller`: invalid type: sequence, expected a string"),
        format!("retrace: warning: {b}/invalid_utf8.txt:1: invalid UTF-8, decoded lossily"),
        format!("retrace: {b}/lines.jsonl:2: duplicate id \"ok-1\" (first at {b}/lines.jsonl:1)"),
        format!("retrace: {b}/lines.jsonl:3: expected a JSON object"),
        format!("retrace: {b}/lines.jsonl:4: expected a JSON object {{\"id\",\"text\",\"published\",…}}: missing field `id`"),
        format!("retrace: {b}/lines.jsonl:5: \"id\": expected a non-empty string or a number, found null"),
        format!("retrace: {b}/lines.jsonl:6: expected a JSON object {{\"id\",\"text\",\"published\",…}}: missing field `text`"),
        format!("retrace: warning: {b}/lines.jsonl:7: \"published\": \"next Tuesday\" is not ISO-8601"),
        format!("retrace: {b}/lines.jsonl:8: expected a JSON object"),
        format!("retrace: {b}/lines.jsonl:11: duplicate id \"ok-1\""),
        format!("retrace: warning: {b}/lines.jsonl:12: invalid UTF-8 at byte 66, decoded lossily"),
        "skipped: 11".to_string(),
        "warnings: 3".to_string(),
    ] {
        assert!(err.contains(&expected), "missing {expected:?} in:\n{err}");
    }
    // Everything usable came through, in input order: the case folder's article despite its
    // broken case.toml, the lossily decoded file, the articles without time, place or English.
    assert_eq!(
        ids(&o),
        [
            format!("{b}/broken.html"),
            format!("{b}/case_toml/01.txt"),
            format!("{b}/header_garbage.txt"),
            format!("{b}/invalid_utf8.txt"),
            "ok-1".into(),
            "bad-published".into(),
            "7".into(),
            "latin1".into(),
            format!("{b}/no_place.txt"),
            format!("{b}/no_time.txt"),
            format!("{b}/other_language.txt"),
            "last-line-without-newline".into(),
        ]
    );
}

#[test]
fn broken_html_still_gives_its_text_and_claims() {
    let o = run(&["scan", "tests/bad_inputs/broken.html"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(stdout(&o).trim()).expect("one JSON line");
    assert_eq!(v["title"], "Broken page bold title");
    let events: Vec<&str> = v["claims"]
        .as_array()
        .expect("claims")
        .iter()
        .filter_map(|c| c["event"].as_str())
        .collect();
    assert!(events.contains(&"depart"), "{v}");
    // The script's text is not read as the article's.
    assert!(!stdout(&o).contains("Seoul"));
}

#[test]
fn lossy_offsets_are_into_the_decoded_text() {
    let o = run(&["scan", "tests/bad_inputs/invalid_utf8.txt"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(stdout(&o).trim()).expect("one JSON line");
    let raw = std::fs::read(repo().join("tests/bad_inputs/invalid_utf8.txt")).unwrap();
    let decoded = String::from_utf8_lossy(&raw);
    let body = &decoded[decoded.find("\n\n").unwrap() + 2..];
    let m = &v["mentions"][0];
    let (start, end) = (
        m["start"].as_u64().unwrap() as usize,
        m["end"].as_u64().unwrap() as usize,
    );
    assert_eq!(&body[start..end], m["text"].as_str().unwrap());
    assert_eq!(m["text"], "late Monday");
}

#[test]
fn articles_without_time_place_or_english_give_no_claim_and_no_error() {
    let o = run(&[
        "scan",
        "tests/bad_inputs/no_time.txt",
        "tests/bad_inputs/no_place.txt",
        "tests/bad_inputs/other_language.txt",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let lines: Vec<serde_json::Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    assert!(lines[0]["mentions"].as_array().unwrap().is_empty());
    assert!(lines[1]["places"].as_array().unwrap().is_empty());
    // FIXME: Korean and French sentences give no claim yet; the place names are still found.
    assert!(lines[2]["claims"].as_array().unwrap().is_empty());
}

#[test]
fn case_toml_with_wrong_types_and_unknown_keys_names_key_and_line() {
    let o = run(&["check", "tests/bad_inputs/case_toml"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("case.toml: line 2:"), "{}", stderr(&o));
    assert_no_panic(&o);

    let dir = temp_dir("unknown-key-case");
    std::fs::write(
        dir.join("case.toml"),
        "title = \"t\"\ntraveller = \"Kim Jong Un\"\ntravller = \"Kim\"\n",
    )
    .unwrap();
    std::fs::copy(
        repo().join("tests/bad_inputs/case_toml/01.txt"),
        dir.join("01.txt"),
    )
    .unwrap();
    let o = run(&["scan", dir.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("case.toml:3: unknown field `travller`"),
        "{}",
        stderr(&o)
    );
    assert_eq!(ids(&o).len(), 1, "the article is still scanned");
}

#[test]
fn deeply_nested_html_is_read_without_overflow() {
    let dir = temp_dir("deep-html");
    let depth = 100_000;
    let mut html = String::from("<!DOCTYPE html><html><body>");
    html += &"<div><span>".repeat(depth);
    html += "<p>Kim Jong Un left Pyongyang late Monday by train, state media said.</p>";
    html += &"</span>".repeat(depth / 2);
    html += "</body></html>";
    std::fs::write(dir.join("deep.html"), html).unwrap();
    let o = run(&["scan", dir.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("late Monday"));
}

/// 100 MB on one line, generated into target/: skipped without being held in memory, and the
/// line after it is still read. The debug binary reads it in about 3 s.
#[test]
fn huge_single_line_is_skipped_and_the_next_line_read() {
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("huge-line");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("huge.jsonl");
    {
        let mut f = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
        writeln!(f, r#"{{"id":"before","text":"Kim Jong Un left Pyongyang late Monday.","published":"2025-09-02T10:00:00+09:00"}}"#).unwrap();
        write!(f, r#"{{"id":"huge","text":""#).unwrap();
        let chunk = "Kim Jong Un left Pyongyang late Monday. ".repeat(25_000);
        for _ in 0..100 {
            f.write_all(chunk.as_bytes()).unwrap();
        }
        writeln!(f, r#""}}"#).unwrap();
        writeln!(f, r#"{{"id":"after","text":"Kim Jong Un arrived in Beijing on Tuesday.","published":"2025-09-02T10:00:00+09:00"}}"#).unwrap();
    }
    let o = run(&["scan", path.to_str().unwrap(), "--threads", "1"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("huge.jsonl:2: article of 100.0 MB is over the limit of 16.0 MB"),
        "{}",
        stderr(&o)
    );
    assert_eq!(ids(&o), ["before", "after"]);
    let _ = std::fs::remove_file(&path);

    // The same limit for files, checked before reading them.
    let o = run(&[
        "scan",
        "tests/bad_inputs/no_time.txt",
        "--max-article-mb",
        "0.0001",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no_time.txt: article of 0.0 MB is over the limit"));
}
