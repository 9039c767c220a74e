//! Right-to-left text for renderers that lay glyphs out left to right (egui, plotters):
//! Arabic letters are joined into their contextual forms and each line is put into visual
//! order with the Unicode bidirectional algorithm.

use unicode_bidi::BidiInfo;

/// True when the text has any right-to-left character (Hebrew, Arabic, …).
pub fn has_rtl(text: &str) -> bool {
    text.chars().any(|c| {
        matches!(c as u32,
            0x0590..=0x08FF | 0xFB1D..=0xFDFF | 0xFE70..=0xFEFF | 0x10800..=0x10FFF)
    })
}

/// The text in the order a left-to-right renderer must draw it. Text without right-to-left
/// characters comes back unchanged (and without allocating much).
pub fn visual(text: &str) -> String {
    if !has_rtl(text) {
        return text.to_string();
    }
    let shaped = if text
        .chars()
        .any(|c| matches!(c as u32, 0x0600..=0x06FF | 0x0750..=0x077F))
    {
        ar_reshaper::reshape_line(text)
    } else {
        text.to_string()
    };
    let info = BidiInfo::new(&shaped, None);
    let mut out = String::with_capacity(shaped.len());
    for (i, para) in info.paragraphs.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let line = para.range.clone();
        out.push_str(&info.reorder_line(para, line));
    }
    // Paragraph separators stay where the source had them.
    out.trim_end_matches('\n').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin_is_untouched() {
        assert_eq!(visual("Jörg Müller"), "Jörg Müller");
        assert!(!has_rtl("Мария Петрова"));
    }

    #[test]
    fn hebrew_is_reversed_for_display() {
        // "אביגיל כהן" read right to left: the renderer must draw the last letter first.
        let v = visual("אביגיל כהן");
        assert_eq!(v.chars().next(), Some('ן'));
        assert_eq!(v.chars().last(), Some('א'));
    }

    #[test]
    fn arabic_is_shaped_and_reordered() {
        let v = visual("محمد حداد");
        assert!(has_rtl(&v));
        // Shaped into presentation forms (U+FB50–U+FEFF).
        assert!(
            v.chars().any(|c| (0xFB50..=0xFEFF).contains(&(c as u32))),
            "{v:?}"
        );
    }

    #[test]
    fn mixed_text_keeps_latin_runs_readable() {
        // The Unicode algorithm keeps a number after Hebrew with the Hebrew run, drawn
        // before it; the Latin run stays first and readable.
        assert_eq!(visual("Guest: כהן 42"), "Guest: 42 ןהכ");
    }
}
