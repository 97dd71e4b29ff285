package io.presence.user.view;

import io.presence.common.text.Text;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/** Body of {@code POST /api/sessions}. */
public record LoginRequest(
        @NotNull @Text @Size(max = 64, message = "at most 64 characters") String handle,
        @NotNull @Text @Size(max = 1024, message = "at most 1024 characters") String password) {
}
