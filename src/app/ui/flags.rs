//! Reviewing flagged registrations: a virtualized table of rows with their score and reasons,
//! filters, search and sorting, and verdicts per row or per group that win over the score.

use egui_extras::{Column, TableBuilder};

use crate::analysis::flags::{Reason, RowState};
use crate::app::{Command, FlagSort, TurnoutApp};
use crate::dataset::Edition;
use crate::import::Role;
use crate::timefmt::LocalClock;

/// The rows to list, recomputed only when the filter or the flags change.
fn listed_rows(app: &mut TurnoutApp) -> Vec<(usize, usize)> {
    // A cheap fingerprint of what the list depends on.
    // The date range, when one is chosen: the list holds the rows that signed up in it.
    let range = app.session.derived.range.map(|r| (r.from, r.to));
    let stamp = app.session.marks.len()
        ^ (app.session.settings.flags.threshold.to_bits() as usize)
        ^ range.map_or(0, |(from, to)| (from ^ to.rotate_left(17)) as usize)
        ^ app.session.flags.iter().map(|m| m.len()).sum::<usize>()
        ^ app
            .session
            .row_flags
            .iter()
            .map(|f| f.as_ref().map_or(0, |f| f.score.len() * 7))
            .sum::<usize>();
    if let Some((filter, s, rows)) = &app.view.flag_rows
        && *filter == app.view.flag_filter
        && *s == stamp
    {
        return rows.clone();
    }
    let f = &app.view.flag_filter;
    let needle = f.search.trim().to_lowercase();
    let mut rows = Vec::new();
    for (t, table) in app.session.dataset.tables.iter().enumerate() {
        if table.edition != Edition::Current {
            continue;
        }
        let (Some(Some(flags)), Some(mask)) =
            (app.session.row_flags.get(t), app.session.flags.get(t))
        else {
            continue;
        };
        let r = &table.rows;
        for i in 0..r.len() {
            let flagged = mask.get(i) == Some(&RowState::Flagged);
            if !flagged && !f.include_unflagged && !app.session.marks.contains_key(&(t, i)) {
                continue;
            }
            if let Some((from, to)) = range
                && !(from..to).contains(&r.registered_at[i])
            {
                continue;
            }
            if let Some(reason) = f.reason
                && !flags.reasons_of(i).contains(&reason)
            {
                continue;
            }
            if !needle.is_empty() {
                let hit = [
                    Role::Email,
                    Role::FirstName,
                    Role::LastName,
                    Role::Name,
                    Role::Region,
                ]
                .iter()
                .filter_map(|&role| r.text(role))
                .any(|c| c.get(i).to_lowercase().contains(&needle));
                if !hit {
                    continue;
                }
            }
            rows.push((t, i));
        }
    }
    let key = |&(t, i): &(usize, usize)| {
        let flags = app.session.row_flags[t]
            .as_ref()
            .expect("listed rows are scored");
        match f.sort {
            FlagSort::Score => -(flags.score[i] * 1000.0) as i64,
            FlagSort::Time => app.session.dataset.tables[t].rows.registered_at[i],
            FlagSort::GroupSize => -(flags.group_size(i) as i64),
        }
    };
    rows.sort_by_key(key);
    app.view.flag_rows = Some((app.view.flag_filter.clone(), stamp, rows.clone()));
    rows
}

pub fn flags_ui(app: &mut TurnoutApp, ui: &mut egui::Ui) {
    let l = app.session.settings.locale;
    let mut settings = app.session.settings.clone();
    ui.horizontal_wrapped(|ui| {
        ui.strong("Flagged registrations");
        let o = &app.session.derived.outlook;
        ui.label(format!(
            "{} tickets flagged, {} genuine",
            l.int(o.flagged),
            l.int(o.genuine)
        ))
        .on_hover_text("Tickets, as in the Outlook: a row can hold several");
        ui.separator();
        let mut t = settings.flags.threshold;
        if ui
            .add(egui::Slider::new(&mut t, 0.05..=0.95).text("Threshold"))
            .changed()
        {
            settings.flags.threshold = t;
            app.sender().send(Command::SetSettings {
                settings: Box::new(settings.clone()),
                coalesce: Some("threshold"),
            });
        }
        let venue = app
            .session
            .row_flags
            .iter()
            .flatten()
            .next()
            .map(|f| f.venue_region.clone())
            .unwrap_or_default();
        ui.label(if venue.is_empty() {
            "venue's region: not known".to_string()
        } else {
            // Quoted: a region code such as "OK" (Oklahoma) must not read as a status.
            format!("venue's region: “{venue}”")
        })
        .on_hover_text(
            "Registrations from far outside this region add to the score; it is the most \
             common region among unremarkable registrations unless set",
        );
    });
    // Patterns of this audience that were not used as evidence, and masked columns.
    if let Some(summary) = &app.session.flag_summary {
        for t in &summary.traits {
            ui.small(format!("Trait of this audience: {}", t.sentence));
        }
        for c in &summary.masked_columns {
            ui.small(format!(
                "The {c} column is masked by the platform: not used to tell people apart"
            ));
        }
        if summary.duplicates > 0 {
            ui.small(format!(
                "{} duplicate registrations (the same person again) are counted once, not called fake",
                l.int(summary.duplicates)
            ));
        }
    }
    ui.horizontal_wrapped(|ui| {
        let f = &mut app.view.flag_filter;
        egui::ComboBox::from_label("Reason")
            .selected_text(f.reason.map_or("any", |r| r.label()))
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut f.reason, None, "any");
                for r in Reason::ALL {
                    ui.selectable_value(&mut f.reason, Some(r), r.label());
                }
            });
        let label = ui.label("Find");
        ui.add(
            egui::TextEdit::singleline(&mut f.search)
                .hint_text("e-mail, name or region")
                .desired_width(180.0),
        )
        .labelled_by(label.id);
        egui::ComboBox::from_label("Sort")
            .selected_text(match f.sort {
                FlagSort::Score => "by score",
                FlagSort::Time => "by time",
                FlagSort::GroupSize => "by group size",
            })
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut f.sort, FlagSort::Score, "by score");
                ui.selectable_value(&mut f.sort, FlagSort::Time, "by time");
                ui.selectable_value(&mut f.sort, FlagSort::GroupSize, "by group size");
            });
        ui.checkbox(&mut f.include_unflagged, "Also unflagged rows");
    });
    bursts_ui(app, ui);
    waves_ui(app, ui);
    let rows = listed_rows(app);
    let tz = app.session.time_zone();
    let mut clock = LocalClock::new(tz);
    ui.small(format!(
        "{} rows listed (rows, not tickets{}{}). A verdict wins over the score and is saved with the project.",
        l.int(rows.len() as u64),
        if app.view.flag_filter.include_unflagged {
            "; unflagged rows included"
        } else {
            ""
        },
        match app.session.derived.range {
            Some(r) => format!(
                "; signed up from {} (the date range)",
                l.datetime(clock.wall(r.from))
            ),
            None => String::new(),
        }
    ));
    let sender = app.sender();
    TableBuilder::new(ui)
        .min_scrolled_height(0.0)
        .id_salt("flag-review")
        .striped(true)
        .column(Column::initial(50.0))
        .column(Column::initial(70.0))
        .column(Column::initial(230.0).clip(true))
        .column(Column::initial(150.0).clip(true))
        .column(Column::initial(60.0).clip(true))
        .column(Column::initial(130.0))
        .column(Column::initial(50.0))
        .column(Column::initial(250.0).clip(true))
        .column(Column::remainder().clip(true))
        .header(18.0, |mut h| {
            for name in [
                "Score",
                "Verdict",
                "E-mail",
                "Name",
                "Region",
                "Registered",
                "Group",
                "Mark",
                "Reasons",
            ] {
                h.col(|ui| {
                    ui.strong(name);
                });
            }
        })
        .body(|body| {
            body.rows(22.0, rows.len(), |mut row| {
                let (t, i) = rows[row.index()];
                let table = &app.session.dataset.tables[t];
                let r = &table.rows;
                let Some(flags) = app.session.row_flags[t].as_ref() else {
                    return;
                };
                let text = |role| r.text(role).map_or(String::new(), |c| c.get(i).to_string());
                let mark = app.session.marks.get(&(t, i)).copied();
                row.col(|ui| {
                    ui.label(format!("{:.2}", flags.score[i]));
                });
                row.col(|ui| {
                    ui.label(match mark {
                        Some(true) => "fake (you)",
                        Some(false) => "genuine (you)",
                        None if app.session.flags[t].get(i) == Some(&RowState::Flagged) => {
                            "flagged"
                        }
                        None if app.session.flags[t].get(i) == Some(&RowState::Duplicate) => {
                            "duplicate"
                        }
                        None => "—",
                    });
                });
                row.col(|ui| {
                    ui.label(text(Role::Email));
                });
                row.col(|ui| {
                    let name = match (r.text(Role::FirstName), r.text(Role::LastName)) {
                        (Some(f), Some(la)) => format!("{} {}", f.get(i), la.get(i)),
                        _ => text(Role::Name),
                    };
                    ui.label(crate::bidi::visual(&name));
                });
                row.col(|ui| {
                    ui.label(text(Role::Region));
                });
                row.col(|ui| {
                    let at = r.registered_at[i];
                    if at != crate::dataset::NO_TIME {
                        ui.label(l.datetime(clock.wall(at)));
                    }
                });
                row.col(|ui| {
                    let g = flags.group[i];
                    if g == 0 {
                        ui.label("—");
                    } else {
                        let group = &flags.groups[g as usize];
                        ui.label(l.int(group.size as u64))
                            .on_hover_text(group.kind.label());
                    }
                });
                row.col(|ui| {
                    let send = |verdict, group| {
                        sender.send(Command::Mark {
                            table: t,
                            row: i,
                            verdict,
                            group,
                        })
                    };
                    ui.horizontal(|ui| {
                        if ui.small_button("Genuine").clicked() {
                            send(Some(false), false);
                        }
                        if ui.small_button("Fake").clicked() {
                            send(Some(true), false);
                        }
                        if flags.group[i] != 0 && ui.small_button("Group genuine").clicked() {
                            send(Some(false), true);
                        }
                        if mark.is_some() && ui.small_button("Clear").clicked() {
                            send(None, false);
                        }
                    });
                });
                row.col(|ui| {
                    let reasons: Vec<&str> =
                        flags.reasons_of(i).iter().map(|r| r.label()).collect();
                    ui.label(reasons.join(", "))
                        .on_hover_text(flags.explain_row(i).join("\n"));
                });
            });
        });
}

/// Burst windows, each reviewable as one group: a real surge after a TV mention can be
/// marked genuine in one go.
fn bursts_ui(app: &TurnoutApp, ui: &mut egui::Ui) {
    let l = app.session.settings.locale;
    let mut clock = LocalClock::new(app.session.time_zone());
    let sender = app.sender();
    for (t, f) in app.session.row_flags.iter().enumerate() {
        let Some(f) = f.as_ref().filter(|_| {
            app.session.dataset.tables.get(t).map(|x| x.edition) == Some(Edition::Current)
        }) else {
            continue;
        };
        if f.bursts.is_empty() {
            continue;
        }
        egui::CollapsingHeader::new(format!("Bursts ({})", f.bursts.len()))
            .id_salt(("bursts", t))
            .show(ui, |ui| {
                for (k, b) in f.bursts.iter().enumerate() {
                    ui.horizontal(|ui| {
                        ui.label(format!(
                            "{} – {}: {} signups, {} flagged",
                            l.datetime(clock.wall(b.start)),
                            l.datetime(clock.wall(b.end)),
                            l.int(b.count),
                            l.int(b.flagged)
                        ));
                        let send = |verdict| {
                            sender.send(Command::MarkBurst {
                                table: t,
                                burst: k,
                                verdict,
                            })
                        };
                        if ui.small_button("All genuine").clicked() {
                            send(Some(false));
                        }
                        if ui.small_button("All fake").clicked() {
                            send(Some(true));
                        }
                        if ui.small_button("Back to scores").clicked() {
                            send(None);
                        }
                    });
                }
            });
    }
}

/// The largest look-alike waves, each with one explanation and an example.
fn waves_ui(app: &TurnoutApp, ui: &mut egui::Ui) {
    let Some(summary) = &app.session.flag_summary else {
        return;
    };
    if summary.waves.is_empty() {
        return;
    }
    let l = app.session.settings.locale;
    let mut clock = LocalClock::new(app.session.time_zone());
    egui::CollapsingHeader::new(format!("Look-alike waves ({})", summary.waves.len()))
        .id_salt("waves")
        .show(ui, |ui| {
            for w in &summary.waves {
                ui.horizontal_wrapped(|ui| {
                    ui.label(format!(
                        "{} – {}: {} signups shaped like {} (line {}), {} flagged",
                        l.datetime(clock.wall(w.start)),
                        l.datetime(clock.wall(w.end)),
                        l.int(w.size),
                        w.example,
                        w.example_line,
                        l.int(w.flagged)
                    ))
                    .on_hover_text(
                        "Signups in one window with the same kind of address and name, most \
                         of which look fake on their own; the rest are scored as part of the \
                         wave",
                    );
                    for (text, verdict) in [
                        ("All genuine", Some(false)),
                        ("All fake", Some(true)),
                        ("Clear", None),
                    ] {
                        let b = ui.small_button(text);
                        b.widget_info(|| {
                            egui::WidgetInfo::labeled(
                                egui::Role::Button,
                                true,
                                format!("{text}: wave at line {}", w.example_line),
                            )
                        });
                        if b.clicked() {
                            app.sender().send(Command::MarkWave {
                                table: w.table,
                                cluster: w.cluster,
                                verdict,
                            });
                        }
                    }
                });
            }
        });
}
