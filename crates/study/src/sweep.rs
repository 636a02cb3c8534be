//! Sweeps: a full-factorial grid of overrides, every point a Monte Carlo
//! study on the same seeds. A sweep lives in a directory: `manifest.json`
//! says what it is, `points/NNNNNN.json` holds each finished point (written
//! to a temporary file, then renamed, so a point is there whole or not at
//! all), and `results.csv` and `results.parquet` gather them once every point is
//! done. Killed and
//! started again, a sweep keeps its finished points; `--shard i/n` runs the
//! points whose index is i modulo n, and [`merge`] joins shard directories.

use std::path::{Path, PathBuf};

use rampart_model::overrides::{self, Override, OverrideError};
use rampart_model::{Policy as PolicyName, Scenario, Severity, parse_scenario};
use serde::{Deserialize, Serialize};

use crate::grid::{Manifest, PointResult, Vary, VaryError};
use crate::io::{fnv1a, write_atomic};
use crate::montecarlo::{MonteCarlo, Progress};
use crate::table::Table;

/// The most points a sweep's grid may have.
pub const MAX_POINTS: usize = 1_000_000;

/// Why a sweep cannot run.
#[derive(Debug, thiserror::Error)]
pub enum SweepError {
    #[error(transparent)]
    Vary(#[from] VaryError),
    #[error(transparent)]
    Override(#[from] OverrideError),
    #[error("with {overrides}, the scenario is not valid: {message}")]
    InvalidScenario { overrides: String, message: String },
    #[error(
        "{dir} holds a different sweep (its manifest differs in {field}); use another directory or delete it"
    )]
    ManifestMismatch { dir: PathBuf, field: String },
    #[error("the sweep into {} was stopped; the same command resumes it", dir.display())]
    Stopped { dir: PathBuf },
    #[error("shard {index} of {count}: expected 0 <= index < count")]
    BadShard { index: usize, count: usize },
    #[error("cannot read or write {}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{} is not readable", path.display())]
    Json {
        path: PathBuf,
        #[source]
        source: serde_json::Error,
    },
    #[error("{}", path.display())]
    Parquet {
        path: PathBuf,
        #[source]
        source: parquet::errors::ParquetError,
    },
    #[error("no shard directories given")]
    NoShards,
    #[error(
        "the grid has {counts} points, more than the limit of 1,000,000; vary fewer fields or fewer values, or split it into several sweeps"
    )]
    TooManyPoints { counts: String },
    #[error("the sweep is incomplete: {missing} of {total} points missing (first: point {first})")]
    Incomplete {
        missing: usize,
        total: usize,
        first: usize,
    },
}

/// Shard `index` of `count`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shard {
    pub index: usize,
    pub count: usize,
}

impl Shard {
    pub const WHOLE: Shard = Shard { index: 0, count: 1 };

    /// Shard `index` of `count`: the points whose number is `index` modulo `count`.
    pub fn new(index: usize, count: usize) -> Result<Shard, SweepError> {
        if index >= count {
            return Err(SweepError::BadShard { index, count });
        }
        Ok(Shard { index, count })
    }

    pub fn owns(self, point: usize) -> bool {
        point % self.count == self.index
    }
}

/// A sweep ready to run.
#[derive(Debug, Clone)]
pub struct Sweep {
    pub text: String,
    pub vary: Vec<Vary>,
    pub reps: u64,
    pub base_seed: u64,
    pub policy: Option<PolicyName>,
}

/// The scenario `text` with `list` applied, read and validated.
pub fn with_overrides(text: &str, list: &[Override]) -> Result<Scenario, SweepError> {
    let changed = overrides::apply(text, list)?;
    parse_scenario(&changed).map_err(|e| SweepError::InvalidScenario {
        overrides: list
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(" "),
        message: e
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .map(|d| format!("{}: {}", d.path, d.kind))
            .collect::<Vec<_>>()
            .join("; "),
    })
}

impl Sweep {
    /// The number of grid points (saturating: `check` refuses a grid of
    /// more than [`MAX_POINTS`]).
    pub fn points(&self) -> usize {
        self.vary
            .iter()
            .try_fold(1usize, |n, v| n.checked_mul(v.values.len()))
            .unwrap_or(usize::MAX)
    }

    /// The values of point `p` (the first `--vary` changes slowest).
    pub fn values(&self, mut p: usize) -> Vec<String> {
        let mut out = vec![String::new(); self.vary.len()];
        for (k, v) in self.vary.iter().enumerate().rev() {
            out[k] = v.values[p % v.values.len()].clone();
            p /= v.values.len();
        }
        out
    }

    pub fn manifest(&self) -> Manifest {
        Manifest {
            format: 1,
            scenario_digest: format!("{:016x}", fnv1a(self.text.as_bytes())),
            vary: self.vary.clone(),
            reps: self.reps,
            base_seed: self.base_seed,
            policy: self.policy.map(|p| p.as_str().to_string()),
            points: self.points(),
        }
    }

    /// Checks every path and every value before anything runs.
    pub fn check(&self) -> Result<(), SweepError> {
        let points = self.points();
        if points > MAX_POINTS {
            return Err(SweepError::TooManyPoints {
                counts: self
                    .vary
                    .iter()
                    .map(|v| v.values.len().to_string())
                    .collect::<Vec<_>>()
                    .join(" x "),
            });
        }
        for v in &self.vary {
            overrides::check_path(&self.text, &v.path)?;
            for value in &v.values {
                let o = Override {
                    path: v.path.clone(),
                    value: value.clone(),
                };
                overrides::apply(&self.text, &[o])?;
            }
        }
        Ok(())
    }

    /// The scenario of point `p`: the sweep's text with the point's values.
    pub fn point_scenario(&self, p: usize) -> Result<Scenario, SweepError> {
        let list: Vec<Override> = self
            .vary
            .iter()
            .zip(self.values(p))
            .map(|(v, value)| Override {
                path: v.path.clone(),
                value,
            })
            .collect();
        with_overrides(&self.text, &list)
    }

    /// The Monte Carlo study of a point's scenario, on the sweep's seeds.
    fn point_study<'s>(&self, scenario: &'s Scenario) -> MonteCarlo<'s> {
        MonteCarlo {
            scenario,
            policy: self.policy.unwrap_or(scenario.doctrine.policy),
            base_seed: self.base_seed,
        }
    }

    /// Runs point `p`.
    pub fn run_point(&self, p: usize, progress: &dyn Progress) -> Result<PointResult, SweepError> {
        let scenario = self.point_scenario(p)?;
        Ok(PointResult {
            point: p,
            values: self.values(p),
            metrics: self.point_study(&scenario).run(self.reps, progress).metrics,
        })
    }

    /// The metrics of replications `from..to` of point `p`, in order: a
    /// block of a big point, run apart (on another machine, say).
    pub fn run_block(
        &self,
        p: usize,
        from: u64,
        to: u64,
        progress: &dyn Progress,
    ) -> Result<Vec<Vec<(String, f64)>>, SweepError> {
        let scenario = self.point_scenario(p)?;
        let mut rows = Vec::with_capacity(to.saturating_sub(from) as usize);
        let mut acc = crate::montecarlo::Accumulator::default();
        self.point_study(&scenario).extend_with(
            &mut acc,
            from,
            to.min(self.reps),
            progress,
            &mut |_, m| rows.push(m.to_vec()),
        );
        Ok(rows)
    }

    /// Point `p`'s result from the metrics of all its replications, in
    /// order (the blocks of [`Sweep::run_block`] end to end): the same
    /// numbers, bit for bit, as [`Sweep::run_point`], which folds the same
    /// metrics in the same order.
    pub fn point_from_rows(&self, p: usize, rows: &[Vec<(String, f64)>]) -> PointResult {
        let mut acc = crate::montecarlo::Accumulator::default();
        for m in rows {
            acc.add(m);
        }
        PointResult {
            point: p,
            values: self.values(p),
            metrics: acc.estimates(),
        }
    }

    /// Readies `dir` for this sweep: checks every path and value, writes
    /// the manifest (or checks that the one there is this sweep's), and
    /// makes `points/`.
    pub fn prepare(&self, dir: &Path) -> Result<Manifest, SweepError> {
        self.check()?;
        let points_dir = dir.join("points");
        std::fs::create_dir_all(&points_dir).map_err(io(&points_dir))?;
        let manifest = self.manifest();
        let manifest_path = dir.join("manifest.json");
        if manifest_path.exists() {
            let text = std::fs::read_to_string(&manifest_path).map_err(io(&manifest_path))?;
            let old: Manifest = serde_json::from_str(&text).map_err(json(&manifest_path))?;
            if let Some(field) = differs(&old, &manifest) {
                return Err(SweepError::ManifestMismatch {
                    dir: dir.to_path_buf(),
                    field,
                });
            }
        } else {
            let text = serde_json::to_string_pretty(&manifest).map_err(json(&manifest_path))?;
            write_atomic(&manifest_path, text.as_bytes()).map_err(io(&manifest_path))?;
        }
        Ok(manifest)
    }

    /// The points of `shard` that `dir` does not hold yet, in order.
    pub fn missing(&self, dir: &Path, shard: Shard) -> Vec<usize> {
        (0..self.points())
            .filter(|&p| shard.owns(p) && !point_path(dir, p).exists())
            .collect()
    }

    /// Saves a finished point into `dir` (write, then rename).
    pub fn save_point(dir: &Path, result: &PointResult) -> Result<(), SweepError> {
        let path = point_path(dir, result.point);
        let text = serde_json::to_string(result).map_err(json(&path))?;
        write_atomic(&path, text.as_bytes()).map_err(io(&path))
    }

    /// Once every point of `shard` is in `dir`: reads them and writes the
    /// tables (`results.csv`, `.parquet`, `.json`); `ran` is how many
    /// points this run computed.
    pub fn finish(&self, dir: &Path, shard: Shard, ran: usize) -> Result<SweepRun, SweepError> {
        let mine: Vec<usize> = (0..self.points()).filter(|&p| shard.owns(p)).collect();
        let results = read_points(dir, &mine)?;
        let manifest = self.manifest();
        write_tables(dir, &manifest, &results)?;
        Ok(SweepRun {
            ran,
            manifest,
            results,
        })
    }

    /// Runs the points of `shard` not yet in `dir`, each saved as it
    /// finishes; when all of the shard's points are there, writes the
    /// tables. Stopped (see [`Progress::stopped`]), it saves no point it
    /// has not finished and returns [`SweepError::Stopped`]: the same call
    /// resumes.
    pub fn run(
        &self,
        dir: &Path,
        shard: Shard,
        progress: &dyn Progress,
        on_point: &mut dyn FnMut(&PointResult),
    ) -> Result<SweepRun, SweepError> {
        self.prepare(dir)?;
        let mut ran = 0;
        for p in self.missing(dir, shard) {
            let result = self.run_point(p, progress)?;
            if progress.stopped() {
                return Err(SweepError::Stopped {
                    dir: dir.to_path_buf(),
                });
            }
            Self::save_point(dir, &result)?;
            on_point(&result);
            ran += 1;
        }
        self.finish(dir, shard, ran)
    }
}

fn differs(a: &Manifest, b: &Manifest) -> Option<String> {
    if a.format != b.format {
        Some("format".into())
    } else if a.scenario_digest != b.scenario_digest {
        Some("the scenario file".into())
    } else if a.vary != b.vary {
        Some("--vary".into())
    } else if a.reps != b.reps {
        Some("--reps".into())
    } else if a.base_seed != b.base_seed {
        Some("--seed".into())
    } else if a.policy != b.policy {
        Some("--policy".into())
    } else {
        None
    }
}

fn point_path(dir: &Path, p: usize) -> PathBuf {
    dir.join("points").join(format!("{p:06}.json"))
}

fn read_points(dir: &Path, points: &[usize]) -> Result<Vec<PointResult>, SweepError> {
    let mut out = Vec::new();
    let mut missing = Vec::new();
    for &p in points {
        let path = point_path(dir, p);
        match std::fs::read_to_string(&path) {
            Ok(text) => out.push(serde_json::from_str(&text).map_err(json(&path))?),
            Err(_) => missing.push(p),
        }
    }
    if let Some(&first) = missing.first() {
        return Err(SweepError::Incomplete {
            missing: missing.len(),
            total: points.len(),
            first,
        });
    }
    Ok(out)
}

/// One row per point: the point, the varied values, then `METRIC.STAT` columns.
pub fn csv(manifest: &Manifest, results: &[PointResult]) -> String {
    Table::new(manifest, results).csv()
}

fn write_tables(
    dir: &Path,
    manifest: &Manifest,
    results: &[PointResult],
) -> Result<(), SweepError> {
    let table = Table::new(manifest, results);
    let csv = dir.join("results.csv");
    write_atomic(&csv, table.csv().as_bytes()).map_err(io(&csv))?;
    let parquet_path = dir.join("results.parquet");
    let parquet = table.parquet().map_err(|source| SweepError::Parquet {
        path: parquet_path.clone(),
        source,
    })?;
    write_atomic(&parquet_path, &parquet).map_err(io(&parquet_path))?;
    let json_path = dir.join("results.json");
    let text = serde_json::to_string_pretty(results).map_err(json(&json_path))?;
    write_atomic(&json_path, text.as_bytes()).map_err(io(&json_path))?;
    Ok(())
}

/// An IO error at `path`, with its source.
fn io(path: &Path) -> impl Fn(std::io::Error) -> SweepError + '_ {
    move |source| SweepError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// A JSON error of the file at `path`, with its source.
fn json(path: &Path) -> impl Fn(serde_json::Error) -> SweepError + '_ {
    move |source| SweepError::Json {
        path: path.to_path_buf(),
        source,
    }
}

/// What a sweep's directory holds once a run (or a merge) is done: its
/// manifest and the table of its points (a shard's own points only), as
/// written to `results.*`; and how many points this run computed.
#[derive(Debug, Clone, PartialEq)]
pub struct SweepRun {
    pub ran: usize,
    pub manifest: Manifest,
    pub results: Vec<PointResult>,
}

/// Joins shard directories into `out`: the same files as one unsharded run.
/// `ran` of the answer counts the points copied in.
pub fn merge(dirs: &[PathBuf], out: &Path) -> Result<SweepRun, SweepError> {
    let mut manifest: Option<Manifest> = None;
    for d in dirs {
        let path = d.join("manifest.json");
        let text = std::fs::read_to_string(&path).map_err(io(&path))?;
        let m: Manifest = serde_json::from_str(&text).map_err(json(&path))?;
        if let Some(first) = &manifest
            && let Some(field) = differs(first, &m)
        {
            return Err(SweepError::ManifestMismatch {
                dir: d.clone(),
                field,
            });
        }
        manifest.get_or_insert(m);
    }
    let Some(manifest) = manifest else {
        return Err(SweepError::NoShards);
    };
    let points = out.join("points");
    std::fs::create_dir_all(&points).map_err(io(&points))?;
    let mut ran = 0;
    for p in 0..manifest.points {
        let dest = point_path(out, p);
        if dest.exists() {
            continue;
        }
        if let Some(src) = dirs.iter().map(|d| point_path(d, p)).find(|s| s.exists()) {
            let bytes = std::fs::read(&src).map_err(io(&src))?;
            write_atomic(&dest, &bytes).map_err(io(&dest))?;
            ran += 1;
        }
    }
    let all: Vec<usize> = (0..manifest.points).collect();
    let results = read_points(out, &all)?;
    let manifest_path = out.join("manifest.json");
    let text = serde_json::to_string_pretty(&manifest).map_err(json(&manifest_path))?;
    write_atomic(&manifest_path, text.as_bytes()).map_err(io(&manifest_path))?;
    write_tables(out, &manifest, &results)?;
    Ok(SweepRun {
        ran,
        manifest,
        results,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_lists_and_shards() {
        let v = Vary::parse("raid.d.count=100..300:100").expect("range");
        assert_eq!(v.values, ["100", "200", "300"]);
        let v = Vary::parse("sensor.r.range=0.5..1:0.25").expect("range");
        assert_eq!(v.values, ["0.5", "0.75", "1"]);
        let v = Vary::parse("threat.d.jam_resistance=0..1:0.1").expect("range");
        assert_eq!(
            v.values,
            [
                "0", "0.1", "0.2", "0.3", "0.4", "0.5", "0.6", "0.7", "0.8", "0.9", "1"
            ]
        );
        let v = Vary::parse("effector.e.count=0, 10,20").expect("list");
        assert_eq!(v.values, ["0", "10", "20"]);
        assert!(Vary::parse("raid.d.count").is_err());
        assert!(Vary::parse("raid.d.count=3..1:1").is_err());
        assert!(Vary::parse("raid.d.count=1..3:0").is_err());
        assert_eq!(
            Shard::new(1, 3).expect("shard"),
            Shard { index: 1, count: 3 }
        );
        assert!(Shard::new(3, 3).is_err());
        assert!(Shard::new(0, 0).is_err());
        let s = Sweep {
            text: String::new(),
            vary: vec![
                Vary::parse("a.b.c=1,2").expect("a"),
                Vary::parse("d.e.f=7,8,9").expect("d"),
            ],
            reps: 1,
            base_seed: 0,
            policy: None,
        };
        assert_eq!(s.points(), 6);
        // A grid too large to count saturates, and `check` refuses it.
        let mut huge = s.clone();
        huge.vary = vec![Vary::parse("a.b.c=1..100000:1").expect("range"); 4];
        assert_eq!(huge.points(), usize::MAX);
        assert!(matches!(
            huge.check(),
            Err(SweepError::TooManyPoints { .. })
        ));
        assert_eq!(s.values(0), ["1", "7"]);
        assert_eq!(s.values(4), ["2", "8"]);
    }
}
