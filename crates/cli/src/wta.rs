//! `rampart wta solve | generate | bench`

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::Context;
use rampart_wta::generate::{Scheme, generate};
use rampart_wta::io::{read_json, read_text, write_json, write_text};
use rampart_wta::{Deadline, Greedy, LocalSearch, Portfolio, Problem, Solution, Solver};
use serde_json::json;

use crate::BadInput;
use crate::args::{
    InstanceFormat, WtaBenchArgs, WtaBudget, WtaCommand, WtaGenerateArgs, WtaScheme, WtaSolveArgs,
    WtaSolver,
};

pub fn run(c: WtaCommand) -> anyhow::Result<ExitCode> {
    match c {
        WtaCommand::Solve(a) => solve(&a),
        WtaCommand::Generate(a) => generate_cmd(&a),
        WtaCommand::Bench(a) => bench(&a),
    }
}

/// The wall clock, read here in the CLI: the solvers never read it.
struct WallClock(Instant);

impl Deadline for WallClock {
    fn expired(&self) -> bool {
        Instant::now() >= self.0
    }

    fn portion(&self, fraction: f64) -> Box<dyn Deadline> {
        let now = Instant::now();
        let left = self.0.saturating_duration_since(now);
        Box::new(WallClock(now + left.mul_f64(fraction.clamp(0.0, 1.0))))
    }
}

pub fn parse_duration(text: &str) -> Result<Duration, BadInput> {
    let t = text.trim();
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let v: f64 = num
        .parse()
        .map_err(|_| BadInput::Duration { text: text.into() })?;
    let secs = match unit.trim() {
        "ms" => v / 1000.0,
        "s" | "" => v,
        "m" | "min" => v * 60.0,
        "h" => v * 3600.0,
        _ => return Err(BadInput::Duration { text: text.into() }),
    };
    if !secs.is_finite() || !(0.0..=1e7).contains(&secs) {
        return Err(BadInput::Duration { text: text.into() });
    }
    Ok(Duration::from_secs_f64(secs))
}

/// Reads an instance: `.json`, `.xz` (decompressed here) or plain text.
pub fn read_instance(path: &Path) -> Result<Problem, BadInput> {
    let bytes = std::fs::read(path).map_err(|source| BadInput::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let name = path.to_string_lossy();
    let bytes = if name.ends_with(".xz") {
        let mut out = Vec::new();
        lzma_rs::xz_decompress(&mut &bytes[..], &mut out).map_err(|_| BadInput::Xz {
            path: path.to_path_buf(),
        })?;
        out
    } else {
        bytes
    };
    let text = String::from_utf8_lossy(&bytes);
    let parsed = if name.ends_with(".json") || name.ends_with(".json.xz") {
        read_json(&text)
    } else {
        read_text(&text)
    };
    parsed.map_err(|source| BadInput::Instance {
        path: path.to_path_buf(),
        source,
    })
}

/// `--threads` is at least 1.
fn check_threads(threads: usize) -> anyhow::Result<()> {
    if threads == 0 {
        return Err(BadInput::Message("--threads must be at least 1".into()).into());
    }
    Ok(())
}

fn run_solver(
    p: &Problem,
    which: WtaSolver,
    limit: Duration,
    work_limit: Option<u64>,
    threads: usize,
) -> (Solution, Duration) {
    let solver: Box<dyn Solver> = match which {
        WtaSolver::Greedy => Box::new(Greedy),
        WtaSolver::Local => Box::new(LocalSearch::default()),
        WtaSolver::Exact | WtaSolver::Auto => Box::new(Portfolio::new(threads)),
    };
    let start = Instant::now();
    let clock = WallClock(start + limit);
    // Without --work-limit the time limit alone ends the solve.
    let mut request = p.using(&*solver).deadline(&clock);
    if let Some(units) = work_limit {
        request = request.work_limit(units);
    }
    let s = request.solve().expect("instances are validated when read");
    (s, start.elapsed())
}

/// Runs the solver `budget` names, with its limits.
fn run_budget(p: &Problem, budget: &WtaBudget, limit: Duration) -> (Solution, Duration) {
    run_solver(p, budget.solver, limit, budget.work_limit, budget.threads)
}

fn solve(a: &WtaSolveArgs) -> anyhow::Result<ExitCode> {
    let limit = parse_duration(&a.budget.time_limit)?;
    check_threads(a.budget.threads)?;
    let p = read_instance(&a.file)?;
    let (s, elapsed) = run_budget(&p, &a.budget, limit);
    if a.json {
        let v = json!({
            "solver": s.solver,
            "status": s.status.name(),
            "objective": s.objective,
            "lower_bound": s.lower_bound,
            "gap": s.lower_bound.map(|lb| rampart_wta::relative_gap(s.objective, lb)),
            "elapsed_ms": elapsed.as_secs_f64() * 1000.0,
            "work": s.work,
            "weapon_types": p.weapon_types(),
            "targets": p.targets(),
            "assignment": s.pairs(),
        });
        outln!("{v}");
    } else {
        outln!("instance     {}", a.file.display());
        outln!(
            "size         {} weapon types ({} copies) x {} targets",
            p.weapon_types(),
            p.total_weapons(),
            p.targets()
        );
        outln!("solver       {}", s.solver);
        outln!("status       {}", s.status.name());
        outln!("objective    {:.6}", s.objective);
        match s.lower_bound {
            Some(lb) => outln!(
                "lower bound  {lb:.6} (gap {:.4}%)",
                100.0 * rampart_wta::relative_gap(s.objective, lb)
            ),
            None => outln!("lower bound  none"),
        }
        outln!("time         {:.1} ms", elapsed.as_secs_f64() * 1000.0);
    }
    Ok(ExitCode::SUCCESS)
}

fn generate_cmd(a: &WtaGenerateArgs) -> anyhow::Result<ExitCode> {
    if a.weapons == 0 || a.targets == 0 || a.copies == 0 {
        return Err(BadInput::Usage("--weapons, --targets and --copies must be at least 1").into());
    }
    if a.weapons.saturating_mul(a.targets) > 50_000_000 {
        return Err(BadInput::Usage("--weapons x --targets must be at most 50,000,000").into());
    }
    let scheme = match a.scheme {
        WtaScheme::Ahuja => Scheme::Ahuja,
        WtaScheme::Apt => Scheme::AndersenPavlikovToffolo,
    };
    let p = generate(scheme, a.weapons, a.targets, a.copies, a.seed);
    let text = match a.format {
        InstanceFormat::Text => write_text(&p),
        InstanceFormat::Json => write_json(&p) + "\n",
    };
    match &a.out {
        Some(path) => crate::write_atomic(path, text.as_bytes())?,
        None => out!("{text}"),
    }
    Ok(ExitCode::SUCCESS)
}

/// Best-known bounds: instance name -> (lower, upper).
fn best_known(dir: &Path) -> std::collections::BTreeMap<String, (f64, f64)> {
    let mut out = std::collections::BTreeMap::new();
    let Ok(text) = std::fs::read_to_string(dir.join("best-known.csv")) else {
        return out;
    };
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap_or("").split(',').collect();
    let col = |name: &str| header.iter().position(|h| h.trim() == name);
    let (Some(ci), Some(cl), Some(cu)) = (
        col("instance"),
        col("best_lower_bound"),
        col("best_upper_bound"),
    ) else {
        return out;
    };
    for l in lines {
        let f: Vec<&str> = l.split(',').collect();
        if let (Some(name), Some(lo), Some(up)) = (f.get(ci), f.get(cl), f.get(cu))
            && let (Ok(lo), Ok(up)) = (lo.trim().parse::<f64>(), up.trim().parse::<f64>())
        {
            out.insert(name.trim().to_string(), (lo, up));
        }
    }
    out
}

fn instance_files(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            instance_files(&path, out)?;
        } else {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default();
            if [".txt", ".txt.xz", ".json", ".json.xz"]
                .iter()
                .any(|e| name.ends_with(e))
            {
                out.push(path);
            }
        }
    }
    Ok(())
}

fn instance_name(path: &Path) -> String {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    for ext in [".txt.xz", ".json.xz", ".txt", ".json"] {
        if let Some(stem) = name.strip_suffix(ext) {
            return stem.to_string();
        }
    }
    name
}

fn bench(a: &WtaBenchArgs) -> anyhow::Result<ExitCode> {
    let limit = parse_duration(&a.budget.time_limit)?;
    check_threads(a.budget.threads)?;
    let mut files = Vec::new();
    instance_files(&a.dir, &mut files).map_err(|source| BadInput::Read {
        path: a.dir.clone(),
        source,
    })?;
    files.sort();
    if files.is_empty() {
        return Err(
            BadInput::Usage("no instance files (.txt, .txt.xz, .json) in the directory").into(),
        );
    }
    let known = best_known(&a.dir);
    if !a.json {
        outln!(
            "{:<16} {:>14} {:>14} {:>14} {:>9} {:>14} {:>10} {:>9} {:>9}",
            "instance",
            "greedy",
            "objective",
            "lower bound",
            "gap %",
            "best known",
            "vs best %",
            "time ms",
            "status"
        );
    }
    for path in &files {
        let name = instance_name(path);
        let p = read_instance(path).with_context(|| format!("reading {}", path.display()))?;
        let (g, _) = run_solver(&p, WtaSolver::Greedy, limit, None, 1);
        let (s, elapsed) = run_budget(&p, &a.budget, limit);
        let gap = s
            .lower_bound
            .map(|lb| rampart_wta::relative_gap(s.objective, lb));
        let best = known.get(&name).copied();
        let vs_best = best.map(|(_, up)| (s.objective - up) / up);
        if a.json {
            outln!(
                "{}",
                json!({
                    "instance": name,
                    "greedy": g.objective,
                    "solver": s.solver,
                    "status": s.status.name(),
                    "objective": s.objective,
                    "lower_bound": s.lower_bound,
                    "gap": gap,
                    "best_known_upper": best.map(|b| b.1),
                    "best_known_lower": best.map(|b| b.0),
                    "relative_to_best_known": vs_best,
                    "elapsed_ms": elapsed.as_secs_f64() * 1000.0,
                })
            );
        } else {
            let opt = |v: Option<f64>, scale: f64, prec: usize| {
                v.map_or("-".to_string(), |x| format!("{:.*}", prec, x * scale))
            };
            outln!(
                "{:<16} {:>14.6} {:>14.6} {:>14} {:>9} {:>14} {:>10} {:>9.1} {:>9}",
                name,
                g.objective,
                s.objective,
                opt(s.lower_bound, 1.0, 6),
                opt(gap, 100.0, 4),
                opt(best.map(|b| b.1), 1.0, 6),
                opt(vs_best, 100.0, 4),
                elapsed.as_secs_f64() * 1000.0,
                s.status.name()
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
