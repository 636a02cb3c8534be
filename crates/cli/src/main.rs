//! `rampart`: the command-line tool. Glue only: arguments in, library calls,
//! results out. Exit codes: 0 success, 2 bad input, 1 internal error.

mod args;
mod validate;

use std::process::ExitCode;

use clap::Parser;

/// An error that is the user's input, not our fault: exit code 2.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct BadInput(pub String);

fn main() -> ExitCode {
    let cli = args::Cli::parse();
    let result = match cli.command {
        args::Command::Validate(a) => validate::run(&a),
        args::Command::Schema(a) => schema(&a),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err:#}");
            if err.downcast_ref::<BadInput>().is_some() {
                ExitCode::from(2)
            } else {
                ExitCode::from(1)
            }
        }
    }
}

fn schema(a: &args::SchemaArgs) -> anyhow::Result<ExitCode> {
    let schema = rampart_model::schema::json_schema();
    let text = serde_json::to_string_pretty(&schema)?;
    match &a.out {
        Some(path) => write_atomic(path, format!("{text}\n").as_bytes())?,
        None => println!("{text}"),
    }
    Ok(ExitCode::SUCCESS)
}

/// Writes a file whole or not at all: a temporary file beside it, then a rename.
pub fn write_atomic(path: &std::path::Path, bytes: &[u8]) -> anyhow::Result<()> {
    use anyhow::Context;
    use std::io::Write;
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    let name = path
        .file_name()
        .with_context(|| format!("{} is not a file path", path.display()))?;
    let tmp = dir.join(format!(
        ".{}.tmp-{}",
        name.to_string_lossy(),
        std::process::id()
    ));
    let mut f =
        std::fs::File::create(&tmp).with_context(|| format!("cannot create {}", tmp.display()))?;
    f.write_all(bytes)
        .and_then(|()| f.sync_all())
        .with_context(|| format!("cannot write {}", tmp.display()))?;
    drop(f);
    std::fs::rename(&tmp, path)
        .with_context(|| format!("cannot rename {} to {}", tmp.display(), path.display()))?;
    Ok(())
}
