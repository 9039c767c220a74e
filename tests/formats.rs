//! Every layout in FORMATS.md loads with its roles mapped and no manual step.

mod common;

use common::*;
use turnout::dataset::{CHECKED_IN_UNKNOWN_TIME, NO_TIME};
use turnout::import::{ImportOptions, OrderReason, Role, Status, import_file};

#[test]
fn eventbrite_us_attendee_report() {
    let f = load("eventbrite_attendees_us.csv");
    assert_eq!(f.report.rows_read, 5);
    assert_eq!(f.report.rejected_count, 0);
    assert_eq!(
        header(&f, Role::RegisteredAt).as_deref(),
        Some("Order Date")
    );
    assert_eq!(header(&f, Role::OrderId).as_deref(), Some("Order #"));
    assert_eq!(
        header(&f, Role::RegistrantId).as_deref(),
        Some("Attendee #")
    );
    assert_eq!(header(&f, Role::Status).as_deref(), Some("Attendee Status"));
    assert_eq!(header(&f, Role::PostalCode).as_deref(), Some("Home Zip"));
    assert_eq!(
        f.report.detected.date_format.as_deref(),
        Some("%m/%d/%y %H:%M")
    );
    // 12/13/24 settles month-first for the whole column.
    assert_eq!(
        f.report.detected.date_order,
        Some(OrderReason::ValuesOver12)
    );
    // 11/29/24 22:28 in Chicago (CST, UTC-6).
    assert_eq!(f.rows.registered_at[0], utc("2024-11-30T04:28:00Z"));
    assert_eq!(f.rows.quantity, vec![1, 4, 1, 2, 1]);
    assert_eq!(
        f.rows.status,
        vec![
            Status::Confirmed,
            Status::CheckedIn,
            Status::Cancelled,
            Status::Confirmed,
            Status::Cancelled
        ]
    );
    let price = f.rows.price.as_ref().unwrap();
    assert_eq!(price[1], 40.0);
    assert_eq!(text(&f, Role::FirstName, 2), "Chloé");
    // An order of four counts four registrations.
    assert_eq!(f.rows.active_tickets(), 1 + 4 + 2);
}

#[test]
fn eventbrite_iso_offsets_and_birth_dates() {
    let f = load("eventbrite_attendees_iso.csv");
    assert_eq!(
        header(&f, Role::RegisteredAt).as_deref(),
        Some("Order Date")
    );
    assert_eq!(header(&f, Role::Phone).as_deref(), Some("Cell Phone"));
    assert!(
        !f.report
            .mapping
            .iter()
            .any(|m| m.headers.contains(&"Birth Date".to_string()))
    );
    assert_eq!(f.rows.registered_at[0], utc("2023-01-24T19:49:27Z"));
}

#[test]
fn eventbrite_german_ui() {
    let f = load("eventbrite_de.csv");
    assert_eq!(
        header(&f, Role::RegisteredAt).as_deref(),
        Some("Bestelldatum")
    );
    assert_eq!(header(&f, Role::FirstName).as_deref(), Some("Vorname"));
    assert_eq!(header(&f, Role::TicketType).as_deref(), Some("Ticketart"));
    assert_eq!(
        header(&f, Role::RegistrantId).as_deref(),
        Some("Teilnehmernummer")
    );
    assert_eq!(f.rows.registered_at[0], utc("2024-03-02T09:15:00Z"));
    assert_eq!(f.rows.status[0], Status::Confirmed);
    assert_eq!(f.rows.status[2], Status::Cancelled);
    assert_eq!(f.rows.price.as_ref().unwrap()[1], 24.0);
    assert_eq!(text(&f, Role::LastName, 0), "Müller");
}

#[test]
fn pretix_orders_with_separate_date_and_time() {
    let f = load("pretix_orders.csv");
    assert_eq!(
        header(&f, Role::RegisteredAt).as_deref(),
        Some("Order date")
    );
    assert_eq!(
        header(&f, Role::RegisteredTime).as_deref(),
        Some("Order time")
    );
    // 2024-05-02 09:14:55 in Chicago (CDT, UTC-5).
    assert_eq!(f.rows.registered_at[0], utc("2024-05-02T14:14:55Z"));
    assert_eq!(
        f.rows.status,
        vec![
            Status::Confirmed,
            Status::Pending,
            Status::Expired,
            Status::Cancelled
        ]
    );
    assert_eq!(f.rows.quantity[0], 2);
}

/// pretix's waiting-list export: who waits for a voucher waits (and is counted among those
/// to admit), a voucher sent sets a place aside, a redeemed one is the order listed in the
/// order export (not counted twice), an expired one is gone.
#[test]
fn pretix_waiting_list_entries_by_voucher_state() {
    let f = load("pretix_waitinglist.csv");
    assert_eq!(header(&f, Role::RegisteredAt).as_deref(), Some("Date"));
    assert_eq!(header(&f, Role::Status).as_deref(), Some("Status"));
    assert_eq!(
        f.rows.status,
        vec![
            Status::Waitlist,
            Status::Waitlist,
            Status::Pending,
            Status::Converted,
            Status::Expired
        ]
    );
}

#[test]
fn pretix_german_semicolons_windows_1252() {
    let f = load("pretix_de_semicolons.csv");
    assert_eq!(f.report.detected.encoding, "windows-1252");
    assert_eq!(f.report.detected.delimiter.as_deref(), Some(";"));
    assert_eq!(
        header(&f, Role::RegisteredAt).as_deref(),
        Some("Bestelldatum")
    );
    assert_eq!(
        header(&f, Role::RegisteredTime).as_deref(),
        Some("Bestelluhrzeit")
    );
    assert_eq!(text(&f, Role::Name, 1), "Hans Groß");
    assert_eq!(text(&f, Role::Name, 3), "Jan Öztürk");
    assert_eq!(f.rows.price.as_ref().unwrap()[0], 12.5);
    assert_eq!(
        f.rows.status,
        vec![
            Status::Confirmed,
            Status::Pending,
            Status::Cancelled,
            Status::Expired
        ]
    );
}

#[test]
fn pretix_checkin_list_times_in_locale_format() {
    let f = load("pretix_checkin_list.csv");
    assert_eq!(header(&f, Role::CheckedIn).as_deref(), Some("Checked in"));
    let ci = f.rows.checked_in.as_ref().unwrap();
    assert_eq!(ci[0], utc("2024-05-20T13:55:00Z"));
    assert_eq!(ci[1], NO_TIME);
}

fn write_pretix_xlsx(path: &std::path::Path, german: bool) {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let mut book = Workbook::new();
    let date_format = Format::new().set_num_format("yyyy-mm-dd");
    let (orders, positions, fees) = if german {
        ("Bestellungen", "Bestellzeilen", "Gebühren")
    } else {
        ("Orders", "Order positions", "Fees")
    };
    let sheet = book.add_worksheet().set_name(orders).unwrap();
    let header: &[&str] = if german {
        &[
            "Kurzname der Veranstaltung",
            "Bestellnummer",
            "Gesamtbetrag",
            "Status",
            "E-Mail",
            "Bestelldatum",
            "Bestelluhrzeit",
            "Name",
            "Positionen",
        ]
    } else {
        &[
            "Event slug",
            "Order code",
            "Order total",
            "Status",
            "Email",
            "Order date",
            "Order time",
            "Name",
            "Positions",
        ]
    };
    for (c, h) in header.iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    let rows = [
        (
            "AB3CD",
            50.0,
            "p",
            "kim@example.org",
            (2024, 5, 2),
            "09:14:55",
            "Kim Park",
            2,
        ),
        (
            "EF4GH",
            25.0,
            "n",
            "lou@example.org",
            (2024, 5, 3),
            "18:02:11",
            "Lou Reed",
            1,
        ),
        (
            "JK7LM",
            25.0,
            "c",
            "max@example.org",
            (2024, 5, 13),
            "22:30:00",
            "Max Frei",
            1,
        ),
    ];
    for (r, (code, total, status, email, (y, m, d), time, name, positions)) in
        rows.iter().enumerate()
    {
        let r = r as u32 + 1;
        sheet.write_string(r, 0, "summit24").unwrap();
        sheet.write_string(r, 1, *code).unwrap();
        sheet.write_number(r, 2, *total).unwrap();
        sheet.write_string(r, 3, *status).unwrap();
        sheet.write_string(r, 4, *email).unwrap();
        let date = ExcelDateTime::from_ymd(*y, *m, *d).unwrap();
        sheet
            .write_datetime_with_format(r, 5, &date, &date_format)
            .unwrap();
        sheet.write_string(r, 6, *time).unwrap();
        sheet.write_string(r, 7, *name).unwrap();
        sheet.write_number(r, 8, *positions as f64).unwrap();
    }
    let sheet = book.add_worksheet().set_name(positions).unwrap();
    for (c, h) in [
        "Order code",
        "Position ID",
        "Product",
        "Variation",
        "Price",
        "Tax rate",
        "Attendee name",
        "Attendee email",
        "Voucher",
        "Pseudonymization ID",
        "Seat ID",
        "Seat name",
        "Dietary – Vegan",
    ]
    .iter()
    .enumerate()
    {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    sheet.write_string(1, 0, "AB3CD").unwrap();
    sheet.write_number(1, 1, 1.0).unwrap();
    sheet.write_string(1, 2, "Conference ticket").unwrap();
    sheet.write_string(1, 6, "Kim Park").unwrap();
    let sheet = book.add_worksheet().set_name(fees).unwrap();
    sheet.write_string(0, 0, "Order code").unwrap();
    sheet.write_string(0, 1, "Fee type").unwrap();
    book.save(path).unwrap();
}

#[test]
fn pretix_xlsx_picks_the_orders_sheet_in_any_language() {
    let dir = tempfile::tempdir().unwrap();
    for german in [false, true] {
        let path = dir.path().join(format!("pretix-{german}.xlsx"));
        write_pretix_xlsx(&path, german);
        let f = import_file(&path, &chicago()).unwrap();
        assert_eq!(f.report.detected.format, "xlsx");
        let expected = if german { "Bestellungen" } else { "Orders" };
        assert_eq!(f.report.detected.sheet.as_deref(), Some(expected));
        assert_eq!(f.rows.len(), 3);
        // A real Excel date cell plus a time-of-day text cell.
        assert_eq!(f.rows.registered_at[0], utc("2024-05-02T14:14:55Z"));
        assert_eq!(f.rows.registered_at[2], utc("2024-05-14T03:30:00Z"));
        assert_eq!(f.rows.quantity[0], 2);
        assert_eq!(f.rows.status[1], Status::Pending);
    }
    // The positions sheet can be chosen; it has no time column but clearly registrations.
    let path = dir.path().join("pretix-false.xlsx");
    let opts = ImportOptions {
        sheet: Some("Order positions".into()),
        ..chicago()
    };
    let f = import_file(&path, &opts).unwrap();
    assert_eq!(header(&f, Role::Name).as_deref(), Some("Attendee name"));
    assert_eq!(f.rows.registered_at, vec![NO_TIME]);
    let missing = ImportOptions {
        sheet: Some("Nope".into()),
        ..chicago()
    };
    let err = import_file(&path, &missing).unwrap_err().to_string();
    assert!(
        err.contains("no sheet named 'Nope'") && err.contains("Orders"),
        "{err}"
    );
}

#[test]
fn luma_guests_with_multiline_answers_and_emoji() {
    let f = load("Rust Meetup - Guests - 2025-11-02-10-00-00.csv");
    assert_eq!(f.report.rows_read, 5);
    assert_eq!(
        header(&f, Role::RegisteredAt).as_deref(),
        Some("created_at")
    );
    assert_eq!(header(&f, Role::RegistrantId).as_deref(), Some("guest_id"));
    assert_eq!(header(&f, Role::Source).as_deref(), Some("utm_source"));
    assert_eq!(f.rows.registered_at[0], utc("2025-10-29T03:56:00Z"));
    assert_eq!(
        f.rows.line,
        vec![2, 4, 5, 6, 7],
        "the quoted answer spans two lines"
    );
    assert_eq!(
        f.rows.status,
        vec![
            Status::Approved,
            Status::AwaitingApproval,
            Status::Waitlist,
            Status::Cancelled,
            Status::Invited
        ]
    );
    assert_eq!(f.rows.price.as_ref().unwrap()[1], 10.0);
    assert_eq!(
        f.rows.checked_in.as_ref().unwrap()[0],
        utc("2025-11-05T17:02:11Z")
    );
}

#[test]
fn hi_events_attendees_and_reserved_orders() {
    let a = load("hi_events_attendees.csv");
    assert_eq!(
        header(&a, Role::RegisteredAt).as_deref(),
        Some("Created Date")
    );
    assert_eq!(
        header(&a, Role::TicketType).as_deref(),
        Some("Product Name")
    );
    let ci = a.rows.checked_in.as_ref().unwrap();
    assert_eq!(ci[0], utc("2025-03-09T00:05:00Z"));
    assert_eq!(ci[1], NO_TIME);
    assert_eq!(text(&a, Role::FirstName, 0), "Tomás");

    let o = load("hi_events_orders.csv");
    assert_eq!(
        header(&o, Role::RegisteredAt).as_deref(),
        Some("Created At")
    );
    assert_eq!(
        header(&o, Role::HoldExpiresAt).as_deref(),
        Some("Reserved Until")
    );
    assert_eq!(header(&o, Role::Status).as_deref(), Some("Status"));
    assert_eq!(
        o.rows.status,
        vec![
            Status::Confirmed,
            Status::Pending,
            Status::Cancelled,
            Status::Expired
        ]
    );
    let holds = o.rows.hold_expires_at.as_ref().unwrap();
    assert_eq!(holds[1], utc("2025-02-10T16:17:00Z"));
    assert_eq!(holds[0], NO_TIME);
}

#[test]
fn zoom_sectioned_report() {
    let f = load("zoom_webinar_attendees.csv");
    assert_eq!(f.report.detected.encoding, "UTF-8 with BOM");
    assert_eq!(
        f.report.detected.header_line, 15,
        "the attendee table, not the host table"
    );
    assert_eq!(
        header(&f, Role::RegisteredAt).as_deref(),
        Some("Registration Time")
    );
    assert_eq!(header(&f, Role::CheckedIn).as_deref(), Some("Attended"));
    assert!(
        !f.report
            .mapping
            .iter()
            .any(|m| m.headers.iter().any(|h| h == "Join Time")),
        "Join Time is not the registration time"
    );
    // Five attendee rows: Amy joined twice, which is one registration.
    assert_eq!(f.report.rows_read, 5);
    assert_eq!(f.report.merged_rows, 1);
    assert_eq!(f.rows.len(), 4);
    assert!(!f.rows.line.contains(&9), "host rows are not registrations");
    assert_eq!(text(&f, Role::Email, 0), "amy@example.org");
    // 08/01/2026 02:15:10 PM, month-first (nothing says otherwise, and it says so).
    assert_eq!(f.rows.registered_at[0], utc("2026-08-01T19:15:10Z"));
    assert_eq!(f.report.detected.date_order, Some(OrderReason::Assumed));
    assert!(
        f.report
            .warnings
            .iter()
            .any(|w| w.contains("--date-format dmy"))
    );
    let ci = f.rows.checked_in.as_ref().unwrap();
    assert_eq!(ci[0], CHECKED_IN_UNKNOWN_TIME);
    assert_eq!(ci[2], NO_TIME);
    assert_eq!(f.rows.status[3], Status::Cancelled);
}

#[test]
fn google_forms_both_locales() {
    let a = load("google_forms_ast.csv");
    assert_eq!(header(&a, Role::RegisteredAt).as_deref(), Some("Timestamp"));
    assert_eq!(header(&a, Role::Email).as_deref(), Some("Email Address"));
    assert_eq!(header(&a, Role::Name).as_deref(), Some("Your name"));
    // 11:07:29 AM Atlantic Standard Time is UTC-4, whatever the event zone.
    assert_eq!(a.rows.registered_at[0], utc("2022-06-22T15:07:29Z"));
    assert_eq!(a.rows.registered_at[1], utc("2022-06-22T17:15:00Z"));

    let u = load("google_forms_us.csv");
    assert_eq!(header(&u, Role::Email).as_deref(), Some("Email address"));
    assert_eq!(u.rows.registered_at[2], utc("2022-06-30T13:00:00Z"));
}

#[test]
fn attendize_indico_alfio_ticket_tailor_meetup() {
    let a = load("attendize.csv");
    assert_eq!(
        header(&a, Role::RegisteredAt).as_deref(),
        Some("Purchase Date")
    );
    assert_eq!(
        header(&a, Role::RegistrantId).as_deref(),
        Some("Ticket Reference")
    );
    let ci = a.rows.checked_in.as_ref().unwrap();
    assert_eq!(ci[0], utc("2024-09-21T23:02:00Z"));
    assert_eq!(ci[1], NO_TIME);

    let i = load("indico.csv");
    assert_eq!(
        header(&i, Role::Status).as_deref(),
        Some("Registration state")
    );
    assert_eq!(
        i.rows.status,
        vec![Status::Confirmed, Status::Pending, Status::Cancelled]
    );
    assert_eq!(
        i.rows.checked_in.as_ref().unwrap()[0],
        utc("2024-04-10T13:30:00Z")
    );

    // alf.io's attendee export has no time column: it loads, undated, and says so.
    let l = load("alfio.csv");
    assert_eq!(l.rows.len(), 3);
    assert!(l.rows.registered_at.iter().all(|&t| t == NO_TIME));
    assert!(
        l.report
            .warnings
            .iter()
            .any(|w| w.contains("no registration-time column"))
    );
    assert_eq!(
        l.rows.status,
        vec![Status::Confirmed, Status::CheckedIn, Status::Pending]
    );
    assert_eq!(header(&l, Role::OrderId).as_deref(), Some("ReservationID"));

    let t = load("ticket_tailor.csv");
    assert_eq!(t.rows.status, vec![Status::Confirmed, Status::Cancelled]);
    assert_eq!(t.rows.price.as_ref().unwrap()[0], 20.0);

    let m = load("meetup.csv");
    assert_eq!(header(&m, Role::RegisteredAt).as_deref(), Some("RSVPed on"));
    // Rae brings two guests: three people on one RSVP.
    assert_eq!(m.rows.quantity, vec![3, 1, 1, 2]);
    assert_eq!(
        m.rows.status,
        vec![
            Status::Confirmed,
            Status::Confirmed,
            Status::Cancelled,
            Status::Waitlist
        ]
    );
    let ci = m.rows.checked_in.as_ref().unwrap();
    assert_ne!(ci[0], NO_TIME);
    assert_eq!(ci[1], NO_TIME);
}

#[test]
fn generic_german_excel_export() {
    let f = load("generic_german_excel.csv");
    assert_eq!(f.report.detected.encoding, "windows-1252");
    assert_eq!(f.report.detected.delimiter.as_deref(), Some(";"));
    assert_eq!(
        f.report.detected.date_format.as_deref(),
        Some("%d.%m.%Y %H:%M")
    );
    assert_eq!(f.rows.registered_at[0], utc("2020-06-10T19:49:00Z"));
    assert_eq!(text(&f, Role::Name, 2), "Zoë Straße");
    assert_eq!(f.rows.price.as_ref().unwrap()[0], 12.5);
    assert_eq!(f.rows.quantity, vec![2, 1, 4]);
}

#[test]
fn excel_unicode_text_is_utf16_with_tabs() {
    let f = load("excel_unicode_text.txt");
    assert_eq!(f.report.detected.encoding, "UTF-16LE");
    assert_eq!(f.report.detected.delimiter.as_deref(), Some("tab"));
    assert_eq!(header(&f, Role::Name).as_deref(), Some("Guest"));
    assert_eq!(text(&f, Role::Name, 0), "אביגיל כהן");
    assert_eq!(text(&f, Role::Name, 1), "محمد حداد");
    assert_eq!(f.rows.quantity, vec![2, 3, 1]);
    let ci = f.rows.checked_in.as_ref().unwrap();
    assert_eq!(ci[0], CHECKED_IN_UNKNOWN_TIME);
    assert_eq!(ci[1], NO_TIME);
}

#[test]
fn every_fixture_loads_without_rejections() {
    for entry in std::fs::read_dir(fixture("")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "md") {
            continue;
        }
        let f =
            import_file(&path, &chicago()).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert_eq!(f.report.rejected_count, 0, "{}", path.display());
        assert!(!f.rows.is_empty(), "{}", path.display());
        assert!(
            f.report
                .mapping
                .iter()
                .any(|m| m.role == Role::Email || m.role == Role::Name),
            "{}: no identity column",
            path.display()
        );
    }
}

/// A payment provider's activity export: `, `-separated quoted fields with leading spaces,
/// date, time and zone abbreviation in three columns, decimal commas, Portuguese statuses.
#[test]
fn date_time_and_zone_in_three_columns() {
    let dir = tempfile::tempdir().unwrap();
    let mut csv =
        String::from("Data, Hora, Fuso horário, Nome, Tipo, Status, Valor, E-mail do Comprador\n");
    let statuses = ["Concluído", "Pendente", "Cancelado", "Reembolsado"];
    for i in 0..8 {
        csv.push_str(&format!(
            "\"29-06-2015\", \"09:{i:02}:43\", \"BRT\", \"Silva, Ana {i}\", \"Pagamento\", \"{}\", \"1.234,50\", \"p{i}@exemplo.com.br\"\n",
            statuses[i % 4]
        ));
    }
    let path = dir.path().join("Download.csv");
    std::fs::write(&path, csv).unwrap();
    let f = import_file(&path, &chicago()).unwrap();
    assert_eq!(f.report.rejected_count, 0, "{:?}", f.report.rejected);
    assert_eq!(
        header(&f, Role::RegisteredZone).as_deref(),
        Some(" Fuso horário")
    );
    // 09:00:43 in Brasília time (UTC-3).
    assert_eq!(f.rows.registered_at[0], utc("2015-06-29T12:00:43Z"));
    assert_eq!(text(&f, Role::Name, 0), "Silva, Ana 0");
    assert_eq!(text(&f, Role::Email, 1), "p1@exemplo.com.br");
    assert_eq!(f.rows.price.as_ref().unwrap()[0], 1234.5);
    assert_eq!(
        &f.rows.status[..4],
        &[
            Status::Confirmed,
            Status::Pending,
            Status::Cancelled,
            Status::Cancelled
        ]
    );
}

#[test]
fn headers_in_five_more_languages() {
    use turnout::import::roles::role_for_header;
    for (h, role) in [
        ("Data da compra", Role::RegisteredAt),
        ("Fecha de registro", Role::RegisteredAt),
        ("Date d'inscription", Role::RegisteredAt),
        ("Data di registrazione", Role::RegisteredAt),
        ("Aanmelddatum", Role::RegisteredAt),
        ("Check-in", Role::CheckedIn),
        ("Presente", Role::CheckedIn),
        ("Checkin Date (UTC)", Role::CheckedIn),
        ("Ticket title", Role::TicketType),
        ("User Email", Role::Email),
        ("Prénom", Role::FirstName),
        ("Achternaam", Role::LastName),
        ("Correo electrónico", Role::Email),
        ("Quantidade", Role::Quantity),
        ("Fuso horário", Role::RegisteredZone),
    ] {
        assert_eq!(role_for_header(h).map(|r| r.0), Some(role), "{h}");
    }
}

/// Scheduling and booking tools: when the slot was booked, when it starts (in one column, or
/// as a date and a time of day in two), and what became of it.
#[test]
fn scheduling_and_booking_tools() {
    let event_at = |f: &turnout::import::Imported| f.rows.event_at.clone().expect("event times");
    // Calendly: `Canceled` true/false, `Marked as No-Show` (yes = did not come).
    let f = load("calendly_scheduled_events.csv");
    assert_eq!(
        header(&f, Role::RegisteredAt).as_deref(),
        Some("Event Created Date & Time")
    );
    assert_eq!(
        header(&f, Role::EventAt).as_deref(),
        Some("Start Date & Time")
    );
    assert_eq!(header(&f, Role::Status).as_deref(), Some("Canceled"));
    assert_eq!(
        header(&f, Role::CheckedIn).as_deref(),
        Some("Marked as No-Show")
    );
    assert_eq!(header(&f, Role::Email).as_deref(), Some("Invitee Email"));
    assert_eq!(
        header(&f, Role::TicketType).as_deref(),
        Some("Event Type Name")
    );
    assert_eq!(f.rows.registered_at[0], utc("2024-11-04T21:12:00Z"));
    assert_eq!(event_at(&f)[2], utc("2024-11-18T19:30:00Z"));
    assert_eq!(f.rows.status[1], Status::Cancelled);
    let came = f.rows.checked_in.clone().unwrap();
    assert_eq!(came[2], NO_TIME, "marked as a no-show");
    assert_ne!(
        came[0], NO_TIME,
        "not marked, before the 13:30 meeting marked a no-show"
    );
    // The 19 November meeting is later than anything the file shows happened (its last
    // booking, the latest meeting somebody was marked at): its blank says nothing yet.
    assert_eq!(came[3], NO_TIME);
    assert!(
        f.report.warnings.iter().any(
            |w| w.starts_with("1 appointment with an empty no-show mark") && w.contains("line 5")
        ),
        "{:?}",
        f.report.warnings
    );
    // Acuity: the start in one column, `Label` as the outcome.
    let f = load("acuity_appointments.csv");
    assert_eq!(header(&f, Role::EventAt).as_deref(), Some("Start Time"));
    assert_eq!(
        header(&f, Role::RegisteredAt).as_deref(),
        Some("Date Scheduled")
    );
    assert_eq!(header(&f, Role::Status).as_deref(), Some("Label"));
    assert_eq!(event_at(&f)[1], utc("2024-11-18T16:30:00Z"));
    assert_eq!(
        f.rows.status,
        vec![Status::CheckedIn, Status::Confirmed, Status::CheckedIn]
    );
    // Mindbody: class date and time apart; signed in, late cancel, no-show, booked.
    let f = load("mindbody_class_visits.csv");
    assert_eq!(header(&f, Role::EventAt).as_deref(), Some("Class Date"));
    assert_eq!(header(&f, Role::EventTime).as_deref(), Some("Class Time"));
    assert_eq!(header(&f, Role::Name).as_deref(), Some("Client Name"));
    assert_eq!(event_at(&f)[0], utc("2024-11-18T12:30:00Z"));
    assert_eq!(event_at(&f)[3], utc("2024-11-18T23:45:00Z"));
    assert_eq!(
        f.rows.status,
        vec![
            Status::CheckedIn,
            Status::Cancelled,
            Status::Confirmed,
            Status::CheckedIn,
            Status::Confirmed
        ]
    );
    // A restaurant book: the dictionary knows `Visit Time` as an event time, but its values
    // are times of day; `Visit Date` beside it is the date.
    let f = load("opentable_reservations.csv");
    assert_eq!(header(&f, Role::EventAt).as_deref(), Some("Visit Date"));
    assert_eq!(header(&f, Role::EventTime).as_deref(), Some("Visit Time"));
    assert_eq!(header(&f, Role::Quantity).as_deref(), Some("Party Size"));
    assert!(
        f.report.value_issues.is_empty(),
        "{:?}",
        f.report.value_issues
    );
    assert_eq!(event_at(&f)[1], utc("2024-11-19T00:30:00Z"));
    assert_eq!(f.rows.quantity, vec![2, 4, 2, 6, 3]);
    assert_eq!(
        f.rows.status,
        vec![
            Status::CheckedIn,
            Status::CheckedIn,
            Status::Confirmed,
            Status::Cancelled,
            Status::Confirmed
        ]
    );
}

/// A column named like a status only sometimes (`Label`, `Outcome`) is read as one only
/// where its values are status words.
#[test]
fn a_label_of_other_words_is_not_a_status() {
    let text = "Start Time,Email,Date Scheduled,Label\n\
                2024-11-18 09:00,a@example.org,2024-11-04 10:00,VIP\n\
                2024-11-18 10:00,b@example.org,2024-11-05 10:00,Returning client\n";
    let f = turnout::import::import_bytes(
        std::path::Path::new("labels.csv"),
        text.as_bytes(),
        &chicago(),
    )
    .unwrap();
    assert_eq!(header(&f, Role::Status), None);
    assert_eq!(f.rows.status, vec![Status::Confirmed, Status::Confirmed]);
}

/// A time-of-day column with a few unreadable values still pairs with its date; those rows
/// keep their day and the note says which.
#[test]
fn an_unreadable_time_of_day_keeps_the_rows_day() {
    let text = "Visit Date,Visit Time,Party Size,Date Booked,Email\n\
                2024-11-18,18:00,2,2024-11-10,a@example.org\n\
                2024-11-18,25:99,2,2024-11-10,b@example.org\n\
                2024-11-18,19:00,2,2024-11-10,c@example.org\n\
                2024-11-18,,2,2024-11-10,d@example.org\n\
                2024-11-18,20:30,2,2024-11-10,e@example.org\n\
                2024-11-18,noon,2,2024-11-10,f@example.org\n";
    let f = turnout::import::import_bytes(
        std::path::Path::new("book.csv"),
        text.as_bytes(),
        &chicago(),
    )
    .unwrap();
    assert_eq!(f.report.rejected_count, 0);
    assert_eq!(header(&f, Role::EventAt).as_deref(), Some("Visit Date"));
    assert_eq!(header(&f, Role::EventTime).as_deref(), Some("Visit Time"));
    let issue = &f.report.value_issues[0];
    assert_eq!(
        (issue.role, issue.count, issue.first_line),
        (Role::EventTime, 2, 3)
    );
    let midnight = utc("2024-11-18T06:00:00Z");
    assert_eq!(
        f.rows.event_at.clone().unwrap(),
        vec![
            utc("2024-11-19T00:00:00Z"),
            midnight,
            utc("2024-11-19T01:00:00Z"),
            midnight,
            utc("2024-11-19T02:30:00Z"),
            midnight
        ]
    );
}

/// An appointment list whose slot is a bare `Date` and `Time` beside the booking's own
/// `Created At`; a hotel's rooms per booking; a holiday rental's stays.
#[test]
fn bare_date_and_time_beside_a_booking_time_are_the_slot() {
    let load_text = |name: &str, text: &str| {
        turnout::import::import_bytes(std::path::Path::new(name), text.as_bytes(), &chicago())
            .unwrap()
    };
    let f = load_text(
        "appointments.csv",
        "Date,Time,Service,Customer Email,Status,Created At\n\
         2024-11-18,9:00 AM,Haircut,a@example.org,Accepted,2024-11-01 10:02 AM\n\
         2024-11-18,10:00 AM,Haircut,b@example.org,Cancelled by customer,2024-11-02 11:30 AM\n\
         2024-11-18,11:00 AM,Beard trim,c@example.org,No show,2024-11-10 09:15 AM\n",
    );
    assert_eq!(header(&f, Role::EventAt).as_deref(), Some("Date"));
    assert_eq!(header(&f, Role::EventTime).as_deref(), Some("Time"));
    assert_eq!(
        header(&f, Role::RegisteredAt).as_deref(),
        Some("Created At")
    );
    assert_eq!(
        f.rows.event_at.clone().unwrap()[2],
        utc("2024-11-18T17:00:00Z")
    );
    assert_eq!(f.rows.status[1], Status::Cancelled);
    // Without a booking time of its own, a bare `Date` is not taken for the slot.
    let f = load_text(
        "signups.csv",
        "Date,Email\n2024-11-01,a@example.org\n2024-11-02,b@example.org\n",
    );
    assert_eq!(header(&f, Role::EventAt), None);
    assert_eq!(header(&f, Role::RegisteredAt).as_deref(), Some("Date"));
    let f = load_text(
        "hotel.csv",
        "Reservation No,Email,Arrival Date,Booking Date,Rooms,Status\n\
         1,a@example.org,2024-11-18,2024-10-01,1,Checked out\n\
         2,b@example.org,2024-11-18,2024-11-10,2,No-show\n",
    );
    assert_eq!(header(&f, Role::Quantity).as_deref(), Some("Rooms"));
    assert_eq!(f.rows.quantity, vec![1, 2]);
    assert_eq!(f.rows.status, vec![Status::CheckedIn, Status::Confirmed]);
    let f = load_text(
        "stays.csv",
        "Confirmation code,Status,Guest name,Start date,End date,Booked\n\
         HM1,Past guest,Ana Silva,2024-11-18,2024-11-21,2024-10-02\n\
         HM2,Canceled by guest,Ben Okafor,2024-11-22,2024-11-24,2024-10-05\n\
         HM3,Upcoming,Chen Wei,2026-12-20,2026-12-27,2026-11-02\n",
    );
    assert_eq!(header(&f, Role::EventAt).as_deref(), Some("Start date"));
    assert_eq!(
        f.rows.status,
        vec![Status::CheckedIn, Status::Cancelled, Status::Confirmed]
    );
}

/// A hotel reservations log that writes the arrival as three number columns
/// (`arrival_year`, `arrival_month`, `arrival_date`: the last is the day of the month), the
/// booking as days ahead of it, and only whether the booking was cancelled.
#[test]
fn arrival_year_month_and_date_columns_are_one_date() {
    let f = turnout::import::import_bytes(
        std::path::Path::new("Hotel Reservations.csv"),
        "Booking_ID,no_of_adults,no_of_children,no_of_weekend_nights,no_of_week_nights,\
         type_of_meal_plan,required_car_parking_space,room_type_reserved,lead_time,arrival_year,\
         arrival_month,arrival_date,market_segment_type,repeated_guest,\
         no_of_previous_cancellations,no_of_previous_bookings_not_canceled,avg_price_per_room,\
         no_of_special_requests,booking_status\n\
         INN00001,2,0,1,2,Meal Plan 1,0,Room_Type 1,224,2017,10,2,Offline,0,0,0,65,0,Not_Canceled\n\
         INN00002,2,0,2,3,Not Selected,0,Room_Type 1,5,2018,11,6,Online,0,0,0,106.68,1,Not_Canceled\n\
         INN00003,1,0,2,1,Meal Plan 1,0,Room_Type 1,1,2018,2,28,Online,0,0,0,60,0,Canceled\n"
            .as_bytes(),
        &chicago(),
    )
    .unwrap();
    assert_eq!(f.report.rows_loaded, 3, "{:?}", f.report.rejected);
    assert_eq!(
        header(&f, Role::EventAt).as_deref(),
        Some("arrival_year + arrival_month + arrival_date")
    );
    assert_eq!(header(&f, Role::LeadDays).as_deref(), Some("lead_time"));
    let events = f.rows.event_at.clone().unwrap();
    assert_eq!(events[2], utc("2018-02-28T06:00:00Z"));
    // Booked 224 days before 2 October 2017.
    assert_eq!(f.rows.registered_at[0], utc("2017-02-20T06:00:00Z"));
    assert_eq!(
        f.rows.status,
        vec![Status::Confirmed, Status::Confirmed, Status::Cancelled]
    );
    assert!(
        f.report.value_issues.is_empty(),
        "{:?}",
        f.report.value_issues
    );
}

/// The same class bookings saved as a workbook: the date cells are day numbers (read as
/// midnight), the time cells fractions of a day; they still pair.
#[test]
fn class_date_and_time_cells_of_a_workbook_pair() {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("visits.xlsx");
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in [
        "Class Date",
        "Class Time",
        "Client Name",
        "Email",
        "Status",
        "Booked On",
    ]
    .iter()
    .enumerate()
    {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    let (date_format, time_format) = (
        Format::new().set_num_format("mm/dd/yyyy"),
        Format::new().set_num_format("h:mm AM/PM"),
    );
    for (r, (day, (h, m), name, status)) in [
        (18, (6, 30), "Ana Silva", "Signed In"),
        (18, (17, 45), "Ben Okafor", "No Show"),
        (19, (6, 30), "Chen Wei", "Booked"),
    ]
    .into_iter()
    .enumerate()
    {
        let r = r as u32 + 1;
        let date = ExcelDateTime::from_ymd(2024, 11, day).unwrap();
        sheet
            .write_datetime_with_format(r, 0, &date, &date_format)
            .unwrap();
        let time = ExcelDateTime::from_hms(h, m, 0).unwrap();
        sheet
            .write_datetime_with_format(r, 1, &time, &time_format)
            .unwrap();
        sheet.write_string(r, 2, name).unwrap();
        sheet
            .write_string(r, 3, format!("{}@example.org", r))
            .unwrap();
        sheet.write_string(r, 4, status).unwrap();
        let booked = ExcelDateTime::from_ymd(2024, 11, 10).unwrap();
        sheet
            .write_datetime_with_format(r, 5, &booked, &date_format)
            .unwrap();
    }
    book.save(&path).unwrap();
    let f = import_file(&path, &chicago()).unwrap();
    assert_eq!(header(&f, Role::EventAt).as_deref(), Some("Class Date"));
    assert_eq!(header(&f, Role::EventTime).as_deref(), Some("Class Time"));
    assert_eq!(
        f.rows.event_at.clone().unwrap(),
        vec![
            utc("2024-11-18T12:30:00Z"),
            utc("2024-11-18T23:45:00Z"),
            utc("2024-11-19T12:30:00Z")
        ]
    );
}
