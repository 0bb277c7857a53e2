//! Subscription status per channel, and the rule that merges keep the more restrictive value.

use serde::{Deserialize, Serialize};

/// A subscription channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// Overrides the others when off.
    Global,
    /// Email.
    Email,
    /// SMS and MMS.
    Mobile,
}

impl Channel {
    /// Every channel, in display order.
    pub const ALL: [Channel; 3] = [Channel::Global, Channel::Email, Channel::Mobile];

    /// The snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Global => "global",
            Self::Email => "email",
            Self::Mobile => "mobile",
        }
    }

    /// The import/API column that carries this channel (`email_subscribed`, ...).
    pub fn column(self) -> &'static str {
        match self {
            Self::Global => "global_subscribed",
            Self::Email => "email_subscribed",
            Self::Mobile => "mobile_subscribed",
        }
    }
}

/// One channel's status, with when and by what source it last changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChannelConsent {
    /// May receive messages on this channel.
    pub subscribed: bool,
    /// When the value last changed (creation time if never).
    pub changed_at: jiff::Timestamp,
    /// Source of the last change.
    pub source: String,
}

/// Subscription status of a contact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscription {
    /// Global: off means no email and no mobile messages, whatever the channel says.
    pub global: ChannelConsent,
    /// Email channel.
    pub email: ChannelConsent,
    /// Mobile channel (SMS, MMS).
    pub mobile: ChannelConsent,
    /// The last hard bounce of an email address (`subscribe.rs` holds the rule that uses it).
    pub email_bounce: Option<HardBounce>,
}

/// An email address that bounced hard: undeliverable while the contact still has that address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HardBounce {
    /// The address that bounced, in its stored form.
    pub address: String,
    /// When it bounced.
    pub at: jiff::Timestamp,
}

impl Subscription {
    /// A new contact: subscribed everywhere, as of its creation.
    pub fn subscribed(at: jiff::Timestamp, source: &str) -> Self {
        let on = ChannelConsent {
            subscribed: true,
            changed_at: at,
            source: source.to_owned(),
        };
        Self {
            global: on.clone(),
            email: on.clone(),
            mobile: on,
            email_bounce: None,
        }
    }

    /// The status of one channel.
    pub fn channel(&self, channel: Channel) -> &ChannelConsent {
        match channel {
            Channel::Global => &self.global,
            Channel::Email => &self.email,
            Channel::Mobile => &self.mobile,
        }
    }

    /// The status of one channel, to change.
    pub fn channel_mut(&mut self, channel: Channel) -> &mut ChannelConsent {
        match channel {
            Channel::Global => &mut self.global,
            Channel::Email => &mut self.email,
            Channel::Mobile => &mut self.mobile,
        }
    }

    /// Turn `channel` off as of `context`, recording when and by what source; true if it was on.
    /// Nothing here can turn a channel on: that takes an explicit, recorded opt-in.
    pub fn turn_off(&mut self, channel: Channel, context: &super::WriteContext) -> bool {
        let status = self.channel_mut(channel);
        if !status.subscribed {
            return false;
        }
        status.subscribed = false;
        status.changed_at = context.at;
        status.source.clone_from(&context.source);
        true
    }

    /// Consent alone: `global AND channel` (global itself is just global). Whether an email can
    /// be delivered at all is `Contact::effective`, which also looks at hard bounces.
    pub fn effective(&self, channel: Channel) -> bool {
        self.global.subscribed && self.channel(channel).subscribed
    }

    /// Fold another contact's status in, keeping per channel the more restrictive value; of two
    /// unsubscribes, the later one is kept as the record of when and why.
    pub fn merge_restrictive(&mut self, other: &Subscription) {
        for channel in Channel::ALL {
            let mine = self.channel_mut(channel);
            let theirs = other.channel(channel);
            let take = match (mine.subscribed, theirs.subscribed) {
                (true, false) => true,
                (false, false) => theirs.changed_at > mine.changed_at,
                _ => false,
            };
            if take {
                *mine = theirs.clone();
            }
        }
        // A bounce is a fact about an address; the later one is kept, and it only counts while the
        // merged contact still has that address (`Contact::email_deliverable`).
        if let Some(theirs) = &other.email_bounce
            && self
                .email_bounce
                .as_ref()
                .is_none_or(|mine| theirs.at > mine.at)
        {
            self.email_bounce = Some(theirs.clone());
        }
    }
}
