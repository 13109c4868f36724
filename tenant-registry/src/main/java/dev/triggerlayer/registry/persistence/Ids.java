package dev.triggerlayer.registry.persistence;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/** Id generation shared by the registry's features (one sequence for every entity). */
public final class Ids {

    private Ids() {
    }

    /** The given id, or the next one from the registry's id sequence. */
    public static Uni<Long> orNext(Long given) {
        if (given != null) {
            return Uni.createFrom().item(given);
        }
        return Panache.getSession().chain(s -> s.createNativeQuery("select nextval('entity_id_seq')", Long.class).getSingleResult());
    }
}
