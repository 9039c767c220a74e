//! Undo and redo of settings. A continuous edit (dragging a slider) is one step.

use std::time::{Duration, Instant};

use crate::project::Settings;

#[derive(Default)]
pub struct History {
    undo: Vec<Settings>,
    redo: Vec<Settings>,
    /// The continuous edit in progress and when it last changed.
    open_edit: Option<(&'static str, Instant)>,
}

impl History {
    /// Records `before` as the state to return to, unless it continues the same edit.
    pub fn record(&mut self, before: &Settings, coalesce: Option<&'static str>) {
        let now = Instant::now();
        let continues = match (coalesce, self.open_edit) {
            (Some(key), Some((open, at))) => key == open && now - at < Duration::from_secs(1),
            _ => false,
        };
        if !continues {
            self.undo.push(before.clone());
            if self.undo.len() > 200 {
                self.undo.remove(0);
            }
        }
        self.open_edit = coalesce.map(|k| (k, now));
        self.redo.clear();
    }

    /// The settings to go back to, given the current ones.
    pub fn undo(&mut self, current: &Settings) -> Option<Settings> {
        let previous = self.undo.pop()?;
        self.redo.push(current.clone());
        self.open_edit = None;
        Some(previous)
    }

    pub fn redo(&mut self, current: &Settings) -> Option<Settings> {
        let next = self.redo.pop()?;
        self.undo.push(current.clone());
        self.open_edit = None;
        Some(next)
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    pub fn clear(&mut self) {
        *self = History::default();
    }
}
