//! Which records of a file repeat a key value of an earlier record, in memory that does not grow
//! with the file.
//!
//! Key fingerprints are held in memory up to a limit ([`SEEN_KEYS_IN_MEMORY_MAX`]). Files with
//! more keys than that switch, once, to a second pass: the rest of the file is read ahead, every
//! fingerprint (those held so far first, then the rest's in file order) goes to one of
//! [`SEEN_PARTITIONS`] files on disk by its value, and each file is resolved in memory on its
//! own: a fingerprint met again in its partition marks its record as a duplicate. The answer for
//! the rest is one bit per record.

use panorama_core::contact::KeyValue;
use panorama_core::{Error, Result};
use std::collections::HashSet;
use std::hash::{BuildHasherDefault, DefaultHasher, Hash, Hasher};
use std::io::{BufReader, BufWriter, Read, Write};

/// Key fingerprints held in memory before an import switches to resolving the rest of its file
/// on disk. The set is made this large at once: 1,800,000 is the most that 2^21 slots of 9 bytes
/// (19 MB) hold, one more would double it.
pub const SEEN_KEYS_IN_MEMORY_MAX: usize = 1_800_000;
/// Partition files of the on-disk pass: each is resolved alone, so its set holds about
/// 1/`SEEN_PARTITIONS` of the file's keys.
pub const SEEN_PARTITIONS: u64 = 64;

/// Stands for "held before the switch" in place of a record number in a partition file.
const EARLIER: u64 = u64::MAX;

/// A 64-bit fingerprint of a key value: memory holds one per key, not its text.
pub(crate) fn fingerprint(key: &KeyValue) -> u64 {
    let mut hasher = DefaultHasher::new();
    key.hash(&mut hasher);
    hasher.finish()
}

/// Fingerprints are hashes already: the set uses them as they are.
#[derive(Default)]
struct AsIs(u64);

impl Hasher for AsIs {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(*byte);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

type Fingerprints = HashSet<u64, BuildHasherDefault<AsIs>>;

/// The keys seen so far in one read of a file.
pub(crate) struct Seen {
    memory: Fingerprints,
    limit: usize,
    /// After the switch: the answer for every record from the first one not yet read.
    known: Option<Known>,
}

/// One bit per record from `from` on: whether it repeats a key of an earlier record.
struct Known {
    from: u64,
    bits: Vec<u64>,
}

impl Seen {
    /// Nothing seen yet; at most `limit` fingerprints held in memory.
    pub(crate) fn new(limit: usize) -> Self {
        // Made at its full size (pages are only touched as they fill): a set that grows by
        // doubling holds the old and the new table at once.
        let capacity = limit.min(SEEN_KEYS_IN_MEMORY_MAX);
        Self {
            memory: Fingerprints::with_capacity_and_hasher(capacity, Default::default()),
            limit,
            known: None,
        }
    }

    /// Whether record number `record` (counting valid records from 0), holding `keys`, repeats
    /// a key of an earlier record. Records are asked about in file order.
    pub(crate) fn repeats(&mut self, record: u64, keys: &[KeyValue]) -> bool {
        if let Some(known) = &self.known {
            let at = record.saturating_sub(known.from);
            let word = usize::try_from(at / 64).unwrap_or(usize::MAX);
            return known
                .bits
                .get(word)
                .is_some_and(|w| w >> (at % 64) & 1 == 1);
        }
        let mut repeats = false;
        for key in keys {
            repeats |= !self.memory.insert(fingerprint(key));
        }
        repeats
    }

    /// Whether memory is full and the rest of the file must be resolved on disk.
    pub(crate) fn must_switch(&self) -> bool {
        self.known.is_none() && self.memory.len() >= self.limit
    }

    /// Resolve every record from number `from` on, on disk. `rest` reads the rest of the file,
    /// handing the keys of each valid record, in order, to the function it is given.
    pub(crate) fn switch(
        &mut self,
        from: u64,
        rest: impl FnOnce(&mut dyn FnMut(&[KeyValue]) -> Result<()>) -> Result<()>,
    ) -> Result<()> {
        let folder = tempfile::tempdir().map_err(|e| disk("a temporary folder", &e))?;
        let paths: Vec<_> = (0..SEEN_PARTITIONS)
            .map(|n| folder.path().join(format!("keys-{n}")))
            .collect();
        let mut files = paths
            .iter()
            .map(|path| std::fs::File::create(path).map(BufWriter::new))
            .collect::<std::io::Result<Vec<_>>>()
            .map_err(|e| disk("a partition file", &e))?;
        let mut put = |fingerprint: u64, record: u64| -> Result<()> {
            let file = &mut files[partition(fingerprint)];
            file.write_all(&fingerprint.to_le_bytes())
                .and_then(|()| file.write_all(&record.to_le_bytes()))
                .map_err(|e| disk("a partition file", &e))
        };
        for fingerprint in std::mem::take(&mut self.memory) {
            put(fingerprint, EARLIER)?;
        }
        let mut record = from;
        rest(&mut |keys| {
            for key in keys {
                put(fingerprint(key), record)?;
            }
            record += 1;
            Ok(())
        })?;
        for file in &mut files {
            file.flush().map_err(|e| disk("a partition file", &e))?;
        }
        drop(files);
        let words = usize::try_from((record - from).div_ceil(64)).map_err(Error::internal)?;
        let mut known = Known {
            from,
            bits: vec![0; words],
        };
        for path in &paths {
            known.resolve(path)?;
        }
        self.known = Some(known);
        Ok(())
    }
}

impl Known {
    /// Mark the records of one partition file that meet a fingerprint a second time.
    fn resolve(&mut self, path: &std::path::Path) -> Result<()> {
        let file = std::fs::File::open(path).map_err(|e| disk("a partition file", &e))?;
        let mut reader = BufReader::new(file);
        let mut seen = Fingerprints::default();
        let mut entry = [0u8; 16];
        loop {
            match reader.read_exact(&mut entry) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => return Ok(()),
                Err(e) => return Err(disk("a partition file", &e)),
            }
            let (fingerprint, record) = entry.split_at(8);
            let fingerprint = u64::from_le_bytes(fingerprint.try_into().map_err(Error::internal)?);
            let record = u64::from_le_bytes(record.try_into().map_err(Error::internal)?);
            if !seen.insert(fingerprint) && record != EARLIER {
                let at = record - self.from;
                let word = usize::try_from(at / 64).map_err(Error::internal)?;
                if let Some(word) = self.bits.get_mut(word) {
                    *word |= 1 << (at % 64);
                }
            }
        }
    }
}

fn partition(fingerprint: u64) -> usize {
    // The high bits: the set inside a partition hashes by the whole value.
    usize::try_from((fingerprint >> 32) % SEEN_PARTITIONS).unwrap_or(0)
}

fn disk(what: &str, error: &std::io::Error) -> Error {
    Error::internal(format!(
        "finding repeated keys on disk: cannot use {what}: {error}"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(n: u64) -> KeyValue {
        KeyValue {
            attribute: "email".to_owned(),
            value: format!("k{n}@example.com"),
        }
    }

    /// Records of one key each; the answers of a set that never switches and of one that
    /// switches after `held` records must agree.
    fn answers(keys: &[u64], limit: usize) -> Vec<bool> {
        let mut seen = Seen::new(limit);
        let mut answers = Vec::new();
        let mut record = 0;
        while record < keys.len() {
            if seen.must_switch() {
                let rest: Vec<KeyValue> = keys[record..].iter().map(|n| key(*n)).collect();
                seen.switch(record as u64, |each| {
                    rest.iter().try_for_each(|k| each(std::slice::from_ref(k)))
                })
                .expect("the on-disk pass");
            }
            answers.push(seen.repeats(record as u64, &[key(keys[record])]));
            record += 1;
        }
        answers
    }

    #[test]
    fn the_disk_pass_finds_the_same_repeats_as_memory() {
        // Repeats before, across and after the switch, and one far apart.
        let keys: Vec<u64> = (0..500)
            .chain([3, 250, 499, 600, 600, 7])
            .chain(600..900)
            .chain([899, 0])
            .collect();
        let in_memory = answers(&keys, usize::MAX);
        assert_eq!(in_memory.iter().filter(|r| **r).count(), 8);
        for limit in [1, 10, 250, 499] {
            assert_eq!(answers(&keys, limit), in_memory, "switching at {limit}");
        }
    }

    #[test]
    fn a_record_repeats_when_any_of_its_keys_was_seen() {
        let mut seen = Seen::new(usize::MAX);
        assert!(!seen.repeats(0, &[key(1), key(2)]));
        assert!(!seen.repeats(1, &[key(3)]));
        assert!(seen.repeats(2, &[key(4), key(2)]));
        assert!(!seen.repeats(3, &[key(5)]));
    }
}
