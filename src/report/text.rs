//! Small text helpers every report and export uses: numbers with separators, a capital
//! first letter, cells safe in Excel, text safe on a terminal.

/// A CSV cell that Excel will not run as a formula: cells starting with `=`, `+`, `-`, `@`,
/// a tab or a carriage return get a leading apostrophe; quoting as needed.
pub fn excel_safe_cell(value: &str) -> String {
    let guarded = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_string()
    };
    if guarded.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", guarded.replace('"', "\"\""))
    } else {
        guarded
    }
}

/// Text safe to print on a terminal: control characters (which can move the cursor, clear
/// the screen or retitle the window, `ESC]0;…`) and bidirectional overrides (which reorder
/// what follows) are shown as escapes instead of being obeyed. Newlines and tabs stay.
pub fn terminal_safe(text: &str) -> std::borrow::Cow<'_, str> {
    let unsafe_char = |c: char| {
        (c.is_control() && c != '\n' && c != '\t')
            || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
    };
    if !text.chars().any(unsafe_char) {
        return text.into();
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if unsafe_char(c) {
            if (c as u32) < 0x100 {
                out.push_str(&format!("\\x{:02X}", c as u32));
            } else {
                out.push_str(&format!("\\u{{{:04X}}}", c as u32));
            }
        } else {
            out.push(c);
        }
    }
    out.into()
}

/// "Seats" from "seats": a word or sentence with its first letter capitalised.
pub fn capital(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map_or(String::new(), |f| f.to_uppercase().chain(c).collect())
}

/// `1234567` → `1,234,567`.
pub fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_are_safe_in_excel() {
        assert_eq!(excel_safe_cell("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(excel_safe_cell("-5"), "'-5");
        assert_eq!(excel_safe_cell("a,b"), "\"a,b\"");
        assert_eq!(excel_safe_cell("plain"), "plain");
    }

    #[test]
    fn thousands_separators() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(1_000_000), "1,000,000");
    }
}
