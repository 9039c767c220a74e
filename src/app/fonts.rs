//! Bundled fonts for every script registrant names come in: Noto Sans first (Latin, Greek,
//! Cyrillic), then Hebrew and Arabic, then egui's defaults (emoji).

use std::sync::Arc;

use egui::{FontData, FontDefinitions, FontFamily};

use crate::chart::fonts::{NOTO_SANS, NOTO_SANS_ARABIC, NOTO_SANS_HEBREW};

pub fn install(ctx: &egui::Context) {
    let mut fonts = FontDefinitions::default();
    for (name, bytes) in [
        ("noto-sans", NOTO_SANS),
        ("noto-sans-hebrew", NOTO_SANS_HEBREW),
        ("noto-sans-arabic", NOTO_SANS_ARABIC),
    ] {
        fonts
            .font_data
            .insert(name.to_owned(), Arc::new(FontData::from_static(bytes)));
    }
    if let Some(family) = fonts.families.get_mut(&FontFamily::Proportional) {
        family.insert(0, "noto-sans".to_owned());
        family.insert(1, "noto-sans-hebrew".to_owned());
        family.insert(2, "noto-sans-arabic".to_owned());
    }
    if let Some(family) = fonts.families.get_mut(&FontFamily::Monospace) {
        family.push("noto-sans".to_owned());
        family.push("noto-sans-hebrew".to_owned());
        family.push("noto-sans-arabic".to_owned());
    }
    ctx.set_fonts(fonts);
}
