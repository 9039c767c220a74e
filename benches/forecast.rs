//! The forecast's speed: the slider path (a full recompute from the aggregates) must stay
//! under 1 ms whatever the row count, and the Monte Carlo under 5 ms for 10,000 draws.
//!
//! `cargo bench --bench forecast`

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use turnout::analysis::Aggregates;
use turnout::analysis::flags::{FlagSettings, masks, score_tables};
use turnout::analysis::forecast::engine::Spread;
use turnout::analysis::forecast::simulate::{DRAWS, Inputs, Simulation};
use turnout::analysis::forecast::{Assumptions, Model, backtest};
use turnout::demo::{Demo, DemoConfig};

fn forecast(c: &mut Criterion) {
    let mut group = c.benchmark_group("forecast");
    for rows in [10_000usize, 1_000_000] {
        let demo = Demo::generate(&DemoConfig {
            rows,
            ..DemoConfig::default()
        });
        let settings = FlagSettings::default();
        let scored = score_tables(&demo.dataset, &settings);
        let flags = masks(&scored, settings.threshold, &Default::default());
        let agg = Aggregates::build(&demo.dataset, &flags);
        let mut a = Assumptions {
            capacity: demo.venue.capacity,
            overflow_capacity: demo.venue.overflow_capacity,
            event_start: Some(demo.venue.event_start),
            as_of: Some(demo.venue.event_start - 7 * 86_400),
            ..Assumptions::default()
        };
        let model = Model::prepare(&agg, &a);
        group.bench_function(format!("recompute on a slider move, {rows} rows"), |b| {
            let mut capacity = 10_000;
            b.iter(|| {
                capacity = if capacity > 30_000 {
                    10_000
                } else {
                    capacity + 37
                };
                a.capacity = capacity;
                black_box(model.outlook(&agg, &a))
            })
        });
        group.bench_function(format!("calibrate on a prior change, {rows} rows"), |b| {
            b.iter(|| black_box(Model::prepare(&agg, &a)))
        });
        group.bench_function(format!("walk-forward backtest, {rows} rows"), |b| {
            b.iter(|| black_box(backtest(&agg, &a)))
        });
    }
    let misses: Vec<(f64, f64)> = (0..40).map(|i| ((i as f64 - 20.0) / 60.0, 0.18)).collect();
    let inputs = Inputs {
        attendance: 6_400.0,
        attendance_spread: Spread::parametric(0.18).with_misses(&misses),
        registrations: 88_000.0,
        registrations_spread: Spread::parametric(0.2),
        walk_ins: (200.0, 14.0),
        flagged: 900_000.0,
        flagged_rate: 0.01,
        shock: 0.18,
        came: 0.0,
    };
    group.bench_function(format!("Monte Carlo, {DRAWS} draws"), |b| {
        b.iter(|| black_box(Simulation::run(black_box(&inputs), DRAWS)))
    });
    group.finish();
}

criterion_group!(benches, forecast);
criterion_main!(benches);
