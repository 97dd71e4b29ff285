package io.presence.message.rest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.presence.common.problem.Problem;
import io.presence.common.problem.ProblemException;
import io.presence.common.problem.ProblemExceptionMapper;
import io.presence.common.problem.ProblemType;
import io.presence.common.text.TextRule;
import io.presence.message.mapping.MessageMapper;
import io.presence.message.service.Caller;
import io.presence.message.service.ConversationService;
import io.presence.message.service.MessageService;
import io.presence.message.service.RoomService;
import io.presence.message.service.SendBatcher;
import io.presence.message.service.Timeline;
import io.presence.message.view.MessageViews;
import io.presence.message.view.MessageViews.NewMessage;
import io.quarkus.arc.Arc;
import io.quarkus.arc.ManagedContext;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Validator;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The hot path of messaging, {@code POST /api/rooms/{id}/messages} and {@code POST /api/conversations/{id}/messages},
 * as a plain Vert.x route in front of the same calls of {@link RoomMessageResource} and {@link ConversationResource}:
 * the body is read once and parsed by hand into its two strings, checked by the rules of {@link NewMessage} by hand,
 * the session comes from the local cache and the send from the group commit, without a worker thread; the answer's
 * body is the JSON the message's event carries, encoded once. Anything unusual (another media type, no length, an
 * odd id) goes on to the resource unread; a body the hand-written checks do not pass is read again by Jackson and
 * Bean Validation, so errors are the very problems the resource answers. Only a send that stored nothing (not a
 * member, no such room) and the conversation's contact check go to a worker thread.
 */
@ApplicationScoped
public class MessageSendRoute {

    private static final String JSON_UTF8 = "application/json;charset=UTF-8";
    private static final Pattern ID = Pattern.compile("[0-9]{1,18}");
    private static final Pattern CLIENT_MESSAGE_ID = Pattern.compile("[!-~]{1,100}");

    private final RoomService rooms;
    private final ConversationService conversations;
    private final MessageService messages;
    private final CallerResolver users;
    private final ObjectMapper json;
    private final Validator validator;
    private final Vertx vertx;
    private final ProblemExceptionMapper problems = new ProblemExceptionMapper();
    private final Counter taken;

    public MessageSendRoute(RoomService rooms, ConversationService conversations, MessageService messages, CallerResolver users,
                            ObjectMapper json, Validator validator, Vertx vertx, MeterRegistry metrics) {
        this.taken = Counter.builder("messages.sends.lean").description("Sends taken by the lean route (the others went to the resource)")
                .register(metrics);
        this.rooms = rooms;
        this.conversations = conversations;
        this.messages = messages;
        this.users = users;
        this.json = json;
        this.validator = validator;
        this.vertx = vertx;
    }

    void install(@Observes Router router) {
        router.post("/api/rooms/:id/messages").order(RouteConstants.ROUTE_ORDER_BEFORE_DEFAULT).handler(rc -> accept(rc, true));
        router.post("/api/conversations/:id/messages").order(RouteConstants.ROUTE_ORDER_BEFORE_DEFAULT).handler(rc -> accept(rc, false));
    }

    /** Takes the request when it is a plain JSON send; anything else goes on to the resource, its body unread. */
    private void accept(RoutingContext rc, boolean room) {
        HttpServerRequest request = rc.request();
        String id = rc.pathParam("id");
        if (id == null || !ID.matcher(id).matches() || !isJson(request.getHeader(HttpHeaders.CONTENT_TYPE))
                || !acceptsJson(request.getHeader(HttpHeaders.ACCEPT)) || !hasBody(request.getHeader(HttpHeaders.CONTENT_LENGTH))
                || (rc.body().available() && rc.body().buffer() == null)) {
            rc.next();
            return;
        }
        long target = Long.parseLong(id);
        taken.increment();
        if (rc.body().available()) {
            send(rc, room, target, rc.body().buffer().getBytes());
            return;
        }
        request.body().onComplete(read -> {
            if (read.succeeded()) {
                send(rc, room, target, read.result().getBytes());
            } else {
                rc.fail(read.cause());
            }
        });
        request.resume(); // Quarkus hands requests over paused
    }

    private void send(RoutingContext rc, boolean room, long target, byte[] bytes) {
        NewMessage body;
        try {
            body = read(bytes);
        } catch (RuntimeException e) {
            answer(rc, e);
            return;
        }
        Context context = vertx.getOrCreateContext();
        HttpServerRequest request = rc.request();
        CompletionStage<Caller> caller;
        try {
            caller = users.caller(request.getHeader(HttpHeaders.AUTHORIZATION), request.getHeader(HttpHeaders.COOKIE))
                    .subscribeAsCompletionStage();
        } catch (RuntimeException e) {
            answer(rc, e);
            return;
        }
        caller.thenCompose(who -> room ? sendToRoom(target, who, body)
                        : blocking(() -> conversations.timeline(who, target))
                                .thenCompose(place -> send(place, who, body, () -> { })))
                .whenComplete((sent, failure) -> context.runOnContext(v -> {
                    if (failure != null) {
                        answer(rc, failure);
                        return;
                    }
                    try {
                        answer(rc.response(), sent);
                    } catch (RuntimeException e) {
                        answer(rc, e);
                    }
                }));
    }

    private CompletionStage<MessageService.Sent> sendToRoom(long roomId, Caller caller, NewMessage body) {
        return send(Timeline.room(roomId), caller, body, () -> rooms.memberTimeline(roomId, caller));
    }

    /** The send's first attempt without blocking; only when it stored nothing does the rest run on a worker thread. */
    private CompletionStage<MessageService.Sent> send(Timeline place, Caller caller, NewMessage body, Runnable accessCheck) {
        return messages.attempt(place, caller, body.text(), body.clientMessageId()).thenCompose(first -> {
            if (first.message() != null) {
                return CompletableFuture.completedFuture(finish(place, caller, body, accessCheck, first));
            }
            return blocking(() -> finish(place, caller, body, accessCheck, first));
        });
    }

    private MessageService.Sent finish(Timeline place, Caller caller, NewMessage body, Runnable accessCheck, SendBatcher.Outcome first) {
        return messages.finish(place, caller, body.text(), body.clientMessageId(), accessCheck, first);
    }

    /** Runs database work on a worker thread, in a request context as the resource's calls run. */
    private <T> CompletionStage<T> blocking(Supplier<T> work) {
        return vertx.<T>executeBlocking(() -> {
            ManagedContext requestContext = Arc.container().requestContext();
            requestContext.activate();
            try {
                return work.get();
            } finally {
                requestContext.terminate();
            }
        }, false).toCompletionStage();
    }

    /**
     * The body as {@link NewMessage}: parsed and checked by hand when it is a plain object of two valid strings (the
     * common case); otherwise read by Jackson and checked by Bean Validation, to fail exactly as the resource does.
     */
    private NewMessage read(byte[] bytes) {
        NewMessage plain = plain(bytes);
        if (plain != null && isValid(plain)) {
            return plain;
        }
        NewMessage body;
        try {
            body = bytes.length == 0 ? null : json.readValue(bytes, NewMessage.class);
        } catch (IOException e) {
            throw new CompletionException(e);
        }
        if (body == null) {
            throw ProblemException.invalid("body", "must not be null");
        }
        Set<ConstraintViolation<NewMessage>> violations = validator.validate(body);
        if (!violations.isEmpty()) {
            throw new ConstraintViolationException(violations);
        }
        return body;
    }

    /** A flat JSON object with string fields, its text and clientMessageId taken; null for anything else. */
    private NewMessage plain(byte[] bytes) {
        String text = null;
        String key = null;
        try (JsonParser parser = json.getFactory().createParser(bytes)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            for (JsonToken token = parser.nextToken(); token != JsonToken.END_OBJECT; token = parser.nextToken()) {
                String field = parser.currentName();
                if (parser.nextToken() != JsonToken.VALUE_STRING) {
                    return null;
                }
                if ("text".equals(field) && text == null) {
                    text = parser.getText();
                } else if ("clientMessageId".equals(field) && key == null) {
                    key = parser.getText();
                } else {
                    return null;
                }
            }
            if (parser.nextToken() != null) {
                return null;
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return text == null || key == null ? null : new NewMessage(text, key);
    }

    /** The constraints of {@link NewMessage}, checked by hand; false sends the body to Bean Validation. */
    private static boolean isValid(NewMessage body) {
        String text = body.text();
        return text.length() <= MessageViews.MAX_TEXT && !text.trim().isEmpty()
                && TextRule.violation(text, true) == null && CLIENT_MESSAGE_ID.matcher(body.clientMessageId()).matches();
    }

    private void answer(HttpServerResponse response, MessageService.Sent sent) {
        if (response.ended() || response.closed()) {
            return;
        }
        String body = sent.encoded();
        if (body == null) {
            try {
                body = json.writeValueAsString(MessageMapper.toView(sent.message()));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot encode a message", e);
            }
        }
        response.setStatusCode(sent.created() ? 201 : 200).putHeader(HttpHeaders.CONTENT_TYPE, JSON_UTF8);
        if (!sent.created()) {
            response.putHeader(MessageEndpoints.REPLAYED, "true");
        }
        response.end(body);
    }

    /** The failure as the problem+json the resource's exception mappers would answer. */
    private void answer(RoutingContext rc, Throwable failure) {
        Throwable e = failure;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        Response mapped;
        if (e instanceof ProblemException p) {
            mapped = problems.problem(p, null);
        } else if (e instanceof ConstraintViolationException v) {
            mapped = problems.validation(v, null);
        } else if (e instanceof MismatchedInputException m) {
            mapped = problems.mismatchedJson(m, null);
        } else if (e instanceof JsonProcessingException) {
            // Quarkus REST's JSON reader answers JSON that does not parse with a bare 400
            mapped = problems.webApplication(new WebApplicationException(Response.Status.BAD_REQUEST), null);
        } else {
            mapped = problems.unexpected(e, null);
        }
        HttpServerResponse response = rc.response();
        if (response.ended() || response.closed()) {
            return;
        }
        Problem p = (Problem) mapped.getEntity();
        String body;
        try {
            body = json.writeValueAsString(new Problem(p.type(), p.title(), p.status(), p.detail(), rc.request().path(), p.errors()));
        } catch (JsonProcessingException encoding) {
            throw new IllegalStateException(encoding);
        }
        response.setStatusCode(mapped.getStatus());
        mapped.getStringHeaders().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("Content-Type")) {
                values.forEach(value -> response.headers().add(name, value));
            }
        });
        response.putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE).end(Buffer.buffer(body));
    }

    private static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        String type = contentType.strip().toLowerCase(Locale.ROOT);
        return type.equals("application/json") || type.equals("application/json;charset=utf-8")
                || type.equals("application/json; charset=utf-8");
    }

    /** A body of announced length (no chunks, not empty: the resource answers those). */
    private static boolean hasBody(String contentLength) {
        return contentLength != null && !contentLength.isEmpty() && !contentLength.equals("0")
                && contentLength.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    private static boolean acceptsJson(String accept) {
        return accept == null || accept.contains("*/*") || accept.contains("application/json");
    }
}
