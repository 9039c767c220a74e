//! The flagged rows as CSV, with their original columns.

use rustc_hash::FxHashMap;

use super::flags::RowFlags;

/// The flagged rows (per `masks`, marks included) as CSV: every original column of the row as
/// it is in its file, then `file`, `line`, `score` and `reasons`. Cells Excel would run as
/// formulas are neutralized. Rows of generated data (no file) carry their mapped columns.
pub fn flagged_csv(
    dataset: &crate::dataset::Dataset,
    scored: &[Option<RowFlags>],
    masks: &[Vec<bool>],
) -> Result<String, String> {
    use crate::report::excel_safe_cell as cell;
    use std::fmt::Write as _;
    let mut out = String::new();
    let mut header_written = false;
    for ((t, f), mask) in dataset.tables.iter().zip(scored).zip(masks) {
        let Some(f) = f else { continue };
        let flagged: Vec<usize> = (0..t.rows.len())
            .filter(|&i| mask.get(i).copied().unwrap_or(false))
            .collect();
        let from_file = t.report.path.exists();
        let headers: Vec<String> = if from_file {
            t.report.headers.clone()
        } else {
            t.rows
                .texts
                .iter()
                .map(|(r, _)| r.name().to_string())
                .collect()
        };
        if !header_written {
            let mut h: Vec<String> = headers.iter().map(|x| cell(x)).collect();
            h.extend(["file", "line", "score", "reasons"].map(String::from));
            let _ = writeln!(out, "{}", h.join(","));
            header_written = true;
        }
        let rows: Vec<(usize, Vec<String>)> = if from_file {
            let by_line: FxHashMap<u32, usize> =
                flagged.iter().map(|&i| (t.rows.line[i], i)).collect();
            let lines = by_line.keys().copied().collect();
            crate::import::raw::read_rows(&t.report.path, &t.report, &lines)
                .map_err(|e| e.to_string())?
                .into_iter()
                .filter_map(|(line, cells)| by_line.get(&line).map(|&i| (i, cells)))
                .collect()
        } else {
            flagged
                .iter()
                .map(|&i| {
                    let cells = t
                        .rows
                        .texts
                        .iter()
                        .map(|(_, c)| c.get(i).to_string())
                        .collect();
                    (i, cells)
                })
                .collect()
        };
        for (i, cells) in rows {
            let mut row: Vec<String> = cells.iter().map(|c| cell(c)).collect();
            row.resize(headers.len(), String::new());
            let reasons: Vec<&str> = f.reasons_of(i).iter().map(|r| r.name()).collect();
            row.push(cell(&t.report.path.display().to_string()));
            row.push(t.rows.line[i].to_string());
            row.push(format!("{:.2}", f.score[i]));
            row.push(cell(&reasons.join(";")));
            let _ = writeln!(out, "{}", row.join(","));
        }
    }
    Ok(out)
}
