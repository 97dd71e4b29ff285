package io.presence.user.view;

import io.presence.common.text.Text;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.time.OffsetDateTime;
import java.util.List;

/** The wire types of the contacts API. */
public final class ContactViews {

    private ContactViews() {
    }

    /** Another user as contact lists show them. */
    public record UserSummary(String id, String handle, String displayName) {
    }

    /** A contact request. */
    public record RequestView(String id, UserSummary from, UserSummary to, String state, OffsetDateTime createdAt) {
    }

    /** Body of {@code POST /api/contacts/requests}. */
    public record NewRequest(@NotBlank @Text @Size(max = 64) String to) {
    }

    /** Body of {@code POST /api/contacts/blocks}. */
    public record NewBlock(@NotBlank @Text @Size(max = 64) String handle) {
    }

    /** An accepted contact. */
    public record ContactView(UserSummary user, OffsetDateTime since) {
    }

    public record RequestList(List<RequestView> requests) {
    }

    public record ContactList(List<ContactView> contacts) {
    }

    public record BlockList(List<UserSummary> blocked) {
    }

    /** Answer of the internal relation check between accounts a and b. */
    public record RelationView(boolean contacts, boolean aBlocksB, boolean bBlocksA, boolean mayTalk) {
    }
}
