package io.presence.message.service;

import io.presence.common.problem.ProblemException;
import io.presence.common.problem.ProblemType;
import io.presence.message.client.UserDirectory;
import io.presence.message.config.MessageConfig;
import io.presence.message.model.Conversation;
import io.presence.message.model.ConversationSummary;
import io.presence.message.repository.ConversationRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.List;

/**
 * Direct conversations (seed 001): two users may talk only while their contact is accepted and neither has blocked
 * the other, as user-service answers it (cached for a few seconds); otherwise every call is a 403.
 */
@ApplicationScoped
public class ConversationService {

    private final ConversationRepository conversations;
    private final UserDirectory users;
    private final MessageConfig config;

    public ConversationService(ConversationRepository conversations, UserDirectory users, MessageConfig config) {
        this.conversations = conversations;
        this.users = users;
        this.config = config;
    }

    /** The conversation of the caller with another user, created on first use; 403 when they may not talk. */
    @Transactional
    public Conversation open(Caller caller, long otherId) {
        if (otherId == caller.id()) {
            throw new ProblemException(ProblemType.BAD_REQUEST, "a conversation needs another user than yourself");
        }
        long low = Math.min(caller.id(), otherId);
        long high = Math.max(caller.id(), otherId);
        if (otherId <= 0 || !users.relation(low, high).mayTalk()) {
            throw new ProblemException(ProblemType.FORBIDDEN,
                    "not allowed: direct conversations need an accepted contact and no block");
        }
        return conversations.open(low, high);
    }

    /** The timeline of the caller's conversation with another user. */
    public Timeline timeline(Caller caller, long otherId) {
        return Timeline.conversation(open(caller, otherId));
    }

    /** The caller's view of one conversation. */
    public ConversationSummary summary(Caller caller, long otherId) {
        Conversation c = open(caller, otherId);
        return conversations.summary(c.id, caller.id(), config.unreadCap());
    }

    /** The caller's conversations, latest message first. */
    public List<ConversationSummary> conversationsOf(Caller caller) {
        return conversations.conversationsOf(caller.id(), config.unreadCap());
    }
}
