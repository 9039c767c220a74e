//! `--profile-frames`: the distribution of frame times (logic + ui, chart included).

use std::time::{Duration, Instant};

#[derive(Default)]
pub struct FrameProfile {
    launched: Option<Instant>,
    started: Option<Instant>,
    frames: Vec<Duration>,
}

impl FrameProfile {
    pub fn new(launched: Option<Instant>) -> FrameProfile {
        FrameProfile {
            launched,
            ..FrameProfile::default()
        }
    }

    pub fn logic_started(&mut self, at: Instant) {
        self.started = Some(at);
    }

    pub fn frame_done(&mut self) {
        if let Some(start) = self.started.take() {
            if self.frames.is_empty()
                && let Some(launched) = self.launched
            {
                eprintln!(
                    "first full frame {:.0} ms after launch",
                    launched.elapsed().as_secs_f64() * 1e3
                );
            }
            self.frames.push(start.elapsed());
            if self.frames.len().is_multiple_of(200) {
                eprintln!("{}", self.summary());
            }
        }
    }

    /// Percentiles of the recorded frames, one line.
    pub fn summary(&self) -> String {
        let mut ms: Vec<f64> = self.frames.iter().map(|d| d.as_secs_f64() * 1e3).collect();
        if ms.is_empty() {
            return "frame times: no frames recorded".to_string();
        }
        ms.sort_by(f64::total_cmp);
        let q = |p: f64| ms[((ms.len() - 1) as f64 * p).round() as usize];
        format!(
            "frame times over {} frames (logic + ui, ms): p50 {:.2}, p90 {:.2}, p99 {:.2}, max {:.2}",
            ms.len(),
            q(0.5),
            q(0.9),
            q(0.99),
            q(1.0)
        )
    }
}
