//! The demo dataset: 63 fictional organizations across all 9 planning regions, 165 services of every
//! category (confidential safe houses among them), 90 days of capacity history and about 400 needs.

use app::domain::account::Role;
use app::domain::need::{NeedClosing, NeedInput, NeedPlace, Outcome, UnmetReason, Urgency};
use app::domain::profile::{AgeGroup, Gender, LanguageCode, TraffickingType};
use app::domain::region::RegionScheme;
use app::domain::taxonomy::CategoryCode;
use app::store::providers::{self, NewUser};
use app::store::{Db, needs, regions};

use super::SeedError;
use super::generate::{NameStyle, Spec, Spread, generate};
use super::rng::Rng;

const DAY: i64 = 86_400;

/// The demo's size.
pub const DEMO_SPEC: Spec = Spec {
    seed: 2026,
    organizations: 63,
    services: 165,
    days: 90,
    name_style: NameStyle::Demo,
    spread: Spread::LikeConnecticut,
};

/// The password of every demo account. Demo data only: never load it into a real deployment.
pub const DEMO_PASSWORD: &str = "continuum demo 2026";
/// The TOTP key of the demo administrator and coordinator (roles that require a second factor).
pub const DEMO_TOTP_SECRET: &str = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
/// The demo accounts: email, name, role.
pub const DEMO_ACCOUNTS: [(&str, &str, Role); 5] = [
    ("admin@demo.continuum.test", "Demo Administrator", Role::Administrator),
    ("coordinator@demo.continuum.test", "Demo Coordinator", Role::Coordinator),
    ("funder@demo.continuum.test", "Demo Funder", Role::Funder),
    ("provider@demo.continuum.test", "Demo Provider Admin", Role::ProviderAdmin),
    ("staff@demo.continuum.test", "Demo Provider Staff", Role::ProviderStaff),
];

/// The lines `make run` prints so a newcomer can sign in.
pub fn sign_in_help() -> String {
    let mut lines = vec![format!("Demo sign-ins (password \"{DEMO_PASSWORD}\"):")];
    for (email, _, role) in DEMO_ACCOUNTS {
        let extra = if role.requires_second_factor() { "  + authenticator code" } else { "" };
        lines.push(format!("  {email:<34} {}{extra}", role.label()));
    }
    lines.push(format!(
        "  Authenticator key for admin and coordinator: {DEMO_TOTP_SECRET} (or run `continuum demo-code`)"
    ));
    lines.join("\n")
}

/// Loads the demo data if the database has no organizations yet; returns whether it loaded.
#[tracing::instrument(skip(db))]
pub async fn load_if_empty(db: &Db, now: i64) -> Result<bool, SeedError> {
    if providers::count_organizations(db).await? > 0 {
        return Ok(false);
    }
    let start = now - DEMO_SPEC.days * DAY;
    let orgs = generate(db, &DEMO_SPEC, now, &|_, _| {}).await?;
    let password = app::auth::password::hash(DEMO_PASSWORD.to_owned()).await.map_err(SeedError::Reference)?;
    let mut coordinator = 0;
    for (email, name, role) in DEMO_ACCOUNTS {
        let organization_ids: &[i64] = if role.is_provider() { &orgs[..3] } else { &[] };
        let id =
            providers::create_user(db, &NewUser { email, display_name: name, role, organization_ids }, start).await?;
        let totp = role.requires_second_factor().then_some(DEMO_TOTP_SECRET);
        providers::set_demo_credentials(db, id, &password, totp).await?;
        if role == Role::Coordinator {
            coordinator = id;
        }
    }
    load_needs(db, coordinator, now).await?;
    Ok(true)
}

/// About 400 needs over 90 days, with outcomes for all but the most recent.
async fn load_needs(db: &Db, coordinator: i64, now: i64) -> Result<(), SeedError> {
    let mut rng = Rng::new(49);
    let regions = regions::summaries(db, RegionScheme::Planning).await?;
    let towns = regions::towns_by_region(db, RegionScheme::Planning).await?;
    let housing = ["emergency_shelter", "safe_house", "transitional_housing", "host_home", "rapid_rehousing"];
    let other = ["immigration_legal", "vacatur", "civil_legal", "labor_specialist", "case_management", "counseling"];
    for i in 0..400 {
        let created = now - DEMO_SPEC.days * DAY + i * (DEMO_SPEC.days * DAY / 400) + rng.range(0, 3600);
        let region = rng.pick(&regions);
        // Recorded by town, as coordinators do: the need keeps its planning region and county.
        let town = towns.iter().find(|(name, _)| *name == region.name).map(|(_, towns)| rng.pick(towns).0);
        let place = town.map_or(NeedPlace::Region(region.id), NeedPlace::Town);
        let age_group = if rng.chance(30) { AgeGroup::Minor } else { AgeGroup::Adult };
        // Roughly the Connecticut report's mix: mostly sex trafficking, a few labor or both, many unscreened.
        let trafficking_type = match rng.range(0, 99) {
            0..=72 => TraffickingType::Sex,
            73..=76 => TraffickingType::Labor,
            77..=80 => TraffickingType::Both,
            _ => TraffickingType::Unknown,
        };
        let first = if age_group == AgeGroup::Minor && rng.chance(40) { "host_home" } else { *rng.pick(&housing) };
        let mut categories = vec![category(first)?];
        if rng.chance(50) {
            let extra = *rng.pick(&other);
            categories.push(category(extra)?);
        }
        let input = NeedInput {
            place,
            age_group,
            trafficking_type,
            gender: Some(*rng.pick(&[
                Gender::Female,
                Gender::Female,
                Gender::Female,
                Gender::Male,
                Gender::Transgender,
                Gender::Nonbinary,
            ])),
            household_size: if rng.chance(20) { 2 + u8::try_from(rng.range(0, 2)).unwrap_or(0) } else { 1 },
            languages: if rng.chance(25) {
                vec![LanguageCode::parse("es").map_err(|e| SeedError::Reference(e.to_string()))?]
            } else {
                Vec::new()
            },
            wheelchair: rng.chance(5),
            categories,
            urgency: *rng.pick(&[Urgency::Emergency, Urgency::Urgent, Urgency::Standard]),
        };
        let Ok(need_id) = needs::create(db, &input, Some(coordinator), created).await? else { continue };
        if created > now - 3 * DAY {
            continue;
        }
        let outcome = match rng.range(0, 99) {
            0..=44 => Outcome::PlacedInRegion,
            45..=59 => Outcome::PlacedOutsideRegion,
            60..=84 => Outcome::NotPlaced,
            85..=92 => Outcome::DeclinedBySurvivor,
            _ => Outcome::Withdrawn,
        };
        let reasons = match outcome {
            Outcome::NotPlaced | Outcome::PlacedOutsideRegion => {
                let mut r = vec![if rng.chance(65) {
                    UnmetReason::NoCapacity
                } else {
                    *rng.pick(&[
                        UnmetReason::EligibilityMismatch,
                        UnmetReason::Language,
                        UnmetReason::SafetyConflict,
                        UnmetReason::DistanceOrTransport,
                        UnmetReason::WaitlistTooLong,
                        UnmetReason::Accessibility,
                    ])
                }];
                if rng.chance(20) {
                    r.push(UnmetReason::Language);
                }
                r
            }
            _ => vec![],
        };
        let placed_region = match outcome {
            Outcome::PlacedInRegion => Some(region.id),
            Outcome::PlacedOutsideRegion => {
                Some(rng.pick(&regions).id).filter(|id| *id != region.id).or(Some(regions[0].id))
            }
            _ => None,
        };
        let closed = created + rng.range(3600, 2 * DAY);
        let _ = needs::close(db, need_id, &NeedClosing { outcome, reasons }, None, placed_region, closed).await?;
    }
    Ok(())
}

fn category(code: &str) -> Result<CategoryCode, SeedError> {
    CategoryCode::parse(code).map_err(|e| SeedError::Reference(e.to_string()))
}
