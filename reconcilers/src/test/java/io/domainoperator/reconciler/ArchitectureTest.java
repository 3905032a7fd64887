package io.domainoperator.reconciler;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The engine stays pure: no Kubernetes client, no files, no processes, no threads, no hypervisor backend or
 * port calls (only its value types), no clock or environment of its own. Checked on the compiled classes of
 * {@code src/main}, and shown to bite on a class that breaks each rule.
 */
class ArchitectureTest {
    static final JavaClasses ENGINE = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("io.domainoperator.reconciler");

    static final ArchRule NO_FORBIDDEN_PACKAGES = noClasses().that().resideInAPackage("io.domainoperator.reconciler..")
        .should().dependOnClassesThat().resideInAnyPackage(
            "io.fabric8.kubernetes.client..", "io.javaoperatorsdk..", "java.nio.file..", "java.net..",
            "java.util.concurrent..", "io.domainoperator.hypervisor.xl..", "io.domainoperator.hypervisor.qemu..",
            "io.domainoperator.hypervisor.sim..", "io.domainoperator.device..", "io.domainoperator.controller..")
        .because("decisions are pure: the controller observes and acts, the engine only decides");

    static final ArchRule NO_FILES_PROCESSES_OR_PORT_CALLS = noClasses().that()
        .resideInAPackage("io.domainoperator.reconciler..")
        .should().dependOnClassesThat(anyOf(
            "java.io.File", "java.io.FileInputStream", "java.io.FileOutputStream", "java.io.FileReader",
            "java.io.FileWriter", "java.io.RandomAccessFile", "java.lang.ProcessBuilder", "java.lang.Process",
            "java.lang.Runtime", "java.lang.Thread", "io.domainoperator.hypervisor.Hypervisor",
            "io.domainoperator.hypervisor.CommandRunner", "io.domainoperator.hypervisor.ProcessCommandRunner",
            "io.domainoperator.api.v1alpha1.DomainConfig", "io.domainoperator.api.v1alpha1.PhysicalIOAdapter"))
        .because("the engine uses the port's value types only, and the API's spec and status, not the client-bound "
            + "CustomResource classes");

    static final ArchRule NO_CLOCK_OR_ENVIRONMENT = noClasses().that().resideInAPackage("io.domainoperator.reconciler..")
        .should().callMethodWhere(readsClockOrEnvironment())
        .because("time comes only from the now argument, configuration only from Knobs");

    @Test
    void theEngineIsPure() {
        assertThat(ENGINE.size()).as("classes checked").isGreaterThan(15);
        NO_FORBIDDEN_PACKAGES.check(ENGINE);
        NO_FILES_PROCESSES_OR_PORT_CALLS.check(ENGINE);
        NO_CLOCK_OR_ENVIRONMENT.check(ENGINE);
    }

    @Test
    void theRulesBite() {
        JavaClasses bad = new ClassFileImporter().importClasses(Offender.class);
        assertThat(NO_CLOCK_OR_ENVIRONMENT.evaluate(bad).hasViolation()).isTrue();
        assertThat(NO_FILES_PROCESSES_OR_PORT_CALLS.evaluate(bad).hasViolation()).isTrue();
        assertThat(NO_FORBIDDEN_PACKAGES.evaluate(bad).hasViolation()).isTrue();
    }

    /** Breaks every rule; lives in the tests, so the main import never sees it. */
    @SuppressWarnings("unused")
    static final class Offender {
        long clock() throws Exception {
            java.nio.file.Files.exists(java.nio.file.Path.of("/"));
            new ProcessBuilder("xl", "list");
            return Instant.now().toEpochMilli() + System.currentTimeMillis();
        }
    }

    private static DescribedPredicate<JavaClass> anyOf(String... names) {
        Set<String> set = Set.of(names);
        return DescribedPredicate.describe("are any of " + List.of(names), c -> set.contains(c.getFullName()));
    }

    private static DescribedPredicate<JavaMethodCall> readsClockOrEnvironment() {
        Set<Class<?>> clocks = Set.of(Instant.class, LocalDateTime.class, LocalDate.class, LocalTime.class,
            OffsetDateTime.class, ZonedDateTime.class);
        return DescribedPredicate.describe("a clock or the environment (System.currentTimeMillis/nanoTime/getenv/"
            + "getProperty, Instant.now and friends, Clock.system*)", call -> {
                String owner = call.getTargetOwner().getFullName();
                String name = call.getName();
                if (owner.equals(System.class.getName())) {
                    return Set.of("currentTimeMillis", "nanoTime", "getenv", "getProperty").contains(name);
                }
                if (owner.equals(Clock.class.getName())) {
                    return name.startsWith("system");
                }
                return name.equals("now") && clocks.stream().anyMatch(c -> c.getName().equals(owner));
            });
    }
}
