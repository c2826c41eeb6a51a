//! Measures the place stage: gazetteer load, name-index build and toponym search speed.
//!
//! ```sh
//! cargo run --release --example place_bench -- /work/shared/seeds/*.txt
//! cargo run --release --example place_bench -- --lookup Khasan Pingxiang
//! ```
//!
//! The articles given are repeated until the text is at least 1 MiB, then searched one article
//! at a time (as the pipeline does) and as one text.

use std::time::Instant;

use retrace::place::{find_places, Gazetteer};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--lookup") {
        let g = Gazetteer::embedded();
        for name in &args[1..] {
            for p in g.lookup(name).iter().take(8) {
                println!(
                    "{name}\t{}\t{}\t{}\t{}\t{:?}",
                    p.id, p.name, p.country, p.population, p.kind
                );
            }
        }
        return Ok(());
    }

    if args.first().map(String::as_str) == Some("--load-only") {
        // For `perf stat`: one parse and one index build, nothing else.
        let g = Gazetteer::parse_embedded()?;
        if args.get(1).map(String::as_str) == Some("--index") {
            g.warm_up();
        }
        println!("{} entries", g.len());
        return Ok(());
    }
    let t = Instant::now();
    let mut raw = String::new();
    std::io::Read::read_to_string(
        &mut flate2::read::GzDecoder::new(&include_bytes!("../data/place/gazetteer.tsv.gz")[..]),
        &mut raw,
    )?;
    println!(
        "decompress alone: {:.1} ms, {} bytes",
        t.elapsed().as_secs_f64() * 1e3,
        raw.len()
    );
    let t = Instant::now();
    let g = Gazetteer::parse_embedded()?;
    let parse_ms = t.elapsed().as_secs_f64() * 1e3;
    let t = Instant::now();
    g.warm_up();
    let index_ms = t.elapsed().as_secs_f64() * 1e3;
    println!(
        "gazetteer: {} entries; parse {parse_ms:.1} ms; name index {index_ms:.1} ms",
        g.len()
    );

    let mut articles = Vec::new();
    for path in &args {
        articles.push(std::fs::read_to_string(path)?);
    }
    if articles.is_empty() {
        articles.push("Kim left Pyongyang for Beijing via Sinuiju and Dandong.".to_string());
    }
    let one_mib = 1 << 20;
    let mut corpus: Vec<&str> = Vec::new();
    let mut bytes = 0;
    while bytes < one_mib {
        for a in &articles {
            corpus.push(a);
            bytes += a.len();
        }
    }
    // First call also loads the lexicon; keep it out of the timing.
    let _ = find_places("Beijing", &g);

    let t = Instant::now();
    let mut mentions = 0;
    for a in &corpus {
        mentions += find_places(a, &g).len();
    }
    let secs = t.elapsed().as_secs_f64();
    println!(
        "per article: {} articles, {:.2} MB, {mentions} mentions, {secs:.3} s, {:.1} MB/s",
        corpus.len(),
        bytes as f64 / 1e6,
        bytes as f64 / 1e6 / secs
    );

    let joined = corpus.join("\n\n");
    let t = Instant::now();
    let n = find_places(&joined, &g).len();
    let secs = t.elapsed().as_secs_f64();
    println!(
        "one text: {:.2} MB, {n} mentions, {secs:.3} s, {:.1} MB/s",
        joined.len() as f64 / 1e6,
        joined.len() as f64 / 1e6 / secs
    );
    Ok(())
}
