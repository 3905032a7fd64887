package io.domainoperator.hypervisor.xl;

import static org.assertj.core.api.Assertions.assertThat;

import io.domainoperator.api.v1alpha1.DiskFormat;
import io.domainoperator.api.v1alpha1.DomainConfig;
import io.domainoperator.api.v1alpha1.LifecyclePolicy;
import io.domainoperator.api.v1alpha1.VirtualizationMode;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class XlConfigImporterTest {

    @Test
    void importsTheEveExampleAsTheEquivalentDomainConfig() {
        XlImport.Imported imported = imported(EveExample.resource("eve-vyos-app.cfg"));
        assertThat(imported.config().getMetadata().getName()).isEqualTo("vyos-app.1");
        assertThat(imported.config().getSpec()).isEqualTo(EveExample.spec());
        assertThat(imported.pciAddresses()).containsExactly("0000:07:00.0");
    }

    @Test
    void exportThenImportGivesBackTheSameSpec() {
        DomainConfig first = imported(EveExample.resource("eve-vyos-app.cfg")).config();
        String exported = XlConfigExporter.export(first);
        assertThat(exported).contains("maxvcpus = 1\n", "pci = ['0000:07:00.0']\n").doesNotContain("on_crash");
        DomainConfig second = imported(exported).config();
        assertThat(second.getSpec()).isEqualTo(first.getSpec());
        assertThat(XlConfigExporter.export(second)).isEqualTo(exported);
    }

    @Test
    void readsXmStyleAndKeywordDiskSpecs() {
        XlImport.Imported imported = imported("""
            name = "pv_guest"
            builder = "generic"
            memory = "256"
            vcpus = 2
            kernel = "/boot/vmlinuz"
            cmdline = "root=/dev/xvda1"
            disk = [ 'phy:/dev/vg/pv,xvda,w', 'format=qcow2, vdev=xvdb, access=ro, target=/img/data=1.qcow2' ]
            on_crash = "preserve"
            """);
        var spec = imported.config().getSpec();
        assertThat(imported.config().getMetadata().getName()).isEqualTo("pv-guest");
        assertThat(spec.getVirtualizationMode()).isEqualTo(VirtualizationMode.PV);
        assertThat(spec.getMemoryMiB()).isEqualTo(256);
        assertThat(spec.getCmdline()).isEqualTo("root=/dev/xvda1");
        assertThat(spec.getDisks()).extracting(d -> d.getSource() + " " + d.getFormat() + " " + d.getTarget() + " " + d.readOnlyOrDefault())
            .containsExactly("/dev/vg/pv raw xvda false", "/img/data=1.qcow2 qcow2 xvdb true");
        assertThat(spec.getOnCrash()).isEqualTo(LifecyclePolicy.Preserve);
    }

    @Test
    void aDiskWithoutFormatIsRawAsXlReadsIt() {
        var disk = imported("name = \"a\"\ntype = \"hvm\"\nmemory = 64\nvcpus = 1\ndisk = ['/img/a.img,,xvda']\n").config().getSpec().getDisks().getFirst();
        assertThat(disk.getFormat()).isEqualTo(DiskFormat.raw);
    }

    @Test
    void deviceParametersWithoutAFieldAreCarriedPerDeviceAndWrittenBackInTheirSpec() throws Exception {
        DomainConfig config = imported("name = \"a\"\ntype = \"hvm\"\nmemory = 64\nvcpus = 1\n"
            + "disk = ['/img/a.img,raw,xvda,rw,backendtype=qdisk,discard', 'format=raw, vdev=xvdb, script=block-iscsi, target=/img/b=c']\n"
            + "vif = ['bridge=br0,mac=00:16:3e:00:00:01,rate=10Mb/s,script=vif-route,ip=10.0.0.2 10.0.0.3']\n").config();
        assertThat(config.getSpec().getDisks().get(0).getXenOptions()).containsExactly("backendtype=qdisk", "discard");
        assertThat(config.getSpec().getDisks().get(1).getXenOptions()).containsExactly("script=block-iscsi");
        assertThat(config.getSpec().getVifs().getFirst().getXenOptions()).containsExactly("rate=10Mb/s", "script=vif-route", "ip=10.0.0.2 10.0.0.3");

        String exported = XlConfigExporter.export(config);
        assertThat(exported).contains("/img/a.img,raw,xvda,rw,backendtype=qdisk,discard")
            .contains("script=block-iscsi, target=/img/b=c")
            .contains("bridge=br0,mac=00:16:3e:00:00:01,rate=10Mb/s,script=vif-route,ip=10.0.0.2 10.0.0.3");
        assertThat(imported(exported).config().getSpec()).isEqualTo(config.getSpec());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "vga = 'vesa'                                      | 4 | vga 'vesa' is not stdvga, cirrus, qxl or none",
        "disk = ['/a.img,vhd,xvda,rw']                     | 4 | format 'vhd' is not supported",
        "vif = ['bridge=br0,colour=red']                   | 4 | parameter 'colour' is not one xl knows",
        "disk = ['/a.img,raw,xvda,rw,colour=red']          | 4 | parameter 'colour' (character 20) is not one xl knows",
        "vif = ['bridge=br0,ip=[10.0.0.1]']                | 4 | cannot be carried in xenOptions",
        "cpus = '0-3é'                            | 4 | 'cpus' cannot be carried",
        "vif = ['bridge=br0,mac=01:02']                    | 4 | not six hex octets",
        "pci = ['07:00.0,colour=1']                        | 4 | pci parameter 'colour=1' is not key=value with a key xl knows",
        "pci = ['07:00.0,permissive']                      | 4 | pci parameter 'permissive' is not key=value",
        "on_crash = 'coredump-restart'                     | 4 | not destroy, restart or preserve",
        "maxvcpus = 0                                      | 4 | spec.maxVcpus",
        "usbdevice = ['mouse']                             | 4 | usbdevice must be",
        "kernel = 'boot/vmlinuz'                          | 4 | spec.kernel",
        "serial = 'file:/tmp/x'                            | 4 | serial must be",
    })
    void rejectsWhatHasNoFieldNamingTheLine(String extraLine, int line, String message) {
        String text = "name = \"a\"\nmemory = 64\nvcpus = 1\n" + extraLine.strip() + "\ntype = \"hvm\"\n";
        XlImport result = XlConfigImporter.importText(text);
        assertThat(result).isInstanceOfSatisfying(XlImport.Rejected.class, r -> assertThat(r.errors())
            .anySatisfy(e -> {
                assertThat(e.line()).isEqualTo(line);
                assertThat(e.getMessage()).startsWith("line " + line).contains(message);
            }));
    }

    @Test
    void makesXlDefaultsThatDifferFromDomainConfigsExplicit() {
        var spec = imported("name = \"a\"\nmemory = 64\nvcpus = 1\nkernel = \"/boot/vmlinuz\"\n").config().getSpec();
        assertThat(spec.getVirtualizationMode()).as("xl builds PV without a type").isEqualTo(VirtualizationMode.PV);
        assertThat(spec.getVnc()).isNull();
        var hvm = imported("name = \"a\"\ntype = \"hvm\"\nmemory = 64\nvcpus = 1\n").config().getSpec();
        assertThat(hvm.getVnc().enabledOrDefault()).as("xl gives HVM guests VNC unless vnc = 0").isTrue();
        assertThat(hvm.getMaxMemoryMiB()).isNull();
        assertThat(XlConfigExporter.export(imported("name = \"a\"\ntype = \"hvm\"\nmemory = 64\nvcpus = 1\n").config()))
            .doesNotContain("maxmem", "maxvcpus", "serial", "on_");
    }

    @Test
    void aMissingKeyIsReportedAtTheEndOfTheFile() {
        XlImport result = XlConfigImporter.importText("name = \"a\"\nmemory = 64\n");
        assertThat(result).isInstanceOfSatisfying(XlImport.Rejected.class,
            r -> assertThat(r.message()).isEqualTo("line 2: 'vcpus' is missing (end of file); every domain needs it"));
    }

    @Test
    void pciAdaptersAreNamedByTheGivenLookup() {
        XlImport result = XlConfigImporter.importText("name = \"a\"\ntype = \"hvm\"\nmemory = 64\nvcpus = 1\npci = ['07:00.0', '0000:08:00.1']\n",
            address -> address.equals("0000:07:00.0") ? "eth1" : null);
        assertThat(result).isInstanceOfSatisfying(XlImport.Rejected.class,
            r -> assertThat(r.message()).contains("line 5: pci[1] '0000:08:00.1' no PhysicalIOAdapter has PCI address 0000:08:00.1"));
        XlImport ok = XlConfigImporter.importText("name = \"a\"\ntype = \"hvm\"\nmemory = 64\nvcpus = 1\npci = ['07:00.0']\n", address -> "eth1");
        assertThat(((XlImport.Imported) ok).config().getSpec().getAdapters()).isEqualTo(List.of("eth1"));
    }

    @Test
    void pciOptionsAndTheVirtualSlotAreCarriedForTheirAdapterAndWrittenBack() {
        var spec = imported("name = \"a\"\ntype = \"hvm\"\nmemory = 64\nvcpus = 1\n"
            + "pci = ['07:00.0@3,permissive=1,msitranslate=0', '0000:08:00.1']\n").config().getSpec();
        assertThat(spec.getAdapters()).containsExactly("pci-0000-07-00-0", "pci-0000-08-00-1");
        assertThat(spec.getXen().getPciOptions()).containsExactly(new io.domainoperator.api.v1alpha1.XenPciOptions(
            "pci-0000-07-00-0", List.of("vslot=3", "permissive=1", "msitranslate=0")));
        var config = new io.domainoperator.api.v1alpha1.DomainConfig();
        config.setSpec(spec);
        String exported = XlConfigExporter.export(config);
        assertThat(exported).contains("pci = ['0000:07:00.0@3,permissive=1,msitranslate=0', '0000:08:00.1']\n");
        assertThat(imported(exported).config().getSpec()).isEqualTo(spec);
    }

    static XlImport.Imported imported(String text) {
        XlImport result = XlConfigImporter.importText(text);
        if (result instanceof XlImport.Rejected rejected) {
            throw new AssertionError("import rejected:\n" + rejected.message());
        }
        return (XlImport.Imported) result;
    }
}
