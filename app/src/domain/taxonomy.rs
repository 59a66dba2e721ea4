//! The service taxonomy: categories grouped into three families, each counted in its own unit.

use serde::{Deserialize, Serialize};

/// The three families the coordinator's gap views and freshness rules are organized by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CategoryFamily {
    /// Beds and housing units.
    Housing,
    /// Legal consultation slots and cases.
    Legal,
    /// Specialist, case-management, health and interpretation caseload.
    Specialist,
}

impl CategoryFamily {
    /// Every family, in display order.
    pub const ALL: [CategoryFamily; 3] = [Self::Housing, Self::Legal, Self::Specialist];

    /// Code stored in the database and used in URLs.
    pub fn code(self) -> &'static str {
        match self {
            Self::Housing => "housing",
            Self::Legal => "legal",
            Self::Specialist => "specialist",
        }
    }

    /// Display name.
    pub fn label(self) -> &'static str {
        match self {
            Self::Housing => "Housing",
            Self::Legal => "Legal",
            Self::Specialist => "Specialist services",
        }
    }

    /// Parses a family code.
    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.code() == code)
    }
}

/// One seeded category of service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SeedCategory {
    /// Stable code, e.g. `safe_house`.
    pub code: &'static str,
    /// The family it belongs to.
    pub family: CategoryFamily,
    /// Display name.
    pub name: &'static str,
    /// What one unit of capacity is (singular).
    pub unit: &'static str,
}

const fn cat(code: &'static str, family: CategoryFamily, name: &'static str, unit: &'static str) -> SeedCategory {
    SeedCategory { code, family, name, unit }
}

/// The taxonomy from the domain reference; administrators may add more categories in the database.
pub const SEED_CATEGORIES: [SeedCategory; 15] = [
    cat("emergency_shelter", CategoryFamily::Housing, "Emergency shelter bed", "bed"),
    cat("safe_house", CategoryFamily::Housing, "Trafficking-specialized safe house", "bed"),
    cat("transitional_housing", CategoryFamily::Housing, "Transitional housing", "unit"),
    cat("host_home", CategoryFamily::Housing, "Host home (minors)", "bed"),
    cat("rapid_rehousing", CategoryFamily::Housing, "Rapid rehousing", "slot"),
    cat("immigration_legal", CategoryFamily::Legal, "Immigration legal aid (T/U visas, continued presence)", "case"),
    cat("vacatur", CategoryFamily::Legal, "Criminal record relief / vacatur", "case"),
    cat("civil_legal", CategoryFamily::Legal, "Civil and employment legal aid", "case"),
    cat("labor_specialist", CategoryFamily::Specialist, "Labor-trafficking specialist", "case slot"),
    cat("sex_specialist", CategoryFamily::Specialist, "Sex-trafficking specialist / advocate", "case slot"),
    cat("case_management", CategoryFamily::Specialist, "Case management", "case slot"),
    cat("counseling", CategoryFamily::Specialist, "Mental health and trauma counseling", "case slot"),
    cat("medical", CategoryFamily::Specialist, "Medical care", "case slot"),
    cat("substance_use", CategoryFamily::Specialist, "Substance-use treatment", "case slot"),
    cat("interpretation", CategoryFamily::Specialist, "Interpretation", "hour"),
];

/// A category code: lowercase ASCII letters and underscores, 2 to 40 characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CategoryCode(String);

impl CategoryCode {
    /// Validates a category code's shape (whether it exists is the database's answer).
    pub fn parse(code: &str) -> Result<Self, InvalidCategoryCode> {
        let ok = (2..=40).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_lowercase() || b == b'_');
        if ok { Ok(Self(code.to_owned())) } else { Err(InvalidCategoryCode(code.to_owned())) }
    }

    /// The code as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for CategoryCode {
    type Error = InvalidCategoryCode;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<CategoryCode> for String {
    fn from(value: CategoryCode) -> Self {
        value.0
    }
}

/// A string that is not a well-formed category code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a service category code")]
pub struct InvalidCategoryCode(pub String);

/// A term code in a shared taxonomy (a 211 / AIRS code such as `BH-1800.8500`): trimmed, empty for none,
/// at most 60 ASCII letters, digits and `.-_:`.
pub fn taxonomy_term(text: Option<&str>) -> Result<Option<&str>, InvalidTaxonomyTerm> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(None),
        Some(t) if t.len() <= 60 && t.bytes().all(|b| b.is_ascii_alphanumeric() || b".-_:".contains(&b)) => Ok(Some(t)),
        Some(_) => Err(InvalidTaxonomyTerm),
    }
}

/// Text that is not a taxonomy term code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("not a taxonomy term code")]
pub struct InvalidTaxonomyTerm;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_family_has_seeded_categories_and_codes_are_unique_and_valid() {
        for family in CategoryFamily::ALL {
            assert!(SEED_CATEGORIES.iter().any(|c| c.family == family), "{family:?}");
        }
        let mut codes: Vec<_> = SEED_CATEGORIES.iter().map(|c| c.code).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), SEED_CATEGORIES.len());
        for c in SEED_CATEGORIES {
            assert!(CategoryCode::parse(c.code).is_ok());
        }
    }

    #[test]
    fn taxonomy_terms_are_codes_or_nothing() {
        assert_eq!(taxonomy_term(None), Ok(None));
        assert_eq!(taxonomy_term(Some("  ")), Ok(None));
        assert_eq!(taxonomy_term(Some(" BH-1800.8500 ")), Ok(Some("BH-1800.8500")));
        for bad in ["<b>", "two words", &"x".repeat(61)] {
            assert_eq!(taxonomy_term(Some(bad)), Err(InvalidTaxonomyTerm), "{bad}");
        }
    }

    #[test]
    fn malformed_category_codes_are_refused() {
        for bad in ["", "x", "Safe_House", "safe-house", "beds; drop table"] {
            assert!(CategoryCode::parse(bad).is_err(), "{bad}");
        }
    }
}
