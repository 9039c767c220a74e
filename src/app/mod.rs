//! The desktop dashboard (egui + eframe). The shell is split by job: this file holds the
//! state and the `eframe::App` glue, `logic` applies commands (`loading` the ones about files),
//! `ui/` only draws and sends commands, `jobs` runs work off the UI thread.

mod command;
mod export;
mod fonts;
mod history;
mod jobs;
mod loading;
mod logic;
pub mod plot_backend;
mod profile;
mod session;
mod ui;

use std::path::PathBuf;
use std::sync::mpsc::Receiver;

use serde::{Deserialize, Serialize};

pub use command::{Command, CommandSender, DialogPurpose, ExportKind, Pending};
pub use session::{Analysis, AnalysisKey, QUICK_ANALYSIS_EVENTS, Session, SourceFile};

use crate::demo::{Demo, DemoConfig};
use history::History;
use jobs::RunningLoad;

/// Preferences kept between runs (never registrant data).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Prefs {
    pub dark_mode: bool,
    /// Bumped by View → Reset layout: panels get fresh ids, so their stored sizes are dropped.
    pub layout: u32,
    pub recent_files: Vec<PathBuf>,
    pub recent_projects: Vec<PathBuf>,
}

impl Prefs {
    pub fn remember_file(&mut self, path: &std::path::Path) {
        remember(&mut self.recent_files, path);
    }
    pub fn remember_project(&mut self, path: &std::path::Path) {
        remember(&mut self.recent_projects, path);
    }
}

fn remember(list: &mut Vec<PathBuf>, path: &std::path::Path) {
    list.retain(|p| p != path);
    list.insert(0, path.to_path_buf());
    list.truncate(10);
}

const PREFS_KEY: &str = "turnout-prefs";

/// A message for the user: what went wrong in plain words, details on request.
#[derive(Clone, Debug, PartialEq)]
pub struct Notice {
    pub title: String,
    pub details: String,
    pub is_error: bool,
    /// A project file that can be located again from the message.
    pub locate: Option<usize>,
    /// A file with no registration-time column found: its columns, for the user to pick.
    pub pick_time: Option<TimePick>,
    /// Says nothing the import review does not show in full (rows rejected, with line and
    /// reason): offers to open it, and stands aside while it is in front.
    pub in_review: bool,
}

/// Choosing the registration-time column of a file that was not read for want of one.
#[derive(Clone, Debug, PartialEq)]
pub struct TimePick {
    pub path: PathBuf,
    pub edition: crate::dataset::Edition,
    /// (header, a sample value) per column.
    pub columns: Vec<(String, String)>,
    pub chosen: usize,
}

/// View state that is neither data nor settings: zoom, open windows, the question on screen.
#[derive(Default)]
pub struct ViewState {
    /// Visible chart range in local days; `None` shows everything.
    pub chart_days: Option<(f64, f64)>,
    pub show_help: bool,
    pub show_review: bool,
    pub review_table: usize,
    pub show_flags: bool,
    pub show_backtest: bool,
    pub show_holds: bool,
    pub show_events: bool,
    /// The detail panel shown when several are open (they share the bottom as tabs).
    pub bottom_tab: usize,
    /// Which detail panels were open last frame (a newly opened one comes to the front).
    pub bottom_open: [bool; 5],
    /// Item shown in the inventory chart (`None` = all items together).
    pub holds_item: Option<usize>,
    pub flag_filter: FlagFilter,
    /// The rows the flag review lists, for the filter they were computed for.
    pub flag_rows: Option<ListedRows>,
    pub export_size: (u32, u32),
    pub pending: Option<Pending>,
    /// The user answered "don't save": let the window close.
    pub close_confirmed: bool,
    pub dropping_files: bool,
}

/// Rows listed by the flag review as (table, row), with the filter and a fingerprint of the
/// flags they were computed for.
pub type ListedRows = (FlagFilter, usize, Vec<(usize, usize)>);

/// What the flag review shows.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FlagFilter {
    /// Only rows with this reason (`None` = any).
    pub reason: Option<crate::analysis::flags::Reason>,
    /// Text to find in e-mail, name or region.
    pub search: String,
    /// Also list rows that are not flagged.
    pub include_unflagged: bool,
    pub sort: FlagSort,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum FlagSort {
    #[default]
    Score,
    Time,
    GroupSize,
}

/// How the app starts.
#[derive(Clone, Debug, Default)]
pub struct StartOptions {
    /// Files to open instead of the demo.
    pub files: Vec<PathBuf>,
    /// Print the frame-time distribution on exit.
    pub profile_frames: bool,
    pub demo: DemoConfig,
    /// When the process started, to report the time to the first full frame.
    pub launched: Option<std::time::Instant>,
}

/// The Turnout dashboard.
pub struct TurnoutApp {
    pub prefs: Prefs,
    pub session: Session,
    pub view: ViewState,
    pub notices: Vec<Notice>,
    history: History,
    sender: CommandSender,
    receiver: Receiver<Command>,
    loading: Option<RunningLoad>,
    /// The generation of a background scoring job in progress.
    pub(crate) scoring: Option<u64>,
    /// Whether a backtest and event list are being computed on a thread.
    pub(crate) analyzing: bool,
    next_job: u64,
    profile: Option<profile::FrameProfile>,
}

impl TurnoutApp {
    /// Builds the app on the given session (usually the demo; `None` = empty) and queues
    /// `files` to load.
    pub fn new(
        cc: &eframe::CreationContext<'_>,
        session: Option<Session>,
        options: StartOptions,
    ) -> Self {
        fonts::install(&cc.egui_ctx);
        let prefs: Prefs = cc
            .storage
            .and_then(|s| eframe::get_value(s, PREFS_KEY))
            .unwrap_or_default();
        let mut app = TurnoutApp::with_context(&cc.egui_ctx, session, prefs);
        if options.profile_frames {
            app.profile = Some(profile::FrameProfile::new(options.launched));
        }
        if !options.files.is_empty() {
            app.sender.send(Command::OpenFiles(options.files));
        }
        app.score_in_background();
        app
    }

    /// The app without eframe's creation context (tests build it this way too).
    pub fn with_context(ctx: &egui::Context, session: Option<Session>, prefs: Prefs) -> Self {
        fonts::install(ctx);
        ctx.set_theme(if prefs.dark_mode {
            egui::Theme::Dark
        } else {
            egui::Theme::Light
        });
        let (sender, receiver) = command::command_channel(Some(ctx.clone()));
        let session = match session {
            Some(s) => s,
            None => Session::new(
                crate::dataset::Dataset::default(),
                Vec::new(),
                crate::project::Settings::default(),
            ),
        };
        TurnoutApp {
            prefs,
            session,
            view: ViewState {
                export_size: (1600, 900),
                ..ViewState::default()
            },
            notices: Vec::new(),
            history: History::default(),
            sender,
            receiver,
            loading: None,
            scoring: None,
            analyzing: false,
            next_job: 1,
            profile: None,
        }
    }

    /// A handle to send commands (as the UI and background jobs do).
    pub fn sender(&self) -> CommandSender {
        self.sender.clone()
    }

    /// Whether a load, scoring for fakes, or a backtest and event list are being worked on.
    pub fn is_loading(&self) -> bool {
        self.loading.is_some() || self.scoring.is_some() || self.session.analysis.updating()
    }

    /// Scores unscored tables and finds returning registrants on a thread; the result
    /// arrives as [`Command::FlagsReady`].
    pub(crate) fn score_in_background(&mut self) {
        let needs_scores = self.session.needs_scoring();
        if !needs_scores && self.session.traits_complete {
            return;
        }
        let generation = self.next_job;
        self.next_job += 1;
        self.scoring = Some(generation);
        let dataset = self.session.dataset.clone();
        let settings = self.session.settings.flags.clone();
        let sender = self.sender.clone();
        std::thread::Builder::new()
            .name("turnout-score".into())
            .spawn(move || {
                let row_flags =
                    needs_scores.then(|| crate::analysis::flags::score_tables(&dataset, &settings));
                let traits =
                    crate::analysis::segments::table_traits(&dataset, &settings.venue_region);
                sender.send(Command::FlagsReady {
                    traits,
                    generation,
                    row_flags,
                });
            })
            .expect("spawn a scoring thread");
    }

    /// Starts the backtest and event list the session queued (a long series) on a thread;
    /// the result arrives as [`Command::AnalysisReady`]. A newer job makes an older one's
    /// result stale (dropped on arrival).
    pub(crate) fn analyze_in_background(&mut self) {
        // One at a time: while the slider moves, only the latest settings wait their turn.
        if self.analyzing {
            return;
        }
        let Some(job) = self.session.analysis.queued.take() else {
            return;
        };
        self.analyzing = true;
        let sender = self.sender.clone();
        std::thread::Builder::new()
            .name("turnout-analysis".into())
            .spawn(move || sender.send(Command::AnalysisReady(Box::new(job.run()))))
            .expect("spawn an analysis thread");
    }

    pub fn history_can_undo(&self) -> bool {
        self.history.can_undo()
    }

    pub fn history_can_redo(&self) -> bool {
        self.history.can_redo()
    }

    /// A stable id for widget state that belongs to the app.
    pub fn view_id(&self) -> egui::Id {
        egui::Id::unique("turnout")
    }
}

impl eframe::App for TurnoutApp {
    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        let started = std::time::Instant::now();
        self.handle_input(ctx);
        self.apply_commands(ctx);
        self.analyze_in_background();
        if self.loading.is_some() {
            ctx.request_repaint_after(std::time::Duration::from_millis(50));
        }
        if let Some(p) = &mut self.profile {
            p.logic_started(started);
        }
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        ui::show(self, ui);
        if let Some(p) = &mut self.profile {
            p.frame_done();
        }
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, PREFS_KEY, &self.prefs);
    }

    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        if let Some(p) = &self.profile {
            eprintln!("{}", p.summary());
        }
    }
}

/// Opens the dashboard window. The demo is generated while the window is being created.
pub fn run(options: StartOptions) -> eframe::Result<()> {
    let demo_config = options.demo.clone();
    let wants_demo = options.files.is_empty();
    // The demo is generated and scored while the window is being created.
    let demo = std::thread::spawn(move || {
        wants_demo.then(|| Session::from_demo_unscored(Demo::generate(&demo_config)))
    });
    let native = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("Turnout")
            .with_app_id("turnout")
            .with_inner_size([1440.0, 900.0])
            .with_min_inner_size([900.0, 600.0])
            .with_drag_and_drop(true),
        renderer: eframe::Renderer::Glow,
        ..Default::default()
    };
    eframe::run_native(
        "Turnout",
        native,
        Box::new(move |cc| {
            let demo = demo.join().ok().flatten();
            Ok(Box::new(TurnoutApp::new(cc, demo, options)))
        }),
    )
}
