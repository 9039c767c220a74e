//! Import review: what was detected, each column's role with sample values (changeable, which
//! re-reads the file), and the rejected rows with their line numbers and reasons.

use egui_extras::{Column, TableBuilder};

use crate::app::{Command, DialogPurpose, TurnoutApp};
use crate::import::Role;

pub fn review_ui(app: &mut TurnoutApp, ui: &mut egui::Ui) {
    let tables = &app.session.dataset.tables;
    if tables.is_empty() {
        ui.label("No file loaded.");
        return;
    }
    if app.session.demo.is_some() {
        ui.label("The embedded demo is generated, not read from a file: open an export to review how it was read.");
        return;
    }
    ui.horizontal(|ui| {
        for (i, t) in tables.iter().enumerate() {
            ui.selectable_value(&mut app.view.review_table, i, crate::bidi::visual(&t.label));
        }
    });
    let ti = app.view.review_table.min(tables.len() - 1);
    let table = &tables[ti];
    let r = &table.report;
    let d = &r.detected;
    let l = app.session.settings.locale;
    ui.horizontal(|ui| {
        ui.label("This file is");
        let current = d.kind;
        egui::ComboBox::from_id_salt(("file-kind", ti))
            .selected_text(current.label())
            .show_ui(ui, |ui| {
                for k in crate::import::FileContent::ALL {
                    if ui.selectable_label(k == current, k.label()).clicked() && k != current {
                        app.sender().send(Command::SetKind { table: ti, kind: k });
                    }
                }
            })
            .response
            .on_hover_text(
                "What the file lists decides where it goes: registrations make the event, an \
                 attendance list marks who came, hold logs and quota snapshots go to Held \
                 inventory",
            );
    });
    ui.horizontal_wrapped(|ui| {
        ui.label(format!("Format {}", d.format.to_uppercase()));
        ui.separator();
        ui.label(format!("encoding {}", d.encoding));
        if let Some(delim) = &d.delimiter {
            ui.separator();
            ui.label(format!("delimiter '{delim}'"));
        }
        ui.separator();
        ui.label(if d.header_line > 0 {
            format!("header on line {}", d.header_line)
        } else {
            "no header row".to_string()
        });
        ui.separator();
        // An example as written in the file says more than a format pattern.
        let example = r
            .mapping
            .iter()
            .find(|m| m.role == Role::RegisteredAt)
            .and_then(|m| m.columns.first())
            .and_then(|&c| r.samples.get(c))
            .and_then(|v| v.first());
        ui.label(match example {
            Some(e) => format!(
                "dates like \"{e}\"{}",
                date_order_words(d.date_format.as_deref().unwrap_or(""), d.date_order)
            ),
            None => "no registration time column".to_string(),
        })
        .on_hover_text(d.date_format.as_deref().unwrap_or(""));
        ui.separator();
        ui.label(format!("time zone {}", d.time_zone));
        ui.separator();
        ui.label(format!(
            "{} rows read, {} loaded, {} rejected",
            l.int(r.rows_read),
            l.int(r.rows_loaded),
            l.int(r.rejected_count)
        ));
    });
    for w in &r.warnings {
        ui.colored_label(ui.visuals().warn_fg_color, w);
    }
    if let Some(summary) = &app.session.flag_summary {
        for c in &summary.masked_columns {
            ui.colored_label(
                ui.visuals().warn_fg_color,
                format!(
                    "The {c} column is masked by the platform (like z****@domain): it is not used \
                     to tell people apart"
                ),
            );
        }
    }
    ui.horizontal(|ui| {
        if ui.button("Locate file…").clicked() {
            app.sender()
                .send(Command::ShowDialog(DialogPurpose::Locate(ti)));
        }
        if ui.button("Remove file").clicked() {
            app.sender().send(Command::RemoveFile(ti));
        }
        let mut fmt = app
            .session
            .sources
            .get(ti)
            .map(|s| s.read.date_format.clone())
            .unwrap_or_default();
        let label = ui.label("Date format");
        let edit = ui
            .add(
                egui::TextEdit::singleline(&mut fmt)
                    .hint_text("auto, dmy, mdy or %d.%m.%Y %H:%M")
                    .desired_width(200.0),
            )
            .labelled_by(label.id);
        if edit.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
            app.sender().send(Command::SetDateFormat {
                table: ti,
                format: fmt,
            });
        }
        attendance_polarity_ui(app, ui, ti);
        kept_bookings_ui(app, ui, ti);
    });
    group_hint_ui(app, ui, ti);
    // Rejected rows take half the width only when there are some (the line above already
    // says "0 rejected").
    if app.session.dataset.tables[ti].report.rejected_count == 0 {
        columns_ui(app, ui, ti);
    } else {
        ui.columns(2, |cols| {
            columns_ui(app, &mut cols[0], ti);
            rejected_ui(app, &mut cols[1], ti);
        });
    }
}

/// A column that may name where each event takes place: one click splits events by it (the
/// same as choosing "Event group" for it below), never done unasked.
fn group_hint_ui(app: &TurnoutApp, ui: &mut egui::Ui, ti: usize) {
    let Some(header) = app.session.dataset.tables[ti].report.group_hint.as_deref() else {
        return;
    };
    let shown = crate::bidi::visual(header);
    ui.horizontal_wrapped(|ui| {
        ui.label(format!(
            "'{shown}' may name where each event takes place; events of one day are counted \
             together until you split them by it."
        ));
        if ui.button(format!("Split events by {shown}")).clicked() {
            app.sender().send(Command::SetRole {
                table: ti,
                role: Role::Group,
                header: Some(header.to_string()),
            });
        }
    });
}

fn columns_ui(app: &TurnoutApp, ui: &mut egui::Ui, ti: usize) {
    let table = &app.session.dataset.tables[ti];
    let r = &table.report;
    ui.strong("Columns and their roles");
    TableBuilder::new(ui)
        .min_scrolled_height(0.0)
        .id_salt(("review-columns", ti))
        .striped(true)
        .column(Column::initial(150.0).at_least(80.0).clip(true))
        .column(Column::initial(200.0).at_least(150.0))
        .column(Column::remainder().clip(true))
        .header(18.0, |mut h| {
            h.col(|ui| {
                ui.strong("Header");
            });
            h.col(|ui| {
                ui.strong("Role");
            });
            h.col(|ui| {
                ui.strong("Sample values");
            });
        })
        .body(|body| {
            body.rows(22.0, r.headers.len(), |mut row| {
                let c = row.index();
                let header = &r.headers[c];
                let role = r
                    .mapping
                    .iter()
                    .find(|m| m.columns.contains(&c))
                    .map(|m| m.role);
                row.col(|ui| {
                    ui.label(crate::bidi::visual(header));
                });
                row.col(|ui| {
                    let mut chosen = role;
                    egui::ComboBox::from_id_salt(("role", ti, c))
                        .selected_text(chosen.map_or("—", |r| r.label()))
                        .show_ui(ui, |ui| {
                            ui.selectable_value(&mut chosen, None, "— (not used)");
                            for role in Role::ALL {
                                ui.selectable_value(&mut chosen, Some(role), role.label());
                            }
                        })
                        .response
                        .on_hover_text(format!("Role of column '{header}'"))
                        .widget_info(|| {
                            egui::WidgetInfo::labeled(
                                egui::Role::ComboBox,
                                true,
                                format!("Role of {header}"),
                            )
                        });
                    if chosen != role {
                        let cmd = match chosen {
                            Some(new) => Command::SetRole {
                                table: ti,
                                role: new,
                                header: Some(header.clone()),
                            },
                            None => Command::SetRole {
                                table: ti,
                                role: role.unwrap_or(Role::Source),
                                header: None,
                            },
                        };
                        app.sender().send(cmd);
                    }
                });
                row.col(|ui| {
                    // Each value in its own visual order: a Hebrew name must not flip the row.
                    let samples = r
                        .samples
                        .get(c)
                        .map(|v| {
                            v.iter()
                                .map(|x| crate::bidi::visual(x))
                                .collect::<Vec<_>>()
                                .join("  ·  ")
                        })
                        .unwrap_or_default();
                    ui.add(egui::Label::new(samples).truncate());
                });
            });
        });
}

fn rejected_ui(app: &TurnoutApp, ui: &mut egui::Ui, ti: usize) {
    let r = &app.session.dataset.tables[ti].report;
    let l = app.session.settings.locale;
    ui.strong(format!("Rejected rows ({})", l.int(r.rejected_count)));
    if r.rejected_count as usize > r.rejected.len() {
        ui.small(format!("The first {} are listed.", r.rejected.len()));
    }
    for issue in &r.value_issues {
        ui.small(issue.sentence(&l.int(issue.count), &crate::bidi::visual(&issue.example)));
    }
    TableBuilder::new(ui)
        .min_scrolled_height(0.0)
        .id_salt(("review-rejected", ti))
        .striped(true)
        .column(Column::initial(60.0).at_least(50.0))
        .column(Column::remainder().clip(true))
        .header(18.0, |mut h| {
            h.col(|ui| {
                ui.strong("Line");
            });
            h.col(|ui| {
                ui.strong("Why");
            });
        })
        .body(|body| {
            body.rows(20.0, r.rejected.len(), |mut row| {
                let rej = &r.rejected[row.index()];
                row.col(|ui| {
                    ui.label(rej.line.to_string());
                });
                row.col(|ui| {
                    let reason = crate::bidi::visual(&rej.reason);
                    ui.add(egui::Label::new(reason.clone()).truncate())
                        .on_hover_text(reason);
                });
            });
        });
}

/// " (day first)", " (month first, assumed)" or "" for a detected time format.
fn date_order_words(format: &str, reason: Option<crate::import::OrderReason>) -> String {
    let (d, m) = (format.find("%d"), format.find("%m"));
    let order = match (d, m) {
        (Some(d), Some(m)) if format.find("%Y").is_some_and(|y| y < m.min(d)) => {
            return String::new();
        }
        (Some(d), Some(m)) if d < m => "day first",
        (Some(_), Some(_)) => "month first",
        _ => return String::new(),
    };
    match reason {
        Some(crate::import::OrderReason::Assumed) => {
            format!(" ({order}, assumed: every date fits both ways)")
        }
        _ => format!(" ({order})"),
    }
}

/// Which way the attendance column reads (`Showed up` vs `No-show`), with a switch: a column
/// read the wrong way round turns every no-show into an attendee.
fn attendance_polarity_ui(app: &TurnoutApp, ui: &mut egui::Ui, ti: usize) {
    let r = &app.session.dataset.tables[ti].report;
    let Some(m) = r.mapping.iter().find(|m| m.role == Role::CheckedIn) else {
        return;
    };
    let header = m
        .columns
        .first()
        .and_then(|&c| r.headers.get(c))
        .cloned()
        .unwrap_or_default();
    let label = format!("In \"{}\", yes means", crate::bidi::visual(&header));
    if let Some(negated) = two_way_choice(
        ui,
        ("attendance-polarity", ti),
        &label,
        m.negated,
        ["came", "did not come"],
        "Columns like No-show or Absent say who did not come; Attended or Checked in say who \
         came. Decided from the header; change it if the file reads the other way.",
    ) {
        app.sender()
            .send(Command::SetAttendanceNegated { table: ti, negated });
    }
}

/// A labelled choice between two readings of a file (`words`: for false, for true); the new
/// value when the user changed it.
fn two_way_choice(
    ui: &mut egui::Ui,
    id: impl std::hash::Hash + std::fmt::Debug,
    label: &str,
    current: bool,
    words: [&str; 2],
    hover: &str,
) -> Option<bool> {
    ui.separator();
    let label = ui.label(label);
    let mut value = current;
    let text = |v: bool| words[v as usize];
    egui::ComboBox::from_id_salt(id)
        .selected_text(text(value))
        .show_ui(ui, |ui| {
            ui.selectable_value(&mut value, false, text(false));
            ui.selectable_value(&mut value, true, text(true));
        })
        .response
        .labelled_by(label.id)
        .on_hover_text(hover);
    (value != current).then_some(value)
}

/// In a booking log that records cancellations and nothing about who came: whether bookings
/// kept to a start the file shows is past count as come (a hotel's stays) or are not known
/// (a webinar's registrations are not its audience), with a switch.
fn kept_bookings_ui(app: &TurnoutApp, ui: &mut egui::Ui, ti: usize) {
    let r = &app.session.dataset.tables[ti].report;
    let Some(k) = r.kept_came else {
        return;
    };
    if let Some(came) = two_way_choice(
        ui,
        ("kept-bookings", ti),
        "Bookings kept to a past start",
        k.applied,
        ["not known", "came"],
        "No column says who came. A lodging's log records cancellations, not stays: a booking \
         kept to its arrival is a stay, so past events can be learned from. For events where \
         people register and stay home, choose not known.",
    ) {
        app.sender().send(Command::SetKeptCame { table: ti, came });
    }
}
