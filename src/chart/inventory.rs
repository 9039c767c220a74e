//! The inventory chart: one item's stock over a sale, sold at the bottom, unpaid holds as a
//! band above it, and the stretches when it looked sold out with stock unsold.

use jiff::tz::TimeZone;
use plotters::coord::Shift;
use plotters::prelude::*;

use super::{DrawResult, Glyph, Legend, Palette, draw_message, register_fonts, y_label_count};
use crate::analysis::holds::ItemSeries;
use crate::timefmt::LocalClock;

/// Draws `item` from `start` to `end` (UTC seconds), times labelled in `tz`.
pub fn draw_inventory<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    item: Option<&ItemSeries>,
    (start, end): (i64, i64),
    tz: &TimeZone,
    palette: &Palette,
    text_scale: f64,
) -> DrawResult<(), DB> {
    register_fonts();
    root.fill(&palette.background)?;
    let s = text_scale;
    let font = |size: f64| ("sans-serif", size * s).into_font().color(&palette.text);
    let Some(item) = item.filter(|i| !i.points.is_empty()) else {
        return draw_message(
            root,
            "No holds to show: open a cart log, an order export or quota snapshots (File menu).",
            palette,
            s,
        );
    };
    let hours = |t: i64| (t - start) as f64 / 3600.0;
    let span = hours(end).max(1.0 / 60.0);
    let top = (item
        .stock
        .max(item.points.iter().map(|p| p.1 + p.2).max().unwrap_or(0)) as f64
        * 1.12)
        .max(1.0);
    // A sale spans days, not seasons: the offset at its start labels all of it.
    let offset = LocalClock::new(tz.clone()).offset(start) as i64;
    let label = move |x: f64| {
        let wall = start + (x * 3600.0) as i64 + offset;
        let day = wall.div_euclid(86_400);
        let minutes = wall.rem_euclid(86_400) / 60;
        format!(
            "{} {:02}:{:02}",
            &crate::timefmt::date(day)[5..],
            minutes / 60,
            minutes % 60
        )
    };
    let legend_w = 210.0 * s;
    let beside = Legend::fits_beside(root.dim_in_pixel().0 as f64, legend_w, s);
    let mut legend = Legend::default();
    let mut chart = ChartBuilder::on(root)
        .margin((8.0 * s) as i32)
        .margin_top((8.0 * s + if beside { 0.0 } else { 36.0 * s }) as i32)
        .margin_right((8.0 * s + if beside { legend_w } else { 0.0 }) as i32)
        .caption(
            format!(
                "{}: stock {}{}",
                item.item,
                crate::report::thousands(item.stock),
                if item.stock_inferred {
                    " (most ever sold + held at once)"
                } else {
                    ""
                }
            ),
            font(14.0),
        )
        .x_label_area_size((24.0 * s) as i32)
        .y_label_area_size((50.0 * s) as i32)
        .build_cartesian_2d(0.0..span, 0.0..top)?;
    let plot_height = {
        let (_, yr) = chart.plotting_area().get_pixel_range();
        (yr.end - yr.start) as f64
    };
    chart
        .configure_mesh()
        .light_line_style(palette.grid)
        .bold_line_style(palette.grid)
        .axis_style(palette.marker)
        .max_light_lines(1)
        .x_labels(6)
        .y_labels(y_label_count(plot_height, s))
        .x_label_formatter(&|x| label(*x))
        .y_label_formatter(&|y| crate::report::thousands(y.max(0.0) as u64))
        .label_style(font(11.0))
        .draw()?;
    // Looked sold out while stock was unsold.
    let shade = palette.flagged.mix(0.16);
    chart.draw_series(item.false_soldout.iter().map(|&(a, b)| {
        Rectangle::new(
            [
                (hours(a), 0.0),
                (hours(b).max(hours(a) + span / 800.0), top),
            ],
            shade.filled(),
        )
    }))?;
    legend.note("looked sold out, stock unsold", Glyph::Box(shade));
    let sold: Vec<(f64, f64)> = item
        .points
        .iter()
        .map(|p| (hours(p.0), p.1 as f64))
        .collect();
    let held_top: Vec<(f64, f64)> = item
        .points
        .iter()
        .map(|p| (hours(p.0), (p.1 + p.2) as f64))
        .collect();
    // Each value holds until the next change: one rectangle per stretch (concave polygons do
    // not fill reliably on every backend).
    let stretches = |values: &[(f64, f64)]| -> Vec<(f64, f64, f64)> {
        values
            .iter()
            .enumerate()
            .map(|(k, &(x, y))| (x, values.get(k + 1).map_or(span, |n| n.0), y))
            .collect()
    };
    let sold_st = stretches(&sold);
    let top_st = stretches(&held_top);
    let held_colour = palette.flagged.mix(0.55);
    chart.draw_series(
        sold_st
            .iter()
            .zip(&top_st)
            .filter(|(a, b)| b.2 > a.2 && a.1 > a.0)
            .map(|(a, b)| Rectangle::new([(a.0, a.2), (a.1, b.2)], held_colour.filled())),
    )?;
    legend.note("held in unpaid carts", Glyph::Box(held_colour));
    let sold_colour = palette.genuine.mix(0.8);
    chart.draw_series(
        sold_st
            .iter()
            .filter(|a| a.2 > 0.0 && a.1 > a.0)
            .map(|a| Rectangle::new([(a.0, 0.0), (a.1, a.2)], sold_colour.filled())),
    )?;
    legend.note("sold", Glyph::Box(sold_colour));
    let stock = item.stock as f64;
    let stock_style = palette.capacity.stroke_width((2.0 * s) as u32);
    chart.draw_series(LineSeries::new([(0.0, stock), (span, stock)], stock_style))?;
    legend.note("stock", Glyph::Line(stock_style));
    legend.place(
        root,
        chart.plotting_area().get_pixel_range(),
        beside,
        palette,
        s,
    )
}
