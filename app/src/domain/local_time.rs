//! Connecticut time. Every screen and export shows it with its zone (EST or EDT), and every period boundary
//! (days, weeks) is a local midnight. Daylight-saving rules come from the IANA time-zone database
//! (`chrono-tz`), never from code of our own.

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;

/// Connecticut's time zone.
pub const ZONE: Tz = chrono_tz::America::New_York;

/// The instant `utc` (seconds) in Connecticut; the Unix epoch if `utc` is out of range.
pub fn at(utc: i64) -> DateTime<Tz> {
    DateTime::from_timestamp(utc, 0).unwrap_or_default().with_timezone(&ZONE)
}

/// Connecticut's wall-clock time at `utc`.
pub fn wall_clock(utc: i64) -> NaiveDateTime {
    at(utc).naive_local()
}

/// Connecticut's date at `utc`.
pub fn date(utc: i64) -> NaiveDate {
    wall_clock(utc).date()
}

/// The UTC instant (seconds) of the local midnight that starts `date`.
pub fn midnight_utc(date: NaiveDate) -> i64 {
    let midnight = date.and_hms_opt(0, 0, 0).unwrap_or_default();
    // New York changes its clocks at 2:00, so midnight always exists exactly once; the fallback is EST.
    ZONE.from_local_datetime(&midnight)
        .earliest()
        .map_or_else(|| midnight.and_utc().timestamp() + 5 * 3600, |t| t.timestamp())
}

/// Date, time and zone for screens and exports: `2026-11-03 10:15 EST`.
pub fn date_time(at: DateTime<Utc>) -> String {
    at.with_timezone(&ZONE).format("%Y-%m-%d %H:%M %Z").to_string()
}

/// Time of day and zone: `10:15 EST`.
pub fn time_of_day(at: DateTime<Utc>) -> String {
    at.with_timezone(&ZONE).format("%H:%M %Z").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(y: i32, m: u32, d: u32, h: u32) -> i64 {
        NaiveDate::from_ymd_opt(y, m, d).unwrap().and_hms_opt(h, 0, 0).unwrap().and_utc().timestamp()
    }

    fn offset_hours(utc: i64) -> i64 {
        (wall_clock(utc).and_utc().timestamp() - utc) / 3600
    }

    #[test]
    fn daylight_saving_starts_and_ends_on_the_federal_sundays() {
        assert_eq!(offset_hours(utc(2026, 3, 8, 6)), -5, "before 2:00 EST on 8 March 2026");
        assert_eq!(offset_hours(utc(2026, 3, 8, 7)), -4, "from 2:00 EST it is 3:00 EDT");
        assert_eq!(offset_hours(utc(2026, 11, 1, 5)), -4, "1:00 EDT on 1 November 2026");
        assert_eq!(offset_hours(utc(2026, 11, 1, 6)), -5, "back to EST");
        assert_eq!(offset_hours(utc(2026, 7, 4, 12)), -4);
        assert_eq!(offset_hours(utc(2026, 1, 15, 12)), -5);
    }

    #[test]
    fn midnights_and_dates_are_local() {
        assert_eq!(midnight_utc(NaiveDate::from_ymd_opt(2026, 1, 10).unwrap()), utc(2026, 1, 10, 5));
        assert_eq!(midnight_utc(NaiveDate::from_ymd_opt(2026, 7, 10).unwrap()), utc(2026, 7, 10, 4));
        assert_eq!(date(utc(2026, 11, 2, 2)), NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(), "21:00 EST on Sunday");
    }

    #[test]
    fn times_shown_carry_their_zone() {
        let winter = DateTime::from_timestamp(utc(2026, 1, 15, 15), 0).unwrap();
        let summer = DateTime::from_timestamp(utc(2026, 7, 15, 15), 0).unwrap();
        assert_eq!(date_time(winter), "2026-01-15 10:00 EST");
        assert_eq!(time_of_day(summer), "11:00 EDT");
    }
}
