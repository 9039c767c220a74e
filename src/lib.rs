//! # Turnout
//!
//! Registration exports in, honest turnout forecasts out. The crate is laid out in pipeline
//! order, and nothing below the app knows about the UI:
//!
//! - [`import`]: reads exports from any platform (CSV in any delimiter and encoding, XLSX,
//!   XLS, ODS), finds the header and each column's role, normalizes statuses, flags, money and
//!   timestamps, and accounts for every row it could not read.
//! - [`dataset`]: the loaded files as columnar tables (struct of arrays, categories interned,
//!   times as UTC seconds) with stable row ids.
//! - [`demo`]: a seeded generator of a Tulsa-like rally (a million registrations, most of them
//!   coordinated fakes) with past editions and a merch sale, plus writers for real platform
//!   layouts.
//! - [`report`]: the summary that `turnout report` prints and serializes as JSON.

pub mod analysis;
#[cfg(feature = "app")]
pub mod app;
pub mod bidi;
pub mod chart;
pub mod dataset;
pub mod demo;
pub mod fsutil;
pub mod import;
pub mod locale;
pub mod project;
pub mod report;
pub mod timefmt;
