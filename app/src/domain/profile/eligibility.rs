//! Who a service is for, and what a coordinator searches for: profiles, never identities.

use serde::{Deserialize, Serialize};

use super::{AgeGroup, AgeGroups, Gender, Genders, LanguageCode, TraffickingType, TraffickingTypes};

/// A service's eligibility rules, as stated by its provider.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Eligibility {
    /// Age groups served.
    pub age_groups: AgeGroups,
    /// Trafficking types served.
    pub trafficking_types: TraffickingTypes,
    /// Genders served.
    pub genders: Genders,
    /// Youngest age served, if limited.
    pub min_age: Option<u8>,
    /// Oldest age served, if limited.
    pub max_age: Option<u8>,
    /// Whether accompanying children are accepted.
    pub accepts_children: bool,
    /// Whether pets are accepted.
    pub pets_allowed: bool,
    /// Whether the service is wheelchair accessible.
    pub wheelchair_accessible: bool,
    /// Whether photo ID is required.
    pub id_required: bool,
    /// Whether sobriety is required.
    pub sobriety_required: bool,
    /// Languages the service works in.
    pub languages: Vec<LanguageCode>,
}

/// What a coordinator searches for: a profile of needs, never an identity.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ProfileFilter {
    /// Age group, if known.
    pub age_group: Option<AgeGroup>,
    /// Trafficking type, if given.
    pub trafficking_type: Option<TraffickingType>,
    /// Gender, if given.
    pub gender: Option<Gender>,
    /// People in the household including the survivor; above 1 needs a service that accepts children.
    pub household_size: Option<u8>,
    /// Languages the survivor needs; the service must work in each.
    pub languages: Vec<LanguageCode>,
    /// Needs a wheelchair-accessible service.
    pub wheelchair: bool,
    /// Comes with a pet.
    pub pets: bool,
}

impl Eligibility {
    /// Whether a person of this profile is eligible. The SQL search applies the same rules.
    pub fn admits(&self, p: &ProfileFilter) -> bool {
        p.age_group.is_none_or(|a| self.age_groups.serves(a))
            && p.trafficking_type.is_none_or(|t| self.trafficking_types.serves(t))
            && p.gender.is_none_or(|g| self.genders.serves(g))
            && (p.household_size.unwrap_or(1) <= 1 || self.accepts_children)
            && (!p.wheelchair || self.wheelchair_accessible)
            && (!p.pets || self.pets_allowed)
            && p.languages.iter().all(|l| self.languages.contains(l))
    }

    /// Open to everyone, with no requirements: where a new service starts until its provider says who it is
    /// for.
    pub fn everyone() -> Self {
        Eligibility {
            age_groups: AgeGroups::EVERYONE,
            trafficking_types: TraffickingTypes::EVERYONE,
            genders: Genders::EVERYONE,
            min_age: None,
            max_age: None,
            accepts_children: false,
            pets_allowed: false,
            wheelchair_accessible: false,
            id_required: false,
            sobriety_required: false,
            languages: Vec::new(),
        }
    }

    /// Checks that the stated ages agree with each other and with the age groups.
    pub fn validate(&self) -> Result<(), EligibilityError> {
        if let (Some(min), Some(max)) = (self.min_age, self.max_age)
            && min > max
        {
            return Err(EligibilityError::AgeRangeReversed { min, max });
        }
        if self.min_age.is_some_and(|m| m >= 18) && self.age_groups.serves(AgeGroup::Minor) {
            return Err(EligibilityError::MinorsExcludedByAge);
        }
        if self.max_age.is_some_and(|m| m < 18) && self.age_groups.serves(AgeGroup::Adult) {
            return Err(EligibilityError::AdultsExcludedByAge);
        }
        Ok(())
    }
}

/// Eligibility rules that contradict themselves.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum EligibilityError {
    /// Minimum age above maximum age.
    #[error("the minimum age ({min}) is above the maximum age ({max})")]
    AgeRangeReversed {
        /// Minimum.
        min: u8,
        /// Maximum.
        max: u8,
    },
    /// Serves minors but the minimum age is 18 or more.
    #[error("the service says it serves minors, but its minimum age is 18 or more")]
    MinorsExcludedByAge,
    /// Serves adults but the maximum age is under 18.
    #[error("the service says it serves adults, but its maximum age is under 18")]
    AdultsExcludedByAge,
}
