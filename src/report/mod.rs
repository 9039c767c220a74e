//! The summary `turnout report` prints, and its JSON form.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use jiff::tz::TimeZone;
use serde::Serialize;

use crate::dataset::{Dataset, Edition, NO_TIME, Table};
use crate::import::{Detected, Role, Status};
use crate::timefmt::{LocalClock, date, rfc3339};

mod backtest;
mod flags;
mod forecast;
mod holds;
mod text;

pub use backtest::backtest_text;
use flags::flags_text;
use forecast::forecast_text;
pub use forecast::{ForecastSection, PickupReport, ShowUpReport};
use holds::holds_text;
pub use holds::{HoldItemReport, HoldsSection};
pub use text::{capital, excel_safe_cell, terminal_safe, thousands};

/// What the report is asked about.
#[derive(Clone, Debug)]
pub struct ReportOptions {
    pub capacity: Option<u64>,
    /// Event start, UTC seconds.
    pub event_start: Option<i64>,
    /// Only registrations made up to this instant count (what was known then).
    pub as_of: Option<i64>,
    /// Zone for calendar days.
    pub time_zone: TimeZone,
}

/// Signups on one local calendar day.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DailyCount {
    pub date: String,
    /// Tickets in active registrations made that day.
    pub signups: u64,
}

/// A rejected row, with the file it is in.
#[derive(Clone, Debug, Serialize)]
pub struct RejectedRow {
    pub file: String,
    pub line: u32,
    pub reason: String,
}

/// One loaded file in the report.
#[derive(Clone, Debug, Serialize)]
pub struct FileReport {
    pub file: String,
    pub label: String,
    pub edition: Edition,
    pub rows: u64,
    pub rows_loaded: u64,
    pub registrations: u64,
    pub rejected_count: u64,
    pub merged_rows: u64,
    /// A booking log without attendance: whether its kept bookings on past starts were
    /// counted as come, and how many.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kept_came: Option<crate::import::KeptCame>,
    /// What a row counts: `people`, or `bookings` (a lodging's log with no count of guests).
    pub counts: crate::dataset::Unit,
    pub mapping: BTreeMap<String, String>,
    pub detected: Detected,
    pub warnings: Vec<String>,
    pub value_issues: Vec<crate::import::ValueIssue>,
    /// A column that may say where each event takes place (`hotel`, `air_store_id`), for
    /// `--by`; never applied unasked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group_hint: Option<String>,
}

impl FileReport {
    /// A file that was read but is not a registration list (a hold log, a quota snapshot, an
    /// attendance list matched onto registrations).
    pub fn routed(report: &crate::import::ImportReport) -> FileReport {
        FileReport {
            file: report.path.display().to_string(),
            label: report
                .path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default(),
            edition: Edition::Current,
            rows: report.rows_read,
            rows_loaded: report.rows_loaded,
            registrations: 0,
            rejected_count: report.rejected_count,
            merged_rows: report.merged_rows,
            kept_came: report.kept_came,
            counts: report.counts,
            mapping: report
                .mapping
                .iter()
                .map(|m| (m.role.name().to_string(), m.headers.join(" + ")))
                .collect(),
            detected: report.detected.clone(),
            warnings: report.warnings.clone(),
            value_issues: report.value_issues.clone(),
            group_hint: report.group_hint.clone(),
        }
    }
}

/// A past edition: how many registered and how many came.
#[derive(Clone, Debug, Serialize)]
pub struct EditionReport {
    pub file: String,
    pub event_start: Option<String>,
    pub registrations: u64,
    /// Tickets whose row says the person checked in; `None` without a check-in column.
    pub checked_in: Option<u64>,
    pub show_up_rate: Option<f64>,
}

/// The whole report. Later analyses (forecast, flags, holds) add their sections.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    /// Data rows read in the current event's files.
    pub rows: u64,
    /// Tickets in active registrations (confirmed, checked in, pending, unrecognized status),
    /// up to `as_of` when given.
    pub registrations: u64,
    pub rejected_count: u64,
    pub rejected: Vec<RejectedRow>,
    /// Role → header of the first file.
    pub mapping: BTreeMap<String, String>,
    pub detected: Option<Detected>,
    pub first_signup: Option<String>,
    pub last_signup: Option<String>,
    pub daily: Vec<DailyCount>,
    /// Tickets per normalized status.
    pub by_status: BTreeMap<String, u64>,
    /// Active tickets in rows without a registration time.
    pub undated_registrations: u64,
    /// Active tickets registered after `as_of`, left out.
    pub after_as_of: u64,
    pub capacity: Option<u64>,
    pub event_start: Option<String>,
    /// The event is a whole day (its rows give dates only: an appointment day, an arrival
    /// date); `event_start` is its local midnight and signups during the day still count.
    pub event_all_day: bool,
    pub as_of: Option<String>,
    pub time_zone: String,
    pub files: Vec<FileReport>,
    pub history: Vec<EditionReport>,
    /// Fake and coordinated registrations, when they were looked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flagged: Option<crate::analysis::flags::FlagSummary>,
    /// How many will come, when an event start is known or registrations are all in.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub forecast: Option<ForecastSection>,
    /// Stock locked by unpaid holds, when a cart log, order export or quota snapshots were
    /// given (the demo's merch store otherwise).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub holds: Option<HoldsSection>,
    /// The events of a series: upcoming ones with their forecast, past ones with the
    /// forecast the day before and who came. Empty for files that hold one event.
    pub events: Vec<EventReport>,
    /// How many events of the series are still to come, listed in `events` or not (the list
    /// holds the earliest `--upcoming N`). Absent for files that hold one event.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub events_upcoming: Option<usize>,
    /// The event the forecast is about, when the files hold a series.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub focus: Option<String>,
    /// Where the door counts of a headcount file went (`--headcounts`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub headcounts: Option<crate::analysis::aggregate::DayCountsPlaced>,
    /// What must be read first (most registrations flagged, a forecast of nobody), set by
    /// [`Report::finish`].
    pub headline: Vec<String>,
}

/// One event of a series in the report.
#[derive(Clone, Debug, Serialize)]
pub struct EventReport {
    pub label: String,
    pub group: String,
    pub start: String,
    /// `upcoming` or `past`.
    pub status: &'static str,
    pub as_of: String,
    pub registrations: u64,
    pub attendance: Option<crate::analysis::forecast::Quantiles>,
    pub final_registrations: Option<crate::analysis::forecast::Quantiles>,
    pub actual: Option<u64>,
    pub focus: bool,
}

impl EventReport {
    pub fn from_outlooks(list: &[crate::analysis::forecast::events::EventOutlook]) -> Vec<Self> {
        list.iter()
            .map(|e| EventReport {
                label: e.label.clone(),
                group: e.group.clone(),
                start: crate::timefmt::rfc3339(e.start),
                status: e.status,
                as_of: crate::timefmt::rfc3339(e.as_of),
                registrations: e.registrations,
                attendance: e.attendance,
                final_registrations: e.final_registrations,
                actual: e.actual,
                focus: e.focus,
            })
            .collect()
    }
}

fn events_text(s: &mut String, events: &[EventReport], total_upcoming: Option<usize>) {
    let upcoming: Vec<&EventReport> = events.iter().filter(|e| e.status == "upcoming").collect();
    let past: Vec<&EventReport> = events.iter().filter(|e| e.status == "past").collect();
    let q = |v: &Option<crate::analysis::forecast::Quantiles>| match v {
        Some(q) => format!(
            "{} ({}–{})",
            thousands(q.p50.round() as u64),
            thousands(q.p10.round() as u64),
            thousands(q.p90.round() as u64)
        ),
        None => "—".to_string(),
    };
    if !upcoming.is_empty() {
        let count = match total_upcoming {
            Some(total) if total > upcoming.len() => format!(
                "the earliest {} of {}; --upcoming N lists more",
                thousands(upcoming.len() as u64),
                thousands(total as u64)
            ),
            _ => thousands(upcoming.len() as u64),
        };
        let _ = writeln!(
            s,
            "\nUpcoming events ({count}), forecast from the events before them:"
        );
        // "—" in every row needs its reason: nothing to learn from yet.
        if upcoming.iter().all(|e| e.attendance.is_none()) {
            let _ = writeln!(
                s,
                "  (no forecast: no earlier event's outcome is known; check-ins, an attendance \
                 or no-show column, or --headcounts FILE with who came give one)"
            );
        }
        let _ = writeln!(
            s,
            "  {:<40} {:>13} {:>22}",
            "event", "registered", "expected (P10–P90)"
        );
        for e in upcoming.iter().take(40) {
            let _ = writeln!(
                s,
                "  {:<40} {:>13} {:>22}",
                e.label,
                thousands(e.registrations),
                q(&e.attendance)
            );
        }
        if upcoming.len() > 40 {
            let _ = writeln!(s, "  … {} more in the JSON (--json)", upcoming.len() - 40);
        }
    }
    if !past.is_empty() {
        let _ = writeln!(
            s,
            "\nPast events ({}): forecast the day before from earlier events only, and who came:",
            past.len()
        );
        let _ = writeln!(
            s,
            "  {:<40} {:>22} {:>8}",
            "event", "forecast (P10–P90)", "came"
        );
        for e in past.iter().rev().take(20).rev() {
            let _ = writeln!(
                s,
                "  {:<40} {:>22} {:>8}",
                e.label,
                q(&e.attendance),
                e.actual.map_or("—".to_string(), thousands)
            );
        }
        if past.len() > 20 {
            let _ = writeln!(
                s,
                "  … {} earlier ones in the JSON (--json)",
                past.len() - 20
            );
        }
    }
}

fn mapping_of(table: &Table) -> BTreeMap<String, String> {
    table
        .report
        .mapping
        .iter()
        .map(|m| (m.role.name().to_string(), m.headers.join(" + ")))
        .collect()
}

fn file_name(table: &Table) -> String {
    table.report.path.display().to_string()
}

impl Report {
    pub fn build(data: &Dataset, opts: &ReportOptions) -> Report {
        let mut clock = LocalClock::new(opts.time_zone.clone());
        let mut daily: BTreeMap<i64, u64> = BTreeMap::new();
        let mut by_status: BTreeMap<String, u64> = BTreeMap::new();
        let (mut first, mut last) = (i64::MAX, i64::MIN);
        let (mut registrations, mut undated, mut after, mut rows) = (0u64, 0u64, 0u64, 0u64);
        let mut rejected = Vec::new();
        let mut rejected_count = 0;
        let mut files = Vec::new();
        let as_of = opts.as_of.unwrap_or(i64::MAX);
        for (_, table) in data.current() {
            let r = &table.rows;
            rows += table.report.rows_read;
            rejected_count += table.report.rejected_count;
            for rej in &table.report.rejected {
                if rejected.len() < crate::import::MAX_REJECTED_KEPT {
                    rejected.push(RejectedRow {
                        file: file_name(table),
                        line: rej.line,
                        reason: rej.reason.clone(),
                    });
                }
            }
            let mut table_regs = 0;
            let mut status_counts = [0u64; Status::ALL.len()];
            for i in 0..r.len() {
                let t = r.registered_at[i];
                if t != NO_TIME && t > as_of {
                    if r.status[i].is_active() {
                        after += r.quantity[i] as u64;
                    }
                    continue;
                }
                let q = r.quantity[i] as u64;
                status_counts[r.status[i] as usize] += q;
                if !r.status[i].is_active() {
                    continue;
                }
                table_regs += q;
                if t == NO_TIME {
                    undated += q;
                    continue;
                }
                first = first.min(t);
                last = last.max(t);
                *daily.entry(clock.day(t)).or_default() += q;
            }
            for (s, n) in Status::ALL.iter().zip(status_counts) {
                if n > 0 {
                    *by_status.entry(s.name().to_string()).or_default() += n;
                }
            }
            registrations += table_regs;
            files.push(FileReport {
                file: file_name(table),
                label: table.label.clone(),
                edition: table.edition,
                rows: table.report.rows_read,
                rows_loaded: table.report.rows_loaded,
                registrations: table_regs,
                rejected_count: table.report.rejected_count,
                merged_rows: table.report.merged_rows,
                kept_came: table.report.kept_came,
                counts: table.report.counts,
                mapping: mapping_of(table),
                detected: table.report.detected.clone(),
                warnings: table.report.warnings.clone(),
                value_issues: table.report.value_issues.clone(),
                group_hint: table.report.group_hint.clone(),
            });
        }
        // Days without signups between the first and the last are listed with zero.
        let daily = match (daily.keys().next(), daily.keys().last()) {
            (Some(&a), Some(&b)) => (a..=b)
                .map(|d| DailyCount {
                    date: date(d),
                    signups: daily.get(&d).copied().unwrap_or(0),
                })
                .collect(),
            _ => Vec::new(),
        };
        let history = data.history().map(|(_, t)| edition_report(t)).collect();
        let first_current = data.current().next().map(|(_, t)| t);
        Report {
            rows,
            registrations,
            rejected_count,
            rejected,
            mapping: first_current.map(mapping_of).unwrap_or_default(),
            detected: first_current.map(|t| t.report.detected.clone()),
            first_signup: (first != i64::MAX).then(|| rfc3339(first)),
            last_signup: (last != i64::MIN).then(|| rfc3339(last)),
            daily,
            by_status,
            undated_registrations: undated,
            after_as_of: after,
            capacity: opts.capacity,
            event_start: opts.event_start.map(rfc3339),
            event_all_day: false,
            as_of: opts.as_of.map(rfc3339),
            time_zone: opts
                .time_zone
                .iana_name()
                .unwrap_or("fixed offset")
                .to_string(),
            files,
            history,
            flagged: None,
            forecast: None,
            holds: None,
            events: Vec::new(),
            events_upcoming: None,
            focus: None,
            headcounts: None,
            headline: Vec::new(),
        }
    }

    /// Fills the headline once the sections are in.
    pub fn finish(&mut self) {
        let stakes = self.forecast.as_ref().map(|f| Stakes {
            registrations: f.registrations,
            attendance: f.attendance.p50,
            with_flagged: f.attendance_with_flagged.map(|q| q.p50),
        });
        self.headline = headlines(
            self.flagged.as_ref(),
            stakes,
            "Review them in the dashboard's Flagged panel or with --flagged-out FILE",
        );
    }

    /// A compact summary a person reads.
    pub fn to_text(&self) -> String {
        let mut s = String::new();
        // A lodging's log speaks of bookings and rooms throughout.
        let w = self
            .forecast
            .as_ref()
            .map_or_else(Default::default, |f| f.unit)
            .words();
        for f in &self.files {
            let d = &f.detected;
            let _ = writeln!(s, "{}", f.file);
            let delim = d
                .delimiter
                .as_ref()
                .map(|x| format!(", '{x}'-delimited"))
                .unwrap_or_default();
            let header = if d.header_line > 0 {
                format!("header on line {}", d.header_line)
            } else {
                "no header row".to_string()
            };
            let _ = writeln!(
                s,
                "  read {} row{} ({} {}{}, {}); {} loaded, {} rejected{}",
                thousands(f.rows),
                if f.rows == 1 { "" } else { "s" },
                d.format.to_uppercase(),
                d.encoding,
                delim,
                header,
                thousands(f.rows_loaded),
                thousands(f.rejected_count),
                if f.merged_rows > 0 {
                    format!(", {} repeat rows folded", thousands(f.merged_rows))
                } else {
                    String::new()
                }
            );
            if let Some(fmt) = &d.date_format {
                let _ = writeln!(s, "  times written as {fmt}, read in {}", d.time_zone);
            }
            let cols: Vec<String> = f
                .mapping
                .iter()
                .map(|(role, h)| format!("{role} ← {h}"))
                .collect();
            let _ = writeln!(s, "  columns: {}", cols.join("; "));
            for w in &f.warnings {
                let _ = writeln!(s, "  note: {w}");
            }
            for i in &f.value_issues {
                let _ = writeln!(s, "  note: {}", i.sentence(&thousands(i.count), &i.example));
            }
            if let Some(h) = &f.group_hint {
                let _ = writeln!(
                    s,
                    "  note: '{h}' may name where each event takes place; to forecast each of \
                     its values as events of their own: --by {}",
                    shell_word(h)
                );
            }
        }
        for h in &self.headline {
            let _ = writeln!(s, "\n{h}");
        }
        let _ = writeln!(s);
        let _ = write!(
            s,
            "{}: {}",
            capital(w.registrations),
            thousands(self.registrations)
        );
        if let Some(c) = self.capacity {
            let ratio = self.registrations as f64 / c.max(1) as f64;
            let _ = write!(s, " for {} ({ratio:.1}× capacity)", w.places(c));
        }
        let _ = writeln!(s);
        let statuses: Vec<String> = self
            .by_status
            .iter()
            .map(|(k, v)| format!("{k} {}", thousands(*v)))
            .collect();
        if !statuses.is_empty() {
            let _ = writeln!(s, "  {} by status: {}", w.tickets, statuses.join(", "));
        }
        if self.undated_registrations > 0 {
            let _ = writeln!(
                s,
                "  {} {} have no {} time",
                thousands(self.undated_registrations),
                w.registrations,
                w.signup
            );
        }
        // Times as the organizer reads them, in the event's zone (JSON keeps UTC).
        let local = |t: &str| crate::timefmt::local_text(t, &self.time_zone);
        if let Some(a) = &self.as_of {
            let _ = writeln!(
                s,
                "  as of {}: {} later {} left out",
                local(a),
                thousands(self.after_as_of),
                w.registrations
            );
        }
        if let (Some(a), Some(b)) = (&self.first_signup, &self.last_signup) {
            let _ = writeln!(s, "  first {} {}, last {}", w.signup, local(a), local(b));
        }
        if let Some(e) = &self.event_start {
            if self.event_all_day {
                let day = crate::timefmt::local_date_text(e, &self.time_zone);
                let _ = writeln!(s, "  event day {day} (all day)");
            } else {
                let _ = writeln!(s, "  event starts {}", local(e));
            }
        }
        if !self.daily.is_empty() {
            let _ = writeln!(s, "\n{} per day ({}):", capital(w.signups), self.time_zone);
            let max = self
                .daily
                .iter()
                .map(|d| d.signups)
                .max()
                .unwrap_or(1)
                .max(1);
            let shown = self.daily.len().saturating_sub(21);
            if shown > 0 {
                let _ = writeln!(s, "  … {shown} earlier days");
            }
            for d in &self.daily[shown..] {
                let bar = "█".repeat(((d.signups * 40).div_ceil(max)) as usize);
                let _ = writeln!(s, "  {} {:>11} {bar}", d.date, thousands(d.signups));
            }
        }
        if let Some(h) = &self.headcounts {
            let _ = writeln!(s, "\n{}", h.describe());
        }
        if let Some(f) = &self.focus {
            let _ = writeln!(s, "\nThe forecast below is for the event {f}.");
        }
        match &self.forecast {
            // Nothing loaded and no past edition: there is nothing a forecast could rest on,
            // and "0 people as of 1 January 1970" says nothing true.
            Some(_) if self.files.iter().all(|f| f.rows_loaded == 0) && self.history.is_empty() => {
                let _ = writeln!(
                    s,
                    "\nForecast: none, as no registration could be loaded{}.",
                    if self.rejected_count > 0 {
                        " (the rejected rows below say why)"
                    } else {
                        ""
                    }
                );
            }
            Some(f) => forecast_text(&mut s, f, &self.time_zone, self.event_all_day),
            None => {}
        }
        events_text(&mut s, &self.events, self.events_upcoming);
        if let Some(h) = &self.holds {
            holds_text(&mut s, h);
        }
        if self.rejected_count > 0 {
            let _ = writeln!(s, "\nRejected rows: {}", thousands(self.rejected_count));
            for r in self.rejected.iter().take(10) {
                let _ = writeln!(s, "  {} line {}: {}", r.file, r.line, r.reason);
            }
            if self.rejected_count > 10 {
                let _ = writeln!(s, "  … (all kept reasons are in --json)");
            }
        }
        if let Some(f) = &self.flagged {
            flags_text(&mut s, f, &self.time_zone, w);
        }
        if !self.history.is_empty() {
            let _ = writeln!(s, "\nPast editions:");
            for h in &self.history {
                let came = match (h.checked_in, h.show_up_rate) {
                    (Some(c), Some(r)) => format!(", {} came ({:.0}%)", thousands(c), r * 100.0),
                    _ => ", no check-in data".to_string(),
                };
                let _ = writeln!(
                    s,
                    "  {}: {} registrations{came}",
                    h.file,
                    thousands(h.registrations)
                );
            }
        }
        s
    }
}

fn edition_report(t: &Table) -> EditionReport {
    let r = &t.rows;
    let mut regs = 0u64;
    let mut came_n = 0u64;
    for i in 0..r.len() {
        if !r.status[i].is_active() {
            continue;
        }
        let q = r.quantity[i] as u64;
        regs += q;
        if r.came(i) {
            came_n += q;
        }
    }
    let has_checkins = r.has_checkins();
    EditionReport {
        file: file_name(t),
        event_start: match t.edition {
            Edition::Past { event_start } => event_start.map(rfc3339),
            Edition::Current => None,
        },
        registrations: regs,
        checked_in: has_checkins.then_some(came_n),
        show_up_rate: (has_checkins && regs > 0).then(|| came_n as f64 / regs as f64),
    }
}

/// What must be read before any number: most registrations flagged (with the forecast both
/// ways and where to review them), or a forecast of nobody while registrations are present.
/// `review` says where to look at the flagged rows (the CLI and the app differ).
pub fn headlines(
    flagged: Option<&crate::analysis::flags::FlagSummary>,
    forecast: Option<Stakes>,
    review: &str,
) -> Vec<String> {
    let mut out = Vec::new();
    let both_ways = |f: &Stakes| -> String {
        match f.with_flagged {
            Some(w) => format!(
                " The forecast leaves them out: {}; if they were genuine, {}.",
                forecast::persons(f.attendance),
                forecast::persons(w)
            ),
            None => String::new(),
        }
    };
    if let Some(fl) = flagged
        && fl.count * 3 > fl.scored
        && fl.scored > 0
    {
        let reasons: Vec<&str> = fl.top_reasons.iter().take(3).map(String::as_str).collect();
        out.push(format!(
            "Warning: {:.0}% of the registrations ({} of {}) look fake or coordinated, mostly: {}.{} {review} before relying on either number.",
            fl.share() * 100.0,
            thousands(fl.count),
            thousands(fl.scored),
            reasons.join("; "),
            forecast.as_ref().map(both_ways).unwrap_or_default()
        ));
    } else if let Some(f) = &forecast
        && f.attendance < 0.5
        && (f.registrations > 0 || f.with_flagged.is_some())
    {
        out.push(format!(
            "Warning: the forecast counts nobody although registrations are present.{} Check the flags and the show-up rates.",
            both_ways(f)
        ));
    }
    out
}

/// What to read first when the event group column splits the series into crumbs
/// ([`Series::crumbled_groups`](crate::analysis::series::Series::crumbled_groups)), naming
/// the column as its header reads.
pub fn crumbs_headline(series: &crate::analysis::series::Series, data: &Dataset) -> Option<String> {
    let c = series.crumbled_groups()?;
    let column = data
        .tables
        .iter()
        .find_map(|t| {
            let m = t.report.mapping.iter().find(|m| m.role == Role::Group)?;
            Some(m.headers.join(" + "))
        })
        .unwrap_or_else(|| "the event group".to_string());
    Some(format!(
        "Warning: grouping by '{column}' splits the series into {} events of {:.1} \
         registrations each on average, and {} of its {} values make one event only. Events \
         this small are forecast almost wholly from the rest of the series: if '{column}' names \
         a person or a booking rather than a place, room or session, group by another column \
         or none.",
        thousands(c.events as u64),
        c.registrations as f64 / c.events.max(1) as f64,
        thousands(c.one_day as u64),
        thousands(c.groups as u64),
    ))
}

/// The forecast numbers a headline weighs: genuine registrations, the attendance P50, and
/// the attendance P50 if the flagged registrations were genuine.
#[derive(Clone, Copy, Debug)]
pub struct Stakes {
    pub registrations: u64,
    pub attendance: f64,
    pub with_flagged: Option<f64>,
}

impl Stakes {
    pub fn of(o: &crate::analysis::forecast::Outlook) -> Stakes {
        Stakes {
            registrations: o.genuine,
            attendance: o.attendance.p50,
            with_flagged: o.attendance_with_flagged.map(|q| q.p50),
        }
    }
}

/// `h` as one shell word: quoted when it holds anything but letters, digits, `_`, `-`, `.`.
fn shell_word(h: &str) -> String {
    if !h.is_empty()
        && h.chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'))
    {
        h.to_string()
    } else {
        format!("'{}'", h.replace('\'', "'\\''"))
    }
}
