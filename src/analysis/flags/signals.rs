//! One pass over a table's text: which signals fire on each row before any calibration, who
//! each row is (a normalized address), which rows repeat one person, and what speaks for a
//! row being genuine. Relational signals (one address many times, running numbers, shared
//! phones and devices) are counted by sorting, so the cost grows with the rows and nothing
//! else.

use rayon::prelude::*;
use rustc_hash::{FxHashSet, FxHasher};
use std::hash::Hasher;

use super::{Fact, GroupKind, Reason};
use crate::analysis::identity::{
    DomainKind, Scratch, domain_kind, hash_bytes, hash_local_shape, hash_parts, is_initial,
    is_masked, name_counter, normalize_email_into, random_grade, stem_and_number, word_class,
};
use crate::dataset::{Rows, TextColumn};
use crate::import::{Role, Status};

/// Row facts used only while scoring.
pub(super) mod aux {
    /// Random letters typed without meaning (not only unusual letter pairs).
    pub const MASH: u8 = 1;
    /// The address is on three or more registrations.
    pub const MANY: u8 = 2;
    /// Running numbers at a company or personal domain: weaker than at a free mailbox.
    pub const SEQ_WEAK: u8 = 4;
    /// The first name is only an initial.
    pub const INITIAL: u8 = 8;
}

/// What the text pass found, row by row.
#[derive(Default)]
pub(super) struct TableSignals {
    /// Reasons that fired (bits of [`Reason`]), before weights.
    pub bits: Vec<u16>,
    /// Facts about the row (bits of [`Fact`]).
    pub facts: Vec<u16>,
    pub aux: Vec<u8>,
    /// Rows with an address (not masked), sorted by normalized address then row: who
    /// each one is.
    pub members: Vec<Member>,
    /// Shape of the signup (domain, local part, name) for clusters of look-alikes.
    pub key: Vec<u32>,
    /// Identity group per row (0 = the address is on one row only).
    pub group: Vec<u32>,
    pub groups: Vec<super::Group>,
    pub venue_region: String,
    /// Text columns most of whose values are masked.
    pub masked: Vec<Role>,
}

fn hash32(bytes: &[u8]) -> u32 {
    let h = hash_bytes(bytes);
    ((h >> 32) as u32 ^ h as u32) | 1
}

/// Whether a source or channel value says the host added the row.
fn host_added_source(source: &str) -> bool {
    let s = source.to_ascii_lowercase();
    [
        "invite",
        "import",
        "manual",
        "added by",
        "admin",
        "backend",
        "eingeladen",
    ]
    .iter()
    .any(|w| s.contains(w))
}

/// A text column's per-row yes/no, computed once per distinct value when it is categorical.
struct PerValue<'a> {
    col: &'a TextColumn,
    by_code: Option<Vec<bool>>,
    test: fn(&str) -> bool,
}

impl<'a> PerValue<'a> {
    fn new(col: Option<&'a TextColumn>, test: fn(&str) -> bool) -> Option<PerValue<'a>> {
        let col = col?;
        let by_code = col
            .as_categorical()
            .map(|c| c.values().iter().map(test).collect());
        Some(PerValue { col, by_code, test })
    }

    fn get(&self, i: usize) -> bool {
        match (&self.by_code, self.col.as_categorical()) {
            (Some(v), Some(c)) => v.get(c.code(i) as usize).copied().unwrap_or(false),
            _ => (self.test)(self.col.get(i)),
        }
    }
}

/// The columns the pass reads.
struct Columns<'a> {
    rows: &'a Rows,
    emails: Option<&'a TextColumn>,
    first: Option<&'a TextColumn>,
    last: Option<&'a TextColumn>,
    full: Option<&'a TextColumn>,
    phones: Option<&'a TextColumn>,
    orders: Option<&'a TextColumn>,
    host_source: Option<PerValue<'a>>,
    host_flag: Option<PerValue<'a>>,
    allow: FxHashSet<String>,
    screened: bool,
}

impl Columns<'_> {
    /// First and last name, from their own columns or split from a full name.
    fn names(&self, i: usize) -> (&str, &str) {
        match (self.first, self.last) {
            (Some(f), Some(la)) => (f.get(i).trim(), la.get(i).trim()),
            _ => {
                let n = self.full.map_or("", |c| c.get(i));
                let mut parts = n.split_whitespace();
                (parts.next().unwrap_or(""), parts.next_back().unwrap_or(""))
            }
        }
    }
}

/// What one row contributes to the relational counts.
#[derive(Default)]
struct Sparse {
    /// (stem << 32 | number, row) of addresses ending in a number.
    stems: Vec<(u64, u32)>,
    /// (stem << 32 | number, row) of name words ending in a number.
    names: Vec<(u64, u32)>,
    /// (phone, row).
    phones: Vec<(u32, u32)>,
    members: Vec<Member>,
}

/// Dense per-row output of the pass for one chunk of rows.
struct Out<'a> {
    bits: &'a mut [u16],
    facts: &'a mut [u16],
    aux: &'a mut [u8],
    key: &'a mut [u32],
}

/// Runs the text pass over one table.
pub(super) fn table_signals(
    rows: &Rows,
    venue_region_setting: &str,
    allow: &[String],
) -> TableSignals {
    let n = rows.len();
    let cols = Columns {
        rows,
        emails: rows.text(Role::Email),
        first: rows.text(Role::FirstName),
        last: rows.text(Role::LastName),
        full: rows.text(Role::Name),
        phones: rows.text(Role::Phone),
        orders: rows.text(Role::OrderId),
        host_source: PerValue::new(rows.text(Role::Source), host_added_source),
        host_flag: PerValue::new(rows.text(Role::AddedByHost), |v| {
            crate::import::parse_flag(v) == Some(true)
        }),
        allow: allow.iter().map(|d| d.trim().to_lowercase()).collect(),
        screened: rows.status.contains(&Status::AwaitingApproval),
    };
    let mut out = TableSignals {
        bits: vec![0; n],
        facts: vec![0; n],
        aux: vec![0; n],
        key: vec![0; n],
        group: vec![0; n],
        groups: vec![super::Group::default()],
        ..TableSignals::default()
    };
    const CHUNK: usize = 8192;
    let sparse: Vec<Sparse> = out
        .bits
        .par_chunks_mut(CHUNK)
        .zip(out.facts.par_chunks_mut(CHUNK))
        .zip(out.aux.par_chunks_mut(CHUNK))
        .zip(out.key.par_chunks_mut(CHUNK))
        .enumerate()
        .map(|(c, (((bits, facts), aux), key))| {
            let mut sc = Scratch::default();
            let mut sparse = Sparse::default();
            let mut o = Out {
                bits,
                facts,
                aux,
                key,
            };
            for j in 0..o.bits.len() {
                row_signals(&cols, c * CHUNK + j, j, &mut o, &mut sparse, &mut sc);
            }
            sparse
        })
        .collect();
    let mut all = Sparse::default();
    for s in sparse {
        all.stems.extend(s.stems);
        all.names.extend(s.names);
        all.phones.extend(s.phones);
        out.members.extend(s.members);
    }
    identity_groups(&mut out);
    running_numbers(
        all.stems,
        20,
        false,
        Reason::SequentialAddresses,
        &mut out.bits,
    );
    running_numbers(all.names, 5, true, Reason::NameCounter, &mut out.bits);
    shared(all.phones, 3, Reason::SharedPhone, &mut out.bits);
    for role in [Role::Ip, Role::UserAgent] {
        if let Some(col) = rows.text(role) {
            let values: Vec<(u32, u32)> = (0..n)
                .into_par_iter()
                .filter_map(|i| {
                    let v = col.get(i).trim();
                    (!v.is_empty()).then(|| (hash32(v.as_bytes()), i as u32))
                })
                .collect();
            shared(values, 20, Reason::SharedDevice, &mut out.bits);
        }
    }
    out.venue_region = venue_region(rows, &out, venue_region_setting);
    if let Some(c) = rows.text(Role::Region).or_else(|| rows.text(Role::Country))
        && !out.venue_region.is_empty()
    {
        let venue = out.venue_region.as_str();
        let far = |v: &str| !v.trim().is_empty() && !v.trim().eq_ignore_ascii_case(venue);
        match c {
            TextColumn::Cat(cat) => {
                let far_code: Vec<bool> = cat.values().iter().map(far).collect();
                for (i, &code) in cat.codes().iter().enumerate() {
                    if far_code.get(code as usize).copied().unwrap_or(false) {
                        out.bits[i] |= Reason::FarAway.bit();
                    }
                }
            }
            TextColumn::Str(s) => {
                for i in 0..n {
                    if far(s.get(i)) {
                        out.bits[i] |= Reason::FarAway.bit();
                    }
                }
            }
        }
    }
    out.masked = masked_columns(rows);
    out
}

/// The signals of row `i` (at `j` in the chunk `o`).
fn row_signals(
    cols: &Columns,
    i: usize,
    j: usize,
    o: &mut Out,
    sparse: &mut Sparse,
    sc: &mut Scratch,
) {
    let rows = cols.rows;
    let mut bits = 0u16;
    let mut facts = 0u16;
    let mut aux = 0u8;
    let email = cols.emails.map_or("", |c| c.get(i));
    let (fname, lname) = cols.names(i);
    let names_masked = is_masked(fname) || is_masked(lname);
    let mut key = FxHasher::default();
    if is_masked(email) {
        facts |= Fact::Masked.bit();
        key.write_u8(0xEE);
    } else if let Some(domain) = normalize_email_into(email, &mut sc.local) {
        let domain = domain.as_ref();
        let local = sc.local.as_str();
        sparse.members.push(member(
            cols,
            i,
            hash_parts(local, domain),
            email,
            fname,
            lname,
            names_masked,
        ));
        let kind = match domain_kind(domain) {
            DomainKind::Disposable if cols.allow.contains(domain) => DomainKind::Other,
            k => k,
        };
        if kind == DomainKind::Disposable {
            bits |= Reason::DisposableDomain.bit();
        }
        let assigned = matches!(kind, DomainKind::Institution | DomainKind::Relay);
        let grade = if assigned { 0 } else { random_grade(local) };
        if grade > 0 {
            bits |= Reason::RandomLocalPart.bit();
            if grade == 2 {
                aux |= aux::MASH;
            }
        }
        if !assigned && let Some((s, num)) = stem_and_number(local) {
            let stem = (hash32(s.as_bytes()) ^ hash32(domain.as_bytes())) | 1;
            sparse
                .stems
                .push(((stem as u64) << 32 | num.min(u32::MAX as u64), i as u32));
            if kind == DomainKind::Other {
                aux |= aux::SEQ_WEAK;
            }
        }
        // Names in other scripts can't be compared with an ASCII address; relays and
        // institutions choose the address, not the person.
        let shares = |name: &str| {
            name.len() >= 3
                && name.is_char_boundary(3)
                && local
                    .as_bytes()
                    .windows(3)
                    .any(|w| w.eq_ignore_ascii_case(&name.as_bytes()[..3]))
        };
        let related = fname.is_empty()
            || names_masked
            || !fname.is_ascii()
            || !lname.is_ascii()
            || assigned
            || !local.bytes().any(|b| b.is_ascii_alphabetic())
            || shares(fname)
            || shares(lname);
        if !related {
            bits |= Reason::NameEmailMismatch.bit();
        }
        // The shape of a wave: where, how the address is built, whether it is built from the
        // name, whether it carries a `+tag`.
        key.write(domain.as_bytes());
        hash_local_shape(local, &mut key);
        key.write_u8(related as u8);
        key.write_u8(email.contains('+') as u8);
    } else {
        key.write_u8(0xE0);
    }
    if names_masked {
        key.write_u8(0xFE);
    } else {
        let (gf, gl) = (random_grade(fname), random_grade(lname));
        let patterned = gf == 2
            || gl == 2
            || (gf == 1 && gl == 1)
            || (fname.len() > 1 && fname.eq_ignore_ascii_case(lname));
        if patterned {
            bits |= Reason::PatternedName.bit();
        }
        if fname
            .bytes()
            .chain(lname.bytes())
            .any(|b| b.is_ascii_digit())
        {
            bits |= Reason::DigitsInName.bit();
            if let Some((s, num)) = name_counter(fname).or_else(|| name_counter(lname)) {
                sparse.names.push(((s as u64) << 32 | num as u64, i as u32));
            }
        }
        if is_initial(fname) {
            aux |= aux::INITIAL;
        }
        key.write_u8(word_class(fname, gf));
        key.write_u8(word_class(lname, gl));
    }
    if let Some(p) = cols.phones {
        let raw = p.get(i);
        sc.digits.clear();
        sc.digits.extend(raw.bytes().filter(|b| b.is_ascii_digit()));
        let digits = &sc.digits;
        if digits.len() >= 7 && !is_masked(raw) {
            let placeholder = digits.ends_with(b"1234567890")
                || digits.ends_with(b"1234567")
                || digits.iter().all(|&b| b == digits[0]);
            if placeholder {
                bits |= Reason::PlaceholderPhone.bit();
            } else {
                sparse.phones.push((hash32(digits), i as u32));
            }
        }
    }
    // What speaks for the row.
    let status = rows.status[i];
    if rows.came(i) {
        facts |= Fact::CheckedIn.bit();
    }
    if rows.price.as_ref().is_some_and(|p| p[i] > 0.0) {
        facts |= Fact::Paid.bit();
    }
    if status == Status::Approved && cols.screened {
        facts |= Fact::Approved.bit();
    }
    let host = status == Status::Invited
        || cols.host_source.as_ref().is_some_and(|c| c.get(i))
        || cols.host_flag.as_ref().is_some_and(|c| c.get(i));
    if host {
        facts |= Fact::HostAdded.bit();
    }
    o.bits[j] = bits;
    o.facts[j] = facts;
    o.aux[j] = aux;
    o.key[j] = (key.finish() as u32) | 1;
}

/// A row with an address, and who it is beyond the address: the address as typed, the
/// person (name and event), the family name, the order. Small hashes: they are only ever
/// compared within one address's rows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Member {
    /// Normalized address.
    pub id: u64,
    pub row: u32,
    pub person: u32,
    pub order: u32,
    pub variant: u16,
    pub family: u16,
}

fn fold16(h: u64) -> u16 {
    (h ^ (h >> 16) ^ (h >> 32) ^ (h >> 48)) as u16
}

/// Who row `i` is beyond its address `id` (see [`Member`]).
fn member(
    cols: &Columns,
    i: usize,
    id: u64,
    email: &str,
    fname: &str,
    lname: &str,
    names_masked: bool,
) -> Member {
    let raw_local = email.trim().rsplit_once('@').map_or("", |(a, _)| a);
    let mut v = FxHasher::default();
    for b in raw_local.bytes() {
        v.write_u8(b.to_ascii_lowercase());
    }
    let (mut person, mut family) = (0, 0);
    if !names_masked {
        let mut p = FxHasher::default();
        for b in fname.bytes().chain([b' ']).chain(lname.bytes()) {
            p.write_u8(b.to_ascii_lowercase());
        }
        if let Some(ev) = &cols.rows.event_at {
            p.write_i64(ev[i]);
        }
        person = (p.finish() as u32) | 1;
        let mut f = FxHasher::default();
        for b in lname.bytes() {
            f.write_u8(b.to_ascii_lowercase());
        }
        family = fold16(f.finish());
    }
    let order = cols
        .orders
        .map(|o| o.get(i).trim())
        .filter(|o| !o.is_empty())
        .map_or(0, |o| hash32(o.as_bytes()));
    Member {
        id,
        row: i as u32,
        person,
        order,
        variant: fold16(v.finish()),
        family,
    }
}

/// Rows sharing a normalized address: duplicates of one person (same name, same event),
/// a repeat buyer's paid orders, a household, or one address behind many people.
fn identity_groups(out: &mut TableSignals) {
    out.members.par_sort_unstable();
    let members = &out.members;
    let facts = &out.facts;
    let runs: Vec<&[Member]> = members
        .chunk_by(|a, b| a.id == b.id)
        .filter(|r| r.len() >= 2)
        .collect();
    let found: Vec<(GroupKind, Vec<u32>, bool)> = runs
        .par_iter()
        .map(|run| {
            // Tickets of one order share the buyer's address: one registration, not a repeat.
            if run[0].order != 0 && run.iter().all(|m| m.order == run[0].order) {
                return (GroupKind::None, Vec::new(), false);
            }
            let paid = run
                .iter()
                .any(|m| facts[m.row as usize] & Fact::Paid.bit() != 0);
            let mut variants: Vec<u16> = run.iter().map(|m| m.variant).collect();
            variants.sort_unstable();
            variants.dedup();
            let mut families: Vec<u16> = run.iter().map(|m| m.family).collect();
            families.sort_unstable();
            families.dedup();
            // One person (name, event) again in another order, or with no orders to tell: a
            // duplicate of the first registration.
            let mut people: Vec<(u32, u32, u32)> = run
                .iter()
                .filter(|m| m.person != 0)
                .map(|m| (m.person, m.row, m.order))
                .collect();
            people.sort_unstable();
            let mut dups = Vec::new();
            let mut distinct = 0;
            for same in people.chunk_by(|a, b| a.0 == b.0) {
                distinct += 1;
                let first = same[0].2;
                for p in &same[1..] {
                    if (p.2 == 0 || p.2 != first) && !paid {
                        dups.push(p.1);
                    }
                }
            }
            let kind = if paid {
                GroupKind::RepeatBuyer
            } else if distinct <= 1 && variants.len() <= 2 {
                // One person, the address typed at most two ways: signing up again. Many
                // spellings of one mailbox (`sam+1@`, `sam+2@`, …) are accounts, not slips.
                GroupKind::Duplicates
            } else if variants.len() >= 2 || (distinct >= 3 && families.len() >= 2) {
                GroupKind::Repeated
            } else {
                GroupKind::Shared
            };
            (kind, dups, distinct >= 3)
        })
        .collect();
    let mut marks: Vec<(u32, GroupKind, bool)> = Vec::new();
    for (run, (kind, dups, many)) in runs.iter().zip(found) {
        if kind == GroupKind::None {
            continue;
        }
        for &i in &dups {
            out.facts[i as usize] |= Fact::Duplicate.bit();
        }
        let id = out.groups.len() as u32;
        out.groups.push(super::Group {
            size: run.len() as u32,
            kind,
            duplicates: dups.len() as u32,
        });
        for m in run.iter() {
            marks.push((m.row, kind, many));
            out.group[m.row as usize] = id;
        }
    }
    for (row, kind, many) in marks {
        let i = row as usize;
        match kind {
            GroupKind::Repeated => {
                out.bits[i] |= Reason::RepeatedIdentity.bit();
                if many {
                    out.aux[i] |= aux::MANY;
                }
            }
            GroupKind::RepeatBuyer => out.facts[i] |= Fact::RepeatBuyer.bit(),
            _ => {}
        }
    }
}

/// Many distinct values of one stem whose numbers mostly follow each other (a script's
/// `fan0001`, `fan0002`, …; with `spread`, a wave of `Pop1` … `Pop999`, dense but not
/// consecutive), not people who add a birth year. `values` are (stem << 32 | number, row).
fn running_numbers(
    mut values: Vec<(u64, u32)>,
    min: usize,
    spread: bool,
    reason: Reason,
    bits: &mut [u16],
) {
    if values.len() < min {
        return;
    }
    values.par_sort_unstable();
    for run in values.chunk_by(|a, b| a.0 >> 32 == b.0 >> 32) {
        if run.len() < min {
            continue;
        }
        let mut nums: Vec<u32> = run.iter().map(|r| r.0 as u32).collect();
        nums.dedup();
        if nums.len() < min {
            continue;
        }
        let limit = if spread { 1000 } else { 2 };
        let close = nums.windows(2).filter(|w| w[1] - w[0] <= limit).count();
        if close * 2 >= nums.len() - 1 {
            for r in run {
                bits[r.1 as usize] |= reason.bit();
            }
        }
    }
}

/// One value (phone, IP, browser) on at least `min` rows; `values` are (value, row).
fn shared(mut values: Vec<(u32, u32)>, min: usize, reason: Reason, bits: &mut [u16]) {
    values.par_sort_unstable();
    for run in values.chunk_by(|a, b| a.0 == b.0) {
        if run.len() >= min {
            for r in run {
                bits[r.1 as usize] |= reason.bit();
            }
        }
    }
}

/// The venue's region: as given, or the most common one among rows without strong signals.
fn venue_region(rows: &Rows, sig: &TableSignals, setting: &str) -> String {
    if !setting.trim().is_empty() {
        return setting.trim().to_string();
    }
    let Some(col) = rows.text(Role::Region).or_else(|| rows.text(Role::Country)) else {
        return String::new();
    };
    let plain = |i: usize| sig.bits[i] == 0 && sig.group[i] == 0;
    let best = match col {
        TextColumn::Cat(cat) => {
            let mut counts = vec![0u64; cat.values().len()];
            for (i, &c) in cat.codes().iter().enumerate() {
                if plain(i) {
                    counts[c as usize] += 1;
                }
            }
            counts
                .iter()
                .enumerate()
                .filter(|(c, n)| **n > 0 && !cat.values().get(*c).trim().is_empty())
                .max_by_key(|(c, n)| (**n, std::cmp::Reverse(cat.values().get(*c))))
                .map(|(c, _)| cat.values().get(c).trim().to_string())
        }
        TextColumn::Str(s) => {
            let mut m: std::collections::HashMap<&str, u64> = Default::default();
            for i in 0..rows.len() {
                if plain(i) {
                    *m.entry(s.get(i).trim()).or_default() += 1;
                }
            }
            m.into_iter()
                .filter(|(k, _)| !k.is_empty())
                .max_by_key(|(k, v)| (*v, std::cmp::Reverse(*k)))
                .map(|(k, _)| k.to_string())
        }
    };
    best.unwrap_or_default()
}

/// Identity columns whose values are mostly masked, redacted or hashed (from a sample).
pub(crate) fn masked_columns(rows: &Rows) -> Vec<Role> {
    [
        Role::Email,
        Role::Name,
        Role::FirstName,
        Role::LastName,
        Role::Phone,
    ]
    .into_iter()
    .filter(|&role| {
        rows.text(role).is_some_and(|c| {
            let step = (rows.len() / 2000).max(1);
            let (mut seen, mut masked) = (0, 0);
            for i in (0..rows.len()).step_by(step) {
                let v = c.get(i);
                if v.trim().is_empty() {
                    continue;
                }
                seen += 1;
                masked += is_masked(v) as u32;
            }
            seen > 0 && masked * 2 > seen
        })
    })
    .collect()
}
