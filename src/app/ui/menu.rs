//! The menu bar. Every item sends a command; shortcuts are listed next to their items and in
//! Help → Keyboard shortcuts.

use crate::app::{Command, DialogPurpose, ExportKind, TurnoutApp};

pub fn menu_bar_ui(app: &mut TurnoutApp, ui: &mut egui::Ui) {
    let s = app.sender();
    egui::MenuBar::new().ui(ui, |ui| {
        ui.menu_button("File", |ui| {
            if ui
                .add(egui::Button::new("Open exports…").shortcut_text("Ctrl+O"))
                .clicked()
            {
                s.send(Command::ShowDialog(DialogPurpose::OpenFiles));
            }
            if ui.button("Add a past edition…").clicked() {
                s.send(Command::ShowDialog(DialogPurpose::AddHistory));
            }
            if ui
                .button("Add headcounts (door counts per day)…")
                .on_hover_text(
                    "A file with the people counted at past events: a date (or date and time), \
                     optionally a group such as a store or room, and a count. Walk-ins are \
                     learned from the difference with the registrants who came.",
                )
                .clicked()
            {
                s.send(Command::ShowDialog(DialogPurpose::AddHeadcounts));
            }
            if ui
                .button("Open holds (cart log, orders, quota snapshots)…")
                .clicked()
            {
                s.send(Command::ShowDialog(DialogPurpose::AddHolds));
            }
            if ui.button("Open the demo").clicked() {
                s.send(Command::OpenDemo);
            }
            ui.menu_button("Recent files", |ui| {
                if app.prefs.recent_files.is_empty() {
                    ui.label("None yet");
                }
                for p in app.prefs.recent_files.clone() {
                    if ui.button(p.display().to_string()).clicked() {
                        s.send(Command::OpenFiles(vec![p]));
                    }
                }
            });
            ui.separator();
            if ui.button("Open project…").clicked() {
                s.send(Command::ShowDialog(DialogPurpose::OpenProject));
            }
            ui.menu_button("Recent projects", |ui| {
                if app.prefs.recent_projects.is_empty() {
                    ui.label("None yet");
                }
                for p in app.prefs.recent_projects.clone() {
                    if ui.button(p.display().to_string()).clicked() {
                        s.send(Command::OpenProject(p));
                    }
                }
            });
            if ui
                .add(egui::Button::new("Save project").shortcut_text("Ctrl+S"))
                .clicked()
            {
                s.send(Command::SaveProject);
            }
            if ui
                .add(egui::Button::new("Save project as…").shortcut_text("Ctrl+Shift+S"))
                .clicked()
            {
                s.send(Command::ShowDialog(DialogPurpose::SaveProjectAs));
            }
            ui.separator();
            ui.menu_button("Export", |ui| {
                let size = &mut app.view.export_size;
                ui.horizontal(|ui| {
                    let w = ui.label("Size");
                    ui.add(
                        egui::DragValue::new(&mut size.0)
                            .range(320..=8000)
                            .suffix(" px wide"),
                    )
                    .labelled_by(w.id);
                    ui.add(
                        egui::DragValue::new(&mut size.1)
                            .range(200..=8000)
                            .suffix(" px high"),
                    )
                    .labelled_by(w.id);
                });
                for (label, kind) in [
                    ("Chart as PNG…", ExportKind::ChartPng),
                    ("Chart as SVG…", ExportKind::ChartSvg),
                    ("Summary as CSV…", ExportKind::SummaryCsv),
                    ("One-page report (PDF)…", ExportKind::ReportPdf),
                    ("Flagged registrations (CSV)…", ExportKind::FlaggedCsv),
                ] {
                    if ui.button(label).clicked() {
                        s.send(Command::ShowDialog(DialogPurpose::Export(kind)));
                    }
                }
            });
            ui.separator();
            if ui.button("Quit").clicked() {
                ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
            }
        });
        ui.menu_button("Edit", |ui| {
            if ui
                .add_enabled(
                    app.history_can_undo(),
                    egui::Button::new("Undo").shortcut_text("Ctrl+Z"),
                )
                .clicked()
            {
                s.send(Command::Undo);
            }
            if ui
                .add_enabled(
                    app.history_can_redo(),
                    egui::Button::new("Redo").shortcut_text("Ctrl+Shift+Z"),
                )
                .clicked()
            {
                s.send(Command::Redo);
            }
        });
        ui.menu_button("View", |ui| {
            let mut dark = app.prefs.dark_mode;
            if ui.checkbox(&mut dark, "Dark theme").changed() {
                s.send(Command::SetDarkMode(dark));
            }
            ui.checkbox(&mut app.view.show_review, "Import review panel");
            ui.checkbox(&mut app.view.show_flags, "Flagged registrations panel");
            ui.checkbox(&mut app.view.show_backtest, "Backtest panel");
            ui.checkbox(&mut app.view.show_holds, "Held inventory panel");
            ui.checkbox(&mut app.view.show_events, "Events panel");
            if ui.button("Reset chart zoom").clicked() {
                app.view.chart_days = None;
            }
            if ui
                .button("Reset layout")
                .on_hover_text("Panels back to their first sizes")
                .clicked()
            {
                app.prefs.layout = app.prefs.layout.wrapping_add(1);
                app.view.chart_days = None;
            }
        });
        ui.menu_button("Help", |ui| {
            if ui
                .add(egui::Button::new("Keyboard shortcuts").shortcut_text("F1"))
                .clicked()
            {
                app.view.show_help = true;
            }
        });
    });
}
