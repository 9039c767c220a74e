//! What the user can tune: the priors, capacity, costs, walk-ins, how flagged registrations
//! count, the start and the as-of instant. Stored in project files; undo and redo work on it.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::showup::{FREE_SHOW_UP, PAID_SHOW_UP};

/// How flagged (likely fake or coordinated) registrations count.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "mode")]
pub enum FlaggedMode {
    /// Left out of the forecast.
    Excluded,
    /// Counted at their own show-up rate.
    AtRate { rate: f64 },
}

/// Everything the user can tune. Stored in project files; undo/redo works on it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Assumptions {
    pub capacity: u64,
    /// Extra places in an overflow area (0 = none).
    pub overflow_capacity: u64,
    /// Event start, UTC seconds.
    pub event_start: Option<i64>,
    /// Replay what was known at this instant (UTC seconds); `None` = everything loaded.
    pub as_of: Option<i64>,
    /// People expected without registering.
    pub walk_ins: u64,
    pub flagged: FlaggedMode,
    /// Show-up rate chosen by the user, by segment name.
    pub show_up_overrides: BTreeMap<String, f64>,
    /// Prior show-up of free registrations before any check-in is seen.
    pub prior_free: f64,
    /// Prior show-up of paid registrations.
    pub prior_paid: f64,
    /// What an empty seat costs (lost revenue, a worse room), in any currency.
    pub cost_empty_seat: f64,
    /// What turning a guest away costs.
    pub cost_turned_away: f64,
    /// Show-up of those admitted from approval or the waiting list, when the user sets it;
    /// `None`: registrants of the same kind as calibrated ([`AdmitMore::show_up`](super::AdmitMore::show_up)).
    pub waiting_show_up: Option<f64>,
}

impl Default for Assumptions {
    fn default() -> Self {
        Assumptions {
            capacity: 0,
            overflow_capacity: 0,
            event_start: None,
            as_of: None,
            walk_ins: 0,
            flagged: FlaggedMode::Excluded,
            show_up_overrides: BTreeMap::new(),
            prior_free: FREE_SHOW_UP,
            prior_paid: PAID_SHOW_UP,
            cost_empty_seat: 1.0,
            cost_turned_away: 3.0,
            waiting_show_up: None,
        }
    }
}
