package io.domainoperator.e2e.harness;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The table {@code kubectl get} prints, read back by column header. kubectl left-aligns every column,
 * so a cell starts where its header starts; empty cells (a status field not set yet) come back as "".
 *
 * @param headers the column headers, in order
 * @param rows one map per row, header to cell
 */
public record KubectlTable(List<String> headers, List<Map<String, String>> rows) {

    public static KubectlTable parse(String output) {
        List<String> lines = output.lines().filter(line -> !line.isBlank()).toList();
        if (lines.isEmpty()) {
            return new KubectlTable(List.of(), List.of());
        }
        String header = lines.getFirst();
        List<String> headers = Arrays.asList(header.trim().split("\\s+"));
        int[] starts = new int[headers.size()];
        int from = 0;
        for (int i = 0; i < headers.size(); i++) {
            starts[i] = header.indexOf(headers.get(i), from);
            from = starts[i] + headers.get(i).length();
        }
        List<Map<String, String>> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            Map<String, String> row = new LinkedHashMap<>();
            for (int i = 0; i < headers.size(); i++) {
                int start = Math.min(starts[i], line.length());
                int end = i + 1 < headers.size() ? Math.min(starts[i + 1], line.length()) : line.length();
                row.put(headers.get(i), line.substring(start, end).trim());
            }
            rows.add(Map.copyOf(row));
        }
        return new KubectlTable(List.copyOf(headers), List.copyOf(rows));
    }

    /** The row whose NAME column is {@code name}. */
    public Map<String, String> row(String name) {
        return rows.stream()
                .filter(row -> name.equals(row.get("NAME")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no row named " + name + " in " + rows));
    }
}
