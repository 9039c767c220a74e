//! One pass over the rows into small tables every later computation reads: tickets per hour
//! and segment for the event being planned and for each past edition, what past editions say
//! about who came, and counts per category.
//!
//! Built once per dataset (or flag) change; moving a slider never touches the rows again.

use rustc_hash::FxHashMap;

use jiff::tz::TimeZone;

use super::flags::RowState;
pub use super::scope::{DayCountsPlaced, Headcounts, Scope, data_end};
use super::segments::{Home, LEADS, SegmentKey, TableTraits, table_traits};
use super::series::{Reg, Series, SeriesEvent, UNDATED, lead_of};
use crate::dataset::{Categorical, Dataset, EventDef, NO_TIME, Table};
use crate::import::{Role, Status};

const HOUR: i64 = 3600;
/// Longest signup period drawn hour by hour: three years.
pub const MAX_SPAN_HOURS: i64 = 3 * 366 * 24;
/// Flagged signups per genuine one that mark an hour as a coordinated burst.
pub const SWAMPED: u64 = 10;

/// A group of registrations that share a show-up rate (before lead time).
#[derive(Clone, Debug, PartialEq)]
pub struct Segment {
    pub key: SegmentKey,
    /// What the segment is, e.g. `General Admission · free · local`.
    pub name: String,
    /// Whether its tickets cost nothing (free events lose more registrants).
    pub free: bool,
    /// Active, unflagged tickets of the event being planned in the segment (dated or not).
    pub tickets: u64,
}

/// Tickets per hour and segment of one event.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EventCounts {
    /// UTC second of the start of hour 0 (the first signup's hour).
    pub hour0: i64,
    /// `hourly[h][s]`: active, unflagged tickets registered in hour `h` in segment `s`.
    pub hourly: Vec<Vec<u32>>,
    /// Flagged active tickets per hour.
    pub flagged_hourly: Vec<u32>,
    /// Active unflagged tickets without a registration time, per segment.
    pub undated: Vec<u64>,
    pub flagged_total: u64,
}

impl EventCounts {
    pub fn hours(&self) -> usize {
        self.hourly.len()
    }

    /// UTC second at the start of hour `h`.
    pub fn hour_start(&self, h: usize) -> i64 {
        self.hour0 + h as i64 * HOUR
    }

    /// Hour index holding instant `t` (clamped to the data).
    pub fn hour_of(&self, t: i64) -> usize {
        (((t - self.hour0).max(0)) / HOUR).min(self.hours() as i64) as usize
    }

    /// Unflagged active tickets per segment registered before `as_of` (plus undated ones).
    pub fn by_segment_until(&self, as_of: i64) -> Vec<u64> {
        let end = self.hour_of(as_of);
        let mut out = self.undated.clone();
        for h in &self.hourly[..end] {
            for (o, &c) in out.iter_mut().zip(h) {
                *o += c as u64;
            }
        }
        out
    }

    /// Flagged active tickets registered before `as_of`.
    pub fn flagged_until(&self, as_of: i64) -> u64 {
        let end = self.hour_of(as_of);
        self.flagged_hourly[..end].iter().map(|&c| c as u64).sum()
    }

    /// Unflagged tickets registered in `[from, to)`, all segments.
    pub fn between(&self, from: i64, to: i64) -> u64 {
        let (a, b) = (self.hour_of(from), self.hour_of(to));
        self.hourly[a..b.max(a)]
            .iter()
            .map(|h| h.iter().map(|&c| c as u64).sum::<u64>())
            .sum()
    }

    /// Flagged tickets registered in `[from, to)`.
    pub fn flagged_between(&self, from: i64, to: i64) -> u64 {
        let (a, b) = (self.hour_of(from), self.hour_of(to));
        self.flagged_hourly[a..b.max(a)]
            .iter()
            .map(|&c| c as u64)
            .sum()
    }

    /// Like [`EventCounts::between`], but hours swamped by flagged signups (a coordinated
    /// burst: at least [`SWAMPED`] flagged per genuine one) count at the rate of the other
    /// hours: the fakes a detector misses come in those hours, and one burst is no pace.
    pub fn pace_between(&self, from: i64, to: i64) -> f64 {
        let (a, b) = (self.hour_of(from), self.hour_of(to));
        if b <= a {
            return 0.0;
        }
        let (mut sum, mut clean) = (0.0, 0usize);
        for h in a..b {
            let g: u64 = self.hourly[h].iter().map(|&c| c as u64).sum();
            let f = self.flagged_hourly[h] as u64;
            if f >= 50 && f >= SWAMPED * g.max(1) {
                continue;
            }
            sum += g as f64;
            clean += 1;
        }
        if clean == 0 {
            return self.between(from, to) as f64;
        }
        sum * (b - a) as f64 / clean as f64
    }

    /// The instant after the last hour with data.
    pub fn end(&self) -> i64 {
        self.hour_start(self.hours())
    }

    /// The hour a signup counts in (signups before the first drawn hour count in it).
    fn index(&self, t: i64) -> usize {
        ((t - self.hour0).max(0) / HOUR) as usize
    }

    fn add(&mut self, t: i64, s: usize, q: u32) {
        if t == NO_TIME {
            if self.undated.len() <= s {
                self.undated.resize(s + 1, 0);
            }
            self.undated[s] += q as u64;
            return;
        }
        let i = self.index(t);
        let h = &mut self.hourly[i];
        if h.len() <= s {
            h.resize(s + 1, 0);
        }
        h[s] += q;
    }

    fn pad(&mut self, segments: usize) {
        for h in &mut self.hourly {
            h.resize(segments, 0);
        }
        self.undated.resize(segments, 0);
    }

    /// Hours from the first signup to the last, at most [`MAX_SPAN_HOURS`] (earlier signups
    /// count in the first hour: one stray date from 1900 must not make a century of hours).
    fn spanning_times(times: &[i64]) -> EventCounts {
        let (first, last) = times
            .iter()
            .fold((i64::MAX, i64::MIN), |(a, b), &t| (a.min(t), b.max(t)));
        let mut c = EventCounts::default();
        if first <= last {
            let first = first.max(last - MAX_SPAN_HOURS * HOUR);
            c.hour0 = first.div_euclid(HOUR) * HOUR;
            let hours = ((last - c.hour0) / HOUR + 1) as usize;
            c.hourly = vec![Vec::new(); hours];
            c.flagged_hourly = vec![0; hours];
        }
        c
    }
}

/// A past event with check-ins, as show-up calibration needs it.
#[derive(Clone, Debug, PartialEq)]
pub struct EditionStats {
    pub label: String,
    /// Given with the file, or inferred from its event-time or check-in column.
    pub event_start: Option<i64>,
    pub start_inferred: bool,
    /// Active unflagged tickets.
    pub registrations: u64,
    /// Tickets whose holders came; `None` without check-in data.
    pub came: Option<u64>,
    /// `cells[s][lead]` = (tickets registered, tickets that came), for show-up calibration.
    pub cells: Vec<[(u64, u64); LEADS]>,
    /// The region counted as local for this edition.
    pub home_region: String,
}

/// Counts of the event in focus, the past events with check-ins, and every event compactly.
#[derive(Clone, Debug, Default)]
pub struct Aggregates {
    /// The event in focus, per hour and segment (the chart and the current counts).
    pub current: EventCounts,
    /// The latest signup or check-in in the files ([`data_end`]): "now" for a series.
    pub data_end: Option<i64>,
    /// Segments of every event (one list, so rates carry over).
    pub segments: Vec<Segment>,
    /// Tickets per ticket type and per source of the event in focus (descending).
    pub by_ticket_type: Vec<(String, u64)>,
    pub by_source: Vec<(String, u64)>,
    /// The same tickets by (table, category code, hour since the epoch) for ticket type
    /// and source, so a replay as of an earlier day can count what was known then
    /// ([`UNDATED_HOUR`] for rows without a time).
    pub category_hours: [FxHashMap<(u16, u32, i64), u64>; 2],
    /// Past events with check-ins before the one in focus, for show-up calibration.
    pub history: Vec<EditionStats>,
    /// Every event, for forecasting from earlier events and for backtests.
    pub series: Series,
    /// The event in focus within `series`.
    pub focus: Option<usize>,
    /// Rows of the event in focus.
    pub rows: u64,
    /// Tickets of the event in focus whose holders came (check-ins in its own files).
    pub checked_in: Option<u64>,
    /// Tickets of the event in focus that repeat a registration already counted (the same
    /// person registering twice): counted once, so left out.
    pub duplicates: u64,
    /// The region counted as local for the event in focus ("" = unknown).
    pub venue_region: String,
    /// What a registration counts: people, or a lodging's bookings.
    pub unit: crate::dataset::Unit,
}

/// How each row counts (flagged as fake or coordinated, a duplicate, or counted): one mask
/// per table (empty = every row counts).
pub type FlagMasks = Vec<Vec<RowState>>;

/// Interns segment keys across tables.
#[derive(Default)]
struct SegmentIndex {
    keys: Vec<SegmentKey>,
    index: FxHashMap<SegmentKey, usize>,
}

impl SegmentIndex {
    fn get(&mut self, key: SegmentKey) -> usize {
        if let Some(&s) = self.index.get(&key) {
            return s;
        }
        self.keys.push(key.clone());
        self.index.insert(key, self.keys.len() - 1);
        self.keys.len() - 1
    }
}

/// Per-table segment lookup: packed (ticket type code, source code, free, home, repeat).
struct TableSegments<'a> {
    types: Option<&'a Categorical>,
    sources: Option<&'a Categorical>,
    price: Option<&'a [f64]>,
    traits: &'a TableTraits,
    cache: FxHashMap<u64, usize>,
}

impl<'a> TableSegments<'a> {
    fn new(t: &'a Table, traits: &'a TableTraits) -> Self {
        let r = &t.rows;
        TableSegments {
            types: r.text(Role::TicketType).and_then(|c| c.as_categorical()),
            sources: r.text(Role::Source).and_then(|c| c.as_categorical()),
            price: r.price.as_deref(),
            traits,
            cache: FxHashMap::default(),
        }
    }

    fn segment(&mut self, i: usize, index: &mut SegmentIndex) -> usize {
        let ty = self.types.map_or(0, |c| c.code(i) as u64);
        let src = self.sources.map_or(0, |c| c.code(i) as u64);
        let free = self.price.is_none_or(|p| p[i].is_nan() || p[i] <= 0.0);
        let home = self.traits.home.get(i).copied().unwrap_or(Home::Unknown);
        let repeat = self.traits.repeat.get(i).copied().unwrap_or(false);
        let packed = ty << 36 | src << 8 | (free as u64) << 4 | (home as u64) << 1 | repeat as u64;
        if let Some(&s) = self.cache.get(&packed) {
            return s;
        }
        let text = |c: Option<&Categorical>, code: u64| {
            c.map(|c| c.values().get(code as usize).trim().to_string())
                .unwrap_or_default()
        };
        let key = SegmentKey {
            ticket_type: text(self.types, ty),
            free,
            home,
            source: text(self.sources, src),
            repeat,
        };
        let s = index.get(key);
        self.cache.insert(packed, s);
        s
    }
}

fn state(flags: &[Vec<RowState>], table: usize, row: usize) -> RowState {
    flags
        .get(table)
        .and_then(|m| m.get(row).copied())
        .unwrap_or_default()
}

impl Aggregates {
    /// Builds the counts with the default scope (the event being planned, or the next event
    /// of a series; series days in UTC). `flags[table][row]` marks flagged rows.
    pub fn build(data: &Dataset, flags: &[Vec<RowState>]) -> Aggregates {
        let scope = Scope::of(data, &TimeZone::UTC);
        Aggregates::build_with(data, flags, &table_traits(data, ""), &scope)
    }

    /// Builds the counts for `scope`. Callers that re-aggregate often keep the
    /// [`table_traits`] (home regions, returning registrants) and pass them in.
    pub fn build_with(
        data: &Dataset,
        flags: &[Vec<RowState>],
        traits: &[TableTraits],
        scope: &Scope,
    ) -> Aggregates {
        let empty = TableTraits::default();
        let traits_of = |ti: u16| traits.get(ti as usize).unwrap_or(&empty);
        let mut index = SegmentIndex::default();
        let mut segs: Vec<TableSegments> = data
            .tables
            .iter()
            .enumerate()
            .map(|(ti, t)| TableSegments::new(t, traits_of(ti as u16)))
            .collect();
        let focus = scope.focus_event();
        let checkins: Vec<bool> = data.tables.iter().map(|t| t.rows.has_checkins()).collect();
        let mut agg = Aggregates {
            focus: scope.focus,
            data_end: data_end(data),
            unit: data.unit(),
            ..Aggregates::default()
        };

        // The event in focus: hourly counts, breakdowns.
        if let Some(ev) = focus {
            let mut times = Vec::new();
            ev.rows.for_each(data, |t, r| {
                let v = data.tables[t as usize].rows.registered_at[r];
                if v != NO_TIME {
                    times.push(v);
                }
            });
            agg.current = EventCounts::spanning_times(&times);
            let mut type_counts: FxHashMap<(u16, u32, i64), u64> = FxHashMap::default();
            let mut source_counts: FxHashMap<(u16, u32, i64), u64> = FxHashMap::default();
            let mut came = 0u64;
            let mut has_checkins = false;
            ev.rows.for_each(data, |ti, i| {
                let table = &data.tables[ti as usize];
                let r = &table.rows;
                agg.rows += 1;
                if agg.venue_region.is_empty() {
                    agg.venue_region = traits_of(ti).home_region.clone();
                }
                has_checkins |= checkins[ti as usize];
                if !r.status[i].is_active() {
                    return;
                }
                let q = r.quantity[i];
                let t = r.registered_at[i];
                let c = &mut agg.current;
                let st = state(flags, ti as usize, i);
                if st == RowState::Duplicate {
                    agg.duplicates += q as u64;
                    return;
                }
                if st == RowState::Flagged {
                    c.flagged_total += q as u64;
                    if t != NO_TIME {
                        let h = c.index(t);
                        c.flagged_hourly[h] += q;
                    }
                    return;
                }
                if r.came(i) {
                    came += q as u64;
                }
                let seg = &mut segs[ti as usize];
                let s = seg.segment(i, &mut index);
                c.add(t, s, q);
                let hour = if t == NO_TIME {
                    UNDATED_HOUR
                } else {
                    t.div_euclid(3600)
                };
                if let Some(col) = seg.types {
                    *type_counts.entry((ti, col.code(i), hour)).or_default() += q as u64;
                }
                if let Some(col) = seg.sources {
                    *source_counts.entry((ti, col.code(i), hour)).or_default() += q as u64;
                }
            });
            agg.checked_in = has_checkins.then_some(came);
            agg.by_ticket_type = named_counts(data, Role::TicketType, &type_counts, None, None);
            agg.by_source = named_counts(data, Role::Source, &source_counts, None, None);
            agg.category_hours = [type_counts, source_counts];
        }

        // Every event, compactly; past ones with check-ins also for calibration.
        let focus_start = focus.and_then(|e| e.start);
        let mut events = Vec::with_capacity(scope.events.events.len());
        let headcounts = scope.headcounts.index();
        for (k, ev) in scope.events.events.iter().enumerate() {
            let is_focus = scope.focus == Some(k);
            let (series_event, stats) = event_data(
                data,
                ev,
                flags,
                traits,
                &checkins,
                (&mut segs, &mut index),
                is_focus,
            );
            let before_focus = match (ev.start, focus_start) {
                (Some(s), Some(f)) => s < f,
                (Some(_), None) => !is_focus,
                _ => false,
            };
            if let Some(stats) = stats.filter(|_| before_focus && !is_focus) {
                agg.history.push(stats);
            }
            let mut series_event = series_event;
            series_event.headcount = headcounts.of(ev, &scope.zone);
            series_event.day = ev.start.map(|s| crate::timefmt::local_day(s, &scope.zone));
            // 1970-01-01 was a Thursday.
            series_event.weekday = series_event.day.map(|d| (d + 3).rem_euclid(7) as u8);
            events.push(series_event);
        }
        agg.series = Series::new(events, scope.events.is_series());

        let n = index.keys.len();
        agg.current.pad(n);
        for e in &mut agg.history {
            e.cells.resize(n, [(0, 0); LEADS]);
        }
        agg.segments = index
            .keys
            .into_iter()
            .enumerate()
            .map(|(s, key)| Segment {
                name: key.name(),
                free: key.free,
                tickets: agg.current.hourly.iter().map(|h| h[s] as u64).sum::<u64>()
                    + agg.current.undated[s],
                key,
            })
            .collect();
        agg
    }

    pub fn hours(&self) -> usize {
        self.current.hours()
    }

    pub fn hour_start(&self, h: usize) -> i64 {
        self.current.hour_start(h)
    }

    pub fn hour_of(&self, t: i64) -> usize {
        self.current.hour_of(t)
    }

    pub fn by_segment_until(&self, as_of: i64) -> Vec<u64> {
        self.current.by_segment_until(as_of)
    }

    pub fn flagged_until(&self, as_of: i64) -> u64 {
        self.current.flagged_until(as_of)
    }

    pub fn between(&self, from: i64, to: i64) -> u64 {
        self.current.between(from, to)
    }

    /// Show-up seen in past editions with check-ins: (came, registered).
    pub fn history_show_up(&self) -> Option<(u64, u64)> {
        pooled_show_up(&self.history)
    }

    /// The event in focus within the series.
    pub fn focus_event(&self) -> Option<&SeriesEvent> {
        self.focus.and_then(|i| self.series.events.get(i))
    }
}

/// Per-code counts of a categorical role over several tables, as (name, tickets), descending.
/// Hour key of rows without a registration time: always counted.
pub const UNDATED_HOUR: i64 = i64::MIN;

impl Aggregates {
    /// Genuine tickets of the event in focus by ticket type or source (descending), counting
    /// only registrations made by `as_of` when given.
    /// With `since`, only registrations made from then (undated ones cannot be placed in a
    /// range and are left out).
    pub fn breakdown(
        &self,
        data: &Dataset,
        role: Role,
        since: Option<i64>,
        as_of: Option<i64>,
    ) -> Vec<(String, u64)> {
        let k = usize::from(role == Role::Source);
        named_counts(data, role, &self.category_hours[k], since, as_of)
    }
}

fn named_counts(
    data: &Dataset,
    role: Role,
    counts: &FxHashMap<(u16, u32, i64), u64>,
    since: Option<i64>,
    as_of: Option<i64>,
) -> Vec<(String, u64)> {
    let mut out: Vec<(String, u64)> = Vec::new();
    for (&(ti, code, hour), &n) in counts {
        if let Some(t) = as_of
            && hour != UNDATED_HOUR
            && hour * 3600 > t
        {
            continue;
        }
        if let Some(t) = since
            && (hour == UNDATED_HOUR || (hour + 1) * 3600 <= t)
        {
            continue;
        }
        let Some(col) = data.tables[ti as usize]
            .rows
            .text(role)
            .and_then(|c| c.as_categorical())
        else {
            continue;
        };
        let name = col.values().get(code as usize).trim();
        let name = if name.is_empty() { "(none)" } else { name };
        match out.iter_mut().find(|(k, _)| k == name) {
            Some((_, total)) => *total += n,
            None => out.push((name.to_string(), n)),
        }
    }
    out.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    out
}

/// The event in focus's signups within a date range: what the range slicer shows.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct RangeCounts {
    /// `[from, to)`, UTC seconds.
    pub from: i64,
    pub to: i64,
    /// Active tickets registered in the range: not flagged, and flagged.
    pub genuine: u64,
    pub flagged: u64,
    /// Active tickets without a registration time, which no range can hold.
    pub undated: u64,
}

impl Aggregates {
    /// Signups of the event in focus from `since` until `to`.
    pub fn range_counts(&self, since: i64, to: i64) -> RangeCounts {
        RangeCounts {
            from: since,
            to,
            genuine: self.current.between(since, to),
            flagged: self.current.flagged_between(since, to),
            undated: self.current.undated.iter().sum(),
        }
    }
}

/// Show-up pooled over the editions with check-ins: (came, registered).
pub fn pooled_show_up<'a>(
    editions: impl IntoIterator<Item = &'a EditionStats>,
) -> Option<(u64, u64)> {
    let (came, regs) = editions
        .into_iter()
        .filter_map(|e| e.came.map(|c| (c, e.registrations)))
        .fold((0, 0), |(a, b), (c, r)| (a + c, b + r));
    (regs > 0).then_some((came, regs))
}

/// One event's compact registrations, and its calibration cells when it has check-ins.
fn event_data(
    data: &Dataset,
    ev: &EventDef,
    flags: &[Vec<RowState>],
    traits: &[TableTraits],
    checkins: &[bool],
    (segs, index): (&mut [TableSegments], &mut SegmentIndex),
    is_focus: bool,
) -> (SeriesEvent, Option<EditionStats>) {
    let start = ev.start;
    let mut regs: Vec<Reg> = Vec::with_capacity(ev.rows.len(data));
    let mut cells: Vec<[(u64, u64); LEADS]> = Vec::new();
    let (mut registrations, mut came) = (0u64, 0u64);
    let mut has_checkins = false;
    let mut home_region = String::new();
    let mut given = false;
    ev.rows.for_each(data, |ti, i| {
        let table = &data.tables[ti as usize];
        let r = &table.rows;
        has_checkins |= checkins[ti as usize];
        given |= matches!(
            table.edition,
            crate::dataset::Edition::Past {
                event_start: Some(_)
            }
        );
        if home_region.is_empty()
            && let Some(t) = traits.get(ti as usize)
        {
            home_region = t.home_region.clone();
        }
        let status = r.status[i];
        let pool = matches!(status, Status::Waitlist | Status::AwaitingApproval);
        let cancelled_time = r
            .cancelled_at
            .as_ref()
            .map(|c| c[i])
            .filter(|&t| t != NO_TIME);
        // A cancelled registration counts until its cancellation, or (time unknown) until
        // the start and as not coming: past and present measured alike.
        let end = match (status, cancelled_time) {
            (Status::Cancelled, Some(t)) => t,
            (Status::Cancelled, None) => i64::MAX,
            _ if status.is_active() || pool => i64::MAX,
            _ => return,
        };
        // A row without a signup time is a registration all the same (alf.io's and many
        // guest lists' exports have none): it stands from before anything dated.
        let at = match r.registered_at[i] {
            NO_TIME => UNDATED,
            t => t,
        };
        let q = r.quantity[i];
        let st = state(flags, ti as usize, i);
        if st == RowState::Duplicate {
            return;
        }
        let is_flagged = st == RowState::Flagged;
        let came_here = status != Status::Cancelled && r.came(i);
        let s = segs[ti as usize].segment(i, index);
        regs.push(Reg {
            t: at,
            held: Reg::held_until(at, end),
            qty: q,
            seg: s as u32,
            came: came_here,
            flagged: is_flagged,
            pool,
            cancelled: status == Status::Cancelled,
        });
        // Calibration counts registrations held at the start: cancelled ones without a time
        // as registrations that did not come, as the forecast counts them.
        if is_flagged || pool || (status == Status::Cancelled && cancelled_time.is_some()) {
            return;
        }
        registrations += q as u64;
        if came_here {
            came += q as u64;
        }
        // Lead time: to the row's own event time (appointment books), else the event's.
        let own = r.event_at.as_ref().map(|e| e[i]).filter(|&e| e != NO_TIME);
        let lead = lead_of(own.or(start), at);
        if cells.len() <= s {
            cells.resize(s + 1, [(0, 0); LEADS]);
        }
        cells[s][lead].0 += q as u64;
        if came_here {
            cells[s][lead].1 += q as u64;
        }
    });
    regs.sort_by_key(|r| r.t);
    let series_event = SeriesEvent {
        label: ev.label.clone(),
        group: ev.group.clone(),
        start,
        grace: ev.grace(),
        regs,
        has_checkins,
        headcount: None,
        focus: is_focus,
        weekday: None,
        day: None,
    };
    let stats = has_checkins.then(|| EditionStats {
        label: ev.label.clone(),
        event_start: start,
        start_inferred: start.is_some() && !given && !ev.planned,
        registrations,
        came: Some(came),
        cells,
        home_region,
    });
    (series_event, stats)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::{Demo, DemoConfig};

    #[test]
    fn counts_add_up() {
        let demo = Demo::generate(&DemoConfig {
            rows: 5_000,
            seed: 3,
            ..DemoConfig::default()
        });
        let agg = Aggregates::build(&demo.dataset, &Vec::new());
        let rally = &demo.dataset.tables[0].rows;
        let total: u64 = agg.segments.iter().map(|s| s.tickets).sum();
        assert_eq!(total, rally.active_tickets());
        assert_eq!(agg.by_segment_until(i64::MAX).iter().sum::<u64>(), total);
        assert_eq!(agg.history.len(), 3);
        assert!(agg.history_show_up().is_some());
        // Flagging every row moves all tickets to the flagged layer.
        let all = vec![vec![RowState::Flagged; rally.len()]];
        let flagged = Aggregates::build(&demo.dataset, &all);
        assert_eq!(flagged.current.flagged_total, total);
        assert_eq!(flagged.segments.iter().map(|s| s.tickets).sum::<u64>(), 0);
    }
}
