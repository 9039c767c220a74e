//! Command-line interface: `turnout report`, `turnout demo`, and (later) the dashboard.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use jiff::tz::TimeZone;

use turnout::analysis::Aggregates;
use turnout::analysis::flags::{
    FlagSettings, FlagSummary, RowFlags, burst_windows, masks, score_tables,
};
use turnout::analysis::forecast::{Assumptions, FlaggedMode, Model, Outlook, backtest};
use turnout::analysis::segments::{edition_start, table_traits};
use turnout::dataset::{Dataset, Edition};
use turnout::demo::{self, DemoConfig, Layout};
use turnout::import::{self, ImportError, ImportOptions, Role, TimeFormat};
use turnout::report::{
    ForecastSection, HoldsSection as ForecastHolds, Report, ReportOptions, terminal_safe,
};
use turnout::timefmt::parse_instant;

#[derive(Parser, Debug)]
#[command(
    name = "turnout",
    version,
    about = "Registration exports in, honest turnout forecasts out.",
    long_about = "Turnout reads registration exports (Eventbrite, pretix, Luma, Zoom, Google \
                  Forms, Hi.Events, spreadsheets), tells real registrants from coordinated \
                  ones and forecasts who will actually come. Nothing leaves this machine."
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// Export files to open (the dashboard opens the embedded demo when none is given).
    files: Vec<PathBuf>,
    /// Print the distribution of frame times (logic + ui, chart included) on exit.
    #[arg(long)]
    profile_frames: bool,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Summarize exports: rows read, registrations, signups per day, rejected rows.
    Report(Box<ReportArgs>),
    /// Write the embedded demo's exports as real files in a platform's layout.
    Demo(DemoArgs),
    /// Forecast every past event of a series (or every past edition) as of chosen days before
    /// its start, from earlier events only, and score it against who came, beside three
    /// spreadsheet baselines.
    Backtest(Box<BacktestArgs>),
}

#[derive(Args, Debug, Clone, Default)]
struct ReadArgs {
    /// Time zone for times written without one (IANA name, e.g. America/Chicago); default:
    /// this machine's zone.
    #[arg(long, value_name = "ZONE")]
    tz: Option<String>,
    /// Use HEADER for ROLE instead of what was detected (repeatable). An empty HEADER unmaps
    /// the role. Roles: registered_at, registered_time, registrant_id, order_id, quantity,
    /// guests, ticket_type, price, status, checked_in, email, first_name, last_name, name,
    /// phone, postal_code, city, region, country, source, ip, user_agent, hold_expires_at.
    #[arg(long = "map", value_name = "ROLE=HEADER")]
    map: Vec<String>,
    /// How dates are written: `dmy` or `mdy` for ambiguous numeric dates, or a strftime
    /// pattern such as `%d/%m/%Y %H:%M`.
    #[arg(long, value_name = "FORMAT")]
    date_format: Option<String>,
    /// Spreadsheet sheet to read (default: the one that looks like registrations).
    #[arg(long)]
    sheet: Option<String>,
    /// Field delimiter: `,` `;` `tab` `|` (default: detected).
    #[arg(long)]
    delimiter: Option<String>,
    /// Text encoding, e.g. `utf-8`, `windows-1252`, `utf-16le` (default: detected).
    #[arg(long)]
    encoding: Option<String>,
    /// A column that splits each day of a series into several events (location, room,
    /// neighbourhood, restaurant).
    #[arg(long, value_name = "COLUMN")]
    by: Option<String>,
    /// What yes in the attendance column means: `came` (Attended, Checked In) or `absent`
    /// (No-show); default: decided from its header.
    #[arg(long, value_name = "came|absent")]
    attendance_means: Option<String>,
    /// In a booking log that records cancellations and nothing about who came: whether a
    /// booking kept to a start the file shows is past `came` (a stay) or is `unknown`;
    /// default: came for a lodging's log (arrivals, days booked ahead), unknown otherwise.
    #[arg(long, value_name = "came|unknown")]
    kept_bookings: Option<String>,
    /// What the files list: `registrations`, `attendance` (a check-in list or meeting
    /// participants), `holds` (a hold or cart log) or `quota`; default: detected per file.
    #[arg(long, value_name = "KIND")]
    kind: Option<String>,
}

#[derive(Args, Debug, Clone, Default)]
struct SeriesArgs {
    /// A past edition's export, optionally with its start: FILE@2025-10-04T19:00 (repeatable).
    #[arg(long = "history", value_name = "FILE[@EVENT_START]")]
    history: Vec<String>,
    /// People counted at past events: a CSV/TSV or workbook (XLSX, XLS, ODS) with columns date
    /// (or date and time), optional group, count. A counted day (and group) of a series with
    /// no registration becomes an event of its own (a night nobody reserved for).
    #[arg(long, value_name = "FILE")]
    headcounts: Option<PathBuf>,
    /// The headcount of one past edition given with --history: FILE=N (repeatable).
    #[arg(long = "headcount", value_name = "FILE=N")]
    headcount: Vec<String>,
}

#[derive(Args, Debug)]
struct BacktestArgs {
    /// Exports holding a series of events (or the event being planned, with --history).
    files: Vec<PathBuf>,
    #[command(flatten)]
    series: SeriesArgs,
    #[command(flatten)]
    read: ReadArgs,
    /// Days before each start to forecast from, e.g. 7d (repeatable; default 7d and 1d).
    #[arg(long = "horizon", value_name = "DAYS")]
    horizons: Vec<String>,
    /// Events with fewer final registrations (or people counted) are forecast but not scored.
    #[arg(long, default_value_t = turnout::analysis::forecast::backtest::MIN_REGISTRATIONS)]
    min_size: u64,
    /// Skip looking for fake registrations (every registration counts as genuine).
    #[arg(long)]
    no_flags: bool,
    /// Prior show-up of free registrations before past check-ins are seen.
    #[arg(long, default_value_t = turnout::analysis::forecast::FREE_SHOW_UP)]
    prior_free: f64,
    /// Prior show-up of paid registrations.
    #[arg(long, default_value_t = turnout::analysis::forecast::PAID_SHOW_UP)]
    prior_paid: f64,
    /// Print one JSON object instead of the tables.
    #[arg(long)]
    json: bool,
}

#[derive(Args, Debug)]
struct ReportArgs {
    /// Exports of the event being planned; none means the embedded demo.
    files: Vec<PathBuf>,
    /// Places at the venue.
    #[arg(long)]
    capacity: Option<u64>,
    /// When the event starts (e.g. 2026-06-20T19:00); times without a zone are in --tz.
    #[arg(long, value_name = "TIME")]
    event_start: Option<String>,
    /// Count only what was registered up to this time (replay what was known then).
    #[arg(long, value_name = "TIME")]
    as_of: Option<String>,
    #[command(flatten)]
    series: SeriesArgs,
    /// The event of a series to focus on: its date, optionally followed by the group
    /// ("2016-05-09" or "2016-05-09 JARDIM DA PENHA"); default: the next one.
    #[arg(long, value_name = "DATE [GROUP]")]
    event: Option<String>,
    /// How many upcoming events of a series to list and forecast, earliest first (a chain of
    /// stores has thousands of nights to come)
    #[arg(long, value_name = "N", default_value_t = turnout::analysis::forecast::events::MAX_UPCOMING)]
    upcoming: usize,
    #[command(flatten)]
    read: ReadArgs,
    /// Print one JSON object instead of the summary.
    #[arg(long)]
    json: bool,
    /// Write the rows flagged as likely fake or coordinated to this CSV, with all their
    /// original columns plus `score` and `reasons` (safe to open in Excel).
    #[arg(long, value_name = "PATH")]
    flagged_out: Option<PathBuf>,
    /// The venue's region (state, province) or country for the distance signal; default: the
    /// most common one among unremarkable registrations.
    #[arg(long, value_name = "REGION")]
    venue_region: Option<String>,
    /// A domain never to treat as disposable (repeatable).
    #[arg(long = "allow-domain", value_name = "DOMAIN")]
    allow_domains: Vec<String>,
    /// Skip looking for fake and coordinated registrations (no `flagged` section).
    #[arg(long)]
    no_flags: bool,
    /// Score (0–1) from which a row is flagged.
    #[arg(long, default_value_t = 0.5)]
    threshold: f32,
    /// Places in an overflow area (0 = none).
    #[arg(long, default_value_t = 0)]
    overflow: u64,
    /// People expected without registering.
    #[arg(long, default_value_t = 0)]
    walk_ins: u64,
    /// Prior show-up of free registrations before past check-ins are seen (PheedLoop median).
    #[arg(long, default_value_t = turnout::analysis::forecast::FREE_SHOW_UP)]
    prior_free: f64,
    /// Prior show-up of paid registrations.
    #[arg(long, default_value_t = turnout::analysis::forecast::PAID_SHOW_UP)]
    prior_paid: f64,
    /// Count flagged registrations at this show-up rate instead of leaving them out.
    #[arg(long, value_name = "RATE")]
    flagged_rate: Option<f64>,
    /// Show-up of those admitted from approval or the waiting list (0–1); default: registrants
    /// of the same kind at their calibrated rates.
    #[arg(long, value_name = "RATE")]
    waiting_show_up: Option<f64>,
    /// What an empty seat costs, for the advice (any unit).
    #[arg(long, default_value_t = 1.0)]
    cost_empty_seat: f64,
    /// What turning a guest away costs, in the same unit.
    #[arg(long, default_value_t = 3.0)]
    cost_turned_away: f64,
    /// A cart or reservation log, an order export with reservation states, or pretix quota
    /// availability snapshots, for the held-inventory analysis (repeatable).
    #[arg(long = "holds", value_name = "FILE")]
    holds: Vec<PathBuf>,
    /// How long a hold lasts when the export does not say, in minutes.
    #[arg(long, default_value_t = 30)]
    hold_minutes: u32,
    /// Replay the sale with holds of this many minutes.
    #[arg(long, default_value_t = 10)]
    what_if_hold: u32,
    /// Replay the sale with at most this many units held per person (0 = no limit).
    #[arg(long, default_value_t = 4)]
    hold_limit: u32,
    /// Stock of an item, ITEM=N (repeatable; default: the most ever sold plus held at once).
    #[arg(long = "stock", value_name = "ITEM=N")]
    stock: Vec<String>,
    /// Also draw the main chart into this file (`.png` or `.svg`).
    #[arg(long, value_name = "PATH")]
    chart: Option<PathBuf>,
    /// Chart size in pixels, WIDTHxHEIGHT.
    #[arg(long, default_value = "1200x700", value_name = "WxH")]
    chart_size: String,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
enum LayoutArg {
    Eventbrite,
    EventbriteIso,
    EventbriteDe,
    Pretix,
    PretixDe,
    Luma,
    Zoom,
    GoogleForms,
    HiEvents,
}

impl From<LayoutArg> for Layout {
    fn from(l: LayoutArg) -> Layout {
        match l {
            LayoutArg::Eventbrite => Layout::Eventbrite,
            LayoutArg::EventbriteIso => Layout::EventbriteIso,
            LayoutArg::EventbriteDe => Layout::EventbriteDe,
            LayoutArg::Pretix => Layout::Pretix,
            LayoutArg::PretixDe => Layout::PretixDe,
            LayoutArg::Luma => Layout::Luma,
            LayoutArg::Zoom => Layout::Zoom,
            LayoutArg::GoogleForms => Layout::GoogleForms,
            LayoutArg::HiEvents => Layout::HiEvents,
        }
    }
}

#[derive(Args, Debug)]
struct DemoArgs {
    /// Folder to write into (created if missing).
    #[arg(long)]
    out: PathBuf,
    /// Registrations for the rally.
    #[arg(long, default_value_t = 1_000_000)]
    rows: usize,
    /// Seed; the same seed always gives the same files.
    #[arg(long, default_value_t = demo::DEFAULT_SEED)]
    seed: u64,
    /// Platform layout of the written exports.
    #[arg(long, value_enum, default_value = "eventbrite")]
    format: LayoutArg,
}

pub fn run() -> ExitCode {
    let launched = std::time::Instant::now();
    let cli = Cli::parse();
    let result = match cli.command {
        Some(Command::Report(args)) => report(*args),
        Some(Command::Demo(args)) => demo_files(args),
        Some(Command::Backtest(args)) => backtest_command(*args),
        None => dashboard(&cli.files, cli.profile_frames, launched),
    };
    match result {
        Ok(code) => code,
        Err(message) => {
            eprintln!("turnout: {}", terminal_safe(&message));
            ExitCode::from(2)
        }
    }
}

fn dashboard(
    files: &[PathBuf],
    profile_frames: bool,
    launched: std::time::Instant,
) -> Result<ExitCode, String> {
    turnout::app::run(turnout::app::StartOptions {
        files: files.to_vec(),
        profile_frames,
        demo: DemoConfig::default(),
        launched: Some(launched),
    })
    .map_err(|e| format!("could not open the window: {e}"))?;
    Ok(ExitCode::SUCCESS)
}

fn zone(name: Option<&str>) -> Result<TimeZone, String> {
    match name {
        None => Ok(TimeZone::system()),
        Some(n) => TimeZone::get(n).map_err(|e| format!("--tz {n}: {e}")),
    }
}

fn import_options(read: &ReadArgs, tz: &TimeZone) -> Result<ImportOptions, String> {
    let mut overrides = Vec::new();
    for m in &read.map {
        let (role, header) = m
            .split_once('=')
            .ok_or_else(|| format!("--map {m}: expected ROLE=HEADER"))?;
        let role = Role::from_name(role).ok_or_else(|| {
            let names: Vec<&str> = Role::ALL.iter().map(|r| r.name()).collect();
            format!(
                "--map {m}: unknown role '{role}' (roles: {})",
                names.join(", ")
            )
        })?;
        overrides.push((role, header.to_string()));
    }
    let time_format = match read.date_format.as_deref().map(str::trim) {
        None | Some("") | Some("auto") => TimeFormat::Auto,
        Some("dmy") => TimeFormat::Order { day_first: true },
        Some("mdy") => TimeFormat::Order { day_first: false },
        Some(f) if f.contains('%') => TimeFormat::Strftime(f.to_string()),
        Some(f) => {
            return Err(format!(
                "--date-format {f}: expected dmy, mdy or a strftime pattern like %d.%m.%Y %H:%M"
            ));
        }
    };
    let delimiter = match read.delimiter.as_deref() {
        None => None,
        Some("tab" | "\\t" | "\t") => Some(b'\t'),
        Some(d) if d.len() == 1 => Some(d.as_bytes()[0]),
        Some(d) => return Err(format!("--delimiter {d}: expected one character or 'tab'")),
    };
    let encoding = match read.encoding.as_deref() {
        None => None,
        Some(e) => Some(
            encoding_rs::Encoding::for_label(e.as_bytes())
                .ok_or_else(|| format!("--encoding {e}: unknown encoding"))?,
        ),
    };
    Ok(ImportOptions {
        time_zone: Some(tz.clone()),
        overrides,
        time_format,
        sheet: read.sheet.clone(),
        delimiter,
        encoding,
        progress: None,
        group_by: read.by.clone(),
        checkin_negated: match read.attendance_means.as_deref() {
            None => None,
            Some("came") => Some(false),
            Some("absent") => Some(true),
            Some(other) => {
                return Err(format!(
                    "--attendance-means {other}: expected came or absent"
                ));
            }
        },
        kept_came: match read.kept_bookings.as_deref() {
            None => None,
            Some("came") => Some(true),
            Some("unknown") => Some(false),
            Some(other) => {
                return Err(format!("--kept-bookings {other}: expected came or unknown"));
            }
        },
        kind: match read.kind.as_deref() {
            None => None,
            Some(k) => Some(turnout::import::FileContent::from_name(k).ok_or_else(|| {
                format!("--kind {k}: expected registrations, attendance, holds or quota")
            })?),
        },
    })
}

/// `FILE@START` when what follows the last `@` reads as a time; otherwise all of it is a path.
fn split_history(arg: &str, tz: &TimeZone) -> (PathBuf, Option<i64>) {
    if let Some((path, start)) = arg.rsplit_once('@')
        && let Ok(t) = parse_instant(start, tz)
    {
        return (PathBuf::from(path), Some(t));
    }
    (PathBuf::from(arg), None)
}

fn report(args: ReportArgs) -> Result<ExitCode, String> {
    let tz = zone(args.read.tz.as_deref())?;
    let opts = import_options(&args.read, &tz)?;
    let mut errors: Vec<ImportError> = Vec::new();
    let mut overflow = args.overflow;
    let mut demo_holds = None;
    let mut routed = turnout::analysis::attendance::Routed::default();
    let mut profile = Profile::from_env();
    let (dataset, mut ropts) = if args.files.is_empty() {
        let demo = demo::Demo::generate(&DemoConfig::default());
        demo_holds = Some(demo.merch.table.clone());
        if overflow == 0 {
            overflow = demo.venue.overflow_capacity;
        }
        let ropts = ReportOptions {
            capacity: Some(demo.venue.capacity),
            event_start: Some(demo.venue.event_start),
            as_of: None,
            time_zone: demo.venue.time_zone(),
        };
        (demo.dataset, ropts)
    } else {
        if let Some(p) = args
            .files
            .iter()
            .find(|p| turnout::project::is_project_path(p))
        {
            return Err(format!(
                "{}: this is a Turnout project, not an export; open it in the dashboard with \
                 `turnout {}`",
                p.display(),
                p.display()
            ));
        }
        let (mut dataset, mut load_errors) = load_inputs(&args.files, &args.series, &opts, &tz);
        profile.phase("read the files");
        errors.append(&mut load_errors);
        routed = turnout::analysis::attendance::route(&mut dataset);
        let ropts = ReportOptions {
            capacity: None,
            event_start: None,
            as_of: None,
            time_zone: tz.clone(),
        };
        (dataset, ropts)
    };
    if args.capacity.is_some() {
        ropts.capacity = args.capacity;
    }
    if let Some(t) = &args.event_start {
        ropts.event_start =
            Some(parse_instant(t, &ropts.time_zone).map_err(|e| format!("--event-start: {e}"))?);
    }
    if let Some(t) = &args.as_of {
        ropts.as_of =
            Some(parse_instant(t, &ropts.time_zone).map_err(|e| format!("--as-of: {e}"))?);
    }
    for e in &errors {
        eprintln!("turnout: {}", terminal_safe(&e.to_string()));
    }
    let holds_only = !routed.holds.is_empty() || !routed.quota.is_empty();
    if dataset.current().next().is_none() && !holds_only {
        return Err("no file could be loaded".to_string());
    }
    for (_, t) in dataset.history() {
        if edition_start(t).is_none() {
            eprintln!(
                "turnout: {}: the event start is unknown (no check-in or event times); give it as \
                 --history FILE@START. Its check-ins still calibrate show-up; its signup curve is \
                 not used.",
                t.report.path.display()
            );
        }
    }
    // Outputs never overwrite an input, also through links.
    let inputs: Vec<PathBuf> = args
        .files
        .iter()
        .cloned()
        .chain(args.series.history.iter().map(|h| split_history(h, &tz).0))
        .chain(args.holds.iter().cloned())
        .collect();
    let input_refs: Vec<&Path> = inputs.iter().map(PathBuf::as_path).collect();
    for out in [&args.flagged_out, &args.chart].into_iter().flatten() {
        turnout::fsutil::check_output(out, &input_refs)?;
    }
    // The event in focus (the one being planned, or the next of a series) and its start.
    let scope = make_scope(
        &dataset,
        &ropts.time_zone,
        &args.series,
        args.read.by.as_deref(),
        args.event.as_deref(),
        ropts.as_of,
        true,
    )?;
    // The start typed (`--event-start`), if any; otherwise the forecast takes the event's own
    // (for an event of dates only, its whole day: bookings still count during it).
    let typed_start = ropts.event_start;
    let all_day = typed_start.is_none() && scope.focus_event().is_some_and(|e| e.date_only);
    if ropts.event_start.is_none() {
        ropts.event_start = scope.focus_event().and_then(|e| e.start);
    }
    let mut report = Report::build(&dataset, &ropts);
    report.event_all_day = all_day;
    report
        .files
        .extend(routed.files.iter().map(turnout::report::FileReport::routed));
    profile.phase("summary");
    let flag_settings = FlagSettings {
        threshold: args.threshold,
        venue_region: args.venue_region.clone().unwrap_or_default(),
        allow_domains: args.allow_domains.clone(),
    };
    let scored = if args.no_flags {
        vec![None; dataset.tables.len()]
    } else {
        score_tables(&dataset, &flag_settings)
    };
    profile.phase("fake-registration scores");
    let flag_masks = masks(&scored, flag_settings.threshold, &Default::default());
    report.flagged =
        FlagSummary::over_tables(&dataset, &scored, &flag_masks, flag_settings.threshold);
    let traits = table_traits(&dataset, &flag_settings.venue_region);
    profile.phase("home regions and returning registrants");
    let agg = Aggregates::build_with(&dataset, &flag_masks, &traits, &scope);
    profile.phase("aggregates");
    let assumptions = Assumptions {
        capacity: ropts.capacity.unwrap_or(0),
        overflow_capacity: overflow,
        event_start: typed_start,
        as_of: ropts.as_of,
        walk_ins: args.walk_ins,
        flagged: match args.flagged_rate {
            Some(rate) => FlaggedMode::AtRate { rate },
            None => FlaggedMode::Excluded,
        },
        prior_free: args.prior_free.clamp(0.0, 1.0),
        prior_paid: args.prior_paid.clamp(0.0, 1.0),
        cost_empty_seat: args.cost_empty_seat.max(0.0),
        cost_turned_away: args.cost_turned_away.max(0.0),
        waiting_show_up: args.waiting_show_up.map(|r| r.clamp(0.0, 1.0)),
        ..Assumptions::default()
    };
    let model = Model::prepare(&agg, &assumptions);
    let outlook = model.outlook(&agg, &assumptions);
    let bt = backtest(&agg, &assumptions);
    profile.phase("forecast and backtest");
    if agg.series.per_row {
        let list = turnout::analysis::forecast::events::event_list(
            &agg,
            &model,
            outlook.as_of,
            bt.as_ref(),
            args.upcoming,
        );
        report.events = turnout::report::EventReport::from_outlooks(&list.events);
        report.events_upcoming = Some(list.upcoming);
        report.focus = scope.focus_event().map(|e| e.label.clone());
    }
    report.headcounts = args
        .series
        .headcounts
        .is_some()
        .then_some(scope.headcounts.placed);
    if dataset.current().next().is_some() {
        report.forecast = Some(ForecastSection::new(&outlook, &assumptions, bt));
    }
    report.holds = holds_section(&args, demo_holds, routed, &opts, &tz)?;
    report.finish();
    report
        .headline
        .extend(turnout::report::crumbs_headline(&agg.series, &dataset));
    profile.phase("holds");
    if let Some(path) = &args.flagged_out {
        write_flagged(&dataset, &scored, &flag_masks, path)?;
    }
    if let Some(path) = &args.chart {
        write_chart(
            &dataset,
            &scored,
            (&agg, &assumptions, &outlook),
            &ropts,
            path,
            &args.chart_size,
        )?;
    }
    if args.json {
        let mut value = serde_json::to_value(&report).map_err(|e| e.to_string())?;
        value["errors"] = errors.iter().map(|e| e.to_string()).collect();
        println!(
            "{}",
            serde_json::to_string_pretty(&value).map_err(|e| e.to_string())?
        );
    } else {
        print!("{}", terminal_safe(&report.to_text()));
    }
    // Files that loaded but whose every row was rejected (every date unreadable) give nothing
    // to count: the report above says why, and the exit code says nothing could be used.
    let usable = dataset.current().any(|(_, t)| !t.rows.is_empty()) || holds_only;
    Ok(if !usable {
        ExitCode::from(2)
    } else if errors.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// The held-inventory section: from `--holds` files, else the demo's merch store.
fn holds_section(
    args: &ReportArgs,
    demo: Option<turnout::dataset::Table>,
    routed: turnout::analysis::attendance::Routed,
    opts: &ImportOptions,
    tz: &TimeZone,
) -> Result<Option<ForecastHolds>, String> {
    use turnout::analysis::holds::{HoldSettings, HoldSource, HoldsView};
    let mut settings = HoldSettings {
        default_hold_minutes: args.hold_minutes.max(1),
        what_if_hold_minutes: args.what_if_hold.max(1),
        what_if_limit: args.hold_limit,
        ..HoldSettings::default()
    };
    for s in &args.stock {
        let (item, n) = s
            .rsplit_once('=')
            .and_then(|(i, n)| Some((i.trim().to_string(), n.trim().parse().ok()?)))
            .ok_or_else(|| format!("--stock {s}: expected ITEM=NUMBER"))?;
        settings.stock.insert(item, n);
    }
    let given_holds =
        !args.holds.is_empty() || !routed.holds.is_empty() || !routed.quota.is_empty();
    let source = match demo {
        Some(t) if !given_holds => HoldSource::from_table(t),
        _ => {
            // Hold logs and quota snapshots given with --holds, or found among the files.
            let paths: Vec<PathBuf> = args.holds.iter().chain(&routed.quota).cloned().collect();
            let mut s = HoldSource::load(&paths, opts, tz)?;
            s.paths
                .extend(routed.holds.iter().map(|t| t.report.path.clone()));
            s.tables.extend(routed.holds);
            s
        }
    };
    Ok(HoldsView::build(source, &settings)
        .map(|v| ForecastHolds::new(&v.inventory, v.what_if.clone(), v.notes.clone())))
}

/// The flagged rows with their original cells, score and reasons, Excel-safe, streamed into a
/// temporary file that replaces `path` only when complete.
fn write_flagged(
    dataset: &Dataset,
    scored: &[Option<RowFlags>],
    flag_masks: &[Vec<turnout::analysis::flags::RowState>],
    path: &Path,
) -> Result<(), String> {
    let mut failure = None;
    turnout::fsutil::write_atomically(path, |w| {
        turnout::analysis::flags::write_flagged_csv(w, dataset, scored, flag_masks).map_err(|e| {
            failure = Some(e.clone());
            std::io::Error::other(e)
        })
    })
    .map_err(|e| failure.unwrap_or_else(|| format!("writing {}: {e}", path.display())))
}

fn write_chart(
    dataset: &Dataset,
    scored: &[Option<RowFlags>],
    (agg, a, o): (&Aggregates, &Assumptions, &Outlook),
    ropts: &ReportOptions,
    path: &Path,
    size: &str,
) -> Result<(), String> {
    use turnout::chart::{ChartData, ChartView, Palette, save_png, save_svg};
    let (w, h) = size
        .split_once('x')
        .and_then(|(w, h)| Some((w.parse().ok()?, h.parse().ok()?)))
        .ok_or_else(|| format!("--chart-size {size}: expected WIDTHxHEIGHT, e.g. 1200x700"))?;
    let title = dataset
        .current()
        .next()
        .map(|(_, t)| t.label.clone())
        .unwrap_or_default();
    let bursts = burst_windows(dataset, scored);
    let data = ChartData::build(agg, a, o, &ropts.time_zone, &title)
        .with_bursts(&bursts, &ropts.time_zone)
        .binned(turnout::chart::Bin::Auto);
    let view = ChartView {
        log_scale: data.wants_log(),
        ..ChartView::default()
    };
    let result = match path.extension().and_then(|e| e.to_str()) {
        Some("svg") => save_svg(path, &data, &view, &Palette::light(), (w, h)),
        _ => save_png(path, &data, &view, &Palette::light(), (w, h)),
    };
    result.map_err(|e| format!("writing {}: {e}", path.display()))
}

/// Every export and past edition, loaded; files that fail are returned as errors.
fn load_inputs(
    files: &[PathBuf],
    series: &SeriesArgs,
    opts: &ImportOptions,
    tz: &TimeZone,
) -> (Dataset, Vec<ImportError>) {
    let mut dataset = Dataset::default();
    let mut errors = Vec::new();
    for path in files {
        match import::load_table(path, Edition::Current, opts) {
            Ok(t) => {
                dataset.push(t);
            }
            Err(e) => errors.push(e),
        }
    }
    for h in &series.history {
        let (path, start) = split_history(h, tz);
        match import::load_table(&path, Edition::Past { event_start: start }, opts) {
            Ok(t) => {
                dataset.push(t);
            }
            Err(e) => errors.push(e),
        }
    }
    (dataset, errors)
}

/// The events of the data, the one in focus (`--event`) and the headcounts.
fn make_scope(
    dataset: &Dataset,
    tz: &TimeZone,
    series: &SeriesArgs,
    by: Option<&str>,
    event: Option<&str>,
    as_of: Option<i64>,
    nights_to_come: bool,
) -> Result<turnout::analysis::aggregate::Scope, String> {
    let mut scope = turnout::analysis::aggregate::Scope::of(dataset, tz);
    if let Some(path) = &series.headcounts {
        let file = import::headcounts::read(path, tz, by).map_err(|e| e.to_string())?;
        for note in file
            .group_note
            .iter()
            .cloned()
            .chain(file.rejected_note(path))
        {
            eprintln!("turnout: {}", terminal_safe(&note));
        }
        scope.set_day_counts(file.counts, file.rejected_count);
        if nights_to_come {
            scope.expect_nights();
        }
    }
    for h in &series.headcount {
        let (file, n) = h
            .rsplit_once('=')
            .and_then(|(f, n)| Some((f, n.trim().parse::<u64>().ok()?)))
            .ok_or_else(|| format!("--headcount {h}: expected FILE=NUMBER"))?;
        let table = dataset
            .tables
            .iter()
            .position(|t| t.report.path == Path::new(file))
            .ok_or_else(|| {
                format!("--headcount {h}: '{file}' is not one of the files given with --history")
            })?;
        scope.headcounts.by_table.push((table as u16, n));
    }
    if let (None, Some(t)) = (event, as_of) {
        scope.focus_next_after(t);
    }
    if let Some(ev) = event {
        let (date, group) = match ev.trim().split_once(' ') {
            Some((d, g)) => (d, Some(g.trim())),
            None => (ev.trim(), None),
        };
        let day = parse_instant(date, tz)
            .map(|t| turnout::timefmt::local_day(t, tz))
            .map_err(|e| format!("--event: {e}"))?;
        scope.focus = Some(
            scope
                .events
                .on_day(day, group, tz)
                .ok_or_else(|| format!("--event {ev}: no event on that day in the files"))?,
        );
    }
    Ok(scope)
}

/// Parses `7d`, `7`, `1d`.
fn horizon_days(s: &str) -> Result<u32, String> {
    let t = s.trim().trim_end_matches(['d', 'D']);
    t.parse::<u32>().ok().filter(|d| *d <= 365).ok_or_else(|| {
        format!("--horizon {s}: expected a whole number of days from 0 to 365, such as 7d")
    })
}

fn backtest_command(args: BacktestArgs) -> Result<ExitCode, String> {
    use turnout::analysis::forecast::backtest::backtest_at;
    let tz = zone(args.read.tz.as_deref())?;
    let opts = import_options(&args.read, &tz)?;
    let (dataset, errors) = load_inputs(&args.files, &args.series, &opts, &tz);
    for e in &errors {
        eprintln!("turnout: {}", terminal_safe(&e.to_string()));
    }
    if dataset.tables.is_empty() {
        return Err("no file could be loaded".to_string());
    }
    let mut horizons: Vec<u32> = args
        .horizons
        .iter()
        .map(|h| horizon_days(h))
        .collect::<Result<_, _>>()?;
    if horizons.is_empty() {
        horizons = vec![7, 1];
    }
    let flag_settings = FlagSettings::default();
    let scored = if args.no_flags {
        vec![None; dataset.tables.len()]
    } else {
        score_tables(&dataset, &flag_settings)
    };
    let flag_masks = masks(&scored, flag_settings.threshold, &Default::default());
    let traits = table_traits(&dataset, "");
    let mut scope = make_scope(
        &dataset,
        &tz,
        &args.series,
        args.read.by.as_deref(),
        None,
        None,
        false,
    )?;
    // Every event is backtested: none is held out as the one being planned.
    scope.focus = None;
    let agg = Aggregates::build_with(&dataset, &flag_masks, &traits, &scope);
    let a = Assumptions {
        prior_free: args.prior_free.clamp(0.0, 1.0),
        prior_paid: args.prior_paid.clamp(0.0, 1.0),
        ..Assumptions::default()
    };
    let Some(bt) = backtest_at(&agg, &a, &horizons, args.min_size, false) else {
        return Err(
            "nothing to backtest: it needs at least two past events with check-ins or a \
             headcount (a series with an event-date column, or --history files)"
                .to_string(),
        );
    };
    let placed = args
        .series
        .headcounts
        .is_some()
        .then_some(scope.headcounts.placed);
    // What the scores rest on: a grouping into crumbs, rows that belong to no event.
    let warnings: Vec<String> = turnout::report::crumbs_headline(&agg.series, &dataset)
        .into_iter()
        .chain(dataset.tables.iter().flat_map(|t| {
            let file = t.report.path.display().to_string();
            t.report
                .warnings
                .iter()
                .map(move |w| format!("{file}: {w}"))
        }))
        .collect();
    if args.json {
        // Written as it is serialised: a restaurant chain's backtest holds 700,000 points,
        // and a JSON value tree of them took 2 GB.
        #[derive(serde::Serialize)]
        struct Out<'a> {
            #[serde(flatten)]
            backtest: &'a turnout::analysis::forecast::backtest::Backtest,
            events: usize,
            errors: Vec<String>,
            #[serde(skip_serializing_if = "Option::is_none")]
            headcounts: Option<turnout::analysis::aggregate::DayCountsPlaced>,
            #[serde(skip_serializing_if = "Vec::is_empty")]
            warnings: Vec<String>,
        }
        let out = Out {
            backtest: &bt,
            events: agg.series.events.len(),
            errors: errors.iter().map(|e| e.to_string()).collect(),
            headcounts: placed,
            warnings,
        };
        use std::io::Write;
        let mut w = std::io::BufWriter::new(std::io::stdout().lock());
        serde_json::to_writer_pretty(&mut w, &out)
            .map_err(|e| e.to_string())
            .and_then(|()| {
                writeln!(w)
                    .and_then(|()| w.flush())
                    .map_err(|e| e.to_string())
            })?;
    } else {
        for w in &warnings {
            println!("{}\n", terminal_safe(w));
        }
        if let Some(h) = placed {
            println!("{}\n", terminal_safe(&h.describe()));
        }
        print!(
            "{}",
            terminal_safe(&turnout::report::backtest_text(
                &bt,
                agg.series.events.len()
            ))
        );
    }
    Ok(if errors.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn demo_files(args: DemoArgs) -> Result<ExitCode, String> {
    const MAX_ROWS: usize = 5_000_000;
    if !(1..=MAX_ROWS).contains(&args.rows) {
        return Err(format!(
            "--rows {}: the demo is generated in memory; choose 1 to {}",
            args.rows,
            turnout::report::thousands(MAX_ROWS as u64)
        ));
    }
    let config = DemoConfig {
        rows: args.rows,
        seed: args.seed,
        ..DemoConfig::default()
    };
    let demo = demo::Demo::generate(&config);
    let written = demo::export::write_all(&demo, args.format.into(), &args.out)
        .map_err(|e| format!("writing into {}: {e}", args.out.display()))?;
    for w in &written {
        println!("{}", display(&w.path));
        println!("    {}", w.note);
    }
    Ok(ExitCode::SUCCESS)
}

fn display(p: &Path) -> String {
    p.display().to_string()
}

/// Phase timings on standard error when `TURNOUT_PROFILE` is set (for benchmarks).
struct Profile {
    last: Option<std::time::Instant>,
}

impl Profile {
    fn from_env() -> Profile {
        Profile {
            last: std::env::var_os("TURNOUT_PROFILE").map(|_| std::time::Instant::now()),
        }
    }

    fn phase(&mut self, name: &str) {
        if let Some(last) = self.last {
            let now = std::time::Instant::now();
            // Peak and current resident memory so far (Linux).
            let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
            let kb = |key: &str| {
                status
                    .lines()
                    .find(|l| l.starts_with(key))
                    .and_then(|l| l.split_whitespace().nth(1))
                    .and_then(|v| v.parse::<u64>().ok())
                    .unwrap_or(0)
            };
            eprintln!(
                "{:>8.1} ms  peak {:>5} MB  now {:>5} MB  {name}",
                (now - last).as_secs_f64() * 1000.0,
                kb("VmHWM:") / 1024,
                kb("VmRSS:") / 1024
            );
            self.last = Some(now);
        }
    }
}
