//! Reading the body of a delimited file in parallel.
//!
//! The file is read in batches of a few megabytes. A cheap sequential scan (memchr over
//! quotes and newlines, the same quoting rules as csv-core) finds record boundaries; each
//! batch is cut at boundaries into one chunk per core, the chunks are parsed with csv-core in
//! parallel into columnar [`ChunkOut`]s, and those are appended in order. Memory stays at the
//! dataset plus one batch, whatever the file size.

use std::io::Read;

use memchr::{memchr, memchr2};
use rayon::prelude::*;

use super::Progress;
use super::convert::{ChunkOut, Record, RowConverter};

const BATCH: usize = 8 << 20;
/// A record longer than this is rejected (it is almost always an unterminated quote).
pub const MAX_RECORD: usize = 64 << 20;

struct CsvRecord<'a> {
    buf: &'a [u8],
    ends: &'a [usize],
}

impl Record for CsvRecord<'_> {
    fn len(&self) -> usize {
        self.ends.len()
    }
    fn get(&self, i: usize) -> Option<&[u8]> {
        let end = *self.ends.get(i)?;
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        Some(&self.buf[start..end])
    }
}

/// Result of scanning a batch for record boundaries.
struct Scan {
    /// Boundaries about `step` bytes apart, to cut chunks at.
    cuts: Vec<usize>,
    /// The last boundary (0 if none).
    last: usize,
    /// Start of a record whose quote is still open at the end of the buffer.
    open_record: Option<usize>,
}

fn scan(buf: &[u8], delimiter: u8, step: usize, eof: bool) -> Scan {
    let mut cuts = Vec::new();
    let mut next_cut = step;
    let (mut last, mut record_start, mut i) = (0, 0, 0);
    while let Some(k) = memchr2(b'"', b'\n', &buf[i..]) {
        let p = i + k;
        if buf[p] == b'\n' {
            last = p + 1;
            record_start = p + 1;
            if last >= next_cut {
                cuts.push(last);
                next_cut = last + step;
            }
            i = p + 1;
            continue;
        }
        let field_start = p == 0 || matches!(buf[p - 1], b'\n' | b'\r') || buf[p - 1] == delimiter;
        if !field_start {
            i = p + 1;
            continue;
        }
        // Inside a quoted field: find the closing quote (a doubled quote is an escape).
        let mut j = p + 1;
        loop {
            match memchr(b'"', &buf[j..]) {
                None => {
                    return Scan {
                        cuts,
                        last,
                        open_record: Some(record_start),
                    };
                }
                Some(k) => {
                    let q = j + k;
                    if q + 1 == buf.len() && !eof {
                        // Can't tell an escape from a close yet: wait for more input.
                        return Scan {
                            cuts,
                            last,
                            open_record: Some(record_start),
                        };
                    }
                    if buf.get(q + 1) == Some(&b'"') {
                        j = q + 2;
                    } else {
                        i = q + 1;
                        break;
                    }
                }
            }
        }
    }
    Scan {
        cuts,
        last,
        open_record: None,
    }
}

fn leading_newlines(bytes: &[u8]) -> u32 {
    bytes
        .iter()
        .take_while(|&&b| b == b'\n' || b == b'\r')
        .filter(|&&b| b == b'\n')
        .count() as u32
}

/// Parses one chunk that starts at a record boundary into `out` (emptied first). Lines are
/// relative (first line 0); returns the number of newlines in the chunk.
fn parse_chunk(bytes: &[u8], delimiter: u8, conv: &RowConverter, out: &mut ChunkOut) -> u32 {
    let mut rdr = csv_core::ReaderBuilder::new().delimiter(delimiter).build();
    out.clear();
    let unspaced;
    let bytes = if conv.unspace_quotes {
        let mut copy = bytes.to_vec();
        super::sniff::unspace_quotes(&mut copy, delimiter);
        unspaced = copy;
        &unspaced[..]
    } else {
        bytes
    };
    out.input_is_utf8 = std::str::from_utf8(bytes).is_ok();
    out.has_utf8_text = if out.input_is_utf8 {
        !bytes.is_ascii()
    } else {
        bytes.utf8_chunks().any(|c| !c.valid().is_ascii())
    };
    // NUL bytes never belong in an export: rows holding them are damaged and rejected alone.
    let has_nul = memchr(0, bytes).is_some();
    let mut obuf = vec![0u8; 16 * 1024];
    let mut ends = vec![0usize; 128];
    let (mut pos, mut nout, mut nend) = (0usize, 0usize, 0usize);
    let mut record_line = leading_newlines(bytes);
    loop {
        let (res, nin, o, e) = rdr.read_record(&bytes[pos..], &mut obuf[nout..], &mut ends[nend..]);
        pos += nin;
        nout += o;
        nend += e;
        match res {
            csv_core::ReadRecordResult::InputEmpty => {}
            csv_core::ReadRecordResult::OutputFull => obuf.resize(obuf.len() * 2, 0),
            csv_core::ReadRecordResult::OutputEndsFull => ends.resize(ends.len() * 2, 0),
            csv_core::ReadRecordResult::Record => {
                let blank = nend == 1 && nout == 0;
                if !blank && has_nul && memchr(0, &obuf[..nout]).is_some() {
                    out.rows_read += 1;
                    let all_nul = obuf[..nout].iter().all(|&b| b == 0);
                    out.reject(
                        record_line,
                        if all_nul {
                            "NUL bytes (0x00) instead of a row: padding or damage at the end of \
                             the file"
                                .to_string()
                        } else {
                            "the row contains NUL bytes (0x00): damaged data".to_string()
                        },
                    );
                } else if !blank {
                    let rec = CsvRecord {
                        buf: &obuf[..nout],
                        ends: &ends[..nend],
                    };
                    conv.push(&rec, record_line, out);
                }
                nout = 0;
                nend = 0;
                record_line = (rdr.line() - 1) as u32 + leading_newlines(&bytes[pos..]);
            }
            csv_core::ReadRecordResult::End => break,
        }
    }
    (rdr.line() - 1) as u32
}

/// Reads from `input` until `buf` holds at least `want` bytes or the input ends; returns
/// `true` at the end of the input. Reads into spare capacity, so nothing is zeroed first.
fn fill<R: Read>(
    input: &mut R,
    buf: &mut Vec<u8>,
    want: usize,
    progress: Option<&Progress>,
) -> std::io::Result<bool> {
    if buf.len() >= want {
        return Ok(false);
    }
    let wanted = want - buf.len();
    let n = input.by_ref().take(wanted as u64).read_to_end(buf)?;
    if let Some(p) = progress {
        p.add_bytes(n as u64);
    }
    Ok(n < wanted)
}

/// Splits `[0, cut)` at the scanned boundaries into chunk ranges.
fn chunk_bounds(mut cuts: Vec<usize>, cut: usize) -> Vec<(usize, usize)> {
    cuts.retain(|&c| c < cut);
    cuts.push(cut);
    let mut bounds = Vec::with_capacity(cuts.len());
    let mut prev = 0;
    for c in cuts {
        if c > prev {
            bounds.push((prev, c));
            prev = c;
        }
    }
    bounds
}

/// Parses the chunks of one batch in parallel into the pool; returns each chunk's newlines.
fn parse_batch(
    buf: &[u8],
    bounds: &[(usize, usize)],
    delimiter: u8,
    conv: &RowConverter,
    pool: &mut [ChunkOut],
) -> Vec<u32> {
    bounds
        .par_iter()
        .zip(pool.par_iter_mut())
        .map(|(&(a, b), out)| parse_chunk(&buf[a..b], delimiter, conv, out))
        .collect()
}

/// Reads records from `input` (positioned at the first data row, which is on line
/// `first_line`) until the end. While one batch is parsed the next is read, so the copy
/// from the page cache overlaps the parsing.
pub fn read_body<R: Read + Send>(
    input: &mut R,
    delimiter: u8,
    first_line: u32,
    conv: &RowConverter,
    est_rows: usize,
    progress: Option<&Progress>,
) -> std::io::Result<Option<ChunkOut>> {
    let threads = rayon::current_num_threads().max(1);
    let mut total = conv.new_chunk(est_rows);
    let mut cur: Vec<u8> = Vec::new();
    let mut next: Vec<u8> = Vec::new();
    let mut line = first_line;
    let mut eof = fill(input, &mut cur, BATCH, progress)?;
    // One reusable output per chunk of a batch: no fresh pages to fault in per batch.
    let per_chunk = BATCH / (threads * 2) / 64 + 1024;
    let mut pool: Vec<ChunkOut> = Vec::new();
    while !cur.is_empty() {
        if progress.is_some_and(|p| p.is_cancelled()) {
            return Ok(None);
        }
        let step = (cur.len() / (threads * 2)).max(256 * 1024);
        let sc = scan(&cur, delimiter, step, eof);
        let mut cut = sc.last;
        let mut broken: Option<usize> = None;
        if eof {
            match sc.open_record {
                Some(start) => {
                    cut = start;
                    broken = Some(start);
                }
                None => cut = cur.len(),
            }
        } else if cut == 0 {
            if cur.len() < MAX_RECORD {
                let want = cur.len() * 2;
                eof = fill(input, &mut cur, want, progress)?;
                continue;
            }
            // One record longer than any real export's: reject it and resume after its line.
            broken = Some(0);
        }
        let bounds = chunk_bounds(sc.cuts, cut);
        while pool.len() < bounds.len() {
            pool.push(conv.new_chunk(per_chunk));
        }
        let overlapped = broken.is_none() && !eof;
        let newlines = if overlapped {
            // The common case: parse this batch while the next one is read.
            next.clear();
            next.extend_from_slice(&cur[cut..]);
            let (newlines, read) = rayon::join(
                || parse_batch(&cur, &bounds, delimiter, conv, &mut pool),
                || fill(input, &mut next, BATCH, progress),
            );
            eof = read?;
            newlines
        } else {
            parse_batch(&cur, &bounds, delimiter, conv, &mut pool)
        };
        for (out, n) in pool.iter_mut().zip(newlines) {
            out.offset_lines(line);
            line += n;
            if let Some(p) = progress {
                p.add_rows(out.rows_read);
            }
            total.append(out);
        }
        let Some(start) = broken else {
            if overlapped {
                // `next` holds the unparsed tail of this batch plus the newly read bytes.
                std::mem::swap(&mut cur, &mut next);
                next.clear();
            } else {
                // At the end of the input the whole buffer was parsed.
                cur.clear();
            }
            continue;
        };
        line += memchr::memchr_iter(b'\n', &cur[cut..start]).count() as u32;
        total.rows_read += 1;
        total.reject(
            line,
            "a quoted field never ends (or the row is over 64 MB); the row was skipped and \
             reading went on at the next line"
                .to_string(),
        );
        line += 1;
        match memchr(b'\n', &cur[start..]) {
            Some(k) => {
                cur.drain(..start + k + 1);
            }
            None if eof => cur.clear(),
            None => {
                // The broken row runs past the batch: drop it up to the next newline.
                eof = skip_to_newline(input, &mut cur, progress)?;
            }
        }
        if !eof {
            eof = fill(input, &mut cur, BATCH, progress)?;
        }
    }
    Ok(Some(total))
}

/// Discards input through the next newline; leaves what follows it in `buf`. Returns `true`
/// when the input ended.
fn skip_to_newline<R: Read>(
    input: &mut R,
    buf: &mut Vec<u8>,
    progress: Option<&Progress>,
) -> std::io::Result<bool> {
    buf.clear();
    let mut block = vec![0u8; 1 << 20];
    loop {
        let n = input.read(&mut block)?;
        if n == 0 {
            return Ok(true);
        }
        if let Some(p) = progress {
            p.add_bytes(n as u64);
        }
        if let Some(k) = memchr(b'\n', &block[..n]) {
            buf.extend_from_slice(&block[k + 1..n]);
            return Ok(false);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scan_respects_quotes() {
        let s = scan(b"a,\"x\ny\",b\nc,d\n", b',', 1, true);
        assert_eq!(s.cuts, vec![10, 14]);
        assert_eq!(s.open_record, None);
        let s = scan(b"a,b\nc,\"open\nd,e\n", b',', 1, true);
        assert_eq!(s.last, 4);
        assert_eq!(s.open_record, Some(4));
        // A quote inside an unquoted field is literal, as in csv-core.
        let s = scan(b"5\" screen,b\nc,d\n", b',', 1, true);
        assert_eq!(s.cuts, vec![12, 16]);
    }
}
