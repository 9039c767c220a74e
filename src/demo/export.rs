//! Writes demo tables as the files real platforms export: same headers, date styles,
//! status words, delimiters and encodings as in `FORMATS.md`.

use std::fmt::Write as _;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use super::Demo;
use crate::dataset::{CHECKED_IN_UNKNOWN_TIME, Edition, NO_TIME, Rows, Table};
use crate::import::timestamp::civil_from_days;
use crate::import::{Role, Status};
use crate::timefmt::LocalClock;

/// A platform's export layout.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    /// Eventbrite attendee report, US dates (`11/29/24 22:28`).
    Eventbrite,
    /// Eventbrite attendee report with ISO dates and offsets (`2023-01-24 14:49:27-05:00`).
    EventbriteIso,
    /// Eventbrite with a German UI (`Bestellnr.`, offsets in dates, `Nimmt teil`).
    EventbriteDe,
    /// pretix order list, "CSV (with commas)"; past editions as check-in lists.
    Pretix,
    /// pretix in German, "CSV (with semicolons)", Windows-1252, decimal commas.
    PretixDe,
    /// Luma guest list.
    Luma,
    /// Zoom webinar attendee report with its summary and host sections.
    Zoom,
    /// Google Forms responses (US locale).
    GoogleForms,
    /// Hi.Events attendee export.
    HiEvents,
}

impl Layout {
    pub fn slug(self) -> &'static str {
        match self {
            Layout::Eventbrite => "eventbrite",
            Layout::EventbriteIso => "eventbrite-iso",
            Layout::EventbriteDe => "eventbrite-de",
            Layout::Pretix => "pretix",
            Layout::PretixDe => "pretix-de",
            Layout::Luma => "luma",
            Layout::Zoom => "zoom",
            Layout::GoogleForms => "google-forms",
            Layout::HiEvents => "hi-events",
        }
    }

    /// Google Forms has no check-in column; past editions are written as Eventbrite then.
    fn for_history(self) -> Layout {
        match self {
            Layout::GoogleForms => Layout::Eventbrite,
            l => l,
        }
    }
}

/// A written file and what it holds.
#[derive(Clone, Debug)]
pub struct Written {
    pub path: PathBuf,
    pub note: String,
}

/// One table's rows with local-time formatting at hand.
struct View<'a> {
    rows: &'a Rows,
    clock: LocalClock,
    past: bool,
}

impl View<'_> {
    fn text(&self, role: Role, i: usize) -> &str {
        self.rows.text(role).map_or("", |c| c.get(i))
    }
    /// Local (y, m, d, H, M, S, offset seconds).
    fn local(&mut self, t: i64) -> (i32, u32, u32, i64, i64, i64, i32) {
        let off = self.clock.offset(t);
        let wall = t + off as i64;
        let (y, m, d) = civil_from_days(wall.div_euclid(86_400));
        let r = wall.rem_euclid(86_400);
        (y, m, d, r / 3600, r % 3600 / 60, r % 60, off)
    }
    /// "First Last" into `out`.
    fn full_name(&self, out: &mut String, i: usize) {
        let _ = write!(
            out,
            "{} {}",
            self.text(Role::FirstName, i),
            self.text(Role::LastName, i)
        );
    }
    fn checked_in(&self, i: usize) -> Option<i64> {
        self.rows
            .checked_in
            .as_ref()
            .map(|c| c[i])
            .filter(|&t| t != NO_TIME)
    }
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

#[derive(Clone, Copy)]
enum DateStyle {
    /// `11/29/24 22:28`
    UsShort,
    /// `2023-01-24 14:49:27-05:00`
    IsoOffset,
    /// `2025-10-29T03:56:00.104Z`
    IsoUtcMillis,
    /// `2026-06-12`
    DateOnly,
    /// `14:03:22`
    TimeOnly,
    /// `Mar 22, 2025 19:28:32`
    MonthName,
    /// `6/22/2022 11:07:29`
    UsLong,
    /// `2026-06-12 14:03:22`
    Plain,
    /// `04.10.2025 17:45`
    German,
    /// `10/04/2025 05:45 PM`
    UsMeridiem,
}

fn write_date(out: &mut String, v: &mut View, t: i64, style: DateStyle) {
    if t == NO_TIME || t == CHECKED_IN_UNKNOWN_TIME {
        return;
    }
    let (y, m, d, hh, mm, ss, off) = v.local(t);
    let _ = match style {
        DateStyle::UsShort => write!(out, "{m:02}/{d:02}/{:02} {hh:02}:{mm:02}", y % 100),
        DateStyle::IsoOffset => {
            let sign = if off < 0 { '-' } else { '+' };
            let a = off.abs();
            write!(
                out,
                "{y:04}-{m:02}-{d:02} {hh:02}:{mm:02}:{ss:02}{sign}{:02}:{:02}",
                a / 3600,
                a % 3600 / 60
            )
        }
        DateStyle::IsoUtcMillis => {
            let (y, m, d) = civil_from_days(t.div_euclid(86_400));
            let r = t.rem_euclid(86_400);
            write!(
                out,
                "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{:03}Z",
                r / 3600,
                r % 3600 / 60,
                r % 60,
                (t.rem_euclid(997) * 7) % 1000
            )
        }
        DateStyle::DateOnly => write!(out, "{y:04}-{m:02}-{d:02}"),
        DateStyle::TimeOnly => write!(out, "{hh:02}:{mm:02}:{ss:02}"),
        DateStyle::MonthName => write!(
            out,
            "{} {d:02}, {y} {hh:02}:{mm:02}:{ss:02}",
            MONTHS[m as usize - 1]
        ),
        DateStyle::UsLong => write!(out, "{m}/{d}/{y} {hh:02}:{mm:02}:{ss:02}"),
        DateStyle::Plain => write!(out, "{y:04}-{m:02}-{d:02} {hh:02}:{mm:02}:{ss:02}"),
        DateStyle::German => write!(out, "{d:02}.{m:02}.{y} {hh:02}:{mm:02}"),
        DateStyle::UsMeridiem => {
            let (h12, ampm) = match hh {
                0 => (12, "AM"),
                1..=11 => (hh, "AM"),
                12 => (12, "PM"),
                _ => (hh - 12, "PM"),
            };
            write!(out, "{m:02}/{d:02}/{y} {h12:02}:{mm:02} {ampm}")
        }
    };
}

/// Appends a field, quoting it when needed (or always).
fn field(out: &mut String, value: &str, delimiter: char, always: bool) {
    let needs = always
        || value.contains(delimiter)
        || value.contains('"')
        || value.contains('\n')
        || value.contains('\r');
    if needs {
        out.push('"');
        for c in value.chars() {
            if c == '"' {
                out.push('"');
            }
            out.push(c);
        }
        out.push('"');
    } else {
        out.push_str(value);
    }
}

fn in_windows_1252(c: char) -> bool {
    (c as u32) < 0x80
        || (0xA0..=0xFF).contains(&(c as u32))
        || "€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ".contains(c)
}

/// Writes CSV lines, optionally transcoding to a legacy encoding.
struct CsvOut {
    w: BufWriter<File>,
    delimiter: char,
    encoding: Option<&'static encoding_rs::Encoding>,
    line: String,
    first: bool,
}

impl CsvOut {
    fn create(
        path: &Path,
        delimiter: char,
        encoding: Option<&'static encoding_rs::Encoding>,
        bom: bool,
    ) -> io::Result<CsvOut> {
        let mut w = BufWriter::with_capacity(1 << 20, File::create(path)?);
        if bom {
            w.write_all(b"\xEF\xBB\xBF")?;
        }
        Ok(CsvOut {
            w,
            delimiter,
            encoding,
            line: String::with_capacity(512),
            first: true,
        })
    }
    fn cell(&mut self, value: &str) {
        if !self.first {
            self.line.push(self.delimiter);
        }
        self.first = false;
        if self.encoding.is_some() && !value.chars().all(in_windows_1252) {
            // Excel-style legacy exports show what the code page lacks as '?'.
            let replaced: String = value
                .chars()
                .map(|c| if in_windows_1252(c) { c } else { '?' })
                .collect();
            field(&mut self.line, &replaced, self.delimiter, false);
        } else {
            field(&mut self.line, value, self.delimiter, false);
        }
    }
    /// A cell built by `f` into a scratch buffer.
    fn cell_with(&mut self, scratch: &mut String, f: impl FnOnce(&mut String)) {
        scratch.clear();
        f(scratch);
        self.cell(scratch);
    }
    fn end(&mut self) -> io::Result<()> {
        self.line.push_str("\r\n");
        match self.encoding {
            None => self.w.write_all(self.line.as_bytes())?,
            Some(enc) => {
                let (bytes, _, _) = enc.encode(&self.line);
                self.w.write_all(&bytes)?;
            }
        }
        self.line.clear();
        self.first = true;
        Ok(())
    }
    fn row(&mut self, cells: &[&str]) -> io::Result<()> {
        for c in cells {
            self.cell(c);
        }
        self.end()
    }
    fn finish(mut self) -> io::Result<()> {
        self.w.flush()
    }
}

fn eventbrite_status(s: Status, de: bool) -> &'static str {
    match (s, de) {
        (Status::CheckedIn, false) => "Checked In",
        (Status::CheckedIn, true) => "Eingecheckt",
        (Status::Cancelled, false) => "Not Attending",
        (Status::Cancelled, true) => "Nimmt nicht teil",
        (_, false) => "Attending",
        (_, true) => "Nimmt teil",
    }
}

fn write_table(
    table: &Table,
    layout: Layout,
    tz: &jiff::tz::TimeZone,
    path: &Path,
) -> io::Result<()> {
    let past = matches!(table.edition, Edition::Past { .. });
    let mut v = View {
        rows: &table.rows,
        clock: LocalClock::new(tz.clone()),
        past,
    };
    let n = table.rows.len();
    let mut s = String::new();
    match layout {
        Layout::Eventbrite | Layout::EventbriteIso | Layout::EventbriteDe => {
            let de = layout == Layout::EventbriteDe;
            let style = match layout {
                Layout::Eventbrite => DateStyle::UsShort,
                _ => DateStyle::IsoOffset,
            };
            let mut out = CsvOut::create(path, ',', None, false)?;
            let header: &[&str] = if de {
                &[
                    "Bestellnr.",
                    "Bestelldatum",
                    "Vorname",
                    "Nachname",
                    "E-Mail",
                    "Anzahl",
                    "Preisstufe",
                    "Ticketart",
                    "Teilnehmernummer",
                    "Barcode-Nr.",
                    "Bestellart",
                    "Währung",
                    "Gesamtbetrag",
                    "Teilnehmerstatus",
                    "Ort",
                    "Postleitzahl",
                    "Land",
                ]
            } else {
                &[
                    "Order #",
                    "Order Date",
                    "First Name",
                    "Last Name",
                    "Email",
                    "Quantity",
                    "Price Tier",
                    "Ticket Type",
                    "Attendee #",
                    "Group",
                    "Order Type",
                    "Currency",
                    "Total Paid",
                    "Fees Paid",
                    "Eventbrite Fees",
                    "Eventbrite Payment Processing",
                    "Attendee Status",
                    "Home Address 1",
                    "Home Address 2",
                    "Home City",
                    "Home State",
                    "Home Zip",
                    "Home Country",
                    "Cell Phone",
                ]
            };
            out.row(header)?;
            for i in 0..n {
                out.cell(v.text(Role::OrderId, i));
                let t = v.rows.registered_at[i];
                out.cell_with(&mut s, |b| write_date(b, &mut v, t, style));
                out.cell(v.text(Role::FirstName, i));
                out.cell(v.text(Role::LastName, i));
                out.cell(v.text(Role::Email, i));
                out.cell_with(&mut s, |b| {
                    let _ = write!(b, "{}", v.rows.quantity[i]);
                });
                out.cell("");
                out.cell(v.text(Role::TicketType, i));
                out.cell(v.text(Role::RegistrantId, i));
                if de {
                    out.cell_with(&mut s, |b| {
                        let _ = write!(b, "{}{:03}", v.text(Role::RegistrantId, i), i % 1000);
                    });
                    out.cell("Kostenlose Bestellung");
                    out.cell("EUR");
                    out.cell("0,00");
                    out.cell(eventbrite_status(v.rows.status[i], true));
                    out.cell(v.text(Role::City, i));
                    out.cell(v.text(Role::PostalCode, i));
                    out.cell(v.text(Role::Country, i));
                } else {
                    out.cell("");
                    out.cell("Free Order");
                    out.cell("USD");
                    out.cell("0.00");
                    out.cell("0.00");
                    out.cell("0.00");
                    out.cell("0.00");
                    out.cell(eventbrite_status(v.rows.status[i], false));
                    out.cell_with(&mut s, |b| {
                        let _ = write!(b, "{} Main St", 100 + (i * 37) % 9800);
                    });
                    out.cell("");
                    out.cell(v.text(Role::City, i));
                    out.cell(v.text(Role::Region, i));
                    out.cell(v.text(Role::PostalCode, i));
                    out.cell(v.text(Role::Country, i));
                    out.cell(v.text(Role::Phone, i));
                }
                out.end()?;
            }
            out.finish()
        }
        Layout::Pretix | Layout::PretixDe => {
            let de = layout == Layout::PretixDe;
            let (delim, enc) = if de {
                (';', Some(encoding_rs::WINDOWS_1252))
            } else {
                (',', None)
            };
            let mut out = CsvOut::create(path, delim, enc, false)?;
            let money = if de { "0,00" } else { "0.00" };
            if past {
                // Check-in list export.
                let header: &[&str] = if de {
                    &[
                        "Bestellnummer",
                        "Name Teilnehmer*in",
                        "Produkt",
                        "Preis",
                        "Eingecheckt",
                        "Ausgecheckt",
                        "Automatisch eingecheckt",
                        "Bezahlt",
                        "E-Mail",
                        "Telefonnummer",
                        "Bestelldatum",
                        "Bestelluhrzeit",
                    ]
                } else {
                    &[
                        "Order code",
                        "Attendee name",
                        "Product",
                        "Price",
                        "Checked in",
                        "Checked out",
                        "Automatically checked in",
                        "Paid",
                        "E-mail",
                        "Phone number",
                        "Order date",
                        "Order time",
                    ]
                };
                out.row(header)?;
                for i in 0..n {
                    if v.rows.status[i] == Status::Cancelled {
                        continue;
                    }
                    out.cell(&pretix_code(v.text(Role::OrderId, i)));
                    out.cell_with(&mut s, |b| v.full_name(b, i));
                    out.cell(v.text(Role::TicketType, i));
                    out.cell(money);
                    let ci = v.checked_in(i);
                    out.cell_with(&mut s, |b| {
                        if let Some(t) = ci {
                            write_date(
                                b,
                                &mut v,
                                t,
                                if de {
                                    DateStyle::German
                                } else {
                                    DateStyle::UsMeridiem
                                },
                            )
                        }
                    });
                    out.cell("");
                    out.cell(if de { "Nein" } else { "No" });
                    out.cell(if de { "Ja" } else { "Yes" });
                    out.cell(v.text(Role::Email, i));
                    out.cell(v.text(Role::Phone, i));
                    let t = v.rows.registered_at[i];
                    out.cell_with(&mut s, |b| write_date(b, &mut v, t, DateStyle::DateOnly));
                    out.cell_with(&mut s, |b| write_date(b, &mut v, t, DateStyle::TimeOnly));
                    out.end()?;
                }
            } else {
                let header: &[&str] = if de {
                    &[
                        "Kurzname der Veranstaltung",
                        "Bestellnummer",
                        "Gesamtbetrag",
                        "Status",
                        "E-Mail",
                        "Telefonnummer",
                        "Bestelldatum",
                        "Bestelluhrzeit",
                        "Firma",
                        "Name",
                        "Datum der letzten Zahlung",
                        "Gebühren",
                        "Sprache der Bestellung",
                        "Rechnungsnummern",
                        "Verkaufskanal",
                        "Benötigt besondere Aufmerksamkeit",
                        "Kommentar",
                        "Positionen",
                        "Zahlungsarten",
                    ]
                } else {
                    &[
                        "Event slug",
                        "Order code",
                        "Order total",
                        "Status",
                        "Email",
                        "Phone number",
                        "Order date",
                        "Order time",
                        "Company",
                        "Name",
                        "Date of last payment",
                        "Fees",
                        "Order locale",
                        "Invoice numbers",
                        "Sales channel",
                        "Requires special attention",
                        "Comment",
                        "Positions",
                        "Payment providers",
                    ]
                };
                out.row(header)?;
                for i in 0..n {
                    out.cell("rally2026");
                    out.cell(&pretix_code(v.text(Role::OrderId, i)));
                    out.cell(money);
                    out.cell(match v.rows.status[i] {
                        Status::Cancelled => "c",
                        Status::Pending => "n",
                        Status::Expired => "e",
                        _ => "p",
                    });
                    out.cell(v.text(Role::Email, i));
                    out.cell(v.text(Role::Phone, i));
                    let t = v.rows.registered_at[i];
                    out.cell_with(&mut s, |b| write_date(b, &mut v, t, DateStyle::DateOnly));
                    out.cell_with(&mut s, |b| write_date(b, &mut v, t, DateStyle::TimeOnly));
                    out.cell("");
                    out.cell_with(&mut s, |b| v.full_name(b, i));
                    out.cell("");
                    out.cell(money);
                    out.cell(if de { "de" } else { "en" });
                    out.cell("");
                    out.cell("web");
                    out.cell(if de { "Nein" } else { "No" });
                    out.cell("");
                    out.cell_with(&mut s, |b| {
                        let _ = write!(b, "{}", v.rows.quantity[i]);
                    });
                    out.cell("");
                    out.end()?;
                }
            }
            out.finish()
        }
        Layout::Luma => {
            let mut out = CsvOut::create(path, ',', None, false)?;
            out.row(&[
                "api_id",
                "name",
                "first_name",
                "last_name",
                "email",
                "phone_number",
                "created_at",
                "approval_status",
                "checked_in_at",
                "custom_source",
                "qr_code_url",
                "amount",
                "amount_tax",
                "amount_discount",
                "currency",
                "coupon_code",
                "eth_address",
                "solana_address",
                "survey_response_rating",
                "survey_response_feedback",
                "ticket_type_id",
                "ticket_name",
            ])?;
            for i in 0..n {
                out.cell_with(&mut s, |b| {
                    let _ = write!(b, "gst-{}", v.text(Role::RegistrantId, i));
                });
                out.cell_with(&mut s, |b| v.full_name(b, i));
                out.cell(v.text(Role::FirstName, i));
                out.cell(v.text(Role::LastName, i));
                out.cell(v.text(Role::Email, i));
                out.cell(v.text(Role::Phone, i));
                let t = v.rows.registered_at[i];
                out.cell_with(&mut s, |b| {
                    write_date(b, &mut v, t, DateStyle::IsoUtcMillis)
                });
                out.cell(if v.rows.status[i] == Status::Cancelled {
                    "declined"
                } else {
                    "approved"
                });
                let ci = v.checked_in(i);
                out.cell_with(&mut s, |b| {
                    if let Some(t) = ci {
                        write_date(b, &mut v, t, DateStyle::IsoUtcMillis)
                    }
                });
                out.cell(v.text(Role::Source, i));
                out.cell_with(&mut s, |b| {
                    let _ = write!(
                        b,
                        "https://example.invalid/check-in/{}",
                        v.text(Role::RegistrantId, i)
                    );
                });
                out.cell("$0.00");
                out.cell("$0.00");
                out.cell("$0.00");
                out.cell("usd");
                out.cell("");
                out.cell("");
                out.cell("");
                out.cell("");
                out.cell(if i % 997 == 0 {
                    "Great rally!\nSee you there 🎉"
                } else {
                    ""
                });
                out.cell("evtticktype-ga");
                out.cell(v.text(Role::TicketType, i));
                out.end()?;
            }
            out.finish()
        }
        Layout::Zoom => {
            let mut out = CsvOut::create(path, ',', None, true)?;
            let start = v.rows.registered_at.iter().copied().max().unwrap_or(0) + 3600;
            out.row(&[
                "Topic",
                "Webinar ID",
                "Actual Start Time",
                "Actual Duration (minutes)",
                "# Registrants",
                "# Cancelled registrants",
                "Unique Viewers",
                "Total Users",
                "Max Concurrent Views",
                "",
            ])?;
            let regs = n.to_string();
            out.cell("Riverside rally livestream");
            out.cell("812 3456 7890");
            out.cell_with(&mut s, |b| {
                write_date(b, &mut v, start, DateStyle::MonthName)
            });
            out.row(&["95", &regs, "0", "", "", "", ""])?;
            out.row(&[""])?;
            out.row(&["Host Details"])?;
            out.row(&[
                "Attended",
                "User Name (Original Name)",
                "Email",
                "Join Time",
                "Leave Time",
                "Time in Session (minutes)",
                "Is Guest",
                "Country/Region Name",
            ])?;
            out.cell("Yes");
            out.cell("Rally Host");
            out.cell("host@example.org");
            out.cell_with(&mut s, |b| {
                write_date(b, &mut v, start - 600, DateStyle::MonthName)
            });
            out.cell_with(&mut s, |b| {
                write_date(b, &mut v, start + 95 * 60, DateStyle::MonthName)
            });
            out.row(&["105", "No", "United States"])?;
            out.row(&[""])?;
            out.row(&["Attendee Details"])?;
            out.row(&[
                "Attended",
                "User Name (Original Name)",
                "First Name",
                "Last Name",
                "Email",
                "Phone",
                "Registration Time",
                "Approval Status",
                "Join Time",
                "Leave Time",
                "Time in Session (minutes)",
                "Is Guest",
                "Country/Region Name",
                "Where did you hear about us?",
                "",
            ])?;
            for i in 0..n {
                let joined = v.checked_in(i);
                let joins = match joined {
                    Some(_) if i % 10 == 0 => 2,
                    _ => 1,
                };
                for j in 0..joins {
                    out.cell(if joined.is_some() { "Yes" } else { "No" });
                    out.cell_with(&mut s, |b| v.full_name(b, i));
                    out.cell(v.text(Role::FirstName, i));
                    out.cell(v.text(Role::LastName, i));
                    out.cell(v.text(Role::Email, i));
                    out.cell(v.text(Role::Phone, i));
                    let t = v.rows.registered_at[i];
                    out.cell_with(&mut s, |b| write_date(b, &mut v, t, DateStyle::MonthName));
                    out.cell(if v.rows.status[i] == Status::Cancelled {
                        "denied"
                    } else {
                        "approved"
                    });
                    match joined {
                        Some(t) => {
                            let t = t + j * 1800;
                            out.cell_with(&mut s, |b| {
                                write_date(b, &mut v, t, DateStyle::MonthName)
                            });
                            out.cell_with(&mut s, |b| {
                                write_date(b, &mut v, t + 1500, DateStyle::MonthName)
                            });
                            out.cell("25");
                        }
                        None => {
                            out.cell("--");
                            out.cell("--");
                            out.cell("--");
                        }
                    }
                    out.cell("No");
                    out.cell(v.text(Role::Country, i));
                    out.cell(v.text(Role::Source, i));
                    out.cell("");
                    out.end()?;
                }
            }
            out.finish()
        }
        Layout::GoogleForms => {
            let mut out = CsvOut::create(path, ',', None, false)?;
            out.row(&[
                "Timestamp",
                "Email Address",
                "First name",
                "Last name",
                "ZIP code",
                "Phone number",
                "How did you hear about us?",
            ])?;
            for i in 0..n {
                if v.rows.status[i] == Status::Cancelled {
                    continue;
                }
                let t = v.rows.registered_at[i];
                out.cell_with(&mut s, |b| write_date(b, &mut v, t, DateStyle::UsLong));
                out.cell(v.text(Role::Email, i));
                out.cell(v.text(Role::FirstName, i));
                out.cell(v.text(Role::LastName, i));
                out.cell(v.text(Role::PostalCode, i));
                out.cell(v.text(Role::Phone, i));
                out.cell(v.text(Role::Source, i));
                out.end()?;
            }
            out.finish()
        }
        Layout::HiEvents => {
            let mut out = CsvOut::create(path, ',', None, false)?;
            out.row(&[
                "ID",
                "First Name",
                "Last Name",
                "Email",
                "Status",
                "Is Checked In",
                "Checked In At",
                "Product ID",
                "Product Name",
                "Event ID",
                "Public ID",
                "Short ID",
                "Created Date",
                "Last Updated Date",
                "Notes",
            ])?;
            for i in 0..n {
                out.cell_with(&mut s, |b| {
                    let _ = write!(b, "{}", i + 1);
                });
                out.cell(v.text(Role::FirstName, i));
                out.cell(v.text(Role::LastName, i));
                out.cell(v.text(Role::Email, i));
                out.cell(if v.rows.status[i] == Status::Cancelled {
                    "CANCELLED"
                } else {
                    "ACTIVE"
                });
                let ci = v.checked_in(i);
                out.cell(if ci.is_some() { "Yes" } else { "No" });
                out.cell_with(&mut s, |b| {
                    if let Some(t) = ci {
                        write_date(b, &mut v, t, DateStyle::Plain)
                    }
                });
                out.cell("1");
                out.cell(v.text(Role::TicketType, i));
                out.cell("1");
                out.cell_with(&mut s, |b| {
                    let _ = write!(b, "A-{}", v.text(Role::RegistrantId, i));
                });
                out.cell_with(&mut s, |b| {
                    let _ = write!(b, "{:x}", i * 7919 + 4096);
                });
                let t = v.rows.registered_at[i];
                out.cell_with(&mut s, |b| write_date(b, &mut v, t, DateStyle::Plain));
                out.cell_with(&mut s, |b| write_date(b, &mut v, t, DateStyle::Plain));
                out.cell("");
                out.end()?;
            }
            out.finish()
        }
    }
}

/// pretix order codes are five characters of A–Z and 0–9.
fn pretix_code(order_id: &str) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ3789";
    let mut n: u64 = order_id.parse().unwrap_or(0);
    (0..5)
        .map(|_| {
            let c = ALPHABET[(n % ALPHABET.len() as u64) as usize] as char;
            n /= ALPHABET.len() as u64;
            c
        })
        .collect()
}

fn write_merch(demo: &Demo, tz: &jiff::tz::TimeZone, path: &Path) -> io::Result<()> {
    let rows = &demo.merch.table.rows;
    let mut v = View {
        rows,
        clock: LocalClock::new(tz.clone()),
        past: false,
    };
    let mut out = CsvOut::create(path, ',', None, false)?;
    let mut s = String::new();
    out.row(&[
        "Time",
        "Customer Email",
        "Item",
        "Quantity",
        "Action",
        "Hold Expires At",
    ])?;
    for i in 0..rows.len() {
        let t = rows.registered_at[i];
        out.cell_with(&mut s, |b| write_date(b, &mut v, t, DateStyle::Plain));
        out.cell(v.text(Role::Email, i));
        out.cell(v.text(Role::TicketType, i));
        out.cell_with(&mut s, |b| {
            let _ = write!(b, "{}", rows.quantity[i]);
        });
        out.cell(match rows.status[i] {
            Status::Pending => "hold",
            Status::Confirmed => "purchase",
            _ => "expire",
        });
        let e = rows.hold_expires_at.as_ref().map_or(NO_TIME, |e| e[i]);
        out.cell_with(&mut s, |b| write_date(b, &mut v, e, DateStyle::Plain));
        out.end()?;
    }
    let _ = v.past;
    out.finish()
}

/// Writes the rally, its past editions and the merch log into `dir` in `layout`, plus a
/// README that says what each file is and how to report on them.
pub fn write_all(demo: &Demo, layout: Layout, dir: &Path) -> io::Result<Vec<Written>> {
    std::fs::create_dir_all(dir)?;
    let tz = demo.venue.time_zone();
    let mut written = Vec::new();
    let mut history_args = Vec::new();
    for (k, table) in demo.dataset.tables.iter().enumerate() {
        let (name, l) = match table.edition {
            Edition::Current => (format!("rally-{}.csv", layout.slug()), layout),
            Edition::Past { .. } => {
                let l = layout.for_history();
                let slug: String = table
                    .label
                    .to_lowercase()
                    .chars()
                    .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
                    .collect();
                (format!("past-{k}-{slug}-{}.csv", l.slug()), l)
            }
        };
        let path = dir.join(&name);
        write_table(table, l, &tz, &path)?;
        let note = match table.edition {
            Edition::Current => format!(
                "{} ({} rows): {} seats, starts {}",
                table.label,
                table.rows.len(),
                demo.venue.capacity,
                crate::timefmt::rfc3339(demo.venue.event_start)
            ),
            Edition::Past { event_start } => {
                let start = event_start.map(crate::timefmt::rfc3339).unwrap_or_default();
                history_args.push(format!("--history {name}@{start}"));
                format!(
                    "{} ({} rows, with check-ins): started {start}",
                    table.label,
                    table.rows.len()
                )
            }
        };
        written.push(Written { path, note });
    }
    let merch = dir.join("merch-cart-log.csv");
    write_merch(demo, &tz, &merch)?;
    written.push(Written {
        path: merch,
        note: format!(
            "{}: holds, purchases and expiries ({} min holds)",
            demo.merch.table.label, demo.merch.hold_minutes
        ),
    });
    let readme = dir.join("README.txt");
    let mut text = String::from(
        "Turnout demo exports. Synthetic people only; generated by `turnout demo`.\n\n",
    );
    for w in &written {
        let _ = writeln!(
            text,
            "{}\n    {}",
            w.path.file_name().unwrap_or_default().to_string_lossy(),
            w.note
        );
    }
    let _ = writeln!(
        text,
        "\nReport on them:\n    turnout report rally-{}.csv --capacity {} --overflow {} --tz {} --event-start {} {} --holds merch-cart-log.csv",
        layout.slug(),
        demo.venue.capacity,
        demo.venue.overflow_capacity,
        demo.venue.time_zone_name,
        crate::timefmt::rfc3339(demo.venue.event_start),
        history_args.join(" ")
    );
    std::fs::write(&readme, text)?;
    written.push(Written {
        path: readme,
        note: "what these files are".to_string(),
    });
    Ok(written)
}
