package io.domainoperator.hypervisor.xl;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Typed reads of a parsed xl file for the importer, reading values the way libxlutil does (a quoted number is a
 * number), and collecting every problem and warning with its line rather than stopping at the first.
 */
final class XlSettingsReader {
    private final XlConfig file;
    /** Where problems that belong to no line (a missing key) are reported: the end of the file. */
    private final int lastLine;
    final List<XlConfigException> errors = new ArrayList<>();
    final List<XlConfigException> warnings = new ArrayList<>();

    XlSettingsReader(XlConfig file, int lastLine) {
        this.file = file;
        this.lastLine = lastLine;
    }

    XlConfig file() {
        return file;
    }

    int lastLine() {
        return lastLine;
    }

    Optional<XlConfig.Setting> setting(String key) {
        return file.setting(key);
    }

    String string(String key, boolean required) {
        var setting = file.setting(key);
        if (setting.isEmpty()) {
            if (required) {
                error(lastLine, "'" + key + "' is missing (end of file); every domain needs it");
            }
            return null;
        }
        if (setting.get().value() instanceof XlValue.Str s) {
            return s.value();
        }
        if (setting.get().value() instanceof XlValue.Num n) {
            return n.literal(); // libxlutil reads an unquoted atom as the same string
        }
        error(setting.get(), "'" + key + "' must be a quoted string");
        return null;
    }

    String eitherString(String key, String alias) {
        if (file.setting(key).isPresent() && file.setting(alias).isPresent()) {
            error(file.setting(alias).orElseThrow(), "'" + alias + "' and '" + key + "' both given; keep only " + key);
            return null;
        }
        return file.setting(key).isPresent() ? string(key, false) : string(alias, false);
    }

    Integer either(String key, String alias) {
        if (file.setting(key).isPresent() && file.setting(alias).isPresent()) {
            error(file.setting(alias).orElseThrow(), "'" + alias + "' and '" + key + "' both given; keep only " + key);
            return null;
        }
        return file.setting(key).isPresent() ? integer(key, false) : integer(alias, false);
    }

    /** A number; libxlutil also reads a quoted number ("512") as one, so this does too. */
    Integer integer(String key, boolean required) {
        var setting = file.setting(key);
        if (setting.isEmpty()) {
            if (required) {
                error(lastLine, "'" + key + "' is missing (end of file); every domain needs it");
            }
            return null;
        }
        XlValue value = setting.get().value();
        long number;
        if (value instanceof XlValue.Num n) {
            number = n.value();
        } else if (value instanceof XlValue.Str s && s.value().matches("[0-9]{1,18}")) {
            number = Long.parseLong(s.value());
        } else {
            error(setting.get(), "'" + key + "' must be a whole number");
            return null;
        }
        if (number > Integer.MAX_VALUE) {
            error(setting.get(), "'" + key + "' = " + number + " is too large");
            return null;
        }
        return (int) number;
    }

    Boolean flag(String key) {
        Integer value = integer(key, false);
        if (value == null) {
            return null;
        }
        if (value > 1) {
            error(file.setting(key).orElseThrow(), "'" + key + "' must be 0 or 1");
            return null;
        }
        return value == 1;
    }

    void error(XlConfig.Setting setting, String problem) {
        error(setting.line(), problem);
    }

    void error(int line, String problem) {
        errors.add(new XlConfigException(line, 0, problem));
    }

    void warn(XlConfig.Setting setting, String problem) {
        warnings.add(new XlConfigException(setting.line(), 0, problem));
    }
}
