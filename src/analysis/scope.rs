//! What the analysis is about: which events the files hold, the one in focus, and the door
//! counts known for them ([`Scope`]). A headcount file's counted days without a registration
//! become events of their own here ([`Scope::set_day_counts`]).

use jiff::tz::TimeZone;
use rustc_hash::FxHashMap;

use crate::dataset::events::group_key;
use crate::dataset::{Dataset, EventDef, Events, NO_TIME, Selection};

/// Door counts of events: per local day (and group) of a series, or per past-edition file.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Headcounts {
    /// (local day, group or "" for any group, people).
    pub by_day: Vec<(i64, String, u64)>,
    /// (table index, people) for files that are one event each.
    pub by_table: Vec<(u16, u64)>,
    /// (event label, group, people): typed per event in the app. These come first.
    pub by_event: Vec<(String, String, u64)>,
    /// Where the day counts went ([`Scope::set_day_counts`]).
    pub placed: DayCountsPlaced,
}

/// Where a series' day counts went ([`Scope::set_day_counts`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct DayCountsPlaced {
    /// Counts read.
    pub counts: usize,
    /// Counts that went to an event with registrations.
    pub matched: usize,
    /// Counted days (or days and groups) without a registration, each added as an event.
    pub added: usize,
    /// Counts with nowhere to go: a day with no event when the files hold one event and past
    /// editions, or a whole day's count when the series is split by group.
    pub unplaced: usize,
    /// Nights to come without a booking yet, added on the days each group usually opens
    /// ([`Scope::set_day_counts`]), so that they are forecast too.
    #[serde(default)]
    pub expected: usize,
    /// Rows of the headcount files that could not be read and were left out.
    #[serde(default)]
    pub rejected: usize,
}

impl DayCountsPlaced {
    /// One sentence for the report and the app.
    pub fn describe(&self) -> String {
        let n = crate::report::thousands;
        let mut s = format!(
            "Headcounts: {} counted {}; {} went to events with registrations",
            n(self.counts as u64),
            if self.counts == 1 { "day" } else { "days" },
            n(self.matched as u64),
        );
        if self.added > 0 {
            s.push_str(&format!(
                ", {} without a registration became events of their own",
                n(self.added as u64)
            ));
        }
        if self.expected > 0 {
            s.push_str(&format!(
                "; {} {} to come with no booking yet, on the days each was counted most weeks, \
                 are forecast too",
                n(self.expected as u64),
                if self.expected == 1 {
                    "night"
                } else {
                    "nights"
                }
            ));
        }
        if self.unplaced > 0 {
            s.push_str(&format!(
                ", {} matched no event and are not used (a day the files hold no event for, or \
                 a whole day's count where events are split by group)",
                n(self.unplaced as u64)
            ));
        }
        if self.rejected > 0 {
            s.push_str(&format!(
                "; {} {} of the file could not be read and {} left out",
                n(self.rejected as u64),
                if self.rejected == 1 { "row" } else { "rows" },
                if self.rejected == 1 { "is" } else { "are" },
            ));
        }
        s.push('.');
        s
    }
}

impl Headcounts {
    pub fn is_empty(&self) -> bool {
        self.by_day.is_empty() && self.by_table.is_empty() && self.by_event.is_empty()
    }

    /// The counts ready for lookups, once per aggregation (a restaurant chain's file holds a
    /// count per store and day: tens of thousands).
    pub(super) fn index(&self) -> HeadcountIndex<'_> {
        let mut by_group: FxHashMap<(i64, String), u64> = FxHashMap::default();
        let mut by_day: FxHashMap<i64, u64> = FxHashMap::default();
        for (d, g, n) in &self.by_day {
            by_group.entry((*d, group_key(g))).or_insert(*n);
            let day = by_day.entry(*d).or_default();
            *day = day.saturating_add(*n);
        }
        HeadcountIndex {
            counts: self,
            by_group,
            by_day,
        }
    }
}

/// [`Headcounts`] indexed by day and group.
pub(super) struct HeadcountIndex<'a> {
    counts: &'a Headcounts,
    by_group: FxHashMap<(i64, String), u64>,
    /// Every count of a day added up: an event that is the whole day (no group chosen) had
    /// all of them.
    by_day: FxHashMap<i64, u64>,
}

impl HeadcountIndex<'_> {
    pub(super) fn of(&self, e: &EventDef, zone: &TimeZone) -> Option<u64> {
        if let Some(&(_, _, n)) = self
            .counts
            .by_event
            .iter()
            .find(|(l, g, _)| e.is_named(l, g))
        {
            return Some(n);
        }
        if let Selection::Tables(tables) = &e.rows
            && let Some(&(_, n)) = self
                .counts
                .by_table
                .iter()
                .find(|(t, _)| tables.contains(t))
        {
            return Some(n);
        }
        let day = crate::timefmt::local_day(e.start?, zone);
        if e.group.is_empty() {
            return self.by_day.get(&day).copied();
        }
        // The group's own count, else a count for the whole day given without a group.
        self.by_group
            .get(&(day, group_key(&e.group)))
            .or_else(|| self.by_group.get(&(day, String::new())))
            .copied()
    }
}

/// Which events there are, which one the aggregates focus on, and what else is known.
#[derive(Clone, Debug, PartialEq)]
pub struct Scope {
    pub events: Events,
    /// The event shown and forecast (index into `events`).
    pub focus: Option<usize>,
    pub headcounts: Headcounts,
    /// The zone whose local days make a series' events.
    pub zone: TimeZone,
}

impl Default for Scope {
    fn default() -> Self {
        Scope {
            events: Events::default(),
            focus: None,
            headcounts: Headcounts::default(),
            zone: TimeZone::UTC,
        }
    }
}

impl Scope {
    /// Sorts the events after some were added, and finds the event in focus again by its
    /// label and group.
    fn sort_keeping_focus(&mut self, wanted: Option<(String, String)>) {
        self.events.sort();
        if let Some((label, group)) = wanted {
            self.focus = self
                .events
                .events
                .iter()
                .position(|e| e.label == label && e.group == group);
        }
    }

    /// The events of `data` (series days in `zone`), focused on the event being planned, else
    /// the next event after the latest signup, else the last event.
    pub fn of(data: &Dataset, zone: &TimeZone) -> Scope {
        let events = Events::of(data, zone);
        let focus = default_focus(&events, data);
        Scope {
            events,
            focus,
            headcounts: Headcounts::default(),
            zone: zone.clone(),
        }
    }

    /// A replay as of `t` with no event chosen is about the next event then, as the default
    /// is about the next one after the latest signup (a hotel log replayed as of 20 August
    /// forecast its last arrival date in October). An event of dates only is "next" until its
    /// day is over (an appointment book replayed as of noon is about that day, whose
    /// same-day bookings still come). The event being planned stays in focus.
    pub fn focus_next_after(&mut self, t: i64) {
        if self.events.planned().is_some() {
            return;
        }
        if let Some(i) = self
            .events
            .events
            .iter()
            .position(|e| e.start.is_some_and(|s| s + e.grace() > t))
        {
            self.focus = Some(i);
        }
    }

    pub fn focus_event(&self) -> Option<&EventDef> {
        self.focus.and_then(|i| self.events.events.get(i))
    }

    /// Sets the door counts per local day (and group) and makes every counted day of a series
    /// that has no registration an event of its own, with no rows: a restaurant night nobody
    /// reserved for still drew its guests, and a series without it would learn its walk-ins
    /// and its usual size from the nights with reservations only (in a public restaurant log,
    /// most counted store-nights had none). Events added for earlier counts are replaced; the
    /// focus stays on its event. `rejected` is how many rows of the counts' files could not
    /// be read (left out), for [`DayCountsPlaced`] to say.
    pub fn set_day_counts(
        &mut self,
        counts: Vec<(i64, String, u64)>,
        rejected: usize,
    ) -> DayCountsPlaced {
        let wanted = self
            .focus_event()
            .map(|e| (e.label.clone(), e.group.clone()));
        self.events.events.retain(|e| !e.counted_only());
        let series = self.events.is_series();
        let grouped = self.events.events.iter().any(|e| !e.group.is_empty());
        let mut days = rustc_hash::FxHashSet::default();
        let mut pairs = rustc_hash::FxHashSet::default();
        for e in &self.events.events {
            if let Some(s) = e.start {
                let day = crate::timefmt::local_day(s, &self.zone);
                days.insert(day);
                pairs.insert((day, group_key(&e.group)));
            }
        }
        let mut placed = DayCountsPlaced {
            counts: counts.len(),
            rejected,
            ..DayCountsPlaced::default()
        };
        let mut added = rustc_hash::FxHashSet::default();
        for (day, group, _) in &counts {
            let group = if grouped { group.trim() } else { "" };
            let known = if group.is_empty() {
                days.contains(day)
            } else {
                pairs.contains(&(*day, group_key(group)))
            };
            if known {
                placed.matched += 1;
            } else if !series || (grouped && group.is_empty()) {
                placed.unplaced += 1;
            } else if added.insert((*day, group_key(group))) {
                let date = crate::timefmt::day_label(*day);
                self.events.events.push(EventDef {
                    label: if group.is_empty() {
                        date
                    } else {
                        format!("{date} · {group}")
                    },
                    start: Some(crate::timefmt::day_start(*day, &self.zone)),
                    group: group.to_string(),
                    date_only: true,
                    rows: Selection::Rows(Vec::new()),
                    planned: false,
                });
                placed.added += 1;
            } else {
                // A second count of an added day: the first one stands, as for any event.
                placed.matched += 1;
            }
        }
        self.sort_keeping_focus(wanted);
        self.headcounts.by_day = counts;
        self.headcounts.placed = placed;
        placed
    }
}

impl Scope {
    /// Adds the nights to come that nobody has booked yet ([`Scope::set_day_counts`] first):
    /// the report and the app list and forecast them; a backtest, which needs outcomes, does
    /// not. For each group (a store) still
    /// counted in the last [`STILL_COUNTED_DAYS`] of the counts, every day up to the last
    /// booked night of the series (at least [`EXPECTED_DAYS_MIN`] and at most
    /// [`EXPECTED_DAYS_MAX`] days after the last count) whose weekday the group was counted
    /// on in at least half the weeks of its last [`OPEN_WEEKS`]. A restaurant's guests mostly
    /// walk in, so a night without a reservation is still a night to plan for; a series of
    /// irregular events (a yearly conference) has no such weekday and gets none. Returns how
    /// many were added.
    pub fn expect_nights(&mut self) -> usize {
        let counts = &self.headcounts.by_day;
        let grouped = self.events.events.iter().any(|e| !e.group.is_empty());
        let Some(last) = counts.iter().map(|c| c.0).max() else {
            return 0;
        };
        if !self.events.is_series() {
            return 0;
        }
        let mut by_group: FxHashMap<String, (String, Vec<i64>)> = FxHashMap::default();
        for (day, group, _) in counts {
            let group = if grouped { group.trim() } else { "" };
            if grouped && group.is_empty() {
                continue;
            }
            by_group
                .entry(group_key(group))
                .or_insert_with(|| (group.to_string(), Vec::new()))
                .1
                .push(*day);
        }
        let mut taken = rustc_hash::FxHashSet::default();
        let mut last_booked = last;
        for e in &self.events.events {
            if let Some(s) = e.start {
                let day = crate::timefmt::local_day(s, &self.zone);
                taken.insert((day, group_key(&e.group)));
                last_booked = last_booked.max(day);
            }
        }
        let end = last_booked.clamp(last + EXPECTED_DAYS_MIN, last + EXPECTED_DAYS_MAX);
        let weekday = |d: i64| (d + 3).rem_euclid(7) as usize;
        let mut groups: Vec<_> = by_group.into_iter().collect();
        groups.sort_by(|a, b| a.0.cmp(&b.0));
        let mut added = Vec::new();
        for (key, (group, days)) in groups {
            let (Some(&first), Some(&own_last)) = (days.iter().min(), days.iter().max()) else {
                continue;
            };
            let from = own_last - 7 * OPEN_WEEKS + 1;
            let weeks = ((own_last - first.max(from)) / 7 + 1).min(OPEN_WEEKS);
            if own_last < last - STILL_COUNTED_DAYS + 1 || weeks < OPEN_WEEKS_MIN {
                continue;
            }
            let mut seen = [0i64; 7];
            let mut distinct = rustc_hash::FxHashSet::default();
            for &d in days.iter().filter(|&&d| d >= from) {
                if distinct.insert(d) {
                    seen[weekday(d)] += 1;
                }
            }
            for day in last + 1..=end {
                if 2 * seen[weekday(day)] < weeks || !taken.insert((day, key.clone())) {
                    continue;
                }
                let date = crate::timefmt::day_label(day);
                added.push(EventDef {
                    label: if group.is_empty() {
                        date
                    } else {
                        format!("{date} · {group}")
                    },
                    start: Some(crate::timefmt::day_start(day, &self.zone)),
                    group: group.clone(),
                    date_only: true,
                    rows: Selection::Rows(Vec::new()),
                    planned: false,
                });
            }
        }
        let n = added.len();
        if n > 0 {
            let wanted = self
                .focus_event()
                .map(|e| (e.label.clone(), e.group.clone()));
            self.events.events.extend(added);
            self.sort_keeping_focus(wanted);
        }
        self.headcounts.placed.expected += n;
        n
    }
}

/// A group counted within this many days of the last count is still open.
pub const STILL_COUNTED_DAYS: i64 = 14;
/// Weeks of a group's counts that say which weekdays it opens, at most and at least (a
/// store counted for less than four weeks has no week to go by yet).
pub const OPEN_WEEKS: i64 = 8;
pub const OPEN_WEEKS_MIN: i64 = 4;
/// Days after the last count for which nights without a booking are added, at least and at
/// most (beyond the last booked night of the series, none).
pub const EXPECTED_DAYS_MIN: i64 = 7;
pub const EXPECTED_DAYS_MAX: i64 = 62;

/// The latest signup, check-in or cancellation time in the files, or start of an event
/// somebody is recorded to have come to (a restaurant book's `Seated` tonight, with no time
/// of its own): when they were exported, as near as the data can tell.
pub fn data_end(data: &Dataset) -> Option<i64> {
    data.tables
        .iter()
        .flat_map(|t| {
            let r = &t.rows;
            let ci = r.checked_in.iter().flatten().copied();
            let attended = r.event_at.iter().flat_map(move |e| {
                e.iter()
                    .enumerate()
                    .filter(move |&(i, _)| r.came(i))
                    .map(|(_, &at)| at)
            });
            let cancelled = r.cancelled_at.iter().flatten().copied();
            r.registered_at
                .iter()
                .copied()
                .chain(ci)
                .chain(cancelled)
                .chain(attended)
        })
        .filter(|&t| t != NO_TIME && t != crate::dataset::CHECKED_IN_UNKNOWN_TIME)
        .max()
}

fn default_focus(events: &Events, data: &Dataset) -> Option<usize> {
    if let Some(p) = events.planned() {
        return Some(p);
    }
    let now = data_end(data)?;
    events
        .events
        .iter()
        .position(|e| e.start.is_some_and(|s| s + e.grace() > now))
        .or_else(|| events.events.iter().rposition(|e| e.start.is_some()))
}
