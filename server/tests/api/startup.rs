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
