package io.domainoperator.e2e.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * One manifest of the bad-input catalogue. Its header says why it is wrong and which field the
 * rejection must name, the convention of examples/invalid/:
 * <pre>
 * # Rejected: the MAC has a non-hex octet
 * # expect-field: spec.vifs[0].mac
 * </pre>
 */
public record BadManifest(Path file, String why, String expectedField) {

    private static final String WHY = "# Rejected:";
    private static final String FIELD = "# expect-field:";

    public static BadManifest read(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            return new BadManifest(file, header(file, lines, WHY), header(file, lines, FIELD));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String header(Path file, List<String> lines, String prefix) {
        return lines.stream()
                .filter(line -> line.startsWith(prefix))
                .map(line -> line.substring(prefix.length()).trim())
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(file + " lacks a '" + prefix
                        + " ...' header line; every catalogue entry says why it is bad and which field is named"));
    }

    @Override
    public String toString() {
        return file.getParent().getFileName() + "/" + file.getFileName() + " (" + expectedField + ")";
    }
}
