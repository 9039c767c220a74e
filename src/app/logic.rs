//! The one place that changes the app's state: shortcuts and dropped files become commands,
//! and commands are applied here.

use std::path::{Path, PathBuf};

use crate::dataset::{Dataset, Edition};
use crate::demo::Demo;
use crate::project::{Project, ReadChoices};

use super::command::{Command, DialogPurpose, ExportKind, Pending};
use super::jobs::{FileRequest, spawn_dialog, spawn_holds_load};
use super::loading::attendance_requests;
use super::session::{Session, SourceFile};
use super::{Notice, TurnoutApp};

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

    pub(super) fn notify_error(&mut self, title: impl Into<String>, details: impl Into<String>) {
        self.push_notice(title.into(), details.into(), true);
    }

    pub(super) fn notify(&mut self, title: impl Into<String>, details: impl Into<String>) {
        self.push_notice(title.into(), details.into(), false);
    }

    /// Adds a message and returns it, for the caller to say more (`locate`, `in_review`).
    pub(super) fn push_notice(
        &mut self,
        title: String,
        details: String,
        is_error: bool,
    ) -> &mut Notice {
        self.notices.push(Notice {
            title,
            details,
            is_error,
            locate: None,
            pick_time: None,
            in_review: false,
        });
        self.notices.last_mut().expect("just pushed")
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
                let mut added = Vec::new();
                for p in paths {
                    if !self.session.headcount_files.contains(&p) {
                        self.session.headcount_files.push(p.clone());
                        added.push(p);
                    }
                }
                // A file just chosen that cannot be read is not added (it was reported).
                let unread = self.read_headcounts();
                self.session
                    .headcount_files
                    .retain(|p| !(added.contains(p) && unread.contains(p)));
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
                         from them. {}",
                        self.session.agg.series.events.len(),
                        self.session.scope.headcounts.placed.describe()
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
            Command::SetKeptCame { table, came } => {
                if let Some(src) = self.session.sources.get_mut(table) {
                    src.read.kept_came = Some(came);
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
        let mut files = self.source_requests(true);
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
