//! Drawing only: every panel reads the state and sends commands; nothing here computes what
//! the analysis owns.

mod backtest;
mod chart;
mod controls;
mod dialogs;
mod flags;
mod holds;
mod menu;
mod review;
mod summary;

use super::TurnoutApp;

/// Lays out the whole window.
pub fn show(app: &mut TurnoutApp, ui: &mut egui::Ui) {
    egui::Panel::top("menu").show(ui, |ui| menu::menu_bar_ui(app, ui));
    egui::Panel::bottom("status").show(ui, |ui| status_ui(app, ui));
    // Wide panels first, so they span the window under the side panels.
    if app.view.show_holds {
        egui::Panel::bottom("holds")
            .default_size(340.0)
            .resizable(true)
            .show(ui, |ui| holds::holds_ui(app, ui));
    }
    if app.view.show_backtest {
        egui::Panel::bottom("backtest")
            .default_size(300.0)
            .resizable(true)
            .show(ui, |ui| backtest::backtest_ui(app, ui));
    }
    egui::Panel::left("controls")
        .default_size(310.0)
        .resizable(true)
        .show(ui, |ui| {
            egui::ScrollArea::vertical().show(ui, |ui| controls::controls_ui(app, ui));
        });
    // Apply what the controls just sent, so the summary and chart below show it this frame.
    let ctx = ui.ctx().clone();
    app.apply_commands(&ctx);
    egui::Panel::right("summary")
        .default_size(330.0)
        .resizable(true)
        .show(ui, |ui| {
            egui::ScrollArea::vertical().show(ui, |ui| summary::summary_ui(app, ui));
        });
    if app.view.show_flags {
        egui::Panel::bottom("flags")
            .default_size(320.0)
            .resizable(true)
            .show(ui, |ui| flags::flags_ui(app, ui));
    }
    if app.view.show_review {
        egui::Panel::bottom("review")
            .default_size(280.0)
            .resizable(true)
            .show(ui, |ui| review::review_ui(app, ui));
    }
    egui::CentralPanel::default().show(ui, |ui| chart::charts_ui(app, ui));
    dialogs::dialogs_ui(app, ui);
}

fn status_ui(app: &mut TurnoutApp, ui: &mut egui::Ui) {
    ui.horizontal(|ui| {
        let l = app.session.settings.locale;
        if let Some(load) = &app.loading {
            let (bytes, total, rows) = load.totals();
            let fraction = if total > 0 {
                bytes as f32 / total as f32
            } else {
                0.0
            };
            ui.add(
                egui::ProgressBar::new(fraction)
                    .desired_width(220.0)
                    .text(format!(
                        "Loading {}: {} of {} MB, {} rows",
                        load.names.join(", "),
                        l.decimal(bytes as f64 / 1e6, 1),
                        l.decimal(total as f64 / 1e6, 1),
                        l.int(rows)
                    )),
            );
            if ui.button("Cancel").clicked() {
                app.sender.send(super::Command::CancelLoad);
            }
        } else {
            if app.scoring.is_some() {
                ui.spinner();
                ui.label("Checking registrations for fakes…");
                ui.separator();
            }
            let files: Vec<String> = app
                .session
                .dataset
                .tables
                .iter()
                .map(|t| {
                    format!(
                        "{} ({} rows{})",
                        crate::bidi::visual(&t.label),
                        l.int(t.report.rows_loaded),
                        if t.report.rejected_count > 0 {
                            format!(", {} rejected", l.int(t.report.rejected_count))
                        } else {
                            String::new()
                        }
                    )
                })
                .collect();
            let what = if app.session.demo.is_some() {
                "Embedded demo (synthetic people)".to_string()
            } else if files.is_empty() {
                "No data: open an export (Ctrl+O) or drop it here".to_string()
            } else {
                files.join(" · ")
            };
            ui.label(what);
            if let Some(p) = &app.session.project_path {
                ui.separator();
                let dirty = if app.session.is_dirty() {
                    " (unsaved changes)"
                } else {
                    ""
                };
                ui.label(format!("Project {}{dirty}", p.display()));
            }
        }
    });
}
