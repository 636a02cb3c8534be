//! The sweep's result table, one row per point, and its two renderings:
//! CSV and Parquet. Both carry the same columns in the same order: `point`,
//! one column per varied path, then `METRIC.STAT` for every metric and
//! every statistic in [`COLUMNS`]. A statistic that is not finite (the
//! interval of a one-replication point, say) is an empty CSV cell and a
//! Parquet null.
//!
//! The Parquet file is one row group, uncompressed, with plain encodings,
//! so any reader (pandas, polars, DuckDB, Spark) opens it. A varied column
//! is `INT64` when every value is an integer, `DOUBLE` when every value is a
//! number, and a UTF-8 string otherwise.

use std::collections::BTreeSet;
use std::sync::Arc;

use parquet::basic::{LogicalType, Repetition, Type as Physical};
use parquet::data_type::{ByteArray, ByteArrayType, DoubleType, Int64Type};
use parquet::errors::ParquetError;
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::types::Type;

use crate::grid::{Manifest, PointResult};
use crate::stats::Estimate;

/// The statistics written per metric, in column order.
pub const COLUMNS: [&str; 7] = ["mean", "sd", "ci95_low", "ci95_high", "p5", "p50", "p95"];

fn statistic(e: &Estimate, c: &str) -> f64 {
    match c {
        "mean" => e.mean,
        "sd" => e.sd,
        "ci95_low" => e.ci95_low,
        "ci95_high" => e.ci95_high,
        "p5" => e.p5,
        "p50" => e.p50,
        _ => e.p95,
    }
}

/// A column of varied values, typed by what the values are.
enum Varied {
    Integer(Vec<i64>),
    Number(Vec<f64>),
    Text(Vec<ByteArray>),
}

impl Varied {
    fn of(values: &[String]) -> Varied {
        if let Ok(v) = values.iter().map(|s| s.parse::<i64>()).collect() {
            return Varied::Integer(v);
        }
        match values.iter().map(|s| s.parse::<f64>()).collect() {
            Ok(v) => Varied::Number(v),
            Err(_) => Varied::Text(values.iter().map(|s| ByteArray::from(s.as_str())).collect()),
        }
    }

    fn physical(&self) -> Physical {
        match self {
            Varied::Integer(_) => Physical::INT64,
            Varied::Number(_) => Physical::DOUBLE,
            Varied::Text(_) => Physical::BYTE_ARRAY,
        }
    }
}

/// The result table of a sweep, column by column.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub points: Vec<i64>,
    /// The varied paths with their values (as written), per point.
    pub varied: Vec<(String, Vec<String>)>,
    /// `METRIC.STAT` with its values, per point (`None`: missing or not finite).
    pub stats: Vec<(String, Vec<Option<f64>>)>,
}

impl Table {
    pub fn new(manifest: &Manifest, results: &[PointResult]) -> Table {
        let metrics: BTreeSet<&str> = results
            .iter()
            .flat_map(|r| r.metrics.keys().map(String::as_str))
            .collect();
        let points = results
            .iter()
            .map(|r| i64::try_from(r.point).unwrap_or(i64::MAX))
            .collect();
        let varied = manifest
            .vary
            .iter()
            .enumerate()
            .map(|(k, v)| {
                let values = results.iter().map(|r| r.values[k].clone()).collect();
                (v.path.clone(), values)
            })
            .collect();
        let mut stats = Vec::new();
        for m in &metrics {
            for c in COLUMNS {
                let values = results
                    .iter()
                    .map(|r| {
                        r.metrics
                            .get(*m)
                            .map(|e| statistic(e, c))
                            .filter(|x| x.is_finite())
                    })
                    .collect();
                stats.push((format!("{m}.{c}"), values));
            }
        }
        Table {
            points,
            varied,
            stats,
        }
    }

    pub fn rows(&self) -> usize {
        self.points.len()
    }

    /// The table as CSV (RFC 4180 quoting; the raw text of varied values).
    pub fn csv(&self) -> String {
        let mut out = String::from("point");
        for (name, _) in &self.varied {
            out.push(',');
            out.push_str(&csv_field(name));
        }
        for (name, _) in &self.stats {
            out.push(',');
            out.push_str(&csv_field(name));
        }
        out.push('\n');
        for row in 0..self.rows() {
            out.push_str(&self.points[row].to_string());
            for (_, column) in &self.varied {
                out.push(',');
                out.push_str(&csv_field(&column[row]));
            }
            for (_, column) in &self.stats {
                out.push(',');
                if let Some(x) = column[row] {
                    out.push_str(&x.to_string());
                }
            }
            out.push('\n');
        }
        out
    }

    /// The table as a Parquet file.
    pub fn parquet(&self) -> Result<Vec<u8>, ParquetError> {
        let column = |name: &str, physical: Physical, repetition: Repetition| {
            let mut b = Type::primitive_type_builder(name, physical).with_repetition(repetition);
            if physical == Physical::BYTE_ARRAY {
                b = b.with_logical_type(Some(LogicalType::String));
            }
            b.build().map(Arc::new)
        };
        let mut fields = vec![column("point", Physical::INT64, Repetition::REQUIRED)?];
        let varied: Vec<Varied> = self.varied.iter().map(|(_, v)| Varied::of(v)).collect();
        for ((name, _), values) in self.varied.iter().zip(&varied) {
            fields.push(column(name, values.physical(), Repetition::REQUIRED)?);
        }
        for (name, _) in &self.stats {
            fields.push(column(name, Physical::DOUBLE, Repetition::OPTIONAL)?);
        }
        let mut bytes = Vec::new();
        let mut writer = file_writer(&mut bytes, "sweep", fields)?;
        let mut group = writer.next_row_group()?;
        let mut write = |f: &mut dyn FnMut(
            &mut parquet::file::writer::SerializedColumnWriter<'_>,
        ) -> Result<(), ParquetError>| next_column(&mut group, f);
        write(&mut |c| {
            c.typed::<Int64Type>()
                .write_batch(&self.points, None, None)
                .map(drop)
        })?;
        for values in &varied {
            write(&mut |c| match values {
                Varied::Integer(v) => c.typed::<Int64Type>().write_batch(v, None, None).map(drop),
                Varied::Number(v) => c.typed::<DoubleType>().write_batch(v, None, None).map(drop),
                Varied::Text(v) => c
                    .typed::<ByteArrayType>()
                    .write_batch(v, None, None)
                    .map(drop),
            })?;
        }
        for (_, values) in &self.stats {
            let present: Vec<f64> = values.iter().flatten().copied().collect();
            let levels: Vec<i16> = values.iter().map(|v| i16::from(v.is_some())).collect();
            write(&mut |c| {
                c.typed::<DoubleType>()
                    .write_batch(&present, Some(&levels), None)
                    .map(drop)
            })?;
        }
        group.close()?;
        writer.close()?;
        Ok(bytes)
    }
}

/// A Parquet writer into `out` of a message `name` with `fields`: every
/// file Rampart writes says so (`created_by`), and nothing else is set
/// (uncompressed, plain encodings), so any reader opens it.
pub(crate) fn file_writer<W: std::io::Write + Send>(
    out: W,
    name: &str,
    fields: Vec<Arc<Type>>,
) -> Result<SerializedFileWriter<W>, ParquetError> {
    let schema = Arc::new(Type::group_type_builder(name).with_fields(fields).build()?);
    let properties = Arc::new(
        WriterProperties::builder()
            .set_created_by(format!("rampart {}", env!("CARGO_PKG_VERSION")))
            .build(),
    );
    SerializedFileWriter::new(out, schema, properties)
}

/// Writes the next column of a row group with `f`: an error if the schema
/// has no column left.
pub(crate) fn next_column<W: std::io::Write + Send>(
    group: &mut parquet::file::writer::SerializedRowGroupWriter<'_, W>,
    f: &mut dyn FnMut(
        &mut parquet::file::writer::SerializedColumnWriter<'_>,
    ) -> Result<(), ParquetError>,
) -> Result<(), ParquetError> {
    let Some(mut col) = group.next_column()? else {
        return Err(ParquetError::General("more columns than the schema".into()));
    };
    f(&mut col)?;
    col.close()
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}
