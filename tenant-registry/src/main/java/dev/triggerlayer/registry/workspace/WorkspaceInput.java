package dev.triggerlayer.registry.workspace;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

import java.util.List;

/**
 * @param id            optional on create; ignored on update
 * @param tenantId      owning tenant; cannot change on update
 * @param environments  defaults to {@code [Prod, Dev]}
 * @param publishEvents defaults to true
 * @param eventBusName  the tenant's event bus that receives the workspace's events; absent (also on
 *                      update, which replaces the workspace's settings): the publisher's default bus
 */
public record WorkspaceInput(
        @Positive Long id,
        @NotNull @Positive Long tenantId,
        @NotBlank @Size(max = 64) @Pattern(regexp = "[A-Za-z][A-Za-z0-9_]*", message = "must start with a letter and contain letters, digits, '_'") String name,
        @Size(min = 1, max = 2) List<@NotNull Environment> environments,
        Boolean publishEvents,
        @Size(max = 64) @Pattern(regexp = "[A-Za-z0-9_.-]+", message = "may contain letters, digits, '_', '.', '-'") String eventBusName) {

    /** Without a bus: events go to the tenant's default bus. */
    public WorkspaceInput(Long id, Long tenantId, String name, List<Environment> environments, Boolean publishEvents) {
        this(id, tenantId, name, environments, publishEvents, null);
    }
}
