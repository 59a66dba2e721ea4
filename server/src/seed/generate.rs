//! The generator behind both the demo dataset and scale data.

use std::collections::HashMap;

use app::domain::capacity::CapacityCounts;
use app::domain::profile::{AgeGroup, AgeGroups, Eligibility, Gender, Genders, LanguageCode, TraffickingTypes};
use app::domain::region::{TOWN_CROSSWALK_CSV, parse_crosswalk};
use app::domain::taxonomy::{CategoryCode, CategoryFamily, SEED_CATEGORIES, SeedCategory};
use app::store::bulk::{self, CapacityState, HistoryRecord};
use app::store::providers::{self, NewOrganization, NewService, NewSite, SiteInfo};
use app::store::{Db, regions};

use super::SeedError;
use super::rng::Rng;

const DAY: i64 = 86_400;
const HOUR: i64 = 3_600;

/// What to generate.
pub struct Spec {
    /// Random seed.
    pub seed: u64,
    /// Organizations to create.
    pub organizations: usize,
    /// Services to create (spread over the organizations, every category in turn).
    pub services: usize,
    /// Days of history.
    pub days: i64,
    /// Prefix that makes names unique and obviously fictional.
    pub name_style: NameStyle,
    /// How organizations spread over the regions and services over the categories.
    pub spread: Spread,
}

/// How the generated directory is spread.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Spread {
    /// Organizations round the regions in turn, services round every category in turn (benchmarks and tests).
    Even,
    /// Like Connecticut: organizations roughly where people live (many in the Capitol, South Central and
    /// Western regions, few in the Northwest Hills), and few safe houses and host homes beside many legal-aid
    /// and case-management services.
    LikeConnecticut,
}

/// Relative weights of the planning regions, in the order of their names (about their populations in
/// thousands, 2020 census, rounded).
const REGION_WEIGHTS: [u32; 9] = [
    976, // Capitol
    328, // Greater Bridgeport
    176, // Lower Connecticut River Valley
    450, // Naugatuck Valley
    95,  // Northeastern Connecticut
    113, // Northwest Hills
    570, // South Central Connecticut
    280, // Southeastern Connecticut
    620, // Western Connecticut
];

/// How common each seeded category is among providers, relative to the others.
fn category_weight(code: &str) -> u32 {
    match code {
        "safe_house" | "host_home" => 1,
        "transitional_housing"
        | "rapid_rehousing"
        | "vacatur"
        | "labor_specialist"
        | "substance_use"
        | "interpretation" => 2,
        "emergency_shelter" | "sex_specialist" | "medical" => 3,
        "immigration_legal" | "civil_legal" | "counseling" => 4,
        _ => 6,
    }
}

/// How names look.
#[derive(Clone, Copy)]
pub enum NameStyle {
    /// "Lantern House (demo)".
    Demo,
    /// "Scale organization 42".
    Scale,
}

const NAME_FIRST: [&str; 21] = [
    "Beacon",
    "Harbor",
    "Lantern",
    "Cedar",
    "Willow",
    "Compass",
    "Anchor",
    "Bridge",
    "Meadow",
    "Summit",
    "Juniper",
    "Haven",
    "Northstar",
    "Riverbend",
    "Bluebird",
    "Keystone",
    "Open Door",
    "New Dawn",
    "Evergreen",
    "Hearth",
    "Sparrow",
];
const NAME_KIND: [&str; 7] = ["House", "Legal Collective", "Advocates", "Alliance", "Center", "Project", "Network"];
const STREETS: [&str; 8] = [
    "Quiet Lane",
    "Hidden Way",
    "Orchard Road",
    "Elm Street",
    "Mill Road",
    "Hillside Ave",
    "Maple Court",
    "River Road",
];
const EXTRA_LANGUAGES: [&str; 8] = ["es", "pt", "ht", "pl", "zh", "vi", "ar", "fr"];

/// Towns of each planning region, by region index 0..9 (alphabetical by region name).
async fn towns_by_region(db: &Db) -> Result<Vec<Vec<i64>>, SeedError> {
    let ids: HashMap<String, i64> = regions::towns(db).await?.into_iter().map(|(id, name)| (name, id)).collect();
    let crosswalk = parse_crosswalk(TOWN_CROSSWALK_CSV).map_err(|e| SeedError::Reference(e.to_string()))?;
    let mut names: Vec<&str> = crosswalk.iter().map(|t| t.planning_region_name.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    let mut groups = vec![Vec::new(); names.len()];
    for t in &crosswalk {
        let region = names.iter().position(|n| *n == t.planning_region_name).unwrap_or(0);
        let id = ids.get(&t.name).ok_or_else(|| SeedError::Reference(format!("town {} missing", t.name)))?;
        groups[region].push(*id);
    }
    Ok(groups)
}

fn eligibility(rng: &mut Rng, category: &SeedCategory) -> Eligibility {
    let age_groups = match category.code {
        "host_home" => AgeGroups::of(&[AgeGroup::Minor]),
        _ if rng.chance(70) => AgeGroups::of(&[AgeGroup::Adult]),
        _ if rng.chance(40) => AgeGroups::of(&[AgeGroup::Minor]),
        _ => Ok(AgeGroups::EVERYONE),
    }
    .unwrap_or(AgeGroups::EVERYONE);
    let trafficking_types = match category.code {
        "labor_specialist" | "civil_legal" => TraffickingTypes::LABOR,
        "sex_specialist" => TraffickingTypes::SEX,
        _ if rng.chance(20) => TraffickingTypes::SEX,
        _ if rng.chance(8) => TraffickingTypes::LABOR,
        _ => TraffickingTypes::EVERYONE,
    };
    let genders = if category.family == CategoryFamily::Housing && rng.chance(35) {
        Genders::of(&[Gender::Female, Gender::Transgender, Gender::Nonbinary]).unwrap_or(Genders::EVERYONE)
    } else {
        Genders::EVERYONE
    };
    let mut languages = vec![LanguageCode::parse("en").expect("valid code")];
    for code in EXTRA_LANGUAGES {
        if rng.chance(if code == "es" { 70 } else { 12 }) {
            languages.push(LanguageCode::parse(code).expect("valid code"));
        }
    }
    let minors_only = age_groups == AgeGroups::of(&[AgeGroup::Minor]).unwrap_or(AgeGroups::EVERYONE);
    Eligibility {
        age_groups,
        trafficking_types,
        genders,
        min_age: if minors_only { Some(12) } else { None },
        max_age: if minors_only { Some(17) } else { None },
        accepts_children: category.family == CategoryFamily::Housing && rng.chance(40),
        pets_allowed: category.family == CategoryFamily::Housing && rng.chance(15),
        wheelchair_accessible: rng.chance(55),
        id_required: rng.chance(10),
        sobriety_required: category.family == CategoryFamily::Housing && rng.chance(20),
        languages,
    }
}

fn typical_total(rng: &mut Rng, category: &SeedCategory) -> i64 {
    match (category.family, category.code) {
        (_, "interpretation") => rng.range(10, 40),
        (CategoryFamily::Housing, _) => rng.range(2, 16),
        (CategoryFamily::Legal, _) => rng.range(3, 20),
        (CategoryFamily::Specialist, _) => rng.range(5, 30),
    }
}

/// Simulates a service's history from `start` until `end`, returning the rows and the final state.
fn simulate(
    rng: &mut Rng,
    service_id: i64,
    family: CategoryFamily,
    total: i64,
    start: i64,
    end: i64,
    user_id: Option<i64>,
) -> (Vec<HistoryRecord>, CapacityState) {
    let (min_gap, max_gap) =
        if family == CategoryFamily::Housing { (4 * HOUR, 26 * HOUR) } else { (10 * HOUR, 60 * HOUR) };
    let mut rows = Vec::new();
    let mut vacant = (total / 3).max(0);
    let (mut t, mut changed_at, mut changes) = (start, start, 0);
    loop {
        let next = t + rng.range(min_gap, max_gap);
        if next > end {
            break;
        }
        t = next;
        if rng.chance(55) {
            let new_vacant = (vacant + rng.range(-2, 2)).clamp(0, total);
            rows.push(HistoryRecord {
                service_id,
                at: t,
                user_id,
                kind: "change",
                total: (total, total),
                vacant: (vacant, new_vacant),
                accepting: true,
            });
            vacant = new_vacant;
            changed_at = t;
            changes += 1;
        } else {
            rows.push(HistoryRecord {
                service_id,
                at: t,
                user_id,
                kind: "confirm",
                total: (total, total),
                vacant: (vacant, vacant),
                accepting: true,
            });
        }
    }
    let state = CapacityState { service_id, total, vacant, changed_at, confirmed_at: t, user_id, changes };
    (rows, state)
}

/// Generates organizations, sites, services and history; `progress(done, total)` is called as services land.
pub async fn generate(db: &Db, spec: &Spec, now: i64, progress: &dyn Fn(usize, usize)) -> Result<Vec<i64>, SeedError> {
    let mut rng = Rng::new(spec.seed);
    let towns = towns_by_region(db).await?;
    let regions: Vec<(usize, u32)> =
        (0..towns.len()).map(|r| (r, REGION_WEIGHTS.get(r).copied().unwrap_or(100))).collect();
    let categories: Vec<(&SeedCategory, u32)> = SEED_CATEGORIES.iter().map(|c| (c, category_weight(c.code))).collect();
    let region_of: Vec<usize> = (0..spec.organizations)
        .map(|k| match spec.spread {
            Spread::Even => k % towns.len(),
            Spread::LikeConnecticut => *rng.weighted(&regions),
        })
        .collect();
    let mut addresses = std::collections::HashSet::new();
    let start = now - spec.days * DAY;
    let mut org_ids = Vec::with_capacity(spec.organizations);
    for k in 0..spec.organizations {
        let name = match spec.name_style {
            NameStyle::Demo => format!(
                "{} {} (demo)",
                NAME_FIRST[k % NAME_FIRST.len()],
                NAME_KIND[(k / NAME_FIRST.len() + k) % NAME_KIND.len()]
            ),
            NameStyle::Scale => format!("Scale organization {k}"),
        };
        let org = NewOrganization {
            name: &name,
            description: "A fictional organization in the Continuum demo data.",
            website: None,
            phone: Some("860-555-0100"),
            victim_service_provider: true,
            verified: rng.chance(80),
        };
        org_ids.push(providers::create_organization(db, &org, start).await?);
    }
    let mut pending_history = Vec::new();
    let mut final_states = Vec::new();
    let mut site: Option<(usize, i64, usize)> = None; // (org index, site id, services on it)
    for i in 0..spec.services {
        let org_index = i % spec.organizations.max(1);
        let category = match spec.spread {
            Spread::Even => &SEED_CATEGORIES[(i / spec.organizations.max(1) + i) % SEED_CATEGORIES.len()],
            Spread::LikeConnecticut => *rng.weighted(&categories),
        };
        let confidential = matches!(category.code, "safe_house" | "host_home");
        let reuse = matches!(site, Some((o, _, n)) if o == org_index && n < 3) && !confidential;
        let site_id = if let (true, Some((_, id, n))) = (reuse, site) {
            site = Some((org_index, id, n + 1));
            id
        } else {
            let region_towns = &towns[region_of[org_index]];
            let town_id = *rng.pick(region_towns);
            // Every site has an address of its own.
            let address = loop {
                let candidate = format!("{} {}", rng.range(10, 990), rng.pick(&STREETS));
                if addresses.insert((town_id, candidate.clone())) {
                    break candidate;
                }
            };
            let site_name = if confidential { format!("Residence {}", i + 1) } else { format!("Office {}", i + 1) };
            let new_site = NewSite {
                organization_id: org_ids[org_index],
                info: SiteInfo {
                    name: &site_name,
                    town_id,
                    street_address: Some(&address),
                    address_confidential: confidential,
                    intake_phone: Some("860-555-0142"),
                    hours: None,
                    wheelchair_accessible: rng.chance(60),
                },
            };
            let id = providers::create_site(db, &new_site).await?;
            site = Some((org_index, id, 1));
            id
        };
        let eligibility = eligibility(&mut rng, category);
        let total = typical_total(&mut rng, category);
        let code = CategoryCode::parse(category.code).map_err(|e| SeedError::Reference(e.to_string()))?;
        let counts = CapacityCounts::new(total, total / 3, 0).map_err(|e| SeedError::Reference(e.to_string()))?;
        let service = NewService {
            site_id,
            category: &code,
            name: category.name,
            eligibility: &eligibility,
            counts,
            accepting_referrals: true,
        };
        let service_id = providers::create_service(db, &service, None, start).await?;
        // About one service in eight stopped updating some days ago: its numbers are stale now.
        let end = if rng.chance(12) { now - rng.range(3 * DAY, 20 * DAY) } else { now };
        let (rows, state) = simulate(&mut rng, service_id, category.family, total, start, end, None);
        pending_history.extend(rows);
        final_states.push(state);
        if pending_history.len() >= 20_000 || i + 1 == spec.services {
            bulk::insert_history(db, &pending_history).await?;
            bulk::set_capacity(db, &final_states).await?;
            pending_history.clear();
            final_states.clear();
            progress(i + 1, spec.services);
        }
    }
    Ok(org_ids)
}
