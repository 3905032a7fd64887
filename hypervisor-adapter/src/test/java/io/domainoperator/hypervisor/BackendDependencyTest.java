package io.domainoperator.hypervisor;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Dependencies point inward: the port knows no backend (the controller wires them through
 * {@link HypervisorFactory}), and the backends (xl, qemu, sim) do not know each other, so any one can be changed
 * or left out. Maven guards the module arrows (the port and host I/O are modules of their own, each pom bans
 * the wrong way round); these rules guard the packages inside this module, and each is shown to fire on a
 * deliberate offender.
 */
class BackendDependencyTest {
    private static final List<String> BACKENDS = List.of("xl", "qemu", "sim");

    private static final JavaClasses CLASSES = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
        .importPackages("io.domainoperator.hypervisor");

    static final ArchRule PORT_KNOWS_NO_BACKEND = noClasses().that().resideInAPackage("io.domainoperator.hypervisor")
        .should().dependOnClassesThat().resideInAnyPackage("..hypervisor.xl..", "..hypervisor.qemu..", "..hypervisor.sim..");

    /** The port's values are its own: a spec reaches a backend only through {@code DefinitionFromSpec}. */
    static final ArchRule PORT_KNOWS_NO_API_TYPE = noClasses().that().resideInAPackage("io.domainoperator.hypervisor")
        .should().dependOnClassesThat().resideInAPackage("io.domainoperator.api..");

    static final ArchRule ONLY_XL_LOADS_NATIVE_CODE = noClasses().that().resideOutsideOfPackage("..hypervisor.xl..")
        .should().dependOnClassesThat().resideInAPackage("com.sun.jna..");

    static ArchRule backendKnowsNoOther(String backend) {
        String[] others = BACKENDS.stream().filter(b -> !b.equals(backend)).map(b -> "..hypervisor." + b + "..")
            .toArray(String[]::new);
        return noClasses().that().resideInAPackage("..hypervisor." + backend + "..")
            .should().dependOnClassesThat().resideInAnyPackage(others);
    }

    @Test
    void thePortKnowsNoBackend() {
        assertThat(CLASSES.stream().filter(c -> c.getPackageName().equals("io.domainoperator.hypervisor")))
            .as("classes of the port's package checked").isNotEmpty();
        PORT_KNOWS_NO_BACKEND.check(CLASSES);
    }

    @Test
    void thePortKnowsNoApiType() {
        // From the jar too: in a full build the port module arrives packaged.
        JavaClasses port = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.domainoperator.hypervisor");
        assertThat(port.stream().map(c -> c.getName()))
            .as("the port's values are among the classes checked").contains(DomainDefinition.class.getName());
        PORT_KNOWS_NO_API_TYPE.check(port);
    }

    @Test
    void backendsDoNotKnowEachOther() {
        for (String backend : BACKENDS) {
            assertThat(CLASSES.stream().filter(c -> c.getPackageName().endsWith("hypervisor." + backend)))
                .as("classes of the %s backend checked", backend).isNotEmpty();
            backendKnowsNoOther(backend).check(CLASSES);
        }
    }

    @Test
    void onlyTheXlBackendLoadsNativeCode() {
        ONLY_XL_LOADS_NATIVE_CODE.check(CLASSES);
    }

    @Test
    void theRulesBite() throws ClassNotFoundException {
        JavaClasses port = new ClassFileImporter().importClasses(PortOffender.class);
        assertThat(PORT_KNOWS_NO_BACKEND.evaluate(port).hasViolation()).isTrue();
        assertThat(PORT_KNOWS_NO_API_TYPE.evaluate(port).hasViolation()).isTrue();
        for (String backend : BACKENDS) {
            JavaClasses offender = new ClassFileImporter()
                .importClasses(Class.forName("io.domainoperator.hypervisor." + backend + ".DependencyOffender"));
            assertThat(backendKnowsNoOther(backend).evaluate(offender).hasViolation()).as(backend).isTrue();
            if (!backend.equals("xl")) {
                assertThat(ONLY_XL_LOADS_NATIVE_CODE.evaluate(offender).hasViolation()).as(backend + " JNA").isTrue();
            }
        }
    }

    /** Breaks the port rules on purpose: a class of the port's package that names a backend and an API type. */
    @SuppressWarnings("unused")
    static final class PortOffender {
        Class<?> backend() {
            return io.domainoperator.hypervisor.qemu.QemuHypervisor.class;
        }

        Object spec() {
            return new io.domainoperator.api.v1alpha1.DomainConfigSpec();
        }
    }
}
