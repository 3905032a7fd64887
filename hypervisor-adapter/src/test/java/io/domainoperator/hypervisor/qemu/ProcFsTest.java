package io.domainoperator.hypervisor.qemu;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcFsTest {
    @TempDir
    Path proc;

    @Test
    void cpuTicksAreCountedAfterACommandNameWithSpacesAndParentheses() {
        String line = "4242 (CPU 0/TCG) S 1 4240 4240 0 -1 4194368 12 0 0 0 1234 56 0 0 20 0 3 0 100 0 0";
        assertThat(ProcFs.cpuTicks(line)).isEqualTo(1290);
        assertThat(ProcFs.cpuTicks("7 (a) b)) R 1 1 1 0 -1 0 0 0 0 0 3 4 0 0 20 0 1 0 1 0 0")).isEqualTo(7);
    }

    @Test
    void vcpuTimeSumsTheGivenThreadsAndCountsVanishedOnesAsZero() throws IOException {
        writeStat(100, 101, "101 (CPU 0/TCG) R 1 1 1 0 -1 0 0 0 0 0 250 50 0 0 20 0 1 0 1 0 0");
        writeStat(100, 102, "102 (CPU 1/TCG) S 1 1 1 0 -1 0 0 0 0 0 100 0 0 0 20 0 1 0 1 0 0");
        writeStat(100, 103, "103 (IO mon_iothread) S 1 1 1 0 -1 0 0 0 0 0 999 999 0 0 20 0 1 0 1 0 0");
        ProcFs fs = new ProcFs(proc);
        assertThat(fs.threadsCpuNanos(100, List.of(101L, 102L, 104L))).isEqualTo(400 * ProcFs.NANOS_PER_TICK);
        assertThat(fs.threadsCpuNanos(200, List.of(1L))).isZero();
    }

    @Test
    void aProcessStoppedByASignalIsSeenInItsStatState() throws IOException {
        Files.createDirectories(proc.resolve("8"));
        Files.writeString(proc.resolve("8/stat"), "8 (qemu-system-x86) T 1 1 1 0 -1 0 0 0 0 0 3 4 0 0 20 0 1 0 1 0 0");
        Files.createDirectories(proc.resolve("9"));
        Files.writeString(proc.resolve("9/stat"), "9 (a) T) S 1 1 1 0 -1 0 0 0 0 0 3 4 0 0 20 0 1 0 1 0 0");
        ProcFs fs = new ProcFs(proc);
        assertThat(fs.stopped(8)).isTrue();
        assertThat(fs.stopped(9)).as("a T in the command name is not the state").isFalse();
        assertThat(fs.stopped(10)).as("no such process").isFalse();
    }

    @Test
    void cmdlineSplitsOnNulAndIsEmptyForAMissingProcess() throws IOException {
        Files.createDirectories(proc.resolve("5"));
        Files.writeString(proc.resolve("5/cmdline"), "qemu-system-x86_64\0-qmp\0unix:/s/qmp.sock,server=on\0");
        ProcFs fs = new ProcFs(proc);
        assertThat(fs.cmdline(5)).containsExactly("qemu-system-x86_64", "-qmp", "unix:/s/qmp.sock,server=on");
        assertThat(fs.cmdline(6)).isEmpty();
    }

    @Test
    void hostMemoryAndBusyTime() throws IOException {
        Files.writeString(proc.resolve("meminfo"), "MemTotal:       24683520 kB\nMemFree:  100 kB\nMemAvailable:   24440000 kB\n");
        Files.writeString(proc.resolve("stat"), "cpu  100 5 50 9000 7 3 2 1 0 0\ncpu0 50 2 25 4500 3 1 1 0 0 0\n");
        ProcFs fs = new ProcFs(proc);
        assertThat(fs.memory()).containsExactly(24683520L * 1024, 24440000L * 1024);
        assertThat(fs.hostBusyNanos()).isEqualTo((100 + 5 + 50 + 3 + 2 + 1) * ProcFs.NANOS_PER_TICK);
    }

    private void writeStat(long pid, long tid, String line) throws IOException {
        Path dir = proc.resolve(pid + "/task/" + tid);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("stat"), line + "\n");
    }
}
