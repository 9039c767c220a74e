//! pretix's quota availability export (`Quota name, Total quota, Paid orders, Pending orders,
//! Blocking vouchers, Current user's carts, Waiting list, Exited orders, Current
//! availability`), read as snapshots over time: save the export now and then, load them all.
//!
//! Each file is one moment: the time in a `Time`/`Date`/`Snapshot` column when there is one,
//! else a date and time in the file name (`quotas-2026-06-01-1200.csv`), else the file's
//! modification time (and the report says so). Without identities there are no hoarders and
//! no replay; the inventory over time, the peak share held and the false sold-out time are
//! all there.

use std::path::Path;

use jiff::tz::TimeZone;

use super::replay::{Inventory, ItemSeries};

/// One quota at one moment.
#[derive(Clone, Debug, PartialEq)]
pub struct QuotaRow {
    pub t: i64,
    pub quota: String,
    /// `None` for an unlimited quota.
    pub total: Option<u64>,
    pub paid: u64,
    pub pending: u64,
    pub vouchers: u64,
    pub carts: u64,
    pub waiting: u64,
}

/// Where a snapshot's time came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SnapshotTime {
    Column,
    FileName,
    Modified,
}

/// Whether `header` (the first line) is a quota availability export.
pub fn is_quota_export(header: &str) -> bool {
    let h = header.to_lowercase();
    h.contains("total quota") && h.contains("paid orders") && h.contains("pending orders")
}

fn split(line: &str, delim: char) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            c if c == delim && !quoted => out.push(std::mem::take(&mut cur)),
            c => cur.push(c),
        }
    }
    out.push(cur);
    out.into_iter().map(|s| s.trim().to_string()).collect()
}

fn count(v: &str) -> Option<u64> {
    let digits: String = v.chars().filter(|c| c.is_ascii_digit()).collect();
    digits.parse().ok()
}

/// A `YYYY-MM-DD` date and optional `HH[-:]MM` time in a file name.
fn time_in_name(name: &str, tz: &TimeZone) -> Option<i64> {
    let b = name.as_bytes();
    for i in 0..b.len().saturating_sub(9) {
        let s = &name[i..];
        let (y, m, d) = (s.get(0..4)?, s.get(5..7)?, s.get(8..10)?);
        if !(y.bytes().all(|c| c.is_ascii_digit())
            && m.bytes().all(|c| c.is_ascii_digit())
            && d.bytes().all(|c| c.is_ascii_digit())
            && matches!(b[i + 4], b'-' | b'_')
            && matches!(b[i + 7], b'-' | b'_'))
        {
            continue;
        }
        let rest: String = s[10..]
            .chars()
            .skip_while(|c| !c.is_ascii_digit())
            .filter(|c| c.is_ascii_digit())
            .take(4)
            .collect();
        let (hh, mm) = if rest.len() == 4 {
            (&rest[0..2], &rest[2..4])
        } else {
            ("00", "00")
        };
        let text = format!("{y}-{m}-{d} {hh}:{mm}");
        return crate::timefmt::parse_instant(&text, tz).ok();
    }
    None
}

/// Reads one quota export. Errors name the file and the line.
pub fn read_snapshot(path: &Path, tz: &TimeZone) -> Result<(Vec<QuotaRow>, SnapshotTime), String> {
    // A quota export is a few lines per quota.
    let bytes = crate::fsutil::read_regular(path, 64 << 20)?;
    let text =
        String::from_utf8_lossy(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes)).into_owned();
    let mut lines = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty());
    let (_, header) = lines
        .next()
        .ok_or_else(|| format!("{}: the file is empty", path.display()))?;
    let delim = [',', ';', '\t']
        .into_iter()
        .max_by_key(|&d| header.matches(d).count())
        .unwrap_or(',');
    let cols: Vec<String> = split(header, delim)
        .into_iter()
        .map(|c| c.to_lowercase())
        .collect();
    let find = |names: &[&str]| {
        cols.iter()
            .position(|c| names.iter().any(|n| c.contains(n)))
    };
    let need = |names: &[&str], what: &str| {
        find(names).ok_or_else(|| {
            format!(
                "{}: line 1: no '{what}' column; expected pretix's quota availability export",
                path.display()
            )
        })
    };
    let quota = find(&["quota name", "name"]).unwrap_or(0);
    let total = need(&["total quota"], "Total quota")?;
    let paid = need(&["paid orders"], "Paid orders")?;
    let pending = need(&["pending orders"], "Pending orders")?;
    let vouchers = find(&["blocking vouchers", "vouchers"]);
    let carts = find(&["carts"]);
    let waiting = find(&["waiting list"]);
    let time_col = find(&["snapshot", "time", "date"]);
    let file_time = path
        .file_name()
        .and_then(|n| n.to_str())
        .and_then(|n| time_in_name(n, tz));
    let modified = std::fs::metadata(path)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|m| m.duration_since(std::time::UNIX_EPOCH).ok())
        .map(|d| d.as_secs() as i64);
    let mut source = SnapshotTime::Modified;
    let mut rows = Vec::new();
    for (n, line) in lines {
        let cells = split(line, delim);
        let cell = |i: usize| cells.get(i).map(String::as_str).unwrap_or("");
        let t = match time_col.map(cell).filter(|v| !v.is_empty()) {
            Some(v) => {
                source = SnapshotTime::Column;
                crate::timefmt::parse_instant(v, tz)
                    .map_err(|e| format!("{}: line {}: time '{v}': {e}", path.display(), n + 1))?
            }
            None => match file_time {
                Some(t) => {
                    source = SnapshotTime::FileName;
                    t
                }
                None => modified.ok_or_else(|| {
                    format!("{}: no time column, no time in the name", path.display())
                })?,
            },
        };
        let total_text = cell(total);
        rows.push(QuotaRow {
            t,
            quota: cell(quota).to_string(),
            total: count(total_text),
            paid: count(cell(paid)).unwrap_or(0),
            pending: count(cell(pending)).unwrap_or(0),
            vouchers: vouchers.and_then(|c| count(cell(c))).unwrap_or(0),
            carts: carts.and_then(|c| count(cell(c))).unwrap_or(0),
            waiting: waiting.and_then(|c| count(cell(c))).unwrap_or(0),
        });
    }
    Ok((rows, source))
}

/// The inventory the snapshots show: paid is sold; pending orders, carts and blocking
/// vouchers are held; between two snapshots the earlier one stands.
pub fn inventory(label: &str, rows: &[QuotaRow]) -> Inventory {
    let mut names: Vec<String> = Vec::new();
    for r in rows {
        if !names.contains(&r.quota) {
            names.push(r.quota.clone());
        }
    }
    let end = rows.iter().map(|r| r.t).max().unwrap_or(0);
    let mut items = Vec::new();
    let mut total_at: std::collections::BTreeMap<i64, (u64, u64)> = Default::default();
    for name in &names {
        let mut snaps: Vec<&QuotaRow> = rows.iter().filter(|r| &r.quota == name).collect();
        snaps.sort_by_key(|r| r.t);
        let stock = snaps.iter().filter_map(|r| r.total).max().unwrap_or(0);
        let mut s = ItemSeries {
            item: name.clone(),
            stock,
            stock_inferred: false,
            sold: snaps.last().map_or(0, |r| r.paid),
            points: Vec::new(),
            peak_held: 0,
            peak_held_at: snaps.first().map_or(0, |r| r.t),
            false_soldout_minutes: 0.0,
            false_soldout: Vec::new(),
        };
        for (k, r) in snaps.iter().enumerate() {
            let held = r.pending + r.carts + r.vouchers;
            s.points.push((r.t, r.paid, held));
            if held > s.peak_held {
                s.peak_held = held;
                s.peak_held_at = r.t;
            }
            let e = total_at.entry(r.t).or_default();
            e.0 += held;
            e.1 += r.total.unwrap_or(0);
            let next = snaps.get(k + 1).map_or(end, |n| n.t);
            let limited = r.total.is_some();
            if limited && r.paid + held >= stock && r.paid < stock && next > r.t {
                s.false_soldout_minutes += (next - r.t) as f64 / 60.0;
                match s.false_soldout.last_mut() {
                    Some(last) if last.1 == r.t => last.1 = next,
                    _ => s.false_soldout.push((r.t, next)),
                }
            }
        }
        items.push(s);
    }
    let (peak_held_at, (peak_held, stock_then)) = total_at
        .iter()
        .max_by_key(|(_, v)| v.0)
        .map(|(t, v)| (*t, *v))
        .unwrap_or((0, (0, 0)));
    Inventory {
        label: label.to_string(),
        span: (rows.iter().map(|r| r.t).min().unwrap_or(0), end),
        peak_held,
        peak_held_share: peak_held as f64 / stock_then.max(1) as f64,
        peak_held_at,
        false_soldout_minutes: items.iter().map(|s| s.false_soldout_minutes).sum(),
        unpaid_unit_hours: 0.0,
        buyers_met_false_soldout: 0.0,
        hoarders: Vec::new(),
        hoarding_windows: Vec::new(),
        holds: 0,
        units_sold: items.iter().map(|s| s.sold).sum(),
        items,
        genuine_rate: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snapshots_over_time_show_held_stock_and_false_sold_out() {
        let dir = tempfile::tempdir().unwrap();
        let header = "Quota name,Total quota,Paid orders,Pending orders,Blocking vouchers,\
                      Current user's carts,Waiting list,Exited orders,Current availability\n";
        let snaps = [
            ("quotas-2026-06-01-1000.csv", "100,40,5,0,3,0,0,Available"),
            ("quotas-2026-06-01-1100.csv", "100,50,30,0,20,4,0,Reserved"),
            ("quotas-2026-06-01-1300.csv", "100,100,0,0,0,9,0,Sold out"),
        ];
        let mut rows = Vec::new();
        for (name, values) in snaps {
            let p = dir.path().join(name);
            std::fs::write(&p, format!("{header}General admission,{values}\n")).unwrap();
            assert!(is_quota_export(header));
            let (r, source) = read_snapshot(&p, &TimeZone::UTC).unwrap();
            assert_eq!(source, SnapshotTime::FileName);
            rows.extend(r);
        }
        let inv = inventory("quotas", &rows);
        assert_eq!(inv.peak_held, 50);
        assert!((inv.peak_held_share - 0.5).abs() < 1e-9);
        // 11:00–13:00 every place was paid or held while 50 were unsold: two hours.
        assert_eq!(inv.false_soldout_minutes, 120.0);
        assert_eq!(inv.units_sold, 100);
        let bad = dir.path().join("bad.csv");
        std::fs::write(&bad, "Quota name,Total\nGA,1\n").unwrap();
        let err = read_snapshot(&bad, &TimeZone::UTC).unwrap_err();
        assert!(
            err.contains("bad.csv: line 1: no 'Total quota' column"),
            "{err}"
        );
    }
}
