//! One organization, site or service of a package, matched by its HSDS id: added, changed where it differs, or
//! left as it is, with the counts of each.

use super::Outcome;
use crate::domain::capacity::CapacityCounts;
use crate::domain::import::Counts;
use crate::domain::profile::LanguageCode;
use crate::domain::taxonomy::CategoryCode;
use crate::hsds::import::{OrganizationIn, Problem, ServiceIn, SiteIn};
use crate::store::capacity::HistoryLine;
use crate::store::providers::{EligibilityRow, NewService, NewSite, SiteInfo};
use crate::store::{StoreError, WriteTx, query};

#[derive(sqlx::FromRow, PartialEq, Eq)]
struct OrganizationNow {
    id: i64,
    name: String,
    description: String,
    website: Option<String>,
    phone: Option<String>,
    retired_at: Option<i64>,
}

pub(super) async fn organization(
    tx: &mut WriteTx,
    o: &OrganizationIn,
    now: i64,
    out: &mut Outcome,
) -> Result<Option<i64>, StoreError> {
    let current: Option<OrganizationNow> =
        query("SELECT id, name, description, website, phone, retired_at FROM organizations WHERE external_id = $1")
            .bind(o.external_id.as_str())
            .fetch_optional(&mut *tx)
            .await?;
    let taken: Option<(i64,)> =
        query("SELECT id FROM organizations WHERE name = $1 AND (external_id IS NULL OR external_id <> $2)")
            .bind(o.name.as_str())
            .bind(o.external_id.as_str())
            .fetch_optional(&mut *tx)
            .await?;
    if taken.is_some() {
        out.problems.push(Problem {
            file: "organizations.csv".into(),
            line: o.line,
            column: "name".into(),
            message: format!("{:?} is already the name of another organization", o.name),
        });
        return Ok(None);
    }
    let wanted = |id: i64| OrganizationNow {
        id,
        name: o.name.clone(),
        description: o.description.clone(),
        website: o.website.clone(),
        phone: o.phone.clone(),
        retired_at: None,
    };
    match current {
        Some(c) if c == wanted(c.id) => {
            out.organizations.unchanged += 1;
            Ok(Some(c.id))
        }
        Some(c) => {
            query(
                "UPDATE organizations SET name = $1, description = $2, website = $3, phone = $4, retired_at = NULL
                 WHERE id = $5",
            )
            .bind(o.name.as_str())
            .bind(o.description.as_str())
            .bind(o.website.as_deref())
            .bind(o.phone.as_deref())
            .bind(c.id)
            .execute(&mut *tx)
            .await?;
            out.organizations.changed += 1;
            Ok(Some(c.id))
        }
        None => {
            let (id,): (i64,) = query(
                "INSERT INTO organizations (name, description, website, phone, victim_service_provider, verified,
                    created_at, external_id) VALUES ($1, $2, $3, $4, TRUE, FALSE, $5, $6) RETURNING id",
            )
            .bind(o.name.as_str())
            .bind(o.description.as_str())
            .bind(o.website.as_deref())
            .bind(o.phone.as_deref())
            .bind(now)
            .bind(o.external_id.as_str())
            .fetch_one(&mut *tx)
            .await?;
            out.organizations.added += 1;
            Ok(Some(id))
        }
    }
}

#[derive(sqlx::FromRow, PartialEq, Eq)]
struct SiteNow {
    id: i64,
    organization_id: i64,
    name: String,
    town_id: i64,
    street_address: Option<String>,
    postal_code: Option<String>,
    address_confidential: bool,
    intake_phone: Option<String>,
    hours: Option<String>,
    wheelchair_accessible: bool,
    retired_at: Option<i64>,
}

pub(super) async fn site(
    tx: &mut WriteTx,
    s: &SiteIn,
    organization_id: i64,
    counts: &mut Counts,
) -> Result<i64, StoreError> {
    let current: Option<SiteNow> = query(
        "SELECT id, organization_id, name, town_id, street_address, postal_code, address_confidential, intake_phone,
            hours, wheelchair_accessible, retired_at FROM sites WHERE external_id = $1",
    )
    .bind(s.external_id.as_str())
    .fetch_optional(&mut *tx)
    .await?;
    let wanted = |id: i64| SiteNow {
        id,
        organization_id,
        name: s.name.clone(),
        town_id: s.town_id,
        street_address: s.street_address.clone(),
        postal_code: s.postal_code.clone(),
        address_confidential: s.confidential,
        intake_phone: s.intake_phone.clone(),
        hours: s.hours.clone(),
        wheelchair_accessible: s.wheelchair,
        retired_at: None,
    };
    let id = match current {
        Some(c) if c == wanted(c.id) => {
            counts.unchanged += 1;
            return Ok(c.id);
        }
        Some(c) => {
            counts.changed += 1;
            c.id
        }
        None => {
            let info = SiteInfo {
                name: &s.name,
                town_id: s.town_id,
                street_address: s.street_address.as_deref(),
                address_confidential: s.confidential,
                intake_phone: s.intake_phone.as_deref(),
                hours: s.hours.as_deref(),
                wheelchair_accessible: s.wheelchair,
            };
            counts.added += 1;
            crate::store::providers::insert_site(tx, &NewSite { organization_id, info }).await?
        }
    };
    query(
        "UPDATE sites SET organization_id = $1, name = $2, town_id = $3, street_address = $4, postal_code = $5,
            address_confidential = $6, intake_phone = $7, hours = $8, wheelchair_accessible = $9, retired_at = NULL,
            external_id = $10 WHERE id = $11",
    )
    .bind(organization_id)
    .bind(s.name.as_str())
    .bind(s.town_id)
    .bind(s.street_address.as_deref())
    .bind(s.postal_code.as_deref())
    .bind(s.confidential)
    .bind(s.intake_phone.as_deref())
    .bind(s.hours.as_deref())
    .bind(s.wheelchair)
    .bind(s.external_id.as_str())
    .bind(id)
    .execute(&mut *tx)
    .await?;
    Ok(id)
}

#[derive(sqlx::FromRow)]
struct ServiceNow {
    id: i64,
    site_id: i64,
    category: String,
    name: String,
    status: String,
    retired_at: Option<i64>,
    total: i64,
    vacant: i64,
    accepting_referrals: bool,
    last_confirmed_at: i64,
    #[sqlx(flatten)]
    rules: EligibilityRow,
}

pub(super) async fn service(
    tx: &mut WriteTx,
    s: &ServiceIn,
    site_id: i64,
    actor: Option<i64>,
    counts: &mut Counts,
) -> Result<(), StoreError> {
    // The eligibility columns are the services table's alone, so they need no table prefix.
    let eligibility_columns = crate::store::providers::ELIGIBILITY_COLUMNS;
    let current: Option<ServiceNow> = query(format!(
        "SELECT s.id, s.site_id, s.category, s.name, s.status, s.retired_at, c.total, c.vacant, c.accepting_referrals,
            c.last_confirmed_at, {eligibility_columns}
         FROM services s JOIN capacity c ON c.service_id = s.id WHERE s.external_id = $1"
    ))
    .bind(s.external_id.as_str())
    .fetch_optional(&mut *tx)
    .await?;
    let category = CategoryCode::parse(&s.category).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let Some(c) = current else {
        let counts_now =
            CapacityCounts::new(s.maximum, s.available, 0).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let new = NewService {
            site_id,
            category: &category,
            name: &s.name,
            eligibility: &s.eligibility,
            counts: counts_now,
            accepting_referrals: s.accepting,
        };
        let id = crate::store::providers::insert_service(tx, &new, actor, s.updated).await?;
        query("UPDATE services SET status = $1, external_id = $2 WHERE id = $3")
            .bind(s.status)
            .bind(s.external_id.as_str())
            .bind(id)
            .execute(&mut *tx)
            .await?;
        counts.added += 1;
        return Ok(());
    };
    let languages: Vec<(String,)> =
        query("SELECT language FROM service_languages WHERE service_id = $1 ORDER BY language")
            .bind(c.id)
            .fetch_all(&mut *tx)
            .await?;
    let languages: Vec<LanguageCode> = languages.into_iter().filter_map(|(l,)| LanguageCode::parse(&l).ok()).collect();
    let mut wanted_languages = s.eligibility.languages.clone();
    wanted_languages.sort();
    let rules = c.rules.with_languages(languages)?;
    let described =
        rules == crate::domain::profile::Eligibility { languages: wanted_languages, ..s.eligibility.clone() };
    let listed = (c.site_id, c.category.as_str(), c.name.as_str(), c.status.as_str(), c.retired_at)
        == (site_id, s.category.as_str(), s.name.as_str(), s.status, None);
    let counted = (c.total, c.vacant, c.accepting_referrals, c.last_confirmed_at)
        == (s.maximum, s.available, s.accepting, s.updated);
    if described && listed && counted {
        counts.unchanged += 1;
        return Ok(());
    }
    counts.changed += 1;
    let q = query(
        "UPDATE services SET age_groups = $1, trafficking_types = $2, genders = $3, min_age = $4, max_age = $5,
            accepts_children = $6, pets_allowed = $7, wheelchair_accessible = $8, id_required = $9,
            sobriety_required = $10, status = $11, site_id = $12, category = $13, name = $14, retired_at = NULL
         WHERE id = $15",
    );
    crate::store::providers::bind_eligibility(q, &s.eligibility)
        .bind(s.status)
        .bind(site_id)
        .bind(category.as_str())
        .bind(s.name.as_str())
        .bind(c.id)
        .execute(&mut *tx)
        .await?;
    query("DELETE FROM service_languages WHERE service_id = $1").bind(c.id).execute(&mut *tx).await?;
    for language in &s.eligibility.languages {
        query("INSERT INTO service_languages (service_id, language) VALUES ($1, $2)")
            .bind(c.id)
            .bind(language.as_str())
            .execute(&mut *tx)
            .await?;
    }
    if !counted {
        query(
            "UPDATE capacity SET total = $1, vacant = $2, accepting_referrals = $3, last_changed_at = $4,
                last_changed_by = $5, last_confirmed_at = $4, last_confirmed_by = $5, version = version + 1
             WHERE service_id = $6",
        )
        .bind(s.maximum)
        .bind(s.available)
        .bind(s.accepting)
        .bind(s.updated)
        .bind(actor)
        .bind(c.id)
        .execute(&mut *tx)
        .await?;
        HistoryLine {
            service_id: c.id,
            at: s.updated,
            user_id: actor,
            kind: "change",
            total: (Some(c.total), s.maximum),
            vacant: (Some(c.vacant), s.available),
            accepting: (Some(c.accepting_referrals), s.accepting),
        }
        .record(&mut *tx)
        .await?;
    }
    Ok(())
}
