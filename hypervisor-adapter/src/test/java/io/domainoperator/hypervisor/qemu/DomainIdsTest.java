package io.domainoperator.hypervisor.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DomainIdsTest {
    @TempDir
    Path dir;

    @Test
    void idsStartAtOneAndAreNeverReusedAcrossRestarts() {
        DomainIds ids = new DomainIds(dir.resolve("next-domain-id"));
        assertThat(ids.next()).isEqualTo(1);
        assertThat(ids.next()).isEqualTo(2);
        assertThat(new DomainIds(dir.resolve("next-domain-id")).next()).isEqualTo(3);
    }

    @Test
    void aLostCounterIsRaisedAboveTheIdsInUse() {
        DomainIds ids = new DomainIds(dir.resolve("next-domain-id"));
        ids.reserveAbove(41);
        ids.reserveAbove(7);
        assertThat(ids.next()).isEqualTo(42);
    }

    @Test
    void aCorruptCounterSaysHowToRecover() throws IOException {
        Files.writeString(dir.resolve("next-domain-id"), "garbage");
        assertThatThrownBy(() -> new DomainIds(dir.resolve("next-domain-id")).next())
            .hasMessageContaining("is corrupt").hasMessageContaining("delete it");
    }
}
