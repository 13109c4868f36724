package dev.triggerlayer.registry.user;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

/** @param id optional on create; ignored on update */
public record UserInput(
        @Positive Long id,
        @NotBlank @Size(max = 64) @Pattern(regexp = "[A-Za-z0-9_.@-]+", message = "may contain letters, digits, '_', '.', '@', '-'") String name,
        @NotNull UserKind kind) {
}
