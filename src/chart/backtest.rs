//! The backtest chart: how far off each method was, by days before the event.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::{DrawResult, Glyph, Legend, Palette, draw_message, register_fonts, y_label_count};
use crate::analysis::forecast::Backtest;

/// Below this height (pixels at scale 1) the chart leaves its caption out.
const COMPACT_HEIGHT: f64 = 240.0;
/// Below this size the chart says how to make room instead of drawing.
const MIN_HEIGHT: f64 = 90.0;
const MIN_WIDTH: f64 = 420.0;

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
    let (width, height) = root.dim_in_pixel();
    let (width, height) = (width as f64, height as f64);
    // A short area (a bottom panel on a laptop screen) drops the caption and keeps the
    // legend beside the plot, so the plot keeps its height; too short even for that, it says
    // how to see the chart instead of drawing axes over each other.
    let compact = height < COMPACT_HEIGHT * s;
    if height < MIN_HEIGHT * s || width < MIN_WIDTH * s {
        let how = if width < MIN_WIDTH * s {
            "Backtest chart: widen the window, or narrow the side panels, to make room for it."
        } else {
            "Backtest chart: drag the panel's top edge up to make room for it."
        };
        return draw_message(root, how, palette, s);
    }
    let beside = Legend::fits_beside(width, legend_w, s) || compact;
    let mut legend = Legend::default();
    let mut builder = ChartBuilder::on(root);
    builder
        .margin((8.0 * s) as i32)
        .margin_top((12.0 * s + if beside { 0.0 } else { 36.0 * s }) as i32)
        .margin_right((8.0 * s + if beside { legend_w } else { 0.0 }) as i32)
        .x_label_area_size((34.0 * s) as i32)
        .y_label_area_size((48.0 * s) as i32);
    if !compact {
        builder.caption(
            "Backtest: mean error by days before the event (lower is better)",
            font(14.0),
        );
    }
    let mut chart = builder.build_cartesian_2d(-(days + 0.5)..0.5, 0.0..worst * 1.08)?;
    let plot_height = {
        let (_, yr) = chart.plotting_area().get_pixel_range();
        (yr.end - yr.start) as f64
    };
    chart
        .configure_mesh()
        .light_line_style(palette.grid.mix(0.4))
        .bold_line_style(palette.grid)
        .max_light_lines(1)
        .axis_style(palette.marker)
        .x_desc("days before the event")
        .y_labels(y_label_count(plot_height, s).min(5))
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::forecast::backtest::BacktestDay;

    fn svg(size: (u32, u32)) -> String {
        let b = Backtest {
            by_day: (0..=28)
                .map(|d| BacktestDay {
                    days_before: d,
                    model: 0.05 + d as f64 * 0.01,
                    additive_baseline: Some(0.1 + d as f64 * 0.01),
                    naive_baseline: 0.5,
                    baseline_a: Some(1.0 - d as f64 * 0.02),
                    baseline_c: Some(0.3),
                })
                .collect(),
            ..Backtest::default()
        };
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
            draw_backtest(&root, Some(&b), &Palette::light(), 1.0).unwrap();
            root.present().unwrap();
        }
        svg
    }

    /// The y labels' pixel rows, top to bottom.
    fn y_label_rows(svg: &str) -> Vec<f64> {
        svg.split("<text")
            .skip(1)
            .filter(|t| {
                t.split('>')
                    .nth(1)
                    .and_then(|v| v.split('<').next())
                    .is_some_and(|v| v.trim().ends_with('%'))
            })
            .filter_map(|t| {
                let y = t.split("y=\"").nth(1)?.split('"').next()?;
                y.parse().ok()
            })
            .collect()
    }

    /// A laptop's bottom panel gives the chart about 110 pixels: the caption goes, the legend
    /// stands beside the plot and the axis labels keep apart. Too short even for that, it says
    /// how to make room rather than drawing axes over each other.
    #[test]
    fn a_short_panel_keeps_the_plot_readable() {
        let tall = svg((700, 320));
        assert!(tall.contains("mean error by days before the event"));
        let short = svg((700, 110));
        assert!(!short.contains("mean error by days before the event"));
        assert!(short.contains("Turnout forecast"));
        let rows = y_label_rows(&short);
        assert!(rows.len() >= 2, "{short}");
        assert!(
            rows.windows(2).all(|w| (w[1] - w[0]).abs() >= 12.0),
            "{rows:?}"
        );
        let tiny = svg((700, 60));
        assert!(tiny.contains("drag the panel"), "{tiny}");
        assert!(y_label_rows(&tiny).is_empty());
        let narrow = svg((300, 300));
        assert!(narrow.contains("widen the window"), "{narrow}");
    }
}
