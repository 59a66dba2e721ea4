//! Freshness: a count without its age is a guess. Bands by category family, with configurable thresholds.

use serde::{Deserialize, Serialize};

use super::taxonomy::CategoryFamily;

/// How recently a count was confirmed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FreshnessBand {
    /// Recent enough to trust.
    Fresh,
    /// Getting old: still counted, flagged to the provider.
    Aging,
    /// Too old: shown as unknown, never counted as available.
    Stale,
}

impl FreshnessBand {
    /// How urgently a provider should update a count in this band: 0 first (stale), then aging, then fresh.
    pub fn update_urgency(self) -> u8 {
        match self {
            FreshnessBand::Stale => 0,
            FreshnessBand::Aging => 1,
            FreshnessBand::Fresh => 2,
        }
    }

    /// Code for CSS classes and URLs.
    pub fn code(self) -> &'static str {
        match self {
            Self::Fresh => "fresh",
            Self::Aging => "aging",
            Self::Stale => "stale",
        }
    }
    /// Display label.
    pub fn label(self) -> &'static str {
        match self {
            Self::Fresh => "Fresh",
            Self::Aging => "Aging",
            Self::Stale => "Stale",
        }
    }
}

/// Thresholds for one family, in seconds: fresh below `fresh_secs`, stale at or above `stale_secs`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Thresholds {
    /// Age below which a count is fresh.
    pub fresh_secs: i64,
    /// Age at or above which a count is stale.
    pub stale_secs: i64,
}

impl Thresholds {
    /// Validated thresholds: positive, fresh before stale.
    pub fn new(fresh_secs: i64, stale_secs: i64) -> Result<Self, String> {
        if fresh_secs > 0 && fresh_secs <= stale_secs {
            Ok(Self { fresh_secs, stale_secs })
        } else {
            Err(format!("freshness thresholds must satisfy 0 < fresh ({fresh_secs}s) <= stale ({stale_secs}s)"))
        }
    }

    /// The band for a count of this age.
    pub fn band(self, age_secs: i64) -> FreshnessBand {
        if age_secs < self.fresh_secs {
            FreshnessBand::Fresh
        } else if age_secs < self.stale_secs {
            FreshnessBand::Aging
        } else {
            FreshnessBand::Stale
        }
    }
}

const HOUR: i64 = 3600;

/// Thresholds for every family. Defaults: housing fresh < 12 h, stale >= 48 h; others fresh < 72 h, stale >= 7 days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FreshnessPolicy {
    /// Housing.
    pub housing: Thresholds,
    /// Legal.
    pub legal: Thresholds,
    /// Specialist.
    pub specialist: Thresholds,
}

impl Default for FreshnessPolicy {
    fn default() -> Self {
        let other = Thresholds { fresh_secs: 72 * HOUR, stale_secs: 7 * 24 * HOUR };
        Self { housing: Thresholds { fresh_secs: 12 * HOUR, stale_secs: 48 * HOUR }, legal: other, specialist: other }
    }
}

impl FreshnessPolicy {
    /// Thresholds of one family.
    pub fn for_family(&self, family: CategoryFamily) -> Thresholds {
        match family {
            CategoryFamily::Housing => self.housing,
            CategoryFamily::Legal => self.legal,
            CategoryFamily::Specialist => self.specialist,
        }
    }

    /// The band of a count confirmed `age_secs` ago.
    pub fn band(&self, family: CategoryFamily, age_secs: i64) -> FreshnessBand {
        self.for_family(family).band(age_secs)
    }
}

/// An age in words, the way people say it: "just now", "12 min ago", "3 h ago", "2 days ago".
pub fn age_in_words(age_secs: i64) -> String {
    let age = age_secs.max(0);
    match age {
        0..60 => "just now".to_owned(),
        60..3600 => format!("{} min ago", age / 60),
        3600..86_400 => format!("{} h ago", age / 3600),
        _ => {
            let days = age / 86_400;
            if days == 1 { "1 day ago".to_owned() } else { format!("{days} days ago") }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stale_counts_are_the_most_urgent_to_update() {
        let mut bands = [FreshnessBand::Fresh, FreshnessBand::Stale, FreshnessBand::Aging];
        bands.sort_by_key(|b| b.update_urgency());
        assert_eq!(bands, [FreshnessBand::Stale, FreshnessBand::Aging, FreshnessBand::Fresh]);
    }

    #[test]
    fn housing_bands_follow_the_default_thresholds() {
        let p = FreshnessPolicy::default();
        assert_eq!(p.band(CategoryFamily::Housing, 11 * HOUR), FreshnessBand::Fresh);
        assert_eq!(p.band(CategoryFamily::Housing, 12 * HOUR), FreshnessBand::Aging);
        assert_eq!(p.band(CategoryFamily::Housing, 48 * HOUR), FreshnessBand::Stale);
    }

    #[test]
    fn other_families_stay_fresh_for_three_days() {
        let p = FreshnessPolicy::default();
        assert_eq!(p.band(CategoryFamily::Legal, 71 * HOUR), FreshnessBand::Fresh);
        assert_eq!(p.band(CategoryFamily::Specialist, 6 * 24 * HOUR), FreshnessBand::Aging);
        assert_eq!(p.band(CategoryFamily::Specialist, 7 * 24 * HOUR), FreshnessBand::Stale);
    }

    #[test]
    fn ages_read_as_words() {
        assert_eq!(age_in_words(5), "just now");
        assert_eq!(age_in_words(12 * 60), "12 min ago");
        assert_eq!(age_in_words(3 * HOUR + 59), "3 h ago");
        assert_eq!(age_in_words(25 * HOUR), "1 day ago");
        assert_eq!(age_in_words(80 * HOUR), "3 days ago");
    }

    #[test]
    fn thresholds_must_be_ordered() {
        assert!(Thresholds::new(10, 5).is_err());
        assert!(Thresholds::new(0, 5).is_err());
        assert!(Thresholds::new(5, 5).is_ok());
    }
}
