//! Project files (`*.turnout.ron`): which files were loaded (with a content hash to notice
//! moved or changed files), how each was read, every setting, and manual marks.
//!
//! Older project files still open: every struct is `#[serde(default)]`, and `version` says
//! which Turnout wrote the file.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::analysis::Assumptions;
use crate::dataset::Edition;
use crate::import::{ImportOptions, Role, TimeFormat};
use crate::locale::Locale;

/// The project format this build writes.
pub const PROJECT_VERSION: u32 = 1;
/// File name ending of project files.
pub const EXTENSION: &str = "turnout.ron";

/// How one file is read, beyond what detection decides.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReadChoices {
    /// `role → header` overrides (an empty header unmaps the role).
    pub overrides: Vec<(Role, String)>,
    /// `dmy`, `mdy`, a strftime pattern, or empty for automatic.
    pub date_format: String,
    pub sheet: Option<String>,
    /// What the file lists, when the user said (default: detected).
    pub kind: Option<crate::import::FileContent>,
    /// Whether yes in the attendance column means the person did *not* come (`No-show`),
    /// when the user said (default: decided from the header).
    pub attendance_negated: Option<bool>,
    /// Whether bookings kept to a past start count as come, when the user said (a booking
    /// log without attendance; default: for a lodging's log).
    pub kept_came: Option<bool>,
}

impl ReadChoices {
    /// Import options for these choices in `time_zone`.
    pub fn to_options(&self, time_zone: &jiff::tz::TimeZone) -> ImportOptions {
        let time_format = match self.date_format.trim() {
            "" | "auto" => TimeFormat::Auto,
            "dmy" => TimeFormat::Order { day_first: true },
            "mdy" => TimeFormat::Order { day_first: false },
            f => TimeFormat::Strftime(f.to_string()),
        };
        ImportOptions {
            time_zone: Some(time_zone.clone()),
            overrides: self.overrides.clone(),
            time_format,
            sheet: self.sheet.clone(),
            kind: self.kind,
            checkin_negated: self.attendance_negated,
            kept_came: self.kept_came,
            ..ImportOptions::default()
        }
    }

    /// Sets `role` to `header` (replacing an earlier choice for the role).
    pub fn choose(&mut self, role: Role, header: &str) {
        self.overrides.retain(|(r, _)| *r != role);
        self.overrides.push((role, header.to_string()));
    }
}

/// A file of the project.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ProjectFile {
    pub path: PathBuf,
    pub edition: Edition,
    /// xxh3-64 of the file's bytes, hex; empty when unknown.
    pub content_hash: String,
    pub size: u64,
    pub read: ReadChoices,
}

impl Default for ProjectFile {
    fn default() -> Self {
        ProjectFile {
            path: PathBuf::new(),
            edition: Edition::Current,
            content_hash: String::new(),
            size: 0,
            read: ReadChoices::default(),
        }
    }
}

/// Everything a user sets, apart from the files.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    pub assumptions: Assumptions,
    /// IANA name of the event's time zone.
    pub time_zone: String,
    /// Log scale, when `auto_scale` is off.
    pub log_scale: bool,
    /// Pick the scale from the data (log for floods, linear otherwise).
    pub auto_scale: bool,
    /// Days per bar of the main chart.
    pub bin: crate::chart::Bin,
    /// Breakdown by `ticket_type` or `source`.
    pub breakdown: Role,
    pub locale: Locale,
    /// How fake and coordinated registrations are detected.
    pub flags: crate::analysis::flags::FlagSettings,
    /// Hold times, the policy to replay and stock per item, for held inventory.
    pub holds: crate::analysis::holds::HoldSettings,
    /// The event the dashboard is about, by label and group, when the user picked one
    /// (default: the next event after the latest signup).
    pub focus: Option<(String, String)>,
    /// People counted at the door of past events (label, group, people): walk-ins are learned
    /// from them.
    pub headcounts: Vec<(String, String, u64)>,
    /// Start of the date range the signup numbers count (UTC seconds); the range ends at the
    /// as-of time (or covers everything loaded). `None`: from the first signup.
    pub since: Option<i64>,
}

impl Settings {
    /// Whether to draw `data` on a log scale.
    pub fn log_scale_for(&self, data: &crate::chart::ChartData) -> bool {
        if self.auto_scale {
            data.wants_log()
        } else {
            self.log_scale
        }
    }
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            assumptions: Assumptions::default(),
            time_zone: jiff::tz::TimeZone::system()
                .iana_name()
                .unwrap_or("UTC")
                .to_string(),
            log_scale: true,
            auto_scale: true,
            bin: crate::chart::Bin::Auto,
            breakdown: Role::TicketType,
            locale: Locale::from_env(),
            flags: crate::analysis::flags::FlagSettings::default(),
            holds: Default::default(),
            focus: None,
            headcounts: Vec::new(),
            since: None,
        }
    }
}

/// Whether a path names a project file (`*.turnout.ron`, or any `.ron`) rather than an export.
pub fn is_project_path(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("ron"))
}

/// A user's verdict on a row, which wins over any score.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Genuine,
    Fake,
}

/// A manual mark on one row of one file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Mark {
    /// Index into [`Project::files`].
    pub file: usize,
    /// Line of the row in its file (stable across re-reads of the same file).
    pub line: u32,
    pub verdict: Verdict,
}

/// A saved project.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Project {
    pub version: u32,
    /// The embedded demo instead of files (its seed and size).
    pub demo: Option<(u64, usize)>,
    pub files: Vec<ProjectFile>,
    pub settings: Settings,
    pub marks: Vec<Mark>,
    /// Cart logs, order exports or quota snapshots for the held-inventory panel.
    pub hold_files: Vec<PathBuf>,
    /// Attendance lists (check-in exports) that marked who came on the registration files;
    /// read again and applied whenever those files are.
    pub attendance_files: Vec<PathBuf>,
    /// Door counts per day (and group) of past events.
    pub headcount_files: Vec<PathBuf>,
}

impl Default for Project {
    fn default() -> Self {
        Project {
            version: PROJECT_VERSION,
            demo: None,
            files: Vec::new(),
            settings: Settings::default(),
            marks: Vec::new(),
            hold_files: Vec::new(),
            attendance_files: Vec::new(),
            headcount_files: Vec::new(),
        }
    }
}

/// What is wrong with a project's file now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FileProblem {
    /// Not at its path any more.
    Missing { file: usize, path: PathBuf },
    /// At its path but with other content than when the project was saved.
    Changed { file: usize, path: PathBuf },
}

impl std::fmt::Display for FileProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FileProblem::Missing { path, .. } => {
                write!(
                    f,
                    "{} is not there any more; locate it again",
                    path.display()
                )
            }
            FileProblem::Changed { path, .. } => write!(
                f,
                "{} has changed since the project was saved; numbers may differ",
                path.display()
            ),
        }
    }
}

/// xxh3-64 of a file's bytes, as hex, streaming (the file is only read; pipes and devices
/// are refused rather than read forever).
pub fn content_hash(path: &Path) -> std::io::Result<String> {
    use std::io::Read;
    let mut file = crate::fsutil::open_regular(path).map_err(|e| match e {
        crate::fsutil::OpenError::Io(e) => e,
        other => std::io::Error::new(std::io::ErrorKind::InvalidInput, other.to_string()),
    })?;
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(format!("{:016x}", hasher.digest()))
}

/// Why a project could not be opened or saved.
#[derive(Debug, thiserror::Error)]
pub enum ProjectError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: not a Turnout project: {message}")]
    Format { path: PathBuf, message: String },
    #[error(
        "{path}: the project file is {size} bytes; a project holds settings and marks, at most {limit} bytes"
    )]
    TooBig {
        path: PathBuf,
        size: u64,
        limit: u64,
    },
    #[error("{path}: the project holds values Turnout cannot use:\n- {}", problems.join("\n- "))]
    Invalid {
        path: PathBuf,
        problems: Vec<String>,
    },
}

/// Why a project's text is not a usable project.
#[derive(Debug, Clone, PartialEq)]
pub enum TextError {
    /// Not RON of a project's shape: the parser's message.
    Format(String),
    /// Values out of range, as sentences.
    Invalid(Vec<String>),
}

/// A project as opened, with what the reader should know about it.
#[derive(Clone, Debug, PartialEq)]
pub struct Opened {
    pub project: Project,
    /// Fields this version does not know, a newer format: shown to the user, not fatal.
    pub warnings: Vec<String>,
}

/// Largest project file read (settings plus marks; a million marks take about 40 MB).
pub const MAX_PROJECT_BYTES: u64 = 128 << 20;
/// Largest embedded demo a project may ask for.
pub const MAX_DEMO_ROWS: usize = 2_000_000;
/// Most files, hold files and marks a project may list.
const MAX_FILES: usize = 1_000;
const MAX_MARKS: usize = 20_000_000;
/// Largest count of people any setting may hold (capacity, overflow, walk-ins).
const MAX_PEOPLE: u64 = 100_000_000;

/// Instants between 1900 and 2200, the range any event time can take.
fn plausible_instant(t: i64) -> bool {
    (-2_208_988_800..=7_258_118_400).contains(&t)
}

impl Project {
    /// Every value of the project that is out of range, as sentences (empty when all is well).
    pub fn problems(&self) -> Vec<String> {
        let mut p = Vec::new();
        let mut check = |ok: bool, what: String| {
            if !ok {
                p.push(what);
            }
        };
        if let Some((_, rows)) = self.demo {
            check(
                (1..=MAX_DEMO_ROWS).contains(&rows),
                format!(
                    "demo rows {rows} is out of range (1 to {})",
                    crate::report::thousands(MAX_DEMO_ROWS as u64)
                ),
            );
        }
        check(
            self.files.len() <= MAX_FILES,
            format!("{} files listed (at most {MAX_FILES})", self.files.len()),
        );
        check(
            self.hold_files.len() <= MAX_FILES,
            format!(
                "{} hold files listed (at most {MAX_FILES})",
                self.hold_files.len()
            ),
        );
        for (i, f) in self.files.iter().enumerate() {
            check(
                !f.path.as_os_str().is_empty(),
                format!("file {} has no path", i + 1),
            );
            check(
                f.content_hash.is_empty()
                    || f.content_hash.len() == 16
                        && f.content_hash.bytes().all(|b| b.is_ascii_hexdigit()),
                format!(
                    "file {}: content hash '{}' is not a hash",
                    i + 1,
                    f.content_hash
                ),
            );
            if let Edition::Past {
                event_start: Some(t),
            } = f.edition
            {
                check(
                    plausible_instant(t),
                    format!(
                        "file {}: event start {t} is not a date between 1900 and 2200",
                        i + 1
                    ),
                );
            }
        }
        let tables = match self.demo {
            Some(_) => 4,
            None => self.files.len(),
        };
        check(
            self.marks.len() <= MAX_MARKS,
            format!("{} marks (at most {MAX_MARKS})", self.marks.len()),
        );
        if let Some(m) = self.marks.iter().find(|m| m.file >= tables || m.line == 0) {
            check(
                false,
                format!(
                    "a mark points at file {} line {}, which the project does not have",
                    m.file + 1,
                    m.line
                ),
            );
        }
        let s = &self.settings;
        let a = &s.assumptions;
        for (name, v) in [
            ("capacity", a.capacity),
            ("overflow capacity", a.overflow_capacity),
            ("walk-ins", a.walk_ins),
        ] {
            check(
                v <= MAX_PEOPLE,
                format!(
                    "{name} {v} is out of range (0 to {})",
                    crate::report::thousands(MAX_PEOPLE)
                ),
            );
        }
        for (name, t) in [("event start", a.event_start), ("as-of time", a.as_of)] {
            if let Some(t) = t {
                check(
                    plausible_instant(t),
                    format!("{name} {t} is not a date between 1900 and 2200"),
                );
            }
        }
        let share = |v: f64| v.is_finite() && (0.0..=1.0).contains(&v);
        check(
            share(a.prior_free),
            format!(
                "prior show-up of free registrations {} is not between 0 and 1",
                a.prior_free
            ),
        );
        check(
            share(a.prior_paid),
            format!(
                "prior show-up of paid registrations {} is not between 0 and 1",
                a.prior_paid
            ),
        );
        for (name, v) in [
            ("cost of an empty seat", a.cost_empty_seat),
            ("cost of a guest turned away", a.cost_turned_away),
        ] {
            check(
                v.is_finite() && (0.0..=1e12).contains(&v),
                format!("{name} {v} is not an amount between 0 and 10¹²"),
            );
        }
        if let Some(v) = a.waiting_show_up {
            check(
                share(v),
                format!("show-up of those admitted from waiting {v} is not between 0 and 1"),
            );
        }
        for (segment, v) in &a.show_up_overrides {
            check(
                share(*v),
                format!("show-up of '{segment}' {v} is not between 0 and 1"),
            );
        }
        if let crate::analysis::FlaggedMode::AtRate { rate } = a.flagged {
            check(
                share(rate),
                format!("show-up of flagged registrations {rate} is not between 0 and 1"),
            );
        }
        check(
            s.time_zone.is_empty() || jiff::tz::TimeZone::get(&s.time_zone).is_ok(),
            format!("time zone '{}' is not an IANA zone name", s.time_zone),
        );
        check(
            s.flags.threshold.is_finite() && (0.0..=1.0).contains(&s.flags.threshold),
            format!(
                "flag threshold {} is not between 0 and 1",
                s.flags.threshold
            ),
        );
        let h = &s.holds;
        for (name, v) in [
            ("default hold time", h.default_hold_minutes),
            ("what-if hold time", h.what_if_hold_minutes),
        ] {
            check(
                (1..=60 * 24 * 31).contains(&v),
                format!("{name} {v} minutes is out of range (1 minute to 31 days)"),
            );
        }
        check(
            h.what_if_limit <= 1_000_000,
            format!("hold limit {} is out of range", h.what_if_limit),
        );
        p
    }
}

impl Project {
    /// Writes the project atomically: a temporary file beside it, then a rename.
    pub fn save(&self, path: &Path) -> Result<(), ProjectError> {
        let io = |source| ProjectError::Io {
            path: path.to_path_buf(),
            source,
        };
        let text =
            ron::ser::to_string_pretty(self, ron::ser::PrettyConfig::default()).map_err(|e| {
                ProjectError::Format {
                    path: path.to_path_buf(),
                    message: e.to_string(),
                }
            })?;
        crate::fsutil::write_bytes_atomically(path, text.as_bytes()).map_err(io)
    }

    /// Reads a project; older versions open with defaults for what they lack. Every value is
    /// checked ([`Project::problems`]); fields this version does not know and a newer format
    /// come back as warnings.
    pub fn open(path: &Path) -> Result<Opened, ProjectError> {
        let io = |source| ProjectError::Io {
            path: path.to_path_buf(),
            source,
        };
        let bytes = crate::fsutil::read_regular(path, MAX_PROJECT_BYTES).map_err(|message| {
            match std::fs::metadata(path) {
                Ok(m) if m.is_file() && m.len() > MAX_PROJECT_BYTES => ProjectError::TooBig {
                    path: path.to_path_buf(),
                    size: m.len(),
                    limit: MAX_PROJECT_BYTES,
                },
                Ok(_) => ProjectError::Format {
                    path: path.to_path_buf(),
                    message,
                },
                Err(e) => io(e),
            }
        })?;
        let text = std::str::from_utf8(&bytes).map_err(|e| ProjectError::Format {
            path: path.to_path_buf(),
            message: format!("the file is not text (UTF-8): {e}"),
        })?;
        Project::from_text(text).map_err(|e| match e {
            TextError::Format(message) => ProjectError::Format {
                path: path.to_path_buf(),
                message,
            },
            TextError::Invalid(problems) => ProjectError::Invalid {
                path: path.to_path_buf(),
                problems,
            },
        })
    }

    /// A project from its text, checked as [`Project::open`] checks it.
    pub fn from_text(text: &str) -> Result<Opened, TextError> {
        let format = |e: &dyn std::fmt::Display| TextError::Format(e.to_string());
        let mut de = ron::Deserializer::from_str(text).map_err(|e| format(&e))?;
        let mut ignored = Vec::new();
        let project: Project = serde_ignored::deserialize(&mut de, |field| {
            if ignored.len() < 20 {
                ignored.push(field.to_string());
            }
        })
        .map_err(|e| format(&e))?;
        de.end().map_err(|e| format(&e))?;
        let problems = project.problems();
        if !problems.is_empty() {
            return Err(TextError::Invalid(problems));
        }
        let mut warnings = Vec::new();
        if project.version > PROJECT_VERSION {
            warnings.push(format!(
                "this project was written by a newer Turnout (format {}, this one reads {}); \
                 settings it does not know were left out, and saving writes format {}",
                project.version, PROJECT_VERSION, PROJECT_VERSION
            ));
        }
        if !ignored.is_empty() {
            warnings.push(format!(
                "fields this version does not know were ignored: {}",
                ignored.join(", ")
            ));
        }
        Ok(Opened { project, warnings })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn save_and_open_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("a.csv");
        std::fs::write(
            &data,
            "Registration Time,Email\n2024-01-01 10:00,a@example.org\n",
        )
        .unwrap();
        let mut p = Project::default();
        p.settings.assumptions.capacity = 19_000;
        p.files.push(ProjectFile {
            path: data.clone(),
            content_hash: content_hash(&data).unwrap(),
            size: 40,
            ..ProjectFile::default()
        });
        p.files[0].read.choose(Role::Email, "Email");
        p.marks.push(Mark {
            file: 0,
            line: 2,
            verdict: Verdict::Genuine,
        });
        let path = dir.path().join("event.turnout.ron");
        p.save(&path).unwrap();
        let back = Project::open(&path).unwrap();
        assert_eq!(back.project, p);
        assert!(back.warnings.is_empty());
        assert_eq!(content_hash(&data).unwrap(), p.files[0].content_hash);
        std::fs::write(&data, "changed").unwrap();
        assert_ne!(content_hash(&data).unwrap(), p.files[0].content_hash);
    }

    fn open_text(text: &str) -> Result<Opened, ProjectError> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.turnout.ron");
        std::fs::write(&path, text).unwrap();
        Project::open(&path)
    }

    #[test]
    fn out_of_range_values_are_refused_with_what_is_wrong() {
        for (text, expected) in [
            ("(demo: Some((1, 18446744073709551615)))", "demo rows"),
            ("(demo: Some((1, 100000000)))", "demo rows"),
            ("(demo: Some((1, 0)))", "demo rows"),
            (
                "(settings: (assumptions: (capacity: 18446744073709551615)))",
                "capacity",
            ),
            (
                "(settings: (assumptions: (prior_free: 7.0)))",
                "prior show-up",
            ),
            (
                "(settings: (assumptions: (cost_empty_seat: -1.0)))",
                "cost of an empty seat",
            ),
            (
                "(settings: (assumptions: (event_start: Some(-9223372036854775807))))",
                "event start",
            ),
            ("(settings: (time_zone: \"Mars/Olympus\"))", "time zone"),
            ("(settings: (flags: (threshold: 3.0)))", "threshold"),
            (
                "(settings: (holds: (default_hold_minutes: 0)))",
                "hold time",
            ),
            (
                "(marks: [(file: 3, line: 2, verdict: fake)])",
                "mark points at file 4",
            ),
        ] {
            let e = open_text(text)
                .err()
                .unwrap_or_else(|| panic!("{text} opened"));
            assert!(e.to_string().contains(expected), "{text}: {e}");
        }
        let e = open_text("(version: 1, demo: Some((1").err().unwrap();
        assert!(e.to_string().contains("not a Turnout project"), "{e}");
    }

    #[test]
    fn a_newer_project_with_unknown_fields_opens_with_a_warning() {
        let opened = open_text("(version: 999, colour: \"teal\", settings: (wobble: 3))").unwrap();
        assert_eq!(opened.warnings.len(), 2, "{:?}", opened.warnings);
        assert!(opened.warnings[0].contains("newer Turnout"));
        assert!(
            opened.warnings[1].contains("colour"),
            "{:?}",
            opened.warnings
        );
        assert!(
            opened.warnings[1].contains("settings.wobble"),
            "{:?}",
            opened.warnings
        );
    }

    #[test]
    fn an_older_project_without_new_fields_still_opens() {
        let old =
            r#"(version: 0, files: [(path: "x.csv")], settings: (assumptions: (capacity: 500)))"#;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.turnout.ron");
        std::fs::write(&path, old).unwrap();
        let p = Project::open(&path).unwrap().project;
        assert_eq!(p.version, 0);
        assert_eq!(p.settings.assumptions.capacity, 500);
        assert_eq!(p.files[0].edition, Edition::Current);
        assert!(p.settings.log_scale);
    }
}
