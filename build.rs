//! Writes the gazetteer image (`$OUT_DIR/gazetteer.bin`) from the `data/place/` tables, so the
//! binary carries a ready index instead of parsing 69,000 rows and 400,000 names at every run.
//! The parsing and normalisation code is the library's own, included from `src/place/`.

use std::io::Read;
use std::path::PathBuf;

// The library's modules, shared word for word; the build uses only part of each.
#[allow(dead_code)]
#[path = "src/place/gazetteer/image.rs"]
mod image;
#[allow(dead_code)]
#[path = "src/place/normalize.rs"]
mod normalize;
#[allow(dead_code)]
#[path = "src/place/gazetteer/source.rs"]
mod source;
#[allow(dead_code)]
#[path = "src/place/tsv.rs"]
mod tsv;

const INPUTS: &[&str] = &[
    "data/place/gazetteer.tsv.gz",
    "data/place/countries.tsv",
    "data/place/country_names.tsv",
    "data/place/supplement.tsv",
    "data/place/aliases.tsv",
    "src/place/normalize.rs",
    "src/place/tsv.rs",
    "src/place/gazetteer/image.rs",
    "src/place/gazetteer/source.rs",
];

fn main() {
    if let Err(e) = run() {
        // Cargo shows this line and fails the build.
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), String> {
    println!("cargo::rerun-if-changed=build.rs");
    for input in INPUTS {
        println!("cargo::rerun-if-changed={input}");
    }
    let read =
        |path: &str| std::fs::read_to_string(path).map_err(|e| format!("{path}: cannot read: {e}"));
    let gz = std::fs::read(source::GAZETTEER_FILE)
        .map_err(|e| format!("{}: cannot read: {e}", source::GAZETTEER_FILE))?;
    let mut gazetteer = String::new();
    flate2::read::GzDecoder::new(&gz[..])
        .read_to_string(&mut gazetteer)
        .map_err(|e| format!("{}: cannot decompress: {e}", source::GAZETTEER_FILE))?;
    let countries = read("data/place/countries.tsv")?;
    let country_names = read("data/place/country_names.tsv")?;
    let supplement = read("data/place/supplement.tsv")?;
    let aliases = read("data/place/aliases.tsv")?;
    let tables = source::Tables {
        gazetteer: &gazetteer,
        countries: &countries,
        country_names: &country_names,
        supplement: &supplement,
        aliases: &aliases,
    };
    let source = source::Source::parse(&tables)?;
    let image = source.encode()?;
    let out_dir = std::env::var_os("OUT_DIR").ok_or("OUT_DIR is not set")?;
    let first_words_path = PathBuf::from(&out_dir).join("gazetteer_first_words.bin");
    std::fs::write(&first_words_path, source.encode_first_words())
        .map_err(|e| format!("{}: cannot write: {e}", first_words_path.display()))?;
    let path = PathBuf::from(out_dir).join("gazetteer.bin");
    std::fs::write(&path, image).map_err(|e| format!("{}: cannot write: {e}", path.display()))
}
