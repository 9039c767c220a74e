//! Loading files, the state-changing half: requests for the loader thread, and what happens
//! when a load finishes: registration lists replace or join what is open, hold logs go to
//! held inventory, attendance lists are applied onto the registrations they match, and the
//! session's headcount files are read into its scope. Called from `logic` only.

use std::path::PathBuf;

use crate::dataset::{Dataset, Edition};
use crate::project::ReadChoices;

use super::TurnoutApp;
use super::jobs::{FileRequest, LoadOutcome, spawn_holds_load, spawn_load};
use super::session::{Session, SourceFile};

/// A file just loaded: its table, where it came from, and its scores.
type LoadedFile = (
    crate::dataset::Table,
    SourceFile,
    Option<crate::analysis::flags::RowFlags>,
);

impl TurnoutApp {
    pub(super) fn start_load(&mut self, paths: Vec<PathBuf>, edition: Edition, replace: bool) {
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

    pub(super) fn spawn(
        &mut self,
        files: Vec<FileRequest>,
        replace: bool,
        reload_of: Option<usize>,
    ) {
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

    pub(super) fn requests(&self) -> Vec<FileRequest> {
        self.source_requests(false)
    }

    /// A request to read each loaded file again as it was read; with `saved_hash`, each
    /// carries the content hash the project recorded (a project being opened checks it).
    pub(super) fn source_requests(&self, saved_hash: bool) -> Vec<FileRequest> {
        self.session
            .sources
            .iter()
            .map(|s| FileRequest {
                path: s.path.clone(),
                edition: s.edition,
                read: s.read.clone(),
                saved_hash: saved_hash.then(|| s.content_hash.clone()),
            })
            .collect()
    }

    /// Reads the session's headcount files into its scope (matched to events by day, and by
    /// the column chosen as the event group when there is one). A file that cannot be read is
    /// reported and stays in the session's list (a project keeps it, as it keeps attendance
    /// lists it cannot read: the drive may be back next time); returns those files.
    pub(super) fn read_headcounts(&mut self) -> Vec<PathBuf> {
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
        let mut left_out = Vec::new();
        let mut matched = Vec::new();
        let mut rejected = 0;
        for path in &self.session.headcount_files {
            match crate::import::headcounts::read(path, &zone, group.as_deref()) {
                Ok(file) => {
                    rejected += file.rejected_count;
                    left_out.extend(file.rejected_note(path));
                    matched.extend(file.group_note.clone());
                    by_day.extend(file.counts);
                }
                Err(e) => failed.push((path.clone(), e.to_string())),
            }
        }
        self.session.scope.set_day_counts(by_day, rejected);
        for note in left_out {
            self.notify("Some door counts could not be read", note);
        }
        for note in matched {
            self.notify("How the door counts meet the events", note);
        }
        self.session.scope.expect_nights();
        let mut unread = Vec::with_capacity(failed.len());
        for (path, e) in failed {
            self.notify_error(
                format!("Could not read the headcounts in {}", path.display()),
                e,
            );
            unread.push(path);
        }
        unread
    }

    /// The attendance lists to read again with the registration files they marked.
    pub(super) fn attendance_requests(&self) -> Vec<FileRequest> {
        attendance_requests(&self.session.attendance_files)
    }

    /// Reads one file again (a role or date format was changed).
    pub(super) fn reload(&mut self, table: usize) {
        let files = self.requests();
        if let Some(req) = files.get(table).cloned() {
            self.spawn(vec![req], false, Some(table));
        }
    }

    /// Reads every file again (zone changed, a file was located or removed).
    pub(super) fn reload_all(&mut self) {
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
    pub(super) fn route_loaded(
        &mut self,
        loaded: Vec<LoadedFile>,
    ) -> (Vec<LoadedFile>, Vec<PathBuf>) {
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

    pub(super) fn load_finished(&mut self, outcome: LoadOutcome) {
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
        // Attendance lists of the project that could not be read this time (moved, deleted):
        // reported like any file, and kept in the project rather than dropped at the next save.
        let unread_lists: Vec<PathBuf> = outcome
            .results
            .iter()
            .filter(|(req, result)| {
                result.is_err()
                    && (self.session.attendance_files.contains(&req.path)
                        || self.session.saved.attendance_files.contains(&req.path))
            })
            .map(|(req, _)| req.path.clone())
            .collect();
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
                        self.push_notice(
                            "A project file needs attention".into(),
                            problem.to_string(),
                            true,
                        )
                        .locate = Some(index);
                    } else if let crate::import::ImportError::NoTimeColumn {
                        columns, hint, ..
                    } = &e
                    {
                        let columns = columns.clone();
                        let hint = hint.trim_start_matches(". ").to_string();
                        // Start on the first column whose values read as dates.
                        let chosen = columns
                            .iter()
                            .position(|(_, v)| {
                                crate::import::timestamp::parse(v.as_bytes()).is_some()
                            })
                            .unwrap_or(0);
                        self.push_notice(
                            format!("Which column of {name} holds the registration time?"),
                            format!(
                                "No column's name says it holds the time each registration was \
                                 made. Pick it below and the file is read again.{}{kept}",
                                if hint.is_empty() {
                                    String::new()
                                } else {
                                    format!("\n\n{hint}.")
                                }
                            ),
                            true,
                        )
                        .pick_time = Some(crate::app::TimePick {
                            path: req.path.clone(),
                            edition: req.edition,
                            columns,
                            chosen,
                        });
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
            self.session.attendance_files.extend(unread_lists);
            self.session.headcount_files = headcount_files;
            let _unread = self.read_headcounts();
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
            self.push_notice("Some rows were rejected".into(), warnings.join("\n"), false)
                .in_review = true;
        }
    }
}

/// Requests to read attendance lists (check-in exports), which the load routes onto the
/// registrations they match.
pub(super) fn attendance_requests(paths: &[PathBuf]) -> Vec<FileRequest> {
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
