//! Every event of the loaded files in one table: upcoming ones forecast side by side against
//! the venue's capacity, past ones with the forecast made the day before and who came, a
//! door count (headcount) per past event, and a button to put any event in focus. The rows
//! come from the analysis (`Derived::events`); this panel only shows them and sends settings.

use egui_extras::{Column, TableBuilder};

use crate::analysis::forecast::events::EventOutlook;
use crate::app::{Command, TurnoutApp};
use crate::project::Settings;
use crate::timefmt::LocalClock;

use crate::report::capital;

/// One row of the table: an event of the series with what is known about it.
struct Row<'a> {
    /// The event's index in the series.
    index: usize,
    label: &'a str,
    group: &'a str,
    start: Option<i64>,
    focus: bool,
    /// Registrants who came, when the files say.
    came: Option<f64>,
    /// People counted at the door: typed, or from a headcount file.
    counted: Option<u64>,
    outlook: Option<&'a EventOutlook>,
}

pub fn events_ui(app: &mut TurnoutApp, ui: &mut egui::Ui) {
    let s = &app.session;
    let l = s.settings.locale;
    let events = &s.agg.series.events;
    if events.len() < 2 {
        ui.heading("Events");
        ui.label(
            "One event is loaded. Add past editions (File menu, Add a past edition) or open a file \
             that holds a series (an appointment book, a booking log with an event-date \
             column) to see every event here.",
        );
        return;
    }
    let mut order: Vec<usize> = s.agg.series.in_order().to_vec();
    order.extend((0..events.len()).filter(|&i| events[i].start.is_none()));
    let outlooks: rustc_hash::FxHashMap<(&str, &str), &EventOutlook> = s
        .derived
        .events
        .events
        .iter()
        .map(|o| ((o.label.as_str(), o.group.as_str()), o))
        .collect();
    let rows: Vec<Row> = order
        .iter()
        .map(|&i| {
            let e = &events[i];
            let outlook = outlooks.get(&(e.label.as_str(), e.group.as_str())).copied();
            Row {
                index: i,
                label: &e.label,
                group: &e.group,
                start: e.start,
                focus: s.agg.focus == Some(i),
                // Nobody has come to an event that has not begun, whatever its rows' marks
                // say (an appointment still `Booked` is not a no-show yet).
                came: e
                    .came()
                    .filter(|_| outlook.is_none_or(|o| o.status != "upcoming")),
                counted: e.headcount,
                outlook,
            }
        })
        .collect();
    let upcoming = rows
        .iter()
        .filter(|r| r.outlook.is_some_and(|o| o.status == "upcoming"))
        .count();
    let grouped = rows.iter().any(|r| !r.group.is_empty());
    let capacity = s.settings.assumptions.capacity;
    let words = s.derived.outlook.unit.words();
    let tz = s.time_zone();
    let mut clock = LocalClock::new(tz);
    let as_of = s.derived.outlook.as_of;
    // Every "—" needs its reason: nothing to learn from yet.
    let unforecast = s.derived.events.forecast == 0;
    // Upcoming events beyond the forecast list (the earliest few hundred of a chain's
    // nights) are in the table with no forecast; say so rather than count only the listed.
    let to_come = s.derived.events.upcoming.max(upcoming);
    let listed = if upcoming > 0 && to_come > upcoming {
        format!(
            "{} upcoming (the earliest {} {} here; `turnout report --upcoming N` {} more)",
            l.int(to_come as u64),
            l.int(upcoming as u64),
            if unforecast { "listed" } else { "forecast" },
            if unforecast { "lists" } else { "forecasts" }
        )
    } else {
        format!("{} upcoming", l.int(upcoming as u64))
    };
    super::heading_updating(ui, "Events", s.analysis.updating());
    ui.small(format!(
        "{} event{}, {listed}. Upcoming events are forecast as of {} from the events \
         before them; past ones show the forecast made the day before and {}. {} {}",
        l.int(rows.len() as u64),
        if rows.len() == 1 { "" } else { "s" },
        l.datetime(clock.wall(as_of)),
        words.scored_against,
        words.count_note,
        if capacity > 0 {
            format!("Capacity {} applies to every event.", l.int(capacity))
        } else {
            "Set the capacity to see which events fit.".to_string()
        }
    ));
    if upcoming > 0 && unforecast && !s.analysis.updating() {
        ui.small(
            "No forecast yet: no earlier event's outcome is known. Check-ins, an attendance or \
             no-show column, a headcount file (File › Add headcounts…) or a door count typed \
             below give one.",
        );
    }
    let settings = s.settings.clone();
    let mut wanted: Option<Settings> = None;
    let row_height = 22.0;
    // A long series lists years of past events before the ones to come: the table opens on
    // the event in focus, and scrolls to it again whenever the focus changes (not while the
    // user scrolls).
    let focus_row = rows.iter().position(|r| r.focus);
    let seen_id = egui::Id::unique("events-table-focus-shown");
    let seen = ui.data(|d| d.get_temp::<Option<usize>>(seen_id));
    let scroll_to = (seen != Some(focus_row)).then_some(focus_row).flatten();
    ui.data_mut(|d| d.insert_temp(seen_id, focus_row));
    let mut table = TableBuilder::new(ui)
        .min_scrolled_height(0.0)
        .id_salt("events-table")
        .striped(true)
        .column(Column::initial(150.0).at_least(90.0).clip(true));
    if let Some(row) = scroll_to {
        table = table.scroll_to_row(row, Some(egui::Align::Center));
    }
    if grouped {
        table = table.column(Column::initial(140.0).at_least(60.0).clip(true));
    }
    table
        .column(Column::initial(120.0).at_least(90.0))
        .column(Column::initial(80.0).at_least(60.0))
        .column(Column::initial(120.0).at_least(90.0))
        .column(Column::initial(110.0).at_least(80.0))
        .column(Column::initial(70.0).at_least(50.0))
        .column(Column::initial(90.0).at_least(70.0))
        .column(Column::remainder().at_least(60.0))
        .header(18.0, |mut h| {
            let mut heads = vec!["Event"];
            if grouped {
                heads.push("Group");
            }
            // A lodging's log counts bookings: "Booked" and "Arrived".
            let (booked, came) = (capital(words.registered), capital(words.came));
            heads.extend([
                booked.as_str(),
                "Expected",
                "80% sure",
                "Against capacity",
                came.as_str(),
                "Headcount",
                "",
            ]);
            for head in heads {
                h.col(|ui| {
                    ui.strong(head);
                });
            }
        })
        .body(|body| {
            body.rows(row_height, rows.len(), |mut row| {
                let r = &rows[row.index()];
                let o = r.outlook;
                row.col(|ui| {
                    let text = crate::bidi::visual(event_column(r.label, r.group, grouped));
                    if r.focus {
                        ui.strong(text);
                    } else {
                        ui.label(text);
                    }
                });
                if grouped {
                    row.col(|ui| {
                        ui.label(crate::bidi::visual(r.group));
                    });
                }
                // The event in focus without a row of its own in the list (it has begun, or
                // nothing came before it): the Outlook's numbers, which are its forecast.
                let outlook = (r.focus && o.is_none()).then_some(&s.derived.outlook);
                row.col(|ui| {
                    if let Some(out) = outlook {
                        ui.label(l.int(out.genuine))
                            .on_hover_text("Genuine registrations, as in the Outlook");
                    } else if let Some(o) = o {
                        ui.label(l.int(o.registrations)).on_hover_text(format!(
                            "{} active {}",
                            capital(words.registrations),
                            if o.status == "past" {
                                "the day before"
                            } else {
                                "now"
                            }
                        ));
                    } else if let Some(held) = s.agg.series.held_at_close(r.index, as_of) {
                        // A past event with no forecast (nothing came before it, or the files
                        // do not say who came, so there is nothing to check one against):
                        // what it held at its close.
                        let why = if r.came.is_some() || r.counted.is_some() {
                            "no earlier event to forecast it from"
                        } else {
                            "the files do not say who came (add check-ins or a door count to \
                             learn from past events)"
                        };
                        ui.label(l.int(held.round() as u64)).on_hover_text(format!(
                            "Registrations holding a place when bookings closed. No \
                                 forecast: {why}"
                        ));
                    } else {
                        ui.label("—");
                    }
                });
                let q = o
                    .and_then(|o| o.attendance)
                    .or(outlook.map(|out| out.attendance));
                row.col(|ui| {
                    ui.label(q.map_or("—".to_string(), |q| l.round(q.p50)));
                });
                row.col(|ui| {
                    ui.label(q.map_or("—".to_string(), |q| {
                        format!("{}–{}", l.round(q.p10), l.round(q.p90))
                    }));
                });
                row.col(|ui| {
                    let text = match (o, q) {
                        (Some(o), _) if o.status == "past" => match r.came {
                            Some(c) if capacity > 0 && c > capacity as f64 => "was over",
                            Some(_) if capacity > 0 => "fitted",
                            _ => "—",
                        }
                        .to_string(),
                        (_, Some(q)) => q.against_capacity(capacity, l),
                        _ => "—".to_string(),
                    };
                    ui.label(text);
                });
                row.col(|ui| {
                    // The event in focus under way: those arrived so far, as the Outlook says.
                    let came = r.came.or(r
                        .focus
                        .then_some(s.derived.outlook.checked_in)
                        .flatten()
                        .map(|c| c as f64));
                    ui.label(came.map_or("—".to_string(), |c| l.round(c)));
                });
                row.col(|ui| {
                    let past = r.start.is_some_and(|st| st <= as_of);
                    if past {
                        if let Some(new) =
                            headcount_field(ui, &settings, r.label, r.group, r.counted)
                        {
                            wanted = Some(new);
                        }
                    } else {
                        ui.label("—");
                    }
                });
                row.col(|ui| {
                    let text = if r.focus { "In focus" } else { "Focus" };
                    let b = ui
                        .add_enabled(!r.focus, egui::Button::new(text).small())
                        .on_hover_text("Show this event in the chart, outlook and summary");
                    b.widget_info(|| {
                        egui::WidgetInfo::labeled(
                            egui::Role::Button,
                            !r.focus,
                            format!("Focus on {} {}", r.label, r.group).trim_end(),
                        )
                    });
                    if b.clicked() {
                        wanted = Some(focus_on(&settings, r.label, r.group, r.start));
                    }
                });
            });
        });
    if let Some(new) = wanted {
        app.sender().send(Command::SetSettings {
            settings: Box::new(new),
            coalesce: None,
        });
    }
}

/// The settings with `label`/`group` in focus. Its own start replaces one typed for another
/// event (a series' events carry their start), and a replay date goes.
pub fn focus_on(settings: &Settings, label: &str, group: &str, start: Option<i64>) -> Settings {
    let mut s = settings.clone();
    s.focus = Some((label.to_string(), group.to_string()));
    if start.is_some() {
        s.assumptions.event_start = None;
        s.assumptions.as_of = None;
    }
    s
}

/// A door-count field for one past event: empty when none was counted, a headcount file's
/// count greyed (typing one replaces it). The text being typed is kept in egui's memory until
/// Enter or leaving the field commits it.
fn headcount_field(
    ui: &mut egui::Ui,
    settings: &Settings,
    label: &str,
    group: &str,
    counted: Option<u64>,
) -> Option<Settings> {
    let current = settings
        .headcounts
        .iter()
        .find(|(l, g, _)| l == label && g == group)
        .map(|h| h.2);
    let id = egui::Id::unique(("headcount", label, group));
    let mut text = ui
        .data(|d| d.get_temp::<String>(id))
        .unwrap_or_else(|| current.map(|n| n.to_string()).unwrap_or_default());
    let name = format!("Headcount of {label} {group}");
    let r = ui
        .add(
            egui::TextEdit::singleline(&mut text)
                .hint_text(counted.map_or("—".to_string(), |n| n.to_string()))
                .desired_width(64.0),
        )
        .on_hover_text(match (current, counted) {
            (None, Some(n)) => format!(
                "{n} people counted, from the headcount file. Type a number to replace it for \
                 this event."
            ),
            _ => "People counted at the door (registrants and walk-ins). Walk-ins are learned \
                  from it and added to the forecast. Empty: not counted."
                .to_string(),
        });
    r.widget_info(|| egui::WidgetInfo::labeled(egui::Role::TextInput, true, name.trim_end()));
    if r.changed() {
        ui.data_mut(|d| d.insert_temp(id, text.clone()));
    }
    if !r.lost_focus() {
        return None;
    }
    ui.data_mut(|d| d.remove::<String>(id));
    let cleaned: String = text.chars().filter(|c| c.is_ascii_digit()).collect();
    let new = if text.trim().is_empty() {
        None
    } else {
        cleaned.parse::<u64>().ok()
    };
    if new == current || (new.is_none() && !text.trim().is_empty()) {
        return None;
    }
    let mut s = settings.clone();
    // Entries a project saved under another spelling of the group are this event's too.
    s.headcounts
        .retain(|(l, g, _)| !crate::dataset::events::same_event((l, g), (label, group)));
    if let Some(n) = new {
        s.headcounts.push((label.to_string(), group.to_string(), n));
    }
    Some(s)
}

/// What the Event column shows: a grouped series' labels end with the group
/// (`2017-03-19 · air_10`), which has a column of its own, so the column keeps what tells the
/// events of one group apart (`2017-03-19`).
fn event_column<'a>(label: &'a str, group: &str, grouped: bool) -> &'a str {
    if !grouped || group.is_empty() {
        return label;
    }
    label
        .strip_suffix(group)
        .and_then(|l| l.strip_suffix(" · "))
        .filter(|l| !l.is_empty())
        .unwrap_or(label)
}

#[cfg(test)]
mod tests {
    use super::event_column;

    #[test]
    fn the_event_column_leaves_the_group_to_its_own_column() {
        assert_eq!(
            event_column("2017-03-19 · air_10", "air_10", true),
            "2017-03-19"
        );
        // A label that does not end with its group, or a series without groups, is kept.
        assert_eq!(event_column("Spring gala", "hall", true), "Spring gala");
        assert_eq!(event_column("2016-05-02", "", true), "2016-05-02");
        assert_eq!(event_column("a · b", "b", false), "a · b");
        // Nothing but the group: the label stays whole rather than going blank.
        assert_eq!(event_column(" · b", "b", true), " · b");
    }
}
