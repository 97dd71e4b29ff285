package io.presence.user.view;

import io.presence.common.text.Text;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** Body of {@code POST /api/users}. The handle is normalised to lower case before the pattern is applied. */
public record RegistrationRequest(
        @NotNull @Pattern(regexp = "[a-zA-Z0-9_.-]{3,32}", message = "3-32 characters of a-z, 0-9, '_', '.', '-'") String handle,
        @NotNull @Text @Size(min = 8, max = 72, message = "8-72 characters") String password,
        @Text(label = true) @Size(max = 64, message = "at most 64 characters") String displayName,
        @Text(label = true) @Size(max = 100, message = "at most 100 characters") String status) {
}
