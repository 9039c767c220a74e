//! Analysis over the dataset: aggregation into small tables, then the forecast. No UI here;
//! the CLI, the dashboard and the tests all ask these functions.

pub mod aggregate;
pub mod attendance;
pub mod combine;
pub mod flags;
pub mod forecast;
pub mod history;
pub mod holds;
pub mod identity;
pub mod scope;
pub mod segments;
pub mod series;
pub mod stats;
pub mod variation;

pub use aggregate::{Aggregates, FlagMasks};
pub use forecast::{Assumptions, FlaggedMode, Model, Outlook, outlook};
