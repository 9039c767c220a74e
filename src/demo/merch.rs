//! The demo's merch sale: a cart log in which activists keep every item held in unpaid
//! carts (OWASP OAT-021, denial of inventory) while real buyers are told "sold out".

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use jiff::tz::TimeZone;

use super::rng::{Rng, cumulative};
use super::{HOURLY, demo_table, local_instant};
use crate::dataset::{Categorical, Edition, NO_TIME, Rows, StrColumn, Table, TextColumn};
use crate::import::{Role, Status};

/// What really happened in the sale.
#[derive(Clone, Debug, Default)]
pub struct MerchTruth {
    /// E-mail addresses of the activists' carts.
    pub hoarders: Vec<String>,
    /// Attempts by real buyers that found an item unavailable while unsold stock sat in carts.
    pub false_soldout_attempts: u64,
    /// Attempts that found an item truly sold out.
    pub soldout_attempts: u64,
    /// Units bought.
    pub units_sold: u64,
}

/// The sale: its log as a table, the stock and the hold policy it ran with.
#[derive(Clone, Debug)]
pub struct MerchSale {
    pub table: Table,
    pub stock: Vec<(String, u32)>,
    pub hold_minutes: u32,
    pub truth: MerchTruth,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Action {
    Arrive { buyer: u32, retry: bool },
    Purchase { hold: u32 },
    Expire { hold: u32 },
    Hoard { who: u32 },
}

struct Hold {
    who: String,
    item: usize,
    qty: u32,
    open: bool,
}

/// Stock, carts and the log of what happened to them.
struct Shop {
    stock: Vec<u32>,
    sold: Vec<u32>,
    held: Vec<u32>,
    holds: Vec<Hold>,
    hold_secs: i64,
    log: Vec<(i64, String, usize, u32, Status, i64)>,
}

impl Shop {
    fn available(&self, item: usize) -> u32 {
        self.stock[item] - self.sold[item] - self.held[item]
    }

    /// Puts `qty` of `item` in `who`'s cart at `t`; returns the hold's index.
    fn hold(&mut self, t: i64, who: String, item: usize, qty: u32) -> u32 {
        self.held[item] += qty;
        self.log.push((
            t,
            who.clone(),
            item,
            qty,
            Status::Pending,
            t + self.hold_secs,
        ));
        self.holds.push(Hold {
            who,
            item,
            qty,
            open: true,
        });
        self.holds.len() as u32 - 1
    }

    /// Ends a hold that is still open, as a purchase or an expiry; returns units bought.
    fn close(&mut self, t: i64, hold: u32, bought: bool) -> u32 {
        let h = &mut self.holds[hold as usize];
        if !h.open {
            return 0;
        }
        h.open = false;
        self.held[h.item] -= h.qty;
        let status = if bought {
            self.sold[h.item] += h.qty;
            Status::Confirmed
        } else {
            Status::Expired
        };
        self.log
            .push((t, h.who.clone(), h.item, h.qty, status, NO_TIME));
        if bought { h.qty } else { 0 }
    }
}

pub fn generate(tz: &TimeZone, seed: u64) -> MerchSale {
    let mut rng = Rng::fork(seed, 0x3E5C);
    let open = local_instant("2026-07-15 10:00", tz);
    let close = open + 3 * 86_400;
    let hold_secs = 30 * 60;
    let stock: Vec<(String, u32)> = [
        ("Rally T-shirt", 400),
        ("Cap", 300),
        ("Mug", 250),
        ("Poster", 600),
    ]
    .iter()
    .map(|(n, s)| (n.to_string(), *s))
    .collect();
    let item_cum = cumulative(&[4.0, 3.0, 2.0, 2.0]);
    let mut shop = Shop {
        stock: stock.iter().map(|s| s.1).collect(),
        sold: vec![0; stock.len()],
        held: vec![0; stock.len()],
        holds: Vec::new(),
        hold_secs,
        log: Vec::new(),
    };
    let mut truth = MerchTruth::default();
    let mut queue: BinaryHeap<Reverse<(i64, u64, Action)>> = BinaryHeap::new();
    let mut seq = 0u64;
    let mut push = |q: &mut BinaryHeap<_>, t: i64, a: Action| {
        seq += 1;
        q.push(Reverse((t, seq, a)));
    };
    // Real buyers arrive over three days following the daily rhythm.
    let hour_cum = cumulative(&HOURLY);
    let buyers = 3_000u32;
    for b in 0..buyers {
        let day = rng.below(3) as i64;
        let hour = rng.weighted(&hour_cum) as i64;
        let t = open - 10 * 3600 + day * 86_400 + hour * 3600 + rng.below(3600) as i64;
        push(
            &mut queue,
            t.clamp(open, close - 1),
            Action::Arrive {
                buyer: b,
                retry: false,
            },
        );
    }
    // Activists: a dozen people behind forty plus-tagged addresses, from two hours in.
    let bases = [
        "peachfuzz",
        "kpopstan",
        "tiktoktulsa",
        "emptyseats",
        "nocarts",
        "holdthemerch",
        "cartparker",
        "zoomer",
        "altaccount",
        "sunflower",
        "bigmood",
        "justvibes",
    ];
    let hoarders: Vec<String> = (0..40)
        .map(|i| {
            format!(
                "{}+{}@gmail.com",
                bases[i % bases.len()],
                i / bases.len() + 1
            )
        })
        .collect();
    for (w, _) in hoarders.iter().enumerate() {
        let t = open + 2 * 3600 + rng.below(1800) as i64;
        push(&mut queue, t, Action::Hoard { who: w as u32 });
    }
    truth.hoarders = hoarders.clone();
    let hoard_until = open + 2 * 86_400;
    while let Some(Reverse((t, _, action))) = queue.pop() {
        if t >= close {
            continue;
        }
        match action {
            Action::Arrive { buyer, retry } => {
                let item = rng.weighted(&item_cum);
                let qty = if rng.chance(0.8) { 1 } else { 2 };
                if shop.available(item) >= qty {
                    let domain = ["gmail.com", "yahoo.com", "outlook.com"][buyer as usize % 3];
                    let h = shop.hold(t, format!("buyer{buyer:05}@{domain}"), item, qty);
                    if rng.chance(0.75) {
                        let pay = (rng.exp(360.0) as i64).min(hold_secs - 30);
                        push(&mut queue, t + pay, Action::Purchase { hold: h });
                    } else {
                        push(&mut queue, t + hold_secs, Action::Expire { hold: h });
                    }
                } else {
                    if shop.stock[item] - shop.sold[item] >= qty {
                        truth.false_soldout_attempts += 1;
                    } else {
                        truth.soldout_attempts += 1;
                    }
                    if !retry && rng.chance(0.3) {
                        push(&mut queue, t + 2700, Action::Arrive { buyer, retry: true });
                    }
                }
            }
            Action::Purchase { hold } => truth.units_sold += shop.close(t, hold, true) as u64,
            Action::Expire { hold } => {
                shop.close(t, hold, false);
            }
            Action::Hoard { who } => {
                if t > hoard_until {
                    continue;
                }
                // Take as much of the most available item as one cart allows.
                let item = (0..stock.len())
                    .max_by_key(|&i| shop.available(i))
                    .unwrap_or(0);
                let qty = shop.available(item).min(10);
                if qty > 0 {
                    let h = shop.hold(t, hoarders[who as usize].clone(), item, qty);
                    push(&mut queue, t + hold_secs, Action::Expire { hold: h });
                }
                // Back as soon as the cart runs out.
                let next = t + hold_secs + 20 + rng.below(120) as i64;
                push(&mut queue, next, Action::Hoard { who });
            }
        }
    }
    let mut log = shop.log;
    log.sort_by_key(|e| e.0);
    let n = log.len();
    let mut rows = Rows {
        line: (2..n as u32 + 2).collect(),
        registered_at: Vec::with_capacity(n),
        quantity: Vec::with_capacity(n),
        status: Vec::with_capacity(n),
        checked_in: None,
        hold_expires_at: Some(Vec::with_capacity(n)),
        event_at: None,
        cancelled_at: None,
        price: None,
        texts: vec![
            (
                Role::Email,
                TextColumn::Str(StrColumn::with_capacity(n, n * 24)),
            ),
            (
                Role::TicketType,
                TextColumn::Cat(Categorical::with_capacity(n)),
            ),
        ],
    };
    for (t, who, item, qty, status, expires) in log {
        rows.registered_at.push(t);
        rows.quantity.push(qty);
        rows.status.push(status);
        if let Some(e) = rows.hold_expires_at.as_mut() {
            e.push(expires);
        }
        rows.texts[0].1.push(&who);
        rows.texts[1].1.push(&stock[item].0);
    }
    MerchSale {
        table: demo_table("Rally store cart log", Edition::Current, rows),
        stock,
        hold_minutes: 30,
        truth,
    }
}
