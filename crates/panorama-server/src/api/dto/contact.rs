//! The JSON shapes of contacts, their subscription status, events and list pages. Contacts and
//! events are shaped through an [`AttributeMask`] or a [`Masking`], so no route can hand out a
//! mobile or an email its principal may not read.

use panorama_core::contact::{Channel, ChannelConsent, Contact, Overview};
use panorama_core::event::Event;
use panorama_core::mask::{AttributeMask, Masking, mask_event_properties};
use panorama_core::value::format_timestamp;
use serde::Serialize;
use serde_json::{Map, Value as Json};
use std::collections::BTreeMap;
use utoipa::ToSchema;

/// A contact: its values, categories, subscription status and system times (RFC 3339).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ContactDto {
    /// System id (UUID v7).
    #[schema(format = Uuid)]
    pub contact_id: String,
    /// Values by attribute machine name, in canonical form; empty attributes are absent.
    #[schema(value_type = Object)]
    pub attributes: BTreeMap<String, Json>,
    /// `real_name` or `anonymous`, and `wechat_fan` when the contact follows an official account.
    pub categories: Vec<String>,
    /// Subscription status per channel.
    pub subscription: SubscriptionDto,
    /// When the contact was first written.
    #[schema(format = DateTime)]
    pub created_at: String,
    /// When the contact last changed.
    #[schema(format = DateTime)]
    pub updated_at: String,
}

impl ContactDto {
    /// `contact` with its values masked by `mask`.
    pub fn new(contact: &Contact, mask: &AttributeMask) -> Self {
        let mut attributes = contact.attributes.clone();
        mask.apply(&mut attributes);
        Self {
            contact_id: contact.contact_id.to_string(),
            attributes,
            categories: contact
                .categories()
                .names()
                .into_iter()
                .map(str::to_owned)
                .collect(),
            subscription: SubscriptionDto::of(contact, mask),
            created_at: format_timestamp(contact.created_at),
            updated_at: format_timestamp(contact.updated_at),
        }
    }
}

/// Subscription status of the three channels, and whether email can be delivered.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SubscriptionDto {
    /// Global: off means neither email nor mobile messages.
    pub global: ChannelDto,
    /// Email: effective only while global is on and the address has not bounced hard.
    pub email: ChannelDto,
    /// Mobile (SMS and MMS).
    pub mobile: ChannelDto,
    /// False while the contact's current email address is one that bounced hard.
    pub email_deliverable: bool,
    /// The hard bounce that makes email undeliverable, if any.
    pub email_bounce: Option<BounceDto>,
}

impl SubscriptionDto {
    /// The status of `contact`, with the effective values of `Contact::effective` (decided on the
    /// stored addresses) and the bounced address masked by `mask`.
    pub fn of(contact: &Contact, mask: &AttributeMask) -> Self {
        let channel = |channel: Channel| {
            ChannelDto::new(
                contact.subscription.channel(channel),
                contact.effective(channel),
            )
        };
        Self {
            global: channel(Channel::Global),
            email: channel(Channel::Email),
            mobile: channel(Channel::Mobile),
            email_deliverable: contact.email_deliverable(),
            email_bounce: contact.current_bounce().map(|bounce| BounceDto {
                address: crate::app::mask::address(mask, &bounce.address),
                bounced_at: format_timestamp(bounce.at),
            }),
        }
    }
}

/// A hard bounce of an email address.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BounceDto {
    /// The address that bounced.
    pub address: String,
    /// When it bounced (RFC 3339).
    #[schema(format = DateTime)]
    pub bounced_at: String,
}

/// One channel's status.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ChannelDto {
    /// The channel's own value.
    pub subscribed: bool,
    /// Whether messages may be sent: `global AND channel` (and, for email, deliverable).
    pub effective: bool,
    /// When the value last changed.
    #[schema(format = DateTime)]
    pub changed_at: String,
    /// What changed it last (`api`, `import`, a consent source...).
    pub source: String,
}

impl ChannelDto {
    fn new(consent: &ChannelConsent, effective: bool) -> Self {
        Self {
            subscribed: consent.subscribed,
            effective,
            changed_at: format_timestamp(consent.changed_at),
            source: consent.source.clone(),
        }
    }
}

/// Exact counts of the contacts overview.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
pub struct OverviewDto {
    /// Every contact.
    pub all: u64,
    /// Contacts with a mobile or an email.
    pub real_name: u64,
    /// Contacts with neither.
    pub anonymous: u64,
    /// Contacts with a WeChat openid.
    pub wechat_fan: u64,
    /// Contacts created in the last 7 days.
    pub new_7d: u64,
    /// Contacts created in the last 30 days.
    pub new_30d: u64,
}

impl From<Overview> for OverviewDto {
    fn from(overview: Overview) -> Self {
        Self {
            all: overview.all,
            real_name: overview.real_name,
            anonymous: overview.anonymous,
            wechat_fan: overview.wechat_fan,
            new_7d: overview.new_7d,
            new_30d: overview.new_30d,
        }
    }
}

/// A page of the contacts list.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ContactPageDto {
    /// Contacts of the category across all pages, exact.
    pub total: u64,
    /// This page's number, from 1.
    pub page: u64,
    /// Contacts per page.
    pub page_size: u64,
    /// The contacts of this page, newest first.
    pub items: Vec<ContactDto>,
}

/// One event of a contact.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EventDto {
    /// Unique id.
    pub event_id: String,
    /// Event definition key.
    pub event: String,
    /// When it happened (RFC 3339).
    #[schema(format = DateTime)]
    pub occurred_at: String,
    /// Properties by event attribute name.
    #[schema(value_type = Object)]
    pub properties: Map<String, Json>,
}

impl EventDto {
    /// `event` with its properties masked under `masking`.
    pub fn new(event: Event, masking: Masking) -> Self {
        let mut properties = event.properties;
        mask_event_properties(masking, &event.event, &mut properties);
        Self {
            event_id: event.event_id,
            event: event.event,
            occurred_at: format_timestamp(event.occurred_at),
            properties,
        }
    }
}

/// A contact's latest events, newest first.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EventListDto {
    /// The events.
    pub items: Vec<EventDto>,
}
