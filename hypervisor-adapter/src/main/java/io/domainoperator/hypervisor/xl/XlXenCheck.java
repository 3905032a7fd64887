package io.domainoperator.hypervisor.xl;

import io.domainoperator.api.v1alpha1.FieldError;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * import-xl's and export-xl's check with Xen's own parser at run time: the file must be one xl reads, and xl
 * must read the same from an import's export as from the original. Without libxlutil both pass with a warning.
 */
final class XlXenCheck {
    private XlXenCheck() {
    }

    static XlImport checkImport(Optional<LibXlUtil> lib, String text, XlImport result) {
        if (!(result instanceof XlImport.Imported imported)) {
            return result;
        }
        List<XlConfigException> warnings = new ArrayList<>(imported.warnings());
        if (lib.isEmpty()) {
            warnings.add(new XlConfigException(0, 0, XlUtilRuntime.absentReason()));
            return new XlImport.Imported(imported.config(), imported.pciAddresses(), warnings);
        }
        try {
            lib.get().parse(text, "input.cfg").close();
        } catch (IllegalArgumentException e) {
            return new XlImport.Rejected(List.of(new XlConfigException(0, 0, "xl's own parser refuses the file: " + e.getMessage())));
        }
        Map<String, String> addresses = new HashMap<>();
        for (int i = 0; i < imported.pciAddresses().size(); i++) {
            addresses.put(imported.config().getSpec().getAdapters().get(i), imported.pciAddresses().get(i));
        }
        String exported = XlConfigExporter.export(imported.config(), addresses::get, Optional.empty());
        List<String> differences = XlRoundTrip.differences(lib.get(), text, exported);
        if (!differences.isEmpty()) {
            return new XlImport.Rejected(differences.stream()
                .map(d -> new XlConfigException(0, 0, "the import would change what xl reads: " + d)).toList());
        }
        return imported;
    }

    static void checkExport(Optional<LibXlUtil> lib, XlConfig rendered, String text) {
        if (lib.isEmpty()) {
            return;
        }
        List<String> mismatches = XlUtilCheck.mismatches(lib.get(), rendered, text);
        if (!mismatches.isEmpty()) {
            throw new XlRenderException(mismatches.stream().map(m -> new FieldError("(xl file)", "xl's own parser reads " + m)).toList());
        }
    }
}
