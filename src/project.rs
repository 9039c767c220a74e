//! Project files (`*.turnout.ron`): which files were loaded (with a content hash to notice
//! moved or changed files), how each was read, every setting, and manual marks.
//!
//! Older project files still open: every struct is `#[serde(default)]`, and `version` says
//! which Turnout wrote the file.

use std::io::Write;
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
    pub log_scale: bool,
    /// Breakdown by `ticket_type` or `source`.
    pub breakdown: Role,
    pub locale: Locale,
    /// How fake and coordinated registrations are detected.
    pub flags: crate::analysis::flags::FlagSettings,
    /// Hold times, the policy to replay and stock per item, for held inventory.
    pub holds: crate::analysis::holds::HoldSettings,
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
            breakdown: Role::TicketType,
            locale: Locale::from_env(),
            flags: crate::analysis::flags::FlagSettings::default(),
            holds: Default::default(),
        }
    }
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

/// xxh3-64 of a file's bytes, as hex, streaming (the file is only read).
pub fn content_hash(path: &Path) -> std::io::Result<String> {
    use std::io::Read;
    let mut file = std::fs::File::open(path)?;
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
        let dir = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
        let tmp = dir.join(format!(".{}.tmp", name.unwrap_or_default()));
        {
            let mut f = std::fs::File::create(&tmp).map_err(io)?;
            f.write_all(text.as_bytes()).map_err(io)?;
            f.sync_all().map_err(io)?;
        }
        std::fs::rename(&tmp, path).map_err(io)
    }

    /// Reads a project; older versions open with defaults for what they lack.
    pub fn open(path: &Path) -> Result<Project, ProjectError> {
        let text = std::fs::read_to_string(path).map_err(|source| ProjectError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        ron::from_str(&text).map_err(|e| ProjectError::Format {
            path: path.to_path_buf(),
            message: e.to_string(),
        })
    }

    /// Files that are missing or changed since the project was saved.
    pub fn check_files(&self) -> Vec<FileProblem> {
        let mut problems = Vec::new();
        for (i, f) in self.files.iter().enumerate() {
            match content_hash(&f.path) {
                Err(_) => problems.push(FileProblem::Missing {
                    file: i,
                    path: f.path.clone(),
                }),
                Ok(h) if !f.content_hash.is_empty() && h != f.content_hash => {
                    problems.push(FileProblem::Changed {
                        file: i,
                        path: f.path.clone(),
                    })
                }
                Ok(_) => {}
            }
        }
        problems
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
        assert_eq!(back, p);
        assert!(back.check_files().is_empty());
        std::fs::write(&data, "changed").unwrap();
        assert!(matches!(back.check_files()[0], FileProblem::Changed { .. }));
        std::fs::remove_file(&data).unwrap();
        assert!(matches!(back.check_files()[0], FileProblem::Missing { .. }));
    }

    #[test]
    fn an_older_project_without_new_fields_still_opens() {
        let old =
            r#"(version: 0, files: [(path: "x.csv")], settings: (assumptions: (capacity: 500)))"#;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.turnout.ron");
        std::fs::write(&path, old).unwrap();
        let p = Project::open(&path).unwrap();
        assert_eq!(p.version, 0);
        assert_eq!(p.settings.assumptions.capacity, 500);
        assert_eq!(p.files[0].edition, Edition::Current);
        assert!(p.settings.log_scale);
    }
}
