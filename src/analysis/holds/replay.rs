//! Replaying holds and sales in time order: stock sold, held and free per item, the peak
//! share held, the time an item looked sold out while stock sat unsold in carts, and the same
//! sale under a different hold policy.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use serde::Serialize;

use super::{Hoarder, Hold, HoldLog, HoldSettings, Outcome, RETAKE_GAP, hoarders};

/// Chart points kept per item.
const CHART_POINTS: usize = 1_500;

/// Sold, held and stock of one item over time.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ItemSeries {
    pub item: String,
    pub stock: u64,
    /// The stock was not given: it is the most ever sold plus held at one moment.
    pub stock_inferred: bool,
    pub sold: u64,
    /// (time, sold, held) at each change, thinned to about 1,500 points (held keeps the
    /// highest value of each thinned stretch).
    #[serde(skip)]
    pub points: Vec<(i64, u64, u64)>,
    pub peak_held: u64,
    pub peak_held_at: i64,
    pub false_soldout_minutes: f64,
    /// When the item looked sold out while stock was unsold.
    pub false_soldout: Vec<(i64, i64)>,
}

/// What the log says about held inventory.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Inventory {
    pub label: String,
    /// First and last instant of the sale (UTC seconds).
    pub span: (i64, i64),
    pub items: Vec<ItemSeries>,
    /// Most units held at one moment, all items together, and that share of all stock.
    pub peak_held: u64,
    pub peak_held_share: f64,
    pub peak_held_at: i64,
    /// Minutes items looked sold out while stock was unsold, summed over items.
    pub false_soldout_minutes: f64,
    /// Unit-hours of stock that sat in holds that were never paid.
    pub unpaid_unit_hours: f64,
    /// Genuine buyers estimated to have met a false "sold out": the rate at which people
    /// other than hoarders took holds while the item was available, times the minutes it
    /// looked sold out with stock unsold.
    pub buyers_met_false_soldout: f64,
    pub hoarders: Vec<Hoarder>,
    /// Stretches when held stock rose while purchases fell.
    pub hoarding_windows: Vec<(i64, i64)>,
    pub holds: u64,
    pub units_sold: u64,
    #[serde(skip)]
    pub(super) genuine_rate: Vec<f64>,
}

/// A hold policy to replay.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Policy {
    pub hold_minutes: u32,
    /// Most units one person may hold at once (0 = no limit).
    pub limit: u32,
}

/// The sale replayed under another policy.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct WhatIf {
    pub policy: Policy,
    /// Unit-hours of stock no longer locked in unpaid holds.
    pub freed: f64,
    pub peak_held: u64,
    pub false_soldout_minutes: f64,
    /// Genuine buyers who would no longer meet a false "sold out" (estimated as above).
    pub buyers_unblocked: f64,
    /// Units bought by people the new policy would have got in the way of: they paid later
    /// than the shorter hold allows, or bought more at once than the limit (they would have
    /// had to hurry or split the order).
    pub purchases_cut_short: u64,
    /// Unpaid holds turned down or cut by the per-person limit.
    pub holds_limited: u64,
}

struct Sweep {
    series: Vec<ItemSeries>,
    peak: (u64, i64),
    unpaid_unit_secs: f64,
    /// Seconds each item was available (not looking sold out) within the span.
    available_secs: Vec<f64>,
}

/// Change events: (time, release-before-take order, item, Δsold, Δheld).
fn events(holds: &[Hold], log: &HoldLog) -> Vec<(i64, u8, u32, i64, i64)> {
    let mut ev = Vec::with_capacity(holds.len() * 2 + log.sales.len());
    for h in holds.iter().filter(|h| h.qty > 0) {
        ev.push((h.start, 1, h.item, 0, h.qty as i64));
        let sold = if h.outcome == Outcome::Purchased {
            h.qty as i64
        } else {
            0
        };
        ev.push((h.end.max(h.start), 0, h.item, sold, -(h.qty as i64)));
    }
    for s in &log.sales {
        ev.push((s.t, 0, s.item, s.qty as i64, 0));
    }
    ev.sort_unstable();
    ev
}

/// Most of each item ever sold plus held at one moment.
fn inferred_stock(ev: &[(i64, u8, u32, i64, i64)], items: usize) -> Vec<u64> {
    let (mut sold, mut held, mut most) = (vec![0i64; items], vec![0i64; items], vec![0i64; items]);
    for &(_, _, item, ds, dh) in ev {
        let i = item as usize;
        sold[i] += ds;
        held[i] += dh;
        most[i] = most[i].max(sold[i] + held[i]);
    }
    most.into_iter().map(|m| m.max(0) as u64).collect()
}

fn sweep(log: &HoldLog, ev: &[(i64, u8, u32, i64, i64)], stock: &[u64], given: &[bool]) -> Sweep {
    let n = log.items.len();
    let (start, end) = log.span;
    let mut sold = vec![0u64; n];
    let mut held = vec![0u64; n];
    let mut last_t = vec![start; n];
    let mut raw: Vec<Vec<(i64, u64, u64)>> = vec![Vec::new(); n];
    let mut series: Vec<ItemSeries> = log
        .items
        .iter()
        .enumerate()
        .map(|(i, name)| ItemSeries {
            item: name.clone(),
            stock: stock[i],
            stock_inferred: !given[i],
            sold: 0,
            points: Vec::new(),
            peak_held: 0,
            peak_held_at: start,
            false_soldout_minutes: 0.0,
            false_soldout: Vec::new(),
        })
        .collect();
    let mut available = vec![0.0f64; n];
    let (mut total_held, mut peak) = (0u64, (0u64, start));
    // Time since the state last changed is credited to the state it was in.
    let credit = |i: usize,
                  t: i64,
                  sold: &[u64],
                  held: &[u64],
                  last_t: &mut [i64],
                  s: &mut [ItemSeries],
                  available: &mut [f64]| {
        let dt = (t.min(end) - last_t[i]).max(0);
        let looks_sold_out = sold[i] + held[i] >= stock[i];
        if looks_sold_out && sold[i] < stock[i] {
            let fs = &mut s[i].false_soldout;
            match fs.last_mut() {
                Some(last) if last.1 >= last_t[i] => last.1 = last_t[i] + dt,
                _ if dt > 0 => fs.push((last_t[i], last_t[i] + dt)),
                _ => {}
            }
            s[i].false_soldout_minutes += dt as f64 / 60.0;
        } else if !looks_sold_out {
            available[i] += dt as f64;
        }
        last_t[i] = t.max(last_t[i]);
    };
    for &(t, _, item, ds, dh) in ev {
        let i = item as usize;
        credit(i, t, &sold, &held, &mut last_t, &mut series, &mut available);
        sold[i] = (sold[i] as i64 + ds).max(0) as u64;
        held[i] = (held[i] as i64 + dh).max(0) as u64;
        total_held = (total_held as i64 + dh).max(0) as u64;
        if held[i] > series[i].peak_held {
            series[i].peak_held = held[i];
            series[i].peak_held_at = t;
        }
        if total_held > peak.0 {
            peak = (total_held, t);
        }
        raw[i].push((t, sold[i], held[i]));
    }
    for i in 0..n {
        credit(
            i,
            end,
            &sold,
            &held,
            &mut last_t,
            &mut series,
            &mut available,
        );
        series[i].sold = sold[i];
        series[i].points = thin(&raw[i]);
    }
    let unpaid_unit_secs = log
        .holds
        .iter()
        .filter(|h| h.outcome != Outcome::Purchased)
        .map(|h| h.qty as f64 * (h.end.min(end) - h.start).max(0) as f64)
        .sum();
    Sweep {
        series,
        peak,
        unpaid_unit_secs,
        available_secs: available,
    }
}

/// At most [`CHART_POINTS`] points: the last sold and the highest held of each stretch.
fn thin(points: &[(i64, u64, u64)]) -> Vec<(i64, u64, u64)> {
    if points.len() <= CHART_POINTS {
        return points.to_vec();
    }
    let per = points.len().div_ceil(CHART_POINTS);
    points
        .chunks(per)
        .map(|c| {
            let last = c[c.len() - 1];
            (last.0, last.1, c.iter().map(|p| p.2).max().unwrap_or(0))
        })
        .collect()
}

/// Most units each person held at one moment.
pub(super) fn max_units_at_once(log: &HoldLog) -> Vec<u64> {
    let mut ev: Vec<(i64, u8, u32, i64)> = Vec::with_capacity(log.holds.len() * 2);
    for h in &log.holds {
        ev.push((h.start, 1, h.who, h.qty as i64));
        ev.push((h.end.max(h.start), 0, h.who, -(h.qty as i64)));
    }
    ev.sort_unstable();
    let mut now = vec![0i64; log.identities.len()];
    let mut most = vec![0u64; log.identities.len()];
    for (_, _, who, d) in ev {
        let w = who as usize;
        now[w] += d;
        most[w] = most[w].max(now[w].max(0) as u64);
    }
    most
}

/// Stretches of at least an hour when held stock rose by half while purchases fell by half,
/// each hour against the three before it, with at least a fifth of stock held.
fn hoarding_windows(log: &HoldLog, total_stock: u64) -> Vec<(i64, i64)> {
    let (start, end) = log.span;
    let hours = ((end - start) / 3600 + 1).max(1) as usize;
    if hours < 4 || total_stock == 0 {
        return Vec::new();
    }
    let mut held = vec![0.0f64; hours];
    let mut bought = vec![0.0f64; hours];
    for h in &log.holds {
        // Units × hours held, spread over the hours the hold spans.
        let (a, b) = (h.start.max(start), h.end.min(end));
        let mut t = a;
        while t < b {
            let k = ((t - start) / 3600) as usize;
            let next = (start + (k as i64 + 1) * 3600).min(b);
            held[k.min(hours - 1)] += h.qty as f64 * (next - t) as f64 / 3600.0;
            t = next;
        }
        if h.outcome == Outcome::Purchased {
            bought[((h.end - start).max(0) / 3600) as usize % hours] += h.qty as f64;
        }
    }
    for s in &log.sales {
        bought[((s.t - start).max(0) / 3600) as usize % hours] += s.qty as f64;
    }
    let mut out: Vec<(i64, i64)> = Vec::new();
    for k in 3..hours {
        let before_held = (held[k - 3] + held[k - 2] + held[k - 1]) / 3.0;
        let before_bought = (bought[k - 3] + bought[k - 2] + bought[k - 1]) / 3.0;
        let rising = held[k] >= 1.5 * before_held.max(1.0);
        let falling = bought[k] <= 0.5 * before_bought && before_bought >= 1.0;
        if rising && falling && held[k] >= 0.2 * total_stock as f64 {
            let (a, b) = (start + k as i64 * 3600, start + (k as i64 + 1) * 3600);
            match out.last_mut() {
                Some(last) if last.1 == a => last.1 = b,
                _ => out.push((a, b)),
            }
        }
    }
    out
}

/// Replays the log as it happened.
pub fn analyse(log: &HoldLog, settings: &HoldSettings) -> Inventory {
    let ev = events(&log.holds, log);
    let inferred = inferred_stock(&ev, log.items.len());
    let given: Vec<bool> = log
        .items
        .iter()
        .map(|i| settings.stock.contains_key(i))
        .collect();
    let stock: Vec<u64> = log
        .items
        .iter()
        .zip(&inferred)
        .map(|(name, &inf)| settings.stock.get(name).copied().unwrap_or(inf))
        .collect();
    let sw = sweep(log, &ev, &stock, &given);
    let hoarders = hoarders(log);
    // How often people other than hoarders took a hold while the item was available.
    let hoarding: Vec<bool> = {
        let mut v = vec![false; log.identities.len()];
        for h in &hoarders {
            v[h.who] = true;
        }
        v
    };
    let mut genuine_holds = vec![0.0f64; log.items.len()];
    for h in log.holds.iter().filter(|h| !hoarding[h.who as usize]) {
        genuine_holds[h.item as usize] += 1.0;
    }
    let genuine_rate: Vec<f64> = genuine_holds
        .iter()
        .zip(&sw.available_secs)
        .map(|(&n, &secs)| if secs > 0.0 { n / secs } else { 0.0 })
        .collect();
    let total_stock: u64 = stock.iter().sum();
    let buyers_met_false_soldout = met_false_soldout(&sw.series, &genuine_rate);
    Inventory {
        label: log.label.clone(),
        span: log.span,
        peak_held: sw.peak.0,
        peak_held_share: sw.peak.0 as f64 / total_stock.max(1) as f64,
        peak_held_at: sw.peak.1,
        false_soldout_minutes: sw.series.iter().map(|s| s.false_soldout_minutes).sum(),
        unpaid_unit_hours: sw.unpaid_unit_secs / 3600.0,
        buyers_met_false_soldout,
        hoarding_windows: hoarding_windows(log, total_stock),
        holds: log.holds.len() as u64,
        units_sold: sw.series.iter().map(|s| s.sold).sum(),
        items: sw.series,
        hoarders,
        genuine_rate,
    }
}

fn met_false_soldout(series: &[ItemSeries], rate: &[f64]) -> f64 {
    series
        .iter()
        .zip(rate)
        .map(|(s, r)| r * s.false_soldout_minutes * 60.0)
        .sum()
}

/// Replays the sale with `policy`: unpaid holds end at the new hold time and are cut to the
/// per-person limit; purchases stay (and are counted when the policy would have been in their
/// way). People who took an item again within five minutes of their hold
/// running out are assumed to keep doing so under any hold time (a shorter hold does not stop
/// a camper; a per-person limit does).
pub fn what_if(log: &HoldLog, base: &Inventory, policy: Policy) -> WhatIf {
    let limit_secs = policy.hold_minutes.max(1) as i64 * 60;
    // Whether each hold was taken again by the same person within the gap.
    let mut retaken = vec![false; log.holds.len()];
    // The person's holds that had run out, latest first; any item counts (campers move to
    // whatever is most available).
    let mut ended: Vec<Vec<usize>> = vec![Vec::new(); log.identities.len()];
    for (k, h) in log.holds.iter().enumerate() {
        let mine = &mut ended[h.who as usize];
        mine.retain(|&p| {
            let prev = &log.holds[p];
            if h.start >= prev.end && h.start - prev.end <= RETAKE_GAP {
                retaken[p] = true;
            }
            prev.end + RETAKE_GAP >= h.start
        });
        if h.outcome != Outcome::Purchased {
            mine.push(k);
        }
    }
    let mut holds: Vec<Hold> = Vec::with_capacity(log.holds.len());
    let mut current = vec![0u32; log.identities.len()];
    let mut ending: BinaryHeap<Reverse<(i64, u32, u32)>> = BinaryHeap::new();
    let (mut cut_short, mut limited) = (0u64, 0u64);
    for (k, h) in log.holds.iter().enumerate() {
        while let Some(&Reverse((end, who, qty))) = ending.peek() {
            if end > h.start {
                break;
            }
            ending.pop();
            current[who as usize] -= qty;
        }
        let mut h = *h;
        let room = if policy.limit > 0 {
            policy.limit.saturating_sub(current[h.who as usize])
        } else {
            u32::MAX
        };
        match h.outcome {
            // Sales stay as they happened (the stock they took was sold either way); the
            // buyers the new policy would have got in the way of are counted.
            Outcome::Purchased => {
                if h.end - h.start > limit_secs || room < h.qty {
                    cut_short += h.qty as u64;
                }
            }
            Outcome::Expired | Outcome::Open => {
                if room < h.qty {
                    limited += 1;
                    h.qty = room;
                }
                if !retaken[k] {
                    h.end = h.end.min(h.start + limit_secs);
                }
            }
        }
        if h.qty > 0 {
            current[h.who as usize] += h.qty;
            ending.push(Reverse((h.end, h.who, h.qty)));
            holds.push(h);
        }
    }
    let ev = events(&holds, log);
    let stock: Vec<u64> = base.items.iter().map(|s| s.stock).collect();
    let given: Vec<bool> = base.items.iter().map(|s| !s.stock_inferred).collect();
    let sw = sweep(log, &ev, &stock, &given);
    let unpaid_after: f64 = holds
        .iter()
        .filter(|h| h.outcome != Outcome::Purchased)
        .map(|h| h.qty as f64 * (h.end.min(log.span.1) - h.start).max(0) as f64)
        .sum::<f64>()
        / 3600.0;
    let met_after = met_false_soldout(&sw.series, &base.genuine_rate);
    WhatIf {
        policy,
        freed: (base.unpaid_unit_hours - unpaid_after).max(0.0),
        peak_held: sw.peak.0,
        false_soldout_minutes: sw.series.iter().map(|s| s.false_soldout_minutes).sum(),
        buyers_unblocked: (base.buyers_met_false_soldout - met_after).max(0.0),
        purchases_cut_short: cut_short,
        holds_limited: limited,
    }
}
