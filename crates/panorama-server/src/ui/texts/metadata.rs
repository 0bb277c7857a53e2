//! The metadata pages: attribute and event definitions.

/// `(key, English, Chinese)`, sorted by key.
pub const TEXTS: &[(&str, &str, &str)] = &[
    ("attributes.add", "Add a custom attribute", "添加自定义属性"),
    ("attributes.add_button", "Add attribute", "添加属性"),
    ("attributes.computed", "Computed", "系统计算"),
    ("attributes.custom", "Custom", "自定义"),
    ("attributes.delete", "Delete attribute", "删除属性"),
    (
        "attributes.delete_question",
        "Delete {name}? Its values are removed from every contact, list and export. This cannot be undone.",
        "确定删除 {name} 吗？所有联系人、列表和导出中的该属性值都会被删除，且无法恢复。",
    ),
    ("attributes.display_name", "Display name", "显示名称"),
    (
        "attributes.enum_help",
        "Enum only: allowed values, separated by commas",
        "仅枚举类型：可选值，用逗号分隔",
    ),
    ("attributes.enum_values", "Allowed values", "可选值"),
    ("attributes.key", "Key", "主键"),
    ("attributes.kind", "Origin", "来源"),
    ("attributes.length", "Max length", "最大长度"),
    (
        "attributes.length_help",
        "Text only; default 255 characters",
        "仅文本类型；默认 255 个字符",
    ),
    ("attributes.name", "Machine name", "字段名"),
    (
        "attributes.name_help",
        "Lower-case letters, digits and _; never changes",
        "小写字母、数字和下划线；创建后不可修改",
    ),
    ("attributes.preset", "Preset", "预置"),
    ("attributes.searchable", "Searchable", "可搜索"),
    ("attributes.sortable", "Sortable", "可排序"),
    ("attributes.title", "Contact attributes", "联系人属性"),
    ("attributes.type", "Type", "类型"),
    ("events.add", "Add a custom event", "添加自定义事件"),
    ("events.add_attribute", "Add an attribute", "添加属性"),
    ("events.add_button", "Add event", "添加事件"),
    ("events.attribute", "Attribute", "属性"),
    ("events.group", "Group", "分组"),
    ("events.key", "Event key", "事件标识"),
    ("events.title", "Event definitions", "事件定义"),
    ("metadata.title", "Metadata", "元数据"),
];
