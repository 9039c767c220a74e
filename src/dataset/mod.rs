//! The in-memory dataset: one columnar [`Table`] per loaded file, held together in a
//! [`Dataset`] with labels (this event, past editions). Rows keep stable [`RowId`]s so that
//! flags and manual marks can point at them.

mod columns;
pub mod events;

pub use columns::{Categorical, StrColumn, TextColumn};
pub use events::{EventDef, Events, Selection};

use serde::{Deserialize, Serialize};

use crate::import::{ImportReport, Role, Status};

/// A time column value with no time: missing, or (for `checked_in`) "did not check in".
pub const NO_TIME: i64 = i64::MIN;
/// `checked_in` value for "checked in, time unknown".
pub const CHECKED_IN_UNKNOWN_TIME: i64 = i64::MIN + 1;

/// Whether a `checked_in` value says the person came.
pub fn came(checked_in: i64) -> bool {
    checked_in != NO_TIME
}

/// What one counted registration stands for: a person (an attendee, a guest, a patient), or a
/// booking in a lodging's log, where a row books a room and says nothing of how many sleep in
/// it (hotel logs count bookings, not guests). Every number the forecast shows is in this unit,
/// and the capacity is counted in its places: seats, or rooms.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Unit {
    #[default]
    People,
    Bookings,
}

/// The words a forecast is written in, for one [`Unit`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Words {
    /// "person" / "booking", and the plural.
    pub one: &'static str,
    pub many: &'static str,
    /// Between the count and the noun in "Expect about 35 …": "" / "arriving ".
    pub arriving: &'static str,
    /// What the capacity counts: "seat" / "room", and the plural.
    pub place: &'static str,
    pub places: &'static str,
    /// "registrations" / "bookings"; "registered" / "booked".
    pub registrations: &'static str,
    pub registered: &'static str,
    /// The relative pronoun after `many`: "people who", "bookings that".
    pub who: &'static str,
    /// "come" / "arrive"; "came" / "arrived".
    pub come: &'static str,
    pub came: &'static str,
    /// "people at the door" / "bookings that arrive": who the attendance counts.
    pub at_door: &'static str,
    /// What "over capacity" means: "more people come than the venue holds" / "more bookings
    /// arrive than there are rooms".
    pub over: &'static str,
    /// "people who will come" / "bookings that will arrive".
    pub will_come: &'static str,
    /// How many to take at most: "Registrations the hall can take" / "Bookings the rooms can
    /// take".
    pub can_take: &'static str,
    /// The capacity as a place: "the venue's capacity" / "the capacity in rooms".
    pub capacity: &'static str,
    /// "the hall fills" / "the rooms fill"; "the hall overflows" / "more arrive than there are
    /// rooms".
    pub fills: &'static str,
    pub overflows: &'static str,
    /// The overflow's advice: "Open the overflow area", "Plan an overflow area", "No overflow
    /// area is needed"; a lodging's overflow is rooms at another hotel.
    pub open_overflow: &'static str,
    pub plan_overflow: &'static str,
    pub no_overflow: &'static str,
    /// "expect to turn about {n} away" / "expect about {n} to find no room": the text before
    /// and after the count.
    pub turn_away: (&'static str, &'static str),
    /// What a chart's bars count: "signups" / "bookings" (made in the bar's period).
    pub signups: &'static str,
    /// What the forecast line counts: "attendance" / "arrivals".
    pub attendance: &'static str,
    /// What the outcome column records: people "checked in", a lodging's bookings "arrived".
    pub checked_in: &'static str,
    /// What a backtest scores against: "who came" / "the bookings that arrived".
    pub scored_against: &'static str,
    /// What an event needs 20 of to be scored: "final registrations (or people counted)" /
    /// "final bookings".
    pub scored_size: &'static str,
    /// Who the flags' reference is: "people known to have come" / "bookings known to have
    /// arrived".
    pub known_came: &'static str,
    /// The Events table's note on typed counts: a door count, a night's arrivals.
    pub count_note: &'static str,
    /// A segment without a ticket type: "All registrations" / "All bookings".
    pub all: &'static str,
    /// Who calibrated a show-up rate, and where: "registrants" in "edition(s)", "bookings"
    /// on "arrival date(s)".
    pub registrants: &'static str,
    pub editions: (&'static str, &'static str, &'static str),
    /// What a segment holds: "tickets" / "bookings".
    pub tickets: &'static str,
    /// One row's act: "signup" / "booking".
    pub signup: &'static str,
}

impl Unit {
    pub const fn words(self) -> &'static Words {
        match self {
            Unit::People => &Words {
                one: "person",
                many: "people",
                arriving: "",
                place: "seat",
                places: "seats",
                registrations: "registrations",
                registered: "registered",
                who: "who",
                come: "come",
                came: "came",
                at_door: "people at the door",
                over: "more people come than the venue holds",
                will_come: "people who will come",
                can_take: "Registrations the hall can take",
                capacity: "the venue's capacity",
                fills: "the hall fills",
                overflows: "the hall overflows",
                open_overflow: "Open the overflow area",
                plan_overflow: "Plan an overflow area",
                no_overflow: "No overflow area is needed",
                turn_away: ("expect to turn about ", " away"),
                signups: "signups",
                attendance: "attendance",
                checked_in: "checked in",
                scored_against: "who came",
                scored_size: "final registrations (or people counted)",
                known_came: "people known to have come",
                count_note: "Type a past event's door count to learn walk-ins.",
                all: "All registrations",
                registrants: "registrants",
                editions: ("in", "edition", "editions"),
                tickets: "tickets",
                signup: "signup",
            },
            Unit::Bookings => &Words {
                one: "booking",
                many: "bookings",
                arriving: "arriving ",
                place: "room",
                places: "rooms",
                registrations: "bookings",
                registered: "booked",
                who: "that",
                come: "arrive",
                came: "arrived",
                at_door: "bookings that arrive",
                over: "more bookings arrive than there are rooms",
                will_come: "bookings that will arrive",
                can_take: "Bookings the rooms can take",
                capacity: "the capacity in rooms",
                fills: "the rooms fill",
                overflows: "more arrive than there are rooms",
                open_overflow: "Book rooms at another hotel",
                plan_overflow: "Line up rooms at another hotel",
                no_overflow: "No rooms elsewhere are needed",
                turn_away: ("expect about ", " to find no room"),
                signups: "bookings",
                attendance: "arrivals",
                checked_in: "arrived",
                scored_against: "the bookings that arrived",
                scored_size: "final bookings",
                known_came: "bookings known to have arrived",
                count_note: "Type a past night's arrivals counted at the desk (walk-ins \
                             included) to learn walk-ins.",
                all: "All bookings",
                registrants: "bookings",
                editions: ("on", "arrival date", "arrival dates"),
                tickets: "bookings",
                signup: "booking",
            },
        }
    }
}

impl Unit {
    /// What a user should know about the unit, where it is not people.
    pub fn note(self) -> Option<&'static str> {
        match self {
            Unit::People => None,
            Unit::Bookings => Some(
                "a lodging's log with no count of guests: every number counts rooms booked, \
                 and the capacity is rooms",
            ),
        }
    }
}

impl Words {
    /// "1 person", "6,420 people" (`n` written out already; `one`: it is 1).
    pub fn count(&self, n: &str, one: bool) -> String {
        format!("{n} {}", if one { self.one } else { self.many })
    }

    /// "35 people", "35 arriving bookings": the count the headline expects.
    pub fn arriving(&self, n: &str, one: bool) -> String {
        format!(
            "{n} {}{}",
            self.arriving,
            if one { self.one } else { self.many }
        )
    }

    /// A segment's name as shown: "All registrations · free" is "All bookings · free" in a
    /// lodging's log (the name itself, which keys the user's rates, does not change).
    pub fn segment<'a>(&self, name: &'a str) -> std::borrow::Cow<'a, str> {
        match name.strip_prefix(crate::analysis::segments::ALL_REGISTRATIONS) {
            Some(rest) if self.all != crate::analysis::segments::ALL_REGISTRATIONS => {
                format!("{}{rest}", self.all).into()
            }
            _ => name.into(),
        }
    }

    /// A backtest method's name in the log's words: "A: bookings so far × past show-up",
    /// "C: mean arrivals of past events" (JSON keeps the names as they are).
    pub fn method<'a>(&self, name: &'a str) -> std::borrow::Cow<'a, str> {
        let mut out = std::borrow::Cow::Borrowed(name);
        for (word, ours) in [
            ("registrations", self.registrations),
            ("attendance", self.attendance),
        ] {
            if word != ours && out.contains(word) {
                out = out.replace(word, ours).into();
            }
        }
        out
    }

    /// "1 seat", "120 rooms".
    pub fn places(&self, n: u64) -> String {
        let word = if n == 1 { self.place } else { self.places };
        format!("{} {word}", crate::report::thousands(n))
    }
}

/// One file's rows as columns (struct of arrays). Times are UTC seconds since 1970.
#[derive(Clone, Debug, Default)]
pub struct Rows {
    /// Line in the source file where the row starts (1-based).
    pub line: Vec<u32>,
    /// Registration time, UTC seconds; [`NO_TIME`] when the file has no time column.
    pub registered_at: Vec<i64>,
    /// Tickets on the row (already 1 + guests for RSVP exports).
    pub quantity: Vec<u32>,
    pub status: Vec<Status>,
    /// Check-in time, [`CHECKED_IN_UNKNOWN_TIME`], or [`NO_TIME`] for "did not come".
    pub checked_in: Option<Vec<i64>>,
    pub hold_expires_at: Option<Vec<i64>>,
    /// When the booked event starts, for logs where every row books its own time.
    pub event_at: Option<Vec<i64>>,
    /// When the registration was cancelled ([`NO_TIME`] when it was not, or not known).
    pub cancelled_at: Option<Vec<i64>>,
    pub price: Option<Vec<f64>>,
    /// Text roles present in the file.
    pub texts: Vec<(Role, TextColumn)>,
}

impl Rows {
    pub fn len(&self) -> usize {
        self.line.len()
    }

    pub fn is_empty(&self) -> bool {
        self.line.is_empty()
    }

    /// The column for a text role, if the file had one.
    pub fn text(&self, role: Role) -> Option<&TextColumn> {
        self.texts.iter().find(|(r, _)| *r == role).map(|(_, c)| c)
    }

    /// Appends a copy of another chunk of the same file (same columns).
    pub fn append(&mut self, other: &Rows) {
        self.line.extend_from_slice(&other.line);
        self.registered_at.extend_from_slice(&other.registered_at);
        self.quantity.extend_from_slice(&other.quantity);
        self.status.extend_from_slice(&other.status);
        append_opt(&mut self.checked_in, &other.checked_in);
        append_opt(&mut self.hold_expires_at, &other.hold_expires_at);
        append_opt(&mut self.event_at, &other.event_at);
        append_opt(&mut self.cancelled_at, &other.cancelled_at);
        append_opt(&mut self.price, &other.price);
        for (role, col) in &other.texts {
            match self.texts.iter_mut().find(|(r, _)| r == role) {
                Some((_, mine)) => mine.append(col),
                None => self.texts.push((*role, col.clone())),
            }
        }
    }

    /// Empties every column, keeping buffers for reuse.
    pub fn clear(&mut self) {
        self.line.clear();
        self.registered_at.clear();
        self.quantity.clear();
        self.status.clear();
        for v in [
            &mut self.checked_in,
            &mut self.hold_expires_at,
            &mut self.event_at,
            &mut self.cancelled_at,
        ]
        .into_iter()
        .flatten()
        {
            v.clear();
        }
        if let Some(v) = &mut self.price {
            v.clear();
        }
        for (_, c) in &mut self.texts {
            c.clear();
        }
    }

    /// Keeps the rows whose `keep` entry is `true`.
    pub fn retain(&mut self, keep: &[bool]) {
        fn filter<T: Copy>(v: &mut Vec<T>, keep: &[bool]) {
            let mut i = 0;
            v.retain(|_| {
                i += 1;
                keep[i - 1]
            });
        }
        filter(&mut self.line, keep);
        filter(&mut self.registered_at, keep);
        filter(&mut self.quantity, keep);
        filter(&mut self.status, keep);
        for v in [
            &mut self.checked_in,
            &mut self.hold_expires_at,
            &mut self.event_at,
            &mut self.cancelled_at,
        ]
        .into_iter()
        .flatten()
        {
            filter(v, keep);
        }
        if let Some(v) = &mut self.price {
            filter(v, keep);
        }
        for (_, c) in &mut self.texts {
            c.retain(keep);
        }
    }

    pub fn shrink_to_fit(&mut self) {
        self.line.shrink_to_fit();
        self.registered_at.shrink_to_fit();
        self.quantity.shrink_to_fit();
        self.status.shrink_to_fit();
        for v in [
            &mut self.checked_in,
            &mut self.hold_expires_at,
            &mut self.event_at,
            &mut self.cancelled_at,
        ]
        .into_iter()
        .flatten()
        {
            v.shrink_to_fit();
        }
        if let Some(v) = &mut self.price {
            v.shrink_to_fit();
        }
        for (_, c) in &mut self.texts {
            c.shrink_to_fit();
        }
    }

    /// Heap memory held by the columns, for the memory figures in reports.
    pub fn heap_bytes(&self) -> usize {
        self.line.capacity() * 4
            + self.registered_at.capacity() * 8
            + self.quantity.capacity() * 4
            + self.status.capacity()
            + self.checked_in.as_ref().map_or(0, |v| v.capacity() * 8)
            + self
                .hold_expires_at
                .as_ref()
                .map_or(0, |v| v.capacity() * 8)
            + self.event_at.as_ref().map_or(0, |v| v.capacity() * 8)
            + self.cancelled_at.as_ref().map_or(0, |v| v.capacity() * 8)
            + self.price.as_ref().map_or(0, |v| v.capacity() * 8)
            + self
                .texts
                .iter()
                .map(|(_, c)| c.heap_bytes())
                .sum::<usize>()
    }

    /// Whether row `i` says the person came: a check-in value or a checked-in status.
    pub fn came(&self, i: usize) -> bool {
        self.status[i] == Status::CheckedIn || self.checked_in.as_ref().is_some_and(|c| came(c[i]))
    }

    /// Whether the rows say anything about who came.
    pub fn has_checkins(&self) -> bool {
        self.checked_in.is_some() || self.status.contains(&Status::CheckedIn)
    }

    /// Tickets in rows that hold a place (see [`Status::is_active`]).
    pub fn active_tickets(&self) -> u64 {
        self.status
            .iter()
            .zip(&self.quantity)
            .filter(|(s, _)| s.is_active())
            .map(|(_, q)| *q as u64)
            .sum()
    }
}

fn append_opt<T: Copy>(a: &mut Option<Vec<T>>, b: &Option<Vec<T>>) {
    match (a.as_mut(), b) {
        (Some(a), Some(b)) => a.extend_from_slice(b),
        (None, Some(b)) => *a = Some(b.clone()),
        _ => {}
    }
}

/// Which event a file belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Edition {
    /// The event being planned.
    Current,
    /// A past edition, with its start (UTC seconds) when known.
    Past { event_start: Option<i64> },
}

/// One loaded file: its rows, where they came from and how they were read.
#[derive(Clone, Debug)]
pub struct Table {
    pub label: String,
    pub edition: Edition,
    pub rows: Rows,
    pub report: ImportReport,
}

/// Points at one row of one table of a [`Dataset`]; stable while the dataset is loaded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct RowId {
    pub table: u16,
    pub row: u32,
}

/// Every file loaded for one analysis.
#[derive(Clone, Debug, Default)]
pub struct Dataset {
    pub tables: Vec<Table>,
}

impl Dataset {
    /// What a registration counts ([`Unit`]): bookings when every file with rows is a
    /// lodging's log of bookings, people otherwise.
    pub fn unit(&self) -> Unit {
        let mut with_rows = self.tables.iter().filter(|t| !t.rows.is_empty()).peekable();
        if with_rows.peek().is_some() && with_rows.all(|t| t.report.counts == Unit::Bookings) {
            Unit::Bookings
        } else {
            Unit::People
        }
    }

    pub fn push(&mut self, table: Table) -> u16 {
        self.tables.push(table);
        (self.tables.len() - 1) as u16
    }

    /// Tables of the event being planned.
    pub fn current(&self) -> impl Iterator<Item = (u16, &Table)> {
        self.tables
            .iter()
            .enumerate()
            .filter(|(_, t)| t.edition == Edition::Current)
            .map(|(i, t)| (i as u16, t))
    }

    /// Whether no current file holds a row: none is open, or every row of those open was
    /// rejected.
    pub fn no_current_rows(&self) -> bool {
        self.current().all(|(_, t)| t.rows.is_empty())
    }

    /// Tables of past editions.
    pub fn history(&self) -> impl Iterator<Item = (u16, &Table)> {
        self.tables
            .iter()
            .enumerate()
            .filter(|(_, t)| matches!(t.edition, Edition::Past { .. }))
            .map(|(i, t)| (i as u16, t))
    }

    pub fn table(&self, id: RowId) -> &Table {
        &self.tables[id.table as usize]
    }
}

/// Hands memory freed by a big computation back to the system. Work done on many threads
/// leaves freed memory in each thread's allocator arena, where it still counts as the
/// process's; glibc keeps it until asked. Elsewhere this does nothing.
pub fn release_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: `malloc_trim` only walks glibc's own heaps; any argument is valid.
    unsafe {
        libc::malloc_trim(0);
    }
}
