//! Start-up failures end with one clear sentence, not a panic.

use server::config::Config;
use server::startup::{Application, StartupError};

#[tokio::test]
async fn an_unreachable_database_is_one_sentence_that_names_the_fix() {
    let config = Config {
        database_url: "postgres://continuum:secret@127.0.0.1:1/nowhere".into(),
        bind: "127.0.0.1:0".parse().unwrap(),
        ..Config::default()
    };
    let Err(err) = Application::build(&config).await else { panic!("start-up should fail") };
    let message = err.to_string();
    assert!(matches!(err, StartupError::Database(_)));
    assert!(message.contains("Check DATABASE_URL"), "{message}");
    assert!(!message.contains("secret"), "the password leaked: {message}");
    assert!(!message.contains('\n'));
}

#[tokio::test]
async fn an_unsupported_database_url_is_refused() {
    let config = Config { database_url: "mysql://localhost/x".into(), ..Config::default() };
    let Err(err) = Application::build(&config).await else { panic!("start-up should fail") };
    assert!(err.to_string().contains("must start with sqlite: or postgres://"));
}

#[test]
fn the_binary_exits_non_zero_with_one_line_when_the_database_is_unreachable() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_continuum"))
        .arg("serve")
        .env("DATABASE_URL", "postgres://continuum:secret@127.0.0.1:1/nowhere")
        .env("CONTINUUM_LOG", "off")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
    assert!(stderr.starts_with("continuum: cannot open the database"), "{stderr}");
}

#[test]
fn help_explains_each_command() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_continuum")).arg("--help").output().unwrap();
    let help = String::from_utf8_lossy(&out.stdout);
    for command in ["serve", "migrate", "seed-demo"] {
        assert!(help.contains(command), "{help}");
    }
}

#[tokio::test]
async fn demo_data_is_refused_on_an_https_deployment() {
    let config = Config {
        database_url: "sqlite::memory:".into(),
        bind: "127.0.0.1:0".parse().unwrap(),
        demo_data: true,
        public_url: "https://continuum.example.gov".into(),
        ..Config::default()
    };
    let Err(err) = Application::build(&config).await else { panic!("start-up should refuse demo data") };
    assert!(matches!(err, StartupError::DemoOnPublicDeployment), "{err}");
}

/// Listing a server's routes renders the whole app once with resource loading switched off for the whole
/// process (leptos_server's `SuppressResourceLoad`, a process-wide flag): a page of another server in the same
/// process whose data began loading in that moment never answered. Routes are listed once per process, so
/// pages answer while other servers start (as the tests' servers do, and a second instance).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_answer_while_other_servers_in_the_process_start() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};

    let Some(app) = crate::helpers::spawn_app(crate::helpers::Backend::Sqlite).await else { return };
    let admin = app.signed_in(app::domain::account::Role::Administrator, &[]).await;
    let config =
        Config { database_url: app.database_url.clone(), bind: "127.0.0.1:0".parse().unwrap(), ..Config::default() };
    let other = Application::build(&config).await.expect("a second server builds");
    let starting = Arc::new(AtomicBool::new(true));
    // Stops the other servers' start-ups however this test ends (a failed page must not leave them running).
    struct StopOnDrop(Arc<AtomicBool>);
    impl Drop for StopOnDrop {
        fn drop(&mut self) {
            self.0.store(false, Ordering::SeqCst);
        }
    }
    let stop = StopOnDrop(starting.clone());
    let starter = tokio::task::spawn_blocking({
        let (state, starting) = (other.state().clone(), starting.clone());
        move || {
            let mut started = 0;
            while starting.load(Ordering::SeqCst) {
                let options = server::startup::RouterOptions {
                    hsts: false,
                    request_timeout: std::time::Duration::from_secs(30),
                    shutdown: server::shutdown::Shutdown::default(),
                };
                drop(server::startup::router(state.clone(), options));
                started += 1;
            }
            started
        }
    });
    for _ in 0..25 {
        // The account page loads two resources: the state of its second factor and its one-time messages.
        let html = app.page("/account", Some(&admin)).await.text().await.unwrap();
        assert!(html.contains("data-testid=\"two-factor-on\""), "the page loaded its data: {html}");
    }
    drop(stop);
    assert!(starter.await.unwrap() > 0, "other servers started meanwhile");
}
