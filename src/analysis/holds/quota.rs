//! pretix's quota availability export, read as snapshots over time.
