//! RFC 4180 CSV, read: fields separated by commas, quoted where they hold a comma, quote or line break, a
//! quote inside doubled; lines end with CRLF or LF. Enough for HSDS tables, with the line of every record.

/// A table read from CSV: its header and its records, each with the line it starts on (the header is line 1).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Csv {
    /// Column names.
    pub header: Vec<String>,
    /// Records and the line each starts on.
    pub records: Vec<(usize, Vec<String>)>,
}

/// Text that is not CSV: a quoted field never closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: a quoted field is never closed")]
pub struct CsvError {
    /// Where the field starts.
    pub line: usize,
}

/// Reads `text` (a leading byte-order mark and blank lines are ignored).
pub fn parse(text: &str) -> Result<Csv, CsvError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut rows: Vec<(usize, Vec<String>)> = Vec::new();
    let (mut record, mut field) = (Vec::new(), String::new());
    let (mut line, mut start, mut quoted, mut was_quoted) = (1, 1, false, false);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => {
                if c == '\n' {
                    line += 1;
                }
                field.push(c);
            }
            (false, '"') if field.is_empty() => (quoted, was_quoted) = (true, true),
            (false, ',') => {
                record.push(std::mem::take(&mut field));
                was_quoted = false;
            }
            (false, '\r') if chars.peek() == Some(&'\n') => {}
            (false, '\n') => {
                if !(record.is_empty() && field.is_empty() && !was_quoted) {
                    record.push(std::mem::take(&mut field));
                    rows.push((start, std::mem::take(&mut record)));
                }
                was_quoted = false;
                line += 1;
                start = line;
            }
            (false, c) => field.push(c),
        }
    }
    if quoted {
        return Err(CsvError { line: start });
    }
    if !(record.is_empty() && field.is_empty() && !was_quoted) {
        record.push(field);
        rows.push((start, record));
    }
    let mut rows = rows.into_iter();
    let header = rows.next().map(|(_, h)| h.into_iter().map(|c| c.trim().to_owned()).collect()).unwrap_or_default();
    Ok(Csv { header, records: rows.collect() })
}

impl Csv {
    /// The value of `column` in `record`, trimmed; `None` when the column is missing or the value empty.
    pub fn get<'a>(&self, record: &'a [String], column: &str) -> Option<&'a str> {
        let at = self.header.iter().position(|h| h == column)?;
        record.get(at).map(|v| v.trim()).filter(|v| !v.is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_fields_keep_commas_quotes_and_line_breaks_and_records_know_their_line() {
        let text = "id,name,note\r\n1,\"Harbor, House\",\"say \"\"hi\"\"\"\r\n\r\n2,Two,\"two\nlines\"\n3,Three,";
        let csv = parse(text).unwrap();
        assert_eq!(csv.header, vec!["id", "name", "note"]);
        assert_eq!(csv.records[0], (2, vec!["1".into(), "Harbor, House".into(), "say \"hi\"".into()]));
        assert_eq!(csv.records[1], (4, vec!["2".into(), "Two".into(), "two\nlines".into()]));
        assert_eq!(csv.records[2], (6, vec!["3".into(), "Three".into(), String::new()]));
        assert_eq!(csv.get(&csv.records[2].1, "note"), None, "empty is absent");
        assert_eq!(csv.get(&csv.records[0].1, "missing"), None);
        assert_eq!(parse("a\n\"open").unwrap_err(), CsvError { line: 2 });
    }

    #[test]
    fn what_the_exporter_writes_reads_back() {
        let rows = vec![vec!["a,b".to_owned(), "say \"hi\"".to_owned(), "x\ny".to_owned()]];
        let text = super::super::files::to_csv(&["p", "q", "r"], &rows);
        assert_eq!(parse(&text).unwrap().records[0].1, rows[0]);
    }
}
