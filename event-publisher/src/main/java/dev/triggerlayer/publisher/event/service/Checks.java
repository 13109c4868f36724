package dev.triggerlayer.publisher.event.service;

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
}
