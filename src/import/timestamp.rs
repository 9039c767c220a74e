//! Lenient timestamp reading for the many ways export tools write a date.
//!
//! Parsing happens in two steps so that a whole column can decide what a row alone cannot:
//!
//! 1. [`parse`] reads one field into a [`RawStamp`]: the numbers as written, whether the
//!    day/month order is still open (`03/04/2024`), and an explicit UTC offset if any.
//!    It also returns the field's [`Shape`], from which a `strftime`-like format is named.
//! 2. [`ColumnDecision`] looks at every raw stamp of a column (a value above 12 in first
//!    place settles day-first, in second place month-first; otherwise the order that keeps
//!    the rows in time order wins) and [`Resolver`] turns raw stamps into UTC seconds,
//!    reading zone-less times in the event's time zone.
//!
//! Raw stamps pack into an `i64` so a column can hold them in the same vector that later
//! holds the resolved seconds.

use jiff::tz::TimeZone;

/// A timestamp as written, before the column's date order and time zone are known.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RawStamp {
    /// Four-digit year (two-digit years are already widened).
    pub year: u16,
    /// Month, or the first of two ambiguous numbers.
    pub a: u8,
    /// Day, or the second of two ambiguous numbers.
    pub b: u8,
    pub hour: u8,
    pub minute: u8,
    pub second: u8,
    /// `true` when `a`/`b` may be month/day or day/month (`03/04/2024`).
    pub ambiguous: bool,
    /// Explicit offset from UTC in minutes (`Z`, `-05:00`, `AST`), if the text had one.
    pub offset_minutes: Option<i16>,
}

/// Marks a missing value in a packed timestamp column.
pub const MISSING: i64 = i64::MIN;

impl RawStamp {
    /// Packs into 56 bits of an `i64` (never equal to [`MISSING`]).
    pub fn pack(&self) -> i64 {
        let offset = match self.offset_minutes {
            Some(m) => (1u64 << 12) | ((m as i64 + 2048) as u64 & 0xfff),
            None => 0,
        };
        let v = (self.year as u64 & 0x3fff)
            | (self.a as u64 & 0x1f) << 14
            | (self.b as u64 & 0x1f) << 19
            | (self.hour as u64 & 0x1f) << 24
            | (self.minute as u64 & 0x3f) << 29
            | (self.second as u64 & 0x3f) << 35
            | (self.ambiguous as u64) << 41
            | offset << 42;
        v as i64
    }

    /// Inverse of [`RawStamp::pack`].
    pub fn unpack(v: i64) -> RawStamp {
        let v = v as u64;
        let offset = (v >> 42) & 0x1fff;
        RawStamp {
            year: (v & 0x3fff) as u16,
            a: (v >> 14 & 0x1f) as u8,
            b: (v >> 19 & 0x1f) as u8,
            hour: (v >> 24 & 0x1f) as u8,
            minute: (v >> 29 & 0x3f) as u8,
            second: (v >> 35 & 0x3f) as u8,
            ambiguous: (v >> 41 & 1) == 1,
            offset_minutes: if offset >> 12 == 1 {
                Some(((offset & 0xfff) as i64 - 2048) as i16)
            } else {
                None
            },
        }
    }

    /// Month and day under the given order of the ambiguous pair.
    pub fn month_day(&self, day_first: bool) -> (u8, u8) {
        if self.ambiguous && day_first {
            (self.b, self.a)
        } else {
            (self.a, self.b)
        }
    }
}

/// How a date was written; names the column's format in reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct Shape {
    pub date: DateShape,
    pub year_digits: u8,
    /// Separator between the date numbers (`-`, `/`, `.`).
    pub sep: u8,
    pub t_separator: bool,
    pub time: TimeShape,
    pub meridiem: bool,
    pub zone: ZoneShape,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum DateShape {
    #[default]
    YearFirst,
    /// Two numbers then the year; order settled by the column.
    NumbersThenYear,
    /// `Mar 22, 2025`
    MonthNameFirst,
    /// `22 Mar 2025`, `22. März 2025`
    DayThenMonthName,
    ExcelSerial,
    UnixSeconds,
    UnixMillis,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum TimeShape {
    #[default]
    None,
    HourMinute,
    HourMinuteSecond,
    WithFraction,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum ZoneShape {
    #[default]
    None,
    Z,
    Offset,
    Abbreviation,
}

impl Shape {
    /// A `strftime`-style description, e.g. `%m/%d/%y %H:%M`.
    pub fn format(&self, day_first: bool) -> String {
        let year = if self.year_digits == 2 { "%y" } else { "%Y" };
        let sep = self.sep as char;
        let mut f = match self.date {
            DateShape::YearFirst => format!("%Y{sep}%m{sep}%d"),
            DateShape::NumbersThenYear if day_first || self.sep == b'.' => {
                format!("%d{sep}%m{sep}{year}")
            }
            DateShape::NumbersThenYear => format!("%m{sep}%d{sep}{year}"),
            DateShape::MonthNameFirst => "%b %d, %Y".to_string(),
            DateShape::DayThenMonthName => "%d %b %Y".to_string(),
            DateShape::ExcelSerial => return "Excel serial day number".to_string(),
            DateShape::UnixSeconds => return "Unix seconds".to_string(),
            DateShape::UnixMillis => return "Unix milliseconds".to_string(),
        };
        let hour = if self.meridiem { "%I" } else { "%H" };
        let time = match self.time {
            TimeShape::None => String::new(),
            TimeShape::HourMinute => format!("{hour}:%M"),
            TimeShape::HourMinuteSecond => format!("{hour}:%M:%S"),
            TimeShape::WithFraction => format!("{hour}:%M:%S%.f"),
        };
        if !time.is_empty() {
            f.push(if self.t_separator { 'T' } else { ' ' });
            f.push_str(&time);
            if self.meridiem {
                f.push_str(" %p");
            }
        }
        match self.zone {
            ZoneShape::None => {}
            ZoneShape::Z => f.push('Z'),
            ZoneShape::Offset => f.push_str("%:z"),
            ZoneShape::Abbreviation => f.push_str(" %Z"),
        }
        f
    }
}

struct Cursor<'a> {
    s: &'a [u8],
    i: usize,
}

impl<'a> Cursor<'a> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }
    fn at_end(&self) -> bool {
        self.i >= self.s.len()
    }
    fn eat(&mut self, b: u8) -> bool {
        if self.peek() == Some(b) {
            self.i += 1;
            true
        } else {
            false
        }
    }
    fn skip_spaces(&mut self) -> bool {
        let start = self.i;
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.i += 1;
        }
        self.i > start
    }
    /// Reads up to `max` digits; returns (value, digit count).
    fn number(&mut self, max: usize) -> Option<(u32, usize)> {
        let start = self.i;
        let mut v: u32 = 0;
        while let Some(c @ b'0'..=b'9') = self.peek() {
            if self.i - start == max {
                return None;
            }
            v = v * 10 + (c - b'0') as u32;
            self.i += 1;
        }
        let n = self.i - start;
        (n > 0).then_some((v, n))
    }
    fn word(&mut self) -> &'a [u8] {
        let start = self.i;
        while let Some(c) = self.peek() {
            if c.is_ascii_alphabetic() || c >= 0x80 {
                self.i += 1;
            } else {
                break;
            }
        }
        &self.s[start..self.i]
    }
}

/// Month from an English or German name or abbreviation (`Mar`, `März`, `Maerz`, `Dez.`).
pub fn month_from_name(w: &[u8]) -> Option<u8> {
    if w.len() < 3 {
        return None;
    }
    let mut buf = [0u8; 12];
    let n = w.len().min(12);
    for (d, s) in buf.iter_mut().zip(&w[..n]) {
        *d = s.to_ascii_lowercase();
    }
    let w = &buf[..n];
    const NAMES: [(&str, u8); 18] = [
        ("jan", 1),
        ("feb", 2),
        ("mar", 3),
        ("mär", 3),
        ("mae", 3),
        ("apr", 4),
        ("may", 5),
        ("mai", 5),
        ("jun", 6),
        ("jul", 7),
        ("aug", 8),
        ("sep", 9),
        ("oct", 10),
        ("okt", 10),
        ("nov", 11),
        ("dec", 12),
        ("dez", 12),
        ("jän", 1),
    ];
    NAMES
        .iter()
        .find(|(p, _)| w.starts_with(p.as_bytes()))
        .map(|&(_, m)| m)
}

fn is_weekday(w: &[u8]) -> bool {
    let l: Vec<u8> = w.iter().map(|c| c.to_ascii_lowercase()).collect();
    [
        "mon", "tue", "wed", "thu", "fri", "sat", "sun", "mo", "di", "mi", "do", "fr", "sa", "so",
    ]
    .iter()
    .any(|d| l.starts_with(d.as_bytes()))
        && month_from_name(w).is_none()
}

/// Offset in minutes for common zone abbreviations; `None` for unknown ones.
pub fn zone_abbreviation(w: &[u8]) -> Option<i16> {
    let h = |x: i16| Some(x * 60);
    match w {
        b"UTC" | b"GMT" | b"Z" | b"UT" => h(0),
        b"EST" => h(-5),
        b"EDT" => h(-4),
        b"CST" => h(-6),
        b"CDT" => h(-5),
        b"MST" => h(-7),
        b"MDT" => h(-6),
        b"PST" => h(-8),
        b"PDT" => h(-7),
        b"AKST" => h(-9),
        b"AKDT" => h(-8),
        b"HST" => h(-10),
        b"AST" => h(-4),
        b"ADT" => h(-3),
        b"NST" => Some(-210),
        b"BST" => h(1),
        b"WET" => h(0),
        b"WEST" => h(1),
        b"CET" | b"MEZ" => h(1),
        b"CEST" | b"MESZ" => h(2),
        b"EET" => h(2),
        b"EEST" => h(3),
        b"MSK" => h(3),
        b"IST" => Some(330),
        b"JST" => h(9),
        b"KST" => h(9),
        b"AEST" => h(10),
        b"AEDT" => h(11),
        b"NZST" => h(12),
        b"NZDT" => h(13),
        // The Americas
        b"BRT" => h(-3),
        b"BRST" => h(-2),
        b"ART" => h(-3),
        b"UYT" => h(-3),
        b"CLT" => h(-4),
        b"CLST" => h(-3),
        b"PYT" => h(-4),
        b"BOT" => h(-4),
        b"VET" => h(-4),
        b"COT" => h(-5),
        b"PET" => h(-5),
        b"ECT" => h(-5),
        b"GFT" => h(-3),
        // Europe and Africa
        b"WAT" => h(1),
        b"CAT" => h(2),
        b"SAST" => h(2),
        b"EAT" => h(3),
        b"TRT" => h(3),
        // Asia-Pacific
        b"GST" => h(4),
        b"PKT" => h(5),
        b"NPT" => Some(345),
        b"ICT" => h(7),
        b"WIB" => h(7),
        b"WITA" => h(8),
        b"WIT" => h(9),
        b"SGT" => h(8),
        b"MYT" => h(8),
        b"HKT" => h(8),
        b"PHT" | b"PHST" => h(8),
        b"AWST" => h(8),
        b"ACST" => Some(570),
        b"ACDT" => Some(630),
        b"ChST" | b"CHST" => h(10),
        _ => None,
    }
}

/// Zone abbreviations that name more than one zone, with the reading Turnout takes.
pub fn ambiguous_zone(text: &str) -> Option<&'static str> {
    match text.trim().to_ascii_uppercase().as_str() {
        "IST" => Some("IST read as India (+05:30), not Irish or Israel time"),
        "CST" => Some("CST read as US Central (−06:00), not China or Cuba time"),
        "AST" => Some("AST read as Atlantic (−04:00), not Arabia time"),
        "BST" => Some("BST read as British Summer Time (+01:00), not Bangladesh"),
        "EST" => Some("EST read as US Eastern (−05:00), not Australian Eastern"),
        "GST" => Some("GST read as Gulf (+04:00), not South Georgia"),
        _ => None,
    }
}

/// Reads a zone written in a column of its own: an abbreviation (`BRT`, `CET`), an offset
/// (`-03:00`, `+0530`, `-3`), or either after `UTC`/`GMT` (`UTC-3`, `GMT+05:30`). `None`
/// for anything else (IANA names are not read here: their offset depends on the date).
pub fn parse_zone(text: &str) -> Option<i16> {
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    let upper = t.to_ascii_uppercase();
    if let Some(m) = zone_abbreviation(upper.as_bytes()) {
        return Some(m);
    }
    let rest = upper
        .strip_prefix("UTC")
        .or_else(|| upper.strip_prefix("GMT"))
        .unwrap_or(&upper)
        .trim();
    if rest.is_empty() {
        return Some(0);
    }
    let (sign, digits) = match rest.as_bytes()[0] {
        b'+' => (1, &rest[1..]),
        b'-' | 0xE2 => (-1, rest.trim_start_matches(['-', '\u{2212}'])),
        _ => return None,
    };
    let (h, m) = match digits.split_once(':') {
        Some((h, m)) => (h.parse::<i16>().ok()?, m.parse::<i16>().ok()?),
        None if digits.len() == 4 => (digits[..2].parse().ok()?, digits[2..].parse().ok()?),
        None if digits.len() <= 2 => (digits.parse().ok()?, 0),
        None => return None,
    };
    (h <= 14 && m < 60).then_some(sign * (h * 60 + m))
}

fn trim(s: &[u8]) -> &[u8] {
    s.trim_ascii()
}

/// Reads a time of day (`14:05`, `2:05:09 PM`, `14:05:09.123`) into (hour, minute, second).
pub fn parse_time_of_day(field: &[u8]) -> Option<(u8, u8, u8)> {
    let mut c = Cursor {
        s: trim(field),
        i: 0,
    };
    let mut shape = Shape::default();
    let t = time_part(&mut c, &mut shape)?;
    c.skip_spaces();
    c.at_end().then_some(t)
}

fn time_part(c: &mut Cursor, shape: &mut Shape) -> Option<(u8, u8, u8)> {
    let (h, _) = c.number(2)?;
    if !(c.eat(b':') || c.eat(b'.')) {
        return None;
    }
    let (mi, md) = c.number(2)?;
    if md != 2 {
        return None;
    }
    let mut s = 0;
    shape.time = TimeShape::HourMinute;
    if c.eat(b':') {
        s = c.number(2)?.0;
        shape.time = TimeShape::HourMinuteSecond;
        if c.peek() == Some(b'.') || c.peek() == Some(b',') {
            c.i += 1;
            c.number(9)?;
            shape.time = TimeShape::WithFraction;
        }
    }
    let save = c.i;
    c.skip_spaces();
    let mut h = h;
    let w = c.word();
    let meridiem = match w.to_ascii_lowercase().as_slice() {
        b"am" | b"a" => Some(false),
        b"pm" | b"p" => Some(true),
        _ => None,
    };
    match meridiem {
        Some(pm) => {
            // "a.m." / "p.m."
            if w.len() == 1 && c.eat(b'.') && (c.eat(b'm') || c.eat(b'M')) {
                c.eat(b'.');
            } else if w.len() == 1 {
                return None;
            }
            if !(1..=12).contains(&h) {
                return None;
            }
            h = match (pm, h) {
                (false, 12) => 0,
                (true, 12) => 12,
                (true, h) => h + 12,
                (false, h) => h,
            };
            shape.meridiem = true;
        }
        None => c.i = save,
    }
    (h <= 23 && mi <= 59 && s <= 60).then_some((h as u8, mi as u8, s.min(59) as u8))
}

fn zone_part(c: &mut Cursor, shape: &mut Shape) -> Option<Option<i16>> {
    let save = c.i;
    c.skip_spaces();
    match c.peek() {
        None => {
            c.i = save;
            Some(None)
        }
        Some(b'Z') if c.s.len() == c.i + 1 => {
            c.i += 1;
            shape.zone = ZoneShape::Z;
            Some(Some(0))
        }
        Some(sign @ (b'+' | b'-')) => {
            c.i += 1;
            let off = signed_offset(c, sign)?;
            shape.zone = ZoneShape::Offset;
            Some(Some(off))
        }
        Some(x) if x.is_ascii_alphabetic() => {
            let w = c.word();
            let base = zone_abbreviation(w)?;
            shape.zone = ZoneShape::Abbreviation;
            // "UTC+2", "GMT-05:00"
            if let Some(sign @ (b'+' | b'-')) = c.peek() {
                c.i += 1;
                return Some(Some(base + signed_offset(c, sign)?));
            }
            Some(Some(base))
        }
        Some(_) => None,
    }
}

fn signed_offset(c: &mut Cursor, sign: u8) -> Option<i16> {
    let (v, n) = c.number(4)?;
    let (h, m) = match n {
        1 | 2 => {
            if c.eat(b':') {
                let (m, md) = c.number(2)?;
                if md != 2 {
                    return None;
                }
                (v, m)
            } else {
                (v, 0)
            }
        }
        4 => (v / 100, v % 100),
        _ => return None,
    };
    if h > 14 || m > 59 {
        return None;
    }
    let off = (h * 60 + m) as i16;
    Some(if sign == b'-' { -off } else { off })
}

fn widen_year(v: u32, digits: usize) -> Option<u16> {
    match digits {
        2 => Some(if v < 70 { 2000 + v } else { 1900 + v } as u16),
        4 if (1900..=2200).contains(&v) => Some(v as u16),
        _ => None,
    }
}

/// Reads one field; `None` when it is not a timestamp this module understands.
pub fn parse(field: &[u8]) -> Option<(RawStamp, Shape)> {
    let s = trim(field);
    if s.is_empty() || s.len() > 64 {
        return None;
    }
    if let Some(r) = parse_plain_number(s) {
        return Some(r);
    }
    let mut c = Cursor { s, i: 0 };
    let mut shape = Shape::default();
    let (year, a, b, ambiguous) = date_part(&mut c, &mut shape)?;
    let mut time = (0, 0, 0);
    let save = c.i;
    let had_space = c.skip_spaces();
    if c.eat(b'T') {
        shape.t_separator = true;
    } else if c.eat(b',') {
        c.skip_spaces();
    } else if !had_space {
        c.i = save;
    }
    if c.i > save {
        // German "um" between date and time.
        let w_save = c.i;
        if c.word().eq_ignore_ascii_case(b"um") {
            c.skip_spaces();
        } else {
            c.i = w_save;
        }
        if matches!(c.peek(), Some(b'0'..=b'9')) {
            time = time_part(&mut c, &mut shape)?;
        } else {
            c.i = save;
        }
    }
    let offset = zone_part(&mut c, &mut shape)?;
    c.skip_spaces();
    if !c.at_end() {
        return None;
    }
    let stamp = RawStamp {
        year,
        a,
        b,
        hour: time.0,
        minute: time.1,
        second: time.2,
        ambiguous,
        offset_minutes: offset,
    };
    Some((stamp, shape))
}

/// Date part; returns (year, a, b, ambiguous). For settled orders a = month, b = day.
fn date_part(c: &mut Cursor, shape: &mut Shape) -> Option<(u16, u8, u8, bool)> {
    if c.peek()?.is_ascii_alphabetic() {
        let mut w = c.word();
        if is_weekday(w) {
            c.eat(b'.');
            c.eat(b',');
            c.skip_spaces();
            w = c.word();
        }
        let month = month_from_name(w)?;
        c.eat(b'.');
        c.skip_spaces();
        let (day, _) = c.number(2)?;
        c.eat(b',');
        c.skip_spaces();
        let (y, yd) = c.number(4)?;
        shape.date = DateShape::MonthNameFirst;
        shape.year_digits = yd as u8;
        return valid_day(month as u32, day).then_some((
            widen_year(y, yd)?,
            month,
            day as u8,
            false,
        ));
    }
    let (n1, d1) = c.number(4)?;
    if d1 == 4 {
        let sep = c.peek()?;
        if !matches!(sep, b'-' | b'/' | b'.') {
            return None;
        }
        c.i += 1;
        let (m, _) = c.number(2)?;
        if !c.eat(sep) {
            return None;
        }
        let (d, _) = c.number(2)?;
        shape.date = DateShape::YearFirst;
        shape.sep = sep;
        shape.year_digits = 4;
        let year = widen_year(n1, 4)?;
        return valid_day(m, d).then_some((year, m as u8, d as u8, false));
    }
    if d1 > 2 {
        return None;
    }
    let sep = c.peek()?;
    match sep {
        b'/' | b'-' | b'.' => {
            c.i += 1;
            if sep == b'.' {
                c.skip_spaces();
            }
            if matches!(c.peek(), Some(x) if x.is_ascii_alphabetic()) {
                // 22-Mar-2025, 22. März 2025
                let month = month_from_name(c.word())?;
                c.eat(b'.');
                if !(c.eat(sep) || c.skip_spaces()) {
                    return None;
                }
                let (y, yd) = c.number(4)?;
                shape.date = DateShape::DayThenMonthName;
                shape.year_digits = yd as u8;
                return valid_day(month as u32, n1).then_some((
                    widen_year(y, yd)?,
                    month,
                    n1 as u8,
                    false,
                ));
            }
            let (n2, d2) = c.number(2)?;
            if d2 == 0 || !c.eat(sep) {
                return None;
            }
            let (y, yd) = c.number(4)?;
            let year = widen_year(y, yd)?;
            shape.date = DateShape::NumbersThenYear;
            shape.sep = sep;
            shape.year_digits = yd as u8;
            if sep == b'.' {
                // Dotted dates are day-first everywhere they are used.
                return valid_day(n2, n1).then_some((year, n2 as u8, n1 as u8, false));
            }
            if n1 == 0 || n2 == 0 || n1 > 31 || n2 > 31 || (n1 > 12 && n2 > 12) {
                return None;
            }
            Some((year, n1 as u8, n2 as u8, true))
        }
        b' ' => {
            c.skip_spaces();
            let month = month_from_name(c.word())?;
            c.eat(b'.');
            c.eat(b',');
            c.skip_spaces();
            let (y, yd) = c.number(4)?;
            shape.date = DateShape::DayThenMonthName;
            shape.year_digits = yd as u8;
            valid_day(month as u32, n1).then_some((widen_year(y, yd)?, month, n1 as u8, false))
        }
        _ => None,
    }
}

fn valid_day(month: u32, day: u32) -> bool {
    (1..=12).contains(&month) && (1..=31).contains(&day)
}

/// Excel serial days (`45234.75`), Unix seconds and milliseconds.
fn parse_plain_number(s: &[u8]) -> Option<(RawStamp, Shape)> {
    if !s[0].is_ascii_digit() || !s.iter().all(|c| c.is_ascii_digit() || *c == b'.') {
        return None;
    }
    let text = std::str::from_utf8(s).ok()?;
    let int_digits = s.iter().take_while(|c| c.is_ascii_digit()).count();
    let (secs, date) = match int_digits {
        5 => {
            let days: f64 = text.parse().ok()?;
            if !(20_000.0..=80_000.0).contains(&days) {
                return None;
            }
            // Excel's day 0 is 1899-12-30 (counting its phantom 1900-02-29).
            let secs = ((days - 25_569.0) * 86_400.0).round() as i64;
            (secs, DateShape::ExcelSerial)
        }
        9 | 10 if int_digits == s.len() => (text.parse().ok()?, DateShape::UnixSeconds),
        12 | 13 if int_digits == s.len() => {
            (text.parse::<i64>().ok()? / 1000, DateShape::UnixMillis)
        }
        _ => return None,
    };
    let stamp = stamp_from_unix(secs, date != DateShape::ExcelSerial)?;
    let shape = Shape {
        date,
        ..Shape::default()
    };
    Some((stamp, shape))
}

/// A raw stamp for Unix seconds; `utc` says whether the value is an instant (else wall time).
fn stamp_from_unix(secs: i64, utc: bool) -> Option<RawStamp> {
    let ts = jiff::Timestamp::from_second(secs).ok()?;
    let dt = ts.to_zoned(TimeZone::UTC).datetime();
    Some(RawStamp {
        year: u16::try_from(dt.year()).ok()?,
        a: dt.month() as u8,
        b: dt.day() as u8,
        hour: dt.hour() as u8,
        minute: dt.minute() as u8,
        second: dt.second() as u8,
        ambiguous: false,
        offset_minutes: utc.then_some(0),
    })
}

/// Wall time `secs` since 1970 (as if UTC) into a raw stamp; used for spreadsheet cells.
pub fn stamp_from_wall_seconds(secs: i64) -> Option<RawStamp> {
    stamp_from_unix(secs, false)
}

/// What a column's raw stamps say about the order of their ambiguous numbers.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OrderEvidence {
    pub ambiguous_rows: u64,
    /// Rows whose first number exceeds 12 (must be day-first).
    pub first_over_12: u64,
    /// Rows whose second number exceeds 12 (must be month-first).
    pub second_over_12: u64,
}

impl OrderEvidence {
    pub fn add(&mut self, s: &RawStamp) {
        if s.ambiguous {
            self.ambiguous_rows += 1;
            self.first_over_12 += (s.a > 12) as u64;
            self.second_over_12 += (s.b > 12) as u64;
        }
    }
    pub fn merge(&mut self, o: &OrderEvidence) {
        self.ambiguous_rows += o.ambiguous_rows;
        self.first_over_12 += o.first_over_12;
        self.second_over_12 += o.second_over_12;
    }
}

/// Why a column was read day-first or month-first; shown to the user.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OrderReason {
    /// No value needed deciding.
    Unambiguous,
    /// Some values only make sense one way.
    ValuesOver12,
    /// Every value fits both ways; the order that keeps rows in time order was taken.
    RowOrder,
    /// Nothing decided it; US month-first was assumed.
    Assumed,
    /// Set by the user.
    Chosen,
}

/// The order a column's ambiguous dates are read in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ColumnDecision {
    pub day_first: bool,
    pub reason: OrderReason,
}

impl ColumnDecision {
    /// Decides from the evidence and, if still open, from row order of the packed stamps.
    pub fn decide(evidence: &OrderEvidence, packed: &[i64]) -> ColumnDecision {
        if evidence.ambiguous_rows == 0 {
            return ColumnDecision {
                day_first: false,
                reason: OrderReason::Unambiguous,
            };
        }
        let (f, s) = (evidence.first_over_12, evidence.second_over_12);
        if f > 0 || s > 0 {
            return ColumnDecision {
                day_first: f >= s,
                reason: OrderReason::ValuesOver12,
            };
        }
        let (mut prev_md, mut prev_dm) = (None, None);
        let (mut back_md, mut back_dm) = (0u64, 0u64);
        for &p in packed.iter().filter(|&&p| p != MISSING) {
            let r = RawStamp::unpack(p);
            let key = |day_first: bool| {
                let (m, d) = r.month_day(day_first);
                (r.year, m, d, r.hour, r.minute, r.second)
            };
            let (md, dm) = (key(false), key(true));
            if prev_md.is_some_and(|x| md < x) {
                back_md += 1;
            }
            if prev_dm.is_some_and(|x| dm < x) {
                back_dm += 1;
            }
            prev_md = Some(md);
            prev_dm = Some(dm);
        }
        if back_md != back_dm {
            ColumnDecision {
                day_first: back_dm < back_md,
                reason: OrderReason::RowOrder,
            }
        } else {
            ColumnDecision {
                day_first: false,
                reason: OrderReason::Assumed,
            }
        }
    }
}

/// Turns raw stamps into UTC seconds, reading zone-less times in the event's zone.
pub struct Resolver {
    tz: TimeZone,
    day_first: bool,
    /// Direct-mapped cache: local hour → offset seconds and whether the hour is a gap (1) or
    /// a repeated hour (2) of a daylight-saving change.
    cache: Vec<(i64, i32, u8)>,
    /// Zone-less times that fell in the hour skipped when clocks went forward (read as after
    /// the change), and in the hour that happened twice when they went back (read as the
    /// first time).
    pub gaps: u64,
    pub folds: u64,
}

/// Why a raw stamp could not become an instant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ResolveError {
    NoSuchDay,
}

impl Resolver {
    pub fn new(tz: TimeZone, day_first: bool) -> Resolver {
        Resolver {
            tz,
            day_first,
            cache: vec![(i64::MIN, 0, 0); 256],
            gaps: 0,
            folds: 0,
        }
    }

    /// UTC seconds since 1970 for a raw stamp.
    pub fn resolve(&mut self, r: &RawStamp) -> Result<i64, ResolveError> {
        let (month, day) = r.month_day(self.day_first);
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(r.year as i32, month) {
            return Err(ResolveError::NoSuchDay);
        }
        let days = days_from_civil(r.year as i32, month as u32, day as u32);
        let wall = days * 86_400 + r.hour as i64 * 3600 + r.minute as i64 * 60 + r.second as i64;
        match r.offset_minutes {
            Some(m) => Ok(wall - m as i64 * 60),
            None => Ok(wall - self.offset_at_wall(wall) as i64),
        }
    }

    fn offset_at_wall(&mut self, wall: i64) -> i32 {
        let hour = wall.div_euclid(3600);
        let slot = (hour as usize) & 0xff;
        let (offset, kind) = if self.cache[slot].0 == hour {
            (self.cache[slot].1, self.cache[slot].2)
        } else {
            let (offset, kind) = wall_offset_kind(&self.tz, wall);
            self.cache[slot] = (hour, offset, kind);
            (offset, kind)
        };
        match kind {
            1 => self.gaps += 1,
            2 => self.folds += 1,
            _ => {}
        }
        offset
    }
}

/// Offset (seconds) of `tz` at a wall-clock time given as seconds since 1970 (as if UTC).
/// Gaps and folds resolve the way most calendars do ("compatible").
pub fn wall_offset(tz: &TimeZone, wall: i64) -> i32 {
    wall_offset_kind(tz, wall).0
}

/// [`wall_offset`], and whether the time is in a gap (1), a fold (2) or neither (0).
fn wall_offset_kind(tz: &TimeZone, wall: i64) -> (i32, u8) {
    let Ok(ts) = jiff::Timestamp::from_second(wall) else {
        return (0, 0);
    };
    let dt = ts.to_zoned(TimeZone::UTC).datetime();
    let amb = tz.to_ambiguous_zoned(dt);
    let kind = match amb.offset() {
        jiff::tz::AmbiguousOffset::Unambiguous { .. } => 0,
        jiff::tz::AmbiguousOffset::Gap { .. } => 1,
        jiff::tz::AmbiguousOffset::Fold { .. } => 2,
    };
    match amb.compatible() {
        Ok(z) => (z.offset().seconds(), kind),
        Err(_) => (0, kind),
    }
}

pub fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

/// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm).
pub fn days_from_civil(y: i32, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y } as i64;
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m as i64 + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// (year, month, day) for days since 1970-01-01.
pub fn civil_from_days(z: i64) -> (i32, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    ((if m <= 2 { y + 1 } else { y }) as i32, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> i64 {
        let (r, _) = parse(s.as_bytes()).unwrap_or_else(|| panic!("no parse: {s}"));
        Resolver::new(TimeZone::UTC, false).resolve(&r).unwrap()
    }

    fn iso(s: &str) -> i64 {
        s.parse::<jiff::Timestamp>().unwrap().as_second()
    }

    #[test]
    fn reads_every_documented_layout() {
        assert_eq!(utc("2025-10-29T03:56:00.104Z"), iso("2025-10-29T03:56:00Z"));
        assert_eq!(
            utc("2023-01-24 14:49:27-05:00"),
            iso("2023-01-24T19:49:27Z")
        );
        assert_eq!(utc("11/29/24 22:28"), iso("2024-11-29T22:28:00Z"));
        assert_eq!(utc("08/09/2026 10:45:00 AM"), iso("2026-08-09T10:45:00Z"));
        assert_eq!(utc("10.06.2020 14:49"), iso("2020-06-10T14:49:00Z"));
        assert_eq!(
            utc("2022/06/22 11:07:29 AM AST"),
            iso("2022-06-22T15:07:29Z")
        );
        assert_eq!(utc("Mar 22, 2025 19:28:32"), iso("2025-03-22T19:28:32Z"));
        assert_eq!(utc("6/22/2022 11:07:29"), iso("2022-06-22T11:07:29Z"));
        assert_eq!(
            utc("2024-12-01 18:30:00+01:00"),
            iso("2024-12-01T17:30:00Z")
        );
        assert_eq!(utc("2024-03-01"), iso("2024-03-01T00:00:00Z"));
        assert_eq!(utc("22. März 2025 14:00"), iso("2025-03-22T14:00:00Z"));
    }

    #[test]
    fn excel_serials_and_unix_numbers() {
        assert_eq!(utc("45234.5"), iso("2023-11-04T12:00:00Z"));
        assert_eq!(utc("1700000000"), 1_700_000_000);
        assert_eq!(utc("1700000000123"), 1_700_000_000);
    }

    #[test]
    fn rejects_what_is_not_a_time() {
        for s in [
            "",
            "abc",
            "13/13/2024",
            "2024-13-01",
            "12",
            "1.5",
            "25:00",
            "--",
            "Yes",
            "12,50 €",
            "2024-02-30x",
        ] {
            assert!(parse(s.as_bytes()).is_none(), "{s} parsed");
        }
    }

    #[test]
    fn pm_and_midnight() {
        assert_eq!(utc("1/2/2024 12:00:00 AM"), iso("2024-01-02T00:00:00Z"));
        assert_eq!(utc("1/2/2024 12:15 PM"), iso("2024-01-02T12:15:00Z"));
        assert_eq!(utc("1/2/2024 1:15 p.m."), iso("2024-01-02T13:15:00Z"));
    }

    #[test]
    fn pack_round_trips() {
        let (r, _) = parse(b"2022/06/22 11:07:29 PM AST").unwrap();
        assert_eq!(RawStamp::unpack(r.pack()), r);
        let (r, _) = parse(b"03/04/24 09:10").unwrap();
        assert!(r.ambiguous);
        assert_eq!(RawStamp::unpack(r.pack()), r);
    }

    #[test]
    fn column_decides_day_first_from_any_row() {
        let rows: Vec<_> = ["03/04/2024 10:00", "05/04/2024 10:00", "13/04/2024 10:00"]
            .iter()
            .map(|s| parse(s.as_bytes()).unwrap().0)
            .collect();
        let mut ev = OrderEvidence::default();
        rows.iter().for_each(|r| ev.add(r));
        let packed: Vec<i64> = rows.iter().map(|r| r.pack()).collect();
        let d = ColumnDecision::decide(&ev, &packed);
        assert!(d.day_first);
        assert_eq!(d.reason, OrderReason::ValuesOver12);
    }

    #[test]
    fn row_order_breaks_ties() {
        // 12 Jan, 1 Feb, 2 Feb, 3 Feb written day-first: every value fits both orders, but
        // only day-first keeps the rows in time order (month-first would put 1 Dec first).
        let packed: Vec<i64> = ["12/01/2024", "01/02/2024", "02/02/2024", "03/02/2024"]
            .iter()
            .map(|s| parse(s.as_bytes()).unwrap().0.pack())
            .collect();
        let mut ev = OrderEvidence::default();
        packed.iter().for_each(|p| ev.add(&RawStamp::unpack(*p)));
        let d = ColumnDecision::decide(&ev, &packed);
        assert_eq!(d.reason, OrderReason::RowOrder);
        assert!(d.day_first);
    }

    #[test]
    fn zone_less_times_read_in_event_zone_across_dst() {
        let tz = TimeZone::get("America/Chicago").unwrap();
        let mut res = Resolver::new(tz, false);
        let winter = parse(b"2024-01-15 12:00").unwrap().0;
        let summer = parse(b"2024-07-15 12:00").unwrap().0;
        assert_eq!(res.resolve(&winter).unwrap(), iso("2024-01-15T18:00:00Z"));
        assert_eq!(res.resolve(&summer).unwrap(), iso("2024-07-15T17:00:00Z"));
    }

    #[test]
    fn impossible_days_are_errors_not_panics() {
        let r = parse(b"2023-02-29").unwrap().0;
        assert_eq!(
            Resolver::new(TimeZone::UTC, false).resolve(&r),
            Err(ResolveError::NoSuchDay)
        );
    }

    #[test]
    fn civil_days_round_trip() {
        for z in [-800_000, -1, 0, 1, 19_000, 60_000, 2_000_000] {
            let (y, m, d) = civil_from_days(z);
            assert_eq!(days_from_civil(y, m, d), z);
        }
    }

    #[test]
    fn format_names() {
        let (_, s) = parse(b"11/29/24 22:28").unwrap();
        assert_eq!(s.format(false), "%m/%d/%y %H:%M");
        let (_, s) = parse(b"2025-10-29T03:56:00.104Z").unwrap();
        assert_eq!(s.format(false), "%Y-%m-%dT%H:%M:%S%.fZ");
        let (_, s) = parse(b"08/09/2026 10:45:00 AM").unwrap();
        assert_eq!(s.format(true), "%d/%m/%Y %I:%M:%S %p");
    }
}
