//! The text of the `flagged` section: what was flagged and why, bursts, bulk imports, waves.

use std::fmt::Write as _;

use super::{terminal_safe, thousands};

pub(super) fn flags_text(
    s: &mut String,
    f: &crate::analysis::flags::FlagSummary,
    zone: &str,
    w: &crate::dataset::Words,
) {
    let local = |t: i64| crate::timefmt::local_at(t, zone);
    use crate::analysis::flags::Reason;
    let _ = writeln!(
        s,
        "\nFlagged as likely fake or coordinated: {} of {} rows ({:.1}%), {} {} (score ≥ {}, venue region {})",
        thousands(f.count),
        thousands(f.scored),
        f.share() * 100.0,
        thousands(f.registrations),
        w.registrations,
        f.threshold,
        if f.venue_region.is_empty() {
            "unknown"
        } else {
            &f.venue_region
        }
    );
    let mut reasons: Vec<(&String, &u64)> = f.by_reason.iter().collect();
    reasons.sort_by_key(|(_, n)| std::cmp::Reverse(**n));
    let reasons: Vec<String> = reasons
        .into_iter()
        .map(|(k, v)| {
            let label =
                Reason::from_name(k).map_or_else(|| k.to_string(), |r| r.label().to_string());
            format!("{label} {}", thousands(*v))
        })
        .collect();
    if !reasons.is_empty() {
        let _ = writeln!(s, "  why: {}", reasons.join(", "));
    }
    if f.calibrated_on > 0 {
        let _ = writeln!(
            s,
            "  each sign weighed by how much rarer it is among the {} {}",
            thousands(f.calibrated_on),
            w.known_came
        );
    } else {
        let _ = writeln!(
            s,
            "  fewer than {} {} (check-ins here or in past editions): each sign counts at its usual weight",
            crate::analysis::flags::MIN_REFERENCE,
            w.known_came
        );
    }
    for t in &f.traits {
        let _ = writeln!(s, "  trait of this audience — {}", t.sentence);
    }
    for c in &f.masked_columns {
        let _ = writeln!(
            s,
            "  the {c} column is masked by the platform: not used to tell people apart"
        );
    }
    if f.duplicates > 0 {
        let _ = writeln!(
            s,
            "  {} duplicate registrations (the same person again) counted once, not called fake",
            thousands(f.duplicates)
        );
    }
    if f.repeat_buyers > 0 {
        let _ = writeln!(
            s,
            "  {} repeat buyers (several paid orders from one address) grouped, not flagged",
            thousands(f.repeat_buyers)
        );
    }
    if f.added_by_host > 0 {
        let _ = writeln!(
            s,
            "  {} rows added or invited by the host: not signups, not scored",
            thousands(f.added_by_host)
        );
    }
    // The largest blocks, in time order; one line for the rest (all are in `--json`).
    let mut largest: Vec<&crate::analysis::flags::Bulk> = f.bulk.iter().collect();
    largest.sort_by_key(|b| std::cmp::Reverse(b.count));
    let (listed, rest) = largest.split_at(largest.len().min(BURSTS_LISTED));
    let mut listed = listed.to_vec();
    listed.sort_by_key(|b| b.start);
    for b in listed {
        let _ = writeln!(
            s,
            "  {} rows added in one block {} – {} (an import or bulk invite): not a burst",
            thousands(b.count),
            local(b.start),
            local(b.end)
        );
    }
    if !rest.is_empty() {
        let _ = writeln!(
            s,
            "  {} more blocks ({} rows) added at once: not bursts (all in --json)",
            thousands(rest.len() as u64),
            thousands(rest.iter().map(|b| b.count).sum())
        );
    }
    for w in &f.waves {
        let _ = writeln!(
            s,
            "  look-alike wave {} – {}: {} signups shaped like {} (line {}), {} flagged",
            local(w.start),
            local(w.end),
            thousands(w.size),
            terminal_safe(&w.example),
            w.example_line,
            thousands(w.flagged)
        );
    }
    bursts_text(s, &f.bursts, zone);
}

/// Bursts the summary lists: an appointment book's every working day is a burst against its
/// nights and weekends (65 lines on a real one, none flagged), so the ones worth reading come first.
pub const BURSTS_LISTED: usize = 10;

/// The [`BURSTS_LISTED`] bursts holding the most flagged signups (then the largest), in time
/// order, and one line for the rest (all of them are in `--json` and the Flagged panel).
fn bursts_text(s: &mut String, bursts: &[crate::analysis::flags::Burst], zone: &str) {
    let local = |t: i64| crate::timefmt::local_at(t, zone);
    let mut order: Vec<usize> = (0..bursts.len()).collect();
    order.sort_by_key(|&i| {
        let b = &bursts[i];
        (
            std::cmp::Reverse(b.flagged),
            std::cmp::Reverse(b.count),
            b.start,
        )
    });
    let (listed, rest) = order.split_at(order.len().min(BURSTS_LISTED));
    let mut listed = listed.to_vec();
    listed.sort_by_key(|&i| bursts[i].start);
    for &i in &listed {
        let b = &bursts[i];
        let _ = writeln!(
            s,
            "  burst {} – {}: {} signups, {} flagged",
            local(b.start),
            local(b.end),
            thousands(b.count),
            thousands(b.flagged)
        );
    }
    if !rest.is_empty() {
        let signups: u64 = rest.iter().map(|&i| bursts[i].count).sum();
        let flagged: u64 = rest.iter().map(|&i| bursts[i].flagged).sum();
        let _ = writeln!(
            s,
            "  … {} more bursts: {} signups, {} flagged (all bursts: --json, or the app's Flagged panel)",
            thousands(rest.len() as u64),
            thousands(signups),
            thousands(flagged)
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_burst_list_leads_with_flagged_bursts_and_sums_up_the_rest() {
        use crate::analysis::flags::Burst;
        let hour = 3_600;
        // 30 working-day bursts with nobody flagged, and two small ones with flagged signups.
        let mut bursts: Vec<Burst> = (0..30)
            .map(|d| Burst {
                start: d * 24 * hour,
                end: d * 24 * hour + 10 * hour,
                count: 1_000 + d as u64,
                flagged: 0,
            })
            .collect();
        bursts.push(Burst {
            start: 3 * 24 * hour + 20 * hour,
            end: 3 * 24 * hour + 21 * hour,
            count: 40,
            flagged: 35,
        });
        bursts.push(Burst {
            start: 40 * 24 * hour,
            end: 40 * 24 * hour + hour,
            count: 12,
            flagged: 2,
        });
        bursts.sort_by_key(|b| b.start);
        let mut s = String::new();
        bursts_text(&mut s, &bursts, "Etc/UTC");
        let lines: Vec<&str> = s.lines().collect();
        assert_eq!(lines.len(), BURSTS_LISTED + 1, "{s}");
        // Both flagged bursts are listed, then the largest of the others, in time order.
        assert!(s.contains("40 signups, 35 flagged"), "{s}");
        assert!(s.contains("12 signups, 2 flagged"), "{s}");
        assert!(s.contains("1,029 signups, 0 flagged"), "{s}");
        assert!(!s.contains("1,000 signups"), "{s}");
        let starts: Vec<&str> = lines[..BURSTS_LISTED]
            .iter()
            .map(|l| l.split(' ').nth(3).unwrap())
            .collect();
        let mut sorted = starts.clone();
        sorted.sort();
        assert_eq!(starts, sorted);
        // The 22 left out: 1,000 + … + 1,021 signups, none flagged.
        let left: u64 = (0..22).map(|d| 1_000 + d).sum();
        assert_eq!(
            lines[BURSTS_LISTED],
            format!(
                "  … 22 more bursts: {} signups, 0 flagged (all bursts: --json, or the app's Flagged panel)",
                thousands(left)
            )
        );
        // Ten or fewer: all listed, no summary line.
        let mut s = String::new();
        bursts_text(&mut s, &bursts[..5], "Etc/UTC");
        assert_eq!(s.lines().count(), 5);
    }
}
