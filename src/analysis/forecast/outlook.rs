//! What the forecast says: the outlook of the event in focus, its percentiles, the show-up
//! per segment and where each rate comes from, and the newsvendor's decision.

use serde::Serialize;

use super::Pickup;

/// Where a segment's show-up rate comes from.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum RateSource {
    /// The published median (free or paid) as set in the assumptions.
    Prior { free: bool },
    /// The prior moved by past editions' check-ins: `n` past registrants like these.
    Calibrated { n: u64, editions: usize },
    /// Set by the user.
    Chosen,
}

impl RateSource {
    /// Where the rate comes from, in the log's words ("calibrated: 22 past registrants like
    /// these in 9 editions", "… past bookings like these on 9 arrival dates").
    pub fn describe(&self, w: &crate::dataset::Words) -> String {
        match self {
            RateSource::Prior { free: true } => {
                "prior: median of free events (PheedLoop, 860 events: 28% don't come)".to_string()
            }
            RateSource::Prior { free: false } => {
                "prior: median of paid events (PheedLoop, 860 events: 17% don't come)".to_string()
            }
            RateSource::Calibrated { n, editions } => {
                let (at, one, many) = w.editions;
                format!(
                    "calibrated: {} past {} like these {at} {editions} {}",
                    crate::report::thousands(*n),
                    w.registrants,
                    if *editions == 1 { one } else { many }
                )
            }
            RateSource::Chosen => "set by you".to_string(),
        }
    }
}

/// One segment's show-up rate and its provenance.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ShowUp {
    pub segment: String,
    /// Genuine tickets in the segment so far.
    pub tickets: u64,
    pub rate: f64,
    /// 80% interval of the rate.
    pub interval: (f64, f64),
    /// What the rate would be without the user's choice.
    pub default_rate: f64,
    pub default_source: RateSource,
    pub source: RateSource,
}

/// Percentiles of a forecast quantity.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Quantiles {
    pub p5: f64,
    pub p10: f64,
    pub p50: f64,
    pub p90: f64,
    pub p95: f64,
}

impl Quantiles {
    /// Every percentile `v` lower, none below zero.
    pub fn less(self, v: f64) -> Quantiles {
        let f = |q: f64| (q - v).max(0.0);
        Quantiles {
            p5: f(self.p5),
            p10: f(self.p10),
            p50: f(self.p50),
            p90: f(self.p90),
            p95: f(self.p95),
        }
    }
}

/// How many more to admit from those awaiting approval or on the waiting list.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct AdmitMore {
    /// How many more to approve or promote now.
    pub count: u64,
    /// Registrations waiting (awaiting approval or waitlisted).
    pub waiting: u64,
    /// Show-up assumed for those admitted, and where it comes from.
    pub show_up: f64,
    pub show_up_source: String,
    /// Show-up of the registrations already holding a place, beside it.
    pub approved_show_up: f64,
    /// Whether `show_up` was set by the user.
    pub chosen: bool,
}

/// The newsvendor's answer.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Decision {
    /// Share of draws that should end within capacity: turned-away cost / (both costs).
    pub service_level: f64,
    /// Genuine registrations the hall can take at that service level.
    pub accept_up_to: Option<f64>,
    /// Whether the overflow area pays for itself.
    pub open_overflow: Option<bool>,
    /// With registrations waiting for approval or on a waiting list: how many to admit.
    pub admit_more: Option<AdmitMore>,
}

/// What the assumptions and the data say.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Outlook {
    /// The instant the outlook is for (UTC seconds).
    pub as_of: i64,
    /// No registration of the event has a signup time (a guest list without timestamps):
    /// `as_of` is no moment the files know, and every registration counts as it stands.
    pub undated_only: bool,
    /// Active tickets registered by `as_of`: all, not flagged, flagged.
    pub registrations: u64,
    pub genuine: u64,
    pub flagged: u64,
    /// Registrations awaiting approval or on a waiting list (not holding a place).
    pub waiting: u64,
    /// Their show-up if admitted, before the user's choice: registrants of the same kind at
    /// their calibrated rates.
    pub waiting_show_up: f64,
    /// Tickets whose holders checked in, when the event's own files say.
    pub checked_in: Option<u64>,
    /// The start the outlook was made for (typed, or the event's own), UTC seconds.
    pub event_start: Option<i64>,
    /// The event is over (a day past its start) and its files say who came (someone checked
    /// in): `checked_in` is what happened, and the attendance quantiles are no longer a
    /// forecast of anything.
    pub outcome_known: bool,
    /// Genuine registrations by the event start.
    pub final_registrations: Quantiles,
    pub attendance: Quantiles,
    /// The same attendance with flagged registrations counted at the genuine show-up (for
    /// "with and without the flagged ones").
    pub attendance_with_flagged: Option<Quantiles>,
    pub attendance_mean: f64,
    pub p_over_capacity: f64,
    pub expected_empty_seats: f64,
    pub expected_turned_away: f64,
    pub show_up: Vec<ShowUp>,
    pub pickup: Pickup,
    /// Spread of the whole event's show-up (log scale), from past events or the default.
    pub shock: f64,
    /// Walk-ins counted: learned from headcounts (mean, sd), or typed.
    pub walk_ins: Option<(f64, f64)>,
    pub walk_ins_learned: bool,
    /// Registrations still expected to cancel before the start (share of those active).
    pub cancel_share: f64,
    pub decision: Decision,
    pub advice: String,
    /// Which model produced this, shown on screen.
    pub model: String,
    /// What the numbers count: people, or a lodging's bookings (and the capacity its rooms).
    pub unit: crate::dataset::Unit,
}
