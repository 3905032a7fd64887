package io.domainoperator.hypervisor.xl;

import static org.assertj.core.api.Assertions.assertThat;

import io.domainoperator.api.v1alpha1.Vga;
import io.domainoperator.api.v1alpha1.VirtualizationMode;
import io.domainoperator.api.v1alpha1.XlSetting;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * xl files as people have them (src/test/resources/xl/real): Xen 4.17's own examples, a Windows how-to file and
 * a pygrub PV guest. Each imports, exports and imports again to the same DomainConfig; with libxlutil present,
 * xl reads the same value from the export as from the original for every mapped or carried key.
 */
class RealXlFilesTest {
    static final List<String> FILES = List.of("xlexample.hvm", "xlexample.pvlinux", "xlexample.pvhlinux",
        "windows-howto.hvm", "debian-pygrub.pv");

    static String file(String name) {
        try (InputStream in = RealXlFilesTest.class.getResourceAsStream("/xl/real/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"xlexample.hvm", "xlexample.pvlinux", "xlexample.pvhlinux", "windows-howto.hvm", "debian-pygrub.pv"})
    void importsAndRoundTrips(String name) {
        String original = file(name);
        XlImport.Imported imported = XlConfigImporterTest.imported(original);
        String exported = XlConfigExporter.export(imported.config());
        XlImport.Imported again = XlConfigImporterTest.imported(exported);
        // The export pins the MACs xl would have picked at random; from then on the file is a fixed point.
        assertThat(XlConfigExporter.export(again.config())).isEqualTo(exported);
        if (XenLibs.present()) {
            assertThat(XlRoundTrip.differences(XenLibs.libxlutil(), original, exported)).as(exported).isEmpty();
            // the same check import-xl makes at run time on a machine with libxlutil
            assertThat(XlConfigImporter.importText(original, XlConfigImporter::conventionalAdapterName, Optional.of(XenLibs.libxlutil())))
                .isInstanceOfSatisfying(XlImport.Imported.class, checked -> assertThat(checked.warnings()).allSatisfy(w -> assertThat(w.line()).isPositive()));
        }
    }

    @Test
    void withoutLibxlutilTheImportSaysItWasNotChecked() {
        XlImport result = XlConfigImporter.importText(file("xlexample.pvlinux"), XlConfigImporter::conventionalAdapterName, Optional.empty());
        assertThat(((XlImport.Imported) result).warnings()).filteredOn(w -> w.line() == 0).extracting(Throwable::getMessage)
            .singleElement().asString().contains("not checked with xl's own parser");
    }

    @Test
    void withLibxlutilAFileXlRefusesIsRefused() {
        // a carriage return: our parser reads it as a blank, xl's lexer does not
        String text = "name = \"a\"\r\ntype = \"hvm\"\nmemory = 64\nvcpus = 1\n";
        assertThat(XlConfigImporter.importText(text)).isInstanceOf(XlImport.Imported.class);
        XlImport checked = XlConfigImporter.importText(text, XlConfigImporter::conventionalAdapterName, Optional.of(XenLibs.libxlutil()));
        assertThat(checked).isInstanceOfSatisfying(XlImport.Rejected.class,
            r -> assertThat(r.message()).startsWith("xl's own parser refuses the file: libxlutil rejected input.cfg"));
    }

    @Test
    void xensHvmExampleKeepsItsEmptyVifAndDropsSdlWithAWarning() {
        XlImport.Imported imported = XlConfigImporterTest.imported(file("xlexample.hvm"));
        var spec = imported.config().getSpec();
        assertThat(spec.getVifs()).singleElement().satisfies(v -> assertThat(v.getBridge()).isEqualTo("xenbr0"));
        assertThat(imported.warnings()).filteredOn(w -> w.line() > 0).extracting(Throwable::getMessage).containsExactly(
            "line 10: vif[0] names no bridge; xl's default xenbr0 is written out (set spec.vifs[0].bridge if the node's xl.conf says otherwise)",
            "line 13: 'sdl' dropped: an SDL window on dom0's X display; guests on the operator's headless nodes are reached over VNC, and the guest sees no difference");
    }

    @Test
    void theWindowsHowToMapsItsHardwareAndCarriesTheRest() {
        var spec = XlConfigImporterTest.imported(file("windows-howto.hvm")).config().getSpec();
        assertThat(spec.getVirtualizationMode()).isEqualTo(VirtualizationMode.HVM);
        assertThat(spec.getVga()).isEqualTo(Vga.std);
        assertThat(spec.getAcpi()).isTrue();
        assertThat(spec.getLocaltime()).isTrue();
        assertThat(spec.getXen().getViridian()).isTrue();
        assertThat(spec.getXen().getApic()).isTrue();
        assertThat(spec.getVifs().getFirst().getModel()).isEqualTo("e1000");
        assertThat(spec.getDisks().get(1).getCdrom()).isTrue();
        assertThat(spec.getDisks().get(1).getTarget()).isEqualTo("hdc");
        assertThat(spec.getVnc().getDisplay()).isEqualTo(1);
        assertThat(spec.getVnc().getFindUnused()).isFalse();
        assertThat(spec.getVnc().getKeymap()).isEqualTo("de");
        assertThat(spec.getXen().getPassThrough()).containsExactly(new XlSetting("videoram", "16"),
            new XlSetting("vncpasswd", "\"s3cret\""), new XlSetting("device_model_version", "\"qemu-xen\""));
    }

    @Test
    void thePygrubGuestCarriesItsBootloaderAndAffinity() {
        var spec = XlConfigImporterTest.imported(file("debian-pygrub.pv")).config().getSpec();
        assertThat(spec.getKernel()).isNull();
        assertThat(spec.getCmdline()).isEqualTo("elevator=noop console=hvc0");
        assertThat(spec.getXen().getPassThrough()).extracting(XlSetting::getKey)
            .containsExactly("bootloader", "cpus", "cpu_weight", "root");
    }
}
