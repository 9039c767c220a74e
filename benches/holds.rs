//! Replaying held inventory: 1,000,000 hold events (holds, purchases, expiries) must replay in
//! under a second, and a policy change (the slider case) must be quick.
//!
//! `cargo bench --bench holds`

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use turnout::analysis::holds::{HoldLog, HoldSettings, Policy, analyse, what_if};
use turnout::dataset::{Categorical, Edition, Rows, StrColumn, Table, TextColumn};
use turnout::demo::rng::Rng;
use turnout::import::{Role, Status};

/// A cart log of `events` rows: shoppers who mostly pay, abandoners, and campers who take
/// stock again as soon as their hold runs out.
fn cart_log(events: usize) -> Table {
    let mut rng = Rng::new(42);
    let mut rows = Rows {
        line: Vec::with_capacity(events),
        registered_at: Vec::with_capacity(events),
        quantity: Vec::with_capacity(events),
        status: Vec::with_capacity(events),
        checked_in: None,
        hold_expires_at: Some(Vec::with_capacity(events)),
        event_at: None,
        cancelled_at: None,
        price: None,
        texts: vec![
            (
                Role::Email,
                TextColumn::Str(StrColumn::with_capacity(events, events * 24)),
            ),
            (
                Role::TicketType,
                TextColumn::Cat(Categorical::with_capacity(events)),
            ),
        ],
    };
    let items = ["Shirt", "Cap", "Mug", "Poster", "Tote", "Pin"];
    let mut t = 1_780_000_000i64;
    let push = |rows: &mut Rows, t: i64, who: &str, item: &str, qty: u32, s: Status| {
        rows.line.push(rows.line.len() as u32 + 2);
        rows.registered_at.push(t);
        rows.quantity.push(qty);
        rows.status.push(s);
        if let Some(e) = rows.hold_expires_at.as_mut() {
            e.push(if s == Status::Pending {
                t + 1800
            } else {
                i64::MIN
            });
        }
        rows.texts[0].1.push(who);
        rows.texts[1].1.push(item);
    };
    while rows.len() + 2 <= events {
        t += 1 + rng.below(4) as i64;
        let item = items[rng.below(items.len() as u64) as usize];
        let camper = rng.chance(0.1);
        let who = if camper {
            format!("camper{}+{}@gmail.com", rng.below(50), rng.below(4))
        } else {
            format!("buyer{}@example.org", rng.below(200_000))
        };
        let qty = if camper { 10 } else { 1 + rng.below(2) as u32 };
        push(&mut rows, t, &who, item, qty, Status::Pending);
        let end = if !camper && rng.chance(0.75) {
            Status::Confirmed
        } else {
            Status::Expired
        };
        let after = if end == Status::Confirmed {
            rng.below(900) as i64
        } else {
            1800
        };
        push(&mut rows, t + after, &who, item, qty, end);
    }
    turnout::demo::table("bench cart log", Edition::Current, rows)
}

fn holds(c: &mut Criterion) {
    let table = cart_log(1_000_000);
    let settings = HoldSettings::default();
    let mut group = c.benchmark_group("holds");
    group.sample_size(10);
    group.bench_function("read + replay + hoarders, 1M hold events", |b| {
        b.iter(|| {
            let log = HoldLog::from_table(black_box(&table), 30);
            black_box(analyse(&log, &settings))
        })
    });
    let log = HoldLog::from_table(&table, 30);
    let inv = analyse(&log, &settings);
    group.bench_function("what-if replay on a slider move, 1M hold events", |b| {
        let mut minutes = 5;
        b.iter(|| {
            minutes = if minutes >= 30 { 5 } else { minutes + 1 };
            black_box(what_if(
                &log,
                &inv,
                Policy {
                    hold_minutes: minutes,
                    limit: 4,
                },
            ))
        })
    });
    group.finish();
}

criterion_group!(benches, holds);
criterion_main!(benches);
