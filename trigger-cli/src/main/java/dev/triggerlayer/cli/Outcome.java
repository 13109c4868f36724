package dev.triggerlayer.cli;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What a call came to, printed as one line: {@code Key=value} pairs, or one JSON object with
 * {@code --json}. The exit code says what to do next.
 */
record Outcome(int exitCode, Map<String, Object> fields) {

    /** Triggered or retained: the gateway answered {@code Success: true}. */
    static final int SUCCESS = 0;
    /** The gateway refused with a documented error code; repeating the same call will not help. */
    static final int REFUSED = 1;
    /** Bad command line or environment; nothing was sent. */
    static final int USAGE = 2;
    /** No answer, a timeout, an unreadable answer, or an answer that says "try again": the outcome is unknown. */
    static final int RETRYABLE = 3;

    private static final Gson JSON = new GsonBuilder().disableHtmlEscaping().serializeNulls().create();
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_.:/+@,-]+");

    static Outcome success(Map<String, ?> body) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("Success", true);
        f.put("RequestId", normalise(body.get("RequestId")));
        body.forEach((k, v) -> {
            if (!k.equals("Success") && !k.equals("RequestId")) {
                f.put(k, normalise(v));
            }
        });
        return new Outcome(SUCCESS, f);
    }

    static Outcome failure(int exitCode, String code, String message, Object requestId, Integer httpStatus) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("Success", false);
        f.put("Code", code);
        f.put("Message", message == null ? "" : message);
        if (requestId != null) {
            f.put("RequestId", normalise(requestId));
        }
        if (httpStatus != null) {
            f.put("HttpStatus", httpStatus);
        }
        f.put("Retryable", exitCode == RETRYABLE);
        return new Outcome(exitCode, f);
    }

    String json() {
        return JSON.toJson(fields);
    }

    /** {@code Success=true RequestId=… TriggerOutcome=Triggered}: values with spaces or quotes are JSON strings. */
    String text() {
        StringBuilder line = new StringBuilder();
        fields.forEach((k, v) -> {
            if (line.length() > 0) {
                line.append(' ');
            }
            line.append(k).append('=');
            String s = v instanceof String str ? str : v == null ? "" : JSON.toJson(v);
            line.append(k.equals("Message") || !PLAIN.matcher(s).matches() ? JSON.toJson(s) : s);
        });
        return line.toString();
    }

    /** The SDK reads every JSON number as a double: print whole numbers (ids, epoch ms) as integers. */
    private static Object normalise(Object v) {
        if (v instanceof Double d && d == Math.rint(d) && !d.isInfinite() && Math.abs(d) < 9.007199254740992E15) {
            return d.longValue();
        }
        if (v instanceof Map<?, ?> m) {
            Map<Object, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(k, normalise(x)));
            return out;
        }
        if (v instanceof java.util.List<?> l) {
            return l.stream().map(Outcome::normalise).toList();
        }
        return v;
    }
}
