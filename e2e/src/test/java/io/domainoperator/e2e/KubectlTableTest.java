package io.domainoperator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import io.domainoperator.e2e.harness.KubectlTable;

class KubectlTableTest {

    @Test
    void cellsAreReadByHeaderIncludingEmptyOnes() {
        KubectlTable table = KubectlTable.parse("""
                NAME       AGE   MEMORY   VCPUS   READY   DOMID   NODE         PHASE
                router     5s    512      2       True    7       e2e-node-a   Running
                pv-guest   5s    128      1                                    
                """);

        assertThat(table.headers()).containsExactly("NAME", "AGE", "MEMORY", "VCPUS", "READY", "DOMID", "NODE", "PHASE");
        assertThat(table.row("router"))
                .containsEntry("MEMORY", "512")
                .containsEntry("DOMID", "7")
                .containsEntry("NODE", "e2e-node-a")
                .containsEntry("PHASE", "Running");
        assertThat(table.row("pv-guest"))
                .containsEntry("VCPUS", "1")
                .containsEntry("READY", "")
                .containsEntry("PHASE", "");
    }

    @Test
    void emptyOutputIsAnEmptyTable() {
        assertThat(KubectlTable.parse("").rows()).isEmpty();
    }
}
