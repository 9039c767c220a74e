//! The summary `turnout report` prints, and its JSON form.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use jiff::tz::TimeZone;
use serde::Serialize;

use crate::analysis::forecast::{Assumptions, Backtest, Decision, Outlook, Quantiles, RateSource};
use crate::dataset::{Dataset, Edition, NO_TIME, Table};
use crate::import::{Detected, Status};
use crate::timefmt::{LocalClock, date, rfc3339};

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
    pub mapping: BTreeMap<String, String>,
    pub detected: Detected,
    pub warnings: Vec<String>,
    pub value_issues: Vec<crate::import::ValueIssue>,
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
}

/// One item's inventory in the report.
#[derive(Clone, Debug, Serialize)]
pub struct HoldItemReport {
    pub item: String,
    pub stock: u64,
    pub stock_inferred: bool,
    pub sold: u64,
    pub peak_held: u64,
    pub peak_held_at: String,
    pub false_soldout_minutes: f64,
    /// When it looked sold out with stock unsold (RFC 3339 pairs).
    pub false_soldout: Vec<[String; 2]>,
}

/// The held-inventory section.
#[derive(Clone, Debug, Serialize)]
pub struct HoldsSection {
    pub source: String,
    pub holds: u64,
    pub units_sold: u64,
    /// Most units held at one moment, all items together, and that share of all stock.
    pub peak_held: u64,
    pub peak_held_share: f64,
    pub peak_held_at: String,
    pub false_soldout_minutes: f64,
    pub unpaid_unit_hours: f64,
    /// Genuine buyers estimated to have met a false "sold out".
    pub buyers_met_false_soldout: f64,
    pub items: Vec<HoldItemReport>,
    pub hoarders: Vec<crate::analysis::holds::Hoarder>,
    pub hoarding_windows: Vec<[String; 2]>,
    /// The replay with the policy asked for; `None` for quota snapshots (no holds to replay).
    pub what_if: Option<crate::analysis::holds::WhatIf>,
    pub notes: Vec<String>,
}

impl HoldsSection {
    pub fn new(
        inv: &crate::analysis::holds::Inventory,
        what_if: Option<crate::analysis::holds::WhatIf>,
        notes: Vec<String>,
    ) -> HoldsSection {
        let pair = |(a, b): (i64, i64)| [rfc3339(a), rfc3339(b)];
        HoldsSection {
            source: inv.label.clone(),
            holds: inv.holds,
            units_sold: inv.units_sold,
            peak_held: inv.peak_held,
            peak_held_share: inv.peak_held_share,
            peak_held_at: rfc3339(inv.peak_held_at),
            false_soldout_minutes: inv.false_soldout_minutes,
            unpaid_unit_hours: inv.unpaid_unit_hours,
            buyers_met_false_soldout: inv.buyers_met_false_soldout,
            items: inv
                .items
                .iter()
                .map(|s| HoldItemReport {
                    item: s.item.clone(),
                    stock: s.stock,
                    stock_inferred: s.stock_inferred,
                    sold: s.sold,
                    peak_held: s.peak_held,
                    peak_held_at: rfc3339(s.peak_held_at),
                    false_soldout_minutes: s.false_soldout_minutes,
                    false_soldout: s.false_soldout.iter().map(|&p| pair(p)).collect(),
                })
                .collect(),
            hoarders: inv.hoarders.clone(),
            hoarding_windows: inv.hoarding_windows.iter().map(|&p| pair(p)).collect(),
            what_if,
            notes,
        }
    }
}

/// One segment's show-up rate in the report.
#[derive(Clone, Debug, Serialize)]
pub struct ShowUpReport {
    pub segment: String,
    pub tickets: u64,
    pub rate: f64,
    /// 80% interval of the rate.
    pub interval: [f64; 2],
    /// `prior`, `calibrated` or `chosen`.
    pub source: &'static str,
    /// Past registrants behind a calibrated rate.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub n: Option<u64>,
    pub explanation: String,
}

/// The forecast section of the report.
#[derive(Clone, Debug, Serialize)]
pub struct ForecastSection {
    pub as_of: String,
    /// Genuine (unflagged) registrations by the event start.
    pub final_registrations: Quantiles,
    pub attendance: Quantiles,
    /// `None` without a capacity.
    pub p_over_capacity: Option<f64>,
    pub expected_empty_seats: Option<f64>,
    pub expected_turned_away: Option<f64>,
    pub show_up: Vec<ShowUpReport>,
    pub advice: String,
    pub decision: Decision,
    pub pickup: PickupReport,
    /// Log-scale spread of the whole event's show-up.
    pub event_day_spread: f64,
    pub model: String,
    pub backtest: Option<Backtest>,
}

/// How the signups still to come were forecast.
#[derive(Clone, Debug, Serialize)]
pub struct PickupReport {
    pub method: crate::analysis::forecast::PickupMethod,
    pub description: &'static str,
    /// Median of signups still to come.
    pub still_to_come: f64,
    /// Leave-one-out error of each method over past editions (log scale).
    pub method_errors: BTreeMap<String, f64>,
}

impl ForecastSection {
    pub fn new(o: &Outlook, a: &Assumptions, backtest: Option<Backtest>) -> ForecastSection {
        let has_capacity = a.capacity > 0;
        ForecastSection {
            as_of: rfc3339(o.as_of),
            final_registrations: o.final_registrations,
            attendance: o.attendance,
            p_over_capacity: has_capacity.then_some(o.p_over_capacity),
            expected_empty_seats: has_capacity.then_some(o.expected_empty_seats),
            expected_turned_away: has_capacity.then_some(o.expected_turned_away),
            show_up: o
                .show_up
                .iter()
                .map(|s| ShowUpReport {
                    segment: s.segment.clone(),
                    tickets: s.tickets,
                    rate: s.rate,
                    interval: [s.interval.0, s.interval.1],
                    source: match s.source {
                        RateSource::Prior { .. } => "prior",
                        RateSource::Calibrated { .. } => "calibrated",
                        RateSource::Chosen => "chosen",
                    },
                    n: match s.source {
                        RateSource::Calibrated { n, .. } => Some(n),
                        _ => None,
                    },
                    explanation: s.source.describe(),
                })
                .collect(),
            advice: o.advice.clone(),
            decision: o.decision.clone(),
            pickup: PickupReport {
                method: o.pickup.method,
                description: o.pickup.method.describe(),
                still_to_come: o.pickup.future,
                method_errors: o
                    .pickup
                    .loo_errors
                    .iter()
                    .map(|(m, e)| (m.describe().to_string(), *e))
                    .collect(),
            },
            event_day_spread: o.shock,
            model: o.model.clone(),
            backtest,
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
            let mut status_counts = [0u64; 8];
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
                mapping: mapping_of(table),
                detected: table.report.detected.clone(),
                warnings: table.report.warnings.clone(),
                value_issues: table.report.value_issues.clone(),
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
        }
    }

    /// A compact summary a person reads.
    pub fn to_text(&self) -> String {
        let mut s = String::new();
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
                "  read {} rows ({} {}{}, {}); {} loaded, {} rejected{}",
                thousands(f.rows),
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
                let _ = writeln!(
                    s,
                    "  note: {} {} values {} (first on line {}: '{}')",
                    thousands(i.count),
                    i.role,
                    i.problem,
                    i.first_line,
                    i.example
                );
            }
        }
        let _ = writeln!(s);
        let _ = write!(s, "Registrations: {}", thousands(self.registrations));
        if let Some(c) = self.capacity {
            let ratio = self.registrations as f64 / c.max(1) as f64;
            let _ = write!(s, " for {} places ({ratio:.1}× capacity)", thousands(c));
        }
        let _ = writeln!(s);
        let statuses: Vec<String> = self
            .by_status
            .iter()
            .map(|(k, v)| format!("{k} {}", thousands(*v)))
            .collect();
        let _ = writeln!(s, "  tickets by status: {}", statuses.join(", "));
        if self.undated_registrations > 0 {
            let _ = writeln!(
                s,
                "  {} registrations have no registration time",
                thousands(self.undated_registrations)
            );
        }
        if let Some(a) = &self.as_of {
            let _ = writeln!(
                s,
                "  as of {a}: {} later registrations left out",
                thousands(self.after_as_of)
            );
        }
        if let (Some(a), Some(b)) = (&self.first_signup, &self.last_signup) {
            let _ = writeln!(s, "  first signup {a}, last {b}");
        }
        if let Some(e) = &self.event_start {
            let _ = writeln!(s, "  event starts {e}");
        }
        if !self.daily.is_empty() {
            let _ = writeln!(s, "\nSignups per day ({}):", self.time_zone);
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
        if let Some(f) = &self.forecast {
            forecast_text(&mut s, f);
        }
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
            let _ = writeln!(
                s,
                "\nFlagged as likely fake or coordinated: {} rows, {} registrations (score ≥ {}, venue region {})",
                thousands(f.count),
                thousands(f.registrations),
                f.threshold,
                if f.venue_region.is_empty() {
                    "unknown"
                } else {
                    &f.venue_region
                }
            );
            let reasons: Vec<String> = f
                .by_reason
                .iter()
                .map(|(k, v)| format!("{k} {}", thousands(*v)))
                .collect();
            let _ = writeln!(s, "  reasons: {}", reasons.join(", "));
            for b in &f.bursts {
                let _ = writeln!(
                    s,
                    "  burst {} – {}: {} signups, {} flagged",
                    rfc3339(b.start),
                    rfc3339(b.end),
                    thousands(b.count),
                    thousands(b.flagged)
                );
            }
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

/// A CSV cell that Excel will not run as a formula: cells starting with `=`, `+`, `-`, `@`,
/// a tab or a carriage return get a leading apostrophe; quoting as needed.
pub fn excel_safe_cell(value: &str) -> String {
    let guarded = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_string()
    };
    if guarded.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", guarded.replace('"', "\"\""))
    } else {
        guarded
    }
}

/// `1234567` → `1,234,567`.
pub fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

fn people(x: f64) -> String {
    thousands(x.max(0.0).round() as u64)
}

fn forecast_text(s: &mut String, f: &ForecastSection) {
    let q = |q: &Quantiles| {
        format!(
            "{} (80% sure: {}–{})",
            people(q.p50),
            people(q.p10),
            people(q.p90)
        )
    };
    let _ = writeln!(s, "\nForecast as of {}:", f.as_of);
    let _ = writeln!(
        s,
        "  genuine registrations by the start: {}; {}",
        q(&f.final_registrations),
        f.pickup.description
    );
    let _ = writeln!(s, "  people who will come: {}", q(&f.attendance));
    if let (Some(p), Some(e), Some(t)) = (
        f.p_over_capacity,
        f.expected_empty_seats,
        f.expected_turned_away,
    ) {
        let _ = writeln!(
            s,
            "  chance the hall overflows {:.0}%; expected empty seats {}; expected turned away {}",
            p * 100.0,
            people(e),
            people(t)
        );
    }
    let _ = writeln!(s, "  {}", f.advice);
    let _ = writeln!(s, "  show-up by segment (largest first):");
    for r in f.show_up.iter().take(8) {
        let _ = writeln!(
            s,
            "    {:>5.1}% ({:.0}–{:.0}%) {} — {} tickets; {}",
            r.rate * 100.0,
            r.interval[0] * 100.0,
            r.interval[1] * 100.0,
            r.segment,
            thousands(r.tickets),
            r.explanation
        );
    }
    if f.show_up.len() > 8 {
        let _ = writeln!(s, "    … {} more segments in --json", f.show_up.len() - 8);
    }
    let _ = writeln!(s, "  {}", f.model);
    if let Some(b) = &f.backtest {
        let _ = writeln!(
            s,
            "  backtest over {} past edition{} (walk-forward, each day before the start):",
            b.editions.len(),
            if b.editions.len() == 1 { "" } else { "s" }
        );
        for m in &b.scores {
            let cover = match (m.coverage_p10_p90, m.coverage_p5_p95) {
                (Some(a), Some(b)) => format!(
                    "; truth inside P10–P90 {:.0}%, P5–P95 {:.0}%",
                    a * 100.0,
                    b * 100.0
                ),
                _ => String::new(),
            };
            let _ = writeln!(
                s,
                "    {}: mean error {:.0}% over {} forecasts{cover}",
                m.method,
                m.mape * 100.0,
                m.points
            );
        }
    }
}

fn holds_text(s: &mut String, h: &HoldsSection) {
    let _ = writeln!(s, "\nHeld inventory ({}):", h.source);
    let _ = writeln!(
        s,
        "  at the peak {} units sat in unpaid holds ({:.0}% of all stock, {}); items looked sold \
         out with stock unsold for {:.0} minutes in all",
        thousands(h.peak_held),
        h.peak_held_share * 100.0,
        h.peak_held_at,
        h.false_soldout_minutes
    );
    for i in &h.items {
        let _ = writeln!(
            s,
            "    {}: stock {}{}, sold {}, at most {} held, {:.0} minutes falsely sold out",
            i.item,
            thousands(i.stock),
            if i.stock_inferred {
                " (most ever sold + held at once)"
            } else {
                ""
            },
            thousands(i.sold),
            thousands(i.peak_held),
            i.false_soldout_minutes
        );
    }
    if h.buyers_met_false_soldout > 0.0 {
        let _ = writeln!(
            s,
            "  about {} genuine buyers met a false \"sold out\" (their usual arrival rate × those minutes)",
            people(h.buyers_met_false_soldout)
        );
    }
    if !h.hoarders.is_empty() {
        let _ = writeln!(s, "  hoarding: {} people", h.hoarders.len());
        for x in h.hoarders.iter().take(10) {
            let _ = writeln!(s, "    {}: {}", x.identity, x.evidence.join("; "));
        }
    }
    if let Some(w) = &h.what_if {
        let limit = if w.policy.limit > 0 {
            format!(" and at most {} units per person", w.policy.limit)
        } else {
            String::new()
        };
        let _ = writeln!(
            s,
            "  with {}-minute holds{limit}: {} unit-hours freed, about {} buyers no longer turned \
             away, peak held {}, {:.0} minutes falsely sold out; {} units were bought by people \
             the policy would have hurried",
            w.policy.hold_minutes,
            thousands(w.freed.round() as u64),
            people(w.buyers_unblocked),
            thousands(w.peak_held),
            w.false_soldout_minutes,
            thousands(w.purchases_cut_short)
        );
    }
    for n in &h.notes {
        let _ = writeln!(s, "  note: {n}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_are_safe_in_excel() {
        assert_eq!(excel_safe_cell("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(excel_safe_cell("-5"), "'-5");
        assert_eq!(excel_safe_cell("a,b"), "\"a,b\"");
        assert_eq!(excel_safe_cell("plain"), "plain");
    }

    #[test]
    fn thousands_separators() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(1_000_000), "1,000,000");
    }
}
