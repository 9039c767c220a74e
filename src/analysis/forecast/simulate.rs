//! The attendance distribution by seeded Monte Carlo.
//!
//! Each draw takes one percentile of the forecast's uncertainty (the same one for attendance
//! and final registrations, which move together), walk-ins, and flagged registrations at
//! their rate with the shared event-day shock. The percentiles are stratified, one per
//! `1/n` of the distribution, so the forecast's own P50 is its point estimate and its
//! intervals carry no sampling noise; the other draws reuse one fixed table of random
//! numbers, so moving a slider moves the answer smoothly and P(attendance > capacity) can
//! only fall as capacity rises.

use std::sync::{Arc, Mutex, OnceLock};

use super::engine::Spread;
use crate::analysis::stats::normal_quantile;

/// Draws per forecast: 10,000 keep the 5th and 95th percentiles steady to about 1%.
pub const DRAWS: usize = 10_000;
/// Normals per draw: the forecast's percentile, the shock on flagged, walk-ins, flagged noise.
const Z: usize = 4;

/// The fixed draws' standard normals (the first only orders them, [`by_percentile`]).
fn normals() -> &'static [[f64; Z]] {
    static TABLE: OnceLock<Vec<[f64; Z]>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut rng = crate::demo::rng::Rng::new(0x7E11_0075);
        (0..DRAWS)
            .map(|_| std::array::from_fn(|_| rng.normal()))
            .collect()
    })
}

/// One draw of a run of `n`: the table row of its other normals, and its stratified
/// percentile (`(rank + ½) / n`) with the standard normal there.
#[derive(Clone, Copy)]
struct Stratum {
    row: u32,
    z: f64,
    p: f64,
}

/// The first `n` draws in order of their first normal, which is replaced by the normal at
/// the draw's stratum: attendance and registrations rise with it, so draws taken in this
/// order come out sorted (no sort per forecast). Taken as they came, the first 2,000
/// normals have their median at −0.04, which put every backtest P50 1–7% below its point
/// estimate (more, the wider the interval).
fn by_percentile(n: usize) -> Arc<Vec<Stratum>> {
    /// Orders by draw count.
    type Orders = Vec<(usize, Arc<Vec<Stratum>>)>;
    static ORDERS: OnceLock<Mutex<Orders>> = OnceLock::new();
    let orders = ORDERS.get_or_init(Default::default);
    let mut orders = orders.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((_, o)) = orders.iter().find(|(k, _)| *k == n) {
        return o.clone();
    }
    let table = normals();
    let mut rows: Vec<u32> = (0..n as u32).collect();
    rows.sort_by(|&a, &b| table[a as usize][0].total_cmp(&table[b as usize][0]));
    let order: Arc<Vec<Stratum>> = Arc::new(
        rows.into_iter()
            .enumerate()
            .map(|(rank, row)| {
                let p = (rank as f64 + 0.5) / n as f64;
                Stratum {
                    row,
                    z: normal_quantile(p),
                    p,
                }
            })
            .collect(),
    );
    // A handful of draw counts are ever used (10,000 and 2,000); keep a few.
    if orders.len() >= 8 {
        orders.remove(0);
    }
    orders.push((n, order.clone()));
    order
}

/// The percentiles a forecast shows, of `n` values in rising order (`value(k)`, the `k`th),
/// interpolated between neighbours.
fn percentiles(n: usize, value: impl Fn(usize) -> f64) -> super::Quantiles {
    let q = |p: f64| {
        if n == 0 {
            return 0.0;
        }
        let x = p * (n - 1) as f64;
        let (k, f) = (x.floor() as usize, x.fract());
        let lo = value(k);
        lo + f * (value((k + 1).min(n - 1)) - lo)
    };
    super::Quantiles {
        p5: q(0.05),
        p10: q(0.10),
        p50: q(0.50),
        p90: q(0.90),
        p95: q(0.95),
    }
}

/// What one forecast feeds the simulation.
#[derive(Clone, Debug, Default)]
pub struct Inputs {
    /// Median attendance of genuine registrants, and its spread (log scale).
    pub attendance: f64,
    pub attendance_spread: Spread,
    /// Median final genuine registrations, and its spread.
    pub registrations: f64,
    pub registrations_spread: Spread,
    /// Walk-ins: mean and standard deviation.
    pub walk_ins: (f64, f64),
    /// Flagged registrations counted, and their rate (0 when excluded).
    pub flagged: f64,
    pub flagged_rate: f64,
    /// Log-scale spread of the shared event-day shock (applies to flagged ones too).
    pub shock: f64,
    /// Genuine registrants known to have come already (checked in at an event under way): no
    /// draw has fewer.
    pub came: f64,
}

/// The draws, sorted where the percentiles need it.
#[derive(Clone, Debug, Default)]
pub struct Simulation {
    /// Attendance per draw, sorted.
    attendance: Vec<f64>,
    /// Prefix sums of `attendance`, for expected shortfall and excess.
    prefix: Vec<f64>,
    /// Final genuine registrations per draw, sorted.
    registrations: Vec<f64>,
    /// Per draw (unsorted): genuine attendees and final genuine registrations, people from
    /// elsewhere (walk-ins, flagged) and everyone, for the newsvendor.
    drawn: Vec<(f64, f64)>,
    others: Vec<f64>,
    total: Vec<f64>,
}

impl Simulation {
    pub fn run(i: &Inputs, draws: usize) -> Simulation {
        let table = normals();
        let n = draws.clamp(1, DRAWS);
        let order = by_percentile(n);
        let mut s = Simulation {
            attendance: Vec::with_capacity(n),
            registrations: Vec::with_capacity(n),
            drawn: Vec::with_capacity(n),
            others: Vec::with_capacity(n),
            total: Vec::with_capacity(n),
            prefix: Vec::new(),
        };
        let half_var = i.shock * i.shock / 2.0;
        let f_var = i.flagged * i.flagged_rate * (1.0 - i.flagged_rate);
        for st in order.iter() {
            let z = &table[st.row as usize];
            let genuine = (i.attendance * i.attendance_spread.at_p(st.z, st.p).exp()).max(i.came);
            let registrations =
                (i.registrations * i.registrations_spread.at_p(st.z, st.p).exp()).max(0.0);
            let walk_ins = (i.walk_ins.0 + i.walk_ins.1 * z[2]).max(0.0);
            // The event-day shock moves the flagged registrations counted; with none (the
            // default) its exponential is not worth a tenth of the slider's millisecond.
            let flagged = if i.flagged > 0.0 {
                let shock = (i.shock * z[1] - half_var).exp();
                (shock * i.flagged * i.flagged_rate + f_var.sqrt() * z[3]).max(0.0)
            } else {
                0.0
            };
            let total = genuine + walk_ins + flagged;
            s.attendance.push(total);
            s.total.push(total);
            s.registrations.push(registrations);
            s.drawn.push((genuine, registrations));
            s.others.push(walk_ins + flagged);
        }
        // Registrations rise with the percentile: already sorted. Attendance too, unless
        // walk-ins or flagged registrations add noise of their own.
        let sorted = |v: &[f64]| v.windows(2).all(|w| w[0] <= w[1]);
        if !sorted(&s.attendance) {
            s.attendance.sort_unstable_by(f64::total_cmp);
        }
        if !sorted(&s.registrations) {
            s.registrations.sort_unstable_by(f64::total_cmp);
        }
        let mut acc = 0.0;
        s.prefix = std::iter::once(0.0)
            .chain(s.attendance.iter().map(|a| {
                acc += a;
                acc
            }))
            .collect();
        s
    }

    /// The attendance and final-registrations percentiles [`Simulation::run`] would give,
    /// without drawing, when nothing but the forecast's own spread varies (no walk-ins with a
    /// spread, no flagged registrations counted): each draw is then a fixed function of its
    /// stratum, rising with it, so a percentile needs only the two draws around it. The
    /// backtest of a restaurant chain makes 700,000 forecasts; drawing each took half its
    /// time. `None` when the simulation must run.
    pub fn quantiles_of(i: &Inputs, draws: usize) -> Option<(super::Quantiles, super::Quantiles)> {
        if i.walk_ins.1 != 0.0 || i.flagged != 0.0 {
            return None;
        }
        let n = draws.clamp(1, DRAWS);
        let order = by_percentile(n);
        let walk_ins = i.walk_ins.0.max(0.0);
        let quantiles = |median: f64, spread: &Spread, floor: f64, extra: f64| {
            percentiles(n, |k| {
                let st = order[k];
                (median * spread.at_p(st.z, st.p).exp()).max(floor) + extra
            })
        };
        Some((
            quantiles(
                i.attendance,
                &i.attendance_spread,
                i.came.max(0.0),
                walk_ins,
            ),
            quantiles(i.registrations, &i.registrations_spread, 0.0, 0.0),
        ))
    }

    pub fn draws(&self) -> usize {
        self.attendance.len()
    }

    pub fn mean(&self) -> f64 {
        self.prefix.last().copied().unwrap_or(0.0) / self.draws().max(1) as f64
    }

    fn quantiles(sorted: &[f64]) -> super::Quantiles {
        percentiles(sorted.len(), |k| sorted[k])
    }

    pub fn attendance_quantiles(&self) -> super::Quantiles {
        Simulation::quantiles(&self.attendance)
    }

    pub fn registrations_quantiles(&self) -> super::Quantiles {
        Simulation::quantiles(&self.registrations)
    }

    /// Share of draws with more people than `capacity`.
    pub fn p_over(&self, capacity: f64) -> f64 {
        let within = self.attendance.partition_point(|&a| a <= capacity);
        (self.draws() - within) as f64 / self.draws().max(1) as f64
    }

    /// Expected empty places out of `capacity`.
    pub fn expected_shortfall(&self, capacity: f64) -> f64 {
        let k = self.attendance.partition_point(|&a| a < capacity);
        (capacity * k as f64 - self.prefix[k]) / self.draws().max(1) as f64
    }

    /// Expected people beyond `capacity`.
    pub fn expected_excess(&self, capacity: f64) -> f64 {
        let k = self.attendance.partition_point(|&a| a <= capacity);
        let above = self.prefix[self.draws()] - self.prefix[k];
        (above - capacity * (self.draws() - k) as f64) / self.draws().max(1) as f64
    }

    /// The `1 − service_level` quantile of per-draw limits: the largest value that stays
    /// within its limit in a share `service_level` of the draws.
    fn newsvendor(limits: &mut [f64], service_level: f64) -> Option<f64> {
        if limits.is_empty() {
            return None;
        }
        let k = (((1.0 - service_level) * (limits.len() - 1) as f64).round() as usize)
            .min(limits.len() - 1);
        let (_, &mut r, _) = limits.select_nth_unstable_by(k, f64::total_cmp);
        r.is_finite().then_some(r)
    }

    /// Genuine registrations holding a place at which attendance stays within `capacity` in
    /// a share `service_level` of the draws (the newsvendor quantity). `withdrawn` of each
    /// draw's registrations hold none (cancelled or declined without a time, counted by the
    /// forecast as registrations that do not come): people per registration are measured
    /// on those that hold one, or a hackathon's declined applications would dilute the
    /// show-up and let the hall "take" far more than it holds.
    pub fn registrations_for(
        &self,
        capacity: f64,
        service_level: f64,
        withdrawn: f64,
    ) -> Option<f64> {
        let mut limits: Vec<f64> = self
            .drawn
            .iter()
            .zip(&self.others)
            .map(|(&(genuine, r), &other)| {
                // A draw of fewer registrations than have withdrawn says nothing of those
                // holding a place: measured on all of them.
                let holding = if r > withdrawn { r - withdrawn } else { r };
                if genuine > 0.0 && r > 0.0 {
                    ((capacity - other) / genuine * holding).max(0.0)
                } else {
                    f64::INFINITY
                }
            })
            .collect();
        Simulation::newsvendor(&mut limits, service_level)
    }

    /// People who can still be admitted (each coming at `rate`) with attendance within
    /// `capacity` in a share `service_level` of the draws.
    pub fn admissible(&self, capacity: f64, service_level: f64, rate: f64) -> f64 {
        let mut limits: Vec<f64> = self
            .total
            .iter()
            .map(|&t| ((capacity - t) / rate.max(1e-6)).max(0.0))
            .collect();
        Simulation::newsvendor(&mut limits, service_level).unwrap_or(0.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inputs() -> Inputs {
        Inputs {
            attendance: 6_000.0,
            attendance_spread: Spread::parametric(0.15),
            registrations: 12_000.0,
            registrations_spread: Spread::parametric(0.1),
            shock: 0.1,
            ..Inputs::default()
        }
    }

    #[test]
    fn percentiles_nest_and_the_median_is_right() {
        let s = Simulation::run(&inputs(), DRAWS);
        let q = s.attendance_quantiles();
        assert!(q.p5 <= q.p10 && q.p10 <= q.p50 && q.p50 <= q.p90 && q.p90 <= q.p95);
        assert!((q.p50 - 6_000.0).abs() < 60.0, "{}", q.p50);
        let r = s.registrations_quantiles();
        assert!(r.p10 < 12_000.0 && r.p90 > 12_000.0);
    }

    /// Without walk-ins or flagged registrations, the percentiles are the forecast's own, at
    /// any number of draws: no sampling noise leans the P50 off the point estimate (the
    /// first 2,000 random normals have their median at −0.04, which put every backtest P50 a
    /// few percent low).
    #[test]
    fn the_forecasts_percentiles_carry_no_sampling_noise() {
        for n in [2_000, DRAWS] {
            let mut i = inputs();
            i.attendance_spread = Spread::parametric(0.5);
            let q = Simulation::run(&i, n).attendance_quantiles();
            assert!((q.p50 / 6_000.0 - 1.0).abs() < 1e-3, "{n}: {q:?}");
            let p90 = 6_000.0 * (0.5f64 * 1.281_551_6).exp();
            assert!((q.p90 / p90 - 1.0).abs() < 2e-3, "{n}: {q:?}");
            let r = Simulation::run(&i, n).registrations_quantiles();
            assert!((r.p50 / 12_000.0 - 1.0).abs() < 1e-3, "{n}: {r:?}");
        }
    }

    /// The backtest's shortcut gives what drawing gives, and steps aside when walk-ins or
    /// flagged registrations add noise of their own.
    #[test]
    fn percentiles_without_drawing_are_the_drawn_ones() {
        let misses: Vec<(f64, f64)> = (0..30).map(|k| ((k as f64 - 12.0) / 40.0, 0.1)).collect();
        for n in [1, 7, 2_000, DRAWS] {
            let i = Inputs {
                attendance: 37.0,
                attendance_spread: Spread::parametric(0.2).with_misses(&misses),
                registrations: 12.0,
                registrations_spread: Spread::parametric(0.3),
                walk_ins: (20.0, 0.0),
                ..Inputs::default()
            };
            let sim = Simulation::run(&i, n);
            let (a, r) = Simulation::quantiles_of(&i, n).expect("nothing else varies");
            assert_eq!(a, sim.attendance_quantiles(), "{n}");
            assert_eq!(r, sim.registrations_quantiles(), "{n}");
            assert!(a.p50 > 20.0 && (n == 1 || a.p5 < a.p95), "{n}: {a:?}");
            let noisy = Inputs {
                walk_ins: (20.0, 5.0),
                ..i.clone()
            };
            assert!(Simulation::quantiles_of(&noisy, n).is_none());
        }
    }

    /// At an event under way nobody who checked in can un-come: no percentile falls below
    /// the check-ins, drawn or not, and the ones above them are the forecast's own.
    #[test]
    fn check_ins_so_far_are_the_floor() {
        let i = Inputs {
            came: 6_300.0,
            ..inputs()
        };
        let (a, _) = Simulation::quantiles_of(&i, DRAWS).expect("nothing else varies");
        assert_eq!(a, Simulation::run(&i, DRAWS).attendance_quantiles());
        assert_eq!((a.p5, a.p10, a.p50), (6_300.0, 6_300.0, 6_300.0), "{a:?}");
        let free = Simulation::run(&inputs(), DRAWS).attendance_quantiles();
        assert_eq!((a.p90, a.p95), (free.p90, free.p95));
        assert!(free.p10 < 6_300.0);
    }

    #[test]
    fn capacity_answers_agree_with_each_other() {
        let s = Simulation::run(&inputs(), DRAWS);
        let mut last = 1.0;
        for c in [3_000.0, 5_000.0, 6_000.0, 7_000.0, 9_000.0] {
            let p = s.p_over(c);
            assert!(p <= last);
            last = p;
            assert!(s.expected_shortfall(c) >= 0.0 && s.expected_excess(c) >= 0.0);
            // Mean − capacity = excess − shortfall.
            let lhs = s.mean() - c;
            let rhs = s.expected_excess(c) - s.expected_shortfall(c);
            assert!((lhs - rhs).abs() < 1e-6 * c, "{lhs} {rhs}");
        }
        // Turning guests away costs more than empty seats: accept fewer than the median fits.
        let strict = s.registrations_for(6_000.0, 0.9, 0.0).unwrap();
        let loose = s.registrations_for(6_000.0, 0.5, 0.0).unwrap();
        assert!(strict < loose, "{strict} {loose}");
        // Room for more only where the hall is not already full.
        assert_eq!(s.admissible(4_000.0, 0.75, 0.5), 0.0);
        assert!(s.admissible(9_000.0, 0.75, 0.5) > 2_000.0);
    }
}
