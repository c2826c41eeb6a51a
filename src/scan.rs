//! Corpus scan: many articles in, one JSON line of findings per article out, streaming.
//!
//! In: paths to folders of articles (`.txt`, `.md`, `.html`, walked recursively in sorted
//! order, each folder's `case.toml` applied to its articles), JSON Lines files (`.jsonl`,
//! `.ndjson`, or `-` for stdin) of records `{"id","text","published"?,"source"?,"url"?,"title"?}`,
//! and single article files. Out: one [`ScanRecord`] per article as a JSON line
//! (schema [`SCHEMA`]), a [`ScanSummary`], and optionally one case folder per journey found.
//!
//! Like [`crate::ingest`], this module reads files: it is the streaming reader for corpora too
//! large to load as one [`crate::ingest::Case`].
//!
//! Invariants:
//! - Memory does not grow with the corpus: a reader thread hands at most
//!   [`ScanOptions::in_flight`] articles to the workers; a ticket comes back only when the
//!   article's line has been written. What does grow is about 40 bytes per article (a hash of
//!   its id and where it was first seen, to report duplicates; plus the path of each article
//!   file) and, with `--cases`, one small entry per claim that can start a journey.
//! - Output is in input order, whatever the thread count: results wait in a reorder buffer keyed
//!   by sequence number, so runs are byte-identical at 1 or N threads.
//! - All per-article work runs on the workers: decoding, JSON parsing, the findings and the
//!   serialised output line. The reader thread only splits lines or reads files, and the writer
//!   only copies finished lines, so throughput grows with the worker count. Articles go to the
//!   workers and back in batches (up to 16 articles or 256 kB), so threads meet once per batch,
//!   not once per article; a batch leaves at once when there is room for it in the work queue
//!   (one waiting batch per worker), so a slow stream on stdin is not held back, and tickets
//!   come back as one count per written batch.
//! - A bad file or line is reported as `file:line: reason` and the rest is still scanned.
//!
//! Byte offsets (`start`, `end`) are into the article text: the body after a header block, the
//! visible text of an HTML page, or a JSON record's `text`. Text that is not valid UTF-8 is
//! decoded lossily (each bad sequence becomes U+FFFD, with a warning) and offsets are into the
//! decoded text. `line` and `col` are in the file for articles read from files, and in the
//! record's `text` for JSON Lines.

use std::collections::{BTreeMap, HashMap};
use std::hash::{Hash, Hasher};
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use serde::{Deserialize, Serialize};

use crate::claims::{extract_claims_viewed, infer_traveller_viewed, Traveller};
use crate::error::{Error, Result};
use crate::ingest::{
    infer_published, parse_article, parse_published, Article, CaseConfig, PublishedBasis,
};
use crate::place::{Gazetteer, Place};
use crate::report::build::{claim_wire, kind_str, mention_wire, round5, timex_mod, timex_type};
use crate::report::wire::{ClaimWire, MentionWire};

/// The `schema` of the summary line and the version of the record format.
pub const SCHEMA: &str = "retrace.scan/1";

/// Extensions read as single articles inside folders.
const ARTICLE_EXTENSIONS: &[&str] = &["txt", "md", "markdown", "html", "htm"];
/// Extensions read as JSON Lines of articles.
const JSONL_EXTENSIONS: &[&str] = &["jsonl", "ndjson"];

/// Settings of one scan.
#[derive(Clone, Debug)]
pub struct ScanOptions {
    /// Worker threads (at least 1).
    pub threads: usize,
    /// Keep only claims about this traveller (and articles that name them).
    pub traveller: Option<String>,
    /// Keep only claims whose window reaches into `[since 00:00 UTC, …)`.
    pub since: Option<NaiveDate>,
    /// Keep only claims whose window starts before the end of this day (UTC).
    pub until: Option<NaiveDate>,
    /// Write one case folder per journey found into this folder.
    pub cases_dir: Option<PathBuf>,
    /// Two claims of one traveller further apart than this belong to different journeys.
    pub journey_gap_days: i64,
    /// Articles (files or JSON lines) larger than this are skipped unread.
    ///
    /// # Units
    /// Bytes.
    pub max_article_bytes: usize,
    /// How many articles may be read ahead of the writer.
    pub in_flight: usize,
    /// Draw a progress bar on stderr.
    pub progress: bool,
}

impl Default for ScanOptions {
    fn default() -> ScanOptions {
        ScanOptions {
            threads: 1,
            traveller: None,
            since: None,
            until: None,
            cases_dir: None,
            journey_gap_days: 7,
            max_article_bytes: 16 * 1024 * 1024,
            in_flight: 64,
            progress: false,
        }
    }
}

impl ScanOptions {
    /// True when claims are filtered, in which case articles without a kept claim are left out.
    pub fn is_filtering(&self) -> bool {
        self.traveller.is_some() || self.since.is_some() || self.until.is_some()
    }

    fn window(&self) -> (Option<DateTime<Utc>>, Option<DateTime<Utc>>) {
        let start = |d: NaiveDate| {
            d.and_hms_opt(0, 0, 0)
                .map(|t| Utc.from_utc_datetime(&t))
                .unwrap_or(DateTime::<Utc>::MIN_UTC)
        };
        (
            self.since.map(start),
            self.until
                .and_then(|d| d.succ_opt())
                .map(start)
                .or(self.until.map(|_| DateTime::<Utc>::MAX_UTC)),
        )
    }
}

/// An input that could not be used, or a warning about one that was: where and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// `path` or `path:line`.
    pub location: String,
    pub reason: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.location, self.reason)
    }
}

/// A place named in an article.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScanPlaceWire {
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub id: String,
    pub name: String,
    pub lat: f64,
    pub lon: f64,
    pub country: String,
    pub kind: String,
}

/// One output line: what one article says.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScanRecord {
    pub id: String,
    /// `path` for files, `path:line` for JSON Lines.
    pub file: String,
    pub source: Option<String>,
    pub title: Option<String>,
    pub url: Option<String>,
    /// The reference time, ISO-8601 with offset.
    pub published: Option<String>,
    pub published_inferred: bool,
    /// The traveller claims were read for.
    pub traveller: Option<String>,
    pub mentions: Vec<MentionWire>,
    pub places: Vec<ScanPlaceWire>,
    pub claims: Vec<ClaimWire>,
}

/// What a scan did, for the summary on stderr.
#[derive(Clone, Debug, Default, Serialize)]
pub struct ScanSummary {
    /// Articles processed (written or filtered out).
    pub articles: u64,
    /// Articles left out because no claim passed the filters.
    pub filtered_out: u64,
    /// Bytes of input read.
    pub bytes: u64,
    pub mentions: u64,
    pub places: u64,
    /// Claims written.
    pub claims: u64,
    /// Inputs not used: these make the run exit 2.
    pub skipped: Vec<Problem>,
    /// Usable inputs with a problem (lossy decoding, an unusable publication time).
    pub warnings: Vec<Problem>,
    /// Case folders written with `--cases`.
    pub cases: Vec<String>,
    pub threads: usize,
    pub seconds: f64,
}

impl ScanSummary {
    pub fn megabytes(&self) -> f64 {
        self.bytes as f64 / 1_000_000.0
    }

    pub fn megabytes_per_second(&self) -> f64 {
        if self.seconds > 0.0 {
            self.megabytes() / self.seconds
        } else {
            0.0
        }
    }

    /// The summary as printed on stderr at the end of `retrace scan`.
    pub fn render(&self) -> String {
        let size = if self.bytes >= 10_000 {
            format!("{:.2} MB", self.megabytes())
        } else {
            format!("{} bytes", self.bytes)
        };
        let mut s = format!(
            "retrace scan: {} articles, {size} in {:.2} s ({:.2} MB/s, {} threads)\n  {} mentions, {} places, {} claims",
            self.articles,
            self.seconds,
            self.megabytes_per_second(),
            self.threads,
            self.mentions,
            self.places,
            self.claims,
        );
        if self.filtered_out > 0 {
            s += &format!(
                "; {} articles without a matching claim left out",
                self.filtered_out
            );
        }
        s.push('\n');
        for (what, list) in [("skipped", &self.skipped), ("warnings", &self.warnings)] {
            if list.is_empty() {
                continue;
            }
            s += &format!("  {what}: {}\n", list.len());
            for p in list.iter().take(20) {
                s += &format!("    {p}\n");
            }
            if list.len() > 20 {
                s += &format!("    … and {} more\n", list.len() - 20);
            }
        }
        if !self.cases.is_empty() {
            s += &format!("  cases: {}\n", self.cases.join(", "));
        }
        s
    }
}

/// A JSON Lines record.
#[derive(Deserialize)]
struct JsonArticle {
    id: serde_json::Value,
    text: String,
    published: Option<String>,
    source: Option<String>,
    url: Option<String>,
    title: Option<String>,
}

/// Per-article metadata a folder's `case.toml` gives.
type SharedConfig = Option<Arc<CaseConfig>>;

enum Payload {
    /// A whole article file.
    File {
        name: String,
        bytes: Vec<u8>,
        config: SharedConfig,
    },
    /// One line of a JSON Lines file.
    Json {
        bytes: Vec<u8>,
    },
    Problem(Problem),
}

struct Work {
    seq: u64,
    location: String,
    /// Input bytes read for this item.
    size: u64,
    payload: Payload,
}

/// The result of one work item, handed to the writer.
struct Done {
    location: String,
    size: u64,
    warnings: Vec<Problem>,
    result: std::result::Result<Processed, Problem>,
}

struct Processed {
    id: String,
    traveller: Option<String>,
    /// Mentions, places and claims written, for the summary.
    counts: [u64; 3],
    /// The record as its JSON line (with the newline), serialised by the worker so the writer
    /// only copies bytes; empty when the article is left out.
    line: Vec<u8>,
    /// False when the filters leave the article out.
    keep: bool,
    /// The article as a file for a case folder, and the journey starts it supports.
    case_copy: Option<(String, Vec<DateTime<Utc>>)>,
}

/// Scans `paths` and writes one JSON line per article to `out`, in input order. `on_problem`
/// sees each problem (`true` = skipped, `false` = warning) as soon as it is reached in input
/// order.
///
/// # Errors
/// Only failures that stop the whole scan: the output cannot be written, the thread pool cannot
/// start, a `--cases` folder cannot be created. Bad inputs are in [`ScanSummary::skipped`].
pub fn scan_paths(
    paths: &[PathBuf],
    options: &ScanOptions,
    out: &mut dyn Write,
    on_problem: &mut dyn FnMut(&Problem, bool),
) -> Result<ScanSummary> {
    let started = Instant::now();
    let threads = options.threads.max(1);
    let in_flight = options.in_flight.max(threads * 2);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .thread_name(|i| format!("retrace-scan-{i}"))
        .build()
        .map_err(|e| Error::Usage(format!("cannot start {threads} threads: {e}")))?;
    let staging = match &options.cases_dir {
        Some(dir) => {
            let staging = dir.join(".staging");
            std::fs::create_dir_all(&staging).map_err(|e| Error::Io {
                path: staging.clone(),
                cause: e,
            })?;
            Some(staging)
        }
        None => None,
    };

    // Articles travel in batches: one hand-off (and at most one wake-up) per batch, not per
    // article. The tickets still bound the articles in flight.
    let batch_max = (in_flight / (threads * 2)).clamp(1, BATCH_MAX_ARTICLES);
    // Room for one waiting batch per worker: a worker that finishes finds the next batch ready,
    // and while all those places are taken the reader's batch grows. (With room for every
    // article in flight each article left alone, at a wake-up each: 48 k context switches and
    // 0.6-1.0 s of system time on 50 MB; with no room at all a worker waited for the reader to be
    // scheduled, and two threads ran slower.)
    let (work_tx, work_rx) = sync_channel::<Vec<Work>>(threads);
    let work_rx = Mutex::new(work_rx);
    let (done_tx, done_rx) = sync_channel::<Vec<(u64, Done)>>(in_flight);
    // Tickets come back as counts, one message per written batch, not one per article.
    let (ticket_tx, ticket_rx) = sync_channel::<usize>(in_flight);
    let _ = ticket_tx.send(in_flight);
    let gazetteer = Gazetteer::embedded();
    let progress = progress_bar(options.progress);

    let mut summary = ScanSummary {
        threads,
        ..ScanSummary::default()
    };
    let mut journeys: Vec<JourneyPoint> = Vec::new();
    let mut write_error: Option<Error> = None;

    std::thread::scope(|scope| {
        scope.spawn(move || read_inputs(paths, options, &work_tx, &ticket_rx, batch_max));
        let work_rx = &work_rx;
        let workers_done = done_tx;
        scope.spawn(move || {
            pool.scope(|ps| {
                for _ in 0..threads {
                    let done_tx = workers_done.clone();
                    ps.spawn(move |_| worker(work_rx, &done_tx, options, gazetteer));
                }
                drop(workers_done);
            })
        });

        // The writer: a reorder buffer keyed by sequence number.
        let mut pending: BTreeMap<u64, Done> = BTreeMap::new();
        let mut next = 0u64;
        // Duplicate ids: a hash of each id and where it was first seen, as a file number and a
        // line, so memory grows by a few dozen bytes per article, not by its id or path.
        let mut seen_ids: HashMap<u64, (u32, u32)> = HashMap::new();
        let mut file_names: Vec<String> = Vec::new();
        let mut file_numbers: HashMap<String, u32> = HashMap::new();
        for batch in done_rx.iter() {
            pending.extend(batch);
            let written_before = next;
            while let Some(done) = pending.remove(&next) {
                next += 1;
                summary.bytes += done.size;
                if options.progress {
                    progress.inc(1);
                    progress.set_message(format!("{:.1} MB", summary.bytes as f64 / 1e6));
                }
                for w in &done.warnings {
                    on_problem(w, false);
                }
                summary.warnings.extend(done.warnings);
                let processed = match done.result {
                    Ok(p) => p,
                    Err(problem) => {
                        on_problem(&problem, true);
                        summary.skipped.push(problem);
                        continue;
                    }
                };
                let id_hash = hash_of(&processed.id);
                if let Some(&(file, line)) = seen_ids.get(&id_hash) {
                    let name = file_names.get(file as usize).map_or("?", String::as_str);
                    let first = if line == 0 {
                        name.to_string()
                    } else {
                        format!("{name}:{line}")
                    };
                    let problem = Problem {
                        location: done.location.clone(),
                        reason: format!(
                            "duplicate id {:?} (first at {first}); skipped",
                            processed.id
                        ),
                    };
                    on_problem(&problem, true);
                    summary.skipped.push(problem);
                    continue;
                }
                let (file, line) = match done.location.rsplit_once(':') {
                    Some((file, line)) if line.parse::<u32>().is_ok() => {
                        (file, line.parse::<u32>().unwrap_or(0))
                    }
                    _ => (done.location.as_str(), 0),
                };
                let number = match file_numbers.get(file) {
                    Some(&n) => n,
                    None => {
                        let n = file_names.len() as u32;
                        file_names.push(file.to_string());
                        file_numbers.insert(file.to_string(), n);
                        n
                    }
                };
                seen_ids.insert(id_hash, (number, line));
                summary.articles += 1;
                if !processed.keep {
                    summary.filtered_out += 1;
                    continue;
                }
                let [mentions, places, claims] = processed.counts;
                summary.mentions += mentions;
                summary.places += places;
                summary.claims += claims;
                if write_error.is_none() {
                    if let Err(e) = out.write_all(&processed.line) {
                        write_error = Some(Error::Io {
                            path: PathBuf::from("<output>"),
                            cause: e,
                        });
                    }
                }
                if let (Some(staging), Some((contents, starts))) = (&staging, processed.case_copy) {
                    let staged = staging.join(format!("{seq:09}.txt", seq = next - 1));
                    match std::fs::write(&staged, contents) {
                        Ok(()) => journeys.extend(starts.into_iter().map(|start| JourneyPoint {
                            traveller: processed.traveller.clone().unwrap_or_default(),
                            start,
                            staged: staged.clone(),
                            name: case_file_name(next - 1, &processed.id),
                        })),
                        Err(e) => {
                            write_error.get_or_insert(Error::Io {
                                path: staged,
                                cause: e,
                            });
                        }
                    }
                }
            }
            let written = (next - written_before) as usize;
            if written > 0 {
                let _ = ticket_tx.send(written);
            }
        }
    });
    progress.finish_and_clear();
    if let Some(e) = write_error {
        return Err(e);
    }
    out.flush().map_err(|e| Error::Io {
        path: PathBuf::from("<output>"),
        cause: e,
    })?;
    if let (Some(dir), Some(staging)) = (&options.cases_dir, &staging) {
        summary.cases = write_cases(dir, journeys, options.journey_gap_days)?;
        let _ = std::fs::remove_dir_all(staging);
    }
    summary.seconds = started.elapsed().as_secs_f64();
    Ok(summary)
}

fn progress_bar(visible: bool) -> indicatif::ProgressBar {
    if !visible {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new_spinner();
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("{spinner} {pos} articles, {msg} ({elapsed})")
    {
        bar.set_style(style);
    }
    bar.enable_steady_tick(std::time::Duration::from_millis(200));
    bar
}

fn hash_of(s: &str) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    s.hash(&mut h);
    h.finish()
}

/// The record as one JSON line, newline included.
fn record_line(record: &impl Serialize, size_hint: usize) -> Vec<u8> {
    let mut line = Vec::with_capacity(size_hint);
    // Serialising plain structs of strings and numbers into memory cannot fail.
    if serde_json::to_writer(&mut line, record).is_err() {
        line.clear();
    }
    line.push(b'\n');
    line
}

// ---------------------------------------------------------------------------------------------
// Reading

/// Most articles one batch holds.
const BATCH_MAX_ARTICLES: usize = 16;
/// A batch is handed over once it holds this many input bytes, however few articles.
const BATCH_MAX_BYTES: u64 = 256 * 1024;

struct Reader<'a> {
    seq: u64,
    work_tx: &'a SyncSender<Vec<Work>>,
    tickets: &'a Receiver<usize>,
    /// Tickets received and not yet used: articles that may still be handed over.
    credits: usize,
    max_bytes: usize,
    /// Articles read but not yet handed over, and their input bytes.
    batch: Vec<Work>,
    batch_bytes: u64,
    batch_max: usize,
    /// False once the workers are gone.
    open: bool,
}

impl Reader<'_> {
    fn send(&mut self, location: String, size: u64, payload: Payload) {
        if !self.open {
            return;
        }
        // A ticket per article in flight keeps memory flat however far the reader could run.
        if self.credits == 0 {
            // Out of tickets: whatever the reader holds goes to the workers first (else the
            // writer could be waiting for an article that sits in this batch).
            self.flush();
            match self.tickets.recv() {
                Ok(n) => self.credits = n,
                Err(_) => {
                    self.open = false;
                    return;
                }
            }
        }
        self.credits -= 1;
        let work = Work {
            seq: self.seq,
            location,
            size,
            payload,
        };
        self.seq += 1;
        self.batch.push(work);
        self.batch_bytes += size;
        if self.batch.len() >= self.batch_max || self.batch_bytes >= BATCH_MAX_BYTES {
            self.flush();
            return;
        }
        // Workers waiting for input get it at once (no delay for a slow stream); busy workers
        // let the batch grow.
        let batch = std::mem::take(&mut self.batch);
        match self.work_tx.try_send(batch) {
            Ok(()) => self.batch_bytes = 0,
            Err(std::sync::mpsc::TrySendError::Full(batch)) => self.batch = batch,
            Err(std::sync::mpsc::TrySendError::Disconnected(_)) => self.open = false,
        }
    }

    /// Hands the batch over, waiting for room.
    fn flush(&mut self) {
        self.batch_bytes = 0;
        if self.batch.is_empty() {
            return;
        }
        let batch = std::mem::take(&mut self.batch);
        if self.work_tx.send(batch).is_err() {
            self.open = false;
        }
    }

    fn problem(&mut self, location: String, reason: String) {
        let problem = Problem {
            location: location.clone(),
            reason,
        };
        self.send(location, 0, Payload::Problem(problem));
    }
}

fn read_inputs(
    paths: &[PathBuf],
    options: &ScanOptions,
    work_tx: &SyncSender<Vec<Work>>,
    tickets: &Receiver<usize>,
    batch_max: usize,
) {
    let mut reader = Reader {
        seq: 0,
        work_tx,
        tickets,
        credits: 0,
        max_bytes: options.max_article_bytes,
        batch: Vec::new(),
        batch_bytes: 0,
        batch_max,
        open: true,
    };
    for path in paths {
        if path.as_os_str() == "-" {
            let stdin = std::io::stdin();
            read_jsonl(&mut reader, "<stdin>", stdin.lock());
            continue;
        }
        match std::fs::metadata(path) {
            Ok(m) if m.is_dir() => walk_folder(&mut reader, path),
            Ok(m) => read_file(&mut reader, path, m.len(), None),
            Err(e) => reader.problem(path.display().to_string(), format!("cannot read: {e}")),
        }
    }
    reader.flush();
}

fn has_extension(path: &Path, list: &[&str]) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| list.contains(&e.to_ascii_lowercase().as_str()))
}

/// Walks a folder depth-first in sorted order; dot-files and other extensions are ignored.
fn walk_folder(reader: &mut Reader, dir: &Path) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            reader.problem(
                dir.display().to_string(),
                format!("cannot read folder: {e}"),
            );
            return;
        }
    };
    let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    let config_path = dir.join("case.toml");
    let config: SharedConfig = if config_path.is_file() {
        let text = std::fs::read_to_string(&config_path);
        match text
            .as_ref()
            .map_err(|e| format!("cannot read: {e}"))
            .and_then(|t| CaseConfig::parse(t))
        {
            Ok(c) => Some(Arc::new(c)),
            Err(reason) => {
                // The parser says "line N: …"; make it "case.toml:N: …".
                let (location, reason) = match reason
                    .strip_prefix("line ")
                    .and_then(|r| r.split_once(": "))
                {
                    Some((n, msg)) if n.parse::<usize>().is_ok() => {
                        (format!("{}:{n}", config_path.display()), msg.to_string())
                    }
                    _ => (config_path.display().to_string(), reason),
                };
                reader.problem(location, reason);
                None
            }
        }
    } else {
        None
    };
    for path in entries {
        let hidden = path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.'));
        if hidden {
            continue;
        }
        match std::fs::metadata(&path) {
            Ok(m) if m.is_dir() => walk_folder(reader, &path),
            Ok(m) => {
                if has_extension(&path, ARTICLE_EXTENSIONS)
                    || has_extension(&path, JSONL_EXTENSIONS)
                {
                    read_file(reader, &path, m.len(), config.clone());
                }
            }
            Err(e) => reader.problem(path.display().to_string(), format!("cannot read: {e}")),
        }
    }
}

fn read_file(reader: &mut Reader, path: &Path, size: u64, config: SharedConfig) {
    let location = path.display().to_string();
    if has_extension(path, JSONL_EXTENSIONS) {
        match std::fs::File::open(path) {
            Ok(f) => read_jsonl(
                reader,
                &location,
                std::io::BufReader::with_capacity(1 << 16, f),
            ),
            Err(e) => reader.problem(location, format!("cannot read: {e}")),
        }
        return;
    }
    if size > reader.max_bytes as u64 {
        let reason = too_large(size, reader.max_bytes);
        reader.problem(location, reason);
        return;
    }
    match std::fs::read(path) {
        Ok(bytes) => {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| location.clone());
            reader.send(
                location,
                bytes.len() as u64,
                Payload::File {
                    name,
                    bytes,
                    config,
                },
            )
        }
        Err(e) => reader.problem(location, format!("cannot read: {e}")),
    }
}

fn too_large(size: u64, max: usize) -> String {
    format!(
        "article of {:.1} MB is over the limit of {:.1} MB (--max-article-mb); skipped",
        size as f64 / 1e6,
        max as f64 / 1e6
    )
}

/// Reads JSON Lines without ever holding more than one line of at most `max_bytes`: the rest of
/// a longer line is read and dropped.
fn read_jsonl(reader: &mut Reader, name: &str, mut input: impl BufRead) {
    let mut line_no = 0usize;
    let mut line: Vec<u8> = Vec::new();
    loop {
        line.clear();
        line_no += 1;
        let mut size = 0u64;
        let mut complete = false;
        loop {
            let buf = match input.fill_buf() {
                Ok(b) => b,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    reader.problem(format!("{name}:{line_no}"), format!("cannot read: {e}"));
                    return;
                }
            };
            if buf.is_empty() {
                break;
            }
            let (chunk, used, end) = match memchr::memchr(b'\n', buf) {
                Some(i) => (&buf[..i], i + 1, true),
                None => (buf, buf.len(), false),
            };
            size += used as u64;
            if line.len() + chunk.len() <= reader.max_bytes {
                line.extend_from_slice(chunk);
            }
            input.consume(used);
            if end {
                complete = true;
                break;
            }
        }
        if size == 0 && !complete {
            return;
        }
        let location = format!("{name}:{line_no}");
        if size > reader.max_bytes as u64 + 1 {
            let reason = too_large(size, reader.max_bytes);
            reader.send(
                location.clone(),
                size,
                Payload::Problem(Problem { location, reason }),
            );
        } else if !line.iter().all(u8::is_ascii_whitespace) {
            reader.send(
                location,
                size,
                Payload::Json {
                    // A copy of exactly the line's size; `line` keeps its room for the next.
                    bytes: line.clone(),
                },
            );
        }
        if line.capacity() > 1 << 20 {
            // Room kept for the next line is bounded after a long one.
            line = Vec::new();
        }
        if !complete || !reader.open {
            return;
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Processing

fn worker(
    work_rx: &Mutex<Receiver<Vec<Work>>>,
    done_tx: &SyncSender<Vec<(u64, Done)>>,
    options: &ScanOptions,
    gazetteer: &Gazetteer,
) {
    loop {
        let batch = {
            let Ok(rx) = work_rx.lock() else { return };
            match rx.recv() {
                Ok(w) => w,
                Err(_) => return,
            }
        };
        let done: Vec<(u64, Done)> = batch
            .into_iter()
            .map(|work| (work.seq, process_guarded(work, options, gazetteer)))
            .collect();
        if done_tx.send(done).is_err() {
            return;
        }
    }
}

/// [`process`], with a panic turned into a problem for that article.
fn process_guarded(work: Work, options: &ScanOptions, gazetteer: &Gazetteer) -> Done {
    let location = work.location.clone();
    let size = work.size;
    // A bug on one input must not stop the scan (nor leave a hole in the reorder buffer).
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        process(work, options, gazetteer)
    }))
    .unwrap_or_else(|_| Done {
        location: location.clone(),
        size,
        warnings: Vec::new(),
        result: Err(Problem {
            location,
            reason: "internal error while reading this article (a retrace bug: please report it with the input)".into(),
        }),
    })
}

fn process(work: Work, options: &ScanOptions, gazetteer: &Gazetteer) -> Done {
    let Work {
        location,
        size,
        payload,
        ..
    } = work;
    let mut warnings = Vec::new();
    let result = match payload {
        Payload::Problem(p) => Err(p),
        Payload::File {
            name,
            bytes,
            config,
        } => read_article_file(&location, &name, &bytes, config.as_deref(), &mut warnings).map(
            |(article, traveller)| scan_one(&article, traveller, &location, options, gazetteer),
        ),
        Payload::Json { bytes } => read_article_json(&location, &bytes, &mut warnings)
            .map(|article| scan_one(&article, None, &location, options, gazetteer)),
    };
    Done {
        location,
        size,
        warnings,
        result,
    }
}

fn problem(location: &str, reason: impl Into<String>) -> Problem {
    Problem {
        location: location.to_string(),
        reason: reason.into(),
    }
}

/// An article file with its folder's `case.toml` applied; also the case's traveller.
fn read_article_file(
    location: &str,
    name: &str,
    bytes: &[u8],
    config: Option<&CaseConfig>,
    warnings: &mut Vec<Problem>,
) -> std::result::Result<(Article, Option<String>), Problem> {
    let (mut article, article_warnings) =
        parse_article(name, bytes).map_err(|reason| problem(location, reason))?;
    warnings.extend(article_warnings.into_iter().map(|w| Problem {
        location: match w.line {
            Some(l) => format!("{location}:{l}"),
            None => location.to_string(),
        },
        reason: w.reason,
    }));
    article.file = location.to_string();
    let mut traveller = None;
    if let Some(config) = config {
        traveller = config.traveller.clone();
        if let Some(entry) = config
            .articles
            .get(name)
            .or_else(|| config.articles.get(&article.id))
        {
            article.source = entry.source.clone().or(article.source.take());
            article.title = entry.title.clone().or(article.title.take());
            article.url = entry.url.clone().or(article.url.take());
            if let Some(p) = entry.published {
                article.published = Some(p);
                article.published_basis = PublishedBasis::CaseToml;
            }
        }
    }
    // The id names the file as given, so ids are unique across folders.
    article.id = location.to_string();
    infer_if_unknown(&mut article);
    Ok((article, traveller))
}

fn read_article_json(
    location: &str,
    bytes: &[u8],
    warnings: &mut Vec<Problem>,
) -> std::result::Result<Article, Problem> {
    let text = match std::str::from_utf8(bytes) {
        Ok(s) => std::borrow::Cow::Borrowed(s),
        Err(e) => {
            warnings.push(problem(
                location,
                format!(
                    "invalid UTF-8 at byte {}, decoded lossily (offsets are into the decoded text)",
                    e.valid_up_to()
                ),
            ));
            String::from_utf8_lossy(bytes)
        }
    };
    let record: JsonArticle = serde_json::from_str(&text).map_err(|e| {
        problem(
            location,
            format!("expected a JSON object {{\"id\",\"text\",\"published\",…}}: {e}"),
        )
    })?;
    let id = match &record.id {
        serde_json::Value::String(s) if !s.is_empty() => s.clone(),
        serde_json::Value::Number(n) => n.to_string(),
        other => {
            return Err(problem(
                location,
                format!("\"id\": expected a non-empty string or a number, found {other}"),
            ))
        }
    };
    // A lone dot keeps `parse_article` from taking part of the id for an extension.
    let name = if record.text.trim_start().starts_with('<') {
        "record.html"
    } else {
        "record.txt"
    };
    let (mut article, article_warnings) = parse_article(name, record.text.as_bytes())
        .map_err(|reason| problem(location, format!("\"text\": {reason}")))?;
    warnings.extend(
        article_warnings
            .into_iter()
            .map(|w| problem(location, w.reason)),
    );
    article.id = id;
    article.file = location.to_string();
    article.source = record.source.or(article.source.take());
    article.title = record.title.or(article.title.take());
    article.url = record.url.or(article.url.take());
    if let Some(p) = record.published.as_deref().filter(|p| !p.trim().is_empty()) {
        match parse_published(p) {
            Some(t) => {
                article.published = Some(t);
                article.published_basis = PublishedBasis::Header;
            }
            None => warnings.push(problem(
                location,
                format!(
                    "\"published\": {p:?} is not ISO-8601 with an offset, nor a date; inferring it from the text"
                ),
            )),
        }
    }
    infer_if_unknown(&mut article);
    Ok(article)
}

fn infer_if_unknown(article: &mut Article) {
    if article.published.is_some() {
        return;
    }
    let inference = infer_published(&article.text);
    article.published = inference.published;
    article.published_window = inference.window;
    article.published_basis = if inference.window.is_some() {
        PublishedBasis::Inferred(inference.basis)
    } else {
        PublishedBasis::Unknown
    };
}

/// The traveller's names: the name, and its first and last words when they look like names
/// ("Kim" of "Kim Jong Un", "Putin" of "Vladimir Putin").
pub fn traveller_names(name: &str) -> Traveller {
    let mut names = vec![name.to_string()];
    let words: Vec<&str> = name.split_whitespace().collect();
    for w in [words.first(), words.last()].into_iter().flatten() {
        if w.chars().count() >= 3 && w.chars().next().is_some_and(char::is_uppercase) {
            names.push(w.to_string());
        }
    }
    names.sort();
    names.dedup();
    Traveller { names }
}

/// Capitalised words that start sentences or name groups rather than people.
const NOT_NAME_WORDS: &[&str] = &[
    "A",
    "After",
    "An",
    "And",
    "But",
    "Chairman",
    "Dr",
    "Foreign",
    "General",
    "Her",
    "His",
    "In",
    "King",
    "Leader",
    "Minister",
    "Mr",
    "Mrs",
    "Ms",
    "North",
    "Officials",
    "On",
    "Pope",
    "Premier",
    "President",
    "Prime",
    "Queen",
    "Secretary",
    "South",
    "State",
    "The",
    "Then",
    "When",
];

/// The run of capitalised words around the first whole-word `name` in `text`, at most four
/// ("Jong" in "leader Kim Jong Un left" gives "Kim Jong Un").
fn full_name(text: &str, name: &str) -> String {
    let Some(at) = text
        .match_indices(name)
        .map(|(i, _)| i)
        .find(|&i| names_word(&text[i..i + name.len()], name) && is_word_start(text, i))
    else {
        return name.to_string();
    };
    let is_name_word = |w: &str| {
        w.chars().next().is_some_and(char::is_uppercase)
            && w.chars().all(|c| c.is_alphabetic() || c == '-')
            && !NOT_NAME_WORDS.contains(&w)
    };
    let before: Vec<&str> = text[..at]
        .rsplit(' ')
        .skip(1)
        .take_while(|w| is_name_word(w))
        .take(3)
        .collect();
    let after: Vec<&str> = text[at + name.len()..]
        .split(' ')
        .skip(1)
        .take_while(|w| is_name_word(w))
        .take(3)
        .collect();
    // Only a space separates the words: "Kim, who" stops at the comma.
    let glued_before = text[..at].ends_with(' ') || before.is_empty();
    let glued_after = text[at + name.len()..].starts_with(' ') || after.is_empty();
    let mut words: Vec<&str> = Vec::new();
    if glued_before {
        words.extend(before.iter().rev());
    }
    words.push(name);
    if glued_after {
        words.extend(after.iter());
    }
    words.truncate(4);
    words.join(" ")
}

fn is_word_start(text: &str, i: usize) -> bool {
    !text[..i]
        .chars()
        .next_back()
        .is_some_and(char::is_alphanumeric)
}

/// Whole-word positions of any of `names` in `text`.
fn name_positions(text: &str, names: &[String]) -> Vec<usize> {
    let mut out: Vec<usize> = names
        .iter()
        .flat_map(|n| {
            text.match_indices(n.as_str())
                .filter(|(i, m)| {
                    is_word_start(text, *i)
                        && !text[i + m.len()..]
                            .chars()
                            .next()
                            .is_some_and(char::is_alphanumeric)
                })
                .map(|(i, _)| i)
                .collect::<Vec<_>>()
        })
        .collect();
    out.sort_unstable();
    out
}

/// How far before a sentence that names no one to look for who "he" is.
const LOOKBACK_BYTES: usize = 600;

/// Whether a claim is about the traveller (`names`) rather than the article's other subject
/// (`others`).
fn is_about(text: &str, claim: &crate::claims::Claim, names: &[String], others: &[String]) -> bool {
    if others.is_empty() {
        return true;
    }
    let start = claim.range.start.min(text.len());
    let focus = claim.focus.start.clamp(start, text.len());
    let back = crate::text::floor_char_boundary(text, start.saturating_sub(LOOKBACK_BYTES));
    let (Some(sentence), Some(before)) = (text.get(start..focus), text.get(back..start)) else {
        return true;
    };
    let mine = name_positions(sentence, names);
    let theirs = name_positions(sentence, others);
    match (mine.first(), theirs.first()) {
        (Some(m), Some(t)) => m < t,
        (Some(_), None) => true,
        (None, Some(_)) => false,
        (None, None) => {
            let mine = name_positions(before, names);
            let theirs = name_positions(before, others);
            match (mine.last(), theirs.last()) {
                (Some(m), Some(t)) => m > t,
                (m, _) => m.is_some(),
            }
        }
    }
}

/// True when `name` occurs in `text` as a whole word.
fn names_word(text: &str, name: &str) -> bool {
    text.match_indices(name).any(|(i, m)| {
        let before = text[..i].chars().next_back();
        let after = text[i + m.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

fn scan_one(
    article: &Article,
    case_traveller: Option<String>,
    location: &str,
    options: &ScanOptions,
    gazetteer: &Gazetteer,
) -> Processed {
    let mut reading = read_article(
        article,
        options.traveller.as_deref().or(case_traveller.as_deref()),
        gazetteer,
    );
    let (since, until) = options.window();
    let in_window = |c: &ClaimWire| match &c.window {
        Some(w) => {
            let start = DateTime::parse_from_rfc3339(&w.start).ok();
            let end = DateTime::parse_from_rfc3339(&w.end).ok();
            match (start, end) {
                (Some(s), Some(e)) => {
                    since.is_none_or(|since| e > since) && until.is_none_or(|until| s < until)
                }
                _ => false,
            }
        }
        None => false,
    };
    if since.is_some() || until.is_some() {
        // Quantities carry no window: they stay when a dated claim of the article is in range.
        let any_dated = reading.claims.iter().any(&in_window);
        reading
            .claims
            .retain(|c| in_window(c) || (c.window.is_none() && c.quantity.is_some() && any_dated));
    }
    let keep = !options.is_filtering() || !reading.claims.is_empty();
    let case_copy = match &options.cases_dir {
        Some(_) if keep => {
            let starts: Vec<DateTime<Utc>> = reading
                .claims
                .iter()
                .filter(|c| c.quantity.is_none())
                .filter_map(|c| c.window.as_ref())
                .filter_map(|w| DateTime::parse_from_rfc3339(&w.start).ok())
                .map(|t| t.with_timezone(&Utc))
                .collect();
            (!starts.is_empty() && reading.traveller.is_some())
                .then(|| (case_article_text(article), starts))
        }
        _ => None,
    };
    let places = reading.places(gazetteer);
    Processed {
        counts: [
            reading.findings.mentions.len() as u64,
            places.len() as u64,
            reading.claims.len() as u64,
        ],
        line: if keep {
            // About what news records take, so the line is rarely copied as it grows.
            let size_hint = 512
                + 320 * reading.findings.mentions.len()
                + 160 * places.len()
                + 480 * reading.claims.len();
            record_line(&record_out(article, location, &reading, &places), size_hint)
        } else {
            Vec::new()
        },
        id: article.id.clone(),
        traveller: reading.traveller,
        keep,
        case_copy,
    }
}

/// Reads one article: its time phrases, places and claims about `traveller` (inferred from the
/// text when `None`). Claims need an article that names the traveller.
///
/// # Examples
/// ```
/// let text = "Title: Train\n\nKim Jong Un left Pyongyang by train late Monday, state media said.";
/// let (mut article, _) = retrace::ingest::parse_article("a.txt", text.as_bytes()).unwrap();
/// article.published = retrace::ingest::parse_published("2025-09-02T10:00:00+09:00");
/// let record = retrace::scan::scan_article(
///     &article,
///     Some("Kim Jong Un"),
///     retrace::place::Gazetteer::embedded(),
/// );
/// assert_eq!(record.claims[0].event, "depart");
/// assert_eq!(record.places[0].name, "Pyongyang");
/// ```
pub fn scan_article(
    article: &Article,
    traveller: Option<&str>,
    gazetteer: &Gazetteer,
) -> ScanRecord {
    let reading = read_article(article, traveller, gazetteer);
    let places = reading
        .places(gazetteer)
        .into_iter()
        .map(|(m, p)| place_wire(m, p))
        .collect();
    ScanRecord {
        id: article.id.clone(),
        file: article.file.clone(),
        source: article.source.clone(),
        title: article.title.clone(),
        url: article.url.clone(),
        published: published_text(article),
        published_inferred: article.is_published_inferred(),
        mentions: reading
            .findings
            .mentions
            .iter()
            .map(|m| mention_wire(article, m))
            .collect(),
        places,
        claims: reading.claims,
        traveller: reading.traveller,
    }
}

/// What one article says, before it is put in wire form: `retrace scan` serialises it straight
/// from here (borrowing, see [`RecordOut`]), [`scan_article`] builds a [`ScanRecord`] of it.
struct Reading {
    /// The traveller claims were read for.
    traveller: Option<String>,
    findings: crate::claims::ArticleFindings,
    /// The claims about the traveller.
    claims: Vec<ClaimWire>,
}

impl Reading {
    /// The place mentions written, with their gazetteer entries.
    fn places<'a>(
        &'a self,
        gazetteer: &'a Gazetteer,
    ) -> Vec<(&'a crate::place::PlaceMention, &'a Place)> {
        self.findings
            .places
            .iter()
            .filter_map(|m| gazetteer.get(&m.place_id).map(|p| (m, p)))
            .collect()
    }
}

/// The reference time of an article as records write it.
fn published_text(article: &Article) -> Option<String> {
    let published = article.published?;
    Some(crate::text::iso8601(&published, &mut [0u8; 25]).into_owned())
}

/// Names kept in [`EMBEDDED_PLACE_NAMES`] before it is emptied (a corpus names ever more
/// people).
const PLACE_NAMES_KEPT: usize = 4096;

thread_local! {
    /// Whether a run of words is a place of the embedded gazetteer, as this thread has asked.
    static EMBEDDED_PLACE_NAMES: std::cell::RefCell<HashMap<String, bool>> =
        std::cell::RefCell::new(HashMap::new());
}

/// The answer for `name` in `known`, else `ask()`'s, kept (`known` is emptied when full).
/// `known` is not borrowed while `ask` runs.
fn remember(
    known: &std::cell::RefCell<HashMap<String, bool>>,
    name: &str,
    ask: impl FnOnce() -> bool,
) -> bool {
    if let Some(&answer) = known.borrow().get(name) {
        return answer;
    }
    let answer = ask();
    let mut known = known.borrow_mut();
    if known.len() >= PLACE_NAMES_KEPT {
        known.clear();
    }
    known.insert(name.to_string(), answer);
    answer
}

/// Reads one article, as [`scan_article`] documents.
fn read_article(article: &Article, traveller: Option<&str>, gazetteer: &Gazetteer) -> Reading {
    let traveller_given = traveller.is_some();
    // The same run of words ("Kim Jong Un") comes before many triggers, and back in article
    // after article: ask once per name, and for the embedded gazetteer keep the answers for
    // the thread's next articles.
    let place_names: std::cell::RefCell<HashMap<String, bool>> = Default::default();
    let is_place = |name: &str| {
        let ask = || !crate::place::find_places(name, gazetteer).is_empty();
        if gazetteer.is_embedded() {
            return EMBEDDED_PLACE_NAMES.with(|known| remember(known, name, ask));
        }
        remember(&place_names, name, ask)
    };
    // The claim regexes' view of the text and its triggers, shared by traveller inference and
    // claims.
    let view = crate::claims::Viewed::new(&article.text);
    let text_and_view = || std::iter::once((article.text.as_str(), Some(&view)));
    let traveller_name = match traveller {
        Some(t) => Some(t.to_string()),
        None => infer_traveller_viewed(text_and_view(), is_place)
            .map(|name| full_name(&article.text, &name)),
    };
    let traveller = traveller_name
        .as_deref()
        .map(traveller_names)
        .unwrap_or_default();
    let names_traveller = traveller.names.iter().any(|n| names_word(&article.text, n));
    let findings = extract_claims_viewed(article, gazetteer, &traveller, Some(&view));
    // When the traveller is given, the person the article is mostly about may be someone else:
    // a claim is only the traveller's when their name comes first in its sentence, or last
    // before it when the sentence names no one.
    let others: Vec<String> = match traveller_name.as_deref().filter(|_| traveller_given) {
        Some(_) => infer_traveller_viewed(text_and_view(), is_place)
            .map(|n| traveller_names(&full_name(&article.text, &n)).names)
            .unwrap_or_default()
            .into_iter()
            .filter(|n| !traveller.names.contains(n))
            .collect(),
        None => Vec::new(),
    };
    let claims = if names_traveller {
        findings
            .claims
            .iter()
            .filter(|c| is_about(&article.text, c, &traveller.names, &others))
            .map(|c| claim_wire(c, article, gazetteer))
            .collect()
    } else {
        Vec::new()
    };
    Reading {
        traveller: traveller_name,
        findings,
        claims,
    }
}

// ---------------------------------------------------------------------------------------------
// Output records
//
// A record is serialised from borrowed views of the findings rather than from a `ScanRecord`:
// the owned wire values cost a dozen small strings per mention, built only to be written once
// and dropped. The views serialise exactly as the wire types do (same fields, order and
// formatting); a test compares the two on the sample case.

/// A [`ScanRecord`] as borrowed views, serialised the same.
#[derive(Serialize)]
struct RecordOut<'a> {
    id: &'a str,
    file: &'a str,
    source: Option<&'a str>,
    title: Option<&'a str>,
    url: Option<&'a str>,
    published: Option<String>,
    published_inferred: bool,
    traveller: Option<&'a str>,
    mentions: MentionsOut<'a>,
    places: PlacesOut<'a>,
    claims: &'a [ClaimWire],
}

fn record_out<'a>(
    article: &'a Article,
    file: &'a str,
    reading: &'a Reading,
    places: &'a [(&'a crate::place::PlaceMention, &'a Place)],
) -> RecordOut<'a> {
    RecordOut {
        id: &article.id,
        file,
        source: article.source.as_deref(),
        title: article.title.as_deref(),
        url: article.url.as_deref(),
        published: published_text(article),
        published_inferred: article.is_published_inferred(),
        traveller: reading.traveller.as_deref(),
        mentions: MentionsOut {
            article,
            list: &reading.findings.mentions,
        },
        places: PlacesOut(places),
        claims: &reading.claims,
    }
}

/// Time mentions, serialised as a list of [`MentionWire`].
struct MentionsOut<'a> {
    article: &'a Article,
    list: &'a [crate::claims::ResolvedMention],
}

impl Serialize for MentionsOut<'_> {
    fn serialize<S: serde::Serializer>(
        &self,
        serializer: S,
    ) -> std::result::Result<S::Ok, S::Error> {
        serializer.collect_seq(self.list.iter().map(|m| mention_out(self.article, m)))
    }
}

/// A [`MentionWire`] as borrowed views (same fields, same order).
#[derive(Serialize)]
struct MentionOut<'a> {
    doc: &'a str,
    start: usize,
    end: usize,
    line: usize,
    col: usize,
    text: &'a str,
    value: Option<WindowOut>,
    duration: Option<crate::report::wire::DurationWire>,
    grain: &'static str,
    timex3: Timex3Out<'a>,
    rule: &'a str,
    tz: &'static str,
    unresolved: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reported_by: Option<SpanOut<'a>>,
}

/// A [`crate::report::wire::Timex3Wire`] as borrowed views.
#[derive(Serialize)]
struct Timex3Out<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    value: &'a str,
    #[serde(rename = "mod", skip_serializing_if = "Option::is_none")]
    modifier: Option<&'static str>,
}

/// A [`crate::report::wire::SpanWire`] as borrowed views.
#[derive(Serialize)]
struct SpanOut<'a> {
    start: usize,
    end: usize,
    text: &'a str,
}

/// A [`crate::report::wire::WindowWire`]: both ends as ISO 8601 in the zone.
#[derive(Serialize)]
struct WindowOut {
    start: IsoOut,
    end: IsoOut,
}

/// An instant written as ISO 8601 with the offset of a zone, as `report::build::iso` writes it,
/// without a `String` in between.
struct IsoOut(DateTime<Utc>, chrono_tz::Tz);

impl Serialize for IsoOut {
    fn serialize<S: serde::Serializer>(
        &self,
        serializer: S,
    ) -> std::result::Result<S::Ok, S::Error> {
        let local = self.0.with_timezone(&self.1);
        serializer.serialize_str(&crate::text::iso8601(&local, &mut [0u8; 25]))
    }
}

fn mention_out<'a>(a: &'a Article, m: &'a crate::claims::ResolvedMention) -> MentionOut<'a> {
    let (line, col) = a.file_position(m.expr.range.start);
    MentionOut {
        doc: &a.id,
        start: m.expr.range.start,
        end: m.expr.range.end,
        line,
        col,
        text: &m.expr.text,
        value: m.resolved.window.map(|w| WindowOut {
            start: IsoOut(w.earliest, m.tz),
            end: IsoOut(w.latest, m.tz),
        }),
        duration: m
            .resolved
            .duration
            .map(|d| crate::report::wire::DurationWire {
                nominal_s: d.nominal_s,
                min_s: d.min_s,
                max_s: d.max_s,
            }),
        grain: m.resolved.grain.as_str(),
        timex3: Timex3Out {
            kind: timex_type(m.resolved.timex3.kind),
            value: &m.resolved.timex3.value,
            modifier: m.resolved.timex3.modifier.map(timex_mod),
        },
        rule: m.expr.rule,
        tz: m.tz.name(),
        unresolved: m.resolved.unresolved.as_deref(),
        note: m.resolved.note.as_deref(),
        reported_by: m.expr.reported_by.map(|r| SpanOut {
            start: r.start,
            end: r.end,
            text: a.text.get(r.start..r.end).unwrap_or(""),
        }),
    }
}

/// Place mentions with their gazetteer entries, serialised as a list of [`ScanPlaceWire`].
struct PlacesOut<'a>(&'a [(&'a crate::place::PlaceMention, &'a Place)]);

impl Serialize for PlacesOut<'_> {
    fn serialize<S: serde::Serializer>(
        &self,
        serializer: S,
    ) -> std::result::Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().map(|(m, p)| PlaceOut {
            start: m.range.start,
            end: m.range.end,
            text: &m.text,
            id: &p.id,
            name: &p.name,
            lat: round5(p.lat),
            lon: round5(p.lon),
            country: &p.country,
            kind: kind_str(p.kind),
        }))
    }
}

/// A [`ScanPlaceWire`] as borrowed views (same fields, same order).
#[derive(Serialize)]
struct PlaceOut<'a> {
    start: usize,
    end: usize,
    text: &'a str,
    id: &'a str,
    name: &'a str,
    lat: f64,
    lon: f64,
    country: &'a str,
    kind: &'static str,
}

fn place_wire(m: &crate::place::PlaceMention, p: &Place) -> ScanPlaceWire {
    ScanPlaceWire {
        start: m.range.start,
        end: m.range.end,
        text: m.text.clone(),
        id: p.id.clone(),
        name: p.name.clone(),
        lat: round5(p.lat),
        lon: round5(p.lon),
        country: p.country.clone(),
        kind: kind_str(p.kind).into(),
    }
}

// ---------------------------------------------------------------------------------------------
// Case folders

/// A claim that can start or continue a journey: who, when, and the staged article.
struct JourneyPoint {
    traveller: String,
    start: DateTime<Utc>,
    staged: PathBuf,
    name: String,
}

fn one_line(s: &str) -> String {
    crate::text::strip_controls(s, true).trim().to_string()
}

/// The article as a case file: a header block the ingest stage reads back, then the text.
fn case_article_text(article: &Article) -> String {
    let mut s = format!("Id: {}\n", one_line(&article.id));
    for (key, value) in [
        ("Title", &article.title),
        ("Source", &article.source),
        ("URL", &article.url),
    ] {
        if let Some(v) = value.as_deref().map(one_line).filter(|v| !v.is_empty()) {
            s += &format!("{key}: {v}\n");
        }
    }
    if let (Some(p), false) = (article.published, article.is_published_inferred()) {
        s += &format!("Published: {}\n", p.format("%Y-%m-%dT%H:%M:%S%:z"));
    }
    s.push('\n');
    s += &article.text;
    s
}

fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-');
    let out: String = out.chars().take(40).collect();
    if out.is_empty() {
        "article".into()
    } else {
        out
    }
}

fn case_file_name(seq: u64, id: &str) -> String {
    let stem = Path::new(id)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    format!("{seq:06}-{}.txt", slug(&stem))
}

/// Groups the journey points by traveller and time (a gap longer than `gap_days` starts a new
/// journey) and writes one case folder per journey: the articles and a `case.toml`.
fn write_cases(dir: &Path, mut points: Vec<JourneyPoint>, gap_days: i64) -> Result<Vec<String>> {
    points.sort_by(|a, b| (&a.traveller, a.start).cmp(&(&b.traveller, b.start)));
    let mut written = Vec::new();
    let mut used: BTreeMap<String, usize> = BTreeMap::new();
    let mut i = 0;
    while i < points.len() {
        let mut j = i + 1;
        while j < points.len()
            && points[j].traveller == points[i].traveller
            && points[j].start - points[j - 1].start <= Duration::days(gap_days)
        {
            j += 1;
        }
        let journey = &points[i..j];
        let first = &journey[0];
        let base = format!(
            "{}-{}",
            slug(&first.traveller),
            first.start.format("%Y-%m-%d")
        );
        let n = used.entry(base.clone()).or_insert(0);
        *n += 1;
        let name = if *n == 1 { base } else { format!("{base}-{n}") };
        let case_dir = dir.join(&name);
        std::fs::create_dir_all(&case_dir).map_err(|e| Error::Io {
            path: case_dir.clone(),
            cause: e,
        })?;
        let mut files: Vec<(&str, &Path)> = journey
            .iter()
            .map(|p| (p.name.as_str(), p.staged.as_path()))
            .collect();
        files.sort();
        files.dedup();
        for (file, staged) in &files {
            let target = case_dir.join(file);
            std::fs::copy(staged, &target).map_err(|e| Error::Io {
                path: target,
                cause: e,
            })?;
        }
        let last = &journey[journey.len() - 1];
        let config = format!(
            "# Written by `retrace scan --cases`: {} articles whose claims about {} fall between {} and {}.\ntitle = {}\ntraveller = {}\n",
            files.len(),
            first.traveller,
            first.start.format("%Y-%m-%d"),
            last.start.format("%Y-%m-%d"),
            toml_string(&format!(
                "{}, {}",
                first.traveller,
                first.start.format("%-d %B %Y")
            )),
            toml_string(&first.traveller),
        );
        let config_path = case_dir.join("case.toml");
        std::fs::write(&config_path, config).map_err(|e| Error::Io {
            path: config_path,
            cause: e,
        })?;
        written.push(case_dir.display().to_string());
        i = j;
    }
    Ok(written)
}

fn toml_string(s: &str) -> String {
    serde_json::to_string(&one_line(s)).unwrap_or_else(|_| "\"\"".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slug_keeps_ascii_words() {
        assert_eq!(slug("Kim Jong Un"), "kim-jong-un");
        assert_eq!(slug("平壤"), "article");
    }

    #[test]
    fn full_name_extends_over_capitalised_words() {
        assert_eq!(
            full_name("The leader Kim Jong Un left.", "Jong"),
            "Kim Jong Un"
        );
        assert_eq!(full_name("On Monday, Putin left.", "Putin"), "Putin");
        assert_eq!(full_name("Xi", "Xi"), "Xi");
        assert_eq!(
            full_name("Foreign Minister Choe Son Hui said", "Choe"),
            "Choe Son Hui"
        );
    }

    #[test]
    fn names_word_needs_word_boundaries() {
        assert!(names_word("Kim left.", "Kim"));
        assert!(!names_word("Kimchi left.", "Kim"));
    }

    #[test]
    fn borrowed_records_serialise_as_scan_records() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/cases/kim-train-2025");
        let case = crate::ingest::load_case(&dir, &[]).expect("the sample case loads");
        let gazetteer = Gazetteer::embedded();
        let mut extra = parse_article(
            "extra.txt",
            "Title: Odd times\n\nKim Jong Un left Pyongyang by train at about 6 p.m. on Monday, \
             KCNA reported early Tuesday; he reached Dandong some 20 hours later, nearly 300 km \
             away, and Beijing on Sept. 2 at 4:05 p.m. CST."
                .as_bytes(),
        )
        .expect("the article parses")
        .0;
        extra.published = parse_published("2025-09-02T10:00:00+09:00");
        let mut mentions = 0;
        for article in case.articles.iter().chain([&extra]) {
            for traveller in [None, Some("Kim Jong Un")] {
                let record = scan_article(article, traveller, gazetteer);
                let reading = read_article(article, traveller, gazetteer);
                let places = reading.places(gazetteer);
                let borrowed =
                    record_line(&record_out(article, &article.file, &reading, &places), 64);
                assert_eq!(
                    String::from_utf8_lossy(&borrowed),
                    String::from_utf8_lossy(&record_line(&record, 64)),
                    "{}",
                    article.file
                );
                mentions += record.mentions.len();
            }
        }
        assert!(
            mentions > 20,
            "the records have mentions to compare ({mentions})"
        );
    }

    #[test]
    fn window_filter_covers_the_until_day() {
        let options = ScanOptions {
            since: NaiveDate::from_ymd_opt(2025, 9, 1),
            until: NaiveDate::from_ymd_opt(2025, 9, 2),
            ..ScanOptions::default()
        };
        let (s, u) = options.window();
        assert_eq!(s.unwrap().to_rfc3339(), "2025-09-01T00:00:00+00:00");
        assert_eq!(u.unwrap().to_rfc3339(), "2025-09-03T00:00:00+00:00");
    }
}
