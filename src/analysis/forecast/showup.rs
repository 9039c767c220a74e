//! Show-up rates per segment and lead time: published priors, calibrated by past editions'
//! check-ins with Beta-Binomial posteriors that borrow strength level by level.
//!
//! The chain is free/paid (the published prior) → home region → lead time → ticket type →
//! source → returning registrant. Each level's rate is a Beta posterior whose prior is the
//! level above, worth [`LEVEL_STRENGTH`] registrants: a segment with 30 past registrants
//! stays close to its parent, one with 30,000 speaks for itself.

use std::hash::{Hash, Hasher};

use rustc_hash::{FxHashMap, FxHasher};
use serde::Serialize;

use crate::analysis::aggregate::{EditionStats, Segment};
use crate::analysis::segments::{LEAD_UNKNOWN, LEADS, SegmentKey};

/// Median share of registrants who come to free events: 72%. PheedLoop's analysis of 860
/// events with check-in data: free events lose about 28% of registrants.
pub const FREE_SHOW_UP: f64 = 0.72;
/// Paid events lose about 17% of registrants (same PheedLoop analysis). Eventbrite reports the
/// same direction more sharply: a free and a $5 webinar drew 38% and 69% of registrants.
pub const PAID_SHOW_UP: f64 = 0.83;
/// How firmly a published median holds before any check-in is seen, in registrants. Events
/// differ a lot (38% to 83% in the figures above): 6 gives a standard deviation near 0.17.
pub const PRIOR_STRENGTH: f64 = 6.0;
/// How many registrants' worth of evidence each level borrows from the level above it.
pub const LEVEL_STRENGTH: f64 = 40.0;
/// Levels below the published prior.
const LEVELS: usize = 5;

/// A show-up rate with its uncertainty.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Rate {
    pub mean: f64,
    /// Posterior variance of the rate (not of the count).
    pub var: f64,
    /// Past registrants behind the most specific level that had any.
    pub n: u64,
}

/// Check-in counts of past editions by level, ready for lookups.
#[derive(Clone, Debug, Default)]
pub struct Calibration {
    levels: FxHashMap<u64, (f64, f64)>,
    /// Editions with check-ins that fed it.
    pub editions: usize,
    /// Tickets in those editions.
    pub registrants: u64,
}

fn level_key(level: usize, key: &SegmentKey, lead: usize) -> u64 {
    let mut h = FxHasher::default();
    level.hash(&mut h);
    key.free.hash(&mut h);
    key.home.hash(&mut h);
    if level >= 1 {
        // Lead-time levels without a known lead read the "any lead" entry.
        (if lead == LEAD_UNKNOWN { 255 } else { lead }).hash(&mut h);
    }
    if level >= 2 {
        key.ticket_type.hash(&mut h);
    }
    if level >= 3 {
        key.source.hash(&mut h);
    }
    if level >= 4 {
        key.repeat.hash(&mut h);
    }
    h.finish()
}

impl Calibration {
    /// Pools the check-ins of `editions` (those without check-ins are skipped).
    pub fn from_editions<'a>(
        segments: &[Segment],
        editions: impl IntoIterator<Item = &'a EditionStats>,
    ) -> Calibration {
        let mut c = Calibration::default();
        for e in editions {
            c.add(segments, e);
        }
        c
    }

    /// Adds one edition's check-ins (nothing when it has none).
    pub fn add(&mut self, segments: &[Segment], e: &EditionStats) {
        if e.came.is_none() || e.cells.is_empty() {
            return;
        }
        self.editions += 1;
        self.registrants += e.registrations;
        self.tally(segments, e, 1.0);
    }

    /// Takes back one edition that [`Calibration::add`] pooled: the pool is then what it would
    /// have been without it, so a leave-one-out over n editions costs n lookups, not n pools
    /// of n (a book grouped by patient, 33,000 one-visit events, took 107 s to report). The
    /// sums are of whole counts, exact in `f64`, so adding the edition again restores the
    /// pool to the bit.
    pub fn remove(&mut self, segments: &[Segment], e: &EditionStats) {
        if e.came.is_none() || e.cells.is_empty() {
            return;
        }
        self.editions = self.editions.saturating_sub(1);
        self.registrants = self.registrants.saturating_sub(e.registrations);
        self.tally(segments, e, -1.0);
    }

    fn tally(&mut self, segments: &[Segment], e: &EditionStats, sign: f64) {
        for (s, leads) in e.cells.iter().enumerate() {
            let Some(seg) = segments.get(s) else { continue };
            for (lead, &(n, came)) in leads.iter().enumerate().filter(|(_, v)| v.0 > 0) {
                for level in 0..LEVELS {
                    // Known leads count both under their bucket and under "any lead".
                    let leads_here: &[usize] = if level == 0 || lead == LEAD_UNKNOWN {
                        &[LEAD_UNKNOWN]
                    } else {
                        &[lead, LEAD_UNKNOWN]
                    };
                    for &l in leads_here {
                        let e = self
                            .levels
                            .entry(level_key(level, &seg.key, l))
                            .or_default();
                        e.0 += sign * n as f64;
                        e.1 += sign * came as f64;
                    }
                }
            }
        }
    }

    /// The rate for `key` at lead bucket `lead`, starting from the published `prior`.
    pub fn rate(&self, key: &SegmentKey, lead: usize, prior: f64) -> Rate {
        let mut mean = prior.clamp(0.001, 0.999);
        let mut strength = PRIOR_STRENGTH;
        let mut n_used = 0u64;
        for level in 0..LEVELS {
            // A level nobody reached (or whose editions were all taken back) ends the walk.
            let Some(&(n, came)) = self.levels.get(&level_key(level, key, lead)) else {
                break;
            };
            if n <= 0.0 {
                break;
            }
            // A level that splits nothing off its parent holds the same registrants: they
            // were counted already.
            if n as u64 == n_used {
                continue;
            }
            mean = (strength * mean + came) / (strength + n);
            n_used = n as u64;
            strength = LEVEL_STRENGTH;
        }
        // Beta posterior of the last level: its prior weight plus its own registrants.
        let weight = if n_used > 0 {
            LEVEL_STRENGTH + n_used as f64
        } else {
            PRIOR_STRENGTH
        };
        let mean = mean.clamp(0.0, 1.0);
        Rate {
            mean,
            var: mean * (1.0 - mean) / (weight + 1.0),
            n: n_used,
        }
    }
}

/// The published prior for a segment.
pub fn prior_for(free: bool, prior_free: f64, prior_paid: f64) -> f64 {
    if free { prior_free } else { prior_paid }
}

/// Rates for every segment × lead bucket (`out[s * LEADS + lead]`).
pub fn rate_table(
    cal: &Calibration,
    segments: &[Segment],
    prior_free: f64,
    prior_paid: f64,
) -> Vec<Rate> {
    let mut out = Vec::with_capacity(segments.len() * LEADS);
    for s in segments {
        let prior = prior_for(s.free, prior_free, prior_paid);
        for lead in 0..LEADS {
            out.push(cal.rate(&s.key, lead, prior));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::segments::Home;

    fn seg(home: Home) -> Segment {
        let key = SegmentKey {
            ticket_type: String::new(),
            free: true,
            home,
            source: String::new(),
            repeat: false,
        };
        Segment {
            name: key.name(),
            free: true,
            tickets: 0,
            key,
        }
    }

    fn edition(cells: Vec<[(u64, u64); LEADS]>) -> EditionStats {
        let registrations = cells.iter().flatten().map(|c| c.0).sum();
        let came = cells.iter().flatten().map(|c| c.1).sum();
        EditionStats {
            label: "past".into(),
            event_start: Some(0),
            start_inferred: false,
            registrations,
            came: Some(came),
            cells,
            home_region: "OK".into(),
        }
    }

    #[test]
    fn no_history_gives_the_published_prior_with_a_wide_spread() {
        let segs = [seg(Home::Local)];
        let r = Calibration::default().rate(&segs[0].key, 2, FREE_SHOW_UP);
        assert_eq!(r.mean, FREE_SHOW_UP);
        assert_eq!(r.n, 0);
        assert!(r.var.sqrt() > 0.08);
    }

    #[test]
    fn big_segments_speak_for_themselves_small_ones_borrow() {
        let segs = [seg(Home::Local), seg(Home::Away)];
        let mut big = [(0, 0); LEADS];
        big[2] = (20_000, 10_000);
        let mut small = [(0, 0); LEADS];
        small[2] = (10, 0);
        let cal = Calibration::from_editions(&segs, [&edition(vec![big, small])]);
        let local = cal.rate(&segs[0].key, 2, FREE_SHOW_UP);
        assert!((local.mean - 0.5).abs() < 0.01, "{local:?}");
        let away = cal.rate(&segs[1].key, 2, FREE_SHOW_UP);
        // Ten no-shows pull the prior down but do not make it zero.
        assert!(away.mean > 0.2 && away.mean < FREE_SHOW_UP, "{away:?}");
        assert!(away.var > local.var);
        // A lead bucket never seen falls back to the segment's rate over all leads.
        let other_lead = cal.rate(&segs[0].key, 4, FREE_SHOW_UP);
        assert!((other_lead.mean - 0.5).abs() < 0.01);
    }

    #[test]
    fn an_edition_taken_back_leaves_the_pool_of_the_others() {
        // Three editions over two segments and two leads; each taken back out of the pool of
        // all three rates every segment and lead as the pool of the other two does, including
        // a segment only the taken edition had (back to the prior).
        let segs = [seg(Home::Local), seg(Home::Away)];
        let cells = |a: (u64, u64), b: (u64, u64), away: (u64, u64)| {
            let mut local = [(0, 0); LEADS];
            local[1] = a;
            local[3] = b;
            let mut other = [(0, 0); LEADS];
            other[2] = away;
            vec![local, other]
        };
        let eds = [
            edition(cells((40, 30), (12, 5), (0, 0))),
            edition(cells((7, 7), (0, 0), (9, 2))),
            edition(cells((100, 61), (30, 9), (0, 0))),
        ];
        let mut pool = Calibration::from_editions(&segs, &eds);
        for i in 0..eds.len() {
            let others = Calibration::from_editions(
                &segs,
                eds.iter()
                    .enumerate()
                    .filter(|(j, _)| *j != i)
                    .map(|(_, e)| e),
            );
            pool.remove(&segs, &eds[i]);
            for sg in &segs {
                for lead in 0..LEADS {
                    assert_eq!(
                        pool.rate(&sg.key, lead, FREE_SHOW_UP),
                        others.rate(&sg.key, lead, FREE_SHOW_UP),
                        "edition {i}, lead {lead}"
                    );
                }
            }
            assert_eq!(pool.editions, others.editions);
            assert_eq!(pool.registrants, others.registrants);
            pool.add(&segs, &eds[i]);
        }
        let away = pool.rate(&segs[1].key, 2, FREE_SHOW_UP);
        assert!(away.n == 9 && away.mean < FREE_SHOW_UP, "{away:?}");
    }
}
