//! Charts as functions of (data, view, palette) → drawing, on any plotters backend: the
//! dashboard paints them with egui, exports write PNG and SVG from the very same code.

mod backtest;
mod data;
pub mod fonts;
mod inventory;

pub use backtest::draw_backtest;
pub use inventory::draw_inventory;

pub use data::{Bin, Breakdown, ChartData, DayBar, HOURS_WHEN_ZOOMED};
pub use fonts::register_fonts;

use plotters::coord::Shift;
use plotters::coord::ranged1d::{
    BoldPoints, DefaultFormatting, KeyPointHint, LightPoints, Ranged, ReversibleRanged,
};
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Colours of one theme.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Palette {
    pub background: RGBColor,
    pub text: RGBColor,
    pub grid: RGBColor,
    pub genuine: RGBColor,
    pub flagged: RGBColor,
    pub cumulative: RGBColor,
    pub capacity: RGBColor,
    pub overflow: RGBColor,
    pub attendance: RGBColor,
    pub marker: RGBColor,
}

impl Palette {
    pub fn light() -> Palette {
        Palette {
            background: RGBColor(255, 255, 255),
            text: RGBColor(30, 30, 35),
            grid: RGBColor(225, 225, 230),
            genuine: RGBColor(66, 133, 200),
            flagged: RGBColor(224, 120, 60),
            cumulative: RGBColor(20, 60, 120),
            capacity: RGBColor(200, 30, 45),
            overflow: RGBColor(150, 80, 160),
            attendance: RGBColor(40, 150, 80),
            marker: RGBColor(90, 90, 100),
        }
    }

    pub fn dark() -> Palette {
        Palette {
            background: RGBColor(27, 27, 30),
            text: RGBColor(225, 225, 230),
            grid: RGBColor(55, 55, 62),
            genuine: RGBColor(90, 160, 230),
            flagged: RGBColor(240, 140, 70),
            cumulative: RGBColor(160, 200, 255),
            capacity: RGBColor(255, 90, 100),
            overflow: RGBColor(200, 140, 220),
            attendance: RGBColor(90, 210, 130),
            marker: RGBColor(160, 160, 170),
        }
    }
}

/// How the chart is looked at: visible time range (in local days) and axis scale.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ChartView {
    /// Visible range in local days since 1970; `None` = everything.
    pub days: Option<(f64, f64)>,
    pub log_scale: bool,
    /// Multiplies every font size (1.0 on screen at 1 pixel per point).
    pub text_scale: f64,
}

impl Default for ChartView {
    fn default() -> Self {
        ChartView {
            days: None,
            log_scale: true,
            text_scale: 1.0,
        }
    }
}

/// Where the plotting area ended up, to turn pointer positions back into days.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct ChartGeometry {
    /// Plot area in backend pixels: x from `left` to `right`, y from `top` to `bottom`.
    pub left: i32,
    pub right: i32,
    pub top: i32,
    pub bottom: i32,
    /// Local days at `left` and `right`.
    pub days: (f64, f64),
}

impl ChartGeometry {
    /// Local day (fractional) at a backend x coordinate.
    pub fn day_at(&self, x: f64) -> f64 {
        let w = (self.right - self.left).max(1) as f64;
        self.days.0 + (x - self.left as f64) / w * (self.days.1 - self.days.0)
    }
}

type DrawResult<T, DB> = Result<T, DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

fn y_value(v: f64, log: bool) -> f64 {
    if log { v.max(1.0).log10() } else { v }
}

fn y_label(y: f64, log: bool) -> String {
    if log {
        if (y - y.round()).abs() > 1e-6 {
            return String::new();
        }
        crate::report::thousands(10f64.powf(y.round()) as u64)
    } else {
        crate::report::thousands(y.max(0.0).round() as u64)
    }
}

fn day_label(d: f64, with_year: bool) -> String {
    // Ticks between midnights would repeat the day's name: leave them unlabelled.
    if (d - d.round()).abs() > 0.01 {
        return String::new();
    }
    let (y, m, day) = crate::import::timestamp::civil_from_days(d.round() as i64);
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let month = MONTHS[(m as usize).saturating_sub(1) % 12];
    if with_year {
        format!("{month} {day}, {y}")
    } else {
        format!("{month} {day}")
    }
}

/// An axis label within a close zoom: the hour, with the day at midnight.
fn hour_label(d: f64) -> String {
    let minutes = ((d - d.floor()) * 1440.0).round() as i64;
    if minutes == 0 || minutes == 1440 {
        return day_label(d.round(), false);
    }
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

/// The time axis (local days) with its ticks: plotters' own when showing days; on whole
/// hours (every 1, 2, 3, 4, 6 or 12) when zoomed to hours, not at decimal fractions of a day
/// (04:48, 07:12).
struct TimeAxis {
    inner: RangedCoordf64,
    bold: Vec<f64>,
    light: Vec<f64>,
}

impl Ranged for TimeAxis {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        self.inner.map(value, limit)
    }

    fn key_points<H: KeyPointHint>(&self, hint: H) -> Vec<f64> {
        if hint.weight().allow_light_points() {
            self.light.clone()
        } else {
            self.bold.clone()
        }
    }

    fn range(&self) -> std::ops::Range<f64> {
        self.inner.range()
    }
}

impl ReversibleRanged for TimeAxis {
    fn unmap(&self, input: i32, limit: (i32, i32)) -> Option<f64> {
        self.inner.unmap(input, limit)
    }
}

fn time_axis(x0: f64, x1: f64, labels: usize) -> TimeAxis {
    let inner: RangedCoordf64 = (x0..x1).into();
    let (bold, light) = if x1 - x0 <= HOURS_WHEN_ZOOMED {
        let step = [1.0, 2.0, 3.0, 4.0, 6.0, 12.0, 24.0]
            .into_iter()
            .find(|h| (x1 - x0) * 24.0 / h <= labels as f64)
            .unwrap_or(24.0)
            / 24.0;
        let ticks = |step: f64| -> Vec<f64> {
            let first = (x0 / step).ceil() as i64;
            let last = (x1 / step).floor() as i64;
            (first..=last.min(first + 200))
                .map(|k| k as f64 * step)
                .collect()
        };
        (ticks(step), ticks(step / 2.0))
    } else {
        (
            inner.key_points(BoldPoints(labels)),
            inner.key_points(LightPoints::new(labels, labels)),
        )
    };
    TimeAxis { inner, bold, light }
}

/// Whether axis labels need the year: the range spans years or is not in the current one
/// (a file read four years off must not pass unnoticed).
fn needs_year((x0, x1): (f64, f64)) -> bool {
    let year = |d: f64| crate::import::timestamp::civil_from_days(d.floor() as i64).0 as i64;
    let now = jiff::Timestamp::now().as_second().div_euclid(86_400) as f64;
    year(x0) != year(x1) || year(x0) != year(now)
}

/// Draws the main chart: daily signups as bars (flagged ones as their own layer), cumulative
/// registrations, capacity and overflow lines, expected attendance with its P10–P90 band at the
/// event start, and the event-start and as-of markers.
pub fn draw_main<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    data: &ChartData,
    view: &ChartView,
    palette: &Palette,
) -> DrawResult<ChartGeometry, DB> {
    register_fonts();
    root.fill(&palette.background)?;
    let log = view.log_scale;
    let s = view.text_scale;
    let words = data.unit.words();
    let font = |size: f64| ("sans-serif", size * s).into_font().color(&palette.text);
    let (x0, x1) = view.days.unwrap_or(data.full_range());
    if let Some(n) = data.undated_only() {
        let text = format!(
            "{}: no registration has a signup time, so there is no timeline to draw \
             ({} counted as they stand)",
            data.title,
            crate::report::thousands(n)
        );
        draw_message(root, &text, palette, s)?;
        let (w, h) = root.dim_in_pixel();
        return Ok(ChartGeometry {
            left: 0,
            right: w as i32,
            top: 0,
            bottom: h as i32,
            days: (x0, x1),
        });
    }
    let with_year = needs_year((x0, x1));
    let top = data.y_max() * if log { 3.0 } else { 1.08 };
    let y_top = y_value(top.max(10.0), log);
    // The legend goes beside the plot when there is room, so it never hides the data.
    // Where there is no room beside, it goes in rows above the plot.
    let legend_w = 180.0 * s;
    let width = root.dim_in_pixel().0 as f64;
    let beside = Legend::fits_beside(width, legend_w, s);
    let above_rows = if beside {
        0
    } else if width > 560.0 * s {
        2
    } else {
        3
    };
    // Labels with the year ("Mar 30, 2016", about 95 px at 12 px type) as many as fit the
    // plot's width: at 1366×768 beside the panels, six of them touched. Short ones ("Mar 30")
    // fit eight.
    let plot_w = width - (2.0 * 10.0 + 34.0 + 64.0) * s - if beside { legend_w } else { 0.0 };
    let x_labels = if with_year {
        ((plot_w / (95.0 * s)).floor() as usize).clamp(3, 6)
    } else {
        8
    };
    let mut chart = ChartBuilder::on(root)
        .margin((10.0 * s) as i32)
        .margin_top((10.0 * s + above_rows as f64 * 18.0 * s) as i32)
        .margin_right(((if beside { legend_w } else { 0.0 }) + 34.0 * s) as i32)
        .caption(&data.title, font(17.0))
        .x_label_area_size((28.0 * s) as i32)
        .y_label_area_size((64.0 * s) as i32)
        .build_cartesian_2d(time_axis(x0, x1, x_labels), 0.0..y_top)?;
    chart
        .configure_mesh()
        .light_line_style(palette.grid.mix(0.4))
        .bold_line_style(palette.grid)
        .max_light_lines(1)
        .axis_style(palette.marker)
        .x_labels(x_labels)
        .y_labels(if log {
            2 * y_top.ceil() as usize + 1
        } else {
            8
        })
        .x_label_formatter(&|d| {
            if x1 - x0 <= HOURS_WHEN_ZOOMED {
                hour_label(*d)
            } else {
                day_label(*d, with_year)
            }
        })
        .y_label_formatter(&|y| y_label(*y, log))
        .label_style(font(12.0))
        .y_desc(if log {
            format!("{} (log scale)", words.registrations)
        } else {
            words.registrations.to_string()
        })
        .axis_desc_style(font(12.0))
        .draw()?;

    let mut legend = Legend::default();
    // Burst windows, shaded behind everything.
    let bursts: Vec<(f64, f64)> = data
        .bursts
        .iter()
        .filter(|(a, b)| *b > x0 && *a < x1)
        .map(|&(a, b)| (a.max(x0), b.min(x1)))
        .collect();
    if !bursts.is_empty() {
        chart
            .draw_series(bursts.iter().map(|&(a, b)| {
                Rectangle::new([(a, 0.0), (b, y_top)], palette.flagged.mix(0.15).filled())
            }))?
            .label(legend.note("burst windows", Glyph::Box(palette.flagged.mix(0.25))))
            .legend(move |(x, y)| {
                Rectangle::new(
                    [(x, y - 5), (x + 12, y + 5)],
                    palette.flagged.mix(0.25).filled(),
                )
            });
    }
    // Bars (hours when zoomed close): genuine below, flagged stacked on top; cut to the
    // visible days.
    let bars = data.bars_for((x0, x1));
    let bar_name = ChartData::bar_name(bars, data.unit);
    let visible = |d: &&DayBar| d.day + 0.9 * d.span() > x0 && d.day + 0.1 * d.span() < x1;
    let bar = |d: &DayBar, lo: f64, hi: f64, color: RGBColor| {
        Rectangle::new(
            [
                ((d.day + 0.1 * d.span()).max(x0), y_value(lo, log)),
                ((d.day + 0.9 * d.span()).min(x1), y_value(hi, log)),
            ],
            color.mix(0.85).filled(),
        )
    };
    chart
        .draw_series(
            bars.iter()
                .filter(visible)
                .filter(|d| d.genuine > 0)
                .map(|d| bar(d, 0.0, d.genuine as f64, palette.genuine)),
        )?
        .label(legend.note(bar_name, Glyph::Box(palette.genuine.mix(1.0))))
        .legend(move |(x, y)| {
            Rectangle::new([(x, y - 5), (x + 12, y + 5)], palette.genuine.filled())
        });
    if bars.iter().any(|d| d.flagged > 0) {
        chart
            .draw_series(
                bars.iter()
                    .filter(visible)
                    .filter(|d| d.flagged > 0)
                    .map(|d| {
                        bar(
                            d,
                            d.genuine as f64,
                            (d.genuine + d.flagged) as f64,
                            palette.flagged,
                        )
                    }),
            )?
            .label(legend.note(
                &format!("flagged {}", words.signups),
                Glyph::Box(palette.flagged.mix(1.0)),
            ))
            .legend(move |(x, y)| {
                Rectangle::new([(x, y - 5), (x + 12, y + 5)], palette.flagged.filled())
            });
    }
    // Cumulative lines: all registrations, and genuine ones when some are flagged.
    // Cumulative lines start from zero at the first day's beginning.
    let line = |f: &dyn Fn(&DayBar) -> u64| -> Vec<(f64, f64)> {
        let start = bars.first().map(|d| (d.day, y_value(0.0, log)));
        let points: Vec<(f64, f64)> = start
            .into_iter()
            .chain(
                bars.iter()
                    .map(|d| (d.day + d.span(), y_value(f(d) as f64, log))),
            )
            .collect();
        clip_polyline(&points, x0, x1)
    };
    let cum_style = ShapeStyle::from(&palette.cumulative).stroke_width((2.0 * s) as u32);
    chart
        .draw_series(LineSeries::new(line(&|d| d.cumulative_all), cum_style))?
        .label(legend.note(
            &format!("{} so far", words.registrations),
            Glyph::Line(cum_style),
        ))
        .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 14, y)], cum_style));
    if bars.iter().any(|d| d.flagged > 0) {
        let style = ShapeStyle::from(&palette.cumulative.mix(0.6)).stroke_width((2.0 * s) as u32);
        chart
            .draw_series(DashedLineSeries::new(
                line(&|d| d.cumulative_genuine),
                (6.0 * s) as u32,
                (4.0 * s) as u32,
                style,
            ))?
            .label(legend.note("not flagged, so far", Glyph::Line(style)))
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 14, y)], style));
    }
    // Capacity and overflow.
    let hline = |v: f64, color: RGBColor| {
        let style = ShapeStyle::from(&color).stroke_width((2.0 * s) as u32);
        (
            PathElement::new(vec![(x0, y_value(v, log)), (x1, y_value(v, log))], style),
            style,
        )
    };
    if data.capacity > 0 {
        let (path, style) = hline(data.capacity as f64, palette.capacity);
        chart
            .draw_series(std::iter::once(path))?
            .label(legend.note(
                &format!("capacity {}", crate::report::thousands(data.capacity)),
                Glyph::Line(style),
            ))
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 14, y)], style));
        if data.overflow > 0 {
            let total = data.capacity + data.overflow;
            let (path, style) = hline(total as f64, palette.overflow);
            chart
                .draw_series(std::iter::once(path))?
                .label(legend.note(
                    &format!("with overflow {}", crate::report::thousands(total)),
                    Glyph::Line(style),
                ))
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 14, y)], style));
        }
    }
    // Event start, as-of, and expected attendance at the event.
    let vline = |d: f64, color: RGBColor| {
        PathElement::new(
            vec![(d, 0.0), (d, y_top)],
            ShapeStyle::from(&color.mix(0.8)).stroke_width((1.0 * s).max(1.0) as u32),
        )
    };
    let in_view = |d: f64| d >= x0 && d <= x1;
    if let Some(as_of) = data.as_of.filter(|d| in_view(*d)) {
        chart.draw_series(std::iter::once(vline(as_of, palette.marker)))?;
        chart.draw_series(std::iter::once(Text::new(
            "as of ",
            (as_of, y_top * 0.97),
            font(11.0).pos(Pos::new(HPos::Right, VPos::Top)),
        )))?;
    }
    if let Some(since) = data.since.filter(|d| *d > x0) {
        // Before the date range: greyed, the numbers do not count it.
        chart.draw_series(std::iter::once(Rectangle::new(
            [(x0, 0.0), (since.min(x1), y_top)],
            palette.grid.mix(0.35).filled(),
        )))?;
        if in_view(since) {
            chart.draw_series(std::iter::once(vline(since, palette.marker)))?;
            chart.draw_series(std::iter::once(Text::new(
                " counted from",
                (since, y_top * 0.97),
                font(11.0).pos(Pos::new(HPos::Left, VPos::Top)),
            )))?;
        }
    }
    if let Some(start) = data.event_start.filter(|d| in_view(*d)) {
        chart.draw_series(std::iter::once(vline(start, palette.text)))?;
        chart.draw_series(std::iter::once(Text::new(
            "event start ",
            (start, y_top * 0.92),
            font(11.0).pos(Pos::new(HPos::Right, VPos::Top)),
        )))?;
        if let Some(q) = data.attendance {
            let w = ((x1 - x0) / 120.0).max(0.15);
            chart
                .draw_series(std::iter::once(Rectangle::new(
                    [
                        (start - w, y_value(q.p10, log)),
                        (start + w, y_value(q.p90, log)),
                    ],
                    palette.attendance.mix(0.35).filled(),
                )))?
                .label(legend.note(
                    &format!(
                        "expected {} {}–{}",
                        words.attendance,
                        crate::report::thousands(q.p10.round() as u64),
                        crate::report::thousands(q.p90.round() as u64)
                    ),
                    Glyph::Box(palette.attendance.mix(0.5)),
                ))
                .legend(move |(x, y)| {
                    Rectangle::new(
                        [(x, y - 5), (x + 12, y + 5)],
                        palette.attendance.mix(0.5).filled(),
                    )
                });
            chart.draw_series(std::iter::once(Circle::new(
                (start, y_value(q.p50, log)),
                (4.0 * s) as i32,
                palette.attendance.filled(),
            )))?;
        }
    }
    legend.place(
        root,
        chart.plotting_area().get_pixel_range(),
        beside,
        palette,
        s,
    )?;
    let (xr, yr) = chart.plotting_area().get_pixel_range();
    Ok(ChartGeometry {
        left: xr.start,
        right: xr.end,
        top: yr.start,
        bottom: yr.end,
        days: (x0, x1),
    })
}

/// The part of a polyline between `x0` and `x1`, with end points interpolated at the edges.
fn clip_polyline(points: &[(f64, f64)], x0: f64, x1: f64) -> Vec<(f64, f64)> {
    let at = |a: (f64, f64), b: (f64, f64), x: f64| {
        let t = if b.0 == a.0 {
            0.0
        } else {
            (x - a.0) / (b.0 - a.0)
        };
        (x, a.1 + t * (b.1 - a.1))
    };
    let mut out = Vec::with_capacity(points.len());
    for w in points.windows(2) {
        let (a, b) = (w[0], w[1]);
        if b.0 < x0 || a.0 > x1 {
            continue;
        }
        let a = if a.0 < x0 { at(a, b, x0) } else { a };
        let b = if b.0 > x1 { at(w[0], b, x1) } else { b };
        if out.last() != Some(&a) {
            out.push(a);
        }
        out.push(b);
    }
    if points.len() == 1 && points[0].0 >= x0 && points[0].0 <= x1 {
        out.push(points[0]);
    }
    out
}

/// How many y-axis labels a plot `height` pixels tall has room for at text scale `s` (one per
/// 28 pixels, 2 to 10): a bottom panel on a laptop screen leaves a plot of 60 pixels, where
/// ten labels print over each other.
pub(crate) fn y_label_count(height: f64, s: f64) -> usize {
    (height / (28.0 * s)).floor().clamp(2.0, 10.0) as usize
}

/// How a legend entry is drawn.
#[derive(Clone, Copy)]
pub(crate) enum Glyph {
    Box(RGBAColor),
    Line(ShapeStyle),
}

/// Legend entries kept while series are drawn, for a legend beside the plot (plotters' own
/// legend is drawn inside the plotting area, over the data).
#[derive(Default)]
pub(crate) struct Legend {
    items: Vec<(String, Glyph)>,
}

impl Legend {
    /// Keeps an entry and returns its label for plotters.
    pub(crate) fn note(&mut self, label: &str, glyph: Glyph) -> String {
        self.items.push((label.to_string(), glyph));
        label.to_string()
    }

    /// Where a legend of `legend_w` pixels goes on a chart `width` pixels wide: beside the
    /// plot when there is room (`true`), else in rows above it.
    pub(crate) fn fits_beside(width: f64, legend_w: f64, s: f64) -> bool {
        width > 480.0 * s + legend_w
    }

    /// Draws the legend beside the plot whose pixel ranges are `(xr, yr)`, or in rows above
    /// it: never over the data.
    pub(crate) fn place<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        (xr, yr): (std::ops::Range<i32>, std::ops::Range<i32>),
        beside: bool,
        palette: &Palette,
        s: f64,
    ) -> DrawResult<(), DB> {
        if beside {
            self.draw(root, (xr.end + (12.0 * s) as i32, yr.start), palette, s)
        } else {
            let top = (8.0 * s) as i32;
            self.draw_rows(root, (xr.start, top), xr.end - xr.start, palette, s)
        }
    }

    /// Draws the entries in rows from `(x, y)`, wrapping at `width` pixels.
    fn draw_rows<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        (x, y): (i32, i32),
        width: i32,
        palette: &Palette,
        s: f64,
    ) -> DrawResult<(), DB> {
        let step = (18.0 * s) as i32;
        let font = ("sans-serif", 11.0 * s).into_font().color(&palette.text);
        let w = (12.0 * s) as i32;
        let (mut cx, mut cy) = (x, y + step / 2);
        for (label, glyph) in &self.items {
            let text_w = root
                .estimate_text_size(label, &font)
                .map_or(label.len() as i32 * 7, |(tw, _)| tw as i32);
            let item_w = w + (4.0 * s) as i32 + text_w + (14.0 * s) as i32;
            if cx > x && cx + item_w > x + width {
                cx = x;
                cy += step;
            }
            match glyph {
                Glyph::Box(c) => {
                    root.draw(&Rectangle::new(
                        [(cx, cy - (4.0 * s) as i32), (cx + w, cy + (4.0 * s) as i32)],
                        c.filled(),
                    ))?;
                }
                Glyph::Line(style) => {
                    root.draw(&PathElement::new(vec![(cx, cy), (cx + w, cy)], *style))?;
                }
            }
            root.draw(&Text::new(
                label.clone(),
                (cx + w + (4.0 * s) as i32, cy),
                font.clone().pos(Pos::new(HPos::Left, VPos::Center)),
            ))?;
            cx += item_w;
        }
        Ok(())
    }

    /// Draws the entries downwards from `(x, y)` (pixels of `root`).
    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        (x, y): (i32, i32),
        palette: &Palette,
        s: f64,
    ) -> DrawResult<(), DB> {
        let step = (18.0 * s) as i32;
        let font = ("sans-serif", 12.0 * s).into_font().color(&palette.text);
        for (k, (label, glyph)) in self.items.iter().enumerate() {
            let cy = y + step / 2 + k as i32 * step;
            let w = (14.0 * s) as i32;
            match glyph {
                Glyph::Box(c) => {
                    root.draw(&Rectangle::new(
                        [(x, cy - (5.0 * s) as i32), (x + w, cy + (5.0 * s) as i32)],
                        c.filled(),
                    ))?;
                }
                Glyph::Line(style) => {
                    root.draw(&PathElement::new(vec![(x, cy), (x + w, cy)], *style))?;
                }
            }
            root.draw(&Text::new(
                label.clone(),
                (x + w + (6.0 * s) as i32, cy),
                font.clone().pos(Pos::new(HPos::Left, VPos::Center)),
            ))?;
        }
        Ok(())
    }
}

/// A chart with nothing to draw: the background and one line saying why.
fn draw_message<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    text: &str,
    palette: &Palette,
    text_scale: f64,
) -> DrawResult<(), DB> {
    let font = ("sans-serif", 13.0 * text_scale)
        .into_font()
        .color(&palette.text);
    root.draw(&Text::new(
        text.to_string(),
        ((12.0 * text_scale) as i32, (24.0 * text_scale) as i32),
        font,
    ))
}

/// Draws registrations per category (ticket type or source) as horizontal bars.
pub fn draw_breakdown<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    breakdown: &Breakdown,
    palette: &Palette,
    text_scale: f64,
) -> DrawResult<(), DB> {
    register_fonts();
    root.fill(&palette.background)?;
    let s = text_scale;
    let font = |size: f64| ("sans-serif", size * s).into_font().color(&palette.text);
    let items = &breakdown.items;
    if items.is_empty() {
        let text = format!("{}: the files have no such column", breakdown.title);
        return draw_message(root, &text, palette, s);
    }
    let n = items.len().max(1);
    let max = items.iter().map(|i| i.1).max().unwrap_or(1).max(1) as f64;
    let mut chart = ChartBuilder::on(root)
        .margin((8.0 * s) as i32)
        .caption(&breakdown.title, font(14.0))
        .x_label_area_size((22.0 * s) as i32)
        .y_label_area_size((150.0 * s) as i32)
        .build_cartesian_2d(0.0..max * 1.1, 0.0..n as f64)?;
    let labels: Vec<String> = items.iter().map(|i| i.0.clone()).collect();
    chart
        .configure_mesh()
        .disable_y_mesh()
        .light_line_style(palette.grid.mix(0.4))
        .bold_line_style(palette.grid)
        .max_light_lines(1)
        .axis_style(palette.marker)
        .x_labels(5)
        .y_labels(n * 2 + 1)
        // Whole counts only: below 4 the ticks fall on halves, and "0 0 1 1 2" read as a
        // broken axis.
        .x_label_formatter(&|x| {
            if (x - x.round()).abs() > 1e-6 {
                String::new()
            } else {
                crate::report::thousands(x.round().max(0.0) as u64)
            }
        })
        .y_label_formatter(&|y| {
            let k = y - 0.5;
            if (k - k.round()).abs() < 1e-6 && k >= 0.0 {
                let idx = n - 1 - k.round() as usize;
                labels.get(idx).cloned().unwrap_or_default()
            } else {
                String::new()
            }
        })
        .label_style(font(11.0))
        .draw()?;
    chart.draw_series(items.iter().enumerate().map(|(i, (_, v))| {
        let y = (n - 1 - i) as f64;
        Rectangle::new(
            [(0.0, y + 0.15), (*v as f64, y + 0.85)],
            palette.genuine.mix(0.85).filled(),
        )
    }))?;
    Ok(())
}

/// Draws the main chart onto a backend's root area and presents it.
fn render<DB: DrawingBackend>(
    root: DrawingArea<DB, Shift>,
    data: &ChartData,
    view: &ChartView,
    palette: &Palette,
) -> Result<(), String> {
    draw_main(&root, data, view, palette).map_err(|e| e.to_string())?;
    root.present().map_err(|e| e.to_string())
}

/// Renders the main chart as PNG bytes of `size` pixels.
pub fn png_bytes(
    data: &ChartData,
    view: &ChartView,
    palette: &Palette,
    size: (u32, u32),
) -> Result<Vec<u8>, String> {
    let rgb = render_rgb(data, view, palette, size)?;
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, size.0, size.1);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        let mut w = enc.write_header().map_err(|e| e.to_string())?;
        w.write_image_data(&rgb).map_err(|e| e.to_string())?;
    }
    Ok(out)
}

/// Renders the main chart as an SVG document of `size` pixels.
pub fn svg_text(
    data: &ChartData,
    view: &ChartView,
    palette: &Palette,
    size: (u32, u32),
) -> Result<String, String> {
    let mut svg = String::new();
    render(
        SVGBackend::with_string(&mut svg, size).into_drawing_area(),
        data,
        view,
        palette,
    )?;
    Ok(svg)
}

/// Writes the main chart into a PNG file, whole or not at all.
pub fn save_png(
    path: &std::path::Path,
    data: &ChartData,
    view: &ChartView,
    palette: &Palette,
    size: (u32, u32),
) -> Result<(), String> {
    let bytes = png_bytes(data, view, palette, size)?;
    crate::fsutil::write_bytes_atomically(path, &bytes).map_err(|e| e.to_string())
}

/// Writes the main chart into an SVG file, whole or not at all.
pub fn save_svg(
    path: &std::path::Path,
    data: &ChartData,
    view: &ChartView,
    palette: &Palette,
    size: (u32, u32),
) -> Result<(), String> {
    let svg = svg_text(data, view, palette, size)?;
    crate::fsutil::write_bytes_atomically(path, svg.as_bytes()).map_err(|e| e.to_string())
}

/// Renders the main chart into an RGB buffer (for the PDF report).
pub fn render_rgb(
    data: &ChartData,
    view: &ChartView,
    palette: &Palette,
    size: (u32, u32),
) -> Result<Vec<u8>, String> {
    let mut buf = vec![0u8; (size.0 * size.1 * 3) as usize];
    render(
        BitMapBackend::with_buffer(&mut buf, size).into_drawing_area(),
        data,
        view,
        palette,
    )?;
    Ok(buf)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::forecast::Quantiles;
    use crate::dataset::Unit;

    /// Registrations without times have no timeline: the chart says so instead of drawing an
    /// empty axis around 1 January 1970.
    #[test]
    fn a_file_without_signup_times_gets_a_sentence_not_a_1970_axis() {
        let data = ChartData {
            title: "Guest list".into(),
            undated: Some(3),
            ..ChartData::default()
        };
        let view = ChartView {
            days: None,
            log_scale: false,
            text_scale: 1.0,
        };
        let svg = svg_text(&data, &view, &Palette::light(), (800, 400)).unwrap();
        assert!(svg.contains("no registration has a signup time"), "{svg}");
        assert!(!svg.contains("1970"));
    }

    /// A lodging's log is charted in bookings: bars of bookings made, bookings so far, expected
    /// arrivals; an event of people keeps signups and registrations.
    #[test]
    fn a_lodgings_chart_speaks_of_bookings() {
        let bars: Vec<DayBar> = (0..10)
            .map(|k| DayBar {
                day: 20_000.0 + k as f64,
                width: 1.0,
                genuine: 3,
                flagged: u64::from(k == 4),
                cumulative_all: 3 * (k + 1) + u64::from(k >= 4),
                cumulative_genuine: 3 * (k + 1),
            })
            .collect();
        let view = ChartView {
            days: None,
            log_scale: false,
            text_scale: 1.0,
        };
        let svg = |unit| {
            let data = ChartData {
                title: "Night of 2015-10-10".into(),
                bars: bars.clone(),
                event_start: Some(20_010.0),
                attendance: Some(Quantiles {
                    p5: 20.0,
                    p10: 22.0,
                    p50: 27.0,
                    p90: 31.0,
                    p95: 33.0,
                }),
                unit,
                ..ChartData::default()
            };
            svg_text(&data, &view, &Palette::light(), (900, 450)).unwrap()
        };
        let booked = svg(Unit::Bookings);
        for text in [
            "bookings made per day",
            "flagged bookings",
            "bookings so far",
            "expected arrivals 22–31",
        ] {
            assert!(booked.contains(text), "{text}");
        }
        for text in ["signups", "registrations", "attendance"] {
            assert!(!booked.contains(text), "{text}");
        }
        let people = svg(Unit::People);
        for text in [
            "daily signups",
            "flagged signups",
            "registrations so far",
            "expected attendance 22–31",
        ] {
            assert!(people.contains(text), "{text}");
        }
    }

    /// Small counts are labelled in whole numbers, each once.
    #[test]
    fn a_small_breakdown_labels_whole_counts_once() {
        let b = Breakdown {
            title: "By ticket type".into(),
            items: vec![("Regular".into(), 2), ("Student".into(), 1)],
        };
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, (600, 200)).into_drawing_area();
            draw_breakdown(&root, &b, &Palette::light(), 1.0).unwrap();
            root.present().unwrap();
        }
        let labels: Vec<&str> = svg
            .split("<text")
            .skip(1)
            .filter_map(|t| Some(t.split('>').nth(1)?.split('<').next()?.trim()))
            .filter(|t| t.chars().all(|c| c.is_ascii_digit()) && !t.is_empty())
            .collect();
        assert_eq!(labels, ["0", "1", "2"], "{svg}");
    }

    /// A plot squeezed into a laptop's bottom panel keeps its axis labels apart.
    #[test]
    fn a_short_plot_gets_fewer_axis_labels() {
        assert_eq!(y_label_count(60.0, 1.0), 2);
        assert_eq!(y_label_count(120.0, 1.0), 4);
        assert_eq!(y_label_count(120.0, 2.0), 2);
        assert_eq!(y_label_count(600.0, 1.0), 10);
    }

    #[test]
    fn polylines_are_cut_at_the_view() {
        let pts = [(0.0, 0.0), (2.0, 2.0), (4.0, 4.0)];
        assert_eq!(
            clip_polyline(&pts, 1.0, 3.0),
            vec![(1.0, 1.0), (2.0, 2.0), (3.0, 3.0)]
        );
        assert_eq!(clip_polyline(&pts, -1.0, 5.0), pts.to_vec());
        assert!(clip_polyline(&pts, 5.0, 6.0).is_empty());
    }
}
