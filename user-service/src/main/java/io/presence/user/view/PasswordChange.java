package io.presence.user.view;

import io.presence.common.text.Text;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/** Body of {@code PUT /api/users/me/password}. */
public record PasswordChange(
        @NotNull @Text @Size(max = 1024, message = "at most 1024 characters") String currentPassword,
        @NotNull @Text @Size(min = 8, max = 72, message = "8-72 characters") String newPassword) {
}
