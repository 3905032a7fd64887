package io.domainoperator.hypervisor.qemu;

import static org.assertj.core.api.Assertions.assertThat;

import io.domainoperator.hypervisor.DomainState;
import io.domainoperator.hypervisor.ShutdownReason;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class QemuStatesTest {

    @ParameterizedTest(name = "{0} after a {1} shutdown event -> {2}")
    @CsvSource({
        "running,        NONE,     r-----",
        "prelaunch,      NONE,     --p---",
        "paused,         NONE,     --p---",
        "io-error,       NONE,     --p---",
        "shutdown,       POWEROFF, ---s--(POWEROFF)",
        "shutdown,       REBOOT,   ---s--(REBOOT)",
        "shutdown,       NONE,     ---s--(POWEROFF)",
        "guest-panicked, NONE,     ---sc-(CRASH)",
        "internal-error, NONE,     ---sc-(CRASH)",
        "watchdog,       NONE,     ---s--(WATCHDOG)",
        "suspended,      NONE,     ---s--(SUSPEND)",
    })
    void runStatesBecomeXenStyleFlags(String status, ShutdownReason lastEvent, String expected) {
        assertThat(QemuStates.toDomainState(status, lastEvent).toString()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "SHUTDOWN reason {0} -> {1}")
    @CsvSource({
        "guest-shutdown,        POWEROFF",
        "guest-reset,           REBOOT",
        "host-qmp-system-reset, REBOOT",
        "guest-panic,           CRASH",
        "host-error,            CRASH",
        "host-qmp-quit,         POWEROFF",
        "something-new,         POWEROFF",
    })
    void shutdownCausesBecomeReasons(String cause, ShutdownReason expected) {
        assertThat(QemuStates.fromShutdownCause(cause)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} is alive: {1}")
    @CsvSource({"running, true", "prelaunch, false", "shutdown, false"})
    void onlyRunningIsAlive(String status, boolean alive) {
        DomainState state = QemuStates.toDomainState(status, ShutdownReason.NONE);
        assertThat(state.isAlive()).isEqualTo(alive);
    }
}
