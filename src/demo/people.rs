//! Synthetic people: names, e-mail addresses, places and phone numbers. Every name here is a
//! common given name or surname; no real person's data is used.

use super::rng::Rng;

pub const FIRST_NAMES: &[&str] = &[
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
    "Christopher",
    "Lisa",
    "Daniel",
    "Nancy",
    "Matthew",
    "Betty",
    "Anthony",
    "Sandra",
    "Mark",
    "Margaret",
    "Donald",
    "Ashley",
    "Steven",
    "Kimberly",
    "Andrew",
    "Emily",
    "Paul",
    "Donna",
    "Joshua",
    "Michelle",
    "Kenneth",
    "Carol",
    "Kevin",
    "Amanda",
    "Brian",
    "Melissa",
    "George",
    "Deborah",
    "Timothy",
    "Stephanie",
    "Ronald",
    "Rebecca",
    "Jason",
    "Sharon",
    "Edward",
    "Laura",
    "Jeffrey",
    "Cynthia",
    "Ryan",
    "Dorothy",
    "Jacob",
    "Amy",
    "Gary",
    "Kathleen",
    "Nicholas",
    "Angela",
    "Eric",
    "Shirley",
    "Jonathan",
    "Brenda",
    "Wyatt",
    "Cody",
    "Dakota",
    "Cheyenne",
    "José",
    "María",
    "Nguyen",
    "Ahmed",
    "Fatima",
    "Olga",
    "Dmitri",
    "Noa",
    "Yosef",
];

/// Given names in other scripts (a small share of genuine registrants).
pub const FIRST_NAMES_OTHER_SCRIPTS: &[&str] = &["Мария", "Иван", "נועה", "יוסף", "فاطمة", "محمد"];

pub const LAST_NAMES: &[&str] = &[
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
    "Nguyen",
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
    "Cherokee",
    "Redbird",
    "Whitehorse",
    "Okafor",
    "Kowalski",
    "Schmidt",
    "Cohen",
    "Haddad",
];

pub const LAST_NAMES_OTHER_SCRIPTS: &[&str] =
    &["Петрова", "Смирнов", "כהן", "לוי", "حداد", "منصور"];

/// (domain, weight) for genuine registrants.
pub const GENUINE_DOMAINS: &[(&str, f64)] = &[
    ("gmail.com", 40.0),
    ("yahoo.com", 14.0),
    ("outlook.com", 8.0),
    ("hotmail.com", 8.0),
    ("icloud.com", 6.0),
    ("aol.com", 5.0),
    ("cox.net", 5.0),
    ("att.net", 4.0),
    ("sbcglobal.net", 3.0),
    ("comcast.net", 3.0),
    ("protonmail.com", 1.0),
];

/// Throwaway-address services (all on the disposable-domain list).
pub const DISPOSABLE_DOMAINS: &[&str] = &[
    "mailinator.com",
    "guerrillamail.com",
    "10minutemail.com",
    "yopmail.com",
    "trashmail.com",
    "sharklasers.com",
    "maildrop.cc",
    "dispostable.com",
    "getnada.com",
    "throwawaymail.com",
];

/// A place: city, region (state) and the first three digits of its ZIP codes.
#[derive(Clone, Copy, Debug)]
pub struct Place {
    pub city: &'static str,
    pub region: &'static str,
    pub zip3: &'static str,
    pub area_code: &'static str,
    pub country: &'static str,
}

const fn us(
    city: &'static str,
    region: &'static str,
    zip3: &'static str,
    area: &'static str,
) -> Place {
    Place {
        city,
        region,
        zip3,
        area_code: area,
        country: "United States",
    }
}

pub const TULSA_AREA: &[Place] = &[
    us("Tulsa", "OK", "741", "918"),
    us("Tulsa", "OK", "741", "918"),
    us("Tulsa", "OK", "741", "539"),
    us("Broken Arrow", "OK", "740", "918"),
    us("Owasso", "OK", "740", "918"),
    us("Sand Springs", "OK", "740", "918"),
    us("Jenks", "OK", "740", "918"),
    us("Sapulpa", "OK", "740", "918"),
];

pub const OKC_AREA: &[Place] = &[
    us("Oklahoma City", "OK", "731", "405"),
    us("Edmond", "OK", "730", "405"),
    us("Norman", "OK", "730", "405"),
];

pub const WICHITA_AREA: &[Place] = &[
    us("Wichita", "KS", "672", "316"),
    us("Derby", "KS", "670", "316"),
];

pub const FAR_US: &[Place] = &[
    us("Los Angeles", "CA", "900", "213"),
    us("Houston", "TX", "770", "713"),
    us("New York", "NY", "100", "212"),
    us("Chicago", "IL", "606", "312"),
    us("Phoenix", "AZ", "850", "602"),
    us("Miami", "FL", "331", "305"),
    us("Seattle", "WA", "981", "206"),
    us("Denver", "CO", "802", "303"),
    us("Atlanta", "GA", "303", "404"),
    us("Boston", "MA", "021", "617"),
    us("Dallas", "TX", "752", "214"),
    us("Kansas City", "MO", "641", "816"),
    us("Little Rock", "AR", "722", "501"),
    us("Minneapolis", "MN", "554", "612"),
    us("Portland", "OR", "972", "503"),
    us("Nashville", "TN", "372", "615"),
];

pub const ABROAD: &[Place] = &[
    Place {
        city: "Seoul",
        region: "Seoul",
        zip3: "",
        area_code: "",
        country: "South Korea",
    },
    Place {
        city: "London",
        region: "England",
        zip3: "",
        area_code: "",
        country: "United Kingdom",
    },
    Place {
        city: "Sydney",
        region: "NSW",
        zip3: "",
        area_code: "",
        country: "Australia",
    },
    Place {
        city: "Toronto",
        region: "ON",
        zip3: "",
        area_code: "",
        country: "Canada",
    },
    Place {
        city: "Manila",
        region: "Metro Manila",
        zip3: "",
        area_code: "",
        country: "Philippines",
    },
];

impl Place {
    pub fn postal_code(&self, rng: &mut Rng) -> String {
        if self.zip3.is_empty() {
            match self.country {
                "United Kingdom" => format!("SW{} {}AB", 1 + rng.below(20), rng.below(10)),
                "Canada" => format!("M{}A {}B{}", rng.below(10), rng.below(10), rng.below(10)),
                _ => format!("{:04}", 1000 + rng.below(9000)),
            }
        } else {
            format!("{}{:02}", self.zip3, rng.below(100))
        }
    }

    pub fn phone(&self, rng: &mut Rng) -> String {
        if self.area_code.is_empty() {
            format!(
                "+{} {}",
                10 + rng.below(80),
                10_000_000 + rng.below(89_999_999)
            )
        } else {
            format!(
                "{}-{}-{:04}",
                self.area_code,
                200 + rng.below(800),
                rng.below(10_000)
            )
        }
    }
}

/// ASCII letters of a name for an e-mail address (empty for other scripts).
pub fn ascii_lower(name: &str) -> String {
    name.chars()
        .filter_map(|c| match c {
            'á' | 'à' | 'â' | 'ä' => Some('a'),
            'é' | 'è' | 'ê' => Some('e'),
            'í' => Some('i'),
            'ó' | 'ö' => Some('o'),
            'ú' | 'ü' => Some('u'),
            'ñ' => Some('n'),
            c if c.is_ascii_alphabetic() => Some(c.to_ascii_lowercase()),
            _ => None,
        })
        .collect()
}

/// Letters typed without meaning: `qwfpgj`, `asdkjh`.
pub fn keyboard_mash(rng: &mut Rng, len: usize) -> String {
    const ROWS: [&[u8]; 3] = [b"qwertyuiop", b"asdfghjkl", b"zxcvbnm"];
    let row = ROWS[rng.below(3) as usize];
    let mut s = String::with_capacity(len);
    let mut i = rng.below(row.len() as u64) as usize;
    for _ in 0..len {
        s.push(row[i] as char);
        i = if rng.chance(0.5) {
            (i + 1) % row.len()
        } else {
            rng.below(row.len() as u64) as usize
        };
    }
    s
}

/// A random string of letters, capitalized: `Xqzt`.
pub fn random_word(rng: &mut Rng, len: usize) -> String {
    let mut s = String::with_capacity(len);
    for i in 0..len {
        let c = (b'a' + rng.below(26) as u8) as char;
        s.push(if i == 0 { c.to_ascii_uppercase() } else { c });
    }
    s
}
