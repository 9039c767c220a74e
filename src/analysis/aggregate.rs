//! One pass over the rows into small tables every later computation reads: tickets per hour
//! and segment, per category, and what past editions say about who came.
//!
//! Built once per dataset (or mapping) change; moving a slider never touches the rows again.

use crate::dataset::{Categorical, Dataset, Edition, NO_TIME};
use crate::import::Role;

/// Hours are counted from this many seconds after 1970 (the first signup's hour).
const HOUR: i64 = 3600;

/// A group of registrations that share a show-up rate.
#[derive(Clone, Debug, PartialEq)]
pub struct Segment {
    /// What the segment is, e.g. `General Admission`.
    pub name: String,
    /// Whether its tickets cost nothing (free events lose more registrants).
    pub free: bool,
    /// Active tickets in the segment (dated or not), excluding flagged ones.
    pub tickets: u64,
}

/// A past edition as the forecast needs it.
#[derive(Clone, Debug, PartialEq)]
pub struct EditionStats {
    pub label: String,
    pub event_start: Option<i64>,
    pub registrations: u64,
    /// Tickets whose holders came; `None` without check-in data.
    pub came: Option<u64>,
    /// Registrations by day before the event (index 0 = event day), cumulative from the far end.
    pub curve_by_days_before: Vec<u64>,
}

/// Counts of the event being planned and its past editions.
#[derive(Clone, Debug, Default)]
pub struct Aggregates {
    /// UTC second of the start of hour 0.
    pub hour0: i64,
    /// `hourly[h][s]`: active, unflagged tickets registered in hour `h` in segment `s`.
    pub hourly: Vec<Vec<u32>>,
    /// Flagged active tickets per hour.
    pub flagged_hourly: Vec<u32>,
    pub segments: Vec<Segment>,
    /// Active tickets without a registration time, per segment.
    pub undated: Vec<u64>,
    pub flagged_total: u64,
    /// Tickets per ticket type and per source (descending).
    pub by_ticket_type: Vec<(String, u64)>,
    pub by_source: Vec<(String, u64)>,
    pub history: Vec<EditionStats>,
    /// Rows in the event's tables.
    pub rows: u64,
}

/// Which rows are flagged as fake or coordinated: one mask per table (empty = none).
pub type FlagMasks = Vec<Vec<bool>>;

impl Aggregates {
    /// Builds the counts. `flags[table][row]` marks flagged rows (missing entries: not flagged).
    pub fn build(data: &Dataset, flags: &[Vec<bool>]) -> Aggregates {
        let mut agg = Aggregates::default();
        let first = data
            .current()
            .flat_map(|(_, t)| t.rows.registered_at.iter().copied())
            .filter(|&t| t != NO_TIME)
            .min();
        let last = data
            .current()
            .flat_map(|(_, t)| t.rows.registered_at.iter().copied())
            .filter(|&t| t != NO_TIME)
            .max();
        if let (Some(first), Some(last)) = (first, last) {
            agg.hour0 = first.div_euclid(HOUR) * HOUR;
            let hours = ((last - agg.hour0) / HOUR + 1) as usize;
            agg.hourly = vec![Vec::new(); hours];
            agg.flagged_hourly = vec![0; hours];
        }
        let mut seg_index: Vec<(String, bool)> = Vec::new();
        let mut ticket_types: Vec<(String, u64)> = Vec::new();
        let mut sources: Vec<(String, u64)> = Vec::new();
        for (ti, table) in data.current() {
            let r = &table.rows;
            agg.rows += r.len() as u64;
            let mask = flags.get(ti as usize);
            let types = r.text(Role::TicketType).and_then(|c| c.as_categorical());
            let source = r.text(Role::Source).and_then(|c| c.as_categorical());
            // Per table: (ticket type code, free) → segment, and tickets per category code.
            let mut local_segment: Vec<[Option<usize>; 2]> = Vec::new();
            let mut type_counts: Vec<u64> = vec![0; types.map_or(0, |c| c.values().len())];
            let mut source_counts: Vec<u64> = vec![0; source.map_or(0, |c| c.values().len())];
            for i in 0..r.len() {
                if !r.status[i].is_active() {
                    continue;
                }
                let q = r.quantity[i];
                let t = r.registered_at[i];
                if mask.is_some_and(|m| m.get(i).copied().unwrap_or(false)) {
                    agg.flagged_total += q as u64;
                    if t != NO_TIME {
                        agg.flagged_hourly[((t - agg.hour0) / HOUR) as usize] += q;
                    }
                    continue;
                }
                let code = types.map_or(0, |c| c.code(i) as usize);
                let free = r
                    .price
                    .as_ref()
                    .is_none_or(|p| p[i].is_nan() || p[i] <= 0.0);
                if local_segment.len() <= code {
                    local_segment.resize(code + 1, [None; 2]);
                }
                let s = match local_segment[code][free as usize] {
                    Some(s) => s,
                    None => {
                        let name = types
                            .map(|c| c.values().get(code).trim())
                            .filter(|n| !n.is_empty())
                            .unwrap_or("All registrations")
                            .to_string();
                        let key = (name, free);
                        let s = match seg_index.iter().position(|k| *k == key) {
                            Some(s) => s,
                            None => {
                                seg_index.push(key);
                                agg.undated.push(0);
                                seg_index.len() - 1
                            }
                        };
                        local_segment[code][free as usize] = Some(s);
                        s
                    }
                };
                if t == NO_TIME {
                    agg.undated[s] += q as u64;
                } else {
                    let h = &mut agg.hourly[((t - agg.hour0) / HOUR) as usize];
                    if h.len() <= s {
                        h.resize(s + 1, 0);
                    }
                    h[s] += q;
                }
                if let Some(c) = types {
                    type_counts[c.code(i) as usize] += q as u64;
                }
                if let Some(c) = source {
                    source_counts[c.code(i) as usize] += q as u64;
                }
            }
            if let Some(c) = types {
                merge_counts(&mut ticket_types, c, &type_counts);
            }
            if let Some(c) = source {
                merge_counts(&mut sources, c, &source_counts);
            }
        }
        let n = seg_index.len();
        for h in &mut agg.hourly {
            h.resize(n, 0);
        }
        agg.segments = seg_index
            .into_iter()
            .enumerate()
            .map(|(s, (name, free))| Segment {
                name,
                free,
                tickets: agg.hourly.iter().map(|h| h[s] as u64).sum::<u64>() + agg.undated[s],
            })
            .collect();
        ticket_types.sort_by_key(|t| std::cmp::Reverse(t.1));
        sources.sort_by_key(|t| std::cmp::Reverse(t.1));
        agg.by_ticket_type = ticket_types;
        agg.by_source = sources;
        agg.history = data.history().map(|(_, t)| edition_stats(t)).collect();
        agg
    }

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

    /// Show-up seen in past editions with check-ins: (came, registered).
    pub fn history_show_up(&self) -> Option<(u64, u64)> {
        let (came, regs) = self
            .history
            .iter()
            .filter_map(|e| e.came.map(|c| (c, e.registrations)))
            .fold((0, 0), |(a, b), (c, r)| (a + c, b + r));
        (regs > 0).then_some((came, regs))
    }
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

fn edition_stats(t: &crate::dataset::Table) -> EditionStats {
    let r = &t.rows;
    let event_start = match t.edition {
        Edition::Past { event_start } => event_start,
        Edition::Current => None,
    };
    let mut registrations = 0u64;
    let mut came = 0u64;
    let mut curve = Vec::new();
    for i in 0..r.len() {
        if !r.status[i].is_active() {
            continue;
        }
        let q = r.quantity[i] as u64;
        registrations += q;
        if r.came(i) {
            came += q;
        }
        if let (Some(start), t) = (event_start, r.registered_at[i])
            && t != NO_TIME
            && t <= start
        {
            let d = ((start - t) / 86_400) as usize;
            if curve.len() <= d {
                curve.resize(d + 1, 0);
            }
            curve[d] += q;
        }
    }
    // Cumulative from the far end: curve[d] = registered by d days before the event.
    let mut acc = 0;
    for v in curve.iter_mut().rev() {
        acc += *v;
        *v = acc;
    }
    EditionStats {
        label: t.label.clone(),
        event_start,
        registrations,
        came: r.has_checkins().then_some(came),
        curve_by_days_before: curve,
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
        assert_eq!(flagged.flagged_total, total);
        assert_eq!(flagged.segments.iter().map(|s| s.tickets).sum::<u64>(), 0);
    }
}
