//! Needs and outcomes: each placement need is a profile, never a person. Unmet need = not placed, plus
//! placed outside the survivor's region.

use serde::{Deserialize, Serialize};

use super::profile::{AgeGroup, Gender, LanguageCode, TraffickingType, code_enum};
use super::taxonomy::CategoryCode;

/// How soon help is needed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Urgency {
    /// Today.
    Emergency,
    /// Within 72 hours.
    Urgent,
    /// Standard.
    Standard,
}

code_enum!(Urgency { Emergency => "emergency" / "Emergency (today)", Urgent => "urgent" / "Urgent (within 72 h)", Standard => "standard" / "Standard" });

/// How a need ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Placed in the survivor's region.
    PlacedInRegion,
    /// Placed, but outside the survivor's region (counts as unmet).
    PlacedOutsideRegion,
    /// Not placed (unmet).
    NotPlaced,
    /// The survivor declined.
    DeclinedBySurvivor,
    /// Withdrawn.
    Withdrawn,
}

code_enum!(Outcome {
    PlacedInRegion => "placed_in_region" / "Placed in region",
    PlacedOutsideRegion => "placed_outside_region" / "Placed outside region",
    NotPlaced => "not_placed" / "Not placed",
    DeclinedBySurvivor => "declined_by_survivor" / "Declined by survivor",
    Withdrawn => "withdrawn" / "Withdrawn",
});

impl Outcome {
    /// Whether this outcome counts as unmet need.
    pub fn is_unmet(self) -> bool {
        matches!(self, Outcome::NotPlaced | Outcome::PlacedOutsideRegion)
    }
}

/// Why a need was not met (several allowed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnmetReason {
    /// No capacity.
    NoCapacity,
    /// Eligibility mismatch.
    EligibilityMismatch,
    /// Language.
    Language,
    /// Accessibility.
    Accessibility,
    /// Safety conflict.
    SafetyConflict,
    /// Distance or transport.
    DistanceOrTransport,
    /// Waitlist too long.
    WaitlistTooLong,
    /// Other (no free text: a text box invites case notes).
    Other,
}

code_enum!(UnmetReason {
    NoCapacity => "no_capacity" / "No capacity",
    EligibilityMismatch => "eligibility_mismatch" / "Eligibility mismatch",
    Language => "language" / "Language",
    Accessibility => "accessibility" / "Accessibility",
    SafetyConflict => "safety_conflict" / "Safety conflict",
    DistanceOrTransport => "distance_or_transport" / "Distance or transport",
    WaitlistTooLong => "waitlist_too_long" / "Waitlist too long",
    Other => "other" / "Other",
});

/// Where help is needed: a town, whose planning region and county are recorded (the town itself is not), or
/// a planning region alone when the town is not known (its county then stays unrecorded).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NeedPlace {
    /// A town id.
    Town(i64),
    /// A planning region id.
    Region(i64),
}

/// A need as a coordinator records it. Unknown fields are rejected, so nothing identifying can ride along.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NeedInput {
    /// Where help is needed.
    pub place: NeedPlace,
    /// Age group.
    pub age_group: AgeGroup,
    /// Trafficking type.
    pub trafficking_type: TraffickingType,
    /// Gender, if shared.
    pub gender: Option<Gender>,
    /// People in the household including the survivor (1 to 12).
    pub household_size: u8,
    /// Languages needed.
    #[serde(default)]
    pub languages: Vec<LanguageCode>,
    /// Needs wheelchair access.
    #[serde(default)]
    pub wheelchair: bool,
    /// Service categories needed (at least one).
    pub categories: Vec<CategoryCode>,
    /// Urgency.
    pub urgency: Urgency,
}

impl NeedInput {
    /// Checks the rules serde cannot express.
    pub fn validate(&self) -> Result<(), NeedError> {
        if !(1..=12).contains(&self.household_size) {
            return Err(NeedError::HouseholdSize);
        }
        if self.categories.is_empty() {
            return Err(NeedError::NoCategories);
        }
        if self.languages.len() > super::profile::MAX_LANGUAGES {
            return Err(NeedError::TooManyLanguages);
        }
        Ok(())
    }
}

/// A need's closing: outcome and reasons.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NeedClosing {
    /// Outcome.
    pub outcome: Outcome,
    /// Reasons, required when not placed; allowed for placements outside the region.
    #[serde(default)]
    pub reasons: Vec<UnmetReason>,
}

impl NeedClosing {
    /// Checks that reasons fit the outcome.
    pub fn validate(&self) -> Result<(), NeedError> {
        match self.outcome {
            Outcome::NotPlaced if self.reasons.is_empty() => Err(NeedError::ReasonRequired),
            Outcome::NotPlaced | Outcome::PlacedOutsideRegion => Ok(()),
            _ if !self.reasons.is_empty() => Err(NeedError::ReasonsNotAllowed),
            _ => Ok(()),
        }
    }
}

/// A need or closing that breaks a rule.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum NeedError {
    /// Household size out of range.
    #[error("Household size must be between 1 and 12.")]
    HouseholdSize,
    /// No category chosen.
    #[error("Choose at least one service category.")]
    NoCategories,
    /// More languages than [`super::profile::MAX_LANGUAGES`].
    #[error("Choose at most five languages.")]
    TooManyLanguages,
    /// Not placed without a reason.
    #[error("Choose at least one reason the need was not met.")]
    ReasonRequired,
    /// Reasons given for a met need.
    #[error("Reasons apply only when the need was not met or was met outside the region.")]
    ReasonsNotAllowed,
    /// The need is already closed.
    #[error("This need is already closed.")]
    AlreadyClosed,
    /// Region, category or need does not exist.
    #[error("Unknown region, category or need.")]
    NotFound,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_need_carrying_a_name_is_rejected_not_ignored() {
        let json = r#"{"place":{"town":1},"age_group":"adult","trafficking_type":"labor","gender":null,
            "household_size":1,"categories":["safe_house"],"urgency":"urgent","name":"Jane Doe"}"#;
        let err = serde_json::from_str::<NeedInput>(json).unwrap_err();
        assert!(err.to_string().contains("unknown field `name`"), "{err}");
    }

    #[test]
    fn not_placed_needs_a_reason_and_placed_needs_none() {
        let c = |outcome, reasons| NeedClosing { outcome, reasons };
        assert_eq!(c(Outcome::NotPlaced, vec![]).validate(), Err(NeedError::ReasonRequired));
        assert!(c(Outcome::NotPlaced, vec![UnmetReason::NoCapacity]).validate().is_ok());
        assert_eq!(c(Outcome::PlacedInRegion, vec![UnmetReason::Other]).validate(), Err(NeedError::ReasonsNotAllowed));
        assert!(Outcome::PlacedOutsideRegion.is_unmet() && !Outcome::Withdrawn.is_unmet());
    }
}
