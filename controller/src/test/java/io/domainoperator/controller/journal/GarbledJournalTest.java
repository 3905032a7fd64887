package io.domainoperator.controller.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.domainoperator.reconciler.Journal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile journal files, as a torn write on a filesystem without our rename, a bad disk or a hand edit leaves them:
 * every truncation of a real entry, bit flips, garbage, JSON of the wrong shape. Each either reads as a journal or
 * fails with a JournalException that names the file and where its bytes were kept; the bytes are kept exactly
 * (nothing lost), and the next load starts from an empty journal instead of failing again. Regression: JSON
 * {@code null} or a wrong-shaped entry failed every load with a NullPointerException, never set aside.
 */
class GarbledJournalTest {
    @TempDir
    Path dir;

    @Test
    void everyTruncationAndMutationOfARealEntryReadsOrIsKeptAsideWhole() throws Exception {
        byte[] real = Files.readAllBytes(Path.of("src/test/resources/journal/flat-2026-11.json"));
        List<byte[]> inputs = new ArrayList<>();
        for (int n = 0; n < real.length; n++) {
            inputs.add(Arrays.copyOf(real, n));
        }
        Random random = new Random(16);
        for (int i = 0; i < 400; i++) {
            byte[] mutated = real.clone();
            for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
                mutated[random.nextInt(mutated.length)] ^= (byte) (1 << random.nextInt(8));
            }
            inputs.add(mutated);
        }
        for (String text : List.of("", "null", "[]", "{}", "\"x\"", "42", "{\"generation\": \"three\"}",
            "{\"intent\": {\"operation\": 7, \"outcome\": \"MAYBE\"}}", "{\"preparedDisks\": \"/etc/shadow\"}",
            "\u0000\u0000\u0000", "{\"domainName\": \"a\\u0000b\"}", "{".repeat(10_000))) {
            inputs.add(text.getBytes(StandardCharsets.UTF_8));
        }

        int read = 0;
        int keptAside = 0;
        FileJournalStore<Journal> store = FileJournalStore.mapped(dir, JournalFile.class, JournalFile::of, JournalFile::journal);
        for (int i = 0; i < inputs.size(); i++) {
            Path file = store.directory().resolve("ns%2Fvm" + i + ".json");
            Files.write(file, inputs.get(i));
            try {
                assertThat(store.load("ns/vm" + i)).isPresent();
                read++;
            } catch (JournalException e) {
                keptAside++;
                Path aside = store.directory().resolve("ns%2Fvm" + i + ".json.corrupt-1");
                assertThat(e.getMessage()).as("input %d", i).contains(file.toString()).contains(aside.toString());
                assertThat(Files.readAllBytes(aside)).as("input %d kept byte for byte", i).isEqualTo(inputs.get(i));
                assertThat(store.load("ns/vm" + i)).as("after it was set aside").isEmpty();
            } catch (RuntimeException e) {
                fail("input " + i + " failed with " + e + " instead of a JournalException");
            }
        }
        System.out.printf("garbled journals: %d inputs, %d read, %d kept aside%n", inputs.size(), read, keptAside);
        assertThat(read + keptAside).isEqualTo(inputs.size());
        assertThat(keptAside).isGreaterThan(real.length - 2);
    }
}
