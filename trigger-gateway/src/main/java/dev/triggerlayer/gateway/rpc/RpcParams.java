package dev.triggerlayer.gateway.rpc;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Business parameters of an RPC call (query string and form body merged), with typed reads. */
public final class RpcParams {

    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_.\\-]{1,64}");
    private final Map<String, String> values;

    private RpcParams(Map<String, String> values) {
        this.values = values;
    }

    /** Merges query and form; a name given twice (in either or both) is refused, never guessed. */
    public static RpcParams of(Map<String, List<String>> query, Map<String, List<String>> form) {
        Map<String, String> merged = new HashMap<>();
        for (Map<String, List<String>> source : List.of(query, form)) {
            for (var e : source.entrySet()) {
                if (e.getValue().size() > 1 || merged.containsKey(e.getKey())) {
                    throw ApiException.invalid(e.getKey(), "it is given more than once");
                }
                merged.put(e.getKey(), e.getValue().isEmpty() ? "" : e.getValue().get(0));
            }
        }
        return new RpcParams(merged);
    }

    /** The names of every parameter the request gave (signing parameters included). */
    public java.util.Set<String> names() {
        return java.util.Set.copyOf(values.keySet());
    }

    /**
     * Refuses any parameter that is neither a signing parameter nor one of {@code known}: a filter
     * the endpoint does not know must not be dropped silently, leaving the caller an unfiltered answer.
     */
    public void onlyThese(String action, java.util.Set<String> known) {
        for (String name : values.keySet()) {
            if (!known.contains(name) && !SIGNING.contains(name)) {
                throw ApiException.invalid(name, action + " has no such parameter.");
            }
        }
    }

    /** Common parameters of every RPC call (docs/signing.md): they name and sign the call, they filter nothing. */
    private static final java.util.Set<String> SIGNING = java.util.Set.of("Action", "Version", "Format", "AccessKeyId", "Signature",
            "SignatureMethod", "SignatureVersion", "SignatureNonce", "SignatureType", "Timestamp", "RegionId", "SecurityToken");

    public String string(String name) {
        String v = values.get(name);
        return v == null || v.isEmpty() ? null : v;
    }

    public long requiredLong(String name) {
        Long v = optionalLong(name);
        if (v == null) {
            throw ApiException.missing(name);
        }
        return v;
    }

    public Long optionalLong(String name) {
        String v = string(name);
        if (v == null) {
            return null;
        }
        if (v.length() > 19 || !v.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw ApiException.invalid(name, "it must be a non-negative integer");
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw ApiException.invalid(name, "it must be a non-negative integer");
        }
    }

    /** Epoch milliseconds between 1970 and 9999. */
    public long requiredTime(String name) {
        long v = requiredLong(name);
        if (v > 253_402_300_799_999L) {
            throw ApiException.invalid(name, "it must be epoch milliseconds");
        }
        return v;
    }

    public String env(String name) {
        String v = string(name);
        if (v == null) {
            return "Prod";
        }
        if (!v.equals("Prod") && !v.equals("Dev")) {
            throw ApiException.invalid(name, "it must be Prod or Dev");
        }
        return v;
    }

    public String clientToken() {
        String v = string("ClientToken");
        if (v != null && !TOKEN.matcher(v).matches()) {
            throw ApiException.invalid("ClientToken", "it must be 1 to 64 letters, digits, '_', '.', '-'");
        }
        return v;
    }

    /** Copies these parameters, when present, into a query map (for forwarding). */
    public Map<String, String> pick(String... names) {
        Map<String, String> out = new HashMap<>();
        for (String n : names) {
            String v = string(n);
            if (v != null) {
                if (v.length() > 200) {
                    throw ApiException.invalid(n, "it is too long");
                }
                out.put(n, v);
            }
        }
        return out;
    }
}
