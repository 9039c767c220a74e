//! Finding the delimiter and the real header row at the top of a delimited text file.

use super::roles;

/// One record read from the head of a file.
#[derive(Clone, Debug)]
pub struct HeadRecord {
    /// Byte offset where the record starts.
    pub start: usize,
    /// Byte offset just after the record's terminator.
    pub end: usize,
    pub cells: Vec<String>,
}

/// Reads up to `max` records of `text` with `delimiter`. When `complete` is false the last,
/// possibly cut, record is dropped.
pub fn head_records(text: &[u8], delimiter: u8, max: usize, complete: bool) -> Vec<HeadRecord> {
    let mut rdr = csv_core::ReaderBuilder::new().delimiter(delimiter).build();
    let mut out = vec![0u8; 4096];
    let mut ends = vec![0usize; 64];
    let mut records = Vec::new();
    let (mut pos, mut nout, mut nend) = (0usize, 0usize, 0usize);
    let mut start = 0usize;
    while records.len() < max {
        let (res, nin, o, e) = rdr.read_record(&text[pos..], &mut out[nout..], &mut ends[nend..]);
        pos += nin;
        nout += o;
        nend += e;
        match res {
            csv_core::ReadRecordResult::InputEmpty => {
                if pos >= text.len() && !complete {
                    break;
                }
            }
            csv_core::ReadRecordResult::OutputFull => out.resize(out.len() * 2, 0),
            csv_core::ReadRecordResult::OutputEndsFull => ends.resize(ends.len() * 2, 0),
            csv_core::ReadRecordResult::Record => {
                let mut cells = Vec::with_capacity(nend);
                let mut prev = 0;
                for &end in &ends[..nend] {
                    cells.push(String::from_utf8_lossy(&out[prev..end]).into_owned());
                    prev = end;
                }
                let blank = cells.len() == 1 && cells[0].is_empty();
                if !blank {
                    // csv-core skips blank lines before a record; start at its first byte.
                    let skipped = text[start..pos]
                        .iter()
                        .take_while(|&&b| b == b'\n' || b == b'\r')
                        .count();
                    records.push(HeadRecord {
                        start: start + skipped,
                        end: pos,
                        cells,
                    });
                }
                start = pos;
                nout = 0;
                nend = 0;
            }
            csv_core::ReadRecordResult::End => break,
        }
    }
    records
}

/// Picks the delimiter whose records have the most consistent field count (at least two),
/// weighing in how many fields it makes.
pub fn sniff_delimiter(text: &[u8], complete: bool) -> u8 {
    let mut best = (0usize, b',');
    for delim in [b',', b';', b'\t', b'|'] {
        let records = head_records(text, delim, 200, complete);
        let mut counts: Vec<usize> = records.iter().map(|r| r.cells.len()).collect();
        counts.sort_unstable();
        let mut mode = (0usize, 0usize); // (run length, field count)
        let mut i = 0;
        while i < counts.len() {
            let j = counts[i..].iter().take_while(|&&c| c == counts[i]).count();
            if counts[i] >= 2 && (j, counts[i]) > mode {
                mode = (j, counts[i]);
            }
            i += j;
        }
        // Consistent rows count most; among those, more fields per row wins (a German file
        // splits into 2 fields on its decimal commas but 12 on its semicolons).
        let score = mode.0 * mode.1.saturating_sub(1);
        if score > best.0 {
            best = (score, delim);
        }
    }
    best.1
}

/// Where the table starts: the header record and whether the file has one at all.
#[derive(Clone, Debug)]
pub struct HeaderChoice {
    /// Index into the head records of the header (or of the first data row if headerless).
    pub index: usize,
    /// `false` when the first row already holds data; headers are then `Column 1`, ….
    pub has_header: bool,
}

/// Finds the header among the first records: the one naming the most roles, so that a
/// Zoom report's summary and host tables are passed over for the attendee table.
pub fn find_header(records: &[HeadRecord]) -> HeaderChoice {
    let mut best = (0u32, 0usize);
    for (i, r) in records.iter().take(80).enumerate() {
        if r.cells.iter().filter(|c| !c.trim().is_empty()).count() < 2 {
            continue;
        }
        let score = roles::header_score(&r.cells);
        if score > best.0 {
            best = (score, i);
        }
    }
    if best.0 > 0 {
        return HeaderChoice {
            index: best.1,
            has_header: true,
        };
    }
    let first = records.iter().position(|r| r.cells.len() >= 2).unwrap_or(0);
    let data_like = records.get(first).is_some_and(|r| {
        r.cells.iter().any(|c| {
            super::timestamp::parse(c.as_bytes()).is_some() || (c.contains('@') && !c.contains(' '))
        })
    });
    HeaderChoice {
        index: first,
        has_header: !data_like,
    }
}

/// Whether fields are written `a, "b", "c"`: a space after each delimiter and then a quote
/// (a payment provider's export). CSV readers take such a quote as text; see
/// [`unspace_quotes`].
pub fn spaced_quotes(text: &[u8], delimiter: u8) -> bool {
    let mut lines = 0;
    let mut hits = 0;
    for line in text.split(|&b| b == b'\n').take(50) {
        if line.is_empty() {
            continue;
        }
        lines += 1;
        let spaced = line
            .windows(3)
            .any(|w| w[0] == delimiter && w[1] == b' ' && w[2] == b'"')
            || line.starts_with(b" \"");
        hits += spaced as u32;
    }
    lines > 0 && hits * 2 >= lines
}

/// Moves the spaces between a field's start and its opening quote inside the quotes
/// (`, "b"` → `," b"`), in place, so that the quote opens a quoted field and line offsets
/// stay as they were. `bytes` must start at a record boundary.
pub fn unspace_quotes(bytes: &mut [u8], delimiter: u8) {
    let mut in_quotes = false;
    let mut field_start = true;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if in_quotes {
            if b == b'"' {
                in_quotes = false;
            }
            i += 1;
            continue;
        }
        if field_start && b == b' ' {
            let mut j = i;
            while j < bytes.len() && bytes[j] == b' ' {
                j += 1;
            }
            if j < bytes.len() && bytes[j] == b'"' {
                bytes[i..=j].rotate_right(1);
                in_quotes = true;
                field_start = false;
                i = j + 1;
                continue;
            }
        }
        field_start = b == delimiter || b == b'\n' || b == b'\r';
        if b == b'"' {
            in_quotes = true;
        }
        i += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delimiters() {
        assert_eq!(sniff_delimiter(b"a;b;c\n1;2;3\n4;5;6\n", true), b';');
        assert_eq!(sniff_delimiter(b"a\tb\n1\t2\n", true), b'\t');
        assert_eq!(sniff_delimiter(b"a,b\n\"1;2\",3\n", true), b',');
        assert_eq!(sniff_delimiter(b"a|b|c\n1|2|3\n", true), b'|');
        assert_eq!(
            sniff_delimiter(b"a;b;c;d\n1;2,50;3;4\n5;6,00;7;8\n", true),
            b';'
        );
    }

    #[test]
    fn zoom_preamble_is_skipped() {
        let text = b"Topic,Webinar ID,Actual Start Time,# Registrants\n\
Town hall,123,\"Mar 22, 2025 19:00:00\",3\n\
Host Details\n\
Attended,User Name (Original Name),Email,Join Time,Leave Time\n\
Yes,Host,host@example.org,\"Mar 22, 2025 18:50:00\",\"Mar 22, 2025 20:00:00\"\n\
Attendee Details\n\
Attended,User Name (Original Name),First Name,Last Name,Email,Registration Time,Approval Status,Join Time\n\
Yes,Ann,Ann,Lee,ann@example.org,\"Mar 20, 2025 10:00:00\",approved,\"Mar 22, 2025 19:01:00\"\n";
        let records = head_records(text, b',', 100, true);
        let h = find_header(&records);
        assert!(h.has_header);
        assert_eq!(records[h.index].cells[5], "Registration Time");
    }

    #[test]
    fn headerless_files_are_recognized() {
        let records = head_records(b"2024-01-01 10:00,a@example.org\n", b',', 10, true);
        assert!(!find_header(&records).has_header);
    }
}
