//! The dashboard as a person uses it, driven through egui_kittest (no window, no GPU).

mod common;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use turnout::app::{Command, Prefs, Session, StartOptions, TurnoutApp};
use turnout::demo::{Demo, DemoConfig};

fn demo() -> Demo {
    Demo::generate(&DemoConfig {
        rows: 20_000,
        seed: 7,
        ..DemoConfig::default()
    })
}

fn harness<'a>() -> Harness<'a, TurnoutApp> {
    Harness::builder()
        .with_size(egui::vec2(1440.0, 900.0))
        .with_max_steps(64)
        .build_eframe(|cc| {
            TurnoutApp::new(
                cc,
                Some(Session::from_demo(demo())),
                StartOptions::default(),
            )
        })
}

/// Steps until background loads are done (they run on threads).
fn settle(h: &mut Harness<'_, TurnoutApp>) {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        h.run_steps(2);
        if !h.state().is_loading() {
            h.run_steps(3);
            return;
        }
        assert!(Instant::now() < deadline, "loading did not finish");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// A fresh window that opens the project at `path` and waits for its files.
fn reopen<'a>(path: PathBuf) -> Harness<'a, TurnoutApp> {
    let mut fresh = harness();
    fresh.run_steps(2);
    fresh.state().sender().send(Command::OpenProject(path));
    fresh.run_steps(2);
    settle(&mut fresh);
    fresh
}

#[derive(Debug)]
struct Dropped(PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &Path {
        &self.0
    }
    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

/// Drops a file on the window, as the desktop does.
fn drop_file(h: &mut Harness<'_, TurnoutApp>, path: &Path) {
    h.input_mut()
        .dropped_files
        .push(Arc::new(Dropped(path.to_path_buf())));
    h.run_steps(2);
    settle(h);
}

#[test]
fn starts_on_the_demo_and_shows_the_outlook() {
    let mut h = harness();
    h.run_steps(3);
    assert!(!h.state().session.is_dirty(), "looking changes nothing");
    h.get_by_label("Outlook");
    h.get_by_label_contains("Expect about");
    h.get_by_label("Embedded demo (synthetic people)");
    let o = &h.state().session.derived.outlook;
    assert!(o.registrations > 20_000);
    assert_eq!(h.state().session.settings.assumptions.capacity, 19_000);
}

#[test]
fn moving_the_capacity_slider_changes_the_chance_of_overflow() {
    let mut h = harness();
    h.run_steps(3);
    let before = h.state().session.derived.outlook.p_over_capacity;
    h.get_by_role_and_label(egui::Role::Slider, "Capacity")
        .set_value_accesskit(50.0);
    h.run_steps(3);
    let s = &h.state().session;
    assert_eq!(s.settings.assumptions.capacity, 50);
    let after = s.derived.outlook.p_over_capacity;
    assert!(after > before, "{before} -> {after}");
    // Undo brings the old capacity back.
    h.state().sender().send(Command::Undo);
    h.run_steps(2);
    assert_eq!(h.state().session.settings.assumptions.capacity, 19_000);
}

#[test]
fn a_dropped_export_loads_and_a_role_change_rereads_it() {
    let mut h = harness();
    h.run_steps(2);
    drop_file(&mut h, &common::fixture("eventbrite_attendees_us.csv"));
    let s = &h.state().session;
    assert!(s.demo.is_none());
    assert_eq!(s.dataset.tables.len(), 1);
    assert_eq!(s.derived.outlook.registrations, 7);
    h.get_by_label_contains("eventbrite_attendees_us (5 rows)");

    // In the import review, tell Turnout the Quantity column means nothing.
    h.state_mut().view.show_review = true;
    h.run_steps(2);
    h.get_by_label("Role of Quantity").click_accesskit();
    h.run_steps(3);
    h.get_by_label("— (not used)").click_accesskit();
    h.run_steps(2);
    settle(&mut h);
    let s = &h.state().session;
    assert_eq!(
        s.derived.outlook.registrations, 3,
        "one ticket per active row now"
    );
    assert!(
        s.dataset.tables[0]
            .report
            .mapping
            .iter()
            .all(|m| m.role != turnout::import::Role::Quantity)
    );
}

/// A log of two hotels' arrivals: the import review offers to split events by `hotel`, and
/// one click makes each hotel's night an event of its own.
#[test]
fn the_import_review_offers_to_split_events_by_a_place_column() {
    let mut h = harness();
    h.run_steps(2);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hotel_bookings.csv");
    let mut csv = String::from(
        "hotel,is_canceled,lead_time,arrival_date_year,arrival_date_month,\
         arrival_date_day_of_month,reservation_status,reservation_status_date\n",
    );
    for day in 1..=20u32 {
        for (hotel, n) in [("City Hotel", 6), ("Resort Hotel", 3)] {
            for i in 0..n {
                csv.push_str(&format!(
                    "{hotel},0,{},2026,March,{day},Check-Out,2026-03-{day:02}\n",
                    i + 1
                ));
            }
        }
    }
    std::fs::write(&path, csv).unwrap();
    drop_file(&mut h, &path);
    let days = h.state().session.agg.series.events.len();
    assert_eq!(days, 20);
    h.state_mut().view.show_review = true;
    h.run_steps(2);
    h.get_by_label("Split events by hotel").click_accesskit();
    h.run_steps(2);
    settle(&mut h);
    let s = &h.state().session;
    assert_eq!(s.agg.series.events.len(), 40, "each hotel's night");
    assert!(s.dataset.tables[0].report.group_hint.is_none());
    assert!(h.query_by_label("Split events by hotel").is_none());
}

/// A Luma export with guests pending approval and on the waiting list: the outlook says how
/// many of them to approve, and the show-up assumed for them can be set by hand.
#[test]
fn the_waiting_list_gets_an_answer_and_its_show_up_is_adjustable() {
    let mut h = harness();
    h.run_steps(2);
    drop_file(
        &mut h,
        &common::fixture("Rust Meetup - Guests - 2025-11-02-10-00-00.csv"),
    );
    h.get_by_role_and_label(egui::Role::Slider, "Capacity")
        .set_value_accesskit(3.0);
    h.run_steps(3);
    let o = &h.state().session.derived.outlook;
    assert_eq!(o.waiting, 2);
    let admit = o
        .decision
        .admit_more
        .clone()
        .expect("an answer for those waiting");
    assert!(!admit.chosen);
    h.get_by_label("Admit from waiting:");
    h.get_by_label_contains("2 waiting (pending approval or on the waiting list)");
    h.get_by_role_and_label(egui::Role::Slider, "Admitted from waiting")
        .set_value_accesskit(100.0);
    h.run_steps(3);
    let s = &h.state().session;
    assert_eq!(s.settings.assumptions.waiting_show_up, Some(1.0));
    let chosen = s.derived.outlook.decision.admit_more.clone().unwrap();
    assert!(chosen.chosen && chosen.show_up == 1.0, "{chosen:?}");
    assert!(chosen.count <= admit.count);
    // Undo goes back to the calibrated default.
    h.state().sender().send(Command::Undo);
    h.run_steps(2);
    assert_eq!(h.state().session.settings.assumptions.waiting_show_up, None);
}

#[test]
fn a_bad_file_says_what_went_wrong_and_keeps_the_data() {
    let mut h = harness();
    h.run_steps(2);
    let before = h.state().session.derived.outlook.registrations;
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("photo.csv");
    std::fs::write(&bad, b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").unwrap();
    drop_file(&mut h, &bad);
    let app = h.state();
    assert_eq!(app.session.derived.outlook.registrations, before);
    assert!(app.session.demo.is_some(), "the demo is still loaded");
    let notice = app
        .notices
        .iter()
        .find(|n| n.is_error)
        .expect("an error notice");
    assert!(notice.title.contains("photo.csv"), "{}", notice.title);
    assert!(notice.details.contains("PNG image"), "{}", notice.details);
    h.get_by_label_contains("Could not open photo.csv");
}

/// A file that loads but whose every row is rejected shows what happened and the way to the
/// fix, not an empty chart of 1 January 1970 and "expect about 0 people".
#[test]
fn a_file_whose_every_row_is_rejected_leads_to_the_import_review() {
    let mut h = harness();
    h.run_steps(2);
    let dir = tempfile::tempdir().unwrap();
    let path = common::all_rejected_bookings(dir.path());
    drop_file(&mut h, &path);
    h.get_by_label("No registration could be loaded from hotel_bookings_all_rejected");
    h.get_by_label_contains("All 2 rows were rejected");
    h.get_by_label("Nothing to forecast: no registration could be loaded.");
    assert!(h.query_by_label_contains("Expect about").is_none());
    assert!(!h.state().view.show_review);
    h.get_by_label("Open the import review").click_accesskit();
    h.run_steps(3);
    assert!(h.state().view.show_review);
    // Each rejected row with its reason.
    assert_eq!(
        h.query_all_by_label_contains("is not a number of days from 0 to 3,660")
            .count(),
        2
    );
}

/// Rows rejected from a file that otherwise loads: the message offers the import review and
/// stands aside while the review, which lists them with line and reason, is in front (it
/// used to cover the review's reasons at 1366 × 768).
#[test]
fn a_rejected_rows_message_opens_the_import_review_and_stands_aside_for_it() {
    let mut h = harness();
    h.run_steps(2);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("signups.csv");
    std::fs::write(
        &path,
        "Order date,Email\n2026-05-01 10:00,a@example.org\nsoon,b@example.org\n2026-05-02 11:00,c@example.org\n",
    )
    .unwrap();
    drop_file(&mut h, &path);
    h.get_by_label("Some rows were rejected");
    assert!(!h.state().view.show_review);
    h.get_by_label("Show them").click_accesskit();
    h.run_steps(3);
    assert!(h.state().view.show_review);
    h.get_by_label_contains("registration time 'soon'");
    assert!(
        h.query_by_label("Some rows were rejected").is_none(),
        "the review says it all"
    );
    // Still there, not dismissed: it comes back when the review closes.
    assert_eq!(h.state().notices.len(), 1);
    h.state_mut().view.show_review = false;
    h.run_steps(3);
    h.get_by_label("Some rows were rejected");
}

#[test]
fn a_saved_project_reopens_with_the_same_numbers() {
    let mut h = harness();
    h.run_steps(2);
    drop_file(&mut h, &common::fixture("pretix_orders.csv"));
    let mut settings = h.state().session.settings.clone();
    settings.assumptions.capacity = 2;
    settings.assumptions.walk_ins = 1;
    settings.time_zone = "America/Chicago".into();
    h.state().sender().send(Command::SetSettings {
        settings: Box::new(settings),
        coalesce: None,
    });
    settle(&mut h);
    let before = h.state().session.derived.outlook.clone();
    assert!(h.state().session.is_dirty());
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("event.turnout.ron");
    h.state()
        .sender()
        .send(Command::SaveProjectTo(path.clone()));
    h.run_steps(2);
    assert!(!h.state().session.is_dirty());
    assert!(path.exists());

    let fresh = reopen(path);
    let after = &fresh.state().session.derived.outlook;
    assert_eq!(after, &before);
    assert!(!fresh.state().session.is_dirty());
}

#[test]
#[cfg(unix)]
fn crafted_projects_are_refused_or_open_without_freezing() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| {
        let p = dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        p
    };
    let mut h = harness();
    h.run_steps(2);
    // A demo of 18 quintillion rows: refused with the reason, the demo stays.
    let p = write(
        "huge.turnout.ron",
        "(demo: Some((1, 18446744073709551615)))",
    );
    h.state().sender().send(Command::OpenProject(p));
    h.run_steps(2);
    let notice = h.state().notices.last().expect("a notice").clone();
    assert!(notice.details.contains("demo rows"), "{notice:?}");
    assert!(h.state().session.demo.is_some());
    // A project listing /dev/zero and a pipe: refused by the loader, the window never blocks.
    let fifo = dir.path().join("pipe.csv");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    let p = write(
        "devices.turnout.ron",
        &format!(
            r#"(files: [(path: "/dev/zero"), (path: "{}")])"#,
            fifo.display()
        ),
    );
    h.state_mut().notices.clear();
    h.state().sender().send(Command::OpenProject(p));
    h.run_steps(2);
    settle(&mut h);
    let details: Vec<String> = h
        .state()
        .notices
        .iter()
        .map(|n| n.details.clone())
        .collect();
    assert!(
        details.iter().any(|d| d.contains("a device")),
        "{details:?}"
    );
    assert!(
        details.iter().any(|d| d.contains("named pipe")),
        "{details:?}"
    );
    assert!(h.state().session.dataset.tables.is_empty());
    // An old project with fields this version does not know: opens with a warning and is
    // not "unsaved" the moment it opens.
    let data = dir.path().join("pretix.csv");
    std::fs::copy(common::fixture("pretix_orders.csv"), &data).unwrap();
    let p = write(
        "old.turnout.ron",
        &format!(
            r#"(version: 0, flavour: "mint", files: [(path: "{}")], settings: (assumptions: (capacity: 40)))"#,
            data.display()
        ),
    );
    h.state_mut().notices.clear();
    h.state().sender().send(Command::OpenProject(p));
    h.run_steps(2);
    settle(&mut h);
    assert!(
        h.state()
            .notices
            .iter()
            .any(|n| n.details.contains("flavour")),
        "{:?}",
        h.state().notices
    );
    assert_eq!(h.state().session.settings.assumptions.capacity, 40);
    assert!(!h.state().session.is_dirty());
}

#[test]
fn every_input_has_an_accessible_name_and_help_lists_shortcuts() {
    let mut h = harness();
    h.run_steps(2);
    h.state_mut().view.show_review = true;
    h.state_mut().view.show_flags = true;
    h.run_steps(2);
    h.check_accessibility();
    h.key_press(egui::Key::F1);
    h.run_steps(2);
    h.get_by_label("Keyboard shortcuts");
    h.get_by_label("Undo a settings change");
}

#[test]
fn prefs_survive_and_never_hold_registrant_data() {
    let prefs = Prefs {
        dark_mode: true,
        recent_files: vec![PathBuf::from("/tmp/a.csv")],
        recent_projects: vec![],
        layout: 2,
    };
    let text = ron::to_string(&prefs).unwrap();
    assert!(!text.contains('@'));
    let back: Prefs = ron::from_str(&text).unwrap();
    assert_eq!(back, prefs);
    // Unknown or missing fields fall back to defaults instead of resetting everything.
    let partial: Prefs = ron::from_str("(dark_mode: true, future_field: 3)").unwrap_or_default();
    assert!(partial.dark_mode || partial == Prefs::default());
}

#[test]
fn closing_with_unsaved_changes_asks_first() {
    let mut h = harness();
    h.run_steps(2);
    h.get_by_role_and_label(egui::Role::Slider, "Capacity")
        .set_value_accesskit(12_345.0);
    h.run_steps(2);
    assert!(h.state().session.is_dirty());
    h.input_mut()
        .viewports
        .entry(egui::ViewportId::ROOT)
        .or_default()
        .events
        .push(egui::ViewportEvent::Close);
    h.run_steps(2);
    assert_eq!(h.state().view.pending, Some(turnout::app::Pending::Close));
    h.get_by_label("Unsaved changes");
    h.get_by_label("Cancel").click_accesskit();
    h.run_steps(2);
    assert_eq!(h.state().view.pending, None);
    assert!(h.state().session.is_dirty(), "nothing was lost");
}

#[test]
fn exports_write_chart_summary_and_report() {
    let mut h = harness();
    h.run_steps(2);
    let dir = tempfile::tempdir().unwrap();
    use turnout::app::ExportKind::*;
    for (kind, name) in [
        (ChartPng, "chart.png"),
        (ChartSvg, "chart.svg"),
        (SummaryCsv, "summary.csv"),
        (ReportPdf, "report.pdf"),
        (FlaggedCsv, "flagged.csv"),
    ] {
        let path = dir.path().join(name);
        h.state().sender().send(Command::Export {
            kind,
            path: path.clone(),
        });
        h.run_steps(2);
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(bytes.len() > 200, "{name} is {} bytes", bytes.len());
    }
    let png = std::fs::read(dir.path().join("chart.png")).unwrap();
    assert!(png.starts_with(b"\x89PNG"));
    let svg = std::fs::read_to_string(dir.path().join("chart.svg")).unwrap();
    assert!(svg.contains("capacity 19,000"));
    let csv = std::fs::read_to_string(dir.path().join("summary.csv")).unwrap();
    assert!(csv.starts_with("measure,value,meaning"));
    assert!(csv.contains("P(attendance > capacity)"));
    let flagged = std::fs::read_to_string(dir.path().join("flagged.csv")).unwrap();
    assert!(
        flagged
            .lines()
            .next()
            .unwrap()
            .ends_with("file,line,score,reasons")
    );
    assert!(flagged.lines().count() > 1000);
    let pdf = std::fs::read(dir.path().join("report.pdf")).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
}

#[test]
fn a_moved_file_is_reported_and_can_be_located_again() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("guests.csv");
    std::fs::copy(common::fixture("meetup.csv"), &data).unwrap();
    let mut h = harness();
    h.run_steps(2);
    drop_file(&mut h, &data);
    let regs = h.state().session.derived.outlook.registrations;
    let project = dir.path().join("meetup.turnout.ron");
    h.state()
        .sender()
        .send(Command::SaveProjectTo(project.clone()));
    h.run_steps(2);

    let moved = dir.path().join("moved.csv");
    std::fs::rename(&data, &moved).unwrap();
    let mut fresh = reopen(project);
    assert!(
        fresh
            .state()
            .notices
            .iter()
            .any(|n| n.details.contains("is not there any more")),
        "{:?}",
        fresh.state().notices
    );
    fresh.state().sender().send(Command::Locate {
        file: 0,
        path: moved.clone(),
    });
    fresh.run_steps(2);
    settle(&mut fresh);
    assert_eq!(fresh.state().session.derived.outlook.registrations, regs);
    assert_eq!(fresh.state().session.sources[0].path, moved);
}

#[test]
fn a_reviewer_marks_a_flagged_row_genuine_and_it_counts_and_persists() {
    let mut h = harness();
    h.run_steps(2);
    let before = h.state().session.derived.outlook.clone();
    assert!(before.flagged > 0, "the demo has flagged registrations");
    h.state_mut().view.show_flags = true;
    h.run_steps(3);
    h.get_by_label_contains("rows listed");
    h.get_all_by_label("Genuine")
        .next()
        .expect("a Genuine button")
        .click_accesskit();
    h.run_steps(3);
    let after = h.state().session.derived.outlook.clone();
    assert!(
        after.genuine > before.genuine,
        "{} -> {}",
        before.genuine,
        after.genuine
    );
    assert_eq!(after.registrations, before.registrations);
    assert_eq!(h.state().session.marks.len(), 1);
    // The mark is saved with the project and comes back.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("marks.turnout.ron");
    h.state()
        .sender()
        .send(Command::SaveProjectTo(path.clone()));
    h.run_steps(2);
    let mut fresh = harness();
    fresh.run_steps(2);
    fresh.state().sender().send(Command::OpenProject(path));
    fresh.run_steps(3);
    settle(&mut fresh);
    assert_eq!(fresh.state().session.marks, h.state().session.marks);
    assert_eq!(fresh.state().session.derived.outlook.genuine, after.genuine);
}

#[test]
fn a_whole_burst_can_be_marked_genuine_and_back() {
    let mut h = harness();
    h.run_steps(2);
    let before = h.state().session.derived.outlook.genuine;
    h.state_mut().view.show_flags = true;
    h.run_steps(2);
    h.get_by_label_contains("Bursts (").click_accesskit();
    h.run_steps(3);
    h.get_all_by_label("All genuine")
        .next()
        .expect("a burst")
        .click_accesskit();
    h.run_steps(3);
    let marked = h.state().session.derived.outlook.genuine;
    assert!(marked > before + 100, "{before} -> {marked}");
    h.get_all_by_label("Back to scores")
        .next()
        .unwrap()
        .click_accesskit();
    h.run_steps(3);
    assert_eq!(h.state().session.derived.outlook.genuine, before);
    assert!(h.state().session.marks.is_empty());
}

#[test]
fn the_backtest_panel_scores_the_forecast_and_the_prior_is_adjustable() {
    let mut h = harness();
    h.run_steps(3);
    h.state_mut().view.show_backtest = true;
    h.run_steps(3);
    assert!(h.get_all_by_label("Backtest").count() >= 1);
    h.get_all_by_label("Turnout forecast (P50)").next().unwrap();
    h.get_all_by_label("C: mean attendance of past events")
        .next()
        .unwrap();
    let b = h
        .state()
        .session
        .derived
        .backtest
        .clone()
        .expect("demo has past check-ins");
    assert_eq!(b.editions.len(), 2, "the first edition has none before it");
    // Under each table: how the ranges held against what chance allows.
    let check = b.horizons[0].scores[0].p10_p90_check.expect("a range");
    let line = format!(
        "Turnout forecast (P50): P10–P90 held the truth in {} of {}",
        check.inside, check.events
    );
    h.get_by_label_contains(&line);
    // Lowering the free prior moves the backtest (its first edition has no history) and the
    // forecast, and undo restores both.
    let before = h.state().session.derived.outlook.attendance.p50;
    h.get_by_role_and_label(egui::Role::Slider, "Free registrations")
        .set_value_accesskit(30.0);
    h.run_steps(3);
    let s = &h.state().session;
    assert!((s.settings.assumptions.prior_free - 0.30).abs() < 1e-9);
    let after = s.derived.outlook.attendance.p50;
    assert!(after < before, "{before} -> {after}");
    assert_ne!(s.derived.backtest.as_ref(), Some(&b));
    h.state().sender().send(Command::Undo);
    h.run_steps(2);
    assert_eq!(h.state().session.derived.backtest.as_ref(), Some(&b));
}

#[test]
fn the_held_inventory_panel_replays_a_shorter_hold_and_a_limit() {
    let mut h = harness();
    h.run_steps(3);
    h.state_mut().view.show_holds = true;
    h.run_steps(3);
    assert!(
        h.get_all_by_label("Held inventory").count() >= 1,
        "the tab and the heading"
    );
    h.get_by_label_contains("Hoarders (");
    let before = h
        .state()
        .session
        .holds
        .as_ref()
        .and_then(|v| v.what_if.clone())
        .expect("the demo's merch store replays");
    // No limit: only the shorter hold acts, and campers re-take at once.
    h.get_by_role_and_label(egui::Role::Slider, "Units per person (0 = no limit)")
        .set_value_accesskit(0.0);
    h.run_steps(3);
    let s = &h.state().session;
    assert_eq!(s.settings.holds.what_if_limit, 0);
    let after = s.holds.as_ref().and_then(|v| v.what_if.clone()).unwrap();
    assert_eq!(after.policy.limit, 0);
    assert!(after.freed < before.freed, "{before:?} {after:?}");
    // The policy is part of the project: undo brings the limit back.
    h.state().sender().send(Command::Undo);
    h.run_steps(2);
    let s = &h.state().session;
    assert_eq!(s.settings.holds.what_if_limit, 4);
    assert_eq!(
        s.holds.as_ref().and_then(|v| v.what_if.clone()),
        Some(before)
    );
}

#[test]
fn a_dropped_cart_log_goes_to_held_inventory_and_an_attendance_list_marks_who_came() {
    let mut h = harness();
    h.run_steps(2);
    let dir = tempfile::tempdir().unwrap();
    let regs = dir.path().join("registrations.csv");
    std::fs::write(
        &regs,
        "Email,Name,Registration Time\nana.b+x@example.org,Ana B,2025-01-01 10:00\nbo@example.org,Bo C,2025-01-02 10:00\n",
    )
    .unwrap();
    drop_file(&mut h, &regs);
    assert_eq!(h.state().session.dataset.tables.len(), 1);
    // A Zoom participants list: matched onto the registrations by address.
    let zoom = dir.path().join("participants.csv");
    std::fs::write(
        &zoom,
        "User Name (Original Name),User Email,Join Time,Leave Time\nAna B,ana.b@example.org,02/01/2025 06:00:00 PM,02/01/2025 07:00:00 PM\n",
    )
    .unwrap();
    h.state().sender().send(Command::AddFiles(
        vec![zoom.clone()],
        turnout::dataset::Edition::Current,
    ));
    settle(&mut h);
    let s = &h.state().session;
    assert_eq!(s.dataset.tables.len(), 1, "the list is not a second event");
    assert!(s.dataset.tables[0].rows.came(0) && !s.dataset.tables[0].rows.came(1));
    assert!(
        h.state()
            .notices
            .iter()
            .any(|n| n.details.contains("1 of its 1 people matched")),
        "the message says what happened"
    );
    // The list belongs to the project: saved, and applied again when it reopens and when
    // the registrations are read again (a role change).
    assert_eq!(s.attendance_files, vec![zoom.clone()]);
    let project = dir.path().join("event.turnout.ron");
    h.state()
        .sender()
        .send(Command::SaveProjectTo(project.clone()));
    h.run_steps(2);
    let mut fresh = reopen(project);
    let s = &fresh.state().session;
    assert_eq!(s.dataset.tables.len(), 1, "{:?}", s.sources);
    assert!(s.dataset.tables[0].rows.came(0) && !s.dataset.tables[0].rows.came(1));
    assert!(!s.is_dirty());
    fresh.state().sender().send(Command::SetRole {
        table: 0,
        role: turnout::import::Role::Name,
        header: None,
    });
    fresh.run_steps(2);
    settle(&mut fresh);
    settle(&mut fresh);
    let s = &fresh.state().session;
    assert!(
        s.dataset.tables[0].rows.came(0),
        "check-ins survive a re-read"
    );
    // A list that went missing is reported and stays in the project.
    std::fs::remove_file(&zoom).unwrap();
    let missing = reopen(dir.path().join("event.turnout.ron"));
    let s = &missing.state().session;
    assert!(!s.dataset.tables[0].rows.came(0));
    assert_eq!(s.attendance_files, vec![zoom.clone()]);
    assert!(!s.is_dirty());
    assert!(
        missing
            .state()
            .notices
            .iter()
            .any(|n| n.is_error && n.title.contains("participants.csv"))
    );
    // A cart log: held inventory, not registrations.
    let carts = dir.path().join("carts.csv");
    let mut log = String::from("Time,Customer Email,Item,Quantity,Action,Hold Expires At\n");
    for i in 0..20 {
        log.push_str(&format!(
            "2026-07-15 10:{i:02}:00,b{i}@example.org,Mug,1,hold,2026-07-15 10:{:02}:00\n",
            i + 30
        ));
    }
    std::fs::write(&carts, log).unwrap();
    drop_file(&mut h, &carts);
    for _ in 0..200 {
        if h.state().session.holds.is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
        h.run_steps(1);
    }
    let s = &h.state().session;
    assert!(s.holds.is_some(), "the cart log went to held inventory");
    assert_eq!(
        s.derived.outlook.registrations, 2,
        "the registrations are unchanged"
    );
}

/// An appointment book: 12 weekdays of bookings with a negated `No-show` column; the last
/// days are still ahead of the latest booking.
fn appointment_book(dir: &Path) -> PathBuf {
    let path = dir.join("appointments.csv");
    let mut csv = String::from("ScheduledDay,AppointmentDay,No-show,Neighbourhood\n");
    for day in 1..=12u32 {
        for i in 0..40u32 {
            let lead = i % 6;
            let booked = day.saturating_sub(lead).max(1);
            // Bookings for the last two days stop at day 10 (the export's "now").
            if day > 10 && booked > 10 {
                continue;
            }
            let no_show = if i % 5 == 0 { "Yes" } else { "No" };
            csv.push_str(&format!(
                "2026-03-{booked:02}T09:{:02}:00Z,2026-03-{day:02}T00:00:00Z,{no_show},CENTRO\n",
                i % 60
            ));
        }
    }
    std::fs::write(&path, csv).unwrap();
    path
}

#[test]
fn the_event_picker_filters_a_long_series() {
    let mut h = harness();
    h.run_steps(2);
    let dir = tempfile::tempdir().unwrap();
    // Twenty days of appointments: more events than a list can show at a glance.
    let path = dir.path().join("book.csv");
    let mut csv = String::from("ScheduledDay,AppointmentDay,No-show\n");
    for day in 1..=20u32 {
        for i in 0..10u32 {
            let booked = day.saturating_sub(i % 3).max(1);
            csv.push_str(&format!(
                "2026-03-{booked:02}T09:{i:02}:00Z,2026-03-{day:02}T00:00:00Z,No\n"
            ));
        }
    }
    std::fs::write(&path, csv).unwrap();
    drop_file(&mut h, &path);
    assert_eq!(h.state().session.agg.series.events.len(), 20);
    h.get_by_label("Event in focus").click_accesskit();
    h.run_steps(2);
    h.get_by_label("Filter the events").focus();
    h.run_steps(1);
    h.get_by_label("Filter the events").type_text("03-07");
    h.run_steps(2);
    // Only the day typed is listed; picking it puts it in focus and closes the list.
    assert!(h.query_by_label_contains("2026-03-08 (past)").is_none());
    h.get_by_label_contains("2026-03-07 (past)")
        .click_accesskit();
    h.run_steps(2);
    settle(&mut h);
    let s = &h.state().session;
    let focus = s.agg.focus.map(|i| s.agg.series.events[i].label.clone());
    assert_eq!(focus.as_deref(), Some("2026-03-07"));
    assert!(h.query_by_label("Filter the events").is_none());
    // The day is over; replaying it starts from the day before its start: a forecast again.
    assert!(s.derived.outlook.outcome_known);
    let start = s.derived.outlook.event_start.unwrap();
    h.get_by_label("Replay as of an earlier day")
        .click_accesskit();
    h.run_steps(2);
    settle(&mut h);
    let s = &h.state().session;
    let as_of = s.settings.assumptions.as_of.unwrap();
    assert!(
        as_of <= start - 86_400 && as_of > start - 86_400 - 6 * 3_600,
        "{as_of} {start}"
    );
    assert!(!s.derived.outlook.outcome_known);
    assert!(
        s.derived.outlook.advice.starts_with("Expect about"),
        "{}",
        s.derived.outlook.advice
    );
    // A step at a time, by the hour: six hours later, then back.
    h.get_by_label("+ 6 h").click_accesskit();
    h.run_steps(2);
    settle(&mut h);
    assert_eq!(
        h.state().session.settings.assumptions.as_of,
        Some(as_of + 6 * 3_600)
    );
    h.get_by_label("− 6 h").click_accesskit();
    h.run_steps(2);
    settle(&mut h);
    assert_eq!(h.state().session.settings.assumptions.as_of, Some(as_of));
    // Nothing matching says so.
    h.get_by_label("Event in focus").click_accesskit();
    h.run_steps(2);
    h.get_by_label("Filter the events").focus();
    h.run_steps(1);
    h.get_by_label("Filter the events").type_text(" zzz");
    h.run_steps(2);
    h.get_by_label_contains("No event matches");
}

#[test]
fn the_events_panel_lists_a_series_and_takes_focus_and_headcounts() {
    let mut h = harness();
    h.run_steps(2);
    let dir = tempfile::tempdir().unwrap();
    drop_file(&mut h, &appointment_book(dir.path()));
    let s = &h.state().session;
    assert!(s.agg.series.per_row, "one file, a series of days");
    assert!(s.agg.series.events.len() >= 10);
    // The list: every upcoming event forecast from the days before it.
    let upcoming: Vec<_> = s
        .derived
        .events
        .events
        .iter()
        .filter(|e| e.status == "upcoming")
        .collect();
    assert!(!upcoming.is_empty());
    for e in &upcoming {
        let q = e.attendance.expect("forecast from earlier days");
        assert!(q.p10 <= q.p50 && q.p50 <= q.p90);
        // 4 in 5 come: the forecast says so, not the 72% prior alone.
        assert!(q.p50 > 0.6 * e.registrations as f64, "{e:?}");
    }
    // The outlook is the focus event's, the same as its row in the list.
    let focus = s.agg.focus.unwrap();
    let row = upcoming
        .iter()
        .find(|e| e.focus)
        .expect("the focus event is listed");
    assert_eq!(row.label, s.agg.series.events[focus].label);
    let diff = (row.attendance.unwrap().p50 - s.derived.outlook.attendance.p50).abs();
    assert!(
        diff <= 0.1 * s.derived.outlook.attendance.p50 + 1.0,
        "one forecast, not two"
    );

    // Open the panel and focus on a past day.
    h.state_mut().view.show_events = true;
    h.run_steps(3);
    let past = h
        .state()
        .session
        .agg
        .series
        .events
        .iter()
        .find(|e| e.label.starts_with("2026-03-05"))
        .map(|e| e.label.clone())
        .unwrap();
    h.get_by_label_contains(&format!("Focus on {past}"))
        .click_accesskit();
    h.run_steps(3);
    let s = &h.state().session;
    assert_eq!(
        s.settings.focus.as_ref().map(|f| f.0.as_str()),
        Some(past.as_str())
    );
    assert_eq!(s.agg.series.events[s.agg.focus.unwrap()].label, past);

    // A door count for a past day: walk-ins are learned from it.
    h.get_by_label_contains(&format!("Headcount of {past}"))
        .focus();
    h.run_steps(1);
    h.get_by_label_contains(&format!("Headcount of {past}"))
        .type_text("45");
    h.run_steps(1);
    h.key_press(egui::Key::Enter);
    h.run_steps(3);
    let s = &h.state().session;
    let ev = s
        .agg
        .series
        .events
        .iter()
        .find(|e| e.label == past)
        .unwrap();
    assert_eq!(
        s.settings.headcounts,
        vec![(past.clone(), ev.group.clone(), 45)]
    );
    assert_eq!(ev.headcount, Some(45));
    // Undo takes it back.
    h.state().sender().send(Command::Undo);
    h.run_steps(3);
    assert!(h.state().session.settings.headcounts.is_empty());
}

/// A booking log that does not say who came has no past forecast to show, but its past days
/// still show what they held: the Events panel lists their registrations, not dashes.
#[test]
fn past_events_without_outcomes_still_show_their_registrations() {
    let mut h = harness();
    h.run_steps(2);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("reservations.csv");
    let mut csv = String::from("reserve_datetime,visit_datetime,reserve_visitors\n");
    // Day d holds 30 + d single reservations, all made the day before; the export ends on
    // day 6, so days 1–5 are over.
    for day in 2..=6u32 {
        for i in 0..30 + day {
            csv.push_str(&format!(
                "2026-03-{:02} 10:{:02}:00,2026-03-{day:02} 19:00:00,1\n",
                day - 1,
                i
            ));
        }
    }
    std::fs::write(&path, csv).unwrap();
    drop_file(&mut h, &path);
    let s = &h.state().session;
    assert_eq!(s.agg.series.events.len(), 5);
    assert!(s.derived.events.events.iter().all(|e| e.status != "past"));
    h.state_mut().view.show_events = true;
    h.run_steps(3);
    for held in [32, 33, 34] {
        h.get_by_label(&held.to_string());
    }
}

/// A long series (200 days) computes its backtest and event list on a thread: moving the
/// as-of time keeps the window responding, the old list stays on screen marked as updating,
/// and the new one replaces it.
#[test]
fn a_long_series_updates_its_event_list_in_the_background() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("book.csv");
    let mut csv = String::from("ScheduledDay,AppointmentDay,No-show\n");
    let day0 = jiff::civil::date(2026, 1, 1);
    for day in 0..200i32 {
        let d = day0 + jiff::Span::new().days(day);
        for i in 0..20i32 {
            let b = day0 + jiff::Span::new().days((day - i % 4).max(0));
            let no_show = if i % 5 == 0 { "Yes" } else { "No" };
            csv.push_str(&format!(
                "{b}T09:{:02}:00Z,{d}T00:00:00Z,{no_show}\n",
                i % 60
            ));
        }
    }
    std::fs::write(&path, csv).unwrap();
    let mut h = harness();
    h.run_steps(2);
    drop_file(&mut h, &path);
    let s = &h.state().session;
    assert!(s.agg.series.events.len() > turnout::app::QUICK_ANALYSIS_EVENTS);
    assert!(!s.analysis.updating());
    let done = s.analysis.done.clone().expect("computed after the load");
    assert!(s.derived.backtest.is_some());
    let before = s.derived.events.clone();
    let upcoming = |events: &[turnout::analysis::forecast::events::EventOutlook]| {
        events.iter().filter(|e| e.status == "upcoming").count()
    };
    // Forty days earlier: more events ahead.
    let mut settings = s.settings.clone();
    settings.assumptions.as_of = Some(done.as_of - 40 * 86_400);
    h.state().sender().send(Command::SetSettings {
        settings: Box::new(settings),
        coalesce: None,
    });
    h.run_steps(1);
    let s = &h.state().session;
    // The job started in this step; its answer is taken in at the next one at the earliest.
    // Until then the old list stays, marked as updating.
    assert!(s.analysis.updating());
    assert_eq!(s.derived.events, before);
    h.get_by_label_contains("Updating the backtest and event list");
    settle(&mut h);
    let s = &h.state().session;
    assert!(!s.analysis.updating());
    let now = s.analysis.done.clone().unwrap();
    assert_eq!(now.as_of, done.as_of - 40 * 86_400);
    assert!(upcoming(&s.derived.events.events) > upcoming(&before.events) + 30);
    assert!(s.derived.events.upcoming > before.upcoming + 30);
    // The backtest does not depend on the as-of time: the same one is kept.
    assert_eq!(now.aggregation, done.aggregation);
}

/// A headcount file (door counts per day) added from the File menu: the past days get their
/// counts, walk-ins are learned from them, and the project keeps the file.
#[test]
fn a_headcount_file_teaches_walk_ins_and_stays_with_the_project() {
    let mut h = harness();
    h.run_steps(2);
    let dir = tempfile::tempdir().unwrap();
    drop_file(&mut h, &appointment_book(dir.path()));
    assert!(!h.state().session.derived.outlook.walk_ins_learned);
    // Ten people beyond the registrants who came, every past day.
    let mut counts = String::from("date,visitors\n");
    for e in &h.state().session.agg.series.events {
        if let Some(came) = e.came().filter(|_| e.label.as_str() < "2026-03-10") {
            counts.push_str(&format!("{},{}\n", e.label, came as u64 + 10));
        }
    }
    let path = dir.path().join("door.csv");
    std::fs::write(&path, counts).unwrap();
    h.state()
        .sender()
        .send(Command::AddHeadcounts(vec![path.clone()]));
    h.run_steps(2);
    settle(&mut h);
    let s = &h.state().session;
    let counted = s
        .agg
        .series
        .events
        .iter()
        .filter(|e| e.headcount.is_some())
        .count();
    assert!(counted >= 8, "{counted} days counted");
    let o = &s.derived.outlook;
    assert!(o.walk_ins_learned, "{o:?}");
    let (walk, _) = o.walk_ins.expect("walk-ins learned");
    assert!((8.0..=12.0).contains(&walk), "walk-ins {walk}");
    assert_eq!(s.to_project().headcount_files, vec![path.clone()]);
    assert!(
        h.state()
            .notices
            .iter()
            .any(|n| n.details.contains("now have a door count"))
    );
    // A file that is not a headcount file is reported, not kept.
    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, "name,email\nAna,a@example.org\n").unwrap();
    h.state().sender().send(Command::AddHeadcounts(vec![bad]));
    h.run_steps(2);
    settle(&mut h);
    let s = &h.state().session;
    assert_eq!(s.headcount_files, vec![path.clone()]);
    assert!(
        h.state()
            .notices
            .iter()
            .any(|n| n.title.contains("Could not read the headcounts"))
    );
    // Saved and opened again: the counts are read with the files.
    let project = dir.path().join("book.turnout.ron");
    h.state()
        .sender()
        .send(Command::SaveProjectTo(project.clone()));
    h.run_steps(2);
    let fresh = reopen(project.clone());
    let s = &fresh.state().session;
    assert!(s.derived.outlook.walk_ins_learned);
    assert!(!s.is_dirty());
    // Opened while the counts cannot be read (moved, or on a drive not mounted): reported,
    // and kept in the project, as attendance lists are, not dropped at the next save.
    std::fs::rename(&path, dir.path().join("door-moved.csv")).unwrap();
    let away = reopen(project);
    let s = &away.state().session;
    assert!(!s.derived.outlook.walk_ins_learned);
    assert_eq!(s.to_project().headcount_files, vec![path]);
    assert!(
        away.state()
            .notices
            .iter()
            .any(|n| n.title.contains("Could not read the headcounts"))
    );
}

#[test]
fn the_attendance_column_can_be_read_the_other_way_round() {
    let mut h = harness();
    h.run_steps(2);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("book.csv");
    let mut csv = String::from("Email,Registration Time,No-show\n");
    for i in 0..10 {
        let no = if i < 8 { "No" } else { "Yes" };
        csv.push_str(&format!("p{i}@example.org,2026-03-01 10:{i:02},{no}\n"));
    }
    std::fs::write(&path, csv).unwrap();
    drop_file(&mut h, &path);
    let came = |h: &Harness<'_, TurnoutApp>| {
        let t = &h.state().session.dataset.tables[0];
        (0..10).filter(|&i| t.rows.came(i)).count()
    };
    assert_eq!(came(&h), 8, "No-show = No means came");
    h.state_mut().view.show_review = true;
    h.run_steps(3);
    h.get_by_label_contains("yes means").click_accesskit();
    h.run_steps(3);
    h.get_by_label("came").click_accesskit();
    h.run_steps(2);
    settle(&mut h);
    assert_eq!(came(&h), 2, "read the other way round");
    assert_eq!(
        h.state().session.sources[0].read.attendance_negated,
        Some(false)
    );
}

/// A lodging's log without stays reads its kept bookings on past arrivals as come; the import
/// review says so and can say they are not known (then nobody counts as come).
#[test]
fn kept_bookings_can_be_read_as_not_known() {
    let mut h = harness();
    h.run_steps(2);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("reservations.csv");
    let mut csv = String::from(
        "Booking_ID,lead_time,arrival_year,arrival_month,arrival_date,booking_status\n",
    );
    for i in 0..12 {
        let status = if i % 4 == 0 {
            "Canceled"
        } else {
            "Not_Canceled"
        };
        csv.push_str(&format!("B{i},{},2026,3,{},{status}\n", 1 + i % 2, 1 + i));
    }
    std::fs::write(&path, csv).unwrap();
    drop_file(&mut h, &path);
    let came = |h: &Harness<'_, TurnoutApp>| {
        let t = &h.state().session.dataset.tables[0];
        (0..t.rows.len()).filter(|&i| t.rows.came(i)).count()
    };
    assert!(came(&h) > 0, "kept bookings on past arrivals came");
    // A hotel's rows are bookings: the Venue and the Outlook count rooms, not people.
    settle(&mut h);
    h.get_by_label_contains("This is a lodging's log with no count of guests");
    h.get_by_label_contains("bookings that arrive: middle guess");
    assert!(
        h.state()
            .session
            .derived
            .outlook
            .advice
            .contains("arriving booking"),
        "{}",
        h.state().session.derived.outlook.advice
    );
    h.state_mut().view.show_review = true;
    h.run_steps(3);
    h.get_by_label_contains("Bookings kept to a past start")
        .click_accesskit();
    h.run_steps(3);
    h.get_by_label("not known").click_accesskit();
    h.run_steps(2);
    settle(&mut h);
    assert_eq!(came(&h), 0);
    assert_eq!(h.state().session.sources[0].read.kept_came, Some(false));
}

#[test]
fn a_date_range_slices_the_signup_numbers_the_chart_and_the_breakdown() {
    let mut h = harness();
    settle(&mut h);
    let o = &h.state().session.derived.outlook;
    let before = (o.genuine, o.registrations);
    let as_of = h.state().session.derived.outlook.as_of;
    let mut settings = h.state().session.settings.clone();
    settings.since = Some(as_of - 5 * 86_400);
    h.state().sender().send(Command::SetSettings {
        settings: Box::new(settings),
        coalesce: None,
    });
    h.run_steps(3);
    let d = &h.state().session.derived;
    let r = d.range.expect("a range is shown");
    assert!(r.genuine > 0 && r.genuine < before.0, "{r:?} vs {before:?}");
    // The breakdown counts the same genuine signups as the range.
    let by_category: u64 = d.breakdown.items.iter().map(|i| i.1).sum();
    assert_eq!(by_category, r.genuine);
    // The chart opens on the range; the forecast is unchanged.
    let since_day = d.chart.since.expect("chart knows the range");
    assert!(d.chart.full_range().0 >= since_day.floor() - 0.5 - 1e-9);
    assert_eq!(d.outlook.registrations, before.1);
    h.get_by_label_contains("Signups from");
    let since = as_of - 5 * 86_400;
    // The flag review lists the flagged rows that signed up in the range.
    h.state_mut().view.show_flags = true;
    h.run_steps(3);
    let listed = h
        .state()
        .view
        .flag_rows
        .clone()
        .expect("the list was drawn");
    let rows = &listed.2;
    assert!(!rows.is_empty());
    let s = &h.state().session;
    assert!(
        rows.iter()
            .all(|&(t, i)| s.dataset.tables[t].rows.registered_at[i] >= since)
    );
    h.get_by_label_contains("(the date range)");
    // The summary export says what the range holds.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("summary.csv");
    h.state().sender().send(Command::Export {
        kind: turnout::app::ExportKind::SummaryCsv,
        path: path.clone(),
    });
    h.run_steps(2);
    let csv = std::fs::read_to_string(&path).unwrap();
    assert!(
        csv.contains(&format!("genuine signups in range,{}", r.genuine))
            || csv.contains(&format!(
                "genuine signups in range,\"{}\"",
                turnout::locale::Locale::English.int(r.genuine)
            )),
        "{csv}"
    );
}

#[test]
fn a_look_alike_wave_is_marked_genuine_in_one_click() {
    let mut h = harness();
    settle(&mut h);
    let wave = h
        .state()
        .session
        .flag_summary
        .as_ref()
        .and_then(|s| s.waves.first().cloned())
        .expect("the demo's fakes come in look-alike waves");
    h.state_mut().view.show_flags = true;
    h.run_steps(3);
    h.get_by_label_contains("Look-alike waves (")
        .click_accesskit();
    h.run_steps(3);
    h.get_by_label(&format!("All genuine: wave at line {}", wave.example_line))
        .click_accesskit();
    h.run_steps(3);
    let s = &h.state().session;
    let marked = s.marks.iter().filter(|(_, fake)| !**fake).count() as u64;
    assert_eq!(marked, wave.size, "every member, one click");
    // And back.
    h.get_by_label(&format!("Clear: wave at line {}", wave.example_line))
        .click_accesskit();
    h.run_steps(3);
    assert!(h.state().session.marks.is_empty());
}

/// A series with more events to come than the list forecasts: the Events panel counts them
/// all and says how many it forecast, and opens on the event in focus rather than on the
/// oldest past event.
#[test]
fn the_events_panel_counts_every_event_to_come_and_opens_on_the_focus() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("book.csv");
    let mut csv = String::from("ScheduledDay,AppointmentDay,No-show\n");
    let day0 = jiff::civil::date(2026, 1, 1);
    for day in 0..320i32 {
        let d = day0 + jiff::Span::new().days(day);
        for i in 0..4i32 {
            let b = day0 + jiff::Span::new().days((day - 1 - i).max(0));
            let no_show = if i == 0 { "Yes" } else { "No" };
            csv.push_str(&format!("{b}T09:{i:02}:00Z,{d}T00:00:00Z,{no_show}\n"));
        }
    }
    std::fs::write(&path, csv).unwrap();
    let mut h = harness();
    h.run_steps(2);
    drop_file(&mut h, &path);
    // As of the 60th day: 260 days to come, more than the list forecasts.
    let s = &h.state().session;
    let mut settings = s.settings.clone();
    let as_of = jiff::civil::date(2026, 3, 1)
        .to_zoned(jiff::tz::TimeZone::UTC)
        .unwrap()
        .timestamp()
        .as_second();
    settings.assumptions.as_of = Some(as_of);
    h.state().sender().send(Command::SetSettings {
        settings: Box::new(settings),
        coalesce: None,
    });
    h.run_steps(2);
    settle(&mut h);
    let deadline = Instant::now() + Duration::from_secs(60);
    while h.state().session.analysis.updating() {
        assert!(Instant::now() < deadline, "the event list did not finish");
        std::thread::sleep(Duration::from_millis(20));
        h.run_steps(1);
    }
    let s = &h.state().session;
    let listed = s
        .derived
        .events
        .events
        .iter()
        .filter(|e| e.status == "upcoming")
        .count();
    assert_eq!(listed, turnout::analysis::forecast::events::MAX_UPCOMING);
    let to_come = s.derived.events.upcoming;
    assert_eq!(to_come, s.agg.series.upcoming_at(as_of));
    assert!(
        to_come > turnout::analysis::forecast::events::MAX_UPCOMING,
        "{to_come}"
    );
    let focus = s.agg.focus.expect("an event in focus");
    let label = s.agg.series.events[focus].label.clone();
    // The table opens on the focus, the last of 320 days: its neighbour's button is on
    // screen, the first day's is not.
    let order = s.agg.series.in_order();
    let at = order.iter().position(|&i| i == focus).unwrap();
    let before = s.agg.series.events[order[at - 1]].label.clone();
    let first = s.agg.series.events[order[0]].label.clone();
    h.state_mut().view.show_events = true;
    h.run_steps(3);
    h.get_by_label_contains(&format!(
        "{to_come} upcoming (the earliest {} forecast here",
        turnout::analysis::forecast::events::MAX_UPCOMING
    ));
    h.get_by_label(&format!("Focus on {before}"));
    assert!(
        h.query_by_label(&format!("Focus on {first}")).is_none(),
        "{label}"
    );
}
