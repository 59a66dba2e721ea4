//! The audit log: what is recorded, that it never holds secrets, and that `continuum audit verify` catches
//! an edited row.

use app::domain::account::Role;
use app::store::audit;

use crate::accounts::PASSWORD;
use crate::both_backends;
use crate::helpers::TestApp;
use crate::helpers::{Backend, TestDatabase};

async fn actions(app: &crate::helpers::TestApp) -> Vec<String> {
    audit::list(&app.db, None, 500).await.unwrap().into_iter().map(|r| r.action).collect()
}

async fn sign_ins_denials_and_role_changes_are_recorded_without_secrets(app: TestApp) {
    let admin = app.signed_in(Role::Administrator, &[]).await;
    let (_, funder_email) = app.create_user(Role::Funder, &[]).await;
    app.sign_in_with(&funder_email, "wrong password", None, None).await;
    let funder = app.signed_in(Role::Funder, &[]).await;
    assert_eq!(app.call("/api/admin_audit", Some(&funder), &[]).await.status(), 403);
    let id = funder.user_id.to_string();
    assert_eq!(
        app.call("/api/admin_set_role", Some(&admin), &[("user_id", &id), ("role", "coordinator")]).await.status(),
        200
    );

    let rows = audit::list(&app.db, None, 500).await.unwrap();
    let all = actions(&app).await;
    for expected in ["sign_in.success", "sign_in.failure", "authorization.denied", "user.role"] {
        assert!(all.iter().any(|a| a == expected), "{expected} missing from {all:?}");
    }
    let role_change = rows.iter().find(|r| r.action == "user.role").unwrap();
    assert_eq!(
        (role_change.old_value.as_deref(), role_change.new_value.as_deref()),
        (Some("funder"), Some("coordinator"))
    );
    let text = format!("{rows:?}");
    assert!(!text.contains(PASSWORD) && !text.contains("wrong password"), "no passwords in the audit log");
    assert!(!text.contains(&admin.cookie) && !text.contains(&funder.cookie), "no session tokens in the audit log");
}

async fn every_change_to_capacity_holds_and_needs_is_recorded(app: TestApp) {
    use app::domain::hold::{HoldRequest, HoldState};
    use app::store::{capacity, holds};
    let now = chrono::Utc::now().timestamp();
    let mine = crate::fixtures::Fixture::new(&app.db, now)
        .owned(crate::fixtures::ServiceSpec::housing("Hartford", 6, 6))
        .await;
    let snapshot = capacity::snapshot(&app.db, mine.service, now, &app.freshness).await.unwrap();
    capacity::confirm(&app.db, mine.service, snapshot.version, None, now, &app.freshness).await.unwrap();
    let holder = holds::Holder { user_id: app.create_user(Role::Coordinator, &[]).await.0, max_held_units: 20 };
    let arrive = holds::place(
        &app.db,
        mine.service,
        HoldRequest::new(1, None).unwrap(),
        Some(holder),
        None,
        now,
        &app.freshness,
    )
    .await
    .unwrap()
    .unwrap();
    let release = holds::place(
        &app.db,
        mine.service,
        HoldRequest::new(1, None).unwrap(),
        Some(holder),
        None,
        now,
        &app.freshness,
    )
    .await
    .unwrap()
    .unwrap();
    holds::place(
        &app.db,
        mine.service,
        HoldRequest::new(1, Some(5)).unwrap(),
        Some(holder),
        None,
        now - 3600,
        &app.freshness,
    )
    .await
    .unwrap()
    .unwrap();
    holds::finish(&app.db, arrive.id, HoldState::Confirmed, None, now, &app.freshness).await.unwrap().unwrap();
    holds::finish(&app.db, release.id, HoldState::Released, None, now, &app.freshness).await.unwrap().unwrap();
    assert_eq!(holds::sweep_expired(&app.db, now).await.unwrap(), 1);
    let coordinator = app.signed_in(Role::Coordinator, &[]).await;
    let regions = app::store::regions::summaries(&app.db, app::domain::region::RegionScheme::Planning).await.unwrap();
    let region = regions[0].id.to_string();
    let need: i64 = app
        .call(
            "/api/record_need",
            Some(&coordinator),
            &[
                ("need[region]", region.as_str()),
                ("need[age]", "adult"),
                ("need[type]", "labor"),
                ("need[urgency]", "urgent"),
                ("need[category_safe_house]", "on"),
            ],
        )
        .await
        .json()
        .await
        .unwrap();
    let need = need.to_string();
    assert_eq!(
        app.call("/api/close_need", Some(&coordinator), &[("need_id", need.as_str()), ("close[outcome]", "withdrawn")])
            .await
            .status(),
        200
    );
    let all = actions(&app).await;
    for expected in
        ["capacity.confirm", "hold.place", "hold.arrived", "hold.release", "hold.expire", "need.record", "need.close"]
    {
        assert!(all.iter().any(|a| a == expected), "{expected} missing from {all:?}");
    }
    assert!(audit::verify(&app.db).await.unwrap().is_ok());
}

async fn verify_passes_on_an_untouched_log_and_fails_after_an_edit(app: TestApp) {
    app.signed_in(Role::Funder, &[]).await;
    app.signed_in(Role::Funder, &[]).await;
    let count = audit::verify(&app.db).await.unwrap().unwrap();
    assert!(count >= 2);
    // An attacker with database access switches the protection off and rewrites history.
    tamper(&app.db, "UPDATE audit_log SET action = 'nothing.happened' WHERE id = (SELECT MIN(id) FROM audit_log)")
        .await;
    assert!(audit::verify(&app.db).await.unwrap().is_err());
}

/// As an attacker who can write the database: switches the log's append-only triggers off.
async fn unprotect(db: &app::store::Db) {
    let disable: &[&str] = match db {
        app::store::Db::Sqlite { .. } => &["DROP TRIGGER audit_log_no_update", "DROP TRIGGER audit_log_no_delete"],
        app::store::Db::Postgres(_) => &["ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only"],
    };
    for &statement in disable {
        app::store::query(statement).execute(db).await.map(drop).unwrap();
    }
}

/// [`unprotect`], then runs `sql` against the log.
async fn tamper(db: &app::store::Db, sql: &'static str) {
    unprotect(db).await;
    app::store::query(sql).execute(db).await.map(drop).unwrap();
}

async fn deleting_the_newest_entry_is_detected(app: TestApp) {
    app.signed_in(Role::Funder, &[]).await;
    tamper(&app.db, "DELETE FROM audit_log WHERE id = (SELECT MAX(id) FROM audit_log)").await;
    assert!(audit::verify(&app.db).await.unwrap().is_err());
}

async fn the_audit_log_refuses_ordinary_updates_deletes_and_truncation(app: TestApp) {
    app.signed_in(Role::Funder, &[]).await;
    let update = app::store::query("UPDATE audit_log SET action = 'x'").execute(&app.db).await.map(|_| ());
    let delete = app::store::query("DELETE FROM audit_log").execute(&app.db).await.map(|_| ());
    assert!(update.is_err() && delete.is_err());
    if let app::store::Db::Postgres(pool) = &app.db {
        assert!(sqlx::query("TRUNCATE audit_log").execute(pool).await.is_err(), "TRUNCATE is refused");
    }
}

async fn a_log_from_before_keys_is_sealed_with_a_keyed_entry(app: TestApp) {
    // What an older release wrote: one plain SHA-256 link (the test database starts with an empty log).
    let entry = audit::AuditEntry { action: "user.invite", entity: "user", ..Default::default() };
    let hash = audit::unkeyed_hash("genesis", 1_700_000_000, &entry);
    app::store::query("INSERT INTO audit_log (at, action, entity, prev_hash, hash) VALUES (1700000000, 'user.invite', 'user', 'genesis', $1)").bind(&hash).execute(&app.db).await.map(drop).unwrap();
    app::store::query("UPDATE audit_head SET last_hash = $1 WHERE id = 1")
        .bind(&hash)
        .execute(&app.db)
        .await
        .map(drop)
        .unwrap();
    assert!(audit::verify(&app.db).await.unwrap().is_err(), "an all-plain log is what a forger without the key makes");
    audit::seal(&app.db, 1_700_000_100).await.unwrap();
    assert_eq!(audit::verify(&app.db).await.unwrap(), Ok(2), "the plain prefix is accepted before the keyed seal");
}

async fn a_writer_without_the_key_cannot_rewrite_the_log_and_repair_the_chain(app: TestApp) {
    app.signed_in(Role::Funder, &[]).await;
    app.signed_in(Role::Funder, &[]).await;
    assert!(audit::verify(&app.db).await.unwrap().is_ok());
    // The attacker can write the database (triggers off), edits the first entry and recomputes every
    // link after it with the only hash they can compute: no key.
    let rows = audit::list(&app.db, None, 500).await.unwrap();
    let mut rows: Vec<_> = rows.into_iter().collect();
    rows.sort_by_key(|r| r.id);
    unprotect(&app.db).await;
    let mut prev = "genesis".to_owned();
    for (i, r) in rows.iter().enumerate() {
        let action = if i == 0 { "nothing.happened".to_owned() } else { r.action.clone() };
        let entry = audit::AuditEntry {
            actor_id: r.actor_id,
            action: &action,
            entity: &r.entity,
            entity_id: r.entity_id,
            old_value: r.old_value.clone(),
            new_value: r.new_value.clone(),
        };
        let hash = audit::unkeyed_hash(&prev, r.at, &entry);
        app::store::query("UPDATE audit_log SET action = $1, prev_hash = $2, hash = $3 WHERE id = $4")
            .bind(&action)
            .bind(&prev)
            .bind(&hash)
            .bind(r.id)
            .execute(&app.db)
            .await
            .map(drop)
            .unwrap();
        prev = hash;
    }
    app::store::query("UPDATE audit_head SET last_hash = $1 WHERE id = 1")
        .bind(&prev)
        .execute(&app.db)
        .await
        .map(drop)
        .unwrap();
    assert!(audit::verify(&app.db).await.unwrap().is_err(), "a chain rebuilt without the key is refused");
}

both_backends!(
    sign_ins_denials_and_role_changes_are_recorded_without_secrets,
    every_change_to_capacity_holds_and_needs_is_recorded,
    verify_passes_on_an_untouched_log_and_fails_after_an_edit,
    deleting_the_newest_entry_is_detected,
    the_audit_log_refuses_ordinary_updates_deletes_and_truncation,
    a_log_from_before_keys_is_sealed_with_a_keyed_entry,
    a_writer_without_the_key_cannot_rewrite_the_log_and_repair_the_chain,
);

#[tokio::test]
async fn the_audit_verify_command_exits_non_zero_after_tampering() {
    let (_database, url) = TestDatabase::create(Backend::Sqlite).await.unwrap();
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_continuum"))
            .args(args)
            .env("DATABASE_URL", &url)
            .env("CONTINUUM_LOG", "off")
            .output()
            .unwrap()
    };
    let invite = run(&["user", "invite", "new.coordinator@example.test", "--role", "coordinator"]);
    assert!(invite.status.success(), "{}", String::from_utf8_lossy(&invite.stderr));
    let link = String::from_utf8_lossy(&invite.stdout).to_string();
    assert!(link.trim().starts_with("http://127.0.0.1:3000/welcome/"), "{link}");
    let ok = run(&["audit", "verify"]);
    assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stderr));
    assert!(String::from_utf8_lossy(&ok.stdout).contains("intact: 1 entries"));

    let db = app::store::connect(&url).await.unwrap();
    if let app::store::Db::Sqlite { pool, .. } = &db {
        sqlx::query("DROP TRIGGER audit_log_no_update").execute(pool).await.unwrap();
        sqlx::query("UPDATE audit_log SET new_value = 'role=administrator'").execute(pool).await.unwrap();
    }
    db.close().await;
    let broken = run(&["audit", "verify"]);
    assert!(!broken.status.success());
    assert!(String::from_utf8_lossy(&broken.stderr).contains("does not match the chain"));
}

#[tokio::test]
async fn create_admin_refuses_a_common_password_and_accepts_a_good_one() {
    let (_database, url) = TestDatabase::create(Backend::Sqlite).await.unwrap();
    let run = |password: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_continuum"))
            .args(["user", "create-admin", "root@example.test"])
            .env("DATABASE_URL", &url)
            .env("CONTINUUM_ADMIN_PASSWORD", password)
            .env("CONTINUUM_LOG", "off")
            .output()
            .unwrap()
    };
    let weak = run("password123");
    assert!(!weak.status.success());
    assert!(String::from_utf8_lossy(&weak.stderr).contains("too common"));
    let good = run("a sturdy passphrase for root");
    assert!(good.status.success(), "{}", String::from_utf8_lossy(&good.stderr));
}
