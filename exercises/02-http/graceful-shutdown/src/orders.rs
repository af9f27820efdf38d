//! Orders, written to disk in batches. Given.
//!
//! `add` keeps an order in memory; `flush` appends the pending ones to
//! `orders.txt` in the data directory. A flusher task calls it every few
//! seconds, the way log shippers, metrics clients and analytics SDKs batch
//! their writes. Whatever is pending when the process dies is lost: a
//! graceful shutdown flushes one last time.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};

use tokio::io::AsyncWriteExt;

#[derive(Debug)]
pub struct Orders {
    file: PathBuf,
    pending: Mutex<Vec<String>>,
}

impl Orders {
    /// The orders kept in `dir`.
    pub fn new(dir: &Path) -> Orders {
        Orders {
            file: dir.join("orders.txt"),
            pending: Mutex::new(Vec::new()),
        }
    }

    /// Takes an order (one line of text); it reaches the disk at the next
    /// flush.
    pub fn add(&self, order: &str) {
        self.lock().push(order.replace(['\r', '\n'], " "));
    }

    /// Every order: those on disk, then those still pending.
    pub async fn all(&self) -> io::Result<Vec<String>> {
        let on_disk = match tokio::fs::read_to_string(&self.file).await {
            Ok(text) => text,
            Err(error) if error.kind() == io::ErrorKind::NotFound => String::new(),
            Err(error) => return Err(error),
        };
        let mut all: Vec<String> = on_disk.lines().map(str::to_string).collect();
        all.extend(self.lock().iter().cloned());
        Ok(all)
    }

    /// Appends the pending orders to the file, and waits until they are on
    /// the disk.
    pub async fn flush(&self) -> io::Result<()> {
        let batch: Vec<String> = std::mem::take(&mut *self.lock());
        if batch.is_empty() {
            return Ok(());
        }
        let mut text = batch.join("\n");
        text.push('\n');
        let written = async {
            let mut file = tokio::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(&self.file)
                .await?;
            file.write_all(text.as_bytes()).await?;
            file.sync_data().await
        };
        if let Err(error) = written.await {
            // Keep the batch for the next try, in front of newer orders.
            self.lock().splice(0..0, batch);
            return Err(error);
        }
        Ok(())
    }

    fn lock(&self) -> MutexGuard<'_, Vec<String>> {
        self.pending.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
