//! The victim profile (never a person) and the eligibility rules a service states.
//!
//! Sets of age groups, trafficking types and genders are stored as small bit masks so the same rule can be
//! evaluated here and in SQL (`mask & bit <> 0`) on both databases.

use serde::{Deserialize, Serialize};

mod eligibility;
mod language;

pub use eligibility::{Eligibility, EligibilityError, ProfileFilter};
pub use language::{COMMON_LANGUAGES, InvalidLanguage, LANGUAGES, LanguageCode, MAX_LANGUAGES};

/// Age group: minors are under 18.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AgeGroup {
    /// Under 18.
    Minor,
    /// 18 and over.
    Adult,
}

/// Trafficking type as screened; screening is often incomplete, hence `Both` and `Unknown`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TraffickingType {
    /// Sex trafficking.
    Sex,
    /// Labor trafficking.
    Labor,
    /// Both: eligible only where both are served.
    Both,
    /// Not screened: matches only services that do not restrict by type.
    Unknown,
}

/// Gender of the person to be served.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Gender {
    /// Female.
    Female,
    /// Male.
    Male,
    /// Transgender.
    Transgender,
    /// Nonbinary.
    Nonbinary,
}

macro_rules! code_enum {
    ($ty:ty { $($variant:ident => $code:literal / $label:literal),+ $(,)? }) => {
        impl $ty {
            /// Every value, in display order.
            pub const ALL: &'static [$ty] = &[$(<$ty>::$variant),+];
            /// Code stored in the database and used in URLs.
            pub fn code(self) -> &'static str {
                match self { $(<$ty>::$variant => $code),+ }
            }
            /// Display label.
            pub fn label(self) -> &'static str {
                match self { $(<$ty>::$variant => $label),+ }
            }
            /// Parses a code; `None` for anything else.
            pub fn parse(code: &str) -> Option<Self> {
                match code { $($code => Some(<$ty>::$variant),)+ _ => None }
            }
        }
    };
}
pub(crate) use code_enum;

code_enum!(AgeGroup { Minor => "minor" / "Minor (under 18)", Adult => "adult" / "Adult" });
code_enum!(TraffickingType {
    Sex => "sex" / "Sex trafficking",
    Labor => "labor" / "Labor trafficking",
    Both => "both" / "Both",
    Unknown => "unknown" / "Not screened",
});
code_enum!(Gender {
    Female => "female" / "Female",
    Male => "male" / "Male",
    Transgender => "transgender" / "Transgender",
    Nonbinary => "nonbinary" / "Nonbinary",
});

impl AgeGroup {
    /// The bit for this group in an [`AgeGroups`] mask.
    pub fn bit(self) -> i64 {
        match self {
            AgeGroup::Minor => 1,
            AgeGroup::Adult => 2,
        }
    }
}

impl Gender {
    /// The bit for this gender in a [`Genders`] mask.
    pub fn bit(self) -> i64 {
        match self {
            Gender::Female => 1,
            Gender::Male => 2,
            Gender::Transgender => 4,
            Gender::Nonbinary => 8,
        }
    }
}

/// Bit for sex trafficking in a [`TraffickingTypes`] mask.
pub const SEX_BIT: i64 = 1;
/// Bit for labor trafficking in a [`TraffickingTypes`] mask.
pub const LABOR_BIT: i64 = 2;

impl TraffickingType {
    /// The bits a service must *all* serve for this type to be eligible.
    pub fn required_bits(self) -> i64 {
        match self {
            TraffickingType::Sex => SEX_BIT,
            TraffickingType::Labor => LABOR_BIT,
            // Both, and unscreened people, need a service that does not restrict by type.
            TraffickingType::Both | TraffickingType::Unknown => SEX_BIT | LABOR_BIT,
        }
    }
}

macro_rules! mask_set {
    ($(#[$doc:meta])* $name:ident, $full:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(try_from = "i64", into = "i64")]
        pub struct $name(i64);

        impl $name {
            /// Every bit set: serves everyone in this dimension.
            pub const EVERYONE: $name = $name($full);

            /// Validates a mask: at least one bit, no unknown bits.
            pub fn from_bits(bits: i64) -> Result<Self, InvalidMask> {
                if bits > 0 && bits & !$full == 0 { Ok(Self(bits)) } else { Err(InvalidMask { mask: stringify!($name), bits }) }
            }

            /// The raw mask for storage.
            pub fn bits(self) -> i64 {
                self.0
            }

            /// Whether every bit of `required` is served.
            pub fn contains_all(self, required: i64) -> bool {
                self.0 & required == required
            }
        }

        impl TryFrom<i64> for $name {
            type Error = InvalidMask;
            fn try_from(bits: i64) -> Result<Self, InvalidMask> {
                Self::from_bits(bits)
            }
        }

        impl From<$name> for i64 {
            fn from(value: $name) -> i64 {
                value.0
            }
        }
    };
}

mask_set!(
    /// Age groups a service serves.
    AgeGroups, 3
);
mask_set!(
    /// Trafficking types a service serves; both bits means it does not restrict by type.
    TraffickingTypes, 3
);
mask_set!(
    /// Genders a service serves.
    Genders, 15
);

impl AgeGroups {
    /// A mask of the given groups.
    pub fn of(groups: &[AgeGroup]) -> Result<Self, InvalidMask> {
        Self::from_bits(groups.iter().fold(0, |m, g| m | g.bit()))
    }
    /// Whether the group is served.
    pub fn serves(self, group: AgeGroup) -> bool {
        self.contains_all(group.bit())
    }
}

impl TraffickingTypes {
    /// Sex trafficking only.
    pub const SEX: TraffickingTypes = TraffickingTypes(SEX_BIT);
    /// Labor trafficking only.
    pub const LABOR: TraffickingTypes = TraffickingTypes(LABOR_BIT);
    /// Whether a person of this type is eligible.
    pub fn serves(self, kind: TraffickingType) -> bool {
        self.contains_all(kind.required_bits())
    }
}

impl Genders {
    /// A mask of the given genders.
    pub fn of(genders: &[Gender]) -> Result<Self, InvalidMask> {
        Self::from_bits(genders.iter().fold(0, |m, g| m | g.bit()))
    }
    /// Whether the gender is served.
    pub fn serves(self, gender: Gender) -> bool {
        self.contains_all(gender.bit())
    }
}

/// A mask with no bits or with bits that mean nothing.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{mask} must name at least one known value (got bits {bits})")]
pub struct InvalidMask {
    /// Which set.
    pub mask: &'static str,
    /// The offending bits.
    pub bits: i64,
}

/// The coordinator's four headline victim types: age group crossed with trafficking type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VictimType {
    /// Adult, sex trafficking.
    AdultSex,
    /// Adult, labor trafficking.
    AdultLabor,
    /// Minor, sex trafficking.
    MinorSex,
    /// Minor, labor trafficking.
    MinorLabor,
}

code_enum!(VictimType {
    AdultSex => "adult_sex" / "Adult, sex trafficking",
    AdultLabor => "adult_labor" / "Adult, labor trafficking",
    MinorSex => "minor_sex" / "Minor, sex trafficking",
    MinorLabor => "minor_labor" / "Minor, labor trafficking",
});

impl VictimType {
    /// The age group half.
    pub fn age_group(self) -> AgeGroup {
        match self {
            Self::AdultSex | Self::AdultLabor => AgeGroup::Adult,
            Self::MinorSex | Self::MinorLabor => AgeGroup::Minor,
        }
    }

    /// The trafficking type half.
    pub fn trafficking_type(self) -> TraffickingType {
        match self {
            Self::AdultSex | Self::MinorSex => TraffickingType::Sex,
            Self::AdultLabor | Self::MinorLabor => TraffickingType::Labor,
        }
    }

    /// The headline type of a profile, where it has one (`both` and `unknown` have none).
    pub fn of(age: AgeGroup, kind: TraffickingType) -> Option<Self> {
        match (age, kind) {
            (AgeGroup::Adult, TraffickingType::Sex) => Some(Self::AdultSex),
            (AgeGroup::Adult, TraffickingType::Labor) => Some(Self::AdultLabor),
            (AgeGroup::Minor, TraffickingType::Sex) => Some(Self::MinorSex),
            (AgeGroup::Minor, TraffickingType::Labor) => Some(Self::MinorLabor),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn open_service() -> Eligibility {
        Eligibility { languages: vec![LanguageCode::parse("en").unwrap()], ..Eligibility::everyone() }
    }

    #[test]
    fn both_needs_a_service_that_serves_sex_and_labor() {
        assert!(!TraffickingTypes::SEX.serves(TraffickingType::Both));
        assert!(!TraffickingTypes::LABOR.serves(TraffickingType::Both));
        assert!(TraffickingTypes::EVERYONE.serves(TraffickingType::Both));
    }

    #[test]
    fn unknown_matches_only_services_that_do_not_restrict_by_type() {
        assert!(TraffickingTypes::EVERYONE.serves(TraffickingType::Unknown));
        assert!(!TraffickingTypes::SEX.serves(TraffickingType::Unknown));
        assert!(!TraffickingTypes::LABOR.serves(TraffickingType::Unknown));
    }

    #[test]
    fn a_household_with_children_needs_a_service_that_accepts_them() {
        let mut s = open_service();
        let family = ProfileFilter { household_size: Some(3), ..Default::default() };
        assert!(!s.admits(&family));
        s.accepts_children = true;
        assert!(s.admits(&family));
    }

    #[test]
    fn every_requested_language_must_be_offered() {
        let s = open_service();
        let es = ProfileFilter { languages: vec![LanguageCode::parse("es").unwrap()], ..Default::default() };
        assert!(!s.admits(&es));
        assert!(s.admits(&ProfileFilter::default()));
    }

    #[test]
    fn masks_refuse_empty_and_unknown_bits() {
        assert!(AgeGroups::from_bits(0).is_err());
        assert!(AgeGroups::from_bits(4).is_err());
        assert!(Genders::from_bits(16).is_err());
        assert_eq!(Genders::of(&[Gender::Female, Gender::Nonbinary]).unwrap().bits(), 9);
    }

    #[test]
    fn contradictory_age_rules_are_refused() {
        let mut s = open_service();
        s.min_age = Some(18);
        assert_eq!(s.validate(), Err(EligibilityError::MinorsExcludedByAge));
        s.age_groups = AgeGroups::of(&[AgeGroup::Adult]).unwrap();
        assert_eq!(s.validate(), Ok(()));
        s.max_age = Some(17);
        assert!(matches!(s.validate(), Err(EligibilityError::AgeRangeReversed { .. })));
    }

    #[test]
    fn language_codes_are_validated() {
        assert!(LanguageCode::parse("es").is_ok());
        assert!(LanguageCode::parse("ES").is_err());
        assert!(LanguageCode::parse("spanish").is_err());
        assert!(LanguageCode::parse("jd").is_err(), "two letters that are no language (initials) are refused");
        assert!(COMMON_LANGUAGES.iter().all(|(c, _)| LanguageCode::parse(c).is_ok()), "pick lists offer known codes");
        assert!(LANGUAGES.windows(2).all(|w| w[0].0 < w[1].0), "sorted, no duplicates");
        assert_eq!(LanguageCode::parse("ht").unwrap().label(), "Haitian Creole");
    }

    #[test]
    fn victim_types_cross_age_and_type() {
        for v in VictimType::ALL {
            assert_eq!(VictimType::of(v.age_group(), v.trafficking_type()), Some(*v));
            assert_eq!(VictimType::parse(v.code()), Some(*v));
        }
        assert_eq!(VictimType::of(AgeGroup::Adult, TraffickingType::Both), None);
    }
}
