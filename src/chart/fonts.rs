//! The bundled fonts, registered once with plotters so PNG and SVG exports render text the
//! same on every machine (no fontconfig needed).

use std::sync::Once;

/// Noto Sans (Latin, Greek, Cyrillic), subset; OFL 1.1.
pub const NOTO_SANS: &[u8] = include_bytes!("../../assets/fonts/NotoSans-Regular.ttf");
/// Noto Sans Hebrew; OFL 1.1.
pub const NOTO_SANS_HEBREW: &[u8] = include_bytes!("../../assets/fonts/NotoSansHebrew-Regular.ttf");
/// Noto Sans Arabic, subset; OFL 1.1.
pub const NOTO_SANS_ARABIC: &[u8] = include_bytes!("../../assets/fonts/NotoSansArabic-Regular.ttf");

static REGISTER: Once = Once::new();

/// Makes `sans-serif` (and `serif`, `monospace`) resolve to Noto Sans in plotters.
pub fn register_fonts() {
    REGISTER.call_once(|| {
        for family in ["sans-serif", "serif", "monospace"] {
            for style in [
                plotters::style::FontStyle::Normal,
                plotters::style::FontStyle::Bold,
                plotters::style::FontStyle::Italic,
            ] {
                // The bytes are a valid font bundled at build time.
                let _ = plotters::style::register_font(family, style, NOTO_SANS);
            }
        }
    });
}
