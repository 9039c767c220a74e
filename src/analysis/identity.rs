//! Who an address or a name belongs to, and whether it looks typed without meaning: the
//! text heuristics behind the identity and pattern signals.

use std::borrow::Cow;

use rustc_hash::{FxHashMap, FxHashSet};

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

pub(crate) fn hash_bytes(b: &[u8]) -> u64 {
    use std::hash::Hasher;
    let mut h = rustc_hash::FxHasher::default();
    h.write(b);
    h.finish() | 1
}

/// Hash of `local@domain` without building the string (never 0, which means "none").
pub(crate) fn hash_parts(local: &str, domain: &str) -> u64 {
    use std::hash::Hasher;
    let mut h = rustc_hash::FxHasher::default();
    h.write(local.as_bytes());
    h.write_u8(b'@');
    h.write(domain.as_bytes());
    h.finish() | 1
}

/// Reusable buffers for one worker.
#[derive(Default)]
pub(crate) struct Scratch {
    pub(crate) local: String,
    pub(crate) digits: Vec<u8>,
}

/// [`normalize_email`] into a reused buffer: the local part goes into `local`; the domain,
/// lower-cased, is returned (borrowed from `email` when it already is).
pub(crate) fn normalize_email_into<'a>(email: &'a str, local: &mut String) -> Option<Cow<'a, str>> {
    let e = email.trim();
    let (l, d) = e.rsplit_once('@')?;
    if l.is_empty() || d.is_empty() {
        return None;
    }
    let l = l.split('+').next().unwrap_or(l);
    let gmail = d.eq_ignore_ascii_case("gmail.com") || d.eq_ignore_ascii_case("googlemail.com");
    local.clear();
    if l.is_ascii() {
        for b in l.bytes() {
            if !(gmail && b == b'.') {
                local.push(b.to_ascii_lowercase() as char);
            }
        }
    } else {
        for ch in l.chars() {
            if gmail && ch == '.' {
                continue;
            }
            local.extend(ch.to_lowercase());
        }
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
const COMMON_BIGRAMS: &str = "oh hn ah eh uh th he in er an re on at en nd ti es or te of ed is it al ar st to nt ng se ha as ou io le ve co me de hi ri ro ic ne ea ra ce li ch ll be ma si om ur el la lo ol il ll ss tt dd nn mm rr ee oo ck sh wh ph gh ai ay ey oy ia ie ue ua ei au na ni no mi mo mu ja jo je ju ka ke ki ko ku ta ti to tu da di do du sa so su va vi vo ga ge gi go gu ba bi bo bu pa pe pi po fa fe fi fo wa we wi wo ya yo ab ac ad ag ak am ap av aw ax az eb ec eg ek el em ep ev ew ex ez id if ig ik im ip iv iz ob oc od og ok op ov ow ox oz ub uc ud ug uk ul um un up ur us ut uz by ry ly ny dy ty sy my ky gy hy ld lt lm lp lk ls nc nk ns ny rd rk rl rm rn rs rt rv rg rb rc sk sl sm sn sp sw sc tr dr br cr fr gr pr kr wr bl cl fl gl pl kl sl sv nh lh nz tz ts mp mb ft pt ct xt lf rf kh zh rz cz sz zy ys ks ij oe ae ui uy nk dz zb hr gn yu ye ji dj vl zd yi iy uo oa ao ew aw iu eu ou ai wy ey hm hn dh bh af fy yd ff gg lg dw qu et ho ca ot os ir ru tl hu ci lu eo ze yn ht ds nu pu pp ef wn tc kn gw yl kw oi tw nj nw gm dm py nm yb lj xi rh zi ms ix za ps cc cy sb";

/// `BIGRAMS[a][b]` for lower-case letters `a`, `b`, built at compile time.
const BIGRAMS: [[bool; 26]; 26] = {
    let mut t = [[false; 26]; 26];
    let b = COMMON_BIGRAMS.as_bytes();
    let mut i = 0;
    while i + 1 < b.len() {
        if b[i].is_ascii_lowercase() && b[i + 1].is_ascii_lowercase() {
            t[(b[i] - b'a') as usize][(b[i + 1] - b'a') as usize] = true;
            i += 3;
        } else {
            i += 1;
        }
    }
    t
};

/// Keyboard (row, column) of a lower-case letter on a QWERTY keyboard.
const KEYS: [(u8, u8); 26] = [
    (1, 0),
    (2, 4),
    (2, 2),
    (1, 2),
    (0, 2),
    (1, 3),
    (1, 4),
    (1, 5),
    (0, 7),
    (1, 6),
    (1, 7),
    (1, 8),
    (2, 6),
    (2, 5),
    (0, 8),
    (0, 9),
    (0, 0),
    (0, 3),
    (1, 1),
    (0, 4),
    (0, 6),
    (2, 3),
    (0, 1),
    (2, 1),
    (0, 5),
    (2, 0),
];

/// How random a word's letters look: 0 = like a word or a name, 1 = unusual letter pairs
/// (weak: names from many languages have some), 2 = typed without meaning (keyboard runs,
/// hands drumming on the home row, no vowels, a short chunk typed again).
pub fn random_grade(word: &str) -> u8 {
    let mut buf = [0u8; 48];
    let mut n = 0;
    for &b in word.as_bytes() {
        if b >= 0x80 {
            // Letters outside ASCII (`Björn`, `Zoë`) carry vowels this cannot see.
            return 0;
        }
        if b.is_ascii_alphabetic() && n < buf.len() {
            buf[n] = b.to_ascii_lowercase() - b'a';
            n += 1;
        }
    }
    if n < 4 {
        return 0;
    }
    let letters = &buf[..n];
    let (mut same_row, mut common, mut neighbours, mut vowels, mut home) = (0, 0, 0, 0, 0);
    for (k, &c) in letters.iter().enumerate() {
        // a e i o u y
        vowels += matches!(c, 0 | 4 | 8 | 14 | 20 | 24) as usize;
        home += (KEYS[c as usize].0 == 1) as usize;
        if k + 1 < n {
            let d = letters[k + 1];
            let (ka, kb) = (KEYS[c as usize], KEYS[d as usize]);
            if ka.0 == kb.0 {
                same_row += 1;
                neighbours += (ka.1.abs_diff(kb.1) == 1) as usize;
            }
            common += BIGRAMS[c as usize][d as usize] as usize;
        }
    }
    let pairs = (n - 1) as f64;
    let common_share = common as f64 / pairs;
    let row_share = same_row as f64 / pairs;
    let neighbour_share = neighbours as f64 / pairs;
    // A chunk of three or more letters typed twice in a row: `sdfsdf`, `asdasd`.
    let stutter = || {
        (3..=n / 2).any(|p| (0..=n - 2 * p).any(|i| letters[i..i + p] == letters[i + p..i + 2 * p]))
    };
    if vowels == 0
        || (n >= 5 && row_share >= 0.8 && common_share < 0.7)
        || (n >= 6 && home as f64 >= 0.8 * n as f64 && common_share < 0.5)
        || (n >= 6 && common_share < 0.35)
        || (n >= 6 && (vowels as f64) < 0.2 * n as f64 && common_share < 0.5)
        || (n >= 7 && neighbour_share >= 0.55)
        || (n >= 5 && neighbour_share >= 0.8)
        || (n >= 6 && common_share < 0.7 && stutter())
    {
        return 2;
    }
    if common_share < 0.5 {
        return 1;
    }
    0
}

/// Letters that look typed without meaning (any [`random_grade`] above 0).
pub fn looks_random(word: &str) -> bool {
    random_grade(word) > 0
}

/// What kind of service an address's domain is, which decides what its local part can say.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DomainKind {
    /// A free mailbox anyone can open (Gmail, Yahoo, Outlook, GMX, QQ …).
    Free,
    /// A throwaway-address service.
    Disposable,
    /// A university, school or government: the institution assigns the local part (student
    /// and staff numbers, initials), so random letters or running numbers mean nothing.
    Institution,
    /// A forwarding service that hides the real address (Apple's private relay, Firefox
    /// Relay, DuckDuckGo): random by design.
    Relay,
    /// Anything else (a company, a personal domain).
    Other,
}

const FREE_DOMAINS: &[&str] = &[
    "gmail.com",
    "googlemail.com",
    "yahoo.com",
    "ymail.com",
    "rocketmail.com",
    "outlook.com",
    "hotmail.com",
    "live.com",
    "msn.com",
    "aol.com",
    "icloud.com",
    "me.com",
    "mac.com",
    "proton.me",
    "protonmail.com",
    "pm.me",
    "gmx.de",
    "gmx.net",
    "gmx.com",
    "gmx.at",
    "gmx.ch",
    "web.de",
    "t-online.de",
    "freenet.de",
    "mail.com",
    "mail.ru",
    "inbox.ru",
    "list.ru",
    "bk.ru",
    "rambler.ru",
    "yandex.ru",
    "yandex.com",
    "ya.ru",
    "qq.com",
    "163.com",
    "126.com",
    "yeah.net",
    "sina.com",
    "sohu.com",
    "naver.com",
    "hanmail.net",
    "daum.net",
    "zoho.com",
    "fastmail.com",
    "hey.com",
    "tutanota.com",
    "tuta.io",
    "libero.it",
    "virgilio.it",
    "orange.fr",
    "free.fr",
    "laposte.net",
    "sfr.fr",
    "wp.pl",
    "o2.pl",
    "interia.pl",
    "onet.pl",
    "seznam.cz",
    "centrum.cz",
    "rediffmail.com",
    "uol.com.br",
    "bol.com.br",
    "terra.com.br",
    "btinternet.com",
    "sky.com",
    "comcast.net",
    "verizon.net",
    "att.net",
    "sbcglobal.net",
    "cox.net",
    "charter.net",
    "earthlink.net",
    "bellsouth.net",
    "bigpond.com",
    "shaw.ca",
    "rogers.com",
    "telus.net",
    "ziggo.nl",
    "kpnmail.nl",
    "planet.nl",
    "telenet.be",
    "skynet.be",
    "bluewin.ch",
    "abv.bg",
    "ukr.net",
    "i.ua",
    "walla.co.il",
];

const RELAY_DOMAINS: &[&str] = &[
    "privaterelay.appleid.com",
    "mozmail.com",
    "relay.firefox.com",
    "duck.com",
    "simplelogin.com",
    "simplelogin.co",
    "simplelogin.fr",
    "aleeas.com",
    "slmail.me",
    "anonaddy.me",
    "anonaddy.com",
    "addy.io",
    "passmail.net",
    "passmail.com",
    "passinbox.com",
    "33mail.com",
    "spamgourmet.com",
];

/// Free, relay and disposable domains by name.
fn known_domains() -> &'static FxHashMap<&'static str, DomainKind> {
    static MAP: std::sync::OnceLock<FxHashMap<&'static str, DomainKind>> =
        std::sync::OnceLock::new();
    MAP.get_or_init(|| {
        let mut m: FxHashMap<&'static str, DomainKind> = disposable_domains()
            .iter()
            .map(|&d| (d, DomainKind::Disposable))
            .collect();
        m.extend(FREE_DOMAINS.iter().map(|&d| (d, DomainKind::Free)));
        m.extend(RELAY_DOMAINS.iter().map(|&d| (d, DomainKind::Relay)));
        m
    })
}

/// Classifies a lower-case domain.
pub fn domain_kind(domain: &str) -> DomainKind {
    let d = domain.trim_end_matches('.');
    if let Some(&k) = known_domains().get(d) {
        return k;
    }
    if d.ends_with(".privaterelay.appleid.com") {
        return DomainKind::Relay;
    }
    if d.starts_with("yahoo.")
        || d.starts_with("hotmail.")
        || d.starts_with("outlook.")
        || d.starts_with("live.")
    {
        return DomainKind::Free;
    }
    let mut labels = d.split('.');
    let first = labels.next().unwrap_or("");
    let institution = labels.any(|l| {
        matches!(
            l,
            "edu" | "ac" | "gov" | "mil" | "k12" | "school" | "sch" | "gouv" | "gob"
        ) || l.starts_with("uni-")
            || l.starts_with("univ")
    }) || first.starts_with("uni-")
        || first.starts_with("univ")
        || first.contains("university");
    if institution {
        DomainKind::Institution
    } else {
        DomainKind::Other
    }
}

/// Whether a value was masked, redacted or hashed by the exporting platform (`j****@x.org`,
/// `xxx`, `[redacted]`, a 32–128 digit hex hash): it says nothing about who the person is.
pub fn is_masked(value: &str) -> bool {
    let v = value.trim();
    let bytes = v.as_bytes();
    if bytes.is_empty() {
        return false;
    }
    if memchr::memchr_iter(b'*', bytes).nth(1).is_some() {
        return true;
    }
    if !v.is_ascii()
        && v.chars()
            .filter(|c| matches!(c, '•' | '●' | '∗' | '＊'))
            .nth(1)
            .is_some()
    {
        return true;
    }
    let at = memchr::memrchr(b'@', bytes);
    let local = &bytes[..at.unwrap_or(bytes.len())];
    if local.ends_with(b"...") || local.ends_with("…".as_bytes()) {
        return true;
    }
    // `xxx`, `xxxx@xxxx.com`, `XXX-XXX-1234`.
    if local.len() >= 3
        && matches!(local[0], b'x' | b'X' | b'0'..=b'9' | b'(' | b'+')
        && local.iter().all(|&b| {
            b.eq_ignore_ascii_case(&b'x')
                || b.is_ascii_digit()
                || matches!(b, b'.' | b'-' | b' ' | b'(' | b')' | b'+')
        })
        && local.windows(3).any(|w| w.eq_ignore_ascii_case(b"xxx"))
    {
        return true;
    }
    // A hash: 32 to 128 hex digits, maybe after `sha256:`.
    if bytes.len() >= 32 {
        let body = v.rsplit(':').next().unwrap_or(v);
        if (32..=128).contains(&body.len()) && body.bytes().all(|b| b.is_ascii_hexdigit()) {
            return true;
        }
    }
    if at.is_some() || !(4..=30).contains(&bytes.len()) {
        return false;
    }
    const WORDS: &[&str] = &[
        "redacted",
        "hidden",
        "masked",
        "anonymous",
        "anonymized",
        "anonymised",
        "anonym",
        "private",
        "removed",
        "withheld",
        "confidential",
        "gdpr",
        "not shared",
        "not disclosed",
        "hidden by privacy settings",
        "geschwärzt",
        "anonymisiert",
        "ausgeblendet",
    ];
    let word = v.trim_matches(|c: char| !c.is_alphanumeric());
    let Some(&first) = word.as_bytes().first() else {
        return false;
    };
    let first = first.to_ascii_lowercase();
    WORDS.iter().any(|w| {
        w.len() == word.len()
            && w.as_bytes()[0] == first
            && if word.is_ascii() {
                word.eq_ignore_ascii_case(w)
            } else {
                word.to_lowercase() == *w
            }
    })
}

/// Whether a name is only an initial: `K`, `K.`, `Ж`.
pub fn is_initial(name: &str) -> bool {
    let t = name.trim().trim_end_matches('.');
    let mut chars = t.chars();
    matches!((chars.next(), chars.next()), (Some(c), None) if c.is_alphabetic())
}

/// The letters and trailing number of the first name word that ends in digits (`Pop123` →
/// hash of `pop`, 123). `None` when no word is letters then digits.
pub(crate) fn name_counter(name: &str) -> Option<(u32, u32)> {
    for word in name.split(|c: char| c.is_whitespace() || matches!(c, '_' | '-' | '.')) {
        let digits = word.bytes().rev().take_while(u8::is_ascii_digit).count();
        if digits == 0 || digits == word.len() || digits > 9 {
            continue;
        }
        let (stem, num) = word.split_at(word.len() - digits);
        if !stem.chars().all(char::is_alphabetic) {
            continue;
        }
        let lower = stem.to_lowercase();
        return Some((hash_bytes(lower.as_bytes()) as u32 | 1, num.parse().ok()?));
    }
    None
}

/// A name word's shape for grouping look-alike signups: empty, initial, with digits, other
/// script, keyboard mash, lower case, upper case, capitalized, mixed.
pub(crate) fn word_class(word: &str, grade: u8) -> u8 {
    let w = word.trim();
    if w.is_empty() {
        return 0;
    }
    if is_initial(w) {
        return 1;
    }
    if w.bytes().any(|b| b.is_ascii_digit()) {
        return 2;
    }
    if !w.is_ascii() {
        return 3;
    }
    if grade == 2 {
        return 4;
    }
    let letters = w.bytes().filter(u8::is_ascii_alphabetic).count();
    let upper = w.bytes().filter(u8::is_ascii_uppercase).count();
    if upper == 0 {
        5
    } else if upper == letters && letters > 1 {
        6
    } else if w.as_bytes()[0].is_ascii_uppercase() {
        7
    } else {
        8
    }
}

/// Feeds the shape of a local part into `h`: runs of letters and of digits by exact length
/// (capped at 16), punctuation as itself. `tulsafan10017` and `kpopsfan20931` share a shape.
pub(crate) fn hash_local_shape(local: &str, h: &mut impl std::hash::Hasher) {
    let mut run_kind = 0u8;
    let mut run_len = 0u8;
    for b in local.bytes() {
        let kind = if b.is_ascii_alphabetic() {
            1
        } else if b.is_ascii_digit() {
            2
        } else if b >= 0x80 {
            3
        } else {
            b
        };
        if kind == run_kind && kind <= 3 {
            run_len = run_len.saturating_add(1);
            continue;
        }
        if run_kind != 0 {
            h.write_u8(run_kind);
            h.write_u8(run_len.min(16));
        }
        run_kind = kind;
        run_len = 1;
    }
    h.write_u8(run_kind);
    h.write_u8(run_len.min(16));
}

/// Splits a local part into its letters and a trailing number (`tulsafan10017` → (`tulsafan`, 10017)).
pub(crate) fn stem_and_number(local: &str) -> Option<(&str, u64)> {
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
        // Keyboard mash of several kinds: along one row, drumming on the home row, a chunk
        // typed twice, random letters.
        for w in [
            "qwfpgj",
            "asdfgh",
            "xkcdqzt",
            "zxcvbnm",
            "jhgfd",
            "lkjhgf",
            "yuirttrt",
            "rtreuieq",
            "jklhghas",
            "qweywrty",
            "ghasdfla",
            "iortyuop",
            "sdfsdf",
            "asdkjh",
            "dfjkgh",
            "hjkhjk",
            "fghfgh",
            "qpwoei",
            "zxcxzc",
            "Hnzqf",
            "Pzhkxqmis",
            "Qwfp",
            "tyuiop",
            "bnmxcm",
        ] {
            assert_eq!(random_grade(w), 2, "{w}");
        }
        // Names and name-made addresses from many languages: never keyboard mash.
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
            "hassan",
            "operez",
            "jjohnson",
            "putriiyer",
            "tchoi",
            "peter",
            "tyler",
            "terry",
            "rupert",
            "potter",
            "poitier",
            "dallas",
            "ashley",
            "krzysztof",
            "szczepanski",
            "wojciech",
            "przemyslaw",
            "zbigniew",
            "tkachenko",
            "dzmitry",
            "nkechi",
            "tshepo",
            "mkhize",
            "xochitl",
            "siobhan",
            "aoife",
            "niamh",
            "eoghan",
            "thuy",
            "huong",
            "truong",
            "phuong",
            "xiaoming",
            "zhang",
            "qiang",
            "xuejun",
            "jianguo",
            "yingying",
            "wenjie",
            "oluwaseun",
            "chukwuemeka",
            "adebayo",
            "ngozi",
            "mbali",
            "thandiwe",
            "sipho",
            "ferreira",
            "gonçalves",
            "joão",
            "jürgen",
            "grzegorz",
            "jacqueline",
            "kristjansson",
            "hjalmar",
            "sigurdsson",
            "ljubljana",
            "vukovic",
            "dragoljub",
            "yevgeny",
            "svetlana",
            "aleksandr",
            "khrushchev",
            "priyanka",
            "raghav",
            "subramanian",
            "venkatesh",
            "lakshmi",
            "srinivas",
            "muhammad",
            "abdulrahman",
            "fatima",
            "khadija",
            "yusuf",
            "kwame",
            "kofi",
            "abena",
            "takahashi",
            "yamamoto",
            "ryuichi",
            "shinji",
            "kyoko",
            "tsubasa",
            "jihoon",
            "seoyeon",
            "minjun",
            "hyunwoo",
            "trinh",
            "dieudonne",
            "gwendolyn",
            "llewellyn",
            "rhys",
            "gwyneth",
            "dafydd",
            "schwarz",
            "strauss",
            "pfeiffer",
            "tschudi",
            "knecht",
            "vandenberg",
            "dijkstra",
            "janssens",
            "wouter",
            "huib",
            "sjoerd",
            "ijsbrand",
            "guadalupe",
            "xiomara",
            "yolanda",
            "joaquin",
            "quique",
        ] {
            assert!(random_grade(w) < 2, "{w}");
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
