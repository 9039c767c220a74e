//! Column roles: what a column means to Turnout, found from its header (English and German)
//! or, when the header says nothing, from its values.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use super::timestamp::{self, DateShape};

mod headers;
pub use headers::{is_negated_checkin, normalize_header, role_for_header};

/// What a column means. The snake-case names are used by the CLI (`--map ROLE=HEADER`),
/// the JSON report and project files.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[repr(u8)]
pub enum Role {
    /// When the registration was made (or its date, paired with `registered_time`).
    RegisteredAt,
    /// Time of day of the registration when the export writes it apart (pretix).
    RegisteredTime,
    RegistrantId,
    OrderId,
    /// Tickets on the row; 4 means four registrations.
    Quantity,
    /// Extra people on one RSVP (Meetup's `Guests`): the row counts 1 + guests.
    Guests,
    TicketType,
    Price,
    Status,
    /// Whether (or when) the person checked in.
    CheckedIn,
    Email,
    FirstName,
    LastName,
    Name,
    Phone,
    PostalCode,
    City,
    Region,
    Country,
    Source,
    Ip,
    UserAgent,
    HoldExpiresAt,
    /// When the event (appointment, reservation, session) the row books starts. Three columns
    /// mean year, month and day apart (hotel logs' `arrival_date_year`, `…_month`, `…_day`).
    EventAt,
    /// When the registration was cancelled or refunded (on rows whose status is not cancelled
    /// it is a status date and is ignored).
    CancelledAt,
    /// What splits one day's rows into several events: a location, room, neighbourhood,
    /// restaurant. Chosen by the user (`--by`), never guessed.
    Group,
    /// Days between the booking and the event, for logs that give that instead of a booking
    /// time (hotel `lead_time`): the booking time is the event time minus these days.
    LeadDays,
    /// Whether the host added the row by hand or by import (Hi.Events' `Is Manually
    /// Created`): such rows are not signups.
    AddedByHost,
    /// The zone of the registration time when the export writes it in a column of its own
    /// (`Data, Hora, Fuso horário`: `29-06-2015`, `09:15:43`, `BRT`). Used only with a
    /// date and time written apart.
    RegisteredZone,
    /// Time of day of the event when the export writes it apart from its date (`Visit Date`
    /// + `Visit Time`, `Class Date` + `Class Time`). Used only beside `event_at`.
    EventTime,
}

impl Role {
    pub const ALL: [Role; 30] = [
        Role::RegisteredAt,
        Role::RegisteredTime,
        Role::RegistrantId,
        Role::OrderId,
        Role::Quantity,
        Role::Guests,
        Role::TicketType,
        Role::Price,
        Role::Status,
        Role::CheckedIn,
        Role::Email,
        Role::FirstName,
        Role::LastName,
        Role::Name,
        Role::Phone,
        Role::PostalCode,
        Role::City,
        Role::Region,
        Role::Country,
        Role::Source,
        Role::Ip,
        Role::UserAgent,
        Role::HoldExpiresAt,
        Role::EventAt,
        Role::CancelledAt,
        Role::Group,
        Role::LeadDays,
        Role::AddedByHost,
        Role::RegisteredZone,
        Role::EventTime,
    ];
    pub const COUNT: usize = Role::ALL.len();

    pub fn name(self) -> &'static str {
        match self {
            Role::RegisteredAt => "registered_at",
            Role::RegisteredTime => "registered_time",
            Role::RegistrantId => "registrant_id",
            Role::OrderId => "order_id",
            Role::Quantity => "quantity",
            Role::Guests => "guests",
            Role::TicketType => "ticket_type",
            Role::Price => "price",
            Role::Status => "status",
            Role::CheckedIn => "checked_in",
            Role::Email => "email",
            Role::FirstName => "first_name",
            Role::LastName => "last_name",
            Role::Name => "name",
            Role::Phone => "phone",
            Role::PostalCode => "postal_code",
            Role::City => "city",
            Role::Region => "region",
            Role::Country => "country",
            Role::Source => "source",
            Role::Ip => "ip",
            Role::UserAgent => "user_agent",
            Role::HoldExpiresAt => "hold_expires_at",
            Role::EventAt => "event_at",
            Role::CancelledAt => "cancelled_at",
            Role::Group => "group",
            Role::LeadDays => "lead_days",
            Role::AddedByHost => "added_by_host",
            Role::RegisteredZone => "registered_zone",
            Role::EventTime => "event_time",
        }
    }

    /// What the role means, in words for the import review.
    pub fn label(self) -> &'static str {
        match self {
            Role::RegisteredAt => "Registration time",
            Role::RegisteredTime => "Registration time of day",
            Role::RegistrantId => "Registrant ID",
            Role::OrderId => "Order number",
            Role::Quantity => "Tickets on the row",
            Role::Guests => "Guests (plus-ones)",
            Role::TicketType => "Ticket type",
            Role::Price => "Price",
            Role::Status => "Status",
            Role::CheckedIn => "Came (check-in)",
            Role::Email => "E-mail",
            Role::FirstName => "First name",
            Role::LastName => "Last name",
            Role::Name => "Name",
            Role::Phone => "Phone",
            Role::PostalCode => "Postal code",
            Role::City => "City",
            Role::Region => "Region or state",
            Role::Country => "Country",
            Role::Source => "Source",
            Role::Ip => "IP address",
            Role::UserAgent => "Browser",
            Role::HoldExpiresAt => "Hold expires",
            Role::EventAt => "Event date and time",
            Role::CancelledAt => "Cancelled at",
            Role::Group => "Event group (location, room…)",
            Role::LeadDays => "Days booked ahead",
            Role::AddedByHost => "Added by the host",
            Role::RegisteredZone => "Time zone of the registration time",
            Role::EventTime => "Event time of day",
        }
    }

    pub fn from_name(name: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.name() == name.trim())
    }

    /// Roles that may take values from more than one column, first non-empty wins
    /// (pretix's attendee e-mail falling back to the order's e-mail).
    fn takes_fallbacks(self) -> bool {
        matches!(
            self,
            Role::Email | Role::Name | Role::CheckedIn | Role::Phone | Role::TicketType
        )
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Headers of time columns that are not the registration time (join, check-in, birth, …),
/// so value-based detection leaves them alone.
fn is_other_time(header: &str) -> bool {
    let n = normalize_header(header);
    [
        "join",
        "leave",
        "check",
        "arriv",
        "birth",
        "geburt",
        "update",
        "modif",
        "geändert",
        "payment",
        "zahlung",
        "expir",
        "until",
        "bis",
        "last",
        "letzte",
        "start",
        "end",
        "event",
        "occurrence",
        "ablauf",
        "beginn",
        "ende",
    ]
    .iter()
    .any(|w| n.contains(w))
}

/// Column indices for each role, primary first.
pub type Mapping = BTreeMap<Role, Vec<usize>>;

/// How many distinct roles a header row names; used to find the header in preambles.
pub fn header_score(cells: &[String]) -> u32 {
    let mut seen = [false; Role::COUNT];
    for c in cells {
        if let Some((role, _)) = role_for_header(c) {
            seen[role as usize] = true;
        }
    }
    let n = seen.iter().filter(|&&s| s).count() as u32;
    n + 2 * seen[Role::RegisteredAt as usize] as u32
}

/// Headers (normalized, with or without " name" / " id") that say where each row's event
/// takes place: a file of a series of events with such a column may hold several events a
/// day (two hotels' nights, a chain's stores, a clinic's neighbourhoods).
const PLACE_HEADERS: &[&str] = &[
    "hotel",
    "venue",
    "location",
    "site",
    "branch",
    "store",
    "air store",
    "hpg store",
    "shop",
    "restaurant",
    "room",
    "clinic",
    "neighbourhood",
    "neighborhood",
    "campus",
    "hall",
];

/// The first column no role reads whose header names a place (`PLACE_HEADERS`), in a file
/// whose rows carry their own event time: the column the user may want to split events by.
/// Only a hint: splitting is never done unasked (an appointment book opened with no options
/// is forecast day by day).
pub fn group_hint(headers: &[String], mapping: &Mapping) -> Option<usize> {
    if !mapping.contains_key(&Role::EventAt) || mapping.contains_key(&Role::Group) {
        return None;
    }
    let used = |c: usize| mapping.values().any(|cols| cols.contains(&c));
    headers.iter().enumerate().position(|(c, h)| {
        let n = normalize_header(h);
        let base = n
            .strip_suffix(" name")
            .or_else(|| n.strip_suffix(" id"))
            .unwrap_or(&n);
        !used(c) && PLACE_HEADERS.contains(&base)
    })
}

/// Maps headers to roles: dictionary first, then values for time and e-mail columns.
/// `samples[c]` holds sample values of column `c`.
pub fn detect(headers: &[String], samples: &[Vec<String>]) -> Mapping {
    let mut best: BTreeMap<Role, Vec<(u8, usize)>> = BTreeMap::new();
    for (i, h) in headers.iter().enumerate() {
        if let Some((role, prio)) = role_for_header(h) {
            best.entry(role).or_default().push((prio, i));
        }
    }
    let mut mapping = Mapping::new();
    for (role, mut cols) in best {
        cols.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        let keep = if role.takes_fallbacks() {
            cols.len()
        } else {
            1
        };
        mapping.insert(role, cols.iter().take(keep).map(|c| c.1).collect());
    }
    // `Estado` is a status in Spanish exports and a state (`SP`, `RJ`) in Brazilian ones:
    // the values tell which. So for headers that are a status only sometimes (`Label`,
    // `Outcome`): without status words in them, they are nothing Turnout reads.
    if let Some(&[c]) = mapping.get(&Role::Status).map(Vec::as_slice) {
        let header = normalize_header(&headers[c]);
        if ["estado", "label", "outcome"].contains(&header.as_str())
            && status_fraction(samples.get(c)) < 0.5
        {
            mapping.remove(&Role::Status);
            if header == "estado" {
                mapping.entry(Role::Region).or_insert_with(|| vec![c]);
            }
        }
    }
    // A date written as year, month and day columns (hotel logs: `arrival_date_year`, …).
    for (role, words) in [
        (
            Role::EventAt,
            &[
                "arrival",
                "visit",
                "event",
                "appointment",
                "check in",
                "stay",
            ][..],
        ),
        (
            Role::RegisteredAt,
            &["booking", "registration", "order", "reservation made"][..],
        ),
    ] {
        let Some(parts) = date_parts(headers, words) else {
            continue;
        };
        // The dictionary may have taken the day column for the whole date (`arrival_date`
        // beside `arrival_year` and `arrival_month` holds the day of the month).
        if mapping.get(&role).is_none_or(|cols| cols == &[parts[2]]) {
            mapping.insert(role, parts.to_vec());
        }
    }
    bare_date_is_the_slot(headers, samples, &mut mapping);
    pair_event_time(headers, samples, &mut mapping);
    if !mapping.contains_key(&Role::RegisteredAt) {
        let candidate = (0..headers.len())
            .filter(|&c| !is_used(&mapping, c) && !is_other_time(&headers[c]))
            .map(|c| (time_fraction(samples.get(c)), c))
            .filter(|(f, _)| *f >= 0.8)
            .max_by(|a, b| a.0.total_cmp(&b.0).then(b.1.cmp(&a.1)));
        if let Some((_, c)) = candidate {
            mapping.insert(Role::RegisteredAt, vec![c]);
        }
    }
    if !mapping.contains_key(&Role::Email) {
        let candidate = (0..headers.len())
            .filter(|&c| !is_used(&mapping, c))
            .find(|&c| email_fraction(samples.get(c)) >= 0.8);
        if let Some(c) = candidate {
            mapping.insert(Role::Email, vec![c]);
        }
    }
    // A registered_time column only makes sense beside a date, an event_time beside the
    // event's date.
    if !mapping.contains_key(&Role::RegisteredAt) {
        mapping.remove(&Role::RegisteredTime);
    }
    if !mapping.contains_key(&Role::EventAt) {
        mapping.remove(&Role::EventTime);
    }
    mapping
}

/// Whether a role already reads column `c`.
fn is_used(mapping: &Mapping, c: usize) -> bool {
    mapping.values().any(|v| v.contains(&c))
}

/// A booking tool's `Date` (and `Time`) beside a column the dictionary knows as the time of
/// the booking (`Created At`): the date is the booked slot's, not the booking's (Square-style
/// appointment lists). Only dates without a time of day; the pairing with `Time` follows.
fn bare_date_is_the_slot(headers: &[String], samples: &[Vec<String>], mapping: &mut Mapping) {
    if mapping.contains_key(&Role::EventAt) || !mapping.contains_key(&Role::RegisteredAt) {
        return;
    }
    let date = (0..headers.len()).find(|&k| {
        !is_used(mapping, k)
            && normalize_header(&headers[k]) == "date"
            && date_only_fraction(samples.get(k)) >= 0.8
    });
    if let Some(d) = date {
        mapping.insert(Role::EventAt, vec![d]);
    }
}

/// An event written as a date and a time of day in two columns named alike (`Visit Date` and
/// `Visit Time`, `Class Date` and `Class Time`): the date is `event_at`, the time
/// `event_time`. The dictionary may have taken either for the event; the values tell which
/// is which. A time of day with no date beside it dates no event and is dropped.
fn pair_event_time(headers: &[String], samples: &[Vec<String>], mapping: &mut Mapping) {
    if mapping.contains_key(&Role::EventTime) {
        return;
    }
    let Some(&[c]) = mapping.get(&Role::EventAt).map(Vec::as_slice) else {
        return;
    };
    let header = normalize_header(&headers[c]);
    // The column named like this one with `from` replaced by `to`, not taken by a role.
    let partner = |from: &str, to: &str| -> Option<usize> {
        let words: Vec<&str> = header.split(' ').collect();
        let at = words.iter().position(|w| *w == from)?;
        let mut want = words.clone();
        want[at] = to;
        let want = want.join(" ");
        (0..headers.len()).find(|&k| !is_used(mapping, k) && normalize_header(&headers[k]) == want)
    };
    if non_empty(samples.get(c)).next().is_none() {
        return;
    }
    let times_of_day = |k: usize| time_of_day_fraction(samples.get(k)) >= 0.5;
    let dates_only = |k: usize| date_only_fraction(samples.get(k)) >= 0.8;
    // Any date or time, plain numbers included (a workbook's serial day numbers).
    let dated = share(samples.get(c), |v| timestamp::parse(v.as_bytes()).is_some());
    if dated >= 0.5 {
        if dates_only(c)
            && let Some(t) = partner("date", "time").filter(|&t| times_of_day(t))
        {
            mapping.insert(Role::EventTime, vec![t]);
        }
        return;
    }
    // The dictionary's pick holds no dates (times of day, or words): the date beside it, if
    // there is one, is the event's, and this its time of day.
    let date = partner("time", "date").filter(|&d| dates_only(d));
    mapping.remove(&Role::EventAt);
    if let Some(d) = date {
        mapping.insert(Role::EventAt, vec![d]);
        if times_of_day(c) {
            mapping.insert(Role::EventTime, vec![c]);
        }
    }
}

/// Columns (year, month, day) whose headers share a prefix naming `words` and end in
/// `year`, `month` and `day of month` (or `day`, or `date`: `arrival_year`, `arrival_month`,
/// `arrival_date`).
fn date_parts(headers: &[String], words: &[&str]) -> Option<[usize; 3]> {
    let norm: Vec<String> = headers.iter().map(|h| normalize_header(h)).collect();
    for (y, h) in norm.iter().enumerate() {
        let Some(prefix) = h.strip_suffix(" year") else {
            continue;
        };
        if !words.iter().any(|w| prefix.contains(w)) {
            continue;
        }
        let find = |suffixes: &[&str]| {
            norm.iter()
                .position(|x| suffixes.iter().any(|s| *x == format!("{prefix} {s}")))
        };
        if let (Some(m), Some(d)) = (find(&["month"]), find(&["day of month", "day", "date"])) {
            return Some([y, m, d]);
        }
    }
    None
}

fn non_empty(values: Option<&Vec<String>>) -> impl Iterator<Item = &String> {
    values
        .into_iter()
        .flatten()
        .filter(|v| !v.trim().is_empty())
}

/// Share of the non-empty sample values for which `test` holds (0 without any).
fn share(values: Option<&Vec<String>>, test: impl Fn(&str) -> bool) -> f64 {
    let (mut n, mut ok) = (0, 0);
    for v in non_empty(values) {
        n += 1;
        ok += test(v.trim()) as usize;
    }
    if n == 0 { 0.0 } else { ok as f64 / n as f64 }
}

/// A date as written, not a plain number that happens to read as one (Excel serial, Unix
/// time).
fn is_written_date(shape: &timestamp::Shape) -> bool {
    !matches!(
        shape.date,
        DateShape::ExcelSerial | DateShape::UnixSeconds | DateShape::UnixMillis
    )
}

/// Share of non-empty sample values that read as a date or time (plain numbers don't count).
fn time_fraction(values: Option<&Vec<String>>) -> f64 {
    share(values, |v| {
        timestamp::parse(v.as_bytes()).is_some_and(|(_, shape)| is_written_date(&shape))
    })
}

/// Share of non-empty values that are a time of day and nothing else (`19:30`, `7:00 AM`).
fn time_of_day_fraction(values: Option<&Vec<String>>) -> f64 {
    share(values, |v| {
        timestamp::parse_time_of_day(v.as_bytes()).is_some()
    })
}

/// Share of non-empty values that are a calendar date without a time of day (or at
/// midnight: a workbook's date cell reads `2024-11-18 00:00:00`).
fn date_only_fraction(values: Option<&Vec<String>>) -> f64 {
    share(values, |v| {
        timestamp::parse(v.as_bytes()).is_some_and(|(stamp, shape)| {
            (shape.time == timestamp::TimeShape::None
                || (stamp.hour, stamp.minute, stamp.second) == (0, 0, 0))
                && is_written_date(&shape)
        })
    })
}

fn status_fraction(values: Option<&Vec<String>>) -> f64 {
    share(values, |v| super::values::Status::parse(v).is_some())
}

fn email_fraction(values: Option<&Vec<String>>) -> f64 {
    share(values, |v| {
        v.find('@')
            .is_some_and(|at| at > 0 && v[at + 1..].contains('.') && !v.contains(' '))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(headers: &[&str]) -> Mapping {
        let h: Vec<String> = headers.iter().map(|s| s.to_string()).collect();
        detect(&h, &vec![vec![]; h.len()])
    }

    fn header_of(m: &Mapping, headers: &[&str], role: Role) -> Option<String> {
        m.get(&role).map(|c| headers[c[0]].to_string())
    }

    #[test]
    fn a_column_that_names_the_place_is_offered_for_splitting_events() {
        fn hint<'a>(headers: &[&'a str]) -> Option<&'a str> {
            let h: Vec<String> = headers.iter().map(|s| s.to_string()).collect();
            group_hint(&h, &map(headers)).map(|c| headers[c])
        }
        // A series (rows carry their event time) with a place column: offered, not applied.
        let hotel = ["hotel", "arrival_date", "lead_time", "is_canceled"];
        assert_eq!(hint(&hotel), Some("hotel"));
        assert!(!map(&hotel).contains_key(&Role::Group));
        let chain = ["air_store_id", "visit_datetime", "reserve_datetime"];
        assert_eq!(hint(&chain), Some("air_store_id"));
        let clinic = ["ScheduledDay", "AppointmentDay", "Neighbourhood", "No-show"];
        assert_eq!(hint(&clinic), Some("Neighbourhood"));
        assert_eq!(
            hint(&["Order date", "Event date", "Venue Name"]),
            Some("Venue Name")
        );
        // One event per file (no event time), or no place column: nothing to offer.
        assert_eq!(hint(&["Order date", "Venue Name", "Email"]), None);
        assert_eq!(hint(&["ScheduledDay", "AppointmentDay", "Age"]), None);
    }

    #[test]
    fn restaurant_bookings_say_how_many_people() {
        for h in [
            "reserve_visitors",
            "Party Size",
            "Number of guests",
            "PAX",
            "Covers",
        ] {
            assert_eq!(role_for_header(h).map(|r| r.0), Some(Role::Quantity), "{h}");
        }
    }

    #[test]
    fn zoom_join_time_is_not_the_registration_time() {
        let h = [
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
        ];
        let m = map(&h);
        assert_eq!(
            header_of(&m, &h, Role::RegisteredAt).as_deref(),
            Some("Registration Time")
        );
        assert_eq!(
            header_of(&m, &h, Role::CheckedIn).as_deref(),
            Some("Attended")
        );
        assert_eq!(
            header_of(&m, &h, Role::Status).as_deref(),
            Some("Approval Status")
        );
        assert_eq!(
            header_of(&m, &h, Role::Country).as_deref(),
            Some("Country/Region Name")
        );
    }

    #[test]
    fn eventbrite_prefers_ticket_type_over_price_tier() {
        let h = [
            "Order #",
            "Order Date",
            "First Name",
            "Last Name",
            "Email",
            "Quantity",
            "Price Tier",
            "Ticket Type",
            "Attendee #",
            "Attendee Status",
        ];
        let m = map(&h);
        assert_eq!(
            header_of(&m, &h, Role::TicketType).as_deref(),
            Some("Ticket Type")
        );
        assert_eq!(header_of(&m, &h, Role::OrderId).as_deref(), Some("Order #"));
        assert_eq!(
            header_of(&m, &h, Role::RegistrantId).as_deref(),
            Some("Attendee #")
        );
    }

    #[test]
    fn german_pretix_date_and_time_pair() {
        let h = [
            "Bestellnummer",
            "Bestelldatum",
            "Bestelluhrzeit",
            "E-Mail Teilnehmer*in",
        ];
        let m = map(&h);
        assert_eq!(
            header_of(&m, &h, Role::RegisteredAt).as_deref(),
            Some("Bestelldatum")
        );
        assert_eq!(
            header_of(&m, &h, Role::RegisteredTime).as_deref(),
            Some("Bestelluhrzeit")
        );
        assert_eq!(
            header_of(&m, &h, Role::Email).as_deref(),
            Some("E-Mail Teilnehmer*in")
        );
    }

    #[test]
    fn values_find_unnamed_time_and_email_columns() {
        let h: Vec<String> = ["Wann", "Wer", "Kontakt"].map(String::from).to_vec();
        let samples = vec![
            vec!["01.02.2024 10:00".into(), "02.02.2024 11:30".into()],
            vec!["Anna".into(), "Ben".into()],
            vec!["anna@example.org".into(), "ben@example.org".into()],
        ];
        let m = detect(&h, &samples);
        assert_eq!(m.get(&Role::RegisteredAt), Some(&vec![0]));
        assert_eq!(m.get(&Role::Email), Some(&vec![2]));
    }

    #[test]
    fn normalization() {
        assert_eq!(normalize_header("Has Arrived (YES/NO)"), "has arrived");
        assert_eq!(normalize_header("\u{feff}checked_in_at"), "checked in at");
        assert_eq!(normalize_header("  E-Mail  "), "e mail");
    }
}
