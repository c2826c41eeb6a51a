//! Reading the embedded TSV tables of `data/place/`: `#` comments, one header row, tab-separated
//! fields; errors say `file:line`.

/// One data row: its 1-based line number and its fields.
pub(crate) struct Row<'a> {
    pub line: usize,
    pub fields: Vec<&'a str>,
}

/// The data rows of a table whose header must be exactly `header` (tab-separated names).
///
/// # Errors
///
/// `file:line: ...` when the header differs or a row has another number of fields.
pub(crate) fn rows<'a>(file: &str, text: &'a str, header: &str) -> Result<Vec<Row<'a>>, String> {
    let expected = header.split('\t').count();
    let mut out = Vec::new();
    let mut saw_header = false;
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        if raw.trim().is_empty() || raw.starts_with('#') {
            continue;
        }
        if !saw_header {
            if raw != header {
                return Err(format!(
                    "{file}:{line}: expected header {header:?}, found {raw:?}"
                ));
            }
            saw_header = true;
            continue;
        }
        let fields: Vec<&str> = raw.split('\t').collect();
        if fields.len() != expected {
            return Err(format!(
                "{file}:{line}: expected {expected} tab-separated fields, found {}",
                fields.len()
            ));
        }
        out.push(Row { line, fields });
    }
    if !saw_header {
        return Err(format!("{file}: expected header {header:?}, found none"));
    }
    Ok(out)
}

/// Calls `each(line, fields)` for every data row of a table whose header must be exactly
/// `header`, without collecting the rows (the gazetteer table has 69,000 of them).
///
/// # Errors
///
/// As [`rows`], or the first error `each` returns.
// Used by the gazetteer source parser, which runs in build.rs and in the tests only.
#[cfg_attr(not(test), allow(dead_code))]
pub(crate) fn for_each_row<'a>(
    file: &str,
    text: &'a str,
    header: &str,
    mut each: impl FnMut(usize, &[&'a str]) -> Result<(), String>,
) -> Result<(), String> {
    let expected = header.split('\t').count();
    let mut saw_header = false;
    let mut fields: Vec<&'a str> = Vec::with_capacity(expected);
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        if raw.is_empty() || raw.starts_with('#') {
            continue;
        }
        if !saw_header {
            if raw != header {
                return Err(format!(
                    "{file}:{line}: expected header {header:?}, found {raw:?}"
                ));
            }
            saw_header = true;
            continue;
        }
        fields.clear();
        fields.extend(raw.split('\t'));
        if fields.len() != expected {
            return Err(format!(
                "{file}:{line}: expected {expected} tab-separated fields, found {}",
                fields.len()
            ));
        }
        each(line, &fields)?;
    }
    if !saw_header {
        return Err(format!("{file}: expected header {header:?}, found none"));
    }
    Ok(())
}

/// Parses a number field, with `file:line` and the column in the error.
// Used by the gazetteer source parser, which runs in build.rs and in the tests only.
#[cfg_attr(not(test), allow(dead_code))]
pub(crate) fn number<T: std::str::FromStr>(
    file: &str,
    line: usize,
    column: &str,
    value: &str,
) -> Result<T, String> {
    value.parse().map_err(|_| {
        format!("{file}:{line}: expected a number in column {column}, found {value:?}")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_carry_file_and_line() {
        let text = "# c\na\tb\n1\t2\n3\n";
        let err = rows("x.tsv", text, "a\tb").err();
        assert_eq!(
            err.as_deref(),
            Some("x.tsv:4: expected 2 tab-separated fields, found 1")
        );
        assert!(rows("x.tsv", "a\tc\n", "a\tb").is_err());
    }
}
