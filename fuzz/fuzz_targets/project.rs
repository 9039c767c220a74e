//! Project files: any text is a project with warnings or a clear error, never a panic, and
//! a project that opens holds only values in range.
#![no_main]

use libfuzzer_sys::fuzz_target;
use turnout::project::Project;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(opened) = Project::from_text(text) {
        assert!(opened.project.problems().is_empty());
        // What opens, saves and opens again the same.
        let again = ron::ser::to_string(&opened.project).unwrap();
        let back = Project::from_text(&again).unwrap();
        assert_eq!(back.project, opened.project);
    }
});
