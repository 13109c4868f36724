package dev.triggerlayer.registry.tenant;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

/**
 * @param id         optional on create (generated when absent); ignored on update
 * @param timeZone   IANA zone of the tenant's instance times; {@code Asia/Shanghai} when absent
 */
public record TenantInput(
        @Positive Long id,
        @NotBlank @Size(max = 64) @Pattern(regexp = "[\\p{L}\\p{N}_.\\- ]+", message = "may contain letters, digits, space, '_', '.', '-'") String name,
        @NotBlank @Size(max = 32) @Pattern(regexp = "[0-9A-Za-z_-]+", message = "must be an account id") String accountId,
        @NotNull Edition edition,
        @NotBlank @Size(max = 32) String homeRegion,
        @Size(max = 64) String timeZone) {
}
