-- Display names in both languages (issue 22). `names` holds {"en": ..., "zh": ...} where a name is
-- set for that language; `value_names` the same per enum value ({"male": {"en": "Male", "zh": "男"}}).
-- The definition's own `display_name` stands in for a language without one. Presets get their
-- Chinese names from core's lists when the store migrates (`install_presets`), not from SQL.
ALTER TABLE attributes
    ADD COLUMN names jsonb NOT NULL DEFAULT '{}',
    ADD COLUMN value_names jsonb NOT NULL DEFAULT '{}';
ALTER TABLE event_definitions ADD COLUMN names jsonb NOT NULL DEFAULT '{}';
