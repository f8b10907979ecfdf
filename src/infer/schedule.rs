//! AWS backup schedule analysis: parses the schedule forms AWS uses
//! (`cron(...)`, `rate(...)`, DLM intervals) and measures the gaps between
//! consecutive runs, so that a linter can estimate RPO (largest gap) and
//! count-based retention (count × smallest gap).
//!
//! # How cron gaps are computed
//!
//! A cron expression selects a set of *days* (year, month, day-of-month or
//! day-of-week fields) and, independently, a set of *times of day* (hours
//! and minutes). Runs are every selected time on every selected day, in the
//! schedule's timezone. The analysis therefore:
//!
//! 1. parses the expression with `croner` (AWS dialect: seconds prepended,
//!    year required, `0/15` steps, 1=SUN..7=SAT) and uses croner's own day
//!    matcher (`L`, `W`, `LW`, `#`, `nL`) to walk the calendar day by day;
//! 2. computes the gaps between the times of day once;
//! 3. for each selected day, converts the first and last run to UTC. Days
//!    without a DST transition keep the precomputed intra-day gaps; days
//!    with one are expanded run by run, following AWS EventBridge Scheduler
//!    semantics: a wall-clock time skipped by spring-forward does not run,
//!    and a repeated one (fall-back) runs once, at its first instant.
//!
//! The cost is bounded by the number of days scanned (at most about 1,460 in
//! the window, plus the search for the next run, which skips whole years and
//! months that cannot match) plus the number of times of day (at most
//! 1,440), whatever the density of the schedule. No sampling cap or
//! approximation is needed: the result is exact for the window.
//!
//! # Analysis window
//!
//! Runs are collected from `from` through the end of the local day
//! `from + 4 years + 2 days`, which covers the leap-year cycle and the
//! weekday/month alignments the gaps of a typical schedule depend on.
//! Calendars that repeat every week (day-of-month `?`/`*`, month and year
//! `*`, no `#`/`L` in day-of-week — daily, weekday, hourly schedules...)
//! use 400 days instead, which still spans a whole DST cycle. The
//! first run after the window (searched up to the end of 2199, the last
//! year AWS accepts) is added too, so the gap straddling the window end is
//! counted. If there is no such run, the schedule *stops* running: the time
//! after its last run is an unbounded gap and [`Schedule::max_gap_secs`]
//! returns `None` ([`Schedule::last_run`] tells when it stopped).

use std::fmt;

use chrono::{
    DateTime, Datelike, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeDelta, TimeZone, Utc,
};
use chrono_tz::Tz;
use croner::parser::{CronParser, Seconds, Year};
use croner::{CronPattern, Weekday};

/// Days simulated after `from`: four years (one of them leap) plus two days.
const WINDOW_DAYS: i64 = 4 * 365 + 1 + 2;
/// Days simulated for calendars that repeat every week (see `repeats_weekly`).
const WEEKLY_WINDOW_DAYS: i64 = 400;
/// The first and last years AWS accepts in a cron year field.
const AWS_FIRST_YEAR: i32 = 1970;
const AWS_LAST_YEAR: i32 = 2199;
/// Intervals (hours) accepted by a DLM `interval` with unit `HOURS`.
const DLM_INTERVALS: [i64; 8] = [1, 2, 3, 4, 6, 8, 12, 24];

const MINUTE: u64 = 60;
const HOUR: u64 = 3_600;
const DAY: u64 = 86_400;
const WEEK: u64 = 7 * DAY;

/// Error for a schedule that cannot be parsed; the message says what to fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScheduleError {
    /// Human-readable explanation, suitable for showing to the user.
    pub message: String,
}

impl ScheduleError {
    fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
        }
    }
}

impl fmt::Display for ScheduleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ScheduleError {}

/// A parsed backup schedule together with the gaps between its runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schedule {
    /// Gaps between consecutive runs, in real (UTC) seconds.
    gaps: GapStats,
    /// Gaps in local wall-clock time, when they differ from `gaps` (DST).
    wall_clock: Option<(u64, u64)>,
    /// Whether the schedule stops running (no run after the window).
    stops: bool,
    /// Timezone name used for the DST note in [`Schedule::describe`].
    timezone: String,
    /// Start of the analysis window.
    from: DateTime<Utc>,
}

impl Schedule {
    /// Largest gap between two consecutive runs in the analysis window, in
    /// seconds (including the gap to the first run after the window).
    ///
    /// `None` if the schedule never runs, runs only once, or stops running
    /// (its year field ends) before the first run after the window: the
    /// time after its last run is an unbounded gap.
    pub fn max_gap_secs(&self) -> Option<u64> {
        if self.stops { None } else { self.gaps.max }
    }

    /// Smallest gap between two consecutive runs in the analysis window, in
    /// seconds. `None` if fewer than two runs were seen. Unlike
    /// [`Schedule::max_gap_secs`] this is still reported for a schedule that
    /// stops running.
    pub fn min_gap_secs(&self) -> Option<u64> {
        self.gaps.min
    }

    /// Human-readable cadence, e.g. "every 15 minutes", "daily", "weekly",
    /// "every 12 hours", "monthly", "irregular (gaps 1d–3d)". Notes DST
    /// effects and the end of a schedule that stops running.
    pub fn describe(&self) -> String {
        let (Some(min), Some(max)) = (self.gaps.min, self.gaps.max) else {
            return self.describe_without_gaps();
        };
        let mut text = match self.wall_clock {
            Some((wall_min, wall_max)) => format!(
                "{} in {} (DST makes real gaps {}–{})",
                cadence(wall_min, wall_max),
                self.timezone,
                format_duration(min),
                format_duration(max)
            ),
            None => cadence(min, max),
        };
        if let Some(last) = self.last_run() {
            text.push_str(&format!(", stops after {}", last.format("%Y-%m-%d")));
        }
        text
    }

    /// The final run, when the schedule stops running (see
    /// [`Schedule::max_gap_secs`]); `None` for a schedule that keeps running.
    pub fn last_run(&self) -> Option<DateTime<Utc>> {
        if !self.stops {
            return None;
        }
        self.gaps
            .last
            .and_then(|ts| DateTime::from_timestamp(ts, 0))
    }

    /// A schedule running every `period` seconds forever.
    fn periodic(period: u64, from: DateTime<Utc>) -> Self {
        Self {
            gaps: GapStats {
                min: Some(period),
                max: Some(period),
                runs: 2,
                ..GapStats::default()
            },
            wall_clock: None,
            stops: false,
            timezone: "Etc/UTC".to_owned(),
            from,
        }
    }

    fn describe_without_gaps(&self) -> String {
        let at = |ts: Option<i64>| {
            ts.and_then(|ts| DateTime::from_timestamp(ts, 0))
                .map_or_else(String::new, |t| t.format("%Y-%m-%d %H:%M UTC").to_string())
        };
        match (self.gaps.runs, self.stops) {
            (0, _) => format!("never runs after {}", self.from.format("%Y-%m-%d")),
            (_, true) => format!("runs once, at {}", at(self.gaps.last)),
            (_, false) => format!(
                "no run in the analysis window; next run at {}",
                at(self.gaps.first)
            ),
        }
    }
}

/// Parses a whole AWS schedule expression — `cron(...)` or `rate(...)` —
/// and analyses its gaps from `from` on.
///
/// `timezone` is the IANA name from `schedule_expression_timezone`
/// (default `Etc/UTC`; an empty string counts as unset). It only affects
/// cron schedules: `rate()` measures elapsed time.
///
/// `from` starts the analysis window (pass `Utc::now()` in production); it
/// is clamped to 1970-01-01 ..= 2200-01-01, the range AWS cron years cover.
pub fn parse_aws_schedule(
    expr: &str,
    timezone: Option<&str>,
    from: DateTime<Utc>,
) -> Result<Schedule, ScheduleError> {
    let tz = parse_timezone(timezone)?;
    let expr = expr.trim();
    if let Some(inner) = strip_call(expr, "cron") {
        let cron = AwsCron::parse(inner)?;
        Ok(cron.analyse(tz, from))
    } else if let Some(inner) = strip_call(expr, "rate") {
        let period = parse_rate(inner)?;
        Ok(Schedule::periodic(period, from))
    } else {
        Err(ScheduleError::new(format!(
            "unrecognized schedule `{expr}`: expected cron(...) or rate(...), \
             e.g. cron(0 5 ? * * *) or rate(12 hours)"
        )))
    }
}

/// A DLM policy's `interval` + `interval_unit` schedule (every N hours).
pub fn dlm_interval(interval: i64, unit: &str) -> Result<Schedule, ScheduleError> {
    if !unit.trim().eq_ignore_ascii_case("HOURS") {
        return Err(ScheduleError::new(format!(
            "DLM interval unit must be HOURS, found `{unit}`"
        )));
    }
    if !DLM_INTERVALS.contains(&interval) {
        return Err(ScheduleError::new(format!(
            "DLM interval must be one of 1, 2, 3, 4, 6, 8, 12 or 24 hours, found {interval}"
        )));
    }
    // `interval` is one of the small positive values above.
    let period = interval.unsigned_abs() * HOUR;
    Ok(Schedule::periodic(period, DateTime::UNIX_EPOCH))
}

/// The longest gap between two runs of a five-field crontab (`minute hour day-of-month month
/// day-of-week`, as Google Cloud writes backup schedules: `0 */4 * * *`), in UTC, in seconds.
/// It is analysed as the AWS cron it is equivalent to; a crontab that restricts both the day of
/// the month and the day of the week (which crontab ORs and AWS cannot express) is an error.
pub fn crontab_max_gap(text: &str) -> Result<u64, String> {
    let fields: Vec<&str> = text.split_whitespace().collect();
    let [minute, hour, dom, month, dow] = fields.as_slice() else {
        return Err(format!(
            "`{text}` is not a five-field crontab (minute hour day-of-month month day-of-week)"
        ));
    };
    let (dom, dow) = match (*dom, *dow) {
        (d, "*") => (d.to_string(), "?".to_string()),
        ("*", w) => (
            "?".to_string(),
            aws_weekdays(w).ok_or_else(|| {
                format!("the day-of-week field `{w}` of `{text}` is not understood")
            })?,
        ),
        _ => {
            return Err(format!(
                "`{text}` restricts both the day of the month and the day of the week; resilint does not analyse that"
            ));
        }
    };
    let aws = format!("cron({minute} {hour} {dom} {month} {dow} *)");
    let from = DateTime::<Utc>::from_timestamp(1_767_225_600, 0).unwrap_or(DateTime::UNIX_EPOCH);
    let schedule = parse_aws_schedule(&aws, None, from).map_err(|e| format!("`{text}`: {e}"))?;
    schedule
        .max_gap_secs()
        .ok_or_else(|| format!("`{text}` does not run repeatedly"))
}

/// A crontab day-of-week field (0 or 7 is Sunday) in AWS numbering (1 is Sunday): numbers,
/// ranges and lists of them, or names.
fn aws_weekdays(field: &str) -> Option<String> {
    let shift = |n: &str| -> Option<String> {
        if n.chars().all(|c| c.is_ascii_alphabetic()) {
            return Some(n.to_uppercase());
        }
        let v: u32 = n.parse().ok()?;
        (v <= 7).then(|| (v % 7 + 1).to_string())
    };
    let mut out = Vec::new();
    for part in field.split(',') {
        match part.split_once('-') {
            Some((a, b)) => {
                let (a, b) = (shift(a)?, shift(b)?);
                // `5-7` (Friday to Sunday) wraps in AWS numbering: list the days.
                match (a.parse::<u32>(), b.parse::<u32>()) {
                    (Ok(x), Ok(y)) if y < x => {
                        out.push(format!("{x}-7"));
                        out.push(format!("1-{y}"));
                    }
                    _ => out.push(format!("{a}-{b}")),
                }
            }
            None => out.push(shift(part)?),
        }
    }
    Some(out.join(","))
}

// ---------------------------------------------------------------------------
// Parsing helpers
// ---------------------------------------------------------------------------

/// Returns the text between `name(` and the final `)`, ignoring the case of
/// `name`.
fn strip_call<'a>(expr: &'a str, name: &str) -> Option<&'a str> {
    let head = expr.get(..name.len())?;
    if !head.eq_ignore_ascii_case(name) {
        return None;
    }
    expr.get(name.len()..)?
        .trim_start()
        .strip_prefix('(')?
        .strip_suffix(')')
}

fn parse_timezone(timezone: Option<&str>) -> Result<Tz, ScheduleError> {
    match timezone.map(str::trim) {
        None | Some("") => Ok(Tz::Etc__UTC),
        Some(name) => name.parse::<Tz>().map_err(|_| {
            ScheduleError::new(format!(
                "unknown timezone `{name}`: expected an IANA name such as America/New_York or Etc/UTC"
            ))
        }),
    }
}

/// Parses the inside of `rate(...)` into a period in seconds. The unit may be singular or
/// plural whatever the value (AWS wants `rate(1 hour)` and `rate(2 hours)`, but the period is
/// clear either way).
fn parse_rate(inner: &str) -> Result<u64, ScheduleError> {
    let usage = "expected rate(N unit) with unit minute(s), hour(s) or day(s), e.g. rate(12 hours)";
    let parts: Vec<&str> = inner.split_whitespace().collect();
    let [value, unit] = parts.as_slice() else {
        return Err(ScheduleError::new(format!(
            "invalid rate(`{inner}`): {usage}"
        )));
    };
    let value: u64 = value.parse().map_err(|_| {
        let problem = if value.bytes().all(|b| b.is_ascii_digit()) {
            "is too large"
        } else {
            "is not a whole number"
        };
        ScheduleError::new(format!("rate value `{value}` {problem}: {usage}"))
    })?;
    if value == 0 {
        return Err(ScheduleError::new("rate value must be at least 1, found 0"));
    }
    let lower = unit.to_ascii_lowercase();
    let seconds = match lower.as_str() {
        "minute" | "minutes" => MINUTE,
        "hour" | "hours" => HOUR,
        "day" | "days" => DAY,
        _ => {
            return Err(ScheduleError::new(format!(
                "unknown rate unit `{unit}`: {usage}"
            )));
        }
    };
    value
        .checked_mul(seconds)
        .ok_or_else(|| ScheduleError::new(format!("rate value `{value}` is too large")))
}

// ---------------------------------------------------------------------------
// AWS cron
// ---------------------------------------------------------------------------

/// A validated AWS cron expression.
struct AwsCron {
    pattern: CronPattern,
    /// Seconds after local midnight of each run in a selected day, ascending.
    times: Vec<u32>,
    /// Smallest and largest gap between consecutive `times` (if 2 or more).
    intra_day: Option<(u64, u64)>,
    /// Days to simulate: [`WEEKLY_WINDOW_DAYS`] when the selected days
    /// repeat every week, else [`WINDOW_DAYS`] (month lengths, leap years
    /// and weekday/month alignment matter).
    window_days: i64,
}

impl AwsCron {
    /// Validates the AWS rules croner does not enforce, then parses.
    fn parse(inner: &str) -> Result<Self, ScheduleError> {
        let fields: Vec<String> = inner.split_whitespace().map(str::to_uppercase).collect();
        if fields.len() != 6 {
            return Err(ScheduleError::new(format!(
                "AWS cron needs 6 fields (minutes hours day-of-month month day-of-week year), found {}",
                fields.len()
            )));
        }
        check_question_marks(&fields)?;
        check_day_of_week(&fields[4])?;
        check_years(&fields[5])?;
        let window_days = if repeats_weekly(&fields) {
            WEEKLY_WINDOW_DAYS
        } else {
            WINDOW_DAYS
        };
        let mut fields = fields;
        fields[4] = last_day_of_week_to_saturday(&fields[4]);
        fields[5] = expand_year_wildcard(&fields[5]);

        let parser = CronParser::builder()
            .seconds(Seconds::Required)
            .year(Year::Required)
            .sloppy_ranges(true)
            .alternative_weekdays(true)
            .build();
        let cron = parser
            .parse(&format!("0 {}", fields.join(" ")))
            .map_err(|e| {
                ScheduleError::new(format!(
                    "invalid cron({inner}): {e} (AWS ranges: minutes 0-59, hours 0-23, \
                     day-of-month 1-31, month 1-12 or JAN-DEC, day-of-week 1-7 or SUN-SAT, \
                     year 1970-2199)"
                ))
            })?;
        let times = times_of_day(&cron.pattern);
        if times.is_empty() {
            return Err(ScheduleError::new(format!(
                "cron({inner}) selects no time of day (check the minutes and hours fields)"
            )));
        }
        let intra_day = gap_range(&times);
        Ok(Self {
            pattern: cron.pattern,
            times,
            intra_day,
            window_days,
        })
    }

    /// Collects the runs from `from` on and summarises them.
    fn analyse(&self, tz: Tz, from: DateTime<Utc>) -> Schedule {
        let from = clamp_to_aws_years(from);
        let zone = Zone::new(tz);
        let gaps = self.collect(zone, from);
        let wall_clock = if zone == Zone::Utc {
            None
        } else {
            // The same schedule read on a clock without DST.
            let wall_from = from.with_timezone(&tz).naive_local().and_utc();
            let wall = self.collect(Zone::Utc, wall_from);
            let real = (gaps.min, gaps.max);
            match (wall.min, wall.max) {
                (Some(min), Some(max)) if real != (Some(min), Some(max)) => Some((min, max)),
                _ => None,
            }
        };
        Schedule {
            stops: gaps.runs > 0 && !gaps.reached_after_window,
            gaps,
            wall_clock,
            timezone: tz.name().to_owned(),
            from,
        }
    }

    /// Walks the window's days, then looks for the first run after it.
    fn collect(&self, zone: Zone, from: DateTime<Utc>) -> GapStats {
        let mut stats = GapStats::default();
        let last_aws_day = NaiveDate::from_ymd_opt(AWS_LAST_YEAR, 12, 31).unwrap_or(NaiveDate::MAX);
        let first_day = zone.local_date(from);
        let window_end = from
            .checked_add_signed(TimeDelta::days(self.window_days))
            .map_or(last_aws_day, |end| zone.local_date(end))
            .min(last_aws_day);

        let mut day = Some(first_day);
        while let Some(start) = day
            && let Some(found) = next_matching_day(&self.pattern, start, window_end)
        {
            let not_before = (found == first_day).then(|| from.timestamp());
            self.push_day(&mut stats, zone, found, not_before);
            day = found.succ_opt();
        }

        // The first run after the window, if the schedule has one.
        let mut day = window_end.succ_opt();
        while let Some(start) = day
            && let Some(found) = next_matching_day(&self.pattern, start, last_aws_day)
        {
            if self.push_day(&mut stats, zone, found, None) {
                stats.reached_after_window = true;
                break;
            }
            day = found.succ_opt();
        }
        stats
    }

    /// Adds the runs of one selected local day; returns whether it had any.
    fn push_day(
        &self,
        stats: &mut GapStats,
        zone: Zone,
        date: NaiveDate,
        not_before: Option<i64>,
    ) -> bool {
        let midnight = date.and_time(NaiveTime::MIN);
        if not_before.is_none()
            && let Some((first, last)) = self.uniform_day(zone, midnight)
        {
            stats.push_block(first, last, self.times.len(), self.intra_day);
            return true;
        }
        let mut any = false;
        for &secs in &self.times {
            let run = at_seconds(midnight, secs).and_then(|local| zone.to_utc(local));
            if let Some(ts) = run
                && not_before.is_none_or(|limit| ts >= limit)
            {
                stats.push(ts);
                any = true;
            }
        }
        any
    }

    /// UTC timestamps of the day's first and last run, when the UTC offset
    /// is the same for both (no DST transition in between).
    fn uniform_day(&self, zone: Zone, midnight: NaiveDateTime) -> Option<(i64, i64)> {
        let first = at_seconds(midnight, *self.times.first()?)?;
        let last = at_seconds(midnight, *self.times.last()?)?;
        let offset = zone.single_offset(first)?;
        if zone.single_offset(last)? != offset {
            return None;
        }
        let utc = |local: NaiveDateTime| local.and_utc().timestamp() - i64::from(offset);
        Some((utc(first), utc(last)))
    }
}

/// Keeps `from` within 1970-01-01 ..= 2200-01-01 so that calendar and
/// timezone arithmetic cannot overflow; cron runs only exist in between.
fn clamp_to_aws_years(from: DateTime<Utc>) -> DateTime<Utc> {
    let bound = |year| Utc.with_ymd_and_hms(year, 1, 1, 0, 0, 0).single();
    match (bound(AWS_FIRST_YEAR), bound(AWS_LAST_YEAR + 1)) {
        (Some(lo), Some(hi)) => from.clamp(lo, hi),
        _ => from,
    }
}

/// AWS requires `?` alone in exactly one of day-of-month and day-of-week.
fn check_question_marks(fields: &[String]) -> Result<(), ScheduleError> {
    let (dom, dow) = (&fields[2], &fields[4]);
    if (dom == "?") == (dow == "?") {
        return Err(ScheduleError::new(format!(
            "AWS cron requires `?` in exactly one of day-of-month and day-of-week \
             (found `{dom}` and `{dow}`), e.g. cron(0 5 ? * MON-FRI *) or cron(0 5 1 * ? *)"
        )));
    }
    let misplaced = fields
        .iter()
        .enumerate()
        .any(|(i, field)| field.contains('?') && !((i == 2 || i == 4) && field == "?"));
    if misplaced {
        return Err(ScheduleError::new(
            "`?` may only stand alone in the day-of-month or day-of-week field",
        ));
    }
    Ok(())
}

/// Catches Unix-style weekday numbers (0 = Sunday), which AWS does not use.
fn check_day_of_week(field: &str) -> Result<(), ScheduleError> {
    let numbers = field
        .split(',')
        .flat_map(|part| part.split(['-', '/']).take(2))
        .map(|token| {
            token
                .split('#')
                .next()
                .unwrap_or(token)
                .trim_end_matches('L')
        });
    for token in numbers {
        if let Ok(day) = token.parse::<u64>()
            && !(1..=7).contains(&day)
        {
            return Err(ScheduleError::new(format!(
                "day-of-week value {day} is out of range: AWS uses 1-7 (1 = SUN, 7 = SAT) or SUN-SAT"
            )));
        }
    }
    Ok(())
}

/// Checks that explicit years are within AWS's range 1970-2199.
fn check_years(field: &str) -> Result<(), ScheduleError> {
    let bounds = field
        .split(',')
        .filter_map(|part| part.split('/').next())
        .flat_map(|range| range.split('-'));
    for token in bounds {
        if let Ok(year) = token.parse::<u64>()
            && !(1970..=2199).contains(&year)
        {
            return Err(ScheduleError::new(format!(
                "year {year} is out of range: AWS cron years are 1970-2199"
            )));
        }
    }
    Ok(())
}

/// Whether the days a cron selects repeat every week: day-of-month `?`/`*`,
/// every month and year, and no `#`/`L` in day-of-week. Month lengths and
/// leap years then cannot change the gaps.
fn repeats_weekly(fields: &[String]) -> bool {
    matches!(fields[2].as_str(), "?" | "*")
        && fields[3] == "*"
        && fields[5] == "*"
        && !fields[4].contains(['#', 'L'])
}

/// Replaces `*` in the year field by AWS's range 1970-2199, so that `*/2`
/// selects even years as in AWS (croner would step from year 1). It also
/// makes croner's parse of `*` several times faster than its 1-5000 range.
fn expand_year_wildcard(field: &str) -> String {
    let range = format!("{AWS_FIRST_YEAR}-{AWS_LAST_YEAR}");
    field
        .split(',')
        .map(|part| match part.strip_prefix('*') {
            Some(rest) => format!("{range}{rest}"),
            None => part.to_owned(),
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// AWS reads a lone `L` in day-of-week as the last day of the week
/// (Saturday); croner would treat it as matching nothing.
fn last_day_of_week_to_saturday(field: &str) -> String {
    field
        .split(',')
        .map(|part| if part == "L" { "7" } else { part })
        .collect::<Vec<_>>()
        .join(",")
}

/// Seconds after midnight of every hour × minute the pattern selects.
fn times_of_day(pattern: &CronPattern) -> Vec<u32> {
    let minutes = pattern.minutes.values();
    let mut times: Vec<u32> = pattern
        .hours
        .values()
        .iter()
        .flat_map(|&h| {
            minutes
                .iter()
                .map(move |&m| u32::from(h) * 3600 + u32::from(m) * 60)
        })
        .collect();
    times.sort_unstable();
    times
}

/// Smallest and largest difference between consecutive sorted values.
fn gap_range(times: &[u32]) -> Option<(u64, u64)> {
    let gaps = times
        .windows(2)
        .map(|w| u64::from(w[1].saturating_sub(w[0])));
    let min = gaps.clone().min()?;
    let max = gaps.max()?;
    Some((min, max))
}

// ---------------------------------------------------------------------------
// Calendar walk
// ---------------------------------------------------------------------------

/// The first day in `start..=last` that the pattern's year, month and day
/// fields select. Skips whole years and months that cannot match.
fn next_matching_day(
    pattern: &CronPattern,
    start: NaiveDate,
    last: NaiveDate,
) -> Option<NaiveDate> {
    let mut day = start;
    while day <= last {
        if !pattern.year_match(day.year()).unwrap_or(false) {
            day = NaiveDate::from_ymd_opt(day.year().checked_add(1)?, 1, 1)?;
        } else if !pattern.month_match(day.month()).unwrap_or(false) {
            day = first_of_next_month(day)?;
        } else if day_matches(pattern, day) {
            return Some(day);
        } else {
            day = day.succ_opt()?;
        }
    }
    None
}

fn first_of_next_month(day: NaiveDate) -> Option<NaiveDate> {
    match day.month() {
        12 => NaiveDate::from_ymd_opt(day.year().checked_add(1)?, 1, 1),
        month => NaiveDate::from_ymd_opt(day.year(), month + 1, 1),
    }
}

fn day_matches(pattern: &CronPattern, day: NaiveDate) -> bool {
    let weekday = Weekday::from_days_from_sunday(day.weekday().num_days_from_sunday());
    pattern
        .day_match(day.year(), day.month(), day.day(), weekday)
        .unwrap_or(false)
}

fn at_seconds(midnight: NaiveDateTime, secs: u32) -> Option<NaiveDateTime> {
    midnight.checked_add_signed(TimeDelta::seconds(i64::from(secs)))
}

/// The schedule's timezone; UTC skips the timezone database lookups.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Zone {
    Utc,
    Named(Tz),
}

impl Zone {
    fn new(tz: Tz) -> Self {
        match tz {
            Tz::UTC
            | Tz::Etc__UTC
            | Tz::Etc__UCT
            | Tz::UCT
            | Tz::Etc__Universal
            | Tz::Universal
            | Tz::Etc__Zulu
            | Tz::Zulu => Zone::Utc,
            named => Zone::Named(named),
        }
    }

    fn local_date(self, instant: DateTime<Utc>) -> NaiveDate {
        match self {
            Zone::Utc => instant.date_naive(),
            Zone::Named(tz) => instant.with_timezone(&tz).date_naive(),
        }
    }

    /// UTC offset (seconds) of a local time that exists exactly once.
    fn single_offset(self, local: NaiveDateTime) -> Option<i32> {
        match self {
            Zone::Utc => Some(0),
            Zone::Named(tz) => tz
                .from_local_datetime(&local)
                .single()
                .map(|dt| dt.offset().fix().local_minus_utc()),
        }
    }

    /// AWS EventBridge Scheduler semantics: a local time skipped by DST
    /// does not run; a repeated one runs once, at its first instant.
    fn to_utc(self, local: NaiveDateTime) -> Option<i64> {
        match self {
            Zone::Utc => Some(local.and_utc().timestamp()),
            Zone::Named(tz) => tz
                .from_local_datetime(&local)
                .earliest()
                .map(|dt| dt.timestamp()),
        }
    }
}

// ---------------------------------------------------------------------------
// Gap statistics
// ---------------------------------------------------------------------------

/// Streaming summary of the gaps between consecutive runs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct GapStats {
    runs: u64,
    first: Option<i64>,
    last: Option<i64>,
    min: Option<u64>,
    max: Option<u64>,
    reached_after_window: bool,
}

impl GapStats {
    /// Adds one run at UTC timestamp `ts` (runs arrive in order).
    fn push(&mut self, ts: i64) {
        if let Some(prev) = self.last {
            match u64::try_from(ts - prev) {
                Ok(gap) if gap > 0 => self.add_gap(gap),
                _ => return, // not after the previous run: ignore
            }
        }
        self.first.get_or_insert(ts);
        self.last = Some(ts);
        self.runs += 1;
    }

    /// Adds `count` runs from `first` to `last` whose consecutive gaps range
    /// over `intra` (precomputed for a day without DST transitions).
    fn push_block(&mut self, first: i64, last: i64, count: usize, intra: Option<(u64, u64)>) {
        self.push(first);
        if let Some((min, max)) = intra {
            self.add_gap(min);
            self.add_gap(max);
        }
        self.last = Some(last);
        self.runs += u64::try_from(count.saturating_sub(1)).unwrap_or(u64::MAX);
    }

    fn add_gap(&mut self, gap: u64) {
        self.min = Some(self.min.map_or(gap, |m| m.min(gap)));
        self.max = Some(self.max.map_or(gap, |m| m.max(gap)));
    }
}

// ---------------------------------------------------------------------------
// Descriptions
// ---------------------------------------------------------------------------

/// Names a cadence from the smallest and largest gap.
fn cadence(min: u64, max: u64) -> String {
    if min == max {
        return every(min);
    }
    if min >= 28 * DAY && max <= 31 * DAY {
        return "monthly".to_owned();
    }
    if min >= 365 * DAY && max <= 366 * DAY {
        return "yearly".to_owned();
    }
    format!(
        "irregular (gaps {}–{})",
        format_duration(min),
        format_duration(max)
    )
}

fn every(period: u64) -> String {
    let unit = |n: u64, name: &str| format!("every {n} {name}");
    match period {
        MINUTE => "every minute".to_owned(),
        HOUR => "hourly".to_owned(),
        DAY => "daily".to_owned(),
        WEEK => "weekly".to_owned(),
        p if p % WEEK == 0 => unit(p / WEEK, "weeks"),
        p if p % DAY == 0 => unit(p / DAY, "days"),
        p if p % HOUR == 0 => unit(p / HOUR, "hours"),
        p if p % MINUTE == 0 => unit(p / MINUTE, "minutes"),
        p => format!("every {}", format_duration(p)),
    }
}

/// Compact duration such as "3d", "1d 23h", "15m" or "0s".
fn format_duration(secs: u64) -> String {
    let parts = [
        (secs / DAY, "d"),
        (secs % DAY / HOUR, "h"),
        (secs % HOUR / MINUTE, "m"),
        (secs % MINUTE, "s"),
    ];
    let text: Vec<String> = parts
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, suffix)| format!("{n}{suffix}"))
        .collect();
    if text.is_empty() {
        "0s".to_owned()
    } else {
        text.join(" ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(y: i32, m: u32, d: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, 0, 0, 0)
            .single()
            .expect("valid test date")
    }

    fn from() -> DateTime<Utc> {
        utc(2026, 1, 1)
    }

    fn sched(expr: &str) -> Schedule {
        parse_aws_schedule(expr, None, from()).unwrap_or_else(|e| panic!("{expr}: {e}"))
    }

    fn gaps(expr: &str) -> (Option<u64>, Option<u64>) {
        let s = sched(expr);
        (s.min_gap_secs(), s.max_gap_secs())
    }

    fn error(expr: &str) -> String {
        match parse_aws_schedule(expr, None, from()) {
            Ok(s) => panic!("{expr} should fail, got {s:?}"),
            Err(e) => e.message,
        }
    }

    /// Reference: croner's own search, run by run, over the same window.
    fn croner_gaps(inner: &str, start: DateTime<Utc>) -> (Option<u64>, Option<u64>) {
        let cron = CronParser::builder()
            .seconds(Seconds::Required)
            .year(Year::Required)
            .sloppy_ranges(true)
            .alternative_weekdays(true)
            .build()
            .parse(&format!("0 {inner}"))
            .expect("reference pattern parses");
        let end = (start + TimeDelta::days(WINDOW_DAYS)).date_naive();
        let mut stats = GapStats::default();
        let mut t = start;
        while let Ok(next) = cron.find_next_occurrence(&t, stats.runs == 0) {
            stats.push(next.timestamp());
            if next.date_naive() > end {
                break;
            }
            t = next;
        }
        (stats.min, stats.max)
    }

    #[test]
    fn daily() {
        let s = sched("cron(0 5 ? * * *)");
        assert_eq!((s.min_gap_secs(), s.max_gap_secs()), (Some(DAY), Some(DAY)));
        assert_eq!(s.describe(), "daily");
        assert_eq!(gaps("  cron(0 12 * * ? *)  "), (Some(DAY), Some(DAY)));
    }

    #[test]
    fn every_six_hours_both_syntaxes() {
        for expr in ["cron(0 */6 ? * * *)", "cron(0 0/6 ? * * *)"] {
            assert_eq!(gaps(expr), (Some(6 * HOUR), Some(6 * HOUR)), "{expr}");
            assert_eq!(sched(expr).describe(), "every 6 hours");
        }
    }

    #[test]
    fn weekdays() {
        let s = sched("cron(0 5 ? * MON-FRI *)");
        assert_eq!(
            (s.min_gap_secs(), s.max_gap_secs()),
            (Some(DAY), Some(3 * DAY))
        );
        assert_eq!(s.describe(), "irregular (gaps 1d–3d)");
        assert_eq!(gaps("cron(0 5 ? * 2-6 *)"), (Some(DAY), Some(3 * DAY)));
    }

    #[test]
    fn weekly_on_sunday() {
        let s = sched("cron(0 5 ? * 1 *)");
        assert_eq!(
            (s.min_gap_secs(), s.max_gap_secs()),
            (Some(WEEK), Some(WEEK))
        );
        assert_eq!(s.describe(), "weekly");
        // 1 is Sunday in AWS numbering.
        let t = from();
        let first = sched("cron(0 5 ? * 1 *)").gaps.first.expect("runs");
        let day = DateTime::from_timestamp(first, 0)
            .expect("valid")
            .date_naive();
        assert_eq!(day.weekday(), chrono::Weekday::Sun);
        assert!(first >= t.timestamp());
    }

    #[test]
    fn monthly() {
        let s = sched("cron(0 5 1 * ? *)");
        assert_eq!(
            (s.min_gap_secs(), s.max_gap_secs()),
            (Some(28 * DAY), Some(31 * DAY))
        );
        assert_eq!(s.describe(), "monthly");
    }

    #[test]
    fn last_day_of_month() {
        assert_eq!(gaps("cron(0 5 L * ? *)"), (Some(28 * DAY), Some(31 * DAY)));
        assert_eq!(
            gaps("cron(0 5 L * ? *)"),
            croner_gaps("0 5 L * ? *", from())
        );
    }

    #[test]
    fn nearest_weekday_forms() {
        for inner in ["0 8 1W * ? *", "0 8 15W * ? *", "0 8 LW * ? *"] {
            let ours = gaps(&format!("cron({inner})"));
            assert_eq!(ours, croner_gaps(inner, from()), "{inner}");
            let (min, max) = (ours.0.expect("min"), ours.1.expect("max"));
            assert!(min >= 25 * DAY && max <= 34 * DAY, "{inner}: {ours:?}");
        }
    }

    #[test]
    fn nth_weekday() {
        assert_eq!(
            gaps("cron(0 9 ? * 2#1 *)"),
            (Some(28 * DAY), Some(35 * DAY))
        );
        assert_eq!(
            gaps("cron(0 9 ? * 2#1 *)"),
            croner_gaps("0 9 ? * 2#1 *", from())
        );
    }

    #[test]
    fn last_friday_with_year_range() {
        let s = parse_aws_schedule("cron(15 10 ? * 6L 2026-2030)", None, utc(2026, 3, 1))
            .expect("parses");
        assert_eq!(
            (s.min_gap_secs(), s.max_gap_secs()),
            (Some(28 * DAY), Some(35 * DAY))
        );
        assert_eq!(s.last_run(), None);
        let first = DateTime::from_timestamp(s.gaps.first.expect("runs"), 0).expect("valid");
        assert_eq!(
            first,
            Utc.with_ymd_and_hms(2026, 3, 27, 10, 15, 0)
                .single()
                .expect("valid")
        );

        // Starting later, the year field ends inside the window: no max gap.
        let s = parse_aws_schedule("cron(15 10 ? * 6L 2026-2030)", None, utc(2027, 6, 1))
            .expect("parses");
        assert_eq!(s.max_gap_secs(), None);
        assert_eq!(s.min_gap_secs(), Some(28 * DAY));
        let last = s.last_run().expect("stops");
        assert_eq!(
            last,
            Utc.with_ymd_and_hms(2030, 12, 27, 10, 15, 0)
                .single()
                .expect("valid")
        );
        assert!(
            s.describe().ends_with("stops after 2030-12-27"),
            "{}",
            s.describe()
        );
    }

    #[test]
    fn last_day_of_week_is_saturday() {
        let s = sched("cron(0 5 ? * L *)");
        assert_eq!(s.max_gap_secs(), Some(WEEK));
        let first = DateTime::from_timestamp(s.gaps.first.expect("runs"), 0).expect("valid");
        assert_eq!(first.weekday(), chrono::Weekday::Sat);
    }

    #[test]
    fn every_fifteen_minutes() {
        let s = sched("cron(0/15 * * * ? *)");
        assert_eq!((s.min_gap_secs(), s.max_gap_secs()), (Some(900), Some(900)));
        assert_eq!(s.describe(), "every 15 minutes");
        assert_eq!(gaps("cron(* * ? * * *)"), (Some(60), Some(60)));
    }

    #[test]
    fn irregular_times_of_day() {
        // 01:00 and 13:30 daily: gaps 12h30m and 11h30m.
        assert_eq!(
            gaps("cron(0,30 1,13 ? * * *)"),
            (Some(30 * MINUTE), Some(11 * HOUR + 30 * MINUTE))
        );
        assert_eq!(
            gaps("cron(0 1,13 ? * * *)"),
            (Some(12 * HOUR), Some(12 * HOUR))
        );
        assert_eq!(
            gaps("cron(0 5 ? JAN,JUL MON *)"),
            croner_gaps("0 5 ? 1,7 2 *", from())
        );
        let office_hours = "0/20 9-17 ? * MON-FRI *";
        assert_eq!(
            gaps(&format!("cron({office_hours})")),
            croner_gaps(office_hours, from())
        );
        assert_eq!(
            gaps(&format!("cron({office_hours})")),
            (Some(20 * MINUTE), Some(2 * DAY + 15 * HOUR + 20 * MINUTE))
        );
    }

    #[test]
    fn stepped_years_count_from_1970() {
        let s = sched("cron(0 5 1 1 ? */2)");
        let first = DateTime::from_timestamp(s.gaps.first.expect("runs"), 0).expect("valid");
        assert_eq!(
            first,
            Utc.with_ymd_and_hms(2026, 1, 1, 5, 0, 0)
                .single()
                .expect("valid")
        );
        assert_eq!(s.max_gap_secs(), Some((365 + 366) * DAY));
        assert_eq!(s.last_run(), None);
        // A bounded stepped range stops after its last year.
        assert_eq!(
            sched("cron(0 5 1 1 ? 2026-2030/2)").last_run(),
            Utc.with_ymd_and_hms(2030, 1, 1, 5, 0, 0).single()
        );
        assert_eq!(sched("cron(0 5 1 1 ? 2026/2)").last_run(), None);
        assert_eq!(
            sched("cron(0 5 1 1 ? 2026,2040)").max_gap_secs(),
            Some(14 * 365 * DAY + 3 * DAY)
        );
    }

    #[test]
    fn leap_day_only() {
        let s = sched("cron(0 5 29 2 ? *)");
        // 2028-02-29, then 2032-02-29 (after the window).
        assert_eq!(s.max_gap_secs(), Some((366 + 365 + 365 + 365) * DAY));
    }

    #[test]
    fn never_matching_day_never_runs() {
        let s = sched("cron(0 5 30 2 ? *)");
        assert_eq!((s.min_gap_secs(), s.max_gap_secs()), (None, None));
        assert!(s.describe().starts_with("never runs"));
    }

    #[test]
    fn rates() {
        let s = sched("rate(1 hour)");
        assert_eq!(
            (s.min_gap_secs(), s.max_gap_secs()),
            (Some(HOUR), Some(HOUR))
        );
        assert_eq!(s.describe(), "hourly");
        assert_eq!(gaps("rate(12 hours)"), (Some(12 * HOUR), Some(12 * HOUR)));
        assert_eq!(sched("rate(12 hours)").describe(), "every 12 hours");
        assert_eq!(gaps("rate(7 days)"), (Some(WEEK), Some(WEEK)));
        assert_eq!(gaps("rate(5 minutes)"), (Some(300), Some(300)));
        assert_eq!(gaps(" rate( 1 day ) "), (Some(DAY), Some(DAY)));
        // AWS wants the singular for 1 and the plural above; the period is clear either way.
        assert_eq!(gaps("rate(1 hours)"), (Some(HOUR), Some(HOUR)));
        assert_eq!(gaps("rate(2 day)"), (Some(2 * DAY), Some(2 * DAY)));
    }

    #[test]
    fn rate_errors() {
        assert!(error("rate(0 days)").contains("at least 1"));
        assert!(error("rate(99999999999999999999 days)").contains("too large"));
        assert!(error("rate(-1 days)").contains("whole number"));
        assert!(error("rate(5 weeks)").contains("unknown rate unit"));
        assert!(error("rate(5)").contains("expected rate(N unit)"));
        assert!(error("rate(10000000000000000 days)").contains("too large"));
    }

    #[test]
    fn dlm_intervals() {
        let s = dlm_interval(12, "HOURS").expect("valid");
        assert_eq!(
            (s.min_gap_secs(), s.max_gap_secs()),
            (Some(12 * HOUR), Some(12 * HOUR))
        );
        assert_eq!(
            dlm_interval(24, "HOURS").expect("valid").describe(),
            "daily"
        );
        assert!(dlm_interval(5, "HOURS").is_err());
        assert!(dlm_interval(0, "HOURS").is_err());
        assert!(dlm_interval(-12, "HOURS").is_err());
        assert!(
            dlm_interval(12, "DAYS")
                .unwrap_err()
                .message
                .contains("HOURS")
        );
    }

    #[test]
    fn expired_year_never_runs() {
        let s = sched("cron(0 5 ? * * 2020-2024)");
        assert_eq!((s.min_gap_secs(), s.max_gap_secs()), (None, None));
        assert!(s.describe().starts_with("never runs"), "{}", s.describe());
    }

    #[test]
    fn single_run_then_stop() {
        let s = sched("cron(0 5 1 6 ? 2026)");
        assert_eq!((s.min_gap_secs(), s.max_gap_secs()), (None, None));
        assert!(s.describe().starts_with("runs once"), "{}", s.describe());
    }

    #[test]
    fn dst_skipped_run_new_york() {
        let ny = parse_aws_schedule("cron(30 2 ? * * *)", Some("America/New_York"), from())
            .expect("parses");
        let max = ny.max_gap_secs().expect("max");
        assert!(max > DAY);
        // 2:30 does not exist on spring-forward day: 47h gap (AWS skips it).
        assert_eq!(max, 47 * HOUR);
        assert_eq!(ny.min_gap_secs(), Some(DAY));
        assert!(
            ny.describe().starts_with("daily in America/New_York"),
            "{}",
            ny.describe()
        );

        let utc_version = sched("cron(30 2 ? * * *)");
        assert_eq!(
            (utc_version.min_gap_secs(), utc_version.max_gap_secs()),
            (Some(DAY), Some(DAY))
        );
        let explicit =
            parse_aws_schedule("cron(30 2 ? * * *)", Some("Etc/UTC"), from()).expect("parses");
        assert_eq!(explicit.max_gap_secs(), Some(DAY));
    }

    #[test]
    fn dst_short_and_long_days() {
        // 01:30 exists every day but is repeated in the fall (runs once).
        let s = parse_aws_schedule("cron(30 1 ? * * *)", Some("America/New_York"), from())
            .expect("parses");
        assert_eq!(
            (s.min_gap_secs(), s.max_gap_secs()),
            (Some(23 * HOUR), Some(25 * HOUR))
        );
        // Hourly in the fall-back hour: the repeated 01:xx runs once.
        let s = parse_aws_schedule("cron(0 * ? * * *)", Some("America/New_York"), from())
            .expect("parses");
        assert_eq!(
            (s.min_gap_secs(), s.max_gap_secs()),
            (Some(HOUR), Some(2 * HOUR))
        );
        // Southern hemisphere and half-hour zones parse too.
        let s = parse_aws_schedule("cron(0 5 ? * * *)", Some("Australia/Adelaide"), from())
            .expect("parses");
        assert_eq!(
            (s.min_gap_secs(), s.max_gap_secs()),
            (Some(23 * HOUR), Some(25 * HOUR))
        );
    }

    #[test]
    fn timezone_errors_and_defaults() {
        let e = parse_aws_schedule("cron(0 5 ? * * *)", Some("Mars/Olympus"), from()).unwrap_err();
        assert!(e.message.contains("unknown timezone"), "{e}");
        assert!(parse_aws_schedule("rate(1 day)", Some("Nope"), from()).is_err());
        assert!(parse_aws_schedule("cron(0 5 ? * * *)", Some(""), from()).is_ok());
    }

    #[test]
    fn invalid_expressions() {
        assert_eq!(
            error("cron(0 5 * * ?)"),
            "AWS cron needs 6 fields (minutes hours day-of-month month day-of-week year), found 5"
        );
        assert!(
            error("cron(0 5 * * * *)")
                .contains("`?` in exactly one of day-of-month and day-of-week")
        );
        assert!(error("cron(0 5 ? * ? *)").contains("`?` in exactly one"));
        assert!(error("cron(0 5 1 * 2 *)").contains("`?` in exactly one"));
        assert!(error("every day at 5").contains("expected cron(...) or rate(...)"));
        assert!(error("").contains("expected cron(...) or rate(...)"));
        assert!(error("cron()").contains("found 0"));
        assert!(error("cron(0 5 ? * 0 *)").contains("1 = SUN"));
        assert!(error("cron(0 5 ? * * 2300)").contains("1970-2199"));
        assert!(error("cron(0 25 ? * * *)").starts_with("invalid cron("));
        assert!(error("cron(0 5 ?5 * * *)").contains("`?`"));
        assert!(error("cron(, 5 ? * * *)").contains("no time of day"));
    }

    #[test]
    fn descriptions() {
        assert_eq!(format_duration(DAY + 23 * HOUR), "1d 23h");
        assert_eq!(format_duration(0), "0s");
        assert_eq!(every(90 * MINUTE), "every 90 minutes");
        assert_eq!(every(2 * WEEK), "every 2 weeks");
        assert_eq!(cadence(365 * DAY, 366 * DAY), "yearly");
        assert_eq!(sched("cron(0 5 1 1 ? *)").describe(), "yearly");
    }

    #[test]
    fn matches_croner_reference_for_day_patterns() {
        let patterns = [
            "5 ? * MON-FRI *",
            "5 ? * 1 *",
            "5 1 * ? *",
            "5 15,L * ? *",
            "5 ? * 6L *",
            "5 ? * 3#3 *",
            "5 ? FEB-APR,NOV 2,4 *",
            "5 1-7 * ? *",
            "5 */10 * ? *",
            "5 29 * ? *",
            "5 31 * ? *",
        ];
        for inner in patterns {
            for start in [utc(2026, 1, 1), utc(2027, 7, 15)] {
                let ours =
                    parse_aws_schedule(&format!("cron(0 {inner})"), None, start).expect("parses");
                assert_eq!(
                    (ours.min_gap_secs(), ours.max_gap_secs()),
                    croner_gaps(&format!("0 {inner}"), start),
                    "{inner} from {start}"
                );
            }
        }
    }

    #[test]
    fn never_panics_on_malformed_input() {
        let fixed = [
            "",
            " ",
            "cron()",
            "rate()",
            "cron(",
            "rate(",
            ")",
            "cron)",
            "rate(0 days)",
            "rate(99999999999999999999 days)",
            "rate(1 fortnight)",
            "rate(1.5 hours)",
            "cron(0 5 ? * * * *)",
            "cron(99999999999999999999 5 ? * * *)",
            "cron(0 5 ? * 9#9 *)",
            "cron(0 5 ? * L#2 *)",
            "cron(0 5 W * ? *)",
            "cron(0 5 L-3 * ? *)",
            "cron(0 5 32W * ? *)",
            "cron(0 5 ? * SAT-SUN *)",
            "cron(0 5 ? * 2#0 *)",
            "cron(0 5 ? * 7L/2 *)",
            "cron(0/0 5 ? * * *)",
            "cron(/ / ? * * *)",
            "cron(0 5 ? * * 1970-2199/0)",
            "cron(0 5 ? * * 65535)",
            "cron(0 5 ? * * 2026/1000)",
            "cron(@daily)",
            "cron(0 5 ? * * @yearly)",
            "cron(日 5 ? * * *)",
            "cron(0 5 ? * ＭＯＮ *)",
            "cron(0 5 ? ß * *)",
            "rate(١ day)",
            "ｃｒｏｎ(0 5 ? * * *)",
            "cron(0 5 ? * +MON *)",
            "cron(0 5 ? * MON-FRI#2 *)",
            "cron(0 5 LW,1W * ? *)",
            "cron(-1 5 ? * * *)",
        ];
        let alphabet = [
            "cron(",
            "rate(",
            ")",
            "(",
            " ",
            " ",
            "0",
            "5",
            "15",
            "59",
            "60",
            "*",
            "?",
            "L",
            "W",
            "#",
            "/",
            "-",
            ",",
            "MON",
            "JAN",
            "FRI",
            "7",
            "2026",
            "2199",
            "99999999999",
            "é",
            "日",
            "minutes",
            "day",
            "hour",
            "+",
            "@",
        ];
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let mut inputs: Vec<String> = fixed.iter().map(|s| (*s).to_owned()).collect();
        for _ in 0..400 {
            let len = next() % 14;
            let body: String = (0..len)
                .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
                .collect();
            inputs.push(body.clone());
            // Also try well-bracketed six-field cron shapes.
            let fields: Vec<&str> = (0..6)
                .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
                .collect();
            inputs.push(format!("cron({})", fields.join(" ")));
        }
        for input in &inputs {
            for tz in [None, Some("America/New_York"), Some("bogus/zone")] {
                match parse_aws_schedule(input, tz, from()) {
                    Ok(s) => {
                        let _ = (s.max_gap_secs(), s.min_gap_secs(), s.describe());
                    }
                    Err(e) => assert!(!e.message.is_empty(), "{input}"),
                }
            }
        }
        // Extreme window starts must not overflow.
        for start in [
            DateTime::<Utc>::MIN_UTC,
            DateTime::<Utc>::MAX_UTC,
            utc(2199, 12, 30),
        ] {
            let s = parse_aws_schedule("cron(0 5 ? * * *)", Some("America/New_York"), start)
                .expect("parses");
            let _ = s.describe();
        }
    }

    /// Timing figures: `cargo test --release -- --ignored --nocapture timing`.
    #[test]
    #[ignore]
    fn timing() {
        use std::time::Instant;
        let cases = [
            ("cron(0 5 ? * * *)", None),
            ("cron(0 5 ? * * *)", Some("America/New_York")),
            ("cron(0 5 ? * MON-FRI *)", None),
            ("cron(* * ? * * *)", None),
            ("cron(* * ? * * *)", Some("America/New_York")),
            ("cron(0/5 * * * ? *)", None),
            ("cron(0 5 1 * ? *)", None),
            ("cron(0 5 L * ? *)", None),
            ("cron(0 5 30 2 ? *)", None),
            ("rate(1 hour)", None),
        ];
        for (expr, tz) in cases {
            let n = 1000;
            let started = Instant::now();
            for _ in 0..n {
                let s = parse_aws_schedule(expr, tz, from()).expect("parses");
                std::hint::black_box(s.max_gap_secs());
            }
            let elapsed = started.elapsed();
            println!(
                "{expr} tz={tz:?}: {n} runs in {elapsed:?} ({:?} each)",
                elapsed / n
            );
        }
    }

    #[test]
    fn crontab_gaps() {
        assert_eq!(crontab_max_gap("0 */4 * * *"), Ok(4 * 3600));
        assert_eq!(crontab_max_gap("30 2 * * *"), Ok(86_400));
        assert_eq!(crontab_max_gap("0 3 * * 0"), Ok(7 * 86_400));
        assert_eq!(crontab_max_gap("0 3 * * 1,4"), Ok(4 * 86_400));
        assert_eq!(crontab_max_gap("0 3 * * 5-7"), Ok(5 * 86_400));
        assert_eq!(crontab_max_gap("0 0 1 * *"), Ok(31 * 86_400));
        assert!(crontab_max_gap("0 0 1 * 1").is_err());
        assert!(crontab_max_gap("0 0 * *").is_err());
    }
}
