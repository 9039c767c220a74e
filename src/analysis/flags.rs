//! Fake and coordinated registrations: per-row signals, each explainable, combined into a
//! score; groups (one address's many variants, one burst) reviewable together.
//!
//! Signals and their weights (combined as a noisy-or, `1 − Π(1 − wᵢ)`):
//!
//! | signal | weight | why |
//! | --- | --- | --- |
//! | in a burst | 0.25 | a Poisson CUSUM over hourly counts, against the median of the same hour of day scaled by the day's level, signals a fourfold rate; weak alone, because real surges (a TV mention) are bursts too |
//! | repeated identity | 0.35 / 0.6 | the same normalized address (case, Gmail dots, `+tags`, googlemail) 2 / ≥3 times |
//! | shared phone | 0.4 | one phone number on ≥3 registrations |
//! | disposable domain | 0.6 | a throwaway-address service (the CC0 list in `assets/disposable`) |
//! | random local part | 0.5 | keyboard mash or random letters before the `@` |
//! | sequential addresses | 0.5 | many addresses that differ only in a running number |
//! | patterned name | 0.3 | random letters, keyboard mash, a first name repeated as last name |
//! | name and address unrelated | 0.1 | the address shares nothing with the name |
//! | placeholder phone | 0.3 | `123-456-7890`, all one digit |
//! | far away | 0.15 | outside the venue's region (a few are normal) |
//! | shared device | 0.3 | one IP or user agent on many registrations |
//!
//! Default threshold 0.5: a row needs one strong signal or two medium ones.

use std::collections::HashMap;

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;

use crate::dataset::{NO_TIME, Rows};
use crate::import::Role;

pub use super::flag_export::{flagged_csv, write_flagged_csv};
use super::identity::{
    Scratch, disposable_domains, hash_bytes, hash_parts, looks_random, normalize_email_into,
    stem_and_number,
};

/// Why a row was flagged. Bits of [`RowFlags::reasons`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
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
    NameEmailMismatch,
    PlaceholderPhone,
    FarAway,
    SharedDevice,
}

impl Reason {
    pub const ALL: [Reason; 11] = [
        Reason::Burst,
        Reason::RepeatedIdentity,
        Reason::SharedPhone,
        Reason::DisposableDomain,
        Reason::RandomLocalPart,
        Reason::SequentialAddresses,
        Reason::PatternedName,
        Reason::NameEmailMismatch,
        Reason::PlaceholderPhone,
        Reason::FarAway,
        Reason::SharedDevice,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Reason::Burst => "burst",
            Reason::RepeatedIdentity => "repeated_identity",
            Reason::SharedPhone => "shared_phone",
            Reason::DisposableDomain => "disposable_domain",
            Reason::RandomLocalPart => "random_local_part",
            Reason::SequentialAddresses => "sequential_addresses",
            Reason::PatternedName => "patterned_name",
            Reason::NameEmailMismatch => "name_email_mismatch",
            Reason::PlaceholderPhone => "placeholder_phone",
            Reason::FarAway => "far_away",
            Reason::SharedDevice => "shared_device",
        }
    }

    /// A sentence for the review table.
    pub fn explain(self) -> &'static str {
        match self {
            Reason::Burst => "signed up during a burst far above the usual rate for that hour",
            Reason::RepeatedIdentity => {
                "the same address (ignoring dots, +tags, case) registered again"
            }
            Reason::SharedPhone => "the same phone number on three or more registrations",
            Reason::DisposableDomain => "a throwaway e-mail service",
            Reason::RandomLocalPart => "random or keyboard-mashed letters before the @",
            Reason::SequentialAddresses => {
                "one of many addresses that differ only in a running number"
            }
            Reason::PatternedName => "a name made of random letters or a repeated word",
            Reason::NameEmailMismatch => "the address has nothing to do with the name",
            Reason::PlaceholderPhone => "a placeholder phone number",
            Reason::FarAway => "registered from far outside the venue's region",
            Reason::SharedDevice => "the same IP address or browser on many registrations",
        }
    }

    fn bit(self) -> u16 {
        1 << self as u8
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

/// Scores and reasons for every row of one table.
#[derive(Clone, Debug, Default)]
pub struct RowFlags {
    pub score: Vec<f32>,
    /// Bit set of [`Reason`]s.
    pub reasons: Vec<u16>,
    /// Group of the row: rows sharing a normalized identity share a group (0 = none).
    pub group: Vec<u32>,
    /// Size of each group (index = group id).
    pub group_size: Vec<u32>,
    pub bursts: Vec<Burst>,
    /// The region taken as the venue's.
    pub venue_region: String,
}

impl RowFlags {
    /// Whether row `i` is flagged at `threshold`.
    pub fn is_flagged(&self, i: usize, threshold: f32) -> bool {
        self.score[i] >= threshold
    }

    /// The flag mask at `threshold`, with manual verdicts (`true` = fake) winning.
    pub fn mask(&self, threshold: f32, marks: &FxHashMap<usize, bool>) -> Vec<bool> {
        let mut m: Vec<bool> = self.score.iter().map(|&s| s >= threshold).collect();
        for (&i, &fake) in marks {
            if i < m.len() {
                m[i] = fake;
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
}

/// Hourly signup counts and which hours are bursts (robust to the daily rhythm: each hour is
/// compared with the median of the same hour of day over all days, scaled by the day's level).
fn burst_hours(times: &[i64]) -> (i64, Vec<bool>, Vec<u64>) {
    let dated: Vec<i64> = times.iter().copied().filter(|&t| t != NO_TIME).collect();
    let (Some(&first), Some(&last)) = (dated.iter().min(), dated.iter().max()) else {
        return (0, Vec::new(), Vec::new());
    };
    let hour0 = first.div_euclid(3600);
    let hours = (last.div_euclid(3600) - hour0 + 1) as usize;
    let mut counts = vec![0u64; hours];
    for t in dated {
        counts[(t.div_euclid(3600) - hour0) as usize] += 1;
    }
    // Median of each hour of day over the days, and of each day's hourly counts.
    let mut by_hod: Vec<Vec<u64>> = vec![Vec::new(); 24];
    for (h, &c) in counts.iter().enumerate() {
        by_hod[((hour0 + h as i64).rem_euclid(24)) as usize].push(c);
    }
    let median = |v: &mut Vec<u64>| -> f64 {
        if v.is_empty() {
            return 0.0;
        }
        v.sort_unstable();
        v[v.len() / 2] as f64
    };
    let hod_median: Vec<f64> = by_hod.iter_mut().map(median).collect();
    let overall = {
        let mut all = counts.clone();
        median(&mut all).max(1.0)
    };
    // Poisson CUSUM (Lucas 1985) against that baseline, tuned to a fourfold rate: each hour
    // adds its log-likelihood ratio `x·ln k − (k−1)·λ`; the sum restarts when an hour speaks
    // against a burst, and hours whose sum passes `H` (and that are large in absolute terms)
    // are burst hours.
    const K: f64 = 4.0;
    const H: f64 = 25.0;
    let mut burst = vec![false; hours];
    let mut cusum = 0.0f64;
    for (h, &c) in counts.iter().enumerate() {
        let day_start = h.saturating_sub(12);
        let day_end = (h + 12).min(hours);
        let mut window: Vec<u64> = counts[day_start..day_end].to_vec();
        let level = (median(&mut window) / overall).clamp(0.25, 4.0);
        let hod = ((hour0 + h as i64).rem_euclid(24)) as usize;
        let expected = (hod_median[hod] * level).max(1.0);
        let step = c as f64 * K.ln() - (K - 1.0) * expected;
        cusum = if step > 0.0 { cusum + step } else { 0.0 };
        burst[h] = cusum > H && c as f64 > 2.0 * expected + 10.0;
    }
    (hour0, burst, counts)
}

/// Scores every row of the event's table.
pub fn score_rows(rows: &Rows, settings: &FlagSettings) -> RowFlags {
    let n = rows.len();
    let emails = rows.text(Role::Email);
    let first = rows.text(Role::FirstName);
    let last = rows.text(Role::LastName);
    let full = rows.text(Role::Name);
    let phones = rows.text(Role::Phone);
    let region = rows.text(Role::Region).or_else(|| rows.text(Role::Country));
    let ips = rows.text(Role::Ip);
    let agents = rows.text(Role::UserAgent);
    let disposable = disposable_domains();
    let allow_owned: FxHashSet<String> = settings
        .allow_domains
        .iter()
        .map(|d| d.trim().to_lowercase())
        .collect();
    let allow: FxHashSet<&str> = allow_owned.iter().map(String::as_str).collect();

    // Pass 1 (parallel): normalized identity hashes and per-row local signals.
    struct Local {
        identity: u64,
        stem: u64,
        number: u64,
        phone: u64,
        bits: u16,
    }
    let locals: Vec<Local> = (0..n)
        .into_par_iter()
        .map_init(Scratch::default, |sc, i| {
            let mut bits = 0u16;
            let mut identity = 0;
            let mut stem = 0;
            let mut number = 0;
            let email = emails.map_or("", |c| c.get(i));
            let (fname, lname) = match (first, last) {
                (Some(f), Some(l)) => (f.get(i), l.get(i)),
                _ => {
                    let n = full.map_or("", |c| c.get(i));
                    let mut parts = n.split_whitespace();
                    (parts.next().unwrap_or(""), parts.next_back().unwrap_or(""))
                }
            };
            if let Some(domain) = normalize_email_into(email, &mut sc.local) {
                let domain = domain.as_ref();
                let local = sc.local.as_str();
                identity = hash_parts(local, domain);
                if disposable.contains(domain) && !allow.contains(domain) {
                    bits |= Reason::DisposableDomain.bit();
                }
                if looks_random(local) {
                    bits |= Reason::RandomLocalPart.bit();
                }
                if let Some((s, n)) = stem_and_number(local) {
                    stem = hash_parts(s, domain);
                    number = n;
                }
                // Names in other scripts can't be compared with an ASCII address.
                let shares = |name: &str, local: &str| {
                    name.len() >= 3
                        && name.is_char_boundary(3)
                        && local
                            .as_bytes()
                            .windows(3)
                            .any(|w| w.eq_ignore_ascii_case(&name.as_bytes()[..3]))
                };
                let related = fname.is_empty()
                    || !fname.is_ascii()
                    || !lname.is_ascii()
                    || shares(fname, local)
                    || shares(lname, local);
                if !related {
                    bits |= Reason::NameEmailMismatch.bit();
                }
            }
            let name_random = (!fname.is_empty() && looks_random(fname))
                || (!lname.is_empty() && looks_random(lname))
                || (!fname.is_empty() && fname.eq_ignore_ascii_case(lname));
            if name_random {
                bits |= Reason::PatternedName.bit();
            }
            let mut phone = 0;
            if let Some(p) = phones {
                sc.digits.clear();
                sc.digits
                    .extend(p.get(i).bytes().filter(|b| b.is_ascii_digit()));
                let digits = &sc.digits;
                if digits.len() >= 7 {
                    let placeholder = digits.ends_with(b"1234567890")
                        || digits.ends_with(b"1234567")
                        || digits.iter().all(|&b| b == digits[0]);
                    if placeholder {
                        bits |= Reason::PlaceholderPhone.bit();
                    } else {
                        phone = hash_bytes(digits);
                    }
                }
            }
            Local {
                identity,
                stem,
                number,
                phone,
                bits,
            }
        })
        .collect();

    // Pass 2: counts of identities, stems (with their distinct numbers), phones, devices.
    let mut identity_count: FxHashMap<u64, u32> = FxHashMap::default();
    let mut stem_numbers: FxHashMap<u64, Vec<u64>> = FxHashMap::default();
    let mut phone_count: FxHashMap<u64, u32> = FxHashMap::default();
    // A stem counts distinct addresses: one address repeated is not a running number.
    let mut stem_seen: FxHashSet<(u64, u64)> = FxHashSet::default();
    for l in &locals {
        if l.identity != 0 {
            *identity_count.entry(l.identity).or_default() += 1;
        }
        if l.stem != 0 && stem_seen.insert((l.stem, l.identity)) {
            stem_numbers.entry(l.stem).or_default().push(l.number);
        }
        if l.phone != 0 {
            *phone_count.entry(l.phone).or_default() += 1;
        }
    }
    // Sequential: at least 20 addresses of one stem whose numbers mostly follow each other
    // (a script's fan0001, fan0002, …), not people who add their birth year.
    let sequential_stems: FxHashSet<u64> = stem_numbers
        .into_iter()
        .filter_map(|(stem, mut nums)| {
            if nums.len() < 20 {
                return None;
            }
            nums.sort_unstable();
            nums.dedup();
            let close = nums.windows(2).filter(|w| w[1] - w[0] <= 2).count();
            (nums.len() >= 20 && close * 2 >= nums.len() - 1).then_some(stem)
        })
        .collect();
    let device_count = |col: Option<&crate::dataset::TextColumn>| -> Option<HashMap<String, u32>> {
        let col = col?;
        let mut m: HashMap<String, u32> = HashMap::new();
        for i in 0..n {
            let v = col.get(i);
            if !v.is_empty() {
                *m.entry(v.to_string()).or_default() += 1;
            }
        }
        Some(m)
    };
    let ip_count = device_count(ips);
    let agent_count = device_count(agents);

    // Venue region: as given, or the most common one among rows without strong signals.
    let venue_region = if !settings.venue_region.trim().is_empty() {
        settings.venue_region.trim().to_string()
    } else {
        region
            .map(|c| {
                let mut m: HashMap<&str, u32> = HashMap::new();
                for (i, l) in locals.iter().enumerate() {
                    if l.bits == 0 && identity_count.get(&l.identity).copied().unwrap_or(0) <= 1 {
                        *m.entry(c.get(i)).or_default() += 1;
                    }
                }
                m.into_iter()
                    .filter(|(k, _)| !k.is_empty())
                    .max_by_key(|(k, v)| (*v, std::cmp::Reverse(k.to_string())))
                    .map(|(k, _)| k.to_string())
                    .unwrap_or_default()
            })
            .unwrap_or_default()
    };

    let (hour0, burst, counts) = burst_hours(&rows.registered_at);

    // Groups: identities seen more than once.
    let mut group_of: FxHashMap<u64, u32> = FxHashMap::default();
    let mut group_size: Vec<u32> = vec![0];
    let mut out = RowFlags {
        score: Vec::with_capacity(n),
        reasons: Vec::with_capacity(n),
        group: Vec::with_capacity(n),
        group_size: Vec::new(),
        bursts: Vec::new(),
        venue_region: venue_region.clone(),
    };
    for (i, l) in locals.iter().enumerate() {
        let mut bits = l.bits;
        let ids = identity_count.get(&l.identity).copied().unwrap_or(0);
        if l.identity != 0 && ids >= 2 {
            bits |= Reason::RepeatedIdentity.bit();
        }
        if l.stem != 0 && sequential_stems.contains(&l.stem) {
            bits |= Reason::SequentialAddresses.bit();
        }
        if l.phone != 0 && phone_count.get(&l.phone).copied().unwrap_or(0) >= 3 {
            bits |= Reason::SharedPhone.bit();
        }
        let shared = |col: Option<&crate::dataset::TextColumn>,
                      m: &Option<HashMap<String, u32>>| {
            match (col, m) {
                (Some(c), Some(m)) => m.get(c.get(i)).copied().unwrap_or(0) >= 20,
                _ => false,
            }
        };
        if shared(ips, &ip_count) || shared(agents, &agent_count) {
            bits |= Reason::SharedDevice.bit();
        }
        if let Some(c) = region {
            let r = c.get(i);
            if !venue_region.is_empty() && !r.is_empty() && !r.eq_ignore_ascii_case(&venue_region) {
                bits |= Reason::FarAway.bit();
            }
        }
        let t = rows.registered_at[i];
        if t != NO_TIME && burst[(t.div_euclid(3600) - hour0) as usize] {
            bits |= Reason::Burst.bit();
        }
        let mut keep = 1.0f32;
        for r in Reason::ALL {
            if bits & r.bit() != 0 {
                let w = match r {
                    Reason::Burst => 0.25,
                    Reason::RepeatedIdentity if ids >= 3 => 0.6,
                    Reason::RepeatedIdentity => 0.35,
                    Reason::SharedPhone => 0.4,
                    Reason::DisposableDomain => 0.6,
                    Reason::RandomLocalPart => 0.5,
                    Reason::SequentialAddresses => 0.5,
                    Reason::PatternedName => 0.3,
                    Reason::NameEmailMismatch => 0.1,
                    Reason::PlaceholderPhone => 0.3,
                    Reason::FarAway => 0.15,
                    Reason::SharedDevice => 0.3,
                };
                keep *= 1.0 - w;
            }
        }
        out.score.push(1.0 - keep);
        out.reasons.push(bits);
        let g = if l.identity != 0 && ids >= 2 {
            *group_of.entry(l.identity).or_insert_with(|| {
                group_size.push(0);
                (group_size.len() - 1) as u32
            })
        } else {
            0
        };
        if g != 0 {
            group_size[g as usize] += 1;
        }
        out.group.push(g);
    }
    out.group_size = group_size;
    // Burst windows: runs of burst hours.
    let mut h = 0;
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
            start: (hour0 + start as i64) * 3600,
            end: (hour0 + h as i64) * 3600,
            count: counts[start..h].iter().sum(),
            flagged: 0,
        });
    }
    // Flagged rows per burst, through an hour → burst index.
    let mut burst_of_hour = vec![usize::MAX; burst.len()];
    for (k, b) in out.bursts.iter().enumerate() {
        for h in (b.start / 3600 - hour0)..(b.end / 3600 - hour0) {
            burst_of_hour[h as usize] = k;
        }
    }
    for i in 0..n {
        let t = rows.registered_at[i];
        if t == NO_TIME || out.score[i] < settings.threshold {
            continue;
        }
        let k = burst_of_hour[(t.div_euclid(3600) - hour0) as usize];
        if k != usize::MAX {
            out.bursts[k].flagged += 1;
        }
    }
    out
}

/// Summary of the flags at a threshold, for the report.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FlagSummary {
    /// Rows flagged.
    pub count: u64,
    /// Tickets in flagged active rows.
    pub registrations: u64,
    /// Flagged rows per reason.
    pub by_reason: std::collections::BTreeMap<String, u64>,
    pub bursts: Vec<Burst>,
    pub threshold: f32,
    pub venue_region: String,
}

/// Scores every table of the event being planned (`None` for past editions).
pub fn score_tables(
    dataset: &crate::dataset::Dataset,
    settings: &FlagSettings,
) -> Vec<Option<RowFlags>> {
    dataset
        .tables
        .iter()
        .map(|t| {
            (t.edition == crate::dataset::Edition::Current).then(|| score_rows(&t.rows, settings))
        })
        .collect()
}

/// Flag masks per table at `threshold`, with manual verdicts by (table, row) winning
/// (`true` = fake). Unscored tables get an empty mask.
pub fn masks(
    scored: &[Option<RowFlags>],
    threshold: f32,
    marks: &FxHashMap<(usize, usize), bool>,
) -> Vec<Vec<bool>> {
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

/// Burst windows (UTC seconds) over every scored table.
pub fn burst_windows(scored: &[Option<RowFlags>]) -> Vec<(i64, i64)> {
    scored
        .iter()
        .flatten()
        .flat_map(|f| f.bursts.iter().map(|b| (b.start, b.end)))
        .collect()
}

impl FlagSummary {
    /// One summary over every scored table of a dataset.
    pub fn over_tables(
        dataset: &crate::dataset::Dataset,
        scored: &[Option<RowFlags>],
        masks: &[Vec<bool>],
        threshold: f32,
    ) -> Option<FlagSummary> {
        let mut total: Option<FlagSummary> = None;
        for ((t, f), m) in dataset.tables.iter().zip(scored).zip(masks) {
            let Some(f) = f else { continue };
            let s = FlagSummary::new(&t.rows, f, m, threshold);
            match &mut total {
                None => total = Some(s),
                Some(acc) => {
                    acc.count += s.count;
                    acc.registrations += s.registrations;
                    for (k, v) in s.by_reason {
                        *acc.by_reason.entry(k).or_insert(0) += v;
                    }
                    acc.bursts.extend(s.bursts);
                }
            }
        }
        total
    }

    pub fn new(rows: &Rows, flags: &RowFlags, mask: &[bool], threshold: f32) -> FlagSummary {
        let mut by_reason = std::collections::BTreeMap::new();
        let (mut count, mut regs) = (0u64, 0u64);
        for (i, &m) in mask.iter().enumerate() {
            if !m {
                continue;
            }
            count += 1;
            if rows.status[i].is_active() {
                regs += rows.quantity[i] as u64;
            }
            for r in flags.reasons_of(i) {
                *by_reason.entry(r.name().to_string()).or_insert(0) += 1;
            }
        }
        FlagSummary {
            count,
            registrations: regs,
            by_reason,
            bursts: flags.bursts.clone(),
            threshold,
            venue_region: flags.venue_region.clone(),
        }
    }
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
    fn each_signal_explains_itself() {
        let mut csv = String::from("Registration Time,Email,First Name,Last Name,State,Phone\n");
        for i in 0..40 {
            csv.push_str(&format!(
                "2024-05-01 10:{:02},{}.lee.{i}@example.org,Ann,Lee,OK,918-555-{:04}\n",
                i % 60,
                ["ann", "anne"][i % 2],
                1000 + i
            ));
        }
        csv.push_str("2024-05-01 11:00,zxcvbnm@mailinator.com,Qwfp,Gjzx,OK,123-456-7890\n");
        csv.push_str("2024-05-01 11:01,j.o.e+a@gmail.com,Joe,Day,OK,\n");
        csv.push_str("2024-05-01 11:02,joe+b@googlemail.com,Joe,Day,OK,\n");
        csv.push_str("2024-05-01 11:03,JOE@gmail.com,Joe,Day,TX,\n");
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
        // Three spellings of one Gmail account are one identity, reviewable as a group.
        for i in 41..44 {
            assert!(f.reasons_of(i).contains(&Reason::RepeatedIdentity));
            assert!(f.is_flagged(i, 0.5));
        }
        assert_eq!(f.group[41], f.group[43]);
        assert_eq!(f.group_size[f.group[41] as usize], 3);
        assert!(f.reasons_of(43).contains(&Reason::FarAway));
        // A verdict wins over the score.
        let marks: FxHashMap<usize, bool> = [(41, false)].into_iter().collect();
        assert!(!f.mask(0.5, &marks)[41]);
    }
}
