//! How the two pickup estimates of an event, additive and multiplicative, are combined: a
//! weighted geometric mean, neither can run away; the weight is learned from how far each
//! missed past events (Bates & Granger), shrunk toward mostly additive pickup.

/// How far an event `size_ratio` times the size of past events is from their size, 0–1: 0
/// within a factor of two, 1 at a factor of four or more (either way). Additive pickup, which
/// adds what past events gained whatever their size, is trusted less as this grows.
pub fn size_distance(size_ratio: f64) -> f64 {
    ((size_ratio.max(1e-9).ln().abs() - 2f64.ln()) / 2f64.ln()).clamp(0.0, 1.0)
}

/// The combined point estimate: the geometric mean of the two (weight `w_mul` on the
/// multiplicative one), which keeps either from running away.
pub fn combine(additive: f64, multiplicative: f64, w_mul: f64) -> f64 {
    let (a, m) = (additive.max(0.0), multiplicative.max(0.0));
    ((1.0 - w_mul) * (a + 1.0).ln() + w_mul * (m + 1.0).ln()).exp() - 1.0
}

/// Weight of the multiplicative estimate in the combination before past misses say more:
/// mostly additive pickup, the most robust single method (Weatherford & Kimes 2003).
pub const W_MUL: f64 = 0.25;
/// Misses' worth of weight that prior keeps: three, like the spreads' prior
/// (`SPREAD_PRIOR_EVENTS`). Ten, before 2026-12-02, held the weight near the prior long after
/// the misses had spoken: the appointment book by day a day out, where bookings on the books
/// scale the day (multiplicative alone 3.4% MAPE, additive alone 9.8%), scored 6.3%; with
/// three 5.9%. Every real cell but the book a week out improved or held (`README.md`).
const WEIGHT_PRIOR_MISSES: f64 = 3.0;

/// How far the two estimates missed one past event (log scale), and its size.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct PairMiss {
    pub additive: f64,
    pub multiplicative: f64,
    /// People the event drew (its target): the miss's weight.
    pub size: f64,
}

impl PairMiss {
    pub fn new(target: f64, additive: f64, multiplicative: f64) -> PairMiss {
        let ln = |v: f64| (v.max(0.0) + 1.0).ln();
        PairMiss {
            additive: ln(target) - ln(additive),
            multiplicative: ln(target) - ln(multiplicative),
            size: target.max(0.0),
        }
    }
}

/// The multiplicative estimate's weight from how far each estimate missed recent past events.
/// The combination is geometric, so its log miss at weight `w` is `(1 − w)·a + w·m`; the
/// weight that would have made the smallest squared misses (Bates & Granger's optimal weight,
/// which accounts for the two estimates missing together) is taken, within 0–1, and shrunk
/// toward `prior` ([`prior_weight`]) while the misses are few.
///
/// Each miss counts by its event's size: counting noise alone makes a log miss vary as one
/// over the size, so a 3-person night's miss says far less than a 40-person one's (weighted
/// least squares). Unweighted, a series of many small groups (79 neighbourhoods a day) chose
/// the weight from its smallest events, where the multiplicative estimate happened to fit,
/// and the sizeable events lost: appointments by neighbourhood a week out 22.6% MAPE against
/// 22.2% weighted, the Resort hotel a day out 6.2% against 6.0% (`bench/backtest.sh`).
pub fn weight_from_misses(misses: &[PairMiss], prior: f64) -> f64 {
    let n = misses.len();
    if n == 0 {
        return prior;
    }
    let (mut num, mut den) = (0.0, 0.0);
    for m in misses {
        let (a, d) = (m.additive, m.additive - m.multiplicative);
        let w = m.size.max(1.0);
        num += w * a * d;
        den += w * d * d;
    }
    let w = if den > 1e-12 {
        (num / den).clamp(0.0, 1.0)
    } else {
        prior
    };
    let lambda = n as f64 / (n as f64 + WEIGHT_PRIOR_MISSES);
    lambda * w + (1.0 - lambda) * prior
}

/// The prior weight of the multiplicative estimate for an event `size_ratio` times the size
/// of past events at the same point. Within a factor of two it is [`W_MUL`]; beyond, the
/// additive estimate (which adds the late attendees past events had, whatever their size)
/// deserves less trust, and the prior moves to an even split, reached at a
/// factor of four.
pub fn prior_weight(size_ratio: f64) -> f64 {
    W_MUL + (0.5 - W_MUL) * size_distance(size_ratio)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_combination_leans_on_the_estimate_that_missed_less() {
        let pairs = |add: &[f64], mul: &[f64], size: f64| -> Vec<PairMiss> {
            add.iter()
                .zip(mul)
                .map(|(&additive, &multiplicative)| PairMiss {
                    additive,
                    multiplicative,
                    size,
                })
                .collect()
        };
        // No misses: the prior.
        assert_eq!(weight_from_misses(&[], W_MUL), W_MUL);
        // Additive exact, multiplicative off: toward 0, shrunk by the few misses.
        let add = vec![0.0; 40];
        let mul: Vec<f64> = (0..40)
            .map(|i| if i % 2 == 0 { 0.3 } else { -0.3 })
            .collect();
        let w = weight_from_misses(&pairs(&add, &mul, 30.0), W_MUL);
        assert!(w < W_MUL * 0.3, "{w}");
        // The other way round: toward 1.
        let w = weight_from_misses(&pairs(&mul, &add, 30.0), W_MUL);
        assert!(w > 0.75, "{w}");
        // Opposite biases cancel: the optimal weight sits between them.
        let high = vec![0.2; 40];
        let low = vec![-0.2; 40];
        let w = weight_from_misses(&pairs(&high, &low, 30.0), W_MUL);
        let lambda = 40.0 / (40.0 + WEIGHT_PRIOR_MISSES);
        assert!(
            (w - (lambda * 0.5 + (1.0 - lambda) * W_MUL)).abs() < 1e-9,
            "{w}"
        );
        // Three misses that say "all multiplicative" move the weight halfway there, no more:
        // a few past editions cannot hand the forecast to one estimate.
        let w = weight_from_misses(&pairs(&mul[..3], &add[..3], 30.0), W_MUL);
        assert!((w - (0.5 + 0.5 * W_MUL)).abs() < 1e-9, "{w}");
    }

    #[test]
    fn small_events_misses_do_not_outvote_large_ones() {
        // 30 two-person events where the multiplicative estimate fitted, 10 hundred-person
        // events where the additive one did: the weight follows the large events.
        let mut misses = Vec::new();
        for i in 0..30 {
            let s = if i % 2 == 0 { 0.5 } else { -0.5 };
            misses.push(PairMiss {
                additive: s,
                multiplicative: 0.0,
                size: 2.0,
            });
        }
        for i in 0..10 {
            let s = if i % 2 == 0 { 0.3 } else { -0.3 };
            misses.push(PairMiss {
                additive: 0.0,
                multiplicative: s,
                size: 100.0,
            });
        }
        let w = weight_from_misses(&misses, W_MUL);
        assert!(w < W_MUL, "{w}");
        // Counted alike, the small ones would have won.
        for m in &mut misses {
            m.size = 1.0;
        }
        assert!(weight_from_misses(&misses, W_MUL) > 0.5);
        // PairMiss::new measures on the log(1 + v) scale.
        let m = PairMiss::new(9.0, 9.0, 4.0);
        assert_eq!(m.additive, 0.0);
        assert!((m.multiplicative - 2f64.ln()).abs() < 1e-12);
        assert_eq!(m.size, 9.0);
    }

    #[test]
    fn combination_stays_between_and_bounded() {
        let c = combine(100.0, 400.0, 0.5);
        assert!(c > 100.0 && c < 250.0, "{c}");
        assert_eq!(combine(50.0, 0.0, 0.0), 50.0);
    }
}
