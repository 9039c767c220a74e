//! The main chart and the breakdown, drawn by the same plotters functions that write PNG and
//! SVG, with hover readout and zoom/pan along time.

use plotters::prelude::IntoDrawingArea;

use crate::app::TurnoutApp;
use crate::app::plot_backend::EguiBackend;
use crate::chart::{ChartView, Palette, draw_breakdown, draw_main};

pub fn charts_ui(app: &mut TurnoutApp, ui: &mut egui::Ui) {
    if app.view.dropping_files {
        drop_overlay(ui);
    }
    let full = ui.available_rect_before_wrap();
    if app.session.dataset.no_current_rows() {
        empty_state(app, ui, full);
        return;
    }
    // The breakdown earns space only with two or more bars, and never squeezes the main
    // chart below a readable height.
    let breakdown = &app.session.derived.breakdown;
    let show_breakdown = breakdown.items.len() >= 2 && full.height() >= MIN_MAIN_HEIGHT + 120.0;
    let split = if show_breakdown {
        (full.top() + full.height() * 0.72)
            .max(full.top() + MIN_MAIN_HEIGHT)
            .min(full.bottom() - 110.0)
    } else {
        full.bottom()
            - if breakdown.items.len() == 1 {
                24.0
            } else {
                0.0
            }
    };
    let main_rect = egui::Rect::from_min_max(full.min, egui::pos2(full.right(), split));
    main_chart_ui(app, ui, main_rect);
    let breakdown = &app.session.derived.breakdown;
    if show_breakdown {
        let breakdown_rect =
            egui::Rect::from_min_max(egui::pos2(full.left(), split + 6.0), full.max);
        let ppp = ui.ctx().pixels_per_point();
        let palette = palette(ui);
        let painter = ui.painter_at(breakdown_rect);
        let backend = EguiBackend::new(&painter, breakdown_rect, ppp);
        let root = backend.into_drawing_area();
        let _ = draw_breakdown(&root, breakdown, &palette, ppp as f64);
    } else if let [(name, n)] = breakdown.items.as_slice() {
        // One category is a sentence, not a chart.
        let l = app.session.settings.locale;
        ui.painter().text(
            egui::pos2(full.left() + 12.0, full.bottom() - 12.0),
            egui::Align2::LEFT_CENTER,
            format!(
                "{}: all {} in one category, {name}",
                breakdown.title,
                l.int(*n)
            ),
            egui::FontId::proportional(13.0),
            ui.visuals().weak_text_color(),
        );
    }
    ui.allocate_rect(full, egui::Sense::hover());
}

/// Below this the main chart's bars and labels stop being readable.
const MIN_MAIN_HEIGHT: f32 = 260.0;

/// Nothing loaded yet, or files whose every row was rejected: what to do, in place of an
/// empty chart of 1 January 1970.
fn empty_state(app: &mut TurnoutApp, ui: &mut egui::Ui, full: egui::Rect) {
    let l = app.session.settings.locale;
    let files: Vec<(String, u64)> = app
        .session
        .dataset
        .current()
        .map(|(_, t)| (t.label.clone(), t.report.rejected_count))
        .collect();
    ui.scope_builder(egui::UiBuilder::new().max_rect(full), |ui| {
        ui.add_space(full.height() * 0.3);
        ui.vertical_centered(|ui| {
            if !files.is_empty() {
                let names: Vec<&str> = files.iter().map(|f| f.0.as_str()).collect();
                let rejected: u64 = files.iter().map(|f| f.1).sum();
                ui.heading(format!(
                    "No registration could be loaded from {}",
                    names.join(", ")
                ));
                ui.label(if rejected > 0 {
                    format!(
                        "{} rejected: the import review lists each with its line and reason, \
                         and lets you choose the columns.",
                        if rejected == 1 {
                            "The one row was".to_string()
                        } else {
                            format!("All {} rows were", l.int(rejected))
                        }
                    )
                } else {
                    "The file holds no data rows.".to_string()
                });
                ui.add_space(8.0);
                if rejected > 0 && ui.button("Open the import review").clicked() {
                    app.view.show_review = true;
                }
                return;
            }
            ui.heading("No registrations loaded");
            ui.label("Open a registration export (File menu, Open…, or Ctrl+O) or drop it on this window.");
            ui.label("Eventbrite, pretix, Luma, Zoom, Google Forms, Hi.Events, CSV, XLSX and ODS files are read as they are.");
            ui.add_space(8.0);
            if ui.button("Open the demo").clicked() {
                app.sender().send(crate::app::Command::OpenDemo);
            }
        });
    });
}

fn palette(ui: &egui::Ui) -> Palette {
    if ui.visuals().dark_mode {
        Palette::dark()
    } else {
        Palette::light()
    }
}

fn main_chart_ui(app: &mut TurnoutApp, ui: &mut egui::Ui, rect: egui::Rect) {
    let id = ui.scope_id().with("main-chart");
    let response = ui
        .interact(rect, id, egui::Sense::click_and_drag())
        .on_hover_cursor(egui::CursorIcon::Crosshair);
    let ppp = ui.ctx().pixels_per_point();
    let data = &app.session.derived.chart;
    let full = data.full_range();
    let view = ChartView {
        days: app.view.chart_days,
        log_scale: app
            .session
            .settings
            .log_scale_for(&app.session.derived.chart),
        text_scale: ppp as f64,
    };
    let painter = ui.painter_at(rect);
    let backend = EguiBackend::new(&painter, rect, ppp);
    let root = backend.into_drawing_area();
    let Ok(geometry) = draw_main(&root, data, &view, &palette(ui)) else {
        return;
    };
    if data.undated_only().is_some() {
        response
            .widget_info(|| egui::WidgetInfo::labeled(egui::Role::Figure, true, "Signups chart"));
        return;
    }
    let to_day = |x: f32| geometry.day_at(((x - rect.left()) * ppp) as f64);
    let (d0, d1) = geometry.days;

    // Zoom around the pointer with the wheel, pan by dragging, double-click resets.
    if response.hovered() {
        let scroll = ui.input(|i| i.smooth_scroll_delta.y + i.zoom_delta().ln() * 200.0);
        if scroll.abs() > 0.1
            && let Some(p) = response.hover_pos()
        {
            let at = to_day(p.x);
            let factor = (-(scroll as f64) / 400.0).exp();
            let (a, b) = (at - (at - d0) * factor, at + (d1 - at) * factor);
            if b - a > 0.5 {
                app.view.chart_days = Some((a.max(full.0), b.min(full.1)));
            }
        }
    }
    if response.dragged() {
        let dx = response.drag_delta().x as f64 * ppp as f64;
        let per_px = (d1 - d0) / (geometry.right - geometry.left).max(1) as f64;
        let shift = -dx * per_px;
        let (a, b) = (d0 + shift, d1 + shift);
        if a >= full.0 - 1.0 && b <= full.1 + 1.0 {
            app.view.chart_days = Some((a, b));
        }
    }
    if response.double_clicked() {
        app.view.chart_days = None;
    }
    if let Some(p) = response.hover_pos() {
        let day = to_day(p.x);
        hover_readout(app, ui, &response, day);
    }
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Figure, true, "Signups chart"));
}

fn hover_readout(app: &TurnoutApp, ui: &egui::Ui, response: &egui::Response, day: f64) {
    let data = &app.session.derived.chart;
    let l = app.session.settings.locale;
    let o = &app.session.derived.outlook;
    let view = app.view.chart_days.unwrap_or(data.full_range());
    let w = data.unit.words();
    let text = match data.bar_at(day, view) {
        Some(b) => format!(
            "{}{}\n{} {} that {} ({} flagged)\n{} {} so far\nexpected {} {} ({}–{})",
            if b.span() > 1.0 { "from " } else { "" },
            if b.span() < 1.0 {
                let minutes = ((b.day - b.day.floor()) * 1440.0).round() as i64;
                format!(
                    "{} {:02}:{:02}",
                    l.date(b.day.floor() as i64),
                    minutes / 60,
                    minutes % 60
                )
            } else {
                l.date(b.day as i64)
            },
            l.int(b.genuine + b.flagged),
            w.signups,
            if b.span() >= 28.0 {
                "month"
            } else if b.span() > 1.0 {
                "week"
            } else if b.span() < 1.0 {
                "hour"
            } else {
                "day"
            },
            l.int(b.flagged),
            l.int(b.cumulative_all),
            w.registrations,
            w.attendance,
            l.round(o.attendance.p50),
            l.round(o.attendance.p10),
            l.round(o.attendance.p90),
        ),
        None => format!(
            "{}\nno {}\nexpected {} {} ({}–{})",
            l.date(day.floor() as i64),
            w.signups,
            w.attendance,
            l.round(o.attendance.p50),
            l.round(o.attendance.p10),
            l.round(o.attendance.p90),
        ),
    };
    let _ = ui;
    response.clone().on_hover_text_at_pointer(text);
}

fn drop_overlay(ui: &egui::Ui) {
    let rect = ui.ctx().content_rect();
    let painter = ui.ctx().layer_painter(egui::LayerId::new(
        egui::Order::Foreground,
        egui::Id::unique("drop-overlay"),
    ));
    painter.rect_filled(rect, 0.0, egui::Color32::from_black_alpha(160));
    painter.text(
        rect.center(),
        egui::Align2::CENTER_CENTER,
        "Drop registration exports to open them",
        egui::FontId::proportional(26.0),
        egui::Color32::WHITE,
    );
}
