package io.domainoperator.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.domainoperator.controller.agent.SimulatorSetup;
import io.domainoperator.hypervisor.sim.SimulatorLatencies;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SimFlagConvertersTest {
    @Test
    void namedLatenciesOverrideTheRealisticOnes() {
        SimulatorLatencies l = new SimLatencyConverter().convert("create=2s, unpause=0,list=5ms,guest-shutdown=1m");
        assertThat(l.create()).isEqualTo(Duration.ofSeconds(2));
        assertThat(l.unpause()).isZero();
        assertThat(l.list()).isEqualTo(Duration.ofMillis(5));
        assertThat(l.guestShutdown()).isEqualTo(Duration.ofMinutes(1));
        assertThat(l.destroy()).as("not named: the default").isEqualTo(SimulatorLatencies.realistic().destroy());
        assertThat(new SimLatencyConverter().convert("none")).isEqualTo(SimulatorLatencies.NONE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "create", "boot=1s", "create=fast", "create=-1s", "list=2h", "create=800ms,"})
    void badLatenciesNameWhatIsExpected(String value) {
        assertThatThrownBy(() -> new SimLatencyConverter().convert(value))
            .hasMessageMatching("(?s).*(OPERATION=DURATION|must be a duration such as 800ms).*");
    }

    @Test
    void hangsNameTheCallTheDomainAndTheTime() {
        assertThat(new SimHangConverter().convert("shutdown:web-1=60s"))
            .isEqualTo(new SimulatorSetup.Hang(SimulatorSetup.HangingCall.SHUTDOWN, "web-1", Duration.ofSeconds(60)));
        assertThat(new SimHangConverter().convert("list:db=500ms").call()).isEqualTo(SimulatorSetup.HangingCall.LIST);
    }

    @ParameterizedTest
    @ValueSource(strings = {"web=60s", "reboot:web=60s", "shutdown:=60s", "shutdown:web", "shutdown:web=0", "list:web=soon"})
    void badHangsAreRefused(String value) {
        assertThatThrownBy(() -> new SimHangConverter().convert(value))
            .hasMessageMatching("(?s).*(CALL:DOMAIN=DURATION|must be a duration).*");
    }
}
