package io.domainoperator.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The cross-field rules the schema cannot say, one row each: the mutation, the field it must name. */
class DomainConfigValidatorTest {

    static DomainConfigSpec valid() {
        DomainConfigSpec spec = new DomainConfigSpec();
        spec.setDisplayName("vm-1");
        spec.setVcpus(2);
        spec.setMemoryMiB(512);
        spec.setDisks(new java.util.ArrayList<>(List.of(new Disk("/persist/img/a.qcow2", DiskFormat.qcow2, "xvda"))));
        spec.setVifs(new java.util.ArrayList<>(List.of(new Vif("br0", "00:16:3e:00:00:01", "vif1"))));
        return spec;
    }

    static ReadinessProbe probe(Consumer<ReadinessProbe> edit) {
        ReadinessProbe p = new ReadinessProbe();
        edit.accept(p);
        return p;
    }

    static Stream<Arguments> rules() {
        return Stream.of(
            row("maxVcpus below vcpus", s -> s.setMaxVcpus(1), "spec.maxVcpus"),
            row("maxMemoryMiB below memoryMiB", s -> s.setMaxMemoryMiB(256), "spec.maxMemoryMiB"),
            row("duplicate disk target", s -> s.getDisks().add(new Disk("/persist/img/b.qcow2", DiskFormat.raw, "xvda")), "spec.disks[1].target"),
            row("duplicate MAC, case-insensitive", s -> s.getVifs().add(new Vif("br1", "00:16:3E:00:00:01", null)), "spec.vifs[1].mac"),
            row("multicast MAC", s -> s.getVifs().getFirst().setMac("01:16:3e:00:00:01"), "spec.vifs[0].mac"),
            row("duplicate vifName", s -> s.getVifs().add(new Vif("br1", null, "vif1")), "spec.vifs[1].vifName"),
            row("PV without kernel", s -> s.setVirtualizationMode(VirtualizationMode.PV), "spec.kernel"),
            row("ramdisk without kernel", s -> s.setRamdisk("/boot/initrd.img"), "spec.ramdisk"),
            row("relative disk path", s -> s.getDisks().getFirst().setSource("persist/a.qcow2"), "spec.disks[0].source"),
            row("'..' in disk path", s -> s.getDisks().getFirst().setSource("/persist/img/../../etc/shadow"), "spec.disks[0].source"),
            row("comma in disk path would split the xl disk spec", s -> s.getDisks().getFirst().setSource("/persist/a,b.qcow2"), "spec.disks[0].source"),
            row("'..' in kernel path", s -> { s.setKernel("/boot/../etc/passwd"); }, "spec.kernel"),
            row("quote in cmdline", s -> s.setCmdline("console=ttyS0\" extra=\"x"), "spec.cmdline"),
            row("newline in displayName", s -> s.setDisplayName("vm\nmemory = 1"), "spec.displayName"),
            row("missing vcpus", s -> s.setVcpus(null), "spec.vcpus"),
            row("zero vcpus", s -> s.setVcpus(0), "spec.vcpus"),
            row("missing memory", s -> s.setMemoryMiB(null), "spec.memoryMiB"),
            row("bad uuid", s -> s.setUuid("not-a-uuid"), "spec.uuid"),
            row("startAfter listed twice", s -> s.setStartAfter(List.of("nfs", "nfs")), "spec.startAfter[1]"),
            row("adapter name not an object name", s -> s.setAdapters(List.of("Eth 1")), "spec.adapters[0]"),
            row("bad boot order", s -> s.setBootOrder("x"), "spec.bootOrder"),
            row("negative boot retry", s -> s.setBootRetrySeconds(-5), "spec.bootRetrySeconds"),
            row("shutdown timeout above a day", s -> s.setShutdownTimeoutSeconds(86401), "spec.shutdownTimeoutSeconds"),
            row("readiness probe that checks nothing", s -> s.setReadinessProbe(new ReadinessProbe()), "spec.readinessProbe"),
            row("serial expectation that is no regular expression", s -> s.setReadinessProbe(probe(p ->
                p.setSerial(new ReadinessProbe.SerialProbe("login: (")))), "spec.readinessProbe.serial.expect"),
            row("serial expectation missing", s -> s.setReadinessProbe(probe(p ->
                p.setSerial(new ReadinessProbe.SerialProbe(null)))), "spec.readinessProbe.serial.expect"),
            row("tcp probe without host", s -> s.setReadinessProbe(probe(p ->
                p.setTcp(new ReadinessProbe.TcpProbe(null, 22)))), "spec.readinessProbe.tcp.host"),
            row("tcp probe without port", s -> s.setReadinessProbe(probe(p ->
                p.setTcp(new ReadinessProbe.TcpProbe("10.0.0.5", null)))), "spec.readinessProbe.tcp.port"),
            row("tcp port out of range", s -> s.setReadinessProbe(probe(p ->
                p.setTcp(new ReadinessProbe.TcpProbe("10.0.0.5", 70000)))), "spec.readinessProbe.tcp.port"),
            row("probe period of zero", s -> s.setReadinessProbe(probe(p -> {
                p.setSerial(new ReadinessProbe.SerialProbe("login: "));
                p.setPeriodSeconds(0);
            })), "spec.readinessProbe.periodSeconds"),
            row("adapter name climbing out of a folder", s -> s.setAdapters(List.of("../../etc")), "spec.adapters[0]"),
            row("newline in a vif bridge", s -> s.getVifs().getFirst().setBridge("br0\nbr1"), "spec.vifs[0].bridge"),
            row("control character in serial", s -> s.setSerial("pty\u001b[2J"), "spec.serial"),
            row("bad serial", s -> s.setSerial("tcp"), "spec.serial"),
            row("bad vnc listen address", s -> s.setVnc(new Vnc(true, "0.0.0.0 -x")), "spec.vnc.listen"),
            row("comma in a vif option would split the spec", s -> s.getVifs().getFirst().setXenOptions(List.of("ip=1.2.3.4,mac=x")), "spec.vifs[0].xenOptions[0]"),
            row("quote in a disk option would end the list item", s -> s.getDisks().getFirst().setXenOptions(List.of("script='x")), "spec.disks[0].xenOptions[0]"),
            row("bracket in a vif option", s -> s.getVifs().getFirst().setXenOptions(List.of("rate=]")), "spec.vifs[0].xenOptions[0]"),
            row("vif option with a field", s -> s.getVifs().getFirst().setXenOptions(List.of("mac=00:16:3e:00:00:02")), "spec.vifs[0].xenOptions[0]"),
            row("disk option with a field", s -> s.getDisks().getFirst().setXenOptions(List.of("access=ro")), "spec.disks[0].xenOptions[0]"),
            row("unknown vif key", s -> s.getVifs().getFirst().setXenOptions(List.of("colour=red")), "spec.vifs[0].xenOptions[0]"),
            row("unknown disk flag would be read as positional", s -> s.getDisks().getFirst().setXenOptions(List.of("fast")), "spec.disks[0].xenOptions[0]"),
            row("vif flag", s -> s.getVifs().getFirst().setXenOptions(List.of("rate")), "spec.vifs[0].xenOptions[0]"),
            row("too many vif options", s -> s.getVifs().getFirst().setXenOptions(java.util.Collections.nCopies(17, "mtu=1500")), "spec.vifs[0].xenOptions"),
            row("overlong disk option", s -> s.getDisks().getFirst().setXenOptions(List.of("script=" + "x".repeat(300))), "spec.disks[0].xenOptions[0]"),
            row("pci options for an adapter not in spec.adapters", s -> pciOptions(s, "eth9", "permissive=1"), "spec.xen.pciOptions[0].adapter"),
            row("comma in a pci option would split the spec", s -> pciOptions(s, "eth1", "permissive=1,seize=1"), "spec.xen.pciOptions[0].options[0]"),
            row("unknown pci key", s -> pciOptions(s, "eth1", "colour=red"), "spec.xen.pciOptions[0].options[0]"),
            row("bare pci flag", s -> pciOptions(s, "eth1", "permissive"), "spec.xen.pciOptions[0].options[0]"));
    }

    private static void pciOptions(DomainConfigSpec spec, String adapter, String option) {
        spec.setAdapters(List.of("eth1"));
        XenSettings xen = new XenSettings();
        xen.setPciOptions(List.of(new XenPciOptions(adapter, List.of(option))));
        spec.setXen(xen);
    }

    @Test
    void pciOptionsOfAListedAdapterAreValid() {
        DomainConfigSpec spec = valid();
        pciOptions(spec, "eth1", "permissive=1");
        spec.getXen().getPciOptions().getFirst().setOptions(List.of("permissive=1", "vslot=3", "rdm_policy=relaxed", "seize=1"));
        assertThat(DomainConfigValidator.validate(spec)).isEmpty();
    }

    @Test
    void deviceOptionsXlKnowsAreValidAndAFieldToUseIsNamed() {
        DomainConfigSpec spec = valid();
        spec.getVifs().getFirst().setXenOptions(List.of("rate=10Mb/s", "script=vif-route", "ip=10.0.0.2 10.0.0.3"));
        spec.getDisks().getFirst().setXenOptions(List.of("backendtype=qdisk", "discard", "direct-io-safe"));
        assertThat(DomainConfigValidator.validate(spec)).isEmpty();

        spec.getDisks().getFirst().setXenOptions(List.of("vdev=xvdb"));
        assertThat(DomainConfigValidator.validate(spec)).singleElement()
            .satisfies(e -> assertThat(e.message()).contains("set spec.disks[0].target instead"));
    }

    private static Arguments row(String rule, Consumer<DomainConfigSpec> mutation, String field) {
        return Arguments.of(rule, mutation, field);
    }

    @Test
    void aDomainWaitingForItselfIsInvalidBeforeAnyPlacement() {
        DomainConfig domain = new DomainConfig();
        domain.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName("nfs").build());
        DomainConfigSpec spec = valid();
        spec.setStartAfter(List.of("db", "nfs"));
        domain.setSpec(spec);

        assertThat(DomainConfigValidator.validateObject(domain)).singleElement()
            .satisfies(e -> assertThat(e.field()).isEqualTo("spec.startAfter[1]"))
            .satisfies(e -> assertThat(e.message()).contains("itself"));
    }

    @Test
    void valuesAreShownEscapedSoTheyCannotForgeALogLine() {
        DomainConfigSpec spec = valid();
        spec.setDisplayName("vm\n12:00:00 INFO all good");

        assertThat(DomainConfigValidator.validate(spec)).singleElement()
            .satisfies(e -> assertThat(e.message()).doesNotContain("\n").contains("'vm\\n12:00:00 INFO all good'"));
    }

    @Test
    void aValidSpecHasNoErrors() {
        assertThat(DomainConfigValidator.validate(valid())).isEmpty();
        DomainConfigSpec probed = valid();
        probed.setReadinessProbe(probe(p -> {
            p.setSerial(new ReadinessProbe.SerialProbe("login: $|\\$ $"));
            p.setTcp(new ReadinessProbe.TcpProbe("web.example", 443));
        }));
        assertThat(DomainConfigValidator.validate(probed)).as("both checks may be given").isEmpty();
        DomainConfigSpec agentProbed = valid();
        agentProbed.setReadinessProbe(probe(p -> p.setGuestAgent(new ReadinessProbe.GuestAgentProbe())));
        assertThat(DomainConfigValidator.validate(agentProbed)).as("the guest agent alone is a check").isEmpty();
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("rules")
    void namesTheField(String rule, Consumer<DomainConfigSpec> mutation, String field) {
        DomainConfigSpec spec = valid();
        mutation.accept(spec);

        List<FieldError> errors = DomainConfigValidator.validate(spec);

        assertThat(errors).as(rule).extracting(FieldError::field).containsExactly(field);
        assertThat(errors.getFirst().message()).as("message says what to do").isNotBlank();
    }

    @Test
    void aMissingSpecIsOneClearError() {
        assertThat(DomainConfigValidator.validate(null)).extracting(FieldError::field).containsExactly("spec");
    }
}
