package dev.triggerlayer.publisher.event.service;

import java.util.List;
import java.util.Locale;

/** Checks of scheduler record members against what the event schemas require. */
final class Checks {

    private Checks() {
    }

    static void present(String field, Object value) {
        if (value == null) {
            throw new IllegalArgumentException(field + " is required");
        }
    }

    static void id(String field, Long value) {
        present(field, value);
        if (value < 0) {
            throw new IllegalArgumentException(field + " must not be negative, got " + value);
        }
    }

    static void range(String field, Integer value, int min, int max) {
        present(field, value);
        if (value < min || value > max) {
            throw new IllegalArgumentException(field + " must be " + min + "-" + max + ", got " + value);
        }
    }

    static void epochMillis(String field, Long value, boolean required) {
        if (value == null) {
            if (required) {
                throw new IllegalArgumentException(field + " is required");
            }
            return;
        }
        if (value < 0) {
            throw new IllegalArgumentException(field + " must be epoch milliseconds, got " + value);
        }
    }

    /** An id list whose every element is an id; at least {@code minSize} of them. */
    static void ids(String field, List<Long> values, int minSize) {
        present(field, values);
        if (values.size() < minSize) {
            throw new IllegalArgumentException(field + " must hold at least " + minSize + " id(s), got " + values.size());
        }
        for (Long value : values) {
            id(field + "[]", value);
        }
    }

    static void text(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " is required");
        }
    }

    /** The scheduler's {@code Prod}/{@code Dev} as the events' {@code PROD}/{@code DEV}. */
    static String environment(String env) {
        String upper = env == null ? "" : env.trim().toUpperCase(Locale.ROOT);
        if (upper.equals("PROD") || upper.equals("DEV")) {
            return upper;
        }
        throw new IllegalArgumentException("env must be Prod or Dev, got " + env);
    }
}
