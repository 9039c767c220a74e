//! Signups still to come: how the forecast got them, for the report and the model line.
//!
//! With past events, the engine ([`super::engine`]) combines an additive and a multiplicative
//! estimate from the events before this one, seen at the same point before their start.
//! Without any, the event's own recent daily rate is carried forward, with an interval that
//! widens with the horizon.

use serde::Serialize;

use super::engine::PACE_DAYS;

/// How the future signups were forecast.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PickupMethod {
    /// The event has started: nothing more to come.
    None,
    /// The start is not known: signups still to come cannot be placed, none are counted.
    StartUnknown,
    Additive,
    Multiplicative,
    /// The geometric mean of the additive and the multiplicative estimate.
    Combined,
    /// No usable history: the event's own recent daily rate, carried forward.
    OwnRecentRate,
}

impl PickupMethod {
    pub fn describe(self) -> &'static str {
        match self {
            PickupMethod::None => "the event has started: no more signups expected",
            PickupMethod::StartUnknown => {
                "event start not set: signups still to come are not counted"
            }
            PickupMethod::Additive => {
                "additive pickup from earlier events (your show-up rates applied)"
            }
            PickupMethod::Multiplicative => "multiplicative pickup from earlier events",
            PickupMethod::Combined => {
                "additive and multiplicative pickup from earlier events, combined"
            }
            PickupMethod::OwnRecentRate => {
                "the last 3 days' signup rate carried forward (no earlier events)"
            }
        }
    }
}

/// The forecast of signups still to come.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Pickup {
    pub method: PickupMethod,
    /// Median of the genuine signups still to come.
    pub future: f64,
    /// Log-scale spread of the final registrations.
    pub sigma: f64,
    /// How far each estimate missed recent earlier events (RMS of log misses).
    pub loo_errors: Vec<(&'static str, f64)>,
    /// A pace carried forward far beyond the days it was measured on: the forecast is a rough
    /// guess, and the headline says so.
    pub rough_guess: bool,
}

impl Default for Pickup {
    fn default() -> Self {
        Pickup::nothing(PickupMethod::StartUnknown)
    }
}

impl Pickup {
    pub fn nothing(method: PickupMethod) -> Pickup {
        Pickup {
            method,
            future: 0.0,
            sigma: 0.0,
            loo_errors: Vec::new(),
            rough_guess: false,
        }
    }
}

/// Without earlier events: the last days' rate carried forward to the start. Returns the
/// median signups to come and the relative spread of the final count.
pub fn own_recent_rate(
    registered: f64,
    recent: f64,
    recent_days: f64,
    days_ahead: f64,
) -> (f64, f64) {
    let rate = if recent_days > 0.0 {
        recent / recent_days
    } else {
        0.0
    };
    // The further ahead, the less the current pace says: 25% per √3 days.
    let rel_future = (0.25 * (days_ahead / PACE_DAYS).sqrt()).clamp(0.15, 1.2);
    let future = rate * days_ahead;
    let rel = rel_future * future / (registered + future).max(1.0);
    (future, rel)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_history_the_interval_widens_with_the_horizon() {
        let (near, near_rel) = own_recent_rate(1_000.0, 300.0, 3.0, 2.0);
        let (far, far_rel) = own_recent_rate(1_000.0, 300.0, 3.0, 20.0);
        assert!(far > near);
        assert!(far * far_rel > near * near_rel);
        assert_eq!(own_recent_rate(1_000.0, 0.0, 3.0, 5.0).0, 0.0);
    }
}
