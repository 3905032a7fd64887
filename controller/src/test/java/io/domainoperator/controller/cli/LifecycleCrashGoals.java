package io.domainoperator.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.domainoperator.controller.cli.CrashScenario.Goal;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The crash scenario's goals for issue 18's operations, on the simulator: a live resize, a pause, a resume, a suspend
 * (desiredState Suspended saves the guest), a restore (back to Running), a restore from a damaged image (set aside,
 * booted afresh), a halt while saved (the image set aside), and the save at the node's shutdown (the host unit's
 * halt-all request with spec.onHostShutdown Save; the next agent restores). What each must end in once the next agent
 * converged is checked here (resize, pause and resume under QEMU too), and, right after the kill, that the guest is held by a domain or a complete image: a
 * save never loses it, and an image is never removed before the guest it holds runs again.
 */
final class LifecycleCrashGoals {
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final String SIM_IMAGE_MAGIC = "domain-operator simulated save image v1";
    private static final String DAMAGED = "damaged\n";
    /** Issue 18's resize: booted with room for 2 vCPUs and 128 MiB, then asked for all of it. */
    private static final String RESIZE_ROOM = "  maxVcpus: 2\n  maxMemoryMiB: 128\n";

    private final CrashScenario s;
    /** The domain's id on the simulator just before the kill (-1: none), and whether a complete image held the guest. */
    private int idAtKill = -1;
    private boolean imageAtKill;

    LifecycleCrashGoals(CrashScenario scenario) {
        this.s = scenario;
    }

    /** The manifest the armed agent boots the domain from. */
    void prepare(Goal goal) throws IOException {
        switch (goal) {
            case RESIZE -> s.writeManifest(true, RESIZE_ROOM);
            case SAVE -> s.writeManifest(true, "  onHostShutdown: Save\n");
            default -> {
            }
        }
    }

    /** With web Running under the armed agent: the changes that lead to the goal's operations. */
    void drive(Goal goal, CliProcess armed) throws IOException {
        switch (goal) {
            case RESIZE -> {
                s.size(2, 128);
                s.writeManifest(true, RESIZE_ROOM);
            }
            case PAUSE -> desired("Paused");
            case RESUME -> {
                desired("Paused");
                s.awaitPhase(armed, "Paused");
                desired("Running");
            }
            case SUSPEND -> desired("Suspended");
            case RESTORE, RESTORE_CORRUPT, HALT_SAVED -> {
                desired("Suspended");
                s.awaitPhase(armed, "Suspended");
                if (goal == Goal.RESTORE_CORRUPT) {
                    Files.writeString(onlyImage(), DAMAGED);
                }
                if (goal == Goal.HALT_SAVED) {
                    s.writeManifest(false, "  desiredState: Suspended\n");
                } else {
                    desired("Running");
                }
            }
            case SAVE -> Files.writeString(Files.createDirectories(s.dir().resolve("run")).resolve("halt-all"), "");
            default -> throw new IllegalArgumentException(goal + " is not one of issue 18's goals");
        }
    }

    private void desired(String state) throws IOException {
        s.writeManifest(true, "  desiredState: " + state + "\n");
    }

    /** Right after the kill: the guest is held, by the domain or by a complete image (never by neither). */
    void afterKill(Goal goal) throws IOException {
        if (goal.ordinal() <= Goal.DELETE.ordinal()) {
            return;
        }
        idAtKill = s.domains().isEmpty() ? -1 : s.onQemu() ? 0 : simDomains().get(0).path("id").asInt();
        imageAtKill = images().stream().anyMatch(LifecycleCrashGoals::completeImage);
        // The test itself damaged the image of RESTORE_CORRUPT: there it holds what the test left of the guest.
        boolean aside = files(saveDir()).stream().anyMatch(n -> n.contains(".failed-") || n.contains(".halted-")
            || goal == Goal.RESTORE_CORRUPT && n.endsWith(".save"));
        assertThat(idAtKill >= 0 || imageAtKill || aside).as("the guest is held by a domain or an image at the kill: %s %s",
            simDomains(), files(saveDir())).isTrue();
        if (goal == Goal.SUSPEND || goal == Goal.SAVE) {
            assertThat(idAtKill >= 0 ^ imageAtKill).as("a save killed midway: exactly one of the domain and a complete"
                + " image holds the guest: %s %s", simDomains(), files(saveDir())).isTrue();
        }
        if (goal == Goal.SAVE) {
            // The node is back: the host unit's request is gone (an agent that finds it reconciles nothing).
            Files.deleteIfExists(s.dir().resolve("run/halt-all"));
            Files.deleteIfExists(s.dir().resolve("run/halt-all.done"));
        }
    }

    /** After the restart, once converged: the goal's end state (the scenario checks journal and disk copy). */
    void assertConverged(Goal goal) throws IOException {
        switch (goal) {
            case RESIZE -> {
                assertRuns("RUNNING");
                JsonNode applied = condition("ConfigApplied");
                // Under QEMU the agent's own look (QMP) is what says the size: ConfigApplied True means it saw it.
                JsonNode d = s.onQemu() ? applied : simDomains().get(0);
                boolean resized = s.onQemu() ? applied.path("status").asText().equals("True")
                    : d.path("vcpus").asInt() == 2 && d.path("memoryBytes").asLong() == 128L << 20;
                if (resized) {
                    assertThat(applied.path("status").asText()).as("ConfigApplied once resized: %s", applied).isEqualTo("True");
                } else {
                    assertThat(applied.path("reason").asText()).as("not resized (%s): ConfigApplied says why", d)
                        .isIn("RestartRequired", "LiveResizeFailed");
                }
            }
            case PAUSE -> assertRuns("PAUSED");
            case RESUME -> assertRuns("RUNNING");
            case SUSPEND -> {
                assertThat(s.phase()).isEqualTo("Suspended");
                assertThat(s.domains()).as("a suspended domain holds nothing").isEmpty();
                assertThat(files(saveDir())).as("one complete image, nothing partial").hasSize(1).allMatch(n -> n.endsWith(".save"));
                assertThat(completeImage(onlyImage())).as("the image is complete").isTrue();
            }
            case RESTORE -> {
                assertRuns("RUNNING");
                assertThat(files(saveDir())).as("the image goes once the guest runs").isEmpty();
                assertThat(condition("Restored").path("status").asText()).as("restored, not booted").isEqualTo("True");
            }
            case RESTORE_CORRUPT -> {
                assertRuns("RUNNING");
                List<String> left = files(saveDir());
                assertThat(left).as("the damaged image kept aside, never deleted").hasSize(1).allMatch(n -> n.contains(".failed-"));
                assertThat(Files.readString(saveDir().resolve(left.get(0)))).isEqualTo(DAMAGED);
                assertThat(condition("Restored").path("reason").asText()).isEqualTo("RestoreFailed");
            }
            case HALT_SAVED -> {
                assertThat(s.phase()).isEqualTo("Halted");
                assertThat(s.domains()).as("domains on the hypervisor").isEmpty();
                List<String> left = files(saveDir());
                assertThat(left).as("the image kept aside, never deleted").hasSize(1).allMatch(n -> n.contains(".halted-"));
                assertThat(completeImage(saveDir().resolve(left.get(0)))).as("the kept image is complete").isTrue();
            }
            case SAVE -> {
                assertRuns("RUNNING");
                assertThat(files(saveDir())).as("the image goes once the guest runs").isEmpty();
                if (imageAtKill) {
                    assertThat(condition("Restored").path("status").asText()).as("restored from the image, not booted")
                        .isEqualTo("True");
                } else {
                    assertThat(simDomains().get(0).path("id").asInt()).as("the domain the save never ended runs on")
                        .isEqualTo(idAtKill);
                }
            }
            default -> throw new IllegalArgumentException(goal + " is not one of issue 18's goals");
        }
    }

    /** Exactly one domain, in this simulator phase, and never left paused when Running is wished. */
    private void assertRuns(String simPhase) throws IOException {
        assertThat(s.phase()).isEqualTo(simPhase.equals("PAUSED") ? "Paused" : "Running");
        // Under QEMU one live QEMU process per domain whatever its guest does; the phase is the agent's QMP look.
        assertThat(s.domains()).as("domains on the hypervisor").containsExactly("web:" + (s.onQemu() ? "RUNNING" : simPhase));
    }

    private JsonNode condition(String type) throws IOException {
        Path file = s.stateDir().resolve("status/default_web.yaml");
        for (JsonNode c : YAML.readTree(file.toFile()).path("status").path("conditions")) {
            if (c.path("type").asText().equals(type)) {
                return c;
            }
        }
        throw new AssertionError("no condition " + type + " in " + Files.readString(file));
    }

    private List<JsonNode> simDomains() throws IOException {
        return SimulatorDomainsOnDisk.read(s.stateDir());
    }

    private Path saveDir() {
        return s.stateDir().resolve("save");
    }

    private List<Path> images() throws IOException {
        return files(saveDir()).stream().filter(n -> n.endsWith(".save")).map(saveDir()::resolve).toList();
    }

    private Path onlyImage() throws IOException {
        List<Path> images = images();
        assertThat(images).as("the save image").hasSize(1);
        return images.get(0);
    }

    /** A save image the simulator would restore from: its first line and its last say it was written whole. */
    private static boolean completeImage(Path image) {
        try {
            List<String> lines = Files.readAllLines(image);
            return lines.size() >= 5 && lines.get(0).equals(SIM_IMAGE_MAGIC) && lines.get(lines.size() - 1).equals("end");
        } catch (IOException e) {
            return false;
        }
    }

    private static List<String> files(Path dir) throws IOException {
        return CrashScenario.files(dir);
    }
}
