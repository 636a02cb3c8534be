//! `rampart`: the command-line tool. Glue only: arguments in, library calls,
//! results out. Exit codes: 0 success, 2 bad input, 1 internal error.

/// `print!` to standard output, ending quietly on a closed pipe ([`write_stdout`]).
macro_rules! out {
    ($($arg:tt)*) => {
        $crate::write_stdout(format_args!($($arg)*))
    };
}

/// `println!` to standard output, ending quietly on a closed pipe ([`write_stdout`]).
macro_rules! outln {
    () => {
        $crate::write_stdout(format_args!("\n"))
    };
    ($($arg:tt)*) => {
        $crate::write_stdout(format_args!("{}\n", format_args!($($arg)*)))
    };
}

mod args;
mod campaign;
mod hindcast;
mod progress;
mod run;
mod serve;
mod study;
mod validate;
mod wta;

use std::process::ExitCode;

use clap::Parser;

/// Errors caused by the user's input, not by a fault of ours: exit code 2.
#[derive(Debug, thiserror::Error)]
pub enum BadInput {
    #[error("cannot write {path}")]
    Output {
        path: std::path::PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot read {path}")]
    Read {
        path: std::path::PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}")]
    Instance {
        path: std::path::PathBuf,
        #[source]
        source: rampart_wta::io::ReadError,
    },
    #[error("{path}: not a valid .xz file")]
    Xz { path: std::path::PathBuf },
    #[error("invalid duration `{text}`: expected a number and a unit, such as 1s, 250ms or 2m")]
    Duration { text: String },
    #[error("{0}")]
    Usage(&'static str),
    #[error("{0}")]
    Message(String),
    /// An argument or input refused by the code that reads it, whose error
    /// (the source, printed after `what` by `{:#}`) says why.
    #[error("{what}")]
    Invalid {
        what: String,
        #[source]
        source: Box<dyn std::error::Error + Send + Sync + 'static>,
    },
    /// A study refused its input; its source chain is kept (printed by `{:#}`).
    #[error(transparent)]
    Study(rampart_study::SweepError),
    #[error(
        "{path} is not a valid scenario ({errors} error(s)); run `rampart validate {path}` for the details"
    )]
    Scenario {
        path: std::path::PathBuf,
        errors: usize,
    },
}

/// For `map_err`: the error of the code that read `what`, kept as the
/// source of a [`BadInput::Invalid`].
pub fn invalid<E: std::error::Error + Send + Sync + 'static>(
    what: impl Into<String>,
) -> impl FnOnce(E) -> BadInput {
    let what = what.into();
    move |e| BadInput::Invalid {
        what,
        source: Box::new(e),
    }
}

fn main() -> ExitCode {
    let cli = args::Cli::parse();
    let result = match cli.command {
        args::Command::Run(a) => run::run(&a),
        args::Command::Validate(a) => validate::run(&a),
        args::Command::Schema(a) => schema(&a),
        args::Command::Mc(a) => study::mc(&a),
        args::Command::Compare(a) => study::compare(&a),
        args::Command::Sweep(a) => study::sweep(&a),
        args::Command::Merge(a) => study::merge(&a),
        args::Command::Saturate(a) => study::saturate(&a),
        args::Command::Campaign(a) => campaign::campaign(&a),
        args::Command::Hindcast(a) => hindcast::hindcast(&a),
        args::Command::Serve(a) => serve::serve(&a),
        args::Command::Wta(c) => wta::run(c),
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
        None => outln!("{text}"),
    }
    Ok(ExitCode::SUCCESS)
}

/// Writes `text` to standard output; a closed pipe (`| head`) ends the
/// output quietly, not in a panic.
pub fn print_out(text: &str) -> anyhow::Result<()> {
    write_stdout(format_args!("{text}"));
    Ok(())
}

/// Writes to standard output. A closed pipe (`rampart mc ... | head -1`)
/// ends the program at once and quietly with exit 0, as ripgrep does: the
/// reader has what it wanted, and every file was written (atomically)
/// before anything is printed. Any other write error ends it with exit 1.
pub fn write_stdout(args: std::fmt::Arguments<'_>) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_fmt(args).and_then(|()| out.flush()) {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("error: cannot write to standard output: {e}");
        std::process::exit(1);
    }
}

/// Reads a scenario file, applies the `--set PATH=VALUE` overrides to its
/// text, and validates it: the (changed) text and the scenario.
pub fn load_scenario(
    path: &std::path::Path,
    set: &[String],
) -> anyhow::Result<(String, rampart_model::Scenario)> {
    let bytes = std::fs::read(path).map_err(|source| BadInput::Read {
        path: path.to_path_buf(),
        source,
    })?;
    if std::str::from_utf8(&bytes).is_ok_and(rampart_model::campaign::is_campaign) {
        return Err(BadInput::Message(format!(
            "{} is a campaign (many nights), not a scenario: play it with `rampart campaign {0}`",
            path.display()
        ))
        .into());
    }
    let mut shown = path.display().to_string();
    let bytes = if set.is_empty() {
        bytes
    } else {
        let list = parse_sets(set)?;
        let text = String::from_utf8_lossy(&bytes);
        let changed =
            rampart_model::overrides::apply(&text, &list).map_err(crate::invalid("--set"))?;
        shown = format!("{shown} (with --set {})", set.join(" --set "));
        changed.into_bytes()
    };
    let checked = rampart_model::check_bytes(&bytes);
    let Some(scenario) = checked.scenario else {
        for d in checked
            .diagnostics
            .iter()
            .filter(|d| d.severity == rampart_model::Severity::Error)
        {
            eprintln!("{}", d.render(&shown));
        }
        return Err(BadInput::Scenario {
            path: path.to_path_buf(),
            errors: checked.errors().count(),
        }
        .into());
    };
    let text = String::from_utf8_lossy(&bytes).into_owned();
    Ok((text, scenario))
}

/// The `--set PATH=VALUE` flags as overrides.
pub fn parse_sets(set: &[String]) -> Result<Vec<rampart_model::overrides::Override>, BadInput> {
    set.iter()
        .map(|s| rampart_model::overrides::Override::parse(s).map_err(crate::invalid("--set")))
        .collect()
}

/// Checks, before any work, that `path` (given with `flag`) can be written:
/// its directory exists. A long study must not end in "cannot write".
pub fn check_output_file(flag: &str, path: Option<&std::path::Path>) -> Result<(), BadInput> {
    let Some(path) = path else { return Ok(()) };
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    if path.is_dir() {
        return Err(BadInput::Message(format!(
            "{flag} {}: is a directory; give a file name",
            path.display()
        )));
    }
    if !dir.is_dir() {
        return Err(BadInput::Message(format!(
            "{flag} {}: the directory {} does not exist",
            path.display(),
            dir.display()
        )));
    }
    Ok(())
}

/// Writes a file whole or not at all (`rampart_study::write_atomic`: a
/// temporary file beside it, synced, then renamed).
pub fn write_atomic(path: &std::path::Path, bytes: &[u8]) -> Result<(), BadInput> {
    rampart_study::write_atomic(path, bytes).map_err(|source| BadInput::Output {
        path: path.to_path_buf(),
        source,
    })?;
    // Every file written is named, on stderr so that stdout stays the result.
    eprintln!("wrote {}", path.display());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A refused argument keeps the error that refused it as its source
    /// (it was once flattened into a string), and prints as before.
    #[test]
    fn refused_input_keeps_its_source() {
        let e = rampart_study::Vary::parse("raid.drones.count=").expect_err("no values");
        let shown = e.to_string();
        let bad = invalid("--vary")(e);
        let source = std::error::Error::source(&bad).expect("a source");
        assert!(source.downcast_ref::<rampart_study::VaryError>().is_some());
        let err = anyhow::Error::from(bad);
        assert_eq!(format!("{err:#}"), format!("--vary: {shown}"));
        assert!(err.downcast_ref::<BadInput>().is_some(), "exit 2");
    }
}
