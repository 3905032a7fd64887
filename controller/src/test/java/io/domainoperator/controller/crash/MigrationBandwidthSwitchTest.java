package io.domainoperator.controller.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MigrationBandwidthSwitchTest {
    @Test
    void unsetIsInert() {
        assertThat(MigrationBandwidthSwitch.parse(null)).isEmpty();
        assertThat(MigrationBandwidthSwitch.parse(" ")).isEmpty();
    }

    @Test
    void aNumberIsBytesPerSecond() {
        assertThat(MigrationBandwidthSwitch.parse("1048576").getAsLong()).isEqualTo(1_048_576L);
    }

    @Test
    void aTypoStopsTheAgentNamingTheVariable() {
        for (String bad : new String[] {"1M", "0", "-5"}) {
            assertThatThrownBy(() -> MigrationBandwidthSwitch.parse(bad)).as(bad)
                .hasMessageContaining(MigrationBandwidthSwitch.ENV).hasMessageContaining("bytes per second");
        }
    }
}
