//! The newsvendor's answer in two plain sentences.

use super::{Assumptions, Outlook};
use crate::dataset::Words;

fn round_people(x: f64) -> String {
    round_with(x, f64::round)
}

/// Rounded to tens or hundreds as [`round_people`], with `how` (`f64::floor` for an
/// interval's low end and `f64::ceil` for its high end, so a rounded interval still holds
/// what it held: with 1,569 checked in, "1,570–1,670" read as if fewer had). Below a thousand
/// people are whole numbers, as everywhere else.
fn round_with(x: f64, how: fn(f64) -> f64) -> String {
    crate::report::thousands(rounded(x, how))
}

/// The number [`round_with`] writes.
fn rounded(x: f64, how: fn(f64) -> f64) -> u64 {
    let step = if x >= 10_000.0 {
        100.0
    } else if x >= 1_000.0 {
        10.0
    } else {
        return x.round().max(0.0) as u64;
    };
    (how(x / step) * step).max(0.0) as u64
}

/// "1 person", "6,420 people" (or bookings: [`Words`]).
fn people(w: &Words, x: f64) -> String {
    w.count(&round_people(x), x.round() == 1.0)
}

/// Below this share of registrants coming, the advice to release more places says why.
const ONLY_SOME_COME: f64 = 0.95;

/// Two short sentences a volunteer can act on: how many will come, and what to do (set the
/// capacity, stop taking registrations, open the overflow area, or release more places).
pub fn advice(o: &Outlook, a: &Assumptions) -> String {
    let w = o.unit.words();
    // An event that is over and whose file says who came needs no forecast: say what
    // happened, and where to see what the forecast said before.
    if let (true, Some(came)) = (o.outcome_known, o.checked_in) {
        // Check-ins are counted among genuine registrations (flagged ones apart).
        let whom = if o.flagged > 0 {
            format!("genuine {}", w.registrations)
        } else {
            w.registered.to_string()
        };
        return format!(
            "This event is over: {} of the {} {whom} {} ({:.0}%). To see what the \
             forecast said before it, replay as of an earlier day (the Replay option, or \
             --as-of).",
            crate::report::thousands(came),
            crate::report::thousands(o.genuine),
            w.checked_in,
            came as f64 / o.genuine as f64 * 100.0
        );
    }
    // Under way: the check-ins so far are the floor of the forecast; say how many.
    let so_far = match (o.checked_in, o.event_start) {
        (Some(c), Some(s)) if c > 0 && o.as_of >= s => format!(
            "; {} {} {} so far",
            crate::report::thousands(c),
            if c == 1 { "has" } else { "have" },
            w.checked_in
        ),
        _ => String::new(),
    };
    // The low end rounds down, but never below who is already in: with 1,569 checked in,
    // "1,560–1,640" read as if fewer might come than have.
    let low = match o.checked_in {
        Some(c) if !so_far.is_empty() && c as f64 <= o.attendance.p10 => {
            rounded(o.attendance.p10, f64::floor).max(c)
        }
        _ => rounded(o.attendance.p10, f64::floor),
    };
    let come = format!(
        "Expect about {} (80% sure: {}–{}){}",
        w.arriving(
            &round_people(o.attendance.p50),
            o.attendance.p50.round() == 1.0
        ),
        crate::report::thousands(low),
        round_with(o.attendance.p90, f64::ceil),
        if o.pickup.rough_guess {
            ", a rough guess: the pace of the first days carried far ahead"
        } else {
            ""
        }
    );
    if a.capacity == 0 {
        return format!(
            "{come}{so_far}. Set {} to see whether they fit.",
            w.capacity
        );
    }
    let first = format!("{come} for {}{so_far}.", w.places(a.capacity));
    let p_over = o.p_over_capacity * 100.0;
    let turn_away = (o.expected_turned_away >= 1.0).then(|| {
        format!(
            "{}{}{}",
            w.turn_away.0,
            people(w, o.expected_turned_away),
            w.turn_away.1
        )
    });
    let turned = turn_away
        .as_ref()
        .map_or(String::new(), |t| format!("; otherwise {t}"));
    let expected = o.final_registrations.p50;
    // Registrations awaiting approval or on a waiting list: how many to let in is the
    // question, and it replaces "release more places".
    let admit = o.decision.admit_more.as_ref().map(|m| {
        let waiting = crate::report::thousands(m.waiting);
        let rates = format!(
            "about {:.0}% of those admitted are expected to come ({:.0}% of those approved)",
            m.show_up * 100.0,
            m.approved_show_up * 100.0
        );
        if m.count == 0 {
            format!(
                "Keep the {waiting} waiting (pending approval or on the waiting list) on hold: \
                 the seats are taken at the show-up expected."
            )
        } else if m.count >= m.waiting {
            format!("Approve all {waiting} waiting (pending approval or on the waiting list): {rates}, and they fit.")
        } else {
            format!(
                "Approve about {} of the {waiting} waiting (pending approval or on the waiting list): {rates}.",
                crate::report::thousands(m.count)
            )
        }
    });
    let then_admit = |s: String| match &admit {
        Some(more) => format!("{s} {more}"),
        None => s,
    };
    let action = match (o.decision.accept_up_to, o.decision.open_overflow) {
        (_, Some(true)) => then_admit(format!(
            "{}: there is a {p_over:.0}% chance {}{turned}.",
            w.open_overflow, w.fills
        )),
        // Over by at least one registration as written (over by a fraction reads "0 more").
        // Once no more are expected (the event has begun), there is nothing left to stop.
        (Some(accept), _) if (expected - accept).round() >= 1.0 => {
            let (expected, over) = (round_people(expected), round_people(expected - accept));
            then_admit(if o.pickup.method == super::PickupMethod::None {
                let away = turn_away.map_or(String::new(), |t| format!(": {t}"));
                format!(
                    "The {expected} {} are {over} more than the {} allow{away}.",
                    w.registrations, w.places
                )
            } else {
                // A day of dates only takes bookings all day: under way, the day's end.
                let by = if o.event_start.is_some_and(|s| o.as_of >= s) {
                    "the day's end"
                } else {
                    "the start"
                };
                format!(
                    "Stop taking {regs} at about {}: the {expected} {regs} expected by {by} are {over} more than the {} allow{turned}.",
                    round_people(accept),
                    w.places,
                    regs = w.registrations
                )
            })
        }
        (Some(accept), overflow) => {
            let share = if expected > 0.0 {
                o.attendance.p50 / expected
            } else {
                0.0
            };
            let more = accept - expected;
            let room = if let Some(admit) = &admit {
                admit.clone()
            } else if more >= 1.0 && share > 0.0 {
                // "Since only about 100% come" explains nothing: the room is the free places.
                let why = if share < ONLY_SOME_COME {
                    format!(
                        ", since only about {:.0}% of those {} {}",
                        share * 100.0,
                        w.registered,
                        w.come
                    )
                } else {
                    String::new()
                };
                format!(
                    "There is room: you can release about {} more {}{why}.",
                    round_people(more),
                    w.registrations,
                )
            } else {
                format!(
                    "The {} are enough for the {} expected.",
                    w.places, w.registrations
                )
            };
            match overflow {
                Some(false) => format!("{room} {} ({p_over:.0}% chance).", w.no_overflow),
                _ => room,
            }
        }
        (None, _) if p_over >= 5.0 => then_admit(format!(
            "{} or release fewer places: there is a {p_over:.0}% chance {}{turned}.",
            w.plan_overflow, w.overflows
        )),
        (None, _) => then_admit(format!("The {} are enough.", w.places)),
    };
    format!("{first} {action}")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An interval is rounded outward, so the rounded one still holds what it held.
    #[test]
    fn intervals_round_outward() {
        assert_eq!(round_people(1_574.0), "1,570");
        assert_eq!(round_with(1_569.4, f64::floor), "1,560");
        assert_eq!(round_with(1_673.2, f64::ceil), "1,680");
        assert_eq!(round_with(124.6, f64::floor), "125");
        assert_eq!(round_with(12_340.0, f64::ceil), "12,400");
        assert_eq!(round_with(-3.0, f64::floor), "0");
    }
}
