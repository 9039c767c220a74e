//! Fake and coordinated registrations, against the generator's truth: precision and recall on
//! the rally and two further scenarios, and a genuine surge that must stay unflagged.
//! Set `TURNOUT_FULL_DEMO=1` to score the full million-row rally (use `--release`).

use turnout::analysis::flags::{FlagSettings, score_rows};
use turnout::demo::{Demo, DemoConfig, Scenario, Segment};

struct Figures {
    precision: f64,
    recall: f64,
    surge_flagged: f64,
}

fn measure(scenario: Scenario, rows: usize) -> Figures {
    let demo = Demo::generate(&DemoConfig {
        rows,
        seed: 11,
        scenario,
    });
    let table = &demo.dataset.tables[0];
    let truth = &demo.truth[0];
    let settings = FlagSettings::default();
    let flags = score_rows(&table.rows, &settings);
    let (mut tp, mut fp, mut fn_, mut surge, mut surge_flagged) = (0u64, 0u64, 0u64, 0u64, 0u64);
    for i in 0..table.rows.len() {
        let flagged = flags.is_flagged(i, settings.threshold);
        let fake = truth.is_fake(i);
        match (flagged, fake) {
            (true, true) => tp += 1,
            (true, false) => {
                fp += 1;
                if std::env::var("TURNOUT_DEBUG_FLAGS").is_ok() && fp < 15 {
                    let r = &table.rows;
                    let t = |role| {
                        r.text(role)
                            .map(|c| c.get(i).to_string())
                            .unwrap_or_default()
                    };
                    use turnout::import::Role;
                    eprintln!(
                        "FP {:?} {:.2} {:?} {} {} {} {}",
                        truth.segment[i],
                        flags.score[i],
                        flags.reasons_of(i),
                        t(Role::Email),
                        t(Role::FirstName),
                        t(Role::LastName),
                        t(Role::Region)
                    );
                }
            }
            (false, true) => fn_ += 1,
            _ => {}
        }
        if truth.segment[i] == Segment::SurgeFan {
            surge += 1;
            surge_flagged += flagged as u64;
        }
    }
    let f = Figures {
        precision: tp as f64 / (tp + fp).max(1) as f64,
        recall: tp as f64 / (tp + fn_).max(1) as f64,
        surge_flagged: surge_flagged as f64 / surge.max(1) as f64,
    };
    println!(
        "{scenario:?} ({rows} rows): precision {:.3}, recall {:.3}, genuine surge flagged {:.1}%, bursts {}",
        f.precision,
        f.recall,
        f.surge_flagged * 100.0,
        flags.bursts.len()
    );
    f
}

fn rows() -> usize {
    if std::env::var("TURNOUT_FULL_DEMO").is_ok() {
        1_000_000
    } else {
        150_000
    }
}

#[test]
fn the_rally_fakes_are_found() {
    let f = measure(Scenario::Rally, rows());
    assert!(f.precision >= 0.9 && f.recall >= 0.9);
    assert!(
        f.surge_flagged <= 0.10,
        "a real surge is not flagged on timing alone"
    );
}

#[test]
fn a_slow_drip_of_fakes_without_bursts_is_found() {
    let f = measure(Scenario::SlowDrip, rows() / 3);
    assert!(f.precision >= 0.9 && f.recall >= 0.9);
}

#[test]
fn a_genuine_local_surge_stays_unflagged() {
    let f = measure(Scenario::LocalSurge, rows() / 3);
    assert!(f.surge_flagged <= 0.10);
    assert!(f.precision >= 0.9 && f.recall >= 0.9);
}
