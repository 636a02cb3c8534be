//! `rampart validate FILE...`

use std::process::ExitCode;

use std::io::Read;
use std::path::Path;

use rampart_model::campaign::is_campaign;
use rampart_model::{Checked, Diagnostic, MAX_FILE_BYTES, Severity, check_bytes, file_too_large};
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
        let e = checked
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count();
        let w = checked.diagnostics.len() - e;
        errors += e;
        warnings += w;
        let valid = e == 0 && checked.ok.is_some() && !(a.deny_warnings && w > 0);
        match a.format {
            Format::Text => {
                for d in &checked.diagnostics {
                    eprintln!("{}", d.render(&shown));
                }
                if let Some(line) = checked.ok.as_ref().filter(|_| valid) {
                    outln!("{shown}: ok: {line}");
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

/// One file checked: its diagnostics and, when it is valid, a line that
/// says what it holds.
struct FileCheck {
    diagnostics: Vec<Diagnostic>,
    ok: Option<String>,
}

/// Reads and checks one file, a scenario or a campaign (a `[campaign]`
/// table; its night scenario is read beside it), refusing an oversized
/// file before reading it all (a device such as /dev/zero never ends).
fn read_checked(path: &Path) -> std::io::Result<FileCheck> {
    let file = std::fs::File::open(path)?;
    let size = file.metadata()?.len();
    if size > MAX_FILE_BYTES as u64 {
        return Ok(scenario_check(file_too_large(size)));
    }
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES as u64 + 1)
        .read_to_end(&mut bytes)?;
    if bytes.len() > MAX_FILE_BYTES {
        return Ok(scenario_check(file_too_large(bytes.len() as u64)));
    }
    if let Ok(text) = std::str::from_utf8(&bytes)
        && is_campaign(text)
    {
        return Ok(campaign_check(path, text));
    }
    Ok(scenario_check(check_bytes(&bytes)))
}

fn scenario_check(checked: Checked) -> FileCheck {
    let ok = checked.scenario.as_ref().map(|s| {
        format!(
            "\"{}\": {} assets, {} sensors, {} effectors, {} raids launching {} threats",
            s.name,
            s.assets.len(),
            s.sensors.len(),
            s.effectors.len(),
            s.raids.len(),
            s.threats_launched()
        )
    });
    FileCheck {
        diagnostics: checked.diagnostics,
        ok,
    }
}

fn campaign_check(path: &Path, text: &str) -> FileCheck {
    let checked = crate::campaign::check_beside(path, text);
    let ok = checked.campaign.as_ref().map(|c| {
        format!(
            "campaign \"{}\": {} nights of {} ({} interceptor depots)",
            c.name,
            c.nights,
            c.scenario_path,
            c.defender.len()
        )
    });
    FileCheck {
        diagnostics: checked.diagnostics,
        ok,
    }
}
