//! Fake and coordinated registrations: per-row signals, each explainable, combined into a
//! score; groups (one address's many variants, one burst) reviewable together.
//!
//! Signals and their weights (combined as a noisy-or, `1 − Π(1 − wᵢ)`):
//!
//! | signal | weight | why |
//! | --- | --- | --- |
//! | in a burst | 0.25 | far more signups that hour than that hour usually brings; weak alone, because real surges (a TV mention) are bursts too |
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

use std::borrow::Cow;
use std::collections::HashMap;

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;

use crate::dataset::{NO_TIME, Rows};
use crate::import::Role;

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

/// The disposable-domain list bundled in `assets/disposable`.
pub fn disposable_domains() -> &'static FxHashSet<&'static str> {
    static SET: std::sync::OnceLock<FxHashSet<&'static str>> = std::sync::OnceLock::new();
    SET.get_or_init(|| {
        include_str!("../../assets/disposable/domains.txt")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .collect()
    })
}

/// An address reduced to who it reaches: lower case, `+tag` dropped, and for Gmail dots
/// dropped and `googlemail.com` read as `gmail.com`. Returns (local, domain).
pub fn normalize_email(email: &str) -> Option<(String, String)> {
    let e = email.trim().to_lowercase();
    let (local, domain) = e.rsplit_once('@')?;
    if local.is_empty() || domain.is_empty() {
        return None;
    }
    let local = local.split('+').next().unwrap_or(local);
    let domain = if domain == "googlemail.com" {
        "gmail.com"
    } else {
        domain
    };
    let local = if domain == "gmail.com" {
        local.replace('.', "")
    } else {
        local.to_string()
    };
    Some((local, domain.to_string()))
}

fn hash_bytes(b: &[u8]) -> u64 {
    use std::hash::Hasher;
    let mut h = rustc_hash::FxHasher::default();
    h.write(b);
    h.finish() | 1
}

/// Hash of `local@domain` without building the string (never 0, which means "none").
fn hash_parts(local: &str, domain: &str) -> u64 {
    use std::hash::Hasher;
    let mut h = rustc_hash::FxHasher::default();
    h.write(local.as_bytes());
    h.write_u8(b'@');
    h.write(domain.as_bytes());
    h.finish() | 1
}

/// Reusable buffers for one worker.
#[derive(Default)]
struct Scratch {
    local: String,
    digits: Vec<u8>,
}

/// [`normalize_email`] into a reused buffer: the local part goes into `local`; the domain,
/// lower-cased, is returned (borrowed from `email` when it already is).
fn normalize_email_into<'a>(email: &'a str, local: &mut String) -> Option<Cow<'a, str>> {
    let e = email.trim();
    let (l, d) = e.rsplit_once('@')?;
    if l.is_empty() || d.is_empty() {
        return None;
    }
    let l = l.split('+').next().unwrap_or(l);
    let gmail = d.eq_ignore_ascii_case("gmail.com") || d.eq_ignore_ascii_case("googlemail.com");
    local.clear();
    for ch in l.chars() {
        if gmail && ch == '.' {
            continue;
        }
        local.extend(ch.to_lowercase());
    }
    Some(if gmail {
        Cow::Borrowed("gmail.com")
    } else if d.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(d.to_ascii_lowercase())
    } else {
        Cow::Borrowed(d)
    })
}

/// Letter pairs common in English and in names from many languages written in Latin letters.
const COMMON_BIGRAMS: &str = "oh hn ah eh uh th he in er an re on at en nd ti es or te of ed is it al ar st to nt ng se ha as ou io le ve co me de hi ri ro ic ne ea ra ce li ch ll be ma si om ur el la lo ol il ll ss tt dd nn mm rr ee oo ck sh wh ph gh ai ay ey oy ia ie ue ua ei au na ni no mi mo mu ja jo je ju ka ke ki ko ku ta ti to tu da di do du sa so su va vi vo ga ge gi go gu ba bi bo bu pa pe pi po fa fe fi fo wa we wi wo ya yo ab ac ad ag ak am ap av aw ax az eb ec eg ek el em ep ev ew ex ez id if ig ik im ip iv iz ob oc od og ok op ov ow ox oz ub uc ud ug uk ul um un up ur us ut uz by ry ly ny dy ty sy my ky gy hy ld lt lm lp lk ls nc nk ns ny rd rk rl rm rn rs rt rv rg rb rc sk sl sm sn sp sw sc tr dr br cr fr gr pr kr wr bl cl fl gl pl kl sl sv nh lh nz tz ts mp mb ft pt ct xt lf rf";

/// `TABLE[a][b]` for lower-case letters `a`, `b`.
fn is_common_bigram(a: u8, b: u8) -> bool {
    static TABLE: std::sync::OnceLock<[[bool; 26]; 26]> = std::sync::OnceLock::new();
    let t = TABLE.get_or_init(|| {
        let mut t = [[false; 26]; 26];
        for w in COMMON_BIGRAMS.split_whitespace() {
            let w = w.as_bytes();
            t[(w[0] - b'a') as usize][(w[1] - b'a') as usize] = true;
        }
        t
    });
    t[(a - b'a') as usize % 26][(b - b'a') as usize % 26]
}

/// Keyboard row (0–2) of a lower-case letter.
fn keyboard_row(c: u8) -> u8 {
    const ROW: [u8; 26] = [
        1, 2, 2, 1, 0, 1, 1, 1, 0, 1, 1, 1, 2, 2, 0, 0, 0, 0, 1, 0, 0, 2, 0, 2, 0, 2,
    ];
    ROW[(c - b'a') as usize % 26]
}

/// Letters that look typed without meaning: runs along one keyboard row, no vowels, or mostly
/// letter pairs that words and names rarely have.
pub fn looks_random(word: &str) -> bool {
    let mut buf = [0u8; 48];
    let mut len = 0;
    for b in word
        .bytes()
        .filter(|b| b.is_ascii_alphabetic())
        .take(buf.len())
    {
        buf[len] = b.to_ascii_lowercase();
        len += 1;
    }
    let letters = &buf[..len];
    if letters.len() < 4 {
        return false;
    }
    let pairs = letters.len() - 1;
    let same_row = letters
        .windows(2)
        .filter(|w| keyboard_row(w[0]) == keyboard_row(w[1]))
        .count();
    let common = letters
        .windows(2)
        .filter(|w| is_common_bigram(w[0], w[1]))
        .count();
    let vowels = letters
        .iter()
        .filter(|&&c| matches!(c, b'a' | b'e' | b'i' | b'o' | b'u' | b'y'))
        .count();
    let common_share = common as f64 / pairs as f64;
    vowels == 0
        || (letters.len() >= 5 && same_row as f64 / pairs as f64 >= 0.8 && common_share < 0.7)
        || (letters.len() >= 4 && common_share < 0.5)
}

/// Splits a local part into its letters and a trailing number (`tulsafan10017` → (`tulsafan`, 10017)).
fn stem_and_number(local: &str) -> Option<(&str, u64)> {
    let digits = local
        .bytes()
        .rev()
        .take_while(|b| b.is_ascii_digit())
        .count();
    if digits < 2 || digits == local.len() {
        return None;
    }
    let (stem, num) = local.split_at(local.len() - digits);
    Some((stem, num.parse().ok()?))
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
    let mut burst = vec![false; hours];
    for (h, &c) in counts.iter().enumerate() {
        let day_start = h.saturating_sub(12);
        let day_end = (h + 12).min(hours);
        let mut window: Vec<u64> = counts[day_start..day_end].to_vec();
        let level = (median(&mut window) / overall).clamp(0.25, 4.0);
        let hod = ((hour0 + h as i64).rem_euclid(24)) as usize;
        let expected = (hod_median[hod] * level).max(1.0);
        let z = (c as f64 - expected) / expected.sqrt();
        burst[h] = c as f64 > 4.0 * expected + 10.0 && z > 6.0;
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

impl FlagSummary {
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

/// The flagged rows (per `masks`, marks included) as CSV: every original column of the row as
/// it is in its file, then `file`, `line`, `score` and `reasons`. Cells Excel would run as
/// formulas are neutralized. Rows of generated data (no file) carry their mapped columns.
pub fn flagged_csv(
    dataset: &crate::dataset::Dataset,
    scored: &[Option<RowFlags>],
    masks: &[Vec<bool>],
) -> Result<String, String> {
    use crate::report::excel_safe_cell as cell;
    use std::fmt::Write as _;
    let mut out = String::new();
    let mut header_written = false;
    for ((t, f), mask) in dataset.tables.iter().zip(scored).zip(masks) {
        let Some(f) = f else { continue };
        let flagged: Vec<usize> = (0..t.rows.len())
            .filter(|&i| mask.get(i).copied().unwrap_or(false))
            .collect();
        let from_file = t.report.path.exists();
        let headers: Vec<String> = if from_file {
            t.report.headers.clone()
        } else {
            t.rows
                .texts
                .iter()
                .map(|(r, _)| r.name().to_string())
                .collect()
        };
        if !header_written {
            let mut h: Vec<String> = headers.iter().map(|x| cell(x)).collect();
            h.extend(["file", "line", "score", "reasons"].map(String::from));
            let _ = writeln!(out, "{}", h.join(","));
            header_written = true;
        }
        let rows: Vec<(usize, Vec<String>)> = if from_file {
            let by_line: FxHashMap<u32, usize> =
                flagged.iter().map(|&i| (t.rows.line[i], i)).collect();
            let lines = by_line.keys().copied().collect();
            crate::import::raw::read_rows(&t.report.path, &t.report, &lines)
                .map_err(|e| e.to_string())?
                .into_iter()
                .filter_map(|(line, cells)| by_line.get(&line).map(|&i| (i, cells)))
                .collect()
        } else {
            flagged
                .iter()
                .map(|&i| {
                    let cells = t
                        .rows
                        .texts
                        .iter()
                        .map(|(_, c)| c.get(i).to_string())
                        .collect();
                    (i, cells)
                })
                .collect()
        };
        for (i, cells) in rows {
            let mut row: Vec<String> = cells.iter().map(|c| cell(c)).collect();
            row.resize(headers.len(), String::new());
            let reasons: Vec<&str> = f.reasons_of(i).iter().map(|r| r.name()).collect();
            row.push(cell(&t.report.path.display().to_string()));
            row.push(t.rows.line[i].to_string());
            row.push(format!("{:.2}", f.score[i]));
            row.push(cell(&reasons.join(";")));
            let _ = writeln!(out, "{}", row.join(","));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_normalization() {
        assert_eq!(
            normalize_email("J.O.H.N+rally@GoogleMail.com"),
            Some(("john".into(), "gmail.com".into()))
        );
        assert_eq!(
            normalize_email("ann.lee+x@outlook.com"),
            Some(("ann.lee".into(), "outlook.com".into()))
        );
        assert_eq!(normalize_email("nobody"), None);
    }

    #[test]
    fn random_strings_and_real_words() {
        for w in ["qwfpgj", "asdfgh", "xkcdqzt", "zxcvbnm", "jhgfd", "lkjhgf"] {
            assert!(looks_random(w), "{w}");
        }
        for w in [
            "james",
            "patricia",
            "smith",
            "rodriguez",
            "kim",
            "tulsafan",
            "mbrown",
            "schmidt",
            "wright",
            "haddad",
            "nguyen",
            "whitehorse",
            "kowalski",
            "okafor",
            "cherokee",
            "lschmidt",
            "gwright",
            "jsmith",
            "mmoore",
            "nbrown",
        ] {
            assert!(!looks_random(w), "{w}");
        }
    }

    #[test]
    fn the_bundled_list_knows_throwaway_services() {
        assert!(disposable_domains().contains("mailinator.com"));
        assert!(!disposable_domains().contains("gmail.com"));
    }

    #[test]
    fn stems() {
        assert_eq!(stem_and_number("tulsafan10017"), Some(("tulsafan", 10017)));
        assert_eq!(stem_and_number("ann7"), None);
        assert_eq!(stem_and_number("2024"), None);
    }
}
