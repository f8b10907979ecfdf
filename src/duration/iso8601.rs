//! ISO 8601 durations (`P30D`, `PT4H`, `P1Y2M`, `PT0.5H`) and repeating intervals
//! (`R/2021-05-19T06:33:16+00:00/PT4H`), as Azure's backup policies write schedules and
//! retention (`backup_repeating_time_intervals`, `default_retention_duration`).
//!
//! Years and months have no fixed length: a duration that has them gives the shortest and the
//! longest number of seconds it can mean (a year 365 or 366 days, a month 28 to 31), and a caller
//! picks the bound on the safe side (the longest for a gap between backups, the shortest for a
//! retention). Everything else is exact. Only the forms Azure writes and their close relatives are
//! accepted: the alternative format (`P0001-02-03T…`), negative durations and durations written
//! with more than [`MAX_LEN`] characters are errors.

use chrono::{DateTime, FixedOffset, NaiveDateTime};

/// Longest text accepted.
pub const MAX_LEN: usize = 128;

const MINUTE: f64 = 60.0;
const HOUR: f64 = 3_600.0;
const DAY: f64 = 86_400.0;

/// A duration, by component. Only the last component written may have a fraction.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Duration {
    /// Years.
    pub years: f64,
    /// Months.
    pub months: f64,
    /// Weeks.
    pub weeks: f64,
    /// Days.
    pub days: f64,
    /// Hours.
    pub hours: f64,
    /// Minutes.
    pub minutes: f64,
    /// Seconds.
    pub seconds: f64,
}

impl Duration {
    /// Whether its length depends on the calendar (it has years or months).
    pub fn is_calendar(&self) -> bool {
        self.years != 0.0 || self.months != 0.0
    }

    /// The length in whole seconds (rounded up) with years and months of `year_days` and
    /// `month_days` days; `None` when it does not fit in a `u64`.
    fn seconds_with(&self, year_days: f64, month_days: f64) -> Option<u64> {
        let total = self.years * year_days * DAY
            + self.months * month_days * DAY
            + self.weeks * 7.0 * DAY
            + self.days * DAY
            + self.hours * HOUR
            + self.minutes * MINUTE
            + self.seconds;
        (total.is_finite() && total >= 0.0 && total < u64::MAX as f64).then(|| total.ceil() as u64)
    }

    /// The shortest length it can mean, in seconds (a year of 365 days, a month of 28).
    pub fn min_seconds(&self) -> Option<u64> {
        self.seconds_with(365.0, 28.0)
    }

    /// The longest length it can mean, in seconds (a year of 366 days, a month of 31).
    pub fn max_seconds(&self) -> Option<u64> {
        self.seconds_with(366.0, 31.0)
    }

    /// The exact length in seconds, when it has no years or months.
    pub fn exact_seconds(&self) -> Option<u64> {
        if self.is_calendar() {
            None
        } else {
            self.min_seconds()
        }
    }
}

/// Parses a duration (`P30D`, `PT4H`, `P1Y2M10DT2H30M`, `P2W`, `PT1.5S`, `PT0,5H`).
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let t = text.trim();
    let invalid = |why: &str| format!("`{}` is not an ISO 8601 duration: {why}", shorten(t));
    if t.len() > MAX_LEN {
        return Err(invalid("too long"));
    }
    let Some(rest) = t.strip_prefix(['P', 'p']) else {
        return Err(invalid("it must start with P"));
    };
    if rest.is_empty() {
        return Err(invalid("no components after P"));
    }
    if rest.contains('-') || rest.contains(':') {
        return Err(invalid(
            "the alternative format (P0001-02-03T…) is not supported",
        ));
    }
    let mut d = Duration::default();
    let mut in_time = false;
    let mut seen_time_part = false;
    // Components must come in this order; each at most once.
    let mut last_rank = 0u8;
    let mut fraction_seen = false;
    let mut chars = rest.char_indices().peekable();
    while let Some(&(start, c)) = chars.peek() {
        if c == 'T' || c == 't' {
            if in_time {
                return Err(invalid("T twice"));
            }
            in_time = true;
            chars.next();
            continue;
        }
        // A number: digits with at most one decimal separator.
        let mut end = start;
        let mut separator = false;
        while let Some(&(i, ch)) = chars.peek() {
            if ch.is_ascii_digit() {
                end = i + 1;
                chars.next();
            } else if (ch == '.' || ch == ',') && !separator {
                separator = true;
                end = i + 1;
                chars.next();
            } else {
                break;
            }
        }
        let number = &rest[start..end];
        if number.is_empty() || number == "." || number == "," {
            return Err(invalid("a component has no number"));
        }
        let Some((_, designator)) = chars.next() else {
            return Err(invalid("a number has no unit"));
        };
        if fraction_seen {
            return Err(invalid("only the last component may have a fraction"));
        }
        fraction_seen = separator;
        let value: f64 = number
            .replace(',', ".")
            .parse()
            .map_err(|_| invalid("a number cannot be read"))?;
        let (rank, slot) = match (in_time, designator.to_ascii_uppercase()) {
            (false, 'Y') => (1, &mut d.years),
            (false, 'M') => (2, &mut d.months),
            (false, 'W') => (3, &mut d.weeks),
            (false, 'D') => (4, &mut d.days),
            (true, 'H') => (5, &mut d.hours),
            (true, 'M') => (6, &mut d.minutes),
            (true, 'S') => (7, &mut d.seconds),
            (_, other) => {
                return Err(invalid(&format!(
                    "`{other}` is not a unit {}",
                    if in_time { "after T" } else { "before T" }
                )));
            }
        };
        if rank <= last_rank {
            return Err(invalid("components are out of order or repeated"));
        }
        last_rank = rank;
        seen_time_part |= in_time;
        *slot = value;
    }
    if in_time && !seen_time_part {
        return Err(invalid("T with no time components"));
    }
    Ok(d)
}

/// A repeating interval: `R[n]/<start>/<duration>`, `R[n]/<duration>/<end>` or
/// `R[n]/<start>/<end>`.
#[derive(Debug, Clone, PartialEq)]
pub struct RepeatingInterval {
    /// How many times (`R5`); `None` for unbounded (`R`).
    pub repetitions: Option<u64>,
    /// When the first interval starts, when given (a time without an offset is local time,
    /// kept as written).
    pub start: Option<Moment>,
    /// The time between repetitions.
    pub period: Period,
}

/// A point in time as an interval writes it.
#[derive(Debug, Clone, PartialEq)]
pub enum Moment {
    /// With an offset or `Z`.
    Offset(DateTime<FixedOffset>),
    /// Without one.
    Local(NaiveDateTime),
}

/// How far apart repetitions are.
#[derive(Debug, Clone, PartialEq)]
pub enum Period {
    /// A duration (`PT4H`).
    Duration(Duration),
    /// Between a start and an end time: exact seconds.
    Between(u64),
}

impl RepeatingInterval {
    /// The longest time between two repetitions, in seconds.
    pub fn max_gap_seconds(&self) -> Option<u64> {
        match &self.period {
            Period::Duration(d) => d.max_seconds(),
            Period::Between(s) => Some(*s),
        }
    }
}

/// Parses a repeating interval (`R/2021-05-19T06:33:16+00:00/PT4H`).
pub fn parse_repeating_interval(text: &str) -> Result<RepeatingInterval, String> {
    let t = text.trim();
    let invalid = |why: &str| {
        format!(
            "`{}` is not an ISO 8601 repeating interval: {why}",
            shorten(t)
        )
    };
    if t.len() > MAX_LEN {
        return Err(invalid("too long"));
    }
    let parts: Vec<&str> = t.split('/').collect();
    let [r, a, b] = parts.as_slice() else {
        return Err(invalid("expected R/<start>/<duration>"));
    };
    let Some(count) = r.strip_prefix(['R', 'r']) else {
        return Err(invalid("it must start with R"));
    };
    let repetitions = match count {
        "" => None,
        // `R-1` (ISO 8601-2) is unbounded too.
        "-1" => None,
        n => Some(
            n.parse::<u64>()
                .map_err(|_| invalid("the repetition count is not a number"))?,
        ),
    };
    let is_duration = |s: &str| s.starts_with(['P', 'p']);
    let (start, period) = match (is_duration(a), is_duration(b)) {
        (false, true) => (
            Some(parse_moment(a).map_err(|e| invalid(&e))?),
            Period::Duration(parse_duration(b)?),
        ),
        (true, false) => {
            parse_moment(b).map_err(|e| invalid(&e))?;
            (None, Period::Duration(parse_duration(a)?))
        }
        (false, false) => {
            let (from, to) = (
                parse_moment(a).map_err(|e| invalid(&e))?,
                parse_moment(b).map_err(|e| invalid(&e))?,
            );
            let secs = match (&from, &to) {
                (Moment::Offset(x), Moment::Offset(y)) => (*y - *x).num_seconds(),
                (Moment::Local(x), Moment::Local(y)) => (*y - *x).num_seconds(),
                _ => return Err(invalid("the start and end differ in having an offset")),
            };
            let secs = u64::try_from(secs).map_err(|_| invalid("the end is before the start"))?;
            (Some(from), Period::Between(secs))
        }
        (true, true) => return Err(invalid("two durations")),
    };
    Ok(RepeatingInterval {
        repetitions,
        start,
        period,
    })
}

/// Parses a date-time: RFC 3339 (`2021-05-19T06:33:16+00:00`, `…Z`), or without an offset.
fn parse_moment(text: &str) -> Result<Moment, String> {
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Ok(Moment::Offset(t));
    }
    for format in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%dT%H:%M"] {
        if let Ok(t) = NaiveDateTime::parse_from_str(text, format) {
            return Ok(Moment::Local(t));
        }
    }
    Err(format!("`{}` is not a date and time", shorten(text)))
}

/// At most 40 characters of a text, for messages.
fn shorten(text: &str) -> String {
    if text.chars().count() <= 40 {
        text.to_string()
    } else {
        format!("{}…", text.chars().take(40).collect::<String>())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_as_azure_writes_them() {
        let secs = |t: &str| parse_duration(t).unwrap().exact_seconds().unwrap();
        assert_eq!(secs("PT4H"), 4 * 3600);
        assert_eq!(secs("P30D"), 30 * 86_400);
        assert_eq!(secs("P7D"), 7 * 86_400);
        assert_eq!(secs("P2W"), 14 * 86_400);
        assert_eq!(secs("PT0S"), 0);
        assert_eq!(secs("P1DT12H"), 36 * 3600);
        assert_eq!(secs("PT1H30M"), 5400);
        assert_eq!(secs("PT0.5H"), 1800);
        assert_eq!(secs("PT0,5H"), 1800);
        assert_eq!(secs("PT1.5S"), 2);
        assert_eq!(secs("pt15m"), 900);
    }

    #[test]
    fn calendar_durations_have_bounds() {
        let y = parse_duration("P1Y").unwrap();
        assert!(y.is_calendar());
        assert_eq!(y.exact_seconds(), None);
        assert_eq!(y.min_seconds(), Some(365 * 86_400));
        assert_eq!(y.max_seconds(), Some(366 * 86_400));
        let m = parse_duration("P1M").unwrap();
        assert_eq!(
            (m.min_seconds(), m.max_seconds()),
            (Some(28 * 86_400), Some(31 * 86_400))
        );
        // `M` before T is months, after T minutes.
        assert_eq!(parse_duration("P1MT1M").unwrap().minutes, 1.0);
    }

    #[test]
    fn malformed_durations_are_errors() {
        for t in [
            "",
            "P",
            "PT",
            "4H",
            "P4H",
            "PT4D",
            "P1D1D",
            "PT1M1H",
            "P1.5DT1H",
            "P-1D",
            "P0001-02-03",
            "PT1..5S",
            "P1",
            "PTH",
            "P1DT",
            "PT1H2",
            "P9999999999999999999999Y",
        ] {
            let r = parse_duration(t);
            assert!(
                r.is_err() || r.unwrap().max_seconds().is_none(),
                "{t} should not parse"
            );
        }
        assert!(parse_duration(&format!("P{}D", "9".repeat(200))).is_err());
    }

    #[test]
    fn repeating_intervals() {
        let i = parse_repeating_interval("R/2021-05-19T06:33:16+00:00/PT4H").unwrap();
        assert_eq!(i.repetitions, None);
        assert_eq!(i.max_gap_seconds(), Some(4 * 3600));
        assert!(matches!(i.start, Some(Moment::Offset(_))));
        let i = parse_repeating_interval("R5/2024-01-01T02:00:00Z/P1W").unwrap();
        assert_eq!(i.repetitions, Some(5));
        assert_eq!(i.max_gap_seconds(), Some(7 * 86_400));
        let i = parse_repeating_interval("R/2024-01-01T02:00:00/P1D").unwrap();
        assert!(matches!(i.start, Some(Moment::Local(_))));
        let i = parse_repeating_interval("R/PT6H/2024-01-01T02:00:00Z").unwrap();
        assert_eq!(i.max_gap_seconds(), Some(6 * 3600));
        let i = parse_repeating_interval("R/2024-01-01T00:00:00Z/2024-01-01T08:00:00Z").unwrap();
        assert_eq!(i.max_gap_seconds(), Some(8 * 3600));
        for t in [
            "PT4H",
            "R/PT4H",
            "X/2024-01-01T00:00:00Z/PT4H",
            "R/PT4H/PT4H",
            "R/yesterday/PT4H",
            "Rx/2024-01-01T00:00:00Z/PT4H",
            "R/2024-01-01T08:00:00Z/2024-01-01T00:00:00Z",
            "R/2024-01-01T00:00:00Z/2024-01-01T08:00:00",
            "R/2024-01-01T00:00:00Z/PT4H/extra",
        ] {
            assert!(parse_repeating_interval(t).is_err(), "{t}");
        }
    }
}
