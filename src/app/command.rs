//! Everything that changes the app's state is a [`Command`]. Panels, menus, shortcuts and
//! background jobs send them; `App::logic` applies them in one place.

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, Sender, channel};

use crate::dataset::Edition;
use crate::import::Role;
use crate::project::Settings;

use super::jobs::LoadOutcome;

/// What to export.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportKind {
    ChartPng,
    ChartSvg,
    SummaryCsv,
    ReportPdf,
    /// The flagged rows with their original columns, score and reasons.
    FlaggedCsv,
}

impl ExportKind {
    pub fn extension(self) -> &'static str {
        match self {
            ExportKind::ChartPng => "png",
            ExportKind::ChartSvg => "svg",
            ExportKind::SummaryCsv | ExportKind::FlaggedCsv => "csv",
            ExportKind::ReportPdf => "pdf",
        }
    }
}

/// What a file dialog was opened for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DialogPurpose {
    OpenFiles,
    AddHistory,
    /// Cart logs, order exports or quota snapshots for held inventory.
    AddHolds,
    /// Door counts per day (and group) of past events.
    AddHeadcounts,
    OpenProject,
    SaveProjectAs,
    Export(ExportKind),
    /// Find a project file that moved.
    Locate(usize),
}

/// An action that would drop unsaved changes, held until the user answers.
#[derive(Clone, Debug, PartialEq)]
pub enum Pending {
    OpenFiles(Vec<PathBuf>),
    OpenProject(PathBuf),
    OpenDemo,
    Close,
}

#[derive(Debug)]
pub enum Command {
    // Files and projects.
    ShowDialog(DialogPurpose),
    DialogClosed(DialogPurpose, Option<Vec<PathBuf>>),
    /// Open export files as the event being planned (replacing what is loaded).
    OpenFiles(Vec<PathBuf>),
    /// Add past editions (kept with what is loaded).
    AddFiles(Vec<PathBuf>, Edition),
    OpenDemo,
    LoadFinished(LoadOutcome),
    /// Read door counts per day (and group) of past events: walk-ins are learned from them.
    AddHeadcounts(Vec<PathBuf>),
    /// A backtest and event list computed on a thread.
    AnalysisReady(Box<super::session::AnalysisResult>),
    /// Background scoring finished for the dataset of load `generation`.
    FlagsReady {
        generation: u64,
        /// Home regions and returning registrants, worked out on the same thread.
        traits: Vec<crate::analysis::segments::TableTraits>,
        /// `None` when every table was scored already (only the traits were missing).
        row_flags: Option<Vec<Option<crate::analysis::flags::RowFlags>>>,
    },
    CancelLoad,
    OpenProject(PathBuf),
    SaveProject,
    SaveProjectTo(PathBuf),
    Locate {
        file: usize,
        path: PathBuf,
    },
    /// Re-read one file with a column chosen for a role (`None` unmaps it).
    SetRole {
        table: usize,
        role: Role,
        header: Option<String>,
    },
    SetDateFormat {
        table: usize,
        format: String,
    },
    /// Re-read one file as another kind of list (registrations, attendance, holds, quota).
    SetKind {
        table: usize,
        kind: crate::import::FileContent,
    },
    /// Read a file again with `header` as its registration time (after none was found).
    ReadWithTime {
        path: PathBuf,
        edition: Edition,
        header: String,
    },
    /// Read the hold files as registration lists after all.
    HoldsAsRegistrations,
    /// Whether yes in table `table`'s attendance column means "did not come"; the file is
    /// read again.
    SetAttendanceNegated {
        table: usize,
        negated: bool,
    },
    /// Whether table `table`'s bookings kept to a past start count as come (a booking log
    /// without attendance); the file is read again.
    SetKeptCame {
        table: usize,
        came: bool,
    },
    /// A reviewer's verdict on a row (`Some(true)` = fake, `Some(false)` = genuine, `None` =
    /// back to the score); `group` applies it to every row of the row's group.
    Mark {
        table: usize,
        row: usize,
        verdict: Option<bool>,
        group: bool,
    },
    /// A verdict for every row registered in burst window `burst` of `table`.
    MarkBurst {
        table: usize,
        burst: usize,
        verdict: Option<bool>,
    },
    /// Marks every member of look-alike wave `cluster` of table `table` (as in
    /// `RowFlags::cluster`); `None` clears the verdicts.
    MarkWave {
        table: usize,
        cluster: u32,
        verdict: Option<bool>,
    },
    RemoveFile(usize),
    /// Hold files read on a background thread (or why they could not be).
    HoldsLoaded(Result<crate::analysis::holds::HoldSource, String>),
    // Settings: the whole new value, so undo has one kind of step. `coalesce` names a
    // continuous edit (a slider drag) whose frames make one undo step.
    SetSettings {
        settings: Box<Settings>,
        coalesce: Option<&'static str>,
    },
    Undo,
    Redo,
    // Preferences (not part of the project).
    SetDarkMode(bool),
    // Export.
    Export {
        kind: ExportKind,
        path: PathBuf,
    },
    // Asking before losing work.
    Confirm(Pending),
    /// The answer to the unsaved-changes question.
    Resolve {
        save: bool,
        proceed: bool,
    },
    DismissError(usize),
}

/// A cloneable handle to send commands from anywhere (UI code, background threads).
#[derive(Clone)]
pub struct CommandSender {
    tx: Sender<Command>,
    ctx: Option<egui::Context>,
}

impl CommandSender {
    pub fn send(&self, cmd: Command) {
        let _ = self.tx.send(cmd);
        if let Some(ctx) = &self.ctx {
            ctx.request_repaint();
        }
    }
}

/// Creates the channel; `ctx` is asked to repaint when a command arrives.
pub fn command_channel(ctx: Option<egui::Context>) -> (CommandSender, Receiver<Command>) {
    let (tx, rx) = channel();
    (CommandSender { tx, ctx }, rx)
}
