package io.domainoperator.hypervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MemorySizeTest {
    @Test
    void mibAndBytesConvertBothWays() {
        assertThat(MemorySize.ofMiB(128).bytes()).isEqualTo(134_217_728L);
        assertThat(MemorySize.ofBytes(134_217_728L + 5).mib()).isEqualTo(128);
        assertThat(MemorySize.ofMiB(4096)).isGreaterThan(MemorySize.ofMiB(512));
    }

    @Test
    void itPrintsInTheUnitThePeopleReadingItUse() {
        assertThat(MemorySize.ofMiB(256)).hasToString("256 MiB");
        assertThat(MemorySize.ofBytes(1000)).hasToString("1000 bytes");
    }

    @Test
    void negativeOrOverflowingAmountsAreRefused() {
        assertThatThrownBy(() -> MemorySize.ofBytes(-1)).hasMessageContaining("negative");
        assertThatThrownBy(() -> MemorySize.ofMiB(Long.MAX_VALUE)).isInstanceOf(ArithmeticException.class);
    }
}
