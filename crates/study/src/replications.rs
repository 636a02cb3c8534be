//! The table of a Monte Carlo study's replications, one row each: the
//! replication's number, its night's seed, then every metric (as named by
//! [`crate::metrics`]), written as Parquet row group by row group, so that
//! memory stays bounded however many replications there are.
//!
//! Columns: `replication` (INT64), `seed` (INT64 marked unsigned: a seed is
//! any 64-bit number), then one DOUBLE per metric in name order. A metric a
//! replication does not report is 0 there, as the statistics count it
//! ([`crate::Accumulator::add`]), so each column's mean is the statistics'
//! mean.

use std::io::Write;
use std::sync::Arc;

use parquet::basic::{LogicalType, Repetition, Type as Physical};
use parquet::data_type::{DoubleType, Int64Type};
use parquet::errors::ParquetError;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::types::Type;

use crate::montecarlo::replication_seed;

/// Why the table of replications cannot be written.
#[derive(Debug, thiserror::Error)]
pub enum ReplicationError {
    #[error("replication {replication}: metric `{metric}` is not a column of the table")]
    UnknownMetric { replication: u64, metric: String },
    #[error("cannot write the table of replications")]
    Parquet(#[from] ParquetError),
}

/// Rows held before they are written as one row group.
pub const ROWS_PER_GROUP: usize = 65_536;

/// Writes the replications of a study of base seed `base_seed` to `out`.
pub struct ReplicationWriter<W: Write + Send> {
    writer: SerializedFileWriter<W>,
    names: Vec<String>,
    base_seed: u64,
    replication: Vec<i64>,
    seed: Vec<i64>,
    values: Vec<Vec<f64>>,
}

impl<W: Write + Send> std::fmt::Debug for ReplicationWriter<W> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReplicationWriter")
            .field("names", &self.names)
            .field("buffered", &self.replication.len())
            .finish()
    }
}

impl<W: Write + Send> ReplicationWriter<W> {
    /// A table with one column per metric of `names` (sorted and unique).
    pub fn new(out: W, names: Vec<String>, base_seed: u64) -> Result<Self, ReplicationError> {
        let column = |name: &str, physical: Physical, logical: Option<LogicalType>| {
            Type::primitive_type_builder(name, physical)
                .with_repetition(Repetition::REQUIRED)
                .with_logical_type(logical)
                .build()
                .map(Arc::new)
        };
        let mut fields = vec![
            column("replication", Physical::INT64, None)?,
            column(
                "seed",
                Physical::INT64,
                Some(LogicalType::Integer(parquet::basic::IntType {
                    bit_width: 64,
                    is_signed: false,
                })),
            )?,
        ];
        for name in &names {
            fields.push(column(name, Physical::DOUBLE, None)?);
        }
        let values = vec![Vec::new(); names.len()];
        Ok(ReplicationWriter {
            writer: crate::table::file_writer(out, "replications", fields)?,
            names,
            base_seed,
            replication: Vec::new(),
            seed: Vec::new(),
            values,
        })
    }

    /// Adds replication `r` with its `metrics` (sorted by name, as
    /// [`crate::metrics`] gives them); a metric not among the table's
    /// columns is an error.
    pub fn push(&mut self, r: u64, metrics: &[(String, f64)]) -> Result<(), ReplicationError> {
        let mut k = 0;
        for (column, name) in self.values.iter_mut().zip(&self.names) {
            // Both lists are sorted: walk them together.
            if k < metrics.len() && metrics[k].0 < *name {
                return Err(ReplicationError::UnknownMetric {
                    replication: r,
                    metric: metrics[k].0.clone(),
                });
            }
            if k < metrics.len() && metrics[k].0 == *name {
                column.push(metrics[k].1);
                k += 1;
            } else {
                column.push(0.0);
            }
        }
        if let Some((extra, _)) = metrics.get(k) {
            return Err(ReplicationError::UnknownMetric {
                replication: r,
                metric: extra.clone(),
            });
        }
        self.replication.push(r as i64);
        // The seed's 64 bits, as Parquet keeps an unsigned INT64.
        self.seed.push(i64::from_ne_bytes(
            replication_seed(self.base_seed, r).to_ne_bytes(),
        ));
        if self.replication.len() >= ROWS_PER_GROUP {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<(), ParquetError> {
        if self.replication.is_empty() {
            return Ok(());
        }
        let mut group = self.writer.next_row_group()?;
        let mut next =
            |f: &mut dyn FnMut(
                &mut parquet::file::writer::SerializedColumnWriter<'_>,
            ) -> Result<(), ParquetError>| crate::table::next_column(&mut group, f);
        next(&mut |c| {
            c.typed::<Int64Type>()
                .write_batch(&self.replication, None, None)
                .map(drop)
        })?;
        next(&mut |c| {
            c.typed::<Int64Type>()
                .write_batch(&self.seed, None, None)
                .map(drop)
        })?;
        for column in &self.values {
            next(&mut |c| {
                c.typed::<DoubleType>()
                    .write_batch(column, None, None)
                    .map(drop)
            })?;
        }
        group.close()?;
        self.replication.clear();
        self.seed.clear();
        self.values.iter_mut().for_each(Vec::clear);
        Ok(())
    }

    /// Writes what is left and the footer; gives back the output.
    pub fn finish(mut self) -> Result<W, ReplicationError> {
        self.flush()?;
        Ok(self.writer.into_inner()?)
    }
}
