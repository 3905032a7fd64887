package io.domainoperator.controller.standalone;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Where each field of one YAML document is, so a problem the validator finds after mapping (which loses
 * positions) can still be reported at its line. Field paths are the validator's: {@code spec.disks[0].target}.
 */
final class YamlLines {
    private static final YAMLFactory FACTORY = new YAMLFactory();
    private final Map<String, Integer> lines = new HashMap<>();

    private YamlLines() {
    }

    /** Lines within the document (1-based); a document that does not parse has none. */
    static YamlLines of(String document) {
        YamlLines result = new YamlLines();
        try (JsonParser p = FACTORY.createParser(document)) {
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                if (t == JsonToken.FIELD_NAME || t.isScalarValue() || t.isStructStart()) {
                    String pointer = p.getParsingContext().pathAsPointer().toString();
                    if (t.isStructStart() && p.getParsingContext().getParent() != null) {
                        pointer = p.getParsingContext().getParent().pathAsPointer().toString();
                    }
                    result.lines.putIfAbsent(pointer, p.currentTokenLocation().getLineNr());
                }
            }
        } catch (IOException | RuntimeException e) {
            // No positions: the caller reports the document without a line.
        }
        return result;
    }

    /** The line of the field, or of its nearest enclosing field that is present; 0 when none is known. */
    int lineOf(String field) {
        String pointer = "/" + field.replaceAll("\\[(\\d+)]", ".$1").replace('.', '/');
        while (!pointer.isEmpty()) {
            Integer line = lines.get(pointer);
            if (line != null) {
                return line;
            }
            pointer = pointer.substring(0, pointer.lastIndexOf('/'));
        }
        return 0;
    }
}
