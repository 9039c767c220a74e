//! Snapshot tests of the main screen in light and dark, rendered on the CPU (lavapipe).
//! Update the committed images with `UPDATE_SNAPSHOTS=1 cargo test --test snapshots`.

use egui_kittest::Harness;
use turnout::app::{Command, Session, StartOptions, TurnoutApp};
use turnout::demo::{Demo, DemoConfig};

fn main_screen(dark: bool) -> Harness<'static, TurnoutApp> {
    let mut h = Harness::builder()
        .with_size(egui::vec2(1440.0, 900.0))
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
