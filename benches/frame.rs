//! `cargo bench --bench frame`: one whole dashboard frame (logic + ui, chart included, plus
//! egui's tessellation) on the 1M-row demo while the capacity changes every frame, as when
//! dragging the capacity slider. Runs headless through egui_kittest (no GPU upload or present).

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use egui_kittest::Harness;
use turnout::app::{Command, Session, StartOptions, TurnoutApp};
use turnout::demo::{Demo, DemoConfig};

fn frame(c: &mut Criterion) {
    let demo = Demo::generate(&DemoConfig::default());
    let mut h = Harness::builder()
        .with_size(egui::vec2(1440.0, 900.0))
        .with_accessibility_check(false)
        .build_eframe(|cc| {
            TurnoutApp::new(cc, Some(Session::from_demo(demo)), StartOptions::default())
        });
    h.run_steps(5);
    let mut capacity = 19_000u64;
    let mut group = c.benchmark_group("frame");
    group.sample_size(60);
    group.bench_function("1M demo, dragging capacity", |b| {
        b.iter(|| {
            capacity = if capacity > 60_000 {
                5_000
            } else {
                capacity + 997
            };
            let mut settings = h.state().session.settings.clone();
            settings.assumptions.capacity = capacity;
            h.state().sender().send(Command::SetSettings {
                settings: Box::new(settings),
                coalesce: Some("capacity"),
            });
            h.step();
            let shapes = h.output().shapes.clone();
            black_box(h.ctx.tessellate(shapes, 1.0));
        })
    });
    group.finish();
}

criterion_group!(benches, frame);
criterion_main!(benches);
