//! Events: the unit of analysis is an event, a selection of rows, not a file.
//!
//! - A file whose rows carry their own event time (appointment books, hotel arrivals,
//!   restaurant reservations, session registrations) holds a whole series: every local day of
//!   an event time (× the value of the group column, when one is chosen) is one event.
//! - A file without event times is one event: a past edition (with its start), or the event
//!   being planned (every such file of the event together).
//!
//! Rows are referred to by [`RowId`], so an event of a series is just the list of its rows.

use jiff::tz::TimeZone;
use rustc_hash::FxHashMap;

use super::{Dataset, Edition, NO_TIME, RowId, TextColumn};
use crate::import::Role;

/// The rows that make one event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Selection {
    /// Every row of these tables.
    Tables(Vec<u16>),
    /// These rows (of tables whose rows carry event times).
    Rows(Vec<RowId>),
}

impl Selection {
    /// Calls `f(table, row)` for each selected row.
    pub fn for_each(&self, data: &Dataset, mut f: impl FnMut(u16, usize)) {
        match self {
            Selection::Tables(tables) => {
                for &t in tables {
                    for r in 0..data.tables[t as usize].rows.len() {
                        f(t, r);
                    }
                }
            }
            Selection::Rows(rows) => {
                for id in rows {
                    f(id.table, id.row as usize);
                }
            }
        }
    }

    /// Rows selected.
    pub fn len(&self, data: &Dataset) -> usize {
        match self {
            Selection::Tables(t) => t.iter().map(|&t| data.tables[t as usize].rows.len()).sum(),
            Selection::Rows(r) => r.len(),
        }
    }

    pub fn is_empty(&self, data: &Dataset) -> bool {
        self.len(data) == 0
    }
}

/// One event of a dataset.
#[derive(Clone, Debug, PartialEq)]
pub struct EventDef {
    /// How it is called on screen: the table's name, or the day (and group).
    pub label: String,
    /// When it starts (UTC seconds): the earliest event time of its rows, a past edition's
    /// given or inferred start, or `None` for the event being planned when no start is set.
    pub start: Option<i64>,
    /// The group's value (location, room, …); empty when events are not split.
    pub group: String,
    /// Whether the event times are dates only (an appointment day, an arrival date): the
    /// event lasts the day, and signups during it still count.
    pub date_only: bool,
    pub rows: Selection,
    /// The files of the event being planned (not a series): there is exactly one.
    pub planned: bool,
}

impl EventDef {
    /// How long after its start the event still takes bookings: a day of dates only lasts
    /// the day (its signups during it count), an event at a moment none.
    pub fn grace(&self) -> i64 {
        if self.date_only { 86_400 - 1 } else { 0 }
    }

    /// Whether a project's or a headcount's (label, group) names this event: as groups are
    /// matched, case and spacing aside (a project saved when "Centro" was the group's name
    /// finds it as "CENTRO").
    pub fn is_named(&self, label: &str, group: &str) -> bool {
        same_event((&self.label, &self.group), (label, group))
    }

    /// An event known only from a door count (a counted day with no registration).
    pub fn counted_only(&self) -> bool {
        matches!(&self.rows, Selection::Rows(rows) if rows.is_empty())
    }
}

/// How a group's value is written in its events: values that differ only in case or spacing
/// ("CENTRO", "Centro", "centro ") are one group, named as most of its rows write it (the
/// first of those in sorted order on a tie). Headcount files are matched to groups the same
/// way.
#[derive(Debug, Default)]
pub struct GroupSpellings {
    /// Trimmed value as written → the group's name.
    name: FxHashMap<String, String>,
}

impl GroupSpellings {
    /// The spellings of every series file's group column in `data`.
    pub fn of(data: &Dataset) -> GroupSpellings {
        GroupSpellings::of_columns(data.tables.iter().filter_map(|t| {
            t.rows.event_at.as_ref()?;
            t.rows.text(Role::Group)
        }))
    }

    /// The spellings of the values in `columns`.
    pub fn of_columns<'a>(columns: impl Iterator<Item = &'a TextColumn>) -> GroupSpellings {
        let mut count: FxHashMap<String, u64> = FxHashMap::default();
        for c in columns {
            let mut seen: FxHashMap<&str, u64> = FxHashMap::default();
            for i in 0..c.len() {
                *seen.entry(c.get(i)).or_default() += 1;
            }
            for (v, n) in seen {
                *count.entry(v.trim().to_string()).or_default() += n;
            }
        }
        let mut best: FxHashMap<String, (u64, String)> = FxHashMap::default();
        for (v, &n) in &count {
            let b = best.entry(group_key(v)).or_insert_with(|| (n, v.clone()));
            if n > b.0 || (n == b.0 && *v < b.1) {
                *b = (n, v.clone());
            }
        }
        let name = count
            .into_keys()
            .map(|v| {
                let n = best[&group_key(&v)].1.clone();
                (v, n)
            })
            .collect();
        GroupSpellings { name }
    }

    /// The group's name for a value as written.
    pub fn name_of<'a>(&'a self, value: &'a str) -> &'a str {
        let v = value.trim();
        self.name.get(v).map_or(v, String::as_str)
    }

    /// Groups written more than one way: (name, the other spellings), sorted.
    pub fn merged(&self) -> Vec<(String, Vec<String>)> {
        let mut by: std::collections::BTreeMap<&str, Vec<String>> = Default::default();
        for (v, n) in &self.name {
            if v != n {
                by.entry(n.as_str()).or_default().push(v.clone());
            }
        }
        by.into_iter()
            .map(|(n, mut others)| {
                others.sort();
                (n.to_string(), others)
            })
            .collect()
    }
}

/// Whether two (label, group) pairs name one event, as groups are matched.
pub fn same_event(a: (&str, &str), b: (&str, &str)) -> bool {
    group_key(a.0) == group_key(b.0) && group_key(a.1) == group_key(b.1)
}

/// What makes two spellings of a group one: case and runs of spaces do not count.
pub fn group_key(value: &str) -> String {
    value
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Every event of a dataset, sorted by start (events without one last).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Events {
    pub events: Vec<EventDef>,
    /// Rows of series files without an event time (they belong to no event).
    pub undated_rows: u64,
}

impl Events {
    /// Finds the events of `data`; per-row event days are local days in `zone`.
    pub fn of(data: &Dataset, zone: &TimeZone) -> Events {
        let mut out = Events::default();
        let mut planned: Vec<u16> = Vec::new();
        // Series rows: (local day, group) → earliest event time, whether all are midnight, rows.
        let mut series: FxHashMap<(i64, String), (i64, bool, Vec<RowId>)> = FxHashMap::default();
        let spelling = GroupSpellings::of(data);
        for (ti, t) in data.tables.iter().enumerate() {
            let ti = ti as u16;
            let r = &t.rows;
            let per_row = r
                .event_at
                .as_ref()
                .filter(|e| e.iter().any(|&v| v != NO_TIME));
            match (per_row, t.edition) {
                (Some(ev), _) => {
                    let group = r.text(Role::Group);
                    let mut day_cache: FxHashMap<i64, i64> = FxHashMap::default();
                    for (i, &at) in ev.iter().enumerate() {
                        if at == NO_TIME {
                            out.undated_rows += 1;
                            continue;
                        }
                        let day = *day_cache
                            .entry(at.div_euclid(3_600))
                            .or_insert_with(|| crate::timefmt::local_day(at, zone));
                        let g = group
                            .map(|c| spelling.name_of(c.get(i)).to_string())
                            .unwrap_or_default();
                        let midnight = crate::timefmt::local_day(at - 1, zone) != day;
                        let entry = series
                            .entry((day, g))
                            .or_insert((i64::MAX, true, Vec::new()));
                        entry.0 = entry.0.min(at);
                        entry.1 &= midnight;
                        entry.2.push(RowId {
                            table: ti,
                            row: i as u32,
                        });
                    }
                }
                (None, Edition::Current) => planned.push(ti),
                (None, Edition::Past { .. }) => out.events.push(EventDef {
                    label: t.label.clone(),
                    start: crate::analysis::segments::edition_start(t),
                    group: String::new(),
                    date_only: false,
                    rows: Selection::Tables(vec![ti]),
                    planned: false,
                }),
            }
        }
        for ((day, group), (start, date_only, rows)) in series {
            let date = crate::timefmt::day_label(day);
            out.events.push(EventDef {
                label: if group.is_empty() {
                    date
                } else {
                    format!("{date} · {group}")
                },
                start: Some(start),
                group,
                date_only,
                rows: Selection::Rows(rows),
                planned: false,
            });
        }
        if !planned.is_empty() {
            let label = data.tables[planned[0] as usize].label.clone();
            out.events.push(EventDef {
                label,
                start: None,
                group: String::new(),
                date_only: false,
                rows: Selection::Tables(planned),
                planned: true,
            });
        }
        out.sort();
        out
    }

    /// Sorts the events by start (events without one last), then group.
    pub fn sort(&mut self) {
        self.events.sort_by(|a, b| {
            (a.start.is_none(), a.start, &a.group).cmp(&(b.start.is_none(), b.start, &b.group))
        });
    }

    /// The event being planned when files hold one event (not a series).
    pub fn planned(&self) -> Option<usize> {
        self.events.iter().position(|e| e.planned)
    }

    /// Whether the files hold a series of events (per-row event times).
    pub fn is_series(&self) -> bool {
        self.events
            .iter()
            .any(|e| matches!(e.rows, Selection::Rows(_)))
    }

    /// The event on local day `day` (any group first), for `--event DATE`.
    pub fn on_day(&self, day: i64, group: Option<&str>, zone: &TimeZone) -> Option<usize> {
        self.events.iter().position(|e| {
            e.start
                .is_some_and(|s| crate::timefmt::local_day(s, zone) == day)
                && group.is_none_or(|g| group_key(&e.group) == group_key(g))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A project saved when the group was written "Centro" finds its event and door count
    /// now that the group is named "CENTRO" (most of its rows write it so).
    #[test]
    fn an_event_is_found_by_any_spelling_of_its_group() {
        let e = EventDef {
            label: "2016-05-31 · CENTRO".into(),
            start: Some(0),
            group: "CENTRO".into(),
            date_only: true,
            rows: Selection::Rows(Vec::new()),
            planned: false,
        };
        assert!(e.is_named("2016-05-31 · Centro", "Centro"));
        assert!(e.is_named("2016-05-31 ·  centro ", " centro"));
        assert!(!e.is_named("2016-05-31 · PRAIA", "PRAIA"));
        assert!(!e.is_named("2016-05-30 · CENTRO", "CENTRO"));
        assert_eq!(group_key("  Jardim   da Penha "), "jardim da penha");
        assert_eq!(group_key("RESISTÊNCIA"), group_key("Resistência"));
    }
}
