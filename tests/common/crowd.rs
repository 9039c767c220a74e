//! Synthetic registrants shaped like real exports, with known truth, for the fake detector's
//! tests: names from many languages, addresses built the many ways people build them
//! (nicknames, birth years, initials, university and company accounts, Apple's private
//! relay), households sharing an address, people registering twice. Every name is a common
//! given name or surname; no real person's data.

use std::fmt::Write as _;

use turnout::demo::rng::Rng;

pub const FIRSTS: &[&str] = &[
    "James",
    "Mary",
    "Robert",
    "Patricia",
    "John",
    "Jennifer",
    "Michael",
    "Linda",
    "David",
    "Elizabeth",
    "William",
    "Barbara",
    "Richard",
    "Susan",
    "Joseph",
    "Jessica",
    "Thomas",
    "Sarah",
    "Charles",
    "Karen",
    "Daniel",
    "Nancy",
    "Matthew",
    "Emily",
    "Anthony",
    "Sandra",
    "Mark",
    "Ashley",
    "Steven",
    "Kimberly",
    "Andrew",
    "Donna",
    "Joshua",
    "Michelle",
    "Kevin",
    "Amanda",
    "Brian",
    "Melissa",
    "George",
    "Rebecca",
    "Ryan",
    "Laura",
    "Jacob",
    "Amy",
    "Nicholas",
    "Angela",
    "Eric",
    "Brenda",
    "Wyatt",
    "Dakota",
    "José",
    "María",
    "Lucía",
    "Mateo",
    "Sofía",
    "Diego",
    "Valentina",
    "João",
    "Ana",
    "Pedro",
    "Beatriz",
    "Luca",
    "Giulia",
    "Marco",
    "Chiara",
    "Jan",
    "Anna",
    "Lukas",
    "Lena",
    "Jürgen",
    "Katarzyna",
    "Krzysztof",
    "Wojciech",
    "Agnieszka",
    "Dmitri",
    "Olga",
    "Svetlana",
    "Yevgeny",
    "Ahmed",
    "Fatima",
    "Muhammad",
    "Aisha",
    "Omar",
    "Layla",
    "Yusuf",
    "Noor",
    "Priya",
    "Raghav",
    "Ananya",
    "Arjun",
    "Lakshmi",
    "Venkatesh",
    "Wei",
    "Xiaoming",
    "Li",
    "Jing",
    "Yuki",
    "Haruto",
    "Sakura",
    "Ji-hoon",
    "Seo-yeon",
    "Minh",
    "Thuy",
    "Huong",
    "Nguyen",
    "Oluwaseun",
    "Chukwuemeka",
    "Ngozi",
    "Kwame",
    "Abena",
    "Thandiwe",
    "Sipho",
    "Siobhan",
    "Niamh",
    "Aoife",
    "Eoghan",
    "Rhys",
    "Gwyneth",
    "Sjoerd",
    "Ingrid",
    "Lars",
    "Astrid",
    "Björn",
    "Noa",
    "Yosef",
    "Tamar",
    "Dewi",
    "Putri",
    "Budi",
    "Rizky",
    "Siti",
    "Agus",
];

pub const LASTS: &[&str] = &[
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Garcia",
    "Miller",
    "Davis",
    "Rodriguez",
    "Martinez",
    "Hernandez",
    "Lopez",
    "Gonzalez",
    "Wilson",
    "Anderson",
    "Thomas",
    "Taylor",
    "Moore",
    "Jackson",
    "Martin",
    "Lee",
    "Perez",
    "Thompson",
    "White",
    "Harris",
    "Sanchez",
    "Clark",
    "Ramirez",
    "Lewis",
    "Robinson",
    "Walker",
    "Young",
    "Allen",
    "King",
    "Wright",
    "Scott",
    "Torres",
    "Hill",
    "Flores",
    "Green",
    "Adams",
    "Nelson",
    "Baker",
    "Hall",
    "Rivera",
    "Campbell",
    "Mitchell",
    "Carter",
    "Roberts",
    "Redbird",
    "Whitehorse",
    "Silva",
    "Santos",
    "Oliveira",
    "Ferreira",
    "Rossi",
    "Russo",
    "Bianchi",
    "Müller",
    "Schmidt",
    "Schneider",
    "Fischer",
    "Kowalski",
    "Nowak",
    "Wiśniewska",
    "Szczepański",
    "Ivanov",
    "Smirnova",
    "Tkachenko",
    "Haddad",
    "Khalil",
    "Hassan",
    "Rahman",
    "Sharma",
    "Patel",
    "Subramanian",
    "Iyer",
    "Wang",
    "Zhang",
    "Liu",
    "Chen",
    "Tanaka",
    "Takahashi",
    "Yamamoto",
    "Kim",
    "Park",
    "Choi",
    "Nguyen",
    "Tran",
    "Pham",
    "Okafor",
    "Adebayo",
    "Mensah",
    "Dlamini",
    "Mkhize",
    "O'Brien",
    "Murphy",
    "Ní Bhriain",
    "Llewellyn",
    "de Vries",
    "van den Berg",
    "Dijkstra",
    "Andersson",
    "Johansson",
    "Cohen",
    "Levi",
    "Santoso",
    "Wijaya",
    "Hartono",
    "Setiawan",
];

pub const FREE: &[&str] = &[
    "gmail.com",
    "gmail.com",
    "gmail.com",
    "yahoo.com",
    "outlook.com",
    "hotmail.com",
    "icloud.com",
    "aol.com",
    "gmx.de",
    "web.de",
    "proton.me",
];

/// ASCII letters of a name for an address (`Wiśniewska` → `wisniewska`).
pub fn ascii(name: &str) -> String {
    name.chars()
        .filter_map(|c| match c {
            'á' | 'à' | 'â' | 'ä' | 'ã' => Some('a'),
            'é' | 'è' | 'ê' | 'ë' => Some('e'),
            'í' | 'ï' => Some('i'),
            'ó' | 'ö' | 'ô' | 'õ' => Some('o'),
            'ú' | 'ü' => Some('u'),
            'ñ' | 'ń' => Some('n'),
            'ś' => Some('s'),
            'ç' => Some('c'),
            c if c.is_ascii_alphabetic() => Some(c.to_ascii_lowercase()),
            _ => None,
        })
        .collect()
}

/// One registrant's identity columns.
#[derive(Clone, Debug, Default)]
pub struct Person {
    pub first: String,
    pub last: String,
    pub email: String,
    pub region: String,
    pub phone: String,
}

/// A genuine person's address at `domain`, built one of the ways people build them.
pub fn address(rng: &mut Rng, first: &str, last: &str, domain: &str) -> String {
    let (f, l) = (ascii(first), ascii(last));
    let f = if f.is_empty() { "guest".to_string() } else { f };
    let l = if l.is_empty() { "user".to_string() } else { l };
    let i = &f[..1];
    let year = 1950 + rng.below(56);
    let local = match rng.below(12) {
        0 | 1 => format!("{f}.{l}"),
        2 => format!("{i}{l}"),
        3 => format!("{f}{l}{}", rng.below(100)),
        4 => format!("{f}.{l}{year}"),
        5 => format!("{f}_{}", year % 100),
        6 => format!("{i}.{l}"),
        7 => format!("{f}{}", rng.below(1000)),
        8 => format!("{l}.{f}"),
        // Nicknames and handles that share nothing with the name.
        9 => format!(
            "{}{}",
            rng.pick(&[
                "sunny", "blue", "skater", "bookworm", "runner", "tiger", "moon", "river",
                "coffee", "jazz", "pixel", "maple",
            ]),
            rng.below(100)
        ),
        10 => format!("{i}{}{}", &l[..1], rng.below(10_000)),
        _ => format!("{f}{l}"),
    };
    format!("{local}@{domain}")
}

thread_local! {
    /// Mailboxes handed out on this thread: two people never share one by accident.
    static USED: std::cell::RefCell<std::collections::HashSet<String>> = Default::default();
}

/// `email`, or with a number added until no one on this thread has it (Gmail ignores dots).
pub fn unique(rng: &mut Rng, email: String) -> String {
    let key = |e: &str| {
        let (l, d) = e.rsplit_once('@').unwrap_or((e, ""));
        let l = if d == "gmail.com" {
            l.replace('.', "")
        } else {
            l.to_string()
        };
        format!("{l}@{d}")
    };
    USED.with(|used| {
        let mut used = used.borrow_mut();
        let mut e = email.clone();
        while !used.insert(key(&e)) {
            let (l, d) = email.rsplit_once('@').unwrap_or((&email, "x.org"));
            e = format!("{l}{}@{d}", rng.below(10_000));
        }
        e
    })
}

/// A genuine person: a name from many languages, an address built from it (or not), a
/// region, maybe a phone.
pub fn genuine(rng: &mut Rng, domains: &[&str], region: &str) -> Person {
    let first = rng.pick(FIRSTS).to_string();
    let last = rng.pick(LASTS).to_string();
    let domain = rng.pick(domains).to_string();
    let email = address(rng, &first, &last, &domain);
    let email = unique(rng, email);
    let phone = if rng.chance(0.7) {
        format!(
            "+1 918 {:03} {:04}",
            200 + rng.below(800),
            rng.below(10_000)
        )
    } else {
        String::new()
    };
    Person {
        first,
        last,
        email,
        region: region.to_string(),
        phone,
    }
}

/// Letters typed without meaning, the way hands drum on a keyboard: along a row, between
/// the hands, doubled back.
pub fn mash(rng: &mut Rng, len: usize) -> String {
    const ROWS: [&[u8]; 3] = [b"qwertyuiop", b"asdfghjkl", b"zxcvbnm"];
    let mut row = 1usize;
    let mut col = rng.below(9) as usize;
    let mut s = String::with_capacity(len);
    for _ in 0..len {
        let r = ROWS[row];
        col = col.min(r.len() - 1);
        s.push(r[col] as char);
        match rng.below(10) {
            0..=4 => {
                col = if rng.chance(0.5) {
                    (col + 1).min(r.len() - 1)
                } else {
                    col.saturating_sub(1)
                }
            }
            5..=6 => col = rng.below(r.len() as u64) as usize,
            7 => row = rng.below(3) as usize,
            _ => col = (col + 2 + rng.below(4) as usize) % r.len(),
        }
    }
    s
}

/// A CSV field, quoted when it needs to be.
pub fn field(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// One row of an Eventbrite-like attendee export.
#[derive(Clone, Debug)]
pub struct Row {
    /// UTC seconds.
    pub at: i64,
    pub person: Person,
    pub status: &'static str,
    pub checked_in: bool,
    pub price: f64,
    pub order: u64,
    pub fake: bool,
}

/// Writes rows as an attendee export, in time order; returns the CSV and the truth (fake or
/// not) in row order.
pub fn attendee_csv(mut rows: Vec<Row>) -> (String, Vec<bool>) {
    rows.sort_by_key(|r| r.at);
    let mut out = String::from(
        "Order #,Order Date,First Name,Last Name,Email,State,Cell Phone,Attendee Status,Checked In,Total Paid\n",
    );
    let mut truth = Vec::with_capacity(rows.len());
    for r in &rows {
        let t = jiff::Timestamp::from_second(r.at).unwrap();
        let _ = writeln!(
            out,
            "{},{},{},{},{},{},{},{},{},{:.2}",
            r.order,
            t.strftime("%Y-%m-%d %H:%M:%S"),
            field(&r.person.first),
            field(&r.person.last),
            field(&r.person.email),
            field(&r.person.region),
            field(&r.person.phone),
            r.status,
            if r.checked_in { "Yes" } else { "No" },
            r.price
        );
        truth.push(r.fake);
    }
    (out, truth)
}

/// Signup times over `days` before `start`, rising toward the event, with a daily rhythm.
pub fn organic_time(rng: &mut Rng, start: i64, days: f64) -> i64 {
    loop {
        // More signups close to the event.
        let ahead = days * (1.0 - rng.f64().sqrt());
        let t = start - (ahead * 86_400.0) as i64;
        // Few at night (UTC-6 local).
        let hour = ((t / 3600) - 6).rem_euclid(24);
        let keep = if (1..7).contains(&hour) { 0.15 } else { 1.0 };
        if rng.chance(keep) && t < start - 600 {
            return t;
        }
    }
}
