//! The held-inventory section of the report and its text.

use std::fmt::Write as _;

use serde::Serialize;

use super::forecast::people;
use super::thousands;
use crate::timefmt::rfc3339;

/// One item's inventory in the report.
#[derive(Clone, Debug, Serialize)]
pub struct HoldItemReport {
    pub item: String,
    pub stock: u64,
    pub stock_inferred: bool,
    pub sold: u64,
    pub peak_held: u64,
    pub peak_held_at: String,
    pub false_soldout_minutes: f64,
    /// When it looked sold out with stock unsold (RFC 3339 pairs).
    pub false_soldout: Vec<[String; 2]>,
}

/// The held-inventory section.
#[derive(Clone, Debug, Serialize)]
pub struct HoldsSection {
    pub source: String,
    pub holds: u64,
    pub units_sold: u64,
    /// Most units held at one moment, all items together, and that share of all stock.
    pub peak_held: u64,
    pub peak_held_share: f64,
    pub peak_held_at: String,
    pub false_soldout_minutes: f64,
    pub unpaid_unit_hours: f64,
    /// Genuine buyers estimated to have met a false "sold out".
    pub buyers_met_false_soldout: f64,
    pub items: Vec<HoldItemReport>,
    pub hoarders: Vec<crate::analysis::holds::Hoarder>,
    pub hoarding_windows: Vec<[String; 2]>,
    /// The replay with the policy asked for; `None` for quota snapshots (no holds to replay).
    pub what_if: Option<crate::analysis::holds::WhatIf>,
    pub notes: Vec<String>,
}

impl HoldsSection {
    pub fn new(
        inv: &crate::analysis::holds::Inventory,
        what_if: Option<crate::analysis::holds::WhatIf>,
        notes: Vec<String>,
    ) -> HoldsSection {
        let pair = |(a, b): (i64, i64)| [rfc3339(a), rfc3339(b)];
        HoldsSection {
            source: inv.label.clone(),
            holds: inv.holds,
            units_sold: inv.units_sold,
            peak_held: inv.peak_held,
            peak_held_share: inv.peak_held_share,
            peak_held_at: rfc3339(inv.peak_held_at),
            false_soldout_minutes: inv.false_soldout_minutes,
            unpaid_unit_hours: inv.unpaid_unit_hours,
            buyers_met_false_soldout: inv.buyers_met_false_soldout,
            items: inv
                .items
                .iter()
                .map(|s| HoldItemReport {
                    item: s.item.clone(),
                    stock: s.stock,
                    stock_inferred: s.stock_inferred,
                    sold: s.sold,
                    peak_held: s.peak_held,
                    peak_held_at: rfc3339(s.peak_held_at),
                    false_soldout_minutes: s.false_soldout_minutes,
                    false_soldout: s.false_soldout.iter().map(|&p| pair(p)).collect(),
                })
                .collect(),
            hoarders: inv.hoarders.clone(),
            hoarding_windows: inv.hoarding_windows.iter().map(|&p| pair(p)).collect(),
            what_if,
            notes,
        }
    }
}

pub(super) fn holds_text(s: &mut String, h: &HoldsSection) {
    let _ = writeln!(s, "\nHeld inventory ({}):", h.source);
    let _ = writeln!(
        s,
        "  at the peak {} units sat in unpaid holds ({:.0}% of all stock, {}); items looked sold \
         out with stock unsold for {:.0} minutes in all",
        thousands(h.peak_held),
        h.peak_held_share * 100.0,
        h.peak_held_at,
        h.false_soldout_minutes
    );
    for i in &h.items {
        let _ = writeln!(
            s,
            "    {}: stock {}{}, sold {}, at most {} held, {:.0} minutes falsely sold out",
            i.item,
            thousands(i.stock),
            if i.stock_inferred {
                " (most ever sold + held at once)"
            } else {
                ""
            },
            thousands(i.sold),
            thousands(i.peak_held),
            i.false_soldout_minutes
        );
    }
    if h.buyers_met_false_soldout > 0.0 {
        let _ = writeln!(
            s,
            "  about {} genuine buyers met a false \"sold out\" (their usual arrival rate × those minutes)",
            people(h.buyers_met_false_soldout)
        );
    }
    if !h.hoarders.is_empty() {
        let _ = writeln!(s, "  hoarding: {} people", h.hoarders.len());
        for x in h.hoarders.iter().take(10) {
            let _ = writeln!(s, "    {}: {}", x.identity, x.evidence.join("; "));
        }
    }
    if let Some(w) = &h.what_if {
        let limit = if w.policy.limit > 0 {
            format!(" and at most {} units per person", w.policy.limit)
        } else {
            String::new()
        };
        let _ = writeln!(
            s,
            "  with {}-minute holds{limit}: {} unit-hours freed, about {} buyers no longer turned \
             away, peak held {}, {:.0} minutes falsely sold out; {} units were bought by people \
             the policy would have hurried",
            w.policy.hold_minutes,
            thousands(w.freed.round() as u64),
            people(w.buyers_unblocked),
            thousands(w.peak_held),
            w.false_soldout_minutes,
            thousands(w.purchases_cut_short)
        );
    }
    for n in &h.notes {
        let _ = writeln!(s, "  note: {n}");
    }
}
