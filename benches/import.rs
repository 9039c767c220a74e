//! `cargo bench`: file to ready dataset on a generated 1M-row Eventbrite export, the embedded
//! demo, and the report over a million rows.
//!
//! The export is written once into `target/bench-data/` (about 200 MB) and reused.

use std::hint::black_box;
use std::path::PathBuf;

use criterion::{Criterion, criterion_group, criterion_main};
use jiff::tz::TimeZone;
use turnout::demo::{Demo, DemoConfig, Layout, export};
use turnout::import::{ImportOptions, import_file};
use turnout::report::{Report, ReportOptions};

fn eventbrite_file(layout: Layout) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("target/bench-data")
        .join(layout.slug());
    let path = dir.join(format!("rally-{}.csv", layout.slug()));
    if !path.exists() {
        let demo = Demo::generate(&DemoConfig::default());
        export::write_all(&demo, layout, &dir).expect("write bench data");
    }
    path
}

fn import(c: &mut Criterion) {
    let opts = ImportOptions {
        time_zone: Some(TimeZone::get("America/Chicago").unwrap()),
        ..ImportOptions::default()
    };
    let mut group = c.benchmark_group("import");
    group.sample_size(10);
    for layout in [Layout::EventbriteIso, Layout::Eventbrite] {
        let path = eventbrite_file(layout);
        let bytes = std::fs::metadata(&path).unwrap().len();
        group.throughput(criterion::Throughput::Bytes(bytes));
        group.bench_function(format!("1M rows {}", layout.slug()), |b| {
            b.iter(|| black_box(import_file(&path, &opts).unwrap()))
        });
    }
    group.finish();
}

fn demo_and_report(c: &mut Criterion) {
    let mut group = c.benchmark_group("demo");
    group.sample_size(10);
    group.bench_function("generate 1M", |b| {
        b.iter(|| black_box(Demo::generate(&DemoConfig::default())))
    });
    let demo = Demo::generate(&DemoConfig::default());
    let opts = ReportOptions {
        capacity: Some(demo.venue.capacity),
        event_start: Some(demo.venue.event_start),
        as_of: None,
        time_zone: demo.venue.time_zone(),
    };
    group.bench_function("report 1M", |b| {
        b.iter(|| black_box(Report::build(&demo.dataset, &opts)))
    });
    let rows = &demo.dataset.tables[0].rows;
    let settings = turnout::analysis::flags::FlagSettings::default();
    group.bench_function("flag signals 1M", |b| {
        b.iter(|| black_box(turnout::analysis::flags::score_rows(rows, &settings)))
    });
    let flags = turnout::analysis::flags::score_rows(rows, &settings);
    let marks = Default::default();
    group.bench_function("re-threshold 1M", |b| {
        b.iter(|| black_box(flags.mask(black_box(0.6), &marks)))
    });
    let masks = vec![flags.mask(0.5, &marks)];
    group.bench_function(
        "home regions and returning registrants 1M (once per load)",
        |b| b.iter(|| black_box(turnout::analysis::segments::table_traits(&demo.dataset, ""))),
    );
    let traits = turnout::analysis::segments::table_traits(&demo.dataset, "");
    let scope = turnout::analysis::aggregate::Scope::of(&demo.dataset, &jiff::tz::TimeZone::UTC);
    group.bench_function("aggregate 1M (after a threshold change)", |b| {
        b.iter(|| {
            black_box(turnout::analysis::Aggregates::build_with(
                &demo.dataset,
                &masks,
                &traits,
                &scope,
            ))
        })
    });
    group.finish();
}

criterion_group!(benches, import, demo_and_report);
criterion_main!(benches);
