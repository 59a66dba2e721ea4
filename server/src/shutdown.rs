//! Graceful shutdown: on Ctrl-C or SIGTERM the server stops accepting connections, ends every event stream,
//! lets requests in flight finish for a few seconds, then returns, well within the 10 s a service manager
//! allows before it kills the process.

use std::time::Duration;

use tokio::sync::watch;

/// How long requests in flight may run on after shutdown begins.
pub const GRACE: Duration = Duration::from_secs(5);

/// A switch flipped once when shutdown begins; clones observe the same switch.
#[derive(Clone, Debug)]
pub struct Shutdown(watch::Sender<bool>);

impl Default for Shutdown {
    fn default() -> Self {
        Self(watch::Sender::new(false))
    }
}

impl Shutdown {
    /// Begins shutdown (idempotent).
    pub fn begin(&self) {
        self.0.send_replace(true);
    }

    /// Completes once shutdown has begun.
    pub async fn begun(&self) {
        let mut receiver = self.0.subscribe();
        // The sender lives in `self`, so waiting cannot fail.
        let _ = receiver.wait_for(|begun| *begun).await;
    }
}

/// Completes at Ctrl-C or SIGTERM.
pub async fn os_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! { () = ctrl_c => {}, () = terminate => {} }
}

#[cfg(test)]
mod tests {
    use super::Shutdown;

    #[tokio::test]
    async fn every_clone_sees_the_switch() {
        let shutdown = Shutdown::default();
        let observer = shutdown.clone();
        let waiting = tokio::spawn(async move { observer.begun().await });
        shutdown.begin();
        tokio::time::timeout(std::time::Duration::from_secs(1), waiting).await.unwrap().unwrap();
        // Already begun: completes at once.
        shutdown.begun().await;
    }
}
