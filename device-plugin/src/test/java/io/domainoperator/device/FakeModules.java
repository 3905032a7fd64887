package io.domainoperator.device;

import io.domainoperator.testing.TempTree;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The fake kernel's modules: which PCI drivers each registers, what it depends on, which are loaded, with
 * modprobe's and rmmod's rules (dependencies first; no removal while another loaded module uses it).
 */
final class FakeModules {
    private final Map<String, List<String>> drivers = new LinkedHashMap<>();
    private final Map<String, List<String>> deps = new LinkedHashMap<>();
    private final Set<String> loaded = new LinkedHashSet<>();
    private final TempTree tree;
    private final Consumer<String> registerDriver;
    private final Consumer<String> removeDriver;

    FakeModules(TempTree tree, Consumer<String> registerDriver, Consumer<String> removeDriver) {
        this.tree = tree;
        this.registerDriver = registerDriver;
        this.removeDriver = removeDriver;
    }

    void define(String module, List<String> pciDrivers, List<String> dependencies) {
        drivers.put(module, List.copyOf(pciDrivers));
        deps.put(module, List.copyOf(dependencies));
    }

    void forget(String module) {
        drivers.remove(module);
        deps.remove(module);
    }

    Set<String> loaded() {
        return Set.copyOf(loaded);
    }

    /** modprobe: deps first; registering a driver probes every unbound device it matches. */
    boolean load(String module) {
        if (!drivers.containsKey(module)) {
            return false;
        }
        for (String dep : deps.get(module)) {
            load(dep);
        }
        if (loaded.add(module)) {
            tree.file("module/" + module + "/refcnt", "0");
            drivers.get(module).forEach(registerDriver);
        }
        return true;
    }

    /** rmmod: refused while another loaded module uses it; otherwise its drivers let go of their devices. */
    String unload(String module) {
        if (!loaded.contains(module)) {
            return "rmmod: ERROR: Module " + module + " is not currently loaded";
        }
        for (String other : loaded) {
            if (deps.getOrDefault(other, List.of()).contains(module)) {
                return "rmmod: ERROR: Module " + module + " is in use by: " + other;
            }
        }
        drivers.get(module).forEach(removeDriver);
        loaded.remove(module);
        tree.delete("module/" + module);
        return null;
    }
}
