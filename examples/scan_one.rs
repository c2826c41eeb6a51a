//! retrace as a library: read one article and print its claims.
//!
//! ```sh
//! cargo run --example scan_one -- data/cases/kim-train-2025/01-wire.txt "Kim Jong Un"
//! ```
//!
//! Without arguments it reads the first article of the sample case, about Kim Jong Un.
//! Without a traveller it takes the name that most often comes before a travel verb.

use std::process::ExitCode;

use retrace::ingest::parse_article;
use retrace::place::Gazetteer;
use retrace::scan::scan_article;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let (path, traveller) = match args.next() {
        Some(path) => (path, args.next()),
        None => (
            "data/cases/kim-train-2025/01-wire.txt".to_string(),
            Some("Kim Jong Un".to_string()),
        ),
    };
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("scan_one: {path}: {e}");
            return ExitCode::from(2);
        }
    };
    let (article, warnings) = match parse_article(&path, &bytes) {
        Ok(a) => a,
        Err(reason) => {
            eprintln!("scan_one: {path}: {reason}");
            return ExitCode::from(2);
        }
    };
    for w in warnings {
        eprintln!("scan_one: warning: {w}");
    }
    if article.published.is_none() {
        eprintln!("scan_one: {path}: no Published: header; times stay unresolved");
    }
    let record = scan_article(&article, traveller.as_deref(), Gazetteer::embedded());
    println!(
        "{}: {} time phrases, {} places, {} claims about {}",
        path,
        record.mentions.len(),
        record.places.len(),
        record.claims.len(),
        record
            .traveller
            .as_deref()
            .unwrap_or("nobody in particular")
    );
    for c in &record.claims {
        let window = c
            .window
            .as_ref()
            .map(|w| format!("{} .. {}", w.start, w.end))
            .unwrap_or_else(|| "no window".into());
        println!(
            "  {}:{} {:<12} {:<24} {}",
            c.line,
            c.col,
            c.event,
            c.place.as_deref().unwrap_or("-"),
            window
        );
    }
    ExitCode::SUCCESS
}
