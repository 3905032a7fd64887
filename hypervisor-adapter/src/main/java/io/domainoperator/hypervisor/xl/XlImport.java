package io.domainoperator.hypervisor.xl;

import io.domainoperator.api.v1alpha1.DomainConfig;
import java.util.List;

/** The outcome of importing an xl file: a whole DomainConfig, or the reasons there is none. Never half of one. */
public sealed interface XlImport {

    /**
     * @param config        the DomainConfig (metadata.name derived from the xl name, spec filled)
     * @param pciAddresses  the long-form addresses of the file's pci entries, in spec.adapters order
     * @param warnings      what was dropped and why that is harmless, each naming its line and key
     */
    record Imported(DomainConfig config, List<String> pciAddresses, List<XlConfigException> warnings) implements XlImport {
        public Imported {
            pciAddresses = List.copyOf(pciAddresses);
            warnings = List.copyOf(warnings);
        }

        public Imported(DomainConfig config, List<String> pciAddresses) {
            this(config, pciAddresses, List.of());
        }
    }

    /** Each error names its line (and column where known). */
    record Rejected(List<XlConfigException> errors) implements XlImport {
        public Rejected {
            errors = List.copyOf(errors);
            if (errors.isEmpty()) {
                throw new IllegalArgumentException("a rejection needs a reason");
            }
        }

        public String message() {
            return String.join("\n", errors.stream().map(Throwable::getMessage).toList());
        }
    }
}
