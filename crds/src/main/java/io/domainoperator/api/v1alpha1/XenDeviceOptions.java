package io.domainoperator.api.v1alpha1;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Checks a device's {@code xenOptions}: xl device parameters carried verbatim inside that device's spec string
 * ({@code 'bridge=br0,rate=10Mb/s'}). xl's device specs have no escaping, so an option must not hold anything
 * that ends the parameter (comma), the list item (quote) or the list (bracket); a key DomainConfig has a field
 * for is refused so that one setting is never said twice.
 */
public final class XenDeviceOptions {
    static final int MAX_COUNT = 16;
    static final int MAX_LENGTH = 256;
    /** A key (or bare flag) of lower-case letters, digits, '_' and '-'; a value of printable ASCII without , ' " [ ] and not blank at its ends. */
    private static final Pattern OPTION = Pattern.compile(
        "^[a-z][a-z0-9_-]{0,31}(=([!#-&(-+\\x2d-Z\\x5c^-~]([ !#-&(-+\\x2d-Z\\x5c^-~]*[!#-&(-+\\x2d-Z\\x5c^-~])?)?)?$");

    static final Map<String, String> DISK_FIELDS = Map.of("target", "source", "format", "format", "vdev", "target",
        "access", "readOnly", "devtype", "cdrom", "cdrom", "cdrom");
    /** xl-disk-configuration(5)'s flags other than cdrom (a field). */
    public static final java.util.Set<String> DISK_FLAGS = java.util.Set.of("discard", "no-discard", "direct-io-safe",
        "trusted", "untrusted", "colo");
    /** xl-disk-configuration(5)'s keys other than those with a field. */
    public static final java.util.Set<String> DISK_KEYS = java.util.Set.of("backendtype", "backend", "script",
        "specification", "colo-host", "colo-port", "colo-export", "active-disk", "hidden-disk");
    /** xl-network-configuration(5)'s keys other than those with a field; xl refuses any other. */
    public static final java.util.Set<String> VIF_KEYS = java.util.Set.of("type", "script", "ip", "backend", "rate",
        "gatewaydev", "devid", "mtu", "forwarddev", "trusted", "untrusted");
    static final Map<String, String> VIF_FIELDS = Map.of("bridge", "bridge", "mac", "mac", "vifname", "vifName",
        "model", "model");

    private XenDeviceOptions() {
    }

    /**
     * @param fields the xl keys this device maps onto DomainConfig fields, each with the field to use instead
     * @param flags  the bare flags xl knows for this device (any other bare word would be misread as a
     *               positional parameter or refused by xl)
     */
    static void check(String at, List<String> options, Map<String, String> fields, java.util.Set<String> flags,
                      java.util.Set<String> keys, List<FieldError> errors) {
        if (options.size() > MAX_COUNT) {
            errors.add(new FieldError(at, "has " + options.size() + " options; at most " + MAX_COUNT));
        }
        for (int i = 0; i < options.size(); i++) {
            String option = options.get(i);
            String field = at + "[" + i + "]";
            if (option == null || option.length() > MAX_LENGTH || !OPTION.matcher(option).matches()) {
                errors.add(new FieldError(field, Untrusted.quote(option) + " is not an xl device parameter: key=value or a bare flag,"
                    + " at most " + MAX_LENGTH + " characters of printable ASCII without commas, quotes or brackets, e.g. rate=10Mb/s"));
                continue;
            }
            int eq = option.indexOf('=');
            String key = eq < 0 ? option : option.substring(0, eq);
            String instead = fields.get(key);
            if (eq < 0 && instead == null && !flags.contains(key)) {
                errors.add(new FieldError(field, "'" + key + "' is not a bare flag xl knows here"
                    + (flags.isEmpty() ? "; give key=value" : "; use key=value or one of " + String.join(", ", new java.util.TreeSet<>(flags)))));
            } else if (instead != null) {
                errors.add(new FieldError(field, "'" + key + "' has a DomainConfig field: set " + at.substring(0, at.lastIndexOf('.') + 1) + instead + " instead"));
            } else if (eq >= 0 && !keys.contains(key)) {
                errors.add(new FieldError(field, "'" + key + "' is not a parameter xl knows here; use one of "
                    + String.join(", ", new java.util.TreeSet<>(keys))));
            }
        }
    }
}
