//! `rampart serve RUN_DIR|FILE`: the browser replay of one night.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Context;

use crate::BadInput;
use crate::args::ServeArgs;

pub fn serve(a: &ServeArgs) -> anyhow::Result<ExitCode> {
    if a.target.is_dir() && !a.set.is_empty() {
        return Err(BadInput::Usage(
            "--set changes a scenario; a run directory's replay is already played (serve the scenario file instead)",
        )
        .into());
    }
    let replay = if a.target.is_dir() {
        let path = a.target.join("replay.json");
        let bytes = std::fs::read(&path).map_err(|source| BadInput::Read {
            path: path.clone(),
            source,
        })?;
        let v: serde_json::Value = serde_json::from_slice(&bytes)
            .map_err(crate::invalid(format!("{}: not a replay", path.display())))?;
        let complete = [
            "assets",
            "sensors",
            "effectors",
            "threats",
            "events",
            "outline",
        ]
        .iter()
        .all(|k| v.get(k).is_some_and(serde_json::Value::is_array))
            && ["bounds", "duration", "summary"]
                .iter()
                .all(|k| v.get(k).is_some());
        if v.get("format").and_then(serde_json::Value::as_u64)
            != Some(u64::from(rampart_report::FORMAT))
            || !complete
        {
            return Err(BadInput::Message(format!(
                "{}: not a replay of format {}; write it again with `rampart run FILE --out DIR`",
                path.display(),
                rampart_report::FORMAT
            ))
            .into());
        }
        bytes
    } else {
        let played = crate::run::play(&a.target, &a.set, a.seed, a.policy)?;
        serde_json::to_vec(&played.replay)?
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .build()
        .context("starting the server's runtime")?;
    runtime.block_on(async {
        let addr = std::net::SocketAddr::new(a.bind, a.port);
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(crate::invalid(format!("cannot listen on {addr}")))?;
        let local = listener.local_addr()?;
        let mut out = std::io::stdout();
        writeln!(
            out,
            "rampart: replay on http://{local}/ (listening on {local}; Ctrl-C stops)"
        )?;
        out.flush()?;
        let shutdown = async {
            let _ = tokio::signal::ctrl_c().await;
        };
        rampart_serve::serve(listener, replay, shutdown)
            .await
            .context("serving")?;
        Ok::<_, anyhow::Error>(ExitCode::SUCCESS)
    })
}
