//! Merges on the demo: a few people the company first knew by their mobile later followed the
//! official account, which made a second, WeChat-only contact; a write naming both keys (as a
//! member binding their card in WeChat would) merges them, leaving `user_merged` events and merge
//! records that the contact page can undo.

use super::DemoGenerator;
use super::keys::mix64;
use panorama_core::Store;
use panorama_core::contact::{Contact, ContactRecord, UpsertAction, WriteContext, now_micros};
use panorama_core::metadata::Schema;
use panorama_core::value::ParseOptions;
use serde_json::{Map, Value};

/// The first index of the duplicates' WeChat ids, past any demo's contacts, so a later demo with
/// more contacts never hands one of them the same openid.
pub const DUPLICATE_INDEX_BASE: u64 = 1 << 40;

/// How many merges a demo of `contacts` contacts shows: one per thousand, at least two and at
/// most twenty; none below twenty contacts.
pub fn merge_count(contacts: u64) -> u64 {
    if contacts < 20 {
        0
    } else {
        (contacts / 1_000).clamp(2, 20)
    }
}

/// The contacts the duplicates belong to: distinct indices below `contacts` of named people with
/// a mobile and no WeChat id, so the duplicate's values add to theirs and replace none.
pub fn survivors(generator: &mut DemoGenerator, seed: u64, contacts: u64) -> Vec<u64> {
    let mut chosen = Vec::new();
    for number in 0..merge_count(contacts) {
        let start = mix64(seed ^ mix64(number ^ 0x00e7_9e00)) % contacts;
        let found = (0..contacts)
            .map(|step| (start + step) % contacts)
            .find(|index| {
                let map = generator.contact(*index);
                !chosen.contains(index)
                    && map.contains_key("mobile")
                    && map.contains_key("name")
                    && !map.contains_key("wechat_openid")
            });
        chosen.extend(found);
    }
    chosen
}

/// Write one WeChat-only duplicate per survivor (created between the survivor's arrival and now,
/// with its own WeChat history), then merge each into its survivor.
pub async fn write(
    store: &dyn Store,
    schema: &Schema,
    generator: &mut DemoGenerator,
    seed: u64,
    survivors: &[Contact],
    now: jiff::Timestamp,
) -> anyhow::Result<()> {
    if survivors.is_empty() {
        return Ok(());
    }
    let maps: Vec<Map<String, Value>> = (0..survivors.len() as u64)
        .map(|number| generator.duplicate(number))
        .collect();
    let mut records = Vec::new();
    for (map, survivor) in maps.iter().zip(survivors) {
        let mut record = ContactRecord::from_json(schema, map, ParseOptions::default())?;
        // The duplicate arrives two thirds of the way from the survivor's arrival to now.
        let lived = now.duration_since(survivor.created_at);
        record.created_at = Some(survivor.created_at + lived.mul_f64(2.0 / 3.0));
        records.push(record);
    }
    let context = WriteContext {
        source: "demo".into(),
        at: now,
        fast: false,
    };
    let outcomes = store.upsert_contacts(&records, &context).await?;
    let ids: Vec<_> = outcomes.iter().map(|o| o.contact.contact_id).collect();
    let since: Vec<_> = outcomes
        .iter()
        .map(|o| super::events::first_event_after(o.contact.created_at))
        .collect();
    super::events::write(store, seed, DUPLICATE_INDEX_BASE, &maps, &ids, &since, now).await?;
    // The merging writes come last, after every other write of the demo, so nothing changes
    // either contact after its merge and each can be undone.
    let mut merging = Vec::new();
    for (map, survivor) in maps.iter().zip(survivors) {
        let mut both = Map::new();
        let mobile = survivor.attributes.get("mobile").cloned();
        both.insert("mobile".into(), mobile.unwrap_or(Value::Null));
        both.insert(
            "wechat_openid".into(),
            map.get("wechat_openid").cloned().unwrap_or(Value::Null),
        );
        merging.push(ContactRecord::from_json(
            schema,
            &both,
            ParseOptions::default(),
        )?);
    }
    let context = WriteContext {
        at: now_micros().max(now + jiff::SignedDuration::from_micros(1)),
        ..context
    };
    for outcome in store.upsert_contacts(&merging, &context).await? {
        // A second fill finds both keys on one contact already.
        anyhow::ensure!(
            matches!(
                outcome.action,
                UpsertAction::Merged | UpsertAction::Unchanged
            ),
            "a demo merge did not merge: {:?}",
            outcome.action
        );
    }
    Ok(())
}
