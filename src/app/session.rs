//! What is loaded and everything derived from it. Rows are aggregated once per load; settings
//! changes only recompute the outlook and chart data from the aggregates.

use std::path::PathBuf;

use jiff::tz::TimeZone;

use crate::analysis::{Aggregates, FlagMasks, Outlook, outlook};
use crate::chart::{Breakdown, ChartData};
use crate::dataset::{Dataset, Edition};
use crate::demo::{Demo, DemoConfig};
use crate::import::Role;
use crate::project::{Project, ProjectFile, ReadChoices, Settings};

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
    pub flags: FlagMasks,
    pub agg: Aggregates,
    pub settings: Settings,
    pub derived: Derived,
    pub project_path: Option<PathBuf>,
    /// The project as last saved or opened, to tell whether there are unsaved changes.
    pub saved: Project,
}

impl Session {
    /// The embedded demo with its venue's settings.
    pub fn from_demo(demo: Demo) -> Session {
        let mut settings = Settings::default();
        settings.assumptions.capacity = demo.venue.capacity;
        settings.assumptions.overflow_capacity = demo.venue.overflow_capacity;
        settings.assumptions.event_start = Some(demo.venue.event_start);
        settings.time_zone = demo.venue.time_zone_name.clone();
        let config = demo.config.clone();
        let mut s = Session::new(demo.dataset, Vec::new(), settings);
        s.demo = Some(config);
        s.saved = s.to_project();
        s
    }

    pub fn new(dataset: Dataset, sources: Vec<SourceFile>, settings: Settings) -> Session {
        let flags: FlagMasks = Vec::new();
        let agg = Aggregates::build(&dataset, &flags);
        let derived = derive(&agg, &settings, &dataset);
        let mut s = Session {
            demo: None,
            sources,
            dataset,
            flags,
            agg,
            settings,
            derived,
            project_path: None,
            saved: Project::default(),
        };
        s.saved = s.to_project();
        s
    }

    pub fn time_zone(&self) -> TimeZone {
        TimeZone::get(&self.settings.time_zone).unwrap_or(TimeZone::UTC)
    }

    /// Recomputes what depends on the settings (cheap: aggregates only).
    pub fn refresh(&mut self) {
        self.derived = derive(&self.agg, &self.settings, &self.dataset);
    }

    /// Re-aggregates after the data or the flags changed.
    pub fn reaggregate(&mut self) {
        self.agg = Aggregates::build(&self.dataset, &self.flags);
        self.refresh();
    }

    pub fn title(&self) -> String {
        self.dataset
            .current()
            .next()
            .map(|(_, t)| t.label.clone())
            .unwrap_or_else(|| "No data".to_string())
    }

    /// The project as it would be saved now.
    pub fn to_project(&self) -> Project {
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
            ..Project::default()
        }
    }

    pub fn is_dirty(&self) -> bool {
        self.to_project() != self.saved
    }
}

fn derive(agg: &Aggregates, settings: &Settings, dataset: &Dataset) -> Derived {
    let tz = TimeZone::get(&settings.time_zone).unwrap_or(TimeZone::UTC);
    let outlook = outlook(agg, &settings.assumptions);
    let title = dataset
        .current()
        .next()
        .map(|(_, t)| t.label.clone())
        .unwrap_or_default();
    let chart = ChartData::build(agg, &settings.assumptions, &outlook, &tz, &title);
    let breakdown = match settings.breakdown {
        Role::Source => Breakdown::new("Registrations by source", &agg.by_source, 8),
        _ => Breakdown::new("Registrations by ticket type", &agg.by_ticket_type, 8),
    };
    Derived {
        outlook,
        chart,
        breakdown,
    }
}
