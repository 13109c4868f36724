package dev.triggerlayer.gateway.signature;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Request headers by lower-case name; built defensively because the record accepts any map. */
final class Headers {

    private final Map<String, String> byName;

    private Headers(Map<String, String> byName) {
        this.byName = byName;
    }

    /**
     * Lower-cases names and drops null values. Two names that differ only in case would make "the"
     * value ambiguous, so they are rejected rather than one silently winning.
     */
    static Headers of(Map<String, String> raw) {
        Map<String, String> byName = new LinkedHashMap<>();
        if (raw == null) {
            return new Headers(byName);
        }
        if (raw.size() > Limits.MAX_HEADERS) {
            throw SignatureFailure.invalid(null, "The request has more than " + Limits.MAX_HEADERS + " headers.");
        }
        for (Map.Entry<String, String> entry : raw.entrySet()) {
            String name = entry.getKey();
            if (name == null || name.isBlank() || name.length() > Limits.MAX_HEADER_NAME) {
                throw SignatureFailure.invalid(null, "The request has a malformed header name.");
            }
            if (entry.getValue() == null) {
                continue;
            }
            String lower = name.toLowerCase(Locale.ROOT);
            if (byName.putIfAbsent(lower, entry.getValue()) != null) {
                throw SignatureFailure.invalid(lower, "the header is given more than once.");
            }
        }
        return new Headers(byName);
    }

    Set<String> names() {
        return byName.keySet();
    }

    /** The value as received, or null. */
    String raw(String lowerName) {
        return byName.get(lowerName);
    }

    /**
     * The value with Java {@code String.trim()} applied (every char at or below U+0020 removed at both
     * ends), which is how the SDK canonicalises signed header values (docs/signing.md §4.2); or null.
     */
    String value(String lowerName) {
        String value = byName.get(lowerName);
        return value == null ? null : value.trim();
    }
}
