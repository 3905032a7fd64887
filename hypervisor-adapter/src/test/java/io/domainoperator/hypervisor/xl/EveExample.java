package io.domainoperator.hypervisor.xl;

import io.domainoperator.api.v1alpha1.Disk;
import io.domainoperator.api.v1alpha1.DiskFormat;
import io.domainoperator.api.v1alpha1.DomainConfigSpec;
import io.domainoperator.api.v1alpha1.Vif;
import io.domainoperator.api.v1alpha1.VirtualizationMode;
import io.domainoperator.api.v1alpha1.Vnc;
import io.domainoperator.hypervisor.DomainDefinition;
import io.domainoperator.hypervisor.spec.DefinitionFromSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

/** The xl file EVE's domainmgr wrote for vyos-app.1 (issue 2), and the DomainConfig that means the same. */
final class EveExample {
    static final String UUID_TEXT = "4a144db0-6b63-405a-b884-7760042023b1";
    static final String DISK = "/persist/img/5E0B2C4D6E8F0A1B3C5D7E9F1A2B4C6D8E0F1A3B5C7D9E1F2A4B6C8D0E2FF19B-"
        + UUID_TEXT + ".qcow2";

    private EveExample() {
    }

    static DomainConfigSpec spec() {
        DomainConfigSpec spec = new DomainConfigSpec();
        spec.setDisplayName("vyos-app.1");
        spec.setVirtualizationMode(VirtualizationMode.HVM);
        spec.setUuid(UUID_TEXT);
        spec.setVnc(new Vnc(true, "0.0.0.0"));
        spec.setUsbTablet(true);
        spec.setMemoryMiB(500);
        spec.setMaxMemoryMiB(500);
        spec.setVcpus(1);
        spec.setMaxVcpus(1);
        spec.setSerial("pty");
        spec.setBootOrder("dc");
        spec.setDisks(List.of(new Disk(DISK, DiskFormat.qcow2, "xvda")));
        spec.setVifs(List.of(new Vif("bn2", "00:16:3e:00:01:01", "nbu1x1")));
        spec.setAdapters(List.of("pci-0000-07-00-0"));
        return spec;
    }

    static DomainDefinition definition() {
        DomainConfigSpec spec = spec();
        return DefinitionFromSpec.of("vyos-app.1", UUID.fromString(UUID_TEXT), spec, List.of(DISK), List.of("0000:07:00.0"));
    }

    static String resource(String name) {
        try (InputStream in = EveExample.class.getResourceAsStream("/xl/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource xl/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
