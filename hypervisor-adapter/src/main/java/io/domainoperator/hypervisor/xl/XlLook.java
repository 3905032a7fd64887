package io.domainoperator.hypervisor.xl;

import io.domainoperator.hypervisor.CommandException;

/**
 * How {@code xl list -v <name>} answers about one domain (Xen 4.17, tools/xl/xl_list.c {@code main_list}): the name is
 * resolved with {@code find_domain} (libxl_domain_qualifier_to_domid), then only that domain is read
 * ({@code libxl_domain_info}), and the same header and line as the full list are printed. A name no domain has ends
 * with exit status 1 and {@code "<name> is an invalid domain identifier (rc=-6)"} on stderr; a domain that goes
 * between the two steps with {@code "Error: Domain '<name>' does not exist."}. Both mean "no such domain", which a
 * look reports as empty; anything else is a failure of the look.
 */
final class XlLook {
    private XlLook() {
    }

    /**
     * Whether xl would take the argument for the name: a string of digits is read as a domain id, and one that starts
     * with '-' as an option. Such names are looked up in the full list instead.
     */
    static boolean askableByName(String name) {
        return !name.isEmpty() && !name.startsWith("-") && !name.chars().allMatch(Character::isDigit);
    }

    /** The command's failure says the named domain does not exist (now). */
    static boolean saysMissing(CommandException e, String name) {
        String stderr = e.stderr();
        return e.exitCode() == 1 && (stderr.contains(name + " is an invalid domain identifier")
            || stderr.contains("Error: Domain '" + name + "' does not exist."));
    }
}
