//! One suite of `Store` behaviours, written once against the trait and run unchanged on every
//! backend. A backend's test file calls [`conformance_suite!`] with a function that returns a
//! fresh, migrated store (and a guard that cleans it up when dropped).
//!
//! Each behaviour is a plain `async fn(&dyn Store)` that panics with a message on failure.

#![allow(clippy::unwrap_used, missing_docs)]

mod access;
mod bulk_delete;
mod consent;
mod contacts;
mod copy;
mod events;
mod events_concurrent;
mod events_read;
mod export;
mod import_mappings;
mod jobs;
mod jobs_progress;
mod labels;
mod labels_concurrent;
mod list;
mod list_overview;
mod merges;
mod metadata;
mod suppression;
mod unmerge;
mod views;
mod wechat;

pub use access::*;
pub use bulk_delete::*;
pub use consent::*;
pub use contacts::*;
pub use copy::*;
pub use events::*;
pub use events_concurrent::*;
pub use events_read::*;
pub use export::*;
pub use import_mappings::*;
pub use jobs::*;
pub use jobs_progress::*;
pub use labels::*;
pub use labels_concurrent::*;
pub use list::*;
pub use list_overview::*;
pub use merges::*;
pub use metadata::*;
pub use suppression::*;
pub use unmerge::*;
pub use views::*;
pub use wechat::*;

use panorama_core::Store;
use panorama_core::contact::{Contact, ContactRecord, KeyValue, WriteContext};
use panorama_core::metadata::Schema;
use panorama_core::store::UpsertOutcome;
use panorama_core::value::ParseOptions;
use serde_json::Value as Json;

/// Generate one `#[tokio::test]` per behaviour, each on a fresh store from `$fresh().await`,
/// which returns `(impl AsRef<dyn Store>, guard)`. With `optional`, `$fresh().await` returns an
/// `Option` of that, and `None` (no database server configured) skips the test.
/// `@tests` and `@optional` take an explicit list of behaviours.
#[macro_export]
macro_rules! conformance_suite {
    (optional $fresh:path) => {
        $crate::conformance_suite!(@names $crate::conformance_suite, @optional $fresh);
    };
    ($fresh:path) => {
        $crate::conformance_suite!(@names $crate::conformance_suite, @tests $fresh);
    };
    (@names $macro:path, $($head:tt)*) => {
        $macro!($($head)*,
            presets_are_installed_once, display_names_in_both_languages, custom_attribute_lifecycle, custom_attribute_limit,
            primary_key_needs_unique_values, shorter_max_length_checks_values, event_definition_rules,
            upsert_creates_updates_and_reports_unchanged, spellings_of_one_key_are_one_contact,
            wechat_ids_match_case_sensitively, changed_key_frees_the_old_value, batch_resolves_in_order,
            delete_removes_everything, deleting_many_contacts_removes_everything_of_each,
            overview_and_list_count_exactly, the_page_and_the_overview_come_together,
            merge_follows_the_rules,
            merge_of_three_contacts, merges_inside_one_batch_chain_to_one_contact,
            an_older_new_contact_absorbs_a_stored_one,
            explicit_subscription_changes_are_recorded, consent_is_never_loosened_by_writes,
            consent_events_unsubscribe_and_bounce, merges_move_and_deletes_remove_consent_history,
            label_groups_nest_four_levels, labels_on_contacts_are_events,
            label_filter_pages_newest_first_with_exact_counts, deleting_a_label_takes_it_off_every_contact,
            a_label_page_and_its_count_agree_under_a_concurrent_writer,
            merges_move_labels_and_deletes_remove_them, fans_of_several_accounts_with_follower_labels,
            follower_label_limits_hold,
            events_are_ingested_once, anonymous_contacts_merge_into_the_real_one,
            concurrent_ingests_store_each_event_once_and_each_key_once,
            a_new_key_makes_an_anonymous_contact_real, unsubscribe_events_turn_channels_off,
            orders_stay_exact_through_duplicates_merges_and_deletes,
            searchable_order_attributes_are_found_as_they_change, timeline_pages_in_a_stable_order,
            a_merge_can_be_undone_until_something_changes,
            an_undone_merge_is_searched_by_todays_searchable_attributes, views_are_saved_per_user,
            import_mappings_are_saved_by_headers, a_previewed_job_takes_new_options_until_it_starts,
            search_and_sort_match_a_plain_scan_through_random_writes,
            reading_newest_first_in_batches_is_the_list_order,
            a_change_between_batches_shows_in_the_batches_after_it,
            users_lock_after_five_wrong_passwords, sessions_expire_and_end_with_a_new_password,
            api_keys_are_found_by_hash_until_revoked, audit_entries_page_newest_first_and_filter,
            job_claims_are_exclusive, claim_next_takes_the_oldest_claimable_job_of_its_kinds,
            an_expired_job_lease_is_taken_over_and_fences_the_old_holder,
            a_deleted_unsubscriber_comes_back_unsubscribed_by_each_key_kind,
            bulk_and_import_deletes_suppress_for_writes_and_events,
            erasing_forgets_and_all_channels_on_leaves_nothing,
            a_running_job_carries_its_heartbeat_and_is_interrupted_after_it,
            copied_tables_read_in_key_order_and_write_back_as_read,
            a_job_keeps_its_progress_and_each_rejected_row_once);
    };
    (@tests $fresh:path, $($name:ident),*) => {
        $(
            #[tokio::test]
            async fn $name() {
                let (store, _guard) = $fresh().await;
                $crate::$name(store.as_ref()).await;
            }
        )*
    };
    (@optional $fresh:path, $($name:ident),*) => {
        $(
            #[tokio::test]
            async fn $name() {
                let Some((store, _guard)) = $fresh().await else {
                    return;
                };
                $crate::$name(store.as_ref()).await;
            }
        )*
    };
}

/// Parse a JSON attribute map against the store's schema.
pub async fn record(store: &dyn Store, attributes: Json) -> ContactRecord {
    let schema = Schema::new(store.list_attributes().await.unwrap());
    let map = attributes.as_object().expect("an object").clone();
    ContactRecord::from_json(&schema, &map, ParseOptions::default()).unwrap()
}

/// Write one JSON attribute map from source `test`.
pub async fn upsert(store: &dyn Store, attributes: Json) -> UpsertOutcome {
    let record = record(store, attributes).await;
    store
        .upsert_contacts(&[record], &WriteContext::now("test"))
        .await
        .unwrap()
        .remove(0)
}

/// The contact holding `attribute = value` (given in stored form).
pub async fn find(store: &dyn Store, attribute: &str, value: &str) -> Option<Contact> {
    store
        .find_contact(&KeyValue {
            attribute: attribute.into(),
            value: value.into(),
        })
        .await
        .unwrap()
}

/// The contacts a search for `keyword` in any field finds (first 50), checking the total agrees.
pub async fn found_anywhere(
    store: &dyn Store,
    keyword: &str,
) -> Vec<panorama_core::contact::ContactId> {
    use panorama_core::contact::{Category, Keyword, Search, SearchField};
    let search = Search {
        field: SearchField::Any,
        keyword: Keyword::parse(keyword).unwrap().unwrap(),
        mode: panorama_core::contact::SearchMode::Substring,
    };
    let query = panorama_core::store::ContactListQuery {
        search: Some(search),
        ..panorama_core::store::ContactListQuery::category(Category::All, 50)
    };
    let page = store.list_contact_ids(query).await.unwrap();
    assert_eq!(page.total, page.ids.len() as u64, "{keyword}");
    page.ids
}

/// Event keys of a contact, newest first.
pub async fn event_keys(store: &dyn Store, contact: &Contact) -> Vec<String> {
    store
        .contact_events(contact.contact_id, 1000)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.event)
        .collect()
}
