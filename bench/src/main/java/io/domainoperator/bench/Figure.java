package io.domainoperator.bench;

import java.util.Locale;

/**
 * One measured figure, with the target beside it when there is one. The benchmark prints whether a target
 * is met; it never fails on one (timing on a shared two-core machine is a measurement, not a test).
 */
public record Figure(String scenario, String what, String value, String target, Verdict verdict) {

    public enum Verdict {
        MET("met"), NOT_MET("NOT met"), NONE("");

        private final String text;

        Verdict(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }
    }

    /** A figure without a target. */
    public static Figure info(String scenario, String what, String value) {
        return new Figure(scenario, what, value, "", Verdict.NONE);
    }

    /** A figure whose target is an upper bound, in the same unit. */
    public static Figure atMost(String scenario, String what, double value, String unit, double target) {
        if (Double.isNaN(target)) {
            return info(scenario, what, value(value, unit));
        }
        Verdict verdict = Double.isNaN(value) ? Verdict.NOT_MET : value <= target ? Verdict.MET : Verdict.NOT_MET;
        return new Figure(scenario, what, value(value, unit), ("<= " + format(target) + " " + unit).trim(), verdict);
    }

    /** Seconds from milliseconds, with an upper bound in seconds. */
    public static Figure secondsAtMost(String scenario, String what, double millis, double targetSeconds) {
        return atMost(scenario, what, millis / 1000, "s", targetSeconds);
    }

    private static String value(double v, String unit) {
        return Double.isInfinite(v) || Double.isNaN(v) ? format(v) : (format(v) + " " + unit).trim();
    }

    public static String format(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        if (Double.isInfinite(v)) {
            return "never (not all Running)";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return String.format(Locale.ROOT, "%d", (long) v);
        }
        return String.format(Locale.ROOT, Math.abs(v) >= 100 ? "%.0f" : Math.abs(v) >= 10 ? "%.1f" : "%.2f", v);
    }
}
