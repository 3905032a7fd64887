package io.domainoperator.hypervisor.xl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.domainoperator.hypervisor.HypervisorException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Removing stale backends when another create on the node got there first: the agent runs creates (and restores) of
 * different domains in parallel, each cleaning the same dead domain's backends. xenstore-rm then fails on a path whose
 * parent went with the other's removal; that is not a failure of this create (found by XlSaveRestoreAgentIT: a restore
 * failed on it and its save image was set aside, the guest booted afresh).
 */
class StaleBackendsTest {
    private static final Set<StaleBackends.Entry> DEAD_2 = Set.of(new StaleBackends.Entry("vbd", 2));

    @Test
    void aBackendRemovedMeanwhileByAnotherCreateIsNotAFailure() {
        RecordingRunner runner = new RecordingRunner()
            .answer(1, "", "xenstore-rm: could not remove path /local/domain/0/backend/vbd/2\n")
            .answer(1, "", "xenstore-ls: xs_directory (/local/domain/0/backend/vbd/2): No such file or directory\n");
        List<String> removed = new StaleBackends(runner, "xenstore-ls", "xenstore-rm", Duration.ofSeconds(5))
            .removeDead("keeper", DEAD_2, Set.of(0));
        assertThat(removed).as("not removed by this create").isEmpty();
        assertThat(runner.calls).containsExactly(List.of("xenstore-rm", "/local/domain/0/backend/vbd/2"),
            List.of("xenstore-ls", "-f", "/local/domain/0/backend/vbd/2"));
    }

    @Test
    void aBackendStillThereAfterAFailedRemovalFailsTheCreateNamingTheCommand() {
        RecordingRunner runner = new RecordingRunner()
            .answer(1, "", "xenstore-rm: could not remove path /local/domain/0/backend/vbd/2: Permission denied\n")
            .answer(0, "/local/domain/0/backend/vbd/2/51712/state = \"4\"\n", "");
        StaleBackends backends = new StaleBackends(runner, "xenstore-ls", "xenstore-rm", Duration.ofSeconds(5));
        assertThatThrownBy(() -> backends.removeDead("keeper", DEAD_2, Set.of(0)))
            .isInstanceOf(HypervisorException.class)
            .hasMessageContaining("Permission denied").hasMessageContaining("`xenstore-rm /local/domain/0/backend/vbd/2`");
    }
}
