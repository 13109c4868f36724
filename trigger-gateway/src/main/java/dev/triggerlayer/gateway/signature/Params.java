package dev.triggerlayer.gateway.signature;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Request parameters reduced to one value per name, within {@link Limits}.
 *
 * <p>A name given twice, in one source or across query and body, is rejected (docs/signing.md §3.3,
 * §4.4 [policy]): the SDK never sends duplicates, and accepting them would leave open which value was
 * signed and which one the business logic later reads.
 */
final class Params {

    private final Map<String, String> values = new LinkedHashMap<>();
    private long chars;

    /** Adds every parameter of {@code source} (may be null). A name with no value counts as "". */
    Params add(Map<String, List<String>> source) {
        if (source == null) {
            return this;
        }
        for (Map.Entry<String, List<String>> entry : source.entrySet()) {
            String name = entry.getKey();
            if (name == null || name.isEmpty()) {
                throw SignatureFailure.invalid(null, "The request has a parameter without a name.");
            }
            List<String> list = entry.getValue();
            if ((list != null && list.size() > 1) || values.containsKey(name)) {
                throw SignatureFailure.invalid(name, "the parameter is given more than once.");
            }
            String value = list == null || list.isEmpty() || list.get(0) == null ? "" : list.get(0);
            if (values.size() >= Limits.MAX_PARAMETERS) {
                throw SignatureFailure.invalid(null, "The request has more than " + Limits.MAX_PARAMETERS
                        + " parameters.");
            }
            chars += name.length() + value.length();
            if (chars > Limits.MAX_SIGNED_CHARS) {
                throw SignatureFailure.invalid(null, "The request parameters are too large to verify.");
            }
            if (!Percent.wellFormed(name) || !Percent.wellFormed(value)) {
                throw SignatureFailure.invalid(null, "A request parameter is not valid Unicode text.");
            }
            values.put(name, value);
        }
        return this;
    }

    Map<String, String> values() {
        return values;
    }
}
