//! What a directory import reports: each problem where it is in the file, and how many rows of each kind it
//! adds, changes, leaves and retires. Shared by the importer (server) and the upload page (browser).

use serde::{Deserialize, Serialize};

/// One thing wrong with the package, where it is.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Problem {
    /// File.
    pub file: String,
    /// Line (1 is the header; 0 for the file as a whole, or for JSON, where the column is the place).
    pub line: usize,
    /// Column (empty for a whole line or file); in JSON, the place (`$[3].addresses[0].city`).
    pub column: String,
    /// What is wrong, in words.
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.line, self.column.is_empty()) {
            (0, true) => write!(f, "{}: {}", self.file, self.message),
            (0, false) => write!(f, "{} at {}: {}", self.file, self.column, self.message),
            (_, true) => write!(f, "{} line {}: {}", self.file, self.line, self.message),
            (_, false) => write!(f, "{} line {}, column {}: {}", self.file, self.line, self.column, self.message),
        }
    }
}

/// How many rows of one kind the import adds, changes, leaves as they are and retires.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Counts {
    /// New.
    pub added: usize,
    /// Different from what the database held.
    pub changed: usize,
    /// Already as the package says.
    pub unchanged: usize,
    /// Imported before, absent now: retired.
    pub retired: usize,
}
