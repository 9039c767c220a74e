//! How the forecast would have done on past editions: scores next to the baselines, and the
//! error by days before the event.

use plotters::prelude::IntoDrawingArea;

use crate::app::TurnoutApp;
use crate::app::plot_backend::EguiBackend;
use crate::chart::{Palette, draw_backtest};
use crate::dataset::Unit;

pub fn backtest_ui(app: &mut TurnoutApp, ui: &mut egui::Ui) {
    let l = app.session.settings.locale;
    let b = app.session.derived.backtest.as_ref();
    super::heading_updating(ui, "Backtest", app.session.analysis.updating());
    // A lodging's log is scored on its bookings that arrived, an event on who came.
    let w = b.map_or(Unit::People, |b| b.unit).words();
    if let Some(b) = b {
        let (whom, counted) = (w.scored_against, w.scored_size);
        ui.small(format!(
            "Walk-forward over {} past event{}: each forecast as of days before its start, from \
             the events known by then only, against {whom}.{}",
            l.int(b.editions.len() as u64),
            if b.editions.len() == 1 { "" } else { "s" },
            if b.min_registrations > 1 {
                format!(
                    " Events with fewer than {} {counted} are forecast but not scored.",
                    b.min_registrations
                )
            } else {
                String::new()
            }
        ));
    }
    let full = ui.available_rect_before_wrap().intersect(ui.clip_rect());
    let table_width = (full.width() * 0.55).clamp(420.0, 640.0);
    let chart_rect = egui::Rect::from_min_max(
        egui::pos2(full.left() + table_width + 8.0, full.top()),
        full.max,
    );
    let table_rect = egui::Rect::from_min_max(
        full.min,
        egui::pos2(full.left() + table_width, full.bottom()),
    );
    ui.scope_builder(egui::UiBuilder::new().max_rect(table_rect), |ui| {
        let Some(b) = b else {
            ui.label(
                "No past event with check-ins or a headcount is loaded, so there is nothing to \
                 test against. Add one with the File menu, Add a past edition.",
            );
            return;
        };
        egui::ScrollArea::vertical().show(ui, |ui| {
            for h in &b.horizons {
                ui.strong(format!(
                    "As of {} day{} before the start",
                    h.days_before,
                    if h.days_before == 1 { "" } else { "s" }
                ));
                egui::Grid::new(("backtest-scores", h.days_before))
                    .striped(true)
                    .num_columns(6)
                    .show(ui, |ui| {
                        for head in [
                            "Method",
                            "Mean error",
                            "Median error",
                            "Bias",
                            "In P10–P90",
                            "In P5–P95",
                        ] {
                            ui.strong(head);
                        }
                        ui.end_row();
                        for m in h.scores.iter().chain(&h.registrations) {
                            ui.label(w.method(&m.method));
                            ui.label(l.percent(m.mape));
                            ui.label(l.percent(m.median_ape));
                            ui.label(format!(
                                "{}{}",
                                if m.bias >= 0.0 { "+" } else { "−" },
                                l.percent(m.bias.abs())
                            ));
                            let cover =
                                |c: Option<f64>| c.map_or("—".to_string(), |c| l.percent(c));
                            ui.label(cover(m.coverage_p10_p90));
                            ui.label(cover(m.coverage_p5_p95));
                            ui.end_row();
                        }
                    });
                for m in h.scores.iter().chain(&h.registrations) {
                    if let Some(t) = m.ranges_text(|n| l.int(n)) {
                        ui.small(format!("{}: {t}", w.method(&m.method)));
                    }
                }
                ui.add_space(4.0);
            }
            ui.small(
                "Mean error: the average of |forecast − actual| / actual; bias: how far too high \
                 (+) or too low (−) on average. A well-calibrated range holds the truth about 80% \
                 (P10–P90) and 90% (P5–P95) of the time; over a few events it can hold more or less by \
                 chance alone, and the lines under each table say whether the difference is more \
                 than chance. A, B and C are spreadsheet one-liners on \
                 the same events: registrations so far × past show-up; plus the usual pickup; the \
                 mean past attendance. The last row scores the forecast of final registrations \
                 (those kept to the start) against how many there were.",
            );
        });
    });
    let ppp = ui.ctx().pixels_per_point();
    let palette = if ui.visuals().dark_mode {
        Palette::dark()
    } else {
        Palette::light()
    };
    let painter = ui.painter_at(chart_rect);
    let backend = EguiBackend::new(&painter, chart_rect, ppp);
    let _ = draw_backtest(&backend.into_drawing_area(), b, &palette, ppp as f64);
    ui.allocate_rect(full, egui::Sense::hover());
}
