package io.domainoperator.hypervisor;

/**
 * An amount of memory. The API speaks MiB ({@code spec.memoryMiB}, {@code xl list}), the port and the metrics
 * speak bytes; this is the one place that converts between them.
 *
 * @param bytes the amount in bytes, never negative
 */
public record MemorySize(long bytes) implements Comparable<MemorySize> {
    private static final long MIB = 1024L * 1024L;

    public MemorySize {
        if (bytes < 0) {
            throw new IllegalArgumentException("memory cannot be negative: " + bytes + " bytes");
        }
    }

    public static MemorySize ofMiB(long mib) {
        return new MemorySize(Math.multiplyExact(mib, MIB));
    }

    public static MemorySize ofBytes(long bytes) {
        return new MemorySize(bytes);
    }

    /** Whole MiB, rounded down. */
    public long mib() {
        return bytes / MIB;
    }

    @Override
    public int compareTo(MemorySize other) {
        return Long.compare(bytes, other.bytes);
    }

    @Override
    public String toString() {
        return bytes % MIB == 0 ? mib() + " MiB" : bytes + " bytes";
    }
}
