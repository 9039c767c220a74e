//! How the forecast would have done on past editions: scores next to the baselines, and the
//! error by days before the event.

use plotters::prelude::IntoDrawingArea;

use crate::app::TurnoutApp;
use crate::app::plot_backend::EguiBackend;
use crate::chart::{Palette, draw_backtest};

pub fn backtest_ui(app: &mut TurnoutApp, ui: &mut egui::Ui) {
    let l = app.session.settings.locale;
    let b = app.session.derived.backtest.as_ref();
    ui.heading("Backtest");
    if let Some(b) = b {
        ui.small(format!(
            "Walk-forward over {}: each edition forecast as of every day before its start, from \
             the editions held before it only, against who checked in.",
            b.editions.join(", ")
        ));
    }
    let full = ui.available_rect_before_wrap().intersect(ui.clip_rect());
    let table_width = (full.width() * 0.5).clamp(400.0, 560.0);
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
                "No past edition with check-ins is loaded, so there is nothing to test \
                      against. Add one with the File menu, Add a past edition.",
            );
            return;
        };
        egui::Grid::new("backtest-scores")
            .striped(true)
            .num_columns(4)
            .show(ui, |ui| {
                ui.strong("Method");
                ui.strong("Mean error");
                ui.strong("In P10–P90");
                ui.strong("In P5–P95");
                ui.end_row();
                for m in &b.scores {
                    ui.label(&m.method);
                    ui.label(l.percent(m.mape));
                    let cover = |c: Option<f64>| c.map_or("—".to_string(), |c| l.percent(c));
                    ui.label(cover(m.coverage_p10_p90));
                    ui.label(cover(m.coverage_p5_p95));
                    ui.end_row();
                }
            });
        ui.add_space(4.0);
        ui.small(format!(
            "Mean error: average of |forecast − actual| / actual over {} forecasts (days with an \
             earlier edition to learn from). A well-calibrated range holds the truth about 80% \
             (P10–P90) and 90% (P5–P95) of the time; always or never both mean the range is wrong.",
            b.scores.first().map_or(0, |m| m.points)
        ));
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
