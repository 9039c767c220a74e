//! Clusters of look-alike signups, scored as a whole: rows sharing one shape (domain, the
//! shape of the address before the `@`, the shape of the name) in one stretch of time.
//! When most of a cluster already looks fake on its own, every member carries the cluster's
//! evidence, so a wave is flagged together with one explanation even where a member's own
//! signals were missed. A genuine crowd (a TV mention) forms big clusters too, but its
//! members look ordinary, so the cluster lends them nothing.

use super::{Cluster, Fact};
use crate::dataset::NO_TIME;

/// Members a cluster needs before it speaks for them.
pub const MIN_SIZE: usize = 10;
/// Share of members that must look fake on their own.
pub const MIN_SHARE: f32 = 0.5;
/// The most a cluster adds (at a share of 1).
pub const MAX_WEIGHT: f32 = 0.7;
/// A member "looks fake on its own" at this score.
pub const OWN_SCORE: f32 = 0.5;

/// The highest score a wave can give a clean member: just under the usual threshold, so a
/// genuine fan who signed up in the same hour as a wave of look-alikes needs a sign of their
/// own to be flagged (the wave still ranks them first for review).
pub const CLEAN_CEILING: f32 = 0.49;

/// Below this own score a member is "clean": nothing about it looks fake.
pub const CLEAN: f32 = 0.25;

/// Finds clusters among rows with a time. `bucket` is the window in seconds (an hour, or a
/// day when the times are dates). Returns per-row cluster ids (0 = none), the clusters
/// (index 0 unused), and per row the weight the cluster lends it.
///
/// Members with some sign of their own get the cluster's whole weight. Clean members get
/// it only in the measure that the shape is concentrated in these hours beyond what the
/// hours' clean signups would hold anyway: a genuine crowd (every shape rising together) or
/// a shape common all along lends clean members nothing.
pub fn clusters(
    times: &[i64],
    keys: &[u32],
    facts: &[u16],
    own: &[f32],
    bucket: i64,
) -> (Vec<u32>, Vec<Cluster>, Vec<f32>) {
    let n = times.len();
    let mut of_row = vec![0u32; n];
    let mut lent = vec![0f32; 0];
    let mut out = vec![Cluster::default()];
    let mut order: Vec<(u32, i64, u32)> = (0..n)
        .filter(|&i| times[i] != NO_TIME && facts[i] & Fact::HostAdded.bit() == 0)
        .map(|i| (keys[i], times[i].div_euclid(bucket), i as u32))
        .collect();
    if order.len() < MIN_SIZE {
        return (of_row, out, lent);
    }
    rayon::slice::ParallelSliceMut::par_sort_unstable(&mut order[..]);
    let clean = |r: &(u32, i64, u32)| own[r.2 as usize] < CLEAN;
    let mut clean_in_bucket: rustc_hash::FxHashMap<i64, u32> = Default::default();
    let mut clean_total = 0u64;
    for r in order.iter().filter(|r| clean(r)) {
        *clean_in_bucket.entry(r.1).or_default() += 1;
        clean_total += 1;
    }
    for same_key in order.chunk_by(|a, b| a.0 == b.0) {
        if same_key.len() < MIN_SIZE {
            continue;
        }
        let clean_of_key = same_key.iter().filter(|r| clean(r)).count() as f64;
        // Stretches of windows with no gap longer than one window.
        for stretch in same_key.chunk_by(|a, b| b.1 - a.1 <= 1) {
            if stretch.len() < MIN_SIZE {
                continue;
            }
            let suspicious = stretch
                .iter()
                .filter(|r| own[r.2 as usize] >= OWN_SCORE)
                .count();
            let share = suspicious as f32 / stretch.len() as f32;
            if share < MIN_SHARE || suspicious < MIN_SIZE / 2 {
                continue;
            }
            let clean_here = stretch.iter().filter(|r| clean(r)).count() as f64;
            let (b0, b1) = (stretch[0].1, stretch[stretch.len() - 1].1);
            let clean_window: u64 = if b1 - b0 < 24 * 60 {
                (b0..=b1)
                    .map(|b| clean_in_bucket.get(&b).copied().unwrap_or(0) as u64)
                    .sum()
            } else {
                clean_in_bucket
                    .iter()
                    .filter(|(b, _)| (b0..=b1).contains(*b))
                    .map(|(_, &c)| c as u64)
                    .sum()
            };
            let expected = clean_of_key * clean_window as f64 / clean_total.max(1) as f64;
            let excess = if clean_here > 0.0 {
                ((clean_here - expected) / clean_here).clamp(0.0, 1.0) as f32
            } else {
                0.0
            };
            let weight = MAX_WEIGHT * share;
            let id = out.len() as u32;
            let example = stretch
                .iter()
                .max_by(|a, b| own[a.2 as usize].total_cmp(&own[b.2 as usize]))
                .map_or(0, |r| r.2);
            out.push(Cluster {
                start: b0 * bucket,
                end: (b1 + 1) * bucket,
                size: stretch.len() as u32,
                suspicious: suspicious as u32,
                weight,
                example,
            });
            if lent.is_empty() {
                lent = vec![0.0; n];
            }
            for r in stretch {
                let i = r.2 as usize;
                of_row[i] = id;
                lent[i] = if own[i] < CLEAN {
                    weight * excess
                } else {
                    weight
                };
            }
        }
    }
    (of_row, out, lent)
}
