package dev.triggerlayer.publisher.subscription.model;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;

import java.util.List;

/**
 * Body of create and update.
 *
 * @param tenantId    owning tenant; cannot change on update
 * @param workspaceId optional: only this workspace's events (must belong to the tenant)
 * @param busName     bus to read, default {@code publisher.bus.default-name}; cannot change on update
 * @param filter      optional: all of the tenant's events when absent
 */
public record SubscriptionInput(
        @NotNull @Positive Long tenantId,
        @Positive Long workspaceId,
        @NotNull @Size(min = 1, max = 64) @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9_.-]*", message = "must start with a letter or digit and contain letters, digits, '_', '.', '-'") String name,
        @Size(max = 64) String busName,
        @Valid FilterInput filter,
        @NotNull @Valid TargetInput target) {

    public record FilterInput(
            @Size(max = 50) List<@NotNull @Pattern(regexp = "dataworks:[A-Za-z]+:[A-Za-z]+", message = "must be an event type like dataworks:InstanceStatusChanges:InstanceStatusChanges") String> types,
            @Size(max = 50) List<@NotNull @Size(min = 1, max = 100) String> eventCodes,
            @Size(max = 1000) List<@NotNull @PositiveOrZero Long> projectIds) {
    }

    /**
     * @param topic  KAFKA only
     * @param url    HTTP only: http or https
     * @param format HTTP only: CLOUDEVENT (default) or FC
     */
    public record TargetInput(
            @NotNull TargetKind kind,
            @Size(max = 249) String topic,
            @Size(max = 2048) String url,
            DeliveryFormat format) {
    }
}
