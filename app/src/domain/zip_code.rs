//! Connecticut's ZIP codes and the town each one is taken to mean, for addresses whose locality is a
//! village or postal name ("Storrs", "Cos Cob") rather than one of the 169 towns.
//!
//! The table (`app/data/ct-zip-codes.csv`, described in `app/data/README.md`) maps each ZIP code to one town:
//! its postal city when that is a town, otherwise the town its centre lies in. A ZIP code can cross town
//! lines, so an address's own town, when it names one, always wins.

/// The ZIP code table, embedded at compile time (header `zip_code,town_name`).
pub const CT_ZIP_CODES_CSV: &str = include_str!("../../data/ct-zip-codes.csv");

/// Every (ZIP code, town name) pair in the table.
pub fn zip_codes() -> impl Iterator<Item = (&'static str, &'static str)> {
    CT_ZIP_CODES_CSV.lines().skip(1).filter_map(|line| line.trim().split_once(','))
}

/// The five-digit ZIP code at the start of `postal_code` ("06268" and "06268-1234" both give "06268").
pub fn five_digits(postal_code: &str) -> Option<&str> {
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let code = postal_code.trim();
    let (zip, rest) = (code.get(..5)?, &code[5..]);
    let plus_four = rest.is_empty() || rest.strip_prefix('-').is_some_and(|four| four.len() == 4 && digits(four));
    (digits(zip) && plus_four).then_some(zip)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::region::{TOWN_CROSSWALK_CSV, parse_crosswalk};
    use std::collections::HashSet;

    #[test]
    fn every_zip_code_names_one_of_the_169_towns_once() {
        let towns: HashSet<String> = parse_crosswalk(TOWN_CROSSWALK_CSV).unwrap().into_iter().map(|t| t.name).collect();
        let mut seen = HashSet::new();
        for (zip, town) in zip_codes() {
            assert!(towns.contains(town), "{zip} names {town}, not a Connecticut town");
            assert!(zip.starts_with("06") && zip.len() == 5, "{zip}");
            assert!(seen.insert(zip), "{zip} twice");
        }
        assert!(seen.len() > 400, "{} ZIP codes", seen.len());
    }

    #[test]
    fn villages_map_to_their_towns() {
        let town = |zip: &str| zip_codes().find(|(z, _)| *z == zip).map(|(_, t)| t);
        assert_eq!(town("06268"), Some("Mansfield"), "Storrs");
        assert_eq!(town("06807"), Some("Greenwich"), "Cos Cob");
        assert_eq!(town("06890"), Some("Fairfield"), "Southport");
        assert_eq!(town("06103"), Some("Hartford"));
    }

    #[test]
    fn zip_plus_four_is_read_and_anything_else_is_not() {
        assert_eq!(five_digits("06268"), Some("06268"));
        assert_eq!(five_digits(" 06268-1234 "), Some("06268"));
        assert_eq!(five_digits("6268"), None);
        assert_eq!(five_digits("06268x"), None);
        assert_eq!(five_digits("ABCDE"), None);
    }
}
