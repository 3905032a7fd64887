package io.domainoperator.hypervisor.qemu;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConsoleLogTest {
    @TempDir
    Path dir;

    @Test
    void aLogUnderTheCapIsLeftAlone() throws IOException {
        Path log = Files.writeString(dir.resolve("console.log"), "hello\n");
        assertThat(new ConsoleLog(log).rotateIfOver(1024)).isFalse();
        assertThat(Files.readString(log)).isEqualTo("hello\n");
        assertThat(ConsoleLog.previousGeneration(log)).doesNotExist();
    }

    @Test
    void aLogOverTheCapKeepsItsNewestBytesInTheOlderGenerationAndStartsAgain() throws IOException {
        Path log = dir.resolve("console.log");
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            text.append("line ").append(i).append('\n');
        }
        Files.writeString(log, text);

        assertThat(new ConsoleLog(log).rotateIfOver(1024)).isTrue();

        assertThat(Files.size(log)).isZero();
        String previous = Files.readString(ConsoleLog.previousGeneration(log));
        assertThat(previous).hasSize(1024).endsWith("line 999\n");
        assertThat(new ConsoleLog(log).bytesOnDisk()).isEqualTo(1024);
    }

    @Test
    void aWriterAppendingAfterTheRotationWritesAtTheStart() throws IOException {
        Path log = dir.resolve("console.log");
        // QEMU opens its logfile with O_APPEND and keeps it open: so does this writer.
        try (var writer = Files.newOutputStream(log, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            writer.write("x".repeat(5000).getBytes(StandardCharsets.US_ASCII));
            writer.flush();
            new ConsoleLog(log).rotateIfOver(2048);
            writer.write("after\n".getBytes(StandardCharsets.US_ASCII));
        }
        assertThat(Files.readString(log)).isEqualTo("after\n");
    }

    @Test
    void aMissingLogIsNoError() {
        assertThat(new ConsoleLog(dir.resolve("absent.log")).rotateIfOver(1024)).isFalse();
    }
}
