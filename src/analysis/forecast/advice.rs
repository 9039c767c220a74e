//! The newsvendor's answer in one plain sentence.

use super::{Assumptions, Outlook};

fn round_people(x: f64) -> String {
    let r = if x >= 10_000.0 {
        (x / 100.0).round() * 100.0
    } else if x >= 1_000.0 {
        (x / 10.0).round() * 10.0
    } else {
        x.round()
    };
    crate::report::thousands(r.max(0.0) as u64)
}

/// One plain sentence: what to expect and what to do about it.
pub fn advice(o: &Outlook, a: &Assumptions) -> String {
    let expect = format!(
        "Expect about {} people (80% sure: {}–{})",
        round_people(o.attendance.p50),
        round_people(o.attendance.p10),
        round_people(o.attendance.p90)
    );
    if a.capacity == 0 {
        return format!("{expect}. Set the venue's capacity to see whether they fit.");
    }
    let seats = crate::report::thousands(a.capacity);
    let mut s = format!("{expect} for {seats} seats");
    if let Some(accept) = o.decision.accept_up_to {
        let expected = o.final_registrations.p50;
        let costs = format!(
            "weighing an empty seat ({}) against a turned-away guest ({})",
            trim_cost(a.cost_empty_seat),
            trim_cost(a.cost_turned_away)
        );
        if accept >= expected {
            s.push_str(&format!(
                "; {costs}, the hall can take up to {} genuine registrations, {} more than the {} expected",
                round_people(accept),
                round_people(accept - expected),
                round_people(expected)
            ));
        } else {
            s.push_str(&format!(
                "; {costs}, stop at {} genuine registrations: the {} expected are {} too many",
                round_people(accept),
                round_people(expected),
                round_people(expected - accept)
            ));
        }
    }
    match o.decision.open_overflow {
        Some(true) => s.push_str(&format!(
            ", and open the overflow area ({:.0}% chance the hall overflows)",
            o.p_over_capacity * 100.0
        )),
        Some(false) => s.push_str(&format!(
            ", and don't build the overflow area ({:.0}% chance it's needed)",
            o.p_over_capacity * 100.0
        )),
        None if o.p_over_capacity >= 0.05 => s.push_str(&format!(
            ": a {:.0}% chance the hall overflows, so plan an overflow area or release fewer tickets",
            o.p_over_capacity * 100.0
        )),
        None => {}
    }
    if o.expected_turned_away >= 1.0 {
        s.push_str(&format!(
            "; expect to turn about {} away",
            round_people(o.expected_turned_away)
        ));
    }
    s.push('.');
    s
}

fn trim_cost(c: f64) -> String {
    if c.fract() == 0.0 {
        format!("{c:.0}")
    } else {
        format!("{c:.2}")
    }
}
