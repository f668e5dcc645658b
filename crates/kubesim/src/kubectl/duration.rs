//! Port of `k8s.io/apimachinery/pkg/util/duration` (`HumanDuration`, `ShortHumanDuration`).
//!
//! Durations are signed nanoseconds (Go's `time.Duration`); every step truncates toward zero
//! exactly as the Go integer conversions do.

use k8s_openapi::jiff::{SignedDuration, Timestamp};

const NS: i128 = 1_000_000_000;

/// `HumanDuration`: ~2-3 significant figures (`119s`, `5m1s`, `179m`, `7h59m`, `47h`, `7d23h`,
/// `729d`, `7y364d`, `8y`). Anything below -1s is `<invalid>` (clock skew tolerance).
pub fn human_duration(d: SignedDuration) -> String {
    human_duration_nanos(d.as_nanos())
}

/// `HumanDuration(now - then)`, the AGE of something created at `then`.
pub fn human_duration_between(then: Timestamp, now: Timestamp) -> String {
    human_duration_nanos(now.as_nanosecond() - then.as_nanosecond())
}

/// `HumanDuration` of a duration given in nanoseconds.
pub fn human_duration_nanos(d: i128) -> String {
    let seconds = d / NS;
    if seconds < -1 {
        return "<invalid>".to_string();
    } else if seconds < 0 {
        return "0s".to_string();
    } else if seconds < 60 * 2 {
        return format!("{seconds}s");
    }
    let minutes = d / (60 * NS);
    if minutes < 10 {
        let s = (d / NS) % 60;
        if s == 0 {
            return format!("{minutes}m");
        }
        return format!("{minutes}m{s}s");
    } else if minutes < 60 * 3 {
        return format!("{minutes}m");
    }
    let hours = d / (3600 * NS);
    if hours < 8 {
        let m = (d / (60 * NS)) % 60;
        if m == 0 {
            return format!("{hours}h");
        }
        format!("{hours}h{m}m")
    } else if hours < 48 {
        format!("{hours}h")
    } else if hours < 24 * 8 {
        let h = hours % 24;
        if h == 0 {
            return format!("{}d", hours / 24);
        }
        format!("{}d{h}h", hours / 24)
    } else if hours < 24 * 365 * 2 {
        format!("{}d", hours / 24)
    } else if hours < 24 * 365 * 8 {
        let dy = (hours / 24) % 365;
        if dy == 0 {
            return format!("{}y", hours / 24 / 365);
        }
        format!("{}y{dy}d", hours / 24 / 365)
    } else {
        format!("{}y", hours / 24 / 365)
    }
}

/// `ShortHumanDuration`: one unit only (`59s`, `1m`, `23h`, `364d`, `1y`).
pub fn short_human_duration(d: SignedDuration) -> String {
    short_human_duration_nanos(d.as_nanos())
}

/// `ShortHumanDuration` of a duration given in nanoseconds.
pub fn short_human_duration_nanos(d: i128) -> String {
    let seconds = d / NS;
    if seconds < -1 {
        "<invalid>".to_string()
    } else if seconds < 0 {
        "0s".to_string()
    } else if seconds < 60 {
        format!("{seconds}s")
    } else if d / (60 * NS) < 60 {
        format!("{}m", d / (60 * NS))
    } else if d / (3600 * NS) < 24 {
        format!("{}h", d / (3600 * NS))
    } else if d / (3600 * NS) < 24 * 365 {
        format!("{}d", d / (3600 * NS) / 24)
    } else {
        // Go: int(d.Hours()/24/365), float division then truncation.
        format!("{}y", d / (3600 * NS) / 24 / 365)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MS: i128 = 1_000_000;
    const SEC: i128 = NS;
    const MIN: i128 = 60 * SEC;
    const HOUR: i128 = 60 * MIN;
    const DAY: i128 = 24 * HOUR;
    const YEAR: i128 = 365 * DAY;

    #[test]
    fn human_duration_upstream_examples() {
        // duration_test.go TestHumanDuration
        let cases = [
            (SEC, "1s"),
            (70 * SEC, "70s"),
            (190 * SEC, "3m10s"),
            (70 * MIN, "70m"),
            (47 * HOUR, "47h"),
            (49 * HOUR, "2d1h"),
            ((8 * 24 + 2) * HOUR, "8d"),
            (367 * 24 * HOUR, "367d"),
            ((365 * 2 * 24 + 25) * HOUR, "2y1d"),
            ((365 * 8 * 24 + 2) * HOUR, "8y"),
        ];
        for (d, want) in cases {
            assert_eq!(human_duration_nanos(d), want, "{d}ns");
        }
    }

    #[test]
    fn human_duration_every_boundary() {
        // duration_test.go TestHumanDurationBoundaries, plus the edges around -1s and 0.
        let cases = [
            (-2 * SEC, "<invalid>"),
            (-2 * SEC + 1, "0s"),
            (-SEC, "0s"),
            (-1, "0s"),
            (0, "0s"),
            (SEC - MS, "0s"),
            (SEC, "1s"),
            (2 * MIN - MS, "119s"),
            (2 * MIN, "2m"),
            (2 * MIN + SEC, "2m1s"),
            (5 * MIN + SEC, "5m1s"),
            (2 * MIN + 5 * SEC, "2m5s"),
            (10 * MIN - MS, "9m59s"),
            (10 * MIN, "10m"),
            (10 * MIN + SEC, "10m"),
            (19 * MIN + 59 * SEC, "19m"),
            (3 * HOUR - MS, "179m"),
            (3 * HOUR, "3h"),
            (3 * HOUR + MIN, "3h1m"),
            (8 * HOUR - MS, "7h59m"),
            (8 * HOUR, "8h"),
            (8 * HOUR + 59 * MIN, "8h"),
            (13 * HOUR, "13h"),
            (2 * DAY - MS, "47h"),
            (2 * DAY, "2d"),
            (2 * DAY + HOUR, "2d1h"),
            (8 * DAY - MS, "7d23h"),
            (8 * DAY, "8d"),
            (8 * DAY + 23 * HOUR, "8d"),
            (2 * YEAR - MS, "729d"),
            (2 * YEAR, "2y"),
            (2 * YEAR + 23 * HOUR, "2y"),
            (2 * YEAR + 23 * HOUR + 59 * MIN, "2y"),
            (2 * YEAR + DAY - MS, "2y"),
            (2 * YEAR + DAY, "2y1d"),
            (3 * YEAR, "3y"),
            (4 * YEAR, "4y"),
            (5 * YEAR, "5y"),
            (6 * YEAR, "6y"),
            (7 * YEAR, "7y"),
            (8 * YEAR - MS, "7y364d"),
            (8 * YEAR, "8y"),
            (8 * YEAR + 364 * DAY, "8y"),
            (9 * YEAR, "9y"),
        ];
        for (d, want) in cases {
            assert_eq!(human_duration_nanos(d), want, "{d}ns");
        }
    }

    #[test]
    fn short_human_duration_every_boundary() {
        // duration_test.go TestShortHumanDurationBoundaries
        let cases = [
            (-2 * SEC, "<invalid>"),
            (-2 * SEC + 1, "0s"),
            (0, "0s"),
            (SEC - MS, "0s"),
            (SEC, "1s"),
            (2 * SEC - MS, "1s"),
            (MIN - MS, "59s"),
            (MIN, "1m"),
            (2 * MIN - MS, "1m"),
            (HOUR - MS, "59m"),
            (HOUR, "1h"),
            (2 * HOUR - MS, "1h"),
            (DAY - MS, "23h"),
            (DAY, "1d"),
            (2 * DAY - MS, "1d"),
            (YEAR - MS, "364d"),
            (YEAR, "1y"),
            (2 * YEAR - MS, "1y"),
            (2 * YEAR, "2y"),
        ];
        for (d, want) in cases {
            assert_eq!(short_human_duration_nanos(d), want, "{d}ns");
        }
    }

    #[test]
    fn between_timestamps_and_signed_duration() {
        let then: Timestamp = "2026-01-01T00:00:00Z".parse().unwrap();
        let now: Timestamp = "2026-01-01T00:19:30Z".parse().unwrap();
        assert_eq!(human_duration_between(then, now), "19m");
        assert_eq!(human_duration_between(now, then), "<invalid>");
        assert_eq!(human_duration(SignedDuration::from_secs(125)), "2m5s");
        assert_eq!(short_human_duration(SignedDuration::from_secs(125)), "2m");
    }
}
