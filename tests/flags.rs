//! The fake detector against known truth, each case with its own generated data: genuine
//! crowds that once fooled it (numbered institutional addresses, masked addresses, repeat
//! buyers, a host's bulk invite, a TV-mention surge) must stay unflagged, and coordinated
//! waves (name counters with keyboard-mash addresses, the Tulsa-like rally) must be found.
//! Run with `--nocapture` for the table; `TURNOUT_FULL_DEMO=1` scores the full million-row
//! rally (use `--release`).

mod common;

use common::crowd::{self, Person, Row};
use turnout::analysis::flags::{
    Fact, FlagSettings, FlagSummary, GroupKind, Reason, RowFlags, RowState, TraitBasis, masks,
    score_rows, score_tables,
};
use turnout::dataset::{Dataset, Edition, Table};
use turnout::demo::rng::Rng;
use turnout::demo::{Demo, DemoConfig, Scenario, Segment};
use turnout::import::{ImportOptions, import_bytes};

/// Precision and recall on fakes, and the share of genuine rows flagged.
#[derive(Debug)]
struct Figures {
    precision: f64,
    recall: f64,
    genuine_flagged: f64,
    fakes: usize,
    rows: usize,
}

fn figures(name: &str, flags: &RowFlags, truth: &[bool]) -> Figures {
    let t = FlagSettings::default().threshold;
    let (mut tp, mut fp, mut fn_, mut genuine) = (0usize, 0usize, 0usize, 0usize);
    for (i, &fake) in truth.iter().enumerate() {
        let flagged = flags.is_flagged(i, t);
        match (flagged, fake) {
            (true, true) => tp += 1,
            (true, false) => fp += 1,
            (false, true) => fn_ += 1,
            _ => {}
        }
        genuine += !fake as usize;
    }
    let f = Figures {
        precision: if tp + fp == 0 {
            1.0
        } else {
            tp as f64 / (tp + fp) as f64
        },
        recall: if tp + fn_ == 0 {
            1.0
        } else {
            tp as f64 / (tp + fn_) as f64
        },
        genuine_flagged: fp as f64 / genuine.max(1) as f64,
        fakes: tp + fn_,
        rows: truth.len(),
    };
    println!(
        "| {name} | {} | {} | {:.3} | {:.3} | {:.1}% |",
        f.rows,
        f.fakes,
        f.precision,
        f.recall,
        f.genuine_flagged * 100.0
    );
    for tr in &flags.traits {
        println!("|   trait: {} |", tr.sentence());
    }
    f
}

fn import(name: &str, csv: &str, edition: Edition) -> Table {
    let opts = ImportOptions {
        time_zone: Some(jiff::tz::TimeZone::UTC),
        ..ImportOptions::default()
    };
    let imported = import_bytes(std::path::Path::new(name), csv.as_bytes(), &opts)
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    Table {
        label: name.to_string(),
        edition,
        rows: imported.rows,
        report: imported.report,
    }
}

/// Scores a current table (first) with its past editions; returns the current table's flags.
/// With `TURNOUT_DEBUG_FLAGS` set, prints flagged rows with their reasons.
fn debug(r: &turnout::dataset::Rows, flags: &RowFlags) {
    if std::env::var("TURNOUT_DEBUG_FLAGS").is_err() {
        return;
    }
    let text = |role, i| {
        r.text(role)
            .map(|c| c.get(i).to_string())
            .unwrap_or_default()
    };
    use turnout::import::Role;
    for i in (0..r.len()).filter(|&i| flags.is_flagged(i, 0.5)).take(20) {
        eprintln!(
            "flagged {:.2} {:?} {:?} {} | {} {} {}",
            flags.score[i],
            flags.reasons_of(i),
            flags.facts_of(i),
            text(Role::Email, i),
            text(Role::FirstName, i),
            text(Role::LastName, i),
            text(Role::Name, i),
        );
    }
}

fn score(tables: Vec<Table>) -> (Dataset, RowFlags) {
    let mut data = Dataset::default();
    for t in tables {
        data.push(t);
    }
    let mut scored = score_tables(&data, &FlagSettings::default());
    let flags = scored[0].take().expect("the current table is scored");
    debug(&data.tables[0].rows, &flags);
    (data, flags)
}

const DAY: i64 = 86_400;

fn utc(s: &str) -> i64 {
    s.parse::<jiff::Timestamp>().unwrap().as_second()
}

/// A conference whose registrants get numbered guest accounts (`guest2026455@example.net`),
/// like students' and employees' numbers, in signup order.
fn conference_edition(rng: &mut Rng, year: i64, rows: usize, past: bool) -> (String, Vec<bool>) {
    let start = utc(&format!("{year}-09-15T09:00:00Z"));
    let mut times: Vec<i64> = (0..rows)
        .map(|k| {
            if k < rows / 5 {
                // Registration opens with a rush.
                start - 45 * DAY + (rng.exp(3.0) * 3600.0) as i64
            } else {
                crowd::organic_time(rng, start, 45.0)
            }
        })
        .collect();
    times.sort_unstable();
    let regions = [
        "CA", "CA", "CA", "WA", "OR", "NY", "TX", "Ontario", "Bavaria",
    ];
    let out: Vec<Row> = times
        .iter()
        .enumerate()
        .map(|(seq, &at)| {
            let mut p = crowd::genuine(rng, &["example.net"], "");
            p.region = rng.pick(&regions).to_string();
            p.email = format!("guest{year}{:03}@example.net", seq + 100);
            Row {
                at,
                person: p,
                status: "Attending",
                checked_in: past && rng.chance(0.88),
                price: 0.0,
                order: 10_000 + seq as u64,
                fake: false,
            }
        })
        .collect();
    crowd::attendee_csv(out)
}

#[test]
fn numbered_institutional_addresses_are_a_trait_of_the_audience() {
    let mut rng = Rng::new(7);
    let (csv, truth) = conference_edition(&mut rng, 2026, 1011, false);
    let mut tables = vec![import("conference-2026.csv", &csv, Edition::Current)];
    for year in 2023..2026 {
        let (past, _) = conference_edition(&mut rng, year, 950, true);
        tables.push(import(
            &format!("conference-{year}.csv"),
            &past,
            Edition::Past {
                event_start: Some(utc(&format!("{year}-09-15T09:00:00Z"))),
            },
        ));
    }
    let (data, flags) = score(tables);
    let f = figures("conference, 3 past editions", &flags, &truth);
    assert!(f.genuine_flagged <= 0.02, "{f:?}");
    // The report says why the pattern was not used.
    let t = flags
        .traits
        .iter()
        .find(|t| t.reason == Reason::SequentialAddresses)
        .expect("running numbers reported as a trait");
    assert_eq!(t.basis, TraitBasis::PeopleWhoCame);
    assert!(t.among_came.unwrap() > 0.9, "{t:?}");
    assert!(
        t.sentence().contains("not used as evidence"),
        "{}",
        t.sentence()
    );
    assert!(flags.reference > 2000);
    // Nobody is dropped from the forecast's count.
    let m = masks(&[Some(flags)], 0.5, &Default::default());
    let agg = turnout::analysis::Aggregates::build(&data, &m);
    assert!(
        agg.current.flagged_total <= 20,
        "{}",
        agg.current.flagged_total
    );

    // Without past editions: alone the pattern would flag the whole event, so it is not
    // evidence either.
    let alone = score_rows(&data.tables[0].rows, &FlagSettings::default());
    debug(&data.tables[0].rows, &alone);
    let f = figures("conference, no history", &alone, &truth);
    assert!(f.genuine_flagged <= 0.02, "{f:?}");
    assert!(
        alone
            .traits
            .iter()
            .any(|t| t.reason == Reason::SequentialAddresses
                && t.basis == TraitBasis::MostOfTheEvent)
    );
}

#[test]
fn masked_addresses_are_not_identities() {
    let mut rng = Rng::new(11);
    let start = utc("2026-03-10T08:00:00Z");
    let mut csv = String::from(
        "api_id,name,first_name,last_name,email,created_at,approval_status,checked_in_at\n",
    );
    let indonesian_first = [
        "Dewi", "Putri", "Budi", "Rizky", "Siti", "Agus", "Ayu", "Dian", "Eka", "Fajar", "Indah",
        "Nur", "Sri", "Wahyu", "Yogi", "Zahra",
    ];
    let indonesian_last = [
        "Santoso",
        "Wijaya",
        "Hartono",
        "Setiawan",
        "Pratama",
        "Saputra",
        "Lestari",
        "Kurniawan",
        "Nugroho",
        "Rahmawati",
        "Hidayat",
        "",
    ];
    let mut truth = Vec::new();
    let mut times: Vec<i64> = (0..488)
        .map(|_| crowd::organic_time(&mut rng, start, 14.0))
        .collect();
    times.sort_unstable();
    for (k, &at) in times.iter().enumerate() {
        let first = *rng.pick(&indonesian_first);
        let last = *rng.pick(&indonesian_last);
        let domain = *rng.pick(&["unpak.ac.id", "unpak.ac.id", "gmail.com", "yahoo.co.id"]);
        let initial = crowd::ascii(first).chars().next().unwrap();
        let email = format!("{initial}*****@{domain}");
        let name = if last.is_empty() {
            first.to_string()
        } else {
            format!("{first} {last}")
        };
        let came = k % 7 < 4;
        let ts = |t: i64| {
            jiff::Timestamp::from_second(t)
                .unwrap()
                .strftime("%Y-%m-%dT%H:%M:%S.000Z")
                .to_string()
        };
        csv.push_str(&format!(
            "gst-{k:05},{name},{first},{last},{email},{},approved,{}\n",
            ts(at),
            if came { ts(start + 600) } else { String::new() }
        ));
        truth.push(false);
    }
    let (_, flags) = score(vec![import("meetup.csv", &csv, Edition::Current)]);
    let f = figures("masked addresses (meetup)", &flags, &truth);
    assert!(f.genuine_flagged <= 0.02, "{f:?}");
    assert!(flags.masked.contains(&turnout::import::Role::Email));
    for i in 0..truth.len() {
        let r = flags.reasons_of(i);
        assert!(
            !r.contains(&Reason::RepeatedIdentity)
                && !r.contains(&Reason::NameEmailMismatch)
                && !r.contains(&Reason::RandomLocalPart),
            "{r:?}"
        );
        assert!(flags.has(i, Fact::Masked));
    }
}

#[test]
fn paid_repeat_buyers_are_grouped_not_flagged() {
    let mut rng = Rng::new(5);
    let start = utc("2026-05-01T18:00:00Z");
    let mut rows = Vec::new();
    let mut order = 5000u64;
    // 108 single purchases and 10 buyers who paid 2 to 5 times.
    for _ in 0..108 {
        order += 1;
        rows.push(Row {
            at: crowd::organic_time(&mut rng, start, 30.0),
            person: crowd::genuine(&mut rng, crowd::FREE, "OK"),
            status: "Paid",
            checked_in: false,
            price: 25.0,
            order,
            fake: false,
        });
    }
    let mut repeat_rows = 0;
    for (k, orders) in [2, 3, 4, 5, 2, 3, 2, 3, 2, 2].into_iter().enumerate() {
        let buyer = crowd::genuine(&mut rng, crowd::FREE, "OK");
        for j in 0..orders {
            order += 1;
            let mut p = buyer.clone();
            // Some buyers name a friend on later orders.
            if j > 0 && k % 3 == 0 {
                p.first = rng.pick(crowd::FIRSTS).to_string();
            }
            rows.push(Row {
                at: crowd::organic_time(&mut rng, start, 30.0),
                person: p,
                status: "Paid",
                checked_in: false,
                price: 25.0,
                order,
                fake: false,
            });
            repeat_rows += 1;
        }
    }
    assert_eq!(rows.len(), 136);
    assert_eq!(repeat_rows, 28);
    let (csv, truth) = crowd::attendee_csv(rows);
    let (data, flags) = score(vec![import("payments.csv", &csv, Edition::Current)]);
    let f = figures("paid repeat buyers", &flags, &truth);
    assert_eq!(f.genuine_flagged, 0.0, "{f:?}");
    let buyers = flags
        .groups
        .iter()
        .filter(|g| g.kind == GroupKind::RepeatBuyer)
        .count();
    assert_eq!(buyers, 10);
    let m = masks(&[Some(flags.clone())], 0.5, &Default::default());
    let s = FlagSummary::new(&data.tables[0].rows, &flags, &m[0], 0.5);
    assert_eq!((s.repeat_buyers, s.duplicates, s.count), (10, 0, 0));
}

#[test]
fn a_hosts_bulk_invite_is_not_a_burst_and_university_addresses_are_not_random() {
    let mut rng = Rng::new(3);
    let start = utc("2026-04-18T16:00:00Z");
    let invite_at = start - 10 * DAY + 15 * 3600;
    let mut csv = String::from(
        "api_id,name,first_name,last_name,email,created_at,approval_status,checked_in_at,amount\n",
    );
    let mut rows: Vec<(i64, Person, &str)> = Vec::new();
    let university = |rng: &mut Rng, p: &Person| -> String {
        let (f, l) = (crowd::ascii(&p.first), crowd::ascii(&p.last));
        let (f, l) = (
            if f.is_empty() { "x".into() } else { f },
            if l.is_empty() { "y".into() } else { l },
        );
        match rng.below(6) {
            // Andrew IDs, SUNet IDs, staff numbers: assigned, not chosen.
            0 => format!("{}{}{}@andrew.cmu.edu", &f[..1], &l[..1], rng.below(100)),
            1 => format!("{}{}@stanford.edu", &f[..1], crowd::mash(rng, 5)),
            2 => format!("{}@cs.stanford.edu", crowd::mash(rng, 7)),
            3 => format!("{f}{}@mit.edu", &l[..1]),
            // Apple's private relay: random by design.
            4 => format!(
                "{}{}@privaterelay.appleid.com",
                crowd::mash(rng, 8),
                rng.below(1000)
            ),
            _ => crowd::address(rng, &p.first, &p.last, "berkeley.edu"),
        }
    };
    // The host's invite list: 245 imported in two minutes, 200 invited over the hour.
    for k in 0..445 {
        let mut p = crowd::genuine(&mut rng, &["gmail.com"], "CA");
        p.email = university(&mut rng, &p);
        let (at, status) = if k < 245 {
            (invite_at + rng.below(120) as i64, "approved")
        } else {
            (invite_at + rng.below(3600) as i64, "invited")
        };
        rows.push((at, p, status));
    }
    for _ in 0..455 {
        let mut p = crowd::genuine(&mut rng, crowd::FREE, "CA");
        if rng.chance(0.5) {
            p.email = university(&mut rng, &p);
        }
        rows.push((crowd::organic_time(&mut rng, start, 21.0), p, "approved"));
    }
    rows.sort_by_key(|r| r.0);
    for (k, (at, p, status)) in rows.iter().enumerate() {
        let ts = jiff::Timestamp::from_second(*at)
            .unwrap()
            .strftime("%Y-%m-%dT%H:%M:%S.000Z");
        csv.push_str(&format!(
            "gst-{k},{} {},{},{},{},{ts},{status},,$0.00\n",
            crowd::field(&p.first),
            crowd::field(&p.last),
            crowd::field(&p.first),
            crowd::field(&p.last),
            p.email
        ));
    }
    let truth = vec![false; rows.len()];
    let (_, flags) = score(vec![import("hackathon.csv", &csv, Edition::Current)]);
    let f = figures("hackathon guest list, bulk invite", &flags, &truth);
    assert!(f.genuine_flagged <= 0.02, "{f:?}");
    // The invite hour is a block the host added, not a burst.
    assert!(
        flags
            .bursts
            .iter()
            .all(|b| b.end <= invite_at || b.start > invite_at + 3600),
        "{:?}",
        flags.bursts
    );
    assert!(!flags.bulk.is_empty());
    let host = (0..truth.len())
        .filter(|&i| flags.has(i, Fact::HostAdded) || flags.has(i, Fact::ArrivedInBulk))
        .count();
    assert!(host >= 440, "{host}");
    assert!(
        (0..truth.len()).all(|i| !flags.reasons_of(i).contains(&Reason::RandomLocalPart)
            || !flags.is_flagged(i, 0.5))
    );
}

/// A genuine event plus a wave of fakes named `K Pop123` with keyboard-mash addresses.
fn name_counter_wave(rng: &mut Rng) -> (String, Vec<bool>) {
    let start = utc("2026-06-20T23:00:00Z");
    let mut rows = Vec::new();
    let mut order = 1u64;
    for _ in 0..4000 {
        order += 1;
        rows.push(Row {
            at: crowd::organic_time(rng, start, 20.0),
            person: crowd::genuine(rng, crowd::FREE, "OK"),
            status: "Attending",
            checked_in: false,
            price: 0.0,
            order,
            fake: false,
        });
    }
    let wave = start - 6 * DAY + 7 * 3600;
    for k in 0..1500 {
        order += 1;
        let (first, last) = if k % 3 == 0 {
            ("K".to_string(), format!("Pop{}", 1 + rng.below(999)))
        } else if k % 3 == 1 {
            (
                rng.pick(&["Stan", "Mickey", "Tulsa"]).to_string(),
                format!("Fan{}", rng.below(500)),
            )
        } else {
            (
                rng.pick(&["K", "J", "B"]).to_string(),
                format!("Pop{}", rng.below(999)),
            )
        };
        let digits = match rng.below(3) {
            0 => String::new(),
            1 => rng.below(100).to_string(),
            _ => rng.below(1000).to_string(),
        };
        let len = 6 + rng.below(4) as usize;
        let email = format!(
            "{}{digits}@{}",
            crowd::mash(rng, len),
            rng.pick(&["gmail.com", "yahoo.com", "outlook.com", "hotmail.com"])
        );
        rows.push(Row {
            at: wave + (rng.exp(1.2) * 3600.0) as i64,
            person: Person {
                first,
                last,
                email,
                region: rng.pick(&["OK", "TX", "CA", "NY", ""]).to_string(),
                phone: String::new(),
            },
            status: "Attending",
            checked_in: false,
            price: 0.0,
            order,
            fake: true,
        });
    }
    crowd::attendee_csv(rows)
}

#[test]
fn name_counter_waves_are_found() {
    let mut rng = Rng::new(23);
    let (csv, truth) = name_counter_wave(&mut rng);
    let (_, flags) = score(vec![import("wave.csv", &csv, Edition::Current)]);
    let f = figures("name-counter wave (K Pop123)", &flags, &truth);
    assert!(f.precision >= 0.95 && f.recall >= 0.95, "{f:?}");
    assert!(f.genuine_flagged <= 0.02, "{f:?}");
    let counter = (0..truth.len())
        .filter(|&i| truth[i] && flags.reasons_of(i).contains(&Reason::NameCounter))
        .count();
    assert!(counter > 1000, "{counter}");
}

#[test]
fn a_genuine_tv_surge_stays_unflagged() {
    let mut rng = Rng::new(31);
    let start = utc("2026-07-04T20:00:00Z");
    let mention = start - 5 * DAY + 2 * 3600;
    let mut rows = Vec::new();
    for k in 0..8000u64 {
        let at = if k < 3000 {
            mention + (rng.exp(1.5) * 3600.0).min(20.0 * 3600.0) as i64
        } else {
            crowd::organic_time(&mut rng, start, 14.0)
        };
        let mut person = crowd::genuine(&mut rng, crowd::FREE, "OK");
        if rng.chance(0.2) {
            person.region = rng.pick(&["TX", "KS", "AR", "MO"]).to_string();
        }
        rows.push(Row {
            at,
            person,
            status: "Attending",
            checked_in: false,
            price: 0.0,
            order: 100 + k,
            fake: false,
        });
    }
    // A few people register twice; a few families share an address.
    let extra: Vec<Row> = rows[3000..3040]
        .iter()
        .map(|r| Row {
            at: r.at + 3 * DAY,
            order: r.order + 100_000,
            ..r.clone()
        })
        .collect();
    let families: Vec<Row> = rows[4000..4030]
        .iter()
        .map(|r| {
            let mut p = r.person.clone();
            p.first = rng.pick(crowd::FIRSTS).to_string();
            Row {
                person: p,
                order: r.order + 200_000,
                ..r.clone()
            }
        })
        .collect();
    rows.extend(extra);
    rows.extend(families);
    let (csv, truth) = crowd::attendee_csv(rows);
    let (data, flags) = score(vec![import("surge.csv", &csv, Edition::Current)]);
    let f = figures("genuine TV-mention surge", &flags, &truth);
    assert!(f.genuine_flagged <= 0.02, "{f:?}");
    assert!(!flags.bursts.is_empty(), "the surge is seen as a burst");
    let m = masks(&[Some(flags.clone())], 0.5, &Default::default());
    let dups = m[0].iter().filter(|s| **s == RowState::Duplicate).count();
    assert_eq!(dups, 40, "people registering twice are counted once");
    let s = FlagSummary::new(&data.tables[0].rows, &flags, &m[0], 0.5);
    assert_eq!(s.duplicates, 40);
}

struct DemoFigures {
    precision: f64,
    recall: f64,
    surge_flagged: f64,
}

fn measure_demo(scenario: Scenario, rows: usize, with_history: bool) -> DemoFigures {
    let demo = Demo::generate(&DemoConfig {
        rows,
        seed: 11,
        scenario,
    });
    let table = &demo.dataset.tables[0];
    let truth = &demo.truth[0];
    let flags = if with_history {
        score_tables(&demo.dataset, &FlagSettings::default())
            .swap_remove(0)
            .unwrap()
    } else {
        score_rows(&table.rows, &FlagSettings::default())
    };
    let fakes: Vec<bool> = (0..table.rows.len()).map(|i| truth.is_fake(i)).collect();
    let label = format!(
        "demo {scenario:?}{}",
        if with_history {
            ", with past editions"
        } else {
            ""
        }
    );
    let f = figures(&label, &flags, &fakes);
    let (mut surge, mut surge_flagged) = (0u64, 0u64);
    for i in 0..table.rows.len() {
        if truth.segment[i] == Segment::SurgeFan {
            surge += 1;
            surge_flagged += flags.is_flagged(i, 0.5) as u64;
        }
    }
    DemoFigures {
        precision: f.precision,
        recall: f.recall,
        surge_flagged: surge_flagged as f64 / surge.max(1) as f64,
    }
}

fn demo_rows() -> usize {
    if std::env::var("TURNOUT_FULL_DEMO").is_ok() {
        1_000_000
    } else {
        150_000
    }
}

#[test]
fn the_tulsa_like_rally_is_found() {
    for history in [false, true] {
        let f = measure_demo(Scenario::Rally, demo_rows(), history);
        assert!(f.precision >= 0.95 && f.recall >= 0.95);
        assert!(
            f.surge_flagged <= 0.02,
            "a real surge is not flagged on timing alone: {:.1}% flagged (history {history})",
            f.surge_flagged * 100.0
        );
    }
}

#[test]
fn a_slow_drip_of_fakes_without_bursts_is_found() {
    let f = measure_demo(Scenario::SlowDrip, demo_rows() / 3, false);
    assert!(f.precision >= 0.95 && f.recall >= 0.95);
}

#[test]
fn a_genuine_local_surge_with_few_fakes() {
    let f = measure_demo(Scenario::LocalSurge, demo_rows() / 3, false);
    assert!(f.surge_flagged <= 0.02);
    assert!(f.precision >= 0.95 && f.recall >= 0.9);
}
