//! The in-memory index: one slot per contact (id, times, categories), the searchable text of every
//! slot by chunk and field with the postings of its grams, and the sort keys of the attributes
//! lists were sorted by.

use super::grams::Grams;
use super::text::{CHUNK_SLOTS, FieldText};
use panorama_core::contact::{SortValue, search_text};
use panorama_core::metadata::AttributeDef;
use serde_json::Value as Json;
use std::collections::{BTreeMap, HashMap};
use uuid::Uuid;

/// What the index keeps of one contact.
#[derive(Debug, Clone, Copy)]
pub struct Slot {
    /// The contact's id.
    pub id: Uuid,
    /// Creation time, microseconds since the epoch.
    pub created_at: i64,
    /// Last update time, microseconds since the epoch.
    pub updated_at: i64,
    /// In the real-name category.
    pub real_name: bool,
    /// In the WeChat-fan category.
    pub wechat_fan: bool,
    /// False once deleted; the slot stays (empty) until the next full build.
    pub live: bool,
}

/// A contact as read from the database for the index.
#[derive(Debug)]
pub struct Entry {
    /// Its slot (`live` true).
    pub slot: Slot,
    /// Its stored attribute values.
    pub attributes: BTreeMap<String, Json>,
}

/// A contacts row as a store reads it for the index: id, attributes as JSON text, real-name and
/// WeChat-fan flags, creation and update times in microseconds.
pub type EntryRow = (Uuid, String, bool, bool, i64, i64);

impl Entry {
    /// Decode a row read from a store.
    pub fn decode(row: EntryRow) -> panorama_core::Result<Self> {
        let (id, attributes, real_name, wechat_fan, created_at, updated_at) = row;
        let attributes = serde_json::from_str(&attributes).map_err(|e| {
            panorama_core::Error::internal(format!("attributes of contact {id}: {e}"))
        })?;
        Ok(Self {
            slot: Slot {
                id,
                created_at,
                updated_at,
                real_name,
                wechat_fan,
                live: true,
            },
            attributes,
        })
    }
}

/// Recent applies whose touched slots are kept for patching cached orders.
const TOUCHED_APPLIES_MAX: usize = 64;
/// Touched slots kept in all; past this, a cached order is sorted again rather than patched.
const TOUCHED_SLOTS_MAX: usize = 100_000;

/// A fresh generation number, unique in the process.
fn next_generation() -> u64 {
    static GENERATIONS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    GENERATIONS.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

/// One text per searchable field, in field order.
type Texts = Vec<Vec<u8>>;

/// What an apply does to one chunk.
#[derive(Default)]
struct ChunkPlan {
    /// Local slots whose texts are replaced.
    replaced: Vec<(usize, Texts)>,
    /// Texts of slots appended to the chunk, in slot order.
    appended: Vec<Texts>,
}

/// The index proper. Readers share it; the sync applies changes under the write lock.
#[derive(Debug, Default)]
pub(crate) struct Index {
    /// The searchable attributes, in schema order; a change of this list means a full build.
    pub(crate) fields: Vec<AttributeDef>,
    pub(crate) slots: Vec<Slot>,
    by_id: HashMap<Uuid, u32>,
    /// `chunks[c][f]`: field `f` of slots `c * CHUNK_SLOTS ..`.
    pub(crate) chunks: Vec<Vec<FieldText>>,
    /// Which slots hold each one- and two-character gram, per field: kept with `chunks`.
    pub(crate) grams: Grams,
    /// The last change-feed sequence number applied.
    pub(crate) cursor: i64,
    /// A number no other state of any index had, taken at every applied change, so a cached
    /// order knows when it is stale (even across a full build, which makes a new index).
    pub(crate) generation: u64,
    /// The slots each recent apply touched, by generation, so a cached order can be patched
    /// rather than sorted again (oldest first; bounded).
    pub(crate) touched: std::collections::VecDeque<(u64, Vec<u32>)>,
    /// The generation just before the oldest remembered apply: orders from older generations
    /// cannot be patched.
    pub(crate) touched_floor: u64,
    /// Sort keys by attribute, loaded the first time a list is sorted by it.
    /// With each: its definition and when it was loaded (a generation number, for eviction).
    pub(crate) sort_columns: HashMap<String, (AttributeDef, Vec<SortValue>, u64)>,
}

impl Index {
    /// An empty index for `fields` whose state is the change feed up to `cursor`.
    pub(crate) fn new(fields: Vec<AttributeDef>, cursor: i64) -> Self {
        let generation = next_generation();
        Self {
            grams: Grams::new(fields.len()),
            fields,
            cursor,
            generation,
            touched_floor: generation,
            ..Self::default()
        }
    }

    /// The slot of a contact.
    pub(crate) fn slot_of(&self, id: &Uuid) -> Option<u32> {
        self.by_id.get(id).copied()
    }

    fn texts(&self, attributes: &BTreeMap<String, Json>) -> Texts {
        self.fields
            .iter()
            .map(|def| {
                attributes
                    .get(def.name.as_str())
                    .and_then(|value| search_text(def, value))
                    .map(String::into_bytes)
                    .unwrap_or_default()
            })
            .collect()
    }

    /// Apply the contacts `changed` (ids, in feed order, repeats allowed) as `loaded` now has
    /// them; a changed id missing from `loaded` was deleted.
    pub(crate) fn apply(&mut self, changed: &[Uuid], loaded: Vec<Entry>) {
        let mut loaded: HashMap<Uuid, Entry> = loaded.into_iter().map(|e| (e.slot.id, e)).collect();
        // Per chunk: replaced local slots, and texts of slots appended to it.
        let mut plans: BTreeMap<usize, ChunkPlan> = BTreeMap::new();
        let mut seen = std::collections::HashSet::with_capacity(changed.len());
        let empty = vec![Vec::new(); self.fields.len()];
        let mut touched: Vec<u32> = Vec::new();
        for id in changed {
            if !seen.insert(*id) {
                continue;
            }
            let entry = loaded.remove(id);
            let texts = entry
                .as_ref()
                .map_or_else(|| empty.clone(), |e| self.texts(&e.attributes));
            let slot = match (self.by_id.get(id).copied(), &entry) {
                (Some(slot), Some(entry)) => {
                    self.slots[slot as usize] = entry.slot;
                    slot
                }
                (Some(slot), None) => {
                    self.slots[slot as usize].live = false;
                    self.by_id.remove(id);
                    slot
                }
                (None, Some(entry)) => {
                    let slot = self.slots.len();
                    touched.push(u32::try_from(slot).unwrap_or(u32::MAX));
                    self.slots.push(entry.slot);
                    self.by_id
                        .insert(*id, u32::try_from(slot).unwrap_or(u32::MAX));
                    for (def, column, _) in self.sort_columns.values_mut() {
                        column.push(sort_value(def, &entry.attributes));
                    }
                    plans
                        .entry(slot / CHUNK_SLOTS)
                        .or_default()
                        .appended
                        .push(texts);
                    continue;
                }
                (None, None) => continue,
            };
            touched.push(slot);
            for (def, column, _) in self.sort_columns.values_mut() {
                column[slot as usize] = entry
                    .as_ref()
                    .map_or(SortValue::Empty, |e| sort_value(def, &e.attributes));
            }
            let slot = slot as usize;
            plans
                .entry(slot / CHUNK_SLOTS)
                .or_default()
                .replaced
                .push((slot % CHUNK_SLOTS, texts));
        }
        for (chunk, plan) in plans {
            let ChunkPlan {
                mut replaced,
                appended,
            } = plan;
            replaced.sort_by_key(|(local, _)| *local);
            while self.chunks.len() <= chunk {
                self.chunks
                    .push(vec![FieldText::default(); self.fields.len()]);
            }
            let base = chunk * CHUNK_SLOTS;
            for (f, field) in self.chunks[chunk].iter_mut().enumerate() {
                for (local, texts) in &replaced {
                    let (old, new) = (field.entry(*local), texts[f].as_slice());
                    if old != new {
                        let slot = slot_number(base + local);
                        self.grams.remove(f, slot, old);
                        self.grams.add(f, slot, new);
                    }
                }
                for (i, texts) in appended.iter().enumerate() {
                    self.grams
                        .add(f, slot_number(base + field.len() + i), &texts[f]);
                }
                let changes: Vec<(usize, &[u8])> = replaced
                    .iter()
                    .map(|(local, texts)| (*local, texts[f].as_slice()))
                    .collect();
                let added: Vec<&[u8]> = appended.iter().map(|texts| texts[f].as_slice()).collect();
                *field = field.rebuilt(&changes, &added);
            }
        }
        self.generation = next_generation();
        self.touched.push_back((self.generation, touched));
        while self.touched.len() > TOUCHED_APPLIES_MAX
            || self.touched.iter().map(|(_, t)| t.len()).sum::<usize>() > TOUCHED_SLOTS_MAX
        {
            if let Some((generation, _)) = self.touched.pop_front() {
                self.touched_floor = generation;
            }
        }
    }

    /// Install the sort keys of `def` read from the database (`values` by contact id), keeping at
    /// most `columns_max` columns (the oldest loaded goes). Orders cached before are stale.
    pub(crate) fn set_sort_column(
        &mut self,
        def: AttributeDef,
        values: HashMap<Uuid, Json>,
        columns_max: usize,
    ) {
        while self.sort_columns.len() >= columns_max.max(1) {
            let oldest = self
                .sort_columns
                .iter()
                .min_by_key(|(_, (_, _, loaded))| *loaded)
                .map(|(name, _)| name.clone());
            match oldest {
                Some(name) => self.sort_columns.remove(&name),
                None => break,
            };
        }
        let column = self
            .slots
            .iter()
            .map(|slot| match values.get(&slot.id) {
                Some(value) if slot.live => SortValue::of(&def, value),
                _ => SortValue::Empty,
            })
            .collect();
        self.sort_columns.insert(
            def.name.as_str().to_owned(),
            (def, column, next_generation()),
        );
        // A changed key column invalidates cached orders; they cannot be patched across it.
        self.generation = next_generation();
        self.touched.clear();
        self.touched_floor = self.generation;
    }

    /// Live contacts.
    pub(crate) fn live(&self) -> usize {
        self.by_id.len()
    }

    /// Bytes held by texts, for memory reports.
    pub(crate) fn text_bytes(&self) -> usize {
        self.chunks.iter().flatten().map(FieldText::bytes).sum()
    }

    /// Bytes held by the gram postings, for memory reports.
    pub(crate) fn gram_bytes(&self) -> usize {
        self.grams.bytes()
    }
}

/// A slot's number: slots are counted in `u32` (4 billion contacts is past any one store).
fn slot_number(slot: usize) -> u32 {
    u32::try_from(slot).unwrap_or(u32::MAX)
}

fn sort_value(def: &AttributeDef, attributes: &BTreeMap<String, Json>) -> SortValue {
    attributes
        .get(def.name.as_str())
        .map_or(SortValue::Empty, |value| SortValue::of(def, value))
}
