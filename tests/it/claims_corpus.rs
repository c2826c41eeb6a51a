//! Runs tests/corpus/claims/*.txt and every example of data/claims/events.tsv through the
//! claims stage; collects all failures, then fails once.

use retrace::claims::{extract_claims, ClaimKind, Traveller};
use retrace::ingest::parse_article;
use retrace::place::Gazetteer;

fn claims_of(sentence: &str, published: &str) -> Vec<(String, String, String, String)> {
    let text = format!("Published: {published}\n\n{sentence}\n");
    let (article, _) = parse_article("corpus.txt", text.as_bytes()).expect("corpus article parses");
    let gazetteer = Gazetteer::embedded();
    let traveller = Traveller {
        names: vec!["Kim Jong Un".into(), "Kim".into()],
    };
    extract_claims(&article, gazetteer, &traveller)
        .claims
        .iter()
        .map(|c| {
            let event = match &c.kind {
                ClaimKind::Event(k) => k.as_str().to_string(),
                ClaimKind::Speed { .. } => "speed".into(),
                ClaimKind::Duration { .. } => "duration".into(),
                ClaimKind::Distance { .. } => "distance".into(),
            };
            let place = c
                .place_id
                .as_deref()
                .and_then(|id| gazetteer.get(id))
                .map(|p| p.name.clone())
                .unwrap_or_default();
            let start = c
                .window
                .map(|w| {
                    w.earliest
                        .with_timezone(&c.tz)
                        .format("%Y-%m-%dT%H:%M:%S%:z")
                        .to_string()
                })
                .unwrap_or_default();
            (event, place, c.modality.as_str().to_string(), start)
        })
        .collect()
}

fn matches(expected: &str, got: &(String, String, String, String)) -> bool {
    let f: Vec<&str> = expected.split('|').map(str::trim).collect();
    let ok = |want: &str, have: &str, prefix: bool| {
        want == "_"
            || if prefix {
                have.starts_with(want)
            } else {
                have == want
            }
    };
    f.len() == 4
        && ok(f[0], &got.0, false)
        && ok(f[1], &got.1, false)
        && ok(f[2], &got.2, false)
        && ok(f[3], &got.3, true)
}

#[test]
fn claims_corpus() {
    let filter = std::env::var("RETRACE_CORPUS").ok();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/claims");
    let mut failures = Vec::new();
    let mut checked = 0;
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        let mut published = "2025-09-02T10:00:00+09:00".to_string();
        for (i, line) in text.lines().enumerate() {
            let loc = format!("{}:{}", path.file_name().unwrap().to_string_lossy(), i + 1);
            if let Some(p) = line.strip_prefix("# published:") {
                published = p.trim().to_string();
                continue;
            }
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            if filter.as_deref().is_some_and(|f| !line.contains(f)) {
                continue;
            }
            checked += 1;
            if let Some(sentence) = line.strip_prefix("! ") {
                let got = claims_of(sentence, &published);
                if !got.is_empty() {
                    failures.push(format!("{loc}: expected no claim, got {got:?}"));
                }
                continue;
            }
            let Some((sentence, expected)) = line.split_once(" => ") else {
                failures.push(format!("{loc}: expected `sentence => claims`"));
                continue;
            };
            let got = claims_of(sentence, &published);
            for want in expected.split(";;") {
                if !got.iter().any(|g| matches(want, g)) {
                    failures.push(format!("{loc}: missing {:?}; got {got:?}", want.trim()));
                }
            }
        }
    }
    // Every trigger row's example yields a claim of its event.
    let events = include_str!("../../data/claims/events.tsv");
    for (i, line) in events.lines().enumerate() {
        if line.starts_with('#') || line.starts_with("trigger\t") || line.trim().is_empty() {
            continue;
        }
        let f: Vec<&str> = line.split('\t').collect();
        if filter.as_deref().is_some_and(|x| !line.contains(x)) {
            continue;
        }
        checked += 1;
        let got = claims_of(f[3], "2025-09-02T10:00:00+09:00");
        if !got.iter().any(|g| g.0 == f[1]) {
            failures.push(format!(
                "data/claims/events.tsv:{}: {:?} gave no {} claim; got {got:?}",
                i + 1,
                f[3],
                f[1]
            ));
        }
    }
    assert!(checked > 0, "no corpus line ran");
    assert!(
        failures.is_empty(),
        "{} of {checked} failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
