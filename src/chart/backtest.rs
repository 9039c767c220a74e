//! The backtest chart: how far off each method was, by days before the event.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::{DrawResult, Glyph, Legend, Palette, draw_message, register_fonts};
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
    let w = b.unit.words();
    let (name_a, name_c) = (
        w.method("A: registrations × past show-up"),
        w.method("C: mean past attendance"),
    );
    let days = b.by_day.last().map_or(1, |d| d.days_before).max(1) as f64;
    let worst = b
        .by_day
        .iter()
        .flat_map(|d| {
            [
                Some(d.model),
                d.baseline_a,
                d.additive_baseline,
                d.baseline_c,
            ]
        })
        .flatten()
        .fold(0.1f64, f64::max)
        .min(3.0);
    let legend_w = 230.0 * s;
    let beside = Legend::fits_beside(root.dim_in_pixel().0 as f64, legend_w, s);
    let mut legend = Legend::default();
    let mut chart = ChartBuilder::on(root)
        .margin((8.0 * s) as i32)
        .margin_top((12.0 * s + if beside { 0.0 } else { 36.0 * s }) as i32)
        .margin_right((8.0 * s + if beside { legend_w } else { 0.0 }) as i32)
        .caption(
            "Backtest: mean error by days before the event (lower is better)",
            font(14.0),
        )
        .x_label_area_size((34.0 * s) as i32)
        .y_label_area_size((48.0 * s) as i32)
        .build_cartesian_2d(-(days + 0.5)..0.5, 0.0..worst * 1.08)?;
    chart
        .configure_mesh()
        .light_line_style(palette.grid.mix(0.4))
        .bold_line_style(palette.grid)
        .max_light_lines(1)
        .axis_style(palette.marker)
        .x_desc("days before the event")
        .y_labels(5)
        .x_label_formatter(&|x| format!("{:.0}", x.abs()))
        .y_label_formatter(&|y| format!("{:.0}%", y * 100.0))
        .label_style(font(11.0))
        .axis_desc_style(font(11.0))
        .draw()?;
    let series = |f: &dyn Fn(&crate::analysis::forecast::backtest::BacktestDay) -> Option<f64>| {
        b.by_day
            .iter()
            .filter_map(|d| Some((-(d.days_before as f64), f(d)?.min(worst))))
            .collect::<Vec<(f64, f64)>>()
    };
    type Line<'a> = (Vec<(f64, f64)>, RGBColor, f64, &'a str);
    let lines: [Line; 4] = [
        (
            series(&|d| Some(d.model)),
            palette.attendance,
            2.5,
            "Turnout forecast",
        ),
        (
            series(&|d| d.baseline_a),
            palette.flagged,
            1.5,
            name_a.as_ref(),
        ),
        (
            series(&|d| d.additive_baseline),
            palette.cumulative,
            1.5,
            "B: additive pickup × past show-up",
        ),
        (
            series(&|d| d.baseline_c),
            palette.marker,
            1.5,
            name_c.as_ref(),
        ),
    ];
    for (values, color, width, name) in lines {
        if values.is_empty() {
            continue;
        }
        let style = color.stroke_width((width * s).max(1.0) as u32);
        chart.draw_series(LineSeries::new(values, style))?;
        legend.note(name, Glyph::Line(style));
    }
    legend.place(
        root,
        chart.plotting_area().get_pixel_range(),
        beside,
        palette,
        s,
    )
}
