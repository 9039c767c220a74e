//! Every assumption, visible and adjustable. The panel edits a copy of the settings and sends
//! the new value; the chart and numbers follow in the same frame.

use crate::analysis::FlaggedMode;
use crate::app::{Command, TurnoutApp};
use crate::import::Role;
use crate::locale::Locale;
use crate::project::Settings;
use crate::timefmt::{LocalClock, parse_instant};

/// A labelled number: a slider for the feel, a number field for the exact value.
fn number_row(ui: &mut egui::Ui, label: &str, value: &mut u64, max: u64) -> bool {
    let mut changed = false;
    ui.label(label);
    ui.horizontal(|ui| {
        let max = max.max(*value).max(10);
        changed |= ui
            .add(
                egui::Slider::new(value, 0..=max)
                    .logarithmic(true)
                    .show_value(false)
                    .text(label),
            )
            .changed();
        let l = ui.label("exact");
        changed |= ui
            .add(egui::DragValue::new(value).range(0..=10_000_000).speed(10))
            .labelled_by(l.id)
            .changed();
    });
    changed
}

pub fn controls_ui(app: &mut TurnoutApp, ui: &mut egui::Ui) {
    let before = app.session.settings.clone();
    let mut s = before.clone();
    let mut coalesce: Option<&'static str> = None;
    let o = &app.session.derived.outlook;
    let l = s.locale;
    let scale_max = (o.registrations.max(o.attendance.p90 as u64) * 2).max(1_000);

    ui.heading("Venue");
    let unit = o.unit;
    if let Some(note) = unit.note() {
        ui.small(format!("This is {note}."));
    }
    if number_row(ui, "Capacity", &mut s.assumptions.capacity, scale_max) {
        coalesce = Some("capacity");
    }
    if number_row(
        ui,
        "Overflow capacity",
        &mut s.assumptions.overflow_capacity,
        scale_max,
    ) {
        coalesce = Some("overflow");
    }

    ui.separator();
    ui.heading("Event");
    event_picker_ui(app, ui, &mut s);
    let own_start = app
        .session
        .agg
        .focus
        .and_then(|e| app.session.agg.series.events.get(e))
        .and_then(|e| Some((e.start?, e.grace > 0)));
    event_time_ui(ui, &mut s, own_start, app.view_id());
    as_of_ui(app, ui, &mut s, &mut coalesce);

    ui.separator();
    ui.heading("Who comes");
    ui.label("Prior show-up, before past check-ins are seen");
    ui.small("Published medians: free events lose about 28% of registrants, paid ones 17% (PheedLoop, 860 events).");
    let regs = unit.words().registrations;
    for (name, value, key) in [
        (
            format!("Free {regs}"),
            &mut s.assumptions.prior_free,
            "prior-free",
        ),
        (
            format!("Paid {regs}"),
            &mut s.assumptions.prior_paid,
            "prior-paid",
        ),
    ] {
        let mut pct = *value * 100.0;
        if ui
            .add(
                egui::Slider::new(&mut pct, 0.0..=100.0)
                    .suffix(" %")
                    .max_decimals(0)
                    .text(name),
            )
            .changed()
        {
            *value = pct / 100.0;
            coalesce = Some(key);
        }
    }
    let shown = o.show_up.len();
    egui::CollapsingHeader::new(format!("Show-up rate per segment ({shown})"))
        .default_open(shown <= 6)
        .show(ui, |ui| segment_rates_ui(ui, o, &mut s, &mut coalesce, l));
    if o.waiting > 0 {
        waiting_ui(ui, o, &mut s, &mut coalesce, l);
    }
    ui.horizontal(|ui| {
        let w = ui.label("Walk-ins");
        if ui
            .add(
                egui::DragValue::new(&mut s.assumptions.walk_ins)
                    .range(0..=1_000_000)
                    .speed(5),
            )
            .labelled_by(w.id)
            .changed()
        {
            coalesce = Some("walk-ins");
        }
    });
    ui.label("Flagged registrations");
    let mut excluded = matches!(s.assumptions.flagged, FlaggedMode::Excluded);
    ui.horizontal(|ui| {
        if ui.radio_value(&mut excluded, true, "Leave out").clicked() {
            s.assumptions.flagged = FlaggedMode::Excluded;
        }
        if ui
            .radio_value(&mut excluded, false, "Count at their own rate")
            .clicked()
            && matches!(s.assumptions.flagged, FlaggedMode::Excluded)
        {
            s.assumptions.flagged = FlaggedMode::AtRate { rate: 0.02 };
        }
    });
    if let FlaggedMode::AtRate { rate } = &mut s.assumptions.flagged {
        let mut pct = *rate * 100.0;
        if ui
            .add(
                egui::Slider::new(&mut pct, 0.0..=100.0)
                    .suffix(" %")
                    .text("Flagged show-up"),
            )
            .changed()
        {
            *rate = pct / 100.0;
            coalesce = Some("flagged-rate");
        }
    }

    ui.separator();
    ui.heading("Costs");
    ui.small("What each mistake costs decides how much risk of overflow is worth taking.");
    ui.horizontal(|ui| {
        let c = ui.label(format!("Empty {}", unit.words().place));
        ui.add(
            egui::DragValue::new(&mut s.assumptions.cost_empty_seat)
                .range(0.0..=1e6)
                .speed(0.1),
        )
        .labelled_by(c.id);
        let t = ui.label("Guest turned away");
        ui.add(
            egui::DragValue::new(&mut s.assumptions.cost_turned_away)
                .range(0.0..=1e6)
                .speed(0.1),
        )
        .labelled_by(t.id);
    });

    ui.separator();
    ui.heading("Display");
    let mut log = s.log_scale_for(&app.session.derived.chart);
    ui.horizontal(|ui| {
        if ui
            .checkbox(&mut log, "Log scale")
            .on_hover_text("For floods: a million registrations against thousands of seats")
            .changed()
        {
            s.log_scale = log;
            s.auto_scale = false;
        }
        if ui
            .selectable_label(s.auto_scale, "auto")
            .on_hover_text("Log scale only when the data needs it")
            .clicked()
        {
            s.auto_scale = !s.auto_scale;
        }
    });
    {
        use crate::chart::Bin;
        let name = |b: Bin| match b {
            Bin::Auto => "auto",
            Bin::Hour => "hour",
            Bin::Day => "day",
            Bin::Week => "week",
            Bin::Month => "month",
        };
        egui::ComboBox::from_label("Bars per")
            .selected_text(name(s.bin))
            .show_ui(ui, |ui| {
                for b in [Bin::Auto, Bin::Hour, Bin::Day, Bin::Week, Bin::Month] {
                    ui.selectable_value(&mut s.bin, b, name(b));
                }
            })
            .response
            .on_hover_text(
                "auto: days, weeks or months by how long the signups run, and hours when \
                 zoomed to three days or less",
            );
    }
    egui::ComboBox::from_label("Breakdown")
        .selected_text(if s.breakdown == Role::Source {
            "by source"
        } else {
            "by ticket type"
        })
        .show_ui(ui, |ui| {
            ui.selectable_value(&mut s.breakdown, Role::TicketType, "by ticket type");
            ui.selectable_value(&mut s.breakdown, Role::Source, "by source");
        });
    egui::ComboBox::from_label("Numbers and dates")
        .selected_text(s.locale.name())
        .show_ui(ui, |ui| {
            for loc in Locale::ALL {
                ui.selectable_value(&mut s.locale, loc, loc.name());
            }
        });

    if s != before {
        app.sender().send(Command::SetSettings {
            settings: Box::new(s),
            coalesce,
        });
    }
}

/// Event start and time zone as text fields that accept what the importer reads. Empty, the
/// field shows the start of the event in focus when its rows say it (a series' event), greyed:
/// that is the start the forecast uses until one is typed. An event of dates only (an
/// appointment day, an arrival date: `own_start`'s flag) shows its day, not "12:00 AM".
fn event_time_ui(
    ui: &mut egui::Ui,
    s: &mut Settings,
    own_start: Option<(i64, bool)>,
    id: egui::Id,
) {
    let tz = jiff::tz::TimeZone::get(&s.time_zone).unwrap_or(jiff::tz::TimeZone::UTC);
    let wall = |t: i64| LocalClock::new(tz.clone()).wall(t);
    let local = |t: i64| s.locale.datetime(wall(t));
    let shown = s.assumptions.event_start.map(local).unwrap_or_default();
    let hint = match own_start {
        Some((t, true)) => format!("{} (all day)", s.locale.date(wall(t).div_euclid(86_400))),
        Some((t, false)) => local(t),
        None => "e.g. 2026-06-20 19:00".to_string(),
    };
    let own_start = own_start.map(|o| o.0);
    let key = id.with("event-start-edit");
    let mut text: String = ui
        .data(|d| d.get_temp::<String>(key))
        .unwrap_or_else(|| shown.clone());
    ui.horizontal(|ui| {
        let l = ui.label("Starts");
        let r = ui.add(
            egui::TextEdit::singleline(&mut text)
                .hint_text(hint)
                .desired_width(170.0),
        );
        let r = if own_start.is_some() && text.is_empty() {
            r.on_hover_text("The event's own start, from its rows. Type another to replace it.")
        } else {
            r
        };
        let r = r.labelled_by(l.id);
        if r.changed() {
            ui.data_mut(|d| d.insert_temp(key, text.clone()));
        }
        if r.lost_focus() {
            match parse_instant(&text, &tz) {
                Ok(t) => s.assumptions.event_start = Some(t),
                Err(_) if text.trim().is_empty() => s.assumptions.event_start = None,
                Err(_) => {}
            }
            ui.data_mut(|d| d.remove::<String>(key));
        }
    });
    if !text.trim().is_empty() && parse_instant(&text, &tz).is_err() {
        ui.colored_label(
            ui.visuals().error_fg_color,
            "Not a date and time Turnout can read",
        );
    }
    let zkey = id.with("zone-edit");
    let mut zone: String = ui
        .data(|d| d.get_temp::<String>(zkey))
        .unwrap_or_else(|| s.time_zone.clone());
    ui.horizontal(|ui| {
        let l = ui.label("Time zone");
        let r = ui
            .add(egui::TextEdit::singleline(&mut zone).hint_text("IANA name, e.g. Europe/Berlin"))
            .labelled_by(l.id);
        if r.changed() {
            ui.data_mut(|d| d.insert_temp(zkey, zone.clone()));
        }
        if r.lost_focus() {
            if jiff::tz::TimeZone::get(zone.trim()).is_ok() {
                s.time_zone = zone.trim().to_string();
            }
            ui.data_mut(|d| d.remove::<String>(zkey));
        }
    });
    if jiff::tz::TimeZone::get(zone.trim()).is_err() {
        ui.colored_label(ui.visuals().error_fg_color, "Unknown time zone");
    }
}

/// The as-of slider's step, in days.
const QUARTER_DAY: f64 = 0.25;

/// Replay what was known on any day between the first signup and the event.
fn as_of_ui(
    app: &TurnoutApp,
    ui: &mut egui::Ui,
    s: &mut Settings,
    coalesce: &mut Option<&'static str>,
) {
    let agg = &app.session.agg;
    if agg.hours() == 0 {
        return;
    }
    let first = agg.hour_start(0);
    let last = agg.hour_start(agg.hours());
    let end = s.assumptions.event_start.map_or(last, |e| e.max(last));
    let mut replay = s.assumptions.as_of.is_some();
    if ui
        .checkbox(&mut replay, "Replay as of an earlier day")
        .changed()
    {
        // An event that has started is replayed from a day before its start (on the
        // slider's quarter-day steps): what the forecast said then (the advice of an event
        // that is over points here).
        let quarter = (QUARTER_DAY * 86_400.0) as i64;
        let day_before = app
            .session
            .derived
            .outlook
            .event_start
            .map(|start| first + (start - 86_400 - first).div_euclid(quarter).max(0) * quarter)
            .filter(|&t| t < last);
        s.assumptions.as_of = replay.then_some(day_before.unwrap_or(last));
    }
    let tz = app.session.time_zone();
    let locale = s.locale;
    if let Some(as_of) = &mut s.assumptions.as_of
        && day_slider(ui, as_of, (first, end), QUARTER_DAY, "As of", locale, &tz)
    {
        *coalesce = Some("as-of");
    }
    // The range's start: the signup numbers, chart and breakdown count from it.
    let to = s.assumptions.as_of.unwrap_or(last);
    let mut ranged = s.since.is_some();
    if ui
        .checkbox(&mut ranged, "Count signups from a day")
        .on_hover_text(
            "A date range for the signup numbers: the range's signups (genuine and flagged), \
             the chart and the breakdown count only signups from this day to the as-of time. \
             The forecast and the totals still count every registration.",
        )
        .changed()
    {
        s.since = ranged.then_some(first.max(to - 7 * 86_400));
    }
    if let Some(since) = &mut s.since
        && day_slider(ui, since, (first, to), 1.0, "From", locale, &tz)
    {
        *coalesce = Some("since");
    }
}

/// A slider over the days from `first` to `end` (UTC seconds) in steps of `step` days,
/// labelled with the chosen instant in local time. Whether it moved.
fn day_slider(
    ui: &mut egui::Ui,
    t: &mut i64,
    (first, end): (i64, i64),
    step: f64,
    label: &str,
    locale: Locale,
    tz: &jiff::tz::TimeZone,
) -> bool {
    let total_days = ((end - first) as f64 / 86_400.0).ceil().max(1.0);
    let mut day = ((*t - first) as f64 / 86_400.0).clamp(0.0, total_days);
    let wall = LocalClock::new(tz.clone()).wall(*t);
    let mut moved = ui
        .add(
            egui::Slider::new(&mut day, 0.0..=total_days)
                .step_by(step)
                .show_value(false)
                .text(format!("{label} {}", locale.datetime(wall))),
        )
        .changed();
    if moved {
        *t = first + (day * 86_400.0) as i64;
    }
    // Over a file of months the slider moves days a pixel: a step back or forward sets the
    // hour (replaying an appointment day as of its morning).
    let secs = (step * 86_400.0).round() as i64;
    let name = if step < 1.0 {
        format!("{} h", (step * 24.0).round())
    } else {
        format!("{} day", step.round())
    };
    ui.horizontal(|ui| {
        if ui
            .small_button(format!("− {name}"))
            .on_hover_text(format!("{label}: one step earlier"))
            .clicked()
        {
            *t = (*t - secs).max(first);
            moved = true;
        }
        if ui
            .small_button(format!("+ {name}"))
            .on_hover_text(format!("{label}: one step later"))
            .clicked()
        {
            *t = (*t + secs).min(end);
            moved = true;
        }
    });
    moved
}

/// Show-up of those admitted from approval or the waiting list: the calibrated default, or
/// the user's own figure.
fn waiting_ui(
    ui: &mut egui::Ui,
    o: &crate::analysis::Outlook,
    s: &mut crate::project::Settings,
    coalesce: &mut Option<&'static str>,
    l: crate::locale::Locale,
) {
    let default = o.waiting_show_up;
    let mut pct = s.assumptions.waiting_show_up.unwrap_or(default) * 100.0;
    let response = ui.add(
        egui::Slider::new(&mut pct, 0.0..=100.0)
            .suffix(" %")
            .max_decimals(1)
            .text("Admitted from waiting"),
    );
    if response.changed() && (pct - default * 100.0).abs() > 0.05 {
        s.assumptions.waiting_show_up = Some(pct / 100.0);
        *coalesce = Some("waiting-show-up");
    }
    ui.horizontal_wrapped(|ui| {
        ui.small(format!(
            "{} pending approval or on the waiting list; default {} — registrants of the same \
             kind at their calibrated rates",
            l.int(o.waiting),
            l.percent(default)
        ));
        if s.assumptions.waiting_show_up.is_some() && ui.small_button("Use default").clicked() {
            s.assumptions.waiting_show_up = None;
        }
    });
}

/// One slider per segment, with where its default comes from and a way back to it.
fn segment_rates_ui(
    ui: &mut egui::Ui,
    o: &crate::analysis::Outlook,
    s: &mut crate::project::Settings,
    coalesce: &mut Option<&'static str>,
    l: crate::locale::Locale,
) {
    let w = o.unit.words();
    for su in &o.show_up {
        let mut pct = su.rate * 100.0;
        ui.horizontal(|ui| {
            let response = ui.add(
                egui::Slider::new(&mut pct, 0.0..=100.0)
                    .suffix(" %")
                    .max_decimals(1)
                    .text(crate::bidi::visual(&w.segment(&su.segment))),
            );
            // Only the user's own moves count, not the slider's display rounding.
            if response.changed() && (pct - su.rate * 100.0).abs() > 0.05 {
                s.assumptions
                    .show_up_overrides
                    .insert(su.segment.clone(), pct / 100.0);
                *coalesce = Some("show-up");
            }
        });
        let default = format!(
            "{} {}; default {} ({}–{}) — {}",
            l.int(su.tickets),
            w.tickets,
            l.percent(su.default_rate),
            l.percent(su.interval.0),
            l.percent(su.interval.1),
            su.default_source.describe(w)
        );
        ui.horizontal_wrapped(|ui| {
            ui.small(default);
            if s.assumptions.show_up_overrides.contains_key(&su.segment)
                && ui.small_button("Use default").clicked()
            {
                s.assumptions.show_up_overrides.remove(&su.segment);
            }
        });
    }
}

/// Events beyond which the event picker offers a filter.
const PICKER_FILTER_FROM: usize = 12;

/// Which event of a series (or of the loaded editions) the dashboard is about.
fn event_picker_ui(app: &TurnoutApp, ui: &mut egui::Ui, s: &mut Settings) {
    let series = &app.session.agg.series;
    if series.events.len() < 2 {
        return;
    }
    let name = |i: usize| series.events[i].display_name();
    let focus = app.session.agg.focus;
    let as_of = app.session.derived.outlook.as_of;
    let mut order: Vec<usize> = series.in_order().to_vec();
    order.extend((0..series.events.len()).filter(|&i| series.events[i].start.is_none()));
    let label = ui.label("Event in focus");
    let mut picked = None;
    egui::ComboBox::from_id_salt("event-picker")
        .selected_text(focus.map_or("—".to_string(), |i| crate::bidi::visual(&name(i))))
        .width(ui.available_width().min(260.0))
        .height(400.0)
        // Clicks inside (the filter) keep it open; a pick closes it.
        .close_behavior(egui::PopupCloseBehavior::CloseOnClickOutside)
        .show_ui(ui, |ui| {
            // A series of many events (an appointment book by neighbourhood holds 1,494) gets a
            // filter: the typed text is the popup's own state, not a setting.
            let filter_id = ui.make_persistent_id("event-picker-filter");
            let mut filter: String = ui.data(|d| d.get_temp(filter_id)).unwrap_or_default();
            if order.len() > PICKER_FILTER_FROM {
                let edit = ui.add(
                    egui::TextEdit::singleline(&mut filter)
                        .hint_text("Filter: a date or a name")
                        .desired_width(f32::INFINITY),
                );
                edit.widget_info(|| {
                    egui::WidgetInfo::labeled(egui::Role::TextInput, true, "Filter the events")
                });
                if edit.changed() {
                    ui.data_mut(|d| d.insert_temp(filter_id, filter.clone()));
                }
            }
            // Every word typed must appear: "05-02 centro" finds "2016-05-02 · CENTRO".
            let words: Vec<String> = filter.split_whitespace().map(str::to_lowercase).collect();
            let mut shown = 0usize;
            for &i in &order {
                let e = &series.events[i];
                let when = match e.start {
                    Some(st) if st > as_of => "upcoming",
                    Some(_) => "past",
                    None => "start not set",
                };
                let n = name(i);
                let logical = format!("{n} ({when})").to_lowercase();
                if !words.iter().all(|w| logical.contains(w.as_str())) {
                    continue;
                }
                shown += 1;
                let text = format!("{} ({when})", crate::bidi::visual(&n));
                if ui.selectable_label(focus == Some(i), text).clicked() {
                    picked = Some(i);
                    ui.close();
                }
            }
            if shown == 0 {
                ui.weak(format!("No event matches “{}”", filter.trim()));
            }
        })
        .response
        .labelled_by(label.id)
        .on_hover_text(
            "The chart, outlook and summary are about this event; the Events panel (View menu) \
             lists them all with their forecasts",
        );
    if let Some(i) = picked.filter(|&i| Some(i) != focus) {
        let e = &series.events[i];
        *s = crate::app::ui::events::focus_on(s, &e.label, &e.group, e.start);
    }
}
