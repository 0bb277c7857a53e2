//! The Simplified Chinese names of every preset (attributes, enum values, events, their
//! attributes and groups), in the terms Chinese marketing software uses.

/// Preset contact attributes, by machine name.
const ATTRIBUTES: &[(&str, &str)] = &[
    ("address", "地址"),
    ("birthday", "生日"),
    ("city", "城市"),
    ("company", "公司"),
    ("contact_id", "联系人ID"),
    ("country", "国家"),
    ("created_at", "创建时间"),
    ("email", "邮箱"),
    ("first_order_at", "首次下单时间"),
    ("gender", "性别"),
    ("last_order_at", "最近下单时间"),
    ("member_id", "会员ID"),
    ("member_level", "会员等级"),
    ("member_points", "会员积分"),
    ("mobile", "手机号"),
    ("name", "姓名"),
    ("order_amount", "订单金额"),
    ("order_count", "订单数"),
    ("province", "省份"),
    ("updated_at", "更新时间"),
    ("wechat_nickname", "微信昵称"),
    ("wechat_openid", "微信OpenID"),
    ("wechat_unionid", "微信UnionID"),
];

/// Preset enum values: (attribute, value, English, Chinese).
pub(crate) const ENUM_VALUES: &[(&str, &str, &str, &str)] = &[
    ("gender", "male", "Male", "男"),
    ("gender", "female", "Female", "女"),
    ("gender", "unknown", "Unknown", "未知"),
];

/// Preset events, by key.
const EVENTS: &[(&str, &str)] = &[
    ("attribute_change", "属性变更"),
    ("email_click", "邮件点击"),
    ("email_delivered", "邮件送达"),
    ("email_hard_bounce", "邮件硬退信"),
    ("email_open", "邮件打开"),
    ("email_sent", "邮件发送"),
    ("email_soft_bounce", "邮件软退信"),
    ("email_unsubscribe", "邮件退订"),
    ("follower_label_add", "添加粉丝标签"),
    ("follower_label_remove", "移除粉丝标签"),
    ("form_open", "打开表单"),
    ("form_submit", "提交表单"),
    ("label_add", "添加标签"),
    ("label_remove", "移除标签"),
    ("mms_click", "彩信点击"),
    ("mms_sent", "彩信发送"),
    ("order", "订单"),
    ("order_detail", "订单明细"),
    ("sms_click", "短信点击"),
    ("sms_sent", "短信发送"),
    ("sms_unsubscribe", "短信退订"),
    ("subscription_change", "订阅状态变更"),
    ("user_created", "创建联系人"),
    ("user_merged", "合并联系人"),
    ("user_unmerged", "撤销合并"),
    ("wechat_cs_message", "客服消息"),
    ("wechat_follow", "关注公众号"),
    ("wechat_mass_message", "群发消息"),
    ("wechat_menu_click", "点击公众号菜单"),
    ("wechat_reply", "回复公众号"),
    ("wechat_scan", "扫描二维码"),
    ("wechat_template_message", "模板消息"),
    ("wechat_unfollow", "取消关注公众号"),
];

/// Preset event attributes, by name (the same name means the same thing in every event).
const EVENT_ATTRIBUTES: &[(&str, &str)] = &[
    ("amount", "金额"),
    ("app_id", "公众号"),
    ("attribute", "属性"),
    ("campaign_id", "活动ID"),
    ("campaign_name", "活动名称"),
    ("category", "品类"),
    ("channel", "渠道"),
    ("content", "内容"),
    ("currency", "币种"),
    ("discount_price", "折后价"),
    ("email", "邮箱"),
    ("form_id", "表单ID"),
    ("form_name", "表单名称"),
    ("item_count", "商品件数"),
    ("label", "标签"),
    ("menu", "菜单"),
    ("merge_id", "合并记录"),
    ("merged_contact_id", "被合并的联系人"),
    ("message_id", "消息"),
    ("mobile", "手机号"),
    ("new_value", "新值"),
    ("old_value", "原值"),
    ("openid", "OpenID"),
    ("order_id", "订单号"),
    ("price", "单价"),
    ("product_id", "商品ID"),
    ("product_name", "商品名称"),
    ("qr_code", "二维码"),
    ("quantity", "数量"),
    ("reason", "原因"),
    ("scene", "场景"),
    ("shop", "店铺"),
    ("source", "来源"),
    ("status", "状态"),
    ("subject", "邮件主题"),
    ("subscribed", "是否订阅"),
    ("surviving_contact_id", "保留的联系人"),
    ("template_id", "模板"),
    ("url", "链接"),
];

/// Event groups: (machine name, English, Chinese).
const GROUPS: &[(&str, &str, &str)] = &[
    ("custom", "Custom", "自定义"),
    ("email", "Email", "邮件"),
    ("form", "Form", "表单"),
    ("label", "Label", "标签"),
    ("mms", "MMS", "彩信"),
    ("order", "Order", "订单"),
    ("profile", "Profile", "资料"),
    ("sms", "SMS", "短信"),
    ("wechat", "WeChat", "微信"),
];

fn find(table: &[(&str, &'static str)], key: &str) -> Option<&'static str> {
    table
        .binary_search_by(|(k, _)| (*k).cmp(key))
        .ok()
        .map(|i| table[i].1)
}

/// The Chinese name of a preset attribute.
pub(crate) fn attribute(name: &str) -> Option<&'static str> {
    find(ATTRIBUTES, name)
}

/// The Chinese name of a preset event.
pub(crate) fn event(key: &str) -> Option<&'static str> {
    find(EVENTS, key)
}

/// The Chinese name of a preset event attribute.
pub(crate) fn event_attribute(name: &str) -> Option<&'static str> {
    find(EVENT_ATTRIBUTES, name)
}

/// How a property an event's definition does not list reads when a preset event attribute has
/// its name (system events carry `source` beside their defined attributes, say).
pub fn preset_property_name(name: &str, language: super::Language) -> Option<&'static str> {
    static ENGLISH: std::sync::LazyLock<Vec<(String, String)>> = std::sync::LazyLock::new(|| {
        super::preset_event_definitions()
            .into_iter()
            .flat_map(|d| d.attributes)
            .map(|a| (a.name.to_string(), a.display_name))
            .collect()
    });
    match language {
        super::Language::Zh => event_attribute(name),
        super::Language::En => ENGLISH
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, shown)| shown.as_str()),
    }
}

/// An event group's name in `language` (preset groups; a custom group shows its machine name).
pub fn group_name(group: &str, language: super::Language) -> &str {
    match GROUPS.iter().find(|(g, _, _)| *g == group) {
        Some((_, en, zh)) => match language {
            super::Language::En => en,
            super::Language::Zh => zh,
        },
        None => group,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn properties_outside_a_definition_read_as_the_presets_name_them() {
        use crate::metadata::Language;
        assert_eq!(preset_property_name("source", Language::Zh), Some("来源"));
        assert_eq!(preset_property_name("source", Language::En), Some("Source"));
        assert_eq!(preset_property_name("shoe_size", Language::En), None);
    }

    #[test]
    fn tables_are_sorted_for_binary_search() {
        for table in [ATTRIBUTES, EVENTS, EVENT_ATTRIBUTES] {
            assert!(table.windows(2).all(|w| w[0].0 < w[1].0));
        }
    }

    #[test]
    fn every_preset_has_a_chinese_name() {
        for def in crate::metadata::preset_attributes() {
            assert!(attribute(def.name.as_str()).is_some(), "{}", def.name);
        }
        for definition in crate::metadata::preset_event_definitions() {
            assert!(
                event(definition.key.as_str()).is_some(),
                "{}",
                definition.key
            );
            for a in &definition.attributes {
                assert!(event_attribute(a.name.as_str()).is_some(), "{}", a.name);
            }
        }
    }
}
