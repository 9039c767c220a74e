//! The embedded demo, and its exports read back through the importer in every layout.

mod common;

use common::*;
use turnout::dataset::{Edition, came};
use turnout::demo::{Demo, DemoConfig, Layout, export};
use turnout::import::{ImportOptions, import_file, load_table};

fn small_demo() -> Demo {
    Demo::generate(&DemoConfig {
        rows: 6_000,
        seed: 42,
        ..DemoConfig::default()
    })
}

#[test]
fn the_rally_is_mostly_coordinated_fakes_and_few_come() {
    let demo = Demo::generate(&DemoConfig::default());
    let rally = &demo.dataset.tables[0];
    assert_eq!(rally.edition, Edition::Current);
    assert_eq!(rally.rows.len(), 1_000_000);
    let truth = &demo.truth[0];
    let fakes = (0..rally.rows.len()).filter(|&i| truth.is_fake(i)).count();
    assert!((930_000..950_000).contains(&fakes), "{fakes} fakes");
    let attendance = truth.attendance(&rally.rows);
    assert!(
        (5_000..7_500).contains(&attendance),
        "{attendance} came for {} seats",
        demo.venue.capacity
    );
    assert!(rally.rows.active_tickets() > 1_000_000);
    // Past editions carry check-ins that agree with the truth.
    for (k, (_, t)) in demo.dataset.history().enumerate() {
        let ci = t.rows.checked_in.as_ref().unwrap();
        let truth = &demo.truth[k + 1];
        for (i, &c) in ci.iter().enumerate() {
            assert_eq!(came(c), truth.attended[i]);
        }
    }
    // The merch sale: activists' carts blocked real buyers while stock sat unsold.
    assert!(demo.merch.truth.false_soldout_attempts > 100);
    assert_eq!(demo.merch.truth.hoarders.len(), 40);
}

#[test]
fn exports_in_every_layout_read_back() {
    let demo = small_demo();
    let rally = &demo.dataset.tables[0].rows;
    let tz = demo.venue.time_zone();
    let opts = ImportOptions {
        time_zone: Some(tz),
        ..ImportOptions::default()
    };
    let cancelled = rally.status.iter().filter(|s| !s.is_active()).count();
    for layout in [
        Layout::Eventbrite,
        Layout::EventbriteIso,
        Layout::EventbriteDe,
        Layout::Pretix,
        Layout::PretixDe,
        Layout::Luma,
        Layout::Zoom,
        Layout::GoogleForms,
        Layout::HiEvents,
    ] {
        let dir = tempfile::tempdir().unwrap();
        let written = export::write_all(&demo, layout, dir.path()).unwrap();
        let path = &written[0].path;
        let f = import_file(path, &opts).unwrap_or_else(|e| panic!("{layout:?}: {e}"));
        assert_eq!(f.report.rejected_count, 0, "{layout:?}");
        let expected = if layout == Layout::GoogleForms {
            rally.len() - cancelled
        } else {
            rally.len()
        };
        assert_eq!(f.rows.len(), expected, "{layout:?}");
        if layout != Layout::GoogleForms {
            // Minute precision for the US short format, the second elsewhere.
            let tolerance = if layout == Layout::Eventbrite { 59 } else { 0 };
            for i in (0..rally.len()).step_by(97) {
                let d = rally.registered_at[i] - f.rows.registered_at[i];
                assert!(
                    (0..=tolerance).contains(&d),
                    "{layout:?} row {i}: off by {d}s"
                );
                assert_eq!(
                    rally.status[i].is_active(),
                    f.rows.status[i].is_active(),
                    "{layout:?} row {i}"
                );
            }
        }
        // Past editions come back with the same number of people who came.
        for (k, (_, past)) in demo.dataset.history().enumerate() {
            let p = &written[k + 1].path;
            let t = load_table(p, Edition::Past { event_start: None }, &opts)
                .unwrap_or_else(|e| panic!("{layout:?} history: {e}"));
            let came_truth: usize = (0..past.rows.len())
                .filter(|&i| demo.truth[k + 1].attended[i])
                .count();
            let came_read = (0..t.rows.len()).filter(|&i| t.rows.came(i)).count();
            assert_eq!(came_read, came_truth, "{layout:?} {}", p.display());
            if let Edition::Past {
                event_start: Some(inferred),
            } = t.edition
            {
                let real = match past.edition {
                    Edition::Past { event_start } => event_start.unwrap(),
                    _ => unreachable!(),
                };
                assert!(
                    (real - inferred).abs() <= 3 * 3600,
                    "{layout:?}: inferred start off"
                );
            }
        }
    }
}

#[test]
fn demo_files_are_deterministic() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    export::write_all(&small_demo(), Layout::Luma, a.path()).unwrap();
    export::write_all(&small_demo(), Layout::Luma, b.path()).unwrap();
    let read = |d: &std::path::Path| std::fs::read(d.join("rally-luma.csv")).unwrap();
    assert_eq!(read(a.path()), read(b.path()));
    let merch = import_file(&a.path().join("merch-cart-log.csv"), &chicago()).unwrap();
    assert!(merch.rows.hold_expires_at.is_some());
    assert_eq!(merch.report.rejected_count, 0);
}
