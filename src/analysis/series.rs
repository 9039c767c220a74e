//! Every event of the loaded files in compact form, for forecasting one event from the events
//! before it and for walk-forward backtests.
//!
//! Each event keeps its registrations as [`Reg`]s sorted by time: when made, when cancelled,
//! how many tickets, whether the holder came, whether flagged. That is enough to see any past
//! event exactly as it looked `h` days before its start ([`Series::at_horizon`]): the
//! registrations active then, the ones still to come, and who came. Past and present are
//! measured alike: a registration counts from its signup until its cancellation; a cancelled
//! one without a cancellation time counts until the start and as not coming.

use serde::Serialize;

use super::combine::{PairMiss, W_MUL, prior_weight, weight_from_misses};
use super::segments::{LEAD_UNKNOWN, lead_bucket};
use crate::dataset::NO_TIME;

pub const DAY: i64 = 86_400;
/// An event's outcome is known one day after its start.
pub const OUTCOME_DELAY: i64 = DAY;
/// Recency: an event's weight halves every this many more recent starts (events that start
/// together, a day's groups, are equally recent), unless the series' own history says a
/// longer memory predicts it better ([`Series::half_life_at`]). Real booking logs drift (a
/// season, a clinic's growing book): with a half-life of 7 rather than 10, `bench/backtest.sh`
/// scored better in 7 of its 8 real cells (Turnout / best baseline: appointments by day 0.79 →
/// 0.77 a week out, 0.90 → 0.87 a day out; City hotel 0.86 → 0.84, 0.95 → 0.93; Resort 1 d
/// 0.91 → 0.90; by neighbourhood 0.912 → 0.908, 0.905 → 0.904; Resort 7 d 0.86 → 0.89
/// worse). Choosing among 5, 10 or 20 by how each would have missed the series' recent events
/// did no better than 7 anywhere and worse by neighbourhood (one day's shared shock picks it).
pub const HALF_LIFE_EVENTS: f64 = 7.0;
/// Longer memories a series may earn ([`Series::half_life_at`]): a restaurant whose nights
/// scatter around a steady level is known better from months of nights than from its last
/// week.
pub const LONGER_HALF_LIVES: [f64; 2] = [14.0, 28.0];
/// How much less a longer memory must have missed (relative) to be chosen over
/// [`HALF_LIFE_EVENTS`], and on how many past events at least.
const MEMORY_MARGIN: f64 = 0.02;
const MEMORY_MIN_EVENTS: usize = 20;
/// Most recent past events of the whole series, and of the event's own group, looked at
/// (older ones weigh less than a millionth).
pub const RECENT_EVENTS: usize = 240;
/// Days of signups before a point that say how fast the event is still filling.
pub const PACE_DAYS: i64 = 3;
/// A group's own past events looked at, per [`HALF_LIFE_EVENTS`] of memory: 40 at a half-life
/// of 7 (a weight of 1/50 for the oldest), 160 at 28.
pub const RECENT_GROUP_EVENTS: usize = 40;
/// How many times its limit of events a lookback may hold when the oldest start it takes is
/// shared by many events (see `Series::recent_in`).
const TIED_MAX: usize = 4;

/// One registration row, as the forecast needs it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Reg {
    /// Signup time (UTC seconds).
    pub t: i64,
    /// Seconds from signup to cancellation; [`Reg::FOREVER`] when it never ended (kept small:
    /// a million of these are held for the event in focus).
    pub held: u32,
    pub qty: u32,
    /// Segment index (as in the aggregates).
    pub seg: u32,
    pub came: bool,
    pub flagged: bool,
    /// Awaiting approval or on a waiting list: not holding a place yet.
    pub pool: bool,
    /// Cancelled (with its time in `end`, or without a time: then it counts as a registration
    /// that did not come, as past events are measured).
    pub cancelled: bool,
}

impl Reg {
    /// `held` of a registration that never ended.
    pub const FOREVER: u32 = u32::MAX;

    /// `held` for a registration at `t` ending at `end` (`i64::MAX`: never). A registration
    /// without a signup time ([`UNDATED`]) has no time to count from: its `held` is its end in
    /// minutes since 1970 (so a guest list's row cancelled on 3 May counts until 3 May, not as
    /// cancelled before anything was dated).
    pub fn held_until(t: i64, end: i64) -> u32 {
        let most = (u32::MAX - 1) as i64;
        if end == i64::MAX {
            Reg::FOREVER
        } else if t == UNDATED {
            (end / 60).clamp(0, most) as u32
        } else {
            end.saturating_sub(t).clamp(0, most) as u32
        }
    }

    /// When the registration ended (`i64::MAX`: never).
    pub fn end(&self) -> i64 {
        if self.held == Reg::FOREVER {
            i64::MAX
        } else if self.t == UNDATED {
            self.held as i64 * 60
        } else {
            self.t.saturating_add(self.held as i64)
        }
    }

    /// Cancelled or declined without a time: counted as a registration that does not come (as
    /// past events are measured), holding nobody's place. A cancellation with a time holds
    /// its place until then (a replay of a hotel's book).
    pub fn withdrawn(&self) -> bool {
        self.cancelled && self.held == Reg::FOREVER
    }
}

/// One event of the series.
#[derive(Clone, Debug, Default)]
pub struct SeriesEvent {
    pub label: String,
    pub group: String,
    /// Start (UTC seconds), `None` when unknown.
    pub start: Option<i64>,
    /// Signups until this long after the start still count (a day for date-only events).
    pub grace: i64,
    /// Registrations sorted by signup time.
    pub regs: Vec<Reg>,
    /// Whether the files say who came.
    pub has_checkins: bool,
    /// The total people counted at the door, when known (registrants and walk-ins).
    pub headcount: Option<u64>,
    /// The event the dashboard and report focus on.
    pub focus: bool,
    /// Local day of the week of the start (0 = Monday), when known.
    pub weekday: Option<u8>,
    /// Local day of the start (days since 1970-01-01), when known.
    pub day: Option<i64>,
}

impl SeriesEvent {
    /// When it stops taking bookings: its start, or the end of its day for an event of dates
    /// only ([`SeriesEvent::grace`]).
    pub fn close(&self) -> Option<i64> {
        self.start.map(|s| s + self.grace)
    }

    /// How the event is called on screen: its label, with its group when the label does not
    /// already say it (`2016-05-02 · CENTRO`).
    pub fn display_name(&self) -> String {
        if self.group.is_empty() || self.label.contains(&self.group) {
            self.label.clone()
        } else {
            format!("{} · {}", self.label, self.group)
        }
    }

    /// Whether its outcome is known at instant `at` (it started at least a day before, and
    /// check-ins or a headcount say who came).
    pub fn outcome_known(&self, at: i64) -> bool {
        self.start.is_some_and(|s| s + OUTCOME_DELAY <= at)
            && (self.has_checkins || self.headcount.is_some())
    }

    /// Genuine tickets that came, or `None` when the files do not say.
    pub fn came(&self) -> Option<f64> {
        self.has_checkins.then(|| {
            self.regs
                .iter()
                .filter(|r| r.came && !r.flagged && !r.pool)
                .map(|r| r.qty as f64)
                .sum()
        })
    }

    /// People who came: the headcount when known, else the registrants who came.
    pub fn attendance(&self) -> Option<f64> {
        self.headcount.map(|h| h as f64).or_else(|| self.came())
    }
}

/// What a past event looked like `h` seconds before its start (genuine tickets only).
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct AtHorizon {
    /// Active then.
    pub x: f64,
    /// Of those, still active at the start.
    pub x_kept: f64,
    /// Of those, came.
    pub x_came: f64,
    /// Of those active then, registered in the [`PACE_DAYS`] before.
    pub recent: f64,
    /// Registered after then and active at the start.
    pub late: f64,
    /// Of those, came.
    pub late_came: f64,
    /// Active at the start: final registrations.
    pub fin: f64,
    /// Registrants who came, when check-ins say.
    pub came: Option<f64>,
    /// People counted at the door, when known.
    pub headcount: Option<f64>,
    /// Local day of the week of the start (0 = Monday).
    #[serde(skip)]
    pub weekday: Option<u8>,
    /// How much its pickup counts for the event being forecast, set by
    /// [`HistoryAt::new`](super::history::HistoryAt::new): the forecast day's size against its
    /// day's, when days hold several events; else 1.
    #[serde(skip)]
    pub pickup_scale: f64,
    /// The same for its registrations still to come, which follow the day's registrations
    /// further where most who come walk in ([`DayOutlook::walk_ins`]).
    #[serde(skip)]
    pub regs_scale: f64,
}

impl AtHorizon {
    /// What the forecast of registrants' attendance is about: registrants who came, or the
    /// headcount when only that is known (walk-ins then cannot be told apart).
    pub fn target(&self) -> Option<f64> {
        self.came.or(self.headcount)
    }

    /// How big the event was, for deciding whether its percentage error means anything: its
    /// final registrations, or the people counted at the door when more (a restaurant with
    /// three reservations and forty guests is a forty-person event).
    pub fn size(&self) -> f64 {
        self.fin.max(self.headcount.unwrap_or(0.0))
    }

    /// People beyond the registrants who came: headcount minus registrants who came.
    pub fn walk_ins(&self) -> Option<f64> {
        Some((self.headcount? - self.came?).max(0.0))
    }
}

/// Every event of the loaded files.
#[derive(Clone, Debug, Default)]
pub struct Series {
    pub events: Vec<SeriesEvent>,
    /// Whether events come from per-row event times (a series) rather than files.
    pub per_row: bool,
    /// Events with a start, by start; and the same per group.
    order: Vec<usize>,
    by_group: rustc_hash::FxHashMap<String, Vec<usize>>,
    /// Local days that hold several events, in order, with their tickets.
    days: Vec<(i64, DayTickets)>,
    /// How much more a count of tickets varies than one of single tickets, because tickets
    /// come in orders (a table for four, a family's booking): Σ quantity² / Σ quantity over
    /// the genuine registrations, 1 when every order is one ticket.
    pub clump: f64,
    /// How each memory would have predicted the series' past events ([`Series::half_life_at`]):
    /// (when the event's outcome was known, running sums of the squared misses at
    /// [`HALF_LIFE_EVENTS`] and at each of [`LONGER_HALF_LIVES`]), in order of that time.
    memory: Vec<(i64, [f64; 3])>,
    /// Whether the group column splits the series into crumbs ([`Series::crumbled_groups`]).
    crumbs: Option<CrumbledGroups>,
    /// Past events as they stood whole days before their start, once asked for.
    seen: HorizonCache,
}

/// Events with fewer registrations than this are walked again rather than looked up: a
/// restaurant's night of three reservations is counted faster than a locked table is searched
/// (346,040 such events: 111 s walked, 142 s and 270 MB more cached).
const CACHED_REGS: usize = 64;

/// [`Series::at_horizon`], kept once computed. The backtest and the events list look at every
/// past event as it stood 1 and 7 days before its start, once for every later forecast whose
/// lookback holds it (up to 280 of them): on a clinic's book of a million appointments by
/// neighbourhood that walk over each past event's registrations was three quarters of the
/// report's time. The report's forecasts "as of now" look at hours-and-minutes horizons, one
/// per upcoming start, shared by the start's groups (a day's 79 neighbourhoods) and by the 40
/// past forecasts that calibrate each interval: those are kept too, but only up to
/// [`HORIZONS_KEPT`] at a time, as the app asks for a new "now" at every replay. A series is
/// not changed once built, so an entry never goes stale; a clone starts empty.
#[derive(Default)]
struct HorizonCache(std::sync::Mutex<KeptHorizons>);

/// What [`HorizonCache`] keeps.
#[derive(Default)]
struct KeptHorizons {
    /// Whole-day horizons, kept for the series' life.
    days: rustc_hash::FxHashMap<(usize, i64), Option<AtHorizon>>,
    /// Any other horizon, emptied when it holds [`HORIZONS_KEPT`].
    other: rustc_hash::FxHashMap<(usize, i64), Option<AtHorizon>>,
    /// The last answer of [`Series::known_before`], by its (at, before): the backtest
    /// forecasts a day's events one after another, each as of the same instant, and a
    /// restaurant chain's day holds 800 store-nights that share one midnight start.
    last_known: Option<((i64, i64), Vec<usize>)>,
}

/// How many events at horizons other than whole days [`HorizonCache`] keeps before it starts
/// over (about 10 MB).
const HORIZONS_KEPT: usize = 1 << 16;

impl Clone for HorizonCache {
    fn clone(&self) -> HorizonCache {
        HorizonCache::default()
    }
}

impl std::fmt::Debug for HorizonCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("HorizonCache")
    }
}

/// The genuine tickets of one local day's events, as cumulative sums over signup and end
/// times: what was active at any instant in two binary searches.
#[derive(Clone, Debug, Default)]
struct DayTickets {
    /// (signup time, tickets signed up until then), sorted by time.
    signups: Vec<(i64, f64)>,
    /// (end time, tickets ended until then), sorted; registrations never ended are left out.
    ends: Vec<(i64, f64)>,
    /// When all its events' outcomes are known.
    known: i64,
    /// People counted at the door across its events, when every one of them was counted and
    /// none has check-ins: who came is then not made of the registrations, and how the day's
    /// pickup follows its size is measured on the counts.
    counted: Option<f64>,
}

/// A group column that splits a series into crumbs ([`Series::crumbled_groups`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CrumbledGroups {
    /// Events with a group.
    pub events: usize,
    /// Distinct values of the column.
    pub groups: usize,
    /// Values that make one event only.
    pub one_day: usize,
    /// Registrations in those events (every status).
    pub registrations: usize,
}

/// Below this many values a column is not called crumbs, however small its events: a
/// handful of rooms on a quiet week is a grouping.
const CRUMBS_MIN_GROUPS: usize = 20;

/// How a group column splits a series' `events`, when it splits them into crumbs: events of
/// fewer than two registrations on average, most of the column's values on one day only.
/// That is a column naming each person or booking (`--by PatientId`), not a place, room or
/// session; each crumb is forecast from the rest of the series and says little alone.
fn crumbs_of(
    events: &[SeriesEvent],
    by_group: &rustc_hash::FxHashMap<String, Vec<usize>>,
) -> Option<CrumbledGroups> {
    let (mut n_events, mut registrations) = (0usize, 0usize);
    for e in events.iter().filter(|e| !e.group.is_empty()) {
        n_events += 1;
        registrations += e.regs.len();
    }
    let (mut groups, mut one_day) = (0usize, 0usize);
    for (g, list) in by_group {
        if !g.is_empty() {
            groups += 1;
            one_day += usize::from(list.len() == 1);
        }
    }
    (groups >= CRUMBS_MIN_GROUPS && registrations < 2 * n_events && 2 * one_day > groups).then_some(
        CrumbledGroups {
            events: n_events,
            groups,
            one_day,
            registrations,
        },
    )
}

/// How an event's whole day stands, when it holds several events ([`Series::day_outlook`]).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct DayOutlook {
    /// The local day.
    pub day: i64,
    /// Genuine tickets active across the day now.
    pub active: f64,
    /// How closely pickup follows the day's size (0: not at all; 1: in proportion), learned
    /// as the combination's weight is ([`weight_from_misses`]) on past days' pickup.
    pub weight: f64,
    /// The same for the registrations still to come, learned on past days' signups (the same
    /// weight but where days are counted at the door).
    pub regs_weight: f64,
    /// Whether most of the past days it looked at were counted at the door, and their
    /// registrations were under half of the people counted: there the registrations are one
    /// way in among others (a restaurant's reservations beside its walk-ins), not most of who
    /// comes (a conference's rooms counted at the door).
    pub walk_ins: bool,
}

impl DayTickets {
    fn new(events: &[SeriesEvent], list: &[usize]) -> DayTickets {
        let mut d = DayTickets {
            known: i64::MIN,
            counted: Some(0.0),
            ..DayTickets::default()
        };
        for &i in list {
            let ev = &events[i];
            d.counted = match (d.counted, ev.headcount) {
                (Some(sum), Some(n)) if !ev.has_checkins => Some(sum + n as f64),
                _ => None,
            };
            let start = ev.start.unwrap_or(i64::MIN);
            d.known = d.known.max(start.saturating_add(OUTCOME_DELAY));
            // A registration that ended as it was made was never active.
            for r in ev
                .regs
                .iter()
                .filter(|r| !r.flagged && !r.pool && r.held > 0)
            {
                d.signups.push((r.t, r.qty as f64));
                if r.held != Reg::FOREVER {
                    d.ends.push((r.end(), r.qty as f64));
                }
            }
        }
        for v in [&mut d.signups, &mut d.ends] {
            v.sort_unstable_by_key(|e| e.0);
            let mut total = 0.0;
            for e in v.iter_mut() {
                total += e.1;
                e.1 = total;
            }
        }
        d
    }

    /// Of `v` (cumulative), the total before `at` (or at it, `inclusive`).
    fn until(v: &[(i64, f64)], at: i64, inclusive: bool) -> f64 {
        let k = v.partition_point(|&(t, _)| if inclusive { t <= at } else { t < at });
        if k == 0 { 0.0 } else { v[k - 1].1 }
    }

    /// Tickets signed up before `at` and not ended by then.
    fn active_at(&self, at: i64) -> f64 {
        (Self::until(&self.signups, at, false) - Self::until(&self.ends, at, true)).max(0.0)
    }

    /// Tickets signed up from `at` on.
    fn signups_from(&self, at: i64) -> f64 {
        self.signups.last().map_or(0.0, |l| l.1) - Self::until(&self.signups, at, false)
    }
}

impl Series {
    /// A series of `events` with its lookups built.
    pub fn new(events: Vec<SeriesEvent>, per_row: bool) -> Series {
        let mut order: Vec<usize> = (0..events.len())
            .filter(|&i| events[i].start.is_some())
            .collect();
        order.sort_by_key(|&i| (events[i].start, i));
        let mut by_group: rustc_hash::FxHashMap<String, Vec<usize>> = Default::default();
        for &i in &order {
            by_group.entry(events[i].group.clone()).or_default().push(i);
        }
        // Days that hold several events (a day's groups): their tickets, for the day's size.
        let mut by_day: std::collections::BTreeMap<i64, Vec<usize>> = Default::default();
        for &i in &order {
            if let Some(day) = events[i].day {
                by_day.entry(day).or_default().push(i);
            }
        }
        let days = by_day
            .into_iter()
            .filter(|(_, list)| list.len() >= 2)
            .map(|(day, list)| (day, DayTickets::new(&events, &list)))
            .collect();
        let (q1, q2) = events
            .iter()
            .flat_map(|e| &e.regs)
            .filter(|r| !r.flagged && !r.pool)
            .fold((0.0f64, 0.0f64), |(a, b), r| {
                let q = r.qty as f64;
                (a + q, b + q * q)
            });
        let clump = if q1 > 0.0 { (q2 / q1).max(1.0) } else { 1.0 };
        let memory = memory_misses(&events, &by_group);
        let crumbs = if per_row {
            crumbs_of(&events, &by_group)
        } else {
            None
        };
        Series {
            crumbs,
            events,
            per_row,
            order,
            by_group,
            days,
            clump,
            memory,
            seen: HorizonCache::default(),
        }
    }

    /// The half-life (in events) that past events are weighted by as of `at`:
    /// [`HALF_LIFE_EVENTS`], or a longer one of [`LONGER_HALF_LIVES`] where that would have
    /// predicted the events known by then better. Each event's attendance is predicted from
    /// its group's earlier events (recency-weighted means), and the memory whose predictions
    /// missed least in all (squared misses, which part a drift from noise more sharply than
    /// absolute ones), by `MEMORY_MARGIN` at least, over `MEMORY_MIN_EVENTS` or more, is
    /// chosen. A series that drifts (a hotel's season, a growing clinic) keeps the short
    /// memory; one whose events scatter around a steady level (a restaurant's nights) earns a
    /// long one, which averages out their noise. (On the real logs 14 and 28 missed 2–16%
    /// more than 7; on the synthetic restaurants 3–4% less.)
    pub fn half_life_at(&self, at: i64) -> f64 {
        let n = self.memory.partition_point(|m| m.0 <= at);
        if n < MEMORY_MIN_EVENTS {
            return HALF_LIFE_EVENTS;
        }
        let misses = self.memory[n - 1].1;
        let mut best = (HALF_LIFE_EVENTS, misses[0] * (1.0 - MEMORY_MARGIN));
        for (k, &hl) in LONGER_HALF_LIVES.iter().enumerate() {
            if misses[k + 1] < best.1 {
                best = (hl, misses[k + 1]);
            }
        }
        best.0
    }

    /// How the event group column splits the series, when it splits it into crumbs
    /// (fewer than two registrations per event, most values on one day only); measured once,
    /// when the series is built.
    pub fn crumbled_groups(&self) -> Option<CrumbledGroups> {
        self.crumbs
    }

    /// Events with a start, in start order.
    pub fn in_order(&self) -> &[usize] {
        &self.order
    }

    /// How many events are still to come at `now` (taking bookings until their close),
    /// whether or not a list of them is cut short.
    pub fn upcoming_at(&self, now: i64) -> usize {
        self.events
            .iter()
            .filter(|e| e.close().is_some_and(|c| c > now))
            .count()
    }

    /// Up to `limit` events of `list` (in start order) whose outcome is known at `at` and
    /// that start before `before`, newest first; the oldest start taken is taken whole, so
    /// that which of a day's groups are in does not depend on file order. A start shared by
    /// more events than [`TIED_MAX`] times `limit` allows is thinned evenly over the file
    /// instead (a book grouped by a patient's id holds 3,000 one-visit events a day: taken
    /// whole, every forecast read them all, and a 200,000-row file took minutes to report).
    fn recent_in(&self, list: &[usize], at: i64, before: i64, limit: usize) -> Vec<usize> {
        let cut = list.partition_point(|&i| {
            self.events[i]
                .start
                .is_some_and(|s| s < before && s + OUTCOME_DELAY <= at)
        });
        let most = limit.saturating_mul(TIED_MAX).max(1);
        let mut out: Vec<usize> = Vec::with_capacity(limit.min(cut));
        let known = |j: &&usize| self.events[**j].outcome_known(at);
        // One start at a time, newest first: the events of the start of list[k - 1] are
        // list[first..k].
        let mut k = cut;
        while k > 0 && out.len() < limit {
            // The events sharing that start lie just before it in the list: walked back to
            // the first (a search would read as many events again, one at a time out of
            // cache, for every start of a store's 160 past nights).
            let start = self.events[list[k - 1]].start;
            let mut first = k - 1;
            while first > 0 && self.events[list[first - 1]].start == start {
                first -= 1;
            }
            let room = most.saturating_sub(out.len());
            let mark = out.len();
            out.extend(list[first..k].iter().rev().filter(known));
            let n = out.len() - mark;
            if n > room {
                // `room` of the `n`, evenly spread over them.
                let kept: Vec<usize> = out.drain(mark..).collect();
                out.extend((0..room).map(|m| kept[m * n / room]));
            }
            k = first;
        }
        out
    }

    /// Event `e` as it stood `h` seconds before its start. `None` without a start.
    pub fn at_horizon(&self, e: usize, h: i64) -> Option<AtHorizon> {
        if self.events[e].regs.len() < CACHED_REGS {
            return self.walk_at_horizon(e, h);
        }
        let Ok(mut kept) = self.seen.0.lock() else {
            return self.walk_at_horizon(e, h);
        };
        let map = if h % DAY == 0 {
            &mut kept.days
        } else {
            if kept.other.len() >= HORIZONS_KEPT {
                kept.other.clear();
            }
            &mut kept.other
        };
        *map.entry((e, h))
            .or_insert_with(|| self.walk_at_horizon(e, h))
    }

    /// [`Series::at_horizon`], counted from the event's registrations.
    fn walk_at_horizon(&self, e: usize, h: i64) -> Option<AtHorizon> {
        let ev = &self.events[e];
        let start = ev.start?;
        let cut = start - h;
        // Date-only events last the day: signups during it count.
        let close = start + ev.grace;
        let mut a = AtHorizon::default();
        for r in ev.regs.iter().filter(|r| !r.flagged && !r.pool) {
            let q = r.qty as f64;
            let active_at_start = r.end() > start.max(r.t.min(close));
            let came = r.came && active_at_start;
            // Made after it closed and came: registered at the door (a webinar joined late);
            // counted with the pickup and the final registrations, as it is with who came.
            let counted = active_at_start && (r.t <= close || came);
            if r.t < cut {
                if r.end() > cut {
                    a.x += q;
                    if r.t >= cut - PACE_DAYS * DAY {
                        a.recent += q;
                    }
                    if active_at_start {
                        a.x_kept += q;
                    }
                    if came {
                        a.x_came += q;
                    }
                }
            } else if counted {
                a.late += q;
                if came {
                    a.late_came += q;
                }
            }
            if counted {
                a.fin += q;
            }
        }
        a.came = ev.has_checkins.then_some(a.x_came + a.late_came);
        a.headcount = ev.headcount.map(|h| h as f64);
        a.weekday = ev.weekday;
        a.pickup_scale = 1.0;
        a.regs_scale = 1.0;
        Some(a)
    }

    /// The tickets of event `e`'s local day, when it holds several events.
    fn day_tickets(&self, e: usize) -> Option<&DayTickets> {
        let day = self.events[e].day?;
        let k = self.days.binary_search_by_key(&day, |d| d.0).ok()?;
        Some(&self.days[k].1)
    }

    /// Genuine tickets active at `at` across every event of event `e`'s local day, when the
    /// day holds several events.
    pub fn day_active_at(&self, e: usize, at: i64) -> Option<f64> {
        self.day_tickets(e).map(|d| d.active_at(at))
    }

    /// How big event `e`'s day was at `at`: the genuine tickets active then across its
    /// events, or the event's own when it was alone that day.
    pub fn day_size(&self, e: usize, at: i64) -> f64 {
        self.day_active_at(e, at)
            .unwrap_or_else(|| self.active_at(e, at))
    }

    /// How event `e`'s whole day stands as of `as_of`, and what past days, each seen as many
    /// days before as it lies before this one, say about it; `None` when the day holds one
    /// event.
    ///
    /// A day's neighbourhoods or restaurants share its fortunes: a holiday, a clinic's short
    /// week, the first day of a booking system, the day of the week. Summed over the day, the
    /// tickets on the books are a far less noisy sign of that than one group's few.
    pub fn day_outlook(&self, e: usize, as_of: i64) -> Option<DayOutlook> {
        let day = self.events[e].day?;
        let now = self.day_tickets(e)?;
        let active = now.active_at(as_of);
        let end = self.days.partition_point(|d| d.0 < day);
        // (tickets active as many days before `as_of` as the day lies before this one, and
        // what followed: signups after that point, or the people counted where the
        // registrations do not say who came. A restaurant's walk-ins are scaled with the day's
        // size only as far as past days' counts followed it: where stores joined the
        // reservation system through the year, the day's reservations grew and its guests did
        // not.)
        // The signups after that point are kept apart as well: the registrations still to
        // come follow the day's registrations even where who came is counted at the door,
        // and learn their own weight from them.
        // (And how many of the days were counted, with their people and signups.)
        let (mut counted, mut counted_people, mut counted_signups) = (0, 0.0, 0.0);
        let mut past: Vec<(f64, f64, f64)> = self.days[..end]
            .iter()
            .rev()
            .filter(|d| d.1.known <= as_of)
            .take(RECENT_GROUP_EVENTS)
            .map(|&(d, ref t)| {
                if let Some(n) = t.counted {
                    counted += 1;
                    counted_people += n;
                    counted_signups += t.signups.last().map_or(0.0, |l| l.1);
                }
                let cut = as_of - (day - d) * DAY;
                let signups = t.signups_from(cut);
                (t.active_at(cut), t.counted.unwrap_or(signups), signups)
            })
            .collect();
        past.reverse();
        // The weight: that of the multiplicative estimate of a day's pickup that would have
        // missed the most recent days least, each forecast from the days before it.
        // Recency-weighted sums of the days before each, kept as running sums (each step
        // ages the earlier days by one rank).
        let fade = recency_weight(1, HALF_LIFE_EVENTS);
        let (mut people, mut regs, mut tickets, mut weight) = (0.0, 0.0, 0.0, 0.0);
        let mut misses = Vec::with_capacity(past.len());
        let mut misses_regs = Vec::with_capacity(past.len());
        for (j, &(x, came, signed)) in past.iter().enumerate() {
            if j > 0 && tickets > 0.0 {
                misses.push(PairMiss::new(came, people / weight, x * people / tickets));
                misses_regs.push(PairMiss::new(signed, regs / weight, x * regs / tickets));
            }
            people = people * fade + came;
            regs = regs * fade + signed;
            tickets = tickets * fade + x;
            weight = weight * fade + 1.0;
        }
        // The prior, as for one event's two estimates: mostly additive for a day of the usual
        // size, moving to an even split for one four times larger or smaller than past days.
        let prior = if weight > 0.0 {
            prior_weight((active + 1.0) / (tickets / weight + 1.0))
        } else {
            W_MUL
        };
        let weight = weight_from_misses(&misses, prior);
        Some(DayOutlook {
            day,
            active,
            weight,
            // Without a day counted at the door the two sets of misses are one.
            regs_weight: if counted == 0 {
                weight
            } else {
                weight_from_misses(&misses_regs, prior)
            },
            walk_ins: counted * 2 > past.len() && counted_signups * 2.0 < counted_people,
        })
    }

    /// Events whose outcome is known at `at`, starting before `before`, newest first (the
    /// [`RECENT_EVENTS`] most recent).
    pub fn known_before(&self, at: i64, before: i64) -> Vec<usize> {
        if let Ok(kept) = self.seen.0.lock()
            && let Some((key, known)) = &kept.last_known
            && *key == (at, before)
        {
            return known.clone();
        }
        let known = self.recent_in(&self.order, at, before, RECENT_EVENTS);
        if let Ok(mut kept) = self.seen.0.lock() {
            kept.last_known = Some(((at, before), known.clone()));
        }
        known
    }

    /// The [`RECENT_GROUP_EVENTS`] most recent events of `group` whose outcome is known at
    /// `at`, starting before `before`, newest first (none without a group).
    pub fn known_in_group(&self, group: &str, at: i64, before: i64, half_life: f64) -> Vec<usize> {
        let limit = (RECENT_GROUP_EVENTS as f64 * half_life / HALF_LIFE_EVENTS).round() as usize;
        match self.by_group.get(group) {
            Some(list) if !group.is_empty() => self.recent_in(list, at, before, limit),
            _ => Vec::new(),
        }
    }

    /// Genuine tickets of event `e` holding a place at instant `at`: active ones, less the
    /// withdrawn ([`Reg::withdrawn`]).
    pub fn holding_at(&self, e: usize, at: i64) -> f64 {
        self.active_regs(e, at)
            .filter(|r| !r.withdrawn())
            .map(|r| r.qty as f64)
            .sum()
    }

    /// Genuine tickets event `e` held when it stopped taking bookings, once that is past
    /// `now` (a past event's registrations, with or without a forecast to show beside them).
    pub fn held_at_close(&self, e: usize, now: i64) -> Option<f64> {
        let close = self.events[e].close().filter(|&close| close <= now)?;
        Some(self.holding_at(e, close))
    }

    /// Genuine active tickets of event `e` at instant `at` (signed up before, not cancelled).
    pub fn active_at(&self, e: usize, at: i64) -> f64 {
        self.active_regs(e, at).map(|r| r.qty as f64).sum()
    }

    fn active_regs(&self, e: usize, at: i64) -> impl Iterator<Item = &Reg> {
        self.events[e]
            .regs
            .iter()
            .filter(move |r| !r.flagged && !r.pool && r.t < at && r.end() > at)
    }
}

/// Recency weight of an event with `rank` more recent starts (0 = newest), halving every
/// `half_life` starts.
pub fn recency_weight(rank: usize, half_life: f64) -> f64 {
    0.5f64.powf(rank as f64 / half_life)
}

/// [`Series::memory`]: each event with a known attendance predicted from its group's earlier
/// ones at every memory, the squared misses summed in the order the outcomes became known.
fn memory_misses(
    events: &[SeriesEvent],
    by_group: &rustc_hash::FxHashMap<String, Vec<usize>>,
) -> Vec<(i64, [f64; 3])> {
    let lives = [HALF_LIFE_EVENTS, LONGER_HALF_LIVES[0], LONGER_HALF_LIVES[1]];
    let fades = lives.map(|hl| 0.5f64.powf(1.0 / hl));
    let mut misses: Vec<(i64, [f64; 3])> = Vec::new();
    for list in by_group.values() {
        // (recency-weighted sum, weight) per memory.
        let mut state = [(0.0f64, 0.0f64); 3];
        for &i in list {
            let ev = &events[i];
            let (Some(start), Some(v)) = (ev.start, ev.attendance()) else {
                continue;
            };
            if state[0].1 > 0.0 {
                let miss = std::array::from_fn(|k| (state[k].0 / state[k].1 - v).powi(2));
                misses.push((start + OUTCOME_DELAY, miss));
            }
            for (s, fade) in state.iter_mut().zip(fades) {
                *s = (s.0 * fade + v, s.1 * fade + 1.0);
            }
        }
    }
    misses.sort_by_key(|m| m.0);
    let mut sum = [0.0; 3];
    for m in &mut misses {
        for (s, v) in sum.iter_mut().zip(m.1) {
            *s += v;
        }
        m.1 = sum;
    }
    misses
}

/// Empirical quantiles of log residuals, centred on their median, at the probabilities of
/// [`PROBS`] (used to shape an interval from how past forecasts missed).
pub const PROBS: [f64; 9] = [0.02, 0.05, 0.10, 0.25, 0.50, 0.75, 0.90, 0.95, 0.98];

/// Quantiles of `v` at `PROBS`, centred so the median is zero.
pub fn centred_quantiles(v: &mut [f64]) -> Option<[f64; 9]> {
    if v.is_empty() {
        return None;
    }
    v.sort_unstable_by(f64::total_cmp);
    let q = |p: f64| {
        let x = p * (v.len() - 1) as f64;
        let (i, f) = (x.floor() as usize, x.fract());
        let next = v[(i + 1).min(v.len() - 1)];
        v[i] + f * (next - v[i])
    };
    let median = q(0.5);
    Some(PROBS.map(|p| q(p) - median))
}

/// The signup time the forecast gives a registration whose row has none (a guest list or an
/// attendee export without timestamps): before anything the files date, so it stands at every
/// instant, never counts as a recent signup, and has no known lead time. Far enough from
/// `i64::MIN` that differences of times stay in range.
pub const UNDATED: i64 = i64::MIN / 4;

/// The lead bucket of a signup at `t` for an event starting at `start`: unknown without a
/// start or a signup time ([`UNDATED`]).
pub fn lead_of(start: Option<i64>, t: i64) -> usize {
    match start {
        Some(s) if t != UNDATED => lead_bucket(s - t),
        _ => LEAD_UNKNOWN,
    }
}

/// A missing time as used in rows.
pub fn known(t: i64) -> Option<i64> {
    (t != NO_TIME).then_some(t)
}

/// Series built by hand, for the tests here and in [`super::history`].
#[cfg(test)]
pub(crate) mod fixtures {
    use super::*;

    pub fn reg(t: i64, end: i64, came: bool) -> Reg {
        Reg {
            t,
            held: Reg::held_until(t, end),
            qty: 1,
            seg: 0,
            came,
            flagged: false,
            pool: false,
            cancelled: false,
        }
    }

    /// `events` with an event to forecast (no registrations yet) of `group` and `weekday`
    /// starting at `start`: the series and that event's index.
    pub fn with_focus(
        mut events: Vec<SeriesEvent>,
        group: &str,
        weekday: Option<u8>,
        start: i64,
    ) -> (Series, usize) {
        events.push(SeriesEvent {
            label: "focus".into(),
            group: group.into(),
            start: Some(start),
            weekday,
            ..SeriesEvent::default()
        });
        let e = events.len() - 1;
        (Series::new(events, true), e)
    }

    /// Twenty days of five groups each, then a day twice the usual size. Each group books
    /// `10 × size` five days ahead and `late(size)` in the hour before the start.
    pub fn days_of_groups(late: impl Fn(i64) -> i64) -> (Series, usize, i64) {
        let mut events = Vec::new();
        let mut focus = 0;
        for k in 0..21i64 {
            let start = (100 + k) * DAY;
            // Sizes 1–2 in no order, and 2 on the last day.
            let size = if k == 20 { 2 } else { 1 + (k * 7 % 5 + 1) / 3 };
            for g in 0..5 {
                let mut regs: Vec<Reg> = (0..10 * size)
                    .map(|i| reg(start - 5 * DAY + i, i64::MAX, true))
                    .collect();
                regs.extend((0..late(size)).map(|i| reg(start - 3_600 - i, i64::MAX, true)));
                regs.sort_by_key(|r| r.t);
                if k == 20 && g == 0 {
                    focus = events.len();
                }
                events.push(SeriesEvent {
                    label: format!("{k}-g{g}"),
                    group: format!("g{g}"),
                    start: Some(start),
                    regs,
                    has_checkins: true,
                    day: Some(100 + k),
                    ..SeriesEvent::default()
                });
            }
        }
        (Series::new(events, true), focus, 120 * DAY)
    }
}

#[cfg(test)]
mod tests {
    use super::fixtures::*;
    use super::*;

    /// Days counted at the door are walk-in days when their registrations were under half of
    /// who was counted (a restaurant's reservations beside its walk-ins), not when the
    /// registrants were most of them (a conference's rooms counted at the door), nor where
    /// check-ins say who came.
    #[test]
    fn walk_in_days_are_told_from_counted_registrants() {
        let (s, e, _) = days_of_groups(|size| 10 * size);
        let at = 120 * DAY - DAY;
        let counted = |people_per_registration: u64| {
            let mut events = s.events.clone();
            for ev in &mut events {
                ev.has_checkins = false;
                ev.headcount = Some(ev.regs.len() as u64 * people_per_registration);
            }
            Series::new(events, true)
                .day_outlook(e, at)
                .unwrap()
                .walk_ins
        };
        assert!(counted(3));
        assert!(!counted(1));
        assert!(!s.day_outlook(e, at).unwrap().walk_ins);
    }

    #[test]
    fn past_events_are_seen_as_they_stood() {
        let start = 100 * DAY;
        let ev = SeriesEvent {
            label: "e".into(),
            start: Some(start),
            regs: vec![
                reg(80 * DAY, i64::MAX, true),
                // Cancelled a day before the start: active a week before, not at the start.
                reg(81 * DAY, 99 * DAY, false),
                reg(95 * DAY, i64::MAX, false),
                reg(99 * DAY, i64::MAX, true),
            ],
            has_checkins: true,
            ..SeriesEvent::default()
        };
        let s = Series::new(vec![ev], true);
        let a = s.at_horizon(0, 7 * DAY).unwrap();
        assert_eq!((a.x, a.x_kept, a.x_came), (2.0, 1.0, 1.0));
        assert_eq!((a.late, a.late_came, a.fin), (2.0, 1.0, 3.0));
        assert_eq!(a.target(), Some(2.0));
        assert_eq!(s.active_at(0, 96 * DAY), 3.0);
    }

    /// Daily events of one group whose attendance is `size(k)` on day `k`, each registrant
    /// booking two days ahead and coming.
    fn daily(days: i64, size: impl Fn(i64) -> i64) -> Series {
        let events = (0..days)
            .map(|k| {
                let start = (100 + k) * DAY;
                SeriesEvent {
                    label: format!("{k}"),
                    start: Some(start),
                    regs: (0..size(k))
                        .map(|i| reg(start - 2 * DAY + i, i64::MAX, true))
                        .collect(),
                    has_checkins: true,
                    ..SeriesEvent::default()
                }
            })
            .collect();
        Series::new(events, true)
    }

    #[test]
    fn a_crowded_start_is_thinned_evenly_and_an_ordinary_one_taken_whole() {
        // Days of `per_day` one-visit events, each its own group (a book grouped by patient).
        let days = |per_day: usize| {
            let events = (0..10 * per_day)
                .map(|k| SeriesEvent {
                    label: format!("{k}"),
                    group: format!("patient {k}"),
                    start: Some((100 + (k / per_day) as i64) * DAY),
                    regs: vec![reg((99 + (k / per_day) as i64) * DAY, i64::MAX, true)],
                    has_checkins: true,
                    ..SeriesEvent::default()
                })
                .collect();
            Series::new(events, true)
        };
        let end = 200 * DAY;
        // 100 a day: the 240 most recent are three days, and the oldest of them is taken
        // whole (300, newest first).
        let ordinary = days(100).known_before(end, end);
        assert_eq!(ordinary.len(), 300);
        assert_eq!(ordinary[..3], [999, 998, 997]);
        assert_eq!(*ordinary.last().unwrap(), 700);
        // 3,000 a day: the last day alone is more than four times the limit. Its events are
        // taken every third or so, from the file's last to its first, none twice.
        let crowded = days(3_000).known_before(end, end);
        assert_eq!(crowded.len(), RECENT_EVENTS * TIED_MAX);
        assert!(crowded.iter().all(|&i| i >= 27_000));
        assert_eq!(crowded[0], 29_999);
        assert!(*crowded.last().unwrap() < 27_004, "{:?}", crowded.last());
        assert!(crowded.windows(2).all(|w| (3..=4).contains(&(w[0] - w[1]))));
    }

    #[test]
    fn a_steady_series_earns_a_long_memory_and_a_drifting_one_keeps_the_short_one() {
        // A restaurant's nights: a steady level of 40 with a scatter of ±12 (a fixed
        // pseudo-random sequence), nothing to follow but noise.
        let noise = |k: i64| ((k * 7919 + 13) % 25) - 12;
        let steady = daily(200, |k| 40 + noise(k));
        let end = 400 * DAY;
        assert!(steady.half_life_at(end) > HALF_LIFE_EVENTS);
        // Known only as far as outcomes are: with the first 15 nights in, nothing is chosen.
        assert_eq!(steady.half_life_at(115 * DAY), HALF_LIFE_EVENTS);
        // A hotel's season: the level climbs from 20 to 120 and falls back, with the same
        // scatter. Recent nights say more than old ones.
        let season = daily(200, |k| 20 + 100 - (k - 100).abs() + noise(k) / 3);
        assert_eq!(season.half_life_at(end), HALF_LIFE_EVENTS);
        // A series of five editions never leaves the default.
        assert_eq!(daily(5, |_| 40).half_life_at(end), HALF_LIFE_EVENTS);
    }

    #[test]
    fn an_undated_registration_counts_until_its_cancellation() {
        let start = 100 * DAY;
        let cancelled = 90 * DAY + 1_800;
        let ev = SeriesEvent {
            label: "e".into(),
            start: Some(start),
            regs: vec![
                reg(UNDATED, cancelled, false),
                reg(UNDATED, i64::MAX, true),
                reg(70 * DAY, i64::MAX, true),
            ],
            has_checkins: true,
            ..SeriesEvent::default()
        };
        let s = Series::new(vec![ev], true);
        assert_eq!(s.active_at(0, 50 * DAY), 2.0);
        assert_eq!(s.active_at(0, cancelled - 1), 3.0);
        assert_eq!(s.active_at(0, cancelled + 1), 2.0);
        assert_eq!(s.events[0].regs[0].end(), cancelled);
        // Seen 20 days out it was active and did not stay; 5 days out it was gone.
        let a = s.at_horizon(0, 20 * DAY).unwrap();
        assert_eq!((a.x, a.x_kept, a.fin), (3.0, 2.0, 2.0));
        assert_eq!(s.at_horizon(0, 5 * DAY).unwrap().x, 2.0);
    }

    #[test]
    fn a_long_memory_reaches_further_into_the_group() {
        let mut events = Vec::new();
        for k in 0..200i64 {
            let start = (100 + k) * DAY;
            events.push(SeriesEvent {
                label: format!("{k}"),
                group: "store".into(),
                start: Some(start),
                regs: vec![reg(start - DAY, i64::MAX, true)],
                has_checkins: true,
                ..SeriesEvent::default()
            });
        }
        let s = Series::new(events, true);
        let at = 400 * DAY;
        assert_eq!(
            s.known_in_group("store", at, at, HALF_LIFE_EVENTS).len(),
            40
        );
        assert_eq!(s.known_in_group("store", at, at, 28.0).len(), 160);
        assert!(recency_weight(7, 7.0) == 0.5 && recency_weight(28, 28.0) == 0.5);
    }

    #[test]
    fn a_day_counts_what_its_events_hold_at_an_instant() {
        let (s, e, start) = days_of_groups(|size| 5 * size);
        // Five days ahead the day's 100 early tickets are not all in yet; a day ahead they are.
        assert_eq!(s.day_active_at(e, start - 5 * DAY + 5), Some(5.0 * 5.0));
        assert_eq!(s.day_active_at(e, start - DAY), Some(100.0));
        assert_eq!(s.day_active_at(e, start), Some(150.0));
        // Cancellations end a ticket: two events of one day, one ticket cancelled.
        let day = |label: &str, regs: Vec<Reg>| SeriesEvent {
            label: label.into(),
            group: label.into(),
            start: Some(10 * DAY),
            regs,
            day: Some(10),
            ..SeriesEvent::default()
        };
        let s = Series::new(
            vec![
                day(
                    "a",
                    vec![reg(DAY, 5 * DAY, false), reg(2 * DAY, i64::MAX, true)],
                ),
                day("b", vec![reg(3 * DAY, i64::MAX, true)]),
            ],
            true,
        );
        assert_eq!(s.day_active_at(0, 4 * DAY), Some(3.0));
        assert_eq!(s.day_active_at(1, 5 * DAY), Some(2.0));
        assert_eq!(
            s.day_active_at(0, 2 * DAY),
            Some(1.0),
            "signed up at the instant: not yet"
        );
        // A day with one event has no day of its own to speak of.
        let single = Series::new(vec![day("a", vec![reg(DAY, i64::MAX, true)])], true);
        assert_eq!(single.day_active_at(0, 2 * DAY), None);
        assert_eq!(single.day_outlook(0, 20 * DAY), None);
    }

    /// Tickets in orders vary as counts of orders: three tables of four and four single
    /// tickets are (3 · 16 + 4) / 16 = 3.25 times as variable as sixteen single tickets.
    /// Flagged and waiting registrations do not count; a series of single tickets is 1.
    #[test]
    fn clump_is_how_many_tickets_come_together() {
        let with_qty = |qty: u32, flagged: bool| Reg {
            qty,
            flagged,
            ..reg(DAY, i64::MAX, true)
        };
        let mut regs: Vec<Reg> = (0..3).map(|_| with_qty(4, false)).collect();
        regs.extend((0..4).map(|_| with_qty(1, false)));
        regs.push(with_qty(40, true));
        let ev = SeriesEvent {
            label: "e".into(),
            start: Some(10 * DAY),
            regs,
            ..SeriesEvent::default()
        };
        assert!((Series::new(vec![ev], true).clump - 3.25).abs() < 1e-12);
        let single = SeriesEvent {
            label: "s".into(),
            start: Some(10 * DAY),
            regs: vec![reg(DAY, i64::MAX, true); 5],
            ..SeriesEvent::default()
        };
        assert_eq!(Series::new(vec![single], true).clump, 1.0);
        assert_eq!(Series::new(Vec::new(), true).clump, 1.0);
    }

    /// A webinar joined after its start by someone who registered then, or a guest signed up
    /// at the door: they came, so they count with the pickup and with who came, as they do in
    /// the event's attendance. A registration made after the event that did not come counts
    /// nowhere.
    #[test]
    fn a_registration_at_the_door_counts_with_who_came() {
        let start = 10 * DAY;
        let ev = SeriesEvent {
            label: "webinar".into(),
            start: Some(start),
            has_checkins: true,
            regs: vec![
                reg(DAY, i64::MAX, true),
                reg(2 * DAY, i64::MAX, false),
                reg(start + 600, i64::MAX, true),
                reg(start + DAY, i64::MAX, false),
            ],
            ..SeriesEvent::default()
        };
        let s = Series::new(vec![ev], true);
        let a = s.at_horizon(0, DAY).unwrap();
        assert_eq!((a.x, a.late, a.late_came, a.fin), (2.0, 1.0, 1.0, 3.0));
        assert_eq!(a.came, Some(2.0));
        assert_eq!(a.came, s.events[0].came());
    }

    /// A past event looked up at any horizon is what counting its registrations gives, the
    /// first time and every time after, in the series and in a clone of it; horizons other
    /// than whole days are kept up to [`HORIZONS_KEPT`], whole days for good.
    #[test]
    fn a_kept_horizon_is_the_counted_one() {
        let start = 30 * DAY;
        let regs: Vec<Reg> = (0..200)
            .map(|k| {
                let t = k as i64 * (start / 200);
                let end = if k % 7 == 0 { t + 3 * DAY } else { i64::MAX };
                reg(t, end, k % 3 != 0)
            })
            .collect();
        let ev = SeriesEvent {
            label: "big".into(),
            start: Some(start),
            has_checkins: true,
            regs,
            ..SeriesEvent::default()
        };
        let s = Series::new(vec![ev], true);
        for h in [DAY, 7 * DAY, 7 * DAY, DAY, 3 * 3_600] {
            let counted = s.walk_at_horizon(0, h);
            assert!(counted.is_some());
            assert_eq!(s.at_horizon(0, h), counted);
            assert_eq!(s.clone().at_horizon(0, h), counted);
        }
        {
            let kept = s.seen.0.lock().unwrap();
            assert_eq!((kept.days.len(), kept.other.len()), (2, 1));
        }
        // A new "now" at every replay: the other horizons start over, the days stay.
        for m in 0..HORIZONS_KEPT as i64 + 10 {
            s.at_horizon(0, 60 + m);
        }
        let h = 60 + HORIZONS_KEPT as i64 + 5;
        assert_eq!(s.at_horizon(0, h), s.walk_at_horizon(0, h));
        let kept = s.seen.0.lock().unwrap();
        assert!(kept.other.len() <= HORIZONS_KEPT, "{}", kept.other.len());
        assert_eq!(kept.days.len(), 2);
    }
}
