//! Command-line interface. Subcommand names and flags are a contract: scripts and CI use them.

use std::io::{BufRead, Write};
use std::process::ExitCode;

use anyhow::{bail, Context};
use chrono::{DateTime, FixedOffset, Utc};
use clap::{Parser, Subcommand};
use serde::Deserialize;

use retrace::place::Gazetteer;
use retrace::report::times_wire;
use retrace::time::{find_times, zone_for_offset, Anchor, Profile};

/// Reconstruct a journey from news articles and check whether their accounts hold together.
#[derive(Debug, Parser)]
#[command(name = "retrace", version)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
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
    }
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

fn run_times(args: TimesArgs) -> anyhow::Result<ExitCode> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if args.jsonl {
        let mut failed = false;
        for (n, line) in std::io::stdin().lock().lines().enumerate() {
            let line = line.context("reading stdin")?;
            if line.trim().is_empty() {
                continue;
            }
            let request: TimesRequest = match serde_json::from_str(&line) {
                Ok(r) => r,
                Err(e) => {
                    eprintln!("retrace: <stdin>:{}: {e}", n + 1);
                    failed = true;
                    continue;
                }
            };
            let profile = request.profile.unwrap_or(args.profile.into());
            let anchor = match anchor_for(&request.reference, request.tz.as_deref(), profile) {
                Ok(a) => a,
                Err(e) => {
                    eprintln!("retrace: <stdin>:{}: {e:#}", n + 1);
                    failed = true;
                    continue;
                }
            };
            let mentions = find_times(&request.text, &anchor);
            let line = serde_json::json!({
                "id": request.id,
                "mentions": times_wire(&request.text, &mentions, &anchor),
            });
            writeln!(out, "{line}")?;
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
                "\trule: {}; anchor: {}; zone: {}; tense: {:?}",
                m.expr.rule,
                anchor.reference.with_timezone(&anchor.tz).to_rfc3339(),
                anchor.tz,
                m.expr.tense
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

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }
}
