//! Durations as users write them (`15m`, `4h`, `35d`, `1h30m`) and as reports print them; ISO
//! 8601 durations and repeating intervals (Azure's backup policies) in [`iso8601`].

pub mod iso8601;

/// Parses a duration: one or more `<number><unit>` parts, units `s`, `m`, `h`, `d`, `w`
/// (also `sec`, `min`, `hour(s)`, `day(s)`, `week(s)`). Returns seconds.
pub fn parse(text: &str) -> Result<u64, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err("empty duration".into());
    }
    let mut total: u64 = 0;
    let mut rest = t;
    while !rest.is_empty() {
        let digits = rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len());
        if digits == 0 {
            return Err(format!(
                "invalid duration `{text}`: expected a number, like `15m`, `4h` or `35d`"
            ));
        }
        let n: u64 = rest[..digits]
            .parse()
            .map_err(|_| format!("invalid duration `{text}`: number too large"))?;
        rest = rest[digits..].trim_start();
        let unit_len = rest
            .find(|c: char| !c.is_ascii_alphabetic())
            .unwrap_or(rest.len());
        let unit = &rest[..unit_len];
        let factor = match unit {
            "s" | "sec" | "secs" | "second" | "seconds" => 1,
            "m" | "min" | "mins" | "minute" | "minutes" => 60,
            "h" | "hour" | "hours" => 3600,
            "d" | "day" | "days" => 86_400,
            "w" | "week" | "weeks" => 604_800,
            "" => {
                return Err(format!(
                    "invalid duration `{text}`: missing unit (s, m, h, d or w)"
                ));
            }
            other => {
                return Err(format!(
                    "invalid duration `{text}`: unknown unit `{other}` (use s, m, h, d or w)"
                ));
            }
        };
        total = n
            .checked_mul(factor)
            .and_then(|v| total.checked_add(v))
            .ok_or_else(|| format!("invalid duration `{text}`: too large"))?;
        rest = rest[unit_len..].trim_start();
    }
    Ok(total)
}

/// Formats seconds compactly: `0s`, `90s`, `15m`, `1h30m`, `24h`, `7d`, `35d`.
pub fn format(secs: u64) -> String {
    if secs == 0 {
        return "0s".into();
    }
    const DAY: u64 = 86_400;
    if secs.is_multiple_of(DAY) && secs > DAY {
        return format!("{}d", secs / DAY);
    }
    let mut out = String::new();
    let mut rest = secs;
    if rest > 2 * DAY {
        out.push_str(&format!("{}d", rest / DAY));
        rest %= DAY;
    }
    for (unit, size) in [("h", 3600), ("m", 60), ("s", 1)] {
        if rest >= size {
            out.push_str(&format!("{}{unit}", rest / size));
            rest %= size;
        }
    }
    out
}

/// Deserializes a duration written as a string (`"15m"`) or a number of seconds.
pub fn deserialize<'de, D: serde::Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    #[derive(serde::Deserialize)]
    #[serde(untagged)]
    enum Raw {
        Text(String),
        Secs(u64),
    }
    match <Raw as serde::Deserialize>::deserialize(d)? {
        Raw::Text(t) => parse(&t).map_err(serde::de::Error::custom),
        Raw::Secs(s) => Ok(s),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_units_and_combinations() {
        assert_eq!(parse("15m"), Ok(900));
        assert_eq!(parse("4h"), Ok(14_400));
        assert_eq!(parse("35d"), Ok(35 * 86_400));
        assert_eq!(parse("1h30m"), Ok(5400));
        assert_eq!(parse("2 weeks"), Ok(1_209_600));
        assert_eq!(parse("0s"), Ok(0));
        assert!(parse("15").unwrap_err().contains("missing unit"));
        assert!(parse("5y").unwrap_err().contains("unknown unit"));
        assert!(parse("").is_err());
        assert!(parse("99999999999999999999d").is_err());
    }

    #[test]
    fn formats_compactly() {
        assert_eq!(format(0), "0s");
        assert_eq!(format(900), "15m");
        assert_eq!(format(86_400), "24h");
        assert_eq!(format(7 * 86_400), "7d");
        assert_eq!(format(5400), "1h30m");
        assert_eq!(format(3 * 86_400 + 3600), "3d1h");
        assert_eq!(format(90), "1m30s");
    }
}
