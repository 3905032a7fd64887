package io.domainoperator.hypervisor.qemu;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The QEMU host's free figure for memory admission: MemAvailable, but never more than MemTotal less the host's reserve
 * (512 MiB) and the maximum memory of the QEMUs already running, which take their RAM only as the guest touches it.
 */
class QemuHostMemoryTest {
    private static final long MIB = 1L << 20;

    @ParameterizedTest(name = "total {0}, available {1}, committed {2} MiB -> {3} MiB free")
    @CsvSource(textBlock = """
        # no guest yet: what the kernel says is available
        8192, 7000,    0, 7000
        # a 4 GiB guest that touched little of its RAM: MemAvailable still says 6900, but 4 GiB are promised
        8192, 6900, 4096, 3584
        # two such guests: nothing left, although MemAvailable says 6800
        8192, 6800, 7680,    0
        # more promised than the host has (guests started before this rule): zero, never negative
        8192, 6800, 9000,    0
        # something outside our guests uses the memory: MemAvailable is the smaller figure and wins
        8192, 1000, 2048, 1000
        """)
    void freeIsMemAvailableCappedByWhatRunningGuestsMayStillTake(long total, long available, long committed, long free) {
        assertThat(QemuHostMemory.freeBytes(total * MIB, available * MIB, committed * MIB)).isEqualTo(free * MIB);
    }
}
