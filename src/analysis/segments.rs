//! What a registration's show-up depends on, as far as an export can tell: ticket type, free or
//! paid, whether the person lives in the venue's region, where they heard of the event,
//! whether they registered for an earlier edition, and how far ahead they signed up.
//!
//! Every dimension is optional. A log that holds only a registration time and whether the
//! person came has one segment ("All registrations") split by lead time.

use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;

use super::identity::normalize_email;
use crate::dataset::{Dataset, Edition, NO_TIME, Rows, Table};
use crate::import::Role;

/// Whether a registrant lives in the venue's region.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
#[repr(u8)]
pub enum Home {
    Local = 0,
    Away = 1,
    /// No region column, or an empty cell.
    Unknown = 2,
}

/// Lead-time buckets: days between signing up and the event start.
pub const LEAD_NAMES: [&str; LEADS] = [
    "less than a day ahead",
    "1–2 days ahead",
    "3–6 days ahead",
    "7–13 days ahead",
    "14–29 days ahead",
    "30+ days ahead",
    "lead time unknown",
];
pub const LEADS: usize = 7;
/// Bucket for rows whose lead time is unknown (no event start).
pub const LEAD_UNKNOWN: usize = 6;

/// The bucket for a registration `seconds_ahead` of the event start.
pub fn lead_bucket(seconds_ahead: i64) -> usize {
    match seconds_ahead.max(0) / 86_400 {
        0 => 0,
        1..=2 => 1,
        3..=6 => 2,
        7..=13 => 3,
        14..=29 => 4,
        _ => 5,
    }
}

/// The dimensions that define a segment (lead time is kept apart: it depends on the event
/// start, which the user may still move).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct SegmentKey {
    /// Empty when the export has no ticket type.
    pub ticket_type: String,
    pub free: bool,
    pub home: Home,
    /// Empty when the export has no source column.
    pub source: String,
    /// Registered for an earlier edition too (same normalized e-mail).
    pub repeat: bool,
}

/// The name of a segment without a ticket type (a lodging's log shows it as "All bookings":
/// [`crate::dataset::Words::segment`]).
pub const ALL_REGISTRATIONS: &str = "All registrations";

impl SegmentKey {
    /// A readable name: `General Admission · free · local · via Facebook · returning`.
    pub fn name(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        parts.push(if self.ticket_type.is_empty() {
            ALL_REGISTRATIONS.to_string()
        } else {
            self.ticket_type.clone()
        });
        parts.push(if self.free { "free" } else { "paid" }.to_string());
        match self.home {
            Home::Local => parts.push("local".to_string()),
            Home::Away => parts.push("from elsewhere".to_string()),
            Home::Unknown => {}
        }
        if !self.source.is_empty() {
            parts.push(format!("via {}", self.source));
        }
        if self.repeat {
            parts.push("returning".to_string());
        }
        parts.join(" · ")
    }
}

/// Per-row facts that take a pass over text columns; computed once per dataset.
#[derive(Clone, Debug, Default)]
pub struct TableTraits {
    pub home: Vec<Home>,
    pub repeat: Vec<bool>,
    /// The region counted as local for this table ("" = unknown).
    pub home_region: String,
}

/// Home regions only (nobody counted as returning): cheap, for the first frame while the
/// full [`table_traits`] runs on a thread.
pub fn home_traits(data: &Dataset, venue_region: &str) -> Vec<TableTraits> {
    traits(data, venue_region, false)
}

/// Home and repeat facts for every table. `venue_region` (may be empty) names the current
/// event's region; past editions' regions are where most of their attendees came from.
pub fn table_traits(data: &Dataset, venue_region: &str) -> Vec<TableTraits> {
    traits(data, venue_region, true)
}

fn traits(data: &Dataset, venue_region: &str, with_repeats: bool) -> Vec<TableTraits> {
    let current_region = if venue_region.trim().is_empty() {
        most_common_region(data.current().map(|(_, t)| t), false)
    } else {
        venue_region.trim().to_string()
    };
    // Identities of each past edition, in event order, for "registered before".
    let mut past: Vec<(i64, u16)> = data
        .history()
        .map(|(i, t)| (edition_start(t).unwrap_or(i64::MIN), i))
        .collect();
    past.sort();
    let identities: Vec<(u16, FxHashSet<u64>)> = past
        .iter()
        .map(|&(_, i)| {
            let set = if with_repeats {
                identity_set(&data.tables[i as usize].rows)
            } else {
                FxHashSet::default()
            };
            (i, set)
        })
        .collect();
    let any_identity = with_repeats && identities.iter().any(|(_, s)| !s.is_empty());
    data.tables
        .iter()
        .enumerate()
        .map(|(ti, t)| {
            let region = match t.edition {
                Edition::Current => current_region.clone(),
                Edition::Past { .. } => most_common_region(std::iter::once(t), true),
            };
            let home = homes(&t.rows, &region);
            let earlier: Vec<&FxHashSet<u64>> = match t.edition {
                Edition::Current => identities.iter().map(|(_, s)| s).collect(),
                Edition::Past { .. } => identities
                    .iter()
                    .take_while(|(i, _)| *i as usize != ti)
                    .map(|(_, s)| s)
                    .collect(),
            };
            let repeat = if any_identity && !earlier.is_empty() {
                repeats(&t.rows, &earlier)
            } else {
                vec![false; t.rows.len()]
            };
            TableTraits {
                home,
                repeat,
                home_region: region,
            }
        })
        .collect()
}

/// The event start of a past edition: as given, else the most common per-row event time,
/// else the first full hour after the median check-in (people check in before the start).
pub fn edition_start(t: &Table) -> Option<i64> {
    if let Edition::Past {
        event_start: Some(s),
    } = t.edition
    {
        return Some(s);
    }
    infer_event_start(&t.rows)
}

/// The event start a table's own columns imply: the most common per-row event time, else the
/// first full hour after the median check-in time.
pub fn infer_event_start(r: &Rows) -> Option<i64> {
    if let Some(ev) = &r.event_at {
        let mut counts: FxHashMap<i64, u32> = FxHashMap::default();
        for &t in ev.iter().filter(|&&t| t != NO_TIME) {
            *counts.entry(t).or_default() += 1;
        }
        if let Some((t, _)) = counts.into_iter().max_by_key(|&(t, n)| (n, -t)) {
            return Some(t);
        }
    }
    let ci = r.checked_in.as_ref()?;
    let mut times: Vec<i64> = ci
        .iter()
        .copied()
        .filter(|&t| t != NO_TIME && t != crate::dataset::CHECKED_IN_UNKNOWN_TIME)
        .collect();
    if times.is_empty() {
        return None;
    }
    let mid = times.len() / 2;
    let (_, &mut median, _) = times.select_nth_unstable(mid);
    Some((median + 3599).div_euclid(3600) * 3600)
}

fn most_common_region<'a>(tables: impl Iterator<Item = &'a Table>, came_only: bool) -> String {
    let mut counts: FxHashMap<String, u64> = FxHashMap::default();
    let mut came_counts: FxHashMap<String, u64> = FxHashMap::default();
    for t in tables {
        let r = &t.rows;
        let Some(col) = r.text(Role::Region) else {
            continue;
        };
        let active = |i: usize| r.status[i].is_active();
        tally(col, &mut counts, active);
        if came_only {
            tally(col, &mut came_counts, |i| active(i) && r.came(i));
        }
    }
    let pick = if came_only && !came_counts.is_empty() {
        came_counts
    } else {
        counts
    };
    pick.into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(&a.0)))
        .map(|(k, _)| k)
        .unwrap_or_default()
}

/// Adds the rows of `col` that `keep` picks to `counts`, by upper-cased non-empty value
/// (per category code for categorical columns, so each distinct value is folded once).
fn tally(
    col: &crate::dataset::TextColumn,
    counts: &mut FxHashMap<String, u64>,
    keep: impl Fn(usize) -> bool,
) {
    let mut add = |v: &str, n: u64| {
        let v = v.trim();
        if !v.is_empty() && n > 0 {
            *counts.entry(v.to_uppercase()).or_default() += n;
        }
    };
    match col.as_categorical() {
        Some(cat) => {
            let mut per_code = vec![0u64; cat.values().len()];
            for (i, &c) in cat.codes().iter().enumerate() {
                if keep(i) {
                    per_code[c as usize] += 1;
                }
            }
            for (code, n) in per_code.into_iter().enumerate() {
                add(cat.values().get(code), n);
            }
        }
        None => (0..col.len())
            .filter(|&i| keep(i))
            .for_each(|i| add(col.get(i), 1)),
    }
}

fn homes(r: &Rows, region: &str) -> Vec<Home> {
    let Some(col) = r.text(Role::Region).filter(|_| !region.is_empty()) else {
        return vec![Home::Unknown; r.len()];
    };
    if let Some(cat) = col.as_categorical() {
        let by_code: Vec<Home> = cat.values().iter().map(|v| home_of(v, region)).collect();
        return cat.codes().iter().map(|&c| by_code[c as usize]).collect();
    }
    (0..r.len()).map(|i| home_of(col.get(i), region)).collect()
}

fn home_of(value: &str, region: &str) -> Home {
    let v = value.trim();
    if v.is_empty() {
        Home::Unknown
    } else if v.eq_ignore_ascii_case(region) {
        Home::Local
    } else {
        Home::Away
    }
}

fn identity_hash(email: &str) -> Option<u64> {
    if !email.contains('@') {
        return None;
    }
    let (local, domain) = normalize_email(email)?;
    let seed = xxhash_rust::xxh3::xxh3_64(domain.as_bytes());
    Some(xxhash_rust::xxh3::xxh3_64_with_seed(local.as_bytes(), seed))
}

fn identity_set(r: &Rows) -> FxHashSet<u64> {
    let Some(col) = r.text(Role::Email) else {
        return FxHashSet::default();
    };
    (0..r.len())
        .filter_map(|i| identity_hash(col.get(i)))
        .collect()
}

fn repeats(r: &Rows, earlier: &[&FxHashSet<u64>]) -> Vec<bool> {
    use rayon::prelude::*;
    let Some(col) = r.text(Role::Email) else {
        return vec![false; r.len()];
    };
    (0..r.len())
        .into_par_iter()
        .with_min_len(4096)
        .map(|i| identity_hash(col.get(i)).is_some_and(|h| earlier.iter().any(|s| s.contains(&h))))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lead_buckets_cover_every_horizon() {
        assert_eq!(lead_bucket(-5), 0);
        assert_eq!(lead_bucket(3_600), 0);
        assert_eq!(lead_bucket(86_400), 1);
        assert_eq!(lead_bucket(3 * 86_400), 2);
        assert_eq!(lead_bucket(10 * 86_400), 3);
        assert_eq!(lead_bucket(20 * 86_400), 4);
        assert_eq!(lead_bucket(400 * 86_400), 5);
    }

    #[test]
    fn names_read_plainly() {
        let k = SegmentKey {
            ticket_type: String::new(),
            free: true,
            home: Home::Away,
            source: "Facebook".into(),
            repeat: true,
        };
        assert_eq!(
            k.name(),
            "All registrations · free · from elsewhere · via Facebook · returning"
        );
    }

    #[test]
    fn demo_editions_know_their_home_and_start() {
        let demo = crate::demo::Demo::generate(&crate::demo::DemoConfig {
            rows: 3_000,
            seed: 4,
            ..Default::default()
        });
        let traits = table_traits(&demo.dataset, "");
        assert_eq!(traits[0].home_region, "OK");
        assert!(traits[0].home.contains(&Home::Local));
        assert!(traits[0].home.contains(&Home::Away));
        for (i, t) in demo.dataset.history() {
            assert!(edition_start(t).is_some(), "{}", t.label);
            assert!(!traits[i as usize].home_region.is_empty());
            // Without the given start, check-ins still place the event within the hour.
            let inferred = infer_event_start(&t.rows).unwrap();
            assert!(
                (inferred - edition_start(t).unwrap()).abs() <= 3_600,
                "{}",
                t.label
            );
        }
    }
}
