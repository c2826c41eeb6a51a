//! The sample case, embedded so that `retrace reconstruct` runs anywhere.

use std::path::{Path, PathBuf};

/// Where the sample lives in the repository.
pub const SAMPLE_DIR: &str = "data/cases/kim-train-2025";

/// The sample's files: (name, contents).
pub const SAMPLE_FILES: &[(&str, &str)] = &[
    (
        "case.toml",
        include_str!("../data/cases/kim-train-2025/case.toml"),
    ),
    (
        "01-wire.txt",
        include_str!("../data/cases/kim-train-2025/01-wire.txt"),
    ),
    (
        "02-analysis.md",
        include_str!("../data/cases/kim-train-2025/02-analysis.md"),
    ),
    (
        "03-broadcast.txt",
        include_str!("../data/cases/kim-train-2025/03-broadcast.txt"),
    ),
    (
        "04-arrival.html",
        include_str!("../data/cases/kim-train-2025/04-arrival.html"),
    ),
];

/// Writes the sample into `<parent>/kim-train-2025/` and returns that folder.
///
/// # Errors
/// When the folder cannot be written.
pub fn materialise(parent: &Path) -> std::io::Result<PathBuf> {
    let dir = parent.join("kim-train-2025");
    std::fs::create_dir_all(&dir)?;
    for (name, contents) in SAMPLE_FILES {
        std::fs::write(dir.join(name), contents)?;
    }
    Ok(dir)
}
