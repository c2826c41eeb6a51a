//! Measures the place stage: gazetteer open, first lookups and toponym search speed.
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
        // For `perf stat`: one open and, with --index, one lookup, nothing else.
        let g = Gazetteer::parse_embedded()?;
        if args.get(1).map(String::as_str) == Some("--index") {
            let _ = g.lookup("Pyongyang");
        }
        println!("{} entries", g.len());
        return Ok(());
    }
    // The gazetteer is an image built into the binary (build.rs): opening it checks a header,
    // and the first lookups decode only the entries they touch.
    let t = Instant::now();
    let g = Gazetteer::parse_embedded()?;
    let open_ms = t.elapsed().as_secs_f64() * 1e3;
    let t = Instant::now();
    let first = g.lookup("Pyongyang").len();
    let first_lookup_ms = t.elapsed().as_secs_f64() * 1e3;
    let t = Instant::now();
    let names = [
        "Beijing",
        "Dandong",
        "Sinuiju",
        "Khasan",
        "Springfield",
        "丹东",
        "평양",
    ];
    let hits: usize = names.iter().map(|n| g.lookup(n).len()).sum();
    let lookups_ms = t.elapsed().as_secs_f64() * 1e3;
    println!(
        "gazetteer: {} entries; open {open_ms:.3} ms; first lookup {first_lookup_ms:.3} ms \
         ({first} hits); {} more lookups {lookups_ms:.3} ms ({hits} hits)",
        g.len(),
        names.len()
    );
    let t = Instant::now();
    let decoded = Gazetteer::parse_embedded()?.iter().count();
    println!(
        "decode every entry: {decoded} in {:.1} ms",
        t.elapsed().as_secs_f64() * 1e3
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
