//! Durations written in content files: `"250ms"`, `"5s"`, `"2m"`.

use std::time::Duration;

const MAX_SECS: f64 = 24.0 * 3600.0;

/// Parses a duration, or says what form is expected.
pub fn parse(text: &str) -> Result<Duration, String> {
    let t = text.trim();
    let split = t
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let value: f64 = num.parse().map_err(|_| {
        format!(
            "`{text}` is not a duration: write a number and a unit, e.g. \"500ms\", \"5s\", \"2m\""
        )
    })?;
    let secs = match unit.trim() {
        "ms" => value / 1000.0,
        "s" => value,
        "m" => value * 60.0,
        "" => {
            return Err(format!(
                "`{text}` has no unit: write \"{num}s\" or \"{num}ms\""
            ));
        }
        other => {
            return Err(format!(
                "unknown unit `{other}` in `{text}`: use ms, s or m"
            ));
        }
    };
    // A day is longer than any wait a check or a lesson needs; beyond it a
    // value is a typo (and Duration::from_secs_f64 would panic on overflow).
    if !(secs.is_finite() && (0.0..=MAX_SECS).contains(&secs)) {
        return Err(format!(
            "`{text}` is out of range: durations go up to 24 hours (\"1440m\")"
        ));
    }
    Duration::try_from_secs_f64(secs).map_err(|_| format!("`{text}` is out of range"))
}

/// Short human form: `850ms`, `3.2s`.
pub fn show(d: Duration) -> String {
    let ms = d.as_millis();
    if ms < 1000 {
        format!("{ms}ms")
    } else {
        format!("{:.1}s", d.as_secs_f64())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_units_and_rejects_bare_numbers() {
        assert_eq!(parse("250ms"), Ok(Duration::from_millis(250)));
        assert_eq!(parse("5s"), Ok(Duration::from_secs(5)));
        assert_eq!(parse("2m"), Ok(Duration::from_secs(120)));
        assert!(parse("5").unwrap_err().contains("no unit"));
        assert!(parse("5h").unwrap_err().contains("unknown unit"));
        assert!(parse("fast").is_err());
    }

    #[test]
    fn huge_values_are_refused_not_a_panic() {
        for t in ["99999999999999999999999m", "1441m", "86400.5s"] {
            assert!(parse(t).unwrap_err().contains("out of range"), "{t}");
        }
        assert_eq!(parse("1440m"), Ok(Duration::from_secs(86_400)));
    }
}
