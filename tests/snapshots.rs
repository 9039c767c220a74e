//! Snapshot tests of the main screen in light and dark, rendered on the CPU (lavapipe).
//! Update the committed images with `UPDATE_SNAPSHOTS=1 cargo test --test snapshots`.

use egui_kittest::Harness;
use turnout::app::{Command, Session, StartOptions, TurnoutApp};
use turnout::demo::{Demo, DemoConfig};

fn main_screen(dark: bool) -> Harness<'static, TurnoutApp> {
    screen(egui::vec2(1440.0, 900.0), dark)
}

fn screen(size: egui::Vec2, dark: bool) -> Harness<'static, TurnoutApp> {
    let mut h = Harness::builder()
        .with_size(size)
        .with_max_steps(64)
        .wgpu()
        .build_eframe(|cc| {
            let demo = Demo::generate(&DemoConfig {
                rows: 20_000,
                seed: 7,
                ..DemoConfig::default()
            });
            TurnoutApp::new(cc, Some(Session::from_demo(demo)), StartOptions::default())
        });
    h.state().sender().send(Command::SetDarkMode(dark));
    h.run_steps(4);
    h
}

#[test]
fn main_screen_light() {
    main_screen(false).snapshot("main_light");
}

#[test]
fn main_screen_dark() {
    main_screen(true).snapshot("main_dark");
}

/// A 1366×768 laptop with a detail panel open: the chart keeps its height, the panel's table
/// scrolls inside it.
#[test]
fn laptop_light_with_the_events_panel() {
    let mut h = screen(egui::vec2(1366.0, 768.0), false);
    h.state_mut().view.show_events = true;
    h.run_steps(4);
    h.snapshot("laptop_light_events");
}

#[test]
fn laptop_dark_with_the_flagged_panel() {
    let mut h = screen(egui::vec2(1366.0, 768.0), true);
    h.state_mut().view.show_flags = true;
    h.run_steps(4);
    h.snapshot("laptop_dark_flagged");
}
