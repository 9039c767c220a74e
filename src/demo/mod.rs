//! The embedded demo: a deterministic, seeded Tulsa-like rally.
//!
//! A 19,000-seat arena and about a million registrations over ten days, of which an organic
//! base of supporters (daily rhythm, local ZIP codes, one genuine surge after a TV mention) is
//! swamped by coordinated fakes from a few night-time viral bursts: plus-tagged and dotted
//! addresses of few accounts, disposable domains, far-away ZIP codes, patterned names. Three
//! smaller past events carry check-ins for calibration, and a merch sale shows activists
//! holding inventory in unpaid carts.
//!
//! Ground truth (fake or not, came or not) is kept in [`Truth`] beside the data, never in the
//! tables or the exported files.

pub mod export;
mod merch;
mod people;
pub mod rng;

use jiff::tz::TimeZone;
use rayon::prelude::*;
use std::fmt::Write as _;

use crate::dataset::{Categorical, Dataset, Edition, NO_TIME, Rows, StrColumn, Table, TextColumn};
use crate::import::timestamp::{Resolver, parse};
use crate::import::{Detected, ImportReport, MappedRole, Role, Status};
pub use export::Layout;
pub use merch::{MerchSale, MerchTruth};
use people::*;
use rng::{Rng, cumulative};

/// The seed used when none is given.
pub const DEFAULT_SEED: u64 = 20_200_620;

/// Size, seed and shape of the demo.
#[derive(Clone, Debug)]
pub struct DemoConfig {
    /// Rows (registrations) of the rally.
    pub rows: usize,
    pub seed: u64,
    pub scenario: Scenario,
}

impl Default for DemoConfig {
    fn default() -> Self {
        DemoConfig {
            rows: 1_000_000,
            seed: DEFAULT_SEED,
            scenario: Scenario::Rally,
        }
    }
}

/// The shape of the rally's registrations, for testing the detector on more than one story.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Scenario {
    /// The Tulsa-like rally: viral night-time bursts of coordinated fakes.
    #[default]
    Rally,
    /// Fakes trickling in over the days, no bursts to give them away.
    SlowDrip,
    /// A genuine surge of local fans after a TV mention, and few fakes.
    LocalSurge,
}

/// The rally's venue.
#[derive(Clone, Debug)]
pub struct Venue {
    pub name: String,
    pub capacity: u64,
    /// Extra places on the overflow stage outside.
    pub overflow_capacity: u64,
    /// UTC seconds.
    pub event_start: i64,
    pub time_zone_name: String,
    /// The venue's state, for distance signals.
    pub region: String,
    /// First three digits of local ZIP codes.
    pub local_zip3: Vec<String>,
}

impl Venue {
    pub fn time_zone(&self) -> TimeZone {
        TimeZone::get(&self.time_zone_name).unwrap_or(TimeZone::UTC)
    }
}

/// Why a demo row exists.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum Segment {
    /// A supporter living near the venue.
    LocalFan = 0,
    /// A supporter from far away (registered to show support; rarely comes).
    DistantFan = 1,
    /// Part of a genuine surge after a TV mention (real, mostly local people).
    SurgeFan = 2,
    /// A coordinated fake from a viral burst.
    BurstFake = 3,
    /// A fake trickling in outside the bursts.
    DripFake = 4,
}

impl Segment {
    pub fn is_fake(self) -> bool {
        matches!(self, Segment::BurstFake | Segment::DripFake)
    }
}

/// What really happened, row by row, for one table.
#[derive(Clone, Debug, Default)]
pub struct Truth {
    pub segment: Vec<Segment>,
    /// The person came (for the current event: will come).
    pub attended: Vec<bool>,
}

impl Truth {
    pub fn is_fake(&self, row: usize) -> bool {
        self.segment[row].is_fake()
    }

    /// People who came (tickets of rows that came).
    pub fn attendance(&self, rows: &Rows) -> u64 {
        self.attended
            .iter()
            .zip(&rows.quantity)
            .zip(&rows.status)
            .filter(|((a, _), s)| **a && s.is_active())
            .map(|((_, q), _)| *q as u64)
            .sum()
    }
}

/// The generated demo: rally, past editions and merch sale, with their truth.
pub struct Demo {
    pub config: DemoConfig,
    pub venue: Venue,
    /// Table 0 is the rally; tables 1.. are past editions.
    pub dataset: Dataset,
    /// Truth for each table of `dataset`, same order.
    pub truth: Vec<Truth>,
    pub merch: MerchSale,
}

/// A viral burst of fakes: when it starts (hours after registration opens) and its share.
#[derive(Clone, Copy, Debug)]
struct Burst {
    at_hours: f64,
    share: f64,
    /// Mean decay time in hours.
    decay_hours: f64,
}

/// One event's recipe.
#[derive(Clone, Debug)]
struct EventPlan {
    label: &'static str,
    /// Event start as local wall time text.
    start: &'static str,
    open_days: f64,
    rows: usize,
    genuine_share: f64,
    local_share: f64,
    area: &'static [Place],
    p_local: f64,
    p_distant: f64,
    bursts: Vec<Burst>,
    /// Share of genuine rows that arrive in one surge (hours after opening).
    surge: Option<(f64, f64)>,
    record_checkins: bool,
}

/// Relative signups by local hour of day.
const HOURLY: [f64; 24] = [
    0.25, 0.12, 0.08, 0.06, 0.06, 0.10, 0.30, 0.60, 0.80, 0.90, 1.00, 1.00, 1.10, 1.00, 0.90, 0.90,
    1.00, 1.20, 1.50, 1.70, 1.80, 1.50, 1.00, 0.55,
];

fn rally_plan(rows: usize, scenario: Scenario) -> EventPlan {
    let mut plan = rally_base(rows);
    match scenario {
        Scenario::Rally => {}
        Scenario::SlowDrip => {
            plan.genuine_share = 0.5;
            plan.bursts.clear();
            plan.surge = None;
        }
        Scenario::LocalSurge => {
            plan.genuine_share = 0.9;
            plan.local_share = 0.5;
            plan.bursts.clear();
            plan.surge = Some((100.0, 0.4));
        }
    }
    plan
}

fn rally_base(rows: usize) -> EventPlan {
    EventPlan {
        label: "Riverside Arena rally",
        start: "2026-06-20 19:00",
        open_days: 10.0,
        rows,
        genuine_share: 0.06,
        local_share: 0.12,
        area: TULSA_AREA,
        p_local: 0.45,
        p_distant: 0.02,
        bursts: vec![
            Burst {
                at_hours: 59.5,
                share: 0.34,
                decay_hours: 2.5,
            },
            Burst {
                at_hours: 109.0,
                share: 0.28,
                decay_hours: 2.0,
            },
            Burst {
                at_hours: 154.0,
                share: 0.20,
                decay_hours: 3.0,
            },
            Burst {
                at_hours: 204.5,
                share: 0.13,
                decay_hours: 1.5,
            },
        ],
        surge: Some((104.0, 0.03)),
        record_checkins: false,
    }
}

fn past_plans() -> Vec<EventPlan> {
    vec![
        EventPlan {
            label: "Oklahoma City town hall",
            start: "2025-10-04 18:00",
            open_days: 14.0,
            rows: 12_000,
            genuine_share: 0.93,
            local_share: 0.45,
            area: OKC_AREA,
            p_local: 0.47,
            p_distant: 0.025,
            bursts: vec![Burst {
                at_hours: 200.0,
                share: 0.9,
                decay_hours: 2.0,
            }],
            surge: Some((250.0, 0.04)),
            record_checkins: true,
        },
        EventPlan {
            label: "Wichita rally",
            start: "2025-03-15 19:00",
            open_days: 10.0,
            rows: 8_000,
            genuine_share: 0.95,
            local_share: 0.50,
            area: WICHITA_AREA,
            p_local: 0.44,
            p_distant: 0.02,
            bursts: vec![Burst {
                at_hours: 120.0,
                share: 0.9,
                decay_hours: 2.0,
            }],
            surge: Some((170.0, 0.03)),
            record_checkins: true,
        },
        EventPlan {
            label: "Tulsa volunteer meetup",
            start: "2024-11-09 14:00",
            open_days: 21.0,
            rows: 3_000,
            genuine_share: 0.98,
            local_share: 0.70,
            area: TULSA_AREA,
            p_local: 0.50,
            p_distant: 0.03,
            bursts: vec![],
            surge: None,
            record_checkins: true,
        },
    ]
}

const DEMO_ZONE: &str = "America/Chicago";

fn local_instant(text: &str, tz: &TimeZone) -> i64 {
    let (raw, _) = parse(text.as_bytes()).expect("demo times are valid");
    Resolver::new(tz.clone(), false)
        .resolve(&raw)
        .expect("demo times are valid")
}

impl Demo {
    /// Builds the demo in memory (well under a second for a million rows on two cores).
    pub fn generate(config: &DemoConfig) -> Demo {
        let tz = TimeZone::get(DEMO_ZONE).unwrap_or(TimeZone::UTC);
        let rally = rally_plan(config.rows.max(100), config.scenario);
        let event_start = local_instant(rally.start, &tz);
        let venue = Venue {
            name: "Riverside Arena, Tulsa-like".to_string(),
            capacity: 19_000,
            overflow_capacity: 40_000,
            event_start,
            time_zone_name: DEMO_ZONE.to_string(),
            region: "OK".to_string(),
            local_zip3: vec!["740".to_string(), "741".to_string()],
        };
        let mut dataset = Dataset::default();
        let mut truth = Vec::new();
        let plans = std::iter::once(rally).chain(past_plans());
        for (k, plan) in plans.enumerate() {
            let (rows, t) = generate_event(&plan, &tz, config.seed, k as u64);
            let start = local_instant(plan.start, &tz);
            let edition = if k == 0 {
                Edition::Current
            } else {
                Edition::Past {
                    event_start: Some(start),
                }
            };
            dataset.push(demo_table(plan.label, edition, rows));
            truth.push(t);
        }
        let merch = merch::generate(&tz, config.seed);
        Demo {
            config: config.clone(),
            venue,
            dataset,
            truth,
            merch,
        }
    }
}

/// A table built in memory, with an import report that says so (demo data, benches).
pub fn table(label: &str, edition: Edition, rows: Rows) -> Table {
    demo_table(label, edition, rows)
}

fn demo_table(label: &str, edition: Edition, rows: Rows) -> Table {
    let mapping = rows
        .texts
        .iter()
        .map(|(r, _)| *r)
        .chain([Role::RegisteredAt, Role::Quantity, Role::Status])
        .chain(rows.checked_in.as_ref().map(|_| Role::CheckedIn))
        .chain(rows.price.as_ref().map(|_| Role::Price))
        .chain(rows.hold_expires_at.as_ref().map(|_| Role::HoldExpiresAt))
        .map(|role| MappedRole {
            role,
            headers: vec![format!("({})", role.name())],
            columns: vec![],
            chosen: false,
            negated: false,
        })
        .collect();
    let n = rows.len() as u64;
    let report = ImportReport {
        path: format!("demo: {label}").into(),
        file_bytes: 0,
        detected: Detected {
            kind: crate::import::FileContent::Registrations,
            format: "demo".to_string(),
            encoding: "UTF-8".to_string(),
            delimiter: None,
            header_line: 0,
            date_format: None,
            date_order: None,
            time_zone: DEMO_ZONE.to_string(),
            sheet: None,
        },
        headers: vec![],
        mapping,
        group_hint: None,
        rows_read: n,
        rows_loaded: n,
        rejected_count: 0,
        rejected: vec![],
        value_issues: vec![],
        merged_rows: 0,
        kept_came: None,
        counts: crate::dataset::Unit::People,
        warnings: vec!["generated demo data (synthetic people)".to_string()],
        samples: vec![],
    };
    Table {
        label: label.to_string(),
        edition,
        rows,
        report,
    }
}

/// Signup times for every row with its segment, sorted by time.
fn signup_times(plan: &EventPlan, tz: &TimeZone, rng: &mut Rng) -> Vec<(i64, Segment)> {
    let start = local_instant(plan.start, tz);
    let open = start - (plan.open_days * 86_400.0) as i64;
    let n_genuine = (plan.rows as f64 * plan.genuine_share).round() as usize;
    let n_fake = plan.rows - n_genuine;
    let (surge_at, surge_share) = plan.surge.unwrap_or((0.0, 0.0));
    let n_surge = (n_genuine as f64 * surge_share).round() as usize;
    // Organic signups: days rising toward the event, hours following the daily rhythm.
    let days = plan.open_days.ceil() as usize;
    let day_weights: Vec<f64> = (0..days).map(|d| (0.18 * d as f64).exp()).collect();
    let day_cum = cumulative(&day_weights);
    let hour_cum = cumulative(&HOURLY);
    let mut clock = crate::timefmt::LocalClock::new(tz.clone());
    let open_wall = clock.wall(open);
    let open_midnight = open_wall.div_euclid(86_400) * 86_400;
    let organic = |rng: &mut Rng, clock: &mut crate::timefmt::LocalClock| loop {
        let d = rng.weighted(&day_cum) as i64;
        let h = rng.weighted(&hour_cum) as i64;
        let wall = open_midnight + (d + 1) * 86_400 + h * 3600 + rng.below(3600) as i64;
        let t = wall - clock.offset(wall) as i64;
        if t > open && t < start {
            return t;
        }
    };
    let mut out = Vec::with_capacity(plan.rows);
    for i in 0..n_genuine {
        let t = if i < n_surge {
            open + ((surge_at + rng.exp(3.0).min(20.0)) * 3600.0) as i64
        } else {
            organic(rng, &mut clock)
        };
        let local = if i < n_surge {
            rng.chance(0.7)
        } else {
            rng.chance(plan.local_share)
        };
        let seg = match (i < n_surge, local) {
            (true, _) => Segment::SurgeFan,
            (false, true) => Segment::LocalFan,
            (false, false) => Segment::DistantFan,
        };
        out.push((t.min(start - 60), seg));
    }
    let burst_total: f64 = plan.bursts.iter().map(|b| b.share).sum();
    let burst_cum = cumulative(&plan.bursts.iter().map(|b| b.share).collect::<Vec<_>>());
    for _ in 0..n_fake {
        let in_burst = !plan.bursts.is_empty() && rng.chance(burst_total.min(1.0));
        let (t, seg) = if in_burst {
            let b = plan.bursts[rng.weighted(&burst_cum)];
            let rise = rng.f64() * 0.33;
            let delay = rise + rng.exp(b.decay_hours).min(14.0);
            (
                open + ((b.at_hours + delay) * 3600.0) as i64,
                Segment::BurstFake,
            )
        } else {
            let t = open + (rng.f64() * (start - open) as f64) as i64;
            (t, Segment::DripFake)
        };
        out.push((t.clamp(open + 1, start - 60), seg));
    }
    out.sort_unstable_by_key(|&(t, s)| (t, s as u8));
    out
}

/// Accounts behind the coordinated fakes: few people, many addresses.
fn fake_accounts(seed: u64) -> Vec<String> {
    let mut rng = Rng::fork(seed, 0xACC0);
    (0..1_500)
        .map(|i| match i % 3 {
            0 => format!(
                "{}{}",
                ascii_lower(FIRST_NAMES[rng.below(FIRST_NAMES.len() as u64) as usize]),
                rng.below(10_000)
            ),
            1 => format!("kpop{}stan{}", keyboard_mash(&mut rng, 3), rng.below(1000)),
            _ => format!("{}{}", keyboard_mash(&mut rng, 6), rng.below(100)),
        })
        .collect()
}

/// Gmail ignores dots in the local part: `j.ohns.mith` is `johnsmith`.
fn dotted(rng: &mut Rng, local: &str) -> String {
    let mut s = String::with_capacity(local.len() + 4);
    for (i, c) in local.chars().enumerate() {
        if i > 0 && rng.chance(0.25) {
            s.push('.');
        }
        s.push(c);
    }
    s
}

/// Builds one event's rows in parallel blocks (deterministic whatever the thread count).
fn generate_event(plan: &EventPlan, tz: &TimeZone, seed: u64, k: u64) -> (Rows, Truth) {
    let mut rng = Rng::fork(seed, 1000 + k);
    let times = signup_times(plan, tz, &mut rng);
    let accounts = fake_accounts(seed);
    let start = local_instant(plan.start, tz);
    // One shared shock per event: weather, news; people do not decide independently.
    let shock = (0.08 * rng.normal()).exp();
    const BLOCK: usize = 16_384;
    let order_base = 1_200_000_000u64 + k * 100_000_000;
    let parts: Vec<(Rows, Truth)> = times
        .par_chunks(BLOCK)
        .enumerate()
        .map(|(b, block)| {
            let mut rng = Rng::fork(seed, (k << 32) | b as u64);
            let mut rows = empty_rows(block.len(), plan.record_checkins);
            let mut truth = Truth::default();
            let mut buf = String::new();
            let mut sequence = 10_000 + b as u64 * 100_000;
            for (j, &(t, seg)) in block.iter().enumerate() {
                let i = b * BLOCK + j;
                let p = match seg {
                    Segment::LocalFan => plan.p_local,
                    Segment::SurgeFan => plan.p_local * 0.9,
                    Segment::DistantFan => plan.p_distant,
                    _ => 0.0005,
                };
                // Who signs up early forgets more often: 1.1 on the day, 0.9 ten days ahead.
                let days_ahead = ((start - t) as f64 / 86_400.0).min(10.0);
                let p = p * (1.1 - 0.02 * days_ahead);
                let cancelled = rng.chance(if seg.is_fake() { 0.005 } else { 0.03 });
                let came = !cancelled && rng.chance((p * shock).min(0.98));
                person(
                    &mut rng,
                    &mut rows,
                    &mut buf,
                    seg,
                    plan,
                    &accounts,
                    &mut sequence,
                );
                rows.line.push(i as u32 + 2);
                rows.registered_at.push(t);
                let quantity = match (seg.is_fake(), rng.f64()) {
                    (false, x) if x < 0.88 => 1,
                    (false, x) if x < 0.97 => 2,
                    (false, _) => 3 + rng.below(2) as u32,
                    (true, x) if x < 0.97 => 1,
                    (true, _) => 4,
                };
                rows.quantity.push(quantity);
                rows.status
                    .push(match (cancelled, came && plan.record_checkins) {
                        (true, _) => Status::Cancelled,
                        (false, true) => Status::CheckedIn,
                        (false, false) => Status::Confirmed,
                    });
                if let Some(ci) = rows.checked_in.as_mut() {
                    ci.push(if came {
                        start - 5400 + rng.below(7200) as i64
                    } else {
                        NO_TIME
                    });
                }
                if let Some(price) = rows.price.as_mut() {
                    price.push(0.0);
                }
                let order = order_base + i as u64 * 3 + rng.below(3);
                buf.clear();
                let _ = write!(buf, "{order}");
                push_text(&mut rows, Role::OrderId, &buf);
                buf.clear();
                let _ = write!(buf, "{}", order * 10 + 1);
                push_text(&mut rows, Role::RegistrantId, &buf);
                truth.segment.push(seg);
                truth.attended.push(came);
            }
            (rows, truth)
        })
        .collect();
    let mut rows = empty_rows(times.len(), plan.record_checkins);
    let mut truth = Truth::default();
    for (r, t) in parts {
        rows.append(&r);
        truth.segment.extend(t.segment);
        truth.attended.extend(t.attended);
    }
    (rows, truth)
}

const TEXT_ROLES: [(Role, bool); 12] = [
    (Role::OrderId, false),
    (Role::RegistrantId, false),
    (Role::Email, false),
    (Role::FirstName, false),
    (Role::LastName, false),
    (Role::Phone, false),
    (Role::PostalCode, true),
    (Role::City, true),
    (Role::Region, true),
    (Role::Country, true),
    (Role::TicketType, true),
    (Role::Source, true),
];

fn empty_rows(n: usize, checkins: bool) -> Rows {
    Rows {
        line: Vec::with_capacity(n),
        registered_at: Vec::with_capacity(n),
        quantity: Vec::with_capacity(n),
        status: Vec::with_capacity(n),
        checked_in: checkins.then(|| Vec::with_capacity(n)),
        hold_expires_at: None,
        event_at: None,
        cancelled_at: None,
        price: Some(Vec::with_capacity(n)),
        texts: TEXT_ROLES
            .iter()
            .map(|&(role, cat)| {
                let col = if cat {
                    TextColumn::Cat(Categorical::with_capacity(n))
                } else {
                    TextColumn::Str(StrColumn::with_capacity(n, n * 20))
                };
                (role, col)
            })
            .collect(),
    }
}

fn push_text(rows: &mut Rows, role: Role, value: &str) {
    let i = TEXT_ROLES.iter().position(|(r, _)| *r == role).unwrap_or(0);
    rows.texts[i].1.push(value);
}

/// One registrant's identity columns.
fn person(
    rng: &mut Rng,
    rows: &mut Rows,
    buf: &mut String,
    seg: Segment,
    plan: &EventPlan,
    accounts: &[String],
    sequence: &mut u64,
) {
    let (first, last): (String, String) = if seg.is_fake() {
        match rng.below(10) {
            0..=2 => {
                let (a, b) = (3 + rng.below(5) as usize, 4 + rng.below(6) as usize);
                (random_word(rng, a), random_word(rng, b))
            }
            3..=4 => {
                let n = rng
                    .pick(&["Karen", "Mickey", "Kpop", "Tulsa", "Stan"])
                    .to_string();
                (
                    n.clone(),
                    rng.pick(&["Karen", "Mouse", "Stan", "Fan", "Lol"])
                        .to_string(),
                )
            }
            5 => (keyboard_mash(rng, 5), keyboard_mash(rng, 6)),
            _ => (
                rng.pick(FIRST_NAMES).to_string(),
                rng.pick(LAST_NAMES).to_string(),
            ),
        }
    } else if rng.chance(0.01) {
        (
            rng.pick(FIRST_NAMES_OTHER_SCRIPTS).to_string(),
            rng.pick(LAST_NAMES_OTHER_SCRIPTS).to_string(),
        )
    } else {
        (
            rng.pick(FIRST_NAMES).to_string(),
            rng.pick(LAST_NAMES).to_string(),
        )
    };
    buf.clear();
    if seg.is_fake() {
        match rng.below(20) {
            0..=10 => {
                // Few accounts, many addresses: dots and +tags on Gmail.
                let idx = (rng.f64().powi(3) * accounts.len() as f64) as usize;
                let local = &accounts[idx.min(accounts.len() - 1)];
                let dotted = dotted(rng, local);
                let domain = if rng.chance(0.15) {
                    "googlemail.com"
                } else {
                    "gmail.com"
                };
                if rng.chance(0.6) {
                    let _ = write!(
                        buf,
                        "{dotted}+{}{}@{domain}",
                        keyboard_mash(rng, 3),
                        rng.below(1000)
                    );
                } else {
                    let _ = write!(buf, "{dotted}@{domain}");
                }
            }
            11..=14 => {
                let _ = write!(
                    buf,
                    "{}{}@{}",
                    keyboard_mash(rng, 7),
                    rng.below(100),
                    rng.pick(DISPOSABLE_DOMAINS)
                );
            }
            15..=17 => {
                let _ = write!(
                    buf,
                    "{}{}@{}",
                    keyboard_mash(rng, 8),
                    rng.below(1000),
                    rng.pick(&["yahoo.com", "outlook.com", "hotmail.com"])
                );
            }
            _ => {
                // A script's running numbers.
                *sequence += 1;
                let _ = write!(buf, "tulsafan{}@outlook.com", *sequence);
            }
        }
    } else {
        let f = ascii_lower(&first);
        let l = ascii_lower(&last);
        let dom_cum: Vec<f64> =
            cumulative(&GENUINE_DOMAINS.iter().map(|d| d.1).collect::<Vec<_>>());
        let domain = GENUINE_DOMAINS[rng.weighted(&dom_cum)].0;
        let (f, l) = if f.is_empty() || l.is_empty() {
            // Names in other scripts: addresses are written in Latin letters anyway.
            (
                ascii_lower(FIRST_NAMES[rng.below(FIRST_NAMES.len() as u64) as usize]),
                ascii_lower(LAST_NAMES[rng.below(LAST_NAMES.len() as u64) as usize]),
            )
        } else {
            (f, l)
        };
        {
            match rng.below(4) {
                0 => {
                    let _ = write!(buf, "{f}.{l}.{}@{domain}", 10 + rng.below(990));
                }
                1 => {
                    let _ = write!(buf, "{f}.{l}{}@{domain}", 100 + rng.below(9900));
                }
                2 => {
                    let _ = write!(
                        buf,
                        "{}{l}{}{}@{domain}",
                        &f[..1],
                        1950 + rng.below(56),
                        rng.below(100)
                    );
                }
                _ => {
                    let _ = write!(buf, "{f}{l}{}@{domain}", rng.below(1000));
                }
            }
        }
    }
    push_text(rows, Role::Email, buf);
    push_text(rows, Role::FirstName, &first);
    push_text(rows, Role::LastName, &last);
    let place = match seg {
        Segment::LocalFan | Segment::SurgeFan => *rng.pick(plan.area),
        Segment::DistantFan => *rng.pick(FAR_US),
        _ => match rng.below(20) {
            0..=11 => *rng.pick(FAR_US),
            12..=16 => *rng.pick(ABROAD),
            _ => *rng.pick(plan.area),
        },
    };
    let phone = if seg.is_fake() {
        match rng.below(10) {
            0..=6 => String::new(),
            7 => "123-456-7890".to_string(),
            _ => place.phone(rng),
        }
    } else if rng.chance(0.8) {
        place.phone(rng)
    } else {
        String::new()
    };
    push_text(rows, Role::Phone, &phone);
    let postal = place.postal_code(rng);
    push_text(rows, Role::PostalCode, &postal);
    push_text(rows, Role::City, place.city);
    push_text(rows, Role::Region, place.region);
    push_text(rows, Role::Country, place.country);
    push_text(rows, Role::TicketType, "General Admission");
    let source = if seg.is_fake() {
        *rng.pick(&["tiktok", "website", "website", "text message"])
    } else {
        *rng.pick(&[
            "campaign app",
            "campaign app",
            "text message",
            "website",
            "facebook",
        ])
    };
    push_text(rows, Role::Source, source);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_demo_is_deterministic_and_shaped_like_the_story() {
        let a = Demo::generate(&DemoConfig {
            rows: 20_000,
            seed: 1,
            ..DemoConfig::default()
        });
        let b = Demo::generate(&DemoConfig {
            rows: 20_000,
            seed: 1,
            ..DemoConfig::default()
        });
        let ra = &a.dataset.tables[0].rows;
        let rb = &b.dataset.tables[0].rows;
        assert_eq!(ra.registered_at, rb.registered_at);
        assert_eq!(
            ra.text(Role::Email).unwrap().get(777),
            rb.text(Role::Email).unwrap().get(777)
        );
        assert_eq!(ra.len(), 20_000);
        let t = &a.truth[0];
        let fakes = (0..ra.len()).filter(|&i| t.is_fake(i)).count();
        assert!((18_000..19_200).contains(&fakes), "{fakes}");
        assert!(ra.registered_at.windows(2).all(|w| w[0] <= w[1]));
        assert!(ra.registered_at.iter().all(|&t| t < a.venue.event_start));
        // Past editions carry check-ins.
        assert_eq!(a.dataset.history().count(), 3);
        assert!(a.dataset.tables[1].rows.checked_in.is_some());
    }
}
