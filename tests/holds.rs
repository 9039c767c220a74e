//! Held inventory against a generated sale with known truth: the demo's merch store, where
//! activists keep every item in unpaid carts.

use std::collections::BTreeSet;

use turnout::analysis::holds::{HoldLog, HoldSettings, Policy, analyse, what_if};
use turnout::analysis::identity::normalize_email;
use turnout::demo::{Demo, DemoConfig};

fn demo() -> Demo {
    Demo::generate(&DemoConfig {
        rows: 1_000,
        ..DemoConfig::default()
    })
}

fn key(email: &str) -> String {
    let (l, d) = normalize_email(email).expect("an address");
    format!("{l}@{d}")
}

#[test]
fn the_merch_sale_shows_hoarders_false_sold_out_and_what_a_limit_frees() {
    let demo = demo();
    let truth = &demo.merch.truth;
    let settings = HoldSettings::default();
    let log = HoldLog::from_table(&demo.merch.table, settings.default_hold_minutes);
    let inv = analyse(&log, &settings);
    eprintln!(
        "peak {} ({:.2}), false sold-out {:.0} min, met {:.0} (truth {} / true sold out {}), sold {} (truth {}), hoarders {}",
        inv.peak_held,
        inv.peak_held_share,
        inv.false_soldout_minutes,
        inv.buyers_met_false_soldout,
        truth.false_soldout_attempts,
        truth.soldout_attempts,
        inv.units_sold,
        truth.units_sold,
        inv.hoarders.len()
    );
    for s in &inv.items {
        eprintln!(
            "  {} stock {} sold {} peak held {} false {:.0} min",
            s.item, s.stock, s.sold, s.peak_held, s.false_soldout_minutes
        );
    }
    // Stock is inferred as the most ever sold plus held at once: what the shop had.
    for (name, stock) in &demo.merch.stock {
        let s = inv.items.iter().find(|s| &s.item == name).unwrap();
        assert_eq!(s.stock, *stock as u64, "{name}");
    }
    assert_eq!(inv.units_sold, truth.units_sold);
    // The activists: forty addresses, a dozen people once plus-tags are folded.
    let expected: BTreeSet<String> = truth.hoarders.iter().map(|h| key(h)).collect();
    let found: BTreeSet<String> = inv.hoarders.iter().map(|h| h.identity.clone()).collect();
    assert_eq!(found, expected);
    assert!(inv.hoarders.iter().all(|h| !h.evidence.is_empty()));
    // At the peak a quarter of all stock sat in carts; for posters, most of it.
    assert!(inv.peak_held_share > 0.2, "{}", inv.peak_held_share);
    let poster = inv.items.iter().find(|s| s.item == "Poster").unwrap();
    assert!(poster.peak_held as f64 > 0.5 * poster.stock as f64);
    assert!(inv.false_soldout_minutes > 60.0);
    let met = inv.buyers_met_false_soldout;
    let t = truth.false_soldout_attempts as f64;
    assert!((met / t - 1.0).abs() < 0.4, "estimated {met:.0} vs {t}");
    // A shorter hold alone barely helps against campers who re-take at once; a per-person
    // limit does.
    let shorter = what_if(
        &log,
        &inv,
        Policy {
            hold_minutes: 10,
            limit: 0,
        },
    );
    let limited = what_if(
        &log,
        &inv,
        Policy {
            hold_minutes: 30,
            limit: 4,
        },
    );
    let both = what_if(
        &log,
        &inv,
        Policy {
            hold_minutes: 10,
            limit: 4,
        },
    );
    eprintln!("{shorter:?}\n{limited:?}\n{both:?}");
    assert!(limited.buyers_unblocked > shorter.buyers_unblocked);
    assert!(both.freed >= limited.freed);
    assert!(both.false_soldout_minutes < inv.false_soldout_minutes / 2.0);
    assert!(both.peak_held < inv.peak_held);
    assert!(both.buyers_unblocked > 0.5 * met);
    // The policy as it ran changes nothing.
    let same = what_if(
        &log,
        &inv,
        Policy {
            hold_minutes: 30,
            limit: 0,
        },
    );
    assert!(
        same.freed.abs() < 1e-6 && same.buyers_unblocked.abs() < 1e-6,
        "{same:?}"
    );
}
