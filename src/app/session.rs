//! What is loaded and everything derived from it. Rows are aggregated once per load; settings
//! changes only recompute the outlook and chart data from the aggregates.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use jiff::tz::TimeZone;

use rustc_hash::FxHashMap;

use crate::analysis::aggregate::Scope;
use crate::analysis::flags::{FlagSummary, RowFlags, burst_windows, masks, score_tables};
use crate::analysis::forecast::events::{EventList, MAX_UPCOMING, event_list};
use crate::analysis::forecast::{Assumptions, Backtest, Model, backtest};
use crate::analysis::holds::{HoldSource, HoldsView};
use crate::analysis::segments::{TableTraits, home_traits, table_traits};
use crate::analysis::{Aggregates, FlagMasks, Outlook};
use crate::chart::{Breakdown, ChartData};
use crate::dataset::{Dataset, Edition};
use crate::demo::{Demo, DemoConfig};
use crate::import::Role;
use crate::project::{Project, ProjectFile, ReadChoices, Settings};

/// Datasets up to this many rows find returning registrants at once (well under 20 ms).
const QUICK_TRAITS_ROWS: usize = 100_000;
/// Series up to this many events get their backtest and event list at once (a few tens of
/// milliseconds); longer ones (a clinic's year by neighbourhood: 1.4 s) on a thread, while the
/// window keeps responding and the panels say they are updating.
pub const QUICK_ANALYSIS_EVENTS: usize = 150;

/// What the backtest and the event list were (or are being) computed for.
#[derive(Clone, Debug, PartialEq)]
pub struct AnalysisKey {
    /// Which aggregation of the rows (bumped whenever the rows or flags are aggregated again).
    pub aggregation: u64,
    pub priors: (f64, f64),
    pub overrides: BTreeMap<String, f64>,
    pub event_start: Option<i64>,
    /// The instant upcoming events are forecast as of.
    pub as_of: i64,
}

impl AnalysisKey {
    /// Whether a backtest made for `self` serves `other` (it depends on neither the as-of
    /// instant nor the start of the event in focus).
    fn same_backtest(&self, other: &AnalysisKey) -> bool {
        self.aggregation == other.aggregation
            && self.priors == other.priors
            && self.overrides == other.overrides
    }
}

/// The backtest and the event list of one key, computed anywhere.
#[derive(Clone)]
pub struct AnalysisJob {
    pub key: AnalysisKey,
    pub generation: u64,
    agg: Arc<Aggregates>,
    model: Model,
    assumptions: Assumptions,
    /// A backtest still valid for the key (`None`: compute one).
    reuse: Option<Option<Backtest>>,
}

impl std::fmt::Debug for AnalysisJob {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AnalysisJob")
            .field("generation", &self.generation)
            .field("key", &self.key)
            .finish()
    }
}

/// What an [`AnalysisJob`] produced.
#[derive(Debug)]
pub struct AnalysisResult {
    pub key: AnalysisKey,
    pub generation: u64,
    pub backtest: Option<Backtest>,
    pub events: EventList,
}

impl AnalysisJob {
    pub fn run(self) -> AnalysisResult {
        let backtest = match self.reuse {
            Some(b) => b,
            None => backtest(&self.agg, &self.assumptions),
        };
        let events = event_list(
            &self.agg,
            &self.model,
            self.key.as_of,
            backtest.as_ref(),
            MAX_UPCOMING,
        );
        AnalysisResult {
            key: self.key,
            generation: self.generation,
            backtest,
            events,
        }
    }

    /// Events in the series it covers (for the status line).
    pub fn events(&self) -> usize {
        self.agg.series.events.len()
    }
}

/// Where the backtest and event list stand.
#[derive(Debug, Default)]
pub struct Analysis {
    /// What `Derived::backtest` and `Derived::events` hold (`None`: nothing yet).
    pub done: Option<AnalysisKey>,
    /// What is being computed on a thread, and its generation (results of older ones are
    /// dropped).
    pub wanted: Option<AnalysisKey>,
    pub generation: u64,
    /// A job for the app to start on a thread.
    pub queued: Option<AnalysisJob>,
    /// Events in the series being computed (for the status line).
    pub events: usize,
}

impl Analysis {
    /// Whether the backtest and event list on screen are older than the settings.
    pub fn updating(&self) -> bool {
        self.wanted.is_some()
    }
}

/// A loaded file and how it was read.
#[derive(Clone, Debug, PartialEq)]
pub struct SourceFile {
    pub path: PathBuf,
    pub edition: Edition,
    pub read: ReadChoices,
    pub content_hash: String,
    pub size: u64,
}

/// Results derived from the aggregates and the settings.
#[derive(Clone, Debug)]
pub struct Derived {
    pub outlook: Outlook,
    /// What must be read before any number (most registrations flagged, a forecast of
    /// nobody), as the report words it.
    pub headline: Vec<String>,
    /// The event group column splits the series into crumbs (a person's ID chosen as the
    /// group), as the report words it.
    pub grouping: Option<String>,
    /// An event start the data suggests, and where it comes from, for when none is set.
    pub start_guess: Option<(i64, &'static str)>,
    /// Walk-forward backtest over past editions (`None` without past check-ins).
    pub backtest: Option<Backtest>,
    /// Every event of a series: upcoming ones forecast as of the outlook's instant, past ones
    /// with the backtest's forecast the day before (computed with the backtest).
    pub events: EventList,
    /// Signups in the chosen date range, when one is chosen.
    pub range: Option<crate::analysis::aggregate::RangeCounts>,
    pub chart: ChartData,
    pub breakdown: Breakdown,
}

/// The data being looked at.
pub struct Session {
    /// The embedded demo, when that is what is loaded.
    pub demo: Option<DemoConfig>,
    /// One per table of `dataset` when files are loaded.
    pub sources: Vec<SourceFile>,
    pub dataset: Dataset,
    /// Scores and reasons per row, for each table of the event being planned.
    pub row_flags: Vec<Option<RowFlags>>,
    /// Manual verdicts by (table, row): `true` = fake. They win over scores.
    pub marks: FxHashMap<(usize, usize), bool>,
    /// The flag mask per table (scores at the threshold, then marks).
    pub flags: FlagMasks,
    /// What the flags add up to for the event being planned (`None` until scored).
    pub flag_summary: Option<FlagSummary>,
    /// Home region and returning registrants per row (once per dataset and venue region).
    pub traits: Vec<TableTraits>,
    /// Whether `traits` knows returning registrants yet.
    pub traits_complete: bool,
    /// The events of the data and the one in focus.
    pub scope: Scope,
    /// Shared with background analysis jobs.
    pub agg: Arc<Aggregates>,
    /// Bumped at each aggregation.
    pub aggregation: u64,
    /// The backtest and event list: current, being computed, or waiting for a thread.
    pub analysis: Analysis,
    /// Calibration for the current priors; rebuilt when they or the aggregates change.
    pub model: Model,
    /// Held inventory from a cart log, order export or quota snapshots (the demo's store).
    pub holds: Option<HoldsView>,
    pub settings: Settings,
    pub derived: Derived,
    pub project_path: Option<PathBuf>,
    /// Attendance lists applied to the loaded files (read again with them).
    pub attendance_files: Vec<PathBuf>,
    /// Door counts per day (and group) read into the scope.
    pub headcount_files: Vec<PathBuf>,
    /// The project as last saved or opened, to tell whether there are unsaved changes.
    pub saved: Project,
}

impl Session {
    /// The embedded demo with its venue's settings.
    pub fn from_demo(demo: Demo) -> Session {
        let mut s = Session::from_demo_unscored(demo);
        s.rescore();
        s
    }

    /// The demo before its rows are scored for fakes (the app scores it in the background
    /// so the window shows up at once).
    pub fn from_demo_unscored(demo: Demo) -> Session {
        let mut settings = Settings::default();
        settings.assumptions.capacity = demo.venue.capacity;
        settings.assumptions.overflow_capacity = demo.venue.overflow_capacity;
        settings.assumptions.event_start = Some(demo.venue.event_start);
        settings.time_zone = demo.venue.time_zone_name.clone();
        let config = demo.config.clone();
        let row_flags = vec![None; demo.dataset.tables.len()];
        let holds = HoldsView::build(HoldSource::from_table(demo.merch.table), &settings.holds);
        let mut s = Session::with_flags(demo.dataset, Vec::new(), settings, row_flags);
        s.holds = holds;
        s.demo = Some(config);
        s.saved = s.to_project();
        s
    }

    /// Sets (or clears, with `None`) the verdict of `rows` of `table`, then re-aggregates.
    pub fn set_marks(
        &mut self,
        table: usize,
        rows: impl IntoIterator<Item = usize>,
        verdict: Option<bool>,
    ) {
        for r in rows {
            match verdict {
                Some(v) => {
                    self.marks.insert((table, r), v);
                }
                None => {
                    self.marks.remove(&(table, r));
                }
            }
        }
        self.reaggregate();
    }

    /// Whether a table of the event being planned has not been scored yet.
    pub fn needs_scoring(&self) -> bool {
        self.dataset
            .tables
            .iter()
            .zip(&self.row_flags)
            .any(|(t, f)| t.edition == Edition::Current && f.is_none())
    }

    pub fn new(dataset: Dataset, sources: Vec<SourceFile>, settings: Settings) -> Session {
        let row_flags = score_tables(&dataset, &settings.flags);
        Session::with_flags(dataset, sources, settings, row_flags)
    }

    /// A session whose rows were already scored (on a loader thread).
    pub fn with_flags(
        dataset: Dataset,
        sources: Vec<SourceFile>,
        settings: Settings,
        row_flags: Vec<Option<RowFlags>>,
    ) -> Session {
        let marks = FxHashMap::default();
        let flags = masks(&row_flags, settings.flags.threshold, &marks);
        let flag_summary =
            FlagSummary::over_tables(&dataset, &row_flags, &flags, settings.flags.threshold);
        // Finding returning registrants is a pass over every address: for big datasets it
        // runs on a thread (`TurnoutApp::score_in_background`); until then only home regions
        // are known.
        let (traits, traits_complete) = traits_for(&dataset, &settings);
        let scope = scope_for(&dataset, &settings, None);
        let agg = Arc::new(Aggregates::build_with(&dataset, &flags, &traits, &scope));
        let model = Model::prepare(&agg, &settings.assumptions);
        let bursts = burst_windows(&dataset, &row_flags);
        let derived = derive_view(
            &agg,
            &model,
            &settings,
            &dataset,
            &bursts,
            flag_summary.as_ref(),
        );
        let mut s = Session {
            demo: None,
            sources,
            dataset,
            row_flags,
            marks,
            flags,
            flag_summary,
            traits,
            traits_complete,
            scope,
            agg,
            aggregation: 1,
            analysis: Analysis::default(),
            model,
            holds: None,
            settings,
            derived,
            project_path: None,
            attendance_files: Vec::new(),
            headcount_files: Vec::new(),
            saved: Project::default(),
        };
        s.update_analysis();
        s.saved = s.to_project();
        s
    }

    pub fn time_zone(&self) -> TimeZone {
        TimeZone::get(&self.settings.time_zone).unwrap_or(TimeZone::UTC)
    }

    /// Recomputes what depends on the settings (cheap: aggregates only). The backtest and
    /// the event list are kept while their inputs hold; otherwise they are computed at once
    /// for a short series, or queued for a thread ([`Analysis::queued`]) for a long one.
    pub fn refresh(&mut self) {
        if let Some(h) = &mut self.holds {
            h.update(&self.settings.holds);
        }
        let bursts = burst_windows(&self.dataset, &self.row_flags);
        if !self.model.fits(&self.settings.assumptions) {
            self.model = Model::prepare(&self.agg, &self.settings.assumptions);
        }
        let mut derived = derive_view(
            &self.agg,
            &self.model,
            &self.settings,
            &self.dataset,
            &bursts,
            self.flag_summary.as_ref(),
        );
        derived.backtest = self.derived.backtest.take();
        derived.events = std::mem::take(&mut self.derived.events);
        self.derived = derived;
        self.update_analysis();
    }

    /// Keeps the backtest and event list if their inputs hold; else computes them at once
    /// (short series) or queues them for a thread.
    fn update_analysis(&mut self) {
        let a = &self.settings.assumptions;
        let key = AnalysisKey {
            aggregation: self.aggregation,
            priors: (a.prior_free, a.prior_paid),
            overrides: a.show_up_overrides.clone(),
            event_start: a.event_start,
            as_of: self.derived.outlook.as_of,
        };
        if self.analysis.done.as_ref() == Some(&key) {
            self.analysis.wanted = None;
            self.analysis.queued = None;
            return;
        }
        if self.analysis.wanted.as_ref() == Some(&key) {
            return;
        }
        let reuse = self
            .analysis
            .done
            .as_ref()
            .filter(|d| d.same_backtest(&key))
            .map(|_| self.derived.backtest.clone());
        // Unique across sessions: a result computed for data since replaced is dropped.
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        self.analysis.generation = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let job = AnalysisJob {
            key: key.clone(),
            generation: self.analysis.generation,
            agg: self.agg.clone(),
            model: self.model.clone(),
            assumptions: self.settings.assumptions.clone(),
            reuse,
        };
        if self.agg.series.events.len() <= QUICK_ANALYSIS_EVENTS {
            self.analysis.queued = None;
            self.analysis.wanted = None;
            let result = job.run();
            self.finish_analysis(result);
        } else {
            // The old results stay on screen, marked as updating, until the new ones arrive.
            self.analysis.events = job.events();
            self.analysis.wanted = Some(key);
            self.analysis.queued = Some(job);
        }
    }

    /// Takes in a finished analysis; one for settings that changed since is dropped.
    pub fn finish_analysis(&mut self, result: AnalysisResult) {
        if result.generation != self.analysis.generation {
            return;
        }
        self.derived.backtest = result.backtest;
        self.derived.events = result.events;
        self.analysis.done = Some(result.key);
        self.analysis.wanted = None;
    }

    /// Works out home regions (and, for small datasets, returning registrants) again after
    /// tables were added or re-read.
    pub fn retrait(&mut self) {
        (self.traits, self.traits_complete) = traits_for(&self.dataset, &self.settings);
    }

    /// Re-aggregates after the data or the flags changed.
    pub fn reaggregate(&mut self) {
        self.flags = masks(&self.row_flags, self.settings.flags.threshold, &self.marks);
        self.flag_summary = FlagSummary::over_tables(
            &self.dataset,
            &self.row_flags,
            &self.flags,
            self.settings.flags.threshold,
        );
        self.scope = scope_for(&self.dataset, &self.settings, Some(&self.scope));
        self.agg = Arc::new(Aggregates::build_with(
            &self.dataset,
            &self.flags,
            &self.traits,
            &self.scope,
        ));
        self.aggregation += 1;
        self.model = Model::prepare(&self.agg, &self.settings.assumptions);
        self.refresh();
    }

    /// Scores the tables again (after loading or when detection settings change).
    pub fn rescore(&mut self) {
        self.row_flags = score_tables(&self.dataset, &self.settings.flags);
        self.traits = table_traits(&self.dataset, &self.settings.flags.venue_region);
        self.traits_complete = true;
        self.reaggregate();
    }

    pub fn title(&self) -> String {
        self.dataset
            .current()
            .next()
            .map(|(_, t)| t.label.clone())
            .unwrap_or_else(|| "No data".to_string())
    }

    /// Marks of a project (file, line) as marks on loaded rows.
    pub fn marks_from(&self, marks: &[crate::project::Mark]) -> FxHashMap<(usize, usize), bool> {
        let mut out = FxHashMap::default();
        for m in marks {
            let Some(t) = self.dataset.tables.get(m.file) else {
                continue;
            };
            if let Ok(row) = t.rows.line.binary_search(&m.line) {
                out.insert((m.file, row), m.verdict == crate::project::Verdict::Fake);
            }
        }
        out
    }

    /// The project as it would be saved now.
    pub fn to_project(&self) -> Project {
        let mut marks: Vec<crate::project::Mark> = self
            .marks
            .iter()
            .filter_map(|(&(t, r), &fake)| {
                let line = *self.dataset.tables.get(t)?.rows.line.get(r)?;
                Some(crate::project::Mark {
                    file: t,
                    line,
                    verdict: if fake {
                        crate::project::Verdict::Fake
                    } else {
                        crate::project::Verdict::Genuine
                    },
                })
            })
            .collect();
        marks.sort_by_key(|m| (m.file, m.line));
        Project {
            demo: self.demo.as_ref().map(|d| (d.seed, d.rows)),
            files: self
                .sources
                .iter()
                .map(|s| ProjectFile {
                    path: s.path.clone(),
                    edition: s.edition,
                    content_hash: s.content_hash.clone(),
                    size: s.size,
                    read: s.read.clone(),
                })
                .collect(),
            settings: self.settings.clone(),
            marks,
            hold_files: self
                .holds
                .as_ref()
                .map(|h| h.source.paths.clone())
                .unwrap_or_default(),
            attendance_files: self.attendance_files.clone(),
            headcount_files: self.headcount_files.clone(),
            ..Project::default()
        }
    }

    pub fn is_dirty(&self) -> bool {
        self.to_project() != self.saved
    }
}

/// The events of `dataset` in the event's zone, keeping the focus and headcounts of
/// `previous` where that event still exists.
fn scope_for(dataset: &Dataset, settings: &Settings, previous: Option<&Scope>) -> Scope {
    let zone = TimeZone::get(&settings.time_zone).unwrap_or(TimeZone::UTC);
    let mut scope = Scope::of(dataset, &zone);
    if let Some(prev) = previous {
        scope.headcounts = prev.headcounts.clone();
        scope.set_day_counts(
            prev.headcounts.by_day.clone(),
            prev.headcounts.placed.rejected,
        );
        scope.expect_nights();
    }
    scope.headcounts.by_event = settings.headcounts.clone();
    // The event the user picked, else the one in focus before, where it still exists.
    let wanted = settings.focus.clone().or_else(|| {
        previous
            .and_then(|p| p.focus_event())
            .map(|e| (e.label.clone(), e.group.clone()))
    });
    if let Some((label, group)) = wanted
        && let Some(i) = scope
            .events
            .events
            .iter()
            .position(|e| e.is_named(&label, &group))
    {
        scope.focus = Some(i);
    }
    scope
}

/// Home regions and, up to [`QUICK_TRAITS_ROWS`] rows, returning registrants.
fn traits_for(dataset: &Dataset, settings: &Settings) -> (Vec<TableTraits>, bool) {
    let rows: usize = dataset.tables.iter().map(|t| t.rows.len()).sum();
    if rows <= QUICK_TRAITS_ROWS {
        (table_traits(dataset, &settings.flags.venue_region), true)
    } else {
        (home_traits(dataset, &settings.flags.venue_region), false)
    }
}

/// Everything but the backtest (which depends only on the aggregates and priors).
fn derive_view(
    agg: &Aggregates,
    model: &Model,
    settings: &Settings,
    dataset: &Dataset,
    bursts: &[(i64, i64)],
    flagged: Option<&FlagSummary>,
) -> Derived {
    let tz = TimeZone::get(&settings.time_zone).unwrap_or(TimeZone::UTC);
    let outlook = model.outlook(agg, &settings.assumptions);
    let headline = crate::report::headlines(
        flagged,
        Some(crate::report::Stakes::of(&outlook)),
        "Review them in the Flagged registrations panel (View menu)",
    );
    let file = dataset
        .current()
        .next()
        .map(|(_, t)| t.label.clone())
        .unwrap_or_default();
    // A series' chart is about one of its events: say which.
    let title = match agg.focus.map(|e| &agg.series.events[e]) {
        Some(ev) if agg.series.per_row && agg.series.events.len() > 1 => {
            format!("{file} · {}", ev.display_name())
        }
        _ => file,
    };
    // Everything follows the as-of day of a replay: the breakdown and the burst windows too;
    // the signup numbers follow the date range's start as well.
    let as_of = settings.assumptions.as_of;
    let since = settings.since.filter(|&t| t < outlook.as_of);
    let range = since.map(|t| agg.range_counts(t, outlook.as_of));
    let known: Vec<(i64, i64)> = bursts
        .iter()
        .filter(|b| as_of.is_none_or(|t| b.0 <= t))
        .map(|&(a, b)| (a, as_of.map_or(b, |t| b.min(t))))
        .collect();
    let chart = ChartData::build(agg, &settings.assumptions, &outlook, &tz, &title)
        .with_bursts(&known, &tz)
        .since(since, &tz)
        .binned(settings.bin);
    let breakdown = match settings.breakdown {
        Role::Source => Breakdown::new(
            "Genuine registrations by source",
            &agg.breakdown(dataset, Role::Source, since, as_of),
            8,
        ),
        _ => Breakdown::new(
            "Genuine registrations by ticket type",
            &agg.breakdown(dataset, Role::TicketType, since, as_of),
            8,
        ),
    };
    Derived {
        outlook,
        headline,
        grouping: crate::report::crumbs_headline(&agg.series, dataset),
        start_guess: start_guess(dataset),
        backtest: None,
        events: EventList::default(),
        range,
        chart,
        breakdown,
    }
}

/// The start the files suggest: the latest event time they book, else the hour after the
/// last signup.
fn start_guess(dataset: &Dataset) -> Option<(i64, &'static str)> {
    let current = || dataset.current().map(|(_, t)| &t.rows);
    let booked = current()
        .filter_map(|r| r.event_at.as_ref())
        .flat_map(|e| e.iter().copied())
        .filter(|&t| t != crate::dataset::NO_TIME)
        .max();
    if let Some(t) = booked {
        return Some((t, "the event date in the file"));
    }
    current()
        .flat_map(|r| r.registered_at.iter().copied())
        .filter(|&t| t != crate::dataset::NO_TIME)
        .max()
        .map(|t| ((t / 3600 + 1) * 3600, "just after the last signup"))
}
