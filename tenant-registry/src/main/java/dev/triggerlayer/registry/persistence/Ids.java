package dev.triggerlayer.registry.persistence;

import dev.triggerlayer.registry.error.InvalidInputException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/** Id parsing and generation shared by the registry's features. */
public final class Ids {

    private Ids() {
    }

    /** Parses a path id, naming the parameter when it is not a positive long. */
    public static long parse(String field, String raw) {
        try {
            long id = Long.parseLong(raw);
            if (id > 0) {
                return id;
            }
        } catch (NumberFormatException e) {
            // reported below with the field's name
        }
        throw new InvalidInputException(field, "must be a positive integer, got '" + abbreviate(raw) + "'");
    }

    /** The given id, or the next one from the registry's id sequence. */
    public static Uni<Long> orNext(Long given) {
        if (given != null) {
            return Uni.createFrom().item(given);
        }
        return Panache.getSession().chain(s -> s.createNativeQuery("select nextval('entity_id_seq')", Long.class).getSingleResult());
    }

    private static String abbreviate(String raw) {
        return raw.length() <= 40 ? raw : raw.substring(0, 40) + "...";
    }
}
