//! Work off the UI thread: loading files (with progress and cancel) and native file dialogs
//! (a synchronous dialog on the UI thread would freeze the window).

use std::path::PathBuf;
use std::sync::Arc;

use jiff::tz::TimeZone;

use crate::analysis::flags::{FlagSettings, RowFlags, score_rows};
use crate::dataset::{Edition, Table};
use crate::import::{ImportError, Progress, load_table};
use crate::project::ReadChoices;

use super::command::{Command, CommandSender, DialogPurpose};

/// One file to load and how.
#[derive(Clone, Debug)]
pub struct FileRequest {
    pub path: PathBuf,
    pub edition: Edition,
    pub read: ReadChoices,
    /// The content hash a project recorded for the file; a different one is reported.
    pub saved_hash: Option<String>,
}

/// A loaded file: the table, its content hash, and its rows' fake-registration scores (for
/// the event being planned).
pub struct Loaded {
    pub table: Table,
    pub hash: String,
    pub flags: Option<RowFlags>,
}

impl std::fmt::Debug for Loaded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Loaded")
            .field("table", &self.table.label)
            .finish()
    }
}

/// A loaded file, or why it could not be read.
pub type LoadResult = Result<Loaded, ImportError>;

/// What a load produced: per file, a table or the reason it could not be read.
#[derive(Debug)]
pub struct LoadOutcome {
    pub id: u64,
    /// Replace what is loaded (`true`) or add to it.
    pub replace: bool,
    /// For reloads of one file: its index among the loaded files.
    pub reload_of: Option<usize>,
    pub results: Vec<(FileRequest, LoadResult)>,
    pub cancelled: bool,
}

/// A load in progress, as the status bar shows it.
pub struct RunningLoad {
    pub id: u64,
    pub names: Vec<String>,
    pub progress: Vec<Arc<Progress>>,
}

impl RunningLoad {
    /// (bytes read, bytes in all, rows read) over every file of the load.
    pub fn totals(&self) -> (u64, u64, u64) {
        self.progress.iter().fold((0, 0, 0), |acc, p| {
            let (b, t, r) = p.snapshot();
            (acc.0 + b, acc.1 + t, acc.2 + r)
        })
    }

    pub fn cancel(&self) {
        for p in &self.progress {
            p.cancel();
        }
    }
}

/// Starts loading `files` on a background thread; the outcome arrives as a command.
pub fn spawn_load(
    id: u64,
    files: Vec<FileRequest>,
    replace: bool,
    reload_of: Option<usize>,
    time_zone: TimeZone,
    flag_settings: FlagSettings,
    sender: CommandSender,
) -> RunningLoad {
    let progress: Vec<Arc<Progress>> = files
        .iter()
        .map(|_| Arc::new(Progress::default()))
        .collect();
    let names = files
        .iter()
        .map(|f| {
            f.path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
        })
        .collect();
    let running = RunningLoad {
        id,
        names,
        progress: progress.clone(),
    };
    std::thread::Builder::new()
        .name("turnout-load".into())
        .spawn(move || {
            let mut results = Vec::new();
            let mut cancelled = false;
            for (req, p) in files.into_iter().zip(progress) {
                let mut opts = req.read.to_options(&time_zone);
                opts.progress = Some(p.clone());
                let result = load_table(&req.path, req.edition, &opts).map(|table| {
                    let hash = crate::project::content_hash(&req.path).unwrap_or_default();
                    let flags = (table.edition == Edition::Current)
                        .then(|| score_rows(&table.rows, &flag_settings));
                    Loaded { table, hash, flags }
                });
                cancelled |= matches!(result, Err(ImportError::Cancelled { .. }));
                results.push((req, result));
                if cancelled {
                    break;
                }
            }
            sender.send(Command::LoadFinished(LoadOutcome {
                id,
                replace,
                reload_of,
                results,
                cancelled,
            }));
        })
        .expect("spawn a loader thread");
    running
}

/// Shows a native file dialog on its own thread; the answer arrives as a command.
pub fn spawn_dialog(purpose: DialogPurpose, start_dir: Option<PathBuf>, sender: CommandSender) {
    std::thread::Builder::new()
        .name("turnout-dialog".into())
        .spawn(move || {
            let mut dialog = rfd::FileDialog::new();
            if let Some(dir) = start_dir {
                dialog = dialog.set_directory(dir);
            }
            let exports = [
                "csv", "tsv", "txt", "xlsx", "xls", "xlsm", "ods", "CSV", "XLSX",
            ];
            let picked = match purpose {
                DialogPurpose::OpenFiles | DialogPurpose::AddHistory | DialogPurpose::AddHolds => {
                    dialog
                        .set_title(match purpose {
                            DialogPurpose::AddHistory => "Add a past edition's export",
                            DialogPurpose::AddHolds => {
                                "Open a cart log, order export or quota snapshots"
                            }
                            _ => "Open registration exports",
                        })
                        .add_filter("Registration exports", &exports)
                        .add_filter("All files", &["*"])
                        .pick_files()
                }
                DialogPurpose::AddHeadcounts => dialog
                    .set_title("Add door counts (a date, an optional group, a count)")
                    .add_filter(
                        "Headcount files",
                        &["csv", "tsv", "txt", "xlsx", "xls", "ods", "CSV", "XLSX"],
                    )
                    .add_filter("All files", &["*"])
                    .pick_files(),
                DialogPurpose::Locate(_) => dialog
                    .set_title("Locate the moved file")
                    .add_filter("Registration exports", &exports)
                    .add_filter("All files", &["*"])
                    .pick_file()
                    .map(|p| vec![p]),
                DialogPurpose::OpenProject => dialog
                    .set_title("Open a Turnout project")
                    .add_filter("Turnout project", &["ron"])
                    .pick_file()
                    .map(|p| vec![p]),
                DialogPurpose::SaveProjectAs => dialog
                    .set_title("Save the project")
                    .set_file_name("event.turnout.ron")
                    .add_filter("Turnout project", &["ron"])
                    .save_file()
                    .map(|p| vec![p]),
                DialogPurpose::Export(kind) => dialog
                    .set_title("Export")
                    .set_file_name(format!("turnout.{}", kind.extension()))
                    .add_filter(kind.extension(), &[kind.extension()])
                    .save_file()
                    .map(|p| vec![p]),
            };
            sender.send(Command::DialogClosed(purpose, picked));
        })
        .expect("spawn a dialog thread");
}

/// Reads hold files (cart logs, order exports, quota snapshots) off the UI thread.
pub fn spawn_holds_load(paths: Vec<PathBuf>, tz: jiff::tz::TimeZone, sender: CommandSender) {
    std::thread::Builder::new()
        .name("turnout-holds".into())
        .spawn(move || {
            let opts = crate::import::ImportOptions {
                time_zone: Some(tz.clone()),
                ..Default::default()
            };
            let result = crate::analysis::holds::HoldSource::load(&paths, &opts, &tz);
            sender.send(Command::HoldsLoaded(result));
        })
        .expect("spawn the hold loader");
}
