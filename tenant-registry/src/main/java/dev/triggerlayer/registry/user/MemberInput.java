package dev.triggerlayer.registry.user;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import java.util.List;

public record MemberInput(@NotNull @Size(min = 1, max = 6) List<@NotNull Role> roles) {
}
