package io.domainoperator.hypervisor;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * Dependencies point inward: the port knows no backend (the controller wires them through
 * {@link HypervisorFactory}), and the backends do not know each other, so any one can be changed or left out.
 */
class BackendDependencyTest {
    private static final JavaClasses CLASSES = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
        .importPackages("io.domainoperator.hypervisor");

    @Test
    void thePortKnowsNoBackend() {
        noClasses().that().resideInAPackage("io.domainoperator.hypervisor")
            .should().dependOnClassesThat().resideInAnyPackage("..hypervisor.xl..", "..hypervisor.qemu..", "..hypervisor.sim..")
            .check(CLASSES);
    }

    @Test
    void backendsDoNotKnowEachOther() {
        noClasses().that().resideInAPackage("..hypervisor.xl..")
            .should().dependOnClassesThat().resideInAnyPackage("..hypervisor.qemu..", "..hypervisor.sim..").check(CLASSES);
        noClasses().that().resideInAPackage("..hypervisor.sim..")
            .should().dependOnClassesThat().resideInAnyPackage("..hypervisor.qemu..", "..hypervisor.xl..").check(CLASSES);
    }

    @Test
    void onlyTheXlBackendLoadsNativeCode() {
        noClasses().that().resideOutsideOfPackage("..hypervisor.xl..")
            .should().dependOnClassesThat().resideInAPackage("com.sun.jna..").check(CLASSES);
    }
}
