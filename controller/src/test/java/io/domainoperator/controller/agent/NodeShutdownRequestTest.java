package io.domainoperator.controller.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file protocol between the host's shutdown unit and the agent: request, one halt, done file, even on failure. */
class NodeShutdownRequestTest {
    @TempDir
    Path runDir;

    @Test
    void theHaltRunsOnceWhenTheRequestAppearsAndTheDoneFileFollows() throws Exception {
        AtomicInteger halts = new AtomicInteger();
        try (NodeShutdownRequest request = new NodeShutdownRequest(runDir)) {
            assertThat(request.requested()).isFalse();
            request.onRequest(halts::incrementAndGet);

            Files.writeString(runDir.resolve("halt-all"), "");

            await("done file").atMost(Duration.ofSeconds(20)).until(() -> Files.exists(runDir.resolve("halt-all.done")));
            assertThat(halts).hasValue(1);
            assertThat(request.requested()).as("the request lasts until the node reboots").isTrue();
        }
    }

    @Test
    void aFailedHaltStillWritesTheDoneFileSoTheHostDoesNotWaitItsWholeTimeout() throws Exception {
        try (NodeShutdownRequest request = new NodeShutdownRequest(runDir)) {
            request.onRequest(() -> {
                throw new IllegalStateException("the API server is gone");
            });
            Files.writeString(runDir.resolve("halt-all"), "");

            await("done file").atMost(Duration.ofSeconds(20)).until(() -> Files.exists(runDir.resolve("halt-all.done")));
        }
    }

    @Test
    void noRequestNoHalt() {
        AtomicInteger halts = new AtomicInteger();
        try (NodeShutdownRequest request = new NodeShutdownRequest(runDir)) {
            request.onRequest(halts::incrementAndGet);
        }
        assertThat(halts).hasValue(0);
        assertThat(runDir.resolve("halt-all.done")).doesNotExist();
    }
}
