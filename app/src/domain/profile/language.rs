//! Languages: a closed list of ISO 639 codes, so no free text rides in a language field.

use serde::{Deserialize, Serialize};

/// An ISO 639 language code from the closed list [`LANGUAGES`] (`en`, `es`, `ht`). A closed list keeps
/// free text, such as a person's initials, out of a field that is stored and published.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct LanguageCode(String);

impl LanguageCode {
    /// Accepts a code on [`LANGUAGES`] (surrounding spaces ignored).
    pub fn parse(code: &str) -> Result<Self, InvalidLanguage> {
        let code = code.trim();
        match LANGUAGES.iter().find(|(c, _)| *c == code) {
            Some((c, _)) => Ok(Self((*c).to_owned())),
            None => Err(InvalidLanguage(code.chars().take(8).collect())),
        }
    }

    /// The code as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The language's English name.
    pub fn label(&self) -> &str {
        LANGUAGES.iter().find(|(c, _)| *c == self.0).map_or(self.0.as_str(), |(_, name)| name)
    }
}

impl TryFrom<String> for LanguageCode {
    type Error = InvalidLanguage;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<LanguageCode> for String {
    fn from(value: LanguageCode) -> Self {
        value.0
    }
}

/// The most languages one need or search may name.
pub const MAX_LANGUAGES: usize = 5;

/// Every language code Continuum accepts: ISO 639-1 where one exists, else ISO 639-3. The languages spoken
/// at home in Connecticut and by trafficking survivors identified in the United States.
pub const LANGUAGES: [(&str, &str); 41] = [
    ("am", "Amharic"),
    ("ar", "Arabic"),
    ("asl", "American Sign Language"),
    ("bn", "Bengali"),
    ("de", "German"),
    ("el", "Greek"),
    ("en", "English"),
    ("es", "Spanish"),
    ("fa", "Persian"),
    ("ff", "Fula"),
    ("fr", "French"),
    ("gu", "Gujarati"),
    ("hi", "Hindi"),
    ("hmn", "Hmong"),
    ("ht", "Haitian Creole"),
    ("id", "Indonesian"),
    ("it", "Italian"),
    ("ja", "Japanese"),
    ("km", "Khmer"),
    ("ko", "Korean"),
    ("lo", "Lao"),
    ("mam", "Mam"),
    ("my", "Burmese"),
    ("ne", "Nepali"),
    ("pa", "Punjabi"),
    ("pl", "Polish"),
    ("ps", "Pashto"),
    ("pt", "Portuguese"),
    ("quc", "K'iche'"),
    ("ro", "Romanian"),
    ("ru", "Russian"),
    ("so", "Somali"),
    ("sq", "Albanian"),
    ("sw", "Swahili"),
    ("th", "Thai"),
    ("ti", "Tigrinya"),
    ("tl", "Tagalog"),
    ("uk", "Ukrainian"),
    ("ur", "Urdu"),
    ("vi", "Vietnamese"),
    ("zh", "Chinese"),
];

/// Languages offered in pick lists, by ISO 639-1 code.
pub const COMMON_LANGUAGES: [(&str, &str); 12] = [
    ("en", "English"),
    ("es", "Spanish"),
    ("pt", "Portuguese"),
    ("ht", "Haitian Creole"),
    ("pl", "Polish"),
    ("zh", "Chinese"),
    ("vi", "Vietnamese"),
    ("ar", "Arabic"),
    ("fr", "French"),
    ("ru", "Russian"),
    ("uk", "Ukrainian"),
    ("asl", "American Sign Language"),
];

/// Not a language code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a language code Continuum knows (e.g. \"es\" for Spanish)")]
pub struct InvalidLanguage(pub String);
