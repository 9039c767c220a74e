//! When signups came: hours far above the usual rate (bursts), and rows that arrived as a
//! block (a host's import or bulk invite), which are not signups and so never a burst.
//!
//! Everything is counted over a span of at most [`MAX_SPAN_HOURS`] ending at the last
//! signup, so a stray date decades away costs nothing.

use super::{Bulk, Fact};
use crate::dataset::NO_TIME;

/// Three years of hours.
pub const MAX_SPAN_HOURS: i64 = 3 * 366 * 24;

/// How precise the registration times are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Resolution {
    /// Dates only (every time at one moment of the day): no hourly patterns to see.
    Days,
    /// Whole hours (a reservation system's export rounds them: Recruit's restaurant logs):
    /// hourly patterns show, rows sharing a minute do not mean they came together.
    Hours,
    Minutes,
    Seconds,
}

/// Reads the resolution from (a sample of) the times.
pub fn resolution(times: &[i64]) -> Resolution {
    let step = (times.len() / 5000).max(1);
    let mut day_moments: Vec<i64> = Vec::new();
    let mut seconds = false;
    // The moment within the hour of every time sampled, while they share one (a zone half
    // an hour off UTC puts whole local hours at :30).
    let mut within_hour: Option<Option<i64>> = None;
    for &t in times.iter().step_by(step).filter(|&&t| t != NO_TIME) {
        seconds |= t.rem_euclid(60) != 0;
        let h = t.rem_euclid(3600);
        within_hour = match within_hour {
            None => Some(Some(h)),
            Some(Some(x)) if x == h => Some(Some(x)),
            _ => Some(None),
        };
        let m = t.rem_euclid(86_400);
        if day_moments.len() <= 2 && !day_moments.contains(&m) {
            day_moments.push(m);
        }
    }
    if day_moments.len() <= 2 {
        Resolution::Days
    } else if matches!(within_hour, Some(Some(_))) {
        Resolution::Hours
    } else if seconds {
        Resolution::Seconds
    } else {
        Resolution::Minutes
    }
}

/// Hourly counts of the signups that count for bursts.
pub struct Timing {
    /// First hour (UTC hours since 1970) of the span.
    pub hour0: i64,
    pub counts: Vec<u32>,
    pub burst: Vec<bool>,
    pub resolution: Resolution,
}

impl Timing {
    /// Index of the hour of `t` in the span, if it is inside.
    pub fn hour(&self, t: i64) -> Option<usize> {
        if t == NO_TIME {
            return None;
        }
        let h = t.div_euclid(3600) - self.hour0;
        (h >= 0 && (h as usize) < self.counts.len()).then_some(h as usize)
    }
}

/// Marks rows that arrived as a block: a run of at most ten busy minutes (ten or more
/// signups each) holding at least 20 signups and half of everything within half an hour
/// around it (an import stamps its rows within a minute or two). A viral wave is busy for
/// hours and so never a block. Returns the blocks for the report. Times of whole hours or
/// days cannot show a block: every busy hour of a restaurant chain's reservations shares its
/// minute (12,953 "blocks" in a 2-million-row reservation log rounded to the hour).
pub fn mark_bulk(times: &[i64], facts: &mut [u16]) -> Vec<Bulk> {
    let res = resolution(times);
    if matches!(res, Resolution::Days | Resolution::Hours) {
        return Vec::new();
    }
    let Some(last) = times.iter().copied().filter(|&t| t != NO_TIME).max() else {
        return Vec::new();
    };
    let min0 = (last.div_euclid(3600) - MAX_SPAN_HOURS + 1) * 60;
    let minutes = (last.div_euclid(60) - min0 + 1) as usize;
    let minute_of = |t: i64| -> Option<usize> {
        if t == NO_TIME {
            return None;
        }
        let m = t.div_euclid(60) - min0;
        (m >= 0 && (m as usize) < minutes).then_some(m as usize)
    };
    let counted = |f: u16| f & Fact::HostAdded.bit() == 0;
    let mut per_minute = vec![0u32; minutes];
    for (&t, &f) in times.iter().zip(facts.iter()) {
        if counted(f)
            && let Some(m) = minute_of(t)
        {
            per_minute[m] += 1;
        }
    }
    const BUSY: u32 = 10;
    let mut blocks: Vec<(usize, usize)> = Vec::new();
    let mut m = 0;
    while m < minutes {
        if per_minute[m] < BUSY {
            m += 1;
            continue;
        }
        let start = m;
        while m < minutes && per_minute[m] >= BUSY {
            m += 1;
        }
        let total: u32 = per_minute[start..m].iter().sum();
        let around: u32 = per_minute[start.saturating_sub(30)..(m + 30).min(minutes)]
            .iter()
            .sum();
        if m - start <= 10 && total >= 20 && total * 2 >= around {
            blocks.push((start, m));
        }
    }
    if blocks.is_empty() {
        return Vec::new();
    }
    let mut out: Vec<Bulk> = blocks
        .iter()
        .map(|&(a, b)| Bulk {
            start: (min0 + a as i64) * 60,
            end: (min0 + b as i64) * 60,
            count: 0,
        })
        .collect();
    out.sort_by_key(|b| b.start);
    for (t, f) in times.iter().zip(facts.iter_mut()) {
        if !counted(*f) || *t == NO_TIME {
            continue;
        }
        let k = out.partition_point(|b| b.end <= *t);
        if k < out.len() && out[k].start <= *t {
            *f |= Fact::ArrivedInBulk.bit();
            out[k].count += 1;
        }
    }
    out
}

/// Hourly signup counts and which hours are bursts (robust to the daily rhythm: each hour is
/// compared with the median of the same hour of day over all days, scaled by the day's level).
/// Rows the host added or that arrived in bulk are left out.
pub fn burst_hours(times: &[i64], facts: &[u16]) -> Timing {
    let resolution = resolution(times);
    let skip = Fact::HostAdded.bit() | Fact::ArrivedInBulk.bit();
    let last = times.iter().copied().filter(|&t| t != NO_TIME).max();
    let first = times.iter().copied().filter(|&t| t != NO_TIME).min();
    let (Some(first), Some(last)) = (first, last) else {
        return Timing {
            hour0: 0,
            counts: Vec::new(),
            burst: Vec::new(),
            resolution,
        };
    };
    let hour0 = first
        .div_euclid(3600)
        .max(last.div_euclid(3600) - MAX_SPAN_HOURS + 1);
    let hours = (last.div_euclid(3600) - hour0 + 1) as usize;
    let mut timing = Timing {
        hour0,
        counts: vec![0; hours],
        burst: vec![false; hours],
        resolution,
    };
    for (&t, &f) in times.iter().zip(facts) {
        if f & skip == 0
            && let Some(h) = timing.hour(t)
        {
            timing.counts[h] += 1;
        }
    }
    if resolution == Resolution::Days {
        return timing;
    }
    let counts = &timing.counts;
    // Median of each hour of day over the days, and of each day's hourly counts.
    let mut by_hod: Vec<Vec<u32>> = vec![Vec::new(); 24];
    for (h, &c) in counts.iter().enumerate() {
        by_hod[((hour0 + h as i64).rem_euclid(24)) as usize].push(c);
    }
    fn median(v: &mut [u32]) -> f64 {
        if v.is_empty() {
            return 0.0;
        }
        let mid = v.len() / 2;
        *v.select_nth_unstable(mid).1 as f64
    }
    let hod_median: Vec<f64> = by_hod.iter_mut().map(|v| median(v)).collect();
    let overall = median(&mut counts.clone()).max(1.0);
    // Poisson CUSUM (Lucas 1985) against that baseline, tuned to a fourfold rate: each hour
    // adds its log-likelihood ratio `x·ln k − (k−1)·λ`; the sum restarts when an hour speaks
    // against a burst, and hours whose sum passes `H` (and that are large in absolute terms)
    // are burst hours.
    const K: f64 = 4.0;
    const H: f64 = 25.0;
    let mut cusum = 0.0f64;
    let mut window = [0u32; 24];
    for h in 0..hours {
        let c = counts[h];
        let day_start = h.saturating_sub(12);
        let day_end = (h + 12).min(hours);
        let w = &mut window[..day_end - day_start];
        w.copy_from_slice(&counts[day_start..day_end]);
        let level = (median(w) / overall).clamp(0.25, 4.0);
        let hod = ((hour0 + h as i64).rem_euclid(24)) as usize;
        let expected = (hod_median[hod] * level).max(1.0);
        let step = c as f64 * K.ln() - (K - 1.0) * expected;
        cusum = if step > 0.0 { cusum + step } else { 0.0 };
        timing.burst[h] = cusum > H && c as f64 > 2.0 * expected + 10.0;
    }
    timing
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 40 rows stamped within one minute, amid a day of signups every seven minutes.
    fn import_amid(day: i64, round_to: i64) -> Vec<i64> {
        let mut times: Vec<i64> = (0..200).map(|i| day + i * 7 * 60 + 13).collect();
        times.extend((0..40).map(|i| day + 5 * 3600 + 180 + i));
        times.iter().map(|t| t - t.rem_euclid(round_to)).collect()
    }

    #[test]
    fn times_rounded_to_the_hour_are_read_as_hours() {
        let day = 1_700_000_000 - 1_700_000_000 % 86_400;
        assert_eq!(resolution(&import_amid(day, 1)), Resolution::Seconds);
        assert_eq!(resolution(&import_amid(day, 60)), Resolution::Minutes);
        assert_eq!(resolution(&import_amid(day, 3600)), Resolution::Hours);
        // Whole local hours in a zone half an hour off UTC.
        let half: Vec<i64> = import_amid(day, 3600).iter().map(|t| t + 1800).collect();
        assert_eq!(resolution(&half), Resolution::Hours);
        assert_eq!(resolution(&import_amid(day, 86_400)), Resolution::Days);
    }

    #[test]
    fn an_import_is_a_block_only_where_the_times_can_show_one() {
        let day = 1_700_000_000 - 1_700_000_000 % 86_400;
        let times = import_amid(day, 1);
        let mut facts = vec![0u16; times.len()];
        let blocks = mark_bulk(&times, &mut facts);
        assert_eq!(blocks.len(), 1);
        assert_eq!(blocks[0].count, 40);
        let marked = facts
            .iter()
            .filter(|&&f| f & Fact::ArrivedInBulk.bit() != 0)
            .count();
        assert_eq!(marked, 40);
        // Rounded to the hour, every busy hour shares its minute: no block is claimed.
        let times = import_amid(day, 3600);
        let mut facts = vec![0u16; times.len()];
        assert!(mark_bulk(&times, &mut facts).is_empty());
        assert!(facts.iter().all(|&f| f == 0));
    }
}
