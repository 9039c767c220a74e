//! The one place that changes the app's state: shortcuts and dropped files become commands,
//! and commands are applied here.

use std::path::{Path, PathBuf};

use crate::dataset::{Dataset, Edition};
use crate::demo::Demo;
use crate::project::{Project, ReadChoices};

use super::command::{Command, DialogPurpose, ExportKind, Pending};
use super::jobs::{FileRequest, LoadOutcome, spawn_dialog, spawn_holds_load, spawn_load};
use super::session::{Session, SourceFile};
use super::{Notice, TurnoutApp};

/// A file just loaded: its table, where it came from, and its scores.
type LoadedFile = (
    crate::dataset::Table,
    SourceFile,
    Option<crate::analysis::flags::RowFlags>,
);

impl TurnoutApp {
    /// Keyboard shortcuts, dropped files and the window's close button.
    pub(super) fn handle_input(&mut self, ctx: &egui::Context) {
        use egui::{Key, KeyboardShortcut, Modifiers};
        let shortcut = |m: Modifiers, k: Key| {
            ctx.input_mut(|i| i.consume_shortcut(&KeyboardShortcut::new(m, k)))
        };
        let s = &self.sender;
        if shortcut(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z) {
            s.send(Command::Redo);
        } else if shortcut(Modifiers::COMMAND, Key::Z) {
            s.send(Command::Undo);
        }
        if shortcut(Modifiers::COMMAND | Modifiers::SHIFT, Key::S) {
            s.send(Command::ShowDialog(DialogPurpose::SaveProjectAs));
        } else if shortcut(Modifiers::COMMAND, Key::S) {
            s.send(Command::SaveProject);
        }
        if shortcut(Modifiers::COMMAND, Key::O) {
            s.send(Command::ShowDialog(DialogPurpose::OpenFiles));
        }
        if shortcut(Modifiers::COMMAND, Key::E) {
            s.send(Command::ShowDialog(DialogPurpose::Export(
                ExportKind::ChartPng,
            )));
        }
        if shortcut(Modifiers::NONE, Key::F1) {
            self.view.show_help = !self.view.show_help;
        }
        let (hovering, dropped) = ctx.input(|i| {
            (
                !i.raw.hovered_files.is_empty(),
                i.raw
                    .dropped_files
                    .iter()
                    .map(|f| f.path().to_path_buf())
                    .filter(|p| !p.as_os_str().is_empty())
                    .collect::<Vec<PathBuf>>(),
            )
        });
        self.view.dropping_files = hovering;
        if !dropped.is_empty() {
            s.send(Command::OpenFiles(dropped));
        }
        if ctx.input(|i| i.viewport().close_requested())
            && self.session.is_dirty()
            && !self.view.close_confirmed
        {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            self.view.pending = Some(Pending::Close);
        }
    }

    /// Applies every queued command.
    pub fn apply_commands(&mut self, ctx: &egui::Context) {
        while let Ok(cmd) = self.receiver.try_recv() {
            self.apply(ctx, cmd);
        }
    }

    fn notify_error(&mut self, title: impl Into<String>, details: impl Into<String>) {
        self.notices.push(Notice {
            title: title.into(),
            details: details.into(),
            is_error: true,
            locate: None,
            pick_time: None,
        });
    }

    fn notify(&mut self, title: impl Into<String>, details: impl Into<String>) {
        self.notices.push(Notice {
            title: title.into(),
            details: details.into(),
            is_error: false,
            locate: None,
            pick_time: None,
        });
    }

    /// Applies one command.
    pub fn apply(&mut self, ctx: &egui::Context, cmd: Command) {
        match cmd {
            Command::ShowDialog(purpose) => {
                let dir = self
                    .prefs
                    .recent_files
                    .first()
                    .and_then(|p| p.parent().map(Path::to_path_buf));
                spawn_dialog(purpose, dir, self.sender.clone());
            }
            Command::DialogClosed(_, None) => {}
            Command::DialogClosed(purpose, Some(paths)) => self.dialog_answered(purpose, paths),
            Command::OpenFiles(paths)
                if paths.iter().any(|p| crate::project::is_project_path(p)) =>
            {
                // A project among the files (given on the command line or dropped): open it.
                if let Some(p) = paths
                    .into_iter()
                    .find(|p| crate::project::is_project_path(p))
                {
                    self.apply(ctx, Command::OpenProject(p));
                }
            }
            Command::OpenFiles(paths) => {
                if self.session.is_dirty() {
                    self.view.pending = Some(Pending::OpenFiles(paths));
                } else {
                    self.start_load(paths, Edition::Current, true);
                }
            }
            Command::AddFiles(paths, edition) => self.start_load(paths, edition, false),
            Command::OpenDemo => {
                if self.session.is_dirty() {
                    self.view.pending = Some(Pending::OpenDemo);
                } else {
                    self.open_demo();
                }
            }
            Command::LoadFinished(outcome) => self.load_finished(outcome),
            Command::HoldsLoaded(Ok(source)) => {
                let names = source
                    .paths
                    .iter()
                    .map(|p| p.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", ");
                match crate::analysis::holds::HoldsView::build(source, &self.session.settings.holds)
                {
                    Some(view) => {
                        self.session.holds = Some(view);
                        self.view.show_holds = true;
                    }
                    None => self.notify_error(
                        "Nothing held in these files",
                        format!("{names}: no rows or snapshots to analyse"),
                    ),
                }
            }
            Command::HoldsLoaded(Err(e)) => self.notify_error("Could not read the hold files", e),
            Command::AddHeadcounts(paths) => {
                for p in paths {
                    if !self.session.headcount_files.contains(&p) {
                        self.session.headcount_files.push(p);
                    }
                }
                self.read_headcounts();
                self.session.reaggregate();
                let counted = self
                    .session
                    .agg
                    .series
                    .events
                    .iter()
                    .filter(|e| e.headcount.is_some())
                    .count();
                self.notify(
                    "Headcounts added",
                    format!(
                        "{counted} of the {} events now have a door count; walk-ins are learned \
                         from them.",
                        self.session.agg.series.events.len()
                    ),
                );
            }
            Command::AnalysisReady(result) => {
                self.analyzing = false;
                self.session.finish_analysis(*result);
            }
            Command::FlagsReady {
                generation,
                traits,
                row_flags,
            } => {
                let tables = self.session.dataset.tables.len();
                if self.scoring == Some(generation)
                    && row_flags.as_ref().is_none_or(|f| f.len() == tables)
                    && traits.len() == tables
                {
                    self.scoring = None;
                    if let Some(f) = row_flags {
                        self.session.row_flags = f;
                    }
                    self.session.traits = traits;
                    self.session.traits_complete = true;
                    self.session.reaggregate();
                }
            }
            Command::CancelLoad => {
                if let Some(l) = &self.loading {
                    l.cancel();
                }
            }
            Command::OpenProject(path) => {
                if self.session.is_dirty() {
                    self.view.pending = Some(Pending::OpenProject(path));
                } else {
                    self.open_project(&path);
                }
            }
            Command::SaveProject => match self.session.project_path.clone() {
                Some(path) => self.save_project(&path),
                None => spawn_dialog(DialogPurpose::SaveProjectAs, None, self.sender.clone()),
            },
            Command::SaveProjectTo(path) => self.save_project(&path),
            Command::Locate { file, path } => {
                // A project's file that failed to load is in the project but not the session.
                if self.session.sources.len() < self.session.saved.files.len() {
                    self.session.sources = self
                        .session
                        .saved
                        .files
                        .iter()
                        .map(|f| SourceFile {
                            path: f.path.clone(),
                            edition: f.edition,
                            read: f.read.clone(),
                            content_hash: f.content_hash.clone(),
                            size: f.size,
                        })
                        .collect();
                }
                if let Some(src) = self.session.sources.get_mut(file) {
                    src.path = path;
                }
                self.reload_all();
            }
            Command::SetRole {
                table,
                role,
                header,
            } => {
                if let Some(src) = self.session.sources.get_mut(table) {
                    src.read.choose(role, header.as_deref().unwrap_or(""));
                    self.reload(table);
                }
            }
            Command::SetKind { table, kind } => {
                if let Some(src) = self.session.sources.get_mut(table) {
                    src.read.kind = Some(kind);
                    self.reload_all();
                }
            }
            Command::ReadWithTime {
                path,
                edition,
                header,
            } => {
                let mut read = ReadChoices::default();
                read.choose(crate::import::Role::RegisteredAt, &header);
                let replace = self.session.demo.is_some() || self.session.dataset.tables.is_empty();
                let mut files = if replace { Vec::new() } else { self.requests() };
                files.push(FileRequest {
                    path,
                    edition,
                    read,
                    saved_hash: None,
                });
                self.spawn(files, true, None);
            }
            Command::HoldsAsRegistrations => {
                if let Some(h) = self.session.holds.take() {
                    let paths = h.source.paths.clone();
                    let files: Vec<FileRequest> = paths
                        .into_iter()
                        .map(|path| FileRequest {
                            path,
                            edition: Edition::Current,
                            read: ReadChoices {
                                kind: Some(crate::import::FileContent::Registrations),
                                ..ReadChoices::default()
                            },
                            saved_hash: None,
                        })
                        .collect();
                    self.spawn(files, true, None);
                }
            }
            Command::SetAttendanceNegated { table, negated } => {
                if let Some(src) = self.session.sources.get_mut(table) {
                    src.read.attendance_negated = Some(negated);
                    self.reload(table);
                }
            }
            Command::SetDateFormat { table, format } => {
                if let Some(src) = self.session.sources.get_mut(table) {
                    src.read.date_format = format;
                    self.reload(table);
                }
            }
            Command::Mark {
                table,
                row,
                verdict,
                group,
            } => {
                let rows: Vec<usize> = match (&self.session.row_flags.get(table), group) {
                    (Some(Some(f)), true) if f.group.get(row).copied().unwrap_or(0) != 0 => {
                        let g = f.group[row];
                        (0..f.group.len()).filter(|&i| f.group[i] == g).collect()
                    }
                    _ => vec![row],
                };
                self.session.set_marks(table, rows, verdict);
            }
            Command::MarkBurst {
                table,
                burst,
                verdict,
            } => {
                let window = self
                    .session
                    .row_flags
                    .get(table)
                    .and_then(|f| f.as_ref())
                    .and_then(|f| f.bursts.get(burst))
                    .map(|b| (b.start, b.end));
                if let (Some((start, end)), Some(t)) =
                    (window, self.session.dataset.tables.get(table))
                {
                    let rows: Vec<usize> = (0..t.rows.len())
                        .filter(|&r| (start..end).contains(&t.rows.registered_at[r]))
                        .collect();
                    self.session.set_marks(table, rows, verdict);
                }
            }
            Command::MarkWave {
                table,
                cluster,
                verdict,
            } => {
                let rows: Vec<usize> = match self.session.row_flags.get(table) {
                    Some(Some(f)) if cluster != 0 => (0..f.cluster.len())
                        .filter(|&i| f.cluster[i] == cluster)
                        .collect(),
                    _ => Vec::new(),
                };
                if !rows.is_empty() {
                    self.session.set_marks(table, rows, verdict);
                }
            }
            Command::RemoveFile(table) => {
                if table < self.session.sources.len() {
                    self.session.sources.remove(table);
                    self.reload_all();
                }
            }
            Command::SetSettings { settings, coalesce } => {
                if *settings != self.session.settings {
                    self.history.record(&self.session.settings, coalesce);
                    self.set_settings(*settings);
                }
            }
            Command::Undo => {
                if let Some(s) = self.history.undo(&self.session.settings) {
                    self.set_settings(s);
                }
            }
            Command::Redo => {
                if let Some(s) = self.history.redo(&self.session.settings) {
                    self.set_settings(s);
                }
            }
            Command::SetDarkMode(dark) => {
                self.prefs.dark_mode = dark;
                ctx.set_theme(if dark {
                    egui::Theme::Dark
                } else {
                    egui::Theme::Light
                });
            }
            Command::Export { kind, path } => match super::export::export(self, kind, &path) {
                Ok(()) => self.notify("Exported", path.display().to_string()),
                Err(e) => self.notify_error("Export failed", e),
            },
            Command::Confirm(p) => self.view.pending = Some(p),
            Command::Resolve { save, proceed } => self.resolve(ctx, save, proceed),
            Command::DismissError(i) => {
                if i < self.notices.len() {
                    self.notices.remove(i);
                }
            }
        }
    }

    fn dialog_answered(&mut self, purpose: DialogPurpose, paths: Vec<PathBuf>) {
        let Some(first) = paths.first().cloned() else {
            return;
        };
        let s = self.sender.clone();
        match purpose {
            DialogPurpose::OpenFiles => s.send(Command::OpenFiles(paths)),
            DialogPurpose::AddHistory => s.send(Command::AddFiles(
                paths,
                Edition::Past { event_start: None },
            )),
            DialogPurpose::AddHolds => {
                spawn_holds_load(paths, self.session.time_zone(), self.sender.clone())
            }
            DialogPurpose::AddHeadcounts => s.send(Command::AddHeadcounts(paths)),
            DialogPurpose::OpenProject => s.send(Command::OpenProject(first)),
            DialogPurpose::SaveProjectAs => {
                let path = if first.to_string_lossy().ends_with(".ron") {
                    first
                } else {
                    first.with_extension(crate::project::EXTENSION)
                };
                s.send(Command::SaveProjectTo(path));
            }
            DialogPurpose::Export(kind) => s.send(Command::Export { kind, path: first }),
            DialogPurpose::Locate(file) => s.send(Command::Locate { file, path: first }),
        }
    }

    fn set_settings(&mut self, settings: crate::project::Settings) {
        let old = std::mem::replace(&mut self.session.settings, settings);
        let new = self.session.settings.clone();
        if new.time_zone != old.time_zone && !self.session.sources.is_empty() {
            // Zone-less times are read in the event's zone: read the files again.
            self.reload_all();
        }
        if new.flags.venue_region != old.flags.venue_region
            || new.flags.allow_domains != old.flags.allow_domains
        {
            self.session.rescore();
        } else if new.flags.threshold != old.flags.threshold
            || new.focus != old.focus
            || new.headcounts != old.headcounts
        {
            self.session.reaggregate();
        } else {
            self.session.refresh();
        }
    }

    fn start_load(&mut self, paths: Vec<PathBuf>, edition: Edition, replace: bool) {
        let files = paths
            .into_iter()
            .map(|path| FileRequest {
                path,
                edition,
                read: ReadChoices::default(),
                saved_hash: None,
            })
            .collect();
        self.spawn(files, replace, None);
    }

    fn spawn(&mut self, files: Vec<FileRequest>, replace: bool, reload_of: Option<usize>) {
        if let Some(l) = self.loading.take() {
            l.cancel();
        }
        let id = self.next_job;
        self.next_job += 1;
        // Leaving the demo: read the user's files in this machine's zone, not the demo's.
        let zone = if replace && self.session.demo.is_some() {
            jiff::tz::TimeZone::system()
        } else {
            self.session.time_zone()
        };
        self.loading = Some(spawn_load(
            id,
            files,
            replace,
            reload_of,
            zone,
            self.session.settings.flags.clone(),
            self.sender.clone(),
        ));
    }

    fn requests(&self) -> Vec<FileRequest> {
        self.session
            .sources
            .iter()
            .map(|s| FileRequest {
                path: s.path.clone(),
                edition: s.edition,
                read: s.read.clone(),
                saved_hash: None,
            })
            .collect()
    }

    /// Reads the session's headcount files into its scope (matched to events by day, and by
    /// the column chosen as the event group when there is one). A file that cannot be read is
    /// reported and left out.
    fn read_headcounts(&mut self) {
        let zone = self.session.time_zone();
        let group = self
            .session
            .dataset
            .tables
            .iter()
            .flat_map(|t| &t.report.mapping)
            .find(|m| m.role == crate::import::Role::Group)
            .and_then(|m| m.headers.first().cloned());
        let mut by_day = Vec::new();
        let mut failed = Vec::new();
        for path in &self.session.headcount_files {
            match crate::import::headcounts::read(path, &zone, group.as_deref()) {
                Ok(rows) => by_day.extend(rows),
                Err(e) => failed.push((path.clone(), e.to_string())),
            }
        }
        self.session.scope.headcounts.by_day = by_day;
        for (path, e) in failed {
            self.session.headcount_files.retain(|p| *p != path);
            self.notify_error(
                format!("Could not read the headcounts in {}", path.display()),
                e,
            );
        }
    }

    /// The attendance lists to read again with the registration files they marked.
    fn attendance_requests(&self) -> Vec<FileRequest> {
        attendance_requests(&self.session.attendance_files)
    }

    /// Reads one file again (a role or date format was changed).
    fn reload(&mut self, table: usize) {
        let files = self.requests();
        if let Some(req) = files.get(table).cloned() {
            self.spawn(vec![req], false, Some(table));
        }
    }

    /// Reads every file again (zone changed, a file was located or removed).
    fn reload_all(&mut self) {
        let mut files = self.requests();
        if !files.is_empty() {
            files.extend(self.attendance_requests());
        }
        if files.is_empty() {
            return;
        }
        self.spawn(files, true, None);
    }

    /// Takes hold logs, quota snapshots and attendance lists out of a batch of loaded files
    /// and sends them where they belong, saying so; returns the registration lists.
    fn route_loaded(&mut self, loaded: Vec<LoadedFile>) -> (Vec<LoadedFile>, Vec<PathBuf>) {
        use crate::import::FileContent;
        let mut keep = Vec::new();
        let mut applied = Vec::new();
        let mut hold_paths = Vec::new();
        let mut attendance = Vec::new();
        for l in loaded {
            match l.0.report.detected.kind {
                FileContent::Registrations => keep.push(l),
                FileContent::Holds | FileContent::Quota => {
                    self.notify(
                        format!("{} is {}", l.0.label, l.0.report.detected.kind.label()),
                        "It is shown under Held inventory, not counted as registrations. \
                         If that is wrong, use \"Read as registrations\" there.",
                    );
                    hold_paths.push(l.1.path.clone());
                }
                FileContent::Attendance => attendance.push(l),
            }
        }
        if !hold_paths.is_empty() {
            spawn_holds_load(hold_paths, self.session.time_zone(), self.sender.clone());
        }
        for l in attendance {
            // The registrations it belongs to: among those just loaded, else those open.
            use crate::analysis::attendance::best_match;
            let in_batch = best_match(keep.iter().map(|k| &k.0.rows), &l.0.rows);
            let in_session = best_match(
                self.session.dataset.tables.iter().map(|t| &t.rows),
                &l.0.rows,
            );
            let matched = match (in_batch, in_session) {
                (Some(b), _) => {
                    let k = &mut keep[b];
                    let m = crate::analysis::attendance::apply(&mut k.0.rows, &l.0.rows);
                    // Check-ins are evidence for the flags: score the table again.
                    k.2 = k.2.as_ref().map(|_| {
                        crate::analysis::flags::score_rows(&k.0.rows, &self.session.settings.flags)
                    });
                    Some((m, k.0.label.clone()))
                }
                (None, Some(s)) => {
                    let table = &mut self.session.dataset.tables[s];
                    let m = crate::analysis::attendance::apply(&mut table.rows, &l.0.rows);
                    let label = table.label.clone();
                    self.session.retrait();
                    self.session.rescore();
                    Some((m, label))
                }
                _ => None,
            };
            match matched {
                Some((m, label)) => {
                    applied.push(l.1.path.clone());
                    self.notify(
                        format!("{} is {}", l.0.label, l.0.report.detected.kind.label()),
                        format!(
                            "{} of its {} people matched registrations in {label} and are \
                             counted as checked in; {} were not registered.",
                            m.matched,
                            m.matched + m.unmatched,
                            m.unmatched
                        ),
                    );
                }
                None => {
                    self.notify(
                        format!("{} is {}", l.0.label, l.0.report.detected.kind.label()),
                        "None of its people are among the registrations loaded, so it is \
                         shown as the event, everyone on it having come.",
                    );
                    let mut l = l;
                    if l.0.rows.checked_in.is_none() {
                        l.0.rows.checked_in = Some(vec![
                            crate::dataset::CHECKED_IN_UNKNOWN_TIME;
                            l.0.rows.len()
                        ]);
                    }
                    keep.push(l);
                }
            }
        }
        (keep, applied)
    }

    fn load_finished(&mut self, outcome: LoadOutcome) {
        if self.loading.as_ref().is_none_or(|l| l.id != outcome.id) {
            return; // A load that was replaced by a newer one.
        }
        self.loading = None;
        // Scores of the previous data no longer apply.
        self.scoring = None;
        if outcome.cancelled {
            self.notify("Loading cancelled", "The data already loaded is unchanged.");
            return;
        }
        let mut loaded: Vec<LoadedFile> = Vec::new();
        let nothing_loaded = self.session.dataset.tables.is_empty();
        for (index, (req, result)) in outcome.results.into_iter().enumerate() {
            let name = req
                .path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            match result {
                Ok(l) => {
                    self.prefs.remember_file(&req.path);
                    if let Some(saved) = req.saved_hash.as_ref().filter(|h| !h.is_empty())
                        && *saved != l.hash
                    {
                        let problem = crate::project::FileProblem::Changed {
                            file: index,
                            path: req.path.clone(),
                        };
                        self.notify_error("A project file changed", problem.to_string());
                    }
                    let size = l.table.report.file_bytes;
                    loaded.push((
                        l.table,
                        SourceFile {
                            path: req.path,
                            edition: req.edition,
                            read: req.read,
                            content_hash: l.hash,
                            size,
                        },
                        l.flags,
                    ));
                }
                Err(e) => {
                    let missing = matches!(&e, crate::import::ImportError::Io { source, .. }
                        if source.kind() == std::io::ErrorKind::NotFound);
                    let kept = if nothing_loaded {
                        ""
                    } else {
                        "\n\nThe data already loaded is kept."
                    };
                    if missing && req.saved_hash.is_some() {
                        let problem = crate::project::FileProblem::Missing {
                            file: index,
                            path: req.path.clone(),
                        };
                        self.notify_error("A project file needs attention", problem.to_string());
                        if let Some(n) = self.notices.last_mut() {
                            n.locate = Some(index);
                        }
                    } else if let crate::import::ImportError::NoTimeColumn { columns, .. } = &e {
                        let columns = columns.clone();
                        self.notify_error(
                            format!("Which column of {name} holds the registration time?"),
                            format!(
                                "No column's name says it holds the time each registration was \
                                 made. Pick it below and the file is read again.{kept}"
                            ),
                        );
                        // Start on the first column whose values read as dates.
                        let chosen = columns
                            .iter()
                            .position(|(_, v)| {
                                crate::import::timestamp::parse(v.as_bytes()).is_some()
                            })
                            .unwrap_or(0);
                        if let Some(n) = self.notices.last_mut() {
                            n.pick_time = Some(crate::app::TimePick {
                                path: req.path.clone(),
                                edition: req.edition,
                                columns,
                                chosen,
                            });
                        }
                    } else {
                        self.notify_error(format!("Could not open {name}"), format!("{e}{kept}"));
                    }
                }
            }
        }
        // Files that are not registration lists go where they belong: hold logs and quota
        // snapshots to held inventory, attendance lists onto the registrations they match.
        let mut attendance = Vec::new();
        if outcome.reload_of.is_none() {
            (loaded, attendance) = self.route_loaded(loaded);
        }
        let remember = |session: &mut Session, paths: &[PathBuf]| {
            for p in paths {
                if !session.attendance_files.contains(p) {
                    session.attendance_files.push(p.clone());
                }
            }
        };
        if loaded.is_empty() {
            // Only attendance lists (applied to what is open), or nothing readable: the files
            // stay listed (a project's files that could not be read can be located).
            remember(&mut self.session, &attendance);
            return;
        }
        if let Some(i) = outcome.reload_of {
            let (table, source, flags) = loaded.remove(0);
            if i < self.session.sources.len() {
                self.session.dataset.tables[i] = table;
                self.session.sources[i] = source;
                self.session.row_flags[i] = flags;
                // Rows may have moved: keep only marks whose row still exists.
                let n = self.session.dataset.tables[i].rows.len();
                self.session.marks.retain(|(t, r), _| *t != i || *r < n);
                self.session.retrait();
                // The file was read afresh: the attendance lists mark who came on it again
                // (they load next and are routed onto it).
                let lists = self.attendance_requests();
                if !lists.is_empty() {
                    self.spawn(lists, false, None);
                }
            }
        } else if outcome.replace {
            let mut dataset = Dataset::default();
            let mut sources = Vec::new();
            let mut row_flags = Vec::new();
            for (t, s, f) in loaded {
                dataset.push(t);
                sources.push(s);
                row_flags.push(f);
            }
            let was_demo = self.session.demo.is_some();
            let project_path = self.session.project_path.take();
            let saved = std::mem::take(&mut self.session.saved);
            // The demo's venue doesn't describe the user's event: start from defaults.
            let settings = if was_demo {
                crate::project::Settings::default()
            } else {
                self.session.settings.clone()
            };
            let headcount_files = if was_demo {
                Vec::new()
            } else {
                std::mem::take(&mut self.session.headcount_files)
            };
            self.session = Session::with_flags(dataset, sources, settings, row_flags);
            self.session.attendance_files = attendance.clone();
            self.session.headcount_files = headcount_files;
            self.read_headcounts();
            if !was_demo {
                self.session.project_path = project_path;
                self.session.marks = self.session.marks_from(&saved.marks);
                let mut saved = saved;
                // A project that did not record a file's hash or size learns them now; that
                // is no change of the user's.
                for (f, src) in saved.files.iter_mut().zip(&self.session.sources) {
                    if f.path == src.path && f.content_hash.is_empty() {
                        f.content_hash = src.content_hash.clone();
                        f.size = src.size;
                    }
                }
                self.session.saved = saved;
            }
            self.view.chart_days = None;
            self.history.clear();
        } else {
            for (t, s, f) in loaded {
                self.session.dataset.push(t);
                self.session.sources.push(s);
                self.session.row_flags.push(f);
            }
            self.session.retrait();
            remember(&mut self.session, &attendance);
        }
        self.session.reaggregate();
        self.score_in_background();
        let warnings: Vec<String> = self
            .session
            .dataset
            .tables
            .iter()
            .filter(|t| t.report.rejected_count > 0)
            .map(|t| {
                format!(
                    "{}: {} rows could not be read (see Import review)",
                    t.label, t.report.rejected_count
                )
            })
            .collect();
        if !warnings.is_empty() {
            self.notify("Some rows were rejected", warnings.join("\n"));
        }
    }

    fn open_demo(&mut self) {
        let demo = Demo::generate(&self.session.demo.clone().unwrap_or_default());
        self.scoring = None;
        self.session = Session::from_demo(demo);
        self.history.clear();
        self.view.chart_days = None;
    }

    fn open_project(&mut self, path: &Path) {
        let opened = match Project::open(path) {
            Ok(p) => p,
            Err(e) => return self.notify_error("Could not open the project", e.to_string()),
        };
        self.prefs.remember_project(path);
        for w in opened.warnings {
            self.notify("The project opened with a warning", w);
        }
        let mut project = opened.project;
        // Saving writes this version's format: that alone is no unsaved change.
        project.version = crate::project::PROJECT_VERSION;
        if let Some((seed, rows)) = project.demo {
            let demo = Demo::generate(&crate::demo::DemoConfig {
                rows,
                seed,
                ..Default::default()
            });
            self.session = Session::from_demo(demo);
        } else {
            self.session = Session::new(Dataset::default(), Vec::new(), project.settings.clone());
        }
        self.session.settings = project.settings.clone();
        self.session.headcount_files = project.headcount_files.clone();
        self.session.project_path = Some(path.to_path_buf());
        self.session.sources = project
            .files
            .iter()
            .map(|f| SourceFile {
                path: f.path.clone(),
                edition: f.edition,
                read: f.read.clone(),
                content_hash: f.content_hash.clone(),
                size: f.size,
            })
            .collect();
        if self.session.demo.is_some() {
            self.session.marks = self.session.marks_from(&project.marks);
            self.session.rescore();
        }
        if !project.hold_files.is_empty() {
            spawn_holds_load(
                project.hold_files.clone(),
                self.session.time_zone(),
                self.sender.clone(),
            );
        }
        self.session.saved = project;
        self.session.refresh();
        self.history.clear();
        let mut files: Vec<FileRequest> = self
            .session
            .sources
            .iter()
            .map(|s| FileRequest {
                path: s.path.clone(),
                edition: s.edition,
                read: s.read.clone(),
                saved_hash: Some(s.content_hash.clone()),
            })
            .collect();
        if !files.is_empty() {
            // Attendance lists come in the same batch: they are applied to the files they
            // match as they load.
            files.extend(attendance_requests(&self.session.saved.attendance_files));
            self.spawn(files, true, None);
            // Keep the project's settings and saved state across the load.
            self.session.demo = None;
        }
    }

    fn save_project(&mut self, path: &Path) {
        let project = self.session.to_project();
        match project.save(path) {
            Ok(()) => {
                self.session.project_path = Some(path.to_path_buf());
                self.session.saved = project;
                self.prefs.remember_project(path);
            }
            Err(e) => self.notify_error("Could not save the project", e.to_string()),
        }
    }

    fn resolve(&mut self, ctx: &egui::Context, save: bool, proceed: bool) {
        let Some(pending) = self.view.pending.take() else {
            return;
        };
        if !proceed {
            return;
        }
        if save {
            match self.session.project_path.clone() {
                Some(path) => self.save_project(&path),
                None => {
                    // Ask where, then the user repeats the action.
                    spawn_dialog(DialogPurpose::SaveProjectAs, None, self.sender.clone());
                    return;
                }
            }
        }
        self.session.saved = self.session.to_project();
        match pending {
            Pending::OpenFiles(paths) => self.start_load(paths, Edition::Current, true),
            Pending::OpenProject(path) => self.open_project(&path),
            Pending::OpenDemo => self.open_demo(),
            Pending::Close => {
                self.view.close_confirmed = true;
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
        }
    }
}

/// Requests to read attendance lists (check-in exports), which the load routes onto the
/// registrations they match.
fn attendance_requests(paths: &[PathBuf]) -> Vec<FileRequest> {
    paths
        .iter()
        .map(|path| FileRequest {
            path: path.clone(),
            edition: Edition::Current,
            read: Default::default(),
            saved_hash: None,
        })
        .collect()
}
