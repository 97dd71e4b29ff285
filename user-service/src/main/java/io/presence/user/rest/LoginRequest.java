package io.presence.user.rest;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/** Body of {@code POST /api/sessions}. */
public record LoginRequest(
        @NotNull @Size(max = 64, message = "at most 64 characters") String handle,
        @NotNull @Size(max = 1024, message = "at most 1024 characters") String password) {
}
