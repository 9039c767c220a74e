//! Numbers and dates the way the user reads them (US or German conventions).

use serde::{Deserialize, Serialize};

use crate::import::timestamp::civil_from_days;

/// How numbers and dates are written on screen and in exports.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Locale {
    /// `1,234.5`, `06/20/2026 7:00 PM`
    #[default]
    English,
    /// `1.234,5`, `20.06.2026 19:00`
    German,
}

impl Locale {
    pub const ALL: [Locale; 2] = [Locale::English, Locale::German];

    pub fn name(self) -> &'static str {
        match self {
            Locale::English => "English (US)",
            Locale::German => "Deutsch",
        }
    }

    /// The locale of this machine's `LANG`, when Turnout knows it.
    pub fn from_env() -> Locale {
        let lang = std::env::var("LC_ALL")
            .or_else(|_| std::env::var("LC_NUMERIC"))
            .or_else(|_| std::env::var("LANG"))
            .unwrap_or_default();
        if lang.starts_with("de") {
            Locale::German
        } else {
            Locale::English
        }
    }

    fn separators(self) -> (char, char) {
        match self {
            Locale::English => (',', '.'),
            Locale::German => ('.', ','),
        }
    }

    /// A whole number with thousands separators.
    pub fn int(self, n: u64) -> String {
        let (group, _) = self.separators();
        let s = n.to_string();
        let mut out = String::with_capacity(s.len() + s.len() / 3);
        for (i, ch) in s.chars().enumerate() {
            if i > 0 && (s.len() - i).is_multiple_of(3) {
                out.push(group);
            }
            out.push(ch);
        }
        out
    }

    /// A number rounded to a whole, with separators (negative numbers keep their sign).
    pub fn round(self, x: f64) -> String {
        let r = x.round();
        if r < 0.0 {
            format!("-{}", self.int((-r) as u64))
        } else {
            self.int(r as u64)
        }
    }

    /// A number with `decimals` places.
    pub fn decimal(self, x: f64, decimals: usize) -> String {
        let (_, point) = self.separators();
        let s = format!("{:.*}", decimals, x.abs());
        let (whole, frac) = s.split_once('.').unwrap_or((&s, ""));
        let whole = self.int(whole.parse().unwrap_or(0));
        let sign = if x < 0.0 { "-" } else { "" };
        if frac.is_empty() {
            format!("{sign}{whole}")
        } else {
            format!("{sign}{whole}{point}{frac}")
        }
    }

    /// A share as a percentage: `68%` / `68 %`.
    pub fn percent(self, share: f64) -> String {
        let p = share * 100.0;
        let text = if p > 0.0 && p < 1.0 {
            self.decimal(p, 1)
        } else {
            self.round(p)
        };
        match self {
            Locale::English => format!("{text}%"),
            Locale::German => format!("{text}\u{a0}%"),
        }
    }

    /// A calendar day (days since 1970).
    pub fn date(self, days: i64) -> String {
        let (y, m, d) = civil_from_days(days);
        match self {
            Locale::English => format!("{m:02}/{d:02}/{y}"),
            Locale::German => format!("{d:02}.{m:02}.{y}"),
        }
    }

    /// A wall-clock time (seconds since 1970 as if UTC).
    pub fn datetime(self, wall: i64) -> String {
        let days = wall.div_euclid(86_400);
        let secs = wall.rem_euclid(86_400);
        let (h, min) = (secs / 3600, secs % 3600 / 60);
        match self {
            Locale::English => {
                let (h12, ampm) = match h {
                    0 => (12, "AM"),
                    1..=11 => (h, "AM"),
                    12 => (12, "PM"),
                    _ => (h - 12, "PM"),
                };
                format!("{} {h12}:{min:02} {ampm}", self.date(days))
            }
            Locale::German => format!("{} {h:02}:{min:02}", self.date(days)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_and_german() {
        assert_eq!(Locale::English.int(1_234_567), "1,234,567");
        assert_eq!(Locale::German.int(1_234_567), "1.234.567");
        assert_eq!(Locale::English.decimal(1234.5, 1), "1,234.5");
        assert_eq!(Locale::German.decimal(1234.5, 2), "1.234,50");
        assert_eq!(Locale::English.percent(0.68), "68%");
        assert_eq!(Locale::German.percent(0.005), "0,5\u{a0}%");
        assert_eq!(Locale::English.date(20_624), "06/20/2026");
        assert_eq!(Locale::German.date(20_624), "20.06.2026");
        let wall = 20_624 * 86_400 + 19 * 3600;
        assert_eq!(Locale::English.datetime(wall), "06/20/2026 7:00 PM");
        assert_eq!(Locale::German.datetime(wall), "20.06.2026 19:00");
        assert_eq!(Locale::English.round(-4.6), "-5");
    }
}
