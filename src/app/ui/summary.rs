//! The numbers, each saying what it means, and one plain sentence of advice.

use crate::analysis::forecast::PickupMethod;
use crate::app::TurnoutApp;
use crate::dataset::Unit;
use crate::report::capital;

pub fn summary_ui(app: &mut TurnoutApp, ui: &mut egui::Ui) {
    let l = app.session.settings.locale;
    ui.heading("Outlook");
    ui.add_space(4.0);
    if app.session.dataset.current().next().is_none() {
        ui.label("Nothing to forecast yet: open a registration export to see who will come.");
        return;
    }
    // As the report: with past editions loaded, their history still gives a forecast.
    if app.session.dataset.no_current_rows() && app.session.dataset.history().next().is_none() {
        ui.label("Nothing to forecast: no registration could be loaded.");
        return;
    }
    if !app.session.derived.headline.is_empty() {
        let warn = ui.visuals().warn_fg_color;
        egui::Frame::group(ui.style())
            .stroke(egui::Stroke::new(1.5, warn))
            .show(ui, |ui| {
                for h in &app.session.derived.headline {
                    ui.label(egui::RichText::new(h).color(warn));
                }
                if !app.view.show_flags && ui.button("Review the flagged registrations").clicked() {
                    app.view.show_flags = true;
                }
            });
        ui.add_space(6.0);
    }
    if let Some(note) = &app.session.derived.grouping {
        let warn = ui.visuals().warn_fg_color;
        egui::Frame::group(ui.style())
            .stroke(egui::Stroke::new(1.5, warn))
            .show(ui, |ui| {
                ui.label(egui::RichText::new(note).color(warn));
                if !app.view.show_review && ui.button("Choose the group column").clicked() {
                    app.view.show_review = true;
                }
            });
        ui.add_space(6.0);
    }
    // Only when the event in focus has no start of its own (a series' events carry theirs).
    if app.session.derived.outlook.pickup.method == PickupMethod::StartUnknown {
        start_prompt(app, ui);
    }
    let a = &app.session.settings.assumptions;
    // Until the background check for fakes is done, numbers that depend on it are not final.
    let provisional = app.scoring.is_some();
    if provisional {
        ui.horizontal(|ui| {
            ui.spinner();
            ui.label("Checking registrations for fakes… the numbers below are provisional.");
        });
    }
    let o = &app.session.derived.outlook;
    let w = o.unit.words();
    // "P50 (P10–P90)", as every range on the panel is written.
    let range = |q: &crate::analysis::forecast::Quantiles| {
        format!("{} ({}–{})", l.round(q.p50), l.round(q.p10), l.round(q.p90))
    };
    let weak = ui.visuals().weak_text_color();
    let advice = egui::RichText::new(&o.advice).strong().size(15.0);
    ui.label(if provisional {
        advice.color(weak)
    } else {
        advice
    });
    ui.add_space(8.0);

    let row = |ui: &mut egui::Ui, name: &str, value: String, meaning: &str| {
        ui.horizontal_wrapped(|ui| {
            ui.label(format!("{name}:"));
            let v = egui::RichText::new(value).strong().size(15.0);
            ui.label(if provisional { v.color(weak) } else { v });
        });
        ui.small(meaning);
        ui.add_space(3.0);
    };
    if let Some(r) = app.session.derived.range {
        let mut clock = crate::timefmt::LocalClock::new(app.session.time_zone());
        ui.label(
            egui::RichText::new(format!(
                "Signups from {} to {}",
                l.datetime(clock.wall(r.from)),
                l.datetime(clock.wall(r.to))
            ))
            .strong(),
        );
        row(
            ui,
            "In range",
            l.int(r.genuine + r.flagged),
            "tickets registered in the date range and still active",
        );
        row(
            ui,
            "Genuine in range",
            l.int(r.genuine),
            "of those, not flagged as fake or coordinated",
        );
        row(
            ui,
            "Flagged in range",
            l.int(r.flagged),
            "of those, likely fake or coordinated",
        );
        if r.undated > 0 {
            ui.small(format!(
                "{} tickets have no registration time and are not in any range.",
                l.int(r.undated)
            ));
        }
        ui.small(
            "The forecast and the totals below count every registration up to the as-of time, \
             since people who registered earlier still come.",
        );
        ui.add_space(6.0);
    }
    ui.label(egui::RichText::new(capital(w.registrations)).strong());
    row(
        ui,
        "Total",
        l.int(o.registrations),
        match o.unit {
            Unit::People => "tickets in active registrations so far",
            Unit::Bookings => "bookings made and not cancelled so far",
        },
    );
    row(
        ui,
        "Genuine",
        l.int(o.genuine),
        "not flagged as fake or coordinated",
    );
    row(
        ui,
        "Flagged",
        l.int(o.flagged),
        "likely fake or coordinated",
    );
    match o.pickup.method {
        PickupMethod::StartUnknown => row(
            ui,
            "Projected final",
            "not projected".to_string(),
            "set the event start to count the signups still to come",
        ),
        PickupMethod::None => row(
            ui,
            "Final",
            l.int(o.genuine),
            "the event has started: no more signups are expected",
        ),
        // Still forecast after the start: a day of dates only, whose bookings count all day.
        _ => row(
            ui,
            "Projected final",
            range(&o.final_registrations),
            &format!(
                "genuine {} expected by the {}, P50 (P10–P90)",
                w.registrations,
                if o.event_start.is_some_and(|s| o.as_of >= s) {
                    "day's end"
                } else {
                    "event start"
                }
            ),
        ),
    }
    if o.waiting > 0 {
        row(
            ui,
            "Waiting",
            l.int(o.waiting),
            "pending approval or on the waiting list: not holding a place yet",
        );
    }
    if let Some(c) = o.checked_in {
        row(
            ui,
            &capital(w.checked_in),
            format!("{} of {}", l.int(c), l.int(o.genuine)),
            &format!(
                "{} {} {}{}, from the check-ins in the file",
                w.many,
                w.who,
                w.came,
                if o.outcome_known { "" } else { " so far" }
            ),
        );
    }
    ui.separator();
    ui.label(egui::RichText::new(capital(w.attendance)).strong());
    if let (true, Some(c)) = (o.outcome_known, o.checked_in) {
        // Over: what happened, not a forecast (the replay shows what the forecast said).
        row(
            ui,
            &capital(w.came),
            l.int(c),
            &format!(
                "{}; the event is over (replay as of an earlier day for the forecast made \
                 before it)",
                match o.unit {
                    Unit::People => "registrants who checked in",
                    Unit::Bookings => "bookings that arrived",
                }
            ),
        );
    } else {
        row(
            ui,
            "Expected",
            range(&o.attendance),
            &format!("{}: middle guess, and an 80% range (P10–P90)", w.at_door),
        );
        // Numbers measured against the capacity mean nothing until it is set.
        let against_capacity = |value: String| {
            if a.capacity > 0 {
                value
            } else {
                "—".to_string()
            }
        };
        row(
            ui,
            "Over capacity",
            if a.capacity > 0 {
                l.percent(o.p_over_capacity)
            } else {
                "— (set the capacity)".to_string()
            },
            &format!("chance {}", w.over),
        );
        row(
            ui,
            &format!("Empty {}", w.places),
            against_capacity(l.round(o.expected_empty_seats)),
            "expected, averaged over what could happen",
        );
        row(
            ui,
            "Turned away",
            against_capacity(l.round(o.expected_turned_away)),
            "expected beyond venue and overflow",
        );
        if a.capacity > 0 {
            row(
                ui,
                &capital(w.places),
                format!(
                    "{} + {} overflow",
                    l.int(a.capacity),
                    l.int(a.overflow_capacity)
                ),
                "as set in Venue",
            );
        }
        if let Some(m) = &o.decision.admit_more {
            row(
                ui,
                "Admit from waiting",
                format!("{} of {}", l.int(m.count), l.int(m.waiting)),
                &format!(
                    "approve or promote this many now: {} of those admitted are expected to come \
                     ({}; {} of those approved), within capacity {} of the time",
                    l.percent(m.show_up),
                    if m.chosen {
                        "set by you under Who comes"
                    } else {
                        "registrants of the same kind"
                    },
                    l.percent(m.approved_show_up),
                    l.percent(o.decision.service_level),
                ),
            );
        }
        if let Some(accept) = o.decision.accept_up_to {
            row(
                ui,
                w.can_take,
                l.round(accept),
                &format!(
                    "genuine {} at which attendance stays within capacity {} of the time \
                     (empty {} {} vs turned-away guest {}, set in Costs)",
                    w.registrations,
                    l.percent(o.decision.service_level),
                    w.place,
                    a.cost_empty_seat,
                    a.cost_turned_away
                ),
            );
        }
    }
    ui.separator();
    ui.small(&o.model);
    if let Some(b) = &app.session.derived.backtest
        && let Some(m) = b.scores.first()
    {
        let best = b.best_baseline().map_or(String::new(), |n| {
            format!(
                " (best spreadsheet baseline, {}: {})",
                b.unit.words().method(&n.method),
                l.percent(n.mape)
            )
        });
        ui.small(format!(
            "Backtest on {} past edition(s): mean error {}{best}; truth inside P10–P90 {}{}. \
             Details: View menu, Backtest panel.",
            b.editions.len(),
            l.percent(m.mape),
            m.coverage_p10_p90.map_or("—".to_string(), |c| l.percent(c)),
            m.p10_p90_check
                .map_or(String::new(), |c| format!(", {}", c.verdict_text()))
        ));
    }
}

/// No event start: ask for it, offering the start the data suggests.
fn start_prompt(app: &mut TurnoutApp, ui: &mut egui::Ui) {
    let l = app.session.settings.locale;
    let guess = app.session.derived.start_guess;
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.label(egui::RichText::new("When does the event start?").strong());
        ui.label(
            "Until the start is set, signups still to come are not counted and the forecast \
             covers only who registered so far. Set it under Event.",
        );
        if let Some((t, why)) = guess {
            let clock = crate::timefmt::LocalClock::new(app.session.time_zone()).wall(t);
            if ui
                .button(format!("Use {} ({why})", l.datetime(clock)))
                .clicked()
            {
                let mut s = app.session.settings.clone();
                s.assumptions.event_start = Some(t);
                app.sender().send(crate::app::Command::SetSettings {
                    settings: Box::new(s),
                    coalesce: None,
                });
            }
        }
    });
    ui.add_space(6.0);
}
