package io.domainoperator.device;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The fake kernel's record of sysfs writes and the faults a test injects into them: a write that fails with
 * EIO (by number or by "path=value"), and the agent dying just before a given write.
 */
final class WriteFaults {
    private final List<String> writes = new ArrayList<>();
    private Predicate<String> failWhen = w -> false;
    private Set<Integer> failOnce = Set.of();
    private int crashAt = -1;
    private Predicate<String> crashWhen = w -> false;

    List<String> writes() {
        return List.copyOf(writes);
    }

    int count() {
        return writes.size();
    }

    void failWhen(Predicate<String> pathAndValue) {
        this.failWhen = pathAndValue;
    }

    void failWriteNumbers(Set<Integer> numbers) {
        this.failOnce = Set.copyOf(numbers);
    }

    void crashAtWrite(int number) {
        this.crashAt = number;
    }

    void crashBefore(Predicate<String> pathAndValue) {
        this.crashWhen = pathAndValue;
    }

    void healthy() {
        failWhen = w -> false;
        failOnce = Set.of();
        crashAt = -1;
        crashWhen = w -> false;
    }

    /** Before the write reaches the kernel: dies here (once) if the test asked for it, else records it. */
    void beforeWrite(String path, String value) {
        int number = writes.size() + 1;
        if (number == crashAt || crashWhen.test(path + "=" + value)) {
            crashWhen = w -> false;
            crashAt = -1;
            throw new SimulatedCrash("#" + number + " " + path);
        }
        writes.add(path + "=" + value);
    }

    /** Whether a driver's probe() of a device should fail ("probe <driver> <address>"). */
    boolean failsProbe(String driver, String address) {
        return failWhen.test("probe " + driver + " " + address);
    }

    /** Whether the write just recorded is one the test wants refused with EIO. */
    boolean refuses(String path, String value) {
        return failOnce.contains(writes.size()) || failWhen.test(path + "=" + value);
    }
}
