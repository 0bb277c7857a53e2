//! Areas not yet written once: `SqlStore` hands them to the backend's own implementation.

#![allow(unused_imports)]

use crate::{Backend, SqlStore};
use async_trait::async_trait;
use jiff::Timestamp;
use panorama_core::access::ApiKey;
use panorama_core::access::AuditEntry;
use panorama_core::access::AuditOutcome;
use panorama_core::access::AuditQuery;
use panorama_core::access::NewApiKey;
use panorama_core::access::NewAuditEntry;
use panorama_core::access::NewSession;
use panorama_core::access::NewUser;
use panorama_core::access::SecretHash;
use panorama_core::access::SignInOutcome;
use panorama_core::access::User;
use panorama_core::access::UserCredentials;
use panorama_core::access::UserName;
use panorama_core::access::UserPatch;
use panorama_core::contact::Category;
use panorama_core::contact::Channel;
use panorama_core::contact::ConsentEntry;
use panorama_core::contact::Contact;
use panorama_core::contact::ContactId;
use panorama_core::contact::ContactRecord;
use panorama_core::contact::KeyValue;
use panorama_core::contact::Overview;
use panorama_core::contact::Search;
use panorama_core::contact::Sort;
use panorama_core::contact::SubscriptionChange;
use panorama_core::contact::SuppressionEntry;
use panorama_core::contact::UpsertAction;
use panorama_core::contact::WriteContext;
use panorama_core::error::Error;
use panorama_core::error::Result;
use panorama_core::event::AnonymousId;
use panorama_core::event::Event;
use panorama_core::event::EventFilter;
use panorama_core::event::IncomingEvent;
use panorama_core::event::IngestOutcome;
use panorama_core::event::MergeRecord;
use panorama_core::event::TimelinePage;
use panorama_core::event::TimelineQuery;
use panorama_core::event::UnmergeOutcome;
use panorama_core::label::Fan;
use panorama_core::label::FollowerLabel;
use panorama_core::label::Label;
use panorama_core::label::LabelCatalog;
use panorama_core::label::LabelGroup;
use panorama_core::label::LabelGroupId;
use panorama_core::label::LabelId;
use panorama_core::label::LabelPatch;
use panorama_core::label::NewFan;
use panorama_core::label::NewLabel;
use panorama_core::label::NewLabelGroup;
use panorama_core::label::WechatAccount;
use panorama_core::metadata::AttributeDef;
use panorama_core::metadata::AttributePatch;
use panorama_core::metadata::EventDefinition;
use panorama_core::metadata::EventDefinitionPatch;
use panorama_core::metadata::NewAttribute;
use panorama_core::metadata::NewEventDefinition;
use panorama_core::store::*;
use serde_json::Map;
use serde_json::Value;
use serde_json::Value as Json;
use std::collections::BTreeMap;
use uuid::Uuid;

#[async_trait]
impl<B: Backend + AccessStore> AccessStore for SqlStore<B> {
    async fn create_user(&self, user: NewUser) -> Result<User> {
        self.backend.create_user(user).await
    }

    async fn users(&self) -> Result<Vec<User>> {
        self.backend.users().await
    }

    async fn user_credentials(&self, name: &UserName) -> Result<Option<UserCredentials>> {
        self.backend.user_credentials(name).await
    }

    async fn update_user(&self, name: &UserName, patch: UserPatch) -> Result<User> {
        self.backend.update_user(name, patch).await
    }

    async fn admin_count(&self) -> Result<u64> {
        self.backend.admin_count().await
    }

    async fn record_sign_in(
        &self,
        user_id: Uuid,
        outcome: SignInOutcome,
        now: Timestamp,
    ) -> Result<User> {
        self.backend.record_sign_in(user_id, outcome, now).await
    }

    async fn create_session(&self, session: NewSession) -> Result<()> {
        self.backend.create_session(session).await
    }

    async fn session_user(&self, token_hash: &SecretHash, now: Timestamp) -> Result<Option<User>> {
        self.backend.session_user(token_hash, now).await
    }

    async fn delete_session(&self, token_hash: &SecretHash) -> Result<()> {
        self.backend.delete_session(token_hash).await
    }

    async fn create_api_key(&self, key: NewApiKey) -> Result<ApiKey> {
        self.backend.create_api_key(key).await
    }

    async fn api_key(&self, key_hash: &SecretHash) -> Result<Option<ApiKey>> {
        self.backend.api_key(key_hash).await
    }

    async fn api_keys(&self) -> Result<Vec<ApiKey>> {
        self.backend.api_keys().await
    }

    async fn revoke_api_key(&self, key_id: Uuid, at: Timestamp) -> Result<ApiKey> {
        self.backend.revoke_api_key(key_id, at).await
    }
}

#[async_trait]
impl<B: Backend + AuditStore> AuditStore for SqlStore<B> {
    async fn append_audit(&self, entry: NewAuditEntry) -> Result<AuditEntry> {
        self.backend.append_audit(entry).await
    }

    async fn settle_audit(&self, entry_id: i64, outcome: &AuditOutcome) -> Result<()> {
        self.backend.settle_audit(entry_id, outcome).await
    }

    async fn audit_entries(&self, query: &AuditQuery) -> Result<Vec<AuditEntry>> {
        self.backend.audit_entries(query).await
    }
}

#[async_trait]
impl<B: Backend + ConsentStore> ConsentStore for SqlStore<B> {
    async fn change_subscription(
        &self,
        contact_id: ContactId,
        change: &SubscriptionChange,
        actor: &str,
    ) -> Result<SubscriptionOutcome> {
        self.backend
            .change_subscription(contact_id, change, actor)
            .await
    }

    async fn apply_consent_events(&self, events: &[Event]) -> Result<u64> {
        self.backend.apply_consent_events(events).await
    }

    async fn consent_history(
        &self,
        contact_id: ContactId,
        limit: u64,
    ) -> Result<Vec<ConsentEntry>> {
        self.backend.consent_history(contact_id, limit).await
    }

    async fn suppression_entries(&self, keys: &[KeyValue]) -> Result<Vec<SuppressionEntry>> {
        self.backend.suppression_entries(keys).await
    }
}

#[async_trait]
impl<B: Backend + ContactStore> ContactStore for SqlStore<B> {
    async fn upsert_contacts(
        &self,
        records: &[ContactRecord],
        context: &WriteContext,
    ) -> Result<Vec<UpsertOutcome>> {
        self.backend.upsert_contacts(records, context).await
    }

    async fn delete_contacts_by_keys(&self, rows: &[Vec<KeyValue>]) -> Result<Vec<bool>> {
        self.backend.delete_contacts_by_keys(rows).await
    }

    async fn unsubscribe_contacts(
        &self,
        rows: &[Vec<KeyValue>],
        channel: Channel,
        context: &WriteContext,
    ) -> Result<Vec<Option<bool>>> {
        self.backend
            .unsubscribe_contacts(rows, channel, context)
            .await
    }

    async fn get_contact(&self, contact_id: ContactId) -> Result<Option<Contact>> {
        self.backend.get_contact(contact_id).await
    }

    async fn find_contact(&self, key: &KeyValue) -> Result<Option<Contact>> {
        self.backend.find_contact(key).await
    }

    async fn delete_contact(&self, contact_id: ContactId) -> Result<bool> {
        self.backend.delete_contact(contact_id).await
    }

    async fn erase_contact(&self, contact_id: ContactId) -> Result<bool> {
        self.backend.erase_contact(contact_id).await
    }

    async fn delete_contacts(&self, ids: &[ContactId]) -> Result<u64> {
        self.backend.delete_contacts(ids).await
    }

    async fn overview(&self, now: jiff::Timestamp) -> Result<Overview> {
        self.backend.overview(now).await
    }

    async fn list_contacts(&self, query: ContactListQuery) -> Result<ContactPage> {
        self.backend.list_contacts(query).await
    }

    async fn list_contact_ids(&self, query: ContactListQuery) -> Result<ContactIdPage> {
        self.backend.list_contact_ids(query).await
    }

    async fn get_contacts(&self, ids: &[ContactId]) -> Result<Vec<Contact>> {
        self.backend.get_contacts(ids).await
    }

    async fn contact_values_newest_first(
        &self,
        category: Category,
        attributes: &[String],
        after: Option<(jiff::Timestamp, ContactId)>,
        limit: u64,
    ) -> Result<Vec<ContactValues>> {
        self.backend
            .contact_values_newest_first(category, attributes, after, limit)
            .await
    }

    async fn contact_events(&self, contact_id: ContactId, limit: u64) -> Result<Vec<Event>> {
        self.backend.contact_events(contact_id, limit).await
    }
}

#[async_trait]
impl<B: Backend + CopyStore> CopyStore for SqlStore<B> {
    async fn copy_count(&self, table: &CopyTable) -> Result<u64> {
        self.backend.copy_count(table).await
    }

    async fn copy_read(
        &self,
        table: &CopyTable,
        after: Option<&CopyRow>,
        limit: u64,
    ) -> Result<Vec<CopyRow>> {
        self.backend.copy_read(table, after, limit).await
    }

    async fn copy_begin(&self) -> Result<Vec<(&'static str, u64)>> {
        self.backend.copy_begin().await
    }

    async fn copy_write(&self, table: &CopyTable, rows: &[CopyRow]) -> Result<()> {
        self.backend.copy_write(table, rows).await
    }

    async fn copy_finish(&self) -> Result<()> {
        self.backend.copy_finish().await
    }
}

#[async_trait]
impl<B: Backend + EventStore> EventStore for SqlStore<B> {
    async fn ingest_events(
        &self,
        events: Vec<IncomingEvent>,
        context: &WriteContext,
    ) -> Result<Vec<IngestOutcome>> {
        self.backend.ingest_events(events, context).await
    }

    async fn timeline(&self, contact_id: ContactId, query: &TimelineQuery) -> Result<TimelinePage> {
        self.backend.timeline(contact_id, query).await
    }

    async fn count_events(&self, contact_id: ContactId, filter: &EventFilter) -> Result<u64> {
        self.backend.count_events(contact_id, filter).await
    }

    async fn event_times(
        &self,
        contact_id: ContactId,
        from: jiff::Timestamp,
        to: jiff::Timestamp,
    ) -> Result<Vec<jiff::Timestamp>> {
        self.backend.event_times(contact_id, from, to).await
    }

    async fn order_events(&self, contact_id: ContactId) -> Result<Vec<Event>> {
        self.backend.order_events(contact_id).await
    }

    async fn find_anonymous(&self, anonymous_id: &AnonymousId) -> Result<Option<Contact>> {
        self.backend.find_anonymous(anonymous_id).await
    }

    async fn merge_record(&self, merge_id: &str) -> Result<Option<MergeRecord>> {
        self.backend.merge_record(merge_id).await
    }

    async fn undo_merge(&self, merge_id: &str, context: &WriteContext) -> Result<UnmergeOutcome> {
        self.backend.undo_merge(merge_id, context).await
    }
}

#[async_trait]
impl<B: Backend + ImportMappingStore> ImportMappingStore for SqlStore<B> {
    async fn save_import_mapping(&self, mapping: &ImportMapping) -> Result<()> {
        self.backend.save_import_mapping(mapping).await
    }

    async fn import_mapping(&self, headers_key: &str) -> Result<Option<ImportMapping>> {
        self.backend.import_mapping(headers_key).await
    }
}

#[async_trait]
impl<B: Backend + LabelStore> LabelStore for SqlStore<B> {
    async fn label_catalog(&self) -> Result<LabelCatalog> {
        self.backend.label_catalog().await
    }

    async fn create_label_group(&self, new: &NewLabelGroup) -> Result<LabelGroup> {
        self.backend.create_label_group(new).await
    }

    async fn rename_label_group(&self, group_id: LabelGroupId, name: &str) -> Result<LabelGroup> {
        self.backend.rename_label_group(group_id, name).await
    }

    async fn delete_label_group(&self, group_id: LabelGroupId) -> Result<()> {
        self.backend.delete_label_group(group_id).await
    }

    async fn create_label(&self, new: &NewLabel) -> Result<Label> {
        self.backend.create_label(new).await
    }

    async fn update_label(&self, label_id: LabelId, patch: &LabelPatch) -> Result<Label> {
        self.backend.update_label(label_id, patch).await
    }

    async fn delete_label(&self, label_id: LabelId, context: &WriteContext) -> Result<u64> {
        self.backend.delete_label(label_id, context).await
    }

    async fn contact_labels(&self, contact_id: ContactId) -> Result<Vec<Label>> {
        self.backend.contact_labels(contact_id).await
    }

    async fn add_label(
        &self,
        label_id: LabelId,
        contacts: &[ContactId],
        context: &WriteContext,
    ) -> Result<u64> {
        self.backend.add_label(label_id, contacts, context).await
    }

    async fn remove_label(
        &self,
        label_id: LabelId,
        contacts: &[ContactId],
        context: &WriteContext,
    ) -> Result<u64> {
        self.backend.remove_label(label_id, contacts, context).await
    }
}

#[async_trait]
impl<B: Backend + MetadataStore> MetadataStore for SqlStore<B> {
    async fn migrate(&self) -> Result<()> {
        self.backend.migrate().await
    }

    async fn list_attributes(&self) -> Result<Vec<AttributeDef>> {
        self.backend.list_attributes().await
    }

    async fn create_attribute(&self, new: &NewAttribute) -> Result<AttributeDef> {
        self.backend.create_attribute(new).await
    }

    async fn update_attribute(&self, name: &str, patch: &AttributePatch) -> Result<AttributeDef> {
        self.backend.update_attribute(name, patch).await
    }

    async fn delete_attribute(&self, name: &str) -> Result<()> {
        self.backend.delete_attribute(name).await
    }

    async fn list_event_definitions(&self) -> Result<Vec<EventDefinition>> {
        self.backend.list_event_definitions().await
    }

    async fn create_event_definition(&self, new: &NewEventDefinition) -> Result<EventDefinition> {
        self.backend.create_event_definition(new).await
    }

    async fn update_event_definition(
        &self,
        key: &str,
        patch: &EventDefinitionPatch,
    ) -> Result<EventDefinition> {
        self.backend.update_event_definition(key, patch).await
    }

    async fn delete_event_definition(&self, key: &str) -> Result<()> {
        self.backend.delete_event_definition(key).await
    }
}

#[async_trait]
impl<B: Backend + WechatStore> WechatStore for SqlStore<B> {
    async fn list_wechat_accounts(&self) -> Result<Vec<WechatAccount>> {
        self.backend.list_wechat_accounts().await
    }

    async fn save_wechat_account(&self, app_id: &str, name: &str) -> Result<(WechatAccount, bool)> {
        self.backend.save_wechat_account(app_id, name).await
    }

    async fn delete_wechat_account(&self, app_id: &str) -> Result<()> {
        self.backend.delete_wechat_account(app_id).await
    }

    async fn follower_labels(&self, app_id: &str) -> Result<Vec<FollowerLabel>> {
        self.backend.follower_labels(app_id).await
    }

    async fn create_follower_label(&self, app_id: &str, name: &str) -> Result<FollowerLabel> {
        self.backend.create_follower_label(app_id, name).await
    }

    async fn rename_follower_label(&self, label_id: i64, name: &str) -> Result<FollowerLabel> {
        self.backend.rename_follower_label(label_id, name).await
    }

    async fn delete_follower_label(&self, label_id: i64) -> Result<()> {
        self.backend.delete_follower_label(label_id).await
    }

    async fn contact_fans(&self, contact_id: ContactId) -> Result<Vec<Fan>> {
        self.backend.contact_fans(contact_id).await
    }

    async fn save_fan(&self, contact_id: ContactId, app_id: &str, fan: &NewFan) -> Result<Fan> {
        self.backend.save_fan(contact_id, app_id, fan).await
    }

    async fn add_follower_label(
        &self,
        contact_id: ContactId,
        label_id: i64,
        context: &WriteContext,
    ) -> Result<bool> {
        self.backend
            .add_follower_label(contact_id, label_id, context)
            .await
    }

    async fn remove_follower_label(
        &self,
        contact_id: ContactId,
        label_id: i64,
        context: &WriteContext,
    ) -> Result<bool> {
        self.backend
            .remove_follower_label(contact_id, label_id, context)
            .await
    }
}
