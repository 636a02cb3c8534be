//! `rampart mc | compare | sweep | merge | saturate`: arguments in, a
//! `rampart-study` call, results out.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use rampart_model::overrides::{self, Override};
use rampart_model::{Policy as PolicyName, Scenario};
use rampart_study::{
    Comparison, Estimate, MonteCarlo, Saturation, SearchOutcome, Shard, Sweep, SweepRun, Vary,
};

use crate::BadInput;
use crate::args::{
    CompareArgs, McArgs, MergeArgs, PolicyArg, SaturateArgs, StudyCommon, SweepArgs,
};
use crate::progress::Bar;

fn policy(p: Option<PolicyArg>) -> Option<PolicyName> {
    p.map(|p| match p {
        PolicyArg::Nearest => PolicyName::Nearest,
        PolicyArg::Greedy => PolicyName::Greedy,
        PolicyArg::Optimal => PolicyName::Optimal,
    })
}

/// The policy given on the command line, or `default` (the scenario's).
pub fn policy_or(p: Option<PolicyArg>, default: PolicyName) -> PolicyName {
    policy(p).unwrap_or(default)
}

/// Runs `f` on a pool of `threads` workers (all cores by default).
pub fn with_threads<T: Send>(
    threads: Option<usize>,
    f: impl FnOnce() -> T + Send,
) -> anyhow::Result<T> {
    if threads == Some(0) {
        return Err(BadInput::Message("--threads must be at least 1".into()).into());
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads.unwrap_or(0))
        .build()
        .context("cannot start the worker threads")?;
    Ok(pool.install(f))
}

/// The night at `seed` of `scenario`, for a report's map.
pub fn glance(scenario: &Scenario, seed: u64, policy: PolicyName) -> rampart_report::Replay {
    let night = rampart_engine::Night::assemble(scenario, seed);
    let outcome = rampart_engine::run(&night, rampart_engine::builtin(policy).as_ref());
    rampart_report::Replay::new(&night, &outcome)
}

pub fn out_dir(dir: &Path) -> Result<(), BadInput> {
    std::fs::create_dir_all(dir).map_err(|source| BadInput::Output {
        path: dir.to_path_buf(),
        source,
    })
}

fn table(metrics: &std::collections::BTreeMap<String, Estimate>) -> String {
    let mut out = format!(
        "{:<48} {:>12} {:>12} {:>26} {:>10} {:>10} {:>10}\n",
        "metric", "mean", "sd", "95% interval", "p5", "p50", "p95"
    );
    for (k, e) in metrics {
        out.push_str(&format!(
            "{:<48} {:>12.4} {:>12.4} {:>26} {:>10.4} {:>10.4} {:>10.4}\n",
            k,
            e.mean,
            e.sd,
            if e.n < 2 {
                // One replication gives a value, not an interval.
                "none (1 replication)".to_string()
            } else {
                format!("[{:.4}, {:.4}]", e.ci95_low, e.ci95_high)
            },
            e.p5,
            e.p50,
            e.p95
        ));
    }
    out
}

fn metrics_csv(metrics: &std::collections::BTreeMap<String, Estimate>) -> String {
    let mut out = String::from("metric,n,mean,sd,ci95_low,ci95_high,p5,p50,p95,min,max\n");
    for (k, e) in metrics {
        out.push_str(&format!(
            "{k},{},{},{},{},{},{},{},{},{},{}\n",
            e.n, e.mean, e.sd, e.ci95_low, e.ci95_high, e.p5, e.p50, e.p95, e.min, e.max
        ));
    }
    out
}

pub fn mc(a: &McArgs) -> anyhow::Result<ExitCode> {
    crate::check_output_file("--report", a.report.as_deref())?;
    let (_, scenario) = crate::load_scenario(&a.file, &a.set)?;
    let c: &StudyCommon = &a.common;
    let study = MonteCarlo {
        scenario: &scenario,
        policy: policy(c.policy).unwrap_or(scenario.doctrine.policy),
        base_seed: c.seed.unwrap_or(scenario.seed),
    };
    // The replications stream to their table as they are folded.
    let mut replications = match &a.out {
        Some(dir) => {
            out_dir(dir)?;
            let path = dir.join("replications.parquet");
            let file =
                rampart_study::AtomicFile::create(&path).map_err(|source| BadInput::Output {
                    path: path.clone(),
                    source,
                })?;
            let names = rampart_study::metric_names(&scenario);
            let writer = rampart_study::ReplicationWriter::new(file, names, study.base_seed)?;
            Some((path, writer))
        }
        None => None,
    };
    let mut table_error = None;
    let bar = Bar::new(a.reps, "replications", c.progress());
    let result = with_threads(c.threads, || {
        study.run_with(a.reps, &bar, &mut |r, m| {
            if let Some((_, w)) = &mut replications
                && table_error.is_none()
                && let Err(e) = w.push(r, m)
            {
                table_error = Some(e);
            }
        })
    })?;
    drop(bar);
    if let Some(e) = table_error {
        return Err(anyhow::Error::new(e).context("writing replications.parquet"));
    }
    let json = serde_json::to_string_pretty(&result)?;
    if let Some(dir) = &a.out {
        crate::write_atomic(&dir.join("summary.json"), format!("{json}\n").as_bytes())?;
        crate::write_atomic(
            &dir.join("metrics.csv"),
            metrics_csv(&result.metrics).as_bytes(),
        )?;
    }
    // The table last: once it is there, the summary it goes with is too.
    if let Some((path, w)) = replications {
        w.finish()
            .context("writing replications.parquet")?
            .commit()
            .map_err(|source| BadInput::Output {
                path: path.clone(),
                source,
            })?;
        eprintln!("wrote {}", path.display());
    }
    if let Some(path) = &a.report {
        let map = glance(&scenario, study.base_seed, study.policy);
        let page = rampart_report::studies::monte_carlo(&map, &result);
        crate::write_atomic(path, page.as_bytes())?;
    }
    if a.json {
        outln!("{}", serde_json::to_string(&result)?);
    } else {
        outln!(
            "{} ({} replications, base seed {}, policy {})",
            result.scenario,
            result.replications,
            result.base_seed,
            result.policy
        );
        out!("{}", table(&result.metrics));
    }
    Ok(ExitCode::SUCCESS)
}

/// `NAME=PATH=VALUE[,PATH=VALUE...]` of `--variant`.
fn variant(text: &str) -> Result<(String, Vec<Override>), BadInput> {
    named_overrides("--variant", text, "nearest=doctrine.policy=nearest")
}

/// `NAME=PATH=VALUE[,PATH=VALUE...]` given with `flag`.
pub fn named_overrides(
    flag: &str,
    text: &str,
    example: &str,
) -> Result<(String, Vec<Override>), BadInput> {
    let bad = || {
        BadInput::Message(format!(
            "{flag} `{text}`: expected NAME=PATH=VALUE[,PATH=VALUE...], such as {example}"
        ))
    };
    let (name, rest) = text.split_once('=').ok_or_else(bad)?;
    if name.trim().is_empty() || rest.trim().is_empty() {
        return Err(bad());
    }
    let list = rest
        .split(',')
        .map(|o| Override::parse(o).map_err(crate::invalid(format!("{flag} {name}"))))
        .collect::<Result<Vec<_>, _>>()?;
    Ok((name.trim().to_string(), list))
}

/// The scenario with `overrides` applied, or a clear error.
fn overridden(text: &str, list: &[Override], what: &str) -> Result<Scenario, BadInput> {
    rampart_study::with_overrides(text, list).map_err(crate::invalid(what))
}

pub fn compare(a: &CompareArgs) -> anyhow::Result<ExitCode> {
    crate::check_output_file("--report", a.report.as_deref())?;
    let (text, scenario) = crate::load_scenario(&a.file, &a.set)?;
    check_metric_name(&scenario, &a.metric)?;
    let c = &a.common;
    let mut named: Vec<(String, Vec<Override>)> = if a.variants.is_empty() {
        if scenario.variants.is_empty() {
            return Err(BadInput::Message(format!(
                "{}: no variants to compare; give --variant NAME=PATH=VALUE or add [[variant]] tables to the file",
                a.file.display()
            ))
            .into());
        }
        // The file as written first, then each of its variants.
        std::iter::once(("base".to_string(), Vec::new()))
            .chain(
                scenario
                    .variants
                    .iter()
                    .map(|v| (v.id.clone(), overrides::list(&v.set))),
            )
            .collect()
    } else {
        a.variants
            .iter()
            .map(|v| match scenario.variants.iter().find(|n| &n.id == v) {
                Some(n) => Ok((n.id.clone(), overrides::list(&n.set))),
                None if !v.contains('=') => Err(BadInput::Message(format!(
                    "--variant `{v}`: the file has no [[variant]] `{v}`{}; or give NAME=PATH=VALUE",
                    if scenario.variants.is_empty() {
                        String::new()
                    } else {
                        format!(
                            " (it has: {})",
                            scenario
                                .variants
                                .iter()
                                .map(|n| n.id.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        )
                    }
                ))),
                None => variant(v),
            })
            .collect::<Result<_, _>>()?
    };
    if named.len() == 1 {
        named.insert(0, ("base".into(), Vec::new()));
    }
    let mut seen = std::collections::BTreeSet::new();
    for (n, _) in &named {
        if !seen.insert(n.clone()) {
            return Err(BadInput::Message(format!("two variants are named `{n}`")).into());
        }
    }
    let scenarios: Vec<Scenario> = named
        .iter()
        .map(|(n, list)| overridden(&text, list, &format!("--variant {n}")))
        .collect::<Result<_, _>>()?;
    let study = Comparison {
        variants: named
            .iter()
            .zip(&scenarios)
            .map(|((n, _), s)| (n.clone(), s, policy(c.policy).unwrap_or(s.doctrine.policy)))
            .collect(),
        base_seed: c.seed.unwrap_or(scenario.seed),
    };
    let bar = Bar::new(a.reps, "paired nights", c.progress());
    let result = with_threads(c.threads, || study.run(a.reps, &bar))?;
    drop(bar);
    check_metric(&result, &a.metric, "metric")?;
    let verdicts = result.verdicts(&a.metric);
    if let Some(dir) = &a.out {
        out_dir(dir)?;
        let json = serde_json::to_string_pretty(&result)?;
        crate::write_atomic(&dir.join("compare.json"), format!("{json}\n").as_bytes())?;
    }
    if let Some(path) = &a.report {
        let map = glance(
            &scenario,
            study.base_seed,
            policy(c.policy).unwrap_or(scenario.doctrine.policy),
        );
        let page = rampart_report::studies::comparison(&map, &result, &a.metric, &verdicts);
        crate::write_atomic(path, page.as_bytes())?;
    }
    let header = format!(
        "{} replications on common seeds (base seed {})",
        result.replications, result.base_seed
    );
    print_comparison(&result, &a.metric, &verdicts, a.json, &header)?;
    Ok(ExitCode::SUCCESS)
}

/// Refuses a `--metric` that the comparison does not have (`what`: "metric", "campaign total").
pub fn check_metric(
    result: &rampart_study::CompareResult,
    metric: &str,
    what: &str,
) -> Result<(), BadInput> {
    let names: Vec<&str> = result
        .metrics
        .values()
        .next()
        .map(|m| m.keys().map(String::as_str).collect())
        .unwrap_or_default();
    metric_among(metric, &names, what)
}

/// Refuses, before any work, a `--metric` that a study of `scenario` does
/// not report: "no metric `leaker`; did you mean `leakers`?".
pub fn check_metric_name(scenario: &rampart_model::Scenario, metric: &str) -> Result<(), BadInput> {
    let names = rampart_study::metric_names(scenario);
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    metric_among(metric, &names, "metric")
}

fn metric_among(metric: &str, names: &[&str], what: &str) -> Result<(), BadInput> {
    if names.contains(&metric) {
        return Ok(());
    }
    let hint = match rampart_model::suggest(metric, names.iter().copied()) {
        Some(s) => format!("did you mean `{s}`?"),
        None => format!(
            "for example {}; `rampart mc FILE --reps 1 --json` lists every one",
            names
                .iter()
                .filter(|n| !n.contains('.'))
                .take(6)
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    Err(BadInput::Message(format!(
        "--metric: no {what} `{metric}`; {hint}"
    )))
}

/// Prints a comparison: one JSON object with its verdicts, or `header`, each
/// variant's `metric` and the verdicts.
pub fn print_comparison(
    result: &rampart_study::CompareResult,
    metric: &str,
    verdicts: &[String],
    json: bool,
    header: &str,
) -> anyhow::Result<()> {
    if json {
        let mut v = serde_json::to_value(result)?;
        v["verdicts"] = serde_json::json!(verdicts);
        outln!("{}", serde_json::to_string(&v)?);
        return Ok(());
    }
    outln!("{header}");
    for name in &result.variants {
        if let Some(e) = result.metrics.get(name).and_then(|m| m.get(metric)) {
            outln!(
                "  {name:<16} {metric}: {:.3} [{:.3}, {:.3}]",
                e.mean,
                e.ci95_low,
                e.ci95_high
            );
        }
    }
    for v in verdicts {
        outln!("{v}");
    }
    Ok(())
}

pub fn sweep(a: &SweepArgs) -> anyhow::Result<ExitCode> {
    crate::check_output_file("--report", a.report.as_deref())?;
    let (text, scenario) = crate::load_scenario(&a.file, &a.set)?;
    check_metric_name(&scenario, &a.metric)?;
    let c = &a.common;
    let vary = a
        .vary
        .iter()
        .map(|v| Vary::parse(v).map_err(crate::invalid("--vary")))
        .collect::<Result<Vec<_>, _>>()?;
    let shard = a.shard.unwrap_or(Shard::WHOLE);
    let sweep = Sweep {
        text,
        vary,
        reps: a.reps,
        base_seed: c.seed.unwrap_or(scenario.seed),
        policy: policy(c.policy),
    };
    sweep.check().map_err(crate::invalid("--vary"))?;
    let points = (0..sweep.points()).filter(|&p| shard.owns(p)).count() as u64;
    eprintln!(
        "sweep: {points} point(s) of {} replications into {}; stop it at any time (Ctrl-C): the same command resumes from the finished points",
        a.reps,
        a.out.display()
    );
    let bar = Bar::new(points * a.reps, "sweep replications", c.progress());
    let run = with_threads(c.threads, || sweep.run(&a.out, shard, &bar, &mut |_| {}))?;
    drop(bar);
    let run = run.map_err(study_error)?;
    let plots = write_sweep_figures(&a.out, &run, &a.metric)?;
    if let Some(path) = &a.report {
        let map = glance(
            &scenario,
            sweep.base_seed,
            sweep.policy.unwrap_or(scenario.doctrine.policy),
        );
        let page =
            rampart_report::studies::sweep(&map, &run.manifest, &run.results, &a.metric, &plots);
        crate::write_atomic(path, page.as_bytes())?;
    }
    outln!(
        "{}: {} point(s) of {} in this run, {} already done; results in {} and {}",
        a.out.display(),
        run.ran,
        points,
        points as usize - run.ran,
        a.out.join("results.parquet").display(),
        a.out.join("results.csv").display()
    );
    outln!("{}", headline(&run.manifest, &run.results, &a.metric));
    Ok(ExitCode::SUCCESS)
}

/// The sweep's headline: `metric` at every point (at most 20), or at the
/// points where it is least and greatest.
fn headline(
    manifest: &rampart_study::Manifest,
    results: &[rampart_study::PointResult],
    metric: &str,
) -> String {
    let paths: Vec<&str> = manifest.vary.iter().map(|v| v.path.as_str()).collect();
    let line = |r: &rampart_study::PointResult| {
        let at = paths
            .iter()
            .zip(&r.values)
            .map(|(p, v)| format!("{p}={v}"))
            .collect::<Vec<_>>()
            .join(", ");
        match r.metrics.get(metric) {
            Some(e) => format!(
                "  {at}: {metric} {:.3} [{:.3}, {:.3}]",
                e.mean, e.ci95_low, e.ci95_high
            ),
            None => format!("  {at}: no value"),
        }
    };
    let mut out = format!("{metric} (mean per night [95% interval]):\n");
    if results.len() <= 20 {
        for r in results {
            out.push_str(&line(r));
            out.push('\n');
        }
    } else {
        let mean =
            |r: &&rampart_study::PointResult| r.metrics.get(metric).map_or(f64::NAN, |e| e.mean);
        let least = results.iter().min_by(|a, b| mean(a).total_cmp(&mean(b)));
        let most = results.iter().max_by(|a, b| mean(a).total_cmp(&mean(b)));
        if let (Some(l), Some(m)) = (least, most) {
            out.push_str(&format!(
                "  least at {}\n  most at {}\n",
                line(l).trim_start(),
                line(m).trim_start()
            ));
        }
        out.push_str(&format!(
            "({} points: every one in results.csv)\n",
            results.len()
        ));
    }
    out.trim_end().to_string()
}

fn study_error(e: rampart_study::SweepError) -> anyhow::Error {
    use rampart_study::SweepError as E;
    match e {
        E::Io { .. } | E::Parquet { .. } => anyhow::Error::new(e),
        other => BadInput::Study(other).into(),
    }
}

/// The manifest and the results of a finished sweep in `dir`.
/// Writes the sweep's figures into its directory; returns them as
/// (caption, SVG) for the report.
fn write_sweep_figures(
    dir: &Path,
    run: &SweepRun,
    metric: &str,
) -> anyhow::Result<Vec<(String, String)>> {
    let mut plots = Vec::new();
    for f in rampart_report::sweep_figures::sweep_figures(&run.manifest, &run.results, metric) {
        crate::write_atomic(&dir.join(f.file), f.svg.as_bytes())?;
        plots.push((f.caption, f.svg));
    }
    Ok(plots)
}

pub fn merge(a: &MergeArgs) -> anyhow::Result<ExitCode> {
    let run = rampart_study::merge(&a.dirs, &a.out).map_err(study_error)?;
    if let Some(first) = run.results.first() {
        let names: Vec<&str> = first.metrics.keys().map(String::as_str).collect();
        metric_among(&a.metric, &names, "metric")?;
    }
    write_sweep_figures(&a.out, &run, &a.metric)?;
    outln!(
        "{}: {} points merged ({} copied in this run)",
        a.out.display(),
        run.results.len(),
        run.ran
    );
    outln!("{}", headline(&run.manifest, &run.results, &a.metric));
    Ok(ExitCode::SUCCESS)
}

pub fn saturate(a: &SaturateArgs) -> anyhow::Result<ExitCode> {
    crate::check_output_file("--report", a.report.as_deref())?;
    let (text, scenario) = crate::load_scenario(&a.file, &a.set)?;
    check_metric_name(&scenario, &a.metric)?;
    let c = &a.common;
    let field = overrides::field(&text, &a.vary).map_err(crate::invalid("--vary"))?;
    let (from, to) = match &a.range {
        Some(r) => {
            let bad = || {
                BadInput::Message(format!(
                    "--range `{r}`: expected FROM..TO, such as 100..2000"
                ))
            };
            let (f, t) = r.split_once("..").ok_or_else(bad)?;
            let (f, t): (f64, f64) = (
                f.trim().parse().map_err(|_| bad())?,
                t.trim().parse().map_err(|_| bad())?,
            );
            if f.is_nan() || t.is_nan() || f >= t {
                return Err(bad().into());
            }
            (f, t)
        }
        None => rampart_study::default_range(&field).ok_or_else(|| {
            BadInput::Message(format!(
                "--vary {}: the field has no positive value in the file; give --range FROM..TO",
                a.vary
            ))
        })?,
    };
    if a.reps < 2 || a.max_reps < a.reps {
        return Err(BadInput::Message("expected 2 <= --reps <= --max-reps".into()).into());
    }
    let search = Saturation {
        text,
        path: a.vary.clone(),
        metric: a.metric.clone(),
        limit: a.limit,
        from,
        to,
        integer: field.integer,
        tolerance: a
            .tolerance
            .unwrap_or(rampart_study::default_tolerance(from, to)),
        base_seed: c.seed.unwrap_or(scenario.seed),
        policy: policy(c.policy),
        initial_reps: a.reps,
        max_reps: a.max_reps,
    };
    let bar = Bar::new(0, "saturation probes", c.progress());
    let json_mode = a.json;
    let result = with_threads(c.threads, || {
        search.run(&bar, &mut |p| {
            bar.length(bar.bar.position());
            if !json_mode {
                bar.bar.suspend(|| {
                    eprintln!(
                        "  {} = {}: {} = {:.4} [{:.4}, {:.4}] over {} nights: {}",
                        a.vary,
                        p.value,
                        a.metric,
                        p.mean,
                        p.ci95_low,
                        p.ci95_high,
                        p.replications,
                        p.verdict.as_str()
                    );
                });
            }
        })
    })?;
    drop(bar);
    let result = result.map_err(study_error)?;
    let pts: Vec<(f64, f64, f64, f64)> = result
        .curve
        .iter()
        .map(|p| (p.value, p.mean, p.ci95_low, p.ci95_high))
        .collect();
    let svg = rampart_report::plot::curve_with_band(
        &format!("{} against {} (95% band)", a.metric, a.vary),
        &a.vary,
        &a.metric,
        &pts,
        Some(a.limit),
    );
    if let Some(dir) = &a.out {
        out_dir(dir)?;
        let json = serde_json::to_string_pretty(&result)?;
        crate::write_atomic(&dir.join("saturation.json"), format!("{json}\n").as_bytes())?;
        crate::write_atomic(&dir.join("saturation.svg"), svg.as_bytes())?;
    }
    if let Some(path) = &a.report {
        let map = glance(
            &scenario,
            search.base_seed,
            search.policy.unwrap_or(scenario.doctrine.policy),
        );
        let page = rampart_report::studies::saturation(&map, &result, &svg);
        crate::write_atomic(path, page.as_bytes())?;
    }
    if a.json {
        outln!("{}", serde_json::to_string(&result)?);
    } else {
        let show = |x: f64| {
            if field.integer {
                format!("{x:.0}")
            } else {
                format!("{x:.3}")
            }
        };
        match (result.outcome, result.overload, result.interval) {
            (SearchOutcome::Found, Some(x), Some((lo, hi))) => outln!(
                "overload point of {} for {} <= {}: {} (95% interval {} to {}, from a fit of the probes around it); {} probes, {} nights",
                a.vary,
                a.metric,
                a.limit,
                show(x),
                show(lo),
                show(hi),
                result.curve.len(),
                result.replications
            ),
            (SearchOutcome::Found, _, _) => outln!(
                "the limit {} <= {} breaks between {} = {} and {} (the means do not rise cleanly there: no fit); {} probes, {} nights",
                a.metric,
                a.limit,
                a.vary,
                result.bracket.map_or(from, |b| b.0),
                result.bracket.map_or(to, |b| b.1),
                result.curve.len(),
                result.replications
            ),
            (SearchOutcome::BrokenAtStart, _, _) => outln!(
                "{} <= {} already breaks at {} = {from}",
                a.metric,
                a.limit,
                a.vary
            ),
            _ => outln!(
                "{} <= {} still holds at {} = {to}: no overload point in the range",
                a.metric,
                a.limit,
                a.vary
            ),
        }
    }
    Ok(ExitCode::SUCCESS)
}
