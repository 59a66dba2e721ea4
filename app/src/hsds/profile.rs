//! Continuum's profile terms: what HSDS has no field for (who a service serves, whether it takes referrals,
//! a location's town and whether its address is confidential) travels as attributes linking the entity to one
//! of these taxonomy terms, so an export imported again means exactly what it meant.

use crate::domain::profile::{AgeGroup, AgeGroups, Eligibility, Gender, Genders, TraffickingType, TraffickingTypes};

/// The taxonomy the profile terms belong to.
pub const PROFILE_TAXONOMY: &str = "Continuum profile";

/// A location's town (the attribute's `value` is the town's name).
pub const TOWN: &str = "continuum:town";
/// A location whose address is confidential.
pub const CONFIDENTIAL: &str = "continuum:confidential_location";
/// A service that takes referrals now.
pub const ACCEPTING: &str = "continuum:accepting_referrals";

/// Every profile term: code and name.
pub const TERMS: [(&str, &str); 16] = [
    (TOWN, "Connecticut town"),
    (CONFIDENTIAL, "Confidential location (address withheld)"),
    (ACCEPTING, "Accepting referrals"),
    ("continuum:serves_minors", "Serves minors"),
    ("continuum:serves_adults", "Serves adults"),
    ("continuum:sex_trafficking", "Serves survivors of sex trafficking"),
    ("continuum:labor_trafficking", "Serves survivors of labor trafficking"),
    ("continuum:gender_female", "Serves women"),
    ("continuum:gender_male", "Serves men"),
    ("continuum:gender_transgender", "Serves transgender people"),
    ("continuum:gender_nonbinary", "Serves nonbinary people"),
    ("continuum:accepts_children", "Accepts accompanying children"),
    ("continuum:pets_allowed", "Pets allowed"),
    ("continuum:wheelchair_accessible", "Wheelchair accessible"),
    ("continuum:photo_id_required", "Photo ID required"),
    ("continuum:sobriety_required", "Sobriety required"),
];

const AGES: [(AgeGroup, &str); 2] =
    [(AgeGroup::Minor, "continuum:serves_minors"), (AgeGroup::Adult, "continuum:serves_adults")];
const TYPES: [(TraffickingType, &str); 2] =
    [(TraffickingType::Sex, "continuum:sex_trafficking"), (TraffickingType::Labor, "continuum:labor_trafficking")];
const GENDERS: [(Gender, &str); 4] = [
    (Gender::Female, "continuum:gender_female"),
    (Gender::Male, "continuum:gender_male"),
    (Gender::Transgender, "continuum:gender_transgender"),
    (Gender::Nonbinary, "continuum:gender_nonbinary"),
];

/// The profile terms of a service: who it serves, its requirements, and whether it takes referrals.
pub fn service_terms(e: &Eligibility, accepting: bool) -> Vec<&'static str> {
    let mut codes: Vec<&'static str> = Vec::new();
    codes.extend(AGES.iter().filter(|(a, _)| e.age_groups.serves(*a)).map(|(_, c)| *c));
    codes.extend(TYPES.iter().filter(|(t, _)| e.trafficking_types.serves(*t)).map(|(_, c)| *c));
    codes.extend(GENDERS.iter().filter(|(g, _)| e.genders.serves(*g)).map(|(_, c)| *c));
    for (on, code) in [
        (e.accepts_children, "continuum:accepts_children"),
        (e.pets_allowed, "continuum:pets_allowed"),
        (e.wheelchair_accessible, "continuum:wheelchair_accessible"),
        (e.id_required, "continuum:photo_id_required"),
        (e.sobriety_required, "continuum:sobriety_required"),
        (accepting, ACCEPTING),
    ] {
        if on {
            codes.push(code);
        }
    }
    codes
}

/// Who a service serves, read back from its profile terms (with its ages and languages from their own
/// fields). A directory that names no age group, type or gender serves them all; `None` when the terms
/// contradict the ages.
pub fn eligibility_from(codes: &[&str], min_age: Option<u8>, max_age: Option<u8>) -> Option<(Eligibility, bool)> {
    let has = |code: &str| codes.contains(&code);
    let mask = |bits: &[(i64, &str)]| {
        let named = bits.iter().filter(|(_, c)| has(c)).fold(0, |m, (b, _)| m | b);
        if named == 0 { bits.iter().fold(0, |m, (b, _)| m | b) } else { named }
    };
    let ages = mask(&[(1, AGES[0].1), (2, AGES[1].1)]);
    let types = mask(&[(1, TYPES[0].1), (2, TYPES[1].1)]);
    let genders = mask(&[(1, GENDERS[0].1), (2, GENDERS[1].1), (4, GENDERS[2].1), (8, GENDERS[3].1)]);
    let e = Eligibility {
        age_groups: AgeGroups::from_bits(ages).ok()?,
        trafficking_types: TraffickingTypes::from_bits(types).ok()?,
        genders: Genders::from_bits(genders).ok()?,
        min_age,
        max_age,
        accepts_children: has("continuum:accepts_children"),
        pets_allowed: has("continuum:pets_allowed"),
        wheelchair_accessible: has("continuum:wheelchair_accessible"),
        id_required: has("continuum:photo_id_required"),
        sobriety_required: has("continuum:sobriety_required"),
        languages: Vec::new(),
    };
    e.validate().ok()?;
    Some((e, has(ACCEPTING)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_service_profile_reads_back_as_it_was_written() {
        let mut e = Eligibility::everyone();
        e.age_groups = AgeGroups::from_bits(2).unwrap();
        e.genders = Genders::from_bits(1 | 4).unwrap();
        e.sobriety_required = true;
        let codes = service_terms(&e, false);
        assert!(!codes.contains(&ACCEPTING) && codes.contains(&"continuum:serves_adults"));
        assert_eq!(eligibility_from(&codes, None, None), Some((e.clone(), false)));
        let open = service_terms(&Eligibility::everyone(), true);
        assert_eq!(eligibility_from(&open, None, None), Some((Eligibility::everyone(), true)));
        assert_eq!(
            eligibility_from(&[], None, None).map(|(e, _)| e),
            Some(Eligibility::everyone()),
            "nothing said: open"
        );
        assert!(TERMS.iter().all(|(c, _)| c.starts_with("continuum:")));
    }
}
