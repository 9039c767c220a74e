//! Who an address or a name belongs to, and whether it looks typed without meaning: the
//! text heuristics behind the identity and pattern signals.

use std::borrow::Cow;

use rustc_hash::FxHashSet;

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
