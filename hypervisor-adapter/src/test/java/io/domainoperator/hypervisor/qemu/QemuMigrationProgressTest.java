package io.domainoperator.hypervisor.qemu;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.domainoperator.hypervisor.MigrationProgress;
import org.junit.jupiter.api.Test;

/** {@code query-migrate} answers as QEMU 7.2 gives them, read as the outgoing copy's state. */
class QemuMigrationProgressTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aGuestThatArrivedByMigrationHasNoOutgoingCopy() throws Exception {
        // Regression (MigrationCrashE2E): the incoming side's "completed" was taken for an outgoing copy's, so moving
        // the guest on again wrote the hand-over at once, without a byte copied.
        assertThat(progress("{\"status\": \"completed\"}")).isEqualTo(MigrationProgress.NONE);
        assertThat(progress("{}")).isEqualTo(MigrationProgress.NONE);
    }

    @Test
    void anOutgoingCopyIsReadWithItsFigures() throws Exception {
        assertThat(progress("{\"status\": \"setup\", \"total-time\": 3}").state()).isEqualTo(MigrationProgress.State.ACTIVE);
        assertThat(progress("{\"status\": \"active\", \"total-time\": 300, \"ram\": {\"total\": 1}}").state())
            .isEqualTo(MigrationProgress.State.ACTIVE);
        MigrationProgress done = progress("{\"status\": \"completed\", \"total-time\": 700, \"downtime\": 175, \"ram\": {}}");
        assertThat(done.state()).isEqualTo(MigrationProgress.State.COMPLETED);
        assertThat(done.totalMillis()).isEqualTo(700);
        assertThat(done.downtimeMillis()).isEqualTo(175);
        // A failed copy's answer carries no ram figures either: it stays a failure (the target died mid-copy).
        MigrationProgress failed = progress("{\"status\": \"failed\", \"error-desc\": \"Connection reset by peer\"}");
        assertThat(failed.state()).isEqualTo(MigrationProgress.State.FAILED);
        assertThat(failed.error()).contains("Connection reset");
    }

    @Test
    void anActiveCopyCarriesItsByteFiguresForTheCopyDeadlines() throws Exception {
        MigrationProgress copying = progress("{\"status\": \"active\", \"total-time\": 900, "
            + "\"ram\": {\"total\": 134217728, \"transferred\": 5242880, \"remaining\": 120586240}}");
        assertThat(copying.sentBytes()).isEqualTo(5_242_880);
        assertThat(copying.remainingBytes()).isEqualTo(120_586_240);
        MigrationProgress settingUp = progress("{\"status\": \"setup\"}");
        assertThat(settingUp.sentBytes()).as("no figure before the RAM copy began").isEqualTo(MigrationProgress.UNKNOWN);
        assertThat(settingUp.remainingBytes()).isEqualTo(MigrationProgress.UNKNOWN);
    }

    private static MigrationProgress progress(String answer) throws Exception {
        JsonNode info = JSON.readTree(answer);
        return QemuLiveMigration.progressOf(info);
    }
}
