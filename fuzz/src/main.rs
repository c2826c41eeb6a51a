//! `retrace-fuzz TARGET [--runs N] [--seed S] [--max-len BYTES]`: a mutational fuzz loop on the
//! stable toolchain (cargo-fuzz needs nightly).
//!
//! Each run takes an input from the corpus (`corpus/TARGET/`), mutates it (bit flips, byte
//! edits, splices with other inputs, insertions of dictionary words), runs the target under
//! `catch_unwind`, and checks its invariants. An input whose *behaviour signature* (the rules
//! that fired, the error kind, the shape of the output) is new joins the corpus and is saved, so
//! the corpus grows toward inputs that reach new code without compiler instrumentation. A panic
//! or a broken invariant is written to `crashes/TARGET/` and the loop goes on.
//!
//! Targets: `time` (parse_time_exprs + resolve_time_expr + find_times), `article`
//! (parse_article, file_position) and `case_config` (CaseConfig::parse).

use std::collections::BTreeSet;
use std::hash::{Hash, Hasher};
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::time::Instant;

use chrono::{DateTime, TimeZone, Utc};
use retrace::ingest::{parse_article, CaseConfig};
use retrace::time::{find_times, parse_time_exprs, resolve_time_expr, Anchor, Profile};

/// Words the mutator inserts: pieces of the grammars under test.
const DICTIONARY: &[&str] = &[
    "late ", "early ", "Monday", "Tuesday", "evening", "afternoon", "night", " at ", " on ", "noon",
    "midnight", "10:30", "2025", "-09-01", "September ", "1 ", "31 ", "the day before ", "later in the day",
    "last week", "next ", "two years ago", "ago", "nearly ", "up to ", "about ", "hours", "20-hour ",
    "km/h", "a.m.", "p.m.", " KST", " GMT+9", "+09:00", "T10:00", "'s", "since ", "until ", "between ",
    " and ", "–", "—", "…", "平壤", "\u{feff}", "\r\n", "\n\n", "Published: ", "Title: ", "Date: ",
    "<html>", "<!DOCTYPE html>", "<div>", "</div>", "<p>", "</p>", "<script>", "</script>", "<!--",
    "-->", "<meta property=\"article:published_time\" content=\"", "\">", "&amp;", "&#x27;", "&#99999999;",
    "<title>", "</title>", "[articles.\"a.txt\"]\n", "published = ", "title = ", "traveller = ",
    "aliases = [", "]", "mode = \"train\"\n", "\"", "'''", "= 2025-09-02T10:00:00+09:00\n", "\\u0000",
    "inf", "nan", "9999999999999999999", "0x", "\u{0}", "\u{7f}", "\u{202e}",
];

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*: fast, and the seed makes runs reproducible.
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

fn mutate(input: &[u8], corpus: &[Vec<u8>], rng: &mut Rng, max_len: usize) -> Vec<u8> {
    let mut out = input.to_vec();
    let rounds = 1 + rng.below(4);
    for _ in 0..rounds {
        let at = rng.below(out.len() + 1);
        match rng.below(8) {
            0 if !out.is_empty() => {
                let i = rng.below(out.len());
                out[i] ^= 1 << rng.below(8);
            }
            1 if !out.is_empty() => {
                let i = rng.below(out.len());
                out[i] = rng.next() as u8;
            }
            2 if !out.is_empty() => {
                let len = 1 + rng.below(16.min(out.len()));
                let start = rng.below(out.len() + 1 - len);
                out.drain(start..start + len);
            }
            3 | 4 => {
                let word = DICTIONARY[rng.below(DICTIONARY.len())].as_bytes();
                out.splice(at..at, word.iter().copied());
            }
            5 if !corpus.is_empty() => {
                let other = &corpus[rng.below(corpus.len())];
                if !other.is_empty() {
                    let start = rng.below(other.len());
                    let len = 1 + rng.below((other.len() - start).min(64));
                    out.splice(at..at, other[start..start + len].iter().copied());
                }
            }
            6 if !out.is_empty() => {
                // Repeat a slice: deep nesting, long runs.
                let start = rng.below(out.len());
                let len = 1 + rng.below((out.len() - start).min(16));
                let piece = out[start..start + len].to_vec();
                for _ in 0..rng.below(64) {
                    out.splice(at..at, piece.iter().copied());
                }
            }
            _ => {
                let digit = b'0' + rng.below(10) as u8;
                out.insert(at, digit);
            }
        }
    }
    out.truncate(max_len);
    out
}

/// What the target did, as a small set of strings: new sets mean new behaviour.
type Signature = Vec<String>;

fn anchor_from(seed: u64) -> Anchor {
    let zones = [
        chrono_tz::Asia::Pyongyang,
        chrono_tz::Asia::Shanghai,
        chrono_tz::UTC,
        chrono_tz::America::St_Johns,
        chrono_tz::Pacific::Chatham,
        chrono_tz::Australia::Lord_Howe,
    ];
    let reference = Utc
        .timestamp_opt(1_756_774_800 + ((seed % 4000) as i64 - 2000) * 86_400, 0)
        .single()
        .unwrap_or(DateTime::<Utc>::UNIX_EPOCH);
    Anchor {
        reference,
        tz: zones[(seed / 4000 % zones.len() as u64) as usize],
        profile: if seed % 2 == 0 { Profile::News } else { Profile::Forward },
        related: None,
    }
}

fn run_time(input: &[u8], seed: u64) -> Result<Signature, String> {
    let text = String::from_utf8_lossy(input);
    let anchor = anchor_from(seed);
    let mut sig = Vec::new();
    for expr in parse_time_exprs(&text) {
        let r = expr.range;
        if r.start > r.end || r.end > text.len() || !text.is_char_boundary(r.start) || !text.is_char_boundary(r.end) {
            return Err(format!("range {r:?} is not a char range of a text of {} bytes", text.len()));
        }
        let resolved = resolve_time_expr(&expr, &anchor);
        if let Some(w) = resolved.window {
            if w.earliest >= w.latest {
                return Err(format!("empty window {w:?} for {:?}", expr.text));
            }
        }
        sig.push(format!(
            "{}|{}|{}|{}",
            expr.rule,
            resolved.grain.as_str(),
            resolved.window.is_some(),
            resolved.unresolved.is_some()
        ));
    }
    // find_times parses again; once in 16 runs is enough to exercise its related-time chaining.
    let chained = if seed % 16 == 0 { find_times(&text, &anchor) } else { Vec::new() };
    for m in chained {
        if let Some(w) = m.resolved.window {
            if w.earliest >= w.latest {
                return Err(format!("find_times: empty window {w:?} for {:?}", m.expr.text));
            }
        }
    }
    Ok(sig)
}

fn run_article(input: &[u8], seed: u64) -> Result<Signature, String> {
    let name = ["a.txt", "a.html", "a.md"][(seed % 3) as usize];
    match parse_article(name, input) {
        Err(reason) => Ok(vec![format!("err:{}", reason.split(':').next().unwrap_or(""))]),
        Ok((article, warnings)) => {
            if article.text.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
                return Err("article text holds a control character".into());
            }
            let mut sig = vec![
                format!("ok:{name}"),
                format!("headers:{}", article.headers.len().min(4)),
                format!("warnings:{}", warnings.len().min(3)),
                format!("published:{}", article.published.is_some()),
                format!("title:{}", article.title.is_some()),
            ];
            // Known header keys only: arbitrary keys would make every input new.
            sig.extend(
                article
                    .headers
                    .keys()
                    .filter(|k| ["title", "source", "url", "published", "date", "author"].contains(&k.as_str()))
                    .map(|k| format!("key:{k}")),
            );
            let mut last = (0, 0);
            for (i, _) in article.text.char_indices().step_by(7) {
                let pos = article.file_position(i);
                if pos.0 == 0 || pos.1 == 0 {
                    return Err(format!("file_position({i}) = {pos:?}"));
                }
                if pos.0 < last.0 {
                    sig.push("position:not_monotonic".into());
                }
                last = pos;
            }
            Ok(sig)
        }
    }
}

fn run_case_config(input: &[u8], _seed: u64) -> Result<Signature, String> {
    let text = String::from_utf8_lossy(input);
    Ok(match CaseConfig::parse(&text) {
        Ok(c) => vec![
            "ok".into(),
            format!("articles:{}", c.articles.len().min(3)),
            format!("traveller:{}", c.traveller.is_some()),
            format!("mode:{}", c.mode.as_str()),
        ],
        Err(e) => {
            // The first words of the message, without its line number: its kind.
            let message = e.split_once(": ").map(|(_, m)| m).unwrap_or(&e);
            let kind: String = message
                .split(['`', '"', '\''])
                .next()
                .unwrap_or("")
                .split_whitespace()
                .take(3)
                .collect::<Vec<_>>()
                .join(" ")
                .chars()
                .filter(|c| c.is_ascii_alphabetic() || *c == ' ')
                .collect();
            vec![format!("err:{kind}")]
        }
    })
}

fn load_dir(dir: &Path) -> Vec<Vec<u8>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.sort();
    files.iter().filter_map(|p| std::fs::read(p).ok()).collect()
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let usage = "usage: retrace-fuzz time|article|case_config [--runs N] [--seed S] [--max-len BYTES]";
    let Some(target) = args.get(1).cloned() else {
        eprintln!("{usage}");
        std::process::exit(2);
    };
    let mut runs: u64 = 100_000;
    let mut seed: u64 = 0x5eed;
    let mut max_len: usize = 4096;
    let mut i = 2;
    while i + 1 < args.len() {
        let value = &args[i + 1];
        match args[i].as_str() {
            "--runs" => runs = value.parse().unwrap_or(runs),
            "--seed" => seed = value.parse().unwrap_or(seed),
            "--max-len" => max_len = value.parse().unwrap_or(max_len),
            other => {
                eprintln!("unknown flag {other}\n{usage}");
                std::process::exit(2);
            }
        }
        i += 2;
    }
    let run: fn(&[u8], u64) -> Result<Signature, String> = match target.as_str() {
        "time" => run_time,
        "article" => run_article,
        "case_config" => run_case_config,
        _ => {
            eprintln!("unknown target {target}\n{usage}");
            std::process::exit(2);
        }
    };
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let corpus_dir = root.join("corpus").join(&target);
    let crash_dir = root.join("crashes").join(&target);
    let _ = std::fs::create_dir_all(&corpus_dir);
    let mut corpus = load_dir(&corpus_dir);
    if corpus.is_empty() {
        corpus.push(b"Kim left Pyongyang late Monday.".to_vec());
    }
    // Quiet panics: they are counted and saved, not printed one by one.
    std::panic::set_hook(Box::new(|_| {}));

    // Features seen so far: an input that shows a new one joins the corpus (as a new edge
    // does under coverage guidance).
    let mut seen: BTreeSet<String> = BTreeSet::new();
    for input in &corpus {
        if let Ok(Ok(sig)) = std::panic::catch_unwind(AssertUnwindSafe(|| run(input, 0))) {
            seen.extend(sig);
        }
    }
    let start_size = corpus.len();
    let mut rng = Rng(seed | 1);
    let mut crashes = 0u64;
    let mut slowest = (0.0f64, Vec::new());
    let started = Instant::now();
    for n in 0..runs {
        let base = &corpus[rng.below(corpus.len())];
        let input = mutate(base, &corpus, &mut rng, max_len);
        let run_seed = rng.next();
        let t = Instant::now();
        let outcome = std::panic::catch_unwind(AssertUnwindSafe(|| run(&input, run_seed)));
        let took = t.elapsed().as_secs_f64();
        if took > slowest.0 {
            slowest = (took, input.clone());
        }
        let result = match outcome {
            Ok(r) => r,
            Err(payload) => Err(format!(
                "panic: {}",
                payload
                    .downcast_ref::<String>()
                    .map(String::as_str)
                    .or_else(|| payload.downcast_ref::<&str>().copied())
                    .unwrap_or("?")
            )),
        };
        match result {
            Ok(sig) => {
                let mut new = false;
                for feature in sig {
                    new |= seen.insert(feature);
                }
                if new {
                    let mut h = std::collections::hash_map::DefaultHasher::new();
                    input.hash(&mut h);
                    let _ = std::fs::write(corpus_dir.join(format!("{:016x}", h.finish())), &input);
                    corpus.push(input);
                }
            }
            Err(message) => {
                crashes += 1;
                let _ = std::fs::create_dir_all(&crash_dir);
                let path = crash_dir.join(format!("crash-{n}-seed-{run_seed}"));
                let _ = std::fs::write(&path, &input);
                if crashes <= 10 {
                    eprintln!("{target}: {message}: saved {}", path.display());
                }
            }
        }
        if n > 0 && n % 200_000 == 0 {
            eprintln!(
                "{target}: {n} runs, corpus {}, crashes {crashes}, {:.0} runs/s",
                corpus.len(),
                n as f64 / started.elapsed().as_secs_f64()
            );
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "{target}: {runs} runs in {seconds:.1} s ({:.0} runs/s), corpus {start_size} -> {}, crashes {crashes}, slowest input {:.1} ms ({} bytes)",
        runs as f64 / seconds,
        corpus.len(),
        slowest.0 * 1000.0,
        slowest.1.len()
    );
    if crashes > 0 {
        std::process::exit(1);
    }
}
