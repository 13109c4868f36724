package dev.triggerlayer.scheduler.workflow.rest;

import dev.triggerlayer.scheduler.error.InvalidInputException;

/** Parsing of path parameters and operator names, naming the parameter on failure. */
public final class Ids {

    private Ids() {
    }

    public static long parse(String field, String raw) {
        try {
            long id = Long.parseLong(raw);
            if (id > 0) {
                return id;
            }
        } catch (NumberFormatException e) {
            // reported below with the field's name
        }
        throw new InvalidInputException(field, "must be a positive integer, got '" + (raw.length() > 40 ? raw.substring(0, 40) + "..." : raw) + "'");
    }

    public static String operator(String header) {
        if (header == null || header.isBlank()) {
            return "operator";
        }
        if (header.length() > 64) {
            throw new InvalidInputException("X-Operator", "must be at most 64 characters");
        }
        return header.strip();
    }
}
