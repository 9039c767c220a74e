//! What past events of a series say about one event at one point before its start: they are
//! gathered ([`HistoryAt::new`]: the event's own group first, weighted by recency, scaled for
//! the size of their day) and turned into the additive and multiplicative estimates and the
//! spreads the forecast rests on ([`HistoryAt::components`]).

use serde::Serialize;

use super::combine::size_distance;
use super::series::{AtHorizon, DAY, DayOutlook, Series, recency_weight};
use super::stats::huber_location;
use super::variation::Spreads;

/// Events' worth of series-wide evidence a group's own estimate is shrunk toward.
pub const GROUP_PRIOR_EVENTS: f64 = 2.0;
/// How many robust scales from the rest a past event's pickup counts at most
/// ([`huber_location`]): the usual three-sigma line for an outlier, so ordinary variation
/// counts in full.
pub const PICKUP_HUBER_K: f64 = 3.0;
/// Shrinkage of the pace slope, in events' worth of the mean recent signups.
const PACE_SHRINK: f64 = 5.0;
/// Active tickets at which the multiplicative estimate is trusted halfway.
pub const RATIO_MIN_TICKETS: f64 = 0.5;
/// The share of who comes (or of the final registrations) that past events had on their
/// books at the same point, at which the multiplicative estimate gets half its trust: a
/// ratio of attendance to bookings says how an event scales with its bookings only where the
/// bookings are a real part of it. The trust falls with the square of the share below it
/// (a tenth: four fifths; a twentieth: half; 2.5%: a fifth; 1%: 4%), and is nearly whole
/// from a fifth up, so the appointment book and the hotels (half or more on the books a week
/// out) and a chain's whole day keep their ratio, while a store's few reservations weeks
/// ahead of mostly walk-in nights do not. Synthetic restaurants, by store, walk-forward 14
/// and 28 days out: 28.4% / 30.8% → 27.8% / 29.2% MAPE; the nights with reservations among
/// 39 held-out days: 38.9% → 30.2%. A tenth did more there (27.1%) but cost the chain's
/// whole day, whose reserved guests are about a quarter of who comes: Turnout / best 0.71 /
/// 0.87 → 0.84 / 0.97 (`README.md`).
pub const RATIO_MIN_SHARE: f64 = 0.05;
/// The most a day's size may scale past events' pickup, either way.
pub const DAY_SCALE_MAX: f64 = 4.0;
/// The same for who comes where most walk in ([`DayOutlook::walk_ins`]: days counted at the
/// door, registrations under half of who came): there the registrations are one way in among
/// others, and a day with a quarter or four times the bookings is more often a change in how
/// people book than in how many come (the public restaurant export's reservations stop for
/// months of 2016 while its guests keep coming).
/// Within half as much again either way, a holiday's rush still carries. Synthetic chain with
/// a seven-week reservation drought (`bench/restaurant.py`, shares at 5% for 80 days), by
/// store, Turnout / best baseline 7 d / 1 d and pinball over P5–P95 (% of guests): at 4,
/// 0.963 / 0.896, 7.78 / 7.42; at 2, 0.919 / 0.861, 7.12 / 6.72; at 1.5, 0.893 / 0.837,
/// 6.89 / 6.46; at 1.25, 0.880 / 0.825, 6.82 / 6.39; without the day's size (1), 0.876 /
/// 0.823, 6.93 / 6.51. Without a drought 1.5 scores as 4 does (pinball 6.33 / 5.63 against
/// 6.34 / 5.65; at 1.25 6.40 / 5.72, at 1 6.67 / 6.05), and at the public export's scale
/// better (0.887 / 0.885 → 0.875 / 0.872).
pub const COUNTED_DAY_SCALE_MAX: f64 = 1.5;
/// A group's own nights from which its day of the week is measured when its day holds
/// several events (its walk-in nights, counted with nobody registered, when it has this
/// many; else all of them): four weeks' worth.
pub const WALK_IN_WEEKDAY_NIGHTS: usize = 28;
/// A group's own events with known attendance from which its pace is measured on them.
pub const PACE_OWN_EVENTS: usize = 10;
/// Own events from which a group's spreads are measured on the group alone.
pub const SPREAD_OWN_EVENTS: usize = 3;

/// Past events at one horizon, weighted by recency, with their group.
#[derive(Clone, Debug, Default)]
pub struct HistoryAt {
    /// (stats, weight, same group as the event forecast).
    pub events: Vec<(AtHorizon, f64, bool)>,
    /// The forecast event's local day of the week.
    pub weekday: Option<u8>,
    /// How the forecast event's whole day stands, when it holds several events.
    pub day: Option<DayOutlook>,
    /// The series' [`Series::clump`].
    pub clump: f64,
    /// How many events back a past event's weight halves ([`Series::half_life_at`]).
    pub half_life: f64,
}

/// The two pickup estimates of one event and what they rest on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Components {
    /// Additive: what is active now, kept and coming at past rates, plus the attendees past
    /// events gained after the same point.
    pub additive: f64,
    /// Multiplicative: what is active now times past events' attendance per active ticket.
    pub multiplicative: f64,
    /// How far the multiplicative estimate rests on its ratio (0–1); the rest of it is the
    /// additive estimate, where the ratio was measured on next to no ticket.
    pub ratio_trust: f64,
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
    /// How much the share of active tickets kept to the start varies between past events,
    /// beyond the coin flips (standard deviation of the share); `None` below two events.
    pub kept_spread: Option<f64>,
    /// Standard deviation of the attendees past events gained after this point, beyond
    /// counting noise (`None` while fewer than two past events say).
    /// Measured two ways ([`Components::late_sd`] weighs them): as counts (the additive
    /// estimate's residual) and as a share of the active tickets, scaled to this event (the
    /// multiplicative estimate's).
    pub late_sd_parts: Option<(f64, f64)>,
    /// The same for registrations still to come (before cancellations).
    pub late_regs_sd: Option<f64>,
    /// How many past events those spreads rest on (recency-weighted).
    pub spread_events: f64,
    /// How much more counts of tickets vary than counts of single tickets ([`Series::clump`]).
    pub clump: f64,
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
    /// How many events back a past event's weight halves ([`Series::half_life_at`]).
    pub half_life: f64,
    /// Past events behind the estimate, and of the same group.
    pub events: usize,
    pub same_group: usize,
}

impl Components {
    /// The attendees' pickup variation for a forecast whose combination gives the
    /// multiplicative estimate weight `w_mul`: the geometric mean of the count and share
    /// measures weighted by it (an even split at one half), since the count is the additive
    /// estimate's residual and the share the multiplicative one's. As far as the
    /// multiplicative estimate is the additive one ([`Components::ratio_trust`]), its
    /// residual is the count's: at a store whose guests walk in, a week out, seven
    /// reservations against a usual three scatter "guests per reservation" by 200 people,
    /// which is not how far a forecast of 71 that barely leans on that ratio can miss.
    /// `None` while fewer than two past events say.
    pub fn late_sd(&self, w_mul: f64) -> Option<f64> {
        let w = w_mul.clamp(0.0, 1.0) * self.ratio_trust.clamp(0.0, 1.0);
        self.late_sd_parts
            .map(|(count, share)| count.powf(1.0 - w) * share.powf(w))
    }
}

/// A past event known from its door count alone: no check-ins, and nobody registered by its
/// start (a night at a store that takes no reservation).
fn walk_in_only(a: &AtHorizon) -> bool {
    a.came.is_none() && a.headcount.is_some() && a.fin == 0.0
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
        let mut last: Option<(Option<i64>, (f64, f64))> = None;
        let mut scaled = |i: usize, mut a: AtHorizon| {
            if let Some(d) = day {
                let on = series.events[i].day;
                let (people, regs) = match last {
                    Some((seen, scales)) if seen == on && on.is_some() => scales,
                    _ => {
                        // As it stood as many days before as it lies before this one.
                        let before = d.day - on.unwrap_or(d.day);
                        let size = series.day_size(i, as_of - before * DAY);
                        // Within a factor of four either way: a past day that had next to
                        // nothing on the books at this point (a reservation system's first
                        // weeks) says little about how much bigger this one is, and "300
                        // against 0" would scale its pickup three-hundredfold. Who comes to
                        // a day most walk in to, within half as much again: the registrations
                        // still to come follow the day's registrations, the people at the
                        // door only as far as a holiday's rush.
                        let ratio = (d.active + 1.0) / (size + 1.0);
                        let within = |most: f64, w: f64| ratio.clamp(1.0 / most, most).powf(w);
                        let people = if d.walk_ins {
                            within(COUNTED_DAY_SCALE_MAX, d.weight)
                        } else {
                            within(DAY_SCALE_MAX, d.weight)
                        };
                        let scales = (people, within(DAY_SCALE_MAX, d.regs_weight));
                        last = Some((on, scales));
                        scales
                    }
                };
                a.pickup_scale = people;
                a.regs_scale = regs;
            }
            a
        };
        let half_life = series.half_life_at(as_of);
        let recent = series.known_before(as_of, start);
        let own = series.known_in_group(group, as_of, start, half_life);
        let mut events = Vec::with_capacity(recent.len() + own.len());
        // The group's own events, ranked among themselves; then the rest of the series.
        for (rank, &i) in own.iter().enumerate() {
            if let Some(stats) = series.at_horizon(i, h) {
                events.push((scaled(i, stats), recency_weight(rank, half_life), true));
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
                events.push((scaled(i, stats), recency_weight(rank, half_life), same));
            }
        }
        HistoryAt {
            events,
            weekday,
            day,
            clump: series.clump,
            half_life,
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
        // A night nobody registered for, counted at the door, is all walk-ins: it follows its
        // store's week, not the day's registrations elsewhere (where stores joined a
        // reservation system through the year, those grew and its guests did not).
        let pickup = |a: &AtHorizon| {
            if walk_in_only(a) {
                raw_pickup(a)
            } else {
                raw_pickup(a) * a.pickup_scale
            }
        };
        let late_of = |a: &AtHorizon| a.late * a.regs_scale;
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
        // What past events picked up is averaged robustly ([`huber_location`]): a night whose
        // tour group booked 30 rooms the day before, or a day with a burst of last-minute
        // appointments, counts as three scales from the rest, not as itself, so one such
        // event does not carry the next weeks' forecasts up. The scale never falls below
        // counting noise, so ordinary small counts are not trimmed.
        let clump = self.clump.max(1.0);
        let location = |set: &Set, f: &dyn Fn(&AtHorizon) -> f64| -> f64 {
            let items: Vec<(f64, f64)> = set.iter().map(|(a, w, _)| (f(a), *w)).collect();
            huber_location(&items, PICKUP_HUBER_K, |m| {
                (clump * m.abs().max(1.0)).sqrt()
            })
            .unwrap_or(0.0)
        };
        let pickup_all = location(&usable, &pickup);
        let late_regs_all = location(&usable, &late_of);
        let raw_all = sum(&usable, &raw_pickup);
        let day_factor = if raw_all > 0.0 {
            sum(&usable, &pickup) / raw_all
        } else {
            1.0
        };
        let mean_x_all = x_all / w_all;
        let k = GROUP_PRIOR_EVENTS;
        let borrows = !(grouped.is_empty() || w_group >= w_all);
        // The series' mean, scaled to the group's size, measured in what is being estimated:
        // attendance for the attendees still to come, registrations for the registrations.
        // (Measured in registrations, a store whose guests walk in was "800 times the series'
        // size" because its neighbours took no reservation at all, and so were its walk-ins.)
        let size_of = |f: &dyn Fn(&AtHorizon) -> f64| {
            if !borrows {
                return 1.0;
            }
            let all = sum(&usable, f) / w_all;
            if all > 0.0 {
                sum(&grouped, f) / w_group / all
            } else {
                1.0
            }
        };
        let (scale_y, scale_r) = (size_of(&target), size_of(&|a| a.fin));
        let (y_ratio, r_ratio, kept, late, late_regs, mean_x) = if !borrows {
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
            let shrink_mean = |f: &dyn Fn(&AtHorizon) -> f64, prior: f64, scale: f64| {
                (location(&grouped, f) * w_group + k * prior * scale) / (w_group + k)
            };
            (
                shrink_ratio(&target, y_ratio_all),
                shrink_ratio(&|a| a.fin, r_ratio_all),
                shrink_ratio(&|a| a.x_kept, kept_all),
                shrink_mean(&pickup, pickup_all, scale_y),
                shrink_mean(&late_of, late_regs_all, scale_r),
                // The size the group's estimates were measured at.
                (x_g + k * mean_x_all) / (w_group + k),
            )
        };
        let kept = kept.clamp(0.0, 1.0);
        // Day of the week ([`weekday_factor`]): what is still to come is scaled by how past
        // events on the same weekday picked up against all of them (the group's own events
        // when it has any). Not for a day of several events (but for a store's walk-in
        // nights, below): its size, which the pickup
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
        let walk_in_nights: Vec<&&(AtHorizon, f64, bool)> =
            grouped.iter().filter(|e| walk_in_only(&e.0)).collect();
        let weekday_factor = |f: &dyn Fn(&AtHorizon) -> f64| match (self.day, self.weekday) {
            (None, Some(wd)) => weekday_factor(
                weekly
                    .iter()
                    .filter_map(|(a, _, _)| Some((a.weekday?, f(a)))),
                wd,
            ),
            // A store whose guests walk in has its own week, measured on its walk-in nights
            // once there are four weeks of them (the day's size does not carry it there).
            (Some(_), Some(wd)) if walk_in_nights.len() >= WALK_IN_WEEKDAY_NIGHTS => {
                weekday_factor(
                    walk_in_nights
                        .iter()
                        .filter_map(|e| Some((e.0.weekday?, f(&e.0)))),
                    wd,
                )
            }
            // So does a store that takes reservations most nights, on all its nights: what
            // comes after the books are read (late bookings, walk-ins) keeps its week, and a
            // week or more out nothing on the books carries it. On 39 held-out days of the
            // synthetic chain: 28.6% → 27.4% MAPE (nights with a reservation 30.2% → 28.9%,
            // P5–P95 85.2% → 89.0%); the backtests a week and a day out, by store and at the
            // public export's scale, move under 0.002 of the best baseline.
            (Some(_), Some(wd)) if grouped.len() >= WALK_IN_WEEKDAY_NIGHTS => weekday_factor(
                grouped.iter().filter_map(|e| Some((e.0.weekday?, f(&e.0)))),
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
        // never negative. Measured series-wide, or on the group's own events once it has
        // [`PACE_OWN_EVENTS`] whose registrants' attendance is known (a hotel of a file of
        // two: measured across both, or not at all, its week-out forecast missed by 25.2%
        // against 23.6%); not on a few, nor where who came is a door count (a restaurant's
        // pickup is walk-ins, which its reservations' pace does not foretell).
        let size_ratio = if mean_x > 0.0 { x / mean_x } else { 1.0 };
        let checked: Vec<&(AtHorizon, f64, bool)> = grouped
            .iter()
            .copied()
            .filter(|e| e.0.came.is_some())
            .collect();
        let pace_set: Option<(&Set, f64)> = if grouped.is_empty() || w_group >= w_all {
            (usable.len() >= 3).then_some((&usable[..], w_all))
        } else if checked.len() >= PACE_OWN_EVENTS {
            Some((&checked[..], weight(&checked)))
        } else {
            None
        };
        // The same pace moves the registrations still to come (regressed on them), or the
        // forecast would say "73 registrations by the start" beside "79 people" at a hotel
        // where 97% of bookings come.
        let pace_of = |f: &dyn Fn(&AtHorizon) -> f64, usual: f64| match pace_set {
            Some((set, w_set)) if w_set > 0.0 => {
                let pm = sum(set, f) / w_set;
                let rm = sum(set, &|a| a.recent) / w_set;
                let sxy = sum(set, &|a| (a.recent - rm) * (f(a) - pm));
                let sxx = sum(set, &|a| (a.recent - rm) * (a.recent - rm));
                let slope = (sxy / (sxx + PACE_SHRINK * rm.max(1.0))).max(0.0);
                // Only among events of a like size (none beyond four times larger or
                // smaller), and never more than doubling or cancelling the usual pickup.
                let bound = usual.abs();
                (slope * (recent - rm) * (1.0 - size_distance(size_ratio))).clamp(-bound, bound)
            }
            _ => 0.0,
        };
        let late = late + pace_of(&pickup, late);
        let late_regs = late_regs + pace_of(&late_of, late_regs);
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
        // How far past events strayed: the basis of the interval's parametric part.
        // A group with a few events of its own is measured on them: across a series of
        // groups, pickup varies with each group's size, which is not this group's uncertainty
        // (appointments by neighbourhood a week out: 90% of P10–P90 intervals held the truth,
        // 84% measured on the own group).
        // Measured on the whole series, the pickup's variation as counts is that of the
        // series' size and is scaled to the group's, as its borrowed pickup is: a new store
        // among stores of every size drew the chain's scatter of 30 guests around its own
        // usual 11, a P10–P90 of 0–180 the day before a night of 25.
        let (spread_set, count_scale): (&Set, (f64, f64)) = if grouped.len() >= SPREAD_OWN_EVENTS {
            (&grouped, (1.0, 1.0))
        } else {
            (&usable, (scale_y, scale_r))
        };
        let spreads = Spreads::of(spread_set, clump, x, count_scale, &pickup, &late_of);
        // A ratio of almost nothing says almost nothing: a week out, a restaurant night may
        // hold no reservation yet, and "none times the usual ratio" is not a forecast of an
        // empty room. The multiplicative estimates lean on the additive ones while the active
        // tickets are few.
        let additive = expected_now * kept + late.max(0.0);
        let additive_regs = x * kept + late_regs;
        // Nor does a ratio measured on almost nothing: where past events had next to no
        // ticket at this point (a restaurant whose guests mostly walk in), "attendance per
        // ticket" is a headcount divided by a fraction of a reservation, and two reservations
        // tonight made a multiplicative estimate of 60,000.
        let support = mean_x.max(0.0) / (mean_x.max(0.0) + RATIO_MIN_TICKETS);
        let trust = x.max(0.0) / (x.max(0.0) + RATIO_MIN_TICKETS) * support;
        // And a ratio says how a night scales with what is on its books only where that is a
        // real part of who comes ([`RATIO_MIN_SHARE`]): a month out, a restaurant's books
        // held 0.3 reservations a night against 45 guests, and six reservations on one
        // Monday made "6 × 145" of a night that drew 40.
        let trust_in = |ratio: f64| {
            let share = if ratio > 0.0 { 1.0 / ratio } else { 1.0 };
            let c = RATIO_MIN_SHARE;
            trust * share * share / (share * share + c * c)
        };
        let lean = |ratio: f64, other: f64| {
            let t = trust_in(ratio);
            t * x * ratio + (1.0 - t) * other
        };
        Some(Components {
            additive,
            multiplicative: lean(y_ratio, additive),
            ratio_trust: trust_in(y_ratio),
            additive_regs,
            multiplicative_regs: lean(r_ratio, additive_regs),
            kept,
            late_attendees: late.max(0.0),
            late_regs,
            walk_ins,
            showup_spread: spreads.showup,
            kept_spread: spreads.kept,
            late_sd_parts: spreads.late_parts,
            late_regs_sd: spreads.late_regs,
            spread_events: spreads.events,
            clump,
            size_ratio,
            weekday_factor: week,
            day_factor,
            half_life: self.half_life,
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::series::fixtures::*;
    use crate::analysis::series::{Reg, SeriesEvent};

    /// Twelve events of `group` of one size, every ten days, whose late pickup is
    /// `late(recent)` for the signups in the three days before the point a week out (5, 10,
    /// 15 or 20 of 40 active).
    fn paced_events(group: &str, offset: i64, late: impl Fn(i64) -> i64) -> Vec<SeriesEvent> {
        let h = 7 * DAY;
        let mut events = Vec::new();
        for k in 0..12i64 {
            let start = (100 + 10 * k) * DAY + offset;
            let cut = start - h;
            let recent = 5 + (k % 4) * 5;
            let mut regs = Vec::new();
            for i in 0..(40 - recent) {
                regs.push(reg(cut - 20 * DAY + i, i64::MAX, true));
            }
            for i in 0..recent {
                regs.push(reg(cut - DAY - i, i64::MAX, true));
            }
            for i in 0..late(recent) {
                regs.push(reg(cut + DAY + i, i64::MAX, true));
            }
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
        events
    }

    /// Events of one size whose late pickup follows how many signed up in the three days
    /// before the point: the additive estimate follows the pace, within bounds.
    #[test]
    fn pickup_follows_the_pace_of_recent_signups() {
        let h = 7 * DAY;
        // Late pickup: twice the recent signups.
        let events = paced_events("", 0, |recent| 2 * recent);
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

    /// Two hotels in one file, split by hotel: one's late bookings follow its pace, the
    /// other's do not. The first, with a dozen nights of its own, follows its own pace; a
    /// group with two nights does not measure one.
    #[test]
    fn a_group_with_enough_events_follows_its_own_pace() {
        let h = 7 * DAY;
        let mut events = paced_events("city", 0, |recent| 2 * recent);
        events.extend(paced_events("resort", DAY / 2, |_| 25));
        let at = 300 * DAY;
        let (s, e) = with_focus(events.clone(), "city", None, at + h);
        let history = HistoryAt::new(&s, e, at, at + h, h);
        let slow = history.components(40.0, 5.0, 40.0, 0.7).unwrap();
        let fast = history.components(40.0, 20.0, 40.0, 0.7).unwrap();
        assert_eq!(slow.same_group, 12);
        assert!(slow.late_attendees < 20.0, "{slow:?}");
        assert!(fast.late_attendees > 30.0, "{fast:?}");
        // The resort's steady pickup has no pace to follow.
        let (s, e) = with_focus(events.clone(), "resort", None, at + h);
        let history = HistoryAt::new(&s, e, at, at + h, h);
        let slow = history.components(40.0, 5.0, 40.0, 0.7).unwrap();
        let fast = history.components(40.0, 20.0, 40.0, 0.7).unwrap();
        assert!(
            (fast.late_attendees - slow.late_attendees).abs() < 1.0,
            "{slow:?} {fast:?}"
        );
        // A new hall with two nights of its own borrows the series' level, not a slope.
        let mut few = events;
        few.extend(
            paced_events("hall", DAY / 4, |recent| 2 * recent)
                .into_iter()
                .take(2),
        );
        let (s, e) = with_focus(few, "hall", None, at + h);
        let history = HistoryAt::new(&s, e, at, at + h, h);
        let slow = history.components(40.0, 5.0, 40.0, 0.7).unwrap();
        let fast = history.components(40.0, 20.0, 40.0, 0.7).unwrap();
        assert_eq!(slow.same_group, 2);
        assert_eq!(slow.late_attendees, fast.late_attendees);
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
        assert!(
            before
                .iter()
                .all(|&w| w == recency_weight(1, history.half_life)),
            "{before:?}"
        );
    }

    /// An event of `group` starting at `start`: `early` registrations five days before, `late`
    /// in its last hour, all of whom came.
    fn early_and_late(
        label: String,
        group: &str,
        start: i64,
        early: i64,
        late: i64,
    ) -> SeriesEvent {
        let mut regs: Vec<Reg> = (0..early)
            .map(|i| reg(start - 5 * DAY + i, i64::MAX, true))
            .collect();
        regs.extend((0..late).map(|i| reg(start - 3_600 - i, i64::MAX, true)));
        regs.sort_by_key(|r| r.t);
        SeriesEvent {
            label,
            group: group.into(),
            start: Some(start),
            regs,
            has_checkins: true,
            ..SeriesEvent::default()
        }
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
                events.push(early_and_late(
                    format!("{group}{k}"),
                    group,
                    start,
                    early,
                    late,
                ));
            }
        }
        let at = 200 * DAY;
        let (s, e) = with_focus(events.clone(), "big", None, at + h);
        let big = HistoryAt::new(&s, e, at, at + h, h)
            .components(60.0, 0.0, 60.0, 0.7)
            .unwrap();
        assert_eq!(big.same_group, 10);
        // Pickup 90 every time: no spread beyond counting (the whole series says about ±39).
        assert_eq!(big.late_sd(0.5), Some(0.0), "{big:?}");
        // 60 active now against the group's (mostly) 60, not the series' 31.5.
        assert!((big.size_ratio - 1.0).abs() < 0.2, "{big:?}");
        assert!((big.late_attendees - 90.0).abs() < 10.0, "{big:?}");
        // With fewer than three events of its own, the series speaks for the group.
        let few = HistoryAt::new(&s, e, 102 * DAY + 1, 102 * DAY + h, h)
            .components(60.0, 0.0, 60.0, 0.7)
            .unwrap();
        assert_eq!(few.same_group, 2);
        assert!(few.late_sd(0.5).unwrap() > 20.0, "{few:?}");
        // Borrowed, the series' scatter of pickup as counts (90 against 12: about ±39) is
        // scaled to the group's size as its borrowed pickup is: the small group draws 15 where
        // the series' events drew 82 on average, so about ±7, not ±39 around its own 12.
        let (s, e) = with_focus(events, "small", None, 102 * DAY + h);
        let small = HistoryAt::new(&s, e, 102 * DAY + 1, 102 * DAY + h, h)
            .components(3.0, 0.0, 3.0, 0.7)
            .unwrap();
        assert_eq!(small.same_group, 2);
        let count = small.late_sd_parts.unwrap().0;
        assert!(count > 3.0 && count < 12.0, "{small:?}");
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

    /// Nights whose guests mostly come without a booking: a day out, past nights held a
    /// booking every other night against 45 guests. Tonight's six bookings say little about
    /// tonight's size, and the multiplicative estimate ("6 × 89") stays near the additive one
    /// (trusting the ratio on the tickets alone, it was 272 against 50).
    #[test]
    fn a_ratio_of_a_sliver_of_the_room_does_not_scale_the_night() {
        let h = DAY;
        let mut events = Vec::new();
        for k in 0..28i64 {
            let start = (100 + k) * DAY;
            events.push(early_and_late(format!("e{k}"), "", start, k % 2, 44));
        }
        let at = 200 * DAY;
        let (s, e) = with_focus(events, "", None, at + h);
        let c = HistoryAt::new(&s, e, at, at + h, h)
            .components(6.0, 0.0, 6.0, 0.7)
            .unwrap();
        assert!((c.additive - 50.0).abs() < 3.0, "{c:?}");
        assert!(c.multiplicative < 1.25 * c.additive, "{c:?}");
        assert!(c.multiplicative_regs < 1.25 * c.additive_regs, "{c:?}");
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
