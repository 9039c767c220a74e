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

use super::combine::{PairMiss, W_MUL, prior_weight, size_distance, weight_from_misses};
use crate::dataset::NO_TIME;

pub const DAY: i64 = 86_400;
/// An event's outcome is known one day after its start.
pub const OUTCOME_DELAY: i64 = DAY;
/// Recency: an event's weight halves every this many more recent starts (events that start
/// together, a day's groups, are equally recent).
pub const HALF_LIFE_EVENTS: f64 = 10.0;
/// Events' worth of series-wide evidence a group's own estimate is shrunk toward.
pub const GROUP_PRIOR_EVENTS: f64 = 2.0;
/// Most recent past events of the whole series, and of the event's own group, looked at
/// (older ones weigh less than a millionth).
pub const RECENT_EVENTS: usize = 240;
/// Days of signups before a point that say how fast the event is still filling.
pub const PACE_DAYS: i64 = 3;
/// Shrinkage of the pace slope, in events' worth of the mean recent signups.
const PACE_SHRINK: f64 = 5.0;
pub const RECENT_GROUP_EVENTS: usize = 40;
/// Active tickets at which the multiplicative estimate is trusted halfway.
pub const RATIO_MIN_TICKETS: f64 = 0.5;
/// Own events from which a group's spreads are measured on the group alone.
pub const SPREAD_OWN_EVENTS: usize = 3;

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

    /// `held` for a registration at `t` ending at `end` (`i64::MAX`: never).
    pub fn held_until(t: i64, end: i64) -> u32 {
        if end == i64::MAX {
            Reg::FOREVER
        } else {
            end.saturating_sub(t).clamp(0, (u32::MAX - 1) as i64) as u32
        }
    }

    /// When the registration ended (`i64::MAX`: never).
    pub fn end(&self) -> i64 {
        if self.held == Reg::FOREVER {
            i64::MAX
        } else {
            self.t.saturating_add(self.held as i64)
        }
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
    /// How much its pickup counts for the event being forecast, set by [`HistoryAt::new`]:
    /// the forecast day's size against its day's, when days hold several events; else 1.
    #[serde(skip)]
    pub pickup_scale: f64,
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
}

impl DayTickets {
    fn new(events: &[SeriesEvent], list: &[usize]) -> DayTickets {
        let mut d = DayTickets {
            known: i64::MIN,
            ..DayTickets::default()
        };
        for &i in list {
            let ev = &events[i];
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
        Series {
            events,
            per_row,
            order,
            by_group,
            days,
        }
    }

    /// Events with a start, in start order.
    pub fn in_order(&self) -> &[usize] {
        &self.order
    }

    /// Up to `limit` events of `list` (in start order) whose outcome is known at `at` and
    /// that start before `before`, newest first; the oldest start taken is taken whole, so
    /// that which of a day's groups are in does not depend on file order.
    fn recent_in(&self, list: &[usize], at: i64, before: i64, limit: usize) -> Vec<usize> {
        let cut = list.partition_point(|&i| {
            self.events[i]
                .start
                .is_some_and(|s| s < before && s + OUTCOME_DELAY <= at)
        });
        let mut out: Vec<usize> = Vec::with_capacity(limit.min(cut));
        for &i in list[..cut].iter().rev() {
            if !self.events[i].outcome_known(at) {
                continue;
            }
            if out.len() >= limit
                && out
                    .last()
                    .is_none_or(|&j| self.events[j].start != self.events[i].start)
            {
                break;
            }
            out.push(i);
        }
        out
    }

    /// Event `e` as it stood `h` seconds before its start. `None` without a start.
    pub fn at_horizon(&self, e: usize, h: i64) -> Option<AtHorizon> {
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
            } else if r.t <= close && active_at_start {
                a.late += q;
                if came {
                    a.late_came += q;
                }
            }
            if active_at_start && r.t <= close {
                a.fin += q;
            }
        }
        a.came = ev.has_checkins.then_some(a.x_came + a.late_came);
        a.headcount = ev.headcount.map(|h| h as f64);
        a.weekday = ev.weekday;
        a.pickup_scale = 1.0;
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
        match self.day_tickets(e) {
            Some(d) => d.active_at(at),
            None => self.active_at(e, at),
        }
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
        // (tickets active as many days before `as_of` as the day lies before this one,
        // signups after that point).
        let mut past: Vec<(f64, f64)> = self.days[..end]
            .iter()
            .rev()
            .filter(|d| d.1.known <= as_of)
            .take(RECENT_GROUP_EVENTS)
            .map(|&(d, ref t)| {
                let cut = as_of - (day - d) * DAY;
                (t.active_at(cut), t.signups_from(cut))
            })
            .collect();
        past.reverse();
        // The weight: that of the multiplicative estimate of a day's pickup that would have
        // missed the most recent days least, each forecast from the days before it.
        // Recency-weighted sums of the days before each, kept as running sums (each step
        // ages the earlier days by one rank).
        let fade = recency_weight(1);
        let (mut pickup, mut tickets, mut weight) = (0.0, 0.0, 0.0);
        let mut misses = Vec::with_capacity(past.len());
        for (j, &(x, late)) in past.iter().enumerate() {
            if j > 0 && tickets > 0.0 {
                misses.push(PairMiss::new(late, pickup / weight, x * pickup / tickets));
            }
            pickup = pickup * fade + late;
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
        Some(DayOutlook {
            day,
            active,
            weight: weight_from_misses(&misses, prior),
        })
    }

    /// Events whose outcome is known at `at`, starting before `before`, newest first (the
    /// [`RECENT_EVENTS`] most recent).
    pub fn known_before(&self, at: i64, before: i64) -> Vec<usize> {
        self.recent_in(&self.order, at, before, RECENT_EVENTS)
    }

    /// Genuine active tickets of event `e` at instant `at` (signed up before, not cancelled).
    pub fn active_at(&self, e: usize, at: i64) -> f64 {
        self.events[e]
            .regs
            .iter()
            .filter(|r| !r.flagged && !r.pool && r.t < at && r.end() > at)
            .map(|r| r.qty as f64)
            .sum()
    }
}

/// Recency weight of an event with `rank` more recent starts (0 = newest).
pub fn recency_weight(rank: usize) -> f64 {
    0.5f64.powf(rank as f64 / HALF_LIFE_EVENTS)
}

/// Past events at one horizon, weighted by recency, with their group.
#[derive(Clone, Debug, Default)]
pub struct HistoryAt {
    /// (stats, weight, same group as the event forecast).
    pub events: Vec<(AtHorizon, f64, bool)>,
    /// The forecast event's local day of the week.
    pub weekday: Option<u8>,
    /// How the forecast event's whole day stands, when it holds several events.
    pub day: Option<DayOutlook>,
}

/// The two pickup estimates of one event and what they rest on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Components {
    /// Additive: what is active now, kept and coming at past rates, plus the attendees past
    /// events gained after the same point.
    pub additive: f64,
    /// Multiplicative: what is active now times past events' attendance per active ticket.
    pub multiplicative: f64,
    /// The same two for final registrations.
    pub additive_regs: f64,
    pub multiplicative_regs: f64,
    /// Share of active registrations that past events kept to the start.
    pub kept: f64,
    /// Attendees that past events gained after this point (additive part).
    pub late_attendees: f64,
    /// Registrations past events gained after this point.
    pub late_regs: f64,
    /// Walk-ins learned from past headcounts: mean and standard deviation.
    pub walk_ins: Option<(f64, f64)>,
    /// How much past events' show-up (of the tickets active at this point) strayed beyond
    /// coin-flip noise, relative (`None` while fewer than two past events say).
    pub showup_spread: Option<f64>,
    /// Standard deviation of the attendees past events gained after this point, beyond
    /// counting noise (`None` while fewer than two past events say).
    pub late_sd: Option<f64>,
    /// How many past events those spreads rest on (recency-weighted).
    pub spread_events: f64,
    /// Active tickets now against past events' at the same point (recency-weighted mean of
    /// the group's own events, filled in by the series while they are few; 1 when they had
    /// none).
    pub size_ratio: f64,
    /// How much more (or less) past events on the same day of the week picked up than all of
    /// them, after shrinkage (1: no weekday effect).
    pub weekday_factor: f64,
    /// How much past events' pickup was scaled for the size of this event's whole day against
    /// theirs (1: the day holds one event, or days' pickup did not follow their size).
    pub day_factor: f64,
    /// Past events behind the estimate, and of the same group.
    pub events: usize,
    pub same_group: usize,
}

fn weighted_mean(items: &[(f64, f64)]) -> Option<f64> {
    let w: f64 = items.iter().map(|i| i.1).sum();
    (w > 0.0).then(|| items.iter().map(|i| i.0 * i.1).sum::<f64>() / w)
}

impl HistoryAt {
    /// Past events of `series` known at `as_of` and starting before `start`, as they stood
    /// `h` before their start, for forecasting event `e` (its group's events come first).
    pub fn new(series: &Series, e: usize, as_of: i64, start: i64, h: i64) -> HistoryAt {
        let group = series.events[e].group.as_str();
        let weekday = series.events[e].weekday;
        let day = series.day_outlook(e, as_of);
        // What each past event gained after this point is scaled by how much bigger this
        // day is now than its day was then, as far as past days' pickup followed their size
        // (a day's events come together: its size is looked up once).
        let mut last: Option<(Option<i64>, f64)> = None;
        let mut scaled = |i: usize, mut a: AtHorizon| {
            if let Some(d) = day {
                let on = series.events[i].day;
                let scale = match last {
                    Some((seen, scale)) if seen == on && on.is_some() => scale,
                    _ => {
                        // As it stood as many days before as it lies before this one.
                        let before = d.day - on.unwrap_or(d.day);
                        let size = series.day_size(i, as_of - before * DAY);
                        let scale = ((d.active + 1.0) / (size + 1.0)).powf(d.weight);
                        last = Some((on, scale));
                        scale
                    }
                };
                a.pickup_scale = scale;
            }
            a
        };
        let recent = series.known_before(as_of, start);
        let own: Vec<usize> = match series.by_group.get(group) {
            Some(list) if !group.is_empty() => {
                series.recent_in(list, as_of, start, RECENT_GROUP_EVENTS)
            }
            _ => Vec::new(),
        };
        let mut events = Vec::with_capacity(recent.len() + own.len());
        // The group's own events, ranked among themselves; then the rest of the series.
        for (rank, &i) in own.iter().enumerate() {
            if let Some(stats) = series.at_horizon(i, h) {
                events.push((scaled(i, stats), recency_weight(rank), true));
            }
        }
        // Recency counts in starts, not events: the 79 neighbourhoods of one day are equally
        // recent (ranked one by one, a day's first groups in file order outweighed its last
        // ones and the series' memory lasted an eighth of a day).
        let mut rank = 0;
        let mut last_start = None;
        for &i in &recent {
            let same = series.events[i].group == group;
            if same && !group.is_empty() {
                continue;
            }
            if let Some(stats) = series.at_horizon(i, h) {
                let start = series.events[i].start;
                if last_start.is_some_and(|s| Some(s) != start) {
                    rank += 1;
                }
                last_start = start;
                events.push((scaled(i, stats), recency_weight(rank), same));
            }
        }
        HistoryAt {
            events,
            weekday,
            day,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.events.is_empty()
    }

    /// The additive and multiplicative estimates for an event with `x` active tickets now
    /// whose active tickets, coming at their segments' calibrated rates (if kept to the start),
    /// make `expected_now` attendees. `prior_rate` stands for the show-up of past events that
    /// have a headcount but no check-ins. Group estimates borrow [`GROUP_PRIOR_EVENTS`]
    /// events' worth from the whole series.
    pub fn components(
        &self,
        x: f64,
        recent: f64,
        expected_now: f64,
        prior_rate: f64,
    ) -> Option<Components> {
        let usable: Vec<&(AtHorizon, f64, bool)> = self
            .events
            .iter()
            .filter(|(a, _, _)| a.target().is_some())
            .collect();
        if usable.is_empty() {
            return None;
        }
        let target = |a: &AtHorizon| a.target().unwrap_or(0.0);
        // Attendees beyond what the tickets active at this point produced.
        let raw_pickup = |a: &AtHorizon| match a.came {
            Some(_) => target(a) - a.x_came,
            None => target(a) - prior_rate * a.x_kept,
        };
        // When the event's day holds several events (a day's neighbourhoods, a night's
        // restaurants), scaled for its size ([`HistoryAt::new`]): a holiday or a short week
        // moves every group of the day.
        let pickup = |a: &AtHorizon| raw_pickup(a) * a.pickup_scale;
        let late_of = |a: &AtHorizon| a.late * a.pickup_scale;
        let grouped: Vec<&(AtHorizon, f64, bool)> =
            usable.iter().copied().filter(|e| e.2).collect();
        type Set<'a> = [&'a (AtHorizon, f64, bool)];
        let sum = |set: &Set, f: &dyn Fn(&AtHorizon) -> f64| {
            set.iter().map(|(a, w, _)| f(a) * w).sum::<f64>()
        };
        let weight = |set: &Set| set.iter().map(|e| e.1).sum::<f64>();
        let (w_all, w_group) = (weight(&usable), weight(&grouped));
        let x_all = sum(&usable, &|a| a.x);
        // Series-wide: ratios of sums (robust to one small event), means of additions.
        let ratio_all = |f: &dyn Fn(&AtHorizon) -> f64| {
            if x_all > 0.0 {
                sum(&usable, f) / x_all
            } else {
                0.0
            }
        };
        let y_ratio_all = ratio_all(&target);
        let r_ratio_all = ratio_all(&|a| a.fin);
        let kept_all = if x_all > 0.0 {
            ratio_all(&|a| a.x_kept)
        } else {
            1.0
        };
        let pickup_all = sum(&usable, &pickup) / w_all;
        let late_regs_all = sum(&usable, &late_of) / w_all;
        let raw_all = sum(&usable, &raw_pickup);
        let day_factor = if raw_all > 0.0 {
            sum(&usable, &pickup) / raw_all
        } else {
            1.0
        };
        let mean_x_all = x_all / w_all;
        let k = GROUP_PRIOR_EVENTS;
        let (y_ratio, r_ratio, kept, late, late_regs, mean_x) =
            if grouped.is_empty() || w_group >= w_all {
                (
                    y_ratio_all,
                    r_ratio_all,
                    kept_all,
                    pickup_all,
                    late_regs_all,
                    mean_x_all,
                )
            } else {
                // K events of series-wide evidence, scaled to the group's own size.
                let x_g = sum(&grouped, &|a| a.x);
                let shrink_ratio = |f: &dyn Fn(&AtHorizon) -> f64, prior: f64| {
                    let d = x_g + k * mean_x_all;
                    if d > 0.0 {
                        (sum(&grouped, f) + k * mean_x_all * prior) / d
                    } else {
                        prior
                    }
                };
                let fin_g = sum(&grouped, &|a| a.fin) / w_group;
                let fin_all = sum(&usable, &|a| a.fin) / w_all;
                let scale = if fin_all > 0.0 { fin_g / fin_all } else { 1.0 };
                let shrink_mean = |f: &dyn Fn(&AtHorizon) -> f64, prior: f64| {
                    (sum(&grouped, f) + k * prior * scale) / (w_group + k)
                };
                (
                    shrink_ratio(&target, y_ratio_all),
                    shrink_ratio(&|a| a.fin, r_ratio_all),
                    shrink_ratio(&|a| a.x_kept, kept_all),
                    shrink_mean(&pickup, pickup_all),
                    shrink_mean(&late_of, late_regs_all),
                    // The size the group's estimates were measured at.
                    (x_g + k * mean_x_all) / (w_group + k),
                )
            };
        let kept = kept.clamp(0.0, 1.0);
        // Day of the week ([`weekday_factor`]): what is still to come is scaled by how past
        // events on the same weekday picked up against all of them (the group's own events
        // when it has any). Not for a day of several events: its size, which the pickup
        // follows, carries its weekday, and one group's few past events of a weekday are
        // noise (a neighbourhood's two past Fridays, one of them on a day 1.6 times the usual
        // size, said "42% more"). Appointments by neighbourhood, 7 / 1 days out: 21.8% /
        // 18.2% MAPE with the group's weekday factor, 21.7% / 17.9% with none, 22.1% / 17.9%
        // with one measured on whole days; restaurants by store alike within 0.1 point.
        let weekly: &Set = if grouped.is_empty() {
            &usable
        } else {
            &grouped
        };
        let weekday_factor = |f: &dyn Fn(&AtHorizon) -> f64| match (self.day, self.weekday) {
            (None, Some(wd)) => weekday_factor(
                weekly
                    .iter()
                    .filter_map(|(a, _, _)| Some((a.weekday?, f(a)))),
                wd,
            ),
            _ => 1.0,
        };
        let week = weekday_factor(&pickup);
        let late = late * week;
        let late_regs = late_regs * weekday_factor(&late_of);
        // Pace: what is still to come follows how fast the event is filling now (the
        // "advanced pickup" of revenue management): past events' pickup regressed on their
        // signups in the last days before the same point, the slope shrunk toward none and
        // never negative. Series-wide only; a group's own few events cannot carry a slope.
        let size_ratio = if mean_x > 0.0 { x / mean_x } else { 1.0 };
        let pace = if usable.len() >= 3 && (grouped.is_empty() || w_group >= w_all) {
            let rm = sum(&usable, &|a| a.recent) / w_all;
            let sxy = sum(&usable, &|a| (a.recent - rm) * (pickup(a) - pickup_all));
            let sxx = sum(&usable, &|a| (a.recent - rm) * (a.recent - rm));
            let slope = (sxy / (sxx + PACE_SHRINK * rm.max(1.0))).max(0.0);
            // Only among events of a like size (none beyond four times larger or smaller),
            // and never more than doubling or cancelling the usual pickup.
            let bound = late.abs();
            (slope * (recent - rm) * (1.0 - size_distance(size_ratio))).clamp(-bound, bound)
        } else {
            0.0
        };
        let late = late + pace;
        // Walk-ins, where past events have both a headcount and check-ins.
        let walks: Vec<(f64, f64)> = usable
            .iter()
            .filter_map(|(a, w, _)| a.walk_ins().map(|v| (v, *w)))
            .collect();
        let walk_ins = weighted_mean(&walks).map(|m| {
            let w: f64 = walks.iter().map(|i| i.1).sum();
            let var = walks
                .iter()
                .map(|(v, w)| w * (v - m) * (v - m))
                .sum::<f64>()
                / w;
            (m, var.sqrt())
        });
        // How far past events strayed: the basis of the interval's parametric part. Events
        // count by their recency weights (Kish's effective number).
        // A group with a few events of its own is measured on them: across a series of
        // groups, pickup varies with each group's size, which is not this group's uncertainty
        // (appointments by neighbourhood a week out: 90% of P10–P90 intervals held the truth,
        // 84% measured on the own group).
        let (spread_set, w_set): (&Set, f64) = if grouped.len() >= SPREAD_OWN_EVENTS {
            (&grouped, w_group)
        } else {
            (&usable, w_all)
        };
        let pickup_set = sum(spread_set, &pickup) / w_set;
        let w_sq: f64 = spread_set.iter().map(|e| e.1 * e.1).sum();
        let n_eff = if w_sq > 0.0 {
            w_set * w_set / w_sq
        } else {
            0.0
        };
        let rated: Vec<(f64, f64, f64)> = spread_set
            .iter()
            .filter(|(a, _, _)| a.came.is_some() && a.x >= 1.0)
            .map(|(a, w, _)| (a.x_came / a.x, a.x, *w))
            .collect();
        let showup_spread = (rated.len() >= 2).then(|| {
            let w: f64 = rated.iter().map(|r| r.2).sum();
            let m = rated.iter().map(|r| r.0 * r.2).sum::<f64>() / w;
            let excess = rated
                .iter()
                .map(|&(s, x, w)| w * ((s - m) * (s - m) - m * (1.0 - m) / x))
                .sum::<f64>()
                / w;
            excess.max(0.0).sqrt() / m.max(0.05)
        });
        // The pickup's variation between events, beyond counting noise: as counts, or as a
        // share of each event's active tickets scaled to this one, whichever is tighter (the
        // combination leans on whichever estimate fits: events of one size, or of many).
        let late_sd = (spread_set.len() >= 2).then(|| {
            let excess = sum(spread_set, &|a| {
                let d = pickup(a) - pickup_set;
                d * d - pickup(a).abs()
            }) / w_set;
            let absolute = excess.max(0.0).sqrt();
            let sized: Vec<&&(AtHorizon, f64, bool)> =
                spread_set.iter().filter(|e| e.0.x >= 1.0).collect();
            let w_sized: f64 = sized.iter().map(|e| e.1).sum();
            if sized.len() < 2 || w_sized <= 0.0 {
                return absolute;
            }
            let share = |a: &AtHorizon| pickup(a) / a.x;
            let m = sized.iter().map(|e| share(&e.0) * e.1).sum::<f64>() / w_sized;
            let var = sized
                .iter()
                .map(|e| e.1 * ((share(&e.0) - m).powi(2) - pickup(&e.0).abs() / (e.0.x * e.0.x)))
                .sum::<f64>()
                / w_sized;
            absolute.min(var.max(0.0).sqrt() * x)
        });
        // A ratio of almost nothing says almost nothing: a week out, a restaurant night may
        // hold no reservation yet, and "none times the usual ratio" is not a forecast of an
        // empty room. The multiplicative estimates lean on the additive ones while the active
        // tickets are few.
        let additive = expected_now * kept + late.max(0.0);
        let additive_regs = x * kept + late_regs;
        let trust = x.max(0.0) / (x.max(0.0) + RATIO_MIN_TICKETS);
        let lean = |ratio: f64, other: f64| trust * x * ratio + (1.0 - trust) * other;
        Some(Components {
            additive,
            multiplicative: lean(y_ratio, additive),
            additive_regs,
            multiplicative_regs: lean(r_ratio, additive_regs),
            kept,
            late_attendees: late.max(0.0),
            late_regs,
            walk_ins,
            showup_spread,
            late_sd,
            spread_events: n_eff,
            size_ratio,
            weekday_factor: week,
            day_factor,
            events: usable.len(),
            same_group: grouped.len(),
        })
    }
}

/// How much more (or less) the values of weekday `wd` are than all of `items` (weekday,
/// value), as a factor: the weekday's mean shrunk toward the overall one by empirical Bayes,
/// as far as the weekdays' means differ beyond what their scatter explains, so a week without
/// a pattern gets none. Restaurants fill on Saturdays, clinics on Mondays.
pub fn weekday_factor(items: impl Iterator<Item = (u8, f64)>, wd: u8) -> f64 {
    let mut days = [(0.0f64, 0.0f64, 0.0f64); 7];
    for (w, v) in items {
        let d = &mut days[w as usize % 7];
        d.0 += 1.0;
        d.1 += v;
        d.2 += v * v;
    }
    let n: f64 = days.iter().map(|d| d.0).sum();
    let seen = days.iter().filter(|d| d.0 > 0.0).count();
    let (nw, sw, _) = days[wd as usize % 7];
    if seen < 2 || nw == 0.0 || n <= seen as f64 {
        return 1.0;
    }
    let mean = days.iter().map(|d| d.1).sum::<f64>() / n;
    if mean <= 0.0 {
        return 1.0;
    }
    // Scatter within weekdays, and how far weekday means spread beyond it.
    let within = days
        .iter()
        .filter(|d| d.0 > 0.0)
        .map(|d| d.2 - d.1 * d.1 / d.0)
        .sum::<f64>()
        / (n - seen as f64);
    let between = days
        .iter()
        .filter(|d| d.0 > 0.0)
        .map(|d| (d.1 / d.0 - mean).powi(2) - within / d.0)
        .sum::<f64>()
        / (seen - 1) as f64;
    let tau2 = between.max(0.0);
    let noise = within.max(0.0) / nw;
    let b = if tau2 + noise > 0.0 {
        tau2 / (tau2 + noise)
    } else {
        0.0
    };
    let m = mean + b * (sw / nw - mean);
    (m / mean).clamp(1.0 / 3.0, 3.0)
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

/// A missing time as used in rows.
pub fn known(t: i64) -> Option<i64> {
    (t != NO_TIME).then_some(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reg(t: i64, end: i64, came: bool) -> Reg {
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
    fn with_focus(
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

    /// Events of one size whose late pickup follows how many signed up in the three days
    /// before the point: the additive estimate follows the pace, within bounds.
    #[test]
    fn pickup_follows_the_pace_of_recent_signups() {
        let h = 7 * DAY;
        let mut events = Vec::new();
        for k in 0..12i64 {
            let start = (100 + 10 * k) * DAY;
            let cut = start - h;
            let recent = 5 + (k % 4) * 5; // 5, 10, 15, 20 in the last three days
            let mut regs = Vec::new();
            for i in 0..(40 - recent) {
                regs.push(reg(cut - 20 * DAY + i, i64::MAX, true));
            }
            for i in 0..recent {
                regs.push(reg(cut - DAY - i, i64::MAX, true));
            }
            // Late pickup: twice the recent signups.
            for i in 0..(2 * recent) {
                regs.push(reg(cut + DAY + i, i64::MAX, true));
            }
            regs.sort_by_key(|r| r.t);
            events.push(SeriesEvent {
                label: format!("e{k}"),
                start: Some(start),
                regs,
                has_checkins: true,
                ..SeriesEvent::default()
            });
        }
        let at = 300 * DAY;
        let (s, e) = with_focus(events, "", None, at + h);
        let history = HistoryAt::new(&s, e, at, at + h, h);
        let slow = history.components(40.0, 5.0, 40.0, 0.7).unwrap();
        let fast = history.components(40.0, 20.0, 40.0, 0.7).unwrap();
        // Mean pickup is 25; the pace moves it toward 10 and 40 (shrunk, bounded by ±25).
        assert!(slow.late_attendees < 20.0, "{slow:?}");
        assert!(fast.late_attendees > 30.0, "{fast:?}");
        assert!(fast.late_attendees <= 50.0 + 1e-9);
        // Without a pace signal (everyone signs up at the same rate) nothing moves.
        let even = history.components(40.0, 12.5, 40.0, 0.7).unwrap();
        assert!((even.late_attendees - 25.0).abs() < 3.0, "{even:?}");
    }

    /// Eight weeks of daily events, ten signups five days before each and `late(k, weekday)`
    /// in the hour before the start of the `k`-th; as they stood a day before their start,
    /// for an event on `weekday`.
    fn weekly_history(late: impl Fn(i64, u8) -> i64, weekday: Option<u8>) -> HistoryAt {
        let h = DAY;
        let mut events = Vec::new();
        for k in 0..56i64 {
            let start = (100 + k) * DAY;
            let wd = (k % 7) as u8;
            let mut regs: Vec<Reg> = (0..10)
                .map(|i| reg(start - 5 * DAY + i, i64::MAX, true))
                .collect();
            regs.extend((0..late(k, wd)).map(|i| reg(start - 3_600 - i, i64::MAX, true)));
            regs.sort_by_key(|r| r.t);
            events.push(SeriesEvent {
                label: format!("e{k}"),
                start: Some(start),
                regs,
                has_checkins: true,
                weekday: Some(wd),
                ..SeriesEvent::default()
            });
        }
        let at = 200 * DAY;
        let (s, e) = with_focus(events, "", weekday, at + h);
        HistoryAt::new(&s, e, at, at + h, h)
    }

    /// A hundred groups a day: a day's groups are equally recent, and the series' pool takes
    /// whole days, whatever order the file listed them in.
    #[test]
    fn recency_counts_in_starts_not_in_events() {
        let mut events = Vec::new();
        for day in 0..5i64 {
            let start = (100 + day) * DAY;
            for g in 0..100 {
                events.push(SeriesEvent {
                    label: format!("{day}-{g}"),
                    group: format!("g{g}"),
                    start: Some(start),
                    regs: vec![reg(start - 3 * DAY, i64::MAX, true)],
                    has_checkins: true,
                    ..SeriesEvent::default()
                });
            }
        }
        let at = 200 * DAY;
        let (s, e) = with_focus(events, "g0", None, at + DAY);
        let known = s.known_before(at, at + DAY);
        assert_eq!(
            known.len(),
            300,
            "240 events reach into a third day: it is taken whole"
        );
        let history = HistoryAt::new(&s, e, at, at + DAY, DAY);
        let weight_on = |day: i64| -> Vec<f64> {
            history
                .events
                .iter()
                .filter(|(_, _, own)| !own)
                .zip(known.iter().filter(|&&i| s.events[i].group != "g0"))
                .filter(|(_, i)| s.events[**i].start == Some((100 + day) * DAY))
                .map(|((_, w, _), _)| *w)
                .collect()
        };
        let newest = weight_on(4);
        assert_eq!(newest.len(), 99);
        assert!(newest.iter().all(|&w| w == 1.0), "{newest:?}");
        let before = weight_on(3);
        assert!(before.iter().all(|&w| w == recency_weight(1)), "{before:?}");
    }

    /// A big and a small group, each as steady as counting allows: the big one's forecast is
    /// measured on its own events, so neither its pickup's spread nor its size ratio carries
    /// the gap between the groups.
    #[test]
    fn a_group_with_events_of_its_own_is_measured_on_them() {
        let h = DAY;
        let mut events = Vec::new();
        for k in 0..10i64 {
            let start = (100 + k) * DAY;
            for (group, early, late) in [("big", 60, 90), ("small", 3, 12)] {
                let mut regs: Vec<Reg> = (0..early)
                    .map(|i| reg(start - 5 * DAY + i, i64::MAX, true))
                    .collect();
                regs.extend((0..late).map(|i| reg(start - 3_600 - i, i64::MAX, true)));
                regs.sort_by_key(|r| r.t);
                events.push(SeriesEvent {
                    label: format!("{group}{k}"),
                    group: group.into(),
                    start: Some(start),
                    regs,
                    has_checkins: true,
                    ..SeriesEvent::default()
                });
            }
        }
        let at = 200 * DAY;
        let (s, e) = with_focus(events, "big", None, at + h);
        let big = HistoryAt::new(&s, e, at, at + h, h)
            .components(60.0, 0.0, 60.0, 0.7)
            .unwrap();
        assert_eq!(big.same_group, 10);
        // Pickup 90 every time: no spread beyond counting (the whole series says about ±39).
        assert_eq!(big.late_sd, Some(0.0), "{big:?}");
        // 60 active now against the group's (mostly) 60, not the series' 31.5.
        assert!((big.size_ratio - 1.0).abs() < 0.2, "{big:?}");
        assert!((big.late_attendees - 90.0).abs() < 10.0, "{big:?}");
        // With fewer than three events of its own, the series speaks for the group.
        let few = HistoryAt::new(&s, e, 102 * DAY + 1, 102 * DAY + h, h)
            .components(60.0, 0.0, 60.0, 0.7)
            .unwrap();
        assert_eq!(few.same_group, 2);
        assert!(few.late_sd.unwrap() > 20.0, "{few:?}");
    }

    #[test]
    fn pickup_follows_the_day_of_the_week_when_the_week_has_a_pattern() {
        // Saturdays (5) pick up 30, other days 10.
        let late = |_, wd: u8| if wd == 5 { 30 } else { 10 };
        let saturday = weekly_history(late, Some(5))
            .components(10.0, 0.0, 10.0, 0.7)
            .unwrap();
        let monday = weekly_history(late, Some(0))
            .components(10.0, 0.0, 10.0, 0.7)
            .unwrap();
        assert!((saturday.late_attendees - 30.0).abs() < 3.0, "{saturday:?}");
        assert!((monday.late_attendees - 10.0).abs() < 2.0, "{monday:?}");
        // A week without a pattern (pickup 8 one week, 12 the next, whatever the weekday)
        // gets no weekday effect.
        let by_week = |k: i64, _| if (k / 7) % 2 == 0 { 8 } else { 12 };
        let flat = weekly_history(by_week, Some(5))
            .components(0.0, 0.0, 0.0, 0.7)
            .unwrap();
        let plain = weekly_history(by_week, None)
            .components(0.0, 0.0, 0.0, 0.7)
            .unwrap();
        assert!((flat.weekday_factor - 1.0).abs() < 0.05, "{flat:?}");
        assert!(
            (flat.late_regs - plain.late_regs).abs() < 0.5,
            "{flat:?} vs {plain:?}"
        );
    }

    #[test]
    fn a_ratio_of_no_tickets_is_no_forecast_of_an_empty_room() {
        let history = weekly_history(|_, _| 10, Some(0));
        let none = history.components(0.0, 0.0, 0.0, 0.7).unwrap();
        assert!(none.additive > 5.0, "{none:?}");
        assert_eq!(none.multiplicative, none.additive);
        assert_eq!(none.multiplicative_regs, none.additive_regs);
        // With many tickets the ratio speaks for itself.
        let many = history.components(200.0, 0.0, 200.0, 0.7).unwrap();
        assert!(many.multiplicative > 300.0, "{many:?}");
    }

    /// Twenty days of five groups each, then a day twice the usual size. Each group books
    /// `10 × size` five days ahead and `late(size)` in the hour before the start.
    fn days_of_groups(late: impl Fn(i64) -> i64) -> (Series, usize, i64) {
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

    /// When each group's pickup grows with the size of its day, a big day's groups are
    /// expected to pick up more; when pickup stays put whatever the day's size, they are not.
    #[test]
    fn pickup_follows_the_size_of_the_whole_day_as_far_as_past_days_did() {
        let at = 120 * DAY - DAY;
        let forecast = |late: fn(i64) -> i64| {
            let (s, e, start) = days_of_groups(late);
            let weight = s.day_outlook(e, at).unwrap().weight;
            let c = HistoryAt::new(&s, e, at, start, DAY)
                .components(20.0, 0.0, 20.0, 0.7)
                .unwrap();
            (weight, c)
        };
        // Late pickup in proportion to the day: 10 on a day of size 1, 20 on one of size 2.
        let (weight, c) = forecast(|size| 10 * size);
        assert!(weight > 0.6, "{weight}");
        assert!(c.day_factor > 1.05, "{c:?}");
        // Past events picked up 10–20 (15 on average); this day is of size 2.
        assert!(
            c.late_attendees > 16.5 && c.late_attendees <= 20.0 + 1e-9,
            "{c:?}"
        );
        // Pickup of 10 on every day: the day's size says nothing, and is given little weight.
        let (weight, c) = forecast(|_| 10);
        assert!(weight < 0.2, "{weight}");
        assert!((c.late_attendees - 10.0).abs() < 1.0, "{c:?}");
    }
}
