//! What the flags add up to for a report: counts, reasons, waves, traits, duplicates.

use super::*;

/// A look-alike wave for the report.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct WaveSummary {
    pub start: i64,
    pub end: i64,
    pub size: u64,
    /// Members flagged.
    pub flagged: u64,
    /// File line of an example member.
    pub example_line: u32,
    /// The example's address, for the text report.
    #[serde(skip)]
    pub example: String,
    /// Where the wave is: the table and its cluster number there (for marking it whole).
    #[serde(skip)]
    pub table: usize,
    #[serde(skip)]
    pub cluster: u32,
}

/// A trait for the report.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TraitSummary {
    pub reason: String,
    pub label: String,
    pub among_came: Option<f32>,
    pub among_event: f32,
    pub weight: f32,
    pub basis: TraitBasis,
    pub sentence: String,
}

/// Summary of the flags at a threshold, for the report.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FlagSummary {
    /// Rows flagged.
    pub count: u64,
    /// Rows scored (the event's rows, less those the host added).
    pub scored: u64,
    /// Tickets in flagged active rows.
    pub registrations: u64,
    /// Flagged rows per reason.
    pub by_reason: std::collections::BTreeMap<String, u64>,
    /// Reasons in plain words, most common first (for a headline).
    pub top_reasons: Vec<String>,
    pub bursts: Vec<Burst>,
    /// Blocks of rows added at once (imports, bulk invites): not signups, never a burst.
    pub bulk: Vec<Bulk>,
    /// The biggest look-alike waves.
    pub waves: Vec<WaveSummary>,
    /// Repeats of a registration already counted (counted once).
    pub duplicates: u64,
    /// Addresses with several paid orders (grouped, not flagged).
    pub repeat_buyers: u64,
    /// Rows the host added or invited.
    pub added_by_host: u64,
    /// Patterns of this audience not used as evidence.
    pub traits: Vec<TraitSummary>,
    /// Weights used, by reason name.
    pub weights: std::collections::BTreeMap<String, f32>,
    /// People known to have come whose signals set the weights (0 = none: ceilings used).
    pub calibrated_on: u64,
    /// Identity columns masked by the platform.
    pub masked_columns: Vec<String>,
    pub threshold: f32,
    pub venue_region: String,
}

impl FlagSummary {
    /// One summary over the scored tables of the event being planned (past editions are
    /// scored to measure their show-up, but are not what the summary is about).
    pub fn over_tables(
        dataset: &Dataset,
        scored: &[Option<RowFlags>],
        masks: &[Vec<RowState>],
        threshold: f32,
    ) -> Option<FlagSummary> {
        let mut total: Option<FlagSummary> = None;
        for (ti, ((t, f), m)) in dataset.tables.iter().zip(scored).zip(masks).enumerate() {
            let Some(f) = f.as_ref().filter(|_| t.edition == Edition::Current) else {
                continue;
            };
            let mut s = FlagSummary::new(&t.rows, f, m, threshold);
            // In the log's words: a lodging's traits are of the bookings that arrived.
            for (ts, tr) in s.traits.iter_mut().zip(&f.traits) {
                ts.sentence = tr.sentence_for(dataset.unit().words());
            }
            for w in &mut s.waves {
                w.table = ti;
            }
            match &mut total {
                None => total = Some(s),
                Some(acc) => {
                    acc.count += s.count;
                    acc.scored += s.scored;
                    acc.registrations += s.registrations;
                    for (k, v) in s.by_reason {
                        *acc.by_reason.entry(k).or_insert(0) += v;
                    }
                    acc.bursts.extend(s.bursts);
                    acc.bulk.extend(s.bulk);
                    acc.waves.extend(s.waves);
                    acc.duplicates += s.duplicates;
                    acc.repeat_buyers += s.repeat_buyers;
                    acc.added_by_host += s.added_by_host;
                    for c in s.masked_columns {
                        if !acc.masked_columns.contains(&c) {
                            acc.masked_columns.push(c);
                        }
                    }
                }
            }
        }
        if let Some(acc) = &mut total {
            acc.top_reasons = top_reasons(&acc.by_reason, &acc.weights);
            acc.waves.sort_by_key(|w| std::cmp::Reverse(w.size));
            acc.waves.truncate(5);
        }
        total
    }

    pub fn new(rows: &Rows, flags: &RowFlags, mask: &[RowState], threshold: f32) -> FlagSummary {
        let mut by_reason = std::collections::BTreeMap::new();
        let (mut count, mut regs, mut scored, mut dups, mut host) = (0u64, 0u64, 0u64, 0u64, 0u64);
        let mut wave_flagged = vec![0u64; flags.clusters.len()];
        for (i, &m) in mask.iter().enumerate() {
            if flags.facts[i] & Fact::HostAdded.bit() != 0 {
                host += 1;
            } else {
                scored += 1;
            }
            match m {
                RowState::Duplicate => {
                    dups += 1;
                    continue;
                }
                RowState::Counted => continue,
                RowState::Flagged => {}
            }
            count += 1;
            wave_flagged[flags.cluster[i] as usize] += 1;
            if rows.status[i].is_active() {
                regs += rows.quantity[i] as u64;
            }
            for r in flags.reasons_of(i) {
                *by_reason.entry(r.name().to_string()).or_insert(0) += 1;
            }
        }
        let mut bursts = flags.bursts.clone();
        count_flagged_in_bursts(&mut bursts, &rows.registered_at, |i| {
            mask.get(i) == Some(&RowState::Flagged)
        });
        let email = rows.text(Role::Email);
        let mut waves: Vec<WaveSummary> = flags
            .clusters
            .iter()
            .enumerate()
            .skip(1)
            .map(|(k, c)| WaveSummary {
                start: c.start,
                end: c.end,
                size: c.size as u64,
                flagged: wave_flagged[k],
                example_line: rows.line.get(c.example as usize).copied().unwrap_or(0),
                example: email
                    .map(|e| e.get(c.example as usize).to_string())
                    .unwrap_or_default(),
                table: 0,
                cluster: k as u32,
            })
            .collect();
        waves.sort_by_key(|w| std::cmp::Reverse(w.size));
        waves.truncate(5);
        let weights: std::collections::BTreeMap<String, f32> = Reason::ALL
            .iter()
            .map(|r| (r.name().to_string(), flags.weights[*r as usize]))
            .collect();
        FlagSummary {
            count,
            scored,
            registrations: regs,
            top_reasons: top_reasons(&by_reason, &weights),
            by_reason,
            bursts,
            bulk: flags.bulk.clone(),
            waves,
            duplicates: dups,
            repeat_buyers: flags
                .groups
                .iter()
                .filter(|g| g.kind == GroupKind::RepeatBuyer)
                .count() as u64,
            added_by_host: host,
            traits: flags
                .traits
                .iter()
                .map(|t| TraitSummary {
                    reason: t.reason.name().to_string(),
                    label: t.reason.label().to_string(),
                    among_came: t.among_came,
                    among_event: t.among_event,
                    weight: t.weight,
                    basis: t.basis,
                    sentence: t.sentence(),
                })
                .collect(),
            weights,
            calibrated_on: flags.reference,
            masked_columns: flags.masked.iter().map(|r| r.name().to_string()).collect(),
            threshold,
            venue_region: flags.venue_region.clone(),
        }
    }

    /// Share of scored rows that are flagged.
    pub fn share(&self) -> f64 {
        self.count as f64 / self.scored.max(1) as f64
    }
}

/// Reasons for a headline, most telling first: by rows times weight, the look-alike wave and
/// the weak name-and-address mismatch last (they say least on their own).
fn top_reasons(
    by_reason: &std::collections::BTreeMap<String, u64>,
    weights: &std::collections::BTreeMap<String, f32>,
) -> Vec<String> {
    let mut v: Vec<(Reason, f64)> = by_reason
        .iter()
        .filter_map(|(k, &n)| {
            let r = Reason::from_name(k)?;
            let w = weights.get(k).copied().unwrap_or(r.ceiling()) as f64;
            let late = matches!(r, Reason::Cluster | Reason::NameEmailMismatch);
            Some((r, if late { -(n as f64) } else { n as f64 * w }))
        })
        .collect();
    v.sort_by(|a, b| b.1.total_cmp(&a.1));
    v.into_iter().map(|(r, _)| r.label().to_string()).collect()
}
