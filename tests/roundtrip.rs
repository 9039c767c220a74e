//! Property tests: what a CSV writer writes, the importer reads back exactly; and no input,
//! however odd, makes it panic.

use jiff::tz::TimeZone;
use proptest::prelude::*;
use turnout::import::{ImportOptions, Role, Status, import_file, timestamp};

#[derive(Clone, Debug)]
struct Row {
    name: String,
    email: String,
    at: i64,
    quantity: u32,
    status: (&'static str, Status),
}

fn quote(field: &str, delimiter: char) -> String {
    if field.contains(delimiter)
        || field.contains('"')
        || field.contains('\n')
        || field.contains('\r')
    {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_string()
    }
}

fn iso(secs: i64) -> String {
    jiff::Timestamp::from_second(secs)
        .unwrap()
        .strftime("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

fn name() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            Just('a'),
            Just('Z'),
            Just('é'),
            Just('ש'),
            Just('م'),
            Just('Ж'),
            Just('🎉'),
            Just(','),
            Just(';'),
            Just('"'),
            Just('\''),
            Just(' '),
            Just('\n'),
            Just('\t'),
            Just('|'),
            Just('='),
            Just('0'),
        ],
        0..24,
    )
    .prop_map(|chars| chars.into_iter().collect::<String>().trim().to_string())
}

fn row() -> impl Strategy<Value = Row> {
    (
        name(),
        "[a-z]{1,8}(\\+[a-z0-9]{1,4})?@[a-z]{2,8}\\.(org|com|de)",
        946_684_800i64..2_051_222_400,
        1u32..10,
        prop_oneof![
            Just(("Attending", Status::Confirmed)),
            Just(("Not Attending", Status::Cancelled)),
            Just(("pending_approval", Status::AwaitingApproval)),
            Just(("awaiting payment", Status::Pending)),
            Just(("waitlist", Status::Waitlist)),
            Just(("Checked In", Status::CheckedIn)),
        ],
    )
        .prop_map(|(name, email, at, quantity, status)| Row {
            name,
            email,
            at,
            quantity,
            status,
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn written_csv_reads_back_exactly(
        rows in proptest::collection::vec(row(), 1..40),
        delimiter in prop_oneof![Just(','), Just(';'), Just('\t')],
        crlf in any::<bool>(),
    ) {
        let eol = if crlf { "\r\n" } else { "\n" };
        let d = delimiter.to_string();
        let mut text = ["Registration Time", "Name", "Email", "Quantity", "Status"].join(&d);
        text.push_str(eol);
        for r in &rows {
            let fields = [iso(r.at), quote(&r.name, delimiter), r.email.clone(), r.quantity.to_string(), r.status.0.to_string()];
            text.push_str(&fields.join(&d));
            text.push_str(eol);
        }
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("rt.csv");
        std::fs::write(&path, &text).unwrap();
        let opts = ImportOptions { time_zone: Some(TimeZone::UTC), ..ImportOptions::default() };
        let f = import_file(&path, &opts).unwrap();
        prop_assert_eq!(f.report.rejected_count, 0);
        prop_assert_eq!(f.rows.len(), rows.len());
        let names = f.rows.text(Role::Name).unwrap();
        let emails = f.rows.text(Role::Email).unwrap();
        for (i, r) in rows.iter().enumerate() {
            prop_assert_eq!(f.rows.registered_at[i], r.at);
            prop_assert_eq!(names.get(i), r.name.as_str());
            prop_assert_eq!(emails.get(i), r.email.as_str());
            prop_assert_eq!(f.rows.quantity[i], r.quantity);
            prop_assert_eq!(f.rows.status[i], r.status.1);
        }
    }

    #[test]
    fn timestamp_parser_never_panics(s in "\\PC{0,40}") {
        if let Some((raw, shape)) = timestamp::parse(s.as_bytes()) {
            let _ = shape.format(false);
            let _ = timestamp::Resolver::new(TimeZone::UTC, raw.ambiguous).resolve(&raw);
        }
    }

    #[test]
    fn importer_never_panics_on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("any.csv");
        std::fs::write(&path, &bytes).unwrap();
        let _ = import_file(&path, &ImportOptions { time_zone: Some(TimeZone::UTC), ..ImportOptions::default() });
    }

    #[test]
    fn importer_never_panics_on_csv_shaped_noise(
        lines in proptest::collection::vec("[0-9a-zA-Z/:.,;\"\\- @]{0,30}", 0..20)
    ) {
        let mut text = String::from("Registration Time,Email,Quantity,Status\n");
        text.push_str(&lines.join("\n"));
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("noise.csv");
        std::fs::write(&path, &text).unwrap();
        if let Ok(f) = import_file(&path, &ImportOptions { time_zone: Some(TimeZone::UTC), ..ImportOptions::default() }) {
            prop_assert_eq!(f.report.rows_read, f.rows.len() as u64 + f.report.rejected_count);
        }
    }
}
