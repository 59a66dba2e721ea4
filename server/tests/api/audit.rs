//! The audit log: what is recorded, that it never holds secrets, and that `continuum audit verify` catches
//! an edited row.

use app::domain::account::Role;
use app::store::audit;

use crate::accounts::PASSWORD;
use crate::both_backends;
use crate::helpers::{Backend, TestDatabase};

async fn actions(app: &crate::helpers::TestApp) -> Vec<String> {
    audit::list(&app.db, None, 500).await.unwrap().into_iter().map(|r| r.action).collect()
}

both_backends! {
    async fn sign_ins_denials_and_role_changes_are_recorded_without_secrets(app) {
        let admin = app.signed_in(Role::Administrator, &[]).await;
        let (_, funder_email) = app.create_user(Role::Funder, &[]).await;
        app.sign_in_with(&funder_email, "wrong password", None, None).await;
        let funder = app.signed_in(Role::Funder, &[]).await;
        assert_eq!(app.call("/api/admin_audit", Some(&funder), &[]).await.status(), 403);
        let id = funder.user_id.to_string();
        assert_eq!(app.call("/api/admin_set_role", Some(&admin), &[("user_id", &id), ("role", "coordinator")]).await.status(), 200);

        let rows = audit::list(&app.db, None, 500).await.unwrap();
        let all = actions(&app).await;
        for expected in ["sign_in.success", "sign_in.failure", "authorization.denied", "user.role"] {
            assert!(all.iter().any(|a| a == expected), "{expected} missing from {all:?}");
        }
        let role_change = rows.iter().find(|r| r.action == "user.role").unwrap();
        assert_eq!((role_change.old_value.as_deref(), role_change.new_value.as_deref()), (Some("funder"), Some("coordinator")));
        let text = format!("{rows:?}");
        assert!(!text.contains(PASSWORD) && !text.contains("wrong password"), "no passwords in the audit log");
        assert!(!text.contains(&admin.cookie) && !text.contains(&funder.cookie), "no session tokens in the audit log");
    }

    async fn verify_passes_on_an_untouched_log_and_fails_after_an_edit(app) {
        app.signed_in(Role::Funder, &[]).await;
        app.signed_in(Role::Funder, &[]).await;
        let count = audit::verify(&app.db).await.unwrap().unwrap();
        assert!(count >= 2);
        // An attacker with database access switches the protection off and rewrites history.
        match &app.db {
            app::store::Db::Sqlite { pool, .. } => {
                sqlx::query("DROP TRIGGER audit_log_no_update").execute(pool).await.unwrap();
                sqlx::query("UPDATE audit_log SET action = 'nothing.happened' WHERE id = (SELECT MIN(id) FROM audit_log)").execute(pool).await.unwrap();
            }
            app::store::Db::Postgres(pool) => {
                sqlx::query("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only").execute(pool).await.unwrap();
                sqlx::query("UPDATE audit_log SET action = 'nothing.happened' WHERE id = (SELECT MIN(id) FROM audit_log)").execute(pool).await.unwrap();
            }
        }
        assert!(audit::verify(&app.db).await.unwrap().is_err());
    }

    async fn deleting_the_newest_entry_is_detected(app) {
        app.signed_in(Role::Funder, &[]).await;
        match &app.db {
            app::store::Db::Sqlite { pool, .. } => {
                sqlx::query("DROP TRIGGER audit_log_no_delete").execute(pool).await.unwrap();
                sqlx::query("DELETE FROM audit_log WHERE id = (SELECT MAX(id) FROM audit_log)").execute(pool).await.unwrap();
            }
            app::store::Db::Postgres(pool) => {
                sqlx::query("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only").execute(pool).await.unwrap();
                sqlx::query("DELETE FROM audit_log WHERE id = (SELECT MAX(id) FROM audit_log)").execute(pool).await.unwrap();
            }
        }
        assert!(audit::verify(&app.db).await.unwrap().is_err());
    }

    async fn the_audit_log_refuses_ordinary_updates_and_deletes(app) {
        app.signed_in(Role::Funder, &[]).await;
        let update = app::on_db!(&app.db, |pool| sqlx::query("UPDATE audit_log SET action = 'x'").execute(pool).await.map(|_| ()));
        let delete = app::on_db!(&app.db, |pool| sqlx::query("DELETE FROM audit_log").execute(pool).await.map(|_| ()));
        assert!(update.is_err() && delete.is_err());
    }
}

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
