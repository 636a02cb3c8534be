//! `rampart validate FILE...`

use std::process::ExitCode;

use std::io::Read;
use std::path::Path;

use rampart_model::{Checked, MAX_FILE_BYTES, check_bytes, file_too_large};
use serde_json::json;

use crate::args::{Format, ValidateArgs};

pub fn run(a: &ValidateArgs) -> anyhow::Result<ExitCode> {
    let mut errors = 0usize;
    let mut warnings = 0usize;
    let mut reports = Vec::new();
    for path in &a.files {
        let shown = path.display().to_string();
        let checked = match read_checked(path) {
            Ok(c) => c,
            Err(e) => {
                errors += 1;
                match a.format {
                    Format::Text => eprintln!("{shown}: error: cannot read the file: {e}"),
                    Format::Json => reports.push(json!({
                        "file": shown, "valid": false,
                        "diagnostics": [{ "severity": "error", "kind": { "code": "io", "message": e.to_string() } }],
                    })),
                }
                continue;
            }
        };
        let e = checked.errors().count();
        let w = checked.diagnostics.len() - e;
        errors += e;
        warnings += w;
        let valid = checked.is_valid() && !(a.deny_warnings && w > 0);
        match a.format {
            Format::Text => {
                for d in &checked.diagnostics {
                    eprintln!("{}", d.render(&shown));
                }
                if let Some(s) = checked.scenario.as_ref().filter(|_| valid) {
                    outln!(
                        "{shown}: ok: \"{}\": {} assets, {} sensors, {} effectors, {} raids launching {} threats",
                        s.name,
                        s.assets.len(),
                        s.sensors.len(),
                        s.effectors.len(),
                        s.raids.len(),
                        s.threats_launched()
                    );
                }
            }
            Format::Json => reports.push(json!({
                "file": shown,
                "valid": valid,
                "diagnostics": checked.diagnostics.iter().map(|d| json!({
                    "severity": d.severity,
                    "line": d.location.line,
                    "column": d.location.column,
                    "path": d.path,
                    "message": d.kind.to_string(),
                    "help": d.kind.hint(),
                    "kind": d.kind,
                })).collect::<Vec<_>>(),
            })),
        }
    }
    let failed = errors > 0 || (a.deny_warnings && warnings > 0);
    match a.format {
        Format::Text => {
            if failed || warnings > 0 {
                eprintln!(
                    "{} error(s), {} warning(s) in {} file(s)",
                    errors,
                    warnings,
                    a.files.len()
                );
            }
        }
        Format::Json => outln!(
            "{}",
            serde_json::to_string_pretty(&json!({ "files": reports }))?
        ),
    }
    Ok(if failed {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}

/// Reads and checks one file, refusing an oversized file before reading it
/// all (a device such as /dev/zero never ends).
fn read_checked(path: &Path) -> std::io::Result<Checked> {
    let file = std::fs::File::open(path)?;
    let size = file.metadata()?.len();
    if size > MAX_FILE_BYTES as u64 {
        return Ok(file_too_large(size));
    }
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES as u64 + 1)
        .read_to_end(&mut bytes)?;
    if bytes.len() > MAX_FILE_BYTES {
        return Ok(file_too_large(bytes.len() as u64));
    }
    Ok(check_bytes(&bytes))
}
