//! The backtest chart: how far off each method was, by days before the event.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::{DrawResult, Palette, draw_legend, draw_message, register_fonts};
use crate::analysis::forecast::Backtest;

/// Mean absolute percentage error by day before the event for the forecast and both
/// baselines (lower is better).
pub fn draw_backtest<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    backtest: Option<&Backtest>,
    palette: &Palette,
    text_scale: f64,
) -> DrawResult<(), DB> {
    register_fonts();
    root.fill(&palette.background)?;
    let s = text_scale;
    let font = |size: f64| ("sans-serif", size * s).into_font().color(&palette.text);
    let Some(b) = backtest.filter(|b| !b.by_day.is_empty()) else {
        return draw_message(
            root,
            "Backtest: load past editions with check-ins (the File menu, Add a past edition) to see how \
             the forecast would have done.",
            palette,
            s,
        );
    };
    let days = b.by_day.last().map_or(1, |d| d.days_before).max(1) as f64;
    let worst = b
        .by_day
        .iter()
        .flat_map(|d| {
            [
                d.model,
                d.naive_baseline,
                d.additive_baseline.unwrap_or(0.0),
            ]
        })
        .fold(0.1f64, f64::max)
        .min(3.0);
    let mut chart = ChartBuilder::on(root)
        .margin((8.0 * s) as i32)
        .caption(
            "Backtest: mean error by days before the event (lower is better)",
            font(14.0),
        )
        .x_label_area_size((26.0 * s) as i32)
        .y_label_area_size((48.0 * s) as i32)
        .build_cartesian_2d(-(days + 0.5)..0.5, 0.0..worst * 1.08)?;
    chart
        .configure_mesh()
        .light_line_style(palette.grid)
        .bold_line_style(palette.grid)
        .axis_style(palette.marker)
        .x_desc("days before the event")
        .x_label_formatter(&|x| format!("{:.0}", x.abs()))
        .y_label_formatter(&|y| format!("{:.0}%", y * 100.0))
        .label_style(font(11.0))
        .axis_desc_style(font(11.0))
        .draw()?;
    let line = |values: Vec<(f64, f64)>, color: RGBColor, width: f64| {
        LineSeries::new(values, color.stroke_width((width * s).max(1.0) as u32))
    };
    let model: Vec<(f64, f64)> = b
        .by_day
        .iter()
        .map(|d| (-(d.days_before as f64), d.model.min(worst)))
        .collect();
    let naive: Vec<(f64, f64)> = b
        .by_day
        .iter()
        .map(|d| (-(d.days_before as f64), d.naive_baseline.min(worst)))
        .collect();
    let additive: Vec<(f64, f64)> = b
        .by_day
        .iter()
        .filter_map(|d| Some((-(d.days_before as f64), d.additive_baseline?.min(worst))))
        .collect();
    let names: Vec<&str> = b.scores.iter().map(|m| m.method.as_str()).collect();
    let label = |i: usize, fallback: &str| names.get(i).copied().unwrap_or(fallback).to_string();
    chart
        .draw_series(line(model, palette.attendance, 2.5))?
        .label(label(0, "Turnout forecast"))
        .legend(move |(x, y)| {
            PathElement::new(
                vec![(x, y), (x + 16, y)],
                palette.attendance.stroke_width(3),
            )
        });
    if !additive.is_empty() {
        chart
            .draw_series(line(additive, palette.cumulative, 1.5))?
            .label(label(1, "Additive pickup"))
            .legend(move |(x, y)| {
                PathElement::new(
                    vec![(x, y), (x + 16, y)],
                    palette.cumulative.stroke_width(2),
                )
            });
    }
    chart
        .draw_series(line(naive, palette.flagged, 1.5))?
        .label(label(
            b.scores.len().saturating_sub(1),
            "Registrations × 0.6",
        ))
        .legend(move |(x, y)| {
            PathElement::new(vec![(x, y), (x + 16, y)], palette.flagged.stroke_width(2))
        });
    draw_legend(&mut chart, palette, 11.0 * s)
}
