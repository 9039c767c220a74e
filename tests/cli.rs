//! `turnout report` and `turnout demo` as a user runs them.

mod common;

use std::process::Command;

use common::fixture;

fn turnout(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_turnout"))
        .args(args)
        .output()
        .expect("run turnout");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn report_json_has_the_documented_fields() {
    let file = fixture("eventbrite_attendees_us.csv");
    let (code, out, err) = turnout(&[
        "report",
        file.to_str().unwrap(),
        "--tz",
        "America/Chicago",
        "--capacity",
        "100",
        "--json",
    ]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["rows"], 5);
    assert_eq!(v["registrations"], 7);
    assert_eq!(v["rejected_count"], 0);
    assert!(v["rejected"].as_array().unwrap().is_empty());
    assert_eq!(v["mapping"]["registered_at"], "Order Date");
    assert_eq!(v["mapping"]["email"], "Email");
    assert_eq!(v["detected"]["encoding"], "UTF-8");
    assert_eq!(v["detected"]["delimiter"], ",");
    assert_eq!(v["detected"]["header_line"], 1);
    assert_eq!(v["detected"]["date_format"], "%m/%d/%y %H:%M");
    assert_eq!(v["first_signup"], "2024-11-30T04:28:00Z");
    assert_eq!(v["last_signup"], "2024-12-13T13:15:00Z");
    assert_eq!(v["capacity"], 100);
    let daily = v["daily"].as_array().unwrap();
    assert_eq!(daily[0]["date"], "2024-11-29");
    assert_eq!(daily[0]["signups"], 1);
    let total: u64 = daily.iter().map(|d| d["signups"].as_u64().unwrap()).sum();
    assert_eq!(total, 7, "daily signups add up to registrations");
}

/// The text a person reads gives times in the event's zone; the JSON keeps UTC.
#[test]
fn report_text_gives_local_times() {
    let file = fixture("eventbrite_attendees_us.csv");
    let (code, out, err) = turnout(&["report", file.to_str().unwrap(), "--tz", "America/Chicago"]);
    assert_eq!(code, 0, "{err}");
    // 2024-11-30T04:28:00Z and 2024-12-13T13:15:00Z, as Chicago read them.
    assert!(
        out.contains("first signup 2024-11-29 22:28 CST, last 2024-12-13 07:15 CST"),
        "{out}"
    );
    assert!(!out.contains(":00Z"), "{out}");
}

#[test]
fn as_of_replays_what_was_known_then() {
    let file = fixture("eventbrite_attendees_us.csv");
    let (code, out, _) = turnout(&[
        "report",
        file.to_str().unwrap(),
        "--tz",
        "America/Chicago",
        "--as-of",
        "2024-12-01 00:00",
        "--json",
    ]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["registrations"], 5);
    assert_eq!(v["after_as_of"], 2);
}

#[test]
fn history_with_event_start_and_rejected_rows_in_text_output() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        "Registration Time,Email\n2024-01-01 10:00,a@example.org\nsoon,b@example.org\n",
    )
    .unwrap();
    let past = fixture("indico.csv");
    let history = format!("{}@2024-04-10T08:00", past.display());
    let (code, out, err) = turnout(&[
        "report",
        bad.to_str().unwrap(),
        "--history",
        &history,
        "--tz",
        "UTC",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("Rejected rows: 1"), "{out}");
    assert!(out.contains("line 3: registration time 'soon'"), "{out}");
    assert!(out.contains("Past editions:"), "{out}");
    assert!(out.contains("1 came (50%)"), "{out}");
}

#[test]
fn a_file_that_cannot_load_is_named_and_the_others_still_report() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.csv");
    std::fs::write(&empty, "").unwrap();
    let good = fixture("meetup.csv");
    let (code, out, err) = turnout(&[
        "report",
        empty.to_str().unwrap(),
        good.to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(code, 1);
    assert!(err.contains("empty.csv: the file is empty"), "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["rows"], 4);
    assert!(v["errors"][0].as_str().unwrap().contains("empty.csv"));

    let (code, _, err) = turnout(&["report", empty.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("no file could be loaded"), "{err}");

    let (code, _, err) = turnout(&["report", good.to_str().unwrap(), "--map", "seats=Guests"]);
    assert_eq!(code, 2);
    assert!(err.contains("unknown role 'seats'"), "{err}");
}

#[test]
fn demo_writes_real_platform_files() {
    let dir = tempfile::tempdir().unwrap();
    let (code, out, err) = turnout(&[
        "demo",
        "--out",
        dir.path().to_str().unwrap(),
        "--rows",
        "3000",
        "--format",
        "pretix-de",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("rally-pretix-de.csv"));
    let rally = dir.path().join("rally-pretix-de.csv");
    let bytes = std::fs::read(&rally).unwrap();
    assert!(bytes.starts_with(b"Kurzname der Veranstaltung;Bestellnummer;"));
    let (code, out, err) = turnout(&[
        "report",
        rally.to_str().unwrap(),
        "--json",
        "--tz",
        "America/Chicago",
    ]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["rows"], 3000);
    assert_eq!(v["detected"]["encoding"], "windows-1252");
    assert!(
        std::fs::read_to_string(dir.path().join("README.txt"))
            .unwrap()
            .contains("--history")
    );
}

#[test]
fn flagged_rows_are_written_with_their_columns_and_are_safe_in_excel() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("signups.csv");
    let mut csv = String::from("Registration Time,Email,First Name,Last Name,Comment\n");
    for i in 0..30 {
        csv.push_str(&format!(
            "2024-05-01 10:{i:02},person{i}.real@example.org,Ann{i},Lee,hello\n"
        ));
    }
    csv.push_str("2024-05-02 03:00,qwfpgjzx@mailinator.com,Xqzt,Plmk,=HYPERLINK(\"x\")\n");
    std::fs::write(&file, csv).unwrap();
    let out = dir.path().join("flagged.csv");
    let (code, stdout, err) = turnout(&[
        "report",
        file.to_str().unwrap(),
        "--tz",
        "UTC",
        "--json",
        "--flagged-out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(v["flagged"]["count"], 1);
    assert_eq!(v["flagged"]["by_reason"]["disposable_domain"], 1);
    let written = std::fs::read_to_string(&out).unwrap();
    let lines: Vec<&str> = written.lines().collect();
    assert_eq!(lines.len(), 2, "{written}");
    assert!(lines[0].starts_with(
        "Registration Time,Email,First Name,Last Name,Comment,file,line,score,reasons"
    ));
    assert!(lines[1].contains("qwfpgjzx@mailinator.com"));
    assert!(
        lines[1].contains("\"'=HYPERLINK(\"\"x\"\")\""),
        "{}",
        lines[1]
    );
    assert!(lines[1].contains(",32,"), "line number of the row");
}

/// A hand-kept appointment book: when each booking was made, for when, and whether the
/// person came. Nothing else.
#[test]
fn appointment_books_with_only_three_columns_forecast_with_calibrated_show_up() {
    let dir = tempfile::tempdir().unwrap();
    let past = dir.path().join("last_month.csv");
    let mut csv = String::from("Booked at,Appointment,Showed up\n");
    for i in 0..400u32 {
        let day = 1 + i % 28;
        let lead_days = i % 10;
        // Short-notice bookings come 4 times in 5, long-notice ones 1 in 2.
        let came = if lead_days < 3 {
            i % 5 != 0
        } else {
            i % 2 == 0
        };
        let booked_day = if day > lead_days { day - lead_days } else { 1 };
        csv.push_str(&format!(
            "2026-05-{booked_day:02} 09:00,2026-05-{day:02} 15:00,{}\n",
            if came { "yes" } else { "no" }
        ));
    }
    std::fs::write(&past, csv).unwrap();
    let current = dir.path().join("next_week.csv");
    let mut csv = String::from("Booked at,Appointment\n");
    for i in 0..200u32 {
        csv.push_str(&format!(
            "2026-06-{:02} 10:00,2026-06-15 15:00\n",
            5 + i % 9
        ));
    }
    std::fs::write(&current, csv).unwrap();
    let (code, out, err) = turnout(&[
        "report",
        current.to_str().unwrap(),
        "--history",
        past.to_str().unwrap(),
        "--tz",
        "UTC",
        "--capacity",
        "150",
        "--json",
    ]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    // The event start comes from the appointment column.
    assert_eq!(v["event_start"], "2026-06-15T15:00:00Z");
    let f = &v["forecast"];
    for q in ["final_registrations", "attendance"] {
        let (p10, p50, p90) = (
            f[q]["p10"].as_f64().unwrap(),
            f[q]["p50"].as_f64().unwrap(),
            f[q]["p90"].as_f64().unwrap(),
        );
        assert!(p10 <= p50 && p50 <= p90, "{q}: {p10} {p50} {p90}");
    }
    let p50 = f["attendance"]["p50"].as_f64().unwrap();
    // 200 bookings made 2–10 days ahead: about 22 at the short-notice 80% and 178 at the
    // long-notice 50% make about 107, not 144 at the 72% free prior alone.
    assert!((90.0..=130.0).contains(&p50), "{p50}");
    let show_up = f["show_up"].as_array().unwrap();
    assert_eq!(show_up[0]["source"], "calibrated", "{show_up:?}");
    assert!(show_up[0]["n"].as_u64().unwrap() > 0);
    assert!(f["p_over_capacity"].as_f64().is_some());
    assert!(f["expected_empty_seats"].as_f64().is_some());
    assert!(f["expected_turned_away"].as_f64().is_some());
    assert!(f["advice"].as_str().unwrap().starts_with("Expect about"));
    let bt = &f["backtest"];
    assert!(
        bt["scores"].as_array().is_some_and(|s| !s.is_empty()),
        "{bt}"
    );
    assert_eq!(v["capacity"], 150);
}

/// A series replayed as of a day, with no event named, is forecast for the next event then
/// (not for the last one in the file); `--event` still picks any.
#[test]
fn a_series_replayed_as_of_a_day_is_about_the_next_event_then() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("book.csv");
    let mut csv = String::from("Booked at,Appointment,Showed up\n");
    for day in 1..=28u32 {
        for i in 0..12u32 {
            let booked = day.saturating_sub(i % 5).max(1);
            csv.push_str(&format!(
                "2026-05-{booked:02} 09:00,2026-05-{day:02} 15:00,{}\n",
                if i % 4 == 0 { "no" } else { "yes" }
            ));
        }
    }
    std::fs::write(&book, csv).unwrap();
    let focus = |extra: &[&str]| {
        let mut args = vec!["report", book.to_str().unwrap(), "--tz", "UTC", "--json"];
        args.extend_from_slice(extra);
        let (code, out, err) = turnout(&args);
        assert_eq!(code, 0, "{err}");
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        (v["focus"].clone(), v["event_start"].clone())
    };
    assert_eq!(
        focus(&["--as-of", "2026-05-10 16:00"]),
        ("2026-05-11".into(), "2026-05-11T15:00:00Z".into())
    );
    assert_eq!(
        focus(&["--as-of", "2026-05-10 16:00", "--event", "2026-05-20"]).0,
        "2026-05-20"
    );
    // Without a replay: the last day (nothing is booked after it).
    assert_eq!(focus(&[]).0, "2026-05-28");
}

#[test]
fn the_demo_report_carries_the_forecast_and_its_backtest() {
    let (code, out, err) = turnout(&["report", "--json", "--no-flags"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let f = &v["forecast"];
    assert_eq!(v["capacity"], 19_000);
    assert!(f["attendance"]["p50"].as_f64().unwrap() > 0.0);
    // Every edition but the first has an earlier one to learn from.
    assert_eq!(f["backtest"]["editions"].as_array().unwrap().len(), 2);
    let scores = f["backtest"]["scores"].as_array().unwrap();
    assert!(scores[0]["coverage_p10_p90"].as_f64().is_some());
    assert!(scores[0]["coverage_p5_p95"].as_f64().is_some());
    assert!(f["show_up"][0]["interval"].as_array().unwrap().len() == 2);
}

#[test]
fn holds_json_has_the_documented_fields_for_the_demo_store() {
    let (code, out, err) = turnout(&["report", "--json", "--no-flags", "--hold-limit", "2"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let h = &v["holds"];
    assert!(h["peak_held"].as_u64().unwrap() > 0);
    assert!(h["peak_held_share"].as_f64().unwrap() > 0.0);
    assert!(h["false_soldout_minutes"].as_f64().unwrap() > 0.0);
    assert_eq!(h["hoarders"].as_array().unwrap().len(), 12);
    assert!(h["hoarders"][0]["evidence"].as_array().unwrap().len() >= 2);
    let w = &h["what_if"];
    assert_eq!(w["policy"]["hold_minutes"], 10);
    assert_eq!(w["policy"]["limit"], 2);
    assert!(w["freed"].as_f64().unwrap() > 0.0);
    assert!(w["buyers_unblocked"].as_f64().unwrap() > 0.0);
}

#[test]
fn quota_snapshots_and_order_exports_load_as_holds() {
    let dir = tempfile::tempdir().unwrap();
    let header = "Quota name,Total quota,Paid orders,Pending orders,Blocking vouchers,\
                  Current user's carts,Waiting list,Exited orders,Current availability\n";
    for (name, values) in [
        ("quotas-2026-06-01-1000.csv", "200,100,10,0,5,0,0,Available"),
        (
            "quotas-2026-06-01-1200.csv",
            "200,120,50,0,30,12,0,Reserved",
        ),
        ("quotas-2026-06-01-1500.csv", "200,150,10,0,0,0,0,Available"),
    ] {
        std::fs::write(
            dir.path().join(name),
            format!("{header}Admission,{values}\n"),
        )
        .unwrap();
    }
    let regs = fixture("eventbrite_attendees_us.csv");
    let mut args = vec!["report", regs.to_str().unwrap(), "--tz", "UTC", "--json"];
    let paths: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path().display().to_string())
        .collect();
    for p in &paths {
        args.extend(["--holds", p.as_str()]);
    }
    let (code, out, err) = turnout(&args);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let h = &v["holds"];
    assert_eq!(h["peak_held"], 80);
    assert_eq!(h["false_soldout_minutes"], 180.0);
    assert!(h["what_if"].is_null());
    assert!(h["notes"][0].as_str().unwrap().contains("no identities"));

    // Hi.Events orders: RESERVED until reserved_until, then paid or expired.
    let orders = dir.path().join("orders.csv");
    std::fs::write(
        &orders,
        "ID,Email,Status,Created At,Reserved Until,Product Name\n\
         1,a@example.org,RESERVED,2026-06-01 10:00:00,2026-06-01 10:15:00,GA\n\
         2,b@example.org,COMPLETED,2026-06-01 10:05:00,,GA\n\
         3,c@example.org,EXPIRED,2026-06-01 10:10:00,2026-06-01 10:25:00,GA\n",
    )
    .unwrap();
    let (code, out, err) = turnout(&[
        "report",
        regs.to_str().unwrap(),
        "--tz",
        "UTC",
        "--json",
        "--holds",
        orders.to_str().unwrap(),
        "--stock",
        "GA=2",
    ]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let h = &v["holds"];
    assert_eq!(h["items"][0]["stock"], 2);
    assert_eq!(h["items"][0]["stock_inferred"], false);
    // From 10:10 the reservation and the expired order's hold sit beside one sale: two
    // places look taken while one is unsold.
    assert_eq!(h["peak_held"], 2);
    assert!(h["false_soldout_minutes"].as_f64().unwrap() > 0.0, "{h}");
}

#[test]
fn a_file_whose_every_date_is_unreadable_exits_2_and_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("dates.csv");
    std::fs::write(
        &bad,
        "Email,Registration Time\na@example.org,not a date\nb@example.org,never\n",
    )
    .unwrap();
    let (code, out, _) = turnout(&["report", bad.to_str().unwrap(), "--no-flags"]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("not a date and time"), "{out}");
}

#[test]
fn kinds_of_files_are_detected_and_routed() {
    let dir = tempfile::tempdir().unwrap();
    let regs = dir.path().join("registrations.csv");
    std::fs::write(
        &regs,
        "Email,Name,Registration Time\nana.b+x@example.org,Ana B,2025-01-01 10:00\nbo@example.org,Bo C,2025-01-02 10:00\n",
    )
    .unwrap();
    let zoom = dir.path().join("participants.csv");
    std::fs::write(
        &zoom,
        "User Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes)\nAna B,ana.b@example.org,02/01/2025 06:00:00 PM,02/01/2025 07:00:00 PM,60\nWalk In,walk@example.org,02/01/2025 06:10:00 PM,02/01/2025 06:30:00 PM,20\n",
    )
    .unwrap();
    let carts = dir.path().join("carts.csv");
    let mut log = String::from("Time,Customer Email,Item,Quantity,Action,Hold Expires At\n");
    for i in 0..20 {
        log.push_str(&format!(
            "2026-07-15 10:{i:02}:00,b{i}@example.org,Mug,1,hold,2026-07-15 10:{:02}:00\n",
            i + 30
        ));
    }
    std::fs::write(&carts, log).unwrap();
    let (code, out, err) = turnout(&[
        "report",
        regs.to_str().unwrap(),
        zoom.to_str().unwrap(),
        carts.to_str().unwrap(),
        "--json",
        "--no-flags",
    ]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let kinds: Vec<&str> = v["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["detected"]["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["registrations", "holds", "attendance"]);
    // Ana came (matched by address), Bo did not; the walk-in was not registered.
    assert_eq!(v["rows"], 2, "the cart log is not counted as registrations");
    assert_eq!(v["forecast"]["checked_in"], 1);
    assert!(
        v["holds"].is_object(),
        "the cart log went to held inventory"
    );
}

#[test]
fn an_unused_check_in_column_after_the_event_is_not_a_room_nobody_came_to() {
    // An Eventbrite-style export always carries "Checked In"; here the door did not use it.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("meetup.csv");
    let mut csv = String::from("Order #,Order Date,Email,Quantity,Checked In\n");
    for i in 0..60 {
        csv.push_str(&format!(
            "{},2026-03-{:02} 10:{:02},p{i}@example.org,1,{}\n",
            1000 + i,
            1 + i % 20,
            i % 60,
            "No"
        ));
    }
    std::fs::write(&path, &csv).unwrap();
    let run = |csv_path: &std::path::Path| {
        let (code, out, err) = turnout(&[
            "report",
            csv_path.to_str().unwrap(),
            "--tz",
            "UTC",
            "--event-start",
            "2026-03-25 19:00",
            "--as-of",
            "2026-03-27 10:00",
            "--json",
        ]);
        assert_eq!(code, 0, "{err}");
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        v["forecast"].clone()
    };
    let f = run(&path);
    assert_eq!(f["checked_in"], 0);
    assert_eq!(f["outcome_known"], false);
    assert!(f["advice"].as_str().unwrap().starts_with("Expect about"));
    // With check-ins, two days after the start, it is over and says who came.
    std::fs::write(&path, csv.replacen(",No\n", ",Yes\n", 40)).unwrap();
    let f = run(&path);
    assert_eq!(f["checked_in"], 40);
    assert_eq!(f["outcome_known"], true);
    let advice = f["advice"].as_str().unwrap();
    assert!(
        advice.starts_with("This event is over: 40 of the 60 registered checked in (67%)"),
        "{advice}"
    );
    assert!(
        f["model"].as_str().unwrap().starts_with("Over:"),
        "{}",
        f["model"]
    );
}

/// A file whose every row is rejected gets no forecast "as of 1 January 1970": the report
/// says there is nothing to forecast and why, and the exit code that nothing could be used.
#[test]
fn a_file_with_no_loadable_row_says_so_instead_of_forecasting_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = common::all_rejected_bookings(dir.path());
    let (code, out, err) = turnout(&["report", path.to_str().unwrap()]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(out.contains("0 loaded, 2 rejected"), "{out}");
    assert!(
        out.contains("Forecast: none, as no registration could be loaded"),
        "{out}"
    );
    assert!(!out.contains("1970"), "{out}");
    assert!(!out.contains("tickets by status"), "{out}");
    assert!(
        out.contains("line 2: days booked ahead '99999999' ('lead_time') is not a number of days from 0 to 3,660"),
        "{out}"
    );
}

/// A status word Turnout does not know is counted as a registration, and the report says
/// which, where and how many, in a sentence ("1 status value", not "1 status values").
#[test]
fn an_unknown_status_word_is_named_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("clinic.csv");
    std::fs::write(
        &path,
        "Booking Date,Appointment Date,Appointment Status\n\
         2026-03-01,2026-03-10,Attended\n\
         2026-03-02,2026-03-10,DNA\n\
         2026-03-03,2026-03-10,Cancelled by Patient\n\
         2026-03-04,2026-03-10,Walked out\n",
    )
    .unwrap();
    let (code, out, err) = turnout(&["report", path.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains(
            "note: 1 status value not a status Turnout knows; counted as a registration \
             (first on line 5: 'Walked out')"
        ),
        "{out}"
    );
    assert!(
        out.contains("tickets by status: cancelled 1, checked_in 1, confirmed 1, other 1"),
        "{out}"
    );
}

/// One event a year ahead, two signups so far and nothing to learn from: the pace of its first
/// days carried forward is said to be a rough guess; a week before the start it is not.
#[test]
fn a_pace_carried_far_beyond_its_days_is_called_a_guess() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("gala.csv");
    let write = |start: &str| {
        std::fs::write(
            &path,
            format!(
                "Invitee Name,Invitee Email,Event Type Name,Start Date & Time,Event Created Date & Time\n\
                 Ana Silva,ana@example.org,Annual Gala,{start},2026-11-28 10:00 am\n\
                 Ben Okafor,ben@example.com,Annual Gala,{start},2026-11-30 03:00 pm\n"
            ),
        )
        .unwrap()
    };
    let model = |v: &serde_json::Value| v["forecast"]["model"].as_str().unwrap().to_string();
    write("2027-12-01 07:00 pm");
    let (code, out, err) = turnout(&["report", path.to_str().unwrap(), "--json"]);
    assert_eq!(code, 0, "{err}");
    let far: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(
        model(&far)
            .contains("carried 366 days ahead from 2 days of signups, so this is a rough guess"),
        "{}",
        model(&far)
    );
    let advice = far["forecast"]["advice"].as_str().unwrap();
    assert!(advice.contains("a rough guess"), "{advice}");
    write("2026-12-07 07:00 pm");
    let (_, out, _) = turnout(&["report", path.to_str().unwrap(), "--json"]);
    let near: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(!model(&near).contains("rough guess"), "{}", model(&near));
    assert!(
        !near["forecast"]["advice"]
            .as_str()
            .unwrap()
            .contains("rough guess")
    );
}

/// A restaurant book exported after service: tonight's parties say `Seated` and `Done`
/// without a time of their own, and the last booking was made days before. Tonight is over,
/// not the night in focus: the forecast is for the next booked night, as of tonight.
#[test]
fn a_night_whose_parties_sat_is_over_though_nobody_booked_after_it() {
    let (code, out, err) = turnout(&[
        "report",
        fixture("opentable_reservations.csv").to_str().unwrap(),
        "--tz",
        "UTC",
        "--json",
    ]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["focus"], "2024-11-19");
    let as_of = v["forecast"]["as_of"].as_str().unwrap();
    assert!(as_of.starts_with("2024-11-18T18:30"), "{as_of}");
}
