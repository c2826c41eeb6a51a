//! Reading the TSV tables under `data/`: a header row, `#` comments, tab-separated fields.
//! Errors carry `file:line`.

use crate::error::{Error, Result};

/// One data row: its 1-based line and its fields, as many as the header names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row<'a> {
    pub line: usize,
    pub fields: Vec<&'a str>,
}

/// Parses `text` (the contents of `file`), checking that the header is exactly `columns` and
/// that every row has exactly `columns.len()` fields. Fields are trimmed.
pub fn parse_tsv<'a>(file: &str, text: &'a str, columns: &[&str]) -> Result<Vec<Row<'a>>> {
    let mut rows = Vec::new();
    let mut header_seen = false;
    for (i, line) in text.lines().enumerate() {
        let line_no = i + 1;
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').map(str::trim).collect();
        if !header_seen {
            header_seen = true;
            if fields != columns {
                return Err(Error::data(
                    file,
                    line_no,
                    format!(
                        "expected header {}, found {}",
                        columns.join("\\t"),
                        fields.join("\\t")
                    ),
                ));
            }
            continue;
        }
        if fields.len() != columns.len() {
            return Err(Error::data(
                file,
                line_no,
                format!(
                    "expected {} tab-separated fields, found {}",
                    columns.len(),
                    fields.len()
                ),
            ));
        }
        rows.push(Row {
            line: line_no,
            fields,
        });
    }
    if !header_seen {
        return Err(Error::data(file, 1, "expected a header row, found none"));
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_row_names_file_and_line() {
        let err = parse_tsv("x.tsv", "# c\na\tb\n1\t2\n3\n", &["a", "b"]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "x.tsv:4: expected 2 tab-separated fields, found 1"
        );
    }
}
