//! Attendance lists (a check-in list, a meeting's participants) matched onto the
//! registrations they belong to, by normalized e-mail address, else by name.

use rustc_hash::FxHashMap;

use std::path::PathBuf;

use crate::dataset::{CHECKED_IN_UNKNOWN_TIME, Dataset, NO_TIME, Rows, Table, came};
use crate::import::{FileContent, Role};

use super::identity::normalize_email;

/// How an attendance list matched a table of registrations.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AttendanceMatch {
    /// People on the list found among the registrations.
    pub matched: u64,
    /// People on the list with no registration (walk-ins, or registered another way).
    pub unmatched: u64,
}

/// Identity keys of a row: its normalized address, else its lower-cased full name.
fn key(rows: &Rows, i: usize) -> Option<String> {
    if let Some(e) = rows.text(Role::Email)
        && let Some((local, domain)) = normalize_email(e.get(i))
    {
        return Some(format!("{local}@{domain}"));
    }
    let mut name = String::new();
    for role in [Role::Name, Role::FirstName, Role::LastName] {
        if let Some(c) = rows.text(role) {
            let v = c.get(i).trim();
            if !v.is_empty() {
                if !name.is_empty() {
                    name.push(' ');
                }
                name.push_str(&v.to_lowercase());
            }
        }
    }
    let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    (!name.is_empty()).then_some(name)
}

/// People on `attendance` who came, by identity key, with their check-in time.
fn attendees(attendance: &Rows) -> FxHashMap<String, i64> {
    let mut out = FxHashMap::default();
    for i in 0..attendance.len() {
        let t = attendance
            .checked_in
            .as_ref()
            .map(|c| c[i])
            .filter(|&t| came(t))
            .unwrap_or(CHECKED_IN_UNKNOWN_TIME);
        let listed_absent = attendance.checked_in.as_ref().is_some_and(|c| !came(c[i]))
            && attendance.status[i] != crate::import::Status::CheckedIn;
        if listed_absent {
            continue;
        }
        if let Some(k) = key(attendance, i) {
            out.entry(k).or_insert(t);
        }
    }
    out
}

/// How many people on `attendance` are registrations of `rows` (to pick the table a list
/// belongs to).
pub fn overlap(rows: &Rows, attendance: &Rows) -> u64 {
    let people = attendees(attendance);
    (0..rows.len())
        .filter_map(|i| key(rows, i))
        .filter(|k| people.contains_key(k))
        .count() as u64
}

/// Which of `tables` an attendance list belongs to: the one holding most of its people
/// (`None` when it holds none of them).
pub fn best_match<'a>(tables: impl Iterator<Item = &'a Rows>, attendance: &Rows) -> Option<usize> {
    tables
        .enumerate()
        .map(|(i, rows)| (overlap(rows, attendance), i))
        .max()
        .filter(|(n, _)| *n > 0)
        .map(|(_, i)| i)
}

/// Marks the registrations of `rows` whose person is on `attendance` as checked in (their
/// check-in time where the list gives one); everyone else on `rows` did not come.
pub fn apply(rows: &mut Rows, attendance: &Rows) -> AttendanceMatch {
    let people = attendees(attendance);
    let mut seen: FxHashMap<&str, bool> = people.keys().map(|k| (k.as_str(), false)).collect();
    let mut checked = rows
        .checked_in
        .take()
        .unwrap_or_else(|| vec![NO_TIME; rows.len()]);
    let mut matched = 0u64;
    for (i, slot) in checked.iter_mut().enumerate() {
        let Some(k) = key(rows, i) else { continue };
        if let Some((&t, flag)) = people.get(&k).zip(seen.get_mut(k.as_str())) {
            if !came(*slot) {
                *slot = t;
            }
            if !*flag {
                *flag = true;
                matched += 1;
            }
        }
    }
    rows.checked_in = Some(checked);
    AttendanceMatch {
        matched,
        unmatched: seen.values().filter(|s| !**s).count() as u64,
    }
}

/// Files of a dataset that list something other than registrations, taken out of it.
#[derive(Debug, Default)]
pub struct Routed {
    /// Hold and cart logs, for held inventory.
    pub holds: Vec<Table>,
    /// Quota snapshots (read again from their paths by the held-inventory reader).
    pub quota: Vec<PathBuf>,
    /// What happened to each file, in words.
    pub notes: Vec<String>,
    /// The import reports of the files taken out of the dataset (each with its note among
    /// its warnings), so reports still list them.
    pub files: Vec<crate::import::ImportReport>,
}

impl Routed {
    fn note(&mut self, t: &Table, note: String) {
        self.notes
            .push(format!("{}: {note}", t.report.path.display()));
        let mut report = t.report.clone();
        report.samples.clear();
        report.warnings.push(note);
        self.files.push(report);
    }
}

/// Sends each table where it belongs by what it lists ([`FileContent`]): hold logs and
/// quota snapshots out to held inventory, attendance lists onto the registrations they
/// match best (the event or a past edition). An attendance list with no registrations
/// loaded stays as the event, everyone on it having come.
pub fn route(dataset: &mut Dataset) -> Routed {
    let mut routed = Routed::default();
    let tables = std::mem::take(&mut dataset.tables);
    let mut attendance = Vec::new();
    for t in tables {
        match t.report.detected.kind {
            FileContent::Registrations => dataset.tables.push(t),
            FileContent::Holds => {
                let note = format!(
                    "{} — read as held inventory, not as registrations",
                    FileContent::Holds.label()
                );
                routed.note(&t, note);
                routed.holds.push(t);
            }
            FileContent::Quota => {
                routed.note(
                    &t,
                    format!("{} — read as held inventory", FileContent::Quota.label()),
                );
                routed.quota.push(t.report.path.clone());
            }
            FileContent::Attendance => attendance.push(t),
        }
    }
    for a in attendance {
        match best_match(dataset.tables.iter().map(|t| &t.rows), &a.rows) {
            Some(i) => {
                let m = apply(&mut dataset.tables[i].rows, &a.rows);
                let note = format!(
                    "{} of {} people — {} matched to registrations in {}, {} not registered",
                    FileContent::Attendance.label(),
                    m.matched + m.unmatched,
                    m.matched,
                    dataset.tables[i].label,
                    m.unmatched
                );
                routed.note(&a, note);
            }
            _ => {
                let note = format!(
                    "{} of {} people{}; read as the event, everyone on it having come",
                    FileContent::Attendance.label(),
                    a.rows.len(),
                    if dataset.tables.is_empty() {
                        ""
                    } else {
                        ", none of them among the registrations loaded"
                    }
                );
                routed
                    .notes
                    .push(format!("{}: {note}", a.report.path.display()));
                let mut a = a;
                a.report.warnings.push(note);
                if a.rows.checked_in.is_none() {
                    a.rows.checked_in = Some(vec![CHECKED_IN_UNKNOWN_TIME; a.rows.len()]);
                }
                dataset.tables.push(a);
            }
        }
    }
    routed
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::{ImportOptions, import_bytes};

    fn rows(csv: &str) -> Rows {
        import_bytes(
            std::path::Path::new("t.csv"),
            csv.as_bytes(),
            &ImportOptions::default(),
        )
        .unwrap()
        .rows
    }

    #[test]
    fn participants_are_matched_by_address_then_name() {
        let mut regs = rows(
            "Email,Name,Registration Time\nAna.B+meetup@Example.org,Ana B,2025-01-01 10:00\nbo@example.org,Bo C,2025-01-02 10:00\n,Cy D,2025-01-03 10:00\n",
        );
        let zoom = rows(
            "User Name,User Email,Join Time,Leave Time\nAna,ana.b@example.org,2025-02-01 18:00,2025-02-01 19:00\nCy D,,2025-02-01 18:05,2025-02-01 19:00\nWalk In,walk@example.org,2025-02-01 18:10,2025-02-01 18:30\n",
        );
        let m = apply(&mut regs, &zoom);
        assert_eq!(
            m,
            AttendanceMatch {
                matched: 2,
                unmatched: 1
            }
        );
        assert!(regs.came(0));
        assert!(!regs.came(1));
        assert!(regs.came(2));
    }
}
