//! Exports from the dashboard: the chart as PNG or SVG, the summary as CSV, and a printable
//! one-page PDF report with chart, numbers and assumptions.

use std::path::Path;

use crate::chart::{ChartView, Palette, render_rgb, save_png, save_svg};
use crate::locale::Locale;
use crate::report::excel_safe_cell;

use super::TurnoutApp;
use super::command::ExportKind;

pub fn export(app: &TurnoutApp, kind: ExportKind, path: &Path) -> Result<(), String> {
    let view = ChartView {
        days: app.view.chart_days,
        log_scale: app
            .session
            .settings
            .log_scale_for(&app.session.derived.chart),
        text_scale: app.view.export_size.0 as f64 / 1200.0,
    };
    let chart = &app.session.derived.chart;
    let size = app.view.export_size;
    match kind {
        ExportKind::ChartPng => save_png(path, chart, &view, &Palette::light(), size),
        ExportKind::ChartSvg => save_svg(path, chart, &view, &Palette::light(), size),
        ExportKind::SummaryCsv => {
            let rows = summary_rows(app, Locale::English);
            let mut out = String::from("measure,value,meaning\r\n");
            for (m, v, meaning) in rows {
                out.push_str(&format!(
                    "{},{},{}\r\n",
                    excel_safe_cell(&m),
                    excel_safe_cell(&v),
                    excel_safe_cell(&meaning)
                ));
            }
            write_atomic(path, out.as_bytes())
        }
        ExportKind::ReportPdf => write_atomic(path, &report_pdf(app)?),
        ExportKind::FlaggedCsv => {
            let s = &app.session;
            let inputs: Vec<&Path> = s.sources.iter().map(|f| f.path.as_path()).collect();
            crate::fsutil::check_output(path, &inputs)?;
            let mut failure = None;
            crate::fsutil::write_atomically(path, |w| {
                crate::analysis::flags::write_flagged_csv(w, &s.dataset, &s.row_flags, &s.flags)
                    .map_err(|e| {
                        failure = Some(e.clone());
                        std::io::Error::other(e)
                    })
            })
            .map_err(|e| failure.unwrap_or_else(|| format!("{}: {e}", path.display())))
        }
    }
}

fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), String> {
    crate::fsutil::write_bytes_atomically(path, bytes)
        .map_err(|e| format!("{}: {e}", path.display()))
}

/// (measure, value, what it means) for the summary CSV and the PDF.
pub fn summary_rows(app: &TurnoutApp, l: Locale) -> Vec<(String, String, String)> {
    let s = &app.session;
    let o = &s.derived.outlook;
    let a = &s.settings.assumptions;
    // The meanings in the log's words (the measures' names are stable keys).
    let w = o.unit.words();
    let mut rows = vec![
        (
            "counted".into(),
            match o.unit {
                crate::dataset::Unit::People => "people",
                crate::dataset::Unit::Bookings => "bookings",
            }
            .into(),
            o.unit
                .note()
                .unwrap_or("each registration is a person (or as many as its ticket count)")
                .into(),
        ),
        (
            "registrations".into(),
            l.int(o.registrations),
            format!(
                "active {} up to the as-of moment, counted in {}",
                w.registrations, w.tickets
            ),
        ),
        (
            "genuine".into(),
            l.int(o.genuine),
            format!("{} not flagged", w.registrations),
        ),
        (
            "flagged".into(),
            l.int(o.flagged),
            format!("{} flagged as likely fake or coordinated", w.registrations),
        ),
        (
            "final registrations P50".into(),
            l.round(o.final_registrations.p50),
            format!("projected genuine {} at the event start", w.registrations),
        ),
        (
            "attendance P10".into(),
            l.round(o.attendance.p10),
            format!("9 in 10 chance at least this many {}", w.come),
        ),
        (
            "attendance P50".into(),
            l.round(o.attendance.p50),
            "the middle expectation".into(),
        ),
        (
            "attendance P90".into(),
            l.round(o.attendance.p90),
            format!("1 in 10 chance more than this {}", w.come),
        ),
        (
            "capacity".into(),
            l.int(a.capacity),
            format!("{} at the venue", w.places),
        ),
        (
            "overflow capacity".into(),
            l.int(a.overflow_capacity),
            "extra places in the overflow area".into(),
        ),
        (
            "P(attendance > capacity)".into(),
            l.percent(o.p_over_capacity),
            "chance the venue is over capacity".into(),
        ),
        (
            "expected empty seats".into(),
            l.round(o.expected_empty_seats),
            format!("average empty {} over possible outcomes", w.places),
        ),
        (
            "expected turned away".into(),
            l.round(o.expected_turned_away),
            "average guests beyond venue and overflow".into(),
        ),
        (
            "walk-ins".into(),
            l.int(a.walk_ins),
            "people expected without registering".into(),
        ),
    ];
    if let Some(m) = &o.decision.admit_more {
        rows.push((
            "admit from waiting".into(),
            format!("{} of {}", l.int(m.count), l.int(m.waiting)),
            format!(
                "pending approval or waitlisted to approve now; {} of them expected to come ({})",
                l.percent(m.show_up),
                m.show_up_source
            ),
        ));
    }
    for su in &o.show_up {
        rows.push((
            format!("show-up {}", w.segment(&su.segment)),
            l.percent(su.rate),
            su.source.describe(w),
        ));
    }
    if let Some(r) = &s.derived.range {
        let mut clock = crate::timefmt::LocalClock::new(s.time_zone());
        let from = l.datetime(clock.wall(r.from));
        rows.push((
            "genuine signups in range".into(),
            l.int(r.genuine),
            format!("tickets registered from {from} until the as-of moment, not flagged"),
        ));
        rows.push((
            "flagged signups in range".into(),
            l.int(r.flagged),
            format!("tickets registered from {from} until the as-of moment, flagged"),
        ));
    }
    rows.push(("advice".into(), o.advice.clone(), o.model.clone()));
    rows
}

/// Text safe for the PDF's WinAnsi Helvetica.
fn latin1(s: &str) -> Vec<u8> {
    s.chars()
        .map(|c| match c {
            '–' | '—' => b'-',
            '’' => b'\'',
            c if (c as u32) < 0x100 => c as u8,
            _ => b'?',
        })
        .collect()
}

fn report_pdf(app: &TurnoutApp) -> Result<Vec<u8>, String> {
    use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect, Ref, Str};
    let (w, h) = (1600u32, 900u32);
    let view = ChartView {
        days: app.view.chart_days,
        log_scale: app
            .session
            .settings
            .log_scale_for(&app.session.derived.chart),
        text_scale: 1.4,
    };
    let rgb = render_rgb(&app.session.derived.chart, &view, &Palette::light(), (w, h))?;
    let compressed = miniz_oxide::deflate::compress_to_vec_zlib(&rgb, 6);

    let (catalog, pages, page, font, bold, image, content_id) = (
        Ref::new(1),
        Ref::new(2),
        Ref::new(3),
        Ref::new(4),
        Ref::new(5),
        Ref::new(6),
        Ref::new(7),
    );
    let mut pdf = Pdf::new();
    pdf.catalog(catalog).pages(pages);
    pdf.pages(pages).kids([page]).count(1);
    let a4 = Rect::new(0.0, 0.0, 595.0, 842.0);
    let mut p = pdf.page(page);
    p.media_box(a4).parent(pages).contents(content_id);
    let mut resources = p.resources();
    resources
        .fonts()
        .pair(Name(b"F1"), font)
        .pair(Name(b"F2"), bold);
    resources.x_objects().pair(Name(b"Im1"), image);
    resources.finish();
    p.finish();
    pdf.type1_font(font)
        .base_font(Name(b"Helvetica"))
        .encoding_predefined(Name(b"WinAnsiEncoding"));
    pdf.type1_font(bold)
        .base_font(Name(b"Helvetica-Bold"))
        .encoding_predefined(Name(b"WinAnsiEncoding"));
    let mut img = pdf.image_xobject(image, &compressed);
    img.filter(Filter::FlateDecode);
    img.width(w as i32).height(h as i32);
    img.color_space().device_rgb();
    img.bits_per_component(8);
    img.finish();

    let mut c = Content::new();
    let text = |c: &mut Content, x: f32, y: f32, size: f32, bold: bool, s: &str| {
        c.begin_text();
        c.set_font(Name(if bold { b"F2" } else { b"F1" }), size);
        c.next_line(x, y);
        c.show(Str(&latin1(s)));
        c.end_text();
    };
    let title = format!("Turnout report: {}", app.session.title());
    text(&mut c, 40.0, 800.0, 16.0, true, &title);
    let zone = &app.session.settings.time_zone;
    text(
        &mut c,
        40.0,
        784.0,
        9.0,
        false,
        &format!("Times in {zone}. {}", app.session.derived.outlook.model),
    );
    // Chart: 515 pt wide, keeping its aspect ratio.
    let cw = 515.0;
    let ch = cw * h as f32 / w as f32;
    c.save_state();
    c.transform([cw, 0.0, 0.0, ch, 40.0, 770.0 - ch]);
    c.x_object(Name(b"Im1"));
    c.restore_state();
    let mut y = 770.0 - ch - 24.0;
    let advice = &app.session.derived.outlook.advice;
    for line in wrap(advice, 95) {
        text(&mut c, 40.0, y, 11.0, true, &line);
        y -= 14.0;
    }
    y -= 6.0;
    for (m, v, meaning) in summary_rows(app, app.session.settings.locale) {
        if m == "advice" || y < 40.0 {
            continue;
        }
        text(&mut c, 40.0, y, 9.5, false, &m);
        text(&mut c, 210.0, y, 9.5, true, &v);
        text(&mut c, 290.0, y, 8.5, false, &meaning);
        y -= 13.0;
    }
    pdf.stream(content_id, &c.finish());
    Ok(pdf.finish())
}

fn wrap(s: &str, width: usize) -> Vec<String> {
    let mut lines = vec![String::new()];
    for word in s.split_whitespace() {
        let last = lines.last_mut().expect("one line");
        if !last.is_empty() && last.len() + word.len() + 1 > width {
            lines.push(word.to_string());
        } else {
            if !last.is_empty() {
                last.push(' ');
            }
            last.push_str(word);
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapping() {
        assert_eq!(wrap("a bb ccc", 4), vec!["a bb", "ccc"]);
    }
}
