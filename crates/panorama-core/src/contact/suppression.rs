//! The suppression list: consent that outlives a deleted contact.
//!
//! Deleting a contact that had a channel off leaves, per key value it held, the SHA-256 of that
//! value in its matching form (the form of the `contact_keys` table, prefixed by the attribute
//! name) with the channels that were off, and nothing else. A later write that gives a contact a
//! key value it did not hold before (a create, or a new key on an existing contact) turns those
//! channels off, recorded by a `subscription_change` event whose source is
//! [`SUPPRESSION_SOURCE`]. Only a key value the contact gains counts: a contact that already held
//! it has had its say since (an explicit opt-in is not undone by a later unrelated write).

use super::{Channel, KeyValue, Subscription, UpsertPlan, WriteContext, subscription_event};
use crate::error::{Error, Result};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write;

/// The source recorded on a channel turned off because its key value is on the suppression list.
pub const SUPPRESSION_SOURCE: &str = "suppression_list";

/// The SHA-256 of one key value in its matching form, as 64 lower-case hex digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct KeyHash(String);

impl KeyHash {
    /// The hash of `key`: `attribute:value`. Machine names hold no `:`, so values of different
    /// attributes never hash the same text.
    pub fn of(key: &KeyValue) -> Self {
        let digest = Sha256::digest(format!("{}:{}", key.attribute, key.value).as_bytes());
        let text = digest
            .iter()
            .fold(String::with_capacity(64), |mut out, byte| {
                let _ = write!(out, "{byte:02x}");
                out
            });
        Self(text)
    }

    /// A hash read back from a store.
    pub fn parse(input: &str) -> Result<Self> {
        if input.len() == 64
            && input
                .bytes()
                .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
        {
            Ok(Self(input.to_owned()))
        } else {
            Err(Error::internal(format!("not a key hash: {input:?}")))
        }
    }

    /// The hex text, as stored.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The distinct hashes of `keys`, sorted: what a store looks up.
pub fn key_hashes<'k>(keys: impl Iterator<Item = &'k KeyValue>) -> Vec<KeyHash> {
    let mut hashes: Vec<KeyHash> = keys.map(KeyHash::of).collect();
    hashes.sort_unstable();
    hashes.dedup();
    hashes
}

/// Which channels a suppression entry keeps off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Suppressed {
    /// Global was off.
    pub global: bool,
    /// Email was off.
    pub email: bool,
    /// Mobile was off.
    pub mobile: bool,
}

impl Suppressed {
    /// The channels off in a contact's stored flags (`subscribed` per channel).
    pub fn from_subscribed(global: bool, email: bool, mobile: bool) -> Self {
        Self {
            global: !global,
            email: !email,
            mobile: !mobile,
        }
    }

    /// The channels off in `subscription`.
    pub fn off_in(subscription: &Subscription) -> Self {
        Self::from_subscribed(
            subscription.global.subscribed,
            subscription.email.subscribed,
            subscription.mobile.subscribed,
        )
    }

    /// Whether `channel` is kept off.
    pub fn has(self, channel: Channel) -> bool {
        match channel {
            Channel::Global => self.global,
            Channel::Email => self.email,
            Channel::Mobile => self.mobile,
        }
    }

    /// Whether any channel is kept off.
    pub fn any(self) -> bool {
        self.global || self.email || self.mobile
    }

    /// Both sets of channels: an entry only ever gains channels.
    pub fn union(self, other: Self) -> Self {
        Self {
            global: self.global || other.global,
            email: self.email || other.email,
            mobile: self.mobile || other.mobile,
        }
    }
}

/// One entry of the suppression list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SuppressionEntry {
    /// The key value's hash.
    pub key_hash: KeyHash,
    /// The channels kept off.
    pub channels: Suppressed,
}

impl SuppressionEntry {
    /// An entry as a store reads it back: the stored hash (checked) and the three channel flags.
    pub fn from_row(key_hash: &str, global: bool, email: bool, mobile: bool) -> Result<Self> {
        Ok(Self {
            key_hash: KeyHash::parse(key_hash)?,
            channels: Suppressed {
                global,
                email,
                mobile,
            },
        })
    }
}

/// The entries deleting contacts leaves, from each deleted contact's channels off and key values
/// (one pair per key row): none for a contact with every channel on; one per distinct hash, with
/// the union of the channels of the contacts that held it.
pub fn entries_on_delete(
    deleted: impl IntoIterator<Item = (Suppressed, KeyValue)>,
) -> Vec<SuppressionEntry> {
    let mut by_hash: BTreeMap<KeyHash, Suppressed> = BTreeMap::new();
    for (channels, key) in deleted {
        if channels.any() {
            let entry = by_hash.entry(KeyHash::of(&key)).or_default();
            *entry = entry.union(channels);
        }
    }
    by_hash
        .into_iter()
        .map(|(key_hash, channels)| SuppressionEntry { key_hash, channels })
        .collect()
}

/// The suppression entries a store loaded for a batch's key values.
#[derive(Debug, Clone, Default)]
pub struct Suppressions(HashMap<KeyHash, Suppressed>);

impl Suppressions {
    /// The loaded entries.
    pub fn new(entries: impl IntoIterator<Item = SuppressionEntry>) -> Self {
        Self(
            entries
                .into_iter()
                .map(|e| (e.key_hash, e.channels))
                .collect(),
        )
    }

    /// Whether no entry was loaded (the common case: nothing to check).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The channels kept off for any of `keys`.
    pub fn for_keys<'k>(&self, keys: impl Iterator<Item = &'k KeyValue>) -> Suppressed {
        keys.filter_map(|key| self.0.get(&KeyHash::of(key)))
            .fold(Suppressed::default(), |all, s| all.union(*s))
    }

    /// Apply the list to one planned write: the key values `step`'s contact holds now and did not
    /// hold before (`keys_before`: the keys of the contacts the write matched) turn their
    /// suppressed channels off, each with a `subscription_change` event.
    pub fn apply(&self, step: &mut UpsertPlan, keys_before: &[KeyValue], context: &WriteContext) {
        if self.is_empty() {
            return;
        }
        let before: HashSet<&KeyValue> = keys_before.iter().collect();
        let gained = step.keys.iter().filter(|key| !before.contains(key));
        let suppressed = self.for_keys(gained);
        let suppression = WriteContext {
            source: SUPPRESSION_SOURCE.to_owned(),
            ..context.clone()
        };
        for channel in Channel::ALL.into_iter().filter(|c| suppressed.has(*c)) {
            let contact = &mut step.contact;
            if contact.subscription.turn_off(channel, &suppression) {
                contact.updated_at = context.at;
                step.events.push(subscription_event(
                    contact.contact_id,
                    channel,
                    &contact.subscription,
                    &suppression,
                ));
            }
        }
    }
}

#[cfg(test)]
#[path = "suppression_tests.rs"]
mod tests;
