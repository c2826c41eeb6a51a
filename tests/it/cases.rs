//! The rule cases in `tests/cases/` (one folder per rule, each with an `expect.toml`; format in
//! `tests/cases/README.md`) and the check output formats on them: SARIF read into the typed
//! SARIF 2.1.0 model, GitHub annotations, JUnit XML.
//!
//! `retrace check` runs once per case with every format (`--format json --report ...`), on two
//! threads, and the tests share the answers.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde::Deserialize;

use crate::cli::{repo, run, temp_dir};

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

/// What `retrace check` gave on one case, in every format.
struct Answer {
    /// The case folder as given to `retrace check` (relative to the repository, or absolute).
    case: String,
    exit: Option<i32>,
    stderr: String,
    json: String,
    sarif: String,
    junit: String,
    github: String,
}

fn check_all_formats(case: &str, out: &Path) -> Answer {
    let file = |ext: &str| out.join(format!("{}.{ext}", case.replace(['/', '\\'], "_")));
    let (sarif, junit, github) = (file("sarif"), file("xml"), file("github"));
    let report = |name: &str, path: &Path| format!("{name}={}", path.display());
    let o = run(&[
        "check",
        case,
        "--format",
        "json",
        "--report",
        &report("sarif", &sarif),
        "--report",
        &report("junit", &junit),
        "--report",
        &report("github", &github),
    ]);
    let read = |p: &Path| std::fs::read_to_string(p).unwrap_or_default();
    Answer {
        case: case.to_string(),
        exit: o.status.code(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        json: String::from_utf8_lossy(&o.stdout).into_owned(),
        sarif: read(&sarif),
        junit: read(&junit),
        github: read(&github),
    }
}

/// A case whose file name needs escaping in every format: a space, `%`, `,` and `:`.
/// Written once per test run.
fn awkward_case() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(write_awkward_case)
}

fn write_awkward_case() -> PathBuf {
    let dir = temp_dir("awkward-names");
    std::fs::write(
        dir.join("wire 100%, day: 1.txt"),
        "Published: 2019-01-08T09:00:00+09:00\n\nKim Jong Un left Pyongyang on Monday afternoon, state media said.\n",
    )
    .expect("write a test article");
    std::fs::write(
        dir.join("x.txt"),
        "Published: 2019-01-08T10:00:00+09:00\n\nKim Jong Un left Pyongyang on Monday evening, officials said.\n",
    )
    .expect("write a test article");
    dir
}

/// The rule-case folders, sorted.
fn case_dirs() -> Vec<PathBuf> {
    let mut dirs: Vec<_> = std::fs::read_dir(repo().join("tests/cases"))
        .expect("tests/cases exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

fn name_of(dir: &Path) -> String {
    dir.file_name()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned()
}

/// Every case, the sample and the awkward one, checked once, two at a time.
fn answers() -> &'static BTreeMap<String, Answer> {
    static ANSWERS: OnceLock<BTreeMap<String, Answer>> = OnceLock::new();
    ANSWERS.get_or_init(|| {
        let out = temp_dir("case-answers");
        let mut cases: Vec<String> = case_dirs()
            .iter()
            .map(|d| format!("tests/cases/{}", name_of(d)))
            .collect();
        cases.push("data/cases/kim-train-2025".into());
        cases.push(awkward_case().display().to_string());
        let (left, right) = cases.split_at(cases.len() / 2);
        std::thread::scope(|scope| {
            let a = scope.spawn(|| {
                left.iter()
                    .map(|c| check_all_formats(c, &out))
                    .collect::<Vec<_>>()
            });
            let b: Vec<Answer> = right.iter().map(|c| check_all_formats(c, &out)).collect();
            let mut all = a.join().expect("checker thread");
            all.extend(b);
            all.into_iter().map(|a| (a.case.clone(), a)).collect()
        })
    })
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

fn check_case(dir: &Path, answer: &Answer, problems: &mut Vec<String>) {
    let name = name_of(dir);
    let expect: Expect = match std::fs::read_to_string(dir.join("expect.toml"))
        .map_err(|e| e.to_string())
        .and_then(|s| toml::from_str(&s).map_err(|e| e.to_string()))
    {
        Ok(e) => e,
        Err(e) => return problems.push(format!("{name}: expect.toml: {e}")),
    };
    if answer.stderr.contains("panicked") {
        problems.push(format!("{name}: panicked: {}", answer.stderr));
    }
    if answer.exit != Some(expect.exit) {
        problems.push(format!(
            "{name}: exit {:?}, expected {}",
            answer.exit, expect.exit
        ));
    }
    let json: serde_json::Value = match serde_json::from_str(&answer.json) {
        Ok(v) => v,
        Err(e) => return problems.push(format!("{name}: output is not JSON ({e})")),
    };
    if json["schema"] != "retrace.check/1" {
        problems.push(format!("{name}: schema {}", json["schema"]));
    }
    let fired = fired(&json);
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
        for c in json["checks"].as_array().into_iter().flatten() {
            if c["status"] == "fail" && c["severity"] != "info" {
                problems.push(format!(
                    "{name}: expected clean, but {} {} failed: {}",
                    c["severity"], c["rule"], c["message"]
                ));
            }
        }
        if json["passed"] != true {
            problems.push(format!("{name}: expected passed: true"));
        }
    }
}

fn fail_with(problems: &[String], what: &str) {
    assert!(
        problems.is_empty(),
        "{} problem(s) with {what}:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn every_rule_case_fires_its_rules() {
    let dirs = case_dirs();
    let answers = answers();
    let mut problems = Vec::new();
    for dir in &dirs {
        let key = format!("tests/cases/{}", name_of(dir));
        match answers.get(&key) {
            Some(answer) => check_case(dir, answer, &mut problems),
            None => problems.push(format!("{key}: not run")),
        }
    }
    // Every rule has a folder named after it, and there is a case where the accounts agree.
    let names: BTreeSet<String> = dirs.iter().map(|d| name_of(d)).collect();
    for rule in retrace::check::rules::RULES {
        if !names.contains(rule.id) {
            problems.push(format!("no case folder for rule {}", rule.id));
        }
    }
    if !names.contains("consistent") {
        problems.push("no consistent case".into());
    }
    fail_with(&problems, &format!("{} rule cases", dirs.len()));
}

/// `%XX` escapes back to bytes.
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            if let Some(b) = s
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
            {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn check_sarif(answer: &Answer, problems: &mut Vec<String>) {
    let case = &answer.case;
    let mut problem = |p: String| problems.push(format!("{case}: {p}"));
    let value: serde_json::Value = match serde_json::from_str(&answer.sarif) {
        Ok(v) => v,
        Err(e) => return problem(format!("SARIF is not JSON: {e}")),
    };
    // Strict reading: the typed model of SARIF 2.1.0 must take the log, and give back exactly
    // what we wrote (a misspelt or misplaced property would be dropped on the way).
    let typed: serde_sarif::sarif::Sarif = match serde_json::from_value(value.clone()) {
        Ok(t) => t,
        Err(e) => return problem(format!("not SARIF 2.1.0: {e}")),
    };
    match serde_json::to_value(&typed) {
        Ok(back) if back == value => {}
        Ok(back) => problem(format!(
            "SARIF properties the 2.1.0 model does not know:\nours:  {value}\nmodel: {back}"
        )),
        Err(e) => problem(format!("typed SARIF does not serialise: {e}")),
    }
    if value["version"] != "2.1.0" || value["$schema"].as_str().is_none() {
        problem("version must be 2.1.0 with a $schema".into());
    }
    let Some(run) = value["runs"].as_array().and_then(|r| r.first()) else {
        return problem("no run".into());
    };
    if !matches!(
        run["columnKind"].as_str(),
        Some("unicodeCodePoints" | "utf16CodeUnits")
    ) {
        problem(format!("columnKind {}", run["columnKind"]));
    }
    let rules: Vec<&str> = run["tool"]["driver"]["rules"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| r["id"].as_str())
        .collect();
    let catalogue: Vec<&str> = retrace::check::rules::RULES.iter().map(|r| r.id).collect();
    if rules != catalogue {
        problem(format!(
            "rules[] {rules:?} is not the catalogue {catalogue:?}"
        ));
    }
    for r in run["tool"]["driver"]["rules"]
        .as_array()
        .into_iter()
        .flatten()
    {
        let level = &r["defaultConfiguration"]["level"];
        if !matches!(level.as_str(), Some("none" | "note" | "warning" | "error")) {
            problem(format!("rule {} has level {level}", r["id"]));
        }
    }
    // The claims of each check, from the JSON answer of the same run.
    let json: serde_json::Value = serde_json::from_str(&answer.json).unwrap_or_default();
    let claims_of: BTreeMap<&str, usize> = json["checks"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| Some((c["id"].as_str()?, c["claims"].as_array()?.len())))
        .collect();
    let mut fingerprints = BTreeSet::new();
    for result in run["results"].as_array().into_iter().flatten() {
        let check = result["properties"]["checkId"].as_str().unwrap_or("?");
        let rule = result["ruleId"].as_str().unwrap_or("");
        let index = result["ruleIndex"].as_u64().map(|i| i as usize);
        if index.and_then(|i| rules.get(i)) != Some(&rule) {
            problem(format!("{check}: ruleIndex {index:?} is not {rule}"));
        }
        if !matches!(
            result["level"].as_str(),
            Some("none" | "note" | "warning" | "error")
        ) {
            problem(format!("{check}: level {}", result["level"]));
        }
        let locations = result["locations"].as_array().cloned().unwrap_or_default();
        if locations.is_empty() {
            problem(format!("{check} ({rule}): no location"));
        }
        let related = result["relatedLocations"].as_array().map_or(0, |r| r.len());
        let claims = claims_of.get(check).copied().unwrap_or(0);
        if claims >= 2 && related != claims - 1 {
            problem(format!(
                "{check} ({rule}): {claims} claims but {related} related locations"
            ));
        }
        for loc in locations
            .iter()
            .chain(result["relatedLocations"].as_array().into_iter().flatten())
        {
            let physical = &loc["physicalLocation"];
            let uri = physical["artifactLocation"]["uri"].as_str().unwrap_or("");
            if uri.contains([' ', ',', '\\']) {
                problem(format!("{check}: uri {uri:?} is not percent-encoded"));
            }
            let path = percent_decode(uri);
            let file = if Path::new(&path).is_absolute() {
                PathBuf::from(&path)
            } else {
                repo().join(&path)
            };
            if !file.is_file() {
                problem(format!("{check}: uri {uri:?} names no file"));
            }
            let region = &physical["region"];
            for key in ["startLine", "startColumn"] {
                if region[key].as_u64().is_none_or(|n| n < 1) {
                    problem(format!("{check}: region {key} {}", region[key]));
                }
            }
        }
        match result["partialFingerprints"]["retrace/v1"].as_str() {
            Some(f) if fingerprints.insert(f.to_string()) => {}
            Some(f) => problem(format!("{check}: fingerprint {f} used twice")),
            None => problem(format!("{check}: no partialFingerprints")),
        }
    }
}

#[test]
fn sarif_is_valid_sarif_2_1_0_with_rules_locations_and_fingerprints() {
    let mut problems = Vec::new();
    for answer in answers().values() {
        check_sarif(answer, &mut problems);
    }
    // The same input gives the same log, fingerprints included.
    let again = check_all_formats("data/cases/kim-train-2025", &temp_dir("case-answers-again"));
    match answers().get("data/cases/kim-train-2025") {
        Some(first) if first.sarif == again.sarif => {}
        _ => problems.push("the sample's SARIF differs between two runs".into()),
    }
    // A conflict between claims of two articles points at both.
    let sample = answers().get("data/cases/kim-train-2025");
    let related = sample
        .and_then(|a| serde_json::from_str::<serde_json::Value>(&a.sarif).ok())
        .map(|v| {
            v["runs"][0]["results"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|r| r["ruleId"] == "time_window_conflict")
                .all(|r| {
                    r["relatedLocations"]
                        .as_array()
                        .is_some_and(|l| !l.is_empty())
                })
        });
    if related != Some(true) {
        problems.push("sample: a time_window_conflict without related locations".into());
    }
    fail_with(&problems, "SARIF logs");
}

/// `%25`, `%0D`, `%0A` (and in properties `%3A`, `%2C`) back to characters.
fn gh_unescape(s: &str) -> String {
    s.replace("%0A", "\n")
        .replace("%0D", "\r")
        .replace("%3A", ":")
        .replace("%2C", ",")
        .replace("%25", "%")
}

#[test]
fn github_annotations_escape_file_names_and_messages() {
    let dir = awkward_case();
    let key = dir.display().to_string();
    let Some(answer) = answers().get(&key) else {
        panic!("the awkward case was not run");
    };
    let mut problems = Vec::new();
    let mut files = BTreeSet::new();
    for line in answer.github.lines() {
        let Some(rest) = ["::error ", "::warning ", "::notice "]
            .iter()
            .find_map(|p| line.strip_prefix(p))
        else {
            problems.push(format!("not an annotation: {line:?}"));
            continue;
        };
        let Some((props, data)) = rest.split_once("::") else {
            problems.push(format!("no message separator: {line:?}"));
            continue;
        };
        for prop in props.split(',') {
            let Some((key, value)) = prop.split_once('=') else {
                problems.push(format!("property without '=': {prop:?} in {line:?}"));
                continue;
            };
            if !matches!(key, "file" | "line" | "col" | "title") || value.contains(':') {
                problems.push(format!("bad property {prop:?} in {line:?}"));
            }
            if key == "file" {
                files.insert(gh_unescape(value));
            }
        }
        // Every '%' in the message starts an escape.
        let bare_percent = data.match_indices('%').any(|(i, _)| {
            !["%25", "%0A", "%0D"]
                .iter()
                .any(|e| data[i..].starts_with(e))
        });
        if bare_percent {
            problems.push(format!("unescaped % in {data:?}"));
        }
    }
    let expected = format!("{key}/wire 100%, day: 1.txt");
    if !files.contains(&expected) {
        problems.push(format!("no annotation on {expected:?}; files: {files:?}"));
    }
    if answer.github.is_empty() {
        problems.push("no annotation at all (the two departures conflict)".into());
    }
    fail_with(&problems, "GitHub annotations");
}

#[test]
fn junit_is_well_formed_and_counts_agree() {
    let mut problems = Vec::new();
    for answer in answers().values() {
        let case = &answer.case;
        let doc = match roxmltree::Document::parse(&answer.junit) {
            Ok(d) => d,
            Err(e) => {
                problems.push(format!("{case}: JUnit XML does not parse: {e}"));
                continue;
            }
        };
        let root = doc.root_element();
        if root.tag_name().name() != "testsuites" {
            problems.push(format!("{case}: root is <{}>", root.tag_name().name()));
        }
        for suite in root.children().filter(|n| n.has_tag_name("testsuite")) {
            let cases: Vec<_> = suite
                .children()
                .filter(|n| n.has_tag_name("testcase"))
                .collect();
            let failures = cases
                .iter()
                .filter(|c| c.children().any(|n| n.has_tag_name("failure")))
                .count();
            let attr = |n: &str| suite.attribute(n).and_then(|v| v.parse::<usize>().ok());
            if attr("tests") != Some(cases.len()) || attr("failures") != Some(failures) {
                problems.push(format!(
                    "{case}: testsuite says tests={:?} failures={:?}, has {} and {}",
                    attr("tests"),
                    attr("failures"),
                    cases.len(),
                    failures
                ));
            }
            for c in &cases {
                if c.attribute("name").is_none() || c.attribute("classname").is_none() {
                    problems.push(format!("{case}: testcase without name or classname"));
                }
            }
        }
        // An error that fails the check is a JUnit failure.
        let json: serde_json::Value = serde_json::from_str(&answer.json).unwrap_or_default();
        let errors = json["checks"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|c| c["status"] == "fail" && c["severity"] == "error")
            .count();
        let failures = root
            .descendants()
            .filter(|n| n.has_tag_name("failure"))
            .count();
        if errors != failures {
            problems.push(format!(
                "{case}: {errors} failed errors but {failures} JUnit failures"
            ));
        }
    }
    fail_with(&problems, "JUnit reports");
}

#[test]
fn check_runs_on_the_rule_cases_exit_as_documented() {
    // Sanity for the shared runner: an exit code for every case, and no crash.
    let answers = answers();
    assert!(answers.len() >= case_dirs().len() + 2);
    for a in answers.values() {
        assert!(
            matches!(a.exit, Some(0..=2)),
            "{}: exit {:?}: {}",
            a.case,
            a.exit,
            a.stderr
        );
    }
    let o = run(&["check", "tests/cases/consistent"]);
    assert_eq!(o.status.code(), Some(0));
}
