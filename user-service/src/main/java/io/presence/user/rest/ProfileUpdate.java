package io.presence.user.rest;

import io.presence.common.text.Text;
import io.presence.user.service.ProfileChange;
import jakarta.validation.constraints.Size;

/** Body of {@code PATCH /api/users/me}: absent fields stay as they are, empty strings clear them. */
public record ProfileUpdate(
        @Text @Size(max = 64, message = "at most 64 characters") String displayName,
        @Text @Size(max = 100, message = "at most 100 characters") String status) {

    public ProfileChange toChange() {
        return new ProfileChange(displayName, status);
    }
}
