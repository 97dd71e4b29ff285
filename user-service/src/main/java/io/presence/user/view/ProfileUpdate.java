package io.presence.user.view;

import io.presence.common.text.Text;
import jakarta.validation.constraints.Size;

/** Body of {@code PATCH /api/users/me}: absent fields stay as they are, empty strings clear them. */
public record ProfileUpdate(
        @Text(label = true) @Size(max = 64, message = "at most 64 characters") String displayName,
        @Text(label = true) @Size(max = 100, message = "at most 100 characters") String status) {
}
