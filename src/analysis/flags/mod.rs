//! Fake and coordinated registrations: per-row signals, calibrated on people known to be
//! real, combined into a score; look-alike waves scored as clusters; evidence of genuineness
//! (payment, a check-in, coming back, a screening) counting against the signals; duplicates
//! and repeat buyers told apart from fakes.
//!
//! Each signal has a ceiling weight (what it is worth at most, from what it is):
//!
//! | signal | ceiling | why |
//! | --- | --- | --- |
//! | in a burst | 0.25 | a Poisson CUSUM over hourly counts, against the median of the same hour of day scaled by the day's level, signals a fourfold rate; weak alone, because real surges (a TV mention) are bursts too |
//! | one address, many people | 0.35 / 0.6 | the same normalized address (case, Gmail dots, `+tags`, googlemail) for 2 / ≥ 3 different people, typed in different ways or with different family names |
//! | shared phone | 0.4 | one phone number on ≥ 3 registrations |
//! | throwaway address | 0.6 | a disposable-mail service (the CC0 list in `assets/disposable`) |
//! | random letters before the `@` | 0.5 / 0.3 | keyboard mash / only unusual letter pairs; not at universities or relay services, which assign addresses |
//! | running-number addresses | 0.5 / 0.3 | ≥ 20 addresses of one stem whose numbers follow each other, at a free mailbox / elsewhere; never at universities |
//! | made-up name | 0.3 | keyboard mash, a first name repeated as last name |
//! | digits in the name | 0.4 | `Pop123`; real names have none |
//! | counter in the name | 0.5 | ≥ 5 names of one stem with changing numbers (`Pop1`, `Pop2`, …) |
//! | initials in bulk | 0.2 | a one-letter first name in an hour where many are |
//! | name and address unrelated | 0.1 | the address shares nothing with the name |
//! | placeholder phone | 0.3 | `123-456-7890`, one digit repeated |
//! | far away | 0.15 | outside the venue's region; a few are normal |
//! | shared device | 0.3 | one IP or user agent on ≥ 20 registrations |
//! | look-alike wave | ≤ 0.7 | the row's cluster (same shape, same hours) mostly looks fake on its own |
//!
//! Calibration: people who came (checked in at a past edition or at this event) are real.
//! With at least [`MIN_REFERENCE`] of them, a signal firing in a share `r` of them and `e`
//! of this event weighs `min(ceiling, 1 − r/e)`: the share of its rows that cannot be real
//! people like those (a likelihood ratio read as a precision). A signal as common among
//! them as here is a trait of the audience and weighs nothing. Without them, a signal on
//! most of the event's rows that independent signs rarely back up is treated as such a trait.
//!
//! Signals combine as a noisy-or, `1 − Π(1 − wᵢ)`; genuineness multiplies the result down
//! (checked in: 0; paid, or came before: ×0.1; registered before, or approved after a
//! screening: ×0.5). Default threshold 0.5.

mod cluster;
mod export;
mod signals;
mod summary;
mod timing;

pub use summary::{FlagSummary, TraitSummary, WaveSummary};

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;

use crate::dataset::{Dataset, Edition, NO_TIME, Rows};
use crate::import::Role;

pub use export::{flagged_csv, write_flagged_csv};
use signals::{TableSignals, aux, table_signals};
pub use timing::MAX_SPAN_HOURS;

/// People known to be real needed before signals are weighed on them.
pub const MIN_REFERENCE: u64 = 30;

/// Why a row was flagged. Bits of [`RowFlags::reasons`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
#[repr(u8)]
pub enum Reason {
    Burst = 0,
    RepeatedIdentity,
    SharedPhone,
    DisposableDomain,
    RandomLocalPart,
    SequentialAddresses,
    PatternedName,
    DigitsInName,
    NameCounter,
    InitialsInBulk,
    NameEmailMismatch,
    PlaceholderPhone,
    FarAway,
    SharedDevice,
    Cluster,
}

/// Number of [`Reason`]s.
pub const REASONS: usize = 15;

impl Reason {
    pub const ALL: [Reason; REASONS] = [
        Reason::Burst,
        Reason::RepeatedIdentity,
        Reason::SharedPhone,
        Reason::DisposableDomain,
        Reason::RandomLocalPart,
        Reason::SequentialAddresses,
        Reason::PatternedName,
        Reason::DigitsInName,
        Reason::NameCounter,
        Reason::InitialsInBulk,
        Reason::NameEmailMismatch,
        Reason::PlaceholderPhone,
        Reason::FarAway,
        Reason::SharedDevice,
        Reason::Cluster,
    ];

    /// The machine name (JSON, CSV, `--reason`).
    pub fn name(self) -> &'static str {
        match self {
            Reason::Burst => "burst",
            Reason::RepeatedIdentity => "repeated_identity",
            Reason::SharedPhone => "shared_phone",
            Reason::DisposableDomain => "disposable_domain",
            Reason::RandomLocalPart => "random_local_part",
            Reason::SequentialAddresses => "sequential_addresses",
            Reason::PatternedName => "patterned_name",
            Reason::DigitsInName => "digits_in_name",
            Reason::NameCounter => "name_counter",
            Reason::InitialsInBulk => "initials_in_bulk",
            Reason::NameEmailMismatch => "name_email_mismatch",
            Reason::PlaceholderPhone => "placeholder_phone",
            Reason::FarAway => "far_away",
            Reason::SharedDevice => "shared_device",
            Reason::Cluster => "lookalike_wave",
        }
    }

    /// A few plain words for lists and table cells.
    pub fn label(self) -> &'static str {
        match self {
            Reason::Burst => "signed up in a burst",
            Reason::RepeatedIdentity => "one address, many people",
            Reason::SharedPhone => "shared phone number",
            Reason::DisposableDomain => "throwaway e-mail address",
            Reason::RandomLocalPart => "random letters in the address",
            Reason::SequentialAddresses => "running-number addresses",
            Reason::PatternedName => "made-up name",
            Reason::DigitsInName => "digits in the name",
            Reason::NameCounter => "counter in the name",
            Reason::InitialsInBulk => "initials only, many at once",
            Reason::NameEmailMismatch => "address unrelated to the name",
            Reason::PlaceholderPhone => "placeholder phone number",
            Reason::FarAway => "far from the venue",
            Reason::SharedDevice => "same device as many others",
            Reason::Cluster => "part of a look-alike wave",
        }
    }

    /// A sentence for a tooltip or detail pane.
    pub fn explain(self) -> &'static str {
        match self {
            Reason::Burst => {
                "Signed up during an hour with far more signups than usual for that time of day."
            }
            Reason::RepeatedIdentity => {
                "The same e-mail address (ignoring dots, +tags and capitals) was used for several different people."
            }
            Reason::SharedPhone => "The same phone number is on three or more registrations.",
            Reason::DisposableDomain => "The address is at a throwaway e-mail service.",
            Reason::RandomLocalPart => "The letters before the @ look typed at random.",
            Reason::SequentialAddresses => {
                "One of many addresses that differ only in a running number (fan0001, fan0002, …)."
            }
            Reason::PatternedName => {
                "The name looks typed at random, or the first name is repeated as the last name."
            }
            Reason::DigitsInName => "The name contains digits.",
            Reason::NameCounter => {
                "One of many names that differ only in a number (Pop1, Pop2, …)."
            }
            Reason::InitialsInBulk => {
                "Only an initial as first name, at a time when many signups did the same."
            }
            Reason::NameEmailMismatch => "The address has nothing in common with the name.",
            Reason::PlaceholderPhone => "The phone number is a placeholder such as 123-456-7890.",
            Reason::FarAway => "Registered from far outside the venue's region.",
            Reason::SharedDevice => "The same IP address or browser is on many registrations.",
            Reason::Cluster => {
                "Part of a wave of signups with the same shape of address and name in the same hours, most of which look fake on their own."
            }
        }
    }

    pub fn bit(self) -> u16 {
        1 << self as u8
    }

    /// What the signal is worth at most.
    pub fn ceiling(self) -> f32 {
        match self {
            Reason::Burst => 0.25,
            Reason::RepeatedIdentity => 0.6,
            Reason::SharedPhone => 0.4,
            Reason::DisposableDomain => 0.6,
            Reason::RandomLocalPart => 0.5,
            Reason::SequentialAddresses => 0.5,
            Reason::PatternedName => 0.3,
            Reason::DigitsInName => 0.4,
            Reason::NameCounter => 0.5,
            Reason::InitialsInBulk => 0.2,
            Reason::NameEmailMismatch => 0.1,
            Reason::PlaceholderPhone => 0.3,
            Reason::FarAway => 0.15,
            Reason::SharedDevice => 0.3,
            Reason::Cluster => cluster::MAX_WEIGHT,
        }
    }

    pub fn from_name(name: &str) -> Option<Reason> {
        Reason::ALL.into_iter().find(|r| r.name() == name)
    }
}

/// Facts about a row that are not signs of a fake. Bits of [`RowFlags::facts`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[repr(u8)]
pub enum Fact {
    /// The same person (address and name) registered again for the same event: counted once.
    Duplicate = 0,
    /// One of several paid orders from one address.
    RepeatBuyer,
    Paid,
    CheckedIn,
    /// The address belongs to someone who came (to a past edition or another event).
    AttendedBefore,
    /// The address registered for a past edition.
    Returning,
    /// Approved by the host where registrations wait for approval.
    Approved,
    /// Added or invited by the host (an `invited` status, a host import): not a signup.
    HostAdded,
    /// One of many rows in one minute or one second: a block, not a burst.
    ArrivedInBulk,
    /// The address is masked, redacted or hashed: it says nothing about who the person is.
    Masked,
}

impl Fact {
    pub const ALL: [Fact; 10] = [
        Fact::Duplicate,
        Fact::RepeatBuyer,
        Fact::Paid,
        Fact::CheckedIn,
        Fact::AttendedBefore,
        Fact::Returning,
        Fact::Approved,
        Fact::HostAdded,
        Fact::ArrivedInBulk,
        Fact::Masked,
    ];

    pub fn bit(self) -> u16 {
        1 << self as u8
    }

    pub fn name(self) -> &'static str {
        match self {
            Fact::Duplicate => "duplicate",
            Fact::RepeatBuyer => "repeat_buyer",
            Fact::Paid => "paid",
            Fact::CheckedIn => "checked_in",
            Fact::AttendedBefore => "came_before",
            Fact::Returning => "registered_before",
            Fact::Approved => "approved",
            Fact::HostAdded => "added_by_host",
            Fact::ArrivedInBulk => "arrived_in_bulk",
            Fact::Masked => "masked_address",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Fact::Duplicate => "duplicate registration (counted once)",
            Fact::RepeatBuyer => "repeat buyer",
            Fact::Paid => "paid",
            Fact::CheckedIn => "checked in",
            Fact::AttendedBefore => "came before",
            Fact::Returning => "registered before",
            Fact::Approved => "approved by the host",
            Fact::HostAdded => "added by the host",
            Fact::ArrivedInBulk => "arrived in a block",
            Fact::Masked => "address masked by the platform",
        }
    }

    /// What the fact does to the score (a multiplier), if anything.
    fn discount(self) -> f32 {
        match self {
            Fact::CheckedIn | Fact::HostAdded => 0.0,
            Fact::Paid | Fact::AttendedBefore => 0.1,
            Fact::Returning | Fact::Approved => 0.5,
            _ => 1.0,
        }
    }
}

/// Settings of the detector.
#[derive(Clone, Debug, PartialEq, Serialize, serde::Deserialize)]
#[serde(default)]
pub struct FlagSettings {
    /// Score at or above which a row is flagged.
    pub threshold: f32,
    /// The venue's region (state, province) or country; empty = the most common one.
    pub venue_region: String,
    /// Domains that are never treated as disposable.
    pub allow_domains: Vec<String>,
}

impl Default for FlagSettings {
    fn default() -> Self {
        FlagSettings {
            threshold: 0.5,
            venue_region: String::new(),
            allow_domains: Vec::new(),
        }
    }
}

/// A burst window: hours with far more signups than usual.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Burst {
    /// UTC seconds.
    pub start: i64,
    pub end: i64,
    /// Rows registered in the window, and how many of them are flagged.
    pub count: u64,
    pub flagged: u64,
}

/// Rows that arrived as one block (a host import, a bulk invite).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Bulk {
    pub start: i64,
    pub end: i64,
    pub count: u64,
}

/// What rows sharing one address are.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GroupKind {
    #[default]
    None,
    /// Different people behind one address typed in different ways: a sign of fakes.
    Repeated,
    /// Paid orders of one buyer.
    RepeatBuyer,
    /// One person registered more than once.
    Duplicates,
    /// A few people sharing one address (a family, a couple).
    Shared,
}

impl GroupKind {
    pub fn label(self) -> &'static str {
        match self {
            GroupKind::None => "",
            GroupKind::Repeated => "one address, many people",
            GroupKind::RepeatBuyer => "repeat buyer",
            GroupKind::Duplicates => "duplicates",
            GroupKind::Shared => "shared address",
        }
    }
}

/// Rows sharing one normalized address.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Group {
    pub size: u32,
    pub kind: GroupKind,
    /// Rows that repeat an earlier one (same person, same event).
    pub duplicates: u32,
}

/// A wave of look-alike signups scored as a whole.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Cluster {
    pub start: i64,
    pub end: i64,
    pub size: u32,
    /// Members that look fake on their own.
    pub suspicious: u32,
    /// What membership adds to a row's score.
    pub weight: f32,
    /// The member that looks most fake (row index), as an example.
    pub example: u32,
}

/// Why a signal is not used as evidence (or only partly).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TraitBasis {
    /// As common among people who came as in this event.
    PeopleWhoCame,
    /// Without anyone known to have come: on most of the event's rows, rarely backed up by
    /// other signs.
    MostOfTheEvent,
}

/// A pattern that is a trait of this audience, not evidence of fakes.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Trait {
    pub reason: Reason,
    /// Share of people who came who have it.
    pub among_came: Option<f32>,
    /// Share of this event's rows that have it.
    pub among_event: f32,
    /// The weight used (0 = not used at all).
    pub weight: f32,
    pub basis: TraitBasis,
}

impl Trait {
    /// "running-number addresses: 97% of the people who came have them, not used as evidence".
    pub fn sentence(&self) -> String {
        self.sentence_for(crate::dataset::Unit::People.words())
    }

    /// [`Trait::sentence`] in the words of the log's unit ("of the bookings that arrived").
    pub fn sentence_for(&self, w: &crate::dataset::Words) -> String {
        let used = if self.weight < 0.05 {
            "not used as evidence".to_string()
        } else {
            format!("counted at weight {:.2} only", self.weight)
        };
        match (self.basis, self.among_came) {
            (TraitBasis::PeopleWhoCame, Some(c)) => format!(
                "{}: {:.0}% of the {} {} {} have it, {:.0}% here; {used}",
                self.reason.label(),
                c * 100.0,
                w.many,
                w.who,
                w.came,
                self.among_event * 100.0
            ),
            _ => format!(
                "{}: {:.0}% of {} have it and little else backs it up; {used}",
                self.reason.label(),
                self.among_event * 100.0,
                w.registrations
            ),
        }
    }
}

/// Scores and reasons for every row of one table.
#[derive(Clone, Debug, Default)]
pub struct RowFlags {
    pub score: Vec<f32>,
    /// Bit set of [`Reason`]s that fired (with a weight above 0).
    pub reasons: Vec<u16>,
    /// Bit set of [`Fact`]s.
    pub facts: Vec<u16>,
    /// Group of the row: rows sharing a normalized address share a group (0 = none).
    pub group: Vec<u32>,
    /// Groups by id (index 0 unused).
    pub groups: Vec<Group>,
    /// Look-alike wave of the row (0 = none).
    pub cluster: Vec<u32>,
    /// Waves by id (index 0 unused).
    pub clusters: Vec<Cluster>,
    pub bursts: Vec<Burst>,
    pub bulk: Vec<Bulk>,
    /// The region taken as the venue's.
    pub venue_region: String,
    /// Weight of each reason as used, by [`Reason`] index.
    pub weights: [f32; REASONS],
    /// Patterns not used (or used less) because they are traits of this audience.
    pub traits: Vec<Trait>,
    /// People known to have come whose signals calibrated the weights (0 when fewer than
    /// [`MIN_REFERENCE`] are known: usual weights then).
    pub reference: u64,
    /// Identity columns the platform masked.
    pub masked: Vec<Role>,
}

/// How a row counts, after the score, duplicates and the user's verdicts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[repr(u8)]
pub enum RowState {
    #[default]
    Counted,
    Flagged,
    /// A repeat of a registration already counted.
    Duplicate,
}

impl RowFlags {
    /// Whether row `i` is flagged at `threshold`.
    pub fn is_flagged(&self, i: usize, threshold: f32) -> bool {
        self.score[i] >= threshold
    }

    pub fn has(&self, i: usize, fact: Fact) -> bool {
        self.facts[i] & fact.bit() != 0
    }

    /// How each row counts at `threshold`, manual verdicts (`true` = fake) winning: a verdict
    /// of genuine also counts a duplicate again.
    pub fn mask(&self, threshold: f32, marks: &FxHashMap<usize, bool>) -> Vec<RowState> {
        let mut m: Vec<RowState> = self
            .score
            .iter()
            .zip(&self.facts)
            .map(|(&s, &f)| {
                if s >= threshold {
                    RowState::Flagged
                } else if f & Fact::Duplicate.bit() != 0 {
                    RowState::Duplicate
                } else {
                    RowState::Counted
                }
            })
            .collect();
        for (&i, &fake) in marks {
            if i < m.len() {
                m[i] = if fake {
                    RowState::Flagged
                } else {
                    RowState::Counted
                };
            }
        }
        m
    }

    pub fn reasons_of(&self, i: usize) -> Vec<Reason> {
        Reason::ALL
            .into_iter()
            .filter(|r| self.reasons[i] & r.bit() != 0)
            .collect()
    }

    pub fn facts_of(&self, i: usize) -> Vec<Fact> {
        Fact::ALL
            .into_iter()
            .filter(|f| self.facts[i] & f.bit() != 0)
            .collect()
    }

    /// The size of row `i`'s address group (1 when alone).
    pub fn group_size(&self, i: usize) -> u32 {
        match self.group[i] {
            0 => 1,
            g => self.groups[g as usize].size,
        }
    }

    /// Plain-words explanation of row `i`: reasons, their weights, and what speaks for it.
    pub fn explain_row(&self, i: usize) -> Vec<String> {
        let mut out = Vec::new();
        for r in self.reasons_of(i) {
            if r == Reason::Cluster {
                let c = &self.clusters[self.cluster[i] as usize];
                out.push(format!(
                    "{}: one of {} look-alike signups, {} of which look fake on their own.",
                    r.label(),
                    c.size,
                    c.suspicious
                ));
            } else {
                out.push(r.explain().to_string());
            }
        }
        let g = self.group[i];
        if g != 0 {
            let group = &self.groups[g as usize];
            out.push(format!(
                "Address shared by {} rows: {}.",
                group.size,
                group.kind.label()
            ));
        }
        for f in self.facts_of(i) {
            out.push(format!("{}.", crate::report::capital(f.label())));
        }
        out
    }
}

/// Weight of reason `r` on a row with these aux facts.
fn weight_on(r: Reason, w: &[f32; REASONS], aux_bits: u8) -> f32 {
    let base = w[r as usize];
    match r {
        Reason::RepeatedIdentity if aux_bits & aux::MANY == 0 => base * (0.35 / 0.6),
        Reason::RandomLocalPart if aux_bits & aux::MASH == 0 => base * 0.6,
        Reason::SequentialAddresses if aux_bits & aux::SEQ_WEAK != 0 => base * 0.6,
        _ => base,
    }
}

/// Noisy-or of the weights of `bits` (leaving out the bits in `without`).
fn combine(bits: u16, aux_bits: u8, w: &[f32; REASONS], without: u16) -> f32 {
    let mut keep = 1.0f32;
    let mut b = bits & !without;
    while b != 0 {
        let k = b.trailing_zeros() as usize;
        b &= b - 1;
        keep *= 1.0 - weight_on(Reason::ALL[k], w, aux_bits);
    }
    1.0 - keep
}

/// Per-table work done before calibration: signals, blocks, bursts, initials in bulk.
struct Prepared {
    sig: TableSignals,
    timing: timing::Timing,
    bulk: Vec<Bulk>,
}

fn prepare(rows: &Rows, settings: &FlagSettings) -> Prepared {
    let mut sig = table_signals(rows, &settings.venue_region, &settings.allow_domains);
    let bulk = timing::mark_bulk(&rows.registered_at, &mut sig.facts);
    let timing = timing::burst_hours(&rows.registered_at, &sig.facts);
    // Initials in bulk: hours where one-letter first names are at least a fifth of ten or
    // more signups.
    if !timing.counts.is_empty() {
        let mut initials = vec![0u32; timing.counts.len()];
        for (i, &t) in rows.registered_at.iter().enumerate() {
            if sig.aux[i] & aux::INITIAL != 0
                && let Some(h) = timing.hour(t)
            {
                initials[h] += 1;
            }
        }
        for (i, &t) in rows.registered_at.iter().enumerate() {
            if sig.aux[i] & aux::INITIAL != 0
                && let Some(h) = timing.hour(t)
                && initials[h] >= 10
                && initials[h] * 5 >= timing.counts[h]
            {
                sig.bits[i] |= Reason::InitialsInBulk.bit();
            }
        }
    }
    for (i, &t) in rows.registered_at.iter().enumerate() {
        if sig.facts[i] & (Fact::HostAdded.bit() | Fact::ArrivedInBulk.bit()) == 0
            && let Some(h) = timing.hour(t)
            && timing.burst[h]
        {
            sig.bits[i] |= Reason::Burst.bit();
        }
    }
    Prepared { sig, timing, bulk }
}

/// Weights from people known to be real, or (without them) from what would flag most of
/// the event on its own.
fn calibrate(tables: &[(&Rows, bool, &Prepared)]) -> ([f32; REASONS], Vec<Trait>, u64) {
    let mut w: [f32; REASONS] = Reason::ALL.map(Reason::ceiling);
    let (mut n_ref, mut n_ev) = (0u64, 0u64);
    let mut k_ref = [0u64; REASONS];
    let mut k_ev = [0u64; REASONS];
    for (_, current, p) in tables {
        for (&bits, &facts) in p.sig.bits.iter().zip(&p.sig.facts) {
            if facts & Fact::HostAdded.bit() != 0 {
                continue;
            }
            let came = facts & Fact::CheckedIn.bit() != 0;
            if came {
                n_ref += 1;
            }
            if *current {
                n_ev += 1;
            }
            let mut b = bits;
            while b != 0 {
                let k = b.trailing_zeros() as usize;
                b &= b - 1;
                if came {
                    k_ref[k] += 1;
                }
                if *current {
                    k_ev[k] += 1;
                }
            }
        }
    }
    let mut traits = Vec::new();
    if n_ev == 0 {
        return (w, traits, 0);
    }
    if n_ref >= MIN_REFERENCE {
        for r in Reason::ALL {
            let k = r as usize;
            if k_ev[k] == 0 || r == Reason::Cluster {
                continue;
            }
            let e = k_ev[k] as f32 / n_ev as f32;
            let came = (k_ref[k] as f32 + 0.5) / (n_ref as f32 + 1.0);
            let lr_weight = (1.0 - came / e).max(0.0);
            if lr_weight < w[k] {
                w[k] = lr_weight;
                if lr_weight < r.ceiling() * 0.5 && k_ref[k] * 20 >= n_ref {
                    traits.push(Trait {
                        reason: r,
                        among_came: Some(k_ref[k] as f32 / n_ref as f32),
                        among_event: e,
                        weight: lr_weight,
                        basis: TraitBasis::PeopleWhoCame,
                    });
                }
            }
        }
        return (w, traits, n_ref);
    }
    // No one known to be real: a signal on most of the event's rows that other, independent
    // signs rarely back up is a pattern of this audience (numbered accounts, a rush when
    // registration opens, a far-flung audience), not evidence. Signals common to most rows
    // cannot back each other up; a name unrelated to the address is too weak to. Throwaway
    // mailboxes are never an audience's habit: they stay evidence however common.
    let majority: u16 = Reason::ALL
        .into_iter()
        .filter(|&r| {
            r != Reason::Cluster && r != Reason::DisposableDomain && k_ev[r as usize] * 2 > n_ev
        })
        .fold(0, |m, r| m | r.bit());
    if majority == 0 {
        return (w, traits, 0);
    }
    let independent = !majority & !Reason::NameEmailMismatch.bit() & !Reason::Cluster.bit();
    let mut backed = [0u64; REASONS];
    for (_, _, p) in tables.iter().filter(|t| t.1) {
        for (&bits, &facts) in p.sig.bits.iter().zip(&p.sig.facts) {
            if facts & Fact::HostAdded.bit() != 0 || bits & majority == 0 {
                continue;
            }
            if bits & independent != 0 {
                let mut b = bits & majority;
                while b != 0 {
                    let k = b.trailing_zeros() as usize;
                    b &= b - 1;
                    backed[k] += 1;
                }
            }
        }
    }
    for r in Reason::ALL {
        let k = r as usize;
        if majority & r.bit() != 0 && backed[k] * 2 < k_ev[k] {
            w[k] = 0.0;
            traits.push(Trait {
                reason: r,
                among_came: None,
                among_event: k_ev[k] as f32 / n_ev as f32,
                weight: 0.0,
                basis: TraitBasis::MostOfTheEvent,
            });
        }
    }
    (w, traits, 0)
}

/// Scores every table of `dataset` (the event being planned and its past editions), calibrated
/// on everyone in it known to have come.
pub fn score_tables(dataset: &Dataset, settings: &FlagSettings) -> Vec<Option<RowFlags>> {
    let prepared: Vec<Prepared> = dataset
        .tables
        .iter()
        .map(|t| prepare(&t.rows, settings))
        .collect();
    let tables: Vec<(&Rows, bool, &Prepared)> = dataset
        .tables
        .iter()
        .zip(&prepared)
        .map(|(t, p)| (&t.rows, t.edition == Edition::Current, p))
        .collect();
    let (weights, traits, reference) = calibrate(&tables);
    // Who came, and who registered for a past edition without looking fake there.
    let mut came: FxHashSet<u64> = FxHashSet::default();
    let mut past: FxHashSet<u64> = FxHashSet::default();
    for (_, current, p) in &tables {
        for m in &p.sig.members {
            let i = m.row as usize;
            if p.sig.facts[i] & Fact::CheckedIn.bit() != 0 {
                came.insert(m.id);
            } else if !current
                && combine(p.sig.bits[i], p.sig.aux[i], &weights, 0) < settings.threshold
            {
                past.insert(m.id);
            }
        }
    }
    // Past editions are scored too, so that their show-up rates are measured on the same
    // footing as the event being planned (their fakes are not counted as no-shows). Their
    // own rows are not evidence of having come before: only check-ins are.
    let none: FxHashSet<u64> = FxHashSet::default();
    let mut prepared = prepared;
    let scored = dataset
        .tables
        .iter()
        .zip(prepared.drain(..))
        .map(|(t, p)| {
            let before = if t.edition == Edition::Current {
                &past
            } else {
                &none
            };
            Some(finish(
                &t.rows,
                p,
                settings,
                &weights,
                &traits,
                reference,
                (&came, before),
            ))
        })
        .collect();
    crate::dataset::release_freed_memory();
    scored
}

/// Scores one table alone (no past editions to calibrate on).
pub fn score_rows(rows: &Rows, settings: &FlagSettings) -> RowFlags {
    let p = prepare(rows, settings);
    let (weights, traits, reference) = calibrate(&[(rows, true, &p)]);
    let came: FxHashSet<u64> = p
        .sig
        .members
        .iter()
        .filter(|m| p.sig.facts[m.row as usize] & Fact::CheckedIn.bit() != 0)
        .map(|m| m.id)
        .collect();
    finish(
        rows,
        p,
        settings,
        &weights,
        &traits,
        reference,
        (&came, &FxHashSet::default()),
    )
}

fn finish(
    rows: &Rows,
    p: Prepared,
    settings: &FlagSettings,
    weights: &[f32; REASONS],
    traits: &[Trait],
    reference: u64,
    (came, past): (&FxHashSet<u64>, &FxHashSet<u64>),
) -> RowFlags {
    let Prepared {
        mut sig,
        timing,
        bulk,
    } = p;
    let n = rows.len();
    // What speaks for the row from elsewhere: one past check-in vouches for one person, not
    // for an address used many times here.
    for run in sig.members.chunk_by(|a, b| a.id == b.id) {
        if run.len() > 2 {
            continue;
        }
        let fact = if came.contains(&run[0].id) {
            Fact::AttendedBefore
        } else if past.contains(&run[0].id) {
            Fact::Returning
        } else {
            continue;
        };
        for m in run {
            let f = &mut sig.facts[m.row as usize];
            if *f & Fact::CheckedIn.bit() == 0 {
                *f |= fact.bit();
            }
        }
    }
    drop(std::mem::take(&mut sig.members));
    // Reasons that count (weight above 0).
    let live: u16 = Reason::ALL
        .into_iter()
        .filter(|r| weights[*r as usize] > 0.0)
        .fold(0, |m, r| m | r.bit());
    let own: Vec<f32> = (0..n)
        .into_par_iter()
        .map(|i| combine(sig.bits[i] & live, sig.aux[i], weights, 0))
        .collect();
    let bucket = if timing.resolution == timing::Resolution::Days {
        86_400
    } else {
        3_600
    };
    // A wave is judged by what its members look like apart from when they came: the burst
    // is the window itself, not a sign of the member.
    let apart: Vec<f32> = (0..n)
        .into_par_iter()
        .map(|i| combine(sig.bits[i] & live, sig.aux[i], weights, Reason::Burst.bit()))
        .collect();
    let (cluster, clusters, lent) =
        cluster::clusters(&rows.registered_at, &sig.key, &sig.facts, &apart, bucket);
    let mut score = own;
    let mut reasons: Vec<u16> = sig.bits.iter().map(|b| b & live).collect();
    for i in 0..n {
        if let Some(&w) = lent.get(i)
            && w > 0.0
        {
            let with_wave = 1.0 - (1.0 - score[i]) * (1.0 - w);
            // A member that looks clean apart from its timing is not flagged by the wave
            // alone.
            score[i] = if apart[i] < cluster::CLEAN {
                with_wave.min(score[i].max(cluster::CLEAN_CEILING))
            } else {
                with_wave
            };
            reasons[i] |= Reason::Cluster.bit();
        }
        let mut f = sig.facts[i];
        while f != 0 {
            let k = f.trailing_zeros() as usize;
            f &= f - 1;
            score[i] *= Fact::ALL[k].discount();
        }
    }
    let mut out = RowFlags {
        score,
        reasons,
        facts: std::mem::take(&mut sig.facts),
        group: std::mem::take(&mut sig.group),
        groups: std::mem::take(&mut sig.groups),
        cluster,
        clusters,
        bursts: Vec::new(),
        bulk,
        venue_region: std::mem::take(&mut sig.venue_region),
        weights: *weights,
        traits: traits.to_vec(),
        reference,
        masked: std::mem::take(&mut sig.masked),
    };
    // Burst windows: runs of burst hours, with the rows flagged in them.
    let mut h = 0;
    let burst = &timing.burst;
    while h < burst.len() {
        if !burst[h] {
            h += 1;
            continue;
        }
        let start = h;
        while h < burst.len() && burst[h] {
            h += 1;
        }
        out.bursts.push(Burst {
            start: (timing.hour0 + start as i64) * 3600,
            end: (timing.hour0 + h as i64) * 3600,
            count: timing.counts[start..h].iter().map(|&c| c as u64).sum(),
            flagged: 0,
        });
    }
    count_flagged_in_bursts(&mut out.bursts, &rows.registered_at, |i| {
        out.score[i] >= settings.threshold
    });
    out
}

/// Sets each burst's `flagged` to the rows flagged in it.
fn count_flagged_in_bursts(bursts: &mut [Burst], times: &[i64], flagged: impl Fn(usize) -> bool) {
    if bursts.is_empty() {
        return;
    }
    for b in bursts.iter_mut() {
        b.flagged = 0;
    }
    for (i, &t) in times.iter().enumerate() {
        if t == NO_TIME || !flagged(i) {
            continue;
        }
        let k = bursts.partition_point(|b| b.end <= t);
        if k < bursts.len() && bursts[k].start <= t {
            bursts[k].flagged += 1;
        }
    }
}

/// How rows count per table at `threshold`, with manual verdicts by (table, row) winning
/// (`true` = fake). Unscored tables get an empty mask (every row counts).
pub fn masks(
    scored: &[Option<RowFlags>],
    threshold: f32,
    marks: &FxHashMap<(usize, usize), bool>,
) -> Vec<Vec<RowState>> {
    scored
        .iter()
        .enumerate()
        .map(|(t, f)| match f {
            Some(f) => {
                let table_marks: FxHashMap<usize, bool> = marks
                    .iter()
                    .filter(|((mt, _), _)| *mt == t)
                    .map(|((_, r), v)| (*r, *v))
                    .collect();
                f.mask(threshold, &table_marks)
            }
            None => Vec::new(),
        })
        .collect()
}

/// Windows (UTC seconds) of coordinated bursts over every scored table: bursts that hold
/// flagged signups. A genuine rush (every morning of an appointment book, a TV mention) is
/// not shaded as suspicious.
pub fn burst_windows(dataset: &Dataset, scored: &[Option<RowFlags>]) -> Vec<(i64, i64)> {
    dataset
        .tables
        .iter()
        .zip(scored)
        .filter(|(t, _)| t.edition == Edition::Current)
        .filter_map(|(_, f)| f.as_ref())
        .flat_map(|f| f.bursts.iter().filter(|b| b.flagged > 0))
        .map(|b| (b.start, b.end))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::{ImportOptions, import_bytes};

    fn rows(csv: &str) -> Rows {
        let opts = ImportOptions {
            time_zone: Some(jiff::tz::TimeZone::UTC),
            ..ImportOptions::default()
        };
        import_bytes(std::path::Path::new("t.csv"), csv.as_bytes(), &opts)
            .unwrap()
            .rows
    }

    #[test]
    fn a_trait_is_told_in_the_logs_words() {
        let t = Trait {
            reason: Reason::FarAway,
            among_came: Some(0.6),
            among_event: 0.39,
            weight: 0.0,
            basis: TraitBasis::PeopleWhoCame,
        };
        assert_eq!(
            t.sentence(),
            "far from the venue: 60% of the people who came have it, 39% here; not used as evidence"
        );
        assert_eq!(
            t.sentence_for(crate::dataset::Unit::Bookings.words()),
            "far from the venue: 60% of the bookings that arrived have it, 39% here; not used as \
             evidence"
        );
        let alone = Trait {
            among_came: None,
            weight: 0.3,
            basis: TraitBasis::MostOfTheEvent,
            ..t
        };
        assert_eq!(
            alone.sentence_for(crate::dataset::Unit::Bookings.words()),
            "far from the venue: 39% of bookings have it and little else backs it up; counted at \
             weight 0.30 only"
        );
    }

    #[test]
    fn each_signal_explains_itself() {
        let mut csv = String::from("Registration Time,Email,First Name,Last Name,State,Phone\n");
        let firsts = ["Ann", "Bob", "Cleo", "Dan", "Eve", "Finn", "Gus", "Hana"];
        let lasts = ["Lee", "Moore", "Novak", "Ortiz", "Park", "Quinn"];
        for i in 0..40 {
            let (f, l) = (firsts[i % 8], lasts[i % 6]);
            csv.push_str(&format!(
                "2024-05-01 {:02}:{:02},{}.{}{i}@example.org,{f},{l},OK,918-555-{:04}\n",
                8 + i / 10,
                i % 60,
                f.to_lowercase(),
                l.to_lowercase(),
                1000 + i
            ));
        }
        csv.push_str("2024-05-01 11:00,zxcvbnm@mailinator.com,Qwfp,Gjzx,OK,123-456-7890\n");
        csv.push_str("2024-05-01 11:01,j.o.e+a@gmail.com,Joe,Day,OK,\n");
        csv.push_str("2024-05-01 11:02,joe+b@googlemail.com,Jim,Fox,OK,\n");
        csv.push_str("2024-05-01 11:03,JOE@gmail.com,Jan,Roe,TX,\n");
        let r = rows(&csv);
        let f = score_rows(&r, &FlagSettings::default());
        assert_eq!(f.venue_region, "OK");
        // The ordinary registrants are not flagged.
        assert!(
            (0..40).all(|i| !f.is_flagged(i, 0.5)),
            "{:?}",
            f.reasons_of(0)
        );
        let junk = f.reasons_of(40);
        for reason in [
            Reason::DisposableDomain,
            Reason::RandomLocalPart,
            Reason::PatternedName,
            Reason::PlaceholderPhone,
        ] {
            assert!(junk.contains(&reason), "{junk:?}");
        }
        assert!(f.is_flagged(40, 0.5));
        // Three spellings of one Gmail account for three people are one group.
        for i in 41..44 {
            assert!(f.reasons_of(i).contains(&Reason::RepeatedIdentity));
            assert!(f.is_flagged(i, 0.5));
        }
        assert_eq!(f.group[41], f.group[43]);
        assert_eq!(f.group_size(41), 3);
        assert!(f.reasons_of(43).contains(&Reason::FarAway));
        // A verdict wins over the score.
        let marks: FxHashMap<usize, bool> = [(41, false)].into_iter().collect();
        assert_eq!(f.mask(0.5, &marks)[41], RowState::Counted);
        assert!(!f.explain_row(41).is_empty());
    }

    #[test]
    fn one_person_twice_is_a_duplicate_and_a_paying_one_a_repeat_buyer() {
        let csv = "Order #,Registration Time,Email,First Name,Last Name,Price\n\
            1,2024-05-01 10:00,ann.lee@example.org,Ann,Lee,0\n\
            2,2024-05-02 10:00,Ann.Lee@example.org,Ann,Lee,0\n\
            3,2024-05-01 11:00,bo@example.org,Bo,Kim,20\n\
            4,2024-05-03 11:00,bo@example.org,Bo,Kim,20\n\
            5,2024-05-03 12:00,bo@example.org,Mia,Kim,20\n\
            6,2024-05-03 12:00,cy@example.org,Cy,Doe,0\n\
            6,2024-05-03 12:00,cy@example.org,Cy,Doe,0\n";
        let f = score_rows(&rows(csv), &FlagSettings::default());
        assert!(!f.has(0, Fact::Duplicate));
        assert!(f.has(1, Fact::Duplicate));
        assert_eq!(f.groups[f.group[1] as usize].kind, GroupKind::Duplicates);
        for i in 2..5 {
            assert!(f.has(i, Fact::RepeatBuyer) && !f.has(i, Fact::Duplicate));
            assert!(!f.reasons_of(i).contains(&Reason::RepeatedIdentity));
        }
        // Two tickets of one order are neither.
        assert!(!f.has(6, Fact::Duplicate) && f.group[6] == 0);
        let m = f.mask(0.5, &FxHashMap::default());
        assert_eq!(m[1], RowState::Duplicate);
        assert_eq!(m[0], RowState::Counted);
    }
}
