package io.domainoperator.bench;

import java.util.ArrayList;
import java.util.List;

/** The figures as a table: plain text for the console, Markdown for {@code bench/RESULTS.md}. */
public final class ResultsReport {
    private static final String[] HEADER = {"scenario", "figure", "value", "target", "verdict"};

    private ResultsReport() {
    }

    public static String text(List<Figure> figures) {
        List<String[]> rows = rows(figures);
        int[] width = new int[HEADER.length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (int r = 0; r < rows.size(); r++) {
            String[] row = rows.get(r);
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(String.format("%-" + width[i] + "s", row[i])).append(i < row.length - 1 ? "  " : "");
            }
            out.append(line.toString().stripTrailing()).append('\n');
            if (r == 0) {
                out.append("-".repeat(line.length())).append('\n');
            }
        }
        return out.toString();
    }

    public static String markdown(List<Figure> figures) {
        List<String[]> rows = rows(figures);
        StringBuilder out = new StringBuilder();
        for (int r = 0; r < rows.size(); r++) {
            out.append("| ").append(String.join(" | ", escape(rows.get(r)))).append(" |\n");
            if (r == 0) {
                out.append("|---".repeat(HEADER.length)).append("|\n");
            }
        }
        return out.toString();
    }

    private static List<String[]> rows(List<Figure> figures) {
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADER);
        for (Figure f : figures) {
            rows.add(new String[] {f.scenario(), f.what(), f.value(), f.target(), f.verdict().text()});
        }
        return rows;
    }

    private static String[] escape(String[] cells) {
        String[] out = new String[cells.length];
        for (int i = 0; i < cells.length; i++) {
            out[i] = cells[i].replace("|", "\\|");
        }
        return out;
    }
}
