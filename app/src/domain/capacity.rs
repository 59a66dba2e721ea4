//! Capacity: how much of a service is free right now, and the rules every count obeys.

use serde::{Deserialize, Serialize};

use super::freshness::FreshnessBand;

/// The largest count any one service may state; catches typos such as 1000 for 10.
pub const MAX_UNITS: i64 = 10_000;

/// A service's counts, valid by construction: `0 <= available` and `available + on_hold <= total`.
///
/// `available` excludes units on hold; the database stores `vacant = available + on_hold`, so a hold that
/// expires frees its units without anyone writing anything.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CapacityCounts {
    total: i64,
    available: i64,
    on_hold: i64,
}

impl CapacityCounts {
    /// Checks the invariants and builds the counts.
    pub fn new(total: i64, available: i64, on_hold: i64) -> Result<Self, CapacityError> {
        if total < 0 {
            return Err(CapacityError::NegativeTotal);
        }
        if available < 0 {
            return Err(CapacityError::NegativeAvailable);
        }
        if total > MAX_UNITS || available > MAX_UNITS {
            return Err(CapacityError::TooLarge);
        }
        if on_hold > total {
            return Err(CapacityError::TotalBelowHeld { total, on_hold });
        }
        if available + on_hold > total {
            return Err(CapacityError::AvailableAboveTotal { available, on_hold, total });
        }
        Ok(Self { total, available, on_hold })
    }

    /// Baseline units.
    pub fn total(self) -> i64 {
        self.total
    }
    /// Free units not on hold.
    pub fn available(self) -> i64 {
        self.available
    }
    /// Units held by coordinators right now.
    pub fn on_hold(self) -> i64 {
        self.on_hold
    }
    /// Free units including held ones (what the database stores).
    pub fn vacant(self) -> i64 {
        self.available + self.on_hold
    }
}

/// A count that breaks a capacity rule. Messages are written for the person typing the number.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum CapacityError {
    /// Total below zero.
    #[error("The total cannot be negative.")]
    NegativeTotal,
    /// Available below zero.
    #[error("Available cannot be negative.")]
    NegativeAvailable,
    /// A count above [`MAX_UNITS`].
    #[error("That number is too large for one service (at most 10,000).")]
    TooLarge,
    /// Available plus held is more than the total.
    #[error("Available ({available}) plus on hold ({on_hold}) cannot be more than the total ({total}).")]
    AvailableAboveTotal {
        /// Requested available.
        available: i64,
        /// Units on hold.
        on_hold: i64,
        /// Requested total.
        total: i64,
    },
    /// The total is below the units currently on hold.
    #[error("The total ({total}) cannot be below the units on hold ({on_hold}).")]
    TotalBelowHeld {
        /// Requested total.
        total: i64,
        /// Units on hold.
        on_hold: i64,
    },
    /// Text that is not a whole number.
    #[error("Enter a whole number, such as 0, 3 or 12.")]
    NotANumber,
}

impl CapacityError {
    /// A code for URLs; [`CapacityError::text_for_code`] gives the words back (numbers left out: the form shows
    /// them).
    pub fn code(&self) -> &'static str {
        match self {
            CapacityError::NegativeTotal => "negative_total",
            CapacityError::NegativeAvailable => "negative_available",
            CapacityError::TooLarge => "too_large",
            CapacityError::AvailableAboveTotal { .. } => "above_total",
            CapacityError::TotalBelowHeld { .. } => "below_held",
            CapacityError::NotANumber => "not_a_number",
        }
    }

    /// The form field a refusal belongs to.
    pub fn field(&self) -> CapacityField {
        match self {
            CapacityError::NegativeTotal | CapacityError::TotalBelowHeld { .. } => CapacityField::Total,
            CapacityError::NegativeAvailable
            | CapacityError::TooLarge
            | CapacityError::AvailableAboveTotal { .. }
            | CapacityError::NotANumber => CapacityField::Available,
        }
    }

    /// The words for a code from a URL; `None` for anything else.
    pub fn text_for_code(code: &str) -> Option<&'static str> {
        Some(match code {
            "negative_total" => "The total cannot be negative.",
            "negative_available" => "Available cannot be negative.",
            "too_large" => "That number is too large for one service (at most 10,000).",
            "above_total" => "Available plus on hold cannot be more than the total.",
            "below_held" => "The total cannot be below the units on hold.",
            "not_a_number" => "Enter a whole number, such as 0, 3 or 12.",
            _ => return None,
        })
    }
}

/// The two numbers a provider types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CapacityField {
    /// All units.
    Total,
    /// Units free now (not counting those on hold).
    Available,
}

impl CapacityField {
    /// The form field's name, also carried in a URL after a plain post.
    pub fn name(self) -> &'static str {
        match self {
            CapacityField::Total => "total",
            CapacityField::Available => "available",
        }
    }

    /// The field a name from a form or URL names.
    pub fn parse(name: &str) -> Option<Self> {
        [CapacityField::Total, CapacityField::Available].into_iter().find(|f| f.name() == name)
    }
}

/// Parses a count typed into `field`: a negative number is reported against that field.
pub fn parse_field(field: CapacityField, text: &str) -> Result<i64, CapacityError> {
    match (field, parse_count(text)) {
        (CapacityField::Total, Err(CapacityError::NegativeAvailable)) => Err(CapacityError::NegativeTotal),
        (_, parsed) => parsed,
    }
}

/// Parses a count typed into a form field.
pub fn parse_count(text: &str) -> Result<i64, CapacityError> {
    let text = text.trim();
    let n: i64 = text.parse().map_err(|_| CapacityError::NotANumber)?;
    if n < 0 {
        // Field-agnostic: the caller knows which field it parsed.
        return Err(CapacityError::NegativeAvailable);
    }
    Ok(n)
}

/// A version number for optimistic concurrency: an update names the version it saw.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Version(pub i64);

/// What a provider submits: the new counts and the version the numbers were read at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CapacityChange {
    /// New total.
    pub total: i64,
    /// New available (excluding holds).
    pub available: i64,
    /// Whether new referrals are accepted.
    pub accepting_referrals: bool,
    /// The version the provider saw.
    pub expected_version: Version,
}

/// A service's capacity as every screen shows it: counts, their age and who last touched them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CapacitySnapshot {
    /// The service.
    pub service_id: i64,
    /// Baseline units.
    pub total: i64,
    /// Free units not on hold.
    pub available: i64,
    /// Units on active holds.
    pub on_hold: i64,
    /// Whether the service accepts referrals now.
    pub accepting_referrals: bool,
    /// Version for optimistic concurrency.
    pub version: Version,
    /// When the counts last changed.
    pub last_changed_at: chrono::DateTime<chrono::Utc>,
    /// Display name of who last changed them.
    pub last_changed_by: Option<String>,
    /// When the counts were last confirmed (a change is also a confirmation).
    pub last_confirmed_at: chrono::DateTime<chrono::Utc>,
    /// Display name of who last confirmed them.
    pub last_confirmed_by: Option<String>,
    /// Freshness at read time.
    pub freshness: FreshnessBand,
}

impl CapacitySnapshot {
    /// Units that may be counted as available: stale numbers count as unknown, never available.
    pub fn countable_available(&self) -> Option<i64> {
        (self.freshness != FreshnessBand::Stale).then_some(self.available)
    }
}

/// The values to offer again after a conflict. Each field the provider left as they had seen it takes the
/// other person's new value; each they changed keeps theirs. `sent` and `seen` are (total, available);
/// with nothing seen (a bulk form), everything sent is kept.
pub fn merge_after_conflict(
    current: &CapacitySnapshot,
    sent: (i64, i64),
    seen: (Option<i64>, Option<i64>),
) -> (i64, i64) {
    let keep = |sent: i64, seen: Option<i64>, theirs: i64| if seen == Some(sent) { theirs } else { sent };
    (keep(sent.0, seen.0, current.total), keep(sent.1, seen.1, current.available))
}

/// The result of an update that reached the database.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum UpdateOutcome {
    /// Saved; the new state.
    Saved(CapacitySnapshot),
    /// Someone changed the service since the version named: nothing saved; their state.
    Conflict(CapacitySnapshot),
    /// The counts break a rule given the current holds: nothing saved.
    Invalid(CapacityError),
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snapshot(total: i64, available: i64) -> CapacitySnapshot {
        let at = chrono::DateTime::from_timestamp(0, 0).unwrap();
        CapacitySnapshot {
            service_id: 1,
            total,
            available,
            on_hold: 0,
            accepting_referrals: true,
            version: Version(2),
            last_changed_at: at,
            last_changed_by: None,
            last_confirmed_at: at,
            last_confirmed_by: None,
            freshness: FreshnessBand::Fresh,
        }
    }

    #[test]
    fn after_a_conflict_only_the_fields_a_provider_changed_keep_their_values() {
        let theirs = snapshot(10, 4);
        assert_eq!(
            merge_after_conflict(&theirs, (8, 3), (Some(8), Some(2))),
            (10, 3),
            "total untouched, available changed"
        );
        assert_eq!(merge_after_conflict(&theirs, (8, 2), (Some(8), Some(2))), (10, 4), "nothing changed: all theirs");
        assert_eq!(merge_after_conflict(&theirs, (9, 2), (None, None)), (9, 2), "nothing seen: all mine");
    }

    #[test]
    fn each_refusal_names_the_field_it_belongs_to() {
        assert_eq!(CapacityError::TotalBelowHeld { total: 1, on_hold: 2 }.field(), CapacityField::Total);
        assert_eq!(CapacityError::NegativeTotal.field(), CapacityField::Total);
        assert_eq!(
            CapacityError::AvailableAboveTotal { available: 5, on_hold: 0, total: 4 }.field(),
            CapacityField::Available
        );
        assert_eq!(parse_field(CapacityField::Total, "-1"), Err(CapacityError::NegativeTotal));
        assert_eq!(parse_field(CapacityField::Available, "-1"), Err(CapacityError::NegativeAvailable));
        for f in [CapacityField::Total, CapacityField::Available] {
            assert_eq!(CapacityField::parse(f.name()), Some(f));
        }
    }
    use proptest::prelude::*;

    #[test]
    fn available_plus_held_may_not_exceed_total() {
        assert_eq!(
            CapacityCounts::new(5, 4, 2),
            Err(CapacityError::AvailableAboveTotal { available: 4, on_hold: 2, total: 5 })
        );
        assert!(CapacityCounts::new(6, 4, 2).is_ok());
    }

    #[test]
    fn the_total_may_not_drop_below_held_units() {
        assert_eq!(CapacityCounts::new(1, 0, 2), Err(CapacityError::TotalBelowHeld { total: 1, on_hold: 2 }));
    }

    #[test]
    fn negative_and_non_numeric_input_is_refused_with_a_specific_message() {
        assert_eq!(CapacityCounts::new(3, -1, 0), Err(CapacityError::NegativeAvailable));
        assert_eq!(parse_count("three"), Err(CapacityError::NotANumber));
        assert_eq!(parse_count(" 7 "), Ok(7));
        assert!(CapacityError::NotANumber.to_string().contains("whole number"));
    }

    proptest! {
        #[test]
        fn constructed_counts_always_satisfy_the_invariants(t in -5i64..50, a in -5i64..50, h in 0i64..50) {
            if let Ok(c) = CapacityCounts::new(t, a, h) {
                prop_assert!(c.available() >= 0);
                prop_assert!(c.available() + c.on_hold() <= c.total());
                prop_assert_eq!(c.vacant(), a + h);
            }
        }
    }
}
