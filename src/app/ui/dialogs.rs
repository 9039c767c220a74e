//! Messages, the unsaved-changes question and the shortcut list.

use crate::app::{Command, Pending, TurnoutApp};

pub const SHORTCUTS: &[(&str, &str)] = &[
    ("Ctrl+O", "Open registration exports"),
    ("Ctrl+S", "Save the project"),
    ("Ctrl+Shift+S", "Save the project as…"),
    ("Ctrl+Z", "Undo a settings change"),
    ("Ctrl+Shift+Z", "Redo"),
    ("Ctrl+E", "Export the chart as PNG"),
    ("F1", "This list"),
    ("Mouse wheel on the chart", "Zoom along time"),
    ("Drag on the chart", "Pan along time"),
    ("Double-click on the chart", "Show everything"),
];

/// Messages, questions and the shortcut list. Messages sit in the corner of `chart_area`, so
/// they never cover the tables of the detail tabs below it or the outlook beside it.
pub fn dialogs_ui(app: &mut TurnoutApp, ui: &mut egui::Ui, chart_area: egui::Rect) {
    let ctx = ui.ctx().clone();
    let s = app.sender();
    // Notices: newest last, each dismissable, details on request. One the import review shows
    // in full stands aside while the review is in front.
    let review_in_front = app.view.show_review && app.view.bottom_tab == super::REVIEW_TAB;
    let shown = |n: &crate::app::Notice| !(n.in_review && review_in_front);
    let mut dismiss = None;
    let mut picked = None;
    let mut open_review = false;
    if app.notices.iter().any(shown) {
        egui::Window::new("Messages")
            .id(egui::Id::unique("notices"))
            .constrain_to(chart_area)
            .anchor(egui::Align2::RIGHT_BOTTOM, [-8.0, -8.0])
            .resizable(false)
            .collapsible(true)
            .show(&ctx, |ui| {
                for (i, n) in app.notices.iter().enumerate() {
                    if !shown(n) {
                        continue;
                    }
                    ui.horizontal(|ui| {
                        if n.is_error {
                            ui.colored_label(ui.visuals().error_fg_color, &n.title);
                        } else {
                            ui.strong(&n.title);
                        }
                        if let Some(file) = n.locate
                            && ui.small_button("Locate…").clicked()
                        {
                            s.send(Command::ShowDialog(crate::app::DialogPurpose::Locate(file)));
                            dismiss = Some(i);
                        }
                        if n.in_review && ui.small_button("Show them").clicked() {
                            open_review = true;
                        }
                        if ui.small_button("Dismiss").clicked() {
                            dismiss = Some(i);
                        }
                    });
                    if let Some(pick) = &n.pick_time {
                        ui.label(crate::bidi::visual(&n.details));
                        let mut chosen = pick.chosen.min(pick.columns.len().saturating_sub(1));
                        let text = |(h, sample): &(String, String)| {
                            if sample.is_empty() {
                                h.clone()
                            } else {
                                format!("{h} — e.g. {sample}")
                            }
                        };
                        ui.horizontal(|ui| {
                            egui::ComboBox::from_id_salt(("pick-time", i))
                                .selected_text(
                                    pick.columns.get(chosen).map(text).unwrap_or_default(),
                                )
                                .width(320.0)
                                .show_ui(ui, |ui| {
                                    for (c, col) in pick.columns.iter().enumerate() {
                                        ui.selectable_value(&mut chosen, c, text(col));
                                    }
                                });
                            if ui.button("Read with this column").clicked()
                                && let Some((h, _)) = pick.columns.get(chosen)
                            {
                                s.send(Command::ReadWithTime {
                                    path: pick.path.clone(),
                                    edition: pick.edition,
                                    header: h.clone(),
                                });
                                dismiss = Some(i);
                            }
                        });
                        if chosen != pick.chosen {
                            picked = Some((i, chosen));
                        }
                        continue;
                    }
                    egui::CollapsingHeader::new("Details")
                        .id_salt(("notice", i))
                        .show(ui, |ui| {
                            ui.label(crate::bidi::visual(&n.details));
                        });
                }
            });
    }
    // The column shown in a picker is view state of its notice.
    if let Some((i, c)) = picked
        && let Some(p) = app.notices.get_mut(i).and_then(|n| n.pick_time.as_mut())
    {
        p.chosen = c;
    }
    if let Some(i) = dismiss {
        s.send(Command::DismissError(i));
    }
    // Which detail tab is in front is view state, like the menu's panel toggles.
    if open_review {
        app.view.show_review = true;
        app.view.bottom_tab = super::REVIEW_TAB;
    }

    if let Some(pending) = app.view.pending.clone() {
        egui::Modal::new(egui::Id::unique("unsaved")).show(&ctx, |ui| {
            ui.heading("Unsaved changes");
            let what = match pending {
                Pending::Close => "closing",
                Pending::OpenDemo => "opening the demo",
                Pending::OpenFiles(_) => "opening other files",
                Pending::OpenProject(_) => "opening another project",
            };
            ui.label(format!("Save the project before {what}?"));
            ui.horizontal(|ui| {
                if ui.button("Save").clicked() {
                    s.send(Command::Resolve {
                        save: true,
                        proceed: true,
                    });
                }
                if ui.button("Don't save").clicked() {
                    s.send(Command::Resolve {
                        save: false,
                        proceed: true,
                    });
                }
                if ui.button("Cancel").clicked() {
                    s.send(Command::Resolve {
                        save: false,
                        proceed: false,
                    });
                }
            });
        });
    }

    if app.view.show_help {
        let mut open = true;
        egui::Window::new("Keyboard shortcuts")
            .open(&mut open)
            .resizable(false)
            .show(&ctx, |ui| {
                egui::Grid::new("shortcuts").striped(true).show(ui, |ui| {
                    for (keys, what) in SHORTCUTS {
                        ui.monospace(*keys);
                        ui.label(*what);
                        ui.end_row();
                    }
                });
            });
        app.view.show_help = open;
    }
}
