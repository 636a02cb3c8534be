//! General file IO for every crate that writes results: whole files or
//! nothing, and a digest that no library version can change.

use std::path::Path;

/// FNV-1a, 64 bits, of `bytes`.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// The temporary file beside `path` that becomes `path` by a rename.
fn temp_beside(path: &Path) -> std::io::Result<std::path::PathBuf> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let Some(name) = path.file_name().map(|n| n.to_string_lossy().into_owned()) else {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "not a file path",
        ));
    };
    Ok(dir.join(format!(".{name}.tmp-{}", std::process::id())))
}

/// Writes `bytes` to `path` whole or not at all: a temporary file beside it, then a rename.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let tmp = temp_beside(path)?;
    let written = std::fs::File::create(&tmp).and_then(|mut f| {
        use std::io::Write;
        f.write_all(bytes)?;
        f.sync_all()
    });
    let renamed = written.and_then(|()| std::fs::rename(&tmp, path));
    if renamed.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    renamed
}

/// A file written whole or not at all, as [`write_atomic`] does, for a
/// writer that streams: the bytes go to a temporary file beside `path`,
/// which [`AtomicFile::commit`] renames to `path`. Dropped uncommitted
/// (an error, an interruption), it removes the temporary file.
#[derive(Debug)]
pub struct AtomicFile {
    tmp: std::path::PathBuf,
    path: std::path::PathBuf,
    file: Option<std::io::BufWriter<std::fs::File>>,
}

impl AtomicFile {
    /// Starts writing `path`. The temporary files that earlier writers of
    /// `path` left behind when they were killed (Ctrl-C on the command
    /// line gives no time to clean up) are removed first.
    pub fn create(path: &Path) -> std::io::Result<AtomicFile> {
        let tmp = temp_beside(path)?;
        if let (Some(dir), Some(name)) = (tmp.parent(), path.file_name()) {
            let prefix = format!(".{}.tmp-", name.to_string_lossy());
            for entry in std::fs::read_dir(dir)?.flatten() {
                if entry.file_name().to_string_lossy().starts_with(&prefix) {
                    let _ = std::fs::remove_file(entry.path());
                }
            }
        }
        let file = std::io::BufWriter::new(std::fs::File::create(&tmp)?);
        Ok(AtomicFile {
            tmp,
            path: path.to_path_buf(),
            file: Some(file),
        })
    }

    /// Flushes, syncs and renames the file into place.
    pub fn commit(mut self) -> std::io::Result<()> {
        let Some(file) = self.file.take() else {
            return Ok(());
        };
        let file = file
            .into_inner()
            .map_err(std::io::IntoInnerError::into_error)?;
        file.sync_all()?;
        std::fs::rename(&self.tmp, &self.path)
    }
}

impl std::io::Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match &mut self.file {
            Some(f) => f.write(buf),
            None => Err(std::io::Error::other("already committed")),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match &mut self.file {
            Some(f) => f.flush(),
            None => Ok(()),
        }
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if self.file.take().is_some() {
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}
