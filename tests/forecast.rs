//! The attendance forecast against known truth: the Tulsa-like demo a week before the event,
//! and many simulated events with known show-up rates (interval coverage).

use turnout::analysis::Aggregates;
use turnout::analysis::flags::{FlagSettings, masks, score_tables};
use turnout::analysis::forecast::{Assumptions, Model, backtest};
use turnout::demo::{Demo, DemoConfig};

fn demo_forecast(rows: usize, days_before: i64) -> (Demo, Aggregates, Assumptions) {
    let demo = Demo::generate(&DemoConfig {
        rows,
        ..DemoConfig::default()
    });
    let settings = FlagSettings::default();
    let scored = score_tables(&demo.dataset, &settings);
    let flags = masks(&scored, settings.threshold, &Default::default());
    let agg = Aggregates::build(&demo.dataset, &flags);
    let a = Assumptions {
        capacity: demo.venue.capacity,
        overflow_capacity: demo.venue.overflow_capacity,
        event_start: Some(demo.venue.event_start),
        as_of: Some(demo.venue.event_start - days_before * 86_400),
        ..Assumptions::default()
    };
    (demo, agg, a)
}

#[test]
fn tulsa_demo_a_week_before_is_within_15_percent() {
    let (demo, agg, a) = demo_forecast(1_000_000, 7);
    let truth = demo.truth[0].attendance(&demo.dataset.tables[0].rows) as f64;
    let o = Model::prepare(&agg, &a).outlook(&agg, &a);
    let naive = o.registrations as f64 * 0.6;
    eprintln!(
        "truth {truth}; forecast P10 {:.0} P50 {:.0} P90 {:.0}; registrations × 0.6 = {naive:.0}",
        o.attendance.p10, o.attendance.p50, o.attendance.p90
    );
    assert!(
        (o.attendance.p50 / truth - 1.0).abs() <= 0.15,
        "forecast {:.0} vs truth {truth}",
        o.attendance.p50
    );
    assert!(o.attendance.p10 <= truth && truth <= o.attendance.p90 * 1.05);
    assert!(
        naive / truth > 5.0,
        "registrations × 0.6 = {naive:.0} is not far off"
    );
    // The backtest runs on the three past editions and scores every method.
    let b = backtest(&agg, &a).expect("past editions have check-ins");
    assert_eq!(b.editions.len(), 2, "the first edition has none before it");
    assert_eq!(b.scores.len(), 4);
    assert!(b.scores[0].coverage_p10_p90.is_some());
}

// ---- Simulated events with known show-up rates ----

use proptest::prelude::*;
use turnout::analysis::aggregate::{EditionStats, EventCounts, Segment};
use turnout::analysis::segments::{Home, LEADS, SegmentKey};
use turnout::analysis::series::{Reg, Series, SeriesEvent};
use turnout::demo::rng::Rng;

fn segment(home: Home, tickets: u64) -> Segment {
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
        tickets,
        key,
    }
}

/// Binomial draw by normal approximation (counts are in the thousands).
fn binomial(rng: &mut Rng, n: u64, p: f64) -> u64 {
    let p = p.clamp(0.0, 1.0);
    let mean = n as f64 * p;
    let sd = (mean * (1.0 - p)).sqrt();
    (mean + sd * rng.normal()).round().clamp(0.0, n as f64) as u64
}

/// A world with two segments of known rates and an event-day shock of spread `shock`.
struct World {
    rates: [f64; 2],
    shock: f64,
}

impl World {
    /// One edition's registrations and who came.
    fn edition(&self, rng: &mut Rng, sizes: [u64; 2]) -> ([(u64, u64); 2], u64) {
        let s = (self.shock * rng.normal() - self.shock * self.shock / 2.0).exp();
        let mut cells = [(0, 0); 2];
        let mut came = 0;
        for k in 0..2 {
            let c = binomial(rng, sizes[k], self.rates[k] * s);
            cells[k] = (sizes[k], c);
            came += c;
        }
        (cells, came)
    }
}

fn past(cells: [(u64, u64); 2], lead: usize) -> EditionStats {
    let mut by_segment = vec![[(0u64, 0u64); LEADS]; 2];
    for k in 0..2 {
        by_segment[k][lead] = cells[k];
    }
    let registrations = cells[0].0 + cells[1].0;
    EditionStats {
        label: "past".into(),
        event_start: Some(0),
        start_inferred: false,
        registrations,
        came: Some(cells[0].1 + cells[1].1),
        cells: by_segment,
        home_region: "X".into(),
    }
}

/// Registrations of `sizes` per segment, made `lead` days before `start`.
fn regs(sizes: [u64; 2], came: [u64; 2], start: i64) -> Vec<Reg> {
    (0..2)
        .map(|k| Reg {
            t: start - 3 * 86_400,
            held: Reg::FOREVER,
            qty: sizes[k] as u32,
            seg: k as u32,
            came: false,
            flagged: false,
            pool: false,
            cancelled: false,
        })
        .chain((0..2).map(|k| Reg {
            t: start - 3 * 86_400,
            held: Reg::FOREVER,
            qty: came[k] as u32,
            seg: k as u32,
            came: true,
            flagged: false,
            pool: false,
            cancelled: false,
        }))
        .filter(|r| r.qty > 0)
        .collect()
}

/// Aggregates for an event whose registrations are all in, with `history`.
fn event(sizes: [u64; 2], history: Vec<EditionStats>) -> (Aggregates, Assumptions) {
    let start = 1_000 * 86_400;
    let mut events: Vec<SeriesEvent> = history
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let s = start - (history.len() - i) as i64 * 365 * 86_400;
            let total = [e.cells[0][2].0, e.cells[1][2].0];
            let came = [e.cells[0][2].1, e.cells[1][2].1];
            SeriesEvent {
                label: format!("past {i}"),
                start: Some(s),
                regs: regs([total[0] - came[0], total[1] - came[1]], came, s),
                has_checkins: true,
                ..SeriesEvent::default()
            }
        })
        .collect();
    events.push(SeriesEvent {
        label: "now".into(),
        start: Some(start),
        regs: regs(sizes, [0, 0], start),
        focus: true,
        ..SeriesEvent::default()
    });
    let focus = events.len() - 1;
    let agg = Aggregates {
        current: EventCounts {
            hour0: start - 3 * 86_400,
            hourly: vec![vec![sizes[0] as u32, sizes[1] as u32]],
            flagged_hourly: vec![0],
            undated: vec![0, 0],
            flagged_total: 0,
        },
        segments: vec![
            segment(Home::Local, sizes[0]),
            segment(Home::Away, sizes[1]),
        ],
        history,
        series: Series::new(events, false),
        focus: Some(focus),
        ..Aggregates::default()
    };
    let a = Assumptions {
        event_start: Some(start),
        as_of: Some(start),
        capacity: 1_000,
        ..Assumptions::default()
    };
    (agg, a)
}

#[test]
fn p10_p90_holds_the_truth_about_80_percent_of_the_time() {
    let mut rng = Rng::new(2026);
    let (mut inside, mut inside90, trials) = (0, 0, 400);
    for _ in 0..trials {
        let world = World {
            rates: [0.3 + 0.4 * rng.f64(), 0.02 + 0.1 * rng.f64()],
            shock: 0.12,
        };
        let history: Vec<EditionStats> = (0..5)
            .map(|_| {
                let sizes = [500 + rng.below(3_000), 500 + rng.below(6_000)];
                past(world.edition(&mut rng, sizes).0, 2)
            })
            .collect();
        let sizes = [500 + rng.below(3_000), 500 + rng.below(6_000)];
        let (_, truth) = world.edition(&mut rng, sizes);
        let (agg, a) = event(sizes, history);
        let o = Model::prepare(&agg, &a).outlook(&agg, &a);
        let t = truth as f64;
        inside += (o.attendance.p10 <= t && t <= o.attendance.p90) as u32;
        inside90 += (o.attendance.p5 <= t && t <= o.attendance.p95) as u32;
    }
    let cover = inside as f64 / trials as f64;
    let cover90 = inside90 as f64 / trials as f64;
    eprintln!("P10–P90 coverage {cover:.3}, P5–P95 {cover90:.3}");
    assert!((0.70..=0.90).contains(&cover), "P10–P90 covered {cover}");
    assert!((0.82..=0.97).contains(&cover90), "P5–P95 covered {cover90}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn intervals_nest_and_overflow_falls_with_capacity(
        local in 0u64..5_000,
        away in 0u64..20_000,
        rate in 0.05f64..0.9,
        editions in 0usize..4,
        walk_ins in 0u64..500,
    ) {
        let world = World { rates: [rate, rate / 5.0], shock: 0.1 };
        let mut rng = Rng::new(local ^ away);
        let history = (0..editions)
            .map(|_| past(world.edition(&mut rng, [1_000, 2_000]).0, 2))
            .collect();
        let (agg, mut a) = event([local, away], history);
        a.walk_ins = walk_ins;
        let model = Model::prepare(&agg, &a);
        let mut last = 1.0;
        for capacity in [0u64, 100, 1_000, 3_000, 10_000, 100_000] {
            a.capacity = capacity;
            let o = model.outlook(&agg, &a);
            let q = o.attendance;
            prop_assert!(q.p5 <= q.p10 && q.p10 <= q.p50 && q.p50 <= q.p90 && q.p90 <= q.p95);
            let r = o.final_registrations;
            prop_assert!(r.p5 <= r.p10 && r.p10 <= r.p50 && r.p50 <= r.p90 && r.p90 <= r.p95);
            if capacity > 0 {
                prop_assert!(o.p_over_capacity <= last + 1e-12);
                last = o.p_over_capacity;
            }
            prop_assert!(o.expected_empty_seats >= 0.0 && o.expected_turned_away >= 0.0);
        }
    }

    #[test]
    fn more_history_narrows_the_interval(
        rate in 0.1f64..0.8,
        local in 1_000u64..5_000,
        away in 1_000u64..5_000,
    ) {
        // Past editions that behaved exactly alike: each one more makes the forecast surer.
        let world = World { rates: [rate, rate / 4.0], shock: 0.0 };
        let mut rng = Rng::new(local * 7 + away);
        let width = |editions: usize, rng: &mut Rng| {
            let history = (0..editions)
                .map(|_| past(world.edition(rng, [4_000, 4_000]).0, 2))
                .collect();
            let (agg, a) = event([local, away], history);
            let o = Model::prepare(&agg, &a).outlook(&agg, &a);
            o.attendance.p90 - o.attendance.p10
        };
        let none = width(0, &mut rng);
        let one = width(1, &mut rng);
        let six = width(6, &mut rng);
        prop_assert!(one < none, "{one} vs {none}");
        prop_assert!(six < one, "{six} vs {one}");
    }
}
