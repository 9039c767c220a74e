//! The flagged rows as CSV, with their original columns, streamed into a writer.

use std::io::Write;

use rustc_hash::FxHashMap;

use super::{RowFlags, RowState};
use crate::report::excel_safe_cell as cell;

/// Names of the columns Turnout adds, made unique against the file's own headers (a file with
/// its own `score` column gets `turnout_score`).
fn added_columns(headers: &[String]) -> [String; 4] {
    let taken = |n: &str| headers.iter().any(|h| h.trim().eq_ignore_ascii_case(n));
    ["file", "line", "score", "reasons"].map(|base| {
        let mut name = base.to_string();
        let mut k = 1;
        while taken(&name) {
            name = if k == 1 {
                format!("turnout_{base}")
            } else {
                format!("turnout_{base}_{k}")
            };
            k += 1;
        }
        name
    })
}

fn write_row(w: &mut dyn Write, cells: impl IntoIterator<Item = String>) -> std::io::Result<()> {
    let mut first = true;
    for c in cells {
        if !first {
            w.write_all(b",")?;
        }
        first = false;
        w.write_all(cell(&c).as_bytes())?;
    }
    w.write_all(b"\r\n")
}

/// Writes the flagged rows (per `masks`, marks included) as CSV: every original column of the
/// row as it is in its file (the header is the union of every flagged file's headers), then
/// `file`, `line`, `score` and `reasons`. Cells Excel would run as formulas are neutralized.
/// Rows of generated data (no file) carry their mapped columns. The files are streamed, so
/// memory stays small whatever their size.
pub fn write_flagged_csv(
    w: &mut dyn Write,
    dataset: &crate::dataset::Dataset,
    scored: &[Option<RowFlags>],
    masks: &[Vec<RowState>],
) -> Result<(), String> {
    let io = |e: std::io::Error| format!("writing the flagged rows: {e}");
    // Each table's headers and where they go in the union.
    let sources: Vec<(usize, bool, Vec<String>)> = dataset
        .tables
        .iter()
        .zip(scored)
        .enumerate()
        .filter(|(_, (_, f))| f.is_some())
        .map(|(i, (t, _))| {
            let from_file = t.report.path.is_file();
            let headers = if from_file {
                t.report.headers.clone()
            } else {
                t.rows
                    .texts
                    .iter()
                    .map(|(r, _)| r.name().to_string())
                    .collect()
            };
            (i, from_file, headers)
        })
        .collect();
    let mut union: Vec<String> = Vec::new();
    for (_, _, headers) in &sources {
        for h in headers {
            if !union.contains(h) {
                union.push(h.clone());
            }
        }
    }
    let added = added_columns(&union);
    write_row(w, union.iter().cloned().chain(added.iter().cloned())).map_err(io)?;
    for (ti, from_file, headers) in &sources {
        let t = &dataset.tables[*ti];
        let (Some(f), Some(mask)) = (&scored[*ti], masks.get(*ti)) else {
            continue;
        };
        let place: Vec<usize> = headers
            .iter()
            .map(|h| union.iter().position(|u| u == h).unwrap_or(0))
            .collect();
        let by_line: FxHashMap<u32, usize> = (0..t.rows.len())
            .filter(|&i| mask.get(i) == Some(&RowState::Flagged))
            .map(|i| (t.rows.line[i], i))
            .collect();
        let mut row = vec![String::new(); union.len()];
        let mut emit = |i: usize, cells: &mut dyn Iterator<Item = String>| {
            row.iter_mut().for_each(String::clear);
            for (k, c) in cells.enumerate() {
                if let Some(&p) = place.get(k) {
                    row[p] = c;
                }
            }
            let reasons: Vec<&str> = f.reasons_of(i).iter().map(|r| r.label()).collect();
            write_row(
                w,
                row.iter().cloned().chain([
                    t.report.path.display().to_string(),
                    t.rows.line[i].to_string(),
                    format!("{:.2}", f.score[i]),
                    reasons.join(";"),
                ]),
            )
        };
        if *from_file {
            let lines = by_line.keys().copied().collect();
            let mut failed = None;
            crate::import::raw::for_rows(&t.report.path, &t.report, &lines, &mut |line, cells| {
                if failed.is_some() {
                    return;
                }
                if let Some(&i) = by_line.get(&line)
                    && let Err(e) = emit(i, &mut cells.iter().cloned())
                {
                    failed = Some(e);
                }
            })
            .map_err(|e| e.to_string())?;
            if let Some(e) = failed {
                return Err(io(e));
            }
        } else {
            let mut rows: Vec<usize> = by_line.values().copied().collect();
            rows.sort_unstable();
            for i in rows {
                let mut cells = t.rows.texts.iter().map(|(_, c)| c.get(i).to_string());
                emit(i, &mut cells).map_err(io)?;
            }
        }
    }
    Ok(())
}

/// The flagged rows as one CSV string (small datasets and tests).
pub fn flagged_csv(
    dataset: &crate::dataset::Dataset,
    scored: &[Option<RowFlags>],
    masks: &[Vec<RowState>],
) -> Result<String, String> {
    let mut out = Vec::new();
    write_flagged_csv(&mut out, dataset, scored, masks)?;
    String::from_utf8(out).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn added_columns_never_clash_with_the_files_own() {
        let h = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            added_columns(&h(&["Email", "Order Date"])),
            ["file", "line", "score", "reasons"].map(String::from)
        );
        let clash = added_columns(&h(&["File", "line", "Score", "turnout_score", "reasons"]));
        assert_eq!(
            clash,
            [
                "turnout_file",
                "turnout_line",
                "turnout_score_2",
                "turnout_reasons"
            ]
            .map(String::from)
        );
    }
}
