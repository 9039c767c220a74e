//! A plotters drawing backend that paints with egui's `Painter`, so the chart functions that
//! write PNG and SVG also draw the screen, as vector shapes that stay sharp at any DPI.
//!
//! Backend coordinates are physical pixels (points × pixels-per-point): plotters works in
//! integers, and physical pixels keep its rounding below what the eye can see.

use egui::epaint::TextShape;
use egui::{Align2, Color32, FontId, Painter, Pos2, Rect, Shape, Stroke, StrokeKind, Vec2};
use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind,
    FontTransform,
};

/// Paints plotters drawings into a rectangle of an egui `Painter`.
pub struct EguiBackend<'a> {
    painter: &'a Painter,
    rect: Rect,
    pixels_per_point: f32,
}

impl<'a> EguiBackend<'a> {
    pub fn new(painter: &'a Painter, rect: Rect, pixels_per_point: f32) -> EguiBackend<'a> {
        EguiBackend {
            painter,
            rect,
            pixels_per_point: pixels_per_point.max(0.5),
        }
    }

    fn pos(&self, (x, y): BackendCoord) -> Pos2 {
        self.rect.min + Vec2::new(x as f32, y as f32) / self.pixels_per_point
    }

    /// Backend pixels → points.
    pub fn to_points(&self, px: f32) -> f32 {
        px / self.pixels_per_point
    }

    fn stroke<S: BackendStyle>(&self, style: &S) -> Stroke {
        Stroke::new(
            (style.stroke_width() as f32 / self.pixels_per_point).max(0.5),
            color(style.color()),
        )
    }

    fn font(&self, size: f64) -> FontId {
        // egui sizes a font by its line height, plotters (ab_glyph) by its em: match them so
        // text measured by plotters fits what egui draws.
        const EM_TO_EGUI: f32 = 0.86;
        FontId::proportional((size as f32 * EM_TO_EGUI / self.pixels_per_point).max(4.0))
    }
}

fn color(c: BackendColor) -> Color32 {
    let (r, g, b) = c.rgb;
    Color32::from_rgba_unmultiplied(r, g, b, (c.alpha.clamp(0.0, 1.0) * 255.0).round() as u8)
}

impl DrawingBackend for EguiBackend<'_> {
    type ErrorType = std::convert::Infallible;

    fn get_size(&self) -> (u32, u32) {
        let size = self.rect.size() * self.pixels_per_point;
        (size.x.max(1.0) as u32, size.y.max(1.0) as u32)
    }

    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        Ok(())
    }

    fn present(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        Ok(())
    }

    fn draw_pixel(
        &mut self,
        point: BackendCoord,
        c: BackendColor,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        let size = Vec2::splat(1.0 / self.pixels_per_point);
        self.painter
            .rect_filled(Rect::from_min_size(self.pos(point), size), 0.0, color(c));
        Ok(())
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.painter
            .line_segment([self.pos(from), self.pos(to)], self.stroke(style));
        Ok(())
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        let rect = Rect::from_two_pos(self.pos(upper_left), self.pos(bottom_right));
        if fill {
            self.painter.rect_filled(rect, 0.0, color(style.color()));
        } else {
            self.painter
                .rect_stroke(rect, 0.0, self.stroke(style), StrokeKind::Inside);
        }
        Ok(())
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        let points: Vec<Pos2> = path.into_iter().map(|p| self.pos(p)).collect();
        if points.len() >= 2 {
            self.painter.add(Shape::line(points, self.stroke(style)));
        }
        Ok(())
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        let r = radius as f32 / self.pixels_per_point;
        if fill {
            self.painter
                .circle_filled(self.pos(center), r, color(style.color()));
        } else {
            self.painter
                .circle_stroke(self.pos(center), r, self.stroke(style));
        }
        Ok(())
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        let points: Vec<Pos2> = vert.into_iter().map(|p| self.pos(p)).collect();
        if points.len() >= 3 {
            self.painter.add(Shape::convex_polygon(
                points,
                color(style.color()),
                Stroke::NONE,
            ));
        }
        Ok(())
    }

    fn draw_text<TStyle: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &TStyle,
        pos: BackendCoord,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        let text = crate::bidi::visual(text);
        let c = color(style.color());
        let galley = self
            .painter
            .layout_no_wrap(text, self.font(style.size()), c);
        let anchor = style.anchor();
        let align = Align2([
            match anchor.h_pos {
                HPos::Left => egui::Align::Min,
                HPos::Center => egui::Align::Center,
                HPos::Right => egui::Align::Max,
            },
            match anchor.v_pos {
                VPos::Top => egui::Align::Min,
                VPos::Center => egui::Align::Center,
                VPos::Bottom => egui::Align::Max,
            },
        ]);
        let angle = match style.transform() {
            FontTransform::None => 0.0,
            FontTransform::Rotate90 => std::f32::consts::FRAC_PI_2,
            FontTransform::Rotate180 => std::f32::consts::PI,
            FontTransform::Rotate270 => -std::f32::consts::FRAC_PI_2,
        };
        let at = self.pos(pos);
        // Place the text so its anchor point lands on `at`, then rotate around that point.
        let rect = align.anchor_size(at, galley.size());
        let shape = TextShape::new(rect.min, galley, c).with_angle_and_anchor(angle, align);
        self.painter.add(shape);
        Ok(())
    }

    fn estimate_text_size<TStyle: BackendTextStyle>(
        &self,
        text: &str,
        style: &TStyle,
    ) -> Result<(u32, u32), DrawingErrorKind<Self::ErrorType>> {
        let galley = self.painter.layout_no_wrap(
            crate::bidi::visual(text),
            self.font(style.size()),
            Color32::WHITE,
        );
        let size = galley.size() * self.pixels_per_point;
        let (w, h) = (size.x.ceil() as u32, size.y.ceil() as u32);
        Ok(match style.transform() {
            FontTransform::Rotate90 | FontTransform::Rotate270 => (h, w),
            _ => (w, h),
        })
    }
}
