//! Held inventory: seats and stock locked by unpaid holds, who hoards them, and what a
//! different hold policy would have done (OWASP OAT-021, denial of inventory).
//!
//! Any table with a time, a status and optionally an identity, an item and an expiry reads
//! as a hold log, whether it is a cart log (one row per hold, purchase, expiry or release)
//! or an order export (one row per order in its current state):
//!
//! - a pending row (hold, in cart, reserved, awaiting payment) starts a hold that lasts until
//!   a later row of the same person and item closes it, else until its `reserved_until`, else
//!   for the platform's default hold time;
//! - a confirmed row (purchase, paid) closes that person's open hold on the item as a
//!   purchase, or is a sale without a hold;
//! - an expired, released or cancelled row closes the open hold, or (order exports) is a hold
//!   that ran out.
//!
//! pretix's quota availability export is read as snapshots ([`quota`]).

pub mod quota;
mod replay;

use std::collections::{BTreeMap, VecDeque};

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use super::identity::normalize_email;
use crate::dataset::{NO_TIME, Table};
use crate::import::{Role, Status};
pub use replay::{Inventory, ItemSeries, Policy, WhatIf, analyse, what_if};

/// Hold policy settings staff can tune. Stored in project files.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct HoldSettings {
    /// How long a hold lasts when the export does not say (pretix: 30, alf.io: 25).
    pub default_hold_minutes: u32,
    /// The hold time to replay the sale with.
    pub what_if_hold_minutes: u32,
    /// Most units one person may hold at once in the replay (0 = no limit).
    pub what_if_limit: u32,
    /// Stock per item where the export does not say; missing items use the most ever sold
    /// plus held at one moment.
    pub stock: BTreeMap<String, u64>,
}

impl Default for HoldSettings {
    fn default() -> Self {
        HoldSettings {
            default_hold_minutes: 30,
            what_if_hold_minutes: 10,
            what_if_limit: 4,
            stock: BTreeMap::new(),
        }
    }
}

/// How a hold ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Purchased,
    Expired,
    /// Still held when the export was made.
    Open,
}

/// One hold: who held how many of what, from when to when.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Hold {
    pub start: i64,
    pub end: i64,
    pub who: u32,
    pub item: u32,
    pub qty: u32,
    pub outcome: Outcome,
    /// Line of the row that started it.
    pub line: u32,
}

/// A sale without a hold (an order paid at once).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Sale {
    pub t: i64,
    pub item: u32,
    pub qty: u32,
}

/// Holds and sales of one log, ready to replay.
#[derive(Clone, Debug, Default)]
pub struct HoldLog {
    pub label: String,
    pub items: Vec<String>,
    /// One entry per person: the normalized e-mail (plus-tags, Gmail dots and case folded),
    /// else the name or order id as written.
    pub identities: Vec<String>,
    /// Up to five addresses as written, per person.
    pub spellings: Vec<Vec<String>>,
    /// Sorted by start.
    pub holds: Vec<Hold>,
    pub sales: Vec<Sale>,
    /// First and last instant in the log.
    pub span: (i64, i64),
    /// Rows that could not be used (no time), for the report.
    pub skipped_rows: u64,
}

impl HoldLog {
    /// Whether `table` looks like it holds inventory: pending or expired rows.
    pub fn applies_to(table: &Table) -> bool {
        table
            .rows
            .status
            .iter()
            .any(|s| matches!(s, Status::Pending | Status::Expired))
    }

    /// Reads a table as holds and sales (see the module documentation).
    pub fn from_table(table: &Table, default_hold_minutes: u32) -> HoldLog {
        let r = &table.rows;
        let default_hold = default_hold_minutes.max(1) as i64 * 60;
        let email = r.text(Role::Email);
        let fallback = r
            .text(Role::Name)
            .or_else(|| r.text(Role::OrderId))
            .or_else(|| r.text(Role::RegistrantId));
        let item_col = r.text(Role::TicketType);
        let mut log = HoldLog {
            label: table.label.clone(),
            ..HoldLog::default()
        };
        let mut who_index: FxHashMap<String, u32> = FxHashMap::default();
        // Addresses as written repeat: normalize each spelling once.
        let mut by_spelling: FxHashMap<&str, u32> = FxHashMap::default();
        let mut item_index: FxHashMap<String, u32> = FxHashMap::default();
        let mut item_by_code: Vec<Option<u32>> = Vec::new();
        let mut order: Vec<usize> = (0..r.len())
            .filter(|&i| r.registered_at[i] != NO_TIME)
            .collect();
        log.skipped_rows = (r.len() - order.len()) as u64;
        order.sort_by_key(|&i| (r.registered_at[i], r.line[i]));
        // Open holds per (person, item), oldest first.
        let mut open: FxHashMap<(u32, u32), VecDeque<usize>> = FxHashMap::default();
        let (mut first, mut last) = (i64::MAX, i64::MIN);
        for &i in &order {
            let t = r.registered_at[i];
            first = first.min(t);
            last = last.max(t);
            let raw = email
                .map(|c| c.get(i))
                .filter(|v| !v.trim().is_empty())
                .or_else(|| fallback.map(|c| c.get(i)))
                .unwrap_or("")
                .trim();
            let who = match by_spelling.get(raw) {
                Some(&w) => w,
                None => {
                    let key = match normalize_email(raw) {
                        Some((l, d)) => format!("{l}@{d}"),
                        None if raw.is_empty() => "(no identity)".to_string(),
                        None => raw.to_lowercase(),
                    };
                    let who = *who_index.entry(key.clone()).or_insert_with(|| {
                        log.identities.push(key);
                        log.spellings.push(Vec::new());
                        log.identities.len() as u32 - 1
                    });
                    let spellings = &mut log.spellings[who as usize];
                    if spellings.len() < 5 {
                        spellings.push(raw.to_string());
                    }
                    by_spelling.insert(raw, who);
                    who
                }
            };
            let code = item_col
                .and_then(|c| c.as_categorical())
                .map(|c| c.code(i) as usize);
            let item = match code.and_then(|c| item_by_code.get(c).copied().flatten()) {
                Some(item) => item,
                None => {
                    let item_name = item_col
                        .map(|c| c.get(i).trim())
                        .filter(|v| !v.is_empty())
                        .unwrap_or("All tickets");
                    let item = *item_index.entry(item_name.to_string()).or_insert_with(|| {
                        log.items.push(item_name.to_string());
                        log.items.len() as u32 - 1
                    });
                    if let Some(c) = code {
                        if item_by_code.len() <= c {
                            item_by_code.resize(c + 1, None);
                        }
                        item_by_code[c] = Some(item);
                    }
                    item
                }
            };
            let qty = r.quantity[i].max(1);
            let expires = r
                .hold_expires_at
                .as_ref()
                .map(|e| e[i])
                .filter(|&e| e != NO_TIME && e > t)
                .unwrap_or(t + default_hold);
            let queue = open.entry((who, item)).or_default();
            match r.status[i] {
                Status::Pending => {
                    queue.push_back(log.holds.len());
                    log.holds.push(Hold {
                        start: t,
                        end: expires,
                        who,
                        item,
                        qty,
                        outcome: Outcome::Expired,
                        line: r.line[i],
                    });
                }
                Status::Confirmed | Status::CheckedIn | Status::Other | Status::Approved => {
                    // The oldest open hold still running closes as the purchase.
                    match take_open(queue, &log.holds, t) {
                        Some(h) => {
                            let hold = &mut log.holds[h];
                            hold.end = t;
                            hold.outcome = Outcome::Purchased;
                        }
                        None => log.sales.push(Sale { t, item, qty }),
                    }
                }
                Status::Expired | Status::Cancelled => match take_open(queue, &log.holds, t) {
                    Some(h) => log.holds[h].end = t.max(log.holds[h].start),
                    None if r.status[i] == Status::Expired => log.holds.push(Hold {
                        start: t,
                        end: expires,
                        who,
                        item,
                        qty,
                        outcome: Outcome::Expired,
                        line: r.line[i],
                    }),
                    None => {}
                },
                Status::Waitlist
                | Status::Invited
                | Status::AwaitingApproval
                | Status::Converted => {}
            }
        }
        if first <= last {
            log.span = (first, last);
        }
        for h in &mut log.holds {
            if h.outcome == Outcome::Expired && h.end > last {
                h.outcome = Outcome::Open;
            }
        }
        log.holds.sort_by_key(|h| (h.start, h.line));
        log
    }

    pub fn units_held_ever(&self) -> u64 {
        self.holds.iter().map(|h| h.qty as u64).sum()
    }
}

/// The oldest hold in `queue` that has not run out by `t` (those that ran out are dropped).
fn take_open(queue: &mut VecDeque<usize>, holds: &[Hold], t: i64) -> Option<usize> {
    while let Some(h) = queue.pop_front() {
        if holds[h].end >= t {
            return Some(h);
        }
    }
    None
}

/// Evidence that one person hoarded.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Hoarder {
    pub identity: String,
    /// Index of the identity in the hold log.
    #[serde(skip)]
    pub who: usize,
    /// Addresses as written (up to five).
    pub spellings: Vec<String>,
    pub holds: u64,
    pub units_held: u64,
    pub units_bought: u64,
    /// Holds taken again within five minutes of one's last hold running out.
    pub retakes: u64,
    /// Most units this person held at one moment.
    pub max_units_at_once: u64,
    /// Most holds this person started within ten minutes.
    pub max_holds_in_ten_minutes: u64,
    /// Unit-hours of stock this person kept in carts.
    pub unit_hours: f64,
    /// Plain-language evidence.
    pub evidence: Vec<String>,
}

/// Holds one person starts within this many seconds count as a burst.
const BURST_WINDOW: i64 = 10 * 60;

/// Re-takes within this many seconds of one's own hold running out count as camping.
pub const RETAKE_GAP: i64 = 5 * 60;

/// People whose holds look like hoarding: many units held, almost none bought, and holds
/// taken again as soon as they run out or many units at once.
pub fn hoarders(log: &HoldLog) -> Vec<Hoarder> {
    let n = log.identities.len();
    let mut stats = vec![(0u64, 0u64, 0u64, 0u64, 0.0f64); n];
    // End of each person's latest hold that ran out (any item: campers move to whatever is
    // most available).
    let mut ended: Vec<Vec<i64>> = vec![Vec::new(); n];
    // Starts of each person's holds in the last ten minutes, and the most seen at once.
    let mut recent: Vec<VecDeque<i64>> = vec![VecDeque::new(); n];
    let mut burst = vec![0u64; n];
    for h in &log.holds {
        let window = &mut recent[h.who as usize];
        while window.front().is_some_and(|&t| t + BURST_WINDOW < h.start) {
            window.pop_front();
        }
        window.push_back(h.start);
        burst[h.who as usize] = burst[h.who as usize].max(window.len() as u64);
        let s = &mut stats[h.who as usize];
        s.0 += 1;
        s.1 += h.qty as u64;
        if h.outcome == Outcome::Purchased {
            s.2 += h.qty as u64;
        }
        let mine = &mut ended[h.who as usize];
        mine.retain(|&e| e + RETAKE_GAP >= h.start);
        if let Some(k) = mine.iter().position(|&e| h.start >= e) {
            s.3 += 1;
            mine.swap_remove(k);
        }
        s.4 += h.qty as f64 * (h.end - h.start) as f64 / 3600.0;
        if h.outcome != Outcome::Purchased {
            mine.push(h.end);
        }
    }
    let at_once = replay::max_units_at_once(log);
    let mut out: Vec<Hoarder> = stats
        .iter()
        .enumerate()
        .filter_map(|(who, &(holds, held, bought, retakes, unit_hours))| {
            let most = at_once[who];
            let bought_share = bought as f64 / held.max(1) as f64;
            let camping = retakes >= 3;
            let bulk = most >= 5;
            if held < 10 || bought_share > 0.1 || !(camping || bulk) {
                return None;
            }
            let mut evidence = vec![format!(
                "held {held} units in {holds} holds and bought {bought}"
            )];
            if camping {
                evidence.push(format!(
                    "took stock again within 5 minutes of a hold running out, {retakes} times"
                ));
            }
            if bulk {
                evidence.push(format!("held {most} units at once"));
            }
            if burst[who] >= 4 {
                evidence.push(format!("started {} holds within ten minutes", burst[who]));
            }
            let spellings = &log.spellings[who];
            if spellings.len() > 1 {
                evidence.push(format!(
                    "{} spellings of one address ({})",
                    spellings.len(),
                    spellings.join(", ")
                ));
            }
            Some(Hoarder {
                identity: log.identities[who].clone(),
                who,
                spellings: spellings.clone(),
                holds,
                units_held: held,
                units_bought: bought,
                retakes,
                max_units_at_once: most,
                max_holds_in_ten_minutes: burst[who],
                unit_hours,
                evidence,
            })
        })
        .collect();
    out.sort_by(|a, b| b.unit_hours.total_cmp(&a.unit_hours));
    out
}

/// Files given for the hold analysis: hold logs or order exports as tables, and pretix quota
/// snapshots.
#[derive(Clone, Debug, Default)]
pub struct HoldSource {
    pub tables: Vec<Table>,
    pub snapshots: Vec<quota::QuotaRow>,
    pub paths: Vec<std::path::PathBuf>,
    pub notes: Vec<String>,
}

impl HoldSource {
    /// Reads each file as a quota availability export when its header says so, else as a
    /// table. Errors name the file.
    pub fn load(
        paths: &[std::path::PathBuf],
        opts: &crate::import::ImportOptions,
        tz: &jiff::tz::TimeZone,
    ) -> Result<HoldSource, String> {
        let mut src = HoldSource {
            paths: paths.to_vec(),
            ..HoldSource::default()
        };
        for path in paths {
            let mut head = vec![0u8; 4096];
            let n = crate::fsutil::open_regular(path)
                .map_err(|e| e.to_string())
                .and_then(|mut f| std::io::Read::read(&mut f, &mut head).map_err(|e| e.to_string()))
                .map_err(|e| format!("{}: {e}", path.display()))?;
            let first = String::from_utf8_lossy(&head[..n]).into_owned();
            if quota::is_quota_export(first.lines().next().unwrap_or("")) {
                let (rows, source) = quota::read_snapshot(path, tz)?;
                if source == quota::SnapshotTime::Modified {
                    src.notes.push(format!(
                        "{}: no time column or time in the name; its modification time is the \
                         snapshot time",
                        path.display()
                    ));
                }
                src.snapshots.extend(rows);
            } else {
                let t = crate::import::load_table(path, crate::dataset::Edition::Current, opts)
                    .map_err(|e| e.to_string())?;
                src.tables.push(t);
            }
        }
        Ok(src)
    }

    pub fn from_table(table: Table) -> HoldSource {
        HoldSource {
            tables: vec![table],
            ..HoldSource::default()
        }
    }
}

/// The analysis of one source for the current settings, recomputed only as far as a
/// settings change requires.
#[derive(Clone, Debug)]
pub struct HoldsView {
    pub source: HoldSource,
    pub log: Option<HoldLog>,
    pub inventory: Inventory,
    pub what_if: Option<WhatIf>,
    pub notes: Vec<String>,
    settings: HoldSettings,
}

impl HoldsView {
    /// `None` when the source holds nothing to analyse.
    pub fn build(source: HoldSource, settings: &HoldSettings) -> Option<HoldsView> {
        let mut notes = source.notes.clone();
        if let Some(first) = source.tables.first() {
            let mut table = first.clone();
            for t in &source.tables[1..] {
                table.rows.append(&t.rows);
            }
            if !HoldLog::applies_to(&table) {
                notes.push(format!(
                    "{}: no pending, reserved or expired rows: nothing was held",
                    table.label
                ));
            }
            if !source.snapshots.is_empty() {
                notes.push("quota snapshots were given with a hold log; the log is used".into());
            }
            let log = HoldLog::from_table(&table, settings.default_hold_minutes);
            if log.skipped_rows > 0 {
                notes.push(format!(
                    "{} rows without a time were left out",
                    log.skipped_rows
                ));
            }
            let inventory = analyse(&log, settings);
            let what_if = Some(what_if(&log, &inventory, settings.policy()));
            return Some(HoldsView {
                source,
                log: Some(log),
                inventory,
                what_if,
                notes,
                settings: settings.clone(),
            });
        }
        if source.snapshots.is_empty() {
            return None;
        }
        notes.push(
            "quota snapshots have no identities: no hoarders and no replay, only inventory over \
             time"
                .into(),
        );
        Some(HoldsView {
            inventory: quota::inventory("pretix quota snapshots", &source.snapshots),
            source,
            log: None,
            what_if: None,
            notes,
            settings: settings.clone(),
        })
    }

    /// Brings the analysis up to `settings`: a new default hold time or stock re-reads the
    /// log; a new policy only replays.
    pub fn update(&mut self, settings: &HoldSettings) {
        if *settings == self.settings {
            return;
        }
        let reread = settings.default_hold_minutes != self.settings.default_hold_minutes
            || settings.stock != self.settings.stock;
        if reread {
            if let Some(v) = HoldsView::build(self.source.clone(), settings) {
                *self = v;
            }
            return;
        }
        if let Some(log) = &self.log {
            self.what_if = Some(what_if(log, &self.inventory, settings.policy()));
        }
        self.settings = settings.clone();
    }
}

impl HoldSettings {
    pub fn policy(&self) -> Policy {
        Policy {
            hold_minutes: self.what_if_hold_minutes.max(1),
            limit: self.what_if_limit,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_cart_log_reads_as_holds() {
        let demo = crate::demo::Demo::generate(&crate::demo::DemoConfig {
            rows: 1_000,
            seed: 5,
            ..Default::default()
        });
        let log = HoldLog::from_table(&demo.merch.table, 30);
        assert_eq!(log.items.len(), 4);
        let purchased: u64 = log
            .holds
            .iter()
            .filter(|h| h.outcome == Outcome::Purchased)
            .map(|h| h.qty as u64)
            .sum();
        assert_eq!(purchased, demo.merch.truth.units_sold);
        assert!(log.sales.is_empty());
        assert!(log.holds.iter().all(|h| h.end >= h.start));
    }
}
