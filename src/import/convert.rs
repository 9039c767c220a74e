//! Turning one record's fields into typed column values, and saying why when a row can't be.

use std::borrow::Cow;
use std::cell::Cell;

use super::roles::{Mapping, Role};
use super::timestamp::{self, MISSING, OrderEvidence, RawStamp};
use super::values::{QuantityProblem, Status, parse_flag, parse_money, parse_quantity};
use super::{Rejected, ValueIssue};
use crate::dataset::{Categorical, NO_TIME, Rows, StrColumn, TextColumn};

/// Field access for one record, from CSV or a spreadsheet row.
pub trait Record {
    fn len(&self) -> usize;
    fn get(&self, i: usize) -> Option<&[u8]>;
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl<S: AsRef<str>> Record for [S] {
    fn len(&self) -> usize {
        <[S]>::len(self)
    }
    fn get(&self, i: usize) -> Option<&[u8]> {
        <[S]>::get(self, i).map(|s| s.as_ref().as_bytes())
    }
}

/// How time columns are read.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum TimeFormat {
    /// Detect per value; ambiguous day/month settled per column.
    #[default]
    Auto,
    /// Ambiguous numeric dates are day-first (`dmy`) or month-first (`mdy`).
    Order { day_first: bool },
    /// A `strftime` pattern, e.g. `%d/%m/%Y %H:%M`.
    Strftime(String),
}

/// The time columns, each with its own order evidence.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimeColumn {
    Registered = 0,
    CheckedIn = 1,
    HoldExpires = 2,
    Event = 3,
    Cancelled = 4,
}

/// Meaning of a status column's values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum StatusMode {
    Words,
    /// A yes/no column such as Ticket Tailor's `Order cancelled`.
    CancelledFlag,
}

/// Per-file recipe: which columns feed which role and how.
#[derive(Clone, Debug)]
pub struct RowConverter {
    /// Fields are written `a, "b"`: spaces before opening quotes are moved inside them
    /// before parsing ([`super::sniff::unspace_quotes`]).
    pub unspace_quotes: bool,
    registered_at: Option<usize>,
    /// Year, month and day columns that make the registration date.
    registered_parts: Option<[usize; 3]>,
    /// Year, month and day columns that make the event date.
    event_parts: Option<[usize; 3]>,
    /// Days booked ahead: the registration time is the event time minus these.
    lead_days: Option<usize>,
    cancelled_at: Option<usize>,
    /// Per `checked_in` column: whether yes means "did not come" (`No-show`).
    negated: Vec<bool>,
    registered_time: Option<usize>,
    /// The zone of a date and time written apart (`Fuso horário`).
    registered_zone: Option<usize>,
    quantity: Option<usize>,
    guests: Option<usize>,
    status: Option<(usize, StatusMode)>,
    price: Option<usize>,
    checked_in: Vec<usize>,
    hold_expires_at: Option<usize>,
    event_at: Option<usize>,
    /// The event's time of day written apart from its date (`Visit Time`).
    event_time: Option<usize>,
    texts: Vec<(Role, Vec<usize>, bool)>,
    time_format: TimeFormat,
    headers: Vec<String>,
}

/// What parsing one chunk of rows produced.
#[derive(Debug, Default)]
pub struct ChunkOut {
    pub rows: Rows,
    pub rejected: Vec<Rejected>,
    pub rejected_count: u64,
    pub evidence: [OrderEvidence; 5],
    pub issues: Vec<ValueIssue>,
    /// Days booked ahead per row, for files whose registration time is event time minus
    /// lead days (filled in after the event times are resolved).
    pub lead_days: Vec<i32>,
    /// Fields that were not valid UTF-8 (their stray bytes read as Windows-1252).
    pub lossy_fields: u64,
    /// Rows holding such fields, and the first of their lines.
    pub lossy_rows: u64,
    pub first_lossy_line: Option<u32>,
    /// Whether the input holds valid multi-byte UTF-8 (evidence that the file is UTF-8).
    pub has_utf8_text: bool,
    /// Registration times without a zone that fell in a daylight-saving gap and in a
    /// repeated hour (set once the times are resolved).
    pub dst: (u64, u64),
    /// Data rows seen (loaded or rejected).
    pub rows_read: u64,
    /// Set when the whole input of this chunk is known to be valid UTF-8, so fields need no
    /// check of their own.
    pub input_is_utf8: bool,
    /// Status words seen so far and what they mean (a file has a handful).
    status_cache: Vec<(Box<str>, Option<Status>)>,
}

/// `checked_in` while reading: an empty negated mark (`Marked as No-Show` left blank), read as
/// come or as not known yet once it is known how far the file reaches
/// ([`super::finalize::settle_presumed`]); it never leaves the importer.
pub const CHECKED_IN_PRESUMED: i64 = i64::MIN + 2;
/// `checked_in` while reading: marked as a no-show (did not come, and the appointment is
/// over); read as [`NO_TIME`] once settled.
pub const CHECKED_IN_MARKED_ABSENT: i64 = i64::MIN + 3;

/// More tickets than this on one row is a broken value (`4294967295`), not an order.
pub const MAX_PLAUSIBLE_QUANTITY: u32 = 10_000;

/// Rejected rows kept with their reasons; the rest are only counted.
pub const MAX_REJECTED_KEPT: usize = 1000;

impl ChunkOut {
    /// Counts the fields of row `line` that were not valid UTF-8.
    fn note_lossy(&mut self, line: u32, fields: u64) {
        if fields == 0 {
            return;
        }
        self.lossy_fields += fields;
        self.lossy_rows += 1;
        if self.first_lossy_line.is_none_or(|f| line < f) {
            self.first_lossy_line = Some(line);
        }
    }

    pub fn reject(&mut self, line: u32, reason: String) {
        self.rejected_count += 1;
        if self.rejected.len() < MAX_REJECTED_KEPT {
            self.rejected.push(Rejected { line, reason });
        }
    }

    fn issue(&mut self, role: Role, line: u32, value: &str, problem: &'static str) {
        match self.issues.iter_mut().find(|i| i.role == role) {
            Some(i) => i.count += 1,
            None => self.issues.push(ValueIssue {
                role,
                count: 1,
                first_line: line,
                example: value.chars().take(60).collect(),
                problem: problem.to_string(),
            }),
        }
    }

    /// Moves a later chunk's rows and findings into this one, leaving `other` empty with its
    /// buffers kept for reuse. `other`'s lines must already be absolute.
    pub fn append(&mut self, other: &mut ChunkOut) {
        self.rows.append(&other.rows);
        self.lead_days.append(&mut other.lead_days);
        self.rejected_count += other.rejected_count;
        let room = MAX_REJECTED_KEPT.saturating_sub(self.rejected.len());
        self.rejected.extend(other.rejected.drain(..).take(room));
        for (a, b) in self.evidence.iter_mut().zip(&other.evidence) {
            a.merge(b);
        }
        for issue in other.issues.drain(..) {
            match self.issues.iter_mut().find(|i| i.role == issue.role) {
                Some(i) => i.count += issue.count,
                None => self.issues.push(issue),
            }
        }
        self.lossy_fields += other.lossy_fields;
        self.lossy_rows += other.lossy_rows;
        self.first_lossy_line = match (self.first_lossy_line, other.first_lossy_line) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        self.has_utf8_text |= other.has_utf8_text;
        self.rows_read += other.rows_read;
        other.clear();
    }

    /// Empties the chunk, keeping its buffers.
    pub fn clear(&mut self) {
        self.rows.clear();
        self.lead_days.clear();
        self.rejected.clear();
        self.rejected_count = 0;
        self.evidence = Default::default();
        self.issues.clear();
        self.lossy_fields = 0;
        self.lossy_rows = 0;
        self.first_lossy_line = None;
        self.has_utf8_text = false;
        self.dst = (0, 0);
        self.rows_read = 0;
        self.input_is_utf8 = false;
    }

    fn status(&mut self, text: &str) -> Option<Status> {
        if let Some((_, s)) = self.status_cache.iter().find(|(t, _)| &**t == text) {
            return *s;
        }
        let s = Status::parse(text);
        if self.status_cache.len() < 64 {
            self.status_cache.push((text.into(), s));
        }
        s
    }

    /// Shifts relative line numbers by `base`.
    pub fn offset_lines(&mut self, base: u32) {
        self.rows.line.iter_mut().for_each(|l| *l += base);
        self.rejected.iter_mut().for_each(|r| r.line += base);
        self.issues.iter_mut().for_each(|i| i.first_line += base);
        if let Some(l) = &mut self.first_lossy_line {
            *l += base;
        }
    }
}

/// Text roles stored as categories (few distinct values) rather than strings. Names are not:
/// coordinated fakes make them nearly unique.
fn is_categorical(role: Role) -> bool {
    matches!(
        role,
        Role::TicketType
            | Role::PostalCode
            | Role::City
            | Role::Region
            | Role::Country
            | Role::Source
            | Role::UserAgent
            | Role::Group
            | Role::AddedByHost
    )
}

/// Three columns for a time role mean year, month and day apart.
fn parts(mapping: &Mapping, role: Role) -> Option<[usize; 3]> {
    match mapping.get(&role)?.as_slice() {
        &[y, m, d] => Some([y, m, d]),
        _ => None,
    }
}

impl RowConverter {
    /// `negated` lists `checked_in` columns whose yes means "did not come".
    pub fn new(
        mapping: &Mapping,
        headers: &[String],
        time_format: TimeFormat,
        negated: &[usize],
    ) -> RowConverter {
        let registered_parts = parts(mapping, Role::RegisteredAt);
        let event_parts = parts(mapping, Role::EventAt);
        let first = |r: Role| mapping.get(&r).and_then(|c| c.first().copied());
        let status = first(Role::Status).map(|c| {
            let h = super::roles::normalize_header(&headers[c]);
            let mode = if h.contains("cancel") || h.contains("storn") {
                StatusMode::CancelledFlag
            } else {
                StatusMode::Words
            };
            (c, mode)
        });
        let texts = mapping
            .iter()
            .filter(|(r, _)| {
                !matches!(
                    r,
                    Role::RegisteredAt
                        | Role::RegisteredTime
                        | Role::RegisteredZone
                        | Role::Quantity
                        | Role::Guests
                        | Role::Status
                        | Role::Price
                        | Role::CheckedIn
                        | Role::HoldExpiresAt
                        | Role::EventAt
                        | Role::EventTime
                        | Role::CancelledAt
                        | Role::LeadDays
                )
            })
            .map(|(r, c)| (*r, c.clone(), is_categorical(*r)))
            .collect();
        let checked_in = mapping.get(&Role::CheckedIn).cloned().unwrap_or_default();
        RowConverter {
            unspace_quotes: false,
            registered_at: first(Role::RegisteredAt).filter(|_| registered_parts.is_none()),
            registered_parts,
            event_parts,
            lead_days: first(Role::LeadDays),
            cancelled_at: first(Role::CancelledAt),
            negated: checked_in.iter().map(|c| negated.contains(c)).collect(),
            registered_time: first(Role::RegisteredTime),
            registered_zone: first(Role::RegisteredZone)
                .filter(|_| mapping.contains_key(&Role::RegisteredTime)),
            quantity: first(Role::Quantity),
            guests: first(Role::Guests),
            status,
            price: first(Role::Price),
            checked_in,
            hold_expires_at: first(Role::HoldExpiresAt),
            event_at: first(Role::EventAt).filter(|_| event_parts.is_none()),
            event_time: first(Role::EventTime)
                .filter(|_| event_parts.is_none() && mapping.contains_key(&Role::EventAt)),
            texts,
            time_format,
            headers: headers.to_vec(),
        }
    }

    /// An empty chunk with the columns this file has, sized for `rows`.
    pub fn new_chunk(&self, rows: usize) -> ChunkOut {
        let mut out = ChunkOut::default();
        let r = &mut out.rows;
        r.line.reserve(rows);
        r.registered_at.reserve(rows);
        r.quantity.reserve(rows);
        r.status.reserve(rows);
        if !self.checked_in.is_empty() {
            r.checked_in = Some(Vec::with_capacity(rows));
        }
        if self.hold_expires_at.is_some() {
            r.hold_expires_at = Some(Vec::with_capacity(rows));
        }
        if self.event_at.is_some() || self.event_parts.is_some() {
            r.event_at = Some(Vec::with_capacity(rows));
        }
        if self.cancelled_at.is_some() {
            r.cancelled_at = Some(Vec::with_capacity(rows));
        }
        if self.price.is_some() {
            r.price = Some(Vec::with_capacity(rows));
        }
        r.texts = self
            .texts
            .iter()
            .map(|(role, _, cat)| {
                let col = if *cat {
                    TextColumn::Cat(Categorical::with_capacity(rows))
                } else {
                    TextColumn::Str(StrColumn::with_capacity(rows, rows * 16))
                };
                (*role, col)
            })
            .collect();
        out
    }

    pub fn time_format(&self) -> &TimeFormat {
        &self.time_format
    }

    fn header(&self, c: usize) -> &str {
        self.headers.get(c).map_or("?", |h| h.as_str())
    }

    /// Converts one record; pushes it into `out` or records why it was rejected.
    pub fn push<R: Record + ?Sized>(&self, rec: &R, line: u32, out: &mut ChunkOut) {
        out.rows_read += 1;
        let lossy = Cell::new(0u64);
        let checked = out.input_is_utf8;
        let text = |c: usize| field_text(rec, c, checked, &lossy);
        // Registration time: required when the file has a time column.
        let registered = match self.registered_at {
            None if self.registered_parts.is_some() => {
                match self.parts_stamp(rec, self.registered_parts, checked, &lossy) {
                    Ok(stamp) => {
                        out.evidence[TimeColumn::Registered as usize].add(&stamp);
                        stamp.pack()
                    }
                    Err(why) => {
                        out.note_lossy(line, lossy.get());
                        return out.reject(line, format!("registration date: {why}"));
                    }
                }
            }
            None if self.lead_days.is_some() => {
                let c = self.lead_days.unwrap_or(0);
                let v = text(c);
                match v.trim().parse::<f64>() {
                    Ok(d) if (0.0..=3_660.0).contains(&d) => {
                        out.lead_days.push(d.round() as i32);
                        NO_TIME
                    }
                    _ => {
                        out.note_lossy(line, lossy.get());
                        return out.reject(
                            line,
                            format!(
                                "days booked ahead '{}' ('{}') is not a number of days from 0 to 3,660",
                                clip(&v),
                                self.header(c)
                            ),
                        );
                    }
                }
            }
            None => NO_TIME,
            Some(c) if c >= rec.len() => {
                out.note_lossy(line, lossy.get());
                return out.reject(
                    line,
                    format!(
                        "row has {} fields but the registration time is column {} ('{}')",
                        rec.len(),
                        c + 1,
                        self.header(c)
                    ),
                );
            }
            Some(c) => {
                let v = text(c);
                if v.is_empty() {
                    out.note_lossy(line, lossy.get());
                    return out.reject(
                        line,
                        format!("registration time ('{}') is empty", self.header(c)),
                    );
                }
                match self.parse_time(&v) {
                    Some(mut stamp) => {
                        if let Some(tc) = self.registered_time {
                            let t = text(tc);
                            if !t.is_empty() {
                                match timestamp::parse_time_of_day(t.as_bytes()) {
                                    Some((h, m, s)) => {
                                        stamp.hour = h;
                                        stamp.minute = m;
                                        stamp.second = s;
                                    }
                                    None => {
                                        out.note_lossy(line, lossy.get());
                                        return out.reject(
                                            line,
                                            format!(
                                                "registration time of day '{}' ('{}') is not a time",
                                                clip(&t),
                                                self.header(tc)
                                            ),
                                        );
                                    }
                                }
                            }
                        }
                        if let Some(zc) = self.registered_zone
                            && stamp.offset_minutes.is_none()
                        {
                            let z = text(zc);
                            match timestamp::parse_zone(&z) {
                                Some(m) => {
                                    stamp.offset_minutes = Some(m);
                                    if let Some(note) = timestamp::ambiguous_zone(&z) {
                                        out.issue(Role::RegisteredZone, line, &z, note);
                                    }
                                }
                                None if z.trim().is_empty() => {}
                                None => out.issue(
                                    Role::RegisteredZone,
                                    line,
                                    &z,
                                    "not a time zone Turnout knows: the time is read in the file's zone",
                                ),
                            }
                        }
                        out.evidence[TimeColumn::Registered as usize].add(&stamp);
                        stamp.pack()
                    }
                    None => {
                        out.note_lossy(line, lossy.get());
                        return out.reject(
                            line,
                            format!(
                                "registration time '{}' ('{}') is not a date and time Turnout can read",
                                clip(&v),
                                self.header(c)
                            ),
                        );
                    }
                }
            }
        };

        let mut quantity = match self.quantity {
            None => 1,
            Some(c) => {
                let v = text(c);
                match parse_quantity(&v) {
                    Some(q) if q <= MAX_PLAUSIBLE_QUANTITY => q,
                    Some(q) => {
                        out.note_lossy(line, lossy.get());
                        return out.reject(
                            line,
                            format!(
                                "quantity {q} ('{}') is not plausible for one registration (more than {MAX_PLAUSIBLE_QUANTITY} tickets)",
                                self.header(c)
                            ),
                        );
                    }
                    None => {
                        out.note_lossy(line, lossy.get());
                        return out.reject(
                            line,
                            format!(
                                "quantity '{}' ('{}') {}",
                                clip(&v),
                                self.header(c),
                                QuantityProblem::of(&v).as_str()
                            ),
                        );
                    }
                }
            }
        };
        if let Some(c) = self.guests {
            let v = text(c);
            match parse_quantity(&v) {
                Some(g) if g > MAX_PLAUSIBLE_QUANTITY => out.issue(
                    Role::Guests,
                    line,
                    &v,
                    "not a plausible number of guests; counted as 0",
                ),
                Some(g) if !v.is_empty() => quantity = quantity.saturating_add(g),
                Some(_) => {}
                None => out.issue(Role::Guests, line, &v, QuantityProblem::of(&v).guests()),
            }
        }

        let status = match self.status {
            None => Status::Confirmed,
            Some((c, mode)) => {
                let v = text(c);
                match mode {
                    StatusMode::CancelledFlag => match parse_flag(&v) {
                        Some(true) => Status::Cancelled,
                        Some(false) => Status::Confirmed,
                        None => {
                            out.issue(Role::Status, line, &v, "not yes/no; counted as confirmed");
                            Status::Confirmed
                        }
                    },
                    StatusMode::Words => out.status(&v).unwrap_or_else(|| {
                        out.issue(
                            Role::Status,
                            line,
                            &v,
                            "not a status Turnout knows; counted as a registration",
                        );
                        Status::Other
                    }),
                }
            }
        };

        if let Some(c) = self.price {
            let v = text(c);
            let price = if v.is_empty() {
                f64::NAN
            } else {
                parse_money(&v).unwrap_or_else(|| {
                    out.issue(Role::Price, line, &v, "not an amount of money");
                    f64::NAN
                })
            };
            if let Some(col) = out.rows.price.as_mut() {
                col.push(price);
            }
        }

        if out.rows.checked_in.is_some() {
            let mut value = NO_TIME;
            let mut unreadable = None;
            let mut marked_absent = false;
            for (k, &c) in self.checked_in.iter().enumerate() {
                let v = text(c);
                let negated = self.negated.get(k).copied().unwrap_or(false);
                // An empty `Checked in` is "not checked in"; an empty `Marked as No-Show` is
                // "not marked absent" (scheduling tools mark only the no-shows): presumed
                // come, unless the event is later than anything the file shows happened
                // ([`super::finalize::settle_presumed`]).
                if v.is_empty() {
                    if negated && value == NO_TIME {
                        value = CHECKED_IN_PRESUMED;
                    }
                    continue;
                }
                if let Some(flag) = parse_flag(&v) {
                    let came = flag != negated;
                    if came && value <= CHECKED_IN_MARKED_ABSENT {
                        value = crate::dataset::CHECKED_IN_UNKNOWN_TIME;
                    }
                    marked_absent |= negated && flag;
                } else if let Some(stamp) = self.parse_time(&v) {
                    out.evidence[TimeColumn::CheckedIn as usize].add(&stamp);
                    value = stamp.pack();
                    break;
                } else {
                    unreadable = Some(v.into_owned());
                }
            }
            if marked_absent && (value == NO_TIME || value == CHECKED_IN_PRESUMED) {
                value = CHECKED_IN_MARKED_ABSENT;
            }
            if let Some(v) = unreadable.filter(|_| value == NO_TIME) {
                out.issue(
                    Role::CheckedIn,
                    line,
                    &v,
                    "neither yes/no nor a time; read as not checked in",
                );
            }
            if let Some(col) = out.rows.checked_in.as_mut() {
                col.push(value);
            }
        }

        if let Some(col) = out.rows.event_at.as_mut()
            && self.event_parts.is_some()
        {
            let value = match self.parts_stamp(rec, self.event_parts, checked, &lossy) {
                Ok(stamp) => {
                    out.evidence[TimeColumn::Event as usize].add(&stamp);
                    stamp.pack()
                }
                Err(_) => MISSING,
            };
            col.push(value);
        }
        for (column, role, index) in [
            (
                TimeColumn::HoldExpires,
                Role::HoldExpiresAt,
                self.hold_expires_at,
            ),
            (TimeColumn::Event, Role::EventAt, self.event_at),
            (TimeColumn::Cancelled, Role::CancelledAt, self.cancelled_at),
        ] {
            let Some(c) = index else { continue };
            let v = text(c);
            // A status date counts as a cancellation time only on cancelled rows.
            let relevant = column != TimeColumn::Cancelled || status == Status::Cancelled;
            let value = if v.is_empty() || !relevant {
                MISSING
            } else if let Some(mut stamp) = self.parse_time(&v) {
                if column == TimeColumn::Event
                    && let Some(tc) = self.event_time
                {
                    let t = text(tc);
                    match timestamp::parse_time_of_day(t.as_bytes()) {
                        Some((h, m, s)) => (stamp.hour, stamp.minute, stamp.second) = (h, m, s),
                        None if t.is_empty() => {}
                        None => out.issue(
                            Role::EventTime,
                            line,
                            &t,
                            "not a time of day; the row counts for its day",
                        ),
                    }
                }
                out.evidence[column as usize].add(&stamp);
                stamp.pack()
            } else {
                out.issue(role, line, &v, "not a date and time");
                MISSING
            };
            let col = match column {
                TimeColumn::Event => out.rows.event_at.as_mut(),
                TimeColumn::Cancelled => out.rows.cancelled_at.as_mut(),
                _ => out.rows.hold_expires_at.as_mut(),
            };
            if let Some(col) = col {
                col.push(value);
            }
        }

        for (i, (_, cols, _)) in self.texts.iter().enumerate() {
            let mut value = Cow::Borrowed("");
            for &c in cols {
                let v = text(c);
                if !v.is_empty() {
                    value = v;
                    break;
                }
            }
            out.rows.texts[i].1.push(&value);
        }

        out.rows.line.push(line);
        out.rows.registered_at.push(registered);
        out.rows.quantity.push(quantity);
        out.rows.status.push(status);
        out.note_lossy(line, lossy.get());
    }

    /// A date from year, month (number or name) and day columns.
    fn parts_stamp<R: Record + ?Sized>(
        &self,
        rec: &R,
        cols: Option<[usize; 3]>,
        checked: bool,
        lossy: &Cell<u64>,
    ) -> Result<RawStamp, String> {
        let [y, m, d] = cols.ok_or("no columns")?;
        let (yv, mv, dv) = (
            field_text(rec, y, checked, lossy),
            field_text(rec, m, checked, lossy),
            field_text(rec, d, checked, lossy),
        );
        let year: u16 = yv
            .parse()
            .ok()
            .filter(|y| (1900..=2200).contains(y))
            .ok_or_else(|| format!("year '{}' ('{}') is not a year", clip(&yv), self.header(y)))?;
        let month: u8 = mv
            .parse()
            .ok()
            .filter(|m| (1..=12).contains(m))
            .or_else(|| timestamp::month_from_name(mv.as_bytes()))
            .ok_or_else(|| {
                format!(
                    "month '{}' ('{}') is not a month",
                    clip(&mv),
                    self.header(m)
                )
            })?;
        let day: u8 = dv
            .parse()
            .ok()
            .filter(|d| (1..=31).contains(d))
            .ok_or_else(|| format!("day '{}' ('{}') is not a day", clip(&dv), self.header(d)))?;
        Ok(RawStamp {
            year,
            a: month,
            b: day,
            hour: 0,
            minute: 0,
            second: 0,
            ambiguous: false,
            offset_minutes: None,
        })
    }

    fn parse_time(&self, v: &str) -> Option<RawStamp> {
        match &self.time_format {
            TimeFormat::Auto => timestamp::parse(v.as_bytes()).map(|(s, _)| s),
            TimeFormat::Order { day_first } => timestamp::parse(v.as_bytes()).map(|(mut s, _)| {
                if s.ambiguous && *day_first {
                    std::mem::swap(&mut s.a, &mut s.b);
                }
                s.ambiguous = false;
                s
            }),
            TimeFormat::Strftime(f) => strftime(f, v),
        }
    }
}

/// A field as trimmed text; invalid UTF-8 is replaced and counted in `lossy`.
/// `checked` says the record's bytes are already known to be valid UTF-8.
fn field_text<'r, R: Record + ?Sized>(
    rec: &'r R,
    c: usize,
    checked: bool,
    lossy: &Cell<u64>,
) -> Cow<'r, str> {
    let bytes = rec.get(c).unwrap_or(b"");
    if checked {
        // SAFETY: the chunk this record was parsed from is valid UTF-8, and csv-core only
        // splits it at ASCII delimiters and removes ASCII quotes, which keeps every field
        // valid UTF-8.
        return Cow::Borrowed(unsafe { std::str::from_utf8_unchecked(bytes) }.trim());
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Cow::Borrowed(s.trim()),
        Err(_) => {
            lossy.set(lossy.get() + 1);
            Cow::Owned(repair_utf8(bytes).trim().to_string())
        }
    }
}

/// Text that is UTF-8 except for stray bytes: the valid parts as they are, each stray byte
/// read as Windows-1252 (Latin-1 text pasted into a UTF-8 file: `Jo\xE3o` → `João`).
pub fn repair_utf8(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() + 8);
    for chunk in bytes.utf8_chunks() {
        out.push_str(chunk.valid());
        for &b in chunk.invalid() {
            let one = [b];
            let (c, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(&one);
            out.push_str(&c);
        }
    }
    out
}

fn strftime(format: &str, v: &str) -> Option<RawStamp> {
    let bdt = jiff::fmt::strtime::parse(format, v).ok()?;
    let offset = bdt.offset().map(|o| (o.seconds() / 60) as i16);
    let date = bdt.to_date().ok()?;
    let time = bdt.to_time().unwrap_or(jiff::civil::Time::midnight());
    Some(RawStamp {
        year: u16::try_from(date.year()).ok()?,
        a: date.month() as u8,
        b: date.day() as u8,
        hour: time.hour() as u8,
        minute: time.minute() as u8,
        second: time.second() as u8,
        ambiguous: false,
        offset_minutes: offset,
    })
}

fn clip(s: &str) -> String {
    if s.chars().count() > 40 {
        format!("{}…", s.chars().take(40).collect::<String>())
    } else {
        s.to_string()
    }
}
