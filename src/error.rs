//! Failures: things that stop a run or make an input unusable. Findings about the content of the
//! articles are [`crate::diag::Diagnostic`]s instead.

use std::path::PathBuf;

/// Everything that can make retrace refuse an input or stop.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// An input file that cannot be used; `line` is 1-based where one applies.
    #[error("{}{}: {message}", path.display(), line.map(|l| format!(":{l}")).unwrap_or_default())]
    Input {
        path: PathBuf,
        line: Option<usize>,
        message: String,
    },
    /// Embedded or user-supplied data (lexicons, gazetteer, rail network) that does not parse.
    #[error("{file}:{line}: {message}")]
    Data {
        file: String,
        line: usize,
        message: String,
    },
    #[error("{0}")]
    Usage(String),
}

impl Error {
    pub fn input(
        path: impl Into<PathBuf>,
        line: Option<usize>,
        message: impl Into<String>,
    ) -> Error {
        Error::Input {
            path: path.into(),
            line,
            message: message.into(),
        }
    }

    pub fn data(file: impl Into<String>, line: usize, message: impl Into<String>) -> Error {
        Error::Data {
            file: file.into(),
            line,
            message: message.into(),
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
