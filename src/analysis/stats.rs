//! The few distribution functions the forecast needs.

/// Standard normal density.
pub fn normal_pdf(z: f64) -> f64 {
    (-0.5 * z * z).exp() / (2.0 * std::f64::consts::PI).sqrt()
}

/// Standard normal CDF (W. J. Cody's erfc rational approximation via `erfc`).
pub fn normal_cdf(z: f64) -> f64 {
    0.5 * erfc(-z / std::f64::consts::SQRT_2)
}

/// Complementary error function, accurate to about 1e-7 (Numerical Recipes `erfcc`).
pub fn erfc(x: f64) -> f64 {
    let z = x.abs();
    let t = 1.0 / (1.0 + 0.5 * z);
    let r = t
        * (-z * z - 1.265_512_23
            + t * (1.000_023_68
                + t * (0.374_091_96
                    + t * (0.096_784_18
                        + t * (-0.186_288_06
                            + t * (0.278_868_07
                                + t * (-1.135_203_98
                                    + t * (1.488_515_87
                                        + t * (-0.822_152_23 + t * 0.170_872_77)))))))))
            .exp();
    if x >= 0.0 { r } else { 2.0 - r }
}

/// Inverse of the standard normal CDF (Acklam's algorithm, relative error < 1.2e-9).
pub fn normal_quantile(p: f64) -> f64 {
    const A: [f64; 6] = [
        -3.969_683_028_665_376e1,
        2.209_460_984_245_205e2,
        -2.759_285_104_469_687e2,
        1.383_577_518_672_69e2,
        -3.066_479_806_614_716e1,
        2.506_628_277_459_239,
    ];
    const B: [f64; 5] = [
        -5.447_609_879_822_406e1,
        1.615_858_368_580_409e2,
        -1.556_989_798_598_866e2,
        6.680_131_188_771_972e1,
        -1.328_068_155_288_572e1,
    ];
    const C: [f64; 6] = [
        -7.784_894_002_430_293e-3,
        -3.223_964_580_411_365e-1,
        -2.400_758_277_161_838,
        -2.549_732_539_343_734,
        4.374_664_141_464_968,
        2.938_163_982_698_783,
    ];
    const D: [f64; 4] = [
        7.784_695_709_041_462e-3,
        3.224_671_290_700_398e-1,
        2.445_134_137_142_996,
        3.754_408_661_907_416,
    ];
    let p = p.clamp(1e-12, 1.0 - 1e-12);
    let low = 0.024_25;
    if p < low {
        let q = (-2.0 * p.ln()).sqrt();
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    } else if p <= 1.0 - low {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    } else {
        -normal_quantile(1.0 - p)
    }
}

/// `E[max(X - k, 0)]` for `X ~ N(mean, sd²)`.
pub fn normal_excess_over(mean: f64, sd: f64, k: f64) -> f64 {
    if sd <= 0.0 {
        return (mean - k).max(0.0);
    }
    let z = (k - mean) / sd;
    sd * normal_pdf(z) + (mean - k) * (1.0 - normal_cdf(z))
}

/// `E[max(k - X, 0)]` for `X ~ N(mean, sd²)`.
pub fn normal_shortfall_under(mean: f64, sd: f64, k: f64) -> f64 {
    normal_excess_over(mean, sd, k) - (mean - k)
}

/// The weighted median of `sorted` (by value, weights summing to `total` > 0) and the weighted
/// median absolute deviation from it, with one sort: the deviations grow outward from the
/// median on both sides, so walking outward merges them in order.
fn median_and_mad(sorted: &[(f64, f64)], total: f64) -> (f64, f64) {
    let n = sorted.len();
    let half = 0.5 * total;
    let mut acc = 0.0;
    let mut med = sorted[n - 1].0;
    for &(x, w) in sorted {
        acc += w;
        if acc >= half {
            med = x;
            break;
        }
    }
    let split = sorted.partition_point(|p| p.0 < med);
    let (mut l, mut r) = (split, split);
    let mut acc = 0.0;
    while l > 0 || r < n {
        let dl = if l > 0 {
            med - sorted[l - 1].0
        } else {
            f64::INFINITY
        };
        let dr = if r < n {
            sorted[r].0 - med
        } else {
            f64::INFINITY
        };
        let (d, w) = if dl <= dr {
            l -= 1;
            (dl, sorted[l].1)
        } else {
            r += 1;
            (dr, sorted[r - 1].1)
        };
        acc += w;
        if acc >= half {
            return (med, d);
        }
    }
    (med, 0.0)
}

/// Weighted Huber M-estimate of location of (value, weight) pairs: a mean in which a value
/// farther than `k` scales from it counts only `k` scales far. The scale is the weighted
/// median absolute deviation (×1.4826), never below `floor(location)` (counting noise: a
/// count of 3 among counts of 1 is not an outlier). Pairs with no weight or a value that is
/// not finite take no part; `None` when none is left.
pub fn huber_location(items: &[(f64, f64)], k: f64, floor: impl Fn(f64) -> f64) -> Option<f64> {
    let mut items: Vec<(f64, f64)> = items
        .iter()
        .copied()
        .filter(|i| i.1 > 0.0 && i.0.is_finite() && i.1.is_finite())
        .collect();
    let w: f64 = items.iter().map(|i| i.1).sum();
    if items.is_empty() || w <= 0.0 {
        return None;
    }
    let mut m = items.iter().map(|i| i.0 * i.1).sum::<f64>() / w;
    // Nothing beyond k times the floor from the mean: nothing to trim, the mean it is (and no
    // sorting: this runs for every forecast of a backtest).
    if items.iter().all(|i| (i.0 - m).abs() <= k * floor(m)) {
        return Some(m);
    }
    items.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
    let (_, mad) = median_and_mad(&items, w);
    let mad = mad * 1.4826;
    for _ in 0..50 {
        let s = mad.max(floor(m)).max(1e-9);
        let (mut num, mut den) = (0.0, 0.0);
        for &(x, w) in &items {
            let r = (x - m).abs() / s;
            let u = if r > k { k / r } else { 1.0 };
            num += w * u * x;
            den += w * u;
        }
        if den <= 0.0 {
            break;
        }
        let next = num / den;
        let done = (next - m).abs() < 1e-7 * (1.0 + m.abs());
        m = next;
        if done {
            break;
        }
    }
    Some(m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_values() {
        assert!((normal_cdf(0.0) - 0.5).abs() < 1e-7);
        assert!((normal_cdf(1.281_551_6) - 0.9).abs() < 1e-6);
        assert!((normal_quantile(0.9) - 1.281_551_6).abs() < 1e-6);
        assert!((normal_quantile(0.025) + 1.959_964).abs() < 1e-5);
        for p in [0.001, 0.1, 0.5, 0.7, 0.999] {
            assert!((normal_cdf(normal_quantile(p)) - p).abs() < 1e-6);
        }
        // E[(X-k)+] - E[(k-X)+] = mean - k.
        let (m, s, k) = (100.0, 15.0, 110.0);
        assert!(
            (normal_excess_over(m, s, k) - normal_shortfall_under(m, s, k) - (m - k)).abs() < 1e-9
        );
        assert!((normal_excess_over(0.0, 1.0, 0.0) - normal_pdf(0.0)).abs() < 1e-9);
    }

    /// Weighted quantile `p` of (value, weight) pairs (the first value whose cumulative weight
    /// reaches `p` of the total): the plain two-sort reference for [`median_and_mad`].
    pub fn weighted_quantile(items: &[(f64, f64)], p: f64) -> Option<f64> {
        let mut v: Vec<(f64, f64)> = items
            .iter()
            .copied()
            .filter(|i| i.1 > 0.0 && i.0.is_finite())
            .collect();
        let total: f64 = v.iter().map(|i| i.1).sum();
        if v.is_empty() || total <= 0.0 {
            return None;
        }
        v.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
        let mut acc = 0.0;
        for (x, w) in &v {
            acc += w;
            if acc >= p * total {
                return Some(*x);
            }
        }
        v.last().map(|i| i.0)
    }

    #[test]
    fn weighted_quantiles_follow_the_weights() {
        let v = [(1.0, 1.0), (2.0, 1.0), (3.0, 1.0)];
        assert_eq!(weighted_quantile(&v, 0.5), Some(2.0));
        // Weight on the last value moves the median there.
        let v = [(1.0, 1.0), (2.0, 1.0), (3.0, 5.0)];
        assert_eq!(weighted_quantile(&v, 0.5), Some(3.0));
        assert_eq!(weighted_quantile(&[], 0.5), None);
        assert_eq!(weighted_quantile(&[(1.0, 0.0)], 0.5), None);
    }

    #[test]
    fn one_sort_gives_the_same_median_and_mad_as_two() {
        let mut seed = 7u64;
        let mut next = || {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            (seed >> 33) as f64 / (1u64 << 31) as f64
        };
        for n in 1..40 {
            let mut v: Vec<(f64, f64)> = (0..n)
                .map(|_| ((next() * 20.0).floor(), 0.1 + next()))
                .collect();
            let total: f64 = v.iter().map(|i| i.1).sum();
            let med = weighted_quantile(&v, 0.5).unwrap();
            let dev: Vec<(f64, f64)> = v.iter().map(|&(x, w)| ((x - med).abs(), w)).collect();
            let mad = weighted_quantile(&dev, 0.5).unwrap();
            v.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
            assert_eq!(median_and_mad(&v, total), (med, mad), "n = {n}");
        }
    }

    #[test]
    fn huber_location_is_the_mean_without_outliers_and_resists_one() {
        let floor = |m: f64| m.abs().max(1.0).sqrt();
        // Ordinary variation: within three scales of each other, the plain weighted mean.
        let calm: Vec<(f64, f64)> = [8.0, 10.0, 12.0, 9.0, 11.0]
            .iter()
            .zip([1.0, 0.9, 0.8, 0.7, 0.6])
            .map(|(&v, w)| (v, w))
            .collect();
        let mean =
            calm.iter().map(|i| i.0 * i.1).sum::<f64>() / calm.iter().map(|i| i.1).sum::<f64>();
        let h = huber_location(&calm, 3.0, floor).unwrap();
        assert!((h - mean).abs() < 1e-9, "{h} vs {mean}");
        // One night of 60 among nights of about 10: the mean goes to 18, Huber's stays near 10
        // but still leans a little toward it.
        let mut wild = calm.clone();
        wild.push((60.0, 1.0));
        let mean =
            wild.iter().map(|i| i.0 * i.1).sum::<f64>() / wild.iter().map(|i| i.1).sum::<f64>();
        let h = huber_location(&wild, 3.0, floor).unwrap();
        assert!(mean > 18.0, "{mean}");
        assert!(h > 10.0 && h < 13.0, "{h}");
        // Counting noise is the floor: all zeros but one 3 is not an outlier to trim hard.
        let counts = [(0.0, 1.0), (0.0, 1.0), (0.0, 1.0), (3.0, 1.0)];
        let h = huber_location(&counts, 3.0, floor).unwrap();
        assert!((h - 0.75).abs() < 1e-9, "{h}");
        assert_eq!(huber_location(&[], 3.0, floor), None);
        assert_eq!(
            huber_location(&[(f64::NAN, 1.0), (2.0, 0.0)], 3.0, floor),
            None
        );
        assert_eq!(
            huber_location(&[(f64::NAN, 1.0), (2.0, 1.0)], 3.0, floor),
            Some(2.0)
        );
    }
}
