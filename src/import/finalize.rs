//! After all rows are read: settle each time column's day/month order, turn raw stamps into
//! UTC seconds, and fold repeat rows of one registration.

use jiff::tz::TimeZone;
use rayon::prelude::*;
use rustc_hash::FxHashSet;

use super::Role;
use super::convert::{
    CHECKED_IN_MARKED_ABSENT, CHECKED_IN_PRESUMED, ChunkOut, TimeColumn, TimeFormat,
};
use super::timestamp::{ColumnDecision, OrderReason, RawStamp, Resolver};
use crate::dataset::{CHECKED_IN_UNKNOWN_TIME, NO_TIME, Rows};

fn decide(
    chunk: &ChunkOut,
    column: TimeColumn,
    packed: &[i64],
    format: &TimeFormat,
) -> ColumnDecision {
    match format {
        TimeFormat::Auto => ColumnDecision::decide(&chunk.evidence[column as usize], packed),
        TimeFormat::Order { day_first } => ColumnDecision {
            day_first: *day_first,
            reason: OrderReason::Chosen,
        },
        TimeFormat::Strftime(_) => ColumnDecision {
            day_first: false,
            reason: OrderReason::Chosen,
        },
    }
}

/// Resolves raw stamps in place; returns the indices that name no real day, and how many
/// zone-less times fell in a daylight-saving gap and in a repeated hour.
fn resolve_column(values: &mut [i64], tz: &TimeZone, day_first: bool) -> (Vec<usize>, u64, u64) {
    const BLOCK: usize = 1 << 16;
    let parts: Vec<(Vec<usize>, u64, u64)> = values
        .par_chunks_mut(BLOCK)
        .enumerate()
        .map(|(b, block)| {
            let mut resolver = Resolver::new(tz.clone(), day_first);
            let mut bad = Vec::new();
            for (i, v) in block.iter_mut().enumerate() {
                // NO_TIME and the check-in markers (CHECKED_IN_UNKNOWN_TIME, …) are not times.
                if *v <= CHECKED_IN_MARKED_ABSENT {
                    continue;
                }
                match resolver.resolve(&RawStamp::unpack(*v)) {
                    Ok(secs) => *v = secs,
                    Err(_) => {
                        *v = NO_TIME;
                        bad.push(b * BLOCK + i);
                    }
                }
            }
            (bad, resolver.gaps, resolver.folds)
        })
        .collect();
    let (mut bad, mut gaps, mut folds) = (Vec::new(), 0, 0);
    for (b, g, f) in parts {
        bad.extend(b);
        gaps += g;
        folds += f;
    }
    (bad, gaps, folds)
}

/// Turns every time column into UTC seconds. Rows whose registration time names a day that
/// does not exist under the column's order are rejected. Returns the registration column's
/// decision.
pub fn resolve_times(chunk: &mut ChunkOut, tz: &TimeZone, format: &TimeFormat) -> ColumnDecision {
    let registered = decide(
        chunk,
        TimeColumn::Registered,
        &chunk.rows.registered_at,
        format,
    );
    let (bad, gaps, folds) =
        resolve_column(&mut chunk.rows.registered_at, tz, registered.day_first);
    chunk.dst = (gaps, folds);
    if !bad.is_empty() {
        let mut keep = vec![true; chunk.rows.len()];
        for &i in &bad {
            keep[i] = false;
            let line = chunk.rows.line[i];
            let order = if registered.day_first {
                "day/month"
            } else {
                "month/day"
            };
            chunk.reject(
                line,
                format!("registration time names a day that does not exist (read as {order})"),
            );
        }
        chunk.rows.retain(&keep);
    }
    for (column, role) in [
        (TimeColumn::CheckedIn, Role::CheckedIn),
        (TimeColumn::HoldExpires, Role::HoldExpiresAt),
        (TimeColumn::Event, Role::EventAt),
        (TimeColumn::Cancelled, Role::CancelledAt),
    ] {
        let values = match column {
            TimeColumn::CheckedIn => chunk.rows.checked_in.take(),
            TimeColumn::Event => chunk.rows.event_at.take(),
            TimeColumn::Cancelled => chunk.rows.cancelled_at.take(),
            _ => chunk.rows.hold_expires_at.take(),
        };
        let Some(mut values) = values else { continue };
        let d = decide(chunk, column, &values, format);
        let (bad, _, _) = resolve_column(&mut values, tz, d.day_first);
        if let Some(&first) = bad.first() {
            chunk.issues.push(super::ValueIssue {
                role,
                count: bad.len() as u64,
                first_line: chunk.rows.line[first],
                example: String::new(),
                problem: "names a day that does not exist; read as no time".to_string(),
            });
        }
        match column {
            TimeColumn::CheckedIn => chunk.rows.checked_in = Some(values),
            TimeColumn::Event => chunk.rows.event_at = Some(values),
            TimeColumn::Cancelled => chunk.rows.cancelled_at = Some(values),
            _ => chunk.rows.hold_expires_at = Some(values),
        }
    }
    if chunk.lead_days.len() == chunk.rows.len() && !chunk.lead_days.is_empty() {
        registered_from_lead_days(chunk, tz);
    }
    registered
}

/// How long after its own event a row's registration time may lie and still be read as a
/// booking of it (entered afterwards, a walk-in typed in the next week). Beyond it the time is
/// a typing slip ("2061" for "2016"), and one such row would otherwise move the export's
/// "now" decades ahead: every event over, a signup table of 16,000 empty days.
pub const MOST_DAYS_AFTER_EVENT: i64 = 31;

/// How far ahead of its event a row may be booked: five years (hotels take bookings about
/// two years ahead, wedding venues three). An event decades after its booking is a year typed
/// wrong, and would become the series' next event, forecast from every day's pickup.
pub const MOST_DAYS_AHEAD: i64 = 1_827;

/// Rejects rows of a series file (rows carry their own event time) registered more than
/// [`MOST_DAYS_AFTER_EVENT`] days after their event or more than [`MOST_DAYS_AHEAD`] days
/// before it, naming both times.
pub fn reject_far_from_event(chunk: &mut ChunkOut, tz: &TimeZone) {
    let Some(events) = chunk.rows.event_at.as_ref() else {
        return;
    };
    let (after, ahead) = (MOST_DAYS_AFTER_EVENT * 86_400, MOST_DAYS_AHEAD * 86_400);
    let far: Vec<usize> = (0..chunk.rows.len())
        .filter(|&i| {
            let (t, e) = (chunk.rows.registered_at[i], events[i]);
            t != NO_TIME
                && e != NO_TIME
                && (t.saturating_sub(e) > after || e.saturating_sub(t) > ahead)
        })
        .collect();
    if far.is_empty() {
        return;
    }
    let day = |x: i64| crate::timefmt::date(crate::timefmt::local_day(x, tz));
    let days = |a: i64, b: i64| crate::report::thousands((a.saturating_sub(b) / 86_400) as u64);
    let reasons: Vec<(u32, String)> = far
        .iter()
        .map(|&i| {
            let (t, e) = (chunk.rows.registered_at[i], events[i]);
            let reason = if t > e {
                format!(
                    "registration time {} is {} days after the row's event ({}): too late to be \
                     a booking of it (a typing slip in the year?)",
                    day(t),
                    days(t, e),
                    day(e),
                )
            } else {
                format!(
                    "event time {} is {} days after the row's registration ({}): too far ahead \
                     to be a booking (a typing slip in the year?)",
                    day(e),
                    days(e, t),
                    day(t),
                )
            };
            (chunk.rows.line[i], reason)
        })
        .collect();
    let mut keep = vec![true; chunk.rows.len()];
    for &i in &far {
        keep[i] = false;
    }
    for (line, reason) in reasons {
        chunk.reject(line, reason);
    }
    chunk.rows.retain(&keep);
}

/// Rows whose empty no-show mark was read as "not known yet", and the first of their lines.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct NotYetKnown {
    pub rows: u64,
    pub first_line: u32,
}

impl NotYetKnown {
    /// The file's note, when any row was read so.
    pub fn note(&self) -> Option<String> {
        let one = self.rows == 1;
        (self.rows > 0).then(|| {
            format!(
                "{} appointment{} with an empty no-show mark {} later than anything the file \
                 shows happened (first on line {}): not known yet whether {} came, so {} as \
                 still to come",
                crate::report::thousands(self.rows),
                if one { "" } else { "s" },
                if one { "is" } else { "are" },
                self.first_line,
                if one { "that person" } else { "they" },
                if one { "it counts" } else { "they count" },
            )
        })
    }
}

/// Settles the check-in column's reading markers. A scheduling tool marks only the no-shows,
/// so a blank negated mark ([`CHECKED_IN_PRESUMED`]) means the person came, once the
/// appointment has happened. How far the file reaches is what it shows happened: its last
/// booking, check-in or cancellation, and the latest appointment somebody was marked at (come
/// or no-show). A blank on an appointment after that may be one not yet held when the file was
/// written (one given by its date alone, if that day is not over): it says nothing yet and
/// reads as not come (the series sees the event as still to come, so it is forecast, not
/// scored). Without event times every blank reads as come.
pub fn settle_presumed(rows: &mut Rows, zone: &TimeZone) -> NotYetKnown {
    let mut out = NotYetKnown::default();
    let Some(checked) = rows.checked_in.as_ref() else {
        return out;
    };
    if !checked.contains(&CHECKED_IN_PRESUMED) {
        if let Some(checked) = rows.checked_in.as_mut() {
            checked
                .iter_mut()
                .filter(|v| **v == CHECKED_IN_MARKED_ABSENT)
                .for_each(|v| *v = NO_TIME);
        }
        return out;
    }
    let event_at = |i: usize| rows.event_at.as_ref().map_or(NO_TIME, |e| e[i]);
    let marked = checked.iter().enumerate().filter_map(|(i, &v)| {
        let explicit = v == CHECKED_IN_UNKNOWN_TIME
            || v == CHECKED_IN_MARKED_ABSENT
            || rows.status[i] == crate::import::Status::CheckedIn;
        explicit.then(|| event_at(i)).filter(|&t| t != NO_TIME)
    });
    let last = Reach::times(rows).chain(marked).max();
    let mut reach = Reach::new(last, zone);
    let line = &rows.line;
    let events = rows.event_at.as_ref();
    let Some(checked) = rows.checked_in.as_mut() else {
        return out;
    };
    for (i, v) in checked.iter_mut().enumerate() {
        *v = match *v {
            CHECKED_IN_MARKED_ABSENT => NO_TIME,
            CHECKED_IN_PRESUMED => {
                let event = events.map_or(NO_TIME, |e| e[i]);
                if reach.beyond(event) {
                    if out.rows == 0 {
                        out.first_line = line[i];
                    }
                    out.rows += 1;
                    NO_TIME
                } else {
                    CHECKED_IN_UNKNOWN_TIME
                }
            }
            other => other,
        };
    }
    out
}

/// How far a file reaches in time: the latest thing it shows happened.
struct Reach<'a> {
    last: Option<i64>,
    zone: &'a TimeZone,
    /// Event time → when it is over (a date alone lasts its day), cached.
    day_end: rustc_hash::FxHashMap<i64, i64>,
}

impl<'a> Reach<'a> {
    fn new(last: Option<i64>, zone: &'a TimeZone) -> Reach<'a> {
        Reach {
            last,
            zone,
            day_end: Default::default(),
        }
    }

    /// The booking, check-in and cancellation times of `rows`.
    fn times(rows: &Rows) -> impl Iterator<Item = i64> + '_ {
        rows.registered_at
            .iter()
            .chain(rows.checked_in.iter().flatten())
            .chain(rows.cancelled_at.iter().flatten())
            .copied()
            .filter(|&t| t > CHECKED_IN_MARKED_ABSENT)
    }

    /// Whether an event at `at` (a date alone: any time that day, as the series reads it)
    /// may not be over by the file's reach. `false` without an event time or a reach.
    fn beyond(&mut self, at: i64) -> bool {
        let (Some(last), true) = (self.last, at != NO_TIME) else {
            return false;
        };
        let zone = self.zone;
        let close = *self.day_end.entry(at).or_insert_with(|| {
            let day = crate::timefmt::local_day(at, zone);
            if crate::timefmt::local_day(at - 1, zone) != day {
                at + 86_400 - 1
            } else {
                at
            }
        });
        close > last
    }
}

/// Bookings kept to a start the file shows is past, counted as come
/// (`presume_kept_came`), and those still to come.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct KeptCame {
    /// Whether they are counted as come (the user may say not).
    pub applied: bool,
    pub came: u64,
    pub later: u64,
}

impl KeptCame {
    /// The file's note, when kept bookings were counted as come.
    pub fn note(&self) -> Option<String> {
        (self.applied && self.came > 0).then(|| {
            let later = match self.later {
                0 => String::new(),
                1 => "; 1 later one is still to come".to_string(),
                n => format!(
                    "; {} later ones are still to come",
                    crate::report::thousands(n)
                ),
            };
            format!(
                "no column says who came: {} booking{} kept to a start the file shows is past \
                 {} counted as come (a lodging's log records cancellations, not stays){later}",
                crate::report::thousands(self.came),
                if self.came == 1 { "" } else { "s" },
                if self.came == 1 { "is" } else { "are" },
            )
        })
    }
}

/// A booking log that records cancellations and nothing about who came (a hotel's
/// `booking_status`: `Canceled` / `Not_Canceled`): a booking kept to an arrival the file shows
/// is past is a stay, so it counts as come; one whose start may not be over by the file's
/// reach is still to come. `choice` is the user's say; without it only a lodging's log
/// (`lodging`: its event is an arrival, or it gives days booked ahead) is read so, as a
/// webinar's kept registrations are not its audience. `None` when the file does not qualify:
/// it says who came, or has no event times, or records no cancellation.
pub fn presume_kept_came(
    rows: &mut Rows,
    zone: &TimeZone,
    choice: Option<bool>,
    lodging: bool,
) -> Option<KeptCame> {
    use crate::import::Status;
    let events = rows.event_at.as_ref()?;
    if rows.has_checkins()
        || !rows.status.contains(&Status::Cancelled)
        || !events.iter().any(|&e| e != NO_TIME)
    {
        return None;
    }
    let applied = choice.unwrap_or(lodging);
    let mut reach = Reach::new(Reach::times(rows).max(), zone);
    let mut out = KeptCame {
        applied,
        ..KeptCame::default()
    };
    let mut checked = vec![NO_TIME; rows.len()];
    for (i, v) in checked.iter_mut().enumerate() {
        let kept = matches!(
            rows.status[i],
            Status::Confirmed | Status::Other | Status::Approved
        );
        if !kept || events[i] == NO_TIME {
            continue;
        }
        if reach.beyond(events[i]) {
            out.later += 1;
        } else {
            out.came += 1;
            *v = CHECKED_IN_UNKNOWN_TIME;
        }
    }
    if applied {
        rows.checked_in = Some(checked);
    }
    Some(out)
}

/// For files that give days booked ahead instead of a booking time: the registration time is
/// the event time minus those days (calendar days, the same local time: across a change of
/// the clocks, 224 days before a midnight arrival is a midnight too); rows without an event
/// time are rejected.
fn registered_from_lead_days(chunk: &mut ChunkOut, tz: &TimeZone) {
    let Some(events) = chunk.rows.event_at.take() else {
        return;
    };
    let mut keep = vec![true; chunk.rows.len()];
    let mut rejects = Vec::new();
    for (i, (&e, &lead)) in events.iter().zip(&chunk.lead_days).enumerate() {
        if e == NO_TIME {
            keep[i] = false;
            rejects.push(chunk.rows.line[i]);
        } else {
            let offset = |t: i64| {
                jiff::Timestamp::from_second(t).map_or(0, |ts| tz.to_offset(ts).seconds() as i64)
            };
            let naive = e - lead as i64 * 86_400;
            chunk.rows.registered_at[i] = naive + offset(e) - offset(naive);
        }
    }
    chunk.rows.event_at = Some(events);
    for line in rejects {
        chunk.reject(
            line,
            "no event date to count the days booked ahead from".to_string(),
        );
    }
    if keep.iter().any(|k| !k) {
        chunk.rows.retain(&keep);
    }
    chunk.lead_days.clear();
}

/// Zoom writes one row per join: rows with the same person and registration time are one
/// registration. Keeps the first, marks it checked in if any repeat was, and returns how many
/// rows were folded.
pub fn merge_repeat_joins(rows: &mut Rows) -> u64 {
    let who = rows.text(Role::Email).or_else(|| rows.text(Role::Name));
    let Some(who) = who else { return 0 };
    let mut seen: FxHashSet<(&str, i64)> = FxHashSet::default();
    let mut first_of: rustc_hash::FxHashMap<(&str, i64), usize> = Default::default();
    let mut keep = vec![true; rows.len()];
    let mut merged = 0;
    let mut came = Vec::new();
    for i in 0..rows.len() {
        let key = (who.get(i), rows.registered_at[i]);
        if key.0.is_empty() {
            continue;
        }
        if !seen.insert(key) {
            keep[i] = false;
            merged += 1;
            if let Some(ci) = &rows.checked_in
                && ci[i] != NO_TIME
            {
                came.push((first_of[&key], ci[i]));
            }
        } else {
            first_of.insert(key, i);
        }
    }
    if merged == 0 {
        return 0;
    }
    if let Some(ci) = rows.checked_in.as_mut() {
        for (first, t) in came {
            if ci[first] == NO_TIME {
                ci[first] = t;
            }
        }
    }
    rows.retain(&keep);
    merged
}
