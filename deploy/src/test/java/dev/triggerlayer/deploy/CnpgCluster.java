package dev.triggerlayer.deploy;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.fabric8.kubernetes.api.model.ObjectMeta;

import java.util.List;

/**
 * The fields of a CloudNativePG {@code Cluster} (postgresql.cnpg.io/v1) that the overlays use.
 * Hand-written because CloudNativePG publishes no Java model; unknown fields are refused, so a
 * field added to a manifest must be added here, checked against the CRD reference.
 */
@JsonIgnoreProperties(ignoreUnknown = false)
record CnpgCluster(String apiVersion, String kind, ObjectMeta metadata, Spec spec) {

    record Spec(int instances, Storage storage, Bootstrap bootstrap, Managed managed) { }

    record Storage(String size) { }

    record Bootstrap(InitDb initdb) { }

    record InitDb(String database, String owner, List<String> postInitApplicationSQL) { }

    record Managed(List<Role> roles) { }

    record Role(String name, String ensure, boolean login, LocalObjectReference passwordSecret) { }

    record LocalObjectReference(String name) { }
}
