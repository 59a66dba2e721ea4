//! Hand-built organizations, sites and services with known answers.

use app::domain::capacity::CapacityCounts;
use app::domain::profile::{AgeGroup, AgeGroups, Eligibility, LanguageCode};
use app::domain::taxonomy::CategoryCode;
use app::store::providers::{self, NewOrganization, NewService, NewSite, SiteInfo};
use app::store::{Db, regions};

/// Numbers organization names, unique across a test binary.
static ORGANIZATIONS: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);

/// Builds fixtures at a fixed `now`.
pub struct Fixture<'a> {
    pub db: &'a Db,
    pub now: i64,
}

/// Ids of a fixture service and what owns it.
#[derive(Debug, Clone, Copy)]
pub struct Owned {
    pub organization: i64,
    pub site: i64,
    pub service: i64,
}

/// A service to create, with defaults that admit everyone.
#[derive(Clone)]
pub struct ServiceSpec {
    pub category: &'static str,
    pub town: &'static str,
    pub total: i64,
    pub available: i64,
    pub eligibility: Eligibility,
    /// Seconds since the counts were confirmed.
    pub age_secs: i64,
    pub confidential_address: Option<&'static str>,
}

pub fn open_eligibility() -> Eligibility {
    Eligibility { languages: vec![LanguageCode::parse("en").unwrap()], ..Eligibility::everyone() }
}

pub fn adults_only() -> AgeGroups {
    AgeGroups::of(&[AgeGroup::Adult]).unwrap()
}

pub fn minors_only() -> AgeGroups {
    AgeGroups::of(&[AgeGroup::Minor]).unwrap()
}

impl ServiceSpec {
    pub fn housing(town: &'static str, total: i64, available: i64) -> Self {
        Self {
            category: "safe_house",
            town,
            total,
            available,
            eligibility: open_eligibility(),
            age_secs: 0,
            confidential_address: None,
        }
    }
}

impl<'a> Fixture<'a> {
    pub fn new(db: &'a Db, now: i64) -> Self {
        Self { db, now }
    }

    /// Creates an organization, a site in `spec.town` and the service; returns the service id.
    pub async fn service(&self, spec: ServiceSpec) -> i64 {
        self.owned(spec).await.service
    }

    /// As [`Fixture::service`], returning the organization and site too.
    pub async fn owned(&self, spec: ServiceSpec) -> Owned {
        let n = ORGANIZATIONS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let name = format!("Fixture organization {n}");
        let org = providers::create_organization(
            self.db,
            &NewOrganization {
                name: &name,
                description: "",
                website: None,
                phone: None,
                victim_service_provider: true,
                verified: true,
            },
            self.now,
        )
        .await
        .unwrap();
        let town_id = regions::town_id(self.db, spec.town).await.unwrap().expect("known town");
        let site = providers::create_site(
            self.db,
            &NewSite {
                organization_id: org,
                info: SiteInfo {
                    name: "Main site",
                    town_id,
                    street_address: Some(spec.confidential_address.unwrap_or("1 Public Square")),
                    address_confidential: spec.confidential_address.is_some(),
                    intake_phone: Some("860-555-0199"),
                    hours: None,
                    wheelchair_accessible: false,
                },
            },
        )
        .await
        .unwrap();
        let category = CategoryCode::parse(spec.category).unwrap();
        let service = providers::create_service(
            self.db,
            &NewService {
                site_id: site,
                category: &category,
                name: spec.category,
                eligibility: &spec.eligibility,
                counts: CapacityCounts::new(spec.total, spec.available, 0).unwrap(),
                accepting_referrals: true,
            },
            None,
            self.now - spec.age_secs,
        )
        .await
        .unwrap();
        Owned { organization: org, site, service }
    }
}
