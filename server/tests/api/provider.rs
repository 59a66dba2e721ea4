//! The provider workflow through its server functions: updates, confirmations, conflicts, validation,
//! holds, descriptions, and other organizations' things refused (IDOR).

use app::api::AppError;
use app::api::provider::CapacityResult;
use app::domain::account::Role;
use app::domain::hold::HoldRequest;
use app::store::{capacity, holds};

use crate::both_backends;
use crate::fixtures::{Fixture, ServiceSpec};
use crate::helpers::TestApp;

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

async fn result(response: reqwest::Response) -> CapacityResult {
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

async fn a_provider_updates_with_one_tap_and_confirms_still_accurate(app: TestApp) {
    let mine = Fixture::new(&app.db, now())
        .owned(ServiceSpec { age_secs: 20 * 3600, ..ServiceSpec::housing("Hartford", 6, 2) })
        .await;
    let staff = app.signed_in(Role::ProviderStaff, &[mine.organization]).await;
    let id = mine.service.to_string();
    let r = result(
        app.call(
            "/api/update_capacity",
            Some(&staff),
            &[
                ("service_id", &id),
                ("version", "1"),
                ("total", "6"),
                ("available", "2"),
                ("accepting", "on"),
                ("step", "+1"),
            ],
        )
        .await,
    )
    .await;
    let CapacityResult::Saved(s) = r else { panic!("{r:?}") };
    assert_eq!((s.available, s.version.0), (3, 2));
    assert_eq!(s.freshness, app::domain::freshness::FreshnessBand::Fresh);
    assert_eq!(
        s.last_changed_by.as_deref(),
        Some(app::store::accounts::viewer(&app.db, staff.user_id).await.unwrap().unwrap().display_name.as_str())
    );
    let r =
        result(app.call("/api/confirm_capacity", Some(&staff), &[("service_id", &id), ("version", "2")]).await).await;
    assert!(matches!(r, CapacityResult::Saved(ref s) if s.available == 3));
}

async fn a_second_editor_gets_a_conflict_with_the_first_editors_values(app: TestApp) {
    let mine = Fixture::new(&app.db, now()).owned(ServiceSpec::housing("Hartford", 6, 2)).await;
    let a = app.signed_in(Role::ProviderStaff, &[mine.organization]).await;
    let b = app.signed_in(Role::ProviderAdmin, &[mine.organization]).await;
    let id = mine.service.to_string();
    result(
        app.call(
            "/api/update_capacity",
            Some(&a),
            &[("service_id", &id), ("version", "1"), ("total", "6"), ("available", "4"), ("accepting", "on")],
        )
        .await,
    )
    .await;
    let r = result(
        app.call(
            "/api/update_capacity",
            Some(&b),
            &[("service_id", &id), ("version", "1"), ("total", "6"), ("available", "1"), ("accepting", "on")],
        )
        .await,
    )
    .await;
    let CapacityResult::Conflict { current, yours_available, .. } = r else { panic!("{r:?}") };
    assert_eq!((current.available, yours_available), (4, 1));
    assert!(current.last_changed_by.is_some());
    // Re-applying on top of the current version works.
    let version = current.version.0.to_string();
    let r = result(
        app.call(
            "/api/update_capacity",
            Some(&b),
            &[("service_id", &id), ("version", &version), ("total", "6"), ("available", "1"), ("accepting", "on")],
        )
        .await,
    )
    .await;
    assert!(matches!(r, CapacityResult::Saved(ref s) if s.available == 1));
}

async fn invalid_numbers_get_specific_messages_and_change_nothing(app: TestApp) {
    let mine = Fixture::new(&app.db, now()).owned(ServiceSpec::housing("Hartford", 6, 2)).await;
    let staff = app.signed_in(Role::ProviderStaff, &[mine.organization]).await;
    holds::place(&app.db, mine.service, HoldRequest::new(2, None).unwrap(), None, None, now(), &app.freshness)
        .await
        .unwrap()
        .unwrap();
    let id = mine.service.to_string();
    for (total, available, field, words) in [
        ("6", "-1", "available", "cannot be negative"),
        ("6", "5", "available", "cannot be more than the total"),
        ("1", "0", "total", "below the units on hold"),
        ("6", "three", "available", "whole number"),
        ("x", "1", "total", "whole number"),
    ] {
        let r = result(
            app.call(
                "/api/update_capacity",
                Some(&staff),
                &[("service_id", &id), ("version", "1"), ("total", total), ("available", available)],
            )
            .await,
        )
        .await;
        let CapacityResult::Invalid { field: f, rule } = r else { panic!("{total}/{available}: {r:?}") };
        assert_eq!(f.name(), field, "{total}/{available}");
        let message = rule.to_string();
        assert!(message.contains(words), "{total}/{available}: {message}");
    }
    let s = capacity::snapshot(&app.db, mine.service, now(), &app.freshness).await.unwrap();
    assert_eq!((s.total, s.available, s.on_hold, s.version.0), (6, 0, 2, 1));
}

async fn another_organizations_service_site_and_hold_are_refused_and_unchanged(app: TestApp) {
    let f = Fixture::new(&app.db, now());
    let theirs = f
        .owned(ServiceSpec {
            confidential_address: Some("CANARY-IDOR 9 Secret Way"),
            ..ServiceSpec::housing("Hartford", 6, 2)
        })
        .await;
    let mine = f.owned(ServiceSpec::housing("Hartford", 6, 2)).await;
    let attacker = app.signed_in(Role::ProviderAdmin, &[mine.organization]).await;
    let id = theirs.service.to_string();
    let site = theirs.site.to_string();
    let hold =
        holds::place(&app.db, theirs.service, HoldRequest::new(1, None).unwrap(), None, None, now(), &app.freshness)
            .await
            .unwrap()
            .unwrap();
    let hold_id = hold.id.to_string();
    for (path, form) in [
        (
            "/api/update_capacity",
            vec![("service_id", id.as_str()), ("version", "1"), ("total", "9"), ("available", "9")],
        ),
        ("/api/confirm_capacity", vec![("service_id", id.as_str()), ("version", "1")]),
        ("/api/finish_hold", vec![("hold_id", hold_id.as_str()), ("outcome", "released")]),
        ("/api/service_description", vec![("service_id", id.as_str())]),
        (
            "/api/describe_service",
            vec![
                ("service_id", id.as_str()),
                ("status", "inactive"),
                ("age_adult", "on"),
                ("sex", "on"),
                ("female", "on"),
            ],
        ),
        ("/api/site_details", vec![("site_id", site.as_str())]),
        ("/api/edit_site", vec![("site_id", site.as_str()), ("name", "Taken over")]),
    ] {
        let response = app.call(path, Some(&attacker), &form).await;
        assert!(matches!(response.status().as_u16(), 403 | 404), "{path}: {}", response.status());
        assert!(!response.text().await.unwrap().contains("CANARY-IDOR"), "{path} leaked the address");
    }
    let s = capacity::snapshot(&app.db, theirs.service, now(), &app.freshness).await.unwrap();
    assert_eq!((s.total, s.available, s.version.0), (6, 1, 1));
    assert_eq!(holds::get(&app.db, hold.id, now()).await.unwrap().state, app::domain::hold::HoldState::Held);
    let bulk_key = format!("fields[version_{id}]");
    let response = app.call("/api/bulk_update", Some(&attacker), &[(bulk_key.as_str(), "1")]).await;
    assert_eq!(response.status(), 403);
    let denials = app::store::audit::list(&app.db, Some("authorization.denied"), 50).await.unwrap();
    assert!(denials.len() >= 7, "denials are audited");
}

async fn a_provider_confirms_arrival_and_releases_holds(app: TestApp) {
    let mine = Fixture::new(&app.db, now()).owned(ServiceSpec::housing("Hartford", 6, 4)).await;
    let staff = app.signed_in(Role::ProviderStaff, &[mine.organization]).await;
    let a = holds::place(&app.db, mine.service, HoldRequest::new(1, None).unwrap(), None, None, now(), &app.freshness)
        .await
        .unwrap()
        .unwrap();
    let b = holds::place(&app.db, mine.service, HoldRequest::new(2, None).unwrap(), None, None, now(), &app.freshness)
        .await
        .unwrap()
        .unwrap();
    let inbox: Vec<app::api::provider::HoldCard> =
        app.call("/api/my_holds", Some(&staff), &[]).await.json().await.unwrap();
    assert_eq!(inbox.len(), 2);
    assert!(inbox.iter().all(|h| h.seconds_left > 7000));
    assert_eq!(
        app.call("/api/finish_hold", Some(&staff), &[("hold_id", &a.id.to_string()), ("outcome", "confirmed")])
            .await
            .status(),
        200
    );
    assert_eq!(
        app.call("/api/finish_hold", Some(&staff), &[("hold_id", &b.id.to_string()), ("outcome", "released")])
            .await
            .status(),
        200
    );
    assert_eq!(
        app.call("/api/finish_hold", Some(&staff), &[("hold_id", &b.id.to_string()), ("outcome", "released")])
            .await
            .status(),
        409
    );
    let s = capacity::snapshot(&app.db, mine.service, now(), &app.freshness).await.unwrap();
    assert_eq!((s.total, s.available, s.on_hold), (6, 3, 0));
}

async fn a_provider_describes_eligibility_and_bad_input_changes_nothing(app: TestApp) {
    let mine = Fixture::new(&app.db, now()).owned(ServiceSpec::housing("Hartford", 6, 4)).await;
    let staff = app.signed_in(Role::ProviderStaff, &[mine.organization]).await;
    let id = mine.service.to_string();
    let ok = app
        .call(
            "/api/describe_service",
            Some(&staff),
            &[
                ("service_id", &id),
                ("status", "temporarily_closed"),
                ("age_minor", "on"),
                ("labor", "on"),
                ("female", "on"),
                ("nonbinary", "on"),
                ("max_age", "17"),
                ("with_children", "on"),
                ("languages", "en, es, ht"),
            ],
        )
        .await;
    assert_eq!(ok.status(), 200);
    let e = app::store::providers::eligibility(&app.db, mine.service).await.unwrap().unwrap();
    assert_eq!((e.age_groups.bits(), e.trafficking_types.bits(), e.genders.bits(), e.max_age), (1, 2, 9, Some(17)));
    assert_eq!(e.languages.iter().map(|l| l.as_str()).collect::<Vec<_>>(), vec!["en", "es", "ht"]);
    let adult_sex_male = [("status", "active"), ("age_adult", "on"), ("sex", "on"), ("male", "on")];
    for (bad, expected) in [
        (vec![("status", "gone")], AppError::Status),
        (vec![("status", "active")], AppError::AgeGroups),
        ([&adult_sex_male[..], &[("max_age", "12")]].concat(), AppError::AgeRules),
        ([&adult_sex_male[..], &[("languages", "Spanish")]].concat(), AppError::Languages),
    ] {
        let mut form = vec![("service_id", id.as_str())];
        form.extend(bad.clone());
        let response = app.call("/api/describe_service", Some(&staff), &form).await;
        assert_eq!(response.status(), 422, "{bad:?}");
        assert_eq!(response.json::<AppError>().await.unwrap(), expected, "{bad:?}: one typed error, by its code");

        // Without JavaScript the form goes back to its page with the code alone, and the page says it in words.
        let plain = app
            .client
            .post(format!("{}/api/describe_service", app.address))
            .header("cookie", format!("__Host-session={}", staff.cookie))
            .header("accept", "text/html")
            .form(&form)
            .send()
            .await
            .unwrap();
        let location = plain.headers()["location"].to_str().unwrap().to_owned();
        assert_eq!(location, format!("/my-capacity/service/{id}?error={}", expected.code()), "{bad:?}");
        let page = app.page(&location, Some(&staff)).await.text().await.unwrap();
        assert!(page.contains(expected.message()), "{bad:?}: the page shows {:?}", expected.message());
    }
    assert_eq!(app::store::providers::eligibility(&app.db, mine.service).await.unwrap().unwrap(), e, "nothing changed");
}

async fn only_provider_admins_see_their_own_confidential_address_and_each_view_is_audited(app: TestApp) {
    let mine = Fixture::new(&app.db, now())
        .owned(ServiceSpec { confidential_address: Some("12 Hidden Lane"), ..ServiceSpec::housing("Hartford", 6, 4) })
        .await;
    let staff = app.signed_in(Role::ProviderStaff, &[mine.organization]).await;
    let admin = app.signed_in(Role::ProviderAdmin, &[mine.organization]).await;
    let site = mine.site.to_string();
    assert_eq!(app.call("/api/site_details", Some(&staff), &[("site_id", &site)]).await.status(), 403);
    let body = app.call("/api/site_details", Some(&admin), &[("site_id", &site)]).await.text().await.unwrap();
    assert!(body.contains("12 Hidden Lane"));
    let views = app::store::audit::list(&app.db, Some("address.view"), 10).await.unwrap();
    assert_eq!(views.len(), 1);
    assert_eq!(views[0].actor_id, Some(admin.user_id));
    assert!(!format!("{views:?}").contains("Hidden Lane"), "the audit names the view, not the address");
}

async fn thirty_updates_a_minute_are_never_throttled(app: TestApp) {
    let mine = Fixture::new(&app.db, now()).owned(ServiceSpec::housing("Hartford", 40, 0)).await;
    let staff = app.signed_in(Role::ProviderStaff, &[mine.organization]).await;
    let id = mine.service.to_string();
    for version in 1..=30 {
        let v = version.to_string();
        let available = (version % 10).to_string();
        let r = result(
            app.call(
                "/api/update_capacity",
                Some(&staff),
                &[
                    ("service_id", &id),
                    ("version", &v),
                    ("total", "40"),
                    ("available", &available),
                    ("accepting", "on"),
                ],
            )
            .await,
        )
        .await;
        assert!(matches!(r, CapacityResult::Saved(_)), "update {version}: {r:?}");
    }
}

async fn staff_are_offered_no_site_link_they_cannot_open(app: TestApp) {
    let mine = Fixture::new(&app.db, now()).owned(ServiceSpec::housing("Hartford", 6, 2)).await;
    let site_link = format!("/my-capacity/site/{}", mine.site);
    let admin = app.signed_in(Role::ProviderAdmin, &[mine.organization]).await;
    let staff = app.signed_in(Role::ProviderStaff, &[mine.organization]).await;
    let admin_page = app.page("/my-capacity", Some(&admin)).await.text().await.unwrap();
    let staff_page = app.page("/my-capacity", Some(&staff)).await.text().await.unwrap();
    assert!(admin_page.contains(&site_link), "a provider admin edits the site");
    assert!(admin_page.contains("Hartford") && staff_page.contains("Hartford"), "both see the service");
    assert!(!staff_page.contains(&site_link), "staff would only meet a refusal behind it");
    assert_eq!(app.page(&site_link, Some(&staff)).await.status(), 403, "which the page itself gives");
}

both_backends!(
    staff_are_offered_no_site_link_they_cannot_open,
    a_provider_updates_with_one_tap_and_confirms_still_accurate,
    a_second_editor_gets_a_conflict_with_the_first_editors_values,
    invalid_numbers_get_specific_messages_and_change_nothing,
    another_organizations_service_site_and_hold_are_refused_and_unchanged,
    a_provider_confirms_arrival_and_releases_holds,
    a_provider_describes_eligibility_and_bad_input_changes_nothing,
    only_provider_admins_see_their_own_confidential_address_and_each_view_is_audited,
    thirty_updates_a_minute_are_never_throttled,
);
