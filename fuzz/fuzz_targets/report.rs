//! The whole report path: a registration export and a hold log (the input split at the first
//! 0xFF byte), imported, scored for fakes, aggregated, forecast, backtested, replayed as held
//! inventory and serialized as the JSON report. No panic anywhere.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use turnout::analysis::Aggregates;
use turnout::analysis::flags::{FlagSettings, FlagSummary, masks, score_tables};
use turnout::analysis::forecast::{Assumptions, Model, backtest};
use turnout::analysis::holds::{HoldSettings, HoldSource, HoldsView};
use turnout::analysis::segments::table_traits;
use turnout::dataset::{Dataset, Edition, Table};
use turnout::import::{ImportOptions, import_bytes};
use turnout::report::{Report, ReportOptions};

fn table(name: &str, bytes: &[u8], edition: Edition, opts: &ImportOptions) -> Option<Table> {
    let f = import_bytes(Path::new(name), bytes, opts).ok()?;
    Some(Table {
        label: name.to_string(),
        edition,
        rows: f.rows,
        report: f.report,
    })
}

fuzz_target!(|data: &[u8]| {
    let (regs, holds) = match data.iter().position(|&b| b == 0xFF) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &[][..]),
    };
    let tz = jiff::tz::TimeZone::UTC;
    let opts = ImportOptions {
        time_zone: Some(tz.clone()),
        ..ImportOptions::default()
    };
    let mut dataset = Dataset::default();
    if let Some(t) = table("event.csv", regs, Edition::Current, &opts) {
        dataset.push(t);
    }
    // The same export as a past edition too, so history paths run.
    if let Some(t) = table(
        "past.csv",
        regs,
        Edition::Past {
            event_start: Some(1_700_000_000),
        },
        &opts,
    ) {
        dataset.push(t);
    }
    let ropts = ReportOptions {
        capacity: Some(100),
        event_start: Some(1_800_000_000),
        as_of: None,
        time_zone: tz.clone(),
    };
    let mut report = Report::build(&dataset, &ropts);
    let settings = FlagSettings::default();
    let scored = score_tables(&dataset, &settings);
    let m = masks(&scored, settings.threshold, &Default::default());
    report.flagged = FlagSummary::over_tables(&dataset, &scored, &m, settings.threshold);
    let traits = table_traits(&dataset, "");
    let scope = turnout::analysis::aggregate::Scope::of(&dataset, &tz);
    let agg = Aggregates::build_with(&dataset, &m, &traits, &scope);
    let a = Assumptions {
        capacity: 100,
        event_start: ropts.event_start,
        ..Assumptions::default()
    };
    let outlook = Model::prepare(&agg, &a).outlook(&agg, &a);
    let bt = backtest(&agg, &a);
    let _ = turnout::analysis::forecast::backtest::backtest_at(&agg, &a, &[0, 3], 1, false);
    report.forecast = Some(turnout::report::ForecastSection::new(&outlook, &a, bt));
    if let Some(t) = table("holds.csv", holds, Edition::Current, &opts)
        && let Some(view) = HoldsView::build(HoldSource::from_table(t), &HoldSettings::default())
    {
        report.holds = Some(turnout::report::HoldsSection::new(
            &view.inventory,
            view.what_if.clone(),
            view.notes.clone(),
        ));
    }
    let _ = serde_json::to_string(&report).unwrap();
    let _ = report.to_text();
});
