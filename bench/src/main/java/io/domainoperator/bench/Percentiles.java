package io.domainoperator.bench;

import java.util.Arrays;
import java.util.Collection;

/**
 * Nearest-rank percentiles of a sample of durations in milliseconds: P99 of 100 values is the 99th smallest, no
 * interpolation, so every figure printed is a time some domain really took.
 */
public record Percentiles(int count, double p50, double p95, double p99, double max) {

    public static Percentiles of(Collection<Double> millis) {
        if (millis.isEmpty()) {
            return new Percentiles(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        double[] sorted = millis.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(sorted);
        return new Percentiles(sorted.length, rank(sorted, 50), rank(sorted, 95), rank(sorted, 99), sorted[sorted.length - 1]);
    }

    static double rank(double[] sorted, double percentile) {
        int index = (int) Math.ceil(percentile / 100 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
