//! Held inventory: what sat in unpaid carts, when items looked sold out with stock unsold, who
//! hoarded, and what another hold policy would have done.

use plotters::prelude::IntoDrawingArea;

use crate::app::plot_backend::EguiBackend;
use crate::app::{Command, TurnoutApp};
use crate::chart::{Palette, draw_inventory};

pub fn holds_ui(app: &mut TurnoutApp, ui: &mut egui::Ui) {
    let l = app.session.settings.locale;
    let Some(h) = app.session.holds.as_ref() else {
        ui.heading("Held inventory");
        ui.label(
            "No hold data: open a cart log, an order export with reservation states or pretix \
             quota snapshots from the File menu.",
        );
        return;
    };
    let inv = &h.inventory;
    let full = ui.available_rect_before_wrap().intersect(ui.clip_rect());
    let left_w = 340.0f32.min(full.width() * 0.3);
    let right_w = 360.0f32.min(full.width() * 0.3);
    let left = egui::Rect::from_min_max(full.min, egui::pos2(full.left() + left_w, full.bottom()));
    let right = egui::Rect::from_min_max(egui::pos2(full.right() - right_w, full.top()), full.max);
    let middle = egui::Rect::from_min_max(
        egui::pos2(left.right() + 8.0, full.top()),
        egui::pos2(right.left() - 8.0, full.bottom()),
    );
    // Default item: the one that looked sold out longest with stock unsold.
    let worst = inv
        .items
        .iter()
        .enumerate()
        .max_by(|a, b| {
            a.1.false_soldout_minutes
                .total_cmp(&b.1.false_soldout_minutes)
        })
        .map_or(0, |(i, _)| i);
    let mut item = app
        .view
        .holds_item
        .unwrap_or(worst)
        .min(inv.items.len().saturating_sub(1));
    let before = app.session.settings.clone();
    let mut s = before.clone();
    let mut coalesce = None;
    ui.scope_builder(egui::UiBuilder::new().max_rect(left), |ui| {
        egui::ScrollArea::vertical()
            .id_salt("holds-left")
            .show(ui, |ui| {
                ui.heading("Held inventory");
                ui.small(&inv.label);
                if !h.source.paths.is_empty()
                    && ui
                    .small_button("Read as registrations")
                    .on_hover_text("These files were read as hold logs; count them as sign-ups instead")
                    .clicked()
                {
                    app.sender().send(Command::HoldsAsRegistrations);
                }
                let row = |ui: &mut egui::Ui, name: &str, value: String, meaning: &str| {
                    ui.horizontal_wrapped(|ui| {
                        ui.label(format!("{name}:"));
                        ui.strong(value);
                    });
                    ui.small(meaning);
                };
                row(
                    ui,
                    "Peak held",
                    format!("{} ({})", l.int(inv.peak_held), l.percent(inv.peak_held_share)),
                    "most units in unpaid holds at one moment, and that share of all stock",
                );
                row(
                    ui,
                    "Falsely sold out",
                    format!("{} min", l.round(inv.false_soldout_minutes)),
                    "minutes items looked sold out while stock was unsold, all items",
                );
                if inv.holds > 0 {
                    row(
                        ui,
                        "Buyers turned away",
                        format!("≈ {}", l.round(inv.buyers_met_false_soldout)),
                        "genuine buyers who met a false \"sold out\" (their usual rate × those minutes)",
                    );
                }
                ui.separator();
                egui::ComboBox::from_label("Item")
                    .selected_text(inv.items.get(item).map_or("", |i| i.item.as_str()))
                    .show_ui(ui, |ui| {
                        for (k, it) in inv.items.iter().enumerate() {
                            ui.selectable_value(&mut item, k, &it.item);
                        }
                    });
                if h.log.is_some() {
                    ui.separator();
                    ui.strong("Replay with another policy");
                    let hold = &mut s.holds.what_if_hold_minutes;
                    if ui
                        .add(egui::Slider::new(hold, 1..=60).suffix(" min").text("Hold time"))
                        .changed()
                    {
                        coalesce = Some("what-if-hold");
                    }
                    let limit = &mut s.holds.what_if_limit;
                    if ui
                        .add(
                            egui::Slider::new(limit, 0..=50)
                                .text("Units per person (0 = no limit)"),
                        )
                        .changed()
                    {
                        coalesce = Some("what-if-limit");
                    }
                    let default = &mut s.holds.default_hold_minutes;
                    if ui
                        .add(
                            egui::Slider::new(default, 1..=120)
                                .suffix(" min")
                                .text("Hold time when the export doesn't say"),
                        )
                        .changed()
                    {
                        coalesce = Some("default-hold");
                    }
                    if let Some(w) = &h.what_if {
                        row(
                            ui,
                            "Freed",
                            format!("{} unit-hours", l.round(w.freed)),
                            "stock no longer sitting in unpaid holds",
                        );
                        row(
                            ui,
                            "Buyers no longer turned away",
                            format!("≈ {}", l.round(w.buyers_unblocked)),
                            "fewer genuine buyers meeting a false \"sold out\"",
                        );
                        row(
                            ui,
                            "Peak held / falsely sold out",
                            format!(
                                "{} / {} min",
                                l.int(w.peak_held),
                                l.round(w.false_soldout_minutes)
                            ),
                            "under the new policy",
                        );
                        row(
                            ui,
                            "Buyers hurried",
                            l.int(w.purchases_cut_short),
                            "units bought by people who paid later than the new hold time or \
                             bought more than the limit at once",
                        );
                        ui.small(
                            "People who take stock again within 5 minutes of a hold running out \
                             are assumed to keep doing so: a shorter hold does not stop them, a \
                             per-person limit does.",
                        );
                    }
                }
                for n in &h.notes {
                    ui.small(format!("Note: {n}"));
                }
            });
    });
    let ppp = ui.ctx().pixels_per_point();
    let palette = if ui.visuals().dark_mode {
        Palette::dark()
    } else {
        Palette::light()
    };
    let tz = app.session.time_zone();
    let painter = ui.painter_at(middle);
    let backend = EguiBackend::new(&painter, middle, ppp);
    let _ = draw_inventory(
        &backend.into_drawing_area(),
        inv.items.get(item),
        inv.span,
        &tz,
        &palette,
        ppp as f64,
    );
    ui.scope_builder(egui::UiBuilder::new().max_rect(right), |ui| {
        ui.strong(format!("Hoarders ({})", inv.hoarders.len()));
        if inv.hoarders.is_empty() {
            ui.small(if h.log.is_some() {
                "Nobody held many units, bought almost none and took stock again as soon as it \
                 ran out."
            } else {
                "Quota snapshots carry no identities."
            });
        }
        egui::ScrollArea::vertical()
            .id_salt("hoarders")
            .show(ui, |ui| {
                for x in &inv.hoarders {
                    ui.label(egui::RichText::new(crate::bidi::visual(&x.identity)).strong());
                    ui.small(format!(
                        "{} units held, {} bought, {} unit-hours",
                        l.int(x.units_held),
                        l.int(x.units_bought),
                        l.round(x.unit_hours)
                    ));
                    for e in &x.evidence {
                        ui.small(format!("• {e}"));
                    }
                    ui.separator();
                }
            });
    });
    ui.allocate_rect(full, egui::Sense::hover());
    app.view.holds_item = Some(item);
    if s != before {
        app.sender.send(Command::SetSettings {
            settings: Box::new(s),
            coalesce,
        });
    }
}
