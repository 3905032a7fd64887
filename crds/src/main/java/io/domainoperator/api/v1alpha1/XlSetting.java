package io.domainoperator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.Objects;

/**
 * One xl setting carried verbatim: a key DomainConfig has no field for, written back unchanged by export-xl and
 * the xl backend. The value is xl syntax (a quoted string, a number or a [list]); the xl backend parses it again
 * before writing, so it can never end its line early and add a key of its own.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class XlSetting {
    /** What the value may hold: printable ASCII (xl files carry nothing else safely). */
    public static final String VALUE_PATTERN = "^[ -~]+$";
    public static final int VALUE_MAX_LENGTH = 4096;

    @Required
    @Pattern(Patterns.XL_KEY)
    @JsonPropertyDescription("The xl key, e.g. cpus or cpu_weight. Keys DomainConfig maps to a field are refused here; set the field.")
    private String key;

    @Required
    @Pattern(VALUE_PATTERN)
    @Size(max = VALUE_MAX_LENGTH)
    @JsonPropertyDescription("The value in xl syntax, e.g. \"0-3\" (a quoted string), 512 (a number) or ['a', 'b'] (a list). Printable ASCII.")
    private String value;

    public XlSetting() {
    }

    public XlSetting(String key, String value) {
        this.key = key;
        this.value = value;
    }

    public String getKey() { return key; }
    public void setKey(String key) { this.key = key; }
    public String getValue() { return value; }
    public void setValue(String value) { this.value = value; }

    @Override
    public boolean equals(Object o) {
        return o instanceof XlSetting s && Objects.equals(key, s.key) && Objects.equals(value, s.value);
    }

    @Override
    public int hashCode() { return Objects.hash(key, value); }

    @Override
    public String toString() { return key + " = " + value; }
}
