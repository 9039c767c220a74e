//! The attendance distribution by seeded Monte Carlo.
//!
//! Each draw picks how many more will sign up (log-normal around the pickup forecast), the
//! event-day shock every registrant shares (log-normal, mean one), and then the segments'
//! coin flips and rate uncertainty (normal: thousands of registrants add up). The draws reuse
//! one fixed table of random numbers, so moving a slider moves the answer smoothly and
//! P(attendance > capacity) can only fall as capacity rises.

use std::sync::OnceLock;

/// Draws per forecast: 10,000 keep the 5th and 95th percentiles steady to about 1%.
pub const DRAWS: usize = 10_000;
/// Normals per draw: signups to come, shock, coin flips, rates, walk-ins, flagged noise.
const Z: usize = 6;

fn normals() -> &'static [[f64; Z]] {
    static TABLE: OnceLock<Vec<[f64; Z]>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut rng = crate::demo::rng::Rng::new(0x7E11_0075);
        (0..DRAWS)
            .map(|_| std::array::from_fn(|_| rng.normal()))
            .collect()
    })
}

/// What one forecast feeds the simulation.
#[derive(Clone, Debug, Default)]
pub struct Inputs {
    /// Genuine registrations so far.
    pub genuine: f64,
    /// Expected attendance of them (sum of tickets × rate), its coin-flip variance, and the
    /// standard deviation from not knowing the rates exactly. Segment rates share their
    /// parents in the calibration, so their errors are added up, not as independent.
    pub now_mean: f64,
    pub now_binomial: f64,
    pub now_rate_sd: f64,
    /// Median of signups still to come and its log-scale spread.
    pub future: f64,
    pub future_sigma: f64,
    /// Show-up rate of a future signup and that rate's standard deviation.
    pub future_rate: f64,
    pub future_rate_sd: f64,
    /// Log-scale spread of the shared event-day shock.
    pub shock: f64,
    pub walk_ins: f64,
    /// Flagged registrations counted, and their rate (0 when excluded).
    pub flagged: f64,
    pub flagged_rate: f64,
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
    /// Per draw (unsorted): people per genuine registration, and people from elsewhere
    /// (walk-ins, flagged), for the newsvendor.
    per_registration: Vec<f64>,
    others: Vec<f64>,
}

impl Simulation {
    pub fn run(i: &Inputs, draws: usize) -> Simulation {
        let table = &normals()[..draws.clamp(1, DRAWS)];
        let mut s = Simulation {
            attendance: Vec::with_capacity(table.len()),
            registrations: Vec::with_capacity(table.len()),
            per_registration: Vec::with_capacity(table.len()),
            others: Vec::with_capacity(table.len()),
            prefix: Vec::new(),
        };
        let half_var = i.shock * i.shock / 2.0;
        let fut_binomial = i.future_rate * (1.0 - i.future_rate);
        for z in table {
            let future = if i.future > 0.0 {
                i.future * (i.future_sigma * z[0]).exp()
            } else {
                0.0
            };
            let shock = (i.shock * z[1] - half_var).exp();
            let mean = shock * (i.now_mean + i.future_rate * future);
            let coin_flips = (i.now_binomial + future * fut_binomial).sqrt() * z[2];
            let rates = (i.now_rate_sd + future * i.future_rate_sd) * z[3];
            let genuine = (mean + coin_flips + rates).max(0.0);
            let walk_ins = (i.walk_ins + i.walk_ins.sqrt() * z[4]).max(0.0);
            let f_mean = shock * i.flagged * i.flagged_rate;
            let f_var = i.flagged * i.flagged_rate * (1.0 - i.flagged_rate);
            let flagged = (f_mean + f_var.sqrt() * z[5]).max(0.0);
            let registrations = i.genuine + future;
            s.attendance.push(genuine + walk_ins + flagged);
            s.registrations.push(registrations);
            s.per_registration.push(if registrations > 0.0 {
                genuine / registrations
            } else {
                0.0
            });
            s.others.push(walk_ins + flagged);
        }
        s.attendance.sort_unstable_by(f64::total_cmp);
        s.registrations.sort_unstable_by(f64::total_cmp);
        let mut acc = 0.0;
        s.prefix = std::iter::once(0.0)
            .chain(s.attendance.iter().map(|a| {
                acc += a;
                acc
            }))
            .collect();
        s
    }

    pub fn draws(&self) -> usize {
        self.attendance.len()
    }

    pub fn mean(&self) -> f64 {
        self.prefix.last().copied().unwrap_or(0.0) / self.draws().max(1) as f64
    }

    fn quantiles(sorted: &[f64]) -> super::Quantiles {
        let q = |p: f64| {
            if sorted.is_empty() {
                return 0.0;
            }
            let x = p * (sorted.len() - 1) as f64;
            let (i, f) = (x.floor() as usize, x.fract());
            let next = sorted[(i + 1).min(sorted.len() - 1)];
            sorted[i] + f * (next - sorted[i])
        };
        super::Quantiles {
            p5: q(0.05),
            p10: q(0.10),
            p50: q(0.50),
            p90: q(0.90),
            p95: q(0.95),
        }
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

    /// Genuine registrations at which attendance stays within `capacity` in a share
    /// `service_level` of the draws (the newsvendor quantity).
    pub fn registrations_for(&self, capacity: f64, service_level: f64) -> Option<f64> {
        let mut limits: Vec<f64> = self
            .per_registration
            .iter()
            .zip(&self.others)
            .map(|(&rho, &other)| {
                if rho > 0.0 {
                    ((capacity - other) / rho).max(0.0)
                } else {
                    f64::INFINITY
                }
            })
            .collect();
        if limits.is_empty() {
            return None;
        }
        // P(limit ≥ R) = service level  ⇔  R = the (1 − service level) quantile of limits.
        let k = (((1.0 - service_level) * (limits.len() - 1) as f64).round() as usize)
            .min(limits.len() - 1);
        let (_, &mut r, _) = limits.select_nth_unstable_by(k, f64::total_cmp);
        r.is_finite().then_some(r)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inputs() -> Inputs {
        Inputs {
            genuine: 10_000.0,
            now_mean: 5_000.0,
            now_binomial: 2_500.0,
            now_rate_sd: 100.0,
            future: 2_000.0,
            future_sigma: 0.3,
            future_rate: 0.5,
            future_rate_sd: 0.01,
            shock: 0.1,
            ..Inputs::default()
        }
    }

    #[test]
    fn percentiles_nest_and_the_mean_is_right() {
        let s = Simulation::run(&inputs(), DRAWS);
        let q = s.attendance_quantiles();
        assert!(q.p5 <= q.p10 && q.p10 <= q.p50 && q.p50 <= q.p90 && q.p90 <= q.p95);
        // 5,000 now plus half of about 2,090 to come.
        assert!((s.mean() - 6_045.0).abs() < 60.0, "{}", s.mean());
        let r = s.registrations_quantiles();
        assert!(r.p10 < 12_000.0 && r.p90 > 12_000.0);
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
        let strict = s.registrations_for(6_000.0, 0.9).unwrap();
        let loose = s.registrations_for(6_000.0, 0.5).unwrap();
        assert!(strict < loose, "{strict} {loose}");
    }
}
