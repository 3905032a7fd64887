package io.domainoperator.hypervisor.xl;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Checks a rendered file with Xen's own parser: every setting must read back through libxlutil exactly as it
 * was rendered, every disk spec must parse (xlu_disk_parse) into the path, format, vdev and access we meant, and
 * every pci entry (xlu_pci_parse_spec_string) into the address we meant.
 */
public final class XlUtilCheck {
    private XlUtilCheck() {
    }

    /** Every difference between what was rendered and what libxlutil reads; empty when the file is right. */
    public static List<String> mismatches(LibXlUtil lib, XlConfig rendered, String text) {
        List<String> problems = new ArrayList<>();
        try (LibXlUtil.Parsed parsed = lib.parse(text, "rendered.cfg")) {
            for (XlConfig.Setting setting : rendered.settings()) {
                String key = setting.key();
                switch (setting.value()) {
                    case XlValue.Str s -> expect(problems, key, s.value(), parsed.getString(key));
                    case XlValue.Num n -> expect(problems, key, n.value(), parsed.getLong(key));
                    // libxlutil hands out the atoms of a list; a nested list (vnuma) reads as null there
                    case XlValue.Lst l -> expect(problems, key, l.items().stream()
                        .map(item -> item instanceof XlValue.Lst ? null : item.atomText()).toList(), parsed.getList(key));
                }
            }
            rendered.get("disk").ifPresent(disks -> {
                for (XlValue item : ((XlValue.Lst) disks).items()) {
                    checkDisk(problems, parsed, item.atomText());
                }
            });
            rendered.get("pci").ifPresent(pcis -> {
                for (XlValue item : ((XlValue.Lst) pcis).items()) {
                    checkPci(problems, parsed, item.atomText());
                }
            });
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
        return problems;
    }

    private static void checkDisk(List<String> problems, LibXlUtil.Parsed parsed, String spec) {
        try {
            XlDeviceSpecs.DiskSpec meant = XlDeviceSpecs.parseDisk(spec);
            LibXlUtil.Disk read = parsed.parseDisk(spec);
            // an empty CD-ROM drive has no path: whatever libxlutil puts there (null or "") means the same
            String path = meant.path() == null && (read.pdevPath() == null || read.pdevPath().isEmpty()) ? read.pdevPath() : meant.path();
            LibXlUtil.Disk expected = new LibXlUtil.Disk(path, meant.vdev(), meant.format().name(), !meant.readOnly(), meant.cdrom());
            if (!expected.equals(read)) {
                problems.add("disk '" + spec + "': meant " + expected + ", libxlutil read " + read);
            }
        } catch (IllegalArgumentException e) {
            problems.add("disk '" + spec + "': " + e.getMessage());
        }
    }

    private static void checkPci(List<String> problems, LibXlUtil.Parsed parsed, String spec) {
        try {
            String read = parsed.parsePci(spec).address();
            String meant = XlDeviceSpecs.parsePci(spec);
            if (!meant.equals(read)) {
                problems.add("pci '" + spec + "': meant " + meant + ", libxlutil read " + read);
            }
        } catch (IllegalArgumentException e) {
            problems.add("pci '" + spec + "': " + e.getMessage());
        }
    }

    private static void expect(List<String> problems, String key, Object rendered, Object read) {
        if (!Objects.equals(rendered, read)) {
            problems.add("'" + key + "': rendered " + rendered + ", libxlutil read " + read);
        }
    }
}
