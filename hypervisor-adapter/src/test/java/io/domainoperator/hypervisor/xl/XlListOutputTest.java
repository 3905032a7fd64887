package io.domainoperator.hypervisor.xl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.domainoperator.hypervisor.DomainState;
import io.domainoperator.hypervisor.HostInfo;
import io.domainoperator.hypervisor.ShutdownReason;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Output in the exact printf layout of Xen 4.17's xl_list.c and xl_info.c. */
class XlListOutputTest {
    private static final String OUTPUT = """
        Name                                        ID   Mem VCPUs\tState\tTime(s)   UUID                            Reason-Code\tSecurity Label
        Domain-0                                     0  2048     4     r-----    1234.5 00000000-0000-0000-0000-000000000000        -                -
        vyos-app.1                                   3   500     1     -b----      12.3 4a144db0-6b63-405a-b884-7760042023b1        -                -
        halted                                       4   256     1     ---s--       7.0 11111111-2222-3333-4444-555555555555        0                -
        rebooting                                    5   256     1     ---sr-       7.1 11111111-2222-3333-4444-555555555556        1                -
        crashed                                      6   256     1     ---sc-       0.4 11111111-2222-3333-4444-555555555557        3                -
        half                                         7   256     2     --p---       0.0 11111111-2222-3333-4444-555555555558        -                -
        (null)                                       8     0     0     -----d       0.1 11111111-2222-3333-4444-555555555559        -                -
        my old vm                                    9   128     1     -bp---       3.0 11111111-2222-3333-4444-55555555555a        -                -
        """;

    @Test
    void readsStateReasonTimeAndUuid() {
        List<XlListOutput.Entry> entries = XlListOutput.parseList(OUTPUT);
        assertThat(entries).extracting(XlListOutput.Entry::name)
            .containsExactly("Domain-0", "vyos-app.1", "halted", "rebooting", "crashed", "half", "(null)", "my old vm");
        XlListOutput.Entry vyos = entries.get(1);
        assertThat(vyos.domainId()).isEqualTo(3);
        assertThat(vyos.memoryBytes()).isEqualTo(500L * 1024 * 1024);
        assertThat(vyos.cpuTimeNanos()).isEqualTo(12_300_000_000L);
        assertThat(vyos.state()).isEqualTo(DomainState.BLOCKED);
        assertThat(vyos.state().isAlive()).isTrue();
        assertThat(entries.get(2).state()).isEqualTo(DomainState.shutdown(ShutdownReason.POWEROFF));
        assertThat(entries.get(3).state().shutdownReason()).isEqualTo(ShutdownReason.REBOOT);
        assertThat(entries.get(4).state()).isEqualTo(DomainState.shutdown(ShutdownReason.CRASH));
        assertThat(entries.get(5).state()).isEqualTo(DomainState.PAUSED);
        assertThat(entries.get(6).state().dying()).isTrue();
        assertThat(entries.get(7).state().paused()).isTrue();
        assertThat(entries.get(7).state().blocked()).isTrue();
    }

    @Test
    void namesTheLineItCannotRead() {
        assertThatThrownBy(() -> XlListOutput.parseList("Name ID\nweb 3 garbage\n"))
            .hasMessageContaining("line 2").hasMessageContaining("web 3 garbage");
    }

    @Test
    void readsXlInfo() {
        HostInfo host = XlListOutput.parseInfo("""
            host                   : node1
            nr_cpus                : 16
            total_memory           : 32604
            free_memory            : 1024
            xen_version            : 4.17.5
            """, 42);
        assertThat(host).isEqualTo(new HostInfo(16, 32604L << 20, 1024L << 20, 42));
        assertThatThrownBy(() -> XlListOutput.parseInfo("host : x\n", 0)).hasMessageContaining("nr_cpus");
    }
}
