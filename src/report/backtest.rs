//! The backtest's text: one table per horizon, the forecast beside the spreadsheet baselines.

use super::thousands;

/// The backtest as tables, one per horizon.
pub fn backtest_text(b: &crate::analysis::forecast::Backtest, events: usize) -> String {
    use std::fmt::Write as _;
    let w = b.unit.words();
    let mut s = String::new();
    let tested = b.editions.len();
    let _ = writeln!(
        s,
        "Backtest: {tested} of {events} events forecast from the events before them, against \
         {}; events with fewer than {} {} are forecast but not scored.",
        w.scored_against, b.min_registrations, w.scored_size
    );
    let pct = |v: f64| format!("{:.1}%", v * 100.0);
    for h in &b.horizons {
        let _ = writeln!(
            s,
            "\nAs of {} day{} before the start:",
            h.days_before,
            if h.days_before == 1 { "" } else { "s" }
        );
        let _ = writeln!(
            s,
            "  {:<44} {:>8} {:>9} {:>8} {:>9} {:>9} {:>7}",
            "method", "MAPE", "median", "bias", "P10–P90", "P5–P95", "points"
        );
        for m in h.scores.iter().chain(&h.registrations) {
            let _ = writeln!(
                s,
                "  {:<44} {:>8} {:>9} {:>8} {:>9} {:>9} {:>7}",
                w.method(&m.method),
                pct(m.mape),
                pct(m.median_ape),
                format!("{:+.1}%", m.bias * 100.0),
                m.coverage_p10_p90.map_or("—".to_string(), pct),
                m.coverage_p5_p95.map_or("—".to_string(), pct),
                m.points
            );
        }
        for m in h.scores.iter().chain(&h.registrations) {
            if let Some(t) = m.ranges_text(thousands) {
                let _ = writeln!(s, "  {}: {t}", w.method(&m.method));
            }
        }
    }
    if b.horizons.iter().any(|h| h.registrations.is_some()) {
        let _ = writeln!(
            s,
            "\nThe last row of each table scores the forecast of final {} (those kept to the \
             start) against how many there were.",
            w.registrations
        );
    }
    s
}
