//! Running the service as a process does: its own runtime, the listening socket, SIGHUP to reopen the index,
//! SIGTERM or Ctrl-C to drain and stop.

use std::net::SocketAddr;

use crate::SharedState;

/// Binds `bind`, calls `listening` with the address bound (port 0 picks one), and serves on a runtime of its own
/// (`worker_threads`, default one per core) until SIGTERM or Ctrl-C; SIGHUP reopens the index.
pub fn run(
    bind: SocketAddr,
    state: SharedState,
    worker_threads: Option<usize>,
    listening: impl FnOnce(SocketAddr),
) -> std::io::Result<()> {
    let mut runtime = tokio::runtime::Builder::new_multi_thread();
    if let Some(n) = worker_threads {
        runtime.worker_threads(n.max(1));
    }
    let runtime = runtime.enable_all().build()?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(bind)
            .await
            .map_err(|e| std::io::Error::new(e.kind(), format!("binding {bind}: {e}")))?;
        listening(listener.local_addr()?);
        tokio::spawn(reload_on_sighup(state.clone()));
        crate::serve(listener, state, shutdown_signal()).await
    })
}

#[cfg(unix)]
async fn reload_on_sighup(state: SharedState) {
    use tokio::signal::unix::{SignalKind, signal};
    let Ok(mut hangups) = signal(SignalKind::hangup()) else { return };
    while hangups.recv().await.is_some() {
        let for_task = state.clone();
        match tokio::task::spawn_blocking(move || for_task.reload()).await {
            Ok(Ok(works)) => tracing::info!(indexed_works = works, "SIGHUP: index reloaded"),
            Ok(Err(e)) => tracing::error!(error = %e, "SIGHUP: reload failed, the old index stays"),
            Err(e) => tracing::error!(error = %e, "SIGHUP: reload task failed"),
        }
    }
}

#[cfg(not(unix))]
async fn reload_on_sighup(_state: SharedState) {}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
