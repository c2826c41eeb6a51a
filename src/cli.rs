//! Command-line interface. Subcommand names and flags are a contract: scripts and CI use them.

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context};
use chrono::{DateTime, FixedOffset, Utc};
use clap::{Parser, Subcommand};
use serde::{Deserialize, Serialize};

use retrace::ingest::load_case;
use retrace::place::Gazetteer;
use retrace::render::Theme;
use retrace::report::formats::{render_check, Format};
use retrace::report::wire::ReportWire;
use retrace::route::RailGraph;
use retrace::time::{find_times, zone_for_offset, Anchor, Profile, TimeMention};

/// Reconstruct a journey from news articles and check whether their accounts hold together.
#[derive(Debug, Parser)]
#[command(name = "retrace", version)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Reconstruct the journey of a case and write report.json, timeline.svg, route.svg,
    /// route.geojson, report.md and report.html.
    ///
    /// CASE is a folder of articles (.txt, .md, .html) with an optional case.toml; the default
    /// is the embedded sample. Exit code 2 when a file could not be used (the rest is still
    /// processed and written).
    Reconstruct {
        #[command(flatten)]
        input: CaseArgs,
        /// Output folder (default: out/<case name>/).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Also write timeline.png and route.png.
        #[arg(long)]
        png: bool,
        /// Colour scheme of the figures.
        #[arg(long, value_enum, default_value = "light")]
        theme: Theme,
    },
    /// Check whether the claims of a case hold together; exit 0 pass, 1 a check failed at or
    /// above --fail-on, 2 unusable input.
    Check {
        #[command(flatten)]
        input: CaseArgs,
        /// Output format on stdout.
        #[arg(long, value_enum, default_value = "human")]
        format: Format,
        /// The lowest severity that fails the check.
        #[arg(long, value_enum, default_value = "error")]
        fail_on: FailOn,
        /// Also write a report in another format to a file: FORMAT=PATH (repeatable), e.g.
        /// --report sarif=out.sarif.
        #[arg(long = "report", value_name = "FORMAT=PATH")]
        reports: Vec<String>,
    },
    /// Explain a check: what it checks, why it matters, an example and the fix.
    Explain {
        /// The rule id, e.g. time_window_conflict; without one, list all.
        rule: Option<String>,
    },
    /// Print the time expressions of a text, anchored on a reference time.
    ///
    /// With --jsonl, read lines {"id","text","ref","tz"?,"profile"?} on stdin and write one line
    /// {"id","mentions":[…]} per input line (byte offsets, ISO-8601 with offset, end exclusive).
    Times(TimesArgs),
    /// Print the places a text names, with coordinates, country and time zone.
    Places {
        /// The text to search.
        text: String,
    },
    /// Scan a corpus: folders of articles and JSON Lines files, one JSON line of findings per
    /// article, in input order, on all cores.
    ///
    /// JSON Lines records are {"id","text","published"?,"source"?,"url"?,"title"?}; `-` reads
    /// them from stdin. Output lines carry id, file, source, published, mentions, places and
    /// claims (the shapes of report.json). A summary goes to stderr. Bad files and lines are
    /// named as file:line on stderr and listed in the summary; the rest is still scanned and the
    /// exit code is 2.
    Scan(ScanArgs),
}

#[derive(Debug, clap::Args)]
pub struct ScanArgs {
    /// Folders, article files, JSON Lines files (.jsonl, .ndjson), or - for JSON Lines on stdin.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Write the JSON lines to this file instead of stdout.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Worker threads (default: all cores).
    #[arg(long)]
    pub threads: Option<usize>,
    /// Keep only claims about this traveller, e.g. "Kim Jong Un"; articles without one are left
    /// out.
    #[arg(long, help_heading = "Filters")]
    pub traveller: Option<String>,
    /// Keep only claims whose window reaches into this day or later (YYYY-MM-DD, UTC).
    #[arg(long, value_name = "DATE", help_heading = "Filters")]
    pub since: Option<String>,
    /// Keep only claims whose window starts on or before this day (YYYY-MM-DD, UTC).
    #[arg(long, value_name = "DATE", help_heading = "Filters")]
    pub until: Option<String>,
    /// Write one case folder per journey found (claims of one traveller within
    /// --journey-gap-days of each other) into DIR, ready for `retrace reconstruct`.
    #[arg(long, value_name = "DIR")]
    pub cases: Option<PathBuf>,
    /// Claims further apart than this many days belong to different journeys.
    #[arg(long, default_value_t = 7)]
    pub journey_gap_days: i64,
    /// Skip articles (files or JSON lines) larger than this many megabytes.
    #[arg(long, default_value_t = 16.0)]
    pub max_article_mb: f64,
}

#[derive(Debug, clap::Args)]
pub struct CaseArgs {
    /// The case folder (default: the embedded sample).
    pub case: Option<PathBuf>,
    /// Publication time of an article: FILE=TIME (ISO-8601 with offset); overrides headers
    /// and case.toml. Repeatable.
    #[arg(long = "published", value_name = "FILE=TIME")]
    pub published: Vec<String>,
    /// Route on this GeoJSON of rail lines (LineStrings) instead of the embedded network.
    #[arg(long)]
    pub rail: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Info,
}

#[derive(Debug, clap::Args)]
pub struct TimesArgs {
    /// The text, or - for stdin.
    pub text: Option<String>,
    /// Reference time, ISO-8601 with offset (the article's publication time).
    #[arg(long = "ref")]
    pub reference: Option<String>,
    /// IANA zone the phrases are read in (default: the reference's offset).
    #[arg(long)]
    pub tz: Option<String>,
    /// news: bare weekdays resolve to the past unless the sentence is about the future;
    /// forward: to the next one.
    #[arg(long, value_enum, default_value = "news")]
    pub profile: ProfileArg,
    /// Read JSON Lines requests on stdin.
    #[arg(long)]
    pub jsonl: bool,
    /// Show the rule, anchor and zone behind each mention.
    #[arg(long)]
    pub explain: bool,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum ProfileArg {
    News,
    Forward,
}

impl From<ProfileArg> for Profile {
    fn from(p: ProfileArg) -> Profile {
        match p {
            ProfileArg::News => Profile::News,
            ProfileArg::Forward => Profile::Forward,
        }
    }
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("retrace: {err:#}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Times(args) => run_times(args),
        Command::Places { text } => run_places(&text),
        Command::Reconstruct {
            input,
            out,
            png,
            theme,
        } => run_reconstruct(&input, out, png, theme),
        Command::Check {
            input,
            format,
            fail_on,
            reports,
        } => run_check(&input, format, fail_on, &reports),
        Command::Explain { rule } => run_explain(rule.as_deref()),
        Command::Scan(args) => run_scan(args),
    }
}

/// The sample case in data/, or its embedded copy when retrace runs outside the repository.
fn default_case() -> anyhow::Result<PathBuf> {
    let local = PathBuf::from(retrace::sample::SAMPLE_DIR);
    if local.is_dir() {
        return Ok(local);
    }
    retrace::sample::materialise(&std::env::temp_dir())
        .context("writing the embedded sample case to the temporary folder")
}

struct Loaded {
    report: ReportWire,
    rail: RailGraph,
    /// The case folder as the user named it, for paths in annotations.
    base: String,
    failures: Vec<String>,
}

fn load(input: &CaseArgs) -> anyhow::Result<Loaded> {
    let dir = match &input.case {
        Some(d) => d.clone(),
        None => default_case()?,
    };
    let mut overrides = Vec::new();
    for p in &input.published {
        let Some((file, time)) = p.split_once('=') else {
            bail!("--published {p:?}: expected FILE=TIME, like 000.txt=2025-09-02T10:00:00+09:00");
        };
        overrides.push((file.to_string(), time.to_string()));
    }
    let rail = match &input.rail {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("reading rail network {}", path.display()))?;
            RailGraph::from_geojson(&text)
                .with_context(|| format!("loading rail network {}", path.display()))?
        }
        None => RailGraph::embedded(),
    };
    let case =
        load_case(&dir, &overrides).with_context(|| format!("loading case {}", dir.display()))?;
    let mut failures: Vec<String> = case
        .skipped
        .iter()
        .map(|s| {
            format!(
                "{}: {}",
                dir.join(&s.file).display(),
                match s.line {
                    Some(l) => format!("line {l}: {}", s.reason),
                    None => s.reason.clone(),
                }
            )
        })
        .collect();
    for w in &case.warnings {
        eprintln!(
            "retrace: warning: {}",
            dir.join(&w.file).display().to_string()
                + &match w.line {
                    Some(l) => format!(":{l}"),
                    None => String::new(),
                }
                + ": "
                + &w.reason
        );
    }
    if case.articles.is_empty() {
        failures.push(format!("{}: no usable article", dir.display()));
    }
    let gazetteer = Gazetteer::embedded();
    let reconstruction = retrace::reconstruct(case, gazetteer, &rail);
    let report = retrace::report::build_report(&reconstruction, gazetteer);
    Ok(Loaded {
        report,
        rail,
        base: dir.display().to_string(),
        failures,
    })
}

fn write_file(path: &Path, contents: &[u8]) -> anyhow::Result<()> {
    std::fs::write(path, contents).with_context(|| format!("writing {}", path.display()))
}

fn run_reconstruct(
    input: &CaseArgs,
    out: Option<PathBuf>,
    png: bool,
    theme: Theme,
) -> anyhow::Result<ExitCode> {
    let loaded = load(input)?;
    let report = &loaded.report;
    let out = out.unwrap_or_else(|| Path::new("out").join(&report.case.name));
    std::fs::create_dir_all(&out).with_context(|| format!("creating {}", out.display()))?;
    let timeline = retrace::render::render_timeline(report, theme);
    let route = retrace::render::render_route(report, &loaded.rail.lines(), theme);
    write_file(
        &out.join("report.json"),
        retrace::report::render_json(report).as_bytes(),
    )?;
    write_file(&out.join("timeline.svg"), timeline.as_bytes())?;
    write_file(&out.join("route.svg"), route.as_bytes())?;
    write_file(
        &out.join("route.geojson"),
        retrace::report::render_geojson(report).as_bytes(),
    )?;
    write_file(
        &out.join("report.md"),
        retrace::report::render_markdown(report).as_bytes(),
    )?;
    write_file(
        &out.join("report.html"),
        retrace::report::render_html(report, &timeline, &route).as_bytes(),
    )?;
    if png {
        write_file(
            &out.join("timeline.png"),
            &retrace::render::svg_to_png(&timeline)?,
        )?;
        write_file(
            &out.join("route.png"),
            &retrace::render::svg_to_png(&route)?,
        )?;
    }
    print_summary(report, &out);
    for f in &loaded.failures {
        eprintln!("retrace: {f}");
    }
    Ok(if loaded.failures.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    })
}

fn print_summary(report: &ReportWire, out: &Path) {
    println!(
        "{}: {} articles, {} claims",
        report.case.title,
        report.documents.len(),
        report.claims.len()
    );
    for e in &report.timeline {
        let window = e
            .window
            .as_ref()
            .map(|w| format!("{} .. {}", w.start, w.end))
            .unwrap_or_else(|| "unbounded".into());
        println!(
            "  {:<4} {:<13} {:<28} {}",
            e.id,
            e.event,
            e.place.clone().unwrap_or_default(),
            window
        );
    }
    let stops: Vec<String> = report.route.stops.iter().map(|s| s.name.clone()).collect();
    println!(
        "  route: {} — {} km by rail, {} km great-circle",
        stops.join(" → "),
        report.route.total_rail_km,
        report.route.total_geodesic_km
    );
    let failed: Vec<_> = report
        .checks
        .iter()
        .filter(|c| c.status == "fail")
        .collect();
    println!("  checks: {} failed", failed.len());
    for c in failed.iter().take(12) {
        println!(
            "    {} {} [{}] {}",
            c.id,
            c.severity,
            c.rule,
            retrace::text::strip_controls(&c.message, true)
        );
    }
    println!("  wrote {}", out.display());
}

fn run_check(
    input: &CaseArgs,
    format: Format,
    fail_on: FailOn,
    reports: &[String],
) -> anyhow::Result<ExitCode> {
    let mut extra = Vec::new();
    for r in reports {
        let Some((f, path)) = r.split_once('=') else {
            bail!("--report {r:?}: expected FORMAT=PATH, like sarif=out.sarif");
        };
        let Some(f) = Format::parse(f) else {
            bail!("--report {r:?}: unknown format {f:?}: expected human, json, github, sarif or junit");
        };
        extra.push((f, PathBuf::from(path)));
    }
    let loaded = load(input)?;
    let report = &loaded.report;
    print!("{}", render_check(report, format, &loaded.base));
    for (f, path) in extra {
        write_file(&path, render_check(report, f, &loaded.base).as_bytes())?;
    }
    for f in &loaded.failures {
        eprintln!("retrace: {f}");
    }
    if !loaded.failures.is_empty() {
        return Ok(ExitCode::from(2));
    }
    let threshold = match fail_on {
        FailOn::Error => "error",
        FailOn::Warning => "warning",
        FailOn::Info => "info",
    };
    let rank = |s: &str| match s {
        "error" => 2,
        "warning" => 1,
        _ => 0,
    };
    let failed = report
        .checks
        .iter()
        .any(|c| c.status == "fail" && rank(&c.severity) >= rank(threshold));
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn run_explain(rule: Option<&str>) -> anyhow::Result<ExitCode> {
    use retrace::check::rules::{rule as find_rule, RULES};
    match rule {
        None => {
            for r in RULES {
                println!("{:<28} {:<8} {}", r.id, r.severity.as_str(), r.title);
            }
        }
        Some(id) => {
            let Some(r) = find_rule(id) else {
                bail!("unknown rule {id:?}: `retrace explain` lists them");
            };
            println!(
                "{} ({})\n\n{}\n\nWhat it checks: {}\nWhy it matters: {}\nExample: {}\nFix: {}",
                r.id,
                r.severity.as_str(),
                r.title,
                r.what,
                r.why,
                r.example,
                r.fix
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn parse_reference(s: &str) -> anyhow::Result<DateTime<FixedOffset>> {
    DateTime::parse_from_rfc3339(s)
        .or_else(|_| DateTime::parse_from_str(s, "%Y-%m-%dT%H:%M%:z"))
        .with_context(|| format!("reference time {s:?}: expected ISO-8601 with offset, like 2025-09-02T10:00:00+09:00"))
}

fn anchor_for(reference: &str, tz: Option<&str>, profile: Profile) -> anyhow::Result<Anchor> {
    let reference = parse_reference(reference)?;
    let tz = match tz {
        Some(name) => name.parse().map_err(|_| {
            anyhow::anyhow!("unknown time zone {name:?}: expected an IANA name like Asia/Pyongyang")
        })?,
        None => zone_for_offset(*reference.offset()),
    };
    Ok(Anchor {
        reference: reference.with_timezone(&Utc),
        tz,
        profile,
        related: None,
    })
}

#[derive(Deserialize)]
struct TimesRequest {
    id: serde_json::Value,
    text: String,
    #[serde(rename = "ref")]
    reference: String,
    tz: Option<String>,
    profile: Option<Profile>,
}

/// One answer line of `retrace times --jsonl`, serialised from borrowed data (no
/// `serde_json::Value` tree): `{"id": ..., "mentions": [...]}`.
#[derive(Serialize)]
struct TimesAnswer<'a> {
    id: &'a serde_json::Value,
    mentions: MentionsWire<'a>,
}

struct MentionsWire<'a> {
    mentions: &'a [TimeMention],
    tz: chrono_tz::Tz,
    text: &'a str,
}

impl Serialize for MentionsWire<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(
            self.mentions
                .iter()
                .map(|m| MentionWire::new(m, self.tz, self.text)),
        )
    }
}

/// One mention; the field order is the wire contract (scripts compare lines byte for byte).
#[derive(Serialize)]
struct MentionWire<'a> {
    start: usize,
    end: usize,
    text: &'a str,
    value: Option<ValueWire>,
    duration: Option<DurationWire>,
    grain: &'static str,
    timex3: &'a retrace::time::Timex3,
    rule: &'static str,
    unresolved: &'a Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reported_by: Option<ReportedByWire<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: &'a Option<String>,
}

/// The reporting verb a phrase follows ("reported early Tuesday").
#[derive(Serialize)]
struct ReportedByWire<'a> {
    start: usize,
    end: usize,
    text: &'a str,
}

impl<'a> MentionWire<'a> {
    fn new(m: &'a TimeMention, tz: chrono_tz::Tz, text: &'a str) -> MentionWire<'a> {
        MentionWire {
            start: m.expr.range.start,
            end: m.expr.range.end,
            text: &m.expr.text,
            value: m.resolved.window.map(|w| ValueWire {
                start: Rfc3339(w.earliest.with_timezone(&tz)),
                end: Rfc3339(w.latest.with_timezone(&tz)),
            }),
            duration: m.resolved.duration.map(|d| DurationWire {
                nominal_s: d.nominal_s,
                min_s: d.min_s,
                max_s: d.max_s,
            }),
            grain: m.resolved.grain.as_str(),
            timex3: &m.resolved.timex3,
            rule: m.expr.rule,
            unresolved: &m.resolved.unresolved,
            reported_by: m.expr.reported_by.map(|r| ReportedByWire {
                start: r.start,
                end: r.end,
                text: text.get(r.start..r.end).unwrap_or(""),
            }),
            note: &m.resolved.note,
        }
    }
}

#[derive(Serialize)]
struct ValueWire {
    start: Rfc3339,
    end: Rfc3339,
}

#[derive(Serialize)]
struct DurationWire {
    nominal_s: i64,
    min_s: Option<i64>,
    max_s: Option<i64>,
}

/// A time in the anchor's zone, serialised as `DateTime::to_rfc3339` writes it.
struct Rfc3339(DateTime<chrono_tz::Tz>);

impl Serialize for Rfc3339 {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut buf = [0u8; 25];
        match retrace::text::iso8601_seconds(&self.0, &mut buf) {
            Some(s) => serializer.serialize_str(s),
            None => serializer.serialize_str(&self.0.to_rfc3339()),
        }
    }
}

fn run_times(args: TimesArgs) -> anyhow::Result<ExitCode> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if args.jsonl {
        let mut failed = false;
        // One line buffer for the whole run.
        let mut stdin = std::io::stdin().lock();
        let mut line = String::new();
        // Each answer is serialised into this buffer, then written with one call: serde_json
        // writes many small pieces, and appending them to a `Vec` costs less than a `BufWriter`.
        let mut answer_buf: Vec<u8> = Vec::new();
        let mut n = 0usize;
        loop {
            line.clear();
            if stdin.read_line(&mut line).context("reading stdin")? == 0 {
                break;
            }
            n += 1;
            if line.trim().is_empty() {
                continue;
            }
            let request: TimesRequest = match serde_json::from_str(&line) {
                Ok(r) => r,
                Err(e) => {
                    eprintln!("retrace: <stdin>:{n}: {e}");
                    failed = true;
                    continue;
                }
            };
            let profile = request.profile.unwrap_or(args.profile.into());
            let anchor = match anchor_for(&request.reference, request.tz.as_deref(), profile) {
                Ok(a) => a,
                Err(e) => {
                    eprintln!("retrace: <stdin>:{n}: {e:#}");
                    failed = true;
                    continue;
                }
            };
            let mentions = find_times(&request.text, &anchor);
            let answer = TimesAnswer {
                id: &request.id,
                mentions: MentionsWire {
                    mentions: &mentions,
                    tz: anchor.tz,
                    text: &request.text,
                },
            };
            answer_buf.clear();
            serde_json::to_writer(&mut answer_buf, &answer)?;
            answer_buf.push(b'\n');
            out.write_all(&answer_buf)?;
        }
        out.flush()?;
        return Ok(if failed {
            ExitCode::from(2)
        } else {
            ExitCode::SUCCESS
        });
    }
    let text = match args.text.as_deref() {
        None | Some("-") => std::io::read_to_string(std::io::stdin()).context("reading stdin")?,
        Some(t) => t.to_string(),
    };
    let Some(reference) = args.reference.as_deref() else {
        bail!("--ref is required: the publication time the phrases are anchored on");
    };
    let anchor = anchor_for(reference, args.tz.as_deref(), args.profile.into())?;
    for m in find_times(&text, &anchor) {
        let value = match (&m.resolved.window, &m.resolved.duration) {
            (Some(w), _) => format!(
                "{} .. {}",
                w.earliest.with_timezone(&anchor.tz).to_rfc3339(),
                w.latest.with_timezone(&anchor.tz).to_rfc3339()
            ),
            (None, Some(d)) => format!(
                "duration {}s (min {:?}, max {:?})",
                d.nominal_s, d.min_s, d.max_s
            ),
            (None, None) => format!(
                "unresolved: {}",
                m.resolved.unresolved.as_deref().unwrap_or("no value")
            ),
        };
        writeln!(
            out,
            "{}..{}\t{:?}\t{}\t{}\t{}",
            m.expr.range.start,
            m.expr.range.end,
            m.expr.text,
            value,
            m.resolved.grain.as_str(),
            m.resolved.timex3.value
        )?;
        if args.explain {
            writeln!(
                out,
                "\trule: {}; anchor: {}; zone: {}; tense: {:?}{}{}",
                m.expr.rule,
                anchor.reference.with_timezone(&anchor.tz).to_rfc3339(),
                anchor.tz,
                m.expr.tense,
                m.expr
                    .reported_by
                    .and_then(|r| text.get(r.start..r.end))
                    .map(|verb| format!("; reported by {verb:?}: dates the report, not the event"))
                    .unwrap_or_default(),
                m.resolved
                    .note
                    .as_deref()
                    .map(|note| format!("; note: {note}"))
                    .unwrap_or_default()
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn run_places(text: &str) -> anyhow::Result<ExitCode> {
    let gazetteer = Gazetteer::embedded();
    for m in retrace::place::find_places(text, gazetteer) {
        let Some(p) = gazetteer.get(&m.place_id) else {
            continue;
        };
        println!(
            "{}..{}\t{:?}\t{}\t{}\t{:.5},{:.5}\t{}\t{}\tconfidence {:.2}\talternatives {}",
            m.range.start,
            m.range.end,
            m.text,
            p.id,
            p.name,
            p.lat,
            p.lon,
            p.country,
            p.tz,
            m.confidence,
            m.alternatives.join(",")
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn parse_day(flag: &str, value: Option<&str>) -> anyhow::Result<Option<chrono::NaiveDate>> {
    value
        .map(|v| {
            chrono::NaiveDate::parse_from_str(v.trim(), "%Y-%m-%d")
                .with_context(|| format!("--{flag} {v:?}: expected a date like 2025-09-01"))
        })
        .transpose()
}

fn run_scan(args: ScanArgs) -> anyhow::Result<ExitCode> {
    use std::io::IsTerminal;
    let since = parse_day("since", args.since.as_deref())?;
    let until = parse_day("until", args.until.as_deref())?;
    if let (Some(s), Some(u)) = (since, until) {
        if s > u {
            bail!("--since {s} is after --until {u}");
        }
    }
    if args.max_article_mb.is_nan() || args.max_article_mb <= 0.0 {
        bail!(
            "--max-article-mb: expected a positive number, found {}",
            args.max_article_mb
        );
    }
    if args.threads == Some(0) {
        bail!("--threads: expected at least 1");
    }
    let threads = args.threads.unwrap_or_else(|| {
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
    });
    let options = retrace::scan::ScanOptions {
        threads,
        traveller: args.traveller.clone(),
        since,
        until,
        cases_dir: args.cases.clone(),
        journey_gap_days: args.journey_gap_days,
        max_article_bytes: (args.max_article_mb * 1_000_000.0) as usize,
        progress: std::io::stderr().is_terminal(),
        ..retrace::scan::ScanOptions::default()
    };
    let mut out: Box<dyn Write> = match &args.out {
        Some(path) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(path).with_context(|| format!("creating {}", path.display()))?,
        )),
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    };
    let summary = retrace::scan::scan_paths(&args.paths, &options, &mut out, &mut |p, skipped| {
        if skipped {
            eprintln!("retrace: {p}");
        } else {
            eprintln!("retrace: warning: {p}");
        }
    })?;
    drop(out);
    eprint!("{}", summary.render());
    Ok(if summary.skipped.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn times_answer_has_the_documented_fields_in_order() {
        // Scripts (../shared/eval/run_times.py) read these lines: fixed keys in a fixed order,
        // `reported_by` and `note` only when there is something to say.
        let anchor = anchor_for("2025-09-02T10:00:00+09:00", None, Profile::News).unwrap();
        let text = "KCNA reported early Tuesday that the parade starts at 9 a.m. CST \"quoted\"\n \
                    and lasts nearly 20 hours.";
        let mentions = find_times(text, &anchor);
        let id = serde_json::json!({"n": 1, "s": "a\u{e9}\""});
        let answer = TimesAnswer {
            id: &id,
            mentions: MentionsWire {
                mentions: &mentions,
                tz: anchor.tz,
                text,
            },
        };
        let line = serde_json::to_string(&answer).unwrap();
        let parsed: serde_json::Value = serde_json::from_str(&line).unwrap();
        assert_eq!(parsed["id"], id);
        let got = parsed["mentions"].as_array().unwrap();
        assert_eq!(got.len(), mentions.len());
        let base = [
            "start",
            "end",
            "text",
            "value",
            "duration",
            "grain",
            "timex3",
            "rule",
            "unresolved",
        ];
        let keys = |m: &serde_json::Value| -> Vec<String> {
            m.as_object().unwrap().keys().cloned().collect()
        };
        let by_text = |t: &str| got.iter().find(|m| m["text"] == t).unwrap();

        let reported = by_text("early Tuesday");
        assert_eq!(keys(reported), [&base[..], &["reported_by"]].concat());
        assert_eq!(reported["reported_by"]["text"], "reported");
        assert_eq!(reported["value"]["start"], "2025-09-02T00:00:00+09:00");
        assert_eq!(reported["value"]["end"], "2025-09-02T09:00:00+09:00");

        let zoned = by_text("at 9 a.m. CST");
        assert_eq!(keys(zoned), [&base[..], &["note"]].concat());
        assert!(zoned["note"]
            .as_str()
            .unwrap()
            .starts_with("CST read as China Standard Time"));

        let duration = by_text("nearly 20 hours");
        assert_eq!(keys(duration), base);
        assert!(duration["value"].is_null());
        assert_eq!(duration["duration"]["max_s"], 20 * 3600);
        let start = duration["start"].as_u64().unwrap() as usize;
        let end = duration["end"].as_u64().unwrap() as usize;
        assert_eq!(&text[start..end], "nearly 20 hours");
    }

    #[test]
    fn rfc3339_matches_chrono() {
        use chrono::TimeZone;
        let zones = [
            chrono_tz::Asia::Pyongyang,
            chrono_tz::America::St_Johns,
            chrono_tz::Tz::UTC,
        ];
        let times = [
            Utc.with_ymd_and_hms(2025, 9, 1, 9, 0, 0).unwrap(),
            Utc.with_ymd_and_hms(10, 1, 1, 0, 0, 0).unwrap(),
            Utc.with_ymd_and_hms(-44, 3, 15, 12, 0, 0).unwrap(),
            Utc.with_ymd_and_hms(12000, 1, 1, 0, 0, 0).unwrap(),
            Utc.timestamp_opt(1_700_000_000, 5_000_000).unwrap(),
        ];
        for tz in zones {
            for t in times {
                let local = t.with_timezone(&tz);
                let ours = serde_json::to_string(&Rfc3339(local)).unwrap();
                assert_eq!(ours, format!("\"{}\"", local.to_rfc3339()));
            }
        }
    }

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }
}
