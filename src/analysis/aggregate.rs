//! One pass over the rows into small tables every later computation reads: tickets per hour
//! and segment for the event being planned and for each past edition, what past editions say
//! about who came, and counts per category.
//!
//! Built once per dataset (or flag) change; moving a slider never touches the rows again.

use rustc_hash::FxHashMap;

use super::segments::{
    Home, LEAD_UNKNOWN, LEADS, SegmentKey, TableTraits, edition_start, lead_bucket, table_traits,
};
use crate::dataset::{Categorical, Dataset, NO_TIME, Table};
use crate::import::Role;

const HOUR: i64 = 3600;
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

    fn add(&mut self, t: i64, s: usize, q: u32) {
        if t == NO_TIME {
            if self.undated.len() <= s {
                self.undated.resize(s + 1, 0);
            }
            self.undated[s] += q as u64;
            return;
        }
        let h = &mut self.hourly[((t - self.hour0) / HOUR) as usize];
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

    fn spanning<'a>(tables: impl Iterator<Item = &'a Table>) -> EventCounts {
        let times = tables
            .flat_map(|t| t.rows.registered_at.iter().copied())
            .filter(|&t| t != NO_TIME);
        let (first, last) = times.fold((i64::MAX, i64::MIN), |(a, b), t| (a.min(t), b.max(t)));
        let mut c = EventCounts::default();
        if first <= last {
            c.hour0 = first.div_euclid(HOUR) * HOUR;
            let hours = ((last - c.hour0) / HOUR + 1) as usize;
            c.hourly = vec![Vec::new(); hours];
            c.flagged_hourly = vec![0; hours];
        }
        c
    }
}

/// A past edition as the forecast needs it.
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
    /// Registrations by day before the event (index 0 = event day), cumulative from the far end.
    pub curve_by_days_before: Vec<u64>,
    /// The edition's signups per hour and segment, for backtests.
    pub counts: EventCounts,
    /// `cells[s][lead]` = (tickets registered, tickets that came), for show-up calibration.
    pub cells: Vec<[(u64, u64); LEADS]>,
    /// The region counted as local for this edition.
    pub home_region: String,
}

/// Counts of the event being planned and its past editions.
#[derive(Clone, Debug, Default)]
pub struct Aggregates {
    pub current: EventCounts,
    /// Segments of the event and of its past editions (one list, so rates carry over).
    pub segments: Vec<Segment>,
    /// Tickets per ticket type and per source (descending).
    pub by_ticket_type: Vec<(String, u64)>,
    pub by_source: Vec<(String, u64)>,
    pub history: Vec<EditionStats>,
    /// Rows in the event's tables.
    pub rows: u64,
    /// The region counted as local for the event being planned ("" = unknown).
    pub venue_region: String,
}

/// Which rows are flagged as fake or coordinated: one mask per table (empty = none).
pub type FlagMasks = Vec<Vec<bool>>;

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

fn flagged(flags: &[Vec<bool>], table: usize, row: usize) -> bool {
    flags
        .get(table)
        .is_some_and(|m| m.get(row).copied().unwrap_or(false))
}

impl Aggregates {
    /// Builds the counts. `flags[table][row]` marks flagged rows (missing entries: not flagged).
    /// Works out each table's home region and returning registrants on the way; callers that
    /// re-aggregate often keep [`table_traits`] and call [`Aggregates::build_with`].
    pub fn build(data: &Dataset, flags: &[Vec<bool>]) -> Aggregates {
        Aggregates::build_with(data, flags, &table_traits(data, ""))
    }

    pub fn build_with(data: &Dataset, flags: &[Vec<bool>], traits: &[TableTraits]) -> Aggregates {
        let mut agg = Aggregates {
            current: EventCounts::spanning(data.current().map(|(_, t)| t)),
            ..Aggregates::default()
        };
        let empty = TableTraits::default();
        let traits_of = |ti: u16| traits.get(ti as usize).unwrap_or(&empty);
        let mut index = SegmentIndex::default();
        let mut ticket_types: Vec<(String, u64)> = Vec::new();
        let mut sources: Vec<(String, u64)> = Vec::new();
        for (ti, table) in data.current() {
            let r = &table.rows;
            agg.rows += r.len() as u64;
            if agg.venue_region.is_empty() {
                agg.venue_region = traits_of(ti).home_region.clone();
            }
            let mut seg = TableSegments::new(table, traits_of(ti));
            let mut type_counts = vec![0u64; seg.types.map_or(0, |c| c.values().len())];
            let mut source_counts = vec![0u64; seg.sources.map_or(0, |c| c.values().len())];
            let c = &mut agg.current;
            for i in 0..r.len() {
                if !r.status[i].is_active() {
                    continue;
                }
                let q = r.quantity[i];
                let t = r.registered_at[i];
                if flagged(flags, ti as usize, i) {
                    c.flagged_total += q as u64;
                    if t != NO_TIME {
                        c.flagged_hourly[((t - c.hour0) / HOUR) as usize] += q;
                    }
                    continue;
                }
                let s = seg.segment(i, &mut index);
                c.add(t, s, q);
                if let Some(col) = seg.types {
                    type_counts[col.code(i) as usize] += q as u64;
                }
                if let Some(col) = seg.sources {
                    source_counts[col.code(i) as usize] += q as u64;
                }
            }
            if let Some(col) = seg.types {
                merge_counts(&mut ticket_types, col, &type_counts);
            }
            if let Some(col) = seg.sources {
                merge_counts(&mut sources, col, &source_counts);
            }
        }
        agg.history = data
            .history()
            .map(|(ti, t)| edition_stats(t, ti as usize, flags, traits_of(ti), &mut index))
            .collect();
        let n = index.keys.len();
        agg.current.pad(n);
        for e in &mut agg.history {
            e.counts.pad(n);
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
        ticket_types.sort_by_key(|t| std::cmp::Reverse(t.1));
        sources.sort_by_key(|t| std::cmp::Reverse(t.1));
        agg.by_ticket_type = ticket_types;
        agg.by_source = sources;
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

/// Adds per-code counts of a categorical column into a name → count list.
fn merge_counts(list: &mut Vec<(String, u64)>, column: &Categorical, counts: &[u64]) {
    for (code, &n) in counts.iter().enumerate().filter(|(_, n)| **n > 0) {
        let name = column.values().get(code).trim();
        let name = if name.is_empty() { "(none)" } else { name };
        match list.iter_mut().find(|(k, _)| k == name) {
            Some((_, total)) => *total += n,
            None => list.push((name.to_string(), n)),
        }
    }
}

fn edition_stats(
    t: &Table,
    ti: usize,
    flags: &[Vec<bool>],
    traits: &TableTraits,
    index: &mut SegmentIndex,
) -> EditionStats {
    let r = &t.rows;
    let given = matches!(
        t.edition,
        crate::dataset::Edition::Past {
            event_start: Some(_)
        }
    );
    let event_start = edition_start(t);
    let mut counts = EventCounts::spanning(std::iter::once(t));
    let mut cells: Vec<[(u64, u64); LEADS]> = Vec::new();
    let mut seg = TableSegments::new(t, traits);
    let (mut registrations, mut came) = (0u64, 0u64);
    let mut curve: Vec<u64> = Vec::new();
    for i in 0..r.len() {
        if !r.status[i].is_active() {
            continue;
        }
        let q = r.quantity[i];
        let at = r.registered_at[i];
        if flagged(flags, ti, i) {
            counts.flagged_total += q as u64;
            if at != NO_TIME {
                counts.flagged_hourly[((at - counts.hour0) / HOUR) as usize] += q;
            }
            continue;
        }
        let s = seg.segment(i, index);
        counts.add(at, s, q);
        let came_here = r.came(i);
        registrations += q as u64;
        came += if came_here { q as u64 } else { 0 };
        // Lead time: to the row's own event time (appointment books), else the edition's.
        let start = r
            .event_at
            .as_ref()
            .map(|e| e[i])
            .filter(|&e| e != NO_TIME)
            .or(event_start);
        let lead = match start {
            Some(s) if at != NO_TIME => lead_bucket(s - at),
            _ => LEAD_UNKNOWN,
        };
        if cells.len() <= s {
            cells.resize(s + 1, [(0, 0); LEADS]);
        }
        cells[s][lead].0 += q as u64;
        if came_here {
            cells[s][lead].1 += q as u64;
        }
        if let Some(start) = event_start
            && at != NO_TIME
            && at <= start
        {
            let d = ((start - at) / 86_400) as usize;
            if curve.len() <= d {
                curve.resize(d + 1, 0);
            }
            curve[d] += q as u64;
        }
    }
    // Cumulative from the far end: curve[d] = registered by d days before the event.
    let mut acc = 0;
    for v in curve.iter_mut().rev() {
        acc += *v;
        *v = acc;
    }
    let has_checkins = r.has_checkins();
    EditionStats {
        label: t.label.clone(),
        event_start,
        start_inferred: event_start.is_some() && !given,
        registrations,
        came: has_checkins.then_some(came),
        curve_by_days_before: curve,
        counts,
        cells: if has_checkins { cells } else { Vec::new() },
        home_region: traits.home_region.clone(),
    }
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
        let all = vec![vec![true; rally.len()]];
        let flagged = Aggregates::build(&demo.dataset, &all);
        assert_eq!(flagged.current.flagged_total, total);
        assert_eq!(flagged.segments.iter().map(|s| s.tickets).sum::<u64>(), 0);
    }
}
