//! Time series for charts: Connecticut days and weeks ([`super::local_time`]), and aggregation of needs into
//! counts. Storage is UTC; bucketing uses local time.

use std::collections::BTreeMap;

use chrono::{Datelike, Duration, NaiveDate};
use serde::{Deserialize, Serialize};

use super::need::{Outcome, UnmetReason};
use super::profile::{AgeGroup, TraffickingType, VictimType};
use super::taxonomy::CategoryFamily;

/// Time bucket of a chart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Bucket {
    /// Local calendar day.
    Day,
    /// Local week starting Monday.
    Week,
}

impl Bucket {
    /// The first local day of the bucket holding `utc`.
    pub fn start_of(self, utc: i64) -> NaiveDate {
        let date = super::local_time::date(utc);
        match self {
            Bucket::Day => date,
            Bucket::Week => date - Duration::days(i64::from(date.weekday().num_days_from_monday())),
        }
    }

    /// The bucket after the one starting at `start`.
    pub fn next(self, start: NaiveDate) -> NaiveDate {
        start + Duration::days(if self == Bucket::Day { 1 } else { 7 })
    }
}

/// One recorded need, as the charts see it (no identity, only the profile and what happened).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NeedFact {
    /// Created, UTC seconds.
    pub created_at: i64,
    /// Closed, UTC seconds.
    pub closed_at: Option<i64>,
    /// Outcome once closed.
    pub outcome: Option<Outcome>,
    /// Planning region.
    pub region: String,
    /// County, when the need was recorded with its town.
    pub county: Option<String>,
    /// Age group.
    pub age_group: AgeGroup,
    /// Trafficking type.
    pub trafficking_type: TraffickingType,
    /// The families of the categories needed.
    pub families: Vec<CategoryFamily>,
    /// Reasons recorded.
    pub reasons: Vec<UnmetReason>,
}

impl NeedFact {
    /// Whether the need ended unmet (not placed, or placed outside its region).
    pub fn is_unmet(&self) -> bool {
        self.outcome.is_some_and(Outcome::is_unmet)
    }

    /// Whether the need was placed in its region or declined/withdrawn (met or resolved).
    pub fn is_met(&self) -> bool {
        self.outcome.is_some_and(|o| o == Outcome::PlacedInRegion)
    }

    /// The headline victim type label: one of the four, or "Both / not screened".
    pub fn victim_label(&self) -> String {
        VictimType::of(self.age_group, self.trafficking_type)
            .map_or_else(|| unscreened_label(self.age_group), |v| v.label().to_owned())
    }
}

/// How to split a needs chart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NeedSplit {
    /// One series.
    None,
    /// By region.
    Region,
    /// By victim type.
    VictimType,
}

impl NeedSplit {
    /// The code in URLs: empty for no split.
    pub fn code(self) -> &'static str {
        match self {
            NeedSplit::None => "",
            NeedSplit::Region => "region",
            NeedSplit::VictimType => "victim",
        }
    }

    /// Reads [`NeedSplit::code`]; anything else is no split.
    pub fn parse(code: &str) -> Self {
        match code {
            "region" => NeedSplit::Region,
            "victim" => NeedSplit::VictimType,
            _ => NeedSplit::None,
        }
    }

    /// Every series this split can have, in a fixed order, whatever the data holds: the names of
    /// `regions`, or every victim type followed by the two age groups whose type is both or not screened.
    pub fn series(self, regions: &[String]) -> Vec<String> {
        match self {
            NeedSplit::None => vec![ALL_NEEDS.to_owned()],
            NeedSplit::Region => regions.to_vec(),
            NeedSplit::VictimType => VictimType::ALL
                .iter()
                .map(|v| v.label().to_owned())
                .chain(AgeGroup::ALL.iter().map(|a| unscreened_label(*a)))
                .collect(),
        }
    }
}

/// The one series of an unsplit chart.
const ALL_NEEDS: &str = "All needs";

/// The series of needs whose trafficking type is both or not yet screened.
fn unscreened_label(age_group: AgeGroup) -> String {
    format!("{}, both / not screened", age_group.label())
}

/// Counts in one bucket and series.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct NeedCounts {
    /// Needs recorded.
    pub recorded: i64,
    /// Closed as placed in region.
    pub met: i64,
    /// Closed unmet.
    pub unmet: i64,
}

/// Counts needs per bucket of their creation time and per series key.
pub fn count_needs(facts: &[NeedFact], bucket: Bucket, split: NeedSplit) -> BTreeMap<(NaiveDate, String), NeedCounts> {
    let mut out: BTreeMap<(NaiveDate, String), NeedCounts> = BTreeMap::new();
    for fact in facts {
        let keys: Vec<String> = match split {
            NeedSplit::None => vec![ALL_NEEDS.to_owned()],
            NeedSplit::Region => vec![fact.region.clone()],
            NeedSplit::VictimType => vec![fact.victim_label()],
        };
        let start = bucket.start_of(fact.created_at);
        for key in keys {
            let c = out.entry((start, key)).or_default();
            c.recorded += 1;
            c.met += i64::from(fact.is_met());
            c.unmet += i64::from(fact.is_unmet());
        }
    }
    out
}

/// Hours from recording to placement, for placed needs.
pub fn hours_to_placement(facts: &[NeedFact]) -> Vec<i64> {
    facts
        .iter()
        .filter(|f| matches!(f.outcome, Some(Outcome::PlacedInRegion | Outcome::PlacedOutsideRegion)))
        .filter_map(|f| f.closed_at.map(|c| (c - f.created_at) / 3600))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(y: i32, m: u32, d: u32, h: u32) -> i64 {
        NaiveDate::from_ymd_opt(y, m, d).unwrap().and_hms_opt(h, 0, 0).unwrap().and_utc().timestamp()
    }

    #[test]
    fn a_late_sunday_evening_in_connecticut_belongs_to_the_week_before_in_utc_terms() {
        // 02:30 UTC on Monday 2 Nov 2026 is 21:30 EST on Sunday 1 November: still the week of Monday 26 October.
        let t = utc(2026, 11, 2, 2) + 1800;
        assert_eq!(Bucket::Week.start_of(t), NaiveDate::from_ymd_opt(2026, 10, 26).unwrap());
        assert_eq!(Bucket::Day.start_of(t), NaiveDate::from_ymd_opt(2026, 11, 1).unwrap());
        assert_eq!(Bucket::Week.start_of(utc(2026, 11, 2, 5)), NaiveDate::from_ymd_opt(2026, 11, 2).unwrap());
    }

    #[test]
    fn needs_count_once_per_category_and_reasons_only_when_unmet() {
        let fact = |outcome, reasons: Vec<UnmetReason>| NeedFact {
            created_at: utc(2026, 6, 3, 15),
            closed_at: Some(utc(2026, 6, 4, 15)),
            outcome: Some(outcome),
            region: "Capitol".into(),
            county: None,
            age_group: AgeGroup::Adult,
            trafficking_type: TraffickingType::Labor,
            families: vec![CategoryFamily::Housing, CategoryFamily::Legal],
            reasons,
        };
        let facts =
            vec![fact(Outcome::NotPlaced, vec![UnmetReason::NoCapacity]), fact(Outcome::PlacedInRegion, vec![])];
        let week = NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
        let all = count_needs(&facts, Bucket::Week, NeedSplit::None);
        assert_eq!(all[&(week, "All needs".into())], NeedCounts { recorded: 2, met: 1, unmet: 1 });
        let by_victim = count_needs(&facts, Bucket::Week, NeedSplit::VictimType);
        assert_eq!(by_victim[&(week, "Adult, labor trafficking".into())], NeedCounts { recorded: 2, met: 1, unmet: 1 });
        assert_eq!(hours_to_placement(&facts), vec![24]);
        assert_eq!(facts[0].victim_label(), "Adult, labor trafficking");
    }
}
