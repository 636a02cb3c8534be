//! Progress of long work on stderr: a bar with rate and ETA on a
//! terminal; otherwise (a log, a cluster job) a plain line every few
//! seconds; nothing with `--quiet`.

use rampart_study::Progress;

use crate::args::ShowProgress;

/// Progress on stderr: a bar with rate and ETA on a terminal; otherwise (a
/// log, a cluster job) a plain line every few seconds.
pub struct Bar {
    pub(crate) bar: indicatif::ProgressBar,
    plain: Option<Plain>,
}

/// The plain-line progress of work that is not on a terminal.
struct Plain {
    what: String,
    total: std::sync::atomic::AtomicU64,
    done: std::sync::atomic::AtomicU64,
    start: std::time::Instant,
    last: std::sync::Mutex<std::time::Instant>,
}

/// Seconds between two plain progress lines.
const PLAIN_EVERY: std::time::Duration = std::time::Duration::from_secs(5);

/// A rate for people: `86.6/s`, `1,234/s`.
pub fn rate(per_sec: f64) -> String {
    if !per_sec.is_finite() || per_sec < 0.0 {
        "-".to_string()
    } else if per_sec < 100.0 {
        format!("{per_sec:.1}/s")
    } else {
        format!("{}/s", rampart_report::html::thousands(per_sec, 0))
    }
}

impl Bar {
    pub fn new(total: u64, what: &str, show: ShowProgress) -> Bar {
        use std::io::IsTerminal;
        let target = match show {
            ShowProgress::Shown => indicatif::ProgressDrawTarget::stderr(),
            ShowProgress::Hidden => indicatif::ProgressDrawTarget::hidden(),
        };
        let bar = indicatif::ProgressBar::with_draw_target(Some(total), target);
        if let Ok(style) =
            indicatif::ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} {rate} ETA {eta}")
        {
            let style = style.with_key(
                "rate",
                |state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                    let _ = w.write_str(&rate(state.per_sec()));
                },
            );
            bar.set_style(style.progress_chars("=> "));
        }
        bar.set_message(what.to_string());
        let now = std::time::Instant::now();
        let plain =
            (show == ShowProgress::Shown && !std::io::stderr().is_terminal()).then(|| Plain {
                what: what.to_string(),
                total: total.into(),
                done: 0.into(),
                start: now,
                last: std::sync::Mutex::new(now),
            });
        Bar { bar, plain }
    }
    pub(crate) fn length(&self, total: u64) {
        self.bar.set_length(total);
        if let Some(p) = &self.plain {
            p.total.store(total, std::sync::atomic::Ordering::Relaxed);
        }
    }
}

impl Plain {
    /// Counts `done` more; the line to print if one is due (every
    /// `PLAIN_EVERY`, from one thread at a time).
    fn advance(&self, done: u64) -> Option<String> {
        let done = self
            .done
            .fetch_add(done, std::sync::atomic::Ordering::Relaxed)
            + done;
        let mut last = self.last.try_lock().ok()?;
        if last.elapsed() < PLAIN_EVERY {
            return None;
        }
        *last = std::time::Instant::now();
        let total = self.total.load(std::sync::atomic::Ordering::Relaxed).max(1);
        let secs = self.start.elapsed().as_secs_f64();
        Some(format!(
            "{}: {done} of {total} ({:.0}%), {:.0} s, {}, about {:.0} s to go",
            self.what,
            100.0 * done as f64 / total as f64,
            secs,
            rate(done as f64 / secs),
            secs * (total.saturating_sub(done)) as f64 / done.max(1) as f64
        ))
    }
}

impl Progress for Bar {
    fn advance(&self, done: u64) {
        self.bar.inc(done);
        if let Some(line) = self.plain.as_ref().and_then(|p| p.advance(done)) {
            eprintln!("{line}");
        }
    }
}

impl Drop for Bar {
    fn drop(&mut self) {
        self.bar.finish_and_clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_read_as_people_write_them() {
        assert_eq!(rate(86.6046), "86.6/s");
        assert_eq!(rate(0.0), "0.0/s");
        assert_eq!(rate(1234.6), "1,235/s");
        assert_eq!(rate(f64::INFINITY), "-");
        assert_eq!(rate(f64::NAN), "-");
    }

    /// A plain line every few seconds, with its rate; none before then.
    #[test]
    fn plain_progress_prints_a_line_when_due() {
        let start = std::time::Instant::now() - std::time::Duration::from_secs(10);
        let p = Plain {
            what: "replications".into(),
            total: 200.into(),
            done: 0.into(),
            start,
            last: std::sync::Mutex::new(start),
        };
        let line = p.advance(50).expect("due: the last line was 10 s ago");
        assert!(
            line.starts_with("replications: 50 of 200 (25%), 10 s, 5.0/s"),
            "{line}"
        );
        assert!(line.ends_with("about 30 s to go"), "{line}");
        assert_eq!(p.advance(50), None, "not due again so soon");
    }

    /// `--quiet` draws nothing and prints no plain lines.
    #[test]
    fn quiet_hides_every_kind_of_progress() {
        let bar = Bar::new(10, "replications", ShowProgress::Hidden);
        assert!(bar.plain.is_none());
        assert!(bar.bar.is_hidden());
        assert_eq!(ShowProgress::from_quiet(true), ShowProgress::Hidden);
        assert_eq!(ShowProgress::from_quiet(false), ShowProgress::Shown);
    }
}
