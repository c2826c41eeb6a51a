//! Findings about the input (a phrase not understood, an article skipped, a place not found).
//! A finding is a value that goes into the report, never an `Err`.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// A finding about one article (or the case), with a stable snake_case code.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Diagnostic {
    pub code: String,
    pub severity: Severity,
    pub message: String,
    /// Article id, when the finding is about one article.
    pub doc: Option<String>,
    /// 1-based line in the article's file, when known.
    pub line: Option<usize>,
}

impl Diagnostic {
    pub fn new(code: &str, severity: Severity, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            code: code.to_string(),
            severity,
            message: message.into(),
            doc: None,
            line: None,
        }
    }

    pub fn in_doc(mut self, doc: &str, line: Option<usize>) -> Diagnostic {
        self.doc = Some(doc.to_string());
        self.line = line;
        self
    }
}
