//! Drawing only: every panel reads the state and sends commands; nothing here computes what
//! the analysis owns.

mod backtest;
mod chart;
mod controls;
mod dialogs;
pub(crate) mod events;
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
    let layout = app.prefs.layout;
    // The detail panels share the bottom as tabs, so the chart keeps its height; the bottom
    // spans the window under the side panels.
    detail_tabs(app, ui, layout);
    egui::Panel::left(("controls", layout))
        .default_size(310.0)
        .size_range(240.0..=480.0)
        .resizable(true)
        .show(ui, |ui| {
            egui::ScrollArea::vertical().show(ui, |ui| controls::controls_ui(app, ui));
        });
    // Apply what the controls just sent, so the summary and chart below show it this frame.
    let ctx = ui.ctx().clone();
    app.apply_commands(&ctx);
    egui::Panel::right(("summary", layout))
        .default_size(330.0)
        .size_range(260.0..=520.0)
        .resizable(true)
        .show(ui, |ui| {
            egui::ScrollArea::vertical().show(ui, |ui| summary::summary_ui(app, ui));
        });
    let chart_area = egui::CentralPanel::default()
        .show(ui, |ui| chart::charts_ui(app, ui))
        .response
        .rect;
    dialogs::dialogs_ui(app, ui, chart_area);
}

/// The import review's place among the detail tabs.
pub(crate) const REVIEW_TAB: usize = 1;

/// The chart area keeps at least this height whatever is open below it.
const MIN_CHART_AREA: f32 = 380.0;

/// Flagged registrations, import review, backtest, held inventory and events: one bottom
/// panel with a tab per open view. A view opened from the menu comes to the front.
fn detail_tabs(app: &mut TurnoutApp, ui: &mut egui::Ui, layout: u32) {
    const NAMES: [&str; 5] = [
        // Index 1 is `REVIEW_TAB`.
        "Flagged registrations",
        "Import review",
        "Backtest",
        "Held inventory",
        "Events",
    ];
    let v = &mut app.view;
    let open = [
        v.show_flags,
        v.show_review,
        v.show_backtest,
        v.show_holds,
        v.show_events,
    ];
    if let Some(k) = (0..NAMES.len()).find(|&k| open[k] && !v.bottom_open[k]) {
        v.bottom_tab = k;
    }
    v.bottom_open = open;
    if !open.iter().any(|o| *o) {
        return;
    }
    if !open[v.bottom_tab.min(NAMES.len() - 1)] {
        v.bottom_tab = open.iter().position(|o| *o).unwrap_or(0);
    }
    let max = (ui.available_height() - MIN_CHART_AREA).max(160.0);
    egui::Panel::bottom(("details", layout))
        .default_size(280.0f32.min(max))
        .size_range(140.0..=max)
        .resizable(true)
        .show(ui, |ui| {
            ui.horizontal(|ui| {
                for (k, name) in NAMES.iter().enumerate() {
                    if !open[k] {
                        continue;
                    }
                    if ui
                        .selectable_label(app.view.bottom_tab == k, *name)
                        .clicked()
                    {
                        app.view.bottom_tab = k;
                    }
                    if ui
                        .small_button("×")
                        .on_hover_text(format!("Close {name}"))
                        .clicked()
                    {
                        match k {
                            0 => app.view.show_flags = false,
                            REVIEW_TAB => app.view.show_review = false,
                            2 => app.view.show_backtest = false,
                            3 => app.view.show_holds = false,
                            _ => app.view.show_events = false,
                        }
                    }
                    ui.separator();
                }
            });
            match app.view.bottom_tab {
                0 => flags::flags_ui(app, ui),
                REVIEW_TAB => review::review_ui(app, ui),
                2 => backtest::backtest_ui(app, ui),
                3 => holds::holds_ui(app, ui),
                _ => events::events_ui(app, ui),
            }
        });
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
            if app.session.analysis.updating() {
                ui.spinner();
                ui.label(format!(
                    "Updating the backtest and event list ({} events)…",
                    l.int(app.session.analysis.events as u64)
                ));
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
            ui.label(what).on_hover_text(
                "Rows read from each file. The Outlook counts tickets of registrations that \
                 hold a place: cancelled rows are left out and a row with 4 tickets counts 4.",
            );
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

/// A panel heading; while what the panel shows is being recomputed on a thread, a spinner and
/// "updating…" beside it (the old numbers stay until the new ones arrive).
pub fn heading_updating(ui: &mut egui::Ui, title: &str, updating: bool) {
    ui.horizontal(|ui| {
        ui.heading(title);
        if updating {
            ui.spinner();
            ui.weak("updating…");
        }
    });
}
