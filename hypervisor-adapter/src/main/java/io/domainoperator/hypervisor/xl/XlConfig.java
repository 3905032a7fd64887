package io.domainoperator.hypervisor.xl;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An xl config file as ordered {@code key = value} settings. Keys are unique: the renderer never repeats one, and
 * the parser rejects a file that does (libxlutil would silently take the last one, which hides mistakes).
 */
public record XlConfig(List<Setting> settings) {

    /**
     * One {@code key = value} line.
     *
     * @param line 1-based line in the source file, 0 for settings that were rendered rather than parsed
     */
    public record Setting(String key, XlValue value, int line) {
    }

    public XlConfig {
        settings = List.copyOf(settings);
    }

    public Optional<Setting> setting(String key) {
        return settings.stream().filter(s -> s.key().equals(key)).findFirst();
    }

    public Optional<XlValue> get(String key) {
        return setting(key).map(Setting::value);
    }

    public List<String> keys() {
        return settings.stream().map(Setting::key).toList();
    }

    public Map<String, XlValue> asMap() {
        Map<String, XlValue> map = new LinkedHashMap<>();
        settings.forEach(s -> map.put(s.key(), s.value()));
        return map;
    }

    /** Builds a config in insertion order. */
    public static final class Builder {
        private final List<Setting> settings = new ArrayList<>();

        public Builder str(String key, String value) {
            return put(key, XlValue.str(value));
        }

        public Builder num(String key, long value) {
            return put(key, XlValue.num(value));
        }

        public Builder list(String key, List<String> values) {
            return put(key, XlValue.Lst.ofStrings(values));
        }

        public Builder put(String key, XlValue value) {
            if (settings.stream().anyMatch(s -> s.key().equals(key))) {
                throw new IllegalStateException("key " + key + " set twice");
            }
            settings.add(new Setting(key, value, 0));
            return this;
        }

        public XlConfig build() {
            return new XlConfig(settings);
        }
    }

    public static Builder builder() {
        return new Builder();
    }
}
