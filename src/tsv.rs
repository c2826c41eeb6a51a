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
    for_each_row(file, text, columns, |line, fields| {
        rows.push(Row {
            line,
            fields: fields.to_vec(),
        });
        Ok::<(), Error>(())
    })?;
    Ok(rows)
}

/// [`parse_tsv`] without a `Vec` per row: calls `f` with each data row's 1-based line and its
/// trimmed fields (in one buffer, reused), stopping at the first error, from the table or
/// from `f`. For tables with thousands of rows that are read once into other structures.
pub fn for_each_row<'a, E: From<Error>>(
    file: &str,
    text: &'a str,
    columns: &[&str],
    mut f: impl FnMut(usize, &[&'a str]) -> std::result::Result<(), E>,
) -> std::result::Result<(), E> {
    let mut header_seen = false;
    let mut fields: Vec<&'a str> = Vec::with_capacity(columns.len());
    for (i, line) in lines(text).enumerate() {
        let line_no = i + 1;
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        // Split by bytes: a tab is one byte and never inside a UTF-8 char.
        fields.clear();
        let mut from = 0;
        for tab in memchr::memchr_iter(b'\t', line.as_bytes()) {
            fields.push(trim(line.get(from..tab).unwrap_or("")));
            from = tab + 1;
        }
        fields.push(trim(line.get(from..).unwrap_or("")));
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
                )
                .into());
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
            )
            .into());
        }
        f(line_no, &fields)?;
    }
    if !header_seen {
        return Err(Error::data(file, 1, "expected a header row, found none").into());
    }
    Ok(())
}

/// The lines of `text` as [`str::lines`] gives them (split at `\n`, a `\r` right before a `\n`
/// dropped, no empty last line), found with `memchr`.
fn lines(text: &str) -> impl Iterator<Item = &str> {
    let mut from = 0;
    let mut breaks = memchr::memchr_iter(b'\n', text.as_bytes());
    std::iter::from_fn(move || {
        let line = match breaks.next() {
            Some(nl) => {
                let line = text.get(from..nl).unwrap_or("");
                from = nl + 1;
                line.strip_suffix('\r').unwrap_or(line)
            }
            None if from < text.len() => {
                let line = text.get(from..).unwrap_or("");
                from = text.len();
                line
            }
            None => return None,
        };
        Some(line)
    })
}

/// `str::trim`, with a fast answer for the usual field that starts and ends with a visible
/// ASCII character.
fn trim(field: &str) -> &str {
    let b = field.as_bytes();
    let visible = |c: Option<&u8>| c.is_some_and(|c| c.is_ascii_graphic());
    if visible(b.first()) && visible(b.last()) {
        field
    } else {
        field.trim()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_split_like_str_lines() {
        for text in [
            "",
            "\n",
            "a",
            "a\n",
            "a\r\nb",
            "a\n\nb\r\n",
            "\r\n\r",
            "x\ny\n\n",
        ] {
            assert_eq!(
                lines(text).collect::<Vec<_>>(),
                text.lines().collect::<Vec<_>>()
            );
        }
        for field in ["", " ", "a", " a ", "a\u{a0}", "\u{2003}b", "\tc", "d e"] {
            assert_eq!(trim(field), field.trim());
        }
    }

    #[test]
    fn short_row_names_file_and_line() {
        let err = parse_tsv("x.tsv", "# c\na\tb\n1\t2\n3\n", &["a", "b"]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "x.tsv:4: expected 2 tab-separated fields, found 1"
        );
    }
}
