//! What funders and oversight bodies see: filters, and aggregate tables that are safe to publish.

use chrono::{Datelike, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

use super::profile::VictimType;
use super::region::RegionScheme;
use super::series::NeedSplit;
use super::suppression::SafeTable;
use super::taxonomy::CategoryFamily;

/// The first day any filter may start on.
pub const EARLIEST: NaiveDate = NaiveDate::from_ymd_opt(2000, 1, 1).expect("a valid date");

/// The longest period one view covers, in weeks (two years).
pub const MAX_WEEKS: i64 = 104;

/// How many complete weeks the dashboard shows when no period is chosen.
pub const DEFAULT_WEEKS: i64 = 13;

/// Filters that cannot be used, with what to fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FilterError {
    /// Not a calendar date, before 2000 or after today.
    #[error("“{0}” is not a date Continuum can use: enter a day from 2000-01-01 to today, as YYYY-MM-DD.")]
    BadDate(String),
    /// A period starts on a Monday: figures are published for whole weeks only, so that two overlapping
    /// periods never differ by a few days whose small counts the difference would reveal.
    #[error("Periods are whole weeks: start on a Monday.")]
    NotMonday,
    /// A period ends on a Sunday.
    #[error("Periods are whole weeks: end on a Sunday.")]
    NotSunday,
    /// The week has not ended yet: its figures would change day by day, and so reveal each day's counts.
    #[error("Only weeks that have ended are published: end on a Sunday before today.")]
    WeekNotOver,
    /// The end comes before the start.
    #[error("The period ends before it starts: check the two dates.")]
    Reversed,
    /// Longer than [`MAX_WEEKS`].
    #[error("Choose at most two years at a time.")]
    TooLong,
    /// Not a region scheme.
    #[error("Group towns by planning regions or counties.")]
    BadScheme,
}

/// Filters of the oversight dashboard (all in the URL). The period is always whole, ended Connecticut weeks:
/// from a Monday to a Sunday before the current week.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OversightFilter {
    /// First day (local).
    pub from: NaiveDate,
    /// Last day (local).
    pub to: NaiveDate,
    /// How towns are grouped into regions (planning regions or counties).
    #[serde(default)]
    pub scheme: RegionScheme,
    /// A region of `scheme`, or statewide.
    pub region_id: Option<i64>,
    /// Victim type, or all.
    pub victim: Option<VictimType>,
    /// Category family, or all.
    pub family: Option<CategoryFamily>,
    /// How to split unmet needs.
    pub split: NeedSplit,
}

impl OversightFilter {
    /// The last `weeks` weeks that have ended by `today`, statewide, everything.
    pub fn last_weeks(today: NaiveDate, weeks: i64) -> Self {
        let this_monday = today.week(Weekday::Mon).first_day();
        Self {
            from: this_monday - chrono::Duration::weeks(weeks),
            to: this_monday - chrono::Duration::days(1),
            scheme: RegionScheme::default(),
            region_id: None,
            victim: None,
            family: None,
            split: NeedSplit::None,
        }
    }

    /// Reads filters from URL query pairs. Absent filters take their defaults (the last [`DEFAULT_WEEKS`] ended
    /// weeks, statewide, everything); a date that cannot be used is refused, never replaced, so nobody reads or
    /// downloads another period than the one they asked for.
    pub fn from_pairs<K: AsRef<str>, V: AsRef<str>>(
        today: NaiveDate,
        pairs: impl IntoIterator<Item = (K, V)>,
    ) -> Result<Self, FilterError> {
        let mut f = Self::last_weeks(today, DEFAULT_WEEKS);
        let date = |v: &str| {
            let v = v.trim();
            NaiveDate::parse_from_str(v, "%Y-%m-%d")
                .ok()
                .filter(|d| v.len() == 10 && *d >= EARLIEST && *d <= today)
                .ok_or_else(|| FilterError::BadDate(v.chars().take(20).collect()))
        };
        for (k, v) in pairs {
            let v = v.as_ref();
            match k.as_ref() {
                "from" if !v.is_empty() => f.from = date(v)?,
                "to" if !v.is_empty() => f.to = date(v)?,
                "scheme" => f.scheme = RegionScheme::parse(v).map_err(|_| FilterError::BadScheme)?,
                "region" => f.region_id = v.parse().ok(),
                "victim" => f.victim = VictimType::parse(v),
                "family" => f.family = CategoryFamily::parse(v),
                "split" => f.split = NeedSplit::parse(v),
                _ => {}
            }
        }
        if f.from.weekday() != Weekday::Mon {
            return Err(FilterError::NotMonday);
        }
        if f.to.weekday() != Weekday::Sun {
            return Err(FilterError::NotSunday);
        }
        if f.to >= today.week(Weekday::Mon).first_day() {
            return Err(FilterError::WeekNotOver);
        }
        if f.to < f.from {
            return Err(FilterError::Reversed);
        }
        if f.to - f.from >= chrono::Duration::weeks(MAX_WEEKS) {
            return Err(FilterError::TooLong);
        }
        Ok(f)
    }

    /// Reads filters from a URL query string (percent-decoded), as [`OversightFilter::from_pairs`].
    pub fn from_query(today: NaiveDate, query: &str) -> Result<Self, FilterError> {
        Self::from_pairs(today, url::form_urlencoded::parse(query.as_bytes()))
    }

    /// The filters as a URL query (also used in export file names).
    pub fn to_query_string(&self) -> String {
        let mut query = url::form_urlencoded::Serializer::new(String::new());
        query.append_pair("from", &self.from.to_string()).append_pair("to", &self.to.to_string());
        if self.scheme != RegionScheme::default() {
            query.append_pair("scheme", self.scheme.code());
        }
        if let Some(r) = self.region_id {
            query.append_pair("region", &r.to_string());
        }
        if let Some(v) = self.victim {
            query.append_pair("victim", v.code());
        }
        if let Some(f) = self.family {
            query.append_pair("family", f.code());
        }
        if self.split != NeedSplit::None {
            query.append_pair("split", self.split.code());
        }
        query.finish()
    }

    /// A file-name-safe summary of the filters, e.g. `2026-09-01_2026-11-28_region-3_adult_labor_housing`.
    pub fn file_stem(&self) -> String {
        let mut parts = vec![self.from.to_string(), self.to.to_string()];
        let region = if self.scheme == RegionScheme::County { "county" } else { "region" };
        parts.push(self.region_id.map_or("statewide".to_owned(), |r| format!("{region}-{r}")));
        parts.push(self.victim.map_or("all-victims".to_owned(), |v| v.code().to_owned()));
        parts.push(self.family.map_or("all-services".to_owned(), |f| f.code().to_owned()));
        parts.join("_")
    }
}

/// A published table with its labels: rows, columns and suppressed cells.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabelledTable {
    /// Title.
    pub title: String,
    /// Row labels.
    pub rows: Vec<String>,
    /// Column labels.
    pub columns: Vec<String>,
    /// Values, suppressed.
    pub table: SafeTable,
}

impl LabelledTable {
    /// CSV text: header, one line per row with its total, and a totals line. Hidden cells read "*".
    pub fn to_csv(&self) -> String {
        let quote = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
        let mut out = String::new();
        out.push_str(&quote(""));
        for c in &self.columns {
            out.push(',');
            out.push_str(&quote(c));
        }
        out.push_str(",\"Total\"\n");
        for (r, label) in self.rows.iter().enumerate() {
            out.push_str(&quote(label));
            for cell in &self.table.cells[r] {
                out.push(',');
                out.push_str(&cell.display());
            }
            out.push(',');
            out.push_str(&self.table.row_totals[r].display());
            out.push('\n');
        }
        out.push_str("\"Total\"");
        for cell in &self.table.column_totals {
            out.push(',');
            out.push_str(&cell.display());
        }
        out.push(',');
        out.push_str(&self.table.total.display());
        out.push('\n');
        out
    }
}

/// CSV text of weekly values: a header (`Week starting` and one column per series), then a line a week;
/// hidden values read [`HIDDEN`](super::suppression::HIDDEN), as on the page.
pub fn weekly_csv(series: &[&str], weeks: &[WeeklyValue]) -> String {
    let mut out = String::from("\"Week starting\"");
    for name in series {
        out.push_str(&format!(",\"{name}\""));
    }
    out.push('\n');
    for w in weeks {
        out.push_str(&w.week.to_string());
        for v in &w.values {
            out.push(',');
            out.push_str(&v.map_or_else(|| super::suppression::HIDDEN.to_owned(), |n| n.to_string()));
        }
        out.push('\n');
    }
    out
}

/// A value per week: unit counts and ratios, `None` where publishing would single out a provider's residents.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WeeklyValue {
    /// First day of the week (Monday, local).
    pub week: NaiveDate,
    /// Values, one per series; `None` when hidden.
    pub values: Vec<Option<f64>>,
}

/// Everything the oversight dashboard shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OversightView {
    /// Needs per week: met, unmet (not placed), placed outside region.
    pub needs: LabelledTable,
    /// Needs not placed, per week, split as asked.
    pub not_placed: LabelledTable,
    /// Median hours from recording to placement, by the week recorded (hidden where few were placed).
    pub placement_hours: Vec<WeeklyValue>,
    /// Capacity per week: total and fresh available units.
    pub capacity: Vec<WeeklyValue>,
    /// Freshness compliance per week: share of services confirmed within their fresh threshold (0 to 1).
    pub compliance: Vec<WeeklyValue>,
    /// Compliance by region over the last week of the range: services and fresh services.
    pub compliance_by_region: Vec<(String, i64, i64)>,
    /// Compliance by organization now: services and fresh services.
    pub compliance_by_organization: Vec<(String, i64, i64)>,
    /// Suppression threshold used.
    pub k: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_round_trip_and_name_their_files() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
        let f = OversightFilter::from_pairs(
            today,
            [
                ("from", "2026-10-05"),
                ("region", "3"),
                ("victim", "adult_labor"),
                ("family", "housing"),
                ("split", "victim"),
            ],
        )
        .unwrap();
        assert_eq!(OversightFilter::from_query(today, &f.to_query_string()).unwrap(), f);
        let encoded = OversightFilter::from_query(today, "from=2026%2D10%2D05&victim=adult%5Flabor").unwrap();
        assert_eq!((encoded.from, encoded.victim), (f.from, f.victim), "percent-encoded values are decoded");
        assert_eq!(f.file_stem(), "2026-10-05_2026-11-22_region-3_adult_labor_housing");
        let by_county = OversightFilter::from_pairs(today, [("scheme", "county"), ("region", "12")]).unwrap();
        assert_eq!(OversightFilter::from_query(today, &by_county.to_query_string()).unwrap(), by_county);
        assert!(by_county.file_stem().contains("_county-12_"), "{}", by_county.file_stem());
        assert_eq!(OversightFilter::from_pairs(today, [("scheme", "zip")]), Err(FilterError::BadScheme));
    }

    #[test]
    fn unusable_dates_are_refused_not_replaced() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
        let parse = |from: &str, to: &str| OversightFilter::from_pairs(today, [("from", from), ("to", to)]);
        for bad in ["+262143-12-31", "2026-13-45", "1999-12-31", "2026-11-29", "yesterday", "2026-1-5"] {
            assert!(matches!(parse(bad, ""), Err(FilterError::BadDate(_))), "{bad}");
        }
        assert_eq!(parse("2026-11-16", "2026-11-08"), Err(FilterError::Reversed));
        assert_eq!(parse("2024-11-18", "2026-11-22"), Err(FilterError::TooLong));
        let f = parse("", "").unwrap();
        let (monday, sunday) =
            (NaiveDate::from_ymd_opt(2026, 8, 24).unwrap(), NaiveDate::from_ymd_opt(2026, 11, 22).unwrap());
        assert_eq!((f.from, f.to), (monday, sunday), "absent dates: the last 13 weeks that have ended");
    }

    #[test]
    fn periods_are_whole_weeks_that_have_ended() {
        // Saturday 2026-11-28: the week of Monday 2026-11-23 has not ended.
        let today = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
        let parse = |from: &str, to: &str| OversightFilter::from_pairs(today, [("from", from), ("to", to)]);
        assert!(parse("2026-11-16", "2026-11-22").is_ok());
        assert_eq!(parse("2026-11-17", "2026-11-22"), Err(FilterError::NotMonday), "a day-shifted start");
        assert_eq!(parse("2026-11-16", "2026-11-21"), Err(FilterError::NotSunday));
        assert_eq!(parse("2026-11-16", "2026-11-28"), Err(FilterError::NotSunday));
        assert_eq!(parse("2026-11-23", ""), Err(FilterError::Reversed), "the current week alone is not over");
        let sunday = NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
        let parse_on = |from: &str, to: &str| OversightFilter::from_pairs(sunday, [("from", from), ("to", to)]);
        assert_eq!(parse_on("2026-11-23", "2026-11-29"), Err(FilterError::WeekNotOver), "not until Sunday ends");
    }

    #[test]
    fn csv_shows_suppressed_cells_as_less_than_k() {
        let table = crate::domain::suppression::suppress(&[vec![2, 9], vec![7, 8]], 5);
        let t = LabelledTable {
            title: "t".into(),
            rows: vec!["a".into(), "b".into()],
            columns: vec!["x".into(), "y".into()],
            table,
        };
        let csv = t.to_csv();
        assert!(csv.starts_with("\"\",\"x\",\"y\",\"Total\"\n\"a\",*,*,11\n"), "{csv}");
    }
}
